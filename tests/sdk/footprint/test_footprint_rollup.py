"""Roll-up against a hand calculation, DQR / primary-share weighting, recomputation."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdk import canonical_json
from sdk.errors import FactorError, FootprintError, UnitError, VerificationError
from sdk.footprint import (
    ActivityLine,
    BomLine,
    Dqr,
    Inventory,
    default_factor_set,
    from_pact,
    recompute,
    roll_up,
    to_pact,
)
from tests.sdk.footprint.footprint_laptop import laptop_inventory, meter

D = Decimal


def test_laptop_matches_hand_calculation() -> None:
    result = roll_up(laptop_inventory())
    by_line = {line.line_id: line for line in result.lines}

    # BOM: quantity (converted to the supplier's declared unit) × supplier PCF
    #   mainboard   1 piece        × 55 kgCO2e/piece =  55
    #   display     1 piece        × 75              =  75
    #   SSD         1 piece        × 55              =  55
    #   battery   350 g = 0.35 kg  × 20 kgCO2e/kg    =   7
    #   chassis     1 piece        × 14              =  14
    #   adapter     1 unit = 1 pc  × 20              =  20          subtotal 226
    # Own activities: quantity (converted to the factor's unit) × factor
    #   assembly   0.011 MWh = 11 kWh × 0.6361 kgCO2/kWh (North China grid 2023) = 6.9971
    #   packaging  2500 g = 2.5 kg    × 0.8 kgCO2e/kg (corrugated board)         = 2.0
    #   transport  3.5 kg × 2500 km = 0.0035 t × 2500 km = 8.75 t·km × 0.8       = 7.0
    # Total = 226 + 6.9971 + 2.0 + 7.0 = 241.9971 kgCO2e per notebook
    hand = {
        "mainboard": D(1) * D(55),
        "display": D(1) * D(75),
        "ssd": D(1) * D(55),
        "battery": D("0.35") * D(20),
        "chassis": D(1) * D(14),
        "adapter": D(1) * D(20),
        "assembly-electricity": D(11) * D("0.6361"),
        "packaging": D("2.5") * D("0.8"),
        "inbound-air": D("8.75") * D("0.8"),
    }
    assert hand["assembly-electricity"] == D("6.9971")
    for line_id, expected in hand.items():
        assert by_line[line_id].emissions == expected, line_id
    assert sum(hand.values()) == D("241.9971")
    assert result.total == D("241.9971")
    assert result.pcf == D("241.997")  # quantized to 0.001 kgCO2e
    assert by_line["battery"].basis_quantity == D("0.35")
    assert by_line["battery"].basis_unit == "kilogram"
    assert by_line["assembly-electricity"].basis_quantity == D(11)
    assert by_line["assembly-electricity"].source == "cn-grid-2023-north"
    assert by_line["inbound-air"].basis_quantity == D("8.75")

    fp = result.footprint
    assert fp.pcf.pcf_excluding_biogenic_uptake == D("241.997")
    assert fp.pcf.declared_unit == "piece"
    assert fp.pcf.packaging_emissions_included is True
    assert fp.pcf.packaging_ghg_emissions == D("2.000")
    assert fp.tanji is not None
    assert fp.tanji.boundary == "partial"
    assert [g.factor_id for g in fp.tanji.grid_factors] == ["cn-grid-2023-north"]
    assert fp.tanji.grid_factors[0].value == D("0.6361")
    assert "MEE" in fp.tanji.grid_factors[0].source
    assert [m.line_id for m in fp.tanji.metering] == [
        "assembly-electricity",
        "packaging",
        "inbound-air",
    ]
    assert fp.tanji.factor_set == "tanji-cn-default@2025.1"
    assert fp.tanji.factor_set_digest == default_factor_set().digest()


def test_laptop_dqr_and_primary_share_by_hand() -> None:
    result = roll_up(laptop_inventory())
    # 5 % of 241.9971 = 12.099855. Above it: mainboard 55, display 75, SSD 55, chassis 14,
    # adapter 20 (sum 219). Below it (left out of the DQR weighting): battery 7,
    # electricity 6.9971, packaging 2, transport 7.
    included = {line.line_id for line in result.lines if line.in_dqr}
    assert included == {"mainboard", "display", "ssd", "chassis", "adapter"}
    # Coverage 219 / 241.9971 = 90.497… % → 90.5
    assert result.dqr_coverage_percent == D("90.5")
    # Technological: (55×1.5 + 75×2 + 55×1 + 14×3 + 20×2.5) / 219 = 379.5 / 219 = 1.7328… → 1.73
    assert result.dqr.technological == D("1.73")
    # Temporal: the mainboard's temporal DQR is 1: (55×1 + 150 + 55 + 42 + 50) / 219
    #   = 352 / 219 = 1.6073… → 1.61
    assert result.dqr.temporal == D("1.61")
    assert result.dqr.reliability == D("1.73")
    # Primary data share over all lines (emissions × line's primary share / total):
    #   mainboard 55×60 + display 75×100 + battery 7×50 + chassis 14×100
    #   + electricity 6.9971×100 + packaging 2×100 = 13449.71; SSD, adapter, air freight 0
    #   13449.71 / 241.9971 = 55.578… → 55.6 %
    assert result.primary_data_share == D("55.6")
    dqi = result.footprint.pcf.dqi
    assert dqi is not None
    assert dqi.technological == D("1.73")
    assert dqi.coverage_percent == D("90.5")
    assert result.footprint.pcf.primary_data_share == D("55.6")


def _line(line_id: str, emissions: str, rating: int, *, primary: bool = True) -> BomLine:
    return BomLine(
        line_id=line_id,
        description=line_id,
        quantity=D(1),
        unit="piece",
        supplier_pcf=D(emissions),
        supplier_declared_unit="piece",
        dqr=Dqr.uniform(rating),
        primary=primary,
    )


def _inventory(bom: list[BomLine]) -> Inventory:
    base = laptop_inventory()
    return dataclasses.replace(base, bom=tuple(bom), activities=(), factors=())


def test_line_at_exactly_five_percent_is_left_out() -> None:
    result = roll_up(_inventory([_line("big", "95", 1), _line("edge", "5", 3, primary=False)]))
    assert [line.in_dqr for line in result.lines] == [True, False]
    assert result.dqr.technological == D("1.00")
    assert result.dqr_coverage_percent == D("95.0")
    assert result.primary_data_share == D("95.0")  # the share counts every line


def test_line_just_above_five_percent_is_weighted() -> None:
    result = roll_up(_inventory([_line("big", "94.9", 1), _line("edge", "5.1", 3)]))
    assert [line.in_dqr for line in result.lines] == [True, True]
    # (94.9×1 + 5.1×3) / 100 = 110.1 / 100 = 1.101 → 1.10
    assert result.dqr.technological == D("1.10")
    assert result.dqr_coverage_percent == D("100.0")
    assert result.primary_data_share == D("100.0")


def test_no_line_above_cutoff_weights_all_lines() -> None:
    lines = [_line(f"l{i}", "1", 1 if i < 11 else 3) for i in range(21)]  # each 4.76 %
    result = roll_up(_inventory(lines))
    assert all(line.in_dqr for line in result.lines)
    # (11×1 + 10×3) / 21 = 41/21 = 1.952… → 1.95
    assert result.dqr.completeness == D("1.95")


def test_zero_total_is_refused() -> None:
    with pytest.raises(FootprintError) as err:
        roll_up(_inventory([_line("free", "0", 1)]))
    assert "zero" in str(err.value)


def test_bom_unit_mismatch_names_both_units() -> None:
    bad = dataclasses.replace(_line("cells", "10", 1), quantity=D(3), unit="kWh")
    with pytest.raises(UnitError) as err:
        roll_up(_inventory([_line("ok", "50", 1), bad]))
    assert err.value.pointer == "/bom/1/unit"
    assert "'kWh'" in str(err.value)
    assert "'piece'" in str(err.value)


def test_activity_unit_mismatch_is_refused_when_the_inventory_is_built() -> None:
    base = laptop_inventory()
    electricity = dataclasses.replace(base.activities[0], quantity=D(11), unit="kg")
    with pytest.raises(UnitError) as err:
        dataclasses.replace(base, activities=(electricity, *base.activities[1:]))
    assert err.value.pointer == "/activities/0/unit"
    assert "'kg'" in str(err.value)
    assert "'kWh'" in str(err.value)


def test_process_line_and_unit_prefixes() -> None:
    base = laptop_inventory()
    process = ActivityLine(
        "soldering-voc",
        "process",
        "direct emissions of the reflow line",
        D("1500"),
        "gCO2e",
        None,
        True,
        Dqr.uniform(2),
        meter("soldering-voc", "GAS-ANALYSER-1"),
    )
    inv = dataclasses.replace(base, activities=(*base.activities, process))
    result = roll_up(inv)
    assert result.total == D("241.9971") + D("1.5")
    with pytest.raises(FootprintError) as err:
        dataclasses.replace(process, factor_id="steel-crude")
    assert err.value.pointer == "/factorId"


def test_inventory_consistency_checks() -> None:
    base = laptop_inventory()
    with pytest.raises(FootprintError) as err:
        dataclasses.replace(base, bom=(*base.bom, base.bom[0]))
    assert err.value.pointer == "/bom/6/lineId"
    with pytest.raises(FootprintError) as err:
        dataclasses.replace(base, factors=base.factors[1:])
    assert err.value.pointer == "/activities/0/factorId"
    packaging_on_grid = dataclasses.replace(base.activities[1], factor_id="cn-grid-2023-north")
    with pytest.raises(FootprintError) as err:
        Inventory.create(
            factor_set=default_factor_set(),
            bom=base.bom,
            activities=(packaging_on_grid,),
            **_header(base),
        )
    assert err.value.pointer == "/activities/0/factorId"
    with pytest.raises(FactorError):
        Inventory.create(
            factor_set=default_factor_set(),
            bom=base.bom,
            activities=(dataclasses.replace(base.activities[1], factor_id="unobtainium"),),
            **_header(base),
        )
    with pytest.raises(FootprintError) as err:
        dataclasses.replace(base, created=datetime(2026, 3, 1))
    assert err.value.pointer == "/created"
    with pytest.raises(FootprintError) as err:
        dataclasses.replace(base.activities[0], metering=meter("other-line", "EM-1"))
    assert err.value.pointer == "/metering/lineId"


def _header(inv: Inventory) -> dict[str, object]:
    skip = {"factor_set_id", "factor_set_digest", "factors", "bom", "activities"}
    return {f.name: getattr(inv, f.name) for f in dataclasses.fields(inv) if f.name not in skip}


def test_inventory_json_round_trip_and_determinism() -> None:
    inv = laptop_inventory()
    doc = inv.to_dict()
    canonical_json(doc)  # no floats, only JSON types
    again = Inventory.from_dict(json.loads(json.dumps(doc)))
    assert again == inv
    assert roll_up(again) == roll_up(inv)
    assert roll_up(inv).to_dict() == roll_up(inv).to_dict()
    pact = to_pact(roll_up(inv).footprint)
    canonical_json(pact)
    canonical_json(roll_up(inv).to_dict())
    assert from_pact(json.loads(json.dumps(pact))) == roll_up(inv).footprint


def test_inventory_from_dict_names_bad_fields() -> None:
    doc = laptop_inventory().to_dict()
    doc["bom"][3]["quantity"] = "-350"
    with pytest.raises(FootprintError) as err:
        Inventory.from_dict(doc)
    assert err.value.pointer == "/bom/3/quantity"
    doc = laptop_inventory().to_dict()
    doc["activities"][0]["dqr"]["temporal"] = "4"
    with pytest.raises(FootprintError) as err:
        Inventory.from_dict(doc)
    assert err.value.pointer == "/activities/0/dqr/temporal"
    doc = laptop_inventory().to_dict()
    doc["bom"][0]["supplierPcf"] = 55.0
    with pytest.raises(FootprintError) as err:
        Inventory.from_dict(doc)
    assert err.value.pointer == "/bom/0/supplierPcf"
    doc = laptop_inventory().to_dict()
    del doc["activities"][2]["metering"]
    with pytest.raises(FootprintError) as err:
        Inventory.from_dict(doc)
    assert err.value.pointer == "/activities/2/metering"
    doc = laptop_inventory().to_dict()
    doc["bom"][0]["secret"] = True
    with pytest.raises(FootprintError) as err:
        Inventory.from_dict(doc)
    assert err.value.pointer == "/bom/0/secret"


def test_recompute_accepts_the_honest_footprint() -> None:
    inv = laptop_inventory()
    claimed = roll_up(inv).footprint
    assert recompute(Inventory.from_dict(inv.to_dict()), claimed) == roll_up(inv)


def test_recompute_names_a_tampered_value() -> None:
    inv = laptop_inventory()
    honest = roll_up(inv).footprint
    lowered = dataclasses.replace(
        honest,
        pcf=dataclasses.replace(honest.pcf, pcf_excluding_biogenic_uptake=D("199.000")),
    )
    with pytest.raises(VerificationError) as err:
        recompute(inv, lowered)
    assert err.value.step == "footprint.recompute"
    assert "/pcf/pcfExcludingBiogenicUptake" in err.value.reason
    assert "'199.000'" in err.value.reason
    assert "'241.997'" in err.value.reason


def test_recompute_catches_a_swapped_upstream_value() -> None:
    # The leader declared a footprint computed with a display PCF of 60 instead of 75.
    claimed = roll_up(laptop_inventory(display_pcf="60")).footprint
    with pytest.raises(VerificationError) as err:
        recompute(laptop_inventory(), claimed)
    assert err.value.step == "footprint.recompute"


def test_check_factors_against_the_published_set() -> None:
    inv = laptop_inventory()
    inv.check_factors(default_factor_set())
    other = dataclasses.replace(default_factor_set(), version="2026.1")
    with pytest.raises(FactorError):
        inv.check_factors(other)
    forged = dataclasses.replace(
        inv, factors=(dataclasses.replace(inv.factors[0], value=D("0.2472")), *inv.factors[1:])
    )
    with pytest.raises(FactorError) as err:
        forged.check_factors(default_factor_set())
    assert "cn-grid-2023-north" in str(err.value)


def test_reference_period_in_the_footprint() -> None:
    fp = roll_up(laptop_inventory()).footprint
    assert fp.pcf.reference_period_start == datetime(2025, 1, 1, tzinfo=UTC)
    assert to_pact(fp)["pcf"]["referencePeriodEnd"] == "2026-01-01T00:00:00Z"


# At least 1 g × 0.01 kgCO2e/kg = 0.00001 kgCO2e per line, above the 0.000001 quantum.
_amounts = st.decimals(
    min_value=D(1), max_value=D("100000"), places=3, allow_nan=False, allow_infinity=False
)
_pcfs = st.decimals(
    min_value=D("0.01"), max_value=D("1000"), places=2, allow_nan=False, allow_infinity=False
)


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.tuples(_amounts, st.sampled_from(["g", "kg", "t"]), _pcfs, st.integers(1, 3)),
        min_size=1,
        max_size=8,
    )
)
def test_rollup_invariants(lines: list[tuple[Decimal, str, Decimal, int]]) -> None:
    bom = [
        dataclasses.replace(
            _line(f"l{i}", str(pcf), rating),
            quantity=quantity,
            unit=unit,
            supplier_declared_unit="kilogram",
        )
        for i, (quantity, unit, pcf, rating) in enumerate(lines)
    ]
    inv = _inventory(bom)
    result = roll_up(inv)
    # The total is the exact sum of the quantized lines; the PCF is the total at 0.001.
    assert result.total == sum((line.emissions for line in result.lines), D(0))
    assert result.pcf == result.total.quantize(D("0.001"))
    for line, (quantity, unit, pcf, _rating) in zip(result.lines, lines, strict=True):
        kg = quantity * {"g": D("0.001"), "kg": D(1), "t": D(1000)}[unit]
        assert line.emissions == (kg * pcf).quantize(D("0.000001"))
    for name in Dqr.NAMES:
        assert D(1) <= getattr(result.dqr, name) <= D(3)
    # Deterministic through the JSON form, as a certifier receives it.
    assert roll_up(Inventory.from_dict(json.loads(json.dumps(inv.to_dict())))) == result
