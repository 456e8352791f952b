"""The leader's roll-up proof: a declared total is at least the quantity-weighted sum of
hidden upstream values.

Public: for each BOM line a reference (the upstream attestation id), an integer quantity
q_i (millionths of the supplier's declared unit, :func:`sdk.zk.scale_quantity`) and the
upstream commitment C_i (taken by the verifier from the anchored statement); the
leader's own-term commitment C_own with its range proof; the declared total T
(micrograms, :func:`sdk.zk.scale_total`) and the blinding r_total that opens

    C_total = Σ q_i·C_i + C_own    to    T·G + r_total·H.

If every C_i commits to v_i ∈ [0, 2^56) (checked by the node at publish) and C_own to
own ∈ [0, 2^56) (checked here), then T = Σ q_i·v_i + own ≥ Σ q_i·v_i as integers: the sum
is below 2^133 < ℓ, so the equation modulo ℓ is an equation over the integers
(docs/commitments.md §3).

JSON form::

    {"type": "tanji.rollup.v1",
     "lines": [{"ref": "<upstream attestation id>", "quantity": "<decimal>",
                "commitment": "<64 hex>"}, ...],
     "own": {"commitment": "<64 hex>", "rangeProof": {<tanji.rangeproof.v1>}},
     "total": "<decimal micrograms>",
     "blinding": "<64 hex scalar < ℓ>"}

The own-term range proof is bound to the caller's context *and* to the lines and the
total (:func:`rollup_own_context`), so it cannot be moved to another roll-up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sdk.zk._group import (
    SCALAR_SIZE,
    G,
    H,
    L,
    Point,
    Rng,
    decode_scalar,
    encode_scalar,
    random_scalar,
    sum_points,
)
from sdk.zk._pedersen import RANGE_LIMIT, Commitment, Opening, commit
from sdk.zk._rangeproof import RangeProof, prove_range, verify_range
from sdk.zk._scale import MAX_QUANTITY, MAX_TOTAL
from sdk.zk._wire import check_keys, read_hex, read_uint
from sdk.zk.errors import ProofError, ZkInputError

__all__ = [
    "MAX_LINES",
    "ROLLUP_TYPE",
    "RollupLine",
    "RollupProof",
    "UpstreamOpening",
    "prove_rollup",
    "rollup_own_context",
    "rollup_own_opening",
    "verify_rollup",
]

ROLLUP_TYPE = "tanji.rollup.v1"
#: At most 4,096 lines: with quantities < 2^64 and values < 2^56 the weighted sum stays
#: below 2^132 + 2^56, far below ℓ ≈ 2^252 (the soundness argument needs < ℓ).
MAX_LINES = 4096
_MAX_REF = 256
_KEYS = frozenset({"type", "lines", "own", "total", "blinding"})
_LINE_KEYS = frozenset({"ref", "quantity", "commitment"})
_OWN_KEYS = frozenset({"commitment", "rangeProof"})
_OWN_CONTEXT_TAG = b"tanji.rollup.own.v1\x00"


def _check_ref(ref: object, step: str) -> str:
    if not isinstance(ref, str) or not 0 < len(ref) <= _MAX_REF or not ref.isascii():
        raise ProofError(step, f"ref must be 1..{_MAX_REF} ASCII characters")
    if not ref.isprintable():
        raise ProofError(step, "ref must be printable")
    return ref


def _check_quantity(q: object, step: str) -> int:
    if isinstance(q, bool) or not isinstance(q, int) or not 0 < q < MAX_QUANTITY:
        raise ProofError(step, f"quantity must be an int in [1, 2^64), got {q!r}")
    return q


@dataclass(frozen=True)
class RollupLine:
    """One public BOM line: upstream reference, integer quantity, upstream commitment."""

    ref: str
    quantity: int
    commitment: Commitment

    def __post_init__(self) -> None:
        _check_ref(self.ref, "rollup.schema")
        _check_quantity(self.quantity, "rollup.schema")
        if not isinstance(self.commitment, Commitment):
            raise ProofError("rollup.schema", "line commitment must be a Commitment")

    def to_json(self) -> dict[str, str]:
        """``{"ref", "quantity": decimal string, "commitment": hex}``."""
        return {
            "ref": self.ref,
            "quantity": str(self.quantity),
            "commitment": self.commitment.to_json(),
        }


@dataclass(frozen=True)
class UpstreamOpening:
    """The prover's view of one line: the public line and the opening of its commitment
    (from the supplier's envelope, granted to the leader)."""

    line: RollupLine
    opening: Opening


@dataclass(frozen=True)
class RollupProof:
    """A leader's roll-up proof (see the module docstring for the relation it proves)."""

    lines: tuple[RollupLine, ...]
    own: Commitment
    own_range_proof: RangeProof
    total: int
    blinding: int

    def __post_init__(self) -> None:
        if not isinstance(self.lines, tuple) or not all(
            isinstance(x, RollupLine) for x in self.lines
        ):
            raise ProofError("rollup.schema", "lines must be a tuple of RollupLine")
        if len(self.lines) > MAX_LINES:
            raise ProofError("rollup.schema", f"at most {MAX_LINES} lines")
        if not isinstance(self.own, Commitment) or not isinstance(self.own_range_proof, RangeProof):
            raise ProofError("rollup.schema", "own must be a Commitment with a RangeProof")
        if (
            isinstance(self.total, bool)
            or not isinstance(self.total, int)
            or not 0 <= self.total < MAX_TOTAL
        ):
            raise ProofError("rollup.schema", "total must be an int in [0, 2^128)")
        if (
            isinstance(self.blinding, bool)
            or not isinstance(self.blinding, int)
            or not 0 <= self.blinding < L
        ):
            raise ProofError("rollup.scalar", "blinding must be an int in [0, ℓ)")

    def to_json(self) -> dict[str, Any]:
        """The JSON wire form (module docstring)."""
        return {
            "type": ROLLUP_TYPE,
            "lines": [line.to_json() for line in self.lines],
            "own": {"commitment": self.own.to_json(), "rangeProof": self.own_range_proof.to_json()},
            "total": str(self.total),
            "blinding": encode_scalar(self.blinding).hex(),
        }

    @classmethod
    def from_json(cls, obj: object) -> RollupProof:
        """Parse strictly: ``rollup.schema`` (shape, type, refs, quantities, total),
        ``commitment.point`` (a line or own commitment), ``rangeproof.*`` (the own-term
        proof) and ``rollup.scalar`` (the blinding)."""
        m: Mapping[str, Any] = check_keys(obj, _KEYS, "rollup.schema", "roll-up proof")
        if m["type"] != ROLLUP_TYPE:
            raise ProofError("rollup.schema", f"type must be {ROLLUP_TYPE!r}")
        raw_lines = m["lines"]
        if not isinstance(raw_lines, list) or len(raw_lines) > MAX_LINES:
            raise ProofError("rollup.schema", f"lines must be a list of at most {MAX_LINES}")
        lines = []
        for i, raw in enumerate(raw_lines):
            line: Mapping[str, Any] = check_keys(raw, _LINE_KEYS, "rollup.schema", f"line {i}")
            lines.append(
                RollupLine(
                    _check_ref(line["ref"], "rollup.schema"),
                    read_uint(
                        line["quantity"], MAX_QUANTITY, "rollup.schema", f"line {i} quantity"
                    ),
                    Commitment.from_json(line["commitment"]),
                )
            )
        own: Mapping[str, Any] = check_keys(m["own"], _OWN_KEYS, "rollup.schema", "own")
        return cls(
            tuple(lines),
            Commitment.from_json(own["commitment"]),
            RangeProof.from_json(own["rangeProof"]),
            read_uint(m["total"], MAX_TOTAL, "rollup.schema", "total"),
            decode_scalar(
                read_hex(m["blinding"], SCALAR_SIZE, "rollup.scalar", "blinding"), "rollup.scalar"
            ),
        )


def rollup_own_context(context: bytes, lines: Sequence[RollupLine], total: int) -> bytes:
    """The context the own-term range proof is bound to: the caller's context, every line
    (ref, quantity, commitment) and the total, each length-framed."""
    if not isinstance(context, bytes):
        raise ZkInputError("arguments", "context must be bytes")
    parts = [_OWN_CONTEXT_TAG, len(context).to_bytes(8, "little"), context]
    parts.append(len(lines).to_bytes(8, "little"))
    for line in lines:
        ref = line.ref.encode("ascii")
        parts += [len(ref).to_bytes(8, "little"), ref, line.quantity.to_bytes(8, "little")]
        parts.append(bytes(line.commitment.point))
    parts.append(total.to_bytes(16, "little"))
    return b"".join(parts)


def _weighted_sum(lines: Sequence[RollupLine]) -> Point:
    return sum_points(line.quantity * line.commitment.point for line in lines)


def prove_rollup(
    upstream: Sequence[UpstreamOpening], *, declared_total: int, context: bytes, rng: Rng
) -> RollupProof:
    """Build the roll-up proof for ``declared_total`` micrograms over ``upstream`` lines.

    The own term is ``declared_total − Σ q_i·v_i``. Raises :class:`ZkInputError`:
    ``commitment.opening`` (an opening does not open its line's commitment),
    ``rollup.own`` (the declared total is below the weighted sum — a leader cannot
    understate — or the own term is 2^56 or more), ``arguments``. ``rng``: 64 bytes for
    the own blinding, then the range proof's draws.
    """
    if isinstance(declared_total, bool) or not isinstance(declared_total, int):
        raise ZkInputError("arguments", "declared_total must be an int (micrograms)")
    if not 0 <= declared_total < MAX_TOTAL:
        raise ZkInputError("arguments", "declared_total must be in [0, 2^128)")
    if len(upstream) > MAX_LINES:
        raise ZkInputError("arguments", f"at most {MAX_LINES} lines")
    weighted = 0
    blinding = 0
    for u in upstream:
        if u.opening.value * G + u.opening.blinding * H != u.line.commitment.point:
            raise ZkInputError(
                "commitment.opening", f"the opening for {u.line.ref} does not open its commitment"
            )
        weighted += u.line.quantity * u.opening.value
        blinding += u.line.quantity * u.opening.blinding
    own_value = declared_total - weighted
    if own_value < 0:
        raise ZkInputError(
            "rollup.own",
            f"declared total {declared_total} is {-own_value} below the weighted sum {weighted}",
        )
    if own_value >= RANGE_LIMIT:
        raise ZkInputError("rollup.own", f"own term {own_value} is 2^56 or more")
    own_opening = Opening(own_value, random_scalar(rng))
    own = commit(own_opening)
    lines = tuple(u.line for u in upstream)
    own_proof = prove_range(
        own_opening, context=rollup_own_context(context, lines, declared_total), rng=rng
    )
    return RollupProof(lines, own, own_proof, declared_total, (blinding + own_opening.blinding) % L)


def rollup_own_opening(proof: RollupProof, upstream: Sequence[UpstreamOpening]) -> Opening:
    """The opening of ``proof``'s own-term commitment, recomputed by the leader from the
    upstream openings it proved with: ``own = T − Σ q_i·v_i``, ``r_own = r_total −
    Σ q_i·r_i``. The leader gives it to its certifier only (it reveals the own term, hence
    ``Σ q_i·v_i``). Raises :class:`ZkInputError` (``commitment.opening``) when the
    openings are not those of the proof's lines."""
    if [u.line for u in upstream] != list(proof.lines):
        raise ZkInputError("commitment.opening", "the openings are not for the proof's lines")
    weighted = sum(u.line.quantity * u.opening.value for u in upstream)
    blinding = sum(u.line.quantity * u.opening.blinding for u in upstream)
    own_value = proof.total - weighted
    if not 0 <= own_value < L:
        raise ZkInputError("commitment.opening", "the openings do not fit the proof's total")
    opening = Opening(own_value, (proof.blinding - blinding) % L)
    if commit(opening) != proof.own:
        raise ZkInputError("commitment.opening", "the openings do not open the own term")
    return opening


def verify_rollup(
    proof: RollupProof,
    *,
    upstream: Mapping[str, Commitment],
    declared_total: int,
    context: bytes,
    expected_lines: Sequence[tuple[str, int]] | None = None,
) -> None:
    """Check that ``declared_total`` ≥ Σ q_i·v_i over the proof's lines.

    ``upstream`` maps each reference to the commitment of the *anchored* statement it
    names (the caller verified the receipts; a supplier's range proof was checked when
    its statement was published). ``expected_lines``, when the verifier knows the BOM
    (the certifier, from the inventory), is the exact list of (ref, quantity).

    Steps, in order (each raises :class:`ProofError` with that step):
    1. ``rollup.lines`` / ``rollup.quantity``: the lines are the expected ones;
    2. ``rollup.upstream``: each line's commitment is the anchored one for its ref;
    3. ``rollup.total``: the proof is for the declared total;
    4. ``rollup.sum``: T·G + r_total·H = Σ q_i·C_i + C_own;
    5. ``rangeproof.*``: C_own opens to a value in [0, 2^56) (bound to this roll-up).
    """
    # 1. Lines as the verifier knows them (certifier: from the leader's inventory).
    if expected_lines is not None:
        got = [(line.ref, line.quantity) for line in proof.lines]
        if [ref for ref, _ in got] != [ref for ref, _ in expected_lines]:
            raise ProofError("rollup.lines", "the proof's lines are not the BOM's lines")
        for (ref, q), (_, want) in zip(got, expected_lines, strict=True):
            if q != want:
                raise ProofError("rollup.quantity", f"{ref}: quantity {q}, the BOM says {want}")
    # 2. Each upstream commitment is the one anchored for that attestation.
    for line in proof.lines:
        anchored = upstream.get(line.ref)
        if anchored is None:
            raise ProofError("rollup.upstream", f"{line.ref}: no anchored statement for this ref")
        if anchored != line.commitment:
            raise ProofError(
                "rollup.upstream", f"{line.ref}: commitment differs from the anchored statement's"
            )
    # 3. The proof opens to the declared value.
    if proof.total != declared_total:
        raise ProofError(
            "rollup.total",
            f"the proof opens to {proof.total}, the declared total is {declared_total}",
        )
    # 4. C_total = Σ q_i·C_i + C_own opens to (T, r_total).
    c_total = _weighted_sum(proof.lines) + proof.own.point
    if proof.total * G + proof.blinding * H != c_total:
        raise ProofError(
            "rollup.sum",
            "the declared total does not open Σ q_i·C_i + C_own (values or quantities differ)",
        )
    # 5. own ≥ 0: the range proof, bound to this roll-up.
    verify_range(
        proof.own,
        proof.own_range_proof,
        context=rollup_own_context(context, proof.lines, proof.total),
    )
