"""The footprint model: PACT v3 ProductFootprint plus the Tanji China extension.

Hand-written frozen dataclasses, validated on construction (``__post_init__``); JSON
conversion lives in :mod:`sdk.footprint._pact`. Decimal quantities are
:class:`decimal.Decimal`, times are aware UTC datetimes. JSON fields that the model does
not know are kept in ``extra`` and written back unchanged.

The model holds footprints read from PACT v3.0 and v2.3 alike, so construction checks
the rules every version shares (the loosest of the two where they differ); the stricter
rules of one version are checked when a document of that version is read or written
(:mod:`sdk.footprint._pact`), and the specification texts' cross-field rules by
:func:`sdk.footprint.pact_rule_errors`.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from typing import Any, TypeVar

from sdk._ids import OrgId
from sdk.errors import FootprintError, InvalidOrgId
from sdk.footprint import _values as v
from sdk.footprint._fields import Field, check_fields

#: ``dataSchema`` of the Tanji extension in the footprint documents Tanji commits to
#: (claims, envelopes): a URI that names the extension without a host.
TANJI_EXTENSION_SCHEMA = "urn:tanji:extension:cn-pcf:1"
#: Version of the Tanji extension's data model (its JSON Schema file).
TANJI_EXTENSION_VERSION = "1.0.0"
#: Path under an organisation's gateway base URL where the extension's JSON Schema is
#: served; served PACT documents name ``<base URL><path>`` as ``dataSchema``.
TANJI_EXTENSION_SCHEMA_PATH = f"/schemas/tanji/cn-pcf/{TANJI_EXTENSION_VERSION}/data-model.json"
#: ``specVersion`` of every extension entry Tanji writes: the version of PACT's *Data
#: Model Extensions* specification the entry follows (as in the v3 OpenAPI example).
EXTENSION_SPEC_VERSION = "2.0.0"
#: GB/T 24067-2024 system boundaries: full footprint, or partial (cradle-to-gate).
BOUNDARIES = ("full", "partial")

_T = TypeVar("_T")


def tanji_extension_schema() -> dict[str, Any]:
    """The Tanji extension's JSON Schema (draft 2020-12), shipped as
    ``sdk/footprint/schemas/tanji-extension-<version>.json``; the gateway serves it at
    :data:`TANJI_EXTENSION_SCHEMA_PATH`."""
    text = (
        resources.files("sdk.footprint")
        .joinpath(f"schemas/tanji-extension-{TANJI_EXTENSION_VERSION}.json")
        .read_text("utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


def tanji_extension_schema_url(base_url: str) -> str:
    """``dataSchema`` for documents served by the gateway at ``base_url`` (its public
    base URL, ``https://…``, without a trailing slash)."""
    return base_url.rstrip("/") + TANJI_EXTENSION_SCHEMA_PATH


def is_tanji_extension_schema(data_schema: object) -> bool:
    """Whether an extension's ``dataSchema`` names the Tanji extension: the URN, or an
    http(s) URL ending in :data:`TANJI_EXTENSION_SCHEMA_PATH` (any gateway's)."""
    if not isinstance(data_schema, str):
        return False
    if data_schema == TANJI_EXTENSION_SCHEMA:
        return True
    return data_schema.startswith(("https://", "http://")) and data_schema.endswith(
        TANJI_EXTENSION_SCHEMA_PATH
    )


@dataclass(frozen=True)
class Dqi:
    """Data quality indicators (PACT ``dqi``).

    v3.0 carries the technological, temporal and geographical DQRs (1–5); v2.3 adds
    completeness, reliability and ``coveragePercent`` and rates 1–3. All six are kept;
    v3.0 documents carry the v2.3-only three as additional properties (the v3 schema
    allows them; Tanji's roll-up computes all five DQRs).
    """

    technological: Decimal
    temporal: Decimal
    geographical: Decimal
    completeness: Decimal | None = None
    reliability: Decimal | None = None
    coverage_percent: Decimal | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    FIELDS = (
        Field("coverage_percent", "coveragePercent", "coveragePercent", "pct", (2,), True),
        Field("technological", "technologicalDQR", "technologicalDQR", "dqr5", (2, 3), True,
              v2_kind="dqr3"),
        Field("temporal", "temporalDQR", "temporalDQR", "dqr5", (2, 3), True, v2_kind="dqr3"),
        Field("geographical", "geographicalDQR", "geographicalDQR", "dqr5", (2, 3), True,
              v2_kind="dqr3"),
        Field("completeness", "completenessDQR", "completenessDQR", "dqr5", (2,), True,
              v2_kind="dqr3"),
        Field("reliability", "reliabilityDQR", "reliabilityDQR", "dqr5", (2,), True,
              v2_kind="dqr3"),
    )  # fmt: skip

    def __post_init__(self) -> None:
        check_fields(self, self.FIELDS, "/pcf/dqi")
        v.check_object(self.extra, "/pcf/dqi")


@dataclass(frozen=True)
class Pcf:
    """The ``pcf`` object: the carbon footprint per ``declared_unit_amount`` of
    ``declared_unit`` (kg CO2e), with its accounting metadata.

    Fields named after v3.0; the v2.3-only ones (``characterization_factors``,
    ``cross_sectoral_standards_used``, ``biogenic_accounting_methodology``,
    ``uncertainty_assessment_description``, ``assurance``) are kept for v2.3 round trips
    and derived on v2.3 export where the v3 data allow (docs/pact.md).
    """

    declared_unit: str
    declared_unit_amount: Decimal
    reference_period_start: datetime
    reference_period_end: datetime
    pcf_excluding_biogenic_uptake: Decimal
    fossil_ghg_emissions: Decimal
    fossil_carbon_content: Decimal
    ipcc_characterization_factors: tuple[str, ...]
    exempted_emissions_percent: Decimal
    cross_sectoral_standards: tuple[str, ...] | None = None
    pcf_including_biogenic_uptake: Decimal | None = None
    product_mass_per_declared_unit: Decimal | None = None
    geography_country_subdivision: str | None = None
    geography_country: str | None = None
    geography_region_or_subregion: str | None = None
    boundary_processes_description: str | None = None
    biogenic_carbon_content: Decimal | None = None
    recycled_carbon_content: Decimal | None = None
    land_use_change_ghg_emissions: Decimal | None = None
    land_carbon_leakage: Decimal | None = None
    land_management_fossil_ghg_emissions: Decimal | None = None
    land_management_biogenic_co2_emissions: Decimal | None = None
    land_management_biogenic_co2_removals: Decimal | None = None
    biogenic_co2_uptake: Decimal | None = None
    biogenic_non_co2_emissions: Decimal | None = None
    land_area_occupation: Decimal | None = None
    aircraft_ghg_emissions: Decimal | None = None
    packaging_emissions_included: bool | None = None
    packaging_ghg_emissions: Decimal | None = None
    packaging_biogenic_carbon_content: Decimal | None = None
    outbound_logistics_ghg_emissions: Decimal | None = None
    ccs_technological_co2_capture_included: bool | None = None
    ccs_technological_co2_capture: Decimal | None = None
    technological_co2_capture_origin: str | None = None
    technological_co2_removals: Decimal | None = None
    ccu_carbon_content: Decimal | None = None
    ccu_calculation_approach: str | None = None
    ccu_credit_certification: str | None = None
    characterization_factors: str | None = None
    cross_sectoral_standards_used: tuple[str, ...] | None = None
    product_or_sector_specific_rules: tuple[dict[str, Any], ...] | None = None
    biogenic_accounting_methodology: str | None = None
    exempted_emissions_description: str | None = None
    allocation_rules_description: str | None = None
    uncertainty_assessment_description: str | None = None
    secondary_emission_factor_sources: tuple[dict[str, Any], ...] | None = None
    primary_data_share: Decimal | None = None
    dqi: Dqi | None = None
    verification: dict[str, Any] | None = None
    assurance: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    # (attribute, v3.0 key, v2.3 key, model kind, required in, v2 number, v3 kind, v2 kind)
    FIELDS = (
        Field("declared_unit", "declaredUnitOfMeasurement", "declaredUnit", "unit", (2, 3),
              v2_kind="unit2"),
        Field("declared_unit_amount", "declaredUnitAmount", "unitaryProductAmount", "dec+",
              (2, 3)),
        Field("product_mass_per_declared_unit", "productMassPerDeclaredUnit",
              "productMassPerDeclaredUnit", "dec0+", (3,)),
        Field("reference_period_start", "referencePeriodStart", "referencePeriodStart",
              "datetime", (2, 3), v2_kind="utc"),
        Field("reference_period_end", "referencePeriodEnd", "referencePeriodEnd", "datetime",
              (2, 3), v2_kind="utc"),
        Field("geography_country_subdivision", "geographyCountrySubdivision",
              "geographyCountrySubdivision", "subdivision"),
        Field("geography_country", "geographyCountry", "geographyCountry", "country"),
        Field("geography_region_or_subregion", "geographyRegionOrSubregion",
              "geographyRegionOrSubregion", "region"),
        Field("boundary_processes_description", "boundaryProcessesDescription",
              "boundaryProcessesDescription", "text", (2,)),
        Field("pcf_excluding_biogenic_uptake", "pcfExcludingBiogenicUptake",
              "pCfExcludingBiogenic", "dec", (2, 3), v2_kind="dec0+"),
        Field("pcf_including_biogenic_uptake", "pcfIncludingBiogenicUptake",
              "pCfIncludingBiogenic", "dec", (3,)),
        Field("fossil_ghg_emissions", "fossilGhgEmissions", "fossilGhgEmissions", "dec0+",
              (2, 3)),
        Field("fossil_carbon_content", "fossilCarbonContent", "fossilCarbonContent", "dec0+",
              (2, 3)),
        Field("biogenic_carbon_content", "biogenicCarbonContent", "biogenicCarbonContent",
              "dec0+", (2,)),
        Field("recycled_carbon_content", "recycledCarbonContent", None, "dec0+"),
        Field("land_use_change_ghg_emissions", "landUseChangeGhgEmissions", "dLucGhgEmissions",
              "dec0+"),
        Field("land_carbon_leakage", "landCarbonLeakage", "iLucGhgEmissions", "dec0+"),
        Field("land_management_fossil_ghg_emissions", "landManagementFossilGhgEmissions", None,
              "dec0+"),
        # v2.3 landManagementGhgEmissions is "emissions and removals" (any sign); v3.0's
        # biogenic CO2 emissions are >= 0.
        Field("land_management_biogenic_co2_emissions", "landManagementBiogenicCO2Emissions",
              "landManagementGhgEmissions", "dec", v3_kind="dec0+"),
        Field("land_management_biogenic_co2_removals", "landManagementBiogenicCO2Removals", None,
              "dec0-"),
        Field("biogenic_co2_uptake", "biogenicCO2Uptake", "biogenicCarbonWithdrawal", "dec0-"),
        Field("biogenic_non_co2_emissions", "biogenicNonCO2Emissions",
              "otherBiogenicGhgEmissions", "dec0+"),
        Field("land_area_occupation", "landAreaOccupation", None, "dec0+"),
        Field("aircraft_ghg_emissions", "aircraftGhgEmissions", "aircraftGhgEmissions", "dec0+"),
        Field("packaging_emissions_included", "packagingEmissionsIncluded",
              "packagingEmissionsIncluded", "bool", (2,)),
        Field("packaging_ghg_emissions", "packagingGhgEmissions", "packagingGhgEmissions",
              "dec0+"),
        Field("packaging_biogenic_carbon_content", "packagingBiogenicCarbonContent", None,
              "dec0+"),
        Field("outbound_logistics_ghg_emissions", "outboundLogisticsGhgEmissions", None, "dec0+"),
        Field("ccs_technological_co2_capture_included", "ccsTechnologicalCO2CaptureIncluded",
              None, "bool"),
        Field("ccs_technological_co2_capture", "ccsTechnologicalCO2Capture", None, "dec0-"),
        Field("technological_co2_capture_origin", "technologicalCO2CaptureOrigin", None, "text"),
        Field("technological_co2_removals", "technologicalCO2Removals", None, "dec0-"),
        Field("ccu_carbon_content", "ccuCarbonContent", None, "dec0+"),
        Field("ccu_calculation_approach", "ccuCalculationApproach", None, "ccu"),
        Field("ccu_credit_certification", "ccuCreditCertification", None, "uri"),
        Field("ipcc_characterization_factors", "ipccCharacterizationFactors",
              "ipccCharacterizationFactorsSources", "ars", (2, 3)),
        Field("characterization_factors", None, "characterizationFactors", "ar56", (2,)),
        Field("cross_sectoral_standards", "crossSectoralStandards", "crossSectoralStandards",
              "codes", (3,), v2_kind="codes2"),
        Field("cross_sectoral_standards_used", None, "crossSectoralStandardsUsed", "names2",
              (2,)),
        Field("product_or_sector_specific_rules", "productOrSectorSpecificRules",
              "productOrSectorSpecificRules", "rules"),
        Field("biogenic_accounting_methodology", None, "biogenicAccountingMethodology",
              "biomethod2"),
        Field("exempted_emissions_percent", "exemptedEmissionsPercent", "exemptedEmissionsPercent",
              "pct", (2, 3), v2_number=True, v2_kind="pct5"),
        Field("exempted_emissions_description", "exemptedEmissionsDescription",
              "exemptedEmissionsDescription", "text", (2,)),
        Field("allocation_rules_description", "allocationRulesDescription",
              "allocationRulesDescription", "text"),
        Field("uncertainty_assessment_description", None, "uncertaintyAssessmentDescription",
              "text"),
        Field("secondary_emission_factor_sources", "secondaryEmissionFactorSources",
              "secondaryEmissionFactorSources", "sources"),
        Field("primary_data_share", "primaryDataShare", "primaryDataShare", "pct", v2_number=True),
        Field("verification", "verification", None, "verification"),
        Field("assurance", None, "assurance", "assurance"),
    )  # fmt: skip

    def __post_init__(self) -> None:
        check_fields(self, self.FIELDS, "/pcf")
        if self.dqi is not None and not isinstance(self.dqi, Dqi):
            raise FootprintError("/pcf/dqi", "must be a Dqi")
        v.check_object(self.extra, "/pcf")
        if self.reference_period_end <= self.reference_period_start:
            raise FootprintError(
                "/pcf/referencePeriodEnd", "must be later than referencePeriodStart"
            )
        geographies = [
            g
            for g in (
                self.geography_country_subdivision,
                self.geography_country,
                self.geography_region_or_subregion,
            )
            if g is not None
        ]
        if len(geographies) > 1:
            raise FootprintError(
                "/pcf/geographyCountry",
                "at most one of geographyCountrySubdivision, geographyCountry and "
                "geographyRegionOrSubregion may be set",
            )


@dataclass(frozen=True)
class GridFactorRef:
    """The grid emission factor an electricity line used, with its source."""

    factor_id: str
    value: Decimal
    unit: str
    source: str
    year: int | None = None
    geography: str | None = None

    def __post_init__(self) -> None:
        v.check_str(self.factor_id, "/factorId", nonempty=True)
        v.check_decimal(self.value, "/value", minimum=Decimal(0))
        v.check_str(self.unit, "/unit", nonempty=True)
        v.check_str(self.source, "/source", nonempty=True)
        if self.year is not None and (
            isinstance(self.year, bool) or not isinstance(self.year, int)
        ):
            raise FootprintError("/year", "must be an integer")
        if self.geography is not None:
            v.check_str(self.geography, "/geography", nonempty=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (value as a decimal string)."""
        out: dict[str, Any] = {
            "factorId": self.factor_id,
            "value": v.format_decimal(self.value),
            "unit": self.unit,
            "source": self.source,
        }
        if self.year is not None:
            out["year"] = self.year
        if self.geography is not None:
            out["geography"] = self.geography
        return out

    @classmethod
    def from_dict(cls, doc: Any, pointer: str = "") -> GridFactorRef:
        """Parse the JSON form; raises FootprintError naming the field."""
        obj = v.parse_object(doc, pointer)
        kwargs: dict[str, Any] = {
            "factor_id": v.parse_field(obj, "factorId", pointer, v.parse_str),
            "value": v.parse_field(obj, "value", pointer, v.parse_decimal),
            "unit": v.parse_field(obj, "unit", pointer, v.parse_str),
            "source": v.parse_field(obj, "source", pointer, v.parse_str),
            "year": v.parse_optional_field(obj, "year", pointer, v.parse_int),
            "geography": v.parse_optional_field(obj, "geography", pointer, v.parse_str),
        }
        return _construct(cls, kwargs, pointer)


@dataclass(frozen=True)
class MeteringRecord:
    """Metrology traceability (计量溯源性) of one activity line: the measuring instrument
    and the calibration/verification certificate that ties it to national standards."""

    line_id: str
    instrument_id: str
    certificate_id: str
    calibration_body: str | None = None
    valid_until: date | None = None

    def __post_init__(self) -> None:
        v.check_str(self.line_id, "/lineId", nonempty=True)
        v.check_str(self.instrument_id, "/instrumentId", nonempty=True)
        v.check_str(self.certificate_id, "/certificateId", nonempty=True)
        if self.calibration_body is not None:
            v.check_str(self.calibration_body, "/calibrationBody", nonempty=True)
        if self.valid_until is not None and (
            not isinstance(self.valid_until, date) or isinstance(self.valid_until, datetime)
        ):
            raise FootprintError("/validUntil", "must be a datetime.date")

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        out: dict[str, Any] = {
            "lineId": self.line_id,
            "instrumentId": self.instrument_id,
            "certificateId": self.certificate_id,
        }
        if self.calibration_body is not None:
            out["calibrationBody"] = self.calibration_body
        if self.valid_until is not None:
            out["validUntil"] = self.valid_until.isoformat()
        return out

    @classmethod
    def from_dict(cls, doc: Any, pointer: str = "") -> MeteringRecord:
        """Parse the JSON form; raises FootprintError naming the field."""
        obj = v.parse_object(doc, pointer)
        kwargs: dict[str, Any] = {
            "line_id": v.parse_field(obj, "lineId", pointer, v.parse_str),
            "instrument_id": v.parse_field(obj, "instrumentId", pointer, v.parse_str),
            "certificate_id": v.parse_field(obj, "certificateId", pointer, v.parse_str),
            "calibration_body": v.parse_optional_field(
                obj, "calibrationBody", pointer, v.parse_str
            ),
            "valid_until": v.parse_optional_field(obj, "validUntil", pointer, v.parse_date),
        }
        return _construct(cls, kwargs, pointer)


@dataclass(frozen=True)
class LabelGrade:
    """A grade against a category benchmark; ``illustrative`` when the benchmark is not an
    official scale (none exists yet in China)."""

    grade: str
    benchmark_id: str
    illustrative: bool

    def __post_init__(self) -> None:
        v.check_str(self.grade, "/grade", nonempty=True)
        v.check_str(self.benchmark_id, "/benchmarkId", nonempty=True)
        if not isinstance(self.illustrative, bool):
            raise FootprintError("/illustrative", "must be a boolean")

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "grade": self.grade,
            "benchmarkId": self.benchmark_id,
            "illustrative": self.illustrative,
        }

    @classmethod
    def from_dict(cls, doc: Any, pointer: str = "") -> LabelGrade:
        """Parse the JSON form; raises FootprintError naming the field."""
        obj = v.parse_object(doc, pointer)
        kwargs: dict[str, Any] = {
            "grade": v.parse_field(obj, "grade", pointer, v.parse_str),
            "benchmark_id": v.parse_field(obj, "benchmarkId", pointer, v.parse_str),
            "illustrative": v.parse_field(obj, "illustrative", pointer, v.parse_bool),
        }
        return _construct(cls, kwargs, pointer)


@dataclass(frozen=True)
class TanjiExtension:
    """The Tanji China extension: a PACT ``extensions`` entry whose ``dataSchema`` names
    the Tanji extension (:func:`is_tanji_extension_schema`).

    ``boundary`` is the GB/T 24067-2024 system boundary: ``"full"`` (cradle-to-grave) or
    ``"partial"`` (cradle-to-gate). ``factor_set``/``factor_set_digest`` name the factor
    set the calculation used. ``uscc`` is the data owner's unified social credit code
    (统一社会信用代码), validated with its check character; PACT ``companyIds`` carry the
    PACT URN forms instead (docs/pact.md). Pointers in construction errors are relative
    to the extension entry (``/data/...``).
    """

    boundary: str
    standard: str = "GB/T 24067-2024"
    product_category_rule: str | None = None
    grid_factors: tuple[GridFactorRef, ...] = ()
    metering: tuple[MeteringRecord, ...] = ()
    grade: LabelGrade | None = None
    factor_set: str | None = None
    factor_set_digest: str | None = None
    uscc: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    metered_activity_share: Decimal | None = None

    def __post_init__(self) -> None:
        if self.boundary not in BOUNDARIES:
            raise FootprintError(
                "/data/boundary", f"must be 'full' or 'partial', got {self.boundary!r}"
            )
        v.check_str(self.standard, "/data/standard", nonempty=True)
        if self.product_category_rule is not None:
            v.check_str(self.product_category_rule, "/data/productCategoryRule", nonempty=True)
        _check_items(self.grid_factors, GridFactorRef, "/data/gridFactors")
        _check_items(self.metering, MeteringRecord, "/data/meteringTraceability")
        seen: set[str] = set()
        for i, record in enumerate(self.metering):
            if record.line_id in seen:
                raise FootprintError(
                    f"/data/meteringTraceability/{i}/lineId",
                    f"duplicate line id {record.line_id!r}",
                )
            seen.add(record.line_id)
        if self.grade is not None and not isinstance(self.grade, LabelGrade):
            raise FootprintError("/data/grade", "must be a LabelGrade")
        if (self.factor_set is None) != (self.factor_set_digest is None):
            raise FootprintError("/data/factorSet", "needs both id and digest, or neither")
        if self.factor_set is not None:
            v.check_str(self.factor_set, "/data/factorSet/id", nonempty=True)
            v.check_str(self.factor_set_digest, "/data/factorSet/digest", nonempty=True)
        if self.uscc is not None:
            try:
                parsed = OrgId.parse(self.uscc)
            except InvalidOrgId as exc:
                raise FootprintError("/data/uscc", str(exc)) from None
            if parsed.kind != "uscc" or parsed.value != self.uscc:
                raise FootprintError(
                    "/data/uscc", "must be an 18-character unified social credit code"
                )
        v.check_object(self.extra, "/data")
        if self.metered_activity_share is not None:
            v.check_decimal(
                self.metered_activity_share,
                "/data/meteredActivityShare",
                minimum=Decimal(0),
                maximum=Decimal(100),
            )

    def to_extension(self, data_schema: str = TANJI_EXTENSION_SCHEMA) -> dict[str, Any]:
        """The PACT ``extensions`` entry; ``data_schema`` is the URN (committed documents)
        or a gateway's URL (:func:`tanji_extension_schema_url`)."""
        data: dict[str, Any] = copy.deepcopy(self.extra)
        data["boundary"] = self.boundary
        data["standard"] = self.standard
        if self.product_category_rule is not None:
            data["productCategoryRule"] = self.product_category_rule
        data["gridFactors"] = [g.to_dict() for g in self.grid_factors]
        data["meteringTraceability"] = [m.to_dict() for m in self.metering]
        if self.grade is not None:
            data["grade"] = self.grade.to_dict()
        if self.factor_set is not None:
            data["factorSet"] = {"id": self.factor_set, "digest": self.factor_set_digest}
        if self.uscc is not None:
            data["uscc"] = self.uscc
        if self.metered_activity_share is not None:
            data["meteredActivityShare"] = v.format_decimal(self.metered_activity_share)
        return {"specVersion": EXTENSION_SPEC_VERSION, "dataSchema": data_schema, "data": data}

    @classmethod
    def from_extension(cls, entry: Any, pointer: str = "") -> TanjiExtension:
        """Parse a PACT ``extensions`` entry naming the Tanji extension."""
        obj = v.parse_object(entry, pointer)
        extra_entry = set(obj) - {"specVersion", "dataSchema", "documentation", "data"}
        if extra_entry:
            raise FootprintError(
                v.child(pointer, sorted(extra_entry)[0]), "unknown key in the Tanji extension entry"
            )
        _check_extension_entry(obj, pointer)
        if not is_tanji_extension_schema(obj["dataSchema"]):
            raise FootprintError(
                v.child(pointer, "dataSchema"), "does not name the Tanji extension"
            )
        dp = v.child(pointer, "data")
        data = v.as_object(obj.get("data"), dp)  # obj is parse_object's private copy
        known = {
            "boundary",
            "standard",
            "productCategoryRule",
            "gridFactors",
            "meteringTraceability",
            "grade",
            "factorSet",
            "uscc",
            "meteredActivityShare",
        }
        factor_set = factor_set_digest = None
        if data.get("factorSet") is not None:
            fs = v.parse_object(data["factorSet"], v.child(dp, "factorSet"))
            factor_set = v.parse_str(fs.get("id"), v.child(dp, "factorSet") + "/id")
            factor_set_digest = v.parse_str(fs.get("digest"), v.child(dp, "factorSet") + "/digest")
        grids = v.parse_array(data.get("gridFactors", []), v.child(dp, "gridFactors"))
        meters = v.parse_array(
            data.get("meteringTraceability", []), v.child(dp, "meteringTraceability")
        )
        rule = data.get("productCategoryRule")
        grade = data.get("grade")
        kwargs: dict[str, Any] = {
            "boundary": v.parse_str(data.get("boundary"), v.child(dp, "boundary")),
            "standard": v.parse_str(data.get("standard"), v.child(dp, "standard")),
            "product_category_rule": None
            if rule is None
            else v.parse_str(rule, v.child(dp, "productCategoryRule")),
            "grid_factors": tuple(
                GridFactorRef.from_dict(g, f"{dp}/gridFactors/{i}") for i, g in enumerate(grids)
            ),
            "metering": tuple(
                MeteringRecord.from_dict(m, f"{dp}/meteringTraceability/{i}")
                for i, m in enumerate(meters)
            ),
            "grade": None if grade is None else LabelGrade.from_dict(grade, v.child(dp, "grade")),
            "factor_set": factor_set,
            "factor_set_digest": factor_set_digest,
            "uscc": v.parse_optional_field(data, "uscc", dp, v.parse_str),
            "metered_activity_share": v.parse_optional_field(
                data, "meteredActivityShare", dp, v.parse_decimal
            ),
            "extra": {k: val for k, val in data.items() if k not in known},
        }
        return _construct(cls, kwargs, pointer)


def _check_extension_entry(entry: Any, pointer: str) -> None:
    """A PACT DataModelExtension: ``specVersion`` (semantic version of the extensions
    specification), ``dataSchema`` (absolute URI), optional ``documentation`` (absolute
    URI) and a ``data`` object — the same in v2.3 and v3.0."""
    v.check_object(entry, pointer)
    for key in ("specVersion", "dataSchema", "data"):
        if entry.get(key) is None:
            raise FootprintError(v.child(pointer, key), "is required")
    v.check_semver(entry["specVersion"], v.child(pointer, "specVersion"))
    v.check_uri(entry["dataSchema"], v.child(pointer, "dataSchema"))
    if entry.get("documentation") is not None:
        v.check_uri(entry["documentation"], v.child(pointer, "documentation"))
    v.check_object(entry["data"], v.child(pointer, "data"))


@dataclass(frozen=True)
class ProductFootprint:
    """A PACT v3 ProductFootprint with the optional Tanji extension.

    Validated on construction: every violation raises :class:`~sdk.errors.FootprintError`
    whose ``pointer`` is the JSON Pointer (v3 names) of the offending field. ``extensions``
    holds the PACT extensions other than Tanji's, unchanged; ``extra`` holds unknown
    top-level keys. ``version``, ``updated`` and ``status_comment`` are v2.3's (obsolete
    in v3.0). Convert with :func:`sdk.footprint.from_pact` / :func:`sdk.footprint.to_pact`;
    version with :meth:`superseded_by`.
    """

    id: str
    created: datetime
    status: str
    company_name: str
    company_ids: tuple[str, ...]
    product_description: str
    product_ids: tuple[str, ...]
    product_name_company: str
    pcf: Pcf
    preceding_pf_ids: tuple[str, ...] | None = None
    version: int | None = None
    updated: datetime | None = None
    status_comment: str | None = None
    validity_period_start: datetime | None = None
    validity_period_end: datetime | None = None
    product_classifications: tuple[str, ...] | None = None
    comment: str | None = None
    extensions: tuple[dict[str, Any], ...] | None = None
    tanji: TanjiExtension | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    FIELDS = (
        Field("id", "id", "id", "uuid", (2, 3), v2_kind="uuid4"),
        Field("preceding_pf_ids", "precedingPfIds", "precedingPfIds", "uuids",
              v2_kind="uuids4"),
        Field("version", None, "version", "int31", (2,)),
        Field("created", "created", "created", "datetime", (2, 3), v2_kind="utc"),
        Field("updated", None, "updated", "datetime", v2_kind="utc"),
        Field("status", "status", "status", "status", (2, 3)),
        Field("status_comment", None, "statusComment", "text"),
        Field("validity_period_start", "validityPeriodStart", "validityPeriodStart", "datetime",
              v2_kind="utc"),
        Field("validity_period_end", "validityPeriodEnd", "validityPeriodEnd", "datetime",
              v2_kind="utc"),
        Field("company_name", "companyName", "companyName", "name", (2, 3)),
        Field("company_ids", "companyIds", "companyIds", "urns", (2, 3)),
        Field("product_description", "productDescription", "productDescription", "text", (2, 3)),
        Field("product_ids", "productIds", "productIds", "urns", (2, 3)),
        Field("product_classifications", "productClassifications", "productClassifications",
              "urns"),
        Field("product_name_company", "productNameCompany", "productNameCompany", "name",
              (2, 3)),
        Field("comment", "comment", "comment", "text", (2,)),
    )  # fmt: skip

    def __post_init__(self) -> None:
        check_fields(self, self.FIELDS, "")
        if not isinstance(self.pcf, Pcf):
            raise FootprintError("/pcf", "must be a Pcf")
        if self.extensions is not None:
            v.check_tuple(self.extensions, "/extensions", v.check_object)
            for i, ext in enumerate(self.extensions):
                _check_extension_entry(ext, f"/extensions/{i}")
                if is_tanji_extension_schema(ext.get("dataSchema")):
                    raise FootprintError(
                        f"/extensions/{i}", "the Tanji extension belongs in the tanji field"
                    )
        if self.tanji is not None and not isinstance(self.tanji, TanjiExtension):
            raise FootprintError("/extensions", "tanji must be a TanjiExtension")
        v.check_object(self.extra, "")
        if (
            self.validity_period_start is not None
            and self.validity_period_end is not None
            and self.validity_period_end <= self.validity_period_start
        ):
            raise FootprintError("/validityPeriodEnd", "must be later than validityPeriodStart")
        if self.updated is not None and self.updated < self.created:
            raise FootprintError("/updated", "must not be earlier than created")

    def with_grade(self, grade: LabelGrade) -> ProductFootprint:
        """A copy carrying ``grade`` in its Tanji extension.

        Raises FootprintError (pointer ``/extensions``) if the footprint has no Tanji
        extension (a grade needs the GB/T 24067 boundary it was graded under).
        """
        if self.tanji is None:
            raise FootprintError("/extensions", "a grade needs the Tanji extension")
        return dataclasses.replace(self, tanji=dataclasses.replace(self.tanji, grade=grade))

    def deprecated(self) -> ProductFootprint:
        """This footprint with ``status`` ``Deprecated``: the one change PACT v3.0 allows
        after creation (a Deprecated footprint is returned unchanged)."""
        if self.status == "Deprecated":
            return self
        return dataclasses.replace(self, status="Deprecated")

    def superseded_by(
        self, successor: ProductFootprint
    ) -> tuple[ProductFootprint, ProductFootprint]:
        """PACT v3.0 versioning: ``(self deprecated, successor listing self)``.

        The successor's ``precedingPfIds`` become this footprint's id followed by this
        footprint's own preceding ids (most recent first, without duplicates, keeping any
        the successor already listed after them). The gateway announces the pair with a
        ``Published`` event. Raises FootprintError when the successor reuses this id
        (``/id``: a change needs a new id), is not Active (``/status``), or already counts
        itself among its predecessors.
        """
        if not isinstance(successor, ProductFootprint):
            raise FootprintError("", "the successor must be a ProductFootprint")
        if successor.id.lower() == self.id.lower():
            raise FootprintError("/id", "a new version needs a new id (PACT v3.0 lifecycle)")
        if successor.status != "Active":
            raise FootprintError("/status", "a new version must be Active")
        chain: list[str] = []
        for pid in (self.id, *(self.preceding_pf_ids or ()), *(successor.preceding_pf_ids or ())):
            if pid.lower() not in {c.lower() for c in chain}:
                chain.append(pid)
        if successor.id.lower() in {c.lower() for c in chain}:
            raise FootprintError(
                "/precedingPfIds", f"{successor.id} would precede itself (a versioning cycle)"
            )
        return self.deprecated(), dataclasses.replace(successor, preceding_pf_ids=tuple(chain))

    def to_dict(self) -> dict[str, Any]:
        """PACT v3.0 JSON (same as ``to_pact(self, "3.0")``)."""
        from sdk.footprint._pact import to_pact

        return to_pact(self, "3.0")

    @classmethod
    def from_dict(cls, doc: Any) -> ProductFootprint:
        """Parse PACT v3.0 or v2.3 JSON (same as :func:`sdk.footprint.from_pact`)."""
        from sdk.footprint._pact import from_pact

        return from_pact(doc)


def _check_items(items: Any, cls: type, pointer: str) -> None:
    if not isinstance(items, tuple):
        raise FootprintError(pointer, "must be a tuple")
    for i, item in enumerate(items):
        if not isinstance(item, cls):
            raise FootprintError(f"{pointer}/{i}", f"must be a {cls.__name__}")


def _construct(cls: type[_T], kwargs: dict[str, Any], pointer: str) -> _T:
    """``cls(**kwargs)`` with construction errors' relative pointers put under ``pointer``."""
    try:
        return cls(**kwargs)
    except FootprintError as exc:
        raise type(exc)(pointer + exc.pointer, exc.reason) from None
