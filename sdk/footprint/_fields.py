"""Field kinds: how each footprint field is parsed, checked and written.

The model's dataclasses declare their JSON fields in tables of :class:`Field`; parsing,
validation and export all walk those tables, so a field's rule lives in one place.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sdk.errors import FootprintError
from sdk.footprint import _values as v


@dataclass(frozen=True)
class Kind:
    """Parse (JSON → Python), check (Python) and dump (Python → JSON) for one kind."""

    parse: Callable[[Any, str, bool], Any]
    check: Callable[[Any, str], object]
    dump: Callable[[Any, bool], Any]


def _dec_kind(
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    positive: bool = False,
) -> Kind:
    def check(value: Any, pointer: str) -> object:
        return v.check_decimal(value, pointer, minimum=minimum, maximum=maximum, positive=positive)

    def dump(value: Any, numbers: bool) -> Any:
        return v.decimal_number(value) if numbers else v.format_decimal(value)

    return Kind(lambda x, p, n: v.parse_decimal(x, p, numbers=n), check, dump)


def _simple(parse: Callable[[Any, str], Any], check: Callable[[Any, str], object]) -> Kind:
    return Kind(lambda x, p, n: parse(x, p), check, lambda x, n: x)


def _tuple_kind(item: Callable[[Any, str], object], nonempty: bool = False) -> Kind:
    def check(value: Any, pointer: str) -> object:
        v.check_tuple(value, pointer, item, nonempty=nonempty)
        return value

    def parse(value: Any, pointer: str, numbers: bool) -> tuple[str, ...]:
        return v.parse_str_tuple(value, pointer)

    return Kind(parse, check, lambda x, n: list(x))


def _objects_check(value: Any, pointer: str) -> object:
    v.check_tuple(value, pointer, v.check_object)
    return value


def _object_check(value: Any, pointer: str) -> object:
    v.check_object(value, pointer)
    return value


def _nonempty_str(value: Any, pointer: str) -> object:
    return v.check_str(value, pointer, nonempty=True)


def _status(value: Any, pointer: str) -> object:
    text = v.check_str(value, pointer)
    if text not in ("Active", "Deprecated"):
        raise FootprintError(pointer, f"must be 'Active' or 'Deprecated', got {text!r}")
    return text


def _int_check(value: Any, pointer: str) -> object:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FootprintError(pointer, "must be a non-negative integer")
    return value


def _bool_check(value: Any, pointer: str) -> object:
    if not isinstance(value, bool):
        raise FootprintError(pointer, "must be a boolean")
    return value


_ZERO = Decimal(0)

KINDS: dict[str, Kind] = {
    "uuid": _simple(v.parse_str, v.check_uuid),
    "uuids": _tuple_kind(v.check_uuid),
    "count": _simple(v.parse_int, _int_check),
    "datetime": Kind(
        lambda x, p, n: v.parse_datetime(x, p), v.check_aware, lambda x, n: v.format_datetime(x)
    ),
    "status": _simple(v.parse_str, _status),
    "text": _simple(v.parse_str, v.check_str),
    "name": _simple(v.parse_str, _nonempty_str),
    "urns": _tuple_kind(v.check_urn, nonempty=True),
    "urns0": _tuple_kind(v.check_urn),
    "strs": _tuple_kind(_nonempty_str),
    "unit": _simple(v.parse_str, v.check_declared_unit),
    "dec": _dec_kind(),
    "dec+": _dec_kind(positive=True),
    "dec0+": _dec_kind(minimum=_ZERO),
    "dec0-": _dec_kind(maximum=_ZERO),
    "pct": _dec_kind(minimum=_ZERO, maximum=Decimal(100)),
    "exempt": _dec_kind(minimum=_ZERO, maximum=Decimal(5)),
    "dqr": _dec_kind(minimum=Decimal(1), maximum=Decimal(5)),
    "bool": _simple(v.parse_bool, _bool_check),
    "objects": Kind(
        lambda x, p, n: v.parse_object_tuple(x, p),
        _objects_check,
        lambda x, n: [copy.deepcopy(o) for o in x],
    ),
    "object": Kind(
        lambda x, p, n: v.parse_object(x, p), _object_check, lambda x, n: copy.deepcopy(x)
    ),
    "country": _simple(v.parse_str, v.check_country),
    "subdivision": _simple(v.parse_str, v.check_subdivision),
    "region": _simple(v.parse_str, v.check_region),
}


@dataclass(frozen=True)
class Field:
    """One JSON field: dataclass attribute, v3 key, v2.3 key (None: absent in that version)."""

    attr: str
    v3: str | None
    v2: str | None
    kind: str
    required: bool = False
    v2_number: bool = False

    def key(self, version: int) -> str | None:
        """The JSON key in PACT major ``version`` (2 or 3)."""
        return self.v3 if version == 3 else self.v2

    @property
    def pointer_key(self) -> str:
        """Key used in pointers raised by construction-time checks (the v3 name)."""
        return self.v3 or self.v2 or self.attr


def check_fields(obj: object, fields: tuple[Field, ...], pointer: str) -> None:
    """Validate ``obj``'s attributes against ``fields``; None is allowed unless required."""
    for field in fields:
        value = getattr(obj, field.attr)
        where = v.child(pointer, field.pointer_key)
        if value is None:
            if field.required:
                raise FootprintError(where, "is required")
            continue
        KINDS[field.kind].check(value, where)


def parse_fields(
    doc: dict[str, Any],
    fields: tuple[Field, ...],
    pointer: str,
    version: int,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read ``fields`` from ``doc``: (keyword arguments, leftover unknown keys).

    A value that is present but JSON ``null`` is treated as absent, as PACT allows for
    optional properties.
    """
    kwargs: dict[str, Any] = {}
    known: set[str] = set()
    for field in fields:
        key = field.key(version)
        if key is None:
            continue
        known.add(key)
        where = v.child(pointer, key)
        raw = doc.get(key)
        if raw is None:
            if field.required:
                raise FootprintError(where, "is required")
            continue
        kind = KINDS[field.kind]
        value = kind.parse(raw, where, version == 2 and field.v2_number)
        kind.check(value, where)
        kwargs[field.attr] = value
    extra = {k: copy.deepcopy(val) for k, val in doc.items() if k not in known}
    return kwargs, extra


def dump_fields(obj: object, fields: tuple[Field, ...], version: int) -> dict[str, Any]:
    """Write ``obj``'s attributes that exist in ``version`` and are not None."""
    out: dict[str, Any] = {}
    for field in fields:
        key = field.key(version)
        value = getattr(obj, field.attr)
        if key is None or value is None:
            continue
        out[key] = KINDS[field.kind].dump(value, version == 2 and field.v2_number)
    return out
