"""Import of national GHG emission factor database records into a factor set."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

from sdk.errors import FactorError
from sdk.footprint import (
    ActivityLine,
    Dqr,
    Factor,
    FactorSet,
    Inventory,
    MeteringRecord,
    NationalFactorRecord,
    default_factor_set,
    load_national_csv,
    load_national_json,
    national_factor_set,
    roll_up,
)

D = Decimal
EXAMPLES = resources.files("sdk.footprint").joinpath("data/examples")


def build(
    name: str,
    loader: Callable[[str], tuple[NationalFactorRecord, ...]] = load_national_csv,
    **kwargs: Any,
) -> FactorSet:
    raw = EXAMPLES.joinpath(name).read_bytes()
    options: dict[str, Any] = {
        "name": "cn-national-example",
        "version": "2025.1",
        "publisher": "Example importer",
        "description": "Records in the national database's shape (illustrative)",
        "retrieved": date(2025, 3, 1),
        "input_bytes": raw,
    }
    options.update(kwargs)
    return national_factor_set(loader(raw.decode("utf-8")), **options)


def by_name(factor_set: FactorSet) -> dict[str, Factor]:
    return {f.name: f for f in factor_set.factors}


def test_example_files_in_every_form_give_the_same_factors() -> None:
    english = build("national-factors.csv")
    chinese = build("national-factors-zh.csv")
    as_json = build("national-factors.json", load_national_json)
    assert [f.id for f in english.factors] == [f.id for f in chinese.factors]
    assert english.factors == as_json.factors
    assert [(f.value, f.unit) for f in chinese.factors] == [
        (f.value, f.unit) for f in english.factors
    ]
    # provenance records which file, so the sets differ only there
    assert english.provenance is not None
    assert as_json.provenance is not None
    assert english.provenance.input_sha256 != as_json.provenance.input_sha256
    assert english.provenance.records == 7
    assert english.provenance.database_version == "illustrative-2025.1"


def test_conversions() -> None:
    factors = by_name(build("national-factors.csv"))
    grid = factors["Electricity supply: Southwest China regional grid"]
    assert (grid.value, grid.unit, grid.category, grid.year) == (
        D("0.2472"),
        "kgCO2/kWh",
        "electricity",
        2023,
    )
    # CO2 56.1 t/TJ + CH4 1 kg/TJ x 28 + N2O 0.1 kg/TJ x 265, per GJ
    gas = factors["Natural gas: stationary combustion"]
    assert (gas.value, gas.unit, gas.category) == (D("0.0561545"), "tCO2e/GJ", "fuel")
    assert "CH4 (x IPCC AR5 GWP100)" in gas.source
    per_volume = factors["Natural gas: combustion per volume"]
    assert (per_volume.value, per_volume.unit) == (D("0.002162"), "tCO2/Nm3")
    separate = build("national-factors.csv", combine_gases=False)
    assert len(separate.factors) == 7


def test_the_set_round_trips_and_its_digest_is_stable() -> None:
    factor_set = build("national-factors.csv")
    again = FactorSet.from_json(json.dumps(factor_set.to_dict()))
    assert again == factor_set
    assert again.digest() == factor_set.digest()
    assert build("national-factors.csv").digest() == factor_set.digest()  # deterministic ids
    # sets without provenance keep their form and digest
    assert "provenance" not in default_factor_set().to_dict()


def test_an_imported_factor_drives_a_roll_up() -> None:
    factor_set = build("national-factors.csv")
    grid = by_name(factor_set)["Electricity supply: North China regional grid"]
    line = ActivityLine(
        "elec",
        "electricity",
        "assembly line",
        D("11"),
        "kWh",
        grid.id,
        True,
        Dqr.uniform(1),
        MeteringRecord("elec", "EM-1", "CAL-1"),
    )
    inventory = Inventory.create(
        factor_set=factor_set,
        bom=[],
        activities=[line],
        footprint_id="0b6a4f2e-2a64-4f51-9b0e-0b0f6f9c3a11",
        created=datetime(2025, 3, 1, tzinfo=UTC),
        company_name="Example",
        company_ids=("urn:uscc:91110108MA01NB009X",),
        product_ids=("urn:tanji:product:example",),
        product_name_company="Example",
        product_description="",
        declared_unit="piece",
        declared_unit_amount=D(1),
        product_mass_per_declared_unit=D(1),
        fossil_carbon_content=D(0),
        reference_period_start=datetime(2024, 1, 1, tzinfo=UTC),
        reference_period_end=datetime(2025, 1, 1, tzinfo=UTC),
    )
    assert roll_up(inventory).pcf == D("6.997")  # 11 x 0.6361


def _record(**changes: Any) -> NationalFactorRecord:
    base = load_national_csv(EXAMPLES.joinpath("national-factors.csv").read_text("utf-8"))[3]
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"gas": "HFCs", "unit": "tHFCs/t"}, "no GWP for gas 'HFCs'"),
        ({"gas": "CH4"}, "is not in CH4"),
        ({"unit": "tCO2/bale"}, "basis 'bale' is not a known unit"),
        ({"unit": "tC/TJ", "gas": "C"}, "no GWP"),
        ({"unit": "tCO2"}, "must look like"),
        ({"source_category": "mystery"}, "has no factor category"),
    ],
)
def test_records_that_cannot_convert_are_named(changes: dict[str, object], message: str) -> None:
    record = _record(**changes)
    with pytest.raises(FactorError, match=message) as info:
        national_factor_set(
            [record], name="x", version="1", publisher="p", description="d",
            retrieved=date(2025, 1, 1), input_bytes=b"",
        )  # fmt: skip
    assert str(info.value).startswith("row 5")


def test_set_level_errors() -> None:
    kwargs: dict[str, Any] = {
        "name": "x", "version": "1", "publisher": "p", "description": "d",
        "retrieved": date(2025, 1, 1), "input_bytes": b"",
    }  # fmt: skip
    with pytest.raises(FactorError, match="several database versions"):
        national_factor_set([_record(), _record(database_version="v2", name="y")], **kwargs)
    with pytest.raises(FactorError, match="duplicate CO2 record"):
        national_factor_set([_record(), _record(value=D(1))], **kwargs)
    named = national_factor_set([_record(factor_id="ng-ipcc", category="heat")], **kwargs)
    assert (named.factors[0].id, named.factors[0].category) == ("ng-ipcc", "heat")


def test_input_errors_name_row_and_field() -> None:
    text = EXAMPLES.joinpath("national-factors.csv").read_text("utf-8")
    lines = text.splitlines()
    with pytest.raises(FactorError, match="missing column"):
        load_national_csv(lines[0].replace(",gas", "") + "\n")
    with pytest.raises(FactorError, match="unknown column"):
        load_national_csv(lines[0] + ",note\n")
    with pytest.raises(FactorError, match=r"row 3: value"):
        load_national_csv("\n".join([lines[0], lines[1], lines[2].replace("0.6361", "6.361e-1")]))
    with pytest.raises(FactorError, match=r"row 2: year"):
        load_national_csv("\n".join([lines[0], lines[1].replace(",2022,", ",FY22,")]))
    records = json.loads(EXAMPLES.joinpath("national-factors.json").read_text("utf-8"))
    records[1]["value"] = 0.6361
    with pytest.raises(FactorError, match=r"record 1: value must be a decimal string"):
        load_national_json(json.dumps(records))
    del records[1]["gas"]
    with pytest.raises(FactorError, match=r"record 1: gas is required"):
        load_national_json(json.dumps(records))
