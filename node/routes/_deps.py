"""What routes share, through ``Depends``: the node, the caller, the route class.

Tests replace any of these with ``app.dependency_overrides[get_node] = ...``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from node._auth import Caller
from node._limits import check_json_depth
from node._node import Node
from node.errors import MalformedRequest


async def get_node(request: Request) -> Node:
    """The :class:`~node._node.Node` the app was built with."""
    node: Node = request.app.state.node
    return node


NodeDep = Annotated[Node, Depends(get_node)]

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="A token from POST /v1/auth/token: `Authorization: Bearer <token>`.",
)


async def current_caller(
    request: Request,
    node: NodeDep,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    """The authenticated caller (``Authorization: Bearer <token>``); 401 otherwise.

    A token seen before is checked in memory on the event loop; a new one costs one
    indexed query, run through the node's database gate (503 when the database is down).
    """
    header = request.headers.get("authorization")
    now = node.now()
    caller = node.auth.authenticate_cached(header, now)
    if caller is None:
        caller = await node.gate.read(node.auth.authenticate, header, now)
    return caller


CallerDep = Annotated[Caller, Depends(current_caller)]


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def json_body(request: Request) -> Any:
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


class DepthCheckedRequest(Request):
    """A request whose JSON body is depth-checked before it is parsed."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            check_json_depth(await self.body())
        return await super().json()


class DepthCheckedRoute(APIRoute):
    """Routes whose model-bound bodies go through :func:`check_json_depth`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def checked(request: Request) -> Response:
            return await handler(DepthCheckedRequest(request.scope, request.receive))

        return checked


class ApiRoute(DepthCheckedRoute):
    """An API route: depth-checked bodies, and a query parameter it does not know is a
    400 naming it (a misspelt ``limt=`` must not be silently ignored)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        known = _query_names(self.dependant)

        async def checked(request: Request) -> Response:
            unknown = sorted(set(request.query_params) - known)
            if unknown:
                allowed = ", ".join(sorted(known)) or "none"
                raise MalformedRequest(
                    f"unknown query parameter(s) {', '.join(unknown)} (this route takes: "
                    f"{allowed})",
                    code="unknown_parameter",
                )
            return await handler(request)

        return checked


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


__all__ = [
    "ApiRoute",
    "CallerDep",
    "DepthCheckedRoute",
    "NodeDep",
    "current_caller",
    "get_node",
    "json_body",
]
