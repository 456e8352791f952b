"""``/v1/requests``: footprint requests between a leader and a supplier."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from node.errors import MalformedRequest
from node.routes._deps import ApiRoute, CallerDep, NodeDep
from node.routes._models import (
    AUTH,
    BODY,
    READ,
    FootprintRequestBody,
    FulfilBody,
    RejectBody,
    RequestList,
    RequestOut,
    errors,
)

router = APIRouter(route_class=ApiRoute, tags=["requests"])


@router.post(
    "/v1/requests",
    status_code=201,
    response_model=RequestOut,
    responses=errors(*BODY, *AUTH, 403, 503),
)
async def create_request(body: FootprintRequestBody, node: NodeDep, who: CallerDep) -> Any:
    """As a leader, ask a supplier for the footprints of some products."""
    return await node.gate.write(
        node.requests.create, who.org, body.supplier, body.productIds, body.message, node.now()
    )


@router.get("/v1/requests", response_model=RequestList, responses=errors(*READ, *AUTH))
async def list_requests(
    node: NodeDep,
    who: CallerDep,
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
    found = await node.gate.read(
        lambda: node.requests.list(
            who.org, role=role, status=status, updated_after=updatedAfter, limit=limit
        )
    )
    return {"requests": found}


@router.get(
    "/v1/requests/{request_id}", response_model=RequestOut, responses=errors(*READ, *AUTH, 404)
)
async def get_request(request_id: str, node: NodeDep, who: CallerDep) -> Any:
    """One request (its leader and supplier only)."""
    return await node.gate.read(node.requests.get, who.org, request_id)


@router.post(
    "/v1/requests/{request_id}/fulfil",
    response_model=RequestOut,
    responses=errors(*BODY, *AUTH, 403, 404, 409, 503),
)
async def fulfil_request(request_id: str, body: FulfilBody, node: NodeDep, who: CallerDep) -> Any:
    """As the supplier, answer with an attestation the leader holds a grant for."""
    return await node.gate.write(
        node.requests.fulfil, who.org, request_id, body.attestationId, node.now()
    )


@router.post(
    "/v1/requests/{request_id}/reject",
    response_model=RequestOut,
    responses=errors(*BODY, *AUTH, 403, 404, 409, 503),
)
async def reject_request(request_id: str, body: RejectBody, node: NodeDep, who: CallerDep) -> Any:
    """As the supplier, decline with a reason."""
    return await node.gate.write(node.requests.reject, who.org, request_id, body.reason, node.now())
