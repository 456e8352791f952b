"""``/v1/webhook``: where the node POSTs the caller's request events."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from node.routes._deps import ApiRoute, CallerDep, NodeDep
from node.routes._models import AUTH, BODY, READ, WebhookBody, WebhookOut, WebhookSet, errors

router = APIRouter(route_class=ApiRoute, tags=["requests"])


@router.put("/v1/webhook", response_model=WebhookSet, responses=errors(*BODY, *AUTH, 503))
async def set_webhook(body: WebhookBody, node: NodeDep, who: CallerDep) -> Any:
    """Deliver the caller's request events to this URL (signed by the node)."""
    return await node.gate.write(node.webhooks.set, who.org, body.url, node.now())


@router.get("/v1/webhook", response_model=WebhookOut, responses=errors(*READ, *AUTH, 404))
async def get_webhook(node: NodeDep, who: CallerDep) -> Any:
    """The caller's webhook and its delivery counts."""
    return await node.gate.read(node.webhooks.get, who.org)


@router.delete(
    "/v1/webhook",
    status_code=204,
    response_class=Response,
    responses=errors(*READ, *AUTH, 404),
)
async def delete_webhook(node: NodeDep, who: CallerDep) -> Response:
    """Stop deliveries to the caller."""
    await node.gate.write(node.webhooks.delete, who.org)
    return Response(status_code=204)
