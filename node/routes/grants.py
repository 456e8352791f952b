"""``/v1/grants``: the attestations granted to the caller (a certifier's inbox)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from node.routes._deps import ApiRoute, CallerDep, NodeDep
from node.routes._models import AUTH, READ, GrantedList, errors

router = APIRouter(route_class=ApiRoute, tags=["attestations"])


@router.get("/v1/grants", response_model=GrantedList, responses=errors(*READ, *AUTH))
async def list_grants(
    node: NodeDep,
    who: CallerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before: Annotated[
        str | None,
        Query(
            pattern=r"^[0-9a-f]{64}$",
            description="the `next` of the previous page: grants added before that one",
        ),
    ] = None,
) -> dict[str, Any]:
    """The attestations granted to the caller, newest grant first, each with its issuer
    and when the grant was added; page with ``before`` (400 ``unknown_cursor`` when it is
    not an attestation granted to the caller)."""
    return await node.gate.read(
        lambda: node.attestations.granted_to(who.org, limit=limit, before=before)
    )
