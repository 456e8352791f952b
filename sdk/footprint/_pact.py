"""Import and export of PACT v3.0 and v2.3 ProductFootprint JSON.

The model is v3-shaped. v2.x documents are mapped field by field (docs/footprint.md has
the table, docs/pact.md the rules). Reading checks what the version's OpenAPI schema
says (required fields, types, patterns, enums, ranges, unique items) plus the ranges its
specification text gives (DQRs, percentages); with ``strict`` (the default) also the
text's cross-field rules (:func:`pact_rule_errors`: validity period, versioning,
packaging, v2.3's fields mandatory from reference year 2025). Writing builds the
document and reads it back under the same rules, so an export is either valid for its
version or refused with the pointer and the reason. Pointers use the names of the
document being read or written.
"""

from __future__ import annotations

import copy
import functools
import re
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from sdk.errors import FootprintError
from sdk.footprint import _values as v
from sdk.footprint._fields import (
    V2_STANDARD_CODES,
    Field,
    dump_fields,
    known_keys,
    parse_fields,
)
from sdk.footprint._model import (
    Dqi,
    Pcf,
    ProductFootprint,
    TanjiExtension,
    is_tanji_extension_schema,
    tanji_extension_schema_url,
)

PactVersion = Literal["3.0", "2.3"]
_T = TypeVar("_T")

#: specVersion written on export.
SPEC_VERSIONS: dict[str, str] = {"3.0": "3.0.0", "2.3": "2.3.0"}
_SPEC_VERSION_RE = r"^\d+\.\d+\.\d+(-\d{8})?$"

#: UN CPC classification URNs: PACT's recommended form first, then the form the v3 text's
#: classification table shows.
CPC_PREFIXES = ("urn:pact:productclassification:un-cpc:", "urn:cpc:")

#: v2.x ``crossSectoralStandardsUsed`` names ↔ v3 ``crossSectoralStandards`` codes.
_STANDARDS_V2_TO_V3 = {
    "GHG Protocol Product standard": "GHGP-Product",
    "ISO Standard 14067": "ISO14067",
    "ISO Standard 14044": "ISO14040-44",
}
_STANDARDS_V3_TO_V2 = {code: name for name, code in _STANDARDS_V2_TO_V3.items()}
#: v3 standards → v2.3 ``biogenicAccountingMethodology`` (v3.0 removed the property as
#: "superseded by crossSectoralStandards"); the first the footprint lists is used.
_BIOGENIC_METHOD = {"ISO14067": "ISO", "GHGP-Product": "GHGP", "PEF": "PEF"}

#: v2.3 properties the text makes mandatory for reference periods that include the
#: beginning of 2025 or later (marked O*), with their model attributes.
_V2_FROM_2025 = (
    ("pCfIncludingBiogenic", "pcf_including_biogenic_uptake"),
    ("dLucGhgEmissions", "land_use_change_ghg_emissions"),
    ("landManagementGhgEmissions", "land_management_biogenic_co2_emissions"),
    ("otherBiogenicGhgEmissions", "biogenic_non_co2_emissions"),
    ("biogenicCarbonWithdrawal", "biogenic_co2_uptake"),
    ("biogenicAccountingMethodology", "biogenic_accounting_methodology"),
    ("primaryDataShare", "primary_data_share"),
    ("dqi", "dqi"),
)
_YEAR_2025 = datetime(2025, 1, 1, tzinfo=UTC)

# Keys handled outside the Field tables.
_TOP_SPECIAL = {2: frozenset({"specVersion", "pcf", "extensions", "productCategoryCpc"}),
                3: frozenset({"specVersion", "pcf", "extensions"})}  # fmt: skip
_PCF_SPECIAL = frozenset({"dqi"})
_NO_KEYS: frozenset[str] = frozenset()
# v2.3 crossSectoralStandards is written from the codes its enum has (see _pcf_to).
_V2_STANDARDS_KEY = frozenset({"crossSectoralStandards"})


def pact_major(doc: Any) -> int:
    """The PACT major version (2 or 3) of a footprint document, from ``specVersion``.

    Raises FootprintError (``/specVersion``) when it is missing, not ``major.minor.patch``
    (the schema's pattern) or not 2.x / 3.x.
    """
    obj = v.as_object(doc, "") if isinstance(doc, dict) else v.parse_object(doc, "")
    if obj.get("specVersion") is None:
        raise FootprintError("/specVersion", "is required")
    spec = v.parse_str(obj["specVersion"], "/specVersion")
    if not re.match(_SPEC_VERSION_RE, spec):
        raise FootprintError(
            "/specVersion", f"must be major.minor.patch (e.g. 3.0.0), got {spec!r}"
        )
    major = spec.split(".")[0]
    if major not in ("2", "3"):
        raise FootprintError("/specVersion", f"unsupported PACT version {spec!r} (2.x or 3.x)")
    return int(major)


def from_pact(doc: Any, *, strict: bool = True) -> ProductFootprint:
    """Parse a PACT ProductFootprint (v3.x or v2.x, detected from ``specVersion``).

    Guarantees: the document satisfies its version's schema; with ``strict`` also the
    specification text's rules (:func:`pact_rule_errors`). Unknown keys (top level,
    ``pcf``, ``dqi``) are kept in ``extra`` and written back by :func:`to_pact`; other
    extensions are kept verbatim. Raises :class:`~sdk.errors.FootprintError` whose
    ``pointer`` names the offending field with the document's own key names. ``strict=
    False`` is for documents from systems known to break the text's cross-field rules
    (several of PACT's own examples do, see docs/pact.md); the schema is always enforced.
    """
    major = pact_major(doc)
    obj = v.parse_object(doc, "")  # the one deep copy: parsing below works on it in place
    fp = _read(obj, major)
    if strict:
        if major == 2 and obj.get("extensions") == []:
            raise FootprintError("/extensions", "must be non-empty when defined (v2.3)")
        _raise_first(pact_rule_errors(fp, major))
    return fp


def to_pact(
    fp: ProductFootprint,
    version: PactVersion = "3.0",
    *,
    strict: bool = True,
    extension_base_url: str | None = None,
) -> dict[str, Any]:
    """Export ``fp`` as PACT ``version`` JSON ("3.0" or "2.3").

    Decimals are written as strings, except the v2.3 fields its schema types as JSON
    numbers (``primaryDataShare``, ``exemptedEmissionsPercent``, ``dqi`` values). The Tanji
    extension names :data:`~sdk.footprint.TANJI_EXTENSION_SCHEMA` as ``dataSchema``, or,
    with ``extension_base_url`` (a gateway's public base URL), the URL where that gateway
    serves the extension's JSON Schema.

    Guarantees: the result satisfies ``version``'s schema (and, with ``strict``, the
    text's rules), and ``from_pact(to_pact(fp, version)) == fp`` for footprints read from
    (or built for) that version. Raises FootprintError naming the pointer in the
    ``version`` document and the reason when it cannot: a field the version requires and
    the footprint lacks, a value the version cannot express (v2.3 has no ``piece`` unit,
    needs a UN CPC classification, a non-negative ``pCfExcludingBiogenic``, at most 5 %
    exempted emissions, DQRs within 1–3), …
    """
    if version not in SPEC_VERSIONS:
        raise FootprintError(
            "/specVersion", f"export version must be '3.0' or '2.3', got {version!r}"
        )
    major = 2 if version == "2.3" else 3
    out = _write(fp, major, extension_base_url)
    try:
        again = _read(out, major)
        if strict:
            _raise_first(pact_rule_errors(again, major))
    except FootprintError as exc:
        raise FootprintError(
            exc.pointer, f"cannot be written as PACT {version}: {exc.reason}"
        ) from None
    return out


def pact_rule_errors(fp: ProductFootprint, major: int = 3) -> tuple[FootprintError, ...]:
    """Every violation of the PACT specification text's cross-field rules by ``fp`` as a
    document of PACT major ``major`` (pointers use that version's names), in document
    order; empty when it complies.

    Rules (both versions unless marked): ``validityPeriodStart`` >= ``referencePeriodEnd``;
    ``validityPeriodEnd`` <= ``referencePeriodEnd`` + 3 years; v2.3: start and end both
    defined or both undefined; a footprint is not its own predecessor
    (``precedingPfIds``); ``packagingGhgEmissions`` undefined when
    ``packagingEmissionsIncluded`` is false; v2.3: the O* properties are defined for
    reference periods that include 2025 or later, and ``primaryDataShare`` or ``dqi``
    before that.
    """
    errors: list[FootprintError] = []
    pcf = fp.pcf
    ref_end = pcf.reference_period_end
    if major == 2 and (fp.validity_period_start is None) != (fp.validity_period_end is None):
        missing = "validityPeriodStart" if fp.validity_period_start is None else "validityPeriodEnd"
        errors.append(
            FootprintError(f"/{missing}", "a v2.3 validity period defines both start and end")
        )
    if fp.validity_period_start is not None and fp.validity_period_start < ref_end:
        errors.append(
            FootprintError(
                "/validityPeriodStart",
                f"must not be earlier than pcf.referencePeriodEnd ({v.format_datetime(ref_end)})",
            )
        )
    if fp.validity_period_end is not None and fp.validity_period_end > _plus_years(ref_end, 3):
        errors.append(
            FootprintError(
                "/validityPeriodEnd",
                "must not be later than pcf.referencePeriodEnd + 3 years "
                f"({v.format_datetime(_plus_years(ref_end, 3))})",
            )
        )
    for i, pid in enumerate(fp.preceding_pf_ids or ()):
        if pid.lower() == fp.id.lower():
            errors.append(
                FootprintError(f"/precedingPfIds/{i}", "a footprint cannot precede itself")
            )
    if pcf.packaging_emissions_included is False and pcf.packaging_ghg_emissions is not None:
        errors.append(
            FootprintError(
                "/pcf/packagingGhgEmissions",
                "must be undefined when packagingEmissionsIncluded is false",
            )
        )
    if major == 2:
        if ref_end > _YEAR_2025:
            for key, attr in _V2_FROM_2025:
                if getattr(pcf, attr) is None:
                    errors.append(
                        FootprintError(
                            f"/pcf/{key}",
                            "is required in v2.3 for reference periods that include 2025 or later",
                        )
                    )
        elif pcf.primary_data_share is None and pcf.dqi is None:
            errors.append(
                FootprintError(
                    "/pcf/primaryDataShare",
                    "v2.3 needs primaryDataShare or dqi for reference periods before 2025",
                )
            )
    return tuple(errors)


# ---------------------------------------------------------------- reading


def _read(obj: dict[str, Any], major: int) -> ProductFootprint:
    fields = _without(ProductFootprint.FIELDS, _TOP_SPECIAL[major], major)
    kwargs, extra = parse_fields(obj, fields, "", major)
    for key in _TOP_SPECIAL[major]:
        extra.pop(key, None)
    if major == 2:
        if obj.get("productCategoryCpc") is None:
            raise FootprintError("/productCategoryCpc", "is required")
        cpc = v.parse_str(obj["productCategoryCpc"], "/productCategoryCpc")
        if not cpc:
            raise FootprintError("/productCategoryCpc", "must be a non-empty string")
        classes = list(kwargs.get("product_classifications", ()))
        keys = {v.urn_key(c) for c in classes}
        cpc_urn = v.check_urn(CPC_PREFIXES[0] + cpc, "/productCategoryCpc")
        if v.urn_key(cpc_urn) not in keys:
            classes.append(cpc_urn)
        kwargs["product_classifications"] = tuple(classes)
    if obj.get("pcf") is None:
        raise FootprintError("/pcf", "is required")
    kwargs["pcf"] = _pcf_from(v.as_object(obj["pcf"], "/pcf"), major)
    if obj.get("extensions") is not None:
        others, tanji = _extensions_from(obj["extensions"])
        kwargs["extensions"] = others
        kwargs["tanji"] = tanji
    kwargs["extra"] = extra
    return _build(ProductFootprint, kwargs, ProductFootprint.FIELDS, "", major)


def _pcf_from(obj: dict[str, Any], major: int) -> Pcf:
    fields = _without(Pcf.FIELDS, _PCF_SPECIAL, major)
    kwargs, extra = parse_fields(obj, fields, "/pcf", major)
    extra.pop("dqi", None)
    if major == 2 and "cross_sectoral_standards" not in kwargs:
        kwargs["cross_sectoral_standards"] = tuple(
            _STANDARDS_V2_TO_V3[n] for n in kwargs["cross_sectoral_standards_used"]
        )
    if obj.get("dqi") is not None:
        dqi = v.as_object(obj["dqi"], "/pcf/dqi")
        dqi_kwargs, dqi_extra = parse_fields(dqi, Dqi.FIELDS, "/pcf/dqi", major)
        dqi_kwargs["extra"] = dqi_extra
        kwargs["dqi"] = _build(Dqi, dqi_kwargs, Dqi.FIELDS, "/pcf/dqi", major)
    kwargs["extra"] = extra
    return _build(Pcf, kwargs, Pcf.FIELDS, "/pcf", major)


def _extensions_from(
    value: Any,
) -> tuple[tuple[dict[str, Any], ...] | None, TanjiExtension | None]:
    """(other extensions or None when there are none, the Tanji extension or None)."""
    items = v.parse_array(value, "/extensions")
    others: list[dict[str, Any]] = []
    tanji: TanjiExtension | None = None
    for i, item in enumerate(items):
        pointer = f"/extensions/{i}"
        entry = v.as_object(item, pointer)
        if is_tanji_extension_schema(entry.get("dataSchema")):
            if tanji is not None:
                raise FootprintError(pointer, "the Tanji extension appears twice")
            tanji = TanjiExtension.from_extension(entry, pointer)
        else:
            others.append(entry)
    return (tuple(others) or None), tanji


# ---------------------------------------------------------------- writing


def _write(fp: ProductFootprint, major: int, extension_base_url: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    top = dump_fields(fp, ProductFootprint.FIELDS, major)
    out["id"] = top.pop("id")
    out["specVersion"] = SPEC_VERSIONS["2.3" if major == 2 else "3.0"]
    out.update(top)
    if major == 2:
        # version: Tanji footprints are v3-style (a change is a new id), so a footprint
        # built for v3 is its id's first and only version.
        out.setdefault("version", 1)
        out.setdefault("comment", "")
        out["productCategoryCpc"] = _cpc_code(fp)
    out.update(_deep(_foreign(fp.extra, ProductFootprint.FIELDS, _TOP_SPECIAL[major], major)))
    out["pcf"] = _pcf_to(fp.pcf, major)
    base = None if extension_base_url is None else tanji_extension_schema_url(extension_base_url)
    extensions = [_deep(e) for e in fp.extensions or ()]
    if fp.tanji is not None:
        extensions.append(fp.tanji.to_extension() if base is None else fp.tanji.to_extension(base))
    if extensions:
        out["extensions"] = extensions
    return out


def _pcf_to(pcf: Pcf, major: int) -> dict[str, Any]:
    fields = Pcf.FIELDS if major == 3 else _without(Pcf.FIELDS, _V2_STANDARDS_KEY, 2)
    out = dump_fields(pcf, fields, major)
    if major == 2:
        if pcf.declared_unit not in v.DECLARED_UNITS_V2:
            raise FootprintError(
                "/pcf/declaredUnit",
                f"cannot be written as PACT 2.3: v2.3 has no declared unit {pcf.declared_unit!r} "
                f"(it has {', '.join(sorted(v.DECLARED_UNITS_V2))})",
            )
        codes = pcf.cross_sectoral_standards or ()
        if pcf.characterization_factors is None:
            out["characterizationFactors"] = _earliest_ar(pcf.ipcc_characterization_factors)
        if pcf.cross_sectoral_standards_used is None:
            out["crossSectoralStandardsUsed"] = _standards_used(codes)
        v2_codes = [c for c in codes if c in V2_STANDARD_CODES]
        if v2_codes:
            out["crossSectoralStandards"] = v2_codes
        if pcf.biogenic_accounting_methodology is None:
            method = next((_BIOGENIC_METHOD[c] for c in codes if c in _BIOGENIC_METHOD), None)
            if method is not None:
                out["biogenicAccountingMethodology"] = method
        if pcf.exempted_emissions_description is None and pcf.exempted_emissions_percent == 0:
            out["exemptedEmissionsDescription"] = ""
    if pcf.dqi is not None:
        dqi = dump_fields(pcf.dqi, Dqi.FIELDS, major)
        dqi.update(_deep(_foreign(pcf.dqi.extra, Dqi.FIELDS, _NO_KEYS, major)))
        out["dqi"] = dqi
    out.update(_deep(_foreign(pcf.extra, Pcf.FIELDS, _PCF_SPECIAL, major)))
    return out


def _cpc_code(fp: ProductFootprint) -> str:
    for urn in fp.product_classifications or ():
        for prefix in CPC_PREFIXES:
            if urn.lower().startswith(prefix) and len(urn) > len(prefix):
                return urn[len(prefix) :]
    raise FootprintError(
        "/productCategoryCpc",
        "cannot be written as PACT 2.3: v2.3 requires a UN CPC code and the footprint has no "
        f"classification {CPC_PREFIXES[0]}<code> (or {CPC_PREFIXES[1]}<code>)",
    )


def _earliest_ar(factors: tuple[str, ...]) -> str:
    """v2.3 ``characterizationFactors``: the earliest report used, which must be AR5 or AR6."""
    earliest = min(factors, key=lambda name: int(name[2:]))
    if earliest not in ("AR5", "AR6"):
        raise FootprintError(
            "/pcf/characterizationFactors",
            f"cannot be written as PACT 2.3: it must be AR5 or AR6, and the earliest "
            f"assessment report used is {earliest}",
        )
    return earliest


def _standards_used(codes: tuple[str, ...]) -> list[str]:
    names = [_STANDARDS_V3_TO_V2[c] for c in codes if c in _STANDARDS_V3_TO_V2]
    if not names:
        raise FootprintError(
            "/pcf/crossSectoralStandardsUsed",
            "cannot be written as PACT 2.3: it needs GHGP-Product, ISO14067 or ISO14040-44 "
            f"among the cross-sectoral standards, the footprint has {list(codes)}",
        )
    return names


# ---------------------------------------------------------------- helpers


def _foreign(
    extra: dict[str, Any], fields: tuple[Field, ...], special: frozenset[str], major: int
) -> dict[str, Any]:
    """``extra`` without the keys ``major`` defines itself (a v3 document's unknown
    ``version`` is not written into a v2.3 document, whose ``version`` the model owns)."""
    if not extra:
        return extra
    known = known_keys(fields, major) | special
    return {k: val for k, val in extra.items() if k not in known}


@functools.cache
def _without(fields: tuple[Field, ...], keys: frozenset[str], major: int) -> tuple[Field, ...]:
    return tuple(f for f in fields if f.key(major) not in keys)


def _raise_first(errors: tuple[FootprintError, ...]) -> None:
    if errors:
        raise errors[0]


def _plus_years(when: datetime, years: int) -> datetime:
    try:
        return when.replace(year=when.year + years)
    except ValueError:  # 29 February → 28 February
        return when.replace(year=when.year + years, day=28)


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


def _deep(obj: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(obj)
