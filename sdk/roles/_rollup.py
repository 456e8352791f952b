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
from sdk.footprint._units import CALC_CONTEXT, convert
from sdk.zk import (
    Commitment,
    Opening,
    ProofError,
    RollupProof,
    ZkInputError,
    scale_quantity,
    scale_total,
    scale_value,
    verify_opening,
    verify_rollup,
)


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


def committed_lines(inventory: Inventory) -> list[tuple[str, int]]:
    """The public lines of a committed roll-up, in BOM order: for each BOM line citing a
    supplier attestation, ``(attestation id, q)`` with ``q`` the line's quantity
    converted to the supplier's declared unit and divided by its declared unit amount
    (the factor :func:`sdk.footprint.roll_up` multiplies the supplier's value by), in
    millionths rounded up (:func:`sdk.zk.scale_quantity`).

    Raises :class:`~sdk.errors.UnitError` for a quantity that cannot be converted and
    :class:`~sdk.zk.ZkInputError` (``scale.quantity``) for one out of range.
    """
    out = []
    for i, line in enumerate(inventory.bom):
        if line.supplier_attestation_id is None:
            continue
        basis = convert(line.quantity, line.unit, line.supplier_declared_unit, f"/bom/{i}/unit")
        factor = CALC_CONTEXT.divide(basis, line.supplier_declared_amount)
        out.append((line.supplier_attestation_id, scale_quantity(factor)))
    return out


def check_committed_rollup(
    rollup_json: object,
    *,
    upstream: Mapping[str, Commitment],
    declared: Decimal,
    context: bytes,
    inventory: Inventory | None = None,
    own_opening: object = None,
) -> RollupProof:
    """``rollup.commitments``: the committed roll-up proves ``declared`` ≥ Σ q_i·v_i over
    the suppliers' anchored commitments (``upstream``: attestation id → commitment, from
    statements whose receipts the caller verified).

    With the ``inventory`` (the certifier): the lines are exactly its BOM's
    (:func:`committed_lines`), and ``own_opening`` (the leader's ``rollupOwnOpening``)
    must open the own term to ``T − Σ q_i·v_i`` computed with the inventory's supplier
    values — so the suppliers' committed values, weighted, are exactly the ones the
    inventory counts, and no upstream disclosure is needed. Without (the public): the
    lines are the proof's own.

    Raises ``VerificationError("rollup.commitments", "<sdk.zk step>: <reason>")``.
    """
    try:
        proof = RollupProof.from_json(rollup_json)
        expected = None if inventory is None else committed_lines(inventory)
        total = scale_total(declared)
        verify_rollup(
            proof,
            upstream=upstream,
            declared_total=total,
            context=context,
            expected_lines=expected,
        )
        if inventory is not None:
            own = Opening.from_json(own_opening)
            verify_opening(proof.own, own)
            counted = sum(
                q * scale_value(line.supplier_pcf)
                for (_, q), line in zip(
                    expected or [],
                    [b for b in inventory.bom if b.supplier_attestation_id is not None],
                    strict=True,
                )
            )
            if own.value != total - counted:
                raise ProofError(
                    "commitment.opening",
                    "the own term is not the declared value less the inventory's supplier "
                    "values: the suppliers' committed values are not the ones the inventory "
                    "counts",
                )
    except (ProofError, ZkInputError) as exc:
        raise VerificationError("rollup.commitments", f"{exc.step}: {exc.reason}") from exc
    except FootprintError as exc:
        raise VerificationError("rollup.commitments", f"the inventory: {exc}") from exc
    return proof
