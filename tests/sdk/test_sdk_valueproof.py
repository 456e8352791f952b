"""The attestation's value commitment: statement extensions, envelope opening, the range
proof published next to the statement (docs/commitments.md §8)."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest

from sdk import (
    Attestation,
    OrgKeys,
    SignedStatement,
    Statement,
    check_value_opening,
    check_value_range_proof,
    create_attestation,
    open_attestation,
    sign_statement,
    value_context,
)
from sdk.errors import VerificationError
from sdk.hazmat import seal_envelope
from sdk.zk import (
    Commitment,
    Opening,
    ProofError,
    RangeProof,
    RollupLine,
    UpstreamOpening,
    commit_random,
    scale_quantity,
    verify_opening,
    verify_rollup,
)

SUPPLIER = OrgKeys.from_seed("91350100M000100Y43", b"\1" * 32)
LEADER = OrgKeys.from_seed("91110000802100433B", b"\2" * 32)
NOW = datetime(2026, 3, 1, 8, 0, 0, tzinfo=UTC)


def seeded(label: bytes):  # type: ignore[no-untyped-def]
    counter = [0]

    def rng(n: int) -> bytes:
        counter[0] += 1
        return hashlib.sha512(label + counter[0].to_bytes(4, "big")).digest()[:n]

    return rng


def footprint(value: str, product: str = "urn:pact:product:panel-14") -> dict[str, Any]:
    return {
        "productIds": [product],
        "pcf": {"pcfExcludingBiogenicUptake": value, "declaredUnitOfMeasurement": "piece"},
    }


def build(value: str = "75.0", keys: OrgKeys = SUPPLIER, **kw: Any) -> Attestation:
    return create_attestation(
        keys,
        footprint=footprint(value),
        inventory=None,
        now=NOW,
        commit_value=True,
        rng=seeded(value.encode()),
        **kw,
    )


def test_statement_commits_and_proof_verifies_and_opening_matches() -> None:
    att = build()
    statement = att.signed_statement.statement
    assert set(statement.extensions) == {"valueCommitment", "valueRangeProofDigest"}
    proof = att.value_range_proof
    assert proof is not None
    # the node's check, and anyone's later
    assert check_value_range_proof(statement, proof.to_json()) == proof
    # the proof is recomputed byte for byte (the wallet keeps only the envelope)
    assert dataclasses.replace(att).value_range_proof == proof
    opened = open_attestation(
        att.signed_statement,
        att.envelope,
        att.grant(LEADER.org_id, LEADER.encryption_key.public_key),
        LEADER,
    )
    assert opened.content.value_opening is not None
    assert Opening.from_json(opened.content.value_opening).value == 75_000  # grams
    # round trip through the wire form
    assert SignedStatement.from_dict(att.signed_statement.to_dict()) == att.signed_statement


def test_range_proof_refusals_name_the_step() -> None:
    att, other = build(), build("76.0")
    statement = att.signed_statement.statement
    proof = att.value_range_proof
    assert proof is not None
    assert other.value_range_proof is not None
    cases = [
        (None, "rangeproof.schema"),
        ({"type": "tanji.rangeproof.v1"}, "rangeproof.schema"),
        (other.value_range_proof.to_json(), "rangeproof.digest"),
    ]
    for proof_json, step in cases:
        with pytest.raises(ProofError) as err:
            check_value_range_proof(statement, proof_json)
        assert err.value.step == step
    # a statement without a commitment takes no proof
    plain = create_attestation(SUPPLIER, footprint=footprint("1"), inventory=None, now=NOW)
    assert check_value_range_proof(plain.signed_statement.statement, None) is None
    with pytest.raises(ProofError, match="no valueCommitment"):
        check_value_range_proof(plain.signed_statement.statement, proof.to_json())


def test_a_proof_under_another_statement_fails_its_transcript() -> None:
    """The issuer re-signs the statement with another context (created): the old proof,
    with its digest copied into the new statement, is refused at rangeproof.transcript."""
    att = build()
    statement = att.signed_statement.statement
    moved = dataclasses.replace(statement, created=datetime(2026, 3, 2, tzinfo=UTC))
    assert value_context(moved) != value_context(statement)
    proof = att.value_range_proof
    assert proof is not None
    with pytest.raises(ProofError) as err:
        check_value_range_proof(moved, proof.to_json())
    assert err.value.step == "rangeproof.transcript"


def test_extensions_are_validated_and_come_together() -> None:
    statement = build().signed_statement.statement
    ext = dict(statement.extensions)
    for bad, match in [
        ({**ext, "valueCommitment": "00" * 32}, "valueCommitment"),
        ({**ext, "valueRangeProofDigest": "AB" * 32}, "valueRangeProofDigest"),
        ({"valueCommitment": ext["valueCommitment"]}, "come together"),
        ({**ext, "valueCommitmentV2": "x"}, "unknown statement extension"),
    ]:
        with pytest.raises(VerificationError, match=match) as err:
            Statement.from_dict({**statement.to_dict(), "extensions": bad})
        assert err.value.step == "statement.schema"


def test_grantee_refuses_an_opening_to_another_value() -> None:
    """An issuer whose envelope opens the commitment to a value other than the
    footprint's (it committed to 70 kg, discloses 75 kg) is caught at
    commitment.opening."""
    att = build()
    statement = att.signed_statement.statement
    content = att.content
    commitment, lie = commit_random(70_000, seeded(b"lie"))
    assert content.value_opening is not None
    for opening_json, match in [
        (None, "no valueOpening"),
        (lie.to_json(), "does not open"),
    ]:
        with pytest.raises(ProofError, match=match) as err:
            check_value_opening(statement, opening_json, content.footprint)
        assert err.value.step == "commitment.opening"
    # A consistent commitment to 70 kg over a footprint saying 75 kg.
    lying = dataclasses.replace(
        statement,
        extensions={**statement.extensions, "valueCommitment": commitment.to_json()},
    )
    with pytest.raises(ProofError, match="footprint says 75000") as err:
        check_value_opening(lying, lie.to_json(), content.footprint)
    # ... and through open_attestation: sealed and signed by the lying issuer.
    bad_content = dataclasses.replace(content, value_opening=lie.to_json())
    envelope = seal_envelope(
        bad_content,
        issuer=SUPPLIER.org_id,
        subject_digest=statement.subject_digest,
        data_key=att.data_key,
        nonce=att.envelope.nonce,
    )
    signed = sign_statement(dataclasses.replace(lying, envelope_digest=envelope.digest), SUPPLIER)
    forged = Attestation(signed, envelope, bad_content, att.claims, att.data_key)
    grant = forged.grant(LEADER.org_id, LEADER.encryption_key.public_key)
    with pytest.raises(VerificationError) as err2:
        open_attestation(signed, envelope, grant, LEADER)
    assert err2.value.step == "commitment.opening"


def test_leader_rollup_in_the_envelope_verifies_and_refuses_understating() -> None:
    suppliers = [build("2.5"), build("10.125")]
    lines = []
    for i, att in enumerate(suppliers):
        opening = Opening.from_json(att.content.value_opening)
        c = Commitment.from_json(att.signed_statement.statement.extensions["valueCommitment"])
        lines.append(
            UpstreamOpening(RollupLine(att.attestation_id, scale_quantity(i + 2), c), opening)
        )
    # 2 × 2.5 + 3 × 10.125 = 35.375 kg; the leader declares 40 kg.
    leader = build("40.000", LEADER, rollup=lines)
    rollup = leader.rollup_proof
    assert rollup is not None
    assert leader.content.rollup is not None
    verify_rollup(
        rollup,
        upstream={u.line.ref: u.line.commitment for u in lines},
        declared_total=40 * 10**9,
        context=value_context(leader.signed_statement.statement),
        expected_lines=[(u.line.ref, u.line.quantity) for u in lines],
    )
    own = Opening.from_json(leader.content.rollup["ownOpening"])
    verify_opening(rollup.own, own)
    assert own.value == (40_000 - 35_375) * 10**6  # micrograms
    with pytest.raises(ValueError, match="below the weighted sum") as err:
        build("35.374", LEADER, rollup=lines)
    assert getattr(err.value, "step", None) == "rollup.own"
    assert isinstance(RangeProof.from_json(rollup.own_range_proof.to_json()), RangeProof)
