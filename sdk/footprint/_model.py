"""The footprint model: PACT v3 ProductFootprint plus the Tanji China extension.

Hand-written frozen dataclasses, validated on construction (``__post_init__``); JSON
conversion lives in :mod:`sdk.footprint._pact`. Decimal quantities are
:class:`decimal.Decimal`, times are aware UTC datetimes. JSON fields that the model does
not know are kept in ``extra`` and written back unchanged.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sdk.errors import FootprintError
from sdk.footprint import _values as v
from sdk.footprint._fields import Field, check_fields

#: ``dataSchema`` of the Tanji extension entry in a PACT ``extensions`` array.
TANJI_EXTENSION_SCHEMA = "urn:tanji:extension:cn-pcf:1"
#: The extension's own ``specVersion``.
TANJI_EXTENSION_VERSION = "1.0.0"
#: GB/T 24067-2024 system boundaries: full footprint, or partial (cradle-to-gate).
BOUNDARIES = ("full", "partial")

_T = TypeVar("_T")


@dataclass(frozen=True)
class Dqi:
    """Data quality indicators (PACT ``dqi``).

    v3.0 carries the technological, temporal and geographical DQRs; v2.3 adds
    completeness, reliability and ``coveragePercent``. All are kept when present. DQRs
    are accepted in [1, 5] because published PACT v3 examples use values above 3; Tanji's
    own calculation produces values on PACT's 1–3 scale.
    """

    technological: Decimal | None = None
    temporal: Decimal | None = None
    geographical: Decimal | None = None
    completeness: Decimal | None = None
    reliability: Decimal | None = None
    coverage_percent: Decimal | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    FIELDS = (
        Field("coverage_percent", "coveragePercent", "coveragePercent", "pct", v2_number=True),
        Field("technological", "technologicalDQR", "technologicalDQR", "dqr", v2_number=True),
        Field("temporal", "temporalDQR", "temporalDQR", "dqr", v2_number=True),
        Field("geographical", "geographicalDQR", "geographicalDQR", "dqr", v2_number=True),
        Field("completeness", "completenessDQR", "completenessDQR", "dqr", v2_number=True),
        Field("reliability", "reliabilityDQR", "reliabilityDQR", "dqr", v2_number=True),
    )

    def __post_init__(self) -> None:
        check_fields(self, self.FIELDS, "/pcf/dqi")
        v.check_object(self.extra, "/pcf/dqi")


@dataclass(frozen=True)
class Pcf:
    """The ``pcf`` object: the carbon footprint per ``declared_unit_amount`` of
    ``declared_unit`` (kg CO2e), with its accounting metadata."""

    declared_unit: str
    declared_unit_amount: Decimal
    reference_period_start: datetime
    reference_period_end: datetime
    pcf_excluding_biogenic_uptake: Decimal
    pcf_including_biogenic_uptake: Decimal | None = None
    product_mass_per_declared_unit: Decimal | None = None
    geography_country_subdivision: str | None = None
    geography_country: str | None = None
    geography_region_or_subregion: str | None = None
    boundary_processes_description: str | None = None
    fossil_ghg_emissions: Decimal | None = None
    fossil_carbon_content: Decimal | None = None
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
    outbound_logistics_ghg_emissions: Decimal | None = None
    ipcc_characterization_factors: tuple[str, ...] | None = None
    cross_sectoral_standards: tuple[str, ...] | None = None
    product_or_sector_specific_rules: tuple[dict[str, Any], ...] | None = None
    biogenic_accounting_methodology: str | None = None
    exempted_emissions_percent: Decimal | None = None
    exempted_emissions_description: str | None = None
    allocation_rules_description: str | None = None
    uncertainty_assessment_description: str | None = None
    secondary_emission_factor_sources: tuple[dict[str, Any], ...] | None = None
    primary_data_share: Decimal | None = None
    dqi: Dqi | None = None
    verification: dict[str, Any] | None = None
    assurance: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    # v2.3 names of ipccCharacterizationFactors, crossSectoralStandards and dqi are
    # handled in _pact (they need value mapping, not just renaming).
    FIELDS = (
        Field("declared_unit", "declaredUnitOfMeasurement", "declaredUnit", "unit", True),
        Field("declared_unit_amount", "declaredUnitAmount", "unitaryProductAmount", "dec+", True),
        Field("product_mass_per_declared_unit", "productMassPerDeclaredUnit", None, "dec0+"),
        Field("reference_period_start", "referencePeriodStart", "referencePeriodStart", "datetime",
              True),
        Field("reference_period_end", "referencePeriodEnd", "referencePeriodEnd", "datetime", True),
        Field("geography_country_subdivision", "geographyCountrySubdivision",
              "geographyCountrySubdivision", "subdivision"),
        Field("geography_country", "geographyCountry", "geographyCountry", "country"),
        Field("geography_region_or_subregion", "geographyRegionOrSubregion",
              "geographyRegionOrSubregion", "region"),
        Field("boundary_processes_description", "boundaryProcessesDescription",
              "boundaryProcessesDescription", "text"),
        Field("pcf_excluding_biogenic_uptake", "pcfExcludingBiogenicUptake",
              "pCfExcludingBiogenic", "dec0+", True),
        Field("pcf_including_biogenic_uptake", "pcfIncludingBiogenicUptake",
              "pCfIncludingBiogenic", "dec"),
        Field("fossil_ghg_emissions", "fossilGhgEmissions", "fossilGhgEmissions", "dec0+"),
        Field("fossil_carbon_content", "fossilCarbonContent", "fossilCarbonContent", "dec0+"),
        Field("biogenic_carbon_content", "biogenicCarbonContent", "biogenicCarbonContent", "dec0+"),
        Field("recycled_carbon_content", "recycledCarbonContent", None, "dec0+"),
        Field("land_use_change_ghg_emissions", "landUseChangeGhgEmissions", "dLucGhgEmissions",
              "dec0+"),
        Field("land_carbon_leakage", "landCarbonLeakage", "iLucGhgEmissions", "dec0+"),
        Field("land_management_fossil_ghg_emissions", "landManagementFossilGhgEmissions", None,
              "dec0+"),
        Field("land_management_biogenic_co2_emissions", "landManagementBiogenicCO2Emissions",
              "landManagementGhgEmissions", "dec"),
        Field("land_management_biogenic_co2_removals", "landManagementBiogenicCO2Removals", None,
              "dec0-"),
        Field("biogenic_co2_uptake", "biogenicCO2Uptake", "biogenicCarbonWithdrawal", "dec0-"),
        Field("biogenic_non_co2_emissions", "biogenicNonCO2Emissions",
              "otherBiogenicGhgEmissions", "dec0+"),
        Field("land_area_occupation", "landAreaOccupation", None, "dec0+"),
        Field("aircraft_ghg_emissions", "aircraftGhgEmissions", "aircraftGhgEmissions", "dec0+"),
        Field("packaging_emissions_included", "packagingEmissionsIncluded",
              "packagingEmissionsIncluded", "bool"),
        Field("packaging_ghg_emissions", "packagingGhgEmissions", "packagingGhgEmissions", "dec0+"),
        Field("outbound_logistics_ghg_emissions", "outboundLogisticsGhgEmissions", None, "dec0+"),
        Field("ipcc_characterization_factors", "ipccCharacterizationFactors", None, "strs"),
        Field("cross_sectoral_standards", "crossSectoralStandards", None, "strs"),
        Field("product_or_sector_specific_rules", "productOrSectorSpecificRules",
              "productOrSectorSpecificRules", "objects"),
        Field("biogenic_accounting_methodology", "biogenicAccountingMethodology",
              "biogenicAccountingMethodology", "text"),
        Field("exempted_emissions_percent", "exemptedEmissionsPercent", "exemptedEmissionsPercent",
              "exempt", v2_number=True),
        Field("exempted_emissions_description", "exemptedEmissionsDescription",
              "exemptedEmissionsDescription", "text"),
        Field("allocation_rules_description", "allocationRulesDescription",
              "allocationRulesDescription", "text"),
        Field("uncertainty_assessment_description", "uncertaintyAssessmentDescription",
              "uncertaintyAssessmentDescription", "text"),
        Field("secondary_emission_factor_sources", "secondaryEmissionFactorSources",
              "secondaryEmissionFactorSources", "objects"),
        Field("primary_data_share", "primaryDataShare", "primaryDataShare", "pct", v2_number=True),
        Field("verification", "verification", None, "object"),
        Field("assurance", None, "assurance", "object"),
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
    """The Tanji China extension (a PACT ``extensions`` entry with ``dataSchema``
    :data:`TANJI_EXTENSION_SCHEMA`).

    ``boundary`` is the GB/T 24067-2024 system boundary: ``"full"`` (cradle-to-grave) or
    ``"partial"`` (cradle-to-gate). ``factor_set``/``factor_set_digest`` name the factor
    set the calculation used. Pointers in construction errors are relative to the
    extension entry (``/data/...``).
    """

    boundary: str
    standard: str = "GB/T 24067-2024"
    product_category_rule: str | None = None
    grid_factors: tuple[GridFactorRef, ...] = ()
    metering: tuple[MeteringRecord, ...] = ()
    grade: LabelGrade | None = None
    factor_set: str | None = None
    factor_set_digest: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

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
        v.check_object(self.extra, "/data")

    def to_extension(self) -> dict[str, Any]:
        """The PACT ``extensions`` entry."""
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
        return {
            "specVersion": TANJI_EXTENSION_VERSION,
            "dataSchema": TANJI_EXTENSION_SCHEMA,
            "data": data,
        }

    @classmethod
    def from_extension(cls, entry: Any, pointer: str = "") -> TanjiExtension:
        """Parse a PACT ``extensions`` entry carrying the Tanji schema."""
        obj = v.parse_object(entry, pointer)
        extra_entry = set(obj) - {"specVersion", "dataSchema", "data"}
        if extra_entry:
            raise FootprintError(
                v.child(pointer, sorted(extra_entry)[0]), "unknown key in the Tanji extension entry"
            )
        spec = v.parse_field(obj, "specVersion", pointer, v.parse_str)
        if spec.split(".")[0] != TANJI_EXTENSION_VERSION.split(".")[0]:
            raise FootprintError(
                v.child(pointer, "specVersion"), f"unsupported Tanji extension version {spec!r}"
            )
        dp = v.child(pointer, "data")
        data = v.parse_object(obj.get("data"), dp)
        known = {
            "boundary",
            "standard",
            "productCategoryRule",
            "gridFactors",
            "meteringTraceability",
            "grade",
            "factorSet",
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
            "extra": {k: val for k, val in data.items() if k not in known},
        }
        return _construct(cls, kwargs, pointer)


@dataclass(frozen=True)
class ProductFootprint:
    """A PACT v3 ProductFootprint with the optional Tanji extension.

    Validated on construction: every violation raises :class:`~sdk.errors.FootprintError`
    whose ``pointer`` is the JSON Pointer (v3 names) of the offending field. ``extensions``
    holds the PACT extensions other than Tanji's, unchanged; ``extra`` holds unknown
    top-level keys. ``version`` is v2.3's integer version (absent in v3).
    Convert with :func:`sdk.footprint.from_pact` / :func:`sdk.footprint.to_pact`.
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
        Field("id", "id", "id", "uuid", True),
        Field("preceding_pf_ids", "precedingPfIds", "precedingPfIds", "uuids"),
        Field("version", None, "version", "count"),
        Field("created", "created", "created", "datetime", True),
        Field("updated", "updated", "updated", "datetime"),
        Field("status", "status", "status", "status", True),
        Field("status_comment", "statusComment", "statusComment", "text"),
        Field("validity_period_start", "validityPeriodStart", "validityPeriodStart", "datetime"),
        Field("validity_period_end", "validityPeriodEnd", "validityPeriodEnd", "datetime"),
        Field("company_name", "companyName", "companyName", "name", True),
        Field("company_ids", "companyIds", "companyIds", "urns", True),
        Field("product_description", "productDescription", "productDescription", "text", True),
        Field("product_ids", "productIds", "productIds", "urns", True),
        Field("product_classifications", "productClassifications", None, "urns0"),
        Field("product_name_company", "productNameCompany", "productNameCompany", "name", True),
        Field("comment", "comment", "comment", "text"),
    )

    def __post_init__(self) -> None:
        check_fields(self, self.FIELDS, "")
        if not isinstance(self.pcf, Pcf):
            raise FootprintError("/pcf", "must be a Pcf")
        if self.extensions is not None:
            v.check_tuple(self.extensions, "/extensions", v.check_object)
            for i, ext in enumerate(self.extensions):
                if ext.get("dataSchema") == TANJI_EXTENSION_SCHEMA:
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
