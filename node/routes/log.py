"""``/v1/log``: size, checkpoints, inclusion and consistency proofs, entries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from node.routes._deps import ApiRoute, NodeDep
from node.routes._models import (
    READ,
    CheckpointList,
    CheckpointOut,
    ConsistencyProof,
    EntryList,
    InclusionProof,
    LogSummary,
    errors,
)

router = APIRouter(route_class=ApiRoute, tags=["log"])
MAX_SIZE = 2**63 - 1
"""The largest tree size the database can hold (signed 64-bit)."""


@router.get("/v1/log", response_model=LogSummary, responses=errors(*READ))
async def log_summary(node: NodeDep) -> Any:
    """Log id, size and the latest anchored checkpoint."""
    return await node.gate.read(node.log_view.summary)


@router.get("/v1/log/checkpoints", response_model=CheckpointList, responses=errors(*READ))
async def list_checkpoints(
    node: NodeDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before: Annotated[int | None, Query(ge=1, le=MAX_SIZE)] = None,
) -> dict[str, Any]:
    """Anchored checkpoints, newest first, each with its anchor transaction."""
    return {"checkpoints": await node.gate.read(node.log_view.checkpoints, limit, before)}


@router.get(
    "/v1/log/checkpoints/latest", response_model=CheckpointOut, responses=errors(*READ, 404)
)
async def latest_checkpoint(node: NodeDep) -> Any:
    """The newest anchored checkpoint."""
    return await node.gate.read(node.log_view.latest_checkpoint)


@router.get(
    "/v1/log/checkpoints/{size}", response_model=CheckpointOut, responses=errors(*READ, 404)
)
async def checkpoint_at(node: NodeDep, size: Annotated[int, Path(ge=0, le=MAX_SIZE)]) -> Any:
    """The checkpoint of one tree size."""
    return await node.gate.read(node.log_view.checkpoint, size)


@router.get("/v1/log/proofs/inclusion", response_model=InclusionProof, responses=errors(*READ, 422))
async def inclusion_proof(
    node: NodeDep,
    index: Annotated[int, Query(ge=0, le=MAX_SIZE)],
    size: Annotated[int, Query(ge=1, le=MAX_SIZE)],
) -> Any:
    """Inclusion proof of a leaf in the tree of ``size`` leaves."""
    return await node.gate.read(node.log_view.inclusion, index, size)


@router.get(
    "/v1/log/proofs/consistency", response_model=ConsistencyProof, responses=errors(*READ, 422)
)
async def consistency_proof(
    node: NodeDep,
    size1: Annotated[int, Query(alias="from", ge=0, le=MAX_SIZE)],
    size2: Annotated[int, Query(alias="to", ge=0, le=MAX_SIZE)],
) -> Any:
    """Consistency proof between two tree sizes."""
    return await node.gate.read(node.log_view.consistency, size1, size2)


@router.get("/v1/log/entries", response_model=EntryList, responses=errors(*READ, 422))
async def entries(
    node: NodeDep,
    start: Annotated[int, Query(ge=0, le=MAX_SIZE)],
    end: Annotated[int, Query(ge=1, le=MAX_SIZE)],
) -> dict[str, Any]:
    """Entries ``[start, end)`` with attestation ids and signed statements."""
    return {"entries": await node.gate.read(node.log_view.entries, start, end)}
