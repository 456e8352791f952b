"""Carbon-market (ETS) data: import from the documented JSON and CSV forms, the
plausibility checks against a footprint, and the override model."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

from sdk.errors import EtsDataError, VerificationError
from sdk.footprint import (
    ETS_CSV_COLUMNS,
    CheckOverride,
    CrossCheckReport,
    FacilityYear,
    Inventory,
    cross_check_ets,
    decide_issuance,
    default_factor_set,
    load_ets_csv,
    load_ets_json,
    require_issuable,
)
from tests.sdk.footprint.metering_fixtures import (
    OTHER_ORG,
    fgas_line,
    metered_line,
    panel_inventory,
)

D = Decimal
EXAMPLES = resources.files("sdk.footprint").joinpath("data/examples")
PRODUCT = "14-inch FHD display panel"
CERTIFIER = "12100000MA0CER010K"


def example_json() -> str:
    return EXAMPLES.joinpath("ets-facility-year.json").read_text("utf-8")


def example_csv() -> str:
    return EXAMPLES.joinpath("ets-facility-year.csv").read_text("utf-8")


def facility(**changes: Any) -> FacilityYear:
    return dataclasses.replace(load_ets_json(example_json())[0], **changes)


def report(
    inventory: Inventory | None = None, fy: FacilityYear | None = None, **kwargs: Any
) -> CrossCheckReport:
    options: dict[str, Any] = {
        "product": PRODUCT,
        "factor_set": default_factor_set(),
        "exclude_lines": ["fgas"],
    }
    options.update(kwargs)
    return cross_check_ets(
        inventory if inventory is not None else panel_inventory(),
        fy if fy is not None else facility(),
        **options,
    )


# ---------------------------------------------------------------- import


def test_json_and_csv_examples_are_the_same_data() -> None:
    (from_json,) = load_ets_json(example_json())
    (from_csv,) = load_ets_csv(example_csv())
    assert from_json == from_csv
    assert from_json.products[1].output == D(1000000)
    assert FacilityYear.from_dict(json.loads(json.dumps(from_json.to_dict()))) == from_json
    header = example_csv().splitlines()[0].split(",")
    assert tuple(header) == ETS_CSV_COLUMNS


def test_json_errors_name_the_field() -> None:
    doc = json.loads(example_json())
    doc["emissions"]["total"] = 304392.4
    with pytest.raises(EtsDataError) as info:
        FacilityYear.from_dict(doc)
    assert info.value.where == "/emissions/total"
    doc = json.loads(example_json())
    doc["products"][0]["unit"] = "panels"
    with pytest.raises(EtsDataError) as info:
        FacilityYear.from_dict(doc)
    assert info.value.where == "/products/0/unit"
    doc = json.loads(example_json())
    doc["orgId"] = "91500112MA5UDP0020"
    with pytest.raises(EtsDataError, match="check character"):
        FacilityYear.from_dict(doc)
    doc = json.loads(example_json())
    doc["auditor"] = "x"
    with pytest.raises(EtsDataError) as info:
        FacilityYear.from_dict(doc)
    assert info.value.where == "/auditor"
    with pytest.raises(EtsDataError) as info:
        load_ets_json("[" + example_json() + ", {}]")
    assert info.value.where == "/1/schema"


def test_csv_errors_name_row_and_column() -> None:
    lines = example_csv().splitlines()
    with pytest.raises(EtsDataError, match="missing column"):
        load_ets_csv(lines[0].replace(",grid_factor_year", "") + "\n")
    with pytest.raises(EtsDataError) as info:
        load_ets_csv("\n".join([lines[0], lines[1], lines[2].replace("304392.40", "304392.41")]))
    assert info.value.where == "row 3, column total_emissions_tco2"
    with pytest.raises(EtsDataError) as info:
        load_ets_csv("\n".join([lines[0], lines[1].replace(",2000000,", ",2e6,")]))
    assert info.value.where == "row 2, column product_output"
    with pytest.raises(EtsDataError) as info:
        load_ets_csv("\n".join([lines[0], lines[1], lines[2].replace(",piece", ",panels")]))
    assert info.value.where == "row 3, column product_unit"
    with pytest.raises(EtsDataError) as info:
        load_ets_csv("\n".join([lines[0], lines[1].replace("CN-CQ", "Chongqing")]))
    assert info.value.where == "row 2, column region"
    with pytest.raises(EtsDataError, match="no data rows"):
        load_ets_csv(lines[0] + "\n")


# ---------------------------------------------------------------- checks


def test_a_plausible_footprint_passes_every_check() -> None:
    result = report()
    assert [c.check for c in result.checks] == [
        "ets.facility",
        "ets.year",
        "ets.consistency",
        "ets.electricity",
        "ets.emissions",
        "ets.grid_factor",
        "ets.factor_year",
    ]
    assert result.flagged == ()
    electricity = result.check("ets.electricity").figures
    # 570,000 MWh x 2/3 (physical allocation by output) / 2,000,000 panels = 190 kWh
    assert (electricity["footprintPerUnit"], electricity["facilityPerUnit"]) == (
        "180.0000",
        "190.0000",
    )
    emissions = result.check("ets.emissions").figures
    # (1,950.40 t + 570,000 MWh x 0.2472) x 2/3 / 2,000,000 = 47.6181 kg per panel
    assert emissions["facilityPerUnit"] == "47.6181"
    assert emissions["facilityPerUnitAsVerified"] == "101.4641"
    assert emissions["excludedLines"] == "fgas"
    assert result.check("ets.grid_factor").figures["factorId"] == "cn-grid-2023-national"
    assert json.loads(json.dumps(result.to_dict()))["checks"][3]["status"] == "pass"


def test_implausible_per_unit_figures_are_flagged() -> None:
    # the supplier declares half the electricity its facility's ETS data implies
    low = panel_inventory(dataclasses.replace(metered_line("90"), meter_readings=None), fgas_line())
    result = report(low)
    flagged = {c.check: c for c in result.flagged}
    assert set(flagged) == {"ets.electricity", "ets.emissions"}
    assert flagged["ets.electricity"].reason == (
        "electricity 90.0000 kWh/piece is 52.6 % below the facility's 190.0000 (band ±20.0 %)"
    )
    assert flagged["ets.emissions"].figures["ratio"] == "0.4672"
    # a wider band lets it through
    assert report(low, band=D("0.6")).flagged == ()


def test_without_excluding_fgases_the_gate_to_gate_figure_is_higher() -> None:
    result = report(exclude_lines=())
    assert result.check("ets.emissions").flagged
    with pytest.raises(ValueError, match="no activity line"):
        report(exclude_lines=["nope"])


def test_report_consistency_and_grid_factor() -> None:
    inconsistent = facility(electricity_emissions=D("310000.00"), total_emissions=D("311950.40"))
    check = report(fy=inconsistent).check("ets.consistency")
    assert check.flagged
    assert "570000.000 MWh × 0.5306 tCO2/MWh" in check.reason
    bad_total = facility(total_emissions=D("300000"))
    assert (
        "is not direct + electricity + heat" in report(fy=bad_total).check("ets.consistency").reason
    )
    # rounding in the reported figure is tolerated
    rounded = facility(electricity_emissions=D("302442"), total_emissions=D("304392"))
    assert not report(fy=rounded).check("ets.consistency").flagged
    # a compliance factor that is not in the factor set for that year
    compliance = facility(
        grid_factor=D("0.5703"),
        grid_factor_year=2022,
        electricity_emissions=D("325071.00"),
        total_emissions=D("327021.40"),
    )
    grid = report(fy=compliance).check("ets.grid_factor")
    assert grid.flagged
    assert "cn-grid-2022-national 0.5366" in grid.reason


def test_year_facility_and_factor_age() -> None:
    assert report(fy=facility(year=2022)).check("ets.year").flagged
    other = report(fy=facility(org_id=OTHER_ORG)).check("ets.facility")
    assert other.flagged
    assert OTHER_ORG in other.reason
    assert report(fy=facility(year=2026)).check("ets.factor_year").flagged
    assert not report(fy=facility(year=2025)).check("ets.factor_year").flagged


def test_share_and_product_selection() -> None:
    with pytest.raises(EtsDataError, match="no product"):
        report(product="17-inch panel")
    single = report(share=D(1)).check("ets.electricity").figures
    assert single["facilityPerUnit"] == "285.0000"  # all 570,000 MWh on 2,000,000 panels
    mixed = facility(
        products=(
            facility().products[0],
            dataclasses.replace(facility().products[1], output=D(300), unit="t"),
        )
    )
    with pytest.raises(EtsDataError, match="pass the share"):
        report(fy=mixed)
    with pytest.raises(ValueError, match="share"):
        report(share=D("1.5"))
    with pytest.raises(ValueError, match="band"):
        report(band=D(1))


# ---------------------------------------------------------------- overrides


def test_a_flag_blocks_until_overridden_with_a_reason() -> None:
    low = panel_inventory(dataclasses.replace(metered_line("90"), meter_readings=None), fgas_line())
    checks = report(low).checks
    decision = decide_issuance(checks)
    assert not decision.issuable
    with pytest.raises(VerificationError) as info:
        require_issuable(checks)
    assert info.value.step == "ets.electricity"
    at = datetime(2024, 5, 1, tzinfo=UTC)
    overrides = [
        CheckOverride(
            "ets.electricity",
            "line 2 was idle for six months (maintenance log MT-2023-17 reviewed on site)",
            CERTIFIER,
            at,
        ),
        CheckOverride(
            "ets.emissions",
            "follows from the idle line; emissions recomputed on site from the meter",
            CERTIFIER,
            at + timedelta(minutes=1),
        ),
    ]
    decision = require_issuable(checks, overrides)
    assert decision.issuable
    doc = decision.to_dict()
    assert [o["override"]["check"] for o in doc["overridden"]] == [
        "ets.electricity",
        "ets.emissions",
    ]
    assert len(overrides[0].digest()) == 64


def test_overrides_must_answer_a_flag_and_carry_a_reason() -> None:
    checks = report().checks
    at = datetime(2024, 5, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="not a flagged check"):
        decide_issuance(
            checks, [CheckOverride("ets.year", "no reason to override this", CERTIFIER, at)]
        )
    with pytest.raises(ValueError, match="recorded reason"):
        CheckOverride("ets.year", "ok", CERTIFIER, at)
    with pytest.raises(ValueError, match="timezone-aware"):
        CheckOverride("ets.year", "a long enough reason", CERTIFIER, datetime(2024, 5, 1))
    low = panel_inventory(dataclasses.replace(metered_line("90"), meter_readings=None), fgas_line())
    twice = [CheckOverride("ets.electricity", "a long enough reason", CERTIFIER, at)] * 2
    with pytest.raises(ValueError, match="two overrides"):
        decide_issuance(report(low).checks, twice)
