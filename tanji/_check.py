"""Everyone's checks: ``label verify``, ``verify`` (a receipt or a disclosure), ``log status``.

They trust the chain only; the node serves data the checks verify. None opens a wallet.
"""

from __future__ import annotations

import base64
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tanji._app import (
    EXIT_INVALID,
    EXIT_OK,
    CliError,
    Network,
    Options,
    emit,
    load_network,
    read_json,
    table,
)


def _network(opts: Options, node: str | None, rpc: str | None, deployment: Path | None) -> Network:
    if node and rpc and deployment:
        return Network(
            node_url=node, chain_url=rpc, deployment_doc=read_json(deployment, "deployment")
        )
    network = load_network(opts)
    if node:
        network.node_url = node
    if rpc:
        network.chain_url = rpc
    if deployment:
        network.deployment_doc = read_json(deployment, "deployment")
    return network


def _now(network: Network) -> datetime:
    """Now, but never before the chain's latest block (dev chains run ahead)."""
    return datetime.fromtimestamp(max(time.time(), network.chain().block_timestamp()), tz=UTC)


def label_verify(
    opts: Options,
    label_id: str | None,
    node: str | None,
    rpc: str | None,
    deployment: Path | None,
    as_json: bool,
    save_evidence: Path | None = None,
    evidence: Path | None = None,
) -> int:
    """Audit a label (DESIGN.md §6.5) with :class:`sdk.roles.Auditor`, trusting only the
    chain (the node serves the log and the disclosure, which the audit checks); 0 valid
    (warnings allowed), 1 invalid.

    ``save_evidence`` also writes the evidence bundle the audit decided on
    (docs/evidence.md); ``evidence`` audits such a bundle offline instead: no node, no
    chain, at now but never before the chain time the bundle was read at.
    """
    from sdk.errors import EvidenceError
    from sdk.roles import Auditor, LabelEvidence, audit_label, label_id_bytes

    try:
        wanted = None if label_id is None else label_id_bytes(label_id)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    if evidence is not None:
        if save_evidence is not None:
            raise CliError("give --evidence (audit a saved bundle) or --save-evidence, not both")
        try:
            bundle = LabelEvidence.from_json(evidence.read_bytes())
        except OSError as exc:
            raise CliError(f"{evidence}: cannot read: {exc.strerror or exc}") from exc
        except EvidenceError as exc:  # not a bundle: nothing was checked (exit 2)
            raise CliError(f"{evidence}: {exc}") from exc
        if wanted is not None and wanted != bundle.label_id:
            raise CliError(
                f"{evidence} is the evidence of label 0x{bundle.label_id.hex()}, not {label_id}"
            )
        read_at = datetime.fromtimestamp(bundle.source.block_time, UTC)
        return _report(audit_label(bundle, max(datetime.now(UTC), read_at)), as_json)
    if label_id is None:
        raise CliError("give the label id (0x + 64 hex), or --evidence FILE")
    network = _network(opts, node, rpc, deployment)
    deployed = network.deployment()
    with network.public_node() as client:
        auditor = Auditor(
            node=client,
            participants=deployed.participants,
            labels=deployed.labels,
            anchors=deployed.anchors,
        )
        collected = auditor.collect_evidence(label_id)
        at = _now(network)
    if save_evidence is not None:
        try:
            save_evidence.write_text(collected.to_json(), encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{save_evidence}: cannot write: {exc.strerror or exc}") from exc
    return _report(audit_label(collected, at), as_json)


def _report(report: Any, as_json: bool) -> int:
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(report.to_text() + "\n")
    return EXIT_OK if report.ok else EXIT_INVALID


def _match_footprint(report: dict[str, Any], footprint: dict[str, Any]) -> None:
    """Add step ``footprint.match``: the served PACT document says what was attested."""
    from gateway.pact import disclosure_mismatches

    if not report["ok"]:
        return
    wrong = disclosure_mismatches(footprint, report.get("values") or {})
    step = {"step": "footprint.match", "status": "passed" if not wrong else "failed",
            "reason": None if not wrong else "the footprint differs from the attested claims at "
            + ", ".join(wrong)}  # fmt: skip
    report["steps"].append(step)
    if wrong:
        report["ok"] = False
        report["failedStep"] = "footprint.match"


def verify_file(opts: Options, path: Path, as_json: bool) -> int:
    """Verify a receipt, a disclosure (its receipt fetched from the node), or a
    ``{receipt, disclosure}`` bundle, against the chain."""
    from node.cli import verify_report

    doc = read_json(path, "receipt or disclosure")
    if not isinstance(doc, dict):
        raise CliError(f"{path}: a receipt or a disclosure is a JSON object", EXIT_INVALID)
    network = load_network(opts)
    footprint = None
    if "pcf" in doc and "extensions" in doc:  # a PACT footprint from a Tanji gateway
        from gateway.pact import extension_evidence

        footprint = doc
        found = extension_evidence(doc)
        if found is None or "disclosure" not in found:
            raise CliError(
                f"{path}: this PACT footprint carries no Tanji attestation to verify", EXIT_INVALID
            )
        doc = found if "receipt" in found else found["disclosure"]
    if "receipt" in doc:
        receipt, disclosure = doc["receipt"], doc.get("disclosure")
    elif "claims" in doc and "attestationId" in doc:
        disclosure = doc
        attestation = doc["attestationId"]
        if not isinstance(attestation, str):
            raise CliError(f"{path}: /attestationId: must be a string", EXIT_INVALID)
        with network.public_node() as client:
            receipt = client.receipt(attestation)
    else:
        receipt, disclosure = doc, None
    report = verify_report(receipt, disclosure, deployment=network.deployment(), at=_now(network))
    if footprint is not None:
        _match_footprint(report, footprint)

    def render(con: Any) -> None:
        rows = [(s["step"], s["status"], s["reason"] or "") for s in report["steps"]]
        con.print(
            table(
                f"verification of {report['attestationId'] or path}",
                ["step", "result", "reason"],
                rows,
            )
        )
        if report.get("values"):
            con.print(
                table(
                    "disclosed claims",
                    ["pointer", "value"],
                    [(k, json.dumps(v, ensure_ascii=False)) for k, v in report["values"].items()],
                )
            )
        con.print(
            "[bold green]VALID[/]"
            if report["ok"]
            else f"[bold red]INVALID[/] at {report['failedStep']}"
        )

    emit(report, as_json, render)
    return EXIT_OK if report["ok"] else EXIT_INVALID


def receipt(opts: Options, attestation: str, out: Path | None) -> int:
    """Fetch an attestation's receipt (404 until anchored: exit 1)."""
    network = load_network(opts)
    with network.public_node() as client:
        doc = client.receipt(attestation)
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
    return EXIT_OK


def log_status(opts: Options, as_json: bool) -> int:
    """The node's log and its newest checkpoint checked against the chain: the
    checkpoint is signed by a key of the log's operator, and consistent with the newest
    head anchored on chain. 0 consistent, 1 not."""
    from nacl.signing import VerifyKey

    from anchors import (
        checkpoint_origin,
        verify_checkpoint,
        verify_consistency,
    )
    from anchors.errors import AnchorsError
    from node.cli import log_owner

    network = load_network(opts)
    deployment = network.deployment()
    with network.public_node() as client:
        info = client.node_info()
        health = client.health()
        log_id = str(info["logId"])
        origin = checkpoint_origin(deployment.chain_id, log_id)
        head = deployment.anchors.latest(log_id)
        report: dict[str, Any] = {
            "node": network.node_url,
            "logId": log_id,
            "logSize": health.get("logSize"),
            "status": health.get("status"),
            "anchoring": health.get("anchoring"),
            "anchoredOnChain": None
            if head is None
            else {"size": head.size, "at": head.anchored_at.isoformat()},
            "checks": [],
        }
        checks: list[dict[str, Any]] = report["checks"]
        ok = True
        owner = log_owner(deployment, log_id)
        if owner is None:
            checks.append(
                {
                    "check": "log on chain",
                    "ok": False,
                    "reason": f"log {log_id} is not registered on chain",
                }
            )
            ok = False
        elif head is None:
            checks.append({"check": "anchored", "ok": True, "reason": "nothing anchored yet"})
        else:
            keys = [
                VerifyKey(r.public_key) for r in deployment.participants.signing_key_history(owner)
            ]
            latest = client.latest_checkpoint()
            checkpoint = None
            for key in keys:
                try:
                    checkpoint = verify_checkpoint(latest["checkpoint"], origin, key)
                    break
                except AnchorsError:
                    continue
            checks.append(
                {
                    "check": "checkpoint signature",
                    "ok": checkpoint is not None,
                    "reason": f"signed by a key of {owner}"
                    if checkpoint
                    else f"not signed by any key of the log operator {owner}",
                }
            )
            ok = ok and checkpoint is not None
            if checkpoint is not None:
                try:
                    if checkpoint.size < head.size:
                        raise AnchorsError(
                            f"the node's newest checkpoint ({checkpoint.size}) is behind the "
                            f"chain ({head.size})"
                        )
                    proof = client.consistency_proof(head.size, checkpoint.size)["proof"]
                    verify_consistency(
                        head.size,
                        checkpoint.size,
                        head.root,
                        checkpoint.root,
                        [base64.b64decode(h) for h in proof],
                    )
                    checks.append(
                        {
                            "check": "consistent with the chain",
                            "ok": True,
                            "reason": f"size {checkpoint.size} extends anchored {head.size}",
                        }
                    )
                except AnchorsError as exc:
                    checks.append(
                        {"check": "consistent with the chain", "ok": False, "reason": str(exc)}
                    )
                    ok = False
    report["ok"] = ok

    def render(con: Any) -> None:
        anchored = report["anchoredOnChain"]
        con.print(
            f"log {log_id} at {network.node_url}: size {report['logSize']}, anchored on chain "
            f"{anchored['size'] if anchored else 0}, node {report['status']}"
        )
        rows = [(c["check"], "ok" if c["ok"] else "FAILED", c["reason"]) for c in checks]
        con.print(table("log checks", ["check", "result", ""], rows))

    emit(report, as_json, render)
    return EXIT_OK if ok else EXIT_INVALID
