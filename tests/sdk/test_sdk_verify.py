"""verify_receipt / verify_attestation / check_issuer: each check, its step, the times."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from nacl.signing import SigningKey

from anchors import (
    Checkpoint,
    MemoryLogStore,
    MerkleLog,
    checkpoint_origin,
    sign_checkpoint,
)
from sdk import (
    ISSUER_STEPS,
    KeyRecord,
    Receipt,
    Role,
    RoleRecord,
    Statement,
    check_issuer,
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
    PUBLIC_POINTERS,
    SUPPLIER,
    attest,
    receipt_for,
)

ATT = attest("verify tests")
_RECEIPT, _EXTRA = receipt_for(ATT.signed_statement.leaf_bytes, ATT.signed_statement)
assert _RECEIPT is not None
RECEIPT: Receipt = _RECEIPT
HEAD = (_EXTRA["head"]["size"], base64.b64decode(_EXTRA["head"]["root"]))
KEYS = [KeyRecord(bytes(SUPPLIER.verify_key), KEY_VALID_FROM)]
ROLES = [RoleRecord(Role.SUPPLIER, int(KEY_VALID_FROM.timestamp()))]
LOG_KEYS = [KeyRecord(bytes(LOG_KEY.verify_key), KEY_VALID_FROM)]
ORIGIN = checkpoint_origin(31337, "main")


def run(receipt: Receipt = RECEIPT, **overrides: Any) -> Statement:
    kwargs: dict[str, Any] = {
        "log_keys": LOG_KEYS,
        "issuer_keys": KEYS,
        "issuer_roles": ROLES,
        "anchored_at": ANCHORED_AT,
        "at": AT,
        "anchored_head": HEAD,
    }
    kwargs.update(overrides)
    return verify_receipt(receipt, **kwargs)


def step_of(receipt: Receipt = RECEIPT, **overrides: Any) -> str:
    with pytest.raises(VerificationError) as err:
        run(receipt, **overrides)
    return err.value.step


def test_valid_receipt_and_roundtrip() -> None:
    assert run() == ATT.signed_statement.statement
    assert Receipt.from_dict(RECEIPT.to_dict()) == RECEIPT
    assert run(expected_attestation_id=ATT.attestation_id)


def test_receipt_from_a_real_merkle_log() -> None:
    log = MerkleLog(MemoryLogStore())
    for other in range(5):
        log.append(f"earlier entry {other}".encode())
    index = log.append(ATT.signed_statement.leaf_bytes)
    log.append(b"later entry")
    size = log.size
    text = sign_checkpoint(Checkpoint(ORIGIN, size, log.root(size)), LOG_KEY, ORIGIN)
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
    renamed = sign_checkpoint(Checkpoint(ORIGIN, *HEAD), LOG_KEY, "tanji-log-main")
    assert step_of(replace(RECEIPT, checkpoint=renamed)) == "receipt.checkpoint"
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
    assert step_of(issuer_roles=[]) == "issuer.role"
    assert step_of(issuer_roles=[RoleRecord(Role.AUDITOR, 0)]) == "issuer.role"
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
        "log_keys": LOG_KEYS,
        "issuer_keys": KEYS,
        "issuer_roles": ROLES,
        "anchored_head": HEAD,
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
        (lambda d: d["anchor"].update(txHash="0x" + "12" * 32), "receipt.schema"),
        (lambda d: d["anchor"].update(chainId=0), "receipt.schema"),
        (lambda d: d["anchor"].update(contract="0x" + "ab" * 20), "receipt.schema"),
        (lambda d: d["anchor"].update(blockNumber=7), "receipt.schema"),
        (lambda d: d.update(version=1), "receipt.schema"),
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
def test_receipt_schema(edit: Callable[[dict[str, Any]], object], step: str) -> None:
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
    rogue_keys = [KeyRecord(bytes(rogue), KEY_VALID_FROM)]
    assert step_of(checkpoints=cache, log_keys=rogue_keys) == "receipt.checkpoint"
    assert len(cache) == 1
    # origin is still checked per receipt on a cache hit
    other_log = replace(RECEIPT, anchor=replace(RECEIPT.anchor, log_id="other"))
    assert step_of(other_log, checkpoints=cache) == "receipt.checkpoint"
    # bounded
    for i in range(3):
        text = sign_checkpoint(Checkpoint(ORIGIN, i + 1, bytes(32)), LOG_KEY, ORIGIN)
        cache.verified(text, ORIGIN, LOG_KEY.verify_key)
    assert len(cache) == 2
    with pytest.raises(ValueError, match="maxsize"):
        CheckpointCache(0)


def test_checkpoint_key_must_be_valid_when_the_checkpoint_was_anchored() -> None:
    # Hole 2: the log operator's key history, not just any key it ever registered.
    revoked = [KeyRecord(bytes(LOG_KEY.verify_key), KEY_VALID_FROM, ANCHORED_AT)]
    with pytest.raises(VerificationError, match="was revoked at") as err:
        run(log_keys=revoked)
    assert err.value.step == "receipt.checkpoint"
    later = [KeyRecord(bytes(LOG_KEY.verify_key), ANCHORED_AT + timedelta(seconds=1))]
    assert step_of(log_keys=later) == "receipt.checkpoint"
    # rotated out after anchoring: old receipts stay valid
    rotated = [KeyRecord(bytes(LOG_KEY.verify_key), KEY_VALID_FROM, AT)]
    assert run(log_keys=rotated)
    # a second, valid key next to a revoked one that signed does not make it count
    other = SigningKey(b"\7" * 32).verify_key
    both = [*revoked, KeyRecord(bytes(other), KEY_VALID_FROM)]
    assert step_of(log_keys=both) == "receipt.checkpoint"


def test_check_issuer_is_the_one_issuer_check() -> None:
    signed = ATT.signed_statement
    created = signed.statement.created
    assert ISSUER_STEPS == ("statement.signature", "key.validity", "issuer.role", "statement.time")
    record = check_issuer(signed, keys=KEYS, roles=ROLES, at=ANCHORED_AT)
    assert record.public_key == bytes(SUPPLIER.verify_key)
    # times as Unix seconds and roles by name work as well
    by_name = [SimpleNamespace(role="LEADER", valid_from=0, revoked_at=None)]
    assert check_issuer(signed, keys=KEYS, roles=by_name, at=int(ANCHORED_AT.timestamp()))

    def step(**kw: object) -> str:
        args: dict[str, object] = {"keys": KEYS, "roles": ROLES, "at": ANCHORED_AT, **kw}
        with pytest.raises(VerificationError) as err:
            check_issuer(signed, **args)  # type: ignore[arg-type]
        return err.value.step

    # Hole 1: the trusted time bounds `created` for every verifier.
    assert step(at=created - timedelta(days=30)) == "statement.time"
    # Hole 5: a role revoked before the trusted time.
    ended = [RoleRecord(Role.SUPPLIER, 0, int((ANCHORED_AT - timedelta(seconds=1)).timestamp()))]
    assert step(roles=ended) == "issuer.role"
    not_yet = [RoleRecord(Role.SUPPLIER, int((ANCHORED_AT + timedelta(seconds=1)).timestamp()))]
    assert step(roles=not_yet) == "issuer.role"
    assert step(roles=[RoleRecord(Role.LOG_OPERATOR, 0)]) == "issuer.role"
    assert step(keys=[]) == "statement.signature"
    assert step(at=datetime(2026, 3, 1)) == "arguments"
