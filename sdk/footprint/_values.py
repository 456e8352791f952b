"""Parsing and checking of the scalar values that footprint documents are made of.

Every function names the offending field by JSON Pointer through
:class:`~sdk.errors.FootprintError`. ``parse_*`` turn JSON values into Python values;
``check_*`` validate Python values (used by the dataclasses' ``__post_init__``).
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sdk.errors import FootprintError

JsonObject = dict[str, Any]

# PACT v3 ``Decimal``: an optional sign, digits, an optional fraction; no exponent.
_DECIMAL_RE = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
_URN_RE = re.compile(r"^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$", re.IGNORECASE)
# RFC 3986 absolute URI: scheme ":" hier-part, no whitespace or control characters.
_URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s\x00-\x1f\x7f]+$")
_SEMVER_RE = re.compile(
    r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
)
_UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_RFC3339_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|z|[+-]\d{2}:\d{2})$",
)
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_SUBDIVISION_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")

#: UN M49 regions and subregions accepted by PACT for ``geographyRegionOrSubregion``.
REGIONS = frozenset(
    {
        "Africa",
        "Americas",
        "Asia",
        "Europe",
        "Oceania",
        "Australia and New Zealand",
        "Central Asia",
        "Eastern Asia",
        "Eastern Europe",
        "Latin America and the Caribbean",
        "Melanesia",
        "Micronesia",
        "Northern Africa",
        "Northern America",
        "Northern Europe",
        "Polynesia",
        "South-eastern Asia",
        "Southern Asia",
        "Southern Europe",
        "Sub-Saharan Africa",
        "Western Asia",
        "Western Europe",
    }
)

#: PACT v3.0 declared units (``declaredUnitOfMeasurement``).
DECLARED_UNITS = frozenset(
    {
        "liter",
        "kilogram",
        "cubic meter",
        "kilowatt hour",
        "megajoule",
        "ton kilometer",
        "square meter",
        "piece",
        "hour",
        "megabit second",
    }
)
#: PACT v2.3 declared units (``declaredUnit``): no piece, hour or megabit second.
DECLARED_UNITS_V2 = DECLARED_UNITS - {"piece", "hour", "megabit second"}


def child(pointer: str, key: str | int) -> str:
    """JSON Pointer of ``key`` below ``pointer`` (RFC 6901 escaping)."""
    token = str(key).replace("~", "~0").replace("/", "~1")
    return f"{pointer}/{token}"


_T = TypeVar("_T")


def parse_field(
    obj: Mapping[str, Any], key: str, pointer: str, parse: Callable[[Any, str], _T]
) -> _T:
    """``parse`` of ``obj.get(key)`` (None when absent), errors named at ``pointer/key``."""
    return parse(obj.get(key), child(pointer, key))


def parse_optional_field(
    obj: Mapping[str, Any], key: str, pointer: str, parse: Callable[[Any, str], _T]
) -> _T | None:
    """None when ``obj[key]`` is absent or null, else ``parse`` of it named at ``pointer/key``."""
    value = obj.get(key)
    return None if value is None else parse(value, child(pointer, key))


# ---------------------------------------------------------------- parsing (JSON → Python)


def parse_object(value: Any, pointer: str) -> JsonObject:
    """A JSON object (dict with string keys), deep-copied."""
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise FootprintError(pointer, "must be an object")
    return copy.deepcopy(dict(value))


def as_object(value: Any, pointer: str) -> JsonObject:
    """A JSON object (dict with string keys), not copied: for parsers that work on a
    private copy already."""
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise FootprintError(pointer, "must be an object")
    return value


def parse_array(value: Any, pointer: str) -> list[Any]:
    """A JSON array."""
    if not isinstance(value, list | tuple):
        raise FootprintError(pointer, "must be an array")
    return list(value)


def parse_str(value: Any, pointer: str) -> str:
    """A JSON string."""
    if not isinstance(value, str):
        raise FootprintError(pointer, "must be a string")
    return value


def parse_bool(value: Any, pointer: str) -> bool:
    """A JSON boolean."""
    if not isinstance(value, bool):
        raise FootprintError(pointer, "must be a boolean")
    return value


def parse_int(value: Any, pointer: str) -> int:
    """A JSON integer (booleans refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FootprintError(pointer, "must be an integer")
    return value


def parse_decimal(value: Any, pointer: str, *, numbers: bool = False) -> Decimal:
    """A decimal string (``"-12.5"``, ``"+3"``, no exponent) as :class:`Decimal`.

    With ``numbers=True`` (the PACT v2.3 fields that its schema types as JSON numbers) the
    value must be a JSON number instead: an int, a float or a finite :class:`Decimal`; a
    float is read through its shortest ``repr``, so ``12.9`` becomes ``Decimal("12.9")``.
    """
    if numbers:
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        if isinstance(value, float):
            text = repr(value)
            if not _DECIMAL_RE.match(text):
                raise FootprintError(pointer, f"must be a finite plain decimal, got {text}")
            return Decimal(text)
        if isinstance(value, Decimal) and value.is_finite():
            return value
        raise FootprintError(pointer, "must be a JSON number")
    if isinstance(value, str):
        if not _DECIMAL_RE.match(value):
            raise FootprintError(pointer, f"must be a decimal string, got {value!r}")
        return Decimal(value)
    raise FootprintError(pointer, "must be a decimal string")


def parse_datetime(value: Any, pointer: str) -> datetime:
    """An RFC 3339 date-time with ``Z`` or an offset, as an aware UTC datetime."""
    text = parse_str(value, pointer)
    if not _RFC3339_RE.match(text):
        raise FootprintError(pointer, f"must be an RFC 3339 date-time with offset, got {text!r}")
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as exc:
        raise FootprintError(pointer, f"invalid date-time {text!r}: {exc}") from exc
    return parsed.astimezone(UTC)


def parse_date(value: Any, pointer: str) -> date:
    """An ISO 8601 calendar date ``YYYY-MM-DD``."""
    text = parse_str(value, pointer)
    try:
        if len(text) != 10:
            raise ValueError("expected YYYY-MM-DD")
        return date.fromisoformat(text)
    except ValueError as exc:
        raise FootprintError(pointer, f"must be a date YYYY-MM-DD, got {text!r}") from exc


def parse_str_tuple(value: Any, pointer: str) -> tuple[str, ...]:
    """A JSON array of strings."""
    items = parse_array(value, pointer)
    return tuple(parse_str(item, child(pointer, i)) for i, item in enumerate(items))


def parse_object_tuple(value: Any, pointer: str) -> tuple[JsonObject, ...]:
    """A JSON array of objects, deep-copied."""
    items = parse_array(value, pointer)
    return tuple(parse_object(item, child(pointer, i)) for i, item in enumerate(items))


# ---------------------------------------------------------------- checking (Python values)


def check_decimal(
    value: Any,
    pointer: str,
    *,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    positive: bool = False,
) -> Decimal:
    """``value`` is a finite :class:`Decimal` within the bounds (inclusive)."""
    if isinstance(value, bool) or not isinstance(value, Decimal) or not value.is_finite():
        raise FootprintError(pointer, "must be a finite decimal.Decimal")
    if positive and value <= 0:
        raise FootprintError(pointer, f"must be a positive decimal string, got {value}")
    if minimum is not None and value < minimum:
        raise FootprintError(pointer, f"must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise FootprintError(pointer, f"must be at most {maximum}, got {value}")
    return value


def check_str(value: Any, pointer: str, *, nonempty: bool = False) -> str:
    """``value`` is a string (non-empty if asked)."""
    if not isinstance(value, str):
        raise FootprintError(pointer, "must be a string")
    if nonempty and not value.strip():
        raise FootprintError(pointer, "must be a non-empty string")
    return value


def check_aware(value: Any, pointer: str) -> datetime:
    """``value`` is a timezone-aware datetime (naive datetimes are refused)."""
    if not isinstance(value, datetime):
        raise FootprintError(pointer, "must be a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise FootprintError(pointer, "must be timezone-aware (naive datetime refused)")
    return value


def _check_match(value: Any, pointer: str, pattern: re.Pattern[str], what: str) -> str:
    text = check_str(value, pointer)
    if not pattern.match(text):
        raise FootprintError(pointer, f"must be {what}, got {text!r}")
    return text


def check_uuid(value: Any, pointer: str) -> str:
    """``value`` is a UUID in its 8-4-4-4-12 hexadecimal string form."""
    text = _check_match(value, pointer, _UUID_RE, "a UUID string")
    uuid.UUID(text)
    return text


def check_urn(value: Any, pointer: str) -> str:
    """``value`` is a URN (``urn:<nid>:<nss>``)."""
    return _check_match(value, pointer, _URN_RE, "a URN (urn:<nid>:<nss>)")


def check_tuple(
    value: Any,
    pointer: str,
    item: Callable[[Any, str], object],
    *,
    nonempty: bool = False,
) -> None:
    """``value`` is a tuple whose items pass ``item``; non-empty if asked."""
    if not isinstance(value, tuple):
        raise FootprintError(pointer, "must be a tuple")
    if nonempty and not value:
        raise FootprintError(pointer, "must contain at least one entry")
    for i, element in enumerate(value):
        item(element, child(pointer, i))


def check_unique(items: tuple[Any, ...], pointer: str, key: Callable[[Any], Any] = repr) -> None:
    """No two items of ``items`` are equal under ``key`` (JSON Schema ``uniqueItems``);
    the error names the second occurrence."""
    seen: dict[Any, int] = {}
    for i, item in enumerate(items):
        k = key(item)
        if k in seen:
            raise FootprintError(child(pointer, i), f"duplicate of entry {seen[k]}")
        seen[k] = i


def urn_key(urn: str) -> str:
    """The RFC 8141 lexical-equivalence key of a URN: ``urn:`` and the NID compared
    case-insensitively, percent-encoding case-normalised, the NSS otherwise exact."""
    _, nid, nss = urn.split(":", 2)
    nss = re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), nss)
    return f"urn:{nid.lower()}:{nss}"


def check_uri(value: Any, pointer: str) -> str:
    """An absolute URI (RFC 3986 ``scheme:hier-part``), as JSON Schema ``format: uri``."""
    return _check_match(value, pointer, _URI_RE, "an absolute URI")


def check_semver(value: Any, pointer: str) -> str:
    """A Semantic Versioning 2.0.0 version ``major.minor.patch``."""
    return _check_match(value, pointer, _SEMVER_RE, "a version major.minor.patch")


def check_enum(value: Any, pointer: str, allowed: tuple[str, ...]) -> str:
    """One of ``allowed``."""
    text = check_str(value, pointer)
    if text not in allowed:
        raise FootprintError(pointer, f"must be one of {', '.join(allowed)}; got {text!r}")
    return text


def check_object(value: Any, pointer: str) -> None:
    """``value`` is a dict with string keys."""
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise FootprintError(pointer, "must be an object")


def check_country(value: Any, pointer: str) -> str:
    """ISO 3166-1 alpha-2 country code."""
    return _check_match(value, pointer, _COUNTRY_RE, "an ISO 3166-1 alpha-2 code")


def check_subdivision(value: Any, pointer: str) -> str:
    """ISO 3166-2 subdivision code."""
    return _check_match(value, pointer, _SUBDIVISION_RE, "an ISO 3166-2 subdivision code")


def check_region(value: Any, pointer: str) -> str:
    """A UN M49 region or subregion name accepted by PACT."""
    text = check_str(value, pointer)
    if text not in REGIONS:
        raise FootprintError(pointer, f"must be a UN M49 region or subregion, got {text!r}")
    return text


def check_declared_unit(value: Any, pointer: str, units: frozenset[str] = DECLARED_UNITS) -> str:
    """One of the PACT declared units (``units``: v3.0's by default)."""
    text = check_str(value, pointer)
    if text not in units:
        allowed = ", ".join(sorted(units))
        raise FootprintError(pointer, f"must be one of {allowed}; got {text!r}")
    return text


# ---------------------------------------------------------------- formatting (Python → JSON)


def format_datetime(value: datetime) -> str:
    """RFC 3339 in UTC with ``Z``; fractional seconds only when present."""
    utc = value.astimezone(UTC)
    if utc.microsecond:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def format_decimal(value: Decimal) -> str:
    """Plain decimal string without exponent (``1E+2`` is written ``100``)."""
    text = format(value, "f")
    if text in ("-0", "-0.0") or (text.startswith("-") and value == 0):
        text = text[1:]
    return text


def decimal_number(value: Decimal) -> int | float:
    """A JSON number for the PACT v2.3 fields that the v2.3 schema types as numbers.

    Integral values become ``int``; others ``float`` (their shortest ``repr`` equals the
    decimal text for values with up to 15 significant digits, so re-import is exact).
    """
    if value == value.to_integral_value():
        return int(value)
    return float(value)
