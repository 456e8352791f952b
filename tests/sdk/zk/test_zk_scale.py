"""Fixed-point scales: exact where the decimals allow, rounding against the prover."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sdk.zk import (
    MAX_QUANTITY,
    RANGE_LIMIT,
    TOTAL_SCALE,
    ZkInputError,
    scale_quantity,
    scale_total,
    scale_value,
)


def test_exact_for_tanji_decimals() -> None:
    assert scale_value("241.997") == 241_997
    assert scale_value(Decimal("55")) == 55_000
    assert scale_value(0) == 0
    assert scale_quantity("0.35") == 350_000
    assert scale_quantity("2") == 2_000_000
    assert scale_total("241.997") == 241_997_000_000


def test_products_compare_exactly_with_the_total() -> None:
    # 0.35 kg of battery at 20 kgCO2e/kg: 7 kg, in micrograms on both sides.
    assert scale_quantity("0.35") * scale_value("20") == scale_total("7")


def test_rounding_goes_against_the_leader() -> None:
    assert scale_value("0.0001") == 1  # up: a value is never committed below its decimal
    assert scale_value("1.0000001") == 1_001
    assert scale_quantity("0.0000001") == 1  # up
    assert scale_quantity(Decimal(1) / Decimal(3)) == 333_334
    assert scale_total("1.0000000009") == TOTAL_SCALE  # down: declared never credited above


@pytest.mark.parametrize(
    ("fn", "bad", "step"),
    [
        (scale_value, "-0.001", "scale.value"),
        (scale_value, "NaN", "scale.value"),
        (scale_value, "Infinity", "scale.value"),
        (scale_value, "1e400", "scale.value"),
        (scale_value, 1.5, "scale.value"),
        (scale_value, True, "scale.value"),
        (scale_value, "12,5", "scale.value"),
        (scale_value, "0." + "1" * 300, "scale.value"),
        (scale_quantity, "0", "scale.quantity"),
        (scale_quantity, "-1", "scale.quantity"),
        (scale_total, "-1", "scale.total"),
    ],
)
def test_refused_inputs(fn: object, bad: object, step: str) -> None:
    with pytest.raises(ZkInputError) as err:
        fn(bad)  # type: ignore[operator]
    assert err.value.step == step


def test_bounds() -> None:
    top = Decimal(RANGE_LIMIT - 1) / 1000
    assert scale_value(top) == RANGE_LIMIT - 1
    with pytest.raises(ZkInputError):
        scale_value(Decimal(RANGE_LIMIT) / 1000)
    assert scale_quantity(Decimal(MAX_QUANTITY - 1) / 10**6) == MAX_QUANTITY - 1
    with pytest.raises(ZkInputError):
        scale_quantity(Decimal(MAX_QUANTITY) / 10**6)
