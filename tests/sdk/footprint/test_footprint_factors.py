"""Units, the shipped factor set, custom factor sets and grading."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

import pytest

from sdk.errors import FactorError, FootprintError, UnitError
from sdk.footprint import (
    Benchmark,
    FactorSet,
    GradeBand,
    convert,
    default_factor_set,
    grade,
    notebook_benchmark,
    roll_up,
    split_factor_unit,
    tkm,
)
from tests.sdk.footprint.footprint_laptop import laptop_inventory

D = Decimal

# ---------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("quantity", "source", "target", "expected"),
    [
        ("350", "g", "kg", "0.350"),
        ("2.5", "t", "kg", "2500"),
        ("1250", "kg", "tonne", "1.25"),
        ("0.011", "MWh", "kWh", "11.000"),
        ("11", "kWh", "MJ", "39.6"),
        ("3.6", "MJ", "kWh", "1"),
        ("1500", "m", "km", "1.5"),
        ("3", "unit", "piece", "3"),
        ("2", "cubic meter", "liter", "2000"),
        ("8750", "kg·km", "t·km", "8.75"),
        ("1500", "gCO2e", "kgCO2e", "1.5"),
        ("1", "kilowatt hour", "kWh", "1"),
    ],
)
def test_convert(quantity: str, source: str, target: str, expected: str) -> None:
    assert convert(D(quantity), source, target) == D(expected)


def test_convert_inexact_ratio_is_deterministic() -> None:
    # 1 MJ = 1/3.6 kWh: rounded at 34 significant digits, the same every time.
    once = convert(D(1), "MJ", "kWh")
    assert once == D("0.2777777777777777777777777777777778")
    assert convert(D(1), "MJ", "kWh") == once


@pytest.mark.parametrize(("source", "target"), [("kWh", "kg"), ("piece", "kg"), ("km", "t·km")])
def test_incompatible_units_name_both(source: str, target: str) -> None:
    with pytest.raises(UnitError) as err:
        convert(D(1), source, target, "/bom/0/unit")
    assert err.value.pointer == "/bom/0/unit"
    assert repr(source) in str(err.value)
    assert repr(target) in str(err.value)


def test_unknown_unit() -> None:
    with pytest.raises(UnitError) as err:
        convert(D(1), "furlong", "m")
    assert "'furlong'" in str(err.value)


def test_tkm_and_factor_units() -> None:
    assert tkm(D("3.5"), "kg", D(2500), "km") == D("8.75")
    with pytest.raises(UnitError):
        tkm(D(1), "km", D(1), "kg")
    emissions, basis = split_factor_unit("kgCO2e/t·km")
    assert (emissions.symbol, basis.symbol) == ("kgCO2e", "t·km")
    with pytest.raises(UnitError):
        split_factor_unit("kWh/kgCO2e")
    with pytest.raises(UnitError):
        split_factor_unit("kgCO2e")


# ---------------------------------------------------------------- shipped factor set

GRID = {
    "cn-grid-2021-national": "0.5568",
    "cn-grid-2021-national-fossil": "0.8426",
    "cn-grid-2022-national": "0.5366",
    "cn-grid-2022-national-excl-market-nonfossil": "0.5856",
    "cn-grid-2022-national-fossil": "0.8325",
    "cn-grid-2023-national": "0.5306",
    "cn-grid-2023-north": "0.6361",
    "cn-grid-2023-northeast": "0.5122",
    "cn-grid-2023-east": "0.5500",
    "cn-grid-2023-central": "0.5271",
    "cn-grid-2023-northwest": "0.5543",
    "cn-grid-2023-south": "0.4042",
    "cn-grid-2023-southwest": "0.2472",
    "cn-grid-2022-north": "0.6776",
    "cn-grid-2022-southwest": "0.2268",
}


def test_shipped_grid_factors_match_reference() -> None:
    fs = default_factor_set()
    assert fs.id == "tanji-cn-default@2025.1"
    for factor_id, value in GRID.items():
        factor = fs.get(factor_id)
        assert factor.value == D(value), factor_id
        assert factor.unit == "kgCO2/kWh"
        assert factor.category == "electricity"
        assert "MEE" in factor.source
        assert "NBS" in factor.source
        assert factor.quality == 1
        assert not factor.illustrative
        assert str(factor.year) in factor_id


def test_shipped_demo_factors_are_honestly_marked() -> None:
    fs = default_factor_set()
    needed = {
        "aluminium-primary-ingot",
        "steel-crude",
        "plastic-abs",
        "plastic-pc",
        "glass-substrate-display",
        "copper-cathode",
        "pcb-bare-multilayer",
        "corrugated-cardboard",
        "heat-steam-purchased-cn",
        "natural-gas-combustion-cn",
        "transport-road-truck",
        "transport-rail",
        "transport-sea-container",
        "transport-air-freight",
    }
    ids = {f.id for f in fs.factors}
    assert needed <= ids
    for factor in fs.factors:
        assert factor.source.strip()
        if factor.illustrative:
            assert factor.source.startswith("illustrative"), factor.id
            assert factor.quality == 3
    for mode in ("road-truck", "rail", "sea-container", "air-freight"):
        assert split_factor_unit(fs.get(f"transport-{mode}").unit)[1].symbol == "t·km"
    # Derived natural-gas factor: 0.038931 GJ/Nm3 × 15.3 tC/TJ × 0.99 × 44/12 ≈ 2.162 kg/Nm3
    derived = D("0.038931") * D("15.3") * D("0.99") * D(44) / D(12)
    assert round(derived, 3) == fs.get("natural-gas-combustion-cn").value


def test_factor_set_dict_round_trip_and_digest() -> None:
    fs = default_factor_set()
    again = FactorSet.from_json(json.dumps(fs.to_dict()))
    assert again == fs
    assert again.digest() == fs.digest()
    assert len(fs.digest()) == 64
    changed = dataclasses.replace(
        fs,
        factors=(dataclasses.replace(fs.factors[0], value=D("0.5569")), *fs.factors[1:]),
    )
    assert changed.digest() != fs.digest()
    with pytest.raises(FactorError):
        fs.get("no-such-factor")


def _custom() -> dict[str, object]:
    return {
        "name": "cesa-notebook",
        "version": "2026.1",
        "publisher": "Example electronics industry association",
        "description": "Association factors for notebook components",
        "factors": [
            {
                "id": "lcd-panel-14in",
                "name": "14-inch LCD module",
                "category": "material",
                "value": "70.5",
                "unit": "kgCO2e/m2",
                "source": "illustrative association survey",
                "year": 2025,
                "geography": "CN",
                "quality": 2,
            }
        ],
    }


def test_custom_factor_set_loads() -> None:
    fs = FactorSet.from_json(json.dumps(_custom()))
    assert fs.id == "cesa-notebook@2026.1"
    assert fs.get("lcd-panel-14in").value == D("70.5")


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda d: d["factors"][0].update(value=70.5), "value must be a decimal string"),
        (lambda d: d["factors"][0].update(value="-1"), "non-negative"),
        (lambda d: d["factors"][0].update(unit="kWh"), "unit"),
        (lambda d: d["factors"][0].update(unit="kgCO2e/parsec"), "unknown unit 'parsec'"),
        (lambda d: d["factors"][0].pop("quality"), "quality"),
        (lambda d: d["factors"][0].update(quality=4), "quality must be 1, 2 or 3"),
        (lambda d: d["factors"][0].update(category="magic"), "category"),
        (lambda d: d["factors"][0].pop("source"), "source is required"),
        (lambda d: d["factors"].append(dict(d["factors"][0])), "duplicate id"),
        (lambda d: d.update(version="2026 final"), "version"),
        (lambda d: d["factors"][0].update(colour="red"), "unknown field 'colour'"),
    ],
)
def test_bad_custom_factor_set(mutate: object, fragment: str) -> None:
    doc = _custom()
    mutate(doc)  # type: ignore[operator]
    with pytest.raises(FactorError) as err:
        FactorSet.from_json(json.dumps(doc))
    assert fragment in str(err.value)


def test_factor_set_bad_json() -> None:
    with pytest.raises(FactorError) as err:
        FactorSet.from_json("{not json")
    assert "not valid JSON" in str(err.value)


# ---------------------------------------------------------------- grading


def test_notebook_benchmark_is_illustrative() -> None:
    bench = notebook_benchmark()
    assert bench.illustrative
    assert "no official grade scale" in bench.source.lower()
    assert bench.benchmark_id == "notebook-computer-illustrative@1"
    assert Benchmark.from_dict(bench.to_dict()) == bench


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "A"),
        ("200", "A"),
        ("200.001", "B"),
        ("240", "B"),
        ("240.001", "C"),
        ("280", "C"),
        ("320", "D"),
        ("320.001", "E"),
        ("10000", "E"),
    ],
)
def test_grade_boundaries_are_inclusive(value: str, expected: str) -> None:
    assert notebook_benchmark().grade_for(D(value)) == expected


def test_grade_the_demo_laptop() -> None:
    fp = roll_up(laptop_inventory()).footprint
    label = grade(fp, notebook_benchmark())
    assert label.grade == "C"  # 241.997 kgCO2e: 240 < x ≤ 280
    assert label.illustrative
    graded = fp.with_grade(label)
    assert graded.tanji is not None
    assert graded.tanji.grade == label


def test_grade_refuses_incomparable_footprints() -> None:
    fp = roll_up(laptop_inventory()).footprint
    per_kg = dataclasses.replace(fp, pcf=dataclasses.replace(fp.pcf, declared_unit="kilogram"))
    with pytest.raises(FootprintError) as err:
        grade(per_kg, notebook_benchmark())
    assert err.value.pointer == "/pcf/declaredUnitOfMeasurement"
    assert fp.tanji is not None
    full = dataclasses.replace(fp, tanji=dataclasses.replace(fp.tanji, boundary="full"))
    with pytest.raises(FootprintError) as err:
        grade(full, notebook_benchmark())
    assert err.value.pointer == "/extensions"


def test_bad_benchmarks() -> None:
    bench = notebook_benchmark()
    with pytest.raises(FootprintError) as err:
        dataclasses.replace(bench, bands=(GradeBand("A", D(300)), GradeBand("B", D(200))))
    assert err.value.pointer == "/bands/1/maxValue"
    with pytest.raises(FootprintError) as err:
        dataclasses.replace(bench, bands=(GradeBand("A", D(100)), GradeBand("A", D(200))))
    assert err.value.pointer == "/bands/1/grade"
    doc = bench.to_dict()
    doc["bands"][0]["maxValue"] = 200
    with pytest.raises(FootprintError) as err:
        Benchmark.from_dict(doc)
    assert err.value.pointer == "/bands/0/maxValue"
