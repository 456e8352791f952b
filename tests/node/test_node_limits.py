"""The body limit for streamed (chunked) bodies, on every kind of route."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest

from tests.node.conftest import Clock, NodeHarness, World, make_harness


def _stream(app: Any, method: str, path: str, token: str, body: bytes) -> tuple[int, Any]:
    """Send ``body`` to the ASGI app in 500-byte chunks without a Content-Length."""
    chunks = [body[i : i + 500] for i in range(0, len(body), 500)]
    out: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        if chunks:
            chunk = chunks.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"node.test"),
            (b"content-type", b"application/json"),
            (b"transfer-encoding", b"chunked"),
            (b"authorization", f"Bearer {token}".encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("node.test", 80),
    }

    async def call() -> None:
        await app(scope, receive, send)

    anyio.run(call)
    return out["status"], json.loads(out["body"])


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/attestations"),
        ("POST", "/v1/attestations/batch"),
        ("PUT", "/v1/webhook"),
        ("POST", "/v1/requests"),
        ("POST", "/v1/verify"),
    ],
)
def test_streamed_body_past_the_limit_is_413_on_every_route(
    world: World, clock: Clock, tmp_path: Path, method: str, path: str
) -> None:
    h = make_harness(world, clock, f"sqlite:///{tmp_path / 'limits.db'}", max_body_bytes=1000)
    try:
        token = h.client("supplier").token()
        body = json.dumps({"url": "http://hooks.test/" + "a" * 3000}).encode()
        status, answer = _stream(h.app, method, path, token, body)
        assert (status, answer["code"]) == (413, "payload_too_large")
        assert "1000 bytes" in answer["message"]
        with h.http() as http:
            hook = http.get("/v1/webhook", headers={"Authorization": f"Bearer {token}"})
        assert hook.status_code == 404  # nothing was written
    finally:
        h.node.stop()
        assert h.transport is not None
        h.transport.shutdown()
        h.node.engine.dispose()


def test_deeply_nested_json_is_refused_before_parsing(harness: NodeHarness) -> None:
    # Before the check, the C JSON parser overflowed the stack under the recursion limit
    # py_ecc sets on import (100,000) and the node process died of a segfault.
    token = harness.client("supplier").token()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    bodies = [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 65 + b"1" + b"}" * 65]
    with harness.http() as http:
        for path in ("/v1/verify", "/v1/auth/token", "/v1/attestations", "/v1/requests"):
            for body in bodies:
                r = http.post(path, content=body, headers=headers)
                assert (r.status_code, r.json()["code"]) == (400, "malformed_request"), path
                assert "nested deeper than 64 levels" in r.json()["message"]
        # brackets inside strings do not count; 64 levels are fine
        fine = b'{"receipt": {"x": "' + b"[" * 500 + b'"}, "disclosure": ' + b"[" * 62
        fine += b"]" * 62 + b"}"
        r = http.post("/v1/verify", content=fine, headers=headers)
        assert r.status_code == 422, r.text


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        (b'{"a":' * 64 + b"1" + b"}" * 64, False),
        (b'{"a":' * 65 + b"1" + b"}" * 65, True),
        (b"[{" * 32 + b"}]" * 32, False),
        (b"[{" * 32 + b"[]" + b"}]" * 32, True),  # 65 levels, alternating
        (b"[" * 100_000 + b"}", True),  # mismatched: the parser would recurse first
        (b'["' + b"[" * 100 + b'"]', False),  # brackets in strings do not count
        (b'["\\"' + b"[" * 100 + b'"]', False),  # nor after an escaped quote
        (json.dumps([[i] for i in range(1000)]).encode(), False),  # wide is fine
    ],
)
def test_check_json_depth(body: bytes, refused: bool) -> None:
    from node._limits import check_json_depth
    from node.errors import MalformedRequest

    if refused:
        with pytest.raises(MalformedRequest):
            check_json_depth(body)
    else:
        check_json_depth(body)
