"""Cradle-to-gate roll-up (GB/T 24067 partial footprint) with DQR and primary data share.

Arithmetic rule (the same for leader and certifier, so recomputation is exact):

1. Every operation runs in :data:`~sdk.footprint._units.CALC_CONTEXT` (34 significant
   digits, ROUND_HALF_EVEN, traps on).
2. A line's emissions are computed unrounded, in a fixed order —
   BOM: ``convert(quantity → supplier unit) × supplierPcf ÷ supplierDeclaredAmount``;
   activity: ``convert(quantity → factor basis unit) × factor value × emission-unit size``;
   process: ``convert(quantity → kgCO2e)`` — then quantized to :data:`LINE_QUANTUM`
   (0.000001 kgCO2e).
3. The total is the exact sum of the quantized lines; the declared PCF is the total
   quantized to :data:`PCF_QUANTUM` (0.001 kgCO2e).
4. Shares are of the quantized total; the primary data share and DQR coverage are
   quantized to :data:`PERCENT_QUANTUM` (0.1 %), DQRs to :data:`DQR_QUANTUM` (0.01),
   per-line shares to :data:`SHARE_QUANTUM` (0.01 %).
5. Metered shares (activity lines citing signed readings of a calibrated meter): the
   emissions of metered lines over the emissions of all own activity lines
   (``metered_activity_share``) and over the total (``metered_total_share``), each
   quantized to :data:`PERCENT_QUANTUM`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sdk.errors import FootprintError, VerificationError
from sdk.footprint import _values as v
from sdk.footprint._inventory import ActivityLine, BomLine, Dqr, Inventory
from sdk.footprint._model import Dqi, GridFactorRef, Pcf, ProductFootprint, TanjiExtension
from sdk.footprint._pact import to_pact
from sdk.footprint._productids import uscc_from_company_ids
from sdk.footprint._units import CALC_CONTEXT, convert, split_factor_unit

LINE_QUANTUM = Decimal("0.000001")
PCF_QUANTUM = Decimal("0.001")
PERCENT_QUANTUM = Decimal("0.1")
SHARE_QUANTUM = Decimal("0.01")
DQR_QUANTUM = Decimal("0.01")
#: Inputs whose emissions exceed this fraction of the total carry the DQR weighting.
DQR_CUTOFF = Decimal("0.05")

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
#: IPCC assessment report whose GWPs the roll-up declares (PACT Methodology: the latest
#: available, AR6). The shipped factors are CO2 (grid, fuels) or CO2e values taken as
#: given; a factor set computed with other GWPs is not yet modelled.
IPCC_CHARACTERIZATION_FACTORS = ("AR6",)
#: Declared units whose footprints are for energy, logistics or services: PACT v3.0 says
#: ``productMassPerDeclaredUnit`` SHALL be 0 for them.
MASSLESS_UNITS = frozenset(
    {"kilowatt hour", "megajoule", "ton kilometer", "hour", "megabit second"}
)


@dataclass(frozen=True)
class LineResult:
    """One line's contribution, with every intermediate a certifier needs to redo it.

    ``basis_quantity`` is the quantity in ``basis_unit`` (the supplier's declared unit or
    the factor's basis unit), ``intensity`` the kgCO2e per ``basis_unit``, ``source`` the
    factor id (activities), supplier attestation id (BOM lines, or ``"supplier"`` if
    none) or ``"direct"`` (process lines).
    """

    line_id: str
    kind: str
    quantity: Decimal
    unit: str
    basis_quantity: Decimal
    basis_unit: str
    intensity: Decimal
    source: str
    emissions: Decimal
    share_percent: Decimal
    primary_share: Decimal
    in_dqr: bool
    metered: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form (decimal strings)."""
        return {
            "lineId": self.line_id,
            "kind": self.kind,
            "quantity": v.format_decimal(self.quantity),
            "unit": self.unit,
            "basisQuantity": v.format_decimal(self.basis_quantity),
            "basisUnit": self.basis_unit,
            "intensity": v.format_decimal(self.intensity),
            "source": self.source,
            "emissions": v.format_decimal(self.emissions),
            "sharePercent": v.format_decimal(self.share_percent),
            "primarySharePercent": v.format_decimal(self.primary_share),
            "inDqr": self.in_dqr,
            "metered": self.metered,
        }


@dataclass(frozen=True)
class RollupResult:
    """The footprint a roll-up produces, and the breakdown behind it.

    ``metered_activity_share`` is the percentage of own activity emissions whose activity
    data comes from signed readings of a calibrated meter (None when the inventory has no
    activity emissions); ``metered_total_share`` the same emissions as a percentage of the
    total. Both are what a label disclosure can say ("share of activity data from
    calibrated meters"); they count citations, which the certifier verifies
    (:func:`~sdk.footprint.verify_metered_inventory`).
    """

    footprint: ProductFootprint
    lines: tuple[LineResult, ...]
    total: Decimal
    pcf: Decimal
    primary_data_share: Decimal
    dqr: Dqr
    dqr_coverage_percent: Decimal
    metered_activity_share: Decimal | None = None
    metered_total_share: Decimal = _ZERO

    def to_dict(self) -> dict[str, Any]:
        """JSON form: the PACT v3 footprint plus the breakdown."""
        return {
            "footprint": to_pact(self.footprint, "3.0"),
            "lines": [line.to_dict() for line in self.lines],
            "total": v.format_decimal(self.total),
            "pcf": v.format_decimal(self.pcf),
            "primaryDataShare": v.format_decimal(self.primary_data_share),
            "dqr": self.dqr.to_dict(),
            "dqrCoveragePercent": v.format_decimal(self.dqr_coverage_percent),
            "meteredActivityShare": None
            if self.metered_activity_share is None
            else v.format_decimal(self.metered_activity_share),
            "meteredTotalShare": v.format_decimal(self.metered_total_share),
        }


@dataclass(frozen=True)
class _Raw:
    line_id: str
    kind: str
    quantity: Decimal
    unit: str
    basis_quantity: Decimal
    basis_unit: str
    intensity: Decimal
    source: str
    emissions: Decimal
    primary_share: Decimal
    dqr: Dqr
    activity: bool = False
    metered: bool = False


def roll_up(inventory: Inventory) -> RollupResult:
    """Compute the cradle-to-gate footprint of ``inventory`` (see the module's rule).

    Deterministic: equal inventories give equal results, field for field. Raises
    :class:`~sdk.errors.UnitError` (pointer ``/bom/<i>/unit`` or ``/activities/<i>/unit``)
    naming both units when a quantity cannot be converted, and FootprintError when the
    total is zero (shares are undefined).
    """
    if not isinstance(inventory, Inventory):
        raise FootprintError("", "roll_up needs an Inventory")
    raws = [_bom_line(line, i) for i, line in enumerate(inventory.bom)]
    raws += [_activity_line(inventory, line, i) for i, line in enumerate(inventory.activities)]
    total = _ZERO
    for raw in raws:
        total = CALC_CONTEXT.add(total, raw.emissions)
    if total <= 0:
        raise FootprintError("/bom", "total emissions are zero: shares are undefined")

    cutoff = CALC_CONTEXT.multiply(total, DQR_CUTOFF)
    in_dqr = [raw.emissions > cutoff for raw in raws]
    if not any(in_dqr):
        in_dqr = [True] * len(raws)
    weight = _ZERO
    for raw, included in zip(raws, in_dqr, strict=True):
        if included:
            weight = CALC_CONTEXT.add(weight, raw.emissions)

    ratings: dict[str, Decimal] = {}
    for name in Dqr.NAMES:
        acc = _ZERO
        for raw, included in zip(raws, in_dqr, strict=True):
            if included:
                acc = CALC_CONTEXT.add(
                    acc, CALC_CONTEXT.multiply(raw.emissions, getattr(raw.dqr, name))
                )
        ratings[name] = CALC_CONTEXT.divide(acc, weight).quantize(DQR_QUANTUM, context=CALC_CONTEXT)
    dqr = Dqr(**ratings)

    primary = _ZERO
    for raw in raws:
        primary = CALC_CONTEXT.add(primary, CALC_CONTEXT.multiply(raw.emissions, raw.primary_share))
    pds = CALC_CONTEXT.divide(primary, total).quantize(PERCENT_QUANTUM, context=CALC_CONTEXT)
    coverage = _percent(weight, total)

    lines = tuple(
        LineResult(
            line_id=raw.line_id,
            kind=raw.kind,
            quantity=raw.quantity,
            unit=raw.unit,
            basis_quantity=raw.basis_quantity,
            basis_unit=raw.basis_unit,
            intensity=raw.intensity,
            source=raw.source,
            emissions=raw.emissions,
            share_percent=CALC_CONTEXT.divide(
                CALC_CONTEXT.multiply(raw.emissions, _HUNDRED), total
            ).quantize(SHARE_QUANTUM, context=CALC_CONTEXT),
            primary_share=raw.primary_share,
            in_dqr=included,
            metered=raw.metered,
        )
        for raw, included in zip(raws, in_dqr, strict=True)
    )
    activity_total = metered_total = _ZERO
    for raw in raws:
        if raw.activity:
            activity_total = CALC_CONTEXT.add(activity_total, raw.emissions)
        if raw.metered:
            metered_total = CALC_CONTEXT.add(metered_total, raw.emissions)
    pcf_value = total.quantize(PCF_QUANTUM, context=CALC_CONTEXT)
    activity_share = _percent(metered_total, activity_total) if activity_total else None
    # Stated in the footprint only when a line cites meter readings: footprints without
    # any stay exactly as before.
    stated = activity_share if any(raw.metered for raw in raws) else None
    footprint = _footprint(inventory, raws, pcf_value, pds, dqr, coverage, stated)
    return RollupResult(
        footprint=footprint,
        lines=lines,
        total=total,
        pcf=pcf_value,
        primary_data_share=pds,
        dqr=dqr,
        dqr_coverage_percent=coverage,
        metered_activity_share=activity_share,
        metered_total_share=_percent(metered_total, total),
    )


def recompute(inventory: Inventory, claimed: ProductFootprint) -> RollupResult:
    """Certifier's check: roll ``inventory`` up again and compare with ``claimed``.

    The comparison is exact over the whole PACT v3 document, except the label grade
    (a certifier may have added one). Returns the recomputed result; raises
    :class:`~sdk.errors.VerificationError` with step ``footprint.recompute`` naming the
    first differing JSON Pointer, the claimed and the recomputed value.
    """
    result = roll_up(inventory)
    mine = _without_grade(to_pact(result.footprint, "3.0"))
    theirs = _without_grade(to_pact(claimed, "3.0"))
    difference = _first_difference(theirs, mine, "")
    if difference is not None:
        pointer, claimed_value, recomputed_value = difference
        raise VerificationError(
            "footprint.recompute",
            f"{pointer or '/'}: claimed {claimed_value!r}, recomputed {recomputed_value!r}",
        )
    return result


# ---------------------------------------------------------------- lines


def _bom_line(line: BomLine, index: int) -> _Raw:
    ctx = CALC_CONTEXT
    basis = convert(line.quantity, line.unit, line.supplier_declared_unit, f"/bom/{index}/unit")
    emissions = ctx.divide(ctx.multiply(basis, line.supplier_pcf), line.supplier_declared_amount)
    if not line.primary:
        primary_share = _ZERO
    elif line.supplier_primary_data_share is None:
        primary_share = _HUNDRED
    else:
        primary_share = line.supplier_primary_data_share
    return _Raw(
        line_id=line.line_id,
        kind="bom",
        quantity=line.quantity,
        unit=line.unit,
        basis_quantity=basis,
        basis_unit=line.supplier_declared_unit,
        intensity=ctx.divide(line.supplier_pcf, line.supplier_declared_amount),
        source=line.supplier_attestation_id or "supplier",
        emissions=emissions.quantize(LINE_QUANTUM, context=ctx),
        primary_share=primary_share,
        dqr=line.dqr,
    )


def _activity_line(inventory: Inventory, line: ActivityLine, index: int) -> _Raw:
    ctx = CALC_CONTEXT
    pointer = f"/activities/{index}/unit"
    if line.factor_id is None:
        emissions = convert(line.quantity, line.unit, "kgCO2e", pointer)
        basis_quantity, basis_unit, intensity, source = emissions, "kgCO2e", Decimal(1), "direct"
    else:
        factor = inventory.factor(line.factor_id)
        emission_unit, basis = split_factor_unit(factor.unit)
        basis_quantity = convert(line.quantity, line.unit, basis.symbol, pointer)
        intensity = ctx.multiply(factor.value, emission_unit.size)
        emissions = ctx.multiply(basis_quantity, intensity)
        basis_unit, source = basis.symbol, factor.id
    return _Raw(
        line_id=line.line_id,
        kind=line.kind,
        quantity=line.quantity,
        unit=line.unit,
        basis_quantity=basis_quantity,
        basis_unit=basis_unit,
        intensity=intensity,
        source=source,
        emissions=emissions.quantize(LINE_QUANTUM, context=ctx),
        primary_share=_HUNDRED if line.primary else _ZERO,
        dqr=line.dqr,
        activity=True,
        metered=line.meter_readings is not None,
    )


# ---------------------------------------------------------------- footprint


def _footprint(
    inventory: Inventory,
    raws: list[_Raw],
    pcf_value: Decimal,
    pds: Decimal,
    dqr: Dqr,
    coverage: Decimal,
    metered_activity_share: Decimal | None,
) -> ProductFootprint:
    packaging = [raw.emissions for raw in raws if raw.kind == "packaging"]
    packaging_total = sum(packaging, _ZERO).quantize(PCF_QUANTUM, context=CALC_CONTEXT)
    grid_factors: list[GridFactorRef] = []
    for line in inventory.activities:
        if line.kind != "electricity" or line.factor_id is None:
            continue
        factor = inventory.factor(line.factor_id)
        if any(ref.factor_id == factor.id for ref in grid_factors):
            continue
        grid_factors.append(
            GridFactorRef(
                factor_id=factor.id,
                value=factor.value,
                unit=factor.unit,
                source=factor.source,
                year=factor.year,
                geography=factor.geography,
            )
        )
    lines: list[BomLine | ActivityLine] = [*inventory.bom, *inventory.activities]
    metering = tuple(line.metering for line in lines if line.metering is not None)
    name, _, version = inventory.factor_set_id.partition("@")
    if inventory.fossil_carbon_content is None:
        raise FootprintError(
            "/fossilCarbonContent",
            "PACT v3.0 requires the product's fossil carbon content (kgC per declared unit; "
            "0 if it contains none): give fossil_carbon_content in the inventory",
        )
    pcf = Pcf(
        declared_unit=inventory.declared_unit,
        declared_unit_amount=inventory.declared_unit_amount,
        reference_period_start=inventory.reference_period_start,
        reference_period_end=inventory.reference_period_end,
        pcf_excluding_biogenic_uptake=pcf_value,
        pcf_including_biogenic_uptake=pcf_value,
        # Every line the inventory accounts is fossil CO2e: it has no biogenic or
        # land-sector lines, so those quantities are reported as 0 (PACT: "0 if not
        # applicable") and no uptake or removal is claimed (docs/pact.md).
        fossil_ghg_emissions=pcf_value,
        fossil_carbon_content=inventory.fossil_carbon_content,
        biogenic_carbon_content=inventory.biogenic_carbon_content,
        land_use_change_ghg_emissions=_ZERO,
        land_management_biogenic_co2_emissions=_ZERO,
        biogenic_co2_uptake=_ZERO,
        biogenic_non_co2_emissions=_ZERO,
        ipcc_characterization_factors=IPCC_CHARACTERIZATION_FACTORS,
        exempted_emissions_percent=_ZERO,
        exempted_emissions_description="",
        product_mass_per_declared_unit=_product_mass(inventory),
        geography_country=inventory.geography_country,
        geography_country_subdivision=inventory.geography_country_subdivision,
        boundary_processes_description=inventory.boundary_processes_description
        or _default_boundary_text(inventory.boundary),
        packaging_emissions_included=bool(packaging),
        packaging_ghg_emissions=packaging_total if packaging else None,
        cross_sectoral_standards=("ISO14067",),
        secondary_emission_factor_sources=(
            ({"name": name, "version": version or inventory.factor_set_id},)
            if inventory.factors
            else None
        ),
        primary_data_share=pds,
        dqi=Dqi(
            technological=dqr.technological,
            temporal=dqr.temporal,
            geographical=dqr.geographical,
            completeness=dqr.completeness,
            reliability=dqr.reliability,
            coverage_percent=coverage,
        ),
    )
    return ProductFootprint(
        id=inventory.footprint_id,
        created=inventory.created,
        status="Active",
        company_name=inventory.company_name,
        company_ids=inventory.company_ids,
        product_description=inventory.product_description,
        product_ids=inventory.product_ids,
        product_name_company=inventory.product_name_company,
        pcf=pcf,
        preceding_pf_ids=inventory.preceding_pf_ids,
        validity_period_start=inventory.validity_period_start,
        validity_period_end=inventory.validity_period_end,
        product_classifications=inventory.product_classifications,
        comment=inventory.comment,
        tanji=TanjiExtension(
            boundary=inventory.boundary,
            product_category_rule=inventory.product_category_rule,
            grid_factors=tuple(grid_factors),
            metering=metering,
            factor_set=inventory.factor_set_id,
            factor_set_digest=inventory.factor_set_digest,
            uscc=uscc_from_company_ids(inventory.company_ids),
            metered_activity_share=metered_activity_share,
        ),
    )


def _product_mass(inventory: Inventory) -> Decimal:
    """``productMassPerDeclaredUnit``: the inventory's, else 0 for energy, logistics and
    service units and the declared amount for kilogram; other units need it given."""
    if inventory.product_mass_per_declared_unit is not None:
        return inventory.product_mass_per_declared_unit
    if inventory.declared_unit in MASSLESS_UNITS:
        return _ZERO
    if inventory.declared_unit == "kilogram":
        return inventory.declared_unit_amount
    raise FootprintError(
        "/productMassPerDeclaredUnit",
        f"PACT v3.0 requires the product mass (kg per {inventory.declared_unit_amount} "
        f"{inventory.declared_unit}, excluding packaging): give product_mass_per_declared_unit "
        "in the inventory",
    )


def _default_boundary_text(boundary: str) -> str:
    if boundary == "partial":
        return (
            "GB/T 24067-2024 partial footprint (cradle-to-gate): purchased components at "
            "their suppliers' declared footprints, own energy use, process emissions, "
            "packaging and inbound transport"
        )
    return "GB/T 24067-2024 full footprint (cradle-to-grave) as declared by the inventory lines"


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    ctx = CALC_CONTEXT
    return ctx.divide(ctx.multiply(part, _HUNDRED), whole).quantize(PERCENT_QUANTUM, context=ctx)


# ---------------------------------------------------------------- comparison


def _without_grade(doc: dict[str, Any]) -> dict[str, Any]:
    for ext in doc.get("extensions", []):
        data = ext.get("data")
        if isinstance(data, dict):
            data.pop("grade", None)
    return doc


def _first_difference(a: Any, b: Any, pointer: str) -> tuple[str, Any, Any] | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return v.child(pointer, key), a.get(key), b.get(key)
            found = _first_difference(a[key], b[key], v.child(pointer, key))
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = _first_difference(x, y, v.child(pointer, i))
            if found is not None:
                return found
        if len(a) != len(b):
            i = min(len(a), len(b))
            return (
                v.child(pointer, i),
                a[i] if i < len(a) else None,
                b[i] if i < len(b) else None,
            )
        return None
    if a != b or type(a) is not type(b):
        return pointer, a, b
    return None
