"""The body limit for streamed (chunked) bodies, on every kind of route."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest

from tests.node.conftest import Clock, World, make_harness


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
