"""The demo's data: valid organisation ids, factors as published, and the roll-up by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from demo_chain._data import (
    GRID_FACTORS,
    LEADER_PRODUCT,
    ORGS,
    PRODUCT_BY_KEY,
    PRODUCTS,
    TIER1,
    TIER2,
    hand_calculation,
)
from demo_chain._scenario import build_inventory
from sdk import OrgId
from sdk.footprint import BomLine, Dqr, default_factor_set, roll_up

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
NOW = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)


def gb32100_check(first17: str) -> str:
    """GB 32100-2015 check character, written out independently of the SDK."""
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


@pytest.mark.parametrize("spec", ORGS, ids=lambda s: s.key)
def test_org_ids_are_valid_unified_social_credit_codes(spec: object) -> None:
    org_id = spec.org_id  # type: ignore[attr-defined]
    assert len(org_id) == 18
    assert org_id[17] == gb32100_check(org_id[:17])
    assert str(OrgId.parse(org_id)) == org_id


def test_org_ids_are_distinct_and_cover_every_role() -> None:
    assert len({o.org_id for o in ORGS}) == len(ORGS)
    roles = {r for o in ORGS for r in o.roles}
    assert roles == {"SUPPLIER", "LEADER", "CERTIFIER", "AUDITOR", "LOG_OPERATOR"}


def test_two_supplier_tiers() -> None:
    assert PRODUCT_BY_KEY["display_panel"].components[0].product == "glass_substrate"
    assert PRODUCT_BY_KEY["battery_pack"].components[0].product == "cell"
    notebook = {c.product for c in PRODUCT_BY_KEY[LEADER_PRODUCT].components}
    assert notebook == set(TIER1)
    assert not set(TIER2) & notebook


def test_factor_values_are_the_published_ones() -> None:
    factors = default_factor_set()
    # North China 2023 is 0.6361 kgCO2/kWh (MEE/NBS), the OEM's Beijing plant.
    assert GRID_FACTORS["cn-grid-2023-north"] == Decimal("0.6361")
    for spec in PRODUCTS:
        for line in spec.lines:
            if line.factor is not None:
                assert factors.get(line.factor).value == line.factor_value, line


def test_notebook_by_hand() -> None:
    # Components from REFERENCE.md: mainboard 55, display 75, SSD 55, battery 7, chassis 14,
    # adapter 20; assembly 11 kWh × 0.6361; packaging 2.5 kg × 0.8; inbound 8 t·km air ×
    # 0.8 + 8 t·km road × 0.075.
    by_hand = (
        Decimal(55) + 75 + 55 + 7 + 14 + 20
        + Decimal(11) * Decimal("0.6361")
        + Decimal("2.5") * Decimal("0.8")
        + Decimal(8) * Decimal("0.8")
        + Decimal(8) * Decimal("0.075")
    )  # fmt: skip
    assert by_hand == Decimal("241.9971")
    assert hand_calculation()[LEADER_PRODUCT] == by_hand


@pytest.mark.parametrize("key", [*TIER2, *TIER1, LEADER_PRODUCT])
def test_roll_up_matches_the_hand_calculation(key: str) -> None:
    hand = hand_calculation()
    spec = PRODUCT_BY_KEY[key]
    bom = [
        BomLine(
            line_id=c.line_id,
            description=c.product,
            quantity=c.quantity,
            unit="piece",
            supplier_pcf=hand[c.product],
            supplier_declared_unit="piece",
            dqr=Dqr.uniform(1),
            primary=True,
        )
        for c in spec.components
    ]
    maker = next(o for o in ORGS if o.key == spec.maker)
    result = roll_up(build_inventory(spec, maker, bom, NOW))
    assert result.total == hand[key]
    assert result.pcf == hand[key].quantize(Decimal("0.001"))
    assert result.footprint.pcf.pcf_excluding_biogenic_uptake == result.pcf
