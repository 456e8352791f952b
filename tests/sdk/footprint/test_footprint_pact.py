"""PACT v3.0 / v2.3 import and export: every document written validates against the
official OpenAPI schema of its version (jsonschema, tests/vectors/pact); the importer
enforces the schema and the specification text's rules, naming the JSON Pointer."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from sdk.errors import FootprintError
from sdk.footprint import (
    TANJI_EXTENSION_SCHEMA,
    Dqi,
    GridFactorRef,
    LabelGrade,
    MeteringRecord,
    PactVersion,
    Pcf,
    ProductFootprint,
    TanjiExtension,
    from_pact,
    pact_major,
    pact_rule_errors,
    tanji_extension_schema_url,
    to_pact,
)
from tests.sdk.footprint.pact_schema import (
    EXAMPLES,
    example_footprints,
    schema_errors,
    tanji_data_errors,
)

EXAMPLE_FOOTPRINTS = example_footprints()
#: PACT's own examples that satisfy the schema but break the specification text's
#: cross-field rules (validity period, versioning): the pointer strict import names.
RULE_BREAKERS = {
    # validityPeriodStart 2024/2025 before referencePeriodEnd 2026-01-01
    "pact_example_v3_fulfilled_event.json#0": "/validityPeriodStart",
    "pact_example_v3_get_footprint_response.json#0": "/validityPeriodStart",
    "pact_example_v3_list_footprints_response.json#0": "/validityPeriodStart",
    # lists its own id first among its predecessors
    "pact_example_v3_productfootprint_2.json#0": "/precedingPfIds/0",
    # validityPeriodEnd 2027-12-31 after referencePeriodEnd 2024-09-30 + 3 years
    "pact_example_v3_productfootprint_3.json#0": "/validityPeriodEnd",
    "pact_example_v3_productfootprint_4.json#0": "/validityPeriodEnd",
}


def load(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((EXAMPLES / name).read_text("utf-8"))
    return doc


def major_of(doc: dict[str, Any]) -> int:
    return 2 if doc["specVersion"].startswith("2.") else 3


def test_examples_found() -> None:
    # 4 single v3 files + v2/v3 get + v2/v3 list + v2/v3 events; the two error files hold none.
    assert len(EXAMPLE_FOOTPRINTS) == 10
    holders = {name.split("#")[0] for name, _ in EXAMPLE_FOOTPRINTS}
    all_files = {p.name for p in EXAMPLES.glob("*.json")}
    assert all_files - holders == {
        "pact_example_v2_error_access_denied.json",
        "pact_example_v3_error_access_denied.json",
    }


@pytest.mark.parametrize(
    ("name", "doc"), EXAMPLE_FOOTPRINTS, ids=[n for n, _ in EXAMPLE_FOOTPRINTS]
)
def test_every_example_is_schema_valid(name: str, doc: dict[str, Any]) -> None:
    # The validator agrees with PACT's own examples (they are the schema's reference data).
    assert schema_errors(doc, major_of(doc)) == []


@pytest.mark.parametrize(
    ("name", "doc"), EXAMPLE_FOOTPRINTS, ids=[n for n, _ in EXAMPLE_FOOTPRINTS]
)
def test_example_round_trips_in_its_own_version(name: str, doc: dict[str, Any]) -> None:
    original = copy.deepcopy(doc)
    strict = name not in RULE_BREAKERS
    if not strict:
        with pytest.raises(FootprintError) as err:
            from_pact(doc)
        assert err.value.pointer == RULE_BREAKERS[name]
    fp = from_pact(doc, strict=strict)
    assert doc == original, "import must not modify its input"
    version: PactVersion = "2.3" if major_of(doc) == 2 else "3.0"
    exported = to_pact(fp, version, strict=strict)
    assert schema_errors(exported, major_of(doc)) == []
    again = from_pact(json.loads(json.dumps(exported)), strict=strict)
    assert again == fp
    assert to_pact(again, version, strict=strict) == exported
    # Every key of the original footprint is still there (unknown ones included).
    assert set(doc) <= set(exported)
    assert set(doc["pcf"]) <= set(exported["pcf"])


@pytest.mark.parametrize(
    ("name", "doc"), EXAMPLE_FOOTPRINTS, ids=[n for n, _ in EXAMPLE_FOOTPRINTS]
)
def test_cross_version_export_is_valid_or_refused(name: str, doc: dict[str, Any]) -> None:
    fp = from_pact(doc, strict=False)
    other = 3 if major_of(doc) == 2 else 2
    version: PactVersion = "3.0" if other == 3 else "2.3"
    refusal: FootprintError | None = None
    try:
        out = to_pact(fp, version, strict=False)
    except FootprintError as exc:
        refusal = exc
    if refusal is not None:
        assert f"cannot be written as PACT {version}" in str(refusal)
    else:
        assert schema_errors(out, other) == []


CROSS_REFUSALS = [
    ("pact_example_v2_get_footprint_response.json", "3.0", "/pcf/productMassPerDeclaredUnit",
     "is required"),
    ("pact_example_v3_productfootprint_1.json", "2.3", "/productCategoryCpc", "UN CPC"),
    ("pact_example_v3_productfootprint_3.json", "2.3", "/pcf/declaredUnit", "'piece'"),
    ("pact_example_v3_productfootprint_4.json", "2.3", "/pcf/crossSectoralStandardsUsed",
     "GHGP-Product"),
    ("pact_example_v3_get_footprint_response.json", "2.3", "/pcf/packagingEmissionsIncluded",
     "is required"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "version", "pointer", "fragment"), CROSS_REFUSALS)
def test_cross_version_refusals_name_the_reason(
    file: str, version: Any, pointer: str, fragment: str
) -> None:
    doc = load(file)
    fp = from_pact(doc.get("data", doc), strict=False)
    with pytest.raises(FootprintError) as err:
        to_pact(fp, version, strict=False)
    assert err.value.pointer == pointer
    assert fragment in err.value.reason


def test_unknown_fields_survive() -> None:
    doc = load("pact_example_v3_productfootprint_1.json")
    doc["x-vendor"] = {"nested": [1, "two"]}
    doc["pcf"]["futureField"] = "kept"
    doc["pcf"]["dqi"]["futureDqr"] = "2"
    fp = from_pact(doc)
    assert fp.extra == {"x-vendor": {"nested": [1, "two"]}}
    assert fp.pcf.extra["otherOperatorName"] == "TfS"  # misplaced in the example: kept
    out = to_pact(fp)
    assert out["x-vendor"] == {"nested": [1, "two"]}
    assert out["pcf"]["futureField"] == "kept"
    assert out["pcf"]["dqi"]["futureDqr"] == "2"
    assert out["pcf"]["otherOperatorName"] == "TfS"
    assert schema_errors(out, 3) == []


def test_example_values_are_decimals_and_aware_times() -> None:
    fp = from_pact(load("pact_example_v3_productfootprint_3.json"), strict=False)
    assert fp.pcf.pcf_excluding_biogenic_uptake == Decimal("77.0")
    assert to_pact(fp, strict=False)["pcf"]["pcfExcludingBiogenicUptake"] == "77.0"
    assert fp.pcf.declared_unit == "piece"
    assert fp.created == datetime(2025, 4, 30, tzinfo=UTC)
    assert to_pact(fp, strict=False)["created"] == "2025-04-30T00:00:00Z"
    assert fp.pcf.geography_country_subdivision == "DE-BW"
    assert fp.pcf.verification is not None
    assert fp.pcf.verification["providerName"] == "Auditor X"


def test_v2_numbers_are_read_exactly() -> None:
    fp = from_pact(load("pact_example_v2_get_footprint_response.json")["data"])
    assert fp.pcf.primary_data_share == Decimal("12.9")
    assert fp.pcf.dqi is not None
    assert fp.pcf.dqi.reliability == Decimal("2.1")
    assert fp.pcf.dqi.coverage_percent == Decimal(78)
    out = to_pact(fp, "2.3")
    assert out["specVersion"] == "2.3.0"
    assert out["pcf"]["primaryDataShare"] == 12.9
    assert out["pcf"]["exemptedEmissionsPercent"] == 0
    assert out["productCategoryCpc"] == "6398"
    assert out["pcf"]["characterizationFactors"] == "AR6"
    assert out["pcf"]["crossSectoralStandardsUsed"] == [
        "GHG Protocol Product standard",
        "ISO Standard 14067",
    ]


def test_v2_to_v3_needs_the_mass_and_keeps_shared_fields() -> None:
    from_v2 = from_pact(load("pact_example_v2_get_footprint_response.json")["data"])
    with pytest.raises(FootprintError) as err:
        to_pact(from_v2, "3.0")
    assert err.value.pointer == "/pcf/productMassPerDeclaredUnit"
    mass = Decimal("0.789")
    with_mass = dataclasses.replace(
        from_v2, pcf=dataclasses.replace(from_v2.pcf, product_mass_per_declared_unit=mass)
    )
    v3 = to_pact(with_mass, "3.0")
    assert schema_errors(v3, 3) == []
    assert v3["specVersion"] == "3.0.0"
    assert v3["pcf"]["pcfExcludingBiogenicUptake"] == "1.63"
    assert v3["pcf"]["declaredUnitOfMeasurement"] == "liter"
    assert v3["pcf"]["crossSectoralStandards"] == ["GHGP-Product", "ISO14067"]
    assert v3["productClassifications"] == ["urn:pact:productclassification:un-cpc:6398"]
    for v2_only in ("version", "biogenicAccountingMethodology", "characterizationFactors"):
        assert v2_only not in v3
        assert v2_only not in v3["pcf"]
    via_v3 = from_pact(v3)
    # Fields with no v3 counterpart are gone; the rest is kept.
    assert via_v3 == dataclasses.replace(
        with_mass,
        version=None,
        pcf=dataclasses.replace(
            with_mass.pcf,
            assurance=None,
            uncertainty_assessment_description=None,
            biogenic_accounting_methodology=None,
            characterization_factors=None,
            cross_sectoral_standards_used=None,
        ),
    )
    # ...and back to v2.3 the v2.3-only fields are derived again where the data allow.
    back = to_pact(via_v3, "2.3")
    assert schema_errors(back, 2) == []
    assert back["pcf"]["biogenicAccountingMethodology"] == "GHGP"
    assert back["pcf"]["characterizationFactors"] == "AR6"
    assert back["version"] == 1
    assert from_pact(back) == dataclasses.replace(
        via_v3,
        version=1,
        pcf=dataclasses.replace(
            via_v3.pcf,
            biogenic_accounting_methodology="GHGP",
            characterization_factors="AR6",
            cross_sectoral_standards_used=("GHG Protocol Product standard", "ISO Standard 14067"),
        ),
    )


def test_v3_to_v2_refuses_what_v2_cannot_express() -> None:
    fp = tanji_footprint(unit="kilogram")
    assert schema_errors(to_pact(fp, "2.3"), 2) == []
    refusals = [
        (dataclasses.replace(fp.pcf, declared_unit="piece"), "/pcf/declaredUnit", "'piece'"),
        (
            dataclasses.replace(fp.pcf, pcf_excluding_biogenic_uptake=Decimal("-1.5")),
            "/pcf/pCfExcludingBiogenic",
            "at least 0",
        ),
        (
            dataclasses.replace(
                fp.pcf,
                exempted_emissions_percent=Decimal("7"),
                exempted_emissions_description="cut-off of minor parts",
            ),
            "/pcf/exemptedEmissionsPercent",
            "at most 5",
        ),
        (
            dataclasses.replace(fp.pcf, ipcc_characterization_factors=("AR4", "AR6")),
            "/pcf/characterizationFactors",
            "AR4",
        ),
        (dataclasses.replace(fp.pcf, biogenic_carbon_content=None), "/pcf/biogenicCarbonContent",
         "is required"),
        (
            dataclasses.replace(
                fp.pcf, dqi=dataclasses.replace(fp.pcf.dqi or DQI, temporal=Decimal("4"))
            ),
            "/pcf/dqi/temporalDQR",
            "at most 3",
        ),
        (
            dataclasses.replace(fp.pcf, land_use_change_ghg_emissions=None),
            "/pcf/dLucGhgEmissions",
            "2025",
        ),
    ]  # fmt: skip
    for pcf, pointer, fragment in refusals:
        with pytest.raises(FootprintError) as err:
            to_pact(dataclasses.replace(fp, pcf=pcf), "2.3")
        assert err.value.pointer == pointer, pointer
        assert fragment in err.value.reason
        assert "cannot be written as PACT 2.3" in err.value.reason
    with pytest.raises(FootprintError) as err:
        to_pact(dataclasses.replace(fp, id="12345678-9abc-def0-1234-567812345678"), "2.3")
    assert err.value.pointer == "/id"
    assert "version-4" in err.value.reason


# ---------------------------------------------------------------- Tanji extension

DQI = Dqi(
    Decimal("1.5"),
    Decimal("1.2"),
    Decimal("1.1"),
    Decimal("1.8"),
    Decimal("1.3"),
    Decimal("96.4"),
)


def tanji_footprint(unit: str = "piece") -> ProductFootprint:
    return ProductFootprint(
        id="3f1c1a4e-8d2b-4c7e-9a51-2b7f0e6d9c10",
        created=datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
        status="Active",
        company_name="Example Notebook Co.",
        company_ids=("urn:pact:notebook.example:company-id:91110108MA01ABCD1E",),
        product_description="14-inch notebook computer, 16 GB",
        product_ids=("urn:gtin:6901234567892",),
        product_name_company="Notebook X14",
        product_classifications=("urn:pact:productclassification:un-cpc:45230",),
        pcf=Pcf(
            declared_unit=unit,
            declared_unit_amount=Decimal(1),
            product_mass_per_declared_unit=Decimal("1.62"),
            reference_period_start=datetime(2025, 1, 1, tzinfo=UTC),
            reference_period_end=datetime(2026, 1, 1, tzinfo=UTC),
            pcf_excluding_biogenic_uptake=Decimal("241.997"),
            pcf_including_biogenic_uptake=Decimal("241.997"),
            fossil_ghg_emissions=Decimal("241.997"),
            fossil_carbon_content=Decimal("0.26"),
            biogenic_carbon_content=Decimal(0),
            land_use_change_ghg_emissions=Decimal(0),
            land_management_biogenic_co2_emissions=Decimal(0),
            biogenic_co2_uptake=Decimal(0),
            biogenic_non_co2_emissions=Decimal(0),
            ipcc_characterization_factors=("AR6",),
            cross_sectoral_standards=("ISO14067",),
            exempted_emissions_percent=Decimal(0),
            boundary_processes_description="cradle-to-gate",
            packaging_emissions_included=True,
            packaging_ghg_emissions=Decimal(2),
            primary_data_share=Decimal("61.3"),
            dqi=DQI,
            geography_country="CN",
        ),
        tanji=TanjiExtension(
            boundary="partial",
            product_category_rule="PCR notebook computers (illustrative)",
            grid_factors=(
                GridFactorRef(
                    "cn-grid-2023-north",
                    Decimal("0.6361"),
                    "kgCO2/kWh",
                    "MEE/NBS 2023 regional grid factor",
                    2023,
                    "CN:north",
                ),
            ),
            metering=(MeteringRecord("assembly-electricity", "EM-0042", "JJG-2025-1187"),),
            grade=LabelGrade("C", "notebook-computer-illustrative@1", True),
            factor_set="tanji-cn-default@2025.1",
            factor_set_digest="ab" * 32,
            uscc="91110108MA01ABCD1E",
        ),
    )


def test_tanji_extension_round_trips_and_matches_its_schema() -> None:
    fp = tanji_footprint()
    out = to_pact(fp)
    assert schema_errors(out, 3) == []
    ext = out["extensions"][-1]
    assert ext["dataSchema"] == TANJI_EXTENSION_SCHEMA
    assert ext["specVersion"] == "2.0.0"
    assert tanji_data_errors(ext["data"]) == []
    assert ext["data"]["boundary"] == "partial"
    assert ext["data"]["gridFactors"][0]["value"] == "0.6361"
    assert ext["data"]["meteringTraceability"][0]["certificateId"] == "JJG-2025-1187"
    assert ext["data"]["uscc"] == "91110108MA01ABCD1E"
    assert from_pact(json.loads(json.dumps(out))) == fp
    kg = tanji_footprint(unit="kilogram")
    v2 = to_pact(kg, "2.3")
    assert schema_errors(v2, 2) == []
    assert from_pact(v2) == dataclasses.replace(
        kg,
        version=1,
        comment="",
        pcf=dataclasses.replace(
            kg.pcf,
            characterization_factors="AR6",
            cross_sectoral_standards_used=("ISO Standard 14067",),
            biogenic_accounting_methodology="ISO",
            exempted_emissions_description="",
        ),
    )


def test_served_documents_name_the_gateway_schema_url() -> None:
    fp = tanji_footprint()
    out = to_pact(fp, extension_base_url="https://pact.zhiben-computer.example/")
    url = "https://pact.zhiben-computer.example/schemas/tanji/cn-pcf/1.0.0/data-model.json"
    assert out["extensions"][-1]["dataSchema"] == url
    assert tanji_extension_schema_url("https://pact.zhiben-computer.example") == url
    assert schema_errors(out, 3) == []
    # Any gateway's URL is recognised as the Tanji extension on import.
    assert from_pact(out) == fp
    other = json.loads(json.dumps(out))
    other["extensions"][-1]["dataSchema"] = "https://example.org/other-extension.json"
    assert from_pact(other).tanji is None


def test_with_grade_replaces_grade_only() -> None:
    fp = tanji_footprint()
    graded = fp.with_grade(LabelGrade("B", "notebook-computer-illustrative@1", True))
    assert graded.tanji is not None
    assert graded.tanji.grade is not None
    assert graded.tanji.grade.grade == "B"
    assert dataclasses.replace(graded, tanji=fp.tanji) == fp


# ---------------------------------------------------------------- versioning (v3 lifecycle)


def test_a_new_version_lists_its_predecessors_and_deprecates_the_old_one() -> None:
    v1 = tanji_footprint()
    v2 = dataclasses.replace(
        v1,
        id="7c9e6679-7425-40de-944b-e07fc1f90ae7",
        created=datetime(2026, 2, 1, tzinfo=UTC),
        pcf=dataclasses.replace(v1.pcf, pcf_excluding_biogenic_uptake=Decimal("240.1")),
    )
    old, new = v1.superseded_by(v2)
    assert old == dataclasses.replace(v1, status="Deprecated")
    assert new.preceding_pf_ids == (v1.id,)
    assert old.deprecated() is old
    v3 = dataclasses.replace(v2, id="16fd2706-8baf-433b-82eb-8c7fada847da")
    old2, newest = new.superseded_by(v3)
    assert newest.preceding_pf_ids == (v2.id, v1.id)
    assert old2.status == "Deprecated"
    for doc in (to_pact(old), to_pact(newest)):
        assert schema_errors(doc, 3) == []
        assert pact_rule_errors(from_pact(doc)) == ()
    with pytest.raises(FootprintError) as err:
        v1.superseded_by(v1)
    assert err.value.pointer == "/id"
    with pytest.raises(FootprintError) as err:
        new.superseded_by(v1)  # v1 already precedes new: a cycle
    assert err.value.pointer == "/precedingPfIds"
    with pytest.raises(FootprintError) as err:
        v1.superseded_by(dataclasses.replace(v3, status="Deprecated"))
    assert err.value.pointer == "/status"


# ---------------------------------------------------------------- validation errors


def base_doc() -> dict[str, Any]:
    return load("pact_example_v3_productfootprint_1.json")


def base_v2() -> dict[str, Any]:
    data: dict[str, Any] = load("pact_example_v2_get_footprint_response.json")["data"]
    return data


def _set(doc: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.strip("/").split("/")
    target: Any = doc
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is _DELETE:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


_DELETE = object()
_CO = "urn:company:example:company1"

BAD_V3 = [
    ("/specVersion", "3.0", "/specVersion", "major.minor.patch"),
    ("/specVersion", "4.0.0", "/specVersion", "unsupported"),
    ("/pcf/declaredUnitAmount", "0", "/pcf/declaredUnitAmount", "positive decimal string"),
    ("/pcf/declaredUnitAmount", 1, "/pcf/declaredUnitAmount", "decimal string"),
    ("/pcf/declaredUnitAmount", "1e3", "/pcf/declaredUnitAmount", "decimal string"),
    ("/pcf/fossilGhgEmissions", _DELETE, "/pcf/fossilGhgEmissions", "required"),
    ("/pcf/fossilGhgEmissions", "-0.1", "/pcf/fossilGhgEmissions", "at least 0"),
    ("/pcf/productMassPerDeclaredUnit", _DELETE, "/pcf/productMassPerDeclaredUnit", "required"),
    ("/pcf/pcfIncludingBiogenicUptake", _DELETE, "/pcf/pcfIncludingBiogenicUptake", "required"),
    ("/pcf/fossilCarbonContent", _DELETE, "/pcf/fossilCarbonContent", "required"),
    ("/pcf/crossSectoralStandards", _DELETE, "/pcf/crossSectoralStandards", "required"),
    ("/pcf/crossSectoralStandards", [], "/pcf/crossSectoralStandards", "at least one"),
    ("/pcf/exemptedEmissionsPercent", _DELETE, "/pcf/exemptedEmissionsPercent", "required"),
    ("/pcf/exemptedEmissionsPercent", "100.5", "/pcf/exemptedEmissionsPercent", "at most 100"),
    ("/pcf/ipccCharacterizationFactors", _DELETE, "/pcf/ipccCharacterizationFactors",
     "required"),
    ("/pcf/ipccCharacterizationFactors/0", "AR6.1", "/pcf/ipccCharacterizationFactors/0", "AR<n>"),
    ("/pcf/ipccCharacterizationFactors", ["AR6", "AR6"], "/pcf/ipccCharacterizationFactors/1",
     "duplicate"),
    ("/pcf/landManagementBiogenicCO2Emissions", "-0.004",
     "/pcf/landManagementBiogenicCO2Emissions", "at least 0"),
    ("/pcf/declaredUnitOfMeasurement", "bag", "/pcf/declaredUnitOfMeasurement", "one of"),
    ("/pcf/primaryDataShare", "100.5", "/pcf/primaryDataShare", "at most 100"),
    ("/pcf/primaryDataShare", 12.9, "/pcf/primaryDataShare", "decimal string"),
    ("/pcf/dqi/temporalDQR", "0.5", "/pcf/dqi/temporalDQR", "at least 1"),
    ("/pcf/dqi/temporalDQR", "5.5", "/pcf/dqi/temporalDQR", "at most 5"),
    ("/pcf/dqi/temporalDQR", _DELETE, "/pcf/dqi/temporalDQR", "required"),
    ("/pcf/biogenicCO2Uptake", "1", "/pcf/biogenicCO2Uptake", "at most 0"),
    ("/productIds/0", "gtin-5268596541023", "/productIds/0", "URN"),
    ("/productIds", [], "/productIds", "at least one"),
    ("/productClassifications", [], "/productClassifications", "at least one"),
    ("/companyIds", _DELETE, "/companyIds", "required"),
    ("/companyIds", [_CO, _CO], "/companyIds/1", "duplicate"),
    ("/companyIds", [_CO, "URN:Company:example:company1"], "/companyIds/1", "duplicate"),
    ("/precedingPfIds", [], "/precedingPfIds", "at least one"),
    ("/id", "not-a-uuid", "/id", "UUID"),
    ("/status", "Retired", "/status", "Active"),
    ("/created", "2025-04-30T00:00:00", "/created", "RFC 3339"),
    ("/pcf/referencePeriodEnd", "2024-01-01T00:00:00Z", "/pcf/referencePeriodEnd", "later"),
    ("/pcf/geographyCountry", "US", "/pcf/geographyCountry", "at most one"),
    ("/pcf/geographyCountrySubdivision", "Texas", "/pcf/geographyCountrySubdivision", "3166-2"),
    ("/pcf/productOrSectorSpecificRules/0", "rule", "/pcf/productOrSectorSpecificRules/0",
     "object"),
    ("/pcf/productOrSectorSpecificRules/0/operator", "ISO",
     "/pcf/productOrSectorSpecificRules/0/operator", "one of"),
    ("/pcf/productOrSectorSpecificRules/0/ruleNames", [],
     "/pcf/productOrSectorSpecificRules/0/ruleNames", "at least one"),
    ("/pcf/secondaryEmissionFactorSources/0/version", "",
     "/pcf/secondaryEmissionFactorSources/0/version", "non-empty"),
    ("/pcf/verification", {"coverage": "everything"}, "/pcf/verification/coverage", "one of"),
    ("/pcf/ccuCalculationApproach", "Offset", "/pcf/ccuCalculationApproach", "one of"),
    ("/pcf/ccsTechnologicalCO2Capture", "4.3", "/pcf/ccsTechnologicalCO2Capture", "at most 0"),
    ("/extensions", [{"specVersion": "2.0.0", "data": {}}], "/extensions/0/dataSchema",
     "required"),
    ("/extensions", [{"specVersion": "2.0", "dataSchema": "https://x.example/s.json",
                      "data": {}}], "/extensions/0/specVersion", "major.minor.patch"),
    ("/extensions", [{"specVersion": "2.0.0", "dataSchema": "not a uri", "data": {}}],
     "/extensions/0/dataSchema", "absolute URI"),
    ("/extensions", [{"specVersion": "2.0.0", "dataSchema": "https://x.example/s.json",
                      "data": []}], "/extensions/0/data", "object"),
    # the specification text's rules
    ("/validityPeriodStart", "2024-06-01T00:00:00Z", "/validityPeriodStart", "referencePeriodEnd"),
    ("/validityPeriodEnd", "2028-01-01T00:00:00Z", "/validityPeriodEnd", "3 years"),
    ("/precedingPfIds", ["12345678-9abc-def0-1234-567812345678"], "/precedingPfIds/0",
     "precede itself"),
    ("/pcf/packagingEmissionsIncluded", False, "/pcf/packagingGhgEmissions", "undefined"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "value", "pointer", "fragment"),
    BAD_V3,
    ids=[f"{b[0]}={b[1]!r}"[:60] for b in BAD_V3],
)
def test_bad_v3_input_names_the_field(path: str, value: Any, pointer: str, fragment: str) -> None:
    doc = base_doc()
    if path == "/pcf/packagingEmissionsIncluded":
        doc["pcf"]["packagingGhgEmissions"] = "0.1"
    _set(doc, path, value)
    assert schema_errors(doc, 3) or pointer in {
        # the schema leaves these to the text (or is looser than it): still refused
        "/specVersion",  # 4.0.0 matches the pattern; Tanji reads 2.x and 3.x
        "/companyIds/1",  # URNs equal under RFC 8141 (case of "urn:" and the NID)
        "/pcf/declaredUnitAmount",
        "/pcf/exemptedEmissionsPercent",
        "/pcf/primaryDataShare",
        "/pcf/dqi/temporalDQR",
        "/pcf/referencePeriodEnd",
        "/pcf/ccsTechnologicalCO2Capture",
        "/extensions/0/specVersion",
        "/validityPeriodStart",
        "/validityPeriodEnd",
        "/precedingPfIds/0",
        "/pcf/packagingGhgEmissions",
    }
    with pytest.raises(FootprintError) as err:
        from_pact(doc)
    assert err.value.pointer == pointer
    assert fragment in str(err.value)
    assert str(err.value).startswith(pointer + ": ")


GOOD_V3 = [
    # PACT's Decimal allows a leading "+"
    ("/pcf/pcfExcludingBiogenicUptake", "+0.384", "pcf_excluding_biogenic_uptake", "0.384"),
    # v3.0 removed the 5 % cap on exempted emissions
    ("/pcf/exemptedEmissionsPercent", "10.4", "exempted_emissions_percent", "10.4"),
    # removals can make the v3.0 PCF negative
    ("/pcf/pcfExcludingBiogenicUptake", "-0.2", "pcf_excluding_biogenic_uptake", "-0.2"),
    # v3.0 DQRs run 1 to 5
    ("/pcf/dqi/geographicalDQR", "4.9", None, None),
]


@pytest.mark.parametrize(("path", "value", "attr", "expected"), GOOD_V3)
def test_valid_v3_input_is_accepted(path: str, value: Any, attr: str | None, expected: str) -> None:
    doc = base_doc()
    _set(doc, path, value)
    assert schema_errors(doc, 3) == []
    fp = from_pact(doc)
    if attr is not None:
        assert getattr(fp.pcf, attr) == Decimal(expected)
    assert schema_errors(to_pact(fp), 3) == []


BAD_V2 = [
    ("/pcf/unitaryProductAmount", "-2", "/pcf/unitaryProductAmount", "positive"),
    ("/pcf/dqi/reliabilityDQR", 9, "/pcf/dqi/reliabilityDQR", "at most 3"),
    ("/pcf/dqi/reliabilityDQR", float("nan"), "/pcf/dqi/reliabilityDQR", "finite"),
    ("/pcf/dqi/coveragePercent", _DELETE, "/pcf/dqi/coveragePercent", "required"),
    ("/pcf/primaryDataShare", "12.9", "/pcf/primaryDataShare", "JSON number"),
    ("/pcf/exemptedEmissionsPercent", 7, "/pcf/exemptedEmissionsPercent", "at most 5"),
    ("/pcf/pCfExcludingBiogenic", "-1", "/pcf/pCfExcludingBiogenic", "at least 0"),
    ("/pcf/declaredUnit", "piece", "/pcf/declaredUnit", "one of"),
    ("/pcf/characterizationFactors", "AR4", "/pcf/characterizationFactors", "one of"),
    ("/pcf/crossSectoralStandardsUsed", ["PAS 2050"], "/pcf/crossSectoralStandardsUsed/0",
     "one of"),
    ("/pcf/biogenicAccountingMethodology", "GHPG", "/pcf/biogenicAccountingMethodology",
     "one of"),
    ("/pcf/assurance", {"providerName": "X"}, "/pcf/assurance/assurance", "required"),
    ("/version", _DELETE, "/version", "required"),
    ("/comment", _DELETE, "/comment", "required"),
    ("/productCategoryCpc", _DELETE, "/productCategoryCpc", "required"),
    ("/id", "12345678-9abc-def0-1234-567812345678", "/id", "version-4"),
    ("/created", "2022-03-01T17:32:20+08:00", "/created", "UTC"),
    ("/extensions", [], "/extensions", "non-empty"),
    ("/validityPeriodEnd", _DELETE, "/validityPeriodEnd", "both"),
    ("/pcf/dqi", _DELETE, "/pcf/primaryDataShare", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "value", "pointer", "fragment"),
    BAD_V2,
    ids=[f"{b[0]}={b[1]!r}"[:60] for b in BAD_V2],
)
def test_bad_v2_input_uses_v2_names(path: str, value: Any, pointer: str, fragment: str) -> None:
    doc = base_v2()
    _set(doc, path, value)
    if path == "/pcf/dqi":  # before 2025, primaryDataShare or dqi: remove both
        del doc["pcf"]["primaryDataShare"]
    with pytest.raises(FootprintError) as err:
        from_pact(doc)
    assert err.value.pointer == pointer
    if fragment is not None:
        assert fragment in str(err.value)


def test_v2_fields_mandatory_from_2025() -> None:
    doc = base_v2()
    doc["pcf"]["referencePeriodStart"] = "2025-01-01T00:00:00Z"
    doc["pcf"]["referencePeriodEnd"] = "2026-01-01T00:00:00Z"
    doc["validityPeriodStart"] = "2026-01-01T00:00:00Z"
    doc["validityPeriodEnd"] = "2028-01-01T00:00:00Z"
    assert from_pact(doc).pcf.reference_period_end.year == 2026
    del doc["pcf"]["biogenicCarbonWithdrawal"]
    assert schema_errors(doc, 2) == []  # the schema cannot say "from 2025"; the text does
    with pytest.raises(FootprintError) as err:
        from_pact(doc)
    assert err.value.pointer == "/pcf/biogenicCarbonWithdrawal"
    assert from_pact(doc, strict=False).pcf.biogenic_co2_uptake is None


def test_bad_tanji_extension_names_the_field() -> None:
    out = to_pact(tanji_footprint())
    out["extensions"][0]["data"]["boundary"] = "gate-to-gate"
    with pytest.raises(FootprintError) as err:
        from_pact(out)
    assert err.value.pointer == "/extensions/0/data/boundary"
    out = to_pact(tanji_footprint())
    out["extensions"][0]["data"]["gridFactors"][0]["value"] = "-0.5"
    with pytest.raises(FootprintError) as err:
        from_pact(out)
    assert err.value.pointer == "/extensions/0/data/gridFactors/0/value"
    out = to_pact(tanji_footprint())
    out["extensions"][0]["data"]["meteringTraceability"][0]["validUntil"] = "next year"
    with pytest.raises(FootprintError) as err:
        from_pact(out)
    assert err.value.pointer == "/extensions/0/data/meteringTraceability/0/validUntil"
    out = to_pact(tanji_footprint())
    out["extensions"][0]["data"]["uscc"] = "91110108MA01ABCD1X"
    with pytest.raises(FootprintError) as err:
        from_pact(out)
    assert err.value.pointer == "/extensions/0/data/uscc"
    assert "check character" in err.value.reason
    out = to_pact(tanji_footprint())
    out["extensions"].append(copy.deepcopy(out["extensions"][0]))
    with pytest.raises(FootprintError) as err:
        from_pact(out)
    assert err.value.pointer == "/extensions/1"


def test_construction_refuses_naive_datetimes_and_floats() -> None:
    fp = tanji_footprint()
    with pytest.raises(FootprintError) as err:
        dataclasses.replace(fp, created=datetime(2026, 1, 5))
    assert err.value.pointer == "/created"
    with pytest.raises(FootprintError) as err:
        dataclasses.replace(fp.pcf, pcf_excluding_biogenic_uptake=241.997)  # type: ignore[arg-type]
    assert err.value.pointer == "/pcf/pcfExcludingBiogenicUptake"
    with pytest.raises(FootprintError) as err:
        dataclasses.replace(fp, company_ids=(fp.company_ids[0], fp.company_ids[0]))
    assert err.value.pointer == "/companyIds/1"


def test_pact_major() -> None:
    assert pact_major({"specVersion": "2.3.0"}) == 2
    assert pact_major({"specVersion": "3.0.1"}) == 3
    assert pact_major({"specVersion": "3.0.0-20250430"}) == 3
    for bad in ({}, {"specVersion": "3.0"}, {"specVersion": "3.0.0-rc1"}):
        with pytest.raises(FootprintError) as err:
            pact_major(bad)
        assert err.value.pointer == "/specVersion"


def test_the_schema_validator_is_not_vacuous() -> None:
    # Formats are asserted, $refs resolve, required and patterns bite, in both versions.
    for path, value, fragment in [
        ("/id", "12345678", "uuid"),
        ("/created", "2025-04-30", "date-time"),
        ("/companyIds/0", "company1", "urn"),
        # PositiveNonZeroDecimal's pattern is unanchored inside its alternation and lets
        # "1e3" through; its "format: decimal" does not
        ("/pcf/declaredUnitAmount", "1e3", "is not a 'decimal'"),
        ("/pcf/fossilGhgEmissions", _DELETE, "required"),
        ("/extensions", [{"specVersion": "2.0.0", "data": {}}], "dataSchema"),
    ]:
        doc = base_doc()
        _set(doc, path, value)
        assert any(fragment in e for e in schema_errors(doc, 3)), path
    v2 = base_v2()
    v2["pcf"]["dqi"]["reliabilityDQR"] = 3.5
    assert any("3.5 is greater than the maximum of 3" in e for e in schema_errors(v2, 2))
