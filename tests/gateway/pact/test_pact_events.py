"""Two gateways talking PACT events over HTTPS: a buyer's `tanji pact request` is
answered by the supplier's policy (RequestFulfilled, or RequestRejected for
urn:pact:null) with a token from the buyer's own server, and lands in the buyer's
wallet; a person answers what the policy leaves open; pulled footprints are stored not
attested; an acknowledged request survives kill -9."""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from gateway.pact import GatewayState, add_client
from sdk import FAST_KDF
from sdk.wallet import RequestDirection, RequestState, Wallet
from tanji import _gateway
from tanji._app import Options
from tests.gateway.pact.conftest import (
    BUYER,
    KEYS,
    NOW,
    PASS,
    SUPPLIER,
    add_partner,
    footprint,
    free_port,
    serve_gateway,
    supplier_gateway,
    wait_for,
)
from tests.sdk.footprint.pact_schema import schema_errors, validator


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    tls = tmp_path / "tls"
    tls.mkdir()
    ca = tls / "cert.pem"
    supplier = supplier_gateway(tmp_path, tls=tls, ca_file=ca)
    buyer = serve_gateway(tmp_path / "buyer", BUYER, tls=tls, ca_file=ca)
    add_partner(buyer.state, BUYER, supplier)  # the buyer's credentials on the supplier
    add_partner(supplier.state, SUPPLIER, buyer)  # the supplier's on the buyer
    monkeypatch.setenv("TANJI_PASSPHRASE", PASS)
    yield supplier, buyer, Options(home=tmp_path / "buyer"), ca
    supplier.gateway.close()  # close both sides' keep-alive connections before stopping
    buyer.gateway.close()
    buyer.stop()
    supplier.stop()


def _state(wallet: Wallet, request_id: str) -> RequestState | None:
    req = wallet.request(request_id)
    return None if req is None else req.state


def test_request_fulfilled_by_policy_lands_in_the_buyer_wallet(pair) -> None:  # type: ignore[no-untyped-def]
    supplier, buyer, opts, ca = pair
    product = footprint(2).product_ids[0]
    assert _gateway.request(opts, SUPPLIER, [product], "2026 please", buyer.base_url, ca, True) == 0
    (sent,) = buyer.wallet.requests(direction=RequestDirection.OUTGOING)
    wait_for(lambda: _state(buyer.wallet, sent.request_id) == RequestState.FULFILLED)
    received = buyer.wallet.received(f"pact:{footprint(2).id}")
    assert received is not None
    assert not received.attested
    assert received.footprint["productIds"] == [product]
    # the supplier kept the request and how it was answered
    (incoming,) = supplier.wallet.requests(direction=RequestDirection.INCOMING)
    assert incoming.origin == "pact"
    assert incoming.counterparty == BUYER
    assert incoming.state == RequestState.FULFILLED
    wait_for(lambda: all(e.sent_at is not None for e in supplier.state.outbox()))
    # glass-6 supersedes glass-1, both granted to the buyer: announced once, delivered
    announced = wait_for(
        lambda: [
            e
            for e in supplier.state.outbox()
            if e.body["type"].endswith("PublishedEvent.3") and e.sent_at is not None
        ]
    )
    assert [e.body["data"]["pfIds"] for e in announced] == [[footprint(6).id, footprint(1).id]]

    assert _gateway.request(opts, SUPPLIER, ["urn:pact:null"], None, buyer.base_url, ca, True) == 0
    null = next(r for r in buyer.wallet.requests() if r.product_ids == ("urn:pact:null",))
    wait_for(lambda: _state(buyer.wallet, null.request_id) == RequestState.REJECTED)
    assert (buyer.wallet.request(null.request_id).reason or "").startswith("NotFound")
    wait_for(lambda: all(e.sent_at is not None for e in supplier.state.outbox()))
    kinds = {"RequestFulfilledEvent", "RequestRejectedEvent", "PublishedEvent"}
    sent = supplier.state.outbox()
    assert {e.body["type"].split(".")[-2] for e in sent} == kinds
    for e in sent:
        schema = validator(3, e.body["type"].split(".")[-2])
        assert schema.is_valid(e.body), list(schema.iter_errors(e.body))
        assert not schema.is_valid({k: v for k, v in e.body.items() if k != "time"})


def test_v2_request_is_answered_on_the_v2_events_endpoint(pair) -> None:  # type: ignore[no-untyped-def]
    supplier, buyer, opts, ca = pair
    product = footprint(3).product_ids[0]
    assert _gateway.request(opts, SUPPLIER, [product], None, buyer.base_url, ca, True, 2) == 0
    (sent,) = buyer.wallet.requests(direction=RequestDirection.OUTGOING)
    wait_for(lambda: _state(buyer.wallet, sent.request_id) == RequestState.FULFILLED)
    answer = next(e for e in supplier.state.outbox() if "Fulfilled" in e.body["type"])
    assert answer.url == buyer.base_url + "/2/events"
    assert answer.body["type"] == "org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1"
    (pf,) = answer.body["data"]["pfs"]
    assert pf["specVersion"].startswith("2.")
    assert not schema_errors(pf, 2)
    assert buyer.wallet.received(f"pact:{footprint(3).id}") is not None


def test_unmatched_request_waits_for_a_person(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    supplier, buyer, opts, ca = pair
    product = footprint(5).product_ids[0]  # published, granted to nobody
    _gateway.request(opts, SUPPLIER, [product], None, buyer.base_url, ca, True)
    (incoming,) = wait_for(lambda: supplier.wallet.requests(direction=RequestDirection.INCOMING))
    supplier.gateway.process()
    assert supplier.wallet.request(incoming.request_id).state == RequestState.OPEN
    # a person fulfils it: the footprint is shared with the buyer and sent back
    assert supplier.gateway.fulfil(incoming.request_id) == [footprint(5).id]
    (sent,) = buyer.wallet.requests(direction=RequestDirection.OUTGOING)
    wait_for(lambda: _state(buyer.wallet, sent.request_id) == RequestState.FULFILLED)
    # ... and listed for the buyer from now on (sync and async give the same footprints)
    (cid, secret) = supplier.client(BUYER)
    with supplier.http() as http:
        token = supplier.token(http, (cid, secret))
        resp = http.get(
            f"{supplier.base_url}/3/footprints/{footprint(5).id}",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert resp.status_code == 200


def test_pull_stores_footprints_not_attested(pair, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    supplier, buyer, opts, ca = pair
    cid, secret = supplier.client(BUYER)
    monkeypatch.setenv("TANJI_PACT_CLIENT_SECRET", secret)
    for version in (3, 2):
        assert (
            _gateway.pact_pull_entry(
                opts, supplier.base_url, cid, None, SUPPLIER, version, ca, True
            )
            == 0
        )
    pulled = {r.attestation_id: r for r in buyer.wallet.received_all()}
    assert set(pulled) == {f"pact:{footprint(i).id}" for i in (0, 1, 2, 3, 4, 6)}
    assert all(not r.attested and r.issuer == SUPPLIER for r in pulled.values())
    with pytest.raises(Exception, match="https only"):
        _gateway.pact_pull_entry(
            opts, supplier.base_url.replace("https", "http"), cid, None, SUPPLIER, 3, ca, True
        )


def test_an_acknowledged_request_survives_kill_9(tmp_path: Path) -> None:
    home = tmp_path / "org"
    Wallet.create(home / "wallet.db", PASS, KEYS[SUPPLIER], now=NOW, kdf=FAST_KDF).close()
    state = GatewayState(home / "gateway" / "gateway.db")
    record, secret = add_client(state, BUYER, now=NOW)
    port = free_port()
    base = f"https://127.0.0.1:{port}"
    env = {**os.environ, "TANJI_PASSPHRASE": PASS, "TANJI_HOME": str(home)}
    subprocess.run(
        [sys.executable, "-m", "tanji", "gateway", "cert", "127.0.0.1"],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )

    verify = ssl.create_default_context(cafile=str(home / "gateway" / "cert.pem"))

    def start() -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tanji",
                "gateway",
                "serve",
                "--base-url",
                base,
                "--port",
                str(port),
                "--policy",
                "manual",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/.well-known/openid-configuration", verify=verify, timeout=2)
                return proc
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    proc.wait()
                    raise AssertionError("the gateway did not start") from None
                time.sleep(0.2)

    proc = start()
    token = httpx.post(
        base + "/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(record.client_id, secret),
        verify=verify,
    ).json()["access_token"]
    event = {
        "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
        "specversion": "1.0",
        "id": "req-1",
        "source": "https://buyer.example/3/events",
        "time": "2026-03-01T08:00:00Z",
        "data": {"productId": [footprint(0).product_ids[0]], "comment": "asap"},
    }
    resp = httpx.post(
        base + "/3/events",
        content=json.dumps(event),
        verify=verify,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/cloudevents+json",
        },
    )
    assert resp.status_code == 200
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    (accepted,) = GatewayState(home / "gateway" / "gateway.db").inbound_all()
    assert accepted.event_id == "req-1"
    assert accepted.org_id == BUYER
    proc = start()  # recovery records it in the wallet if the kill came first
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    wallet = Wallet.open(home / "wallet.db", PASS)
    try:
        req = wallet.request(accepted.request_id)
        assert req is not None
        assert req.state == RequestState.OPEN
        assert req.message in ("asap", None)
        assert req.origin == "pact"
        assert req.counterparty == BUYER
    finally:
        wallet.close()
