"""The ``tanji`` command: ``tanji node serve|migrate|config`` and ``tanji label verify``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from node._db import make_engine, upgrade_database
from node._settings import Settings
from node.errors import NodeError

if TYPE_CHECKING:
    from sdk.deploy import Deployment
    from sdk.roles import AuditSource


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env(file=args.config)
    overrides = {}
    if getattr(args, "host", None):
        overrides["host"] = args.host
    if getattr(args, "port", None):
        overrides["port"] = args.port
    return settings.replace(**overrides) if overrides else settings


def app_from_env() -> Any:
    """Build the app from ``TANJI_*`` settings (uvicorn's factory for ``--workers`` > 1)."""
    from node._http import create_app

    return create_app(Settings.from_env())


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = _settings(args)
    if args.workers > 1:
        # Each worker process builds its own app from the environment; migrate once first.
        engine = make_engine(settings.database_url)
        try:
            upgrade_database(engine)
        finally:
            engine.dispose()
        if args.config:
            os.environ["TANJI_CONFIG"] = args.config
        os.environ["TANJI_HOST"] = settings.host
        os.environ["TANJI_PORT"] = str(settings.port)
        uvicorn.run(
            "node.cli:app_from_env",
            factory=True,
            workers=args.workers,
            host=settings.host,
            port=settings.port,
            log_level=args.log_level,
            access_log=args.access_log,
        )
        return 0
    from node._http import create_app

    app = create_app(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=args.log_level,
        access_log=args.access_log,
    )
    return 0


def _migrate(args: argparse.Namespace) -> int:
    settings = _settings(args)
    engine = make_engine(settings.database_url)
    try:
        upgrade_database(engine)
    finally:
        engine.dispose()
    print(f"database at {engine.url.render_as_string(hide_password=True)} is up to date")
    return 0


def _config(args: argparse.Namespace) -> int:
    settings = _settings(args)
    shown = {k: ("***" if k.endswith("_hex") and v else v) for k, v in vars(settings).items()}
    print(json.dumps(shown, indent=2, sort_keys=True))
    return 0


def label_verify(
    label_id: str,
    *,
    node: AuditSource,
    deployment: Deployment,
    at: datetime,
    out: IO[str],
    as_json: bool = False,
) -> int:
    """Audit label ``label_id`` at ``at`` with :class:`sdk.roles.Auditor` and print the report.

    Trusts only ``deployment``'s chain (the node serves the log and the disclosure, which
    the audit checks). Returns 0 when the label is valid (warnings allowed), 1 when a check
    failed. Raises :class:`ValueError` for a malformed label id or a naive ``at``.
    """
    from sdk.roles import Auditor

    auditor = Auditor(
        node=node,
        participants=deployment.participants,
        labels=deployment.labels,
        anchors=deployment.anchors,
    )
    report = auditor.verify_label_at(label_id, at=at)
    if as_json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False), file=out)
    else:
        print(report.to_text(), file=out)
    return 0 if report.ok else 1


def verify_report(
    receipt: Any, disclosure: Any | None, *, deployment: Deployment, at: datetime
) -> dict[str, Any]:
    """The step-by-step report ``POST /v1/verify`` gives, computed here against
    ``deployment``'s chain (no node involved): ``{ok, attestationId, failedStep, steps,
    values}``. Raises :class:`~node.errors.Unavailable` when the chain cannot be read."""
    from node._node import _log_owner
    from node._verification import ChainReader, Verifier

    reader = ChainReader(
        anchors=deployment.anchors,
        participants=deployment.participants,
        log_owner=lambda log_id: _log_owner(deployment, log_id),
    )
    return Verifier(reader).report(receipt, disclosure, at)


def log_owner(deployment: Deployment, log_id: str) -> str | None:
    """The id of the organisation owning ``log_id`` on chain (its signing keys sign the
    log's checkpoints), or None for an unknown log."""
    from node._node import _log_owner

    return _log_owner(deployment, log_id)


def _label_verify(args: argparse.Namespace) -> int:
    from anchors.chain import RpcChain
    from anchors.errors import AnchorsError
    from sdk.client import NodeClient
    from sdk.deploy import Deployment
    from sdk.errors import SdkError

    try:
        data = json.loads(Path(args.deployment).read_text(encoding="utf-8"))
        chain = RpcChain(args.rpc)
        deployment = Deployment.from_dict(data, chain)
        with NodeClient(args.node) as node:
            # Now, but never before the chain's latest block (dev chains run ahead).
            at = datetime.fromtimestamp(max(time.time(), chain.block_timestamp()), tz=UTC)
            return label_verify(
                args.label_id,
                node=node,
                deployment=deployment,
                at=at,
                out=sys.stdout,
                as_json=args.json,
            )
    except (OSError, ValueError, SdkError, AnchorsError) as exc:
        print(f"tanji label verify: {exc}", file=sys.stderr)
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``tanji`` console script; returns the exit status."""
    parser = argparse.ArgumentParser(prog="tanji", description="Tanji (碳迹) command line")
    sub = parser.add_subparsers(dest="area", required=True)
    node = sub.add_parser("node", help="run and manage a Tanji node")
    node_sub = node.add_subparsers(dest="command", required=True)

    serve = node_sub.add_parser("serve", help="run the node's HTTP API (uvicorn)")
    serve.add_argument("--config", help="TOML settings file (default: $TANJI_CONFIG)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes (one anchorer is elected)"
    )
    serve.add_argument(
        "--no-access-log", dest="access_log", action="store_false", help="no per-request log"
    )
    serve.set_defaults(run=_serve)

    migrate = node_sub.add_parser("migrate", help="upgrade the database schema to the newest")
    migrate.add_argument("--config")
    migrate.set_defaults(run=_migrate)

    config = node_sub.add_parser("config", help="print the effective settings (keys hidden)")
    config.add_argument("--config")
    config.set_defaults(run=_config)

    label = sub.add_parser("label", help="carbon labels")
    label_sub = label.add_subparsers(dest="command", required=True)
    verify = label_sub.add_parser(
        "verify",
        help="audit a label against the chain (DESIGN.md §6.5); exit 0 valid, 1 invalid",
    )
    verify.add_argument("label_id", metavar="LABEL_ID", help="0x + 64 hex")
    verify.add_argument("--node", required=True, help="base URL of any node serving its log")
    verify.add_argument("--rpc", required=True, help="JSON-RPC URL of the chain")
    verify.add_argument(
        "--deployment", required=True, help="deployment JSON (chain id, contract addresses)"
    )
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.set_defaults(run=_label_verify)

    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except NodeError as exc:
        print(f"tanji: {exc.message}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    raise SystemExit(main())
