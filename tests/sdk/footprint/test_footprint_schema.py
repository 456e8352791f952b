"""Every footprint the demo supply chain produces is a valid PACT v3.0 document, and its
v2.3 export is either valid or refused with the reason (here: v2.3 has no ``piece``)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from demo_chain._data import (
    LEADER_PRODUCT,
    ORG_BY_KEY,
    PRODUCT_BY_KEY,
    TIER1,
    TIER2,
    hand_calculation,
)
from demo_chain._scenario import build_inventory
from sdk.errors import FootprintError
from sdk.footprint import (
    BomLine,
    Dqr,
    ProductFootprint,
    from_pact,
    pact_rule_errors,
    parse_pact_urn,
    roll_up,
    to_pact,
    uscc_from_company_ids,
)
from tests.sdk.footprint.pact_schema import schema_errors, tanji_data_errors

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def demo_footprints() -> dict[str, ProductFootprint]:
    """Roll up every demo product as the scenario does, upstream values first."""
    out: dict[str, ProductFootprint] = {}
    for key in (*TIER2, *TIER1, LEADER_PRODUCT):
        spec = PRODUCT_BY_KEY[key]
        bom = []
        for c in spec.components:
            supplied = out[c.product].pcf
            bom.append(
                BomLine(
                    line_id=c.line_id,
                    description=f"{c.product} from {c.supplier}",
                    quantity=c.quantity,
                    unit="piece",
                    supplier_pcf=supplied.pcf_excluding_biogenic_uptake,
                    supplier_declared_unit=supplied.declared_unit,
                    dqr=Dqr.uniform(1),
                    primary=True,
                    supplier_product_id=PRODUCT_BY_KEY[c.product].product_id,
                )
            )
        out[key] = roll_up(build_inventory(spec, ORG_BY_KEY[spec.maker], bom, NOW)).footprint
    return out


FOOTPRINTS = demo_footprints()


def test_the_demo_figures_are_unchanged() -> None:
    hand = hand_calculation()
    for key, fp in FOOTPRINTS.items():
        assert fp.pcf.pcf_excluding_biogenic_uptake == hand[key].quantize(Decimal("0.001"))
    assert FOOTPRINTS[LEADER_PRODUCT].pcf.pcf_excluding_biogenic_uptake == Decimal("241.997")


@pytest.mark.parametrize("key", list(FOOTPRINTS))
def test_every_demo_footprint_is_valid_pact_v3(key: str) -> None:
    fp = FOOTPRINTS[key]
    doc = to_pact(fp, "3.0")
    assert schema_errors(doc, 3) == []
    assert pact_rule_errors(fp) == ()
    assert from_pact(doc) == fp
    tanji = doc["extensions"][-1]
    assert tanji_data_errors(tanji["data"]) == []
    served = to_pact(fp, "3.0", extension_base_url="https://pact.example")
    assert schema_errors(served, 3) == []
    # Identifiers in PACT's forms; the unified social credit code in the extension.
    maker = ORG_BY_KEY[PRODUCT_BY_KEY[key].maker]
    assert doc["companyIds"] == [f"urn:pact:{maker.domain}:company-id:{maker.org_id}"]
    assert tanji["data"]["uscc"] == maker.org_id == uscc_from_company_ids(fp.company_ids)
    first = parse_pact_urn(doc["productIds"][0])
    assert (first.domain, first.id_type) == (maker.domain, "supplier-id")
    for urn in doc["productIds"]:
        assert urn.startswith(("urn:pact:", "urn:gtin:"))
    # The fields v3.0 requires are there, with the roll-up's values.
    pcf = doc["pcf"]
    assert pcf["productMassPerDeclaredUnit"] == str(PRODUCT_BY_KEY[key].mass_kg)
    assert pcf["fossilGhgEmissions"] == pcf["pcfExcludingBiogenicUptake"]
    assert pcf["fossilCarbonContent"] == str(PRODUCT_BY_KEY[key].fossil_carbon_kg)
    assert pcf["ipccCharacterizationFactors"] == ["AR6"]
    assert pcf["exemptedEmissionsPercent"] == "0"


@pytest.mark.parametrize("key", list(FOOTPRINTS))
def test_every_demo_footprint_is_refused_by_v2_with_the_reason(key: str) -> None:
    fp = FOOTPRINTS[key]
    with pytest.raises(FootprintError) as err:
        to_pact(fp, "2.3")
    if fp.product_classifications:
        assert err.value.pointer == "/pcf/declaredUnit"
        assert "no declared unit 'piece'" in err.value.reason
    else:
        assert err.value.pointer == "/productCategoryCpc"
        assert "UN CPC" in err.value.reason


def test_the_notebook_would_be_valid_v2_in_a_v2_unit() -> None:
    # Same footprint, expressed per kilogram and with a version-4 id: nothing else stops it.
    fp = FOOTPRINTS[LEADER_PRODUCT]
    per_kg = dataclasses.replace(
        fp,
        id=str(uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e")),
        pcf=dataclasses.replace(fp.pcf, declared_unit="kilogram"),
    )
    doc = to_pact(per_kg, "2.3")
    assert schema_errors(doc, 2) == []
    assert doc["productCategoryCpc"] == "45230"
    assert doc["pcf"]["biogenicAccountingMethodology"] == "ISO"
    assert from_pact(doc).pcf.pcf_excluding_biogenic_uptake == Decimal("241.997")


# ---------------------------------------------------------------- roll-up: v3.0 fields


def test_rollup_needs_the_facts_only_the_maker_knows() -> None:
    from tests.sdk.footprint.footprint_laptop import laptop_inventory

    base = laptop_inventory()
    with pytest.raises(FootprintError) as err:
        roll_up(dataclasses.replace(base, fossil_carbon_content=None))
    assert err.value.pointer == "/fossilCarbonContent"
    with pytest.raises(FootprintError) as err:
        roll_up(dataclasses.replace(base, product_mass_per_declared_unit=None))
    assert err.value.pointer == "/productMassPerDeclaredUnit"
    assert "piece" in err.value.reason
    # per kilogram the mass is the declared amount; per kWh, t·km, hour... it is 0
    per_kg = dataclasses.replace(
        base,
        product_mass_per_declared_unit=None,
        declared_unit="kilogram",
        declared_unit_amount=Decimal("2"),
    )
    assert roll_up(per_kg).footprint.pcf.product_mass_per_declared_unit == Decimal("2")
    per_kwh = dataclasses.replace(per_kg, declared_unit="kilowatt hour")
    assert roll_up(per_kwh).footprint.pcf.product_mass_per_declared_unit == Decimal(0)
    assert schema_errors(to_pact(roll_up(per_kwh).footprint), 3) == []
    # the laptop's company id is not a valid unified social credit code: no uscc
    tanji = roll_up(base).footprint.tanji
    assert tanji is not None
    assert tanji.uscc is None
