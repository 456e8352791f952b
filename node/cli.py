"""The ``tanji`` command: ``tanji node serve``, ``tanji node migrate``, ``tanji node info``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from node._db import make_engine, upgrade_database
from node._settings import Settings
from node.errors import NodeError


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env(file=args.config)
    overrides = {}
    if getattr(args, "host", None):
        overrides["host"] = args.host
    if getattr(args, "port", None):
        overrides["port"] = args.port
    return settings.replace(**overrides) if overrides else settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from node._http import create_app

    settings = _settings(args)
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=args.log_level)
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
