"""Statements, signatures, log leaves, attestation ids, and the cross-role attack."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from anchors import leaf_hash
from sdk import (
    ClaimSet,
    OrgKeys,
    SignedStatement,
    Statement,
    canonical_json,
    sign_statement,
    subject_commitment,
    verify_statement_signature,
)
from sdk.errors import VerificationError

ORG = "91350100M000100Y43"
KEYS = OrgKeys.from_seed(ORG, bytes(32))
CREATED = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def make_statement(**overrides: object) -> Statement:
    fields: dict[str, object] = {
        "issuer": KEYS.org_id,
        "key_id": KEYS.signing_key_id,
        "subject_digest": subject_commitment("urn:pact:product:nb-14", bytes(16)),
        "commitment": bytes(range(32)),
        "claim_count": 64,
        "created": CREATED,
        "supersedes": None,
        "envelope_digest": bytes(32),
    }
    fields.update(overrides)
    return Statement(**fields)  # type: ignore[arg-type]


def test_to_dict_shape_has_no_trading_relationships() -> None:
    doc = make_statement().to_dict()
    assert set(doc) == {
        "type",
        "version",
        "issuer",
        "keyId",
        "subjectDigest",
        "commitment",
        "claimCount",
        "created",
        "supersedes",
        "envelopeDigest",
        "extensions",
    }
    assert doc["version"] == 2
    assert doc["created"] == "2026-03-01T08:00:00Z"
    # the subject is a salted commitment: not the plain digest a dictionary reverses
    assert doc["subjectDigest"] != hashlib.sha256(b"urn:pact:product:nb-14").hexdigest()
    assert doc["extensions"] == {}
    assert Statement.from_dict(doc) == make_statement()


def test_signature_input_is_tagged_and_leaf_is_jcs_of_signed_statement() -> None:
    statement = make_statement()
    signed = sign_statement(statement, KEYS)
    assert statement.signing_input == b"tanji.statement.v1\0" + canonical_json(statement.to_dict())
    KEYS.verify_key.verify(statement.signing_input, signed.signature)
    assert signed.leaf_bytes == canonical_json(signed.to_dict())
    assert signed.attestation_id == hashlib.sha256(signed.leaf_bytes).hexdigest()
    assert signed.leaf_hash == leaf_hash(signed.leaf_bytes)
    assert SignedStatement.from_leaf_bytes(signed.leaf_bytes) == signed
    assert SignedStatement.from_dict(json.loads(signed.leaf_bytes)) == signed
    verify_statement_signature(signed, bytes(KEYS.verify_key))


def test_signature_checks_fail_with_step() -> None:
    signed = sign_statement(make_statement(), KEYS)
    other = OrgKeys.from_seed(ORG, b"\1" * 32)
    with pytest.raises(VerificationError) as err:
        verify_statement_signature(signed, bytes(other.verify_key))
    assert err.value.step == "statement.signature"
    forged = SignedStatement(make_statement(claim_count=128), signed.signature)
    with pytest.raises(VerificationError, match="does not verify") as err:
        verify_statement_signature(forged, bytes(KEYS.verify_key))
    assert err.value.step == "statement.signature"


def test_sign_refuses_foreign_keys() -> None:
    with pytest.raises(ValueError, match="cannot sign"):
        sign_statement(make_statement(), OrgKeys.from_seed("urn:tanji:org:x", bytes(32)))
    with pytest.raises(ValueError, match="names key"):
        sign_statement(make_statement(), OrgKeys.from_seed(ORG, b"\2" * 32))


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"key_id": "AB" * 16}, "keyId"),
        ({"commitment": bytes(31)}, "commitment"),
        ({"claim_count": 0}, "claimCount"),
        ({"claim_count": True}, "claimCount"),
        ({"claim_count": 12}, "not a claim bucket"),
        ({"claim_count": 96}, "not a claim bucket"),
        ({"claim_count": 16}, "not a claim bucket"),
        ({"extensions": {"pcfCommitment": "x"}}, "unknown statement extension"),
        ({"created": datetime(2026, 3, 1)}, "timezone-aware"),
        ({"created": CREATED.replace(microsecond=5)}, "whole seconds"),
        ({"supersedes": "xyz"}, "supersedes"),
    ],
)
def test_invalid_statements(overrides: dict[str, object], reason: str) -> None:
    with pytest.raises(VerificationError, match=reason) as err:
        make_statement(**overrides)
    assert err.value.step == "statement.schema"


def test_created_is_normalised_to_utc() -> None:
    local = CREATED.astimezone(timezone(timedelta(hours=8)))
    assert make_statement(created=local).to_dict()["created"] == "2026-03-01T08:00:00Z"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("type", "tanji.claim", "type"),
        ("version", 1, "version"),
        ("version", 3, "version"),
        ("version", True, "version"),
        ("version", 1.0, "version"),
        ("issuer", "91350100m000100y43", "canonical form"),
        ("issuer", "91350100M000100Y44", "check character"),
        ("subjectDigest", "AB" * 32, "lowercase hex"),
        ("created", "2026-03-01T08:00:00+00:00", "RFC 3339"),
        ("created", "2026-02-30T08:00:00Z", "not a valid time"),
        ("created", "\uff12026-03-01T08:00:00Z", "ASCII digits"),  # fullwidth 2
        ("created", "2026-03-01T08:00:0\u0660Z", "ASCII digits"),  # Arabic-Indic 0
        ("commitment", 5, "hex string"),
        ("extensions", [], "extensions must be a JSON object"),
        ("extensions", {"x": 1}, "unknown statement extension"),
    ],
)
def test_from_dict_refuses_non_canonical_fields(field: str, value: object, reason: str) -> None:
    doc = make_statement().to_dict()
    doc[field] = value
    with pytest.raises(VerificationError, match=reason) as err:
        Statement.from_dict(doc)
    assert err.value.step == "statement.schema"


def test_from_dict_refuses_extra_and_missing_fields() -> None:
    doc = make_statement().to_dict()
    with pytest.raises(VerificationError, match="unknown field"):
        Statement.from_dict({**doc, "recipients": []})
    doc.pop("supersedes")
    with pytest.raises(VerificationError, match="missing supersedes"):
        Statement.from_dict(doc)


def test_leaf_bytes_must_be_canonical() -> None:
    signed = sign_statement(make_statement(), KEYS)
    spaced = json.dumps(signed.to_dict(), indent=1).encode()
    with pytest.raises(VerificationError, match="canonical"):
        SignedStatement.from_leaf_bytes(spaced)
    dup = signed.leaf_bytes[:-1] + b',"signature":"x"}'
    with pytest.raises(VerificationError, match="duplicate"):
        SignedStatement.from_leaf_bytes(dup)


def test_cross_role_claim_leaf_is_never_a_statement_leaf_and_vice_versa() -> None:
    """A claims-tree leaf cannot be presented as a log leaf, nor a log leaf as a claim."""
    claims = ClaimSet.build({"pcf": "1.0"}, bytes(32), inventory={})
    claim = claims.claims[0]
    # (a) the claim leaf's bytes, presented to the log side, are not a signed statement
    with pytest.raises(VerificationError) as err:
        SignedStatement.from_leaf_bytes(claim.leaf_bytes)
    assert err.value.step == "statement.schema"
    with pytest.raises(VerificationError) as err:
        SignedStatement.from_dict(json.loads(claim.leaf_bytes))
    assert err.value.step == "statement.schema"
    # (b) a statement's bytes cannot be a claim leaf: every claim leaf starts with the
    # claim tag inside a JSON array, every log leaf is a JSON object.
    signed = sign_statement(make_statement(commitment=claims.commitment), KEYS)
    assert claim.leaf_bytes.startswith(b'["tanji.claim.v1",')
    assert signed.leaf_bytes.startswith(b'{"signature":')
    # (c) a signature over a claim leaf does not verify as a statement signature: the
    # statement tag is part of the signed bytes.
    stolen = KEYS.signing_key.sign(claim.leaf_bytes).signature
    with pytest.raises(VerificationError):
        verify_statement_signature(
            SignedStatement(signed.statement, stolen), bytes(KEYS.verify_key)
        )
    # (d) and a signature over the bare JCS(statement) (no tag) is refused too
    untagged = KEYS.signing_key.sign(signed.statement.canonical_bytes).signature
    with pytest.raises(VerificationError):
        verify_statement_signature(
            SignedStatement(signed.statement, untagged), bytes(KEYS.verify_key)
        )
