"""The HTTP layer: FastAPI routes, request models, and the one place errors become statuses.

Every error answer is JSON ``{"code", "message"}``. Domain errors (:mod:`node.errors`)
map to statuses here and only here; a request that fails writes nothing, because every
service call is one transaction.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

import httpx
from eth_account.signers.local import LocalAccount
from fastapi import Depends, FastAPI, Header, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from nacl.signing import SigningKey
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from anchors.chain import ChainClient
from anchors.errors import ChainError
from node._auth import Caller
from node._labels import install_label_routes
from node._limits import BodyLimitMiddleware, BodyTooLarge, check_json_depth
from node._node import Node, build_node, utc_now
from node._pages import install_page_routes
from node._public import install_public_routes
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


def error_response(status: int, code: str, message: str) -> JSONResponse:
    """The JSON error body every failure uses."""
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    # A message may quote the input; a lone surrogate in it must not make the answer a 500.
    message = message.encode("utf-8", "backslashreplace").decode("utf-8")
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


# ---------------------------------------------------------------------- models


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenRequest(_Model):
    """A signed auth assertion (see :func:`sdk.client.make_assertion`)."""

    assertion: dict[str, Any] = Field(
        description="{aud, exp, iat, keyId, nonce, org}; aud is this node's public URL"
    )
    signature: str = Field(description="base64 Ed25519 signature over the tagged JCS")


class TokenResponse(BaseModel):
    """A bearer token for ``Authorization: Bearer``."""

    accessToken: str
    tokenType: str = "Bearer"
    expiresIn: int
    org: str


class PublishItem(_Model):
    """One attestation as published: public signed statement, envelope, grants."""

    signedStatement: dict[str, Any] = Field(description="{statement, signature}")
    envelope: dict[str, Any] = Field(description="{type, version, alg, nonce, ciphertext}")
    grants: list[dict[str, Any]] = Field(default_factory=list)
    valueRangeProof: dict[str, Any] | None = Field(
        default=None,
        description="the range proof of the statement's valueCommitment (required with it): "
        "{type: tanji.rangeproof.v1, bits: 56, proof}",
    )
    rollupProof: dict[str, Any] | None = Field(
        default=None,
        description="a leader's public committed roll-up proof {type: tanji.rollup.v1, ...}",
    )


class PublishResponse(BaseModel):
    """Where the attestation sits in the log; ``status`` is ``created`` or ``existing``."""

    id: str
    logId: str
    index: int
    status: str


class BatchResponse(BaseModel):
    """One result per submitted attestation, in order."""

    results: list[PublishResponse]


class GrantRequest(_Model):
    """A grant to add to an attestation the caller issued."""

    grant: dict[str, Any]


class FootprintRequestBody(_Model):
    """A leader's request to a supplier."""

    supplier: str
    productIds: list[str]
    message: str | None = None


class FulfilBody(_Model):
    """The supplier's answer: an attestation the leader holds a grant for."""

    attestationId: str


class RejectBody(_Model):
    """The supplier declines, saying why."""

    reason: str


class WebhookBody(_Model):
    """Where to POST the caller's request events."""

    url: str


class VerifyBody(_Model):
    """A receipt, and optionally a disclosure of the same attestation."""

    receipt: dict[str, Any]
    disclosure: dict[str, Any] | None = None


# ---------------------------------------------------------------------- app


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
    Raises :class:`~node.errors.InvalidInput` for bad configuration.
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
    app.router.route_class = _DepthCheckedRoute
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    _install_errors(app)
    _install_routes(app, node)
    install_label_routes(app, node)
    install_public_routes(app, node)
    install_page_routes(app, node)
    return app


class _DepthCheckedRequest(Request):
    """A request whose JSON body is depth-checked before it is parsed."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            check_json_depth(await self.body())
        return await super().json()


class _DepthCheckedRoute(APIRoute):
    """Routes whose model-bound bodies go through :func:`check_json_depth`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def checked(request: Request) -> Response:
            return await handler(_DepthCheckedRequest(request.scope, request.receive))

        return checked


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(NodeError)
    async def node_error(_: Request, exc: NodeError) -> JSONResponse:
        return error_response(status_of(exc), exc.code, exc.message)

    @app.exception_handler(ChainError)
    async def chain_error(_: Request, exc: ChainError) -> JSONResponse:
        return error_response(503, "chain_unavailable", str(exc))

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
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc.__cause__, BodyTooLarge):
            # FastAPI turns any failure while reading a model-bound body into a 400;
            # a streamed body cut off past the limit is a 413 like a declared one.
            raise exc.__cause__
        if isinstance(exc.__cause__, NodeError):  # e.g. check_json_depth's refusal
            cause = exc.__cause__
            return error_response(status_of(cause), cause.code, cause.message)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(500, "internal_error", "internal error")


async def current_caller(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> Caller:
    """The authenticated caller of a request (``Authorization: Bearer <token>``).

    Runs on the event loop: a token is checked against an in-memory cache and, on a miss,
    one indexed query, which costs less than a hop to the thread pool.
    """
    node: Node = request.app.state.node
    return node.auth.authenticate(authorization, node.now())


Authed = Annotated[Caller, Depends(current_caller)]
MAX_SIZE = 2**63 - 1
"""The largest tree size the database can hold (signed 64-bit)."""
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="attestation id (hex)")]


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def _json_body(request: Request) -> Any:
    """The request body parsed as JSON; :class:`MalformedRequest` if it is not JSON.

    NaN and Infinity are refused here; floats reach the protocol checks, which refuse
    them where a value is signed or hashed. Nothing is stored as received: what is
    stored is re-encoded (RFC 8785) from the parsed values.
    """
    raw = await request.body()
    check_json_depth(raw)
    try:
        return json.loads(raw, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedRequest(f"request body is not valid JSON: {exc}") from exc


def _install_routes(app: FastAPI, node: Node) -> None:
    # Reads (GET) are a few indexed queries and run on the event loop; writes and anything
    # that may wait (group commit, chain reads) are plain functions run in the thread pool.

    # ------------------------------------------------------------------ auth, node

    @app.post("/v1/auth/token", tags=["auth"])
    def issue_token(body: TokenRequest) -> TokenResponse:
        """Trade a signed assertion for a short-lived bearer token."""
        now = node.now()
        issued = node.auth.issue(body.assertion, body.signature, now)
        return TokenResponse(
            accessToken=issued.token,
            expiresIn=int((issued.expires_at - now).total_seconds()),
            org=str(body.assertion["org"]),
        )

    @app.get("/v1/node", tags=["node"])
    async def node_info() -> dict[str, Any]:
        """Log id, checkpoint origin and key, chain contracts, limits."""
        return node.info()

    @app.get("/v1/health", tags=["node"])
    async def health() -> dict[str, Any]:
        """Log size, anchoring backlog and the last chain error, webhook backlog."""
        return node.health()

    # ------------------------------------------------------------------ attestations

    def _publish_response(results: list[Any], *, single: bool) -> Response:
        status = 201 if any(r.created for r in results) else 200
        out = [
            {
                "id": r.id,
                "logId": r.log_id,
                "index": r.index,
                "status": "created" if r.created else "existing",
            }
            for r in results
        ]
        return JSONResponse(out[0] if single else {"results": out}, status_code=status)

    single_schema = PublishItem.model_json_schema()
    batch_schema = {
        "type": "object",
        "required": ["attestations"],
        "additionalProperties": False,
        "properties": {"attestations": {"type": "array", "items": single_schema}},
    }

    def _body_doc(schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": schema}},
            },
            "parameters": [
                {
                    "name": "authorization",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string"},
                    "description": "Bearer <token> from POST /v1/auth/token",
                }
            ],
        }

    @app.post(
        "/v1/attestations",
        tags=["attestations"],
        status_code=201,
        response_model=PublishResponse,
        responses={200: {"description": "already published: same id and index"}},
        openapi_extra=_body_doc(single_schema),
    )
    async def publish(request: Request) -> Response:
        """Publish one attestation (the caller must be its issuer).

        The checks run on the event loop (a fraction of a millisecond); the write joins
        the current group commit in the thread pool.
        """
        # The hot path authenticates inline: FastAPI's dependency machinery costs more
        # than the token check itself.
        now = node.now()
        who = node.auth.authenticate(request.headers.get("authorization"), now)
        item = await _json_body(request)
        checked = node.attestations.check(who.org, [item], now)
        results = await node.attestations.commit_async(checked, now)
        return _publish_response(results, single=True)

    @app.post(
        "/v1/attestations/batch",
        tags=["attestations"],
        status_code=201,
        response_model=BatchResponse,
        openapi_extra=_body_doc(batch_schema),
    )
    async def publish_batch(request: Request) -> Response:
        """Publish several attestations: all are stored, or none."""
        who = node.auth.authenticate(request.headers.get("authorization"), node.now())
        body = await _json_body(request)
        if not isinstance(body, dict) or set(body) != {"attestations"}:
            raise InvalidInput('body must be {"attestations": [...]}')
        items = body["attestations"]
        if not isinstance(items, list):
            raise InvalidInput("attestations must be a list")
        results = await run_in_threadpool(node.attestations.publish, who.org, items, node.now())
        if node.anchorer is not None and len(items) >= node.settings.anchor_every_entries:
            node.anchorer.wake()
        return _publish_response(results, single=False)

    @app.get("/v1/attestations/{attestation_id}", tags=["attestations"])
    async def get_statement(attestation_id: Id) -> dict[str, Any]:
        """The public signed statement ``{signature, statement}``."""
        return node.attestations.signed_statement(attestation_id)

    @app.get("/v1/attestations/{attestation_id}/position", tags=["attestations"])
    async def get_position(attestation_id: Id) -> dict[str, Any]:
        """The attestation's log id and leaf index."""
        log_id, index = node.attestations.position(attestation_id)
        return {"id": attestation_id, "logId": log_id, "index": index}

    @app.get(
        "/v1/attestations/{attestation_id}/value-proof",
        tags=["attestations"],
        responses={404: {"description": "unknown, or commits to no value (no_value_proof)"}},
    )
    async def get_value_proof(attestation_id: Id) -> dict[str, Any]:
        """The range proof published with a statement that commits to its PCF value, and
        a leader's public roll-up proof (``rollupProof``, or null)."""
        return node.attestations.value_range_proof(attestation_id)

    @app.get("/v1/attestations/{attestation_id}/envelope", tags=["attestations"])
    async def get_envelope(attestation_id: Id, who: Authed) -> dict[str, Any]:
        """The envelope with the caller's grant (grantees), or with every grant (issuer)."""
        return node.attestations.envelope_for(who.org, attestation_id)

    @app.post("/v1/attestations/{attestation_id}/grants", tags=["attestations"], status_code=201)
    def add_grant(attestation_id: Id, body: GrantRequest, who: Authed) -> dict[str, Any]:
        """Add a grant (issuer only)."""
        return node.attestations.add_grant(who.org, attestation_id, body.grant, node.now())

    @app.get("/v1/attestations/{attestation_id}/receipt", tags=["attestations", "log"])
    async def get_receipt(attestation_id: Id) -> dict[str, Any]:
        """The receipt (404 ``not_anchored`` until a checkpoint covering it is anchored)."""
        index, leaf = node.attestations.stored_leaf(attestation_id)
        return node.log_view.receipt(attestation_id, leaf, index)

    # ------------------------------------------------------------------ requests

    @app.post("/v1/requests", tags=["requests"], status_code=201)
    def create_request(body: FootprintRequestBody, who: Authed) -> dict[str, Any]:
        """As a leader, ask a supplier for the footprints of some products."""
        return node.requests.create(
            who.org, body.supplier, body.productIds, body.message, node.now()
        )

    @app.get("/v1/requests", tags=["requests"])
    async def list_requests(
        who: Authed,
        role: Annotated[str | None, Query(pattern="^(leader|supplier)$")] = None,
        status: Annotated[str | None, Query(pattern="^(open|fulfilled|rejected)$")] = None,
        updatedAfter: Annotated[datetime | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> dict[str, Any]:
        """The caller's requests, oldest update first; poll with ``updatedAfter``."""
        if updatedAfter is not None and updatedAfter.tzinfo is None:
            raise MalformedRequest("updatedAfter must carry a timezone (e.g. Z)")
        if updatedAfter is not None:
            try:
                updatedAfter = updatedAfter.astimezone(UTC)
            except OverflowError as exc:
                raise MalformedRequest("updatedAfter is outside the calendar in UTC") from exc
        found = node.requests.list(
            who.org, role=role, status=status, updated_after=updatedAfter, limit=limit
        )
        return {"requests": found}

    @app.get("/v1/requests/{request_id}", tags=["requests"])
    async def get_request(request_id: str, who: Authed) -> dict[str, Any]:
        """One request (its leader and supplier only)."""
        return node.requests.get(who.org, request_id)

    @app.post("/v1/requests/{request_id}/fulfil", tags=["requests"])
    def fulfil_request(request_id: str, body: FulfilBody, who: Authed) -> dict[str, Any]:
        """As the supplier, answer with an attestation the leader holds a grant for."""
        return node.requests.fulfil(who.org, request_id, body.attestationId, node.now())

    @app.post("/v1/requests/{request_id}/reject", tags=["requests"])
    def reject_request(request_id: str, body: RejectBody, who: Authed) -> dict[str, Any]:
        """As the supplier, decline with a reason."""
        return node.requests.reject(who.org, request_id, body.reason, node.now())

    @app.put("/v1/webhook", tags=["requests"])
    def set_webhook(body: WebhookBody, who: Authed) -> dict[str, Any]:
        """Deliver the caller's request events to this URL (signed by the node)."""
        return node.webhooks.set(who.org, body.url, node.now())

    @app.get("/v1/webhook", tags=["requests"])
    async def get_webhook(who: Authed) -> dict[str, Any]:
        """The caller's webhook and its delivery counts."""
        return node.webhooks.get(who.org)

    @app.delete("/v1/webhook", tags=["requests"], status_code=204)
    def delete_webhook(who: Authed) -> Response:
        """Stop deliveries to the caller."""
        node.webhooks.delete(who.org)
        return Response(status_code=204)

    # ------------------------------------------------------------------ log

    @app.get("/v1/log", tags=["log"])
    async def log_summary() -> dict[str, Any]:
        """Log id, size and the latest anchored checkpoint."""
        return node.log_view.summary()

    @app.get("/v1/log/checkpoints", tags=["log"])
    async def list_checkpoints(
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        before: Annotated[int | None, Query(ge=1, le=MAX_SIZE)] = None,
    ) -> dict[str, Any]:
        """Anchored checkpoints, newest first, each with its anchor transaction."""
        return {"checkpoints": node.log_view.checkpoints(limit, before)}

    @app.get("/v1/log/checkpoints/latest", tags=["log"])
    async def latest_checkpoint() -> dict[str, Any]:
        """The newest anchored checkpoint."""
        return node.log_view.latest_checkpoint()

    @app.get("/v1/log/checkpoints/{size}", tags=["log"])
    async def checkpoint_at(size: Annotated[int, Path(ge=0, le=MAX_SIZE)]) -> dict[str, Any]:
        """The checkpoint of one tree size."""
        return node.log_view.checkpoint(size)

    @app.get("/v1/log/proofs/inclusion", tags=["log"])
    async def inclusion_proof(
        index: Annotated[int, Query(ge=0)], size: Annotated[int, Query(ge=1)]
    ) -> dict[str, Any]:
        """Inclusion proof of a leaf in the tree of ``size`` leaves."""
        return node.log_view.inclusion(index, size)

    @app.get("/v1/log/proofs/consistency", tags=["log"])
    async def consistency_proof(
        size1: Annotated[int, Query(alias="from", ge=0)],
        size2: Annotated[int, Query(alias="to", ge=0)],
    ) -> dict[str, Any]:
        """Consistency proof between two tree sizes."""
        return node.log_view.consistency(size1, size2)

    @app.get("/v1/log/entries", tags=["log"])
    async def entries(
        start: Annotated[int, Query(ge=0)], end: Annotated[int, Query(ge=1)]
    ) -> dict[str, Any]:
        """Entries ``[start, end)`` with attestation ids and signed statements."""
        return {"entries": node.log_view.entries(start, end)}

    # ------------------------------------------------------------------ verification

    @app.post("/v1/verify", tags=["verification"])
    def verify(body: VerifyBody) -> dict[str, Any]:
        """Step-by-step verification of a receipt (and a disclosure) against the chain."""
        return node.verifier.report(body.receipt, body.disclosure, node.now())
