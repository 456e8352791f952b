"""PACT v3.0 / v2.3 import and export, and JSON-Pointer-named validation errors."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sdk.errors import FootprintError
from sdk.footprint import (
    GridFactorRef,
    LabelGrade,
    MeteringRecord,
    Pcf,
    ProductFootprint,
    TanjiExtension,
    from_pact,
    pact_major,
    to_pact,
)

EXAMPLES = Path(__file__).resolve().parents[4] / "shared" / "pact" / "examples"


def footprints_in(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every footprint a PACT example holds: a single footprint, the ``data`` of a get
    response, each element of a list response, each ``pfs`` entry of an event."""
    if "pcf" in doc:
        return [doc]
    data = doc.get("data")
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "pcf" in data:
        return [data]
    if isinstance(data, dict) and isinstance(data.get("pfs"), list):
        return data["pfs"]
    return []


def example_footprints() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(EXAMPLES.glob("*.json")):
        doc = json.loads(path.read_text())
        for i, fp in enumerate(footprints_in(doc)):
            found.append((f"{path.name}#{i}", fp))
    return found


EXAMPLE_FOOTPRINTS = example_footprints()


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
def test_example_round_trips_in_its_own_version(name: str, doc: dict[str, Any]) -> None:
    original = copy.deepcopy(doc)
    fp = from_pact(doc)
    assert doc == original, "import must not modify its input"
    version = "2.3" if doc["specVersion"].startswith("2.") else "3.0"
    exported = to_pact(fp, version)
    again = from_pact(json.loads(json.dumps(exported)))
    assert again == fp
    assert to_pact(again, version) == exported
    # Every key of the original footprint is still there (unknown ones included).
    assert set(doc) - {"productCategoryCpc"} <= set(exported) | {"productCategoryCpc"}
    assert set(doc["pcf"]) <= set(exported["pcf"])


def test_unknown_fields_survive() -> None:
    doc = json.loads((EXAMPLES / "pact_example_v3_productfootprint_1.json").read_text())
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


def test_example_values_are_decimals_and_aware_times() -> None:
    doc = json.loads((EXAMPLES / "pact_example_v3_productfootprint_3.json").read_text())
    fp = from_pact(doc)
    assert fp.pcf.pcf_excluding_biogenic_uptake == Decimal("77.0")
    assert to_pact(fp)["pcf"]["pcfExcludingBiogenicUptake"] == "77.0"
    assert fp.pcf.declared_unit == "piece"
    assert fp.created == datetime(2025, 4, 30, tzinfo=UTC)
    assert to_pact(fp)["created"] == "2025-04-30T00:00:00Z"
    assert fp.pcf.geography_country_subdivision == "DE-BW"
    assert fp.pcf.verification is not None
    assert fp.pcf.verification["providerName"] == "Auditor X"


def test_v2_numbers_are_read_exactly() -> None:
    doc = json.loads((EXAMPLES / "pact_example_v2_get_footprint_response.json").read_text())["data"]
    fp = from_pact(doc)
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


def test_v2_to_v3_to_model_keeps_shared_fields() -> None:
    doc = json.loads((EXAMPLES / "pact_example_v2_get_footprint_response.json").read_text())["data"]
    from_v2 = from_pact(doc)
    v3 = to_pact(from_v2, "3.0")
    assert v3["specVersion"] == "3.0.0"
    assert v3["pcf"]["pcfExcludingBiogenicUptake"] == "1.63"
    assert v3["pcf"]["declaredUnitOfMeasurement"] == "liter"
    assert v3["pcf"]["declaredUnitAmount"] == "1"
    assert v3["pcf"]["crossSectoralStandards"] == ["GHGP-Product", "ISO14067"]
    assert v3["productClassifications"] == ["urn:pact:productclassification:un-cpc:6398"]
    via_v3 = from_pact(v3)
    # Fields with no v3 counterpart: version, assurance. Everything else is kept.
    assert via_v3 == dataclasses.replace(
        from_v2, version=None, pcf=dataclasses.replace(from_v2.pcf, assurance=None)
    )
    # ...and back to v2.3 the shared fields are unchanged again.
    back = from_pact(to_pact(via_v3, "2.3"))
    assert back == via_v3


def test_v3_example_exports_to_v2_when_it_has_a_cpc() -> None:
    doc = json.loads((EXAMPLES / "pact_example_v3_productfootprint_3.json").read_text())
    fp = from_pact(doc)
    v2 = to_pact(fp, "2.3")
    assert v2["productCategoryCpc"] == "7892"
    assert v2["pcf"]["unitaryProductAmount"] == "1"
    assert v2["pcf"]["pCfExcludingBiogenic"] == "77.0"
    assert "declaredUnitOfMeasurement" not in v2["pcf"]
    back = from_pact(v2)
    assert back.pcf.pcf_excluding_biogenic_uptake == fp.pcf.pcf_excluding_biogenic_uptake
    assert back.product_ids == fp.product_ids


def test_v2_export_without_cpc_is_refused() -> None:
    fp = from_pact(json.loads((EXAMPLES / "pact_example_v3_productfootprint_1.json").read_text()))
    with pytest.raises(FootprintError) as err:
        to_pact(fp, "2.3")
    assert err.value.pointer == "/productClassifications"


# ---------------------------------------------------------------- Tanji extension


def tanji_footprint() -> ProductFootprint:
    return ProductFootprint(
        id="3f1c1a4e-8d2b-4c7e-9a51-2b7f0e6d9c10",
        created=datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
        status="Active",
        company_name="Example Notebook Co.",
        company_ids=("urn:tanji:org:91110108MA01ABCD1X",),
        product_description="14-inch notebook computer, 16 GB",
        product_ids=("urn:gtin:06901234567892",),
        product_name_company="Notebook X14",
        pcf=Pcf(
            declared_unit="piece",
            declared_unit_amount=Decimal(1),
            reference_period_start=datetime(2025, 1, 1, tzinfo=UTC),
            reference_period_end=datetime(2026, 1, 1, tzinfo=UTC),
            pcf_excluding_biogenic_uptake=Decimal("241.997"),
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
        ),
    )


def test_tanji_extension_round_trips() -> None:
    fp = tanji_footprint()
    out = to_pact(fp)
    ext = out["extensions"][-1]
    assert ext["dataSchema"] == "urn:tanji:extension:cn-pcf:1"
    assert ext["data"]["boundary"] == "partial"
    assert ext["data"]["gridFactors"][0]["value"] == "0.6361"
    assert ext["data"]["meteringTraceability"][0]["certificateId"] == "JJG-2025-1187"
    assert from_pact(json.loads(json.dumps(out))) == fp
    with_cpc = dataclasses.replace(
        fp, product_classifications=("urn:pact:productclassification:un-cpc:45230",)
    )
    assert from_pact(to_pact(with_cpc, "2.3")) == with_cpc


def test_with_grade_replaces_grade_only() -> None:
    fp = tanji_footprint()
    graded = fp.with_grade(LabelGrade("B", "notebook-computer-illustrative@1", True))
    assert graded.tanji is not None
    assert graded.tanji.grade is not None
    assert graded.tanji.grade.grade == "B"
    assert dataclasses.replace(graded, tanji=fp.tanji) == fp


# ---------------------------------------------------------------- validation errors


def base_doc() -> dict[str, Any]:
    return json.loads((EXAMPLES / "pact_example_v3_productfootprint_3.json").read_text())


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

BAD_INPUTS = [
    ("/pcf/declaredUnitAmount", "0", "/pcf/declaredUnitAmount", "positive decimal string"),
    ("/pcf/declaredUnitAmount", 1, "/pcf/declaredUnitAmount", "decimal string"),
    ("/pcf/declaredUnitAmount", "1e3", "/pcf/declaredUnitAmount", "decimal string"),
    ("/pcf/pcfExcludingBiogenicUptake", "-1", "/pcf/pcfExcludingBiogenicUptake", "at least 0"),
    ("/pcf/declaredUnitOfMeasurement", "bag", "/pcf/declaredUnitOfMeasurement", "one of"),
    ("/pcf/primaryDataShare", "100.5", "/pcf/primaryDataShare", "at most 100"),
    ("/pcf/dqi/temporalDQR", "0.5", "/pcf/dqi/temporalDQR", "at least 1"),
    ("/pcf/biogenicCO2Uptake", "1", "/pcf/biogenicCO2Uptake", "at most 0"),
    ("/pcf/exemptedEmissionsPercent", "7", "/pcf/exemptedEmissionsPercent", "at most 5"),
    ("/productIds/0", "gtin-5268596541023", "/productIds/0", "URN"),
    ("/productIds", [], "/productIds", "at least one"),
    ("/companyIds", _DELETE, "/companyIds", "required"),
    ("/id", "not-a-uuid", "/id", "UUID"),
    ("/status", "Retired", "/status", "Active"),
    ("/created", "2025-04-30T00:00:00", "/created", "RFC 3339"),
    ("/pcf/referencePeriodEnd", "2024-01-01T00:00:00Z", "/pcf/referencePeriodEnd", "later"),
    ("/pcf/geographyCountry", "DE", "/pcf/geographyCountry", "at most one"),
    ("/pcf/geographyCountrySubdivision", "Baden", "/pcf/geographyCountrySubdivision", "3166-2"),
    (
        "/pcf/productOrSectorSpecificRules/0",
        "rule",
        "/pcf/productOrSectorSpecificRules/0",
        "object",
    ),
    ("/pcf/ipccCharacterizationFactors/1", "", "/pcf/ipccCharacterizationFactors/1", "non-empty"),
    ("/specVersion", "4.0.0", "/specVersion", "unsupported"),
]


@pytest.mark.parametrize(
    ("path", "value", "pointer", "fragment"),
    BAD_INPUTS,
    ids=[f"{b[0]}={b[1]!r}" for b in BAD_INPUTS],
)
def test_bad_input_names_the_field(path: str, value: Any, pointer: str, fragment: str) -> None:
    doc = base_doc()
    _set(doc, path, value)
    with pytest.raises(FootprintError) as err:
        from_pact(doc)
    assert err.value.pointer == pointer
    assert fragment in str(err.value)
    assert str(err.value).startswith(pointer + ": ")


def test_v2_errors_use_v2_names() -> None:
    doc = json.loads((EXAMPLES / "pact_example_v2_get_footprint_response.json").read_text())["data"]
    doc["pcf"]["unitaryProductAmount"] = "-2"
    with pytest.raises(FootprintError) as err:
        from_pact(doc)
    assert err.value.pointer == "/pcf/unitaryProductAmount"
    doc["pcf"]["unitaryProductAmount"] = "1"
    doc["pcf"]["dqi"]["reliabilityDQR"] = 9
    with pytest.raises(FootprintError) as err:
        from_pact(doc)
    assert err.value.pointer == "/pcf/dqi/reliabilityDQR"
    doc["pcf"]["dqi"]["reliabilityDQR"] = float("nan")
    with pytest.raises(FootprintError) as err:
        from_pact(doc)
    assert err.value.pointer == "/pcf/dqi/reliabilityDQR"


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


def test_pact_major() -> None:
    assert pact_major({"specVersion": "2.3.0"}) == 2
    assert pact_major({"specVersion": "3.0.1"}) == 3
    with pytest.raises(FootprintError) as err:
        pact_major({})
    assert err.value.pointer == "/specVersion"
