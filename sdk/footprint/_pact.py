"""Import and export of PACT v3.0 and v2.3 ProductFootprint JSON.

The model is v3-shaped. v2.x documents are mapped field by field (see
``docs/footprint.md`` for the table); keys the model does not know are kept and written
back in the same version. Pointers in errors use the names of the document being read.
"""

from __future__ import annotations

import copy
from typing import Any, Literal, TypeVar

from sdk.errors import FootprintError
from sdk.footprint import _values as v
from sdk.footprint._fields import KINDS, Field, dump_fields, parse_fields
from sdk.footprint._model import (
    TANJI_EXTENSION_SCHEMA,
    Dqi,
    Pcf,
    ProductFootprint,
    TanjiExtension,
)

PactVersion = Literal["3.0", "2.3"]
_T = TypeVar("_T")

#: specVersion written on export.
SPEC_VERSIONS: dict[str, str] = {"3.0": "3.0.0", "2.3": "2.3.0"}

_CPC_PREFIX = "urn:pact:productclassification:un-cpc:"

#: v2.x ``crossSectoralStandardsUsed`` names → v3 ``crossSectoralStandards`` codes.
_STANDARDS_V2_TO_V3 = {
    "GHG Protocol Product standard": "GHGP-Product",
    "ISO Standard 14067": "ISO14067",
    "ISO Standard 14044": "ISO14040-44",
}
_STANDARDS_V3_TO_V2 = {code: name for name, code in _STANDARDS_V2_TO_V3.items()}

# Keys handled specially per version (not in the Field tables).
_PCF_SPECIAL = {
    2: {"characterizationFactors", "ipccCharacterizationFactorsSources",
        "crossSectoralStandardsUsed", "dqi"},
    3: {"dqi"},
}  # fmt: skip
_TOP_SPECIAL = {2: {"specVersion", "pcf", "extensions", "productCategoryCpc"},
                3: {"specVersion", "pcf", "extensions"}}  # fmt: skip


def pact_major(doc: Any) -> int:
    """The PACT major version (2 or 3) of a footprint document, from ``specVersion``.

    Raises FootprintError (``/specVersion``) when it is missing or not 2.x / 3.x.
    """
    obj = v.parse_object(doc, "")
    spec = v.parse_str(obj.get("specVersion"), "/specVersion")
    major = spec.split(".")[0]
    if major not in ("2", "3"):
        raise FootprintError("/specVersion", f"unsupported PACT version {spec!r} (2.x or 3.x)")
    return int(major)


def from_pact(doc: Any) -> ProductFootprint:
    """Parse a PACT ProductFootprint (v3.x or v2.x, detected from ``specVersion``).

    Guarantees: the result is validated; unknown keys (top level, ``pcf``, ``dqi``) are
    kept in ``extra`` and written back by :func:`to_pact` for the same major version;
    other extensions are kept verbatim. Raises :class:`~sdk.errors.FootprintError` whose
    ``pointer`` names the offending field with the document's own key names.
    """
    major = pact_major(doc)
    obj = v.parse_object(doc, "")
    fields = _without(ProductFootprint.FIELDS, _TOP_SPECIAL[major], major)
    kwargs, extra = parse_fields(obj, fields, "", major)
    for key in _TOP_SPECIAL[major]:
        extra.pop(key, None)
    if major == 2 and obj.get("productCategoryCpc") is not None:
        cpc = v.parse_str(obj["productCategoryCpc"], "/productCategoryCpc")
        if not cpc.strip():
            raise FootprintError("/productCategoryCpc", "must be a non-empty string")
        kwargs["product_classifications"] = (_CPC_PREFIX + cpc,)
    if obj.get("pcf") is None:
        raise FootprintError("/pcf", "is required")
    kwargs["pcf"] = _pcf_from(v.parse_object(obj["pcf"], "/pcf"), major)
    if obj.get("extensions") is not None:
        others, tanji = _extensions_from(obj["extensions"])
        kwargs["extensions"] = others
        kwargs["tanji"] = tanji
    kwargs["extra"] = extra
    return _build(ProductFootprint, kwargs, ProductFootprint.FIELDS, "", major)


def to_pact(fp: ProductFootprint, version: PactVersion = "3.0") -> dict[str, Any]:
    """Export ``fp`` as PACT ``version`` JSON ("3.0" or "2.3").

    Decimals are written as strings, except the v2.3 fields whose schema types them as
    JSON numbers (``primaryDataShare``, ``exemptedEmissionsPercent``, ``dqi`` values).
    Guarantees ``from_pact(to_pact(fp, version)) == fp`` for footprints read from (or
    built for) that version. Model fields that ``version`` has no place for are left out
    (listed in docs/footprint.md). Raises FootprintError when v2.3 export lacks a
    mandatory v2.3 field (``productCategoryCpc`` needs a ``un-cpc`` classification).
    """
    if version not in SPEC_VERSIONS:
        raise FootprintError(
            "/specVersion", f"export version must be '3.0' or '2.3', got {version!r}"
        )
    major = 2 if version == "2.3" else 3
    out: dict[str, Any] = {}
    top = dump_fields(fp, ProductFootprint.FIELDS, major)
    out["id"] = top.pop("id")
    out["specVersion"] = SPEC_VERSIONS[version]
    out.update(top)
    if major == 2:
        cpcs = [c for c in fp.product_classifications or () if c.startswith(_CPC_PREFIX)]
        if not cpcs:
            raise FootprintError(
                "/productClassifications",
                f"v2.3 export needs a UN CPC classification ({_CPC_PREFIX}…)",
            )
        out["productCategoryCpc"] = cpcs[0][len(_CPC_PREFIX) :]
    out.update(_deep(fp.extra))
    out["pcf"] = _pcf_to(fp.pcf, major)
    extensions = [_deep(e) for e in fp.extensions or ()]
    if fp.tanji is not None:
        extensions.append(fp.tanji.to_extension())
    if extensions or fp.extensions is not None:
        out["extensions"] = extensions
    return out


# ---------------------------------------------------------------- pcf


def _pcf_from(obj: dict[str, Any], major: int) -> Pcf:
    fields = _without(Pcf.FIELDS, _PCF_SPECIAL[major], major)
    kwargs, extra = parse_fields(obj, fields, "/pcf", major)
    for key in _PCF_SPECIAL[major]:
        extra.pop(key, None)
    if major == 2:
        sources = obj.get("ipccCharacterizationFactorsSources")
        single = obj.get("characterizationFactors")
        if single is not None:
            single = v.parse_str(single, "/pcf/characterizationFactors")
        if sources is not None:
            kwargs["ipcc_characterization_factors"] = _strs(
                sources, "/pcf/ipccCharacterizationFactorsSources"
            )
        elif single is not None:
            kwargs["ipcc_characterization_factors"] = (single,)
        used = obj.get("crossSectoralStandardsUsed")
        if used is not None:
            names = _strs(used, "/pcf/crossSectoralStandardsUsed")
            kwargs["cross_sectoral_standards"] = tuple(_STANDARDS_V2_TO_V3.get(n, n) for n in names)
    if obj.get("dqi") is not None:
        dqi = v.parse_object(obj["dqi"], "/pcf/dqi")
        dqi_kwargs, dqi_extra = parse_fields(dqi, Dqi.FIELDS, "/pcf/dqi", major)
        dqi_kwargs["extra"] = dqi_extra
        kwargs["dqi"] = _build(Dqi, dqi_kwargs, Dqi.FIELDS, "/pcf/dqi", major)
    kwargs["extra"] = extra
    return _build(Pcf, kwargs, Pcf.FIELDS, "/pcf", major)


def _pcf_to(pcf: Pcf, major: int) -> dict[str, Any]:
    out = dump_fields(pcf, Pcf.FIELDS, major)
    if major == 2:
        factors = pcf.ipcc_characterization_factors
        if factors:
            out["characterizationFactors"] = max(factors, key=_ar_number)
            out["ipccCharacterizationFactorsSources"] = list(factors)
        if pcf.cross_sectoral_standards is not None:
            out["crossSectoralStandardsUsed"] = [
                _STANDARDS_V3_TO_V2.get(c, c) for c in pcf.cross_sectoral_standards
            ]
    if pcf.dqi is not None:
        dqi = dump_fields(pcf.dqi, Dqi.FIELDS, major)
        dqi.update(_deep(pcf.dqi.extra))
        out["dqi"] = dqi
    out.update(_deep(pcf.extra))
    return out


# ---------------------------------------------------------------- extensions


def _extensions_from(
    value: Any,
) -> tuple[tuple[dict[str, Any], ...] | None, TanjiExtension | None]:
    """(other extensions or None when there are none, the Tanji extension or None)."""
    items = v.parse_array(value, "/extensions")
    others: list[dict[str, Any]] = []
    tanji: TanjiExtension | None = None
    for i, item in enumerate(items):
        pointer = f"/extensions/{i}"
        entry = v.parse_object(item, pointer)
        if entry.get("dataSchema") == TANJI_EXTENSION_SCHEMA:
            if tanji is not None:
                raise FootprintError(pointer, "the Tanji extension appears twice")
            tanji = TanjiExtension.from_extension(entry, pointer)
        else:
            others.append(entry)
    return (tuple(others) or None), tanji


# ---------------------------------------------------------------- helpers


def _without(fields: tuple[Field, ...], keys: set[str], major: int) -> tuple[Field, ...]:
    return tuple(f for f in fields if f.key(major) not in keys)


def _strs(value: Any, pointer: str) -> tuple[str, ...]:
    items = v.parse_str_tuple(value, pointer)
    KINDS["strs"].check(items, pointer)
    return items


def _build(
    cls: type[_T], kwargs: dict[str, Any], fields: tuple[Field, ...], base: str, major: int
) -> _T:
    """Construct, translating construction-time (v3-named) pointers to ``major`` names."""
    try:
        return cls(**kwargs)
    except FootprintError as exc:
        if major == 3:
            raise
        pointer = exc.pointer
        for f in fields:
            old = v.child(base, f.pointer_key)
            new_key = f.key(2)
            if new_key is not None and (pointer == old or pointer.startswith(old + "/")):
                pointer = v.child(base, new_key) + pointer[len(old) :]
                break
        raise type(exc)(pointer, exc.reason) from None


def _ar_number(name: str) -> int:
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits) if digits else 0


def _deep(obj: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(obj)
