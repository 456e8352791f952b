"""``/v1/node``, ``/v1/health`` and ``/v1/auth/token``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from node.errors import Unavailable
from node.routes._deps import ApiRoute, NodeDep
from node.routes._models import (
    BODY,
    Health,
    NodeInfo,
    TokenRequest,
    TokenResponse,
    errors,
)

router = APIRouter(route_class=ApiRoute)


@router.post(
    "/v1/auth/token", tags=["auth"], response_model=TokenResponse, responses=errors(*BODY, 401, 503)
)
async def issue_token(body: TokenRequest, node: NodeDep) -> TokenResponse:
    """Trade a signed auth assertion for a short-lived bearer token."""
    now = node.now()
    issued = await node.gate.write(node.auth.issue, body.assertion, body.signature, now)
    return TokenResponse(
        accessToken=issued.token,
        expiresIn=int((issued.expires_at - now).total_seconds()),
        org=str(body.assertion["org"]),
    )


@router.get("/v1/node", tags=["node"], response_model=NodeInfo, responses=errors(400))
async def node_info(node: NodeDep) -> dict[str, Any]:
    """Log id, checkpoint origin and key, chain contracts, limits (needs no database)."""
    return node.info()


@router.get("/v1/health", tags=["node"], response_model=Health, responses=errors(400))
async def health(node: NodeDep) -> dict[str, Any]:
    """``ok``, or ``degraded`` with the cause: the database unavailable (answered at once
    while the node has stopped sending it work), anchoring failing. Never a 5xx."""
    cause = node.gate.refusing()
    if cause is not None:
        return node.degraded_health(cause)
    try:
        return await node.gate.read(node.health)
    except Unavailable:
        return node.degraded_health(node.gate.cause() or "database unavailable")
