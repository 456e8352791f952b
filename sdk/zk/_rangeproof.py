"""Range proof: a commitment C opens to a value in [0, 2^56), by bit decomposition.

The prover commits to each bit, C_j = b_j·G + r_j·H, with Σ 2^j·r_j = r, so that
Σ 2^j·C_j = C (the bit-sum relation). For each C_j it gives a Cramer–Damgård–
Schoenmakers OR-proof that C_j or C_j − G is a multiple of H, i.e. that C_j commits to 0
or 1. All bit proofs share one Fiat–Shamir challenge e (each splits it, e = e0_j + e1_j),
so the whole proof is one sigma protocol: an AND of k ORs (docs/commitments.md §3).

Per bit j, with P0 = C_j and P1 = C_j − G, the verifier recomputes
A0_j = s0_j·H − e0_j·P0 and A1_j = s1_j·H − e1_j·P1 (e1_j = e − e0_j) and accepts when
the transcript over everything yields e again.

Transcript (``tanji.rangeproof.v1``, see :mod:`sdk.zk._transcript`): ``context`` (the
context digest), ``G``, ``H``, ``bits`` (u64), ``commitment`` (C), then ``bit`` ×k
(C_j), then ``a0``/``a1`` per bit, then the challenge ``e``.

Binary form (:meth:`RangeProof.to_bytes`), 64 + 128·k = 7,232 bytes for k = 56::

    context_digest (32) || e (32) || k × ( C_j (32) || e0_j (32) || s0_j (32) || s1_j (32) )

scalars little-endian and < ℓ, points canonical and not the identity. JSON form:
``{"type": "tanji.rangeproof.v1", "bits": 56, "proof": "<standard base64 of the binary>"}``.

``context_digest`` = SHA-256("tanji.rangeproof.context.v1" || 0x00 || context): the
caller's context (for an attestation, its statement-specific bytes) is absorbed through
it, and a proof carries it so that a proof replayed under another context is named as
such (``rangeproof.transcript``) instead of failing as a bad bit.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from base64 import b64encode
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sdk.zk._group import (
    IDENTITY,
    POINT_SIZE,
    SCALAR_SIZE,
    G,
    H,
    L,
    Point,
    Rng,
    decode_point,
    decode_scalar,
    encode_scalar,
    random_scalar,
)
from sdk.zk._pedersen import RANGE_BITS, RANGE_LIMIT, Commitment, Opening, commit
from sdk.zk._transcript import Transcript
from sdk.zk._wire import check_keys, read_base64
from sdk.zk.errors import ProofError, ZkInputError

__all__ = [
    "RANGE_PROOF_SIZE",
    "RANGE_PROOF_TYPE",
    "BitProof",
    "RangeProof",
    "prove_range",
    "range_context_digest",
    "range_transcript",
    "verify_range",
]

RANGE_PROOF_TYPE = "tanji.rangeproof.v1"
_PROTOCOL = RANGE_PROOF_TYPE.encode()
_CONTEXT_TAG = b"tanji.rangeproof.context.v1\x00"
_DIGEST_SIZE = 32
_BIT_SIZE = POINT_SIZE + 3 * SCALAR_SIZE
RANGE_PROOF_SIZE = _DIGEST_SIZE + SCALAR_SIZE + RANGE_BITS * _BIT_SIZE
_JSON_KEYS = frozenset({"type", "bits", "proof"})
_INV_TOP = pow(2 ** (RANGE_BITS - 1), -1, L)


def range_context_digest(context: bytes) -> bytes:
    """SHA-256 of the tagged context: what a range proof is bound to."""
    if not isinstance(context, bytes):
        raise ZkInputError("arguments", "context must be bytes")
    return hashlib.sha256(_CONTEXT_TAG + context).digest()


def _scalar_ok(k: object) -> bool:
    return not isinstance(k, bool) and isinstance(k, int) and 0 <= k < L


@dataclass(frozen=True)
class BitProof:
    """One bit: its commitment C_j, the first challenge share e0 and the two responses."""

    commitment: Point
    e0: int
    s0: int
    s1: int

    def __post_init__(self) -> None:
        if not isinstance(self.commitment, Point) or self.commitment.is_identity():
            raise ProofError("rangeproof.point", "a bit commitment must be a non-identity Point")
        if not all(_scalar_ok(k) for k in (self.e0, self.s0, self.s1)):
            raise ProofError("rangeproof.scalar", "bit proof scalars must be ints in [0, ℓ)")


@dataclass(frozen=True)
class RangeProof:
    """A proof that a commitment opens to a value in [0, 2^RANGE_BITS)."""

    context_digest: bytes
    challenge: int
    bits: tuple[BitProof, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.context_digest, bytes) or len(self.context_digest) != 32:
            raise ProofError("rangeproof.schema", "context digest must be 32 bytes")
        if not _scalar_ok(self.challenge):
            raise ProofError("rangeproof.scalar", "challenge must be an int in [0, ℓ)")
        if not isinstance(self.bits, tuple) or not all(isinstance(b, BitProof) for b in self.bits):
            raise ProofError("rangeproof.schema", "bits must be a tuple of BitProof")
        if len(self.bits) != RANGE_BITS:
            raise ProofError(
                "rangeproof.schema", f"a range proof has {RANGE_BITS} bits, got {len(self.bits)}"
            )

    def to_bytes(self) -> bytes:
        """The fixed-layout binary form (:data:`RANGE_PROOF_SIZE` bytes)."""
        parts = [self.context_digest, encode_scalar(self.challenge)]
        for b in self.bits:
            parts += [bytes(b.commitment), encode_scalar(b.e0), encode_scalar(b.s0)]
            parts.append(encode_scalar(b.s1))
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> RangeProof:
        """Parse the binary form; refuses a wrong length (``rangeproof.schema``), a point
        not in the group or non-canonical (``rangeproof.point``) and a scalar ≥ ℓ
        (``rangeproof.scalar``)."""
        if not isinstance(data, bytes) or len(data) != RANGE_PROOF_SIZE:
            size = len(data) if isinstance(data, bytes) else "?"
            raise ProofError(
                "rangeproof.schema", f"a range proof is {RANGE_PROOF_SIZE} bytes, got {size}"
            )
        challenge = decode_scalar(data[32:64], "rangeproof.scalar")
        bits = []
        for j in range(RANGE_BITS):
            at = 64 + j * _BIT_SIZE
            chunk = data[at : at + _BIT_SIZE]
            point = decode_point(chunk[:32], "rangeproof.point")
            e0, s0, s1 = (
                decode_scalar(chunk[i : i + 32], "rangeproof.scalar") for i in (32, 64, 96)
            )
            bits.append(BitProof(point, e0, s0, s1))
        return cls(data[:32], challenge, tuple(bits))

    def to_json(self) -> dict[str, Any]:
        """``{"type": "tanji.rangeproof.v1", "bits": 56, "proof": base64}``."""
        return {
            "type": RANGE_PROOF_TYPE,
            "bits": RANGE_BITS,
            "proof": b64encode(self.to_bytes()).decode(),
        }

    @classmethod
    def from_json(cls, obj: object) -> RangeProof:
        """Parse the JSON form strictly (exact keys, type, bit count, canonical base64)."""
        m: Mapping[str, object] = check_keys(obj, _JSON_KEYS, "rangeproof.schema", "range proof")
        if m["type"] != RANGE_PROOF_TYPE:
            raise ProofError("rangeproof.schema", f"type must be {RANGE_PROOF_TYPE!r}")
        bits = m["bits"]
        if isinstance(bits, bool) or bits != RANGE_BITS:
            raise ProofError("rangeproof.schema", f"bits must be {RANGE_BITS}")
        return cls.from_bytes(read_base64(m["proof"], "rangeproof.schema", "proof"))


def range_transcript(digest: bytes, commitment: Point, bit_commitments: list[Point]) -> Transcript:
    """The range proof's Fiat–Shamir transcript up to the bit commitments (module
    docstring); the prover and the verifier then absorb ``a0``/``a1`` per bit and draw
    ``e``. Public for other implementations and for the test forgeries that show a
    cheating prover fails."""
    return _transcript(digest, commitment, bit_commitments)


def _transcript(digest: bytes, commitment: Point, bit_commitments: list[Point]) -> Transcript:
    t = Transcript(_PROTOCOL)
    t.append(b"context", digest)
    t.append_point(b"G", G)
    t.append_point(b"H", H)
    t.append_u64(b"bits", RANGE_BITS)
    t.append_point(b"commitment", commitment)
    for c in bit_commitments:
        t.append_point(b"bit", c)
    return t


def prove_range(opening: Opening, *, context: bytes, rng: Rng) -> RangeProof:
    """Prove that ``commit(opening)`` holds a value in [0, 2^RANGE_BITS), bound to ``context``.

    ``rng`` is called for 64 bytes at a time, in a fixed order (the blindings of bits
    0..k−2, then per bit: the real nonce, the simulated challenge, the simulated
    response), so a seeded ``rng`` reproduces the proof. Raises :class:`ZkInputError`
    (``rangeproof.value``) for a value outside the range: nothing is produced.
    """
    v, r = opening.value, opening.blinding
    if not 0 <= v < RANGE_LIMIT:
        raise ZkInputError("rangeproof.value", f"value {v} is outside [0, 2^{RANGE_BITS})")
    digest = range_context_digest(context)
    commitment = commit(opening).point
    bits = [(v >> j) & 1 for j in range(RANGE_BITS)]
    blindings = [random_scalar(rng) for _ in range(RANGE_BITS - 1)]
    partial = sum(rj << j for j, rj in enumerate(blindings))
    blindings.append((r - partial) * _INV_TOP % L)  # so that Σ 2^j·r_j = r
    cs = [(G if b else IDENTITY) + rj * H for b, rj in zip(bits, blindings, strict=True)]
    return prove_bits(digest, commitment, cs, bits, blindings, rng)


def prove_bits(
    digest: bytes,
    commitment: Point,
    bit_commitments: list[Point],
    bits: list[int],
    blindings: list[int],
    rng: Rng,
) -> RangeProof:
    """The OR-proofs of a range proof: each ``bit_commitments[j]`` opened as ``bits[j]``
    with ``blindings[j]``, the other branch simulated, under one challenge drawn from the
    transcript of :func:`range_transcript`. ``rng`` is called three times per bit (the
    real nonce, the simulated challenge, the simulated response). :func:`prove_range`
    ends with it; public for the forgeries that show a prover with a wrong witness fails.
    """
    t = _transcript(digest, commitment, bit_commitments)
    secrets = []
    for c, b in zip(bit_commitments, bits, strict=True):
        alpha, e_sim, s_sim = random_scalar(rng), random_scalar(rng), random_scalar(rng)
        sim_base = c - G if b == 0 else c  # the branch the prover cannot open
        a_real = alpha * H
        a_sim = s_sim * H - e_sim * sim_base
        a0, a1 = (a_real, a_sim) if b == 0 else (a_sim, a_real)
        t.append_point(b"a0", a0)
        t.append_point(b"a1", a1)
        secrets.append((alpha, e_sim, s_sim))
    e = t.challenge(b"e")
    proofs = []
    for c, b, rj, (alpha, e_sim, s_sim) in zip(
        bit_commitments, bits, blindings, secrets, strict=True
    ):
        e_real = (e - e_sim) % L
        s_real = (alpha + e_real * rj) % L
        if b == 0:
            proofs.append(BitProof(c, e_real, s_real, s_sim))
        else:
            proofs.append(BitProof(c, e_sim, s_sim, s_real))
    return RangeProof(digest, e, tuple(proofs))


class VerifiedProofs:
    """Range proofs that verified, remembered by the SHA-256 of everything the check
    reads (the commitment, the proof's binary form and the context), at most ``entries``
    of them, least recently used first out.

    A process that checks the same published proofs again and again (a node rendering a
    label's page on every visit) verifies each once: :func:`verify_range` inside
    :func:`remembering` answers a proof it has seen verify for the same commitment and
    context without the scalar multiplications. A changed byte anywhere is another key,
    verified in full; failures are never remembered.
    """

    def __init__(self, entries: int = 4096) -> None:
        self._entries = entries
        self._lock = threading.Lock()
        self._seen: OrderedDict[bytes, None] = OrderedDict()

    def __contains__(self, key: bytes) -> bool:
        with self._lock:
            if key in self._seen:
                self._seen.move_to_end(key)
                return True
            return False

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)

    def add(self, key: bytes) -> None:
        """Remember that the proof of ``key`` verified."""
        with self._lock:
            self._seen[key] = None
            self._seen.move_to_end(key)
            while len(self._seen) > self._entries:
                self._seen.popitem(last=False)


_REMEMBERED: ContextVar[VerifiedProofs | None] = ContextVar("tanji_verified_proofs", default=None)


@contextmanager
def remembering(proofs: VerifiedProofs) -> Iterator[VerifiedProofs]:
    """Within the block, :func:`verify_range` (in this thread or task) consults and
    fills ``proofs``."""
    token = _REMEMBERED.set(proofs)
    try:
        yield proofs
    finally:
        _REMEMBERED.reset(token)


def _proof_key(commitment: Commitment, proof: RangeProof, context: bytes) -> bytes:
    body = proof.to_bytes()
    return hashlib.sha256(
        b"tanji/verified-range-proof/v1"
        + bytes(commitment.point)
        + len(body).to_bytes(8, "big")
        + body
        + context
    ).digest()


def verify_range(commitment: Commitment, proof: RangeProof, *, context: bytes) -> None:
    """Check that ``commitment`` opens to a value in [0, 2^RANGE_BITS), bound to ``context``.

    Steps, in order (each raises :class:`ProofError` with that step):
    1. ``rangeproof.transcript``: the proof was made for this context;
    2. ``rangeproof.sum``: Σ 2^j·C_j = C;
    3. ``rangeproof.bit``: every OR-proof holds under the recomputed challenge.
    Wire-level steps (``rangeproof.schema|point|scalar``) are checked when parsing.
    Inside :func:`remembering`, a proof already seen to verify returns at once.
    """
    memo = _REMEMBERED.get()
    if memo is None:
        _verify_range(commitment, proof, context)
        return
    key = _proof_key(commitment, proof, context)
    if key in memo:
        return
    _verify_range(commitment, proof, context)
    memo.add(key)


def _verify_range(commitment: Commitment, proof: RangeProof, context: bytes) -> None:
    # 1. Transcript binding (a diagnostic: the challenge in step 3 binds it anyway).
    if not hmac.compare_digest(proof.context_digest, range_context_digest(context)):
        raise ProofError(
            "rangeproof.transcript", "the proof was made for another context (statement)"
        )
    # 2. Bit-sum relation, Horner: ((C_{k-1})·2 + C_{k-2})·2 + … + C_0.
    acc = proof.bits[-1].commitment
    for bit in reversed(proof.bits[:-1]):
        acc = acc + acc + bit.commitment
    if acc != commitment.point:
        raise ProofError("rangeproof.sum", "the bit commitments do not add up to the commitment")
    # 3. OR-proofs: recompute every first message, then the shared challenge.
    cs = [b.commitment for b in proof.bits]
    t = _transcript(proof.context_digest, commitment.point, cs)
    e = proof.challenge
    for b in proof.bits:
        e1 = (e - b.e0) % L
        t.append_point(b"a0", b.s0 * H - b.e0 * b.commitment)
        t.append_point(b"a1", b.s1 * H - e1 * (b.commitment - G))
    if t.challenge(b"e") != e:
        raise ProofError(
            "rangeproof.bit", "a bit proof does not verify: some C_j does not commit to 0 or 1"
        )
