"""Fixed-point scales: from PCF decimals (kgCO2e) to the integers that are committed.

Three scales, chosen so that the roll-up compares integers exactly:

- a PCF value per declared unit (``value``): grams CO2e, ``VALUE_SCALE`` = 1,000 per kg;
- a BOM quantity (``quantity``): millionths of the supplier's declared unit amount,
  ``QUANTITY_SCALE`` = 10^6;
- a roll-up total (``total``): their product, micrograms CO2e, ``TOTAL_SCALE`` = 10^9
  per kg, so ``Σ quantity_i × value_i`` and the declared total are in the same unit.

Rounding always goes against the party that could gain from it (docs/commitments.md §4):
values and quantities round **up** (a committed value is never below the declared
decimal, a weighted sum never below the exact one), the declared total rounds **down**
(the leader is credited with no more than it declared). Values with no more than three
decimals, quantities with no more than six and totals with no more than nine scale
exactly; Tanji's own roll-up declares PCFs to 0.001 kgCO2e.
"""

from __future__ import annotations

import decimal
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from sdk.zk._pedersen import RANGE_LIMIT
from sdk.zk.errors import ZkInputError

__all__ = [
    "MAX_QUANTITY",
    "MAX_TOTAL",
    "QUANTITY_SCALE",
    "TOTAL_SCALE",
    "VALUE_SCALE",
    "scale_quantity",
    "scale_total",
    "scale_value",
]

VALUE_SCALE = 1_000
QUANTITY_SCALE = 1_000_000
TOTAL_SCALE = VALUE_SCALE * QUANTITY_SCALE
#: Quantities are in [1, MAX_QUANTITY): 2^64 millionths, about 1.8e13 declared units.
MAX_QUANTITY = 2**64
#: Declared totals are in [0, MAX_TOTAL) micrograms.
MAX_TOTAL = 2**128
# Exact products of any accepted decimal by a power of ten (values are bounded first).
_CONTEXT = decimal.Context(
    prec=200,
    traps=[decimal.InvalidOperation, decimal.Inexact, decimal.Overflow, decimal.DivisionByZero],
)


def _decimal(x: Decimal | str | int, step: str) -> Decimal:
    if isinstance(x, bool) or not isinstance(x, Decimal | str | int):
        raise ZkInputError(
            step, f"expected a Decimal, decimal string or int, got {type(x).__name__}"
        )
    try:
        d = Decimal(x) if not isinstance(x, Decimal) else x
    except decimal.InvalidOperation as exc:
        raise ZkInputError(step, f"not a decimal number: {x!r}") from exc
    if not d.is_finite():
        raise ZkInputError(step, f"not a finite number: {x!r}")
    return d


def _units(d: Decimal, scale: int, rounding: str, limit: int, step: str, what: str) -> int:
    if d < 0:
        raise ZkInputError(step, f"{what} must not be negative, got {d}")
    # Bound before scaling, so a huge exponent never becomes a huge integer.
    if d >= _CONTEXT.divide(Decimal(limit), Decimal(scale)):
        raise ZkInputError(step, f"{what} {d} is too large for the fixed-point range")
    try:
        scaled = _CONTEXT.multiply(d, Decimal(scale))
    except decimal.DecimalException as exc:
        raise ZkInputError(step, f"{what} {d} has too many digits") from exc
    n = int(scaled.to_integral_value(rounding=rounding))
    if n >= limit:
        raise ZkInputError(step, f"{what} {d} is too large for the fixed-point range")
    return n


def scale_value(pcf: Decimal | str | int) -> int:
    """A PCF value in kgCO2e per declared unit → integer grams, rounded **up**.

    ``"241.997"`` → 241997. Raises :class:`ZkInputError` (``scale.value``) for a
    negative, non-finite or too large value (the range proof covers [0, 2^56) grams).
    """
    return _units(
        _decimal(pcf, "scale.value"),
        VALUE_SCALE,
        ROUND_CEILING,
        RANGE_LIMIT,
        "scale.value",
        "value",
    )


def scale_quantity(quantity: Decimal | str | int) -> int:
    """A BOM quantity in the supplier's declared units (already divided by the supplier's
    declared unit amount) → integer millionths, rounded **up**; ``"0.35"`` → 350000.

    Raises :class:`ZkInputError` (``scale.quantity``) unless 0 < quantity and the result
    is below :data:`MAX_QUANTITY`.
    """
    d = _decimal(quantity, "scale.quantity")
    if d <= 0:
        raise ZkInputError("scale.quantity", f"quantity must be positive, got {d}")
    return _units(d, QUANTITY_SCALE, ROUND_CEILING, MAX_QUANTITY, "scale.quantity", "quantity")


def scale_total(declared: Decimal | str | int) -> int:
    """A declared PCF in kgCO2e → integer micrograms, rounded **down**;
    ``"241.997"`` → 241997000000. Raises :class:`ZkInputError` (``scale.total``)."""
    return _units(
        _decimal(declared, "scale.total"),
        TOTAL_SCALE,
        ROUND_FLOOR,
        MAX_TOTAL,
        "scale.total",
        "declared total",
    )
