"""Authentication: signed assertion → bearer token, every refusal with its code."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from sdk.client import NodeClient, make_assertion
from sdk.errors import NodeClientError
from sdk.registry import RevocationReason
from tests.node.conftest import AUDIENCE, Clock, NodeHarness, World


def _assertion(world: World, clock: Clock, name: str = "supplier", **over: Any) -> dict[str, Any]:
    org = world.org(name)
    kwargs: dict[str, Any] = {
        "org": org.org_id,
        "key_id": org.keys.signing_key_id,
        "signing_key": org.keys.signing_key,
        "audience": AUDIENCE,
        "now": clock(),
        "nonce": "n-" + "0" * 30,
    }
    kwargs.update(over)
    return make_assertion(**kwargs)


def _token(harness: NodeHarness, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    with harness.http() as http:
        response = http.post("/v1/auth/token", json=body)
    return response.status_code, response.json()


def test_token_is_issued_and_authenticates(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    status, body = _token(harness, _assertion(world, clock))
    assert status == 200, body
    assert body["tokenType"] == "Bearer"
    assert body["expiresIn"] == 900
    assert body["org"] == world.org("supplier").org_id
    with harness.http() as http:
        who = http.get("/v1/webhook", headers={"Authorization": f"Bearer {body['accessToken']}"})
    assert who.status_code == 404  # authenticated: the supplier simply has no webhook
    assert who.json()["code"] == "not_found"


def test_replayed_nonce_is_refused(harness: NodeHarness, world: World, clock: Clock) -> None:
    body = _assertion(world, clock)
    assert _token(harness, body)[0] == 200
    status, error = _token(harness, body)
    assert (status, error["code"]) == (401, "replayed_nonce")


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"audience": "http://another.node"}, "wrong_audience"),
        ({"lifetime_seconds": 3600}, "bad_assertion"),
        ({"nonce": "short"}, "bad_assertion"),
        ({"key_id": "00" * 16}, "unknown_key"),
        ({"org": "91110108MA01ZZZZZ0"}, "not_registered"),
    ],
)
def test_bad_assertions_are_refused(
    harness: NodeHarness, world: World, clock: Clock, over: dict[str, Any], code: str
) -> None:
    status, error = _token(harness, _assertion(world, clock, **over))
    assert (status, error["code"]) == (401, code), error


def test_expired_assertion_and_future_assertion(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    old = _assertion(world, clock, nonce="old-" + "0" * 20)
    clock.advance(600)
    assert _token(harness, old)[1]["code"] == "assertion_expired"
    from datetime import timedelta

    future = _assertion(world, clock, now=clock() + timedelta(hours=1), nonce="f-" + "0" * 20)
    assert _token(harness, future)[1]["code"] == "bad_assertion"


def test_signature_by_another_key_is_refused(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    body = _assertion(world, clock, signing_key=world.org("leader").keys.signing_key)
    status, error = _token(harness, body)
    assert (status, error["code"]) == (401, "bad_signature")
    body = _assertion(world, clock, nonce="x-" + "1" * 30)
    body["signature"] = base64.b64encode(b"\0" * 63).decode()
    assert _token(harness, body)[0] == 401


def test_revoked_key_gets_no_token(harness: NodeHarness, world: World, clock: Clock) -> None:
    org = world.org("supplier")
    world.deployment.participants.revoke_key(
        org.org_id,
        bytes(org.keys.verify_key),
        RevocationReason.KEY_COMPROMISE,
        sender=world.registrar,
    )
    clock.advance(30)
    status, error = _token(harness, _assertion(world, clock))
    assert (status, error["code"]) == (401, "key_revoked")


def test_bearer_token_problems(harness: NodeHarness, world: World, clock: Clock) -> None:
    with harness.http() as http:
        for header in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer zz"}):
            r = http.get("/v1/webhook", headers=header)
            assert r.status_code == 401
            assert r.headers["www-authenticate"] == "Bearer"
            assert set(r.json()) == {"code", "message"}
        r = http.get("/v1/webhook", headers={"Authorization": "Bearer " + "ab" * 32})
        assert r.json()["code"] == "unauthenticated"


def test_token_expires_and_client_renews(harness: NodeHarness, world: World, clock: Clock) -> None:
    client = harness.client("supplier")
    first = client.token()
    clock.advance(901)
    with harness.http() as http:
        r = http.get("/v1/webhook", headers={"Authorization": f"Bearer {first}"})
    assert r.json()["code"] == "token_expired"
    with pytest.raises(NodeClientError) as caught:
        client.delete_webhook()  # renews its token transparently, then 404s
    assert caught.value.status == 404
    assert client.token() != first


@pytest.mark.parametrize("field", ["org", "keyId", "nonce"])
def test_assertion_strings_that_are_not_unicode_text_are_refused(
    harness: NodeHarness, world: World, clock: Clock, field: str
) -> None:
    body = _assertion(world, clock)
    body["assertion"][field] = body["assertion"][field] + "\ud800"
    raw = json.dumps(body).encode()  # ASCII JSON with the escape "\ud800": a lone surrogate
    with harness.http() as http:
        r = http.post("/v1/auth/token", content=raw, headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()["code"]) == (401, "bad_assertion")
    assert field in r.json()["message"]


def test_client_reports_a_non_json_refusal_of_its_assertion_as_node_client_error(
    world: World, clock: Clock
) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    class Proxy(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            page = b"<html>502 Bad Gateway</html>"
            self.send_response(502)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    Thread(target=server.serve_forever, daemon=True).start()
    org = world.org("supplier")
    try:
        with (
            NodeClient(
                f"http://127.0.0.1:{server.server_address[1]}",
                org=org.org_id,
                key_id=org.keys.signing_key_id,
                signing_key=org.keys.signing_key,
                clock=clock,
            ) as client,
            pytest.raises(NodeClientError) as caught,
        ):
            client.token()
        assert (caught.value.status, caught.value.code) == (502, "http_error")
        assert "Bad Gateway" in caught.value.message
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.postgres
def test_nonce_with_nul_is_refused_on_postgres(
    world: World, clock: Clock, postgres_schema: str
) -> None:
    from tests.node.conftest import make_harness

    h = make_harness(world, clock, postgres_schema)
    try:
        status, body = _token(h, _assertion(world, clock, nonce="n-\x00" + "0" * 30))
        assert (status, body["code"]) == (401, "bad_assertion")
        assert "nonce" in body["message"]
    finally:
        h.node.stop()
        assert h.transport is not None
        h.transport.shutdown()
        h.node.engine.dispose()
