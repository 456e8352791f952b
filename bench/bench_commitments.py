"""Commitment benchmarks (sdk.zk): range proof size and time, 50-line roll-up prove/verify.

Baseline: ONE ristretto255 variable-base scalar multiplication
(``crypto_scalarmult_ristretto255`` through rbcl), measured in the same run. Each figure
is also given as "≈ N scalar multiplications" (figure / baseline), which is what the
design is built from: a range-proof verification costs 4 products per bit plus point
additions (56 bits), a roll-up verification one product per line plus the own-term
range proof.

Publish with a value commitment (statement extension ``valueCommitment``, the range
proof published next to the statement, docs/commitments.md §8) is compared with the same
publish without one, in the same run: the issuer's side (``create_attestation``) and the
node's admission check (schema + signature, plus the range proof), and the bytes sent.

Goals (issue 12): one range proof ≤ 8 KB and verified ≤ 15 ms; verifying a 50-line
roll-up (the suppliers' range proofs were checked when their statements were published)
≤ 50 ms. Verification times include parsing the JSON wire form (point and scalar checks),
as a verifier receives it.

Honesty rules: every timed verification parses a fresh copy of its wire form; proofs are
made with the production code and fresh randomness; the machine is shared, so figures
are medians over rounds in which an op chunk alternates with a baseline chunk, and the
ratio is the median of the per-round ratios.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import rbcl

from bench._report import Row
from sdk import (
    Attestation,
    OrgKeys,
    SignedStatement,
    check_value_range_proof,
    create_attestation,
    verify_statement_signature,
)
from sdk.zk import (
    RANGE_PROOF_SIZE,
    Commitment,
    RangeProof,
    RollupLine,
    RollupProof,
    UpstreamOpening,
    commit_random,
    prove_range,
    prove_rollup,
    scale_quantity,
    scale_total,
    scale_value,
    verify_range,
    verify_rollup,
)

LINES = 50
CTX = b"bench statement context"


def _log(msg: str) -> None:
    print(f"   [commitments] {msg}", file=sys.stderr, flush=True)


def _time(fn: Callable[[], object], n: int) -> float:
    """Seconds per call over ``n`` calls."""
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n


def _measure(op: Callable[[], object], n_op: int, rounds: int) -> tuple[float, float, float]:
    """(op seconds, baseline seconds, op / baseline) as medians over alternating rounds."""
    scalar = rbcl.crypto_core_ristretto255_scalar_random()
    point = rbcl.crypto_scalarmult_ristretto255_base(rbcl.crypto_core_ristretto255_scalar_random())

    def smul() -> None:
        rbcl.crypto_scalarmult_ristretto255(scalar, point)

    ops, bases, ratios = [], [], []
    for _ in range(rounds):
        base = _time(smul, 300)
        t = _time(op, n_op)
        ops.append(t)
        bases.append(base)
        ratios.append(t / base)
    return statistics.median(ops), statistics.median(bases), statistics.median(ratios)


def _pair(
    op: Callable[[], object], base: Callable[[], object], n: int, rounds: int
) -> tuple[float, float, float]:
    """(op seconds, baseline seconds, op / baseline), alternating as in :func:`_measure`."""
    ops, bases, ratios = [], [], []
    for _ in range(rounds):
        b = _time(base, n)
        t = _time(op, n)
        ops.append(t)
        bases.append(b)
        ratios.append(t / b)
    return statistics.median(ops), statistics.median(bases), statistics.median(ratios)


def _publish_rows(rounds: int) -> list[Row]:
    """Publish with a value commitment vs without, issuer side and node admission."""
    keys = OrgKeys.from_seed("91350100M000100Y43", b"\7" * 32)
    footprint: dict[str, Any] = {
        "productIds": ["urn:pact:product:bench-panel"],
        "pcf": {"pcfExcludingBiogenicUptake": "75.000", "declaredUnitOfMeasurement": "piece"},
    }
    inventory: Any = {"lines": [{"activity": "electricity", "amount": "11", "unit": "kWh"}] * 8}
    now = datetime(2026, 11, 29, tzinfo=UTC)

    def build(commit: bool) -> Attestation:
        return create_attestation(
            keys, footprint=footprint, inventory=inventory, now=now, commit_value=commit
        )

    t_with, t_without, r_build = _pair(lambda: build(True), lambda: build(False), 5, rounds)
    plain, committed = build(False), build(True)
    assert committed.value_range_proof is not None
    public = bytes(keys.verify_key)
    plain_wire = json.dumps(plain.signed_statement.to_dict())
    committed_wire = json.dumps(committed.signed_statement.to_dict())
    proof_wire = json.dumps(committed.value_range_proof.to_json())

    def admit(wire: str, proof: str | None) -> None:
        signed = SignedStatement.from_dict(json.loads(wire))
        verify_statement_signature(signed, public)
        check_value_range_proof(signed.statement, None if proof is None else json.loads(proof))

    a_with, a_without, r_admit = _pair(
        lambda: admit(committed_wire, proof_wire), lambda: admit(plain_wire, None), 5, rounds
    )
    body_without = len(plain_wire) + len(json.dumps(plain.envelope.to_dict()))
    body_with = (
        len(committed_wire) + len(json.dumps(committed.envelope.to_dict())) + len(proof_wire)
    )
    leaf_without = len(plain.signed_statement.leaf_bytes)
    leaf_with = len(committed.signed_statement.leaf_bytes)
    _log(
        f"publish: build {r_build:.1f}× and admit {r_admit:.1f}× the cost without; "
        f"request {body_with:,} vs {body_without:,} B, leaf {leaf_with} vs {leaf_without} B"
    )
    return [
        Row(
            "commitments",
            "publish with value commitment: issuer builds (commit + range proof) vs without",
            f"{_ms(t_with)} ({r_build:,.1f}× the cost)",
            f"same publish without: {_ms(t_without)}",
            1 / r_build,
            "none set (cost report)",
            True,
        ),
        Row(
            "commitments",
            "publish with value commitment: node admission (schema, signature, range proof) "
            "vs without",
            f"{_ms(a_with)} ({r_admit:,.1f}× the cost)",
            f"same admission without: {_ms(a_without)}",
            1 / r_admit,
            "none set (cost report)",
            True,
        ),
        Row(
            "commitments",
            "publish with value commitment: request bytes (statement + envelope + proof) and "
            "log leaf",
            f"{body_with:,} B; leaf {leaf_with:,} B",
            f"without: {body_without:,} B; leaf {leaf_without:,} B",
            body_without / body_with,
            "none set (cost report)",
            True,
        ),
    ]


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.2f} ms"


def run(quick: bool = False) -> list[Row]:
    rounds = 3 if quick else 9
    rows: list[Row] = []

    # One range proof (a supplier's PCF value, 75 kg = 75,000 g).
    c, opening = commit_random(scale_value("75.000"), os.urandom)
    proof = prove_range(opening, context=CTX, rng=os.urandom)
    wire = json.dumps(proof.to_json())
    commitment_hex = c.to_json()
    size, json_size = len(proof.to_bytes()), len(wire)
    assert size == RANGE_PROOF_SIZE
    _log(f"range proof: {size} bytes binary, {json_size} bytes JSON")

    def verify_one() -> None:
        verify_range(
            Commitment.from_json(commitment_hex),
            RangeProof.from_json(json.loads(wire)),
            context=CTX,
        )

    def prove_one() -> None:
        prove_range(opening, context=CTX, rng=os.urandom)

    t_prove, base, r_prove = _measure(prove_one, 3, rounds)
    t_verify, base_v, r_verify = _measure(verify_one, 3, rounds)
    smul = f"1 scalar mult {base * 1e6:,.1f} µs"
    rows.append(
        Row(
            "commitments",
            "range proof size (k = 56 bits; binary / JSON base64)",
            f"{size:,} B / {json_size:,} B",
            "goal 8,192 B",
            8192 / size,
            "<= 8 KB",
            size <= 8192,
        )
    )
    rows.append(
        Row(
            "commitments",
            "range proof: prove (56 bit commitments + OR-proofs)",
            f"{_ms(t_prove)} (≈ {r_prove:,.0f} smul)",
            smul,
            1 / r_prove,
            "none set (cost report)",
            True,
        )
    )
    rows.append(
        Row(
            "commitments",
            "range proof: verify from JSON (node's check at publish)",
            f"{_ms(t_verify)} (≈ {r_verify:,.0f} smul)",
            f"1 scalar mult {base_v * 1e6:,.1f} µs",
            1 / r_verify,
            "<= 15 ms",
            t_verify <= 0.015,
        )
    )

    # A 50-line roll-up: hidden supplier values, public quantities.
    ups = []
    for i in range(LINES):
        value = scale_value(f"{1 + (i * 37) % 90}.{i:03d}")
        com, op = commit_random(value, os.urandom)
        quantity = scale_quantity(f"{1 + i % 4}.{(i * 13) % 100:02d}")
        ups.append(UpstreamOpening(RollupLine(f"att-{i:02d}", quantity, com), op))
    weighted = sum(u.line.quantity * u.opening.value for u in ups)
    total = weighted + scale_total("15.997")
    anchored = {u.line.ref: u.line.commitment for u in ups}
    rollup = prove_rollup(ups, declared_total=total, context=CTX, rng=os.urandom)
    rollup_wire = json.dumps(rollup.to_json())
    _log(f"roll-up: {LINES} lines, {len(rollup_wire):,} bytes JSON")

    def prove_50() -> None:
        prove_rollup(ups, declared_total=total, context=CTX, rng=os.urandom)

    def verify_50() -> None:
        verify_rollup(
            RollupProof.from_json(json.loads(rollup_wire)),
            upstream=anchored,
            declared_total=total,
            context=CTX,
        )

    t_rp, base_rp, r_rp = _measure(prove_50, 2, rounds)
    t_rv, base_rv, r_rv = _measure(verify_50, 3, rounds)
    rows.append(
        Row(
            "commitments",
            f"roll-up: prove, {LINES}-line BOM (openings checked, own-term range proof)",
            f"{_ms(t_rp)} (≈ {r_rp:,.0f} smul)",
            f"1 scalar mult {base_rp * 1e6:,.1f} µs",
            1 / r_rp,
            "none set (cost report)",
            True,
        )
    )
    rows.append(
        Row(
            "commitments",
            f"roll-up: verify from JSON, {LINES}-line BOM (supplier range proofs not included)",
            f"{_ms(t_rv)} (≈ {r_rv:,.0f} smul)",
            f"1 scalar mult {base_rv * 1e6:,.1f} µs",
            1 / r_rv,
            "<= 50 ms",
            t_rv <= 0.050,
        )
    )
    rows += _publish_rows(rounds)
    return rows
