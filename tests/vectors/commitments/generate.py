"""Generate the commitment, range-proof and roll-up test vectors (positive and negative).

Run ``python tests/vectors/commitments/generate.py`` to rewrite
``tests/vectors/commitments/*.json``; the test suite regenerates into a temporary
directory, compares byte for byte, and runs every vector through :func:`run_vector`.

Randomness comes from a SHA-256 counter per vector, so the files are reproducible. Each
file is one vector::

    {"name", "description",
     "operation": "verify_range" | "verify_rollup" | "parse_commitment"
                  | "check_value_range_proof" | "check_value_opening",
     "input": {...},       # wire forms (hex, base64, decimal strings); contexts in hex
     "secrets": {...},     # positive vectors only: the openings, for other implementations
     "expect": {"result": "accept"} | {"result": "reject", "step": "<step>"}}

Negative vectors are named after the attack and must be rejected at ``expect.step``.
The cheating prover (:func:`demo_chain.forge_range_proof`, shared with the demo's
understating leader) lives outside the package: the package's provers refuse to prove a
false statement.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from demo_chain import forge_range_proof
from sdk import (
    Attestation,
    OrgKeys,
    SignedStatement,
    check_value_opening,
    check_value_range_proof,
    create_attestation,
    range_proof_digest,
    sign_statement,
)
from sdk.errors import VerificationError
from sdk.zk import (
    RANGE_BITS,
    RANGE_LIMIT,
    Commitment,
    Opening,
    RangeProof,
    RollupLine,
    RollupProof,
    UpstreamOpening,
    commit,
    prove_range,
    prove_rollup,
    range_context_digest,
    rollup_own_context,
    scale_quantity,
    scale_total,
    scale_value,
    verify_range,
    verify_rollup,
)
from sdk.zk._group import G, H, L, random_scalar

HERE = Path(__file__).resolve().parent
Rng = Callable[[int], bytes]


def seeded(label: str) -> Rng:
    """A deterministic byte source: SHA-256(label || counter) blocks."""
    state = {"n": 0}

    def rng(n: int) -> bytes:
        out = b""
        while len(out) < n:
            state["n"] += 1
            out += hashlib.sha256(label.encode() + state["n"].to_bytes(8, "big")).digest()
        return out[:n]

    return rng


def context(name: str) -> bytes:
    """Stand-in for an attestation's statement-specific bytes."""
    return f"tanji.vectors.commitments/{name}".encode()


def _b64_proof(proof_bytes: bytes) -> dict[str, Any]:
    return {
        "type": "tanji.rangeproof.v1",
        "bits": RANGE_BITS,
        "proof": base64.b64encode(proof_bytes).decode(),
    }


def _range_vector(
    name: str,
    description: str,
    commitment_hex: str,
    ctx: bytes,
    proof: dict[str, Any],
    expect: dict[str, Any],
    secrets: dict[str, Any] | None = None,
) -> dict[str, Any]:
    vector: dict[str, Any] = {
        "name": name,
        "description": description,
        "operation": "verify_range",
        "input": {"commitment": commitment_hex, "context": ctx.hex(), "rangeProof": proof},
        "expect": expect,
    }
    if secrets is not None:
        vector["secrets"] = secrets
    return vector


def _reject(step: str) -> dict[str, Any]:
    return {"result": "reject", "step": step}


ACCEPT = {"result": "accept"}

# The demo notebook's six supplier lines (docs/footprint.md §7): ref, PCF kgCO2e per
# declared unit, quantity in the supplier's declared units.
SUPPLIERS = [
    ("att-mainboard", "55.000", "1"),
    ("att-display", "75.000", "1"),
    ("att-ssd", "55.000", "1"),
    ("att-battery", "20.000", "0.35"),
    ("att-chassis", "14.000", "1"),
    ("att-adapter", "20.000", "1"),
]
DECLARED = "241.997"  # kgCO2e per notebook; the own term is 15.997 kg


def range_vectors() -> list[dict[str, Any]]:
    ctx = context("supplier-display")
    rng = seeded("range")
    opening = Opening(scale_value("75.000"), random_scalar(rng))
    c = commit(opening)
    proof = prove_range(opening, context=ctx, rng=rng)
    good = proof.to_json()
    raw = proof.to_bytes()
    out = [
        _range_vector(
            "range_proof_valid",
            "A supplier's PCF value 75.000 kgCO2e (75000 g) with its range proof.",
            c.to_json(),
            ctx,
            good,
            ACCEPT,
            {"opening": opening.to_json()},
        )
    ]
    for value, name, text in [
        (0, "range_proof_valid_zero", "The smallest value, 0 g."),
        (RANGE_LIMIT - 1, "range_proof_valid_largest", "The largest value, 2^56 − 1 g."),
    ]:
        o = Opening(value, random_scalar(rng))
        out.append(
            _range_vector(
                name,
                text,
                commit(o).to_json(),
                ctx,
                prove_range(o, context=ctx, rng=rng).to_json(),
                ACCEPT,
                {"opening": o.to_json()},
            )
        )
    out.append(
        _range_vector(
            "range_proof_replayed_from_another_transcript",
            "A valid range proof presented with another attestation's context.",
            c.to_json(),
            context("supplier-ssd"),
            good,
            _reject("rangeproof.transcript"),
        )
    )
    other = range_context_digest(context("supplier-ssd"))
    out.append(
        _range_vector(
            "range_proof_replayed_with_context_digest_rewritten",
            "A replayed range proof whose context digest was rewritten to the new context: "
            "the Fiat–Shamir challenge no longer matches.",
            c.to_json(),
            context("supplier-ssd"),
            _b64_proof(other + raw[32:]),
            _reject("rangeproof.bit"),
        )
    )
    lower = Opening(scale_value("7.000"), random_scalar(rng))
    out.append(
        _range_vector(
            "range_proof_for_another_commitment",
            "A valid range proof of another commitment presented with this one.",
            commit(lower).to_json(),
            ctx,
            good,
            _reject("rangeproof.sum"),
        )
    )
    for value, name, text in [
        (-1, "range_proof_value_negative", "A commitment to −1 (ℓ − 1) with a forged proof."),
        (RANGE_LIMIT, "range_proof_value_2_pow_56", "A commitment to 2^56 with a forged proof."),
    ]:
        r = random_scalar(rng)
        forged = forge_range_proof(value, r, ctx, rng)
        out.append(
            _range_vector(
                name,
                text + " The bit sum holds; the top bit's OR-proof cannot.",
                (value % L * G + r * H).hex(),
                ctx,
                forged.to_json(),
                _reject("rangeproof.bit"),
            )
        )
    bad_point = bytearray(raw)
    bad_point[64 + 3 * 128 : 64 + 3 * 128 + 32] = NOT_IN_GROUP
    out.append(
        _range_vector(
            "range_proof_bit_commitment_not_in_group",
            "Bit 3's commitment replaced by 32 bytes that encode no group element.",
            c.to_json(),
            ctx,
            _b64_proof(bytes(bad_point)),
            _reject("rangeproof.point"),
        )
    )
    high_bit = bytearray(raw)
    high_bit[64 + 31] |= 0x80  # bit 0's commitment, bit 255 of its encoding
    out.append(
        _range_vector(
            "range_proof_bit_commitment_with_bit_255_set",
            "Bit 0's commitment re-encoded with bit 255 set (same point, second encoding).",
            c.to_json(),
            ctx,
            _b64_proof(bytes(high_bit)),
            _reject("rangeproof.point"),
        )
    )
    bad_scalar = bytearray(raw)
    at = 64 + 3 * 128 + 64  # s0 of bit 3
    s0 = int.from_bytes(raw[at : at + 32], "little")
    bad_scalar[at : at + 32] = (s0 + L).to_bytes(32, "little")
    out.append(
        _range_vector(
            "range_proof_scalar_out_of_range",
            "Bit 3's response s0 replaced by s0 + ℓ: the same value modulo ℓ, not canonical.",
            c.to_json(),
            ctx,
            _b64_proof(bytes(bad_scalar)),
            _reject("rangeproof.scalar"),
        )
    )
    out.append(
        _range_vector(
            "range_proof_truncated",
            "The last bit proof is missing (55 bits).",
            c.to_json(),
            ctx,
            _b64_proof(raw[:-128]),
            _reject("rangeproof.schema"),
        )
    )
    return out


# 0x02 || 0^31 is canonical (even, < p) but decodes to no ristretto255 element.
NOT_IN_GROUP = bytes([2]) + bytes(31)
# p = 2^255 − 19 itself: a field element encoded without reduction.
NON_CANONICAL = (2**255 - 19).to_bytes(32, "little")
# The field element 1 is "negative" (odd), which ristretto255 encodings never are.
NEGATIVE_FIELD_ELEMENT = bytes([1]) + bytes(31)
# 2·G with bit 255 set (RFC 9496 A.1's second multiple).
_TWO_G = bytes(2 * G)
BIT_255_SET = _TWO_G[:31] + bytes([_TWO_G[31] | 0x80])


def commitment_vectors() -> list[dict[str, Any]]:
    out = []
    for name, data, text in [
        ("commitment_point_not_in_group", NOT_IN_GROUP, "32 bytes that encode no element."),
        ("commitment_point_non_canonical", NON_CANONICAL, "The field prime p, unreduced."),
        (
            "commitment_point_negative_encoding",
            NEGATIVE_FIELD_ELEMENT,
            "An odd (negative) field element.",
        ),
        ("commitment_identity", bytes(32), "The identity: a commitment never equals it."),
        (
            "commitment_point_bit_255_set",
            BIT_255_SET,
            "A valid commitment's encoding with bit 255 set: a second encoding of the same "
            "point that libsodium alone would accept.",
        ),
    ]:
        out.append(
            {
                "name": name,
                "description": text,
                "operation": "parse_commitment",
                "input": {"commitment": data.hex()},
                "expect": _reject("commitment.point"),
            }
        )
    return out


def _supplier_lines(rng: Rng) -> list[UpstreamOpening]:
    lines = []
    for ref, value, quantity in SUPPLIERS:
        opening = Opening(scale_value(value), random_scalar(rng))
        lines.append(
            UpstreamOpening(RollupLine(ref, scale_quantity(quantity), commit(opening)), opening)
        )
    return lines


def _rollup_vector(
    name: str,
    description: str,
    proof: dict[str, Any],
    upstream: dict[str, str],
    declared_total: int,
    ctx: bytes,
    expect: dict[str, Any],
    *,
    expected_lines: list[tuple[str, int]] | None = None,
    secrets: dict[str, Any] | None = None,
) -> dict[str, Any]:
    inp: dict[str, Any] = {
        "rollup": proof,
        "upstream": upstream,
        "declaredTotal": str(declared_total),
        "context": ctx.hex(),
    }
    if expected_lines is not None:
        inp["expectedLines"] = [[ref, str(q)] for ref, q in expected_lines]
    vector: dict[str, Any] = {
        "name": name,
        "description": description,
        "operation": "verify_rollup",
        "input": inp,
        "expect": expect,
    }
    if secrets is not None:
        vector["secrets"] = secrets
    return vector


def _replace_line(proof: RollupProof, i: int, line: RollupLine) -> RollupProof:
    lines = list(proof.lines)
    lines[i] = line
    return RollupProof(tuple(lines), proof.own, proof.own_range_proof, proof.total, proof.blinding)


def rollup_vectors() -> list[dict[str, Any]]:
    rng = seeded("rollup")
    ctx = context("leader-notebook")
    ups = _supplier_lines(rng)
    anchored = {u.line.ref: u.line.commitment.to_json() for u in ups}
    bom = [(u.line.ref, u.line.quantity) for u in ups]
    total = scale_total(DECLARED)
    proof = prove_rollup(ups, declared_total=total, context=ctx, rng=rng)
    good = proof.to_json()
    out = [
        _rollup_vector(
            "rollup_valid",
            "The demo notebook: six hidden supplier values (226 kg weighted) and an own "
            "term of 15.997 kg under a declared 241.997 kgCO2e (241997000000 µg).",
            good,
            anchored,
            total,
            ctx,
            ACCEPT,
            expected_lines=bom,
            secrets={"openings": {u.line.ref: u.opening.to_json() for u in ups}},
        )
    ]
    battery = 3
    b = proof.lines[battery]
    fewer = RollupLine(b.ref, scale_quantity("0.25"), b.commitment)
    out.append(
        _rollup_vector(
            "rollup_wrong_quantity",
            "The battery line's published quantity is edited from 0.35 to 0.25 kg.",
            _replace_line(proof, battery, fewer).to_json(),
            anchored,
            total,
            ctx,
            _reject("rollup.sum"),
        )
    )
    # A leader whose proof is consistent with 0.25 kg of battery: only the BOM shows it.
    ups_fewer = list(ups)
    ups_fewer[battery] = UpstreamOpening(fewer, ups[battery].opening)
    consistent = prove_rollup(ups_fewer, declared_total=total, context=ctx, rng=rng)
    out.append(
        _rollup_vector(
            "rollup_quantity_below_the_bom",
            "A consistent proof with 0.25 kg of battery where the inventory says 0.35 kg: "
            "the certifier, who knows the BOM, refuses it.",
            consistent.to_json(),
            anchored,
            total,
            ctx,
            _reject("rollup.quantity"),
            expected_lines=bom,
        )
    )
    omitted = prove_rollup(
        ups[:battery] + ups[battery + 1 :], declared_total=total, context=ctx, rng=rng
    )
    out.append(
        _rollup_vector(
            "rollup_line_omitted",
            "A consistent proof that leaves the battery line out; the BOM has it.",
            omitted.to_json(),
            anchored,
            total,
            ctx,
            _reject("rollup.lines"),
            expected_lines=bom,
        )
    )
    # The display's value swapped for a commitment to 7 kg the leader made itself.
    display = 1
    fake_opening = Opening(scale_value("7.000"), random_scalar(rng))
    fake_line = RollupLine(proof.lines[display].ref, 1_000_000, commit(fake_opening))
    ups_fake = list(ups)
    ups_fake[display] = UpstreamOpening(fake_line, fake_opening)
    fake = prove_rollup(ups_fake, declared_total=total, context=ctx, rng=rng)
    out.append(
        _rollup_vector(
            "rollup_commitment_from_unanchored_statement",
            "The display line carries a commitment (7 kg) from a statement the leader made "
            "and never anchored, instead of the anchored supplier statement's (75 kg).",
            fake.to_json(),
            anchored,
            total,
            ctx,
            _reject("rollup.upstream"),
        )
    )
    unknown = RollupLine("att-never-anchored", 1_000_000, fake_line.commitment)
    ups_unknown = list(ups)
    ups_unknown[display] = UpstreamOpening(unknown, fake_opening)
    out.append(
        _rollup_vector(
            "rollup_ref_not_anchored",
            "The display line names an attestation the verifier found no anchored statement for.",
            prove_rollup(ups_unknown, declared_total=total, context=ctx, rng=rng).to_json(),
            anchored,
            total,
            ctx,
            _reject("rollup.upstream"),
        )
    )
    swapped = RollupLine(proof.lines[display].ref, 1_000_000, ups[battery].line.commitment)
    ups_swapped = list(ups)
    ups_swapped[display] = UpstreamOpening(swapped, ups[battery].opening)
    out.append(
        _rollup_vector(
            "rollup_commitment_from_another_issuers_statement",
            "The display line carries the battery maker's commitment (20 kg per kg), "
            "another issuer's statement, under the display attestation's ref.",
            prove_rollup(ups_swapped, declared_total=total, context=ctx, rng=rng).to_json(),
            anchored,
            total,
            ctx,
            _reject("rollup.upstream"),
        )
    )
    # Own term negative: declared 220 kg < 226 kg weighted sum, own = −6 kg forged.
    low_total = scale_total("220.000")
    weighted = sum(u.line.quantity * u.opening.value for u in ups)
    r_own = random_scalar(rng)
    lines = tuple(u.line for u in ups)
    forged = forge_range_proof(
        low_total - weighted, r_own, rollup_own_context(ctx, lines, low_total), rng
    )
    own_point = (low_total - weighted) % L * G + r_own * H
    blinding = (sum(u.line.quantity * u.opening.blinding for u in ups) + r_own) % L
    understated = RollupProof(lines, Commitment(own_point), forged, low_total, blinding)
    out.append(
        _rollup_vector(
            "rollup_own_term_negative",
            "A leader declares 220 kg under a 226 kg weighted sum: its own term is −6 kg, "
            "its range proof is forged and fails.",
            understated.to_json(),
            anchored,
            low_total,
            ctx,
            _reject("rangeproof.bit"),
        )
    )
    # A pure aggregator (own = 0) declaring one microgram below the weighted sum.
    exact = weighted
    agg = prove_rollup(ups, declared_total=exact, context=ctx, rng=rng)
    own_ctx = rollup_own_context(ctx, agg.lines, exact - 1)
    zero_opening = Opening(
        0, (agg.blinding - sum(u.line.quantity * u.opening.blinding for u in ups)) % L
    )
    below = RollupProof(
        agg.lines,
        agg.own,
        prove_range(zero_opening, context=own_ctx, rng=rng),
        exact - 1,
        agg.blinding,
    )
    out.append(
        _rollup_vector(
            "rollup_declared_one_unit_below_sum",
            "Own term 0 and a declared total one microgram below the weighted sum: "
            "C_total does not open to it.",
            below.to_json(),
            anchored,
            exact - 1,
            ctx,
            _reject("rollup.sum"),
        )
    )
    out.append(
        _rollup_vector(
            "rollup_replayed_from_another_transcript",
            "A valid roll-up presented for another leader attestation's context.",
            good,
            anchored,
            total,
            context("leader-other-notebook"),
            _reject("rangeproof.transcript"),
        )
    )
    out.append(
        _rollup_vector(
            "rollup_total_differs_from_label",
            "A valid roll-up for 241.997 kg presented for a label that says 240.000 kg.",
            good,
            anchored,
            scale_total("240.000"),
            ctx,
            _reject("rollup.total"),
        )
    )
    blinding_plus_l = dict(good)
    blinding_plus_l["blinding"] = (proof.blinding + L).to_bytes(32, "little").hex()
    out.append(
        _rollup_vector(
            "rollup_blinding_scalar_out_of_range",
            "The opening's blinding replaced by blinding + ℓ: equal modulo ℓ, not canonical.",
            blinding_plus_l,
            anchored,
            total,
            ctx,
            _reject("rollup.scalar"),
        )
    )
    bad_line = json.loads(json.dumps(good))
    bad_line["lines"][0]["commitment"] = NOT_IN_GROUP.hex()
    out.append(
        _rollup_vector(
            "rollup_line_commitment_not_in_group",
            "A line's commitment is 32 bytes that encode no group element.",
            bad_line,
            anchored,
            total,
            ctx,
            _reject("commitment.point"),
        )
    )
    return out


STATEMENT_KEYS = OrgKeys.from_seed("91350100M000100Y43", b"\x0c" * 32)
STATEMENT_TIME = datetime(2026, 11, 29, 8, 0, 0, tzinfo=UTC)


def _statement_attestation(value: str, tag: str, at: datetime = STATEMENT_TIME) -> Attestation:
    return create_attestation(
        STATEMENT_KEYS,
        footprint={
            "productIds": ["urn:pact:product:vector-panel"],
            "pcf": {"pcfExcludingBiogenicUptake": value, "declaredUnitOfMeasurement": "piece"},
        },
        inventory=None,
        now=at,
        commit_value=True,
        rng=seeded(f"statement/{tag}"),
    )


def _publish_vector(
    name: str, description: str, statement: dict[str, Any], proof: Any, expect: dict[str, Any]
) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "operation": "check_value_range_proof",
        "input": {"signedStatement": statement, "valueRangeProof": proof},
        "expect": expect,
    }


def _opening_vector(
    name: str, description: str, att: Attestation, opening: Any, expect: dict[str, Any]
) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "operation": "check_value_opening",
        "input": {
            "signedStatement": att.signed_statement.to_dict(),
            "valueOpening": opening,
            "footprint": att.content.footprint,
        },
        "expect": expect,
    }


def statement_vectors() -> list[dict[str, Any]]:
    """The statement extension, the proof published with it and the envelope's opening
    (docs/commitments.md §8): what the node checks before logging and a grantee when it
    opens the envelope."""
    att = _statement_attestation("75.000", "valid")
    other = _statement_attestation("76.000", "other")
    proof = att.value_range_proof
    other_proof = other.value_range_proof
    assert proof is not None
    assert other_proof is not None
    signed = att.signed_statement.to_dict()
    # The issuer signs a new statement (another time) reusing its old proof and digest.
    later = _statement_attestation("75.000", "valid", STATEMENT_TIME + timedelta(days=1))
    replayed = replace(
        later.signed_statement.statement,
        extensions={
            **later.signed_statement.statement.extensions,
            "valueCommitment": att.signed_statement.statement.extensions["valueCommitment"],
            "valueRangeProofDigest": range_proof_digest(proof),
        },
    )
    bad_point = copy.deepcopy(signed)
    bad_point["statement"]["extensions"]["valueCommitment"] = "01" + "00" * 31
    plain = create_attestation(
        STATEMENT_KEYS,
        footprint={"productIds": ["urn:pact:product:vector-plain"]},
        inventory=None,
        now=STATEMENT_TIME,
        rng=seeded("statement/plain"),
    )
    opening = att.content.value_opening
    assert opening is not None
    return [
        _publish_vector(
            "statement_value_proof_valid",
            "A statement committing to 75 kg (75,000 g) with its range proof.",
            signed,
            proof.to_json(),
            ACCEPT,
        ),
        _publish_vector(
            "statement_value_proof_missing",
            "A statement committing to its value published without the range proof.",
            signed,
            None,
            _reject("rangeproof.schema"),
        ),
        _publish_vector(
            "statement_value_proof_from_another_attestation",
            "The range proof of another attestation: not the one the statement's digest signs.",
            signed,
            other_proof.to_json(),
            _reject("rangeproof.digest"),
        ),
        _publish_vector(
            "statement_value_proof_replayed_under_another_statement",
            "The issuer signs a new statement (another created time) carrying an old "
            "commitment, proof and digest: the proof is bound to the old statement's context.",
            sign_statement(replayed, STATEMENT_KEYS).to_dict(),
            proof.to_json(),
            _reject("rangeproof.transcript"),
        ),
        _publish_vector(
            "statement_value_commitment_not_in_group",
            "valueCommitment is not a canonical group element (an odd field element).",
            bad_point,
            proof.to_json(),
            _reject("statement.schema"),
        ),
        _publish_vector(
            "statement_value_proof_without_commitment",
            "A range proof published with a statement that commits to no value.",
            plain.signed_statement.to_dict(),
            proof.to_json(),
            _reject("rangeproof.schema"),
        ),
        _opening_vector(
            "envelope_value_opening_valid",
            "The envelope's valueOpening opens the commitment to the footprint's 75,000 g.",
            att,
            opening,
            ACCEPT,
        ),
        _opening_vector(
            "envelope_value_opening_to_another_value",
            "An opening of a commitment to 74,999 g: it does not open the statement's.",
            att,
            {**opening, "value": "74999"},
            _reject("commitment.opening"),
        ),
        _opening_vector(
            "envelope_value_opening_missing",
            "The statement commits to its value but the envelope holds no opening.",
            att,
            None,
            _reject("commitment.opening"),
        ),
    ]


def build_vectors() -> list[dict[str, Any]]:
    """Every vector, in a fixed order."""
    return range_vectors() + commitment_vectors() + rollup_vectors() + statement_vectors()


def run_vector(vector: dict[str, Any]) -> dict[str, Any]:
    """Run one vector; return ``{"result": "accept"}`` (raises VerificationError on rejection)."""
    inp = vector["input"]
    if vector["operation"] == "parse_commitment":
        Commitment.from_json(inp["commitment"])
    elif vector["operation"] == "verify_range":
        verify_range(
            Commitment.from_json(inp["commitment"]),
            RangeProof.from_json(inp["rangeProof"]),
            context=bytes.fromhex(inp["context"]),
        )
    elif vector["operation"] == "verify_rollup":
        expected = inp.get("expectedLines")
        verify_rollup(
            RollupProof.from_json(inp["rollup"]),
            upstream={ref: Commitment.from_json(c) for ref, c in inp["upstream"].items()},
            declared_total=int(inp["declaredTotal"]),
            context=bytes.fromhex(inp["context"]),
            expected_lines=None if expected is None else [(r, int(q)) for r, q in expected],
        )
    elif vector["operation"] == "check_value_range_proof":
        signed = SignedStatement.from_dict(inp["signedStatement"])
        check_value_range_proof(signed.statement, inp["valueRangeProof"])
    elif vector["operation"] == "check_value_opening":
        signed = SignedStatement.from_dict(inp["signedStatement"])
        check_value_opening(signed.statement, inp["valueOpening"], inp["footprint"])
    else:
        raise ValueError(f"unknown operation {vector['operation']!r}")
    return dict(ACCEPT)


def expected_outcome(vector: dict[str, Any]) -> dict[str, Any]:
    """Run ``vector`` and describe the outcome in the shape of its ``expect`` field."""
    try:
        return run_vector(vector)
    except VerificationError as exc:
        return {"result": "reject", "step": exc.step}


def render(vector: dict[str, Any]) -> bytes:
    """The file bytes of one vector (stable: sorted keys, two-space indent, UTF-8)."""
    return (json.dumps(vector, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def generate(outdir: Path) -> list[Path]:
    """Write every vector to ``outdir/<name>.json``; return the paths written."""
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for vector in build_vectors():
        if expected_outcome(vector) != vector["expect"]:
            raise AssertionError(f"vector {vector['name']} does not behave as it says")
        path = outdir / f"{vector['name']}.json"
        path.write_bytes(render(vector))
        paths.append(path)
    return paths


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for written in generate(out):
        print(written)
