"""The roll-up proof over random BOMs: it verifies iff declared ≥ Σ q_i·v_i."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo_chain import forge_range_proof
from sdk.zk import (
    MAX_QUANTITY,
    RANGE_LIMIT,
    Commitment,
    Opening,
    ProofError,
    RollupLine,
    RollupProof,
    UpstreamOpening,
    ZkInputError,
    commit,
    prove_rollup,
    rollup_own_context,
    verify_rollup,
)
from sdk.zk._group import G, H, L, random_scalar
from tests.vectors.commitments.generate import seeded

CTX = b"leader-statement"

BOMS = st.lists(
    st.tuples(st.integers(0, 10**9), st.integers(1, 10**8)),  # (value g, quantity µunits)
    max_size=6,
)


def _lines(bom: list[tuple[int, int]], label: str) -> list[UpstreamOpening]:
    rng = seeded(label)
    out = []
    for i, (value, quantity) in enumerate(bom):
        opening = Opening(value, random_scalar(rng))
        out.append(UpstreamOpening(RollupLine(f"att-{i}", quantity, commit(opening)), opening))
    return out


def _anchored(ups: list[UpstreamOpening]) -> dict[str, Commitment]:
    return {u.line.ref: u.line.commitment for u in ups}


def _cheat(ups: list[UpstreamOpening], total: int, label: str) -> RollupProof:
    """What a leader that understates must publish: own = total − Σ < 0, range proof forged."""
    rng = seeded(label)
    weighted = sum(u.line.quantity * u.opening.value for u in ups)
    r_own = random_scalar(rng)
    lines = tuple(u.line for u in ups)
    own = (total - weighted) % L * G + r_own * H
    forged = forge_range_proof(total - weighted, r_own, rollup_own_context(CTX, lines, total), rng)
    blinding = (sum(u.line.quantity * u.opening.blinding for u in ups) + r_own) % L
    return RollupProof(lines, Commitment(own), forged, total, blinding)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(
    bom=BOMS,
    delta=st.one_of(st.integers(-3, 3), st.integers(-(10**15), 10**15)),
    seed=st.text(max_size=8),
)
def test_verifies_iff_declared_at_least_weighted_sum(
    bom: list[tuple[int, int]], delta: int, seed: str
) -> None:
    ups = _lines(bom, seed)
    weighted = sum(q * v for v, q in bom)
    total = weighted + delta
    if total < 0:
        total, delta = 0, -weighted
    anchored = _anchored(ups)
    if 0 <= delta < RANGE_LIMIT:
        proof = prove_rollup(ups, declared_total=total, context=CTX, rng=seeded(seed + "p"))
        parsed = RollupProof.from_json(proof.to_json())
        verify_rollup(parsed, upstream=anchored, declared_total=total, context=CTX)
        if bom:  # any quantity off by one breaks the sum
            lines = list(parsed.lines)
            lines[0] = RollupLine(lines[0].ref, lines[0].quantity + 1, lines[0].commitment)
            bumped = RollupProof(
                tuple(lines), parsed.own, parsed.own_range_proof, total, parsed.blinding
            )
            with pytest.raises(ProofError) as err:
                verify_rollup(bumped, upstream=anchored, declared_total=total, context=CTX)
            assert err.value.step == "rollup.sum"
    elif delta < 0:
        with pytest.raises(ZkInputError) as refused:
            prove_rollup(ups, declared_total=total, context=CTX, rng=seeded(seed))
        assert refused.value.step == "rollup.own"
        with pytest.raises(ProofError) as err:
            verify_rollup(
                _cheat(ups, total, seed), upstream=anchored, declared_total=total, context=CTX
            )
        assert err.value.step in {"rangeproof.bit", "rangeproof.sum"}


def test_no_upstream_lines() -> None:
    proof = prove_rollup([], declared_total=5, context=CTX, rng=seeded("empty"))
    verify_rollup(proof, upstream={}, declared_total=5, context=CTX, expected_lines=[])


def test_prover_checks_the_openings() -> None:
    ups = _lines([(10, 1)], "open")
    wrong = UpstreamOpening(ups[0].line, Opening(11, ups[0].opening.blinding))
    with pytest.raises(ZkInputError) as err:
        prove_rollup([wrong], declared_total=100, context=CTX, rng=seeded("o"))
    assert err.value.step == "commitment.opening"


def test_own_term_must_fit_the_range() -> None:
    with pytest.raises(ZkInputError) as err:
        prove_rollup([], declared_total=RANGE_LIMIT, context=CTX, rng=seeded("big"))
    assert err.value.step == "rollup.own"


def test_duplicate_refs_are_separate_lines() -> None:
    # The same supplier attestation on two BOM lines (e.g. screws in two places).
    ups = _lines([(1000, 2_000_000)], "dup")
    twice = [ups[0], ups[0]]
    proof = prove_rollup(twice, declared_total=4_000_000_000, context=CTX, rng=seeded("d"))
    verify_rollup(proof, upstream=_anchored(ups), declared_total=4_000_000_000, context=CTX)


def _good() -> tuple[RollupProof, dict[str, Commitment]]:
    ups = _lines([(55_000, 1_000_000), (20_000, 350_000)], "good")
    total = 70_000_000_000
    return prove_rollup(ups, declared_total=total, context=CTX, rng=seeded("g")), _anchored(ups)


@pytest.mark.parametrize(
    ("mutate", "step"),
    [
        (lambda d: d.update(type="tanji.rollup.v0"), "rollup.schema"),
        (lambda d: d.update(extra=None), "rollup.schema"),
        (lambda d: d.update(total=70_000_000_000), "rollup.schema"),
        (lambda d: d.update(total="070000000000"), "rollup.schema"),
        (lambda d: d.update(total=str(2**128)), "rollup.schema"),
        (lambda d: d["lines"][0].update(quantity="0"), "rollup.schema"),
        (lambda d: d["lines"][0].update(quantity=str(MAX_QUANTITY)), "rollup.schema"),
        (lambda d: d["lines"][0].update(quantity="-1"), "rollup.schema"),
        (lambda d: d["lines"][0].update(ref=""), "rollup.schema"),
        (lambda d: d["lines"][0].update(ref="\n"), "rollup.schema"),
        (
            lambda d: d["lines"][0].update(commitment=d["lines"][0]["commitment"].upper()),
            "commitment.point",
        ),
        (lambda d: d["own"].update(commitment="00" * 32), "commitment.point"),
        (lambda d: d["own"]["rangeProof"].update(bits=57), "rangeproof.schema"),
        (lambda d: d.update(blinding="ff" * 32), "rollup.scalar"),
        (lambda d: d.update(blinding="00" * 31), "rollup.scalar"),
    ],
)
def test_wire_form_is_strict(mutate: Any, step: str) -> None:
    proof, _ = _good()
    doc = copy.deepcopy(proof.to_json())
    mutate(doc)
    with pytest.raises(ProofError) as err:
        RollupProof.from_json(doc)
    assert err.value.step == step


def test_expected_lines_name_what_differs() -> None:
    proof, anchored = _good()
    refs = [(line.ref, line.quantity) for line in proof.lines]
    verify_rollup(
        proof, upstream=anchored, declared_total=proof.total, context=CTX, expected_lines=refs
    )
    for expected, step in [
        ([refs[0]], "rollup.lines"),
        ([refs[1], refs[0]], "rollup.lines"),
        ([refs[0], (refs[1][0], refs[1][1] + 1)], "rollup.quantity"),
    ]:
        with pytest.raises(ProofError) as err:
            verify_rollup(
                proof,
                upstream=anchored,
                declared_total=proof.total,
                context=CTX,
                expected_lines=expected,
            )
        assert err.value.step == step


def test_opening_reveals_only_the_total() -> None:
    # The public opening (total, blinding) is the same function of the hidden values for
    # two BOMs with equal weighted sums: what is published cannot tell them apart except
    # through the commitments, which hide (docs/commitments.md §5).
    a = prove_rollup(
        _lines([(100, 1), (0, 1)], "s"), declared_total=500, context=CTX, rng=seeded("r")
    )
    b = prove_rollup(
        _lines([(0, 1), (100, 1)], "s"), declared_total=500, context=CTX, rng=seeded("r")
    )
    assert a.total == b.total
    assert a.blinding == b.blinding  # same blindings drawn: the values do not enter it
