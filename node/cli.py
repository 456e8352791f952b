"""The ``tanji`` command: ``tanji node serve|migrate|config`` and ``tanji label verify``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from node._node import engine_for, migrate_database
from node._settings import Settings
from node.errors import NodeError

if TYPE_CHECKING:
    from sdk.deploy import Deployment
    from sdk.roles import AuditReport, AuditSource


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


def label_verify(
    label_id: str,
    *,
    node: AuditSource,
    deployment: Deployment,
    at: datetime,
    out: IO[str],
    as_json: bool = False,
    save_evidence: Path | None = None,
) -> int:
    """Audit label ``label_id`` at ``at`` with :class:`sdk.roles.Auditor` and print the report.

    Trusts only ``deployment``'s chain (the node serves the log and the disclosure, which
    the audit checks). With ``save_evidence`` the evidence bundle the audit decided on is
    written there too (:meth:`sdk.roles.LabelEvidence.to_json`), to verify again offline
    with :func:`label_verify_evidence`. Returns 0 when the label is valid (warnings
    allowed), 1 when a check failed. Raises :class:`ValueError` for a malformed label id
    or a naive ``at``, :class:`OSError` when the evidence cannot be written.
    """
    from sdk.roles import Auditor, audit_label

    auditor = Auditor(
        node=node,
        participants=deployment.participants,
        labels=deployment.labels,
        anchors=deployment.anchors,
    )
    evidence = auditor.collect_evidence(label_id)
    if save_evidence is not None:
        save_evidence.write_text(evidence.to_json(), encoding="utf-8")
    return _print_report(audit_label(evidence, at), out, as_json)


def label_verify_evidence(
    evidence_file: Path,
    *,
    label_id: str | None,
    at: datetime | None,
    out: IO[str],
    as_json: bool = False,
) -> int:
    """Audit a label from a saved evidence bundle, offline (no node, no chain).

    ``label_id``, when given, must be the bundle's. ``at`` defaults to now, but never
    before the chain time the bundle was read at (a development chain's clock runs ahead
    of the wall clock; the bundle says nothing of later chain states anyway). Returns 0
    valid, 1 invalid like
    :func:`label_verify`. Raises :class:`OSError` (unreadable file),
    :class:`~sdk.errors.EvidenceError` (not an evidence bundle) and :class:`ValueError`
    (another label's bundle, malformed id, naive ``at``).
    """
    from sdk.roles import LabelEvidence, audit_label, label_id_bytes

    evidence = LabelEvidence.from_json(evidence_file.read_bytes())
    if label_id is not None and label_id_bytes(label_id) != evidence.label_id:
        raise ValueError(
            f"{evidence_file} is the evidence of label 0x{evidence.label_id.hex()}, not {label_id}"
        )
    if at is None:
        read = datetime.fromtimestamp(evidence.source.block_time, UTC)
        at = max(datetime.now(UTC), read)
    return _print_report(audit_label(evidence, at), out, as_json)


def _print_report(report: AuditReport, out: IO[str], as_json: bool) -> int:
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
    from anchors.errors import AnchorsError
    from sdk.errors import SdkError

    try:
        if args.evidence is not None:
            # Offline: the bundle holds everything; nothing is contacted.
            return label_verify_evidence(
                Path(args.evidence),
                label_id=args.label_id,
                at=None,
                out=sys.stdout,
                as_json=args.json,
            )
        if args.label_id is None or not (args.node and args.rpc and args.deployment):
            print(
                "tanji label verify: give LABEL_ID with --node, --rpc and --deployment, "
                "or --evidence FILE",
                file=sys.stderr,
            )
            return 2
        from anchors.chain import ChainSettings, RpcChain, later_of
        from sdk.client import NodeClient
        from sdk.deploy import Deployment

        data = json.loads(Path(args.deployment).read_text(encoding="utf-8"))
        # The chain profile (fee mode, poa, …) from TANJI_CHAIN_*, the endpoint from --rpc.
        profile = dataclasses.replace(ChainSettings.from_env(), url=args.rpc)
        chain = RpcChain.from_settings(profile)
        deployment = Deployment.from_dict(data, chain)
        with NodeClient(args.node) as node:
            # Now, but never before the chain's latest block (dev chains run ahead).
            at = later_of(datetime.now(UTC), chain.block_timestamp())
            return label_verify(
                args.label_id,
                node=node,
                deployment=deployment,
                at=at,
                out=sys.stdout,
                as_json=args.json,
                save_evidence=Path(args.save_evidence) if args.save_evidence else None,
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
    verify.add_argument(
        "label_id", metavar="LABEL_ID", nargs="?", help="0x + 64 hex (optional with --evidence)"
    )
    verify.add_argument("--node", help="base URL of any node serving its log")
    verify.add_argument("--rpc", help="JSON-RPC URL of the chain")
    verify.add_argument("--deployment", help="deployment JSON (chain id, contract addresses)")
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.add_argument(
        "--save-evidence",
        metavar="PATH",
        help="also write the evidence bundle the audit decided on (docs/evidence.md)",
    )
    verify.add_argument(
        "--evidence",
        metavar="PATH",
        help="verify offline from a saved evidence bundle (no node, no chain)",
    )
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
