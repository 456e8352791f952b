"""The HTTP layer: the app, and the one place errors become statuses.

Routes live in :mod:`node.routes` (one router per resource); the HTML pages in
:mod:`node._pages`. Every error answer is JSON ``{"code", "message"}``. Domain errors
(:mod:`node.errors`) map to statuses here and only here; a request that fails writes
nothing, because every service call is one transaction. A database that is down or hung
answers 503 ``unavailable`` with ``Retry-After`` (:mod:`node._gate`), never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import httpx
from eth_account.signers.local import LocalAccount
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from nacl.signing import SigningKey
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute

from anchors.chain import ChainClient
from anchors.errors import ChainError
from node._gate import database_failure, first_line
from node._limits import BodyLimitMiddleware, BodyTooLarge
from node._node import Node, build_node, utc_now
from node._pages import install_page_routes
from node._settings import Settings
from node.errors import (
    AuthenticationFailed,
    Conflict,
    Forbidden,
    InvalidInput,
    MalformedRequest,
    NodeError,
    NotFound,
    PayloadTooLarge,
    Unavailable,
)
from node.routes import api_router
from node.routes._deps import DepthCheckedRoute
from sdk.deploy import Deployment

log = logging.getLogger("tanji.node")

STATUS: dict[type[NodeError], int] = {
    MalformedRequest: 400,
    InvalidInput: 422,
    AuthenticationFailed: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    PayloadTooLarge: 413,
    Unavailable: 503,
}


def status_of(exc: NodeError) -> int:
    """HTTP status of a domain error (the most specific class wins)."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The JSON error body every failure uses."""
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    # A message may quote the input; a lone surrogate in it must not make the answer a 500.
    message = message.encode("utf-8", "backslashreplace").decode("utf-8")
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


def create_app(
    settings: Settings,
    *,
    chain: ChainClient | None = None,
    deployment: Deployment | None = None,
    engine: Engine | None = None,
    operator: LocalAccount | None = None,
    log_key: SigningKey | None = None,
    clock: Callable[[], datetime] = utc_now,
    webhook_transport: httpx.BaseTransport | None = None,
    start_workers: bool = True,
) -> FastAPI:
    """The node's ASGI application; the :class:`~node._node.Node` is ``app.state.node``.

    ``chain``/``deployment``/``engine``/``operator``/``log_key`` override what the
    settings name (tests and the demo pass an embedded chain). With ``start_workers``
    the anchoring and webhook workers run while the app's lifespan runs (uvicorn starts
    it; tests driving the app through ``httpx.ASGITransport`` call the workers' passes).
    Raises :class:`~node.errors.InvalidInput` for bad configuration and
    :class:`~node.errors.Unavailable` when the database cannot be reached to migrate it.
    """
    node = build_node(
        settings,
        chain=chain,
        deployment=deployment,
        engine=engine,
        operator=operator,
        log_key=log_key,
        clock=clock,
        webhook_transport=webhook_transport,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if start_workers:
            node.start()
        try:
            yield
        finally:
            node.stop()

    app = FastAPI(
        title="Tanji node",
        version="1",
        summary="Trusted exchange of product carbon footprints: publish, log, anchor, verify.",
        lifespan=lifespan,
    )
    app.state.node = node
    app.router.route_class = DepthCheckedRoute
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    _install_errors(app, node)
    app.include_router(api_router())
    install_page_routes(app, node)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document without FastAPI's automatic 422 ``HTTPValidationError``.

    Path, query and header problems answer 400 here (see the validation handler), and a
    body problem 422 with :class:`~node.routes._models.ErrorBody`, which each route
    declares itself; the automatic entry would document an answer the node never gives.
    """
    if app.openapi_schema is not None:
        return app.openapi_schema
    spec = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        routes=app.routes,
    )
    generated = "#/components/schemas/HTTPValidationError"
    for item in spec.get("paths", {}).values():
        for op in item.values():
            responses = op.get("responses", {})
            schema = responses.get("422", {}).get("content", {}).get("application/json", {})
            if schema.get("schema", {}).get("$ref") == generated:
                del responses["422"]
    schemas = spec.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    app.openapi_schema = spec
    return spec


def _flat_routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route, looking into included routers (FastAPI keeps them as one entry)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _flat_routes(inner.routes)
        else:
            yield route


def _allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route answers at ``path`` (a 405's ``Allow``)."""
    methods: set[str] = set()
    for route in _flat_routes(app.router.routes):
        regex = getattr(route, "path_regex", None)
        route_methods = getattr(route, "methods", None)
        if regex is not None and route_methods and regex.match(path):
            methods |= set(route_methods)
    return sorted(methods)


def _install_errors(app: FastAPI, node: Node) -> None:
    retry = {"Retry-After": str(node.settings.retry_after_seconds)}

    @app.exception_handler(NodeError)
    async def node_error(_: Request, exc: NodeError) -> JSONResponse:
        headers = None
        if isinstance(exc, Unavailable):
            headers = {"Retry-After": str(exc.retry_after or node.settings.retry_after_seconds)}
        return error_response(status_of(exc), exc.code, exc.message, headers)

    @app.exception_handler(ChainError)
    async def chain_error(_: Request, exc: ChainError) -> JSONResponse:
        return error_response(503, "chain_unavailable", str(exc), retry)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "malformed_request", "request body is not valid JSON")
        parts = []
        for e in errors[:5]:
            where = "/".join(str(p) for p in e.get("loc", ()))
            parts.append(f"{where}: {e.get('msg')}")
        location = errors[0].get("loc", ("",))[0] if errors else ""
        if location in ("path", "query", "header"):
            return error_response(400, "malformed_request", "; ".join(parts))
        return error_response(422, "invalid_input", "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc.__cause__, BodyTooLarge):
            # FastAPI turns any failure while reading a model-bound body into a 400;
            # a streamed body cut off past the limit is a 413 like a declared one.
            raise exc.__cause__
        if isinstance(exc.__cause__, NodeError):  # e.g. check_json_depth's refusal
            cause = exc.__cause__
            return error_response(status_of(cause), cause.code, cause.message)
        if exc.status_code == 405:
            allowed = _allowed_methods(app, request.url.path)
            return error_response(
                405,
                "method_not_allowed",
                f"{request.method} is not allowed here; use {', '.join(allowed)}",
                {"Allow": ", ".join(allowed)},
            )
        code = {404: "not_found"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        failure = database_failure(exc)
        if failure is not None:
            # Database work outside the gate (the pages): still a 503, not a 500.
            node.gate.trip(first_line(failure))
            return error_response(
                503, "unavailable", f"the database is unavailable: {first_line(failure)}", retry
            )
        log.exception("unhandled error")
        return error_response(500, "internal_error", "internal error")
