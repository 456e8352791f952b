"""The demo's cheating provers: what a dishonest leader would have to produce, and why it
fails. The package's provers refuse to prove a false statement, so these live here (the
commitment test vectors use them too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from sdk import Attestation, create_attestation, value_context
from sdk.footprint import to_pact
from sdk.roles import Leader, Published, RolledUp
from sdk.zk import (
    IDENTITY,
    RANGE_BITS,
    Commitment,
    G,
    H,
    L,
    RangeProof,
    RollupProof,
    UpstreamOpening,
    prove_bits,
    random_scalar,
    range_context_digest,
    rollup_own_context,
    scale_total,
)

Rng = Callable[[int], bytes]


def forge_range_proof(value: int, blinding: int, ctx: bytes, rng: Rng) -> RangeProof:
    """A cheating prover for a value outside [0, 2^56) (taken modulo ℓ, so -1 is ℓ-1).

    Bits 0..k-2 are the value's low bits, committed honestly; the top bit commitment is
    solved from the bit-sum relation, so Σ 2^j·C_j = C holds, but it commits to
    (value − low bits)/2^(k−1), which is not 0 or 1 — its OR-proof is made with a wrong
    witness and cannot verify.
    """
    v = value % L
    k = RANGE_BITS
    commitment = v * G + blinding * H
    low = [(v >> j) & 1 for j in range(k - 1)]
    rs = [random_scalar(rng) for _ in range(k - 1)]
    cs = [(G if b else IDENTITY) + r * H for b, r in zip(low, rs, strict=True)]
    partial = IDENTITY
    for j in reversed(range(k - 1)):
        partial = partial + partial + cs[j]
    inv_top = pow(2 ** (k - 1), -1, L)
    cs.append(inv_top * (commitment - partial))
    bits = [*low, 1]
    top_r = (blinding - sum(r << j for j, r in enumerate(rs))) * inv_top % L
    rs.append(top_r)  # the wrong witness: C_top − G ≠ top_r·H
    return prove_bits(range_context_digest(ctx), commitment, cs, bits, rs, rng)


def forge_understated_rollup(
    upstream: Sequence[UpstreamOpening], *, declared_total: int, context: bytes, rng: Rng
) -> RollupProof:
    """A roll-up proof for a declared total below Σ q_i·v_i: the sum opens (the leader
    knows every opening), but its own term is negative and its range proof is forged —
    it fails at ``rangeproof.bit`` (docs/commitments.md §5)."""
    lines = tuple(u.line for u in upstream)
    weighted = sum(u.line.quantity * u.opening.value for u in upstream)
    own_value = declared_total - weighted
    r_own = random_scalar(rng)
    forged = forge_range_proof(
        own_value, r_own, rollup_own_context(context, lines, declared_total), rng
    )
    own = Commitment(own_value % L * G + r_own * H)
    blinding = (sum(u.line.quantity * u.opening.blinding for u in upstream) + r_own) % L
    return RollupProof(lines, own, forged, declared_total, blinding)


def publish_understated(leader: Leader, rolled: RolledUp, *, by: Decimal, rng: Rng) -> Published:
    """The leader publishes its footprint ``by`` kg below its roll-up, below the role API
    (whose prover refuses): a statement committing to the lower value and a forged public
    roll-up proof. The node logs it (it checks the range proof of the value, which is
    genuine, and the roll-up's form); the auditor's ``rollup.commitments`` catches it."""
    doc = to_pact(rolled.footprint, "3.0")
    declared = Decimal(doc["pcf"]["pcfExcludingBiogenicUptake"]) - by
    doc["pcf"]["pcfExcludingBiogenicUptake"] = str(declared)
    attestation: Attestation = create_attestation(
        leader.keys,
        footprint=doc,
        inventory=rolled.inventory.to_dict(),
        now=leader.now(),
        commit_value=True,
        rng=rng,
    )
    forged = forge_understated_rollup(
        leader.committed_upstream(rolled),
        declared_total=scale_total(declared),
        context=value_context(attestation.signed_statement.statement),
        rng=rng,
    )
    proof = attestation.value_range_proof
    assert proof is not None
    result = leader.node.publish(
        attestation.signed_statement.to_dict(),
        attestation.envelope.to_dict(),
        [],
        value_range_proof=proof.to_json(),
        rollup_proof=forged.to_json(),
    )
    product = str(doc["productIds"][0])
    return Published(attestation, str(result["logId"]), int(result["index"]), product)
