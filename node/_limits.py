"""ASGI middleware refusing request bodies past the configured size (413) before parsing."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from node.errors import MalformedRequest

MAX_JSON_DEPTH = 64
"""The deepest nesting of arrays and objects a request body may have."""

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_QUOTED = re.compile(rb'"[^"]*"')
_INNERMOST = re.compile(rb"\[\]|\{\}")  # one pass: pairs made by a removal wait a round
_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b'[]{}"')))
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


def check_json_depth(raw: bytes, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse a JSON body nested deeper than ``limit`` BEFORE it is parsed.

    The process runs with a raised recursion limit (py-evm/py_ecc set 100,000 on import),
    so the C JSON parser would overflow the stack, killing the process, on a body like
    ``[[[[…]]]]`` instead of raising RecursionError. Raises :class:`MalformedRequest`
    when the brackets outside strings nest deeper than ``limit`` or do not pair up (then
    the body is not JSON either). Costs two ``bytes.count`` calls for bodies with few
    brackets and a few milliseconds for a 1,000-attestation batch.
    """
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return
    if b"\\" in raw:
        brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    else:  # no escapes: every quote opens or closes a string
        brackets = _QUOTED.sub(b"", raw.translate(None, _NOT_STRUCTURE))
    # Each round removes the innermost pairs, so `limit` rounds empty it iff it is
    # well-paired and at most `limit` deep.
    for _ in range(limit):
        reduced = _INNERMOST.sub(b"", brackets)
        if reduced == brackets:
            break
        brackets = reduced
    if brackets:
        raise MalformedRequest(f"request body is not JSON or is nested deeper than {limit} levels")


class BodyTooLarge(Exception):
    """Raised inside the app when the streamed body passes the limit."""


def _error_body(limit: int) -> bytes:
    return json.dumps(
        {"code": "payload_too_large", "message": f"request body is larger than {limit} bytes"}
    ).encode()


class BodyLimitMiddleware:
    """Answer 413 ``{code, message}`` for bodies larger than ``max_bytes``.

    A declared ``Content-Length`` past the limit is refused before anything is read; a
    chunked body is counted while it streams and cut off when it passes the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = _error_body(self.max_bytes)
        headers: list[Any] = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
