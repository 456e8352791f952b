"""The commitment to an attestation's PCF value, its range proof and its opening.

Where each piece travels (docs/commitments.md §8):

* signed statement, ``extensions``: ``valueCommitment`` (64 hex, a Pedersen commitment
  ``C = v·G + r·H`` to the value in grams, :func:`sdk.zk.scale_value`) and
  ``valueRangeProofDigest`` (hex SHA-256 of the range proof's binary form), so the
  7 KB proof is signed without being in the log leaf;
* envelope: ``valueOpening`` ``{"value", "blinding"}``: a grantee opens ``C`` and checks
  it against the disclosed value (:func:`check_value_opening`);
* published next to the statement (publish request field ``valueRangeProof``, stored and
  served by the node): the range proof ``v ∈ [0, 2^56)``, bound to the statement by
  :func:`value_context`. The node checks it before logging; anyone can check it again
  (:func:`check_value_range_proof`).

The range proof's randomness is derived from the opening and the context
(:func:`prove_value_range`): the issuer's wallet, which keeps the envelope, recomputes
the very proof whose digest it signed, without storing 7 KB per attestation. The
derivation is secret to whoever does not hold the opening (the blinding is a uniform
scalar); a grantee who holds it learns nothing it did not know.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from sdk._canonical import canonical_json
from sdk._statement import VALUE_COMMITMENT, VALUE_RANGE_PROOF_DIGEST, Statement
from sdk.zk import (
    Commitment,
    Opening,
    ProofError,
    RangeProof,
    ZkInputError,
    prove_range,
    scale_value,
    verify_opening,
    verify_range,
)
from sdk.zk._group import encode_scalar

VALUE_POINTER = "/pcf/pcfExcludingBiogenicUptake"
"""The claim a value commitment commits to (PACT v3: kgCO2e per declared unit amount)."""

_CONTEXT_TAG = "tanji.pcf-commitment.v1"
_NONCE_TAG = b"tanji.rangeproof.nonces.v1\x00"


def context_of(
    issuer: str, key_id: str, subject: bytes, claims_commitment: bytes, created: str
) -> bytes:
    """The context bytes a value's range proof (and a leader's roll-up) is bound to:
    ``JCS(["tanji.pcf-commitment.v1", issuer, keyId, subjectDigest, commitment,
    created])`` — statement fields fixed before the value is committed."""
    return canonical_json(
        [_CONTEXT_TAG, issuer, key_id, subject.hex(), claims_commitment.hex(), created]
    )


def value_context(statement: Statement) -> bytes:
    """:func:`context_of` for a statement."""
    return context_of(
        str(statement.issuer),
        statement.key_id,
        statement.subject_digest,
        statement.commitment,
        statement.to_dict()["created"],
    )


def footprint_value(footprint: Mapping[str, Any]) -> Decimal:
    """The PCF value at :data:`VALUE_POINTER` of a PACT v3 footprint, as a Decimal.

    Raises :class:`ValueError` naming the pointer when it is missing or not a decimal.
    """
    pcf = footprint.get("pcf")
    raw = pcf.get("pcfExcludingBiogenicUptake") if isinstance(pcf, Mapping) else None
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise ValueError(f"the footprint has no decimal value at {VALUE_POINTER}")
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError(f"{VALUE_POINTER} is not a decimal: {raw!r}") from exc
    if not value.is_finite():
        raise ValueError(f"{VALUE_POINTER} is not a finite decimal: {raw!r}")
    return value


def value_commitment(statement: Statement) -> Commitment | None:
    """The statement's ``valueCommitment``, or None when it carries none (the statement
    validated it on construction)."""
    raw = statement.extensions.get(VALUE_COMMITMENT)
    return None if raw is None else Commitment.from_json(raw)


def range_proof_digest(proof: RangeProof) -> str:
    """Hex SHA-256 of the proof's binary form: the statement's ``valueRangeProofDigest``."""
    return hashlib.sha256(proof.to_bytes()).hexdigest()


def _nonce_rng(opening: Opening, context: bytes) -> Any:
    seed = hashlib.sha512(
        _NONCE_TAG
        + encode_scalar(opening.blinding)
        + opening.value.to_bytes(32, "little")
        + hashlib.sha256(context).digest()
    ).digest()
    state = {"counter": 0}

    def rng(n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += hashlib.sha512(seed + state["counter"].to_bytes(8, "little")).digest()
            state["counter"] += 1
        return out[:n]

    return rng


def prove_value_range(opening: Opening, context: bytes) -> RangeProof:
    """The range proof for ``opening`` under ``context``, with randomness derived from
    both (SHA-512 in counter mode over a tagged seed): the same inputs give the same
    proof. Raises :class:`~sdk.zk.ZkInputError` (``rangeproof.value``) out of range."""
    return prove_range(opening, context=context, rng=_nonce_rng(opening, context))


def check_value_range_proof(statement: Statement, proof_json: object) -> RangeProof | None:
    """Check the range proof published with ``statement``; returns it (None when the
    statement commits to no value and none was published).

    Steps (each a :class:`~sdk.zk.ProofError`): ``rangeproof.schema`` (a proof is missing
    for a committed value, present without one, or malformed), ``rangeproof.digest`` (it
    is not the proof the statement's ``valueRangeProofDigest`` signs), then
    :func:`sdk.zk.verify_range` under :func:`value_context` (``rangeproof.*``).
    """
    commitment = value_commitment(statement)
    if commitment is None:
        if proof_json is not None:
            raise ProofError(
                "rangeproof.schema",
                "a range proof was given but the statement carries no valueCommitment",
            )
        return None
    if proof_json is None:
        raise ProofError(
            "rangeproof.schema",
            "the statement commits to its value (valueCommitment) but no valueRangeProof "
            "was given: publish the proof with the statement",
        )
    proof = RangeProof.from_json(proof_json)
    signed_digest = str(statement.extensions[VALUE_RANGE_PROOF_DIGEST])
    if not hmac.compare_digest(range_proof_digest(proof), signed_digest):
        raise ProofError(
            "rangeproof.digest",
            "the range proof is not the one the statement's valueRangeProofDigest signs",
        )
    verify_range(commitment, proof, context=value_context(statement))
    return proof


def check_value_opening(
    statement: Statement, opening_json: object, footprint: Mapping[str, Any]
) -> Opening | None:
    """A grantee's check that the envelope's ``valueOpening`` opens the statement's
    ``valueCommitment`` to the footprint's value (:func:`sdk.zk.scale_value`, rounded
    up to the gram). Returns the opening (None when neither is present).

    Raises :class:`~sdk.zk.ProofError` at ``commitment.opening``: an opening missing for
    a committed value or present without one, malformed, not opening the commitment, or
    opening it to another value than the footprint's.
    """
    commitment = value_commitment(statement)
    if commitment is None:
        if opening_json is not None:
            raise ProofError(
                "commitment.opening", "the envelope holds a valueOpening for no valueCommitment"
            )
        return None
    if opening_json is None:
        raise ProofError(
            "commitment.opening",
            "the statement commits to its value but the envelope holds no valueOpening",
        )
    opening = Opening.from_json(opening_json)
    verify_opening(commitment, opening)
    try:
        expected = scale_value(footprint_value(footprint))
    except (ValueError, ZkInputError) as exc:
        raise ProofError("commitment.opening", f"the footprint's value: {exc}") from exc
    if opening.value != expected:
        raise ProofError(
            "commitment.opening",
            f"the commitment opens to {opening.value} g, the footprint says {expected} g",
        )
    return opening
