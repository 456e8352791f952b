"""Envelopes, grants and the issuer-side attestation builder."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from nacl.public import SealedBox

from sdk import (
    MIN_CLAIM_BUCKET,
    Attestation,
    Envelope,
    EnvelopeContent,
    Grant,
    JsonValue,
    OrgKeys,
    canonical_json,
    create_attestation,
    envelope_bucket,
    open_attestation,
    open_envelope,
)
from sdk.errors import CanonicalizationError, VerificationError
from sdk.hazmat import envelope_aad, make_grant, open_grant, seal_envelope

SUPPLIER = OrgKeys.from_seed("91350100M000100Y43", b"\1" * 32)
LEADER = OrgKeys.from_seed("91110000802100433B", b"\2" * 32)
OTHER = OrgKeys.from_seed("urn:tanji:org:other", b"\3" * 32)
NOW = datetime(2026, 3, 1, 8, 0, 0, 123456, tzinfo=UTC)
FOOTPRINT: dict[str, JsonValue] = {
    "productIds": ["urn:pact:product:panel-14"],
    "pcf": {"pcfExcludingBiogenicUptake": "75.0", "declaredUnitOfMeasurement": "piece"},
}
LINE: JsonValue = {"activity": "electricity", "amount": "11", "unit": "kWh"}
INVENTORY: dict[str, JsonValue] = {"lines": [LINE]}


def seeded(label: bytes) -> Callable[[int], bytes]:
    counter = [0]

    def rng(n: int) -> bytes:
        counter[0] += 1
        return hashlib.sha256(label + counter[0].to_bytes(4, "big")).digest()[:n]

    return rng


def build(label: bytes = b"a") -> Attestation:
    return create_attestation(
        SUPPLIER,
        product_id="urn:pact:product:panel-14",
        footprint=FOOTPRINT,
        inventory=INVENTORY,
        now=NOW,
        rng=seeded(label),
    )


def test_attestation_is_reproducible_from_rng_and_clock() -> None:
    a, b = build(), build()
    assert a.signed_statement.leaf_bytes == b.signed_statement.leaf_bytes
    assert a.envelope.canonical_bytes == b.envelope.canonical_bytes
    assert build(b"b").attestation_id != a.attestation_id
    statement = a.signed_statement.statement
    assert statement.created == NOW.replace(microsecond=0)
    assert (
        statement.envelope_digest == hashlib.sha256(canonical_json(a.envelope.to_dict())).digest()
    )
    assert statement.claim_count == len(a.claims) == MIN_CLAIM_BUCKET


@pytest.mark.parametrize(("size", "bucket"), [(0, 4096), (4095, 4096), (4096, 8192), (9000, 16384)])
def test_envelope_buckets(size: int, bucket: int) -> None:
    assert envelope_bucket(size) == bucket


def test_envelope_size_is_its_bucket_whatever_the_inventory() -> None:
    sizes = {
        len(
            create_attestation(
                SUPPLIER,
                footprint=FOOTPRINT,
                inventory={"lines": [LINE] * n},
                now=NOW,
                rng=seeded(b"size"),
            ).envelope.ciphertext
        )
        for n in range(1, 40)
    }
    assert sizes == {4096 + 16}  # the bucket plus the AEAD tag: the line count is hidden


def test_envelope_padding_must_be_the_bucket() -> None:
    att = build()
    plaintext = canonical_json(att.content.to_dict())
    aad = envelope_aad(SUPPLIER.org_id, att.signed_statement.statement.subject_digest)
    from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt

    for padded in (plaintext, plaintext + b"\x80" + bytes(8000)):
        ciphertext = crypto_aead_xchacha20poly1305_ietf_encrypt(
            padded, aad, att.envelope.nonce, att.data_key
        )
        envelope = Envelope(att.envelope.nonce, ciphertext)
        statement = replace(att.signed_statement.statement, envelope_digest=envelope.digest)
        with pytest.raises(VerificationError, match=r"padding|padded") as err:
            open_envelope(envelope, att.data_key, statement)
        assert err.value.step == "envelope"
    resealed = seal_envelope(
        EnvelopeContent(att.content.footprint, att.content.master_salt, att.content.inventory),
        issuer=SUPPLIER.org_id,
        subject_digest=att.signed_statement.statement.subject_digest,
        data_key=att.data_key,
        nonce=att.envelope.nonce,
    )
    assert resealed == att.envelope


def test_envelope_hides_the_footprint_and_roundtrips() -> None:
    att = build()
    wire = canonical_json(att.envelope.to_dict())
    assert b"75.0" not in wire
    assert b"electricity" not in wire
    assert Envelope.from_dict(att.envelope.to_dict()) == att.envelope
    content = open_envelope(att.envelope, att.data_key, att.signed_statement.statement)
    assert content == att.content


def test_grant_opens_for_its_recipient_only() -> None:
    att = build()
    grant = att.grant(LEADER.org_id, LEADER.public_key, rng=seeded(b"g"))
    assert Grant.from_dict(grant.to_dict()) == grant
    assert grant.recipient_key_id == LEADER.encryption_key_id
    assert open_grant(grant, LEADER, att.attestation_id) == att.data_key
    # It is a standard libsodium sealed box.
    raw = SealedBox(LEADER.encryption_key).decrypt(grant.sealed_key)
    assert raw.endswith(att.data_key)
    assert raw.startswith(b"tanji.grant.v1\0")
    with pytest.raises(VerificationError, match="wrapped for key") as err:
        open_grant(grant, OTHER, att.attestation_id)
    assert err.value.step == "grant"
    # relabelled to claim OTHER's key id: the box still does not open
    relabelled = Grant(att.attestation_id, OTHER.org_id, OTHER.encryption_key_id, grant.sealed_key)
    with pytest.raises(VerificationError, match="does not open") as err:
        open_grant(relabelled, OTHER, att.attestation_id)
    assert err.value.step == "grant"


def test_grant_is_bound_to_its_attestation() -> None:
    a, b = build(b"a"), build(b"b")
    grant = a.grant(LEADER.org_id, LEADER.public_key)
    with pytest.raises(VerificationError, match="another attestation") as err:
        open_grant(grant, LEADER, b.attestation_id)
    assert err.value.step == "grant"
    # moved to b with the id rewritten: the sealed plaintext still names a
    moved = Grant(b.attestation_id, grant.recipient, grant.recipient_key_id, grant.sealed_key)
    with pytest.raises(VerificationError, match="bound to another attestation"):
        open_grant(moved, LEADER, b.attestation_id)


def test_open_attestation_recomputes_the_commitment() -> None:
    att = build()
    grant = att.grant(LEADER.org_id, LEADER.public_key)
    opened = open_attestation(att.signed_statement, att.envelope, grant, LEADER)
    assert opened.claims.commitment == att.signed_statement.statement.commitment
    assert opened.content.footprint == FOOTPRINT


@pytest.mark.parametrize("where", ["nonce", "ciphertext"])
def test_envelope_bit_flip_is_rejected(where: str) -> None:
    att = build()
    nonce, ct = bytearray(att.envelope.nonce), bytearray(att.envelope.ciphertext)
    (nonce if where == "nonce" else ct)[3] ^= 0x01
    flipped = Envelope(bytes(nonce), bytes(ct))
    # against the statement the digest already differs ...
    with pytest.raises(VerificationError, match="digest") as err:
        open_envelope(flipped, att.data_key, att.signed_statement.statement)
    assert err.value.step == "envelope"
    # ... and the AEAD rejects it even if the digest check were skipped
    from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_decrypt
    from nacl.exceptions import CryptoError

    aad = envelope_aad(SUPPLIER.org_id, att.signed_statement.statement.subject_digest)
    with pytest.raises(CryptoError):
        crypto_aead_xchacha20poly1305_ietf_decrypt(
            flipped.ciphertext, aad, flipped.nonce, att.data_key
        )


def test_envelope_bound_to_issuer_and_subject() -> None:
    att = build()
    statement = att.signed_statement.statement
    for other in (
        replace(statement, subject_digest=hashlib.sha256(b"urn:other").digest()),
        replace(statement, issuer=OTHER.org_id),
    ):
        with pytest.raises(VerificationError, match="decryption failed") as err:
            open_envelope(att.envelope, att.data_key, other)
        assert err.value.step == "envelope"
    with pytest.raises(VerificationError, match="decryption failed"):
        open_envelope(att.envelope, bytes(32), statement)


def test_bad_inputs_are_refused_before_anything_is_built() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        create_attestation(
            SUPPLIER,
            footprint=FOOTPRINT,
            inventory={},
            now=datetime(2026, 1, 1),
        )
    with pytest.raises(CanonicalizationError, match="/pcf: float"):
        create_attestation(
            SUPPLIER,
            footprint={**FOOTPRINT, "pcf": 1.5},  # type: ignore[dict-item]  # a float, refused at run time
            inventory={},
            now=NOW,
        )
    with pytest.raises(CanonicalizationError):
        create_attestation(
            SUPPLIER,
            footprint=FOOTPRINT,
            inventory={"a": 0.5},  # type: ignore[dict-item]  # a float, refused at run time
            now=NOW,
        )
    with pytest.raises(ValueError, match="names no product"):
        create_attestation(SUPPLIER, footprint={"pcf": {}}, inventory={}, now=NOW)
    with pytest.raises(ValueError, match="is not the footprint's"):
        create_attestation(
            SUPPLIER, product_id="urn:x:2", footprint=FOOTPRINT, inventory={}, now=NOW
        )
    with pytest.raises(ValueError, match="supersedes"):
        create_attestation(
            SUPPLIER,
            footprint=FOOTPRINT,
            inventory={},
            now=NOW,
            supersedes="nope",
        )
    with pytest.raises(ValueError, match="attestation id"):
        make_grant("zz", bytes(32), LEADER.org_id, LEADER.public_key)


@pytest.mark.parametrize(
    ("edit", "step"),
    [
        (lambda d: d.update(alg="aes-gcm"), "envelope.schema"),
        (lambda d: d.update(version=True), "envelope.schema"),
        (lambda d: d.update(version=1), "envelope.schema"),
        (lambda d: d.update(version=1.0), "envelope.schema"),
        (lambda d: d.update(nonce="AAAA"), "envelope.schema"),
        (lambda d: d.pop("ciphertext"), "envelope.schema"),
    ],
)
def test_envelope_schema(edit: Callable[[dict[str, Any]], object], step: str) -> None:
    doc = build().envelope.to_dict()
    edit(doc)
    with pytest.raises(VerificationError) as err:
        Envelope.from_dict(doc)
    assert err.value.step == step


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(recipient="91350100M000100Y44"),
        lambda d: d.update(sealedKey="AAAA"),
        lambda d: d.update(recipientKeyId=5),
        lambda d: d.update(recipientKeyId="zz" * 16),
        lambda d: d.update(type="tanji.envelope"),
        lambda d: d.update(version=True),
        lambda d: d.update(version=1.0),
    ],
)
def test_grant_schema(edit: Callable[[dict[str, Any]], object]) -> None:
    att = build()
    doc = att.grant(LEADER.org_id, LEADER.public_key).to_dict()
    edit(doc)
    with pytest.raises(VerificationError) as err:
        Grant.from_dict(doc)
    assert err.value.step == "grant.schema"


def test_lineage_upstream_disclosures_travel_inside_the_envelope() -> None:
    from sdk import Disclosure, verify_disclosure

    supplier_att = build()
    upstream = supplier_att.disclose(["/pcf/pcfExcludingBiogenicUptake"])
    leader_att = create_attestation(
        LEADER,
        footprint={
            "productIds": ["urn:pact:product:notebook-14"],
            "pcf": {"pcfExcludingBiogenicUptake": "314.0"},
        },
        inventory={"bom": [{"component": "panel", "quantity": "1"}]},
        now=NOW,
        upstream_disclosures=[upstream],
        rng=seeded(b"leader"),
    )
    assert leader_att.claims.claim("/tanji/upstream/0").value == supplier_att.attestation_id
    # the statement itself names no supplier
    assert supplier_att.attestation_id.encode() not in leader_att.signed_statement.leaf_bytes
    certifier = OrgKeys.from_seed("urn:tanji:org:certifier", b"\4" * 32)
    grant = leader_att.grant(certifier.org_id, certifier.public_key)
    opened = open_attestation(leader_att.signed_statement, leader_att.envelope, grant, certifier)
    (carried,) = opened.content.upstream_disclosures
    values = verify_disclosure(Disclosure.from_dict(carried), supplier_att.signed_statement)
    assert values == {"/pcf/pcfExcludingBiogenicUptake": "75.0"}
