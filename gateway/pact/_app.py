"""The HTTP edge: PACT v3.0 (``/3/…``) and v2.3 (``/2/…``) over a :class:`Gateway`.

Only this module turns :class:`~gateway.pact.errors.PactRequestError` into responses:
``{"code", "message"}`` with the code's status. A bad bearer token is 401 with code
``BadRequest`` on ``/3`` (v3.0's Error enum has no code for it; the conformance tests ask
for BadRequest) and 400 BadRequest on ``/2`` (v2.3 text) except ``/2/events``: 401
AccessDenied (the v2 conformance test refuses BadRequest there); an expired one 401
TokenExpired; ``/2`` spells NotFound ``NoSuchFootprint``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway.pact._auth import TOKEN_SECONDS, TokenGrant, TokenStore, basic_credentials
from gateway.pact._catalog import Query, list_body
from gateway.pact._events import parse_event
from gateway.pact._filter2 import compile_filter
from gateway.pact._service import Gateway
from gateway.pact.errors import PactAuthError, PactRequestError
from sdk.footprint import TANJI_EXTENSION_SCHEMA_PATH, tanji_extension_schema

_JSON = "application/json"
_FILTERS = {
    "productid": "productId",
    "companyid": "companyId",
    "geography": "geography",
    "classification": "classification",
    "validon": "validOn",
    "validafter": "validAfter",
    "validbefore": "validBefore",
    "status": "status",
}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"code": code, "message": message}, status, headers=headers)


def _oauth_error(status: int, error: str, description: str) -> Response:
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="pact"'
    return JSONResponse({"error": error, "error_description": description}, status, headers=headers)


def create_app(gateway: Gateway, tokens: TokenStore) -> FastAPI:
    """The PACT app over ``gateway``; ``tokens`` issues and checks access tokens."""
    base = gateway.settings.base_url
    app = FastAPI(title="Tanji PACT gateway", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.gateway = gateway
    app.state.tokens = tokens

    @app.exception_handler(PactRequestError)
    async def _pact_error(request: Request, exc: PactRequestError) -> Response:
        v2 = request.url.path.startswith("/2/")
        status, code = exc.status, exc.code
        headers = None
        if isinstance(exc, PactAuthError):
            headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            if v2 and code == "BadRequest":
                # v2.3 text: BadRequest (400); the conformance tests for /2/events insist
                # on another code, and AccessDenied is the one v2.3 has for "not allowed".
                status, code = (
                    (401, "AccessDenied") if request.url.path == "/2/events" else (400, code)
                )
        if v2 and code == "NotFound":
            code = "NoSuchFootprint"
        return _error(status, code, exc.message, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return _error(400, "BadRequest", f"malformed request: {exc.errors()[:1]}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _error(404, "NotFound", f"no such endpoint: {request.url.path}")
        if exc.status_code == 405:
            return _error(405, "BadRequest", f"{request.method} is not allowed here")
        return _error(exc.status_code, "BadRequest", str(exc.detail))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        return _error(500, "InternalError", "an internal error occurred; see the gateway log")

    # ------------------------------------------------------------------ auth

    auth = APIRouter(tags=["auth"])

    @auth.get("/.well-known/openid-configuration")
    async def openid_configuration() -> Response:
        return JSONResponse(
            {
                "issuer": base,
                "token_endpoint": base + "/auth/token",
                "grant_types_supported": ["client_credentials"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "response_types_supported": ["token"],
            }
        )

    @auth.post("/auth/token")
    async def token(request: Request) -> Response:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/x-www-form-urlencoded":
            return _oauth_error(400, "invalid_request", "send application/x-www-form-urlencoded")
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("latin-1")).items()}
        creds = basic_credentials(request.headers.get("authorization"))
        if creds is None and "client_id" in form:
            creds = (form["client_id"], form.get("client_secret", ""))
        if creds is None:
            return _oauth_error(401, "invalid_client", "client authentication required")
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(
                400, "unsupported_grant_type", "grant_type must be client_credentials"
            )
        grant = await run_in_threadpool(tokens.issue, creds[0], creds[1], gateway.clock())
        if grant is None:
            return _oauth_error(401, "invalid_client", "Authentication failed")
        return JSONResponse(
            {
                "access_token": grant.token,
                "token_type": "Bearer",
                "expires_in": TOKEN_SECONDS,
                "scope": "footprint:list footprint:read",
            },
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )

    def bearer(request: Request) -> TokenGrant:
        return tokens.check(request.headers.get("authorization"), gateway.clock())

    # ------------------------------------------------------------------ footprints

    def listing(request: Request, version: int) -> Response:
        grant = bearer(request)
        items = request.query_params.multi_items()
        criteria: dict[str, list[str]] = {}
        limit = offset = None
        v2_filter = None
        for name, value in items:
            low = name.lower()
            if low == "limit":
                limit = _int(value, "limit", 1)
            elif low == "offset":
                offset = _int(value, "offset", 0)
            elif version == 3 and low in _FILTERS:
                criteria.setdefault(_FILTERS[low], []).append(value)
            elif version == 2 and name == "$filter":
                v2_filter = value
        query = Query.from_criteria(criteria)
        accept = compile_filter(v2_filter) if v2_filter else None
        if version == 2 and accept is None:
            accept = _expressible_in_v2
        size = min(limit or gateway.settings.page_max, gateway.settings.page_max)
        start = offset or 0
        found, more = gateway.catalog.page(grant.org_id, query, start, size, accept)
        headers = {}
        if more:
            params: list[tuple[str, str]] = [(k, v) for k, vs in criteria.items() for v in vs]
            if v2_filter:
                params.append(("$filter", v2_filter))
            params += [("limit", str(size)), ("offset", str(start + size))]
            headers["Link"] = f'<{base}/{version}/footprints?{urlencode(params)}>; rel="next"'
        return Response(list_body(found, v2=version == 2), 200, headers, media_type=_JSON)

    def single(request: Request, footprint_id: str, version: int) -> Response:
        grant = bearer(request)
        try:
            uuid.UUID(footprint_id)
        except ValueError:
            raise PactRequestError(
                400, "BadRequest", f"{footprint_id!r} is not a ProductFootprint id (a UUID)"
            ) from None
        entry = gateway.catalog.get(grant.org_id, footprint_id)
        body = None if entry is None else (entry.body if version == 3 else entry.v2()[0])
        if body is None:
            raise PactRequestError(404, "NotFound", f"no footprint {footprint_id} for you")
        return Response(b'{"data":' + body + b"}", 200, media_type=_JSON)

    async def events(request: Request, version: int) -> Response:
        grant = bearer(request)
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError:
            raise PactRequestError(400, "BadRequest", "the body is not JSON") from None
        event = parse_event(body, version)
        await run_in_threadpool(gateway.receive, event, grant.org_id)
        return Response(status_code=200)

    v3 = APIRouter(prefix="/3", tags=["v3"])
    v2 = APIRouter(prefix="/2", tags=["v2"])
    for router, version in ((v3, 3), (v2, 2)):
        router.add_api_route(
            "/footprints", _sync(listing, version), methods=["GET"], response_class=Response
        )
        router.add_api_route(
            "/footprints/{footprint_id}",
            _sync(single, version),
            methods=["GET"],
            response_class=Response,
        )
        router.add_api_route(
            "/events", _bind(events, version), methods=["POST"], response_class=Response
        )

    schemas = APIRouter(tags=["schemas"])
    schema_bytes = json.dumps(tanji_extension_schema(), ensure_ascii=False).encode()

    @schemas.get(TANJI_EXTENSION_SCHEMA_PATH)
    async def extension_schema() -> Response:
        return Response(schema_bytes, media_type="application/schema+json")

    app.include_router(auth)
    app.include_router(v3)
    app.include_router(v2)
    app.include_router(schemas)
    return app


def _expressible_in_v2(entry: Any) -> bool:
    return entry.v2()[0] is not None


def _int(value: str, name: str, minimum: int) -> int:
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise PactRequestError(400, "BadRequest", f"{name} must be an integer >= {minimum}")
    return number


def _sync(fn: Callable[..., Response], version: int) -> Callable[..., Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        kwargs = dict(request.path_params)
        return fn(request, version=version, **kwargs)

    return endpoint


def _bind(
    fn: Callable[..., Awaitable[Response]], version: int
) -> Callable[..., Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await fn(request, version)

    return endpoint
