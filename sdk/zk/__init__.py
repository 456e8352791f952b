"""Commitments to hidden PCF values and the roll-up anyone can check (pure).

Pedersen commitments on ristretto255 (libsodium via ``rbcl``), range proofs by bit
decomposition with CDS OR-proofs under a SHA-512 Fiat–Shamir transcript, and the
leader's roll-up proof ``declared total ≥ Σ q_i·v_i``. No I/O, no clock; randomness is
an ``rng`` argument. The security argument, scales, wire forms and steps are in
docs/commitments.md; errors in :mod:`sdk.zk.errors`.

Typical use::

    # supplier, at publish: commit to its PCF value, prove the range
    value = scale_value("55.000")                      # grams per declared unit
    commitment, opening = commit_random(value, rng=os.urandom)
    proof = prove_range(opening, context=statement_context, rng=os.urandom)
    # node, before logging: verify_range(commitment, proof, context=statement_context)

    # leader: lines from granted envelopes (openings) and anchored statements
    rollup = prove_rollup(
        [UpstreamOpening(RollupLine(att_id, scale_quantity(q), c), opening), ...],
        declared_total=scale_total("241.997"), context=leader_context, rng=os.urandom)
    # anyone: verify_rollup(rollup, upstream={att_id: anchored_c, ...},
    #                       declared_total=scale_total(label_value), context=leader_context)
"""

from __future__ import annotations

from sdk.zk._group import H_DOMAIN_TAG, IDENTITY, G, H, L, Point, Rng, decode_point, random_scalar
from sdk.zk._pedersen import (
    RANGE_BITS,
    RANGE_LIMIT,
    Commitment,
    Opening,
    commit,
    commit_random,
    verify_opening,
)
from sdk.zk._rangeproof import (
    RANGE_PROOF_SIZE,
    RANGE_PROOF_TYPE,
    BitProof,
    RangeProof,
    VerifiedProofs,
    prove_bits,
    prove_range,
    range_context_digest,
    range_transcript,
    remembering,
    verify_range,
)
from sdk.zk._rollup import (
    MAX_LINES,
    ROLLUP_TYPE,
    RollupLine,
    RollupProof,
    UpstreamOpening,
    prove_rollup,
    rollup_own_context,
    rollup_own_opening,
    verify_rollup,
)
from sdk.zk._scale import (
    MAX_QUANTITY,
    MAX_TOTAL,
    QUANTITY_SCALE,
    TOTAL_SCALE,
    VALUE_SCALE,
    scale_quantity,
    scale_total,
    scale_value,
)
from sdk.zk._transcript import Transcript
from sdk.zk.errors import ProofError, ZkError, ZkInputError

__all__ = [
    "H_DOMAIN_TAG",
    "IDENTITY",
    "MAX_LINES",
    "MAX_QUANTITY",
    "MAX_TOTAL",
    "QUANTITY_SCALE",
    "RANGE_BITS",
    "RANGE_LIMIT",
    "RANGE_PROOF_SIZE",
    "RANGE_PROOF_TYPE",
    "ROLLUP_TYPE",
    "TOTAL_SCALE",
    "VALUE_SCALE",
    "BitProof",
    "Commitment",
    "G",
    "H",
    "L",
    "Opening",
    "Point",
    "ProofError",
    "RangeProof",
    "Rng",
    "RollupLine",
    "RollupProof",
    "Transcript",
    "UpstreamOpening",
    "VerifiedProofs",
    "ZkError",
    "ZkInputError",
    "commit",
    "commit_random",
    "decode_point",
    "prove_bits",
    "prove_range",
    "prove_rollup",
    "random_scalar",
    "range_context_digest",
    "range_transcript",
    "remembering",
    "rollup_own_context",
    "rollup_own_opening",
    "scale_quantity",
    "scale_total",
    "scale_value",
    "verify_opening",
    "verify_range",
    "verify_rollup",
]
