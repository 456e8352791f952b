"""``/v1/labels``: a label as on chain, and the public disclosure its certifier stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from node._labels import LabelDisclosures, LabelId
from node._node import Node
from node.routes._deps import ApiRoute, CallerDep, NodeDep
from node.routes._models import AUTH, BODY, READ, DisclosureBody, LabelStored, LabelView, errors

router = APIRouter(route_class=ApiRoute, tags=["labels"])


def _service(node: Node) -> LabelDisclosures:
    return LabelDisclosures(node.engine, node.deployment.labels)


@router.put(
    "/v1/labels/{label_id}/disclosure",
    response_model=LabelStored,
    responses=errors(*BODY, *AUTH, 403, 404, 409, 503),
)
async def put_disclosure(
    label_id: LabelId, body: DisclosureBody, node: NodeDep, who: CallerDep
) -> Any:
    """Publish a label's public disclosure (the issuing certifier only)."""
    return await node.gate.write(_service(node).put, who.org, label_id, body.disclosure, node.now())


@router.get(
    "/v1/labels/{label_id}/disclosure",
    response_model=dict[str, Any],
    responses=errors(*READ, 404),
)
async def get_disclosure(label_id: LabelId, node: NodeDep) -> Any:
    """A label's public disclosure."""
    return await node.gate.read(_service(node).get, label_id)


@router.get("/v1/labels/{label_id}", response_model=LabelView, responses=errors(*READ, 404))
async def get_label(label_id: LabelId, node: NodeDep) -> Any:
    """The label as recorded on chain, with its public disclosure (QR code target)."""
    return await node.gate.read(_service(node).view, label_id)
