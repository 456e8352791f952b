"""The node's API, one router per resource; :func:`api_router` joins them.

Each route takes the node and the caller through ``Depends`` (:mod:`node.routes._deps`),
declares its response model and every error status it answers
(:mod:`node.routes._models`), and does its database work through the node's gate
(:mod:`node._gate`). The HTML pages keep their own registration (``node._pages``).
"""

from __future__ import annotations

from fastapi import APIRouter

from node.routes import (
    attestations,
    grants,
    labels,
    log,
    meta,
    requests,
    verification,
    webhooks,
)
from node.routes._deps import CallerDep, NodeDep, current_caller, get_node
from node.routes._models import ErrorBody


def api_router() -> APIRouter:
    """Every ``/v1`` route of the node."""
    router = APIRouter()
    for module in (meta, attestations, grants, requests, webhooks, log, verification, labels):
        router.include_router(module.router)
    return router


__all__ = ["CallerDep", "ErrorBody", "NodeDep", "api_router", "current_caller", "get_node"]
