"""``/v1/attestations``: publish (single, batch), statement, position, envelope, grants,
receipt, public disclosure."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse
from starlette.requests import Request

from node._attestations import PublishResult
from node._public import PublicAttestations
from node.errors import InvalidInput
from node.routes._deps import ApiRoute, CallerDep, NodeDep, json_body
from node.routes._models import (
    AUTH,
    BODY,
    READ,
    BatchResponse,
    DisclosureBody,
    EnvelopeOut,
    GrantAdded,
    GrantRequest,
    Position,
    PublicStored,
    PublishItem,
    PublishResponse,
    ReceiptOut,
    SignedStatementOut,
    ValueProofsOut,
    errors,
)

router = APIRouter(route_class=ApiRoute, tags=["attestations"])
Id = Annotated[
    str, Path(pattern=r"^[0-9a-f]{64}$", description="attestation id (64 lowercase hex)")
]

_single = PublishItem.model_json_schema()
_batch = {
    "type": "object",
    "required": ["attestations"],
    "additionalProperties": False,
    "properties": {"attestations": {"type": "array", "items": _single, "minItems": 1}},
}


def _body_doc(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _published(results: list[PublishResult], *, single: bool) -> JSONResponse:
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


_PUBLISH_ERRORS = errors(*BODY, *AUTH, 403, *READ)


@router.post(
    "/v1/attestations",
    status_code=201,
    response_model=PublishResponse,
    responses={**_PUBLISH_ERRORS, 200: {"model": PublishResponse, "description": "existing"}},
    openapi_extra=_body_doc(_single),
)
async def publish(request: Request, node: NodeDep, who: CallerDep) -> JSONResponse:
    """Publish one attestation (the caller must be its issuer).

    The checks run on the event loop (a fraction of a millisecond); the write joins the
    current group commit in a writer thread. 201 when stored now, 200 when it was already.
    """
    now = node.now()
    item = await json_body(request)
    checked = node.attestations.check(who.org, [item], now)
    results = await node.gate.guard(node.attestations.commit_async(checked, now), write=True)
    return _published(results, single=True)


@router.post(
    "/v1/attestations/batch",
    status_code=201,
    response_model=BatchResponse,
    responses={**_PUBLISH_ERRORS, 200: {"model": BatchResponse, "description": "all existing"}},
    openapi_extra=_body_doc(_batch),
)
async def publish_batch(request: Request, node: NodeDep, who: CallerDep) -> JSONResponse:
    """Publish several attestations: all are stored, or none."""
    body = await json_body(request)
    if not isinstance(body, dict) or set(body) != {"attestations"}:
        raise InvalidInput('body must be {"attestations": [...]}')
    items = body["attestations"]
    if not isinstance(items, list):
        raise InvalidInput("attestations must be a list")
    results = await node.gate.write(node.attestations.publish, who.org, items, node.now())
    if node.anchorer is not None and len(items) >= node.settings.anchor_every_entries:
        node.anchorer.wake()
    return _published(results, single=False)


@router.get(
    "/v1/attestations/{attestation_id}",
    response_model=SignedStatementOut,
    responses=errors(*READ, 404),
)
async def get_statement(attestation_id: Id, node: NodeDep) -> dict[str, Any]:
    """The public signed statement ``{signature, statement}``."""
    return await node.gate.read(node.attestations.signed_statement, attestation_id)


@router.get(
    "/v1/attestations/{attestation_id}/position",
    response_model=Position,
    responses=errors(*READ, 404),
)
async def get_position(attestation_id: Id, node: NodeDep) -> dict[str, Any]:
    """The attestation's log id and leaf index."""
    log_id, index = await node.gate.read(node.attestations.position, attestation_id)
    return {"id": attestation_id, "logId": log_id, "index": index}


@router.get(
    "/v1/attestations/{attestation_id}/value-proof",
    response_model=ValueProofsOut,
    responses=errors(*READ, 404),
)
async def get_value_proof(attestation_id: Id, node: NodeDep) -> dict[str, Any]:
    """The range proof published with a statement that commits to its PCF value, and a
    leader's public roll-up proof (404 ``no_value_proof``: it commits to no value)."""
    return await node.gate.read(node.attestations.value_range_proof, attestation_id)


@router.get(
    "/v1/attestations/{attestation_id}/envelope",
    response_model=EnvelopeOut,
    response_model_exclude_none=True,
    responses=errors(*READ, *AUTH, 403, 404),
)
async def get_envelope(attestation_id: Id, node: NodeDep, who: CallerDep) -> dict[str, Any]:
    """The envelope with the caller's grant (grantees), or with every grant (issuer)."""
    return await node.gate.read(node.attestations.envelope_for, who.org, attestation_id)


@router.post(
    "/v1/attestations/{attestation_id}/grants",
    status_code=201,
    response_model=GrantAdded,
    responses=errors(*BODY, *AUTH, 403, 404, 409, 503),
)
async def add_grant(
    attestation_id: Id, body: GrantRequest, node: NodeDep, who: CallerDep
) -> dict[str, Any]:
    """Add a grant (issuer only)."""
    return await node.gate.write(
        node.attestations.add_grant, who.org, attestation_id, body.grant, node.now()
    )


@router.get(
    "/v1/attestations/{attestation_id}/receipt",
    tags=["log"],
    response_model=ReceiptOut,
    responses=errors(*READ, 404),
)
async def get_receipt(attestation_id: Id, node: NodeDep) -> dict[str, Any]:
    """The receipt (404 ``not_anchored`` until a checkpoint covering it is anchored)."""

    def receipt() -> dict[str, Any]:
        index, leaf = node.attestations.stored_leaf(attestation_id)
        return node.log_view.receipt(attestation_id, leaf, index)

    return await node.gate.read(receipt)


def _public(node: Any) -> PublicAttestations:
    return PublicAttestations(node.engine, node.attestations.signed_statement)


@router.put(
    "/v1/attestations/{attestation_id}/public",
    response_model=PublicStored,
    responses=errors(*BODY, *AUTH, 403, 404, 409, 503),
)
async def put_public(
    attestation_id: Id, body: DisclosureBody, node: NodeDep, who: CallerDep
) -> dict[str, Any]:
    """Publish the full disclosure of an attestation (its issuer only; idempotent)."""
    service = _public(node)
    return await node.gate.write(service.put, who.org, attestation_id, body.disclosure, node.now())


@router.get(
    "/v1/attestations/{attestation_id}/public",
    response_model=dict[str, Any],
    responses=errors(*READ, 404),
)
async def get_public(attestation_id: Id, node: NodeDep) -> dict[str, Any]:
    """The full disclosure of a public attestation (404 ``not_public`` otherwise)."""
    return await node.gate.read(_public(node).get, attestation_id)
