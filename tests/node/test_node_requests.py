"""Footprint requests between a leader and a supplier, with polling and signed webhooks."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from nacl.signing import VerifyKey

from node import SIGNATURE_HEADER, WEBHOOK_TAG
from node._util import rfc3339
from sdk.errors import NodeClientError
from tests.node.conftest import Clock, NodeHarness, World, build, make_harness


class Receiver:
    """A real HTTP server on 127.0.0.1 that fails its first ``fail_first`` deliveries."""

    def __init__(self, fail_first: int) -> None:
        self.fail_first = fail_first
        self.received: list[tuple[bytes, str]] = []
        self.attempts = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                body = self.rfile.read(length)
                outer.attempts += 1
                if outer.attempts <= outer.fail_first:
                    self.send_response(503)
                    self.end_headers()
                    return
                outer.received.append((body, self.headers[SIGNATURE_HEADER]))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(fail_first=2)
    yield r
    r.close()


def test_request_fulfil_flow_with_polling(harness: NodeHarness, world: World, clock: Clock) -> None:
    leader = harness.client("leader")
    supplier = harness.client("supplier")
    created = leader.request_footprint(
        world.org("supplier").org_id, ["urn:tanji:product:panel-15"], "for Q3 BOM"
    )
    assert created["status"] == "open"
    assert created["leader"] == world.org("leader").org_id
    mine = supplier.list_requests(role="supplier", status="open")
    assert [r["id"] for r in mine] == [created["id"]]
    assert leader.list_requests(role="supplier") == []

    no_grant = build(world, "supplier", created=clock(), tag="nogrant")
    granted = build(world, "supplier", created=clock(), recipients=("leader",))
    supplier.publish_batch([no_grant.body, granted.body])
    with pytest.raises(NodeClientError) as caught:
        supplier.fulfil_request(created["id"], no_grant.attestation_id)
    assert (caught.value.status, caught.value.code) == (422, "no_grant")
    with pytest.raises(NodeClientError) as caught:
        leader.fulfil_request(created["id"], granted.attestation_id)
    assert (caught.value.status, caught.value.code) == (403, "not_supplier")

    mark = rfc3339(clock())
    clock.advance(5)
    done = supplier.fulfil_request(created["id"], granted.attestation_id)
    assert done["status"] == "fulfilled"
    assert done["attestationId"] == granted.attestation_id
    polled = leader.list_requests(role="leader", updated_after=mark)
    assert [r["status"] for r in polled] == ["fulfilled"]
    assert leader.list_requests(updated_after=rfc3339(clock())) == []
    assert leader.envelope(granted.attestation_id)["grant"] == granted.body["grants"][0]

    with pytest.raises(NodeClientError) as caught:
        supplier.reject_request(created["id"], "too late")
    assert (caught.value.status, caught.value.code) == (409, "answered")
    with pytest.raises(NodeClientError) as caught:
        harness.client("supplier2").get_request(created["id"])
    assert caught.value.status == 404


def test_request_refusals(harness: NodeHarness, world: World) -> None:
    leader = harness.client("leader")
    with pytest.raises(NodeClientError) as caught:
        harness.client("supplier").request_footprint(world.org("leader").org_id, ["urn:x:1"])
    assert (caught.value.status, caught.value.code) == (403, "role_missing")
    with pytest.raises(NodeClientError) as caught:
        leader.request_footprint(world.org("auditor").org_id, ["urn:x:1"])
    assert (caught.value.status, caught.value.code) == (422, "unknown_supplier")
    with pytest.raises(NodeClientError) as caught:
        leader.request_footprint(world.org("supplier").org_id, ["not-a-urn"])
    assert caught.value.status == 422
    with pytest.raises(NodeClientError) as caught:
        leader.request_footprint(world.org("supplier").org_id, [])
    assert caught.value.status == 422
    with pytest.raises(NodeClientError) as caught:
        leader.list_requests(role="auditor")
    assert caught.value.status == 400


def test_reject_and_webhooks_are_signed_and_retried(
    world: World, clock: Clock, tmp_path: Path, receiver: Receiver
) -> None:
    h = make_harness(
        world,
        clock,
        f"sqlite:///{tmp_path / 'hooks.db'}",
        webhook_backoff_seconds=10.0,
        webhook_max_attempts=5,
    )
    try:
        leader = h.client("leader")
        supplier = h.client("supplier")
        leader.set_webhook(receiver.url)
        supplier.set_webhook(receiver.url)
        request = leader.request_footprint(world.org("supplier").org_id, ["urn:x:battery"])
        supplier.reject_request(request["id"], "product discontinued")

        dispatcher = h.node.dispatcher
        assert dispatcher.run_once(clock()) == 2  # both fail: attempts 1 and 2 → 503
        assert receiver.received == []
        assert dispatcher.run_once(clock()) == 0  # backing off
        clock.advance(10)
        assert dispatcher.run_once(clock()) == 2
        assert len(receiver.received) == 2

        node_key = VerifyKey(base64.b64decode(h.client().node_info()["checkpointKey"]["publicKey"]))
        events = []
        for body, signature in receiver.received:
            node_key.verify(WEBHOOK_TAG + body, base64.b64decode(signature))
            events.append(json.loads(body))
        assert sorted(e["event"] for e in events) == ["request.created", "request.rejected"]
        rejected = next(e for e in events if e["event"] == "request.rejected")
        assert rejected["data"]["reason"] == "product discontinued"
        hook = leader.get_webhook()
        assert hook["deliveries"] == {"pending": 0, "delivered": 1, "failed": 0}
    finally:
        h.node.stop()
        assert h.transport is not None
        h.transport.shutdown()
        h.node.engine.dispose()


def test_undeliverable_webhook_gives_up(world: World, clock: Clock, tmp_path: Path) -> None:
    h = make_harness(
        world,
        clock,
        f"sqlite:///{tmp_path / 'dead.db'}",
        webhook_backoff_seconds=1.0,
        webhook_max_attempts=3,
        webhook_timeout_seconds=0.5,
    )
    try:
        leader = h.client("leader")
        leader.set_webhook("http://127.0.0.1:9/unreachable")
        supplier = h.client("supplier")
        supplier.set_webhook("http://127.0.0.1:9/unreachable")
        leader.request_footprint(world.org("supplier").org_id, ["urn:x:ssd"])
        for _ in range(3):
            assert h.node.dispatcher.run_once(clock()) == 1
            clock.advance(100)
        assert h.node.dispatcher.run_once(clock()) == 0
        hook = supplier.get_webhook()
        assert hook["deliveries"]["failed"] == 1
        with pytest.raises(NodeClientError) as caught:
            leader.set_webhook("ftp://nope")
        assert caught.value.code == "invalid_url"
        leader.delete_webhook()
        with pytest.raises(NodeClientError):
            leader.delete_webhook()
    finally:
        h.node.stop()
        assert h.transport is not None
        h.transport.shutdown()
        h.node.engine.dispose()


def test_two_dispatchers_never_send_one_delivery_twice(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    from node._webhooks import WebhookDispatcher

    receiver = Receiver(fail_first=0)
    try:
        supplier = harness.client("supplier")
        supplier.set_webhook(receiver.url)
        leader = harness.client("leader")
        for i in range(12):
            leader.request_footprint(world.org("supplier").org_id, [f"urn:x:item-{i}"])
        node = harness.node
        other = WebhookDispatcher(node.engine, node.settings, node.log_key, clock)
        now = clock()
        tried: list[int] = []
        threads = [
            threading.Thread(target=lambda d=d: tried.append(d.run_once(now)))
            for d in (node.dispatcher, other)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        other.stop()
        assert sum(tried) == 12
        assert len(receiver.received) == 12
        assert len({json.loads(body)["id"] for body, _ in receiver.received}) == 12
    finally:
        receiver.close()


@pytest.mark.parametrize("url", ["http://[::1", "http://hooks.test:abc/", "http://ho\x00oks.test/"])
def test_webhook_url_that_cannot_be_fetched_is_refused(harness: NodeHarness, url: str) -> None:
    leader = harness.client("leader")
    with pytest.raises(NodeClientError) as caught:
        leader.set_webhook(url)
    assert (caught.value.status, caught.value.code) == (422, "invalid_url")
    with pytest.raises(NodeClientError) as missing:
        leader.get_webhook()
    assert missing.value.status == 404


def test_a_stored_url_the_client_cannot_parse_fails_alone(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    from sqlalchemy import insert, select

    from node._tables import webhook_deliveries, webhooks

    receiver = Receiver(fail_first=0)
    try:
        harness.client("leader").set_webhook(receiver.url)
        # A registration stored before URLs were checked with the delivery client's parser.
        with harness.node.engine.begin() as conn:
            conn.execute(
                insert(webhooks).values(
                    org=world.org("supplier").org_id,
                    url="http://hooks.test:abc/",
                    created_at=clock(),
                )
            )
        leader = harness.client("leader")
        supplier_id = world.org("supplier").org_id
        first = leader.request_footprint(supplier_id, ["urn:x:one"])
        harness.client("supplier").reject_request(first["id"], "not our product")
        assert harness.node.dispatcher.run_once(clock()) == 2
        with harness.node.engine.connect() as conn:
            rows = {r.org: r for r in conn.execute(select(webhook_deliveries))}
        assert rows[supplier_id].attempts == 1
        assert rows[supplier_id].status == "pending"
        assert "transport" in rows[supplier_id].last_error
        assert rows[world.org("leader").org_id].status == "delivered"
        assert len(receiver.received) == 1
    finally:
        receiver.close()


def _raw(harness: NodeHarness, name: str, method: str, path: str, body: Any) -> Any:
    """Send ``body`` as ASCII JSON, so a lone surrogate arrives as its escape."""
    token = harness.client(name).token()
    with harness.http() as http:
        return http.request(
            method,
            path,
            content=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )


@pytest.mark.parametrize(
    "change",
    [
        {"supplier": "91110108MA01AAAAA\ud800"},
        {"productIds": ["urn:x:ssd\ud800"]},
        {"message": "please\ud800"},
    ],
)
def test_request_text_that_is_not_unicode_is_refused_and_nothing_stored(
    harness: NodeHarness, world: World, change: dict[str, Any]
) -> None:
    body = {"supplier": world.org("supplier").org_id, "productIds": ["urn:x:ssd"]} | change
    r = _raw(harness, "leader", "POST", "/v1/requests", body)
    assert (r.status_code, r.json()["code"]) == (422, "invalid_input")
    assert "Unicode" in r.json()["message"]
    assert harness.client("leader").list_requests() == []


def test_reject_and_fulfil_text_that_is_not_unicode_is_refused(
    harness: NodeHarness, world: World
) -> None:
    leader = harness.client("leader")
    request = leader.request_footprint(world.org("supplier").org_id, ["urn:x:ssd"])
    path = f"/v1/requests/{request['id']}"
    r = _raw(harness, "supplier", "POST", path + "/reject", {"reason": "no\ud800"})
    assert (r.status_code, r.json()["code"]) == (422, "invalid_input")
    r = _raw(harness, "supplier", "POST", path + "/fulfil", {"attestationId": "a\ud800"})
    assert (r.status_code, r.json()["code"]) == (422, "invalid_input")
    assert leader.get_request(request["id"])["status"] == "open"


def test_updated_after_that_leaves_the_calendar_in_utc_is_400(harness: NodeHarness) -> None:
    token = harness.client("leader").token()
    with harness.http() as http:
        r = http.get(
            "/v1/requests",
            params={"updatedAfter": "0001-01-01T00:00:00+05:00"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert (r.status_code, r.json()["code"]) == (400, "malformed_request")
    assert "updatedAfter" in r.json()["message"]


@pytest.mark.postgres
def test_request_text_with_nul_is_refused_on_postgres(
    world: World, clock: Clock, postgres_schema: str
) -> None:
    h = make_harness(world, clock, postgres_schema)
    try:
        leader = h.client("leader")
        supplier_id = world.org("supplier").org_id
        with pytest.raises(NodeClientError) as caught:
            leader.request_footprint(supplier_id, ["urn:x:ssd"], message="a\x00b")
        assert (caught.value.status, caught.value.code) == (422, "invalid_input")
        assert leader.list_requests() == []
        request = leader.request_footprint(supplier_id, ["urn:x:ssd"])
        with pytest.raises(NodeClientError) as caught:
            h.client("supplier").reject_request(request["id"], "no\x00")
        assert (caught.value.status, caught.value.code) == (422, "invalid_input")
        assert leader.get_request(request["id"])["status"] == "open"
    finally:
        h.node.stop()
        assert h.transport is not None
        h.transport.shutdown()
        h.node.engine.dispose()
