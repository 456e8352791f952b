"""Pages people read, served by the node: the label a consumer scans, the home page, and the
API reference with local assets.

``GET /labels/0x…`` (the QR code's target) says first what the label means (the value
and unit per declared unit, product, producer, certifier, label number, standard,
validity, grade), then its state in words and colour (valid; superseded; revoked with
the reason; expired; not yet valid; does not verify), then the audit of DESIGN.md §6.5
step by step, collapsed. Chinese by default, English by ``?lang=en`` or
``Accept-Language``; times in Beijing time (UTC+8). The node runs the SDK's own audit
(:func:`sdk.roles.collect_label_evidence`, :func:`sdk.roles.audit_label`; the chain is
read directly, this node's log and disclosures in process through
:class:`NodeAuditSource`) and embeds the evidence bundle in the page; the bundled
browser verifier (``web/dist/label-page.js``) then re-runs the audit's cryptographic
checks in the visitor's browser, re-reads the label from the chain's JSON-RPC endpoint
when one is public, and marks each step it checked itself.

Every visit re-runs the whole audit, yet costs little once a label has been seen: the
evidence is read at one pinned block and the chain client answers repeated reads at an
unchanged block from memory (``ChainClient.pinned_reads``), and upstream range proofs
that verified once for the same bytes are not re-verified (:class:`sdk.zk.VerifiedProofs`).

A chain (or node) that cannot be read gives a 503 page that says the label cannot be
checked right now, never "unknown": a consumer must not conclude that a real label is
fake because a server was down.

Where names come from (docs/label-page.md): the product name, description and producer
are claims of the producer's signed footprint (``/productNameCompany``,
``/productDescription``, ``/companyName``) revealed by the label's public disclosure and
verified against the signed commitment; the certifier is the organisation the
ParticipantRegistry records for the label's issuing account (its registered id).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from anchors.chain import later_of
from anchors.errors import AnchorsError
from node._labels import LabelDisclosures
from node._node import Node
from node.errors import InvalidInput, NodeError, NotFound, Unavailable
from sdk.errors import NodeClientError, RegistryError
from sdk.roles import (
    AuditCheck,
    AuditReport,
    CheckStatus,
    LabelEvidence,
    audit_label,
    collect_label_evidence,
)
from sdk.zk import VerifiedProofs, remembering

_LABEL_ID = re.compile(r"0x[0-9a-fA-F]{64}")
# Range proofs this process has seen verify (upstream values of committed roll-ups): a
# label page re-runs the whole audit on every visit, but a proof that verified for the
# same commitment and context is not re-verified (sdk.zk.VerifiedProofs).
_VERIFIED_PROOFS = VerifiedProofs()
_T = TypeVar("_T")
BEIJING = timezone(timedelta(hours=8))
ROOT = Path(__file__).resolve().parents[1]
WEB_DIST = ROOT / "web" / "dist"
"""The bundled browser verifier (``make web``); served under ``/static/verify/``."""
_VERIFY_FILES = {"tanji-verify.js", "label-page.js"}

NAME_POINTERS = {
    "product": "/productNameCompany",
    "description": "/productDescription",
    "producer": "/companyName",
    "productId": "/productIds/0",
}

# --- words -----------------------------------------------------------------------------

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "lang": "zh-CN",
        "site": "碳迹 · 产品碳足迹标识查验",
        "title": "碳足迹标识",
        "per": "每",
        "product": "产品名称",
        "description": "产品型号与说明",
        "productId": "产品编号",
        "producer": "生产者",
        "certifier": "认证机构（登记编号）",
        "labelNo": "标识编号",
        "certificateNo": "证书编号",
        "standard": "依据标准",
        "validity": "有效期",
        "grade": "等级",
        "gradeNone": "无",
        "illustrative": "（示意：尚无官方分级）",
        "status": "状态",
        "to": "至",
        "bj": "北京时间",
        "notDisclosed": "未公开",
        "valid": "有效",
        "valid.why": "该标识在链上有效，数据经签名、锚定并与标识一致。",
        "superseded": "已有更新的碳足迹",
        "superseded.why": "该标识仍有效，但生产者已发布了更新的碳足迹数据，请以新数据为准。",
        "revoked": "已撤销",
        "revoked.why": "认证机构已撤销该标识。撤销原因：",
        "expired": "已过期",
        "expired.why": "该标识的有效期已结束。",
        "notyet": "尚未生效",
        "notyet.why": "该标识的有效期尚未开始。",
        "suspended": "已暂停",
        "suspended.why": "认证机构已暂停该标识，暂停期间不应信任。暂停原因：",
        "invalid": "查验未通过",
        "invalid.why": "该标识的数据未能通过查验，请勿信任其数值。未通过的步骤：",
        "audit": "查验步骤（共 9 步）",
        "audit.hint": "展开查看每一步查验了什么",
        "checkedAt": "查验时间",
        "mark.passed": "通过",
        "mark.failed": "未通过",
        "mark.warned": "提醒",
        "mark.skipped": "未进行",
        "browser.pending": "正在您的浏览器中复核……",
        "browser.checked": "您的浏览器已亲自复核",
        "browser.node": "由本节点查验",
        "browser.disagree": "您的浏览器得出不同结论",
        "browser.summary": "您的浏览器亲自复核了 {n} 个步骤，结论一致。",
        "browser.summaryDisagree": "您的浏览器复核结论与本节点不一致，请勿信任该标识。",
        "browser.noscript": "启用 JavaScript 后，您的浏览器可亲自复核签名、证明与数据。",
        "browser.chain": "并从区块链节点重新读取了标识记录",
        "yourself": "自行查验",
        "yourself.text": "不信任本节点？用碳迹命令行工具连接您自己的区块链节点运行同样的查验：",
        "json": "机器可读的标识数据",
        "switch": "English",
        "c.label": "标识存在于链上、未被撤销且在有效期内",
        "c.issuer": "颁发账户属于登记的认证机构，且独立于生产者",
        "c.leaf": "标识引用的碳足迹记录可取得，且与链上记录的指纹一致",
        "c.anchor": "该记录包含在已锚定到区块链的日志中",
        "c.signature": "碳足迹由其发布方在锚定时有效的密钥签名",
        "c.disclosure": "公开数据与标识及签名承诺一致",
        "c.match": "公开的数值、单位和产品与标识一致",
        "c.superseded": "没有更新的碳足迹取代该记录",
        "c.rollup.commitments": "标识数值不低于各供应商承诺值按用量加权之和（供应商数值保密）",
        "unavailable": "暂时无法查验",
        "unavailable.why": (
            "暂时无法连接区块链或节点，因此现在无法查验该标识。这并不表示标识是假的，请稍后再试。"
        ),
        "notfound": "未找到该标识",
        "notfound.why": "区块链上没有这个编号的碳足迹标识。请核对编号（0x 加 64 位十六进制字符）。",
        "badid": "标识编号格式不正确",
        "badid.why": "标识编号是 0x 加 64 位十六进制字符，例如扫描二维码得到的链接末尾部分。",
        "home": "碳迹节点",
        "home.what": (
            "本节点保存产品碳足迹的签名记录，并把它们锚定在区块链上。"
            "扫描产品上的碳足迹标识二维码，或在下方输入标识编号，即可查验标识。"
        ),
        "home.lookup": "查验标识",
        "home.labelId": "标识编号",
        "home.submit": "查验",
        "home.api": "开发者：接口文档",
        "home.chain": "区块链",
        "home.log": "日志",
    },
    "en": {
        "lang": "en",
        "site": "Tanji · product carbon footprint label check",
        "title": "Carbon footprint label",
        "per": "per",
        "product": "Product",
        "description": "Model and description",
        "productId": "Product id",
        "producer": "Producer",
        "certifier": "Certifier (registered id)",
        "labelNo": "Label number",
        "certificateNo": "Certificate number",
        "standard": "Standard",
        "validity": "Valid",
        "grade": "Grade",
        "gradeNone": "none",
        "illustrative": " (illustrative: no official grade scale yet)",
        "status": "Status",
        "to": "to",
        "bj": "Beijing time",
        "notDisclosed": "not disclosed",
        "valid": "Valid",
        "valid.why": (
            "This label is valid on chain; its data is signed, anchored and matches the label."
        ),
        "superseded": "A newer footprint exists",
        "superseded.why": (
            "This label is still valid, but the producer has published a newer footprint "
            "for it: prefer the newer figures."
        ),
        "revoked": "Revoked",
        "revoked.why": "The certifier revoked this label. Reason: ",
        "expired": "Expired",
        "expired.why": "This label's validity has ended.",
        "notyet": "Not yet valid",
        "notyet.why": "This label's validity has not started yet.",
        "suspended": "Suspended",
        "suspended.why": "The certifier suspended this label; do not rely on it while suspended. "
        "Reason: ",
        "invalid": "Does not verify",
        "invalid.why": "This label's data failed a check: do not trust its value. Failed step: ",
        "audit": "How it was checked (9 steps)",
        "audit.hint": "open to see what each step checked",
        "checkedAt": "Checked at",
        "mark.passed": "passed",
        "mark.failed": "failed",
        "mark.warned": "warning",
        "mark.skipped": "not run",
        "browser.pending": "re-checking in your browser…",
        "browser.checked": "checked by your own browser",
        "browser.node": "checked by this node",
        "browser.disagree": "your browser disagrees",
        "browser.summary": "Your own browser re-checked {n} steps and agrees.",
        "browser.summaryDisagree": (
            "Your browser's check disagrees with this node: do not trust this label."
        ),
        "browser.noscript": (
            "With JavaScript on, your own browser re-checks the signatures, proofs and data."
        ),
        "browser.chain": "and re-read the label from the blockchain",
        "yourself": "Check it yourself",
        "yourself.text": (
            "Do not trust this node? Run the same audit with the Tanji command line against "
            "your own chain endpoint:"
        ),
        "json": "Machine-readable label",
        "switch": "中文",
        "c.label": "the label is on chain, not revoked and within its validity",
        "c.issuer": (
            "the issuing account belongs to a registered certifier, independent of the producer"
        ),
        "c.leaf": (
            "the footprint record the label names is available and matches its fingerprint on chain"
        ),
        "c.anchor": "the record is in a log anchored on the blockchain",
        "c.signature": "the footprint was signed by its publisher with a key valid when anchored",
        "c.disclosure": "the public data matches the label and the signed commitment",
        "c.match": "the disclosed value, unit and product match the label",
        "c.superseded": "no newer footprint replaces the record",
        "c.rollup.commitments": (
            "the label value is at least the suppliers' committed values weighted by "
            "quantity (the suppliers' values stay hidden)"
        ),
        "unavailable": "Cannot be checked right now",
        "unavailable.why": (
            "The blockchain or the node cannot be reached, so this label cannot be checked "
            "right now. This does not mean the label is fake: please try again later."
        ),
        "notfound": "No such label",
        "notfound.why": (
            "No carbon label with this number is recorded on the blockchain. Check the "
            "number (0x followed by 64 hexadecimal characters)."
        ),
        "badid": "Not a label number",
        "badid.why": (
            "A label number is 0x followed by 64 hexadecimal characters, e.g. the end of "
            "the link in the label's QR code."
        ),
        "home": "Tanji node",
        "home.what": (
            "This node keeps signed product carbon footprints and anchors them on a "
            "blockchain. Scan the QR code of a carbon label, or enter the label number "
            "below, to check the label."
        ),
        "home.lookup": "Check a label",
        "home.labelId": "Label number",
        "home.submit": "Check",
        "home.api": "Developers: API reference",
        "home.chain": "Chain",
        "home.log": "Log",
    },
}

_STATE_COLOURS = {
    # state: (background, text, border) — each pair above WCAG AA 4.5:1
    "valid": ("#e7f5ea", "#0f5a23", "#1d7a35"),
    "superseded": ("#fff4dd", "#6b4200", "#b87800"),
    "revoked": ("#fde8ea", "#8a0016", "#b00020"),
    "expired": ("#eceff1", "#37474f", "#607d8b"),
    "notyet": ("#eceff1", "#37474f", "#607d8b"),
    "suspended": ("#f3e8fd", "#4a148c", "#7b1fa2"),
    "invalid": ("#fde8ea", "#8a0016", "#b00020"),
    "unavailable": ("#e8eefc", "#1a3a7a", "#3a5db0"),
    "notfound": ("#eceff1", "#37474f", "#607d8b"),
    "badid": ("#eceff1", "#37474f", "#607d8b"),
}

_CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Noto Sans CJK SC","PingFang SC",
"Microsoft YaHei",sans-serif;line-height:1.5;color:#1b1b1b;background:#fafafa}
main{max-width:44rem;margin:0 auto;padding:1rem}
header.top{display:flex;justify-content:space-between;align-items:center;gap:.5rem;
flex-wrap:wrap;font-size:.9rem;color:#444}
header.top a{color:#0b57d0}
.state{border:2px solid;border-radius:.6rem;padding:.8rem 1rem;margin:.8rem 0}
.state h1{margin:0;font-size:1.5rem}
.state p{margin:.3rem 0 0}
.value{display:flex;align-items:baseline;gap:.4rem;flex-wrap:wrap;margin:.6rem 0}
.value .num{font-size:2.6rem;font-weight:700;color:#0f5a23;line-height:1.1}
.value .unit{font-size:1.1rem}
.value.superseded .num{color:#6b4200}
.value.revoked .num,.value.expired .num,.value.notyet .num,.value.suspended .num{color:#37474f}
.value.invalid .num{color:#8a0016;text-decoration:line-through}
dl.facts{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.35rem .8rem;
margin:0}
dl.facts dt{color:#444}
dl.facts dd{margin:0;overflow-wrap:anywhere;min-width:0}
code,.id{font-family:ui-monospace,monospace;font-size:.85em;overflow-wrap:anywhere;
word-break:break-all}
details{margin:1rem 0;border:1px solid #ccc;border-radius:.5rem;background:#fff}
summary{cursor:pointer;padding:.6rem .8rem;font-weight:600}
ol.steps{margin:0;padding:0 .8rem .6rem 2.2rem}
ol.steps li{margin:.5rem 0;overflow-wrap:anywhere}
.mark{font-weight:700}
.passed{color:#0f5a23}.failed{color:#8a0016}.warned{color:#6b4200}.skipped{color:#555}
.reason{display:block;color:#444;font-size:.9rem}
.by{display:block;font-size:.85rem;color:#1a3a7a}
.by.browser{color:#0f5a23;font-weight:600}.by.disagree{color:#8a0016;font-weight:700}
.browser-summary{padding:.5rem .8rem;border-radius:.4rem;background:#eef3fd;color:#1a3a7a}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f0f0f0;padding:.5rem;
border-radius:.3rem;font-size:.8rem}
form.lookup{display:flex;flex-wrap:wrap;gap:.5rem}
form.lookup input{flex:1 1 12rem;min-width:0;font:inherit;padding:.5rem;
border:1px solid #777;border-radius:.3rem}
form.lookup button{font:inherit;padding:.5rem 1rem;border:0;border-radius:.3rem;
background:#0f5a23;color:#fff}
footer{margin-top:2rem;font-size:.85rem;color:#444}
"""


def choose_language(query: str | None, accept_language: str | None) -> str:
    """``zh`` or ``en``: ``?lang=`` first, then the best of ``Accept-Language``; else ``zh``."""
    if query:
        q = query.strip().lower()
        if q.startswith("en"):
            return "en"
        if q.startswith("zh"):
            return "zh"
    best: tuple[float, str] | None = None
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        tag = tag.strip().lower()
        lang = "en" if tag.startswith("en") else "zh" if tag.startswith("zh") else None
        if lang and weight > 0 and (best is None or weight > best[0]):
            best = (weight - i * 1e-6, lang)
    return best[1] if best else "zh"


def beijing(when: int | datetime, lang: str) -> str:
    """``YYYY-MM-DD HH:MM`` in Beijing time, marked as such."""
    moment = datetime.fromtimestamp(when, UTC) if isinstance(when, int) else when
    text = moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    return f"{text}（北京时间）" if lang == "zh" else f"{text} (Beijing time)"


# --- the audit, in process ------------------------------------------------------------


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


class ChainUnreachable(Exception):
    """The chain (or this node's view of it) cannot be read now."""


@dataclass(frozen=True)
class Audited:
    """A label's evidence, the audit report and the time it was judged at."""

    evidence: LabelEvidence
    report: AuditReport
    at: datetime


def audit_now(node: Node, source: NodeAuditSource, label_id: str) -> Audited:
    """Collect the evidence of ``label_id`` and audit it now (never before the chain's latest
    block: label windows are in chain time). Raises :class:`ChainUnreachable` when the
    chain cannot be read."""
    deployment = node.deployment
    try:
        evidence = collect_label_evidence(
            label_id,
            node=source,
            participants=deployment.participants,
            labels=deployment.labels,
            anchors=deployment.anchors,
        )
    except (RegistryError, AnchorsError, OSError) as exc:
        raise ChainUnreachable(str(exc)) from exc
    except Exception as exc:  # web3/transport errors of the block read: chain unreadable
        raise ChainUnreachable(f"{type(exc).__name__}: {exc}") from exc
    # The chain's latest block time was read when collection started (no second call).
    at = later_of(node.now(), evidence.source.block_time)
    with remembering(_VERIFIED_PROOFS):
        report = audit_label(evidence, at)
    if evidence.label is None and evidence.label_error and "cannot read" in evidence.label_error:
        raise ChainUnreachable(evidence.label_error)
    if not report.ok and not _chain_answers(node):
        raise ChainUnreachable("the chain stopped answering during the audit")
    return Audited(evidence, report, at)


def _chain_answers(node: Node) -> bool:
    try:
        node.chain.block_timestamp()
    except Exception:  # any transport failure means: not now
        return False
    return True


def label_state(report: AuditReport) -> str:
    """One of ``valid``, ``superseded``, ``revoked``, ``suspended``, ``expired``,
    ``notyet``, ``invalid``, ``notfound``: what the page says at the top."""
    label = report.result(AuditCheck.LABEL)
    if label.status is CheckStatus.FAILED:
        if not report.label:
            return "notfound"
        if label.reason.startswith("revoked"):
            return "revoked"
        if label.reason.startswith("suspended"):
            return "suspended"
        if label.reason.startswith("expired"):
            return "expired"
        if label.reason.startswith("not valid before"):
            return "notyet"
        return "invalid"
    if report.failed is not None:
        return "invalid"
    if report.result(AuditCheck.SUPERSEDED).status is CheckStatus.WARNED:
        return "superseded"
    return "valid"


def cli_command(label_id: str, node_url: str) -> str:
    """The command that runs the same audit independently of this node's page."""
    return (
        f"tanji label verify {label_id} --node {node_url} "
        "--rpc <your chain endpoint> --deployment deployment.json"
    )


# --- rendering --------------------------------------------------------------------------


def _page(lang: str, title: str, body: str, *, path: str, script: str = "") -> str:
    t = _TEXT[lang]
    e = html.escape
    other = "en" if lang == "zh" else "zh"
    return (
        "<!doctype html>\n"
        f'<html lang="{t["lang"]}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body><main>"
        f'<header class="top"><a href="/?lang={lang}">{e(t["site"])}</a>'
        f'<a href="{e(path)}?lang={other}" hreflang="{_TEXT[other]["lang"]}" '
        f'lang="{_TEXT[other]["lang"]}">{e(t["switch"])}</a></header>'
        f"{body}</main>{script}</body></html>"
    )


def _state_box(state: str, lang: str, detail: str = "") -> str:
    t = _TEXT[lang]
    bg, fg, border = _STATE_COLOURS[state]
    e = html.escape
    return (
        f'<section class="state" id="state" data-state="{state}" role="status" '
        f'style="background:{bg};color:{fg};border-color:{border}">'
        f"<h1>{e(t[state])}</h1><p>{e(t[state + '.why'])}{e(detail)}</p></section>"
    )


def _grade(grade: str, lang: str) -> str:
    t = _TEXT[lang]
    if not grade:
        return t["gradeNone"]
    if "illustrative" in grade:
        return grade + t["illustrative"]
    return grade


def render_label_page(
    audited: Audited, *, lang: str, node_url: str, config: Mapping[str, Any]
) -> str:
    """The label page (HTML5; the browser check is the bundled ``label-page.js``)."""
    t = _TEXT[lang]
    e = html.escape
    report = audited.report
    label = audited.evidence.label
    assert label is not None  # the route answers 404 without one
    state = label_state(report)
    disclosed = report.disclosed
    detail = ""
    if state == "revoked":
        detail = label.revocation_reason or ""
    elif state == "suspended":
        at = int(audited.at.timestamp())
        detail = next((p.reason for p in reversed(label.suspensions) if p.covers(at)), "")
    elif state == "invalid" and report.failed is not None:
        failed = report.failed
        detail = f"{t['c.' + failed.check.step.value]} ({failed.check.step.value})"
    parts = [_state_box(state, lang, detail)]
    value, unit = label.value, label.unit
    unit_words = unit.replace("kgCO2e/", f"kgCO₂e {t['per']} ", 1) if lang == "zh" else unit
    if lang == "en":
        unit_words = unit.replace("kgCO2e/", "kgCO₂e per ", 1)
    parts.append(
        f'<h2>{e(t["title"])}</h2><p class="value {state}"><span class="num">{e(value)}</span>'
        f'<span class="unit">{e(unit_words)}</span></p>'
    )
    certifier = audited.evidence.certifier
    certifier_text = (
        certifier.org_id if certifier is not None and certifier.org_id else label.issuer
    )

    def claim(key: str) -> str:
        found = disclosed.get(NAME_POINTERS[key])
        return e(str(found)) if found is not None else f"<i>{e(t['notDisclosed'])}</i>"

    validity = f"{beijing(label.valid_from, lang)} {t['to']} {beijing(label.valid_until, lang)}"
    facts = [
        ("product", claim("product")),
        ("description", claim("description")),
        ("productId", f'<span class="id">{claim("productId")}</span>'),
        ("producer", claim("producer")),
        ("certifier", f'<span class="id">{e(certifier_text)}</span>'),
        ("labelNo", f'<span class="id">{e(report.label_id)}</span>'),
        *(
            [("certificateNo", f'<span class="id">{e(label.certificate_number)}</span>')]
            if label.certificate_number is not None
            else []
        ),
        ("standard", e(label.standard)),
        ("validity", e(validity)),
        ("grade", e(_grade(label.grade, lang))),
        ("status", f'<span data-state="{state}">{e(t[state])}</span>'),
    ]
    parts.append('<dl class="facts">')
    parts += [f"<dt>{e(t[k])}</dt><dd>{v}</dd>" for k, v in facts]
    parts.append("</dl>")
    # The audit, collapsed, in plain language; the browser marks what it re-checked.
    parts.append(
        f'<details id="audit"><summary>{e(t["audit"])} · {e(t["audit.hint"])}</summary>'
        f'<p class="browser-summary" id="browser-summary" aria-live="polite">'
        f'<noscript>{e(t["browser.noscript"])}</noscript></p><ol class="steps">'
    )
    for r in report.results:
        step = r.check.step.value
        status = r.status.value
        parts.append(
            f'<li data-step="{step}" data-status="{status}">{e(t["c." + step])}: '
            f'<span class="mark {status}">{e(t["mark." + status])}</span>'
            f'<span class="reason">{e(r.reason)}</span>'
            f'<span class="by" data-by="node">{e(t["browser.node"])}</span></li>'
        )
    parts.append(
        f"</ol><p>{e(t['checkedAt'])}: {e(beijing(audited.at, lang))}</p></details>"
        f'<details><summary>{e(t["yourself"])}</summary><div style="padding:0 .8rem">'
        f"<p>{e(t['yourself.text'])}</p>"
        f"<pre>{e(cli_command(report.label_id, node_url))}</pre>"
        f'<p><a href="/v1/labels/{e(report.label_id)}">{e(t["json"])}</a></p></div></details>'
    )
    words = {k: v for k, v in t.items() if k.startswith(("browser.", "mark."))}
    payload = {**config, "state": state, "at": int(audited.at.timestamp()), "words": words}
    data = json.dumps(payload, ensure_ascii=True).replace("</", "<\\/")
    evidence = json.dumps(audited.evidence.to_dict(), ensure_ascii=True).replace("</", "<\\/")
    script = (
        f'<script type="application/json" id="tanji-page">{data}</script>'
        f'<script type="application/json" id="tanji-evidence">{evidence}</script>'
        '<script type="module" src="/static/verify/label-page.js"></script>'
    )
    title = f"{t['title']} {value} {unit} · {t[state]}"
    return _page(lang, title, "".join(parts), path=f"/labels/{report.label_id}", script=script)


def render_message(state: str, lang: str, *, path: str, detail: str = "") -> str:
    """A page with the state box only: unknown, malformed, or uncheckable right now."""
    t = _TEXT[lang]
    return _page(lang, t[state], _state_box(state, lang, detail), path=path)


def render_home(node: Node, lang: str) -> str:
    """``/``: what this node is, and a form to look a label up by number."""
    t = _TEXT[lang]
    e = html.escape
    info = node.info()
    body = (
        f"<h1>{e(t['home'])}</h1><p>{e(t['home.what'])}</p>"
        f"<h2>{e(t['home.lookup'])}</h2>"
        f'<form class="lookup" action="/labels" method="get">'
        f'<input type="hidden" name="lang" value="{lang}">'
        f'<label for="label-id" style="flex-basis:100%">{e(t["home.labelId"])}</label>'
        f'<input id="label-id" name="id" required pattern="0x[0-9a-fA-F]{{64}}" '
        f'placeholder="0x…" autocomplete="off" spellcheck="false">'
        f'<button type="submit">{e(t["home.submit"])}</button></form>'
        f'<dl class="facts" style="margin-top:1.5rem"><dt>{e(t["home.chain"])}</dt>'
        f"<dd>{e(str(info['chainId']))}</dd><dt>{e(t['home.log'])}</dt>"
        f'<dd class="id">{e(str(info["origin"]))}</dd></dl>'
        f'<footer><a href="/docs">{e(t["home.api"])}</a> · <a href="/redoc">ReDoc</a></footer>'
    )
    return _page(lang, t["home"], body, path="/")


# --- API reference with local assets -----------------------------------------------------


def _docs_assets() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


_REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
_DOCS_FILES = {"swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png"}


def _install_docs(app: FastAPI) -> None:
    """``/docs`` (Swagger UI) and ``/redoc`` from the pinned ``fastapi-offline`` package's
    files, served at ``/static/docs/``: no CDN, so they work offline."""
    from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html

    taken = {"/docs", "/redoc", "/docs/oauth2-redirect"}
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) not in taken]
    app.docs_url = app.redoc_url = None
    assets = _docs_assets()
    title = f"{app.title} API"

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=title,
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=title,
            redoc_js_url="/static/docs/redoc.standalone.js",
            redoc_favicon_url="/static/docs/favicon.png",
            with_google_fonts=False,
        )

    cache = {"Cache-Control": "public, max-age=86400"}
    redoc_js: list[bytes] = []

    @app.get("/static/docs/{name}", include_in_schema=False)
    def docs_asset(name: str) -> Response:
        if name not in _DOCS_FILES:
            return Response("not found", status_code=404, media_type="text/plain")
        if name == "redoc.standalone.js":
            # ReDoc's "powered by" logo is the one file it loads from a CDN: drawn from
            # this node instead, so the page makes no request elsewhere.
            if not redoc_js:
                text = (assets / name).read_bytes()
                redoc_js.append(text.replace(_REDOC_LOGO, b"/static/docs/favicon.png"))
            return Response(redoc_js[0], media_type="text/javascript", headers=cache)
        return FileResponse(assets / name, headers=cache)


# --- routes -------------------------------------------------------------------------------


def _public_rpc(node: Node) -> str | None:
    url = node.settings.public_chain_url or node.settings.chain_url
    return url if url.startswith(("http://", "https://")) else None


def install_page_routes(app: FastAPI, node: Node) -> None:
    """Add the pages: ``/``, ``/labels/{label_id}`` (the QR code's target), ``/labels?id=``
    (the home page's form), ``/docs``, ``/redoc`` and their static files."""
    source = NodeAuditSource(node, LabelDisclosures(node.engine, node.deployment.labels))
    node_url = node.settings.public_url or "http://<node>"
    no_store = {"Cache-Control": "no-store", "Vary": "Accept-Language"}
    _install_docs(app)

    def lang_of(request: Request) -> str:
        return choose_language(
            request.query_params.get("lang"), request.headers.get("accept-language")
        )

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        """What this node is; look a label up by number."""
        return HTMLResponse(render_home(node, lang_of(request)), headers=no_store)

    @app.get("/labels", include_in_schema=False)
    def lookup(request: Request, id: str = "") -> Response:
        lang = lang_of(request)
        wanted = id.strip()
        if not _LABEL_ID.fullmatch(wanted):
            page = render_message("badid", lang, path="/labels")
            return HTMLResponse(page, status_code=400, headers=no_store)
        return Response(
            status_code=303, headers={"Location": f"/labels/{wanted.lower()}?lang={lang}"}
        )

    @app.get("/labels/{label_id}", tags=["labels"], response_class=HTMLResponse)
    def label_page(label_id: str, request: Request) -> HTMLResponse:
        """The page a label's QR code opens: what the label says, its state, the audit."""
        lang = lang_of(request)
        path = f"/labels/{label_id}"
        label_id = label_id.lower()
        if not _LABEL_ID.fullmatch(label_id):
            return HTMLResponse(
                render_message("badid", lang, path=path), status_code=400, headers=no_store
            )
        try:
            audited = audit_now(node, source, label_id)
        except ChainUnreachable:
            page = render_message("unavailable", lang, path=path)
            return HTMLResponse(page, status_code=503, headers={**no_store, "Retry-After": "60"})
        if not audited.report.label:
            page = render_message("notfound", lang, path=path)
            return HTMLResponse(page, status_code=404, headers=no_store)
        deployment = node.deployment
        config = {
            "labelId": label_id,
            "rpcUrl": _public_rpc(node),
            "chainId": deployment.chain_id,
            "labelRegistry": deployment.label_registry,
        }
        page = render_label_page(audited, lang=lang, node_url=node_url, config=config)
        return HTMLResponse(page, headers=no_store)

    @app.get("/static/verify/{name}", include_in_schema=False)
    def verifier_asset(name: str) -> Response:
        """The bundled browser verifier (``make web``): hostable anywhere as static files."""
        path = WEB_DIST / name
        if name not in _VERIFY_FILES or not path.is_file():
            return Response("not found", status_code=404, media_type="text/plain")
        return FileResponse(
            path,
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=300"},
        )
