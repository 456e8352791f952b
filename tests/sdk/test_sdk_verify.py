"""verify_receipt / verify_attestation: each check, its step, and the time arguments."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.signing import SigningKey

from anchors import (
    Checkpoint,
    MemoryLogStore,
    MerkleLog,
    checkpoint_origin,
    inclusion_proof_from_leaf_hashes,
    root_from_leaf_hashes,
    sign_checkpoint,
    verify_inclusion,
)
from anchors.errors import InclusionProofError
from sdk import (
    KeyRecord,
    Receipt,
    verify_attestation,
    verify_receipt,
)
from sdk.errors import VerificationError
from sdk.registry import KeyRecord as ChainKeyRecord
from tests.vectors.generate import (
    ANCHORED_AT,
    AT,
    KEY_VALID_FROM,
    LOG_KEY,
    LOG_KEY_NAME,
    PUBLIC_POINTERS,
    SUPPLIER,
    attest,
    receipt_for,
)

ATT = attest("verify tests")
RECEIPT, _EXTRA = receipt_for(ATT.signed_statement.leaf_bytes, ATT.signed_statement)
assert RECEIPT is not None
HEAD = (_EXTRA["head"]["size"], base64.b64decode(_EXTRA["head"]["root"]))
KEYS = [KeyRecord(bytes(SUPPLIER.verify_key), KEY_VALID_FROM)]


def run(receipt: Receipt = RECEIPT, **overrides: object):  # type: ignore[no-untyped-def]
    kwargs: dict[str, object] = {
        "log_key": LOG_KEY.verify_key,
        "log_key_name": LOG_KEY_NAME,
        "issuer_keys": KEYS,
        "anchored_at": ANCHORED_AT,
        "at": AT,
        "anchored_head": HEAD,
    }
    kwargs.update(overrides)
    return verify_receipt(receipt, **kwargs)  # type: ignore[arg-type]


def step_of(receipt: Receipt = RECEIPT, **overrides: object) -> str:
    with pytest.raises(VerificationError) as err:
        run(receipt, **overrides)
    return err.value.step


def test_valid_receipt_and_roundtrip() -> None:
    assert run() == ATT.signed_statement.statement
    assert Receipt.from_dict(RECEIPT.to_dict()) == RECEIPT
    assert run(anchored_head=None, expected_attestation_id=ATT.attestation_id)


def test_receipt_from_a_real_merkle_log() -> None:
    log = MerkleLog(MemoryLogStore())
    for other in range(5):
        log.append(f"earlier entry {other}".encode())
    index = log.append(ATT.signed_statement.leaf_bytes)
    log.append(b"later entry")
    size = log.size
    text = sign_checkpoint(
        Checkpoint(checkpoint_origin(31337, "main"), size, log.root(size)), LOG_KEY, LOG_KEY_NAME
    )
    receipt = Receipt(
        ATT.signed_statement, index, tuple(log.inclusion_proof(index, size)), text, RECEIPT.anchor
    )
    assert run(receipt, anchored_head=(size, log.root(size))) == ATT.signed_statement.statement


def test_key_times_as_unix_seconds_from_the_registry_client() -> None:
    ts = int(KEY_VALID_FROM.timestamp())
    chain_keys = [ChainKeyRecord(bytes(SUPPLIER.verify_key), ts, None)]
    assert run(issuer_keys=chain_keys, anchored_at=int(ANCHORED_AT.timestamp()))
    revoked = [ChainKeyRecord(bytes(SUPPLIER.verify_key), ts, int(ANCHORED_AT.timestamp()))]
    assert step_of(issuer_keys=revoked) == "key.validity"  # revoked_at is exclusive


def test_each_check_names_its_step() -> None:
    other_id = attest("someone else").attestation_id
    assert step_of(expected_attestation_id=other_id) == "receipt.leaf"
    assert step_of(log_key_name="another-log") == "receipt.checkpoint"
    assert step_of(replace(RECEIPT, anchor=replace(RECEIPT.anchor, log_id="other"))) == (
        "receipt.checkpoint"
    )
    assert step_of(replace(RECEIPT, checkpoint="garbage")) == "receipt.checkpoint"
    assert step_of(anchored_head=(HEAD[0] + 1, HEAD[1])) == "receipt.anchor"
    assert step_of(at=ANCHORED_AT - timedelta(seconds=1)) == "receipt.anchor"
    bad_proof = replace(RECEIPT, inclusion_proof=RECEIPT.inclusion_proof[::-1])
    assert step_of(bad_proof) == "receipt.inclusion"
    assert step_of(issuer_keys=[]) == "statement.signature"
    late = [KeyRecord(bytes(SUPPLIER.verify_key), ANCHORED_AT + timedelta(seconds=1))]
    assert step_of(issuer_keys=late) == "key.validity"
    assert step_of(anchored_at=ATT.signed_statement.statement.created - timedelta(hours=1)) == (
        "statement.time"
    )
    # within the allowed clock skew a slightly early anchor time is accepted
    assert run(anchored_at=ATT.signed_statement.statement.created - timedelta(minutes=5))


def test_naive_times_are_refused() -> None:
    assert step_of(at=datetime(2026, 3, 2)) == "arguments"
    assert step_of(anchored_at=datetime(2026, 3, 1, 8, 5)) == "arguments"


def test_verify_attestation_combines_receipt_and_disclosure() -> None:
    disclosure = ATT.disclose(PUBLIC_POINTERS)
    kwargs = {
        "log_key": LOG_KEY.verify_key,
        "log_key_name": LOG_KEY_NAME,
        "issuer_keys": KEYS,
        "anchored_at": ANCHORED_AT,
        "at": AT,
    }
    verified = verify_attestation(RECEIPT, disclosure, **kwargs)  # type: ignore[arg-type]
    assert verified.values["/pcf/pcfExcludingBiogenicUptake"] == "75.0"
    assert verified.attestation_id == ATT.attestation_id
    wrong = attest("another").disclose(PUBLIC_POINTERS)
    with pytest.raises(VerificationError) as err:
        verify_attestation(RECEIPT, wrong, **kwargs)  # type: ignore[arg-type]
    assert err.value.step == "receipt.leaf"


@pytest.mark.parametrize(
    ("edit", "step"),
    [
        (lambda d: d.update(leafIndex=-1), "receipt.schema"),
        (lambda d: d.update(inclusionProof=["AAAA"]), "receipt.schema"),
        (lambda d: d["anchor"].update(txHash="0x12"), "receipt.schema"),
        (lambda d: d["anchor"].update(chainId=0), "receipt.schema"),
        (lambda d: d["anchor"].update(contract="0xabc"), "receipt.schema"),
        (lambda d: d.update(type="tanji.statement"), "receipt.schema"),
        (lambda d: d.update(version=True), "receipt.schema"),
        (lambda d: d.update(version=1.0), "receipt.schema"),
        (lambda d: d["signedStatement"].update(signature="AAAA"), "statement.schema"),
        (
            lambda d: d.update(signedStatement=["tanji.claim.v1", "/a", "1", "AA=="]),
            "statement.schema",
        ),
    ],
)
def test_receipt_schema(edit, step: str) -> None:  # type: ignore[no-untyped-def]
    doc = RECEIPT.to_dict()
    edit(doc)
    with pytest.raises(VerificationError) as err:
        Receipt.from_dict(doc)
    assert err.value.step == step


def test_checkpoint_cache_verifies_once_and_only_caches_good_signatures() -> None:
    from sdk import CheckpointCache

    cache = CheckpointCache(maxsize=2)
    assert run(checkpoints=cache)
    assert run(checkpoints=cache)
    assert len(cache) == 1
    # a rogue key never enters the cache, and a cached text does not help another key
    rogue = SigningKey(bytes(32)).verify_key
    assert step_of(checkpoints=cache, log_key=rogue) == "receipt.checkpoint"
    assert len(cache) == 1
    # origin is still checked per receipt on a cache hit
    other_log = replace(RECEIPT, anchor=replace(RECEIPT.anchor, log_id="other"))
    assert step_of(other_log, checkpoints=cache) == "receipt.checkpoint"
    # bounded
    for i in range(3):
        text = sign_checkpoint(
            Checkpoint(checkpoint_origin(31337, "main"), i + 1, bytes(32)), LOG_KEY, LOG_KEY_NAME
        )
        cache.verified(text, LOG_KEY_NAME, LOG_KEY.verify_key)
    assert len(cache) == 2
    with pytest.raises(ValueError, match="maxsize"):
        CheckpointCache(0)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 70), st.data())
def test_disclosure_path_walk_agrees_with_anchors(size: int, data: st.DataObject) -> None:
    from sdk._disclosure import root_from_inclusion_path

    hashes = [hashlib.sha256(b"%d" % i).digest() for i in range(size)]
    index = data.draw(st.integers(0, size - 1))
    proof = inclusion_proof_from_leaf_hashes(hashes, index)
    root = root_from_leaf_hashes(hashes)
    assert root_from_inclusion_path(hashes[index], index, size, proof) == root
    verify_inclusion(hashes[index], index, size, proof, root)
    other = data.draw(st.integers(0, size - 1))
    if other != index:
        assert root_from_inclusion_path(hashes[other], index, size, proof) != root
        with pytest.raises(InclusionProofError):
            verify_inclusion(hashes[other], index, size, proof, root)
