"""``tanji node serve|migrate|config`` (the ``tanji`` command hands ``node`` here) and the
chain-only checks the ``tanji`` command's ``verify`` and ``log status`` reuse."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from node._node import engine_for, migrate_database
from node._settings import Settings
from node.errors import NodeError

if TYPE_CHECKING:
    from sdk.deploy import Deployment


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
        engine = engine_for(settings)
        try:
            migrate_database(engine)
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
    if not _preflight_ok(settings, app.state.node):
        return 2
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=args.log_level,
        access_log=args.access_log,
    )
    return 0


def _preflight_ok(settings: Settings, node: Any) -> bool:
    """Run :func:`node.preflight`; print every problem and return False if any."""
    from anchors.chain import later_of
    from node._preflight import preflight

    at = later_of(node.now(), node.chain.block_timestamp())
    problems = preflight(
        settings,
        engine=node.engine,
        chain=node.chain,
        deployment=node.deployment,
        at=at,
        log_key=node.log_key,
    )
    for problem in problems:
        print(f"tanji: {problem}", file=sys.stderr)
    if problems:
        print("tanji: the node cannot serve; fix the above and start it again", file=sys.stderr)
    return not problems


def _migrate(args: argparse.Namespace) -> int:
    settings = _settings(args)
    engine = engine_for(settings)
    try:
        migrate_database(engine)
    finally:
        engine.dispose()
    print(f"database at {engine.url.render_as_string(hide_password=True)} is up to date")
    return 0


def _config(args: argparse.Namespace) -> int:
    settings = _settings(args)
    shown = {k: ("***" if k.endswith("_hex") and v else v) for k, v in vars(settings).items()}
    print(json.dumps(shown, indent=2, sort_keys=True))
    return 0


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

    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except NodeError as exc:
        print(f"tanji: {exc.message}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    raise SystemExit(main())
