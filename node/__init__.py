"""Tanji node: a FastAPI service that stores, logs, anchors and serves attestations.

``create_app(settings, chain=…, deployment=…)`` builds the ASGI app; ``tanji node serve``
runs it under uvicorn with :class:`Settings` from ``TANJI_*`` environment variables or a
TOML file. Errors: :mod:`node.errors`. Protocol and resources: docs/node.md.
"""

from __future__ import annotations

from node._db import make_engine, upgrade_database
from node._http import create_app
from node._node import Node, build_node, utc_now
from node._pages import _CSS as PAGE_CSS
from node._pages import beijing, choose_language
from node._preflight import Problem, preflight
from node._process import NodeProcess, start_node_process, wait_healthy
from node._settings import Settings
from node._tables import NODE_METADATA
from node._webhooks import SIGNATURE_HEADER, WEBHOOK_TAG

__all__ = [
    "NODE_METADATA",
    "PAGE_CSS",
    "SIGNATURE_HEADER",
    "WEBHOOK_TAG",
    "Node",
    "NodeProcess",
    "Problem",
    "Settings",
    "beijing",
    "build_node",
    "choose_language",
    "create_app",
    "make_engine",
    "preflight",
    "start_node_process",
    "upgrade_database",
    "utc_now",
    "wait_healthy",
]
