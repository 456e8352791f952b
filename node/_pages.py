"""The page a label's QR code opens: ``GET /labels/0x…``, plain HTML, no JavaScript.

It shows the label as recorded on chain, the claims its public disclosure reveals, and
the step-by-step audit of DESIGN.md §6.5 computed by the SDK's own
:class:`~sdk.roles.Auditor`. The auditor reads the chain directly (the root of trust)
and this node's log and label disclosures in process through :class:`NodeAuditSource`,
so the page neither calls the node over HTTP nor repeats any audit logic. A reader who
does not trust this node runs the same audit with ``tanji label verify`` (shown on the
page) against any node and their own chain endpoint.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from anchors.chain import later_of
from anchors.errors import AnchorsError
from node._labels import LabelDisclosures
from node._node import Node
from node.errors import InvalidInput, NodeError, NotFound, Unavailable
from sdk.errors import NodeClientError, RegistryError
from sdk.roles import AuditCheck, Auditor, AuditReport, CheckStatus

_LABEL_ID = re.compile(r"0x[0-9a-f]{64}")
_T = TypeVar("_T")

_MARKS = {
    CheckStatus.PASSED: ("PASS", "pass"),
    CheckStatus.FAILED: ("FAIL", "fail"),
    CheckStatus.WARNED: ("WARN", "warn"),
    CheckStatus.SKIPPED: ("skip", "skip"),
}

_CLAIM_NAMES = {
    "/productIds/0": "product",
    "/pcf/pcfExcludingBiogenicUptake": "PCF (kgCO2e, excluding biogenic uptake)",
    "/pcf/declaredUnitOfMeasurement": "declared unit",
    "/pcf/declaredUnitAmount": "declared unit amount",
    "/pcf/referencePeriodStart": "reference period start",
    "/pcf/referencePeriodEnd": "reference period end",
}


def _status(exc: NodeError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, InvalidInput):
        return 422
    if isinstance(exc, Unavailable):
        return 503
    return 500


class NodeAuditSource:
    """This node's log and label disclosures as an :class:`sdk.roles.AuditSource`.

    Answers like the HTTP API would, without the HTTP: a domain error becomes the
    :class:`~sdk.errors.NodeClientError` a client would have raised (same status and code).
    """

    def __init__(self, node: Node, labels: LabelDisclosures) -> None:
        self._node = node
        self._labels = labels

    def _call(self, fn: Callable[[], _T]) -> _T:
        try:
            return fn()
        except NodeError as exc:
            raise NodeClientError(_status(exc), exc.code, exc.message) from exc
        except AnchorsError as exc:
            raise NodeClientError(422, "invalid_input", str(exc)) from exc

    def node_info(self) -> dict[str, Any]:
        """The node's public facts (``logId`` among them)."""
        return self._node.info()

    def health(self) -> dict[str, Any]:
        """``logSize`` and the node's status."""
        return self._node.health()

    def entries(self, start: int, end: int) -> list[dict[str, Any]]:
        """Log entries ``[start, end)``."""
        return self._call(lambda: self._node.log_view.entries(start, end))

    def inclusion_proof(self, index: int, size: int) -> dict[str, Any]:
        """Inclusion proof of leaf ``index`` in the tree of ``size`` leaves."""
        return self._call(lambda: self._node.log_view.inclusion(index, size))

    def label_disclosure(self, label_id: str) -> dict[str, Any]:
        """The stored public disclosure of a label."""
        return self._call(lambda: self._labels.get(label_id))

    def receipt(self, attestation_id: str) -> dict[str, Any]:
        """The receipt of a stored attestation (404 ``not_anchored`` until anchored)."""

        def read() -> dict[str, Any]:
            index, leaf = self._node.attestations.stored_leaf(attestation_id)
            return self._node.log_view.receipt(attestation_id, leaf, index)

        return self._call(read)

    def value_proofs(self, attestation_id: str) -> dict[str, Any]:
        """The range proof and public roll-up proof published with a statement."""
        return self._call(lambda: self._node.attestations.value_range_proof(attestation_id))


def audit_label(node: Node, source: NodeAuditSource, label_id: str) -> AuditReport:
    """Verify ``label_id`` now with the SDK's :class:`~sdk.roles.Auditor`, in process."""
    deployment = node.deployment
    auditor = Auditor(
        node=source,
        participants=deployment.participants,
        labels=deployment.labels,
        anchors=deployment.anchors,
        clock=node.clock,
    )
    # Now, but never before the chain's latest block (label windows are in chain time).
    return auditor.verify_label_at(label_id, at=later_of(node.now(), node.chain.block_timestamp()))


def cli_command(label_id: str, node_url: str) -> str:
    """The command that runs the same audit independently of this node's page."""
    return (
        f"tanji label verify {label_id} --node {node_url} "
        "--rpc <your chain endpoint> --deployment deployment.json"
    )


def render_page(report: AuditReport, *, issuer_org: str | None, node_url: str) -> str:
    """The verification page for one audited label (HTML5, inline CSS, no scripts)."""
    e = html.escape
    label = report.label
    verdict = report.verdict
    ok = report.ok
    title = f"Carbon label {report.label_id[:18]}…"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:1rem auto;"
        "padding:0 1rem;line-height:1.4}table{border-collapse:collapse;width:100%}"
        "td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}"
        ".pass{color:#176f2c}.fail{color:#b00020}.warn{color:#a15c00}.skip{color:#666}"
        ".verdict{font-size:1.3rem;font-weight:bold}code{word-break:break-all}</style>",
        "</head><body>",
        "<h1>Tanji carbon label (碳标识) verification</h1>",
        f"<p>Label <code>{e(report.label_id)}</code></p>",
        f'<p class="verdict {"pass" if ok else "fail"}">Verdict: {e(verdict)}</p>',
    ]
    if label:
        revoked = label.get("revokedAt")
        rows = [
            ("Value", f"{label['value']} {label['unit']}"),
            ("Grade", _grade_text(str(label.get("grade") or ""))),
            ("Standard", str(label["standard"])),
            ("Valid", f"{label['validFrom']} to {label['validUntil']}"),
            ("Issuer", f"{issuer_org or 'unknown organisation'} (account {label['issuer']})"),
        ]
        if revoked:
            rows.append(("Revoked", f"{revoked}: {label.get('revocationReason') or ''}"))
        parts.append("<h2>The label, as recorded on chain</h2><table>")
        parts += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows]
        parts.append("</table>")
    else:
        parts.append("<p>No label with this id is recorded on chain.</p>")
    parts.append("<h2>Disclosed claims</h2>")
    if report.disclosed:
        parts.append(
            "<p>What the certifier made public, each verified against the attestation's "
            "signed commitment; every other claim stays hidden.</p><table>"
        )
        known = [p for p in _CLAIM_NAMES if p in report.disclosed]
        others = sorted(p for p in report.disclosed if p not in _CLAIM_NAMES)
        for pointer in [*known, *others]:
            value = report.disclosed[pointer]
            name = _CLAIM_NAMES.get(pointer, pointer)
            parts.append(
                f"<tr><th>{e(name)}</th><td>{e(str(value))}<br><code>{e(pointer)}</code></td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p>No verified disclosure.</p>")
    parts.append(
        "<h2>Audit report (DESIGN.md §6.5)</h2>"
        f"<p>Checked at {e(report.to_dict()['checkedAt'])} against the chain"
        + (
            f"; attestation <code>{e(report.attestation_id)}</code>"
            if report.attestation_id
            else ""
        )
        + ".</p><table><tr><th>#</th><th>check</th><th>result</th><th>reason</th></tr>"
    )
    for r in report.results:
        mark, css = _MARKS[r.status]
        parts.append(
            f"<tr><td>{r.check.number}</td><td>{e(r.check.title)} (<code>{e(r.check.step)}"
            f'</code>)</td><td class="{css}">{mark}</td><td>{e(r.reason)}</td></tr>'
        )
    parts.append("</table>")
    parts.append(
        "<h2>Verify it yourself</h2>"
        "<p>This page was computed by the node that serves it. To check without trusting "
        "it, run the same audit from the Tanji SDK against your own chain endpoint and the "
        "deployment file (contract addresses) of this network:</p>"
        f"<pre>{e(cli_command(report.label_id, node_url))}</pre>"
        "<p>It prints this report and exits 0 when the label is valid, 1 otherwise. The "
        f'machine-readable label is at <a href="/v1/labels/{e(report.label_id)}">'
        f"/v1/labels/{e(report.label_id)}</a>.</p>"
        "</body></html>"
    )
    return "\n".join(parts)


def _grade_text(grade: str) -> str:
    if not grade:
        return "none"
    if "illustrative" in grade:
        return f"{grade}: against an illustrative benchmark (no official grade scale exists yet)"
    return f"{grade} (illustrative: no official grade scale exists yet)"


def _message_page(status: int, heading: str, message: str) -> HTMLResponse:
    e = html.escape
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(heading)}</title></head><body><h1>{e(heading)}</h1>"
        f"<p>{e(message)}</p></body></html>"
    )
    return HTMLResponse(body, status_code=status)


def install_page_routes(app: FastAPI, node: Node) -> None:
    """Add ``GET /labels/{label_id}`` (the QR code's target) to the node's app."""
    source = NodeAuditSource(node, LabelDisclosures(node.engine, node.deployment.labels))
    node_url = node.settings.public_url or "http://<node>"

    @app.get("/labels/{label_id}", tags=["labels"], response_class=HTMLResponse)
    def label_page(label_id: str) -> HTMLResponse:
        """Human-readable verification of a label: the label, its claims, the audit."""
        label_id = label_id.lower()
        if not _LABEL_ID.fullmatch(label_id):
            return _message_page(
                400, "Not a label id", "A label id is 0x followed by 64 hexadecimal characters."
            )
        report = audit_label(node, source, label_id)
        if report.result(AuditCheck.LABEL).status is CheckStatus.FAILED and not report.label:
            return _message_page(404, "Unknown label", f"No label {label_id} on chain.")
        issuer_org: str | None = None
        try:
            issuer_org = node.deployment.participants.org_id_of_account(report.label["issuer"])
        except RegistryError:
            issuer_org = None
        page = render_page(report, issuer_org=issuer_org, node_url=node_url)
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})
