"""Field kinds: how each footprint field is parsed, checked and written, per PACT version.

The model's dataclasses declare their JSON fields in tables of :class:`Field`; parsing,
validation and export all walk those tables, so a field's rule lives in one place. A
field has a model kind (the loosest rule any version allows, checked on construction)
and may have a stricter kind for documents of one version (e.g. v2.3's
``pCfExcludingBiogenic`` must be >= 0 where v3.0's ``pcfExcludingBiogenicUptake`` may
be negative). The rules follow the vendored OpenAPI schemas and specification texts;
docs/pact.md lists them.
"""

from __future__ import annotations

import copy
import functools
import json
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


def _tuple_kind(
    item: Callable[[Any, str], object],
    *,
    nonempty: bool = True,
    key: Callable[[Any], Any] = repr,
) -> Kind:
    """A JSON array of strings: non-empty and without duplicates (``minItems: 1``,
    ``uniqueItems``) unless told otherwise."""

    def check(value: Any, pointer: str) -> object:
        v.check_tuple(value, pointer, item, nonempty=nonempty)
        v.check_unique(value, pointer, key)
        return value

    def parse(value: Any, pointer: str, numbers: bool) -> tuple[str, ...]:
        return v.parse_str_tuple(value, pointer)

    return Kind(parse, check, lambda x, n: list(x))


def _objects_kind(item: Callable[[Any, str], object], *, unique: bool) -> Kind:
    """A non-empty JSON array of objects, each checked by ``item``."""

    def check(value: Any, pointer: str) -> object:
        v.check_tuple(value, pointer, item, nonempty=True)
        if unique:
            v.check_unique(value, pointer, _canonical_key)
        return value

    return Kind(
        lambda x, p, n: v.parse_object_tuple(x, p),
        check,
        lambda x, n: [copy.deepcopy(o) for o in x],
    )


def _object_kind(check_object: Callable[[Any, str], object]) -> Kind:
    return Kind(lambda x, p, n: v.parse_object(x, p), check_object, lambda x, n: copy.deepcopy(x))


def _canonical_key(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"))


def _nonempty_str(value: Any, pointer: str) -> object:
    return v.check_str(value, pointer, nonempty=True)


def _enum(*allowed: str) -> Callable[[Any, str], object]:
    def check(value: Any, pointer: str) -> object:
        return v.check_enum(value, pointer, allowed)

    return check


def _uuid4(value: Any, pointer: str) -> object:
    """v2.3 ``PfId``: a UUID of version 4 (RFC 9562)."""
    text = v.check_uuid(value, pointer)
    if text[14] != "4":
        raise FootprintError(pointer, f"must be a version-4 UUID in PACT v2.3, got {text!r}")
    return text


def _parse_utc(value: Any, pointer: str) -> Any:
    """v2.3 ``DateTime``: RFC 3339 whose timezone is UTC (``Z`` or ``+00:00``)."""
    parsed = v.parse_datetime(value, pointer)
    if not str(value).upper().endswith(("Z", "+00:00", "-00:00")):
        raise FootprintError(pointer, f"must be in UTC in PACT v2.3, got {value!r}")
    return parsed


def _int31(value: Any, pointer: str) -> object:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**31 - 1:
        raise FootprintError(pointer, "must be an integer in 0..2^31-1")
    return value


def _bool_check(value: Any, pointer: str) -> object:
    if not isinstance(value, bool):
        raise FootprintError(pointer, "must be a boolean")
    return value


def _ar(value: Any, pointer: str) -> object:
    text = v.check_str(value, pointer)
    if not (text.startswith("AR") and text[2:].isascii() and text[2:].isdigit()):
        raise FootprintError(pointer, f"must be 'AR<n>' (an IPCC assessment report), got {text!r}")
    return text


# ---------------------------------------------------------------- structured objects


def _check_keys(
    obj: dict[str, Any], pointer: str, checks: dict[str, Callable[[Any, str], object]]
) -> None:
    for key, check in checks.items():
        if obj.get(key) is not None:
            check(obj[key], v.child(pointer, key))


def _require(obj: dict[str, Any], pointer: str, *keys: str) -> None:
    for key in keys:
        if obj.get(key) is None:
            raise FootprintError(v.child(pointer, key), "is required")


def _rule_names(value: Any, pointer: str) -> object:
    items = tuple(v.parse_array(value, pointer))
    v.check_tuple(items, pointer, _nonempty_str, nonempty=True)
    v.check_unique(items, pointer)
    return value


def _sector_rule(value: Any, pointer: str) -> object:
    """ProductOrSectorSpecificRule (v2.3 and v3.0 alike)."""
    v.check_object(value, pointer)
    _require(value, pointer, "operator", "ruleNames")
    _check_keys(
        value,
        pointer,
        {
            "operator": _enum("PEF", "EPD International", "Other"),
            "ruleNames": _rule_names,
            "otherOperatorName": _nonempty_str,
        },
    )
    return value


def _factor_source(value: Any, pointer: str) -> object:
    """EmissionFactorSource (v3.0) / EmissionFactorDatabases (v2.3)."""
    v.check_object(value, pointer)
    _require(value, pointer, "name", "version")
    _check_keys(value, pointer, {"name": _nonempty_str, "version": _nonempty_str})
    return value


def _datetime_text(value: Any, pointer: str) -> object:
    return v.parse_datetime(value, pointer)


def _str(value: Any, pointer: str) -> object:
    return v.check_str(value, pointer)


def _verification(value: Any, pointer: str) -> object:
    """v3.0 Verification."""
    v.check_object(value, pointer)
    _check_keys(
        value,
        pointer,
        {
            "coverage": _enum("PCF calculation model", "PCF program", "product level"),
            "providerName": _str,
            "completedAt": _datetime_text,
            "standardName": _str,
            "comments": _str,
        },
    )
    return value


def _assurance(value: Any, pointer: str) -> object:
    """v2.3 Assurance."""
    v.check_object(value, pointer)
    _require(value, pointer, "assurance", "providerName")
    _check_keys(
        value,
        pointer,
        {
            "assurance": _bool_check,
            "coverage": _enum("corporate level", "product line", "PCF system", "product level"),
            "level": _enum("limited", "reasonable"),
            "boundary": _enum("Gate-to-Gate", "Cradle-to-Gate"),
            "providerName": _str,
            "completedAt": _datetime_text,
            "standardName": _str,
            "comments": _str,
        },
    )
    return value


_ZERO = Decimal(0)
_HUNDRED = Decimal(100)

#: v2.3 ``crossSectoralStandards`` (an enum in the v2.3 schema; v3.0 leaves it open).
V2_STANDARD_CODES = (
    "ISO14067",
    "ISO14083",
    "ISO14040-44",
    "GHGP-Product",
    "PEF",
    "PACT-1.0",
    "PACT-2.0",
    "PACT-3.0",
)
#: v2.3 ``crossSectoralStandardsUsed`` names.
V2_STANDARD_NAMES = ("GHG Protocol Product standard", "ISO Standard 14067", "ISO Standard 14044")


def _unit_v2(value: Any, pointer: str) -> object:
    return v.check_declared_unit(value, pointer, v.DECLARED_UNITS_V2)


KINDS: dict[str, Kind] = {
    "uuid": _simple(v.parse_str, v.check_uuid),
    "uuids": _tuple_kind(v.check_uuid, key=str.lower),
    "uuid4": _simple(v.parse_str, _uuid4),
    "uuids4": _tuple_kind(_uuid4, key=str.lower),
    "utc": Kind(lambda x, p, n: _parse_utc(x, p), v.check_aware, lambda x, n: v.format_datetime(x)),
    "int31": _simple(v.parse_int, _int31),
    "datetime": Kind(
        lambda x, p, n: v.parse_datetime(x, p), v.check_aware, lambda x, n: v.format_datetime(x)
    ),
    "status": _simple(v.parse_str, _enum("Active", "Deprecated")),
    "text": _simple(v.parse_str, v.check_str),
    "name": _simple(v.parse_str, _nonempty_str),
    "urns": _tuple_kind(v.check_urn, key=v.urn_key),
    "ars": _tuple_kind(_ar),
    "codes": _tuple_kind(v.check_str),
    "codes2": _tuple_kind(_enum(*V2_STANDARD_CODES)),
    "names2": _tuple_kind(_enum(*V2_STANDARD_NAMES)),
    "ar56": _simple(v.parse_str, _enum("AR6", "AR5")),
    "biomethod2": _simple(v.parse_str, _enum("PEF", "ISO", "GHGP", "Quantis")),
    "ccu": _simple(v.parse_str, _enum("Cut-off", "Credit")),
    "uri": _simple(v.parse_str, v.check_uri),
    "unit": _simple(v.parse_str, v.check_declared_unit),
    "unit2": _simple(v.parse_str, _unit_v2),
    "dec": _dec_kind(),
    "dec+": _dec_kind(positive=True),
    "dec0+": _dec_kind(minimum=_ZERO),
    "dec0-": _dec_kind(maximum=_ZERO),
    "pct": _dec_kind(minimum=_ZERO, maximum=_HUNDRED),
    "pct5": _dec_kind(minimum=_ZERO, maximum=Decimal(5)),
    "dqr5": _dec_kind(minimum=Decimal(1), maximum=Decimal(5)),
    "dqr3": _dec_kind(minimum=Decimal(1), maximum=Decimal(3)),
    "bool": _simple(v.parse_bool, _bool_check),
    "rules": _objects_kind(_sector_rule, unique=True),
    "sources": _objects_kind(_factor_source, unique=False),
    "verification": _object_kind(_verification),
    "assurance": _object_kind(_assurance),
    "country": _simple(v.parse_str, v.check_country),
    "subdivision": _simple(v.parse_str, v.check_subdivision),
    "region": _simple(v.parse_str, v.check_region),
}


# eq=False: fields are table constants compared by identity, which makes the tables cheap
# keys for the cached plans below.
@dataclass(frozen=True, eq=False)
class Field:
    """One JSON field: dataclass attribute, v3 key, v2.3 key (None: absent in that version).

    ``kind`` is checked on construction of the model; ``v3_kind`` / ``v2_kind`` (default
    ``kind``) on documents of that version. ``required`` lists the majors whose documents
    must carry the field; the model itself requires it only when every version does.
    ``v2_number``: v2.3 types the field as a JSON number.
    """

    attr: str
    v3: str | None
    v2: str | None
    kind: str
    required: tuple[int, ...] = ()
    v2_number: bool = False
    v3_kind: str | None = None
    v2_kind: str | None = None

    def key(self, version: int) -> str | None:
        """The JSON key in PACT major ``version`` (2 or 3)."""
        return self.v3 if version == 3 else self.v2

    def kind_for(self, version: int) -> str:
        """The kind checked on documents of PACT major ``version``."""
        return (self.v3_kind if version == 3 else self.v2_kind) or self.kind

    @property
    def model_required(self) -> bool:
        """Required on construction: every version's documents must carry it."""
        return 2 in self.required and 3 in self.required

    @property
    def pointer_key(self) -> str:
        """Key used in pointers raised by construction-time checks (the v3 name)."""
        return self.v3 or self.v2 or self.attr


@functools.cache
def _model_plan(fields: tuple[Field, ...], pointer: str) -> tuple[tuple[str, str, bool, Kind], ...]:
    return tuple(
        (f.attr, v.child(pointer, f.pointer_key), f.model_required, KINDS[f.kind]) for f in fields
    )


@functools.cache
def _parse_plan(
    fields: tuple[Field, ...], pointer: str, version: int
) -> tuple[tuple[str, str, str, bool, bool, Kind], ...]:
    return tuple(
        (
            f.attr,
            key,
            v.child(pointer, key),
            version in f.required,
            version == 2 and f.v2_number,
            KINDS[f.kind_for(version)],
        )
        for f in fields
        if (key := f.key(version)) is not None
    )


def check_fields(obj: object, fields: tuple[Field, ...], pointer: str) -> None:
    """Validate ``obj``'s attributes against ``fields``' model kinds; None is allowed
    unless every version requires the field."""
    for attr, where, required, kind in _model_plan(fields, pointer):
        value = getattr(obj, attr)
        if value is None:
            if required:
                raise FootprintError(where, "is required")
            continue
        kind.check(value, where)


def parse_fields(
    doc: dict[str, Any],
    fields: tuple[Field, ...],
    pointer: str,
    version: int,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read ``fields`` from a ``version`` document: (keyword arguments, leftover keys).

    A value that is present but JSON ``null`` is undefined, as PACT says; a field that
    ``version`` requires must be defined. Each value is checked by the version's kind.
    ``doc`` must be the caller's private copy: leftover values are returned as they are.
    """
    kwargs: dict[str, Any] = {}
    for attr, key, where, required, numbers, kind in _parse_plan(fields, pointer, version):
        raw = doc.get(key)
        if raw is None:
            if required:
                raise FootprintError(where, "is required")
            continue
        value = kind.parse(raw, where, numbers)
        kind.check(value, where)
        kwargs[attr] = value
    known = known_keys(fields, version)
    extra = {k: val for k, val in doc.items() if k not in known}
    return kwargs, extra


def dump_fields(obj: object, fields: tuple[Field, ...], version: int) -> dict[str, Any]:
    """Write ``obj``'s attributes that exist in ``version`` and are not None."""
    out: dict[str, Any] = {}
    for field in fields:
        key = field.key(version)
        value = getattr(obj, field.attr)
        if key is None or value is None:
            continue
        out[key] = KINDS[field.kind_for(version)].dump(value, version == 2 and field.v2_number)
    return out


@functools.cache
def known_keys(fields: tuple[Field, ...], version: int) -> frozenset[str]:
    """The JSON keys ``fields`` define in ``version``."""
    return frozenset(k for f in fields if (k := f.key(version)) is not None)
