"""``/v1/verify``: step-by-step verification of a receipt against the chain."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from node.routes._deps import ApiRoute, NodeDep
from node.routes._models import BODY, VerifyBody, VerifyReport, errors

router = APIRouter(route_class=ApiRoute, tags=["verification"])


@router.post("/v1/verify", response_model=VerifyReport, responses=errors(*BODY, 503))
async def verify(body: VerifyBody, node: NodeDep) -> Any:
    """Step-by-step verification of a receipt (and a disclosure) against the chain.

    Reads only the chain (in a worker thread), so it answers while the database is down.
    """
    return await run_in_threadpool(node.verifier.report, body.receipt, body.disclosure, node.now())
