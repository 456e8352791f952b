"""The certifier's recomputation: lineage first, then the roll-up, both exact.

Pure: the upstream values come in already verified against their suppliers' anchored,
signed commitments (see :mod:`sdk.roles._certifier`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sdk.errors import FactorError, FootprintError, VerificationError
from sdk.footprint import FactorSet, Inventory, RollupResult, from_pact, recompute


@dataclass(frozen=True)
class UpstreamValue:
    """A supplier's PCF claim as verified: attestation, product, value per declared
    amount of the declared unit."""

    attestation_id: str
    product_id: str
    value: Decimal
    declared_unit: str
    declared_amount: Decimal = Decimal(1)


def check_lineage(inventory: Inventory, upstream: Sequence[UpstreamValue]) -> None:
    """Every BOM line citing a supplier attestation uses exactly that supplier's value,
    declared unit and declared unit amount.

    Raises ``VerificationError("rollup.lineage", …)`` naming the line, the value it used
    and the value the supplier attested, or a cited attestation whose disclosure the
    leader did not carry.
    """
    by_id = {u.attestation_id: u for u in upstream}
    for i, line in enumerate(inventory.bom):
        cited = line.supplier_attestation_id
        if cited is None:
            continue
        found = by_id.get(cited)
        if found is None:
            raise VerificationError(
                "rollup.lineage",
                f"BOM line {line.line_id!r} cites attestation {cited[:16]}… but the leader's "
                "envelope carries no disclosure of it",
            )
        if line.supplier_pcf != found.value:
            raise VerificationError(
                "rollup.lineage",
                f"BOM line {i} {line.line_id!r} ({line.description}) uses "
                f"{line.supplier_pcf} kgCO2e/{line.supplier_declared_unit}, but the supplier "
                f"attested {found.value} kgCO2e/{found.declared_unit} in attestation "
                f"{cited[:16]}…",
            )
        if line.supplier_declared_unit != found.declared_unit:
            raise VerificationError(
                "rollup.lineage",
                f"BOM line {line.line_id!r} counts per {line.supplier_declared_unit!r}, the "
                f"supplier's value is per {found.declared_unit!r}",
            )
        if line.supplier_declared_amount != found.declared_amount:
            raise VerificationError(
                "rollup.lineage",
                f"BOM line {line.line_id!r} counts the supplier's value per "
                f"{line.supplier_declared_amount} {line.supplier_declared_unit}, the supplier "
                f"attested it per {found.declared_amount} {found.declared_unit}",
            )
        if line.supplier_product_id is not None and line.supplier_product_id != found.product_id:
            raise VerificationError(
                "rollup.lineage",
                f"BOM line {line.line_id!r} is for {line.supplier_product_id}, the cited "
                f"attestation is about {found.product_id}",
            )


def recompute_checked(
    inventory_doc: Any,
    footprint_doc: Mapping[str, Any],
    upstream: Sequence[UpstreamValue],
    factor_set: FactorSet,
) -> RollupResult:
    """Parse the inventory, check its lineage and factors, roll it up again, compare.

    Steps (each a ``VerificationError`` naming it): ``rollup.inventory`` (the inventory
    or footprint does not parse), ``rollup.lineage`` (:func:`check_lineage`),
    ``rollup.factors`` (a factor differs from the reference ``factor_set``),
    ``rollup.recompute`` (the recomputed footprint differs from the claimed one; the
    first differing field is named). Returns the recomputed result.
    """
    try:
        inventory = Inventory.from_dict(inventory_doc)
        claimed = from_pact(dict(footprint_doc))
    except FootprintError as exc:
        raise VerificationError("rollup.inventory", str(exc)) from exc
    check_lineage(inventory, upstream)
    try:
        inventory.check_factors(factor_set)
    except FactorError as exc:
        raise VerificationError("rollup.factors", str(exc)) from exc
    try:
        return recompute(inventory, claimed)
    except VerificationError as exc:
        raise VerificationError("rollup.recompute", exc.reason) from exc
    except FootprintError as exc:
        raise VerificationError("rollup.recompute", str(exc)) from exc
