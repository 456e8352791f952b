"""The in-memory wallet and the SQL wallet keep the same contract: the same script of
publications, grants, received footprints, requests and labels gives the same answers
and the same refusals from both (roles run on either)."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sdk import FAST_KDF, JsonValue, OrgKeys, create_attestation
from sdk._ids import uscc_check_char
from sdk.wallet import (
    GrantRecord,
    GrantState,
    LabelRecord,
    LabelRole,
    MemoryWallet,
    PublishedRecord,
    PublishState,
    ReceivedRecord,
    RequestDirection,
    RequestRecord,
    RequestState,
    Wallet,
    WalletConflict,
    WalletError,
    WalletStore,
    publication_input_digest,
)

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
ORG = "91340100MA2XGL001" + uscc_check_char("91340100MA2XGL001")
BUYER = "91110108MA01NB009" + uscc_check_char("91110108MA01NB009")
OTHER_BUYER = "urn:tanji:org:other-buyer"
KEYS = OrgKeys.from_seed(ORG, bytes(32))
BUYER_KEYS = OrgKeys.from_seed(BUYER, bytes([1]) * 32)
OTHER_KEYS = OrgKeys.from_seed(OTHER_BUYER, bytes([2]) * 32)


def _publication(product: str, seed: int) -> PublishedRecord:
    """A pending publication of ``product`` with one grant to BUYER."""
    product_id = f"urn:tanji:product:test:{product}"
    doc: dict[str, JsonValue] = {
        "productIds": [product_id],
        "pcf": {"pcfExcludingBiogenicUptake": "12.400", "declaredUnitOfMeasurement": "piece"},
    }
    inventory: JsonValue = {"secret": product}
    rng = random.Random(seed).randbytes
    att = create_attestation(
        KEYS, product_id=product_id, footprint=doc, inventory=inventory, now=NOW, rng=rng
    )
    grant = att.grant(BUYER, BUYER_KEYS.public_key, rng=rng)
    return PublishedRecord(
        attestation=att,
        input_digest=publication_input_digest(doc, inventory, [BUYER], [], None),
        product_id=product_id,
        state=PublishState.PENDING,
        created_at=NOW + timedelta(seconds=seed),
        grants=(GrantRecord.of(grant, NOW),),
    )


def _request(request_id: str, direction: RequestDirection, state: RequestState) -> RequestRecord:
    return RequestRecord(
        request_id=request_id,
        direction=direction,
        counterparty=BUYER,
        product_ids=("urn:tanji:product:test:glass",),
        state=state,
        created_at=NOW,
        updated_at=NOW,
    )


def _label(label_id: str, role: LabelRole, attestation_id: str) -> LabelRecord:
    return LabelRecord(
        label_id=label_id,
        role=role,
        attestation_id=attestation_id,
        product_id="urn:tanji:product:test:glass",
        value="12.400",
        unit="kgCO2e/piece",
        grade="",
        standard="GB/T 24067-2024",
        valid_from=NOW,
        valid_until=NOW + timedelta(days=730),
        issued_at=NOW,
        url="http://127.0.0.1:8080/labels/" + label_id,
        disclosure={"claims": []},
    )


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WalletStore]:
    if request.param == "memory":
        yield MemoryWallet(KEYS)
        return
    wallet = Wallet.create(tmp_path / "wallet.db", "parity", KEYS, now=NOW, kdf=FAST_KDF)
    yield wallet
    wallet.close()


def test_publications_filter_and_refuse_the_same(store: WalletStore) -> None:
    glass, cell = _publication("glass", 1), _publication("cell", 2)
    store.begin_publication(glass)
    store.begin_publication(cell)
    with pytest.raises(WalletConflict):
        store.begin_publication(glass)
    store.finish_publication(glass.attestation_id, log_id="main", index=4, at=NOW)
    with pytest.raises(WalletError, match="no publication"):
        store.finish_publication("ff" * 32, log_id="main", index=5, at=NOW)

    assert [p.attestation_id for p in store.publications()] == [
        glass.attestation_id,
        cell.attestation_id,
    ]
    logged = store.publications(state=PublishState.LOGGED)
    assert [(p.attestation_id, p.log_id, p.index) for p in logged] == [
        (glass.attestation_id, "main", 4)
    ]
    assert [g.state for g in logged[0].grants] == [GrantState.SENT]
    assert [p.attestation_id for p in store.publications(product_id=cell.product_id)] == [
        cell.attestation_id
    ]
    assert store.publications(state=PublishState.LOGGED, product_id=cell.product_id) == []
    found = store.publication_for_input(cell.input_digest)
    assert found is not None
    assert found.attestation_id == cell.attestation_id
    assert store.publication_for_input("00" * 32) is None
    assert store.publication("ee" * 32) is None


def test_grants_are_recorded_and_marked_sent_or_refused(store: WalletStore) -> None:
    cell = _publication("cell", 2)
    store.begin_publication(cell)
    extra = GrantRecord.of(
        cell.attestation.grant(OTHER_BUYER, OTHER_KEYS.public_key, rng=random.Random(9).randbytes),
        NOW,
    )
    store.record_grant(extra)
    stray = GrantRecord(
        attestation_id="dd" * 32,
        recipient=OTHER_BUYER,
        recipient_key_id=extra.recipient_key_id,
        grant=extra.grant,
        state=GrantState.PENDING,
        created_at=NOW,
    )
    with pytest.raises(WalletError, match="no publication"):
        store.record_grant(stray)
    later = NOW + timedelta(minutes=5)
    store.mark_grant_sent(cell.attestation_id, OTHER_BUYER, extra.recipient_key_id, later)
    with pytest.raises(WalletError, match="no grant"):
        store.mark_grant_sent(cell.attestation_id, "urn:tanji:org:nobody", "00" * 16, later)
    stored = store.publication(cell.attestation_id)
    assert stored is not None
    states = {g.recipient: (g.state, g.sent_at) for g in stored.grants}
    assert states == {BUYER: (GrantState.PENDING, None), OTHER_BUYER: (GrantState.SENT, later)}


def test_received_requests_and_labels_read_back_the_same(store: WalletStore) -> None:
    received = ReceivedRecord(
        attestation_id="ab" * 32,
        issuer=BUYER,
        product_id="urn:tanji:product:test:cell",
        source="pact:https://supplier.example",
        attested=False,
        received_at=NOW,
        footprint={"pcf": {"pcfExcludingBiogenicUptake": "1.3"}},
    )
    store.put_received(received)
    assert store.received("ab" * 32) == received
    assert store.received("cd" * 32) is None
    assert store.received_all() == [received]

    incoming = _request("r1", RequestDirection.INCOMING, RequestState.OPEN)
    outgoing = _request("r2", RequestDirection.OUTGOING, RequestState.OPEN)
    store.put_request(incoming)
    store.put_request(outgoing, note="sent")
    store.put_request(outgoing, note="same state: no event")
    answered = dataclasses.replace(
        incoming,
        state=RequestState.FULFILLED,
        updated_at=NOW + timedelta(hours=1),
        attestation_id="ab" * 32,
    )
    store.put_request(answered, note="answered")
    assert store.request("r1") == answered
    assert store.request("r9") is None
    assert [r.request_id for r in store.requests()] == ["r1", "r2"]
    assert [r.request_id for r in store.requests(direction=RequestDirection.OUTGOING)] == ["r2"]
    assert [r.request_id for r in store.requests(state=RequestState.FULFILLED)] == ["r1"]
    assert store.requests(direction=RequestDirection.OUTGOING, state=RequestState.FULFILLED) == []
    events = store.request_events("r1")
    assert [(e.seq, e.state, e.note) for e in events] == [
        (1, RequestState.OPEN, None),
        (2, RequestState.FULFILLED, "answered"),
    ]
    assert [(e.seq, e.note) for e in store.request_events("r2")] == [(1, "sent")]
    assert store.request_events("r9") == []

    held = _label("0x" + "cd" * 32, LabelRole.HELD, "ab" * 32)
    issued = _label("0x" + "ef" * 32, LabelRole.ISSUED, "ab" * 32)
    store.put_label(held)
    store.put_label(issued)
    assert store.label(held.label_id) == held
    assert store.label("0x" + "00" * 32) is None
    assert [x.label_id for x in store.labels()] == [held.label_id, issued.label_id]
    assert store.labels(role=LabelRole.ISSUED) == [issued]


def test_decryption_keys_include_the_current_key(store: WalletStore) -> None:
    assert store.org_id == KEYS.org_id
    key = store.decryption_key(KEYS.encryption_key_id)
    assert key is not None
    assert bytes(key.public_key) == bytes(KEYS.encryption_key.public_key)
    assert store.decryption_key("00" * 16) is None
