"""Units of measure for quantities, declared units and emission factors.

Each unit has a dimension and an exact decimal size relative to the dimension's base
unit. Conversion multiplies by the size ratio under :data:`CALC_CONTEXT`; it is exact
for every pair except where the ratio does not terminate (MJ → kWh divides by 3.6),
which is rounded to 34 significant digits, deterministically.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow

from sdk.errors import UnitError

#: The one arithmetic context of footprint calculations: 34 significant digits (IEEE
#: decimal128), banker's rounding, and traps on invalid operations, division by zero and
#: overflow, so no NaN or infinity can slip into a result.
CALC_CONTEXT = Context(
    prec=34,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)


@dataclass(frozen=True)
class Unit:
    """A unit: canonical symbol, dimension, size in the dimension's base unit."""

    symbol: str
    dimension: str
    size: Decimal


def _units() -> dict[str, Unit]:
    table: list[tuple[tuple[str, ...], str, str]] = [
        # (aliases — first is the canonical symbol), dimension, size in base unit
        (("kg", "kilogram", "kilograms"), "mass", "1"),
        (("g", "gram", "grams"), "mass", "0.001"),
        (("t", "tonne", "tonnes", "metric ton"), "mass", "1000"),
        (("MJ", "megajoule", "megajoules"), "energy", "1"),
        (("GJ", "gigajoule"), "energy", "1000"),
        (("kWh", "kilowatt hour", "kilowatt hours"), "energy", "3.6"),
        (("MWh", "megawatt hour"), "energy", "3600"),
        (("m", "metre", "meter"), "length", "1"),
        (("km", "kilometre", "kilometer"), "length", "1000"),
        (("m2", "m²", "square meter", "square metre"), "area", "1"),
        (("cm2", "cm²"), "area", "0.0001"),
        (("L", "l", "liter", "litre"), "volume", "1"),
        (("m3", "m³", "cubic meter", "cubic metre"), "volume", "1000"),
        (("Nm3", "Nm³"), "gas volume (normal)", "1"),
        (("piece", "pieces", "pcs", "unit", "units", "item"), "count", "1"),
        (("t·km", "tkm", "t*km", "ton kilometer", "tonne kilometre"), "transport work", "1"),
        (("kg·km", "kgkm", "kg*km"), "transport work", "0.001"),
        (("h", "hour", "hours"), "time", "1"),
        (("megabit second",), "data transfer", "1"),
        (("kgCO2e", "kgCO2", "kg CO2e"), "emissions", "1"),
        (("gCO2e", "gCO2"), "emissions", "0.001"),
        (("tCO2e", "tCO2"), "emissions", "1000"),
    ]
    units: dict[str, Unit] = {}
    for aliases, dimension, size in table:
        unit = Unit(aliases[0], dimension, Decimal(size))
        for alias in aliases:
            units[alias] = unit
    return units


UNITS = _units()


def unit(symbol: str, pointer: str = "") -> Unit:
    """Look a unit up by symbol or alias; raises UnitError (at ``pointer``) if unknown."""
    found = UNITS.get(symbol) if isinstance(symbol, str) else None
    if found is None:
        raise UnitError(pointer, f"unknown unit {symbol!r}")
    return found


def convert(quantity: Decimal, from_unit: str, to_unit: str, pointer: str = "") -> Decimal:
    """``quantity`` in ``from_unit`` expressed in ``to_unit``.

    Raises :class:`~sdk.errors.UnitError` (at ``pointer``) naming both units when either
    is unknown or their dimensions differ (e.g. kWh → kg).
    """
    source = unit(from_unit, pointer)
    target = unit(to_unit, pointer)
    if source.dimension != target.dimension:
        raise UnitError(
            pointer,
            f"cannot convert {from_unit!r} ({source.dimension}) to {to_unit!r} "
            f"({target.dimension})",
        )
    if source.size == target.size:
        return quantity
    return CALC_CONTEXT.divide(CALC_CONTEXT.multiply(quantity, source.size), target.size)


def split_factor_unit(symbol: str, pointer: str = "") -> tuple[Unit, Unit]:
    """Split an emission-factor unit ``"kgCO2e/kWh"`` into (emission unit, basis unit).

    Raises UnitError if it is not ``<emissions>/<unit>`` with known units.
    """
    if not isinstance(symbol, str) or symbol.count("/") != 1:
        raise UnitError(pointer, f"factor unit must look like 'kgCO2e/kWh', got {symbol!r}")
    top, bottom = symbol.split("/")
    emissions = unit(top, pointer)
    if emissions.dimension != "emissions":
        raise UnitError(pointer, f"factor unit {symbol!r} must have kgCO2e (or kgCO2) on top")
    return emissions, unit(bottom, pointer)


def tkm(mass: Decimal, mass_unit: str, distance: Decimal, distance_unit: str) -> Decimal:
    """Transport work in t·km for ``mass`` carried over ``distance``.

    Raises UnitError if ``mass_unit`` is not a mass or ``distance_unit`` not a length.
    """
    tonnes = convert(mass, mass_unit, "t")
    kilometres = convert(distance, distance_unit, "km")
    return CALC_CONTEXT.multiply(tonnes, kilometres)
