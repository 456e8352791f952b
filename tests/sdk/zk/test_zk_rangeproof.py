"""Range proofs: complete, bound to their context, strict on the wire, and every field
of a proof is covered (changing it is refused at a named step)."""

from __future__ import annotations

import base64
import copy
import hashlib
from collections.abc import Callable
from typing import Any

import pytest

from sdk.zk import (
    RANGE_BITS,
    RANGE_LIMIT,
    RANGE_PROOF_SIZE,
    BitProof,
    Commitment,
    Opening,
    ProofError,
    RangeProof,
    VerifiedProofs,
    ZkInputError,
    commit,
    prove_range,
    remembering,
    verify_range,
)
from sdk.zk._group import L, random_scalar

CTX = b"statement-context"


def seeded(label: str) -> Callable[[int], bytes]:
    state = {"n": 0}

    def rng(n: int) -> bytes:
        out = b""
        while len(out) < n:
            state["n"] += 1
            out += hashlib.sha256(label.encode() + state["n"].to_bytes(8, "big")).digest()
        return out[:n]

    return rng


def _proved(value: int, label: str = "rp") -> tuple[Commitment, RangeProof]:
    rng = seeded(label)
    opening = Opening(value, random_scalar(rng))
    return commit(opening), prove_range(opening, context=CTX, rng=rng)


@pytest.mark.parametrize("value", [0, 1, 2, 241_997, 2**55, RANGE_LIMIT - 1])
def test_complete_at_the_edges(value: int) -> None:
    c, proof = _proved(value)
    assert len(proof.to_bytes()) == RANGE_PROOF_SIZE == 64 + 128 * RANGE_BITS
    verify_range(c, RangeProof.from_json(proof.to_json()), context=CTX)


def test_deterministic_under_a_seeded_rng() -> None:
    assert _proved(5, "same")[1] == _proved(5, "same")[1]
    assert _proved(5, "same")[1] != _proved(5, "other")[1]


@pytest.mark.parametrize("value", [-1, RANGE_LIMIT, L - 1])
def test_prover_refuses_out_of_range(value: int) -> None:
    with pytest.raises(ZkInputError) as err:
        prove_range(Opening(value % L, 1), context=CTX, rng=seeded("x"))
    assert err.value.step == "rangeproof.value"


def test_bound_to_context() -> None:
    c, proof = _proved(7)
    with pytest.raises(ProofError) as err:
        verify_range(c, proof, context=CTX + b"!")
    assert err.value.step == "rangeproof.transcript"


def test_every_field_is_covered() -> None:
    # One bit flipped in every 32-byte field of bits 0, 27 and 55, the digest and the
    # challenge: each is refused, at a named step.
    c, proof = _proved(123_456_789)
    raw = proof.to_bytes()
    offsets = [0, 32] + [64 + j * 128 + f * 32 for j in (0, 27, 55) for f in range(4)]
    for at in offsets:
        tampered = bytearray(raw)
        tampered[at + 5] ^= 0x10
        with pytest.raises(ProofError) as err:
            verify_range(c, RangeProof.from_bytes(bytes(tampered)), context=CTX)
        assert err.value.step.startswith("rangeproof."), at


def _json(proof: RangeProof) -> dict[str, Any]:
    return proof.to_json()


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(type="tanji.rangeproof.v2"),
        lambda d: d.update(bits=55),
        lambda d: d.update(bits=True),
        lambda d: d.update(extra=1),
        lambda d: d.pop("bits"),
        lambda d: d.update(proof=d["proof"].rstrip("=")),
        lambda d: d.update(proof=d["proof"] + "\n"),
        lambda d: d.update(proof=base64.urlsafe_b64encode(b"\xfb" * RANGE_PROOF_SIZE).decode()),
        lambda d: d.update(proof=base64.b64encode(b"\x00" * (RANGE_PROOF_SIZE + 1)).decode()),
    ],
)
def test_wire_form_is_strict(mutate: Any) -> None:
    _, proof = _proved(9)
    doc = copy.deepcopy(_json(proof))
    mutate(doc)
    with pytest.raises(ProofError) as err:
        RangeProof.from_json(doc)
    assert err.value.step == "rangeproof.schema"


def test_objects_validate_on_construction() -> None:
    _, proof = _proved(9)
    with pytest.raises(ProofError) as err:
        RangeProof(proof.context_digest, L, proof.bits)
    assert err.value.step == "rangeproof.scalar"
    with pytest.raises(ProofError) as err:
        RangeProof(proof.context_digest, proof.challenge, proof.bits[:-1])
    assert err.value.step == "rangeproof.schema"


# --- remembering verified proofs (a node re-rendering a label page) ------------------------


def _counting_multiplications(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many variable-base scalar multiplications run from now on."""
    from sdk.zk import _group

    done = [0]
    inner = _group.Point.__rmul__

    def counting(self: _group.Point, k: int) -> _group.Point:
        done[0] += 1
        return inner(self, k)

    monkeypatch.setattr(_group.Point, "__rmul__", counting)
    return done


def test_a_remembered_proof_is_verified_once(monkeypatch: pytest.MonkeyPatch) -> None:
    c, proof = _proved(123_456)
    done = _counting_multiplications(monkeypatch)
    memo = VerifiedProofs()
    with remembering(memo):
        verify_range(c, proof, context=CTX)
        first = done[0]
        verify_range(c, proof, context=CTX)
    assert first > 2 * RANGE_BITS  # the full check ran once...
    assert done[0] == first  # ...and not again
    assert len(memo) == 1
    verify_range(c, proof, context=CTX)  # outside the block nothing is remembered
    assert done[0] == 2 * first


def test_remembering_never_answers_for_other_bytes() -> None:
    c, proof = _proved(77)
    other, _ = _proved(78, "other")
    memo = VerifiedProofs()
    with remembering(memo):
        verify_range(c, proof, context=CTX)
        with pytest.raises(ProofError) as another_context:
            verify_range(c, proof, context=CTX + b"!")
        assert another_context.value.step == "rangeproof.transcript"
        with pytest.raises(ProofError) as another_commitment:
            verify_range(other, proof, context=CTX)
        assert another_commitment.value.step == "rangeproof.sum"
        bits = list(proof.bits)
        b = bits[3]
        bits[3] = BitProof(b.commitment, b.e0, (b.s0 + 1) % L, b.s1)
        tampered = RangeProof(proof.context_digest, proof.challenge, tuple(bits))
        for _ in range(2):  # a failure is never remembered: refused every time
            with pytest.raises(ProofError) as bit:
                verify_range(c, tampered, context=CTX)
            assert bit.value.step == "rangeproof.bit"
    assert len(memo) == 1


def test_remembered_proofs_are_bounded() -> None:
    memo = VerifiedProofs(entries=2)
    proved = [_proved(v, f"b{v}") for v in (1, 2, 3)]
    with remembering(memo):
        for c, proof in proved:
            verify_range(c, proof, context=CTX)
    assert len(memo) == 2
