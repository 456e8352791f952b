"""The console's HTML: one page frame (the node's label-page CSS and Beijing time), the
login form, the supplier's and the leader's pages, in Chinese and English (the
certifier's page is in ``_certpages``; every word of the console is in :data:`TEXT`). Pure
functions from values to strings; the routes gather the values."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from node import PAGE_CSS as _BASE_CSS
from node import beijing

_e = html.escape

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "lang": "zh-CN",
        "site": "碳迹 · 企业控制台",
        "switch": "English",
        "login": "登录",
        "name": "用户名",
        "password": "密码",
        "bad_login": "用户名或密码不正确。",
        "logout": "退出",
        "signed_in": "已登录：",
        "supplier": "供应商",
        "leader": "采购方",
        "incoming": "收到的请求",
        "none": "暂无。",
        "from": "请求方",
        "products": "产品",
        "received": "收到时间",
        "state": "状态",
        "open": "待处理",
        "fulfilled": "已提供",
        "rejected": "已拒绝",
        "fulfil": "提供足迹",
        "matching": "按请求条件匹配的足迹",
        "reject": "拒绝",
        "reason": "拒绝理由",
        "published": "已发布的足迹",
        "readers": "可读取方",
        "nobody": "无",
        "pending": "待登记",
        "logged": "已登记",
        "sent": "发出的请求",
        "supplier_org": "供应商",
        "updated": "更新时间",
        "breakdown": "收到的供应商足迹（汇总的组成部分）",
        "breakdown_alt": "各组件的碳足迹柱状图，单位 kg CO₂e／声明单位",
        "attested": "已证实（碳迹签名证明）",
        "unattested": "未证实（经 PACT 获取）",
        "own": "自身活动（排放因子）",
        "rollups": "汇总结果（按物料清单）",
        "rollup_alt": "汇总的各行排放柱状图，单位 kg CO₂e",
        "total": "产品碳足迹",
        "labels": "已获得的碳标识",
        "label": "标识号",
        "value": "数值",
        "valid_until": "有效期至",
        "done_fulfilled": "已提供，网关正在发送答复。",
        "done_rejected": "已拒绝，网关正在发送答复。",
        "csrf": "表单已过期，请重新加载页面后再试。",
        "forbidden": "您的账户无权查看此页面。",
        "not_found": "没有这个页面。",
        "error": "无法完成：",
        "role": "角色",
        "certifier": "认证机构",
        "pending_certs": "待认证的汇总",
        "pending_hint": "采购方发布汇总时授权本机构读取、且本机构尚未为其签发碳标识的证明。",
        "attestation": "证明",
        "applicant": "采购方",
        "granted": "授权时间",
        "run_checks": "运行检查",
        "checks_title": "认证检查",
        "product": "产品",
        "steps": "检查步骤",
        "passed": "通过",
        "failed": "未通过",
        "not run": "未运行",
        "not applicable": "不适用",
        "checks_passed": "全部检查通过，可以签发碳标识。",
        "failed_at": "检查未通过，失败步骤 {step}：{reason}",
        "unreadable": "无法读取该证明：{reason}",
        "claimed": "声明值",
        "recomputed": "重算值",
        "factor_set": "排放因子集",
        "upstream": "经核验的上游供应商数值",
        "unverified": "未经证实的行（无证明：次级数据，初级数据占比 0 %）",
        "data_quality": "源头数据质量",
        "issue": "签发碳标识",
        "grade": "等级（可不填）",
        "standard": "标准",
        "issued_labels": "已签发的碳标识",
        "valid_from": "有效期自",
        "active": "有效",
        "suspended": "已暂停",
        "revoked": "已撤销",
        "expired": "已过期",
        "not_yet_valid": "尚未生效",
        "unknown": "链上无此标识",
        "suspend": "暂停",
        "restore": "恢复",
        "revoke": "撤销",
        "why": "理由",
        "reason_needed": "请填写理由：暂停、恢复和撤销都会连同理由记录在链上。",
        "public_page": "公开页面",
        "done_issued": "已签发碳标识 {label}。",
        "done_suspended": "已暂停碳标识 {label}。",
        "done_restored": "已恢复碳标识 {label}。",
        "done_revoked": "已撤销碳标识 {label}。",
        "unavailable": "认证功能暂时无法使用：",
        "back": "返回认证机构页面",
    },
    "en": {
        "lang": "en",
        "site": "Tanji · organisation console",
        "switch": "中文",
        "login": "Sign in",
        "name": "User name",
        "password": "Password",
        "bad_login": "Wrong user name or password.",
        "logout": "Sign out",
        "signed_in": "Signed in as ",
        "supplier": "Supplier",
        "leader": "Leader",
        "incoming": "Incoming requests",
        "none": "None yet.",
        "from": "From",
        "products": "Products",
        "received": "Received",
        "state": "State",
        "open": "open",
        "fulfilled": "fulfilled",
        "rejected": "rejected",
        "fulfil": "Fulfil",
        "matching": "footprints matching the request",
        "reject": "Reject",
        "reason": "Reason for rejecting",
        "published": "Published footprints",
        "readers": "Who may read",
        "nobody": "nobody",
        "pending": "pending",
        "logged": "logged",
        "sent": "Requests sent",
        "supplier_org": "Supplier",
        "updated": "Updated",
        "breakdown": "Supplier footprints received (the roll-up's parts)",
        "breakdown_alt": "Bar chart of each component's footprint, kg CO₂e per declared unit",
        "attested": "attested (Tanji signed attestation)",
        "unattested": "not attested (pulled over PACT)",
        "own": "own activity (emission factor)",
        "rollups": "Roll-ups (by bill of materials)",
        "rollup_alt": "Bar chart of each roll-up line's emissions, kg CO₂e",
        "total": "Product footprint",
        "labels": "Carbon labels obtained",
        "label": "Label",
        "value": "Value",
        "valid_until": "Valid until",
        "done_fulfilled": "Fulfilled; the gateway is sending the answer.",
        "done_rejected": "Rejected; the gateway is sending the answer.",
        "csrf": "The form has expired; reload the page and try again.",
        "forbidden": "Your account may not see this page.",
        "not_found": "No such page.",
        "error": "Could not do it: ",
        "role": "Role",
        "certifier": "Certifier",
        "pending_certs": "Pending certifications",
        "pending_hint": "Attestations a leader granted to this organisation when publishing its "
        "roll-up, for which it has issued no label yet.",
        "attestation": "Attestation",
        "applicant": "Leader",
        "granted": "Granted",
        "run_checks": "Run the checks",
        "checks_title": "Certification checks",
        "product": "Product",
        "steps": "Steps",
        "passed": "passed",
        "failed": "failed",
        "not run": "not run",
        "not applicable": "not applicable",
        "checks_passed": "Every check passed: the label may be issued.",
        "failed_at": "The checks failed at step {step}: {reason}",
        "unreadable": "The attestation could not be read: {reason}",
        "claimed": "Claimed",
        "recomputed": "Recomputed",
        "factor_set": "Factor set",
        "upstream": "Upstream supplier values verified",
        "unverified": "Unverified lines (no attestation: secondary data, primary share 0 %)",
        "data_quality": "Data quality at the source",
        "issue": "Issue label",
        "grade": "Grade (optional)",
        "standard": "Standard",
        "issued_labels": "Issued labels",
        "valid_from": "Valid from",
        "active": "active",
        "suspended": "suspended",
        "revoked": "revoked",
        "expired": "expired",
        "not_yet_valid": "not yet valid",
        "unknown": "not on chain",
        "suspend": "Suspend",
        "restore": "Restore",
        "revoke": "Revoke",
        "why": "Reason",
        "reason_needed": "Give a reason: suspensions, restorations and revocations are recorded "
        "on chain with their reason.",
        "public_page": "Public page",
        "done_issued": "Label {label} issued.",
        "done_suspended": "Label {label} suspended.",
        "done_restored": "Label {label} restored.",
        "done_revoked": "Label {label} revoked.",
        "unavailable": "The certifier cannot act now: ",
        "back": "Back to the certifier's page",
    },
}

_CSS = (
    _BASE_CSS
    + """
nav.console{display:flex;flex-wrap:wrap;gap:.4rem 1rem;margin:.6rem 0;font-size:.95rem}
nav.console a{color:#0b57d0}
nav.console form{margin:0}
button{font:inherit;padding:.45rem .9rem;border:0;border-radius:.3rem;background:#0f5a23;
color:#fff;cursor:pointer}
button.secondary{background:#8a0016}
button.link{background:none;color:#0b57d0;padding:0;text-decoration:underline}
form.stack{display:grid;gap:.5rem;max-width:24rem}
form.stack input{font:inherit;padding:.5rem;border:1px solid #777;border-radius:.3rem;
min-width:0}
.card{background:#fff;border:1px solid #ccc;border-radius:.5rem;padding:.7rem .9rem;
margin:.6rem 0;overflow-wrap:anywhere}
.card h3{margin:0 0 .3rem;font-size:1rem}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.5rem;align-items:end}
.actions form{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;flex:1 1 14rem;
min-width:0}
.actions select,.actions input{font:inherit;padding:.4rem;border:1px solid #777;
border-radius:.3rem;min-width:0;flex:1 1 10rem;max-width:100%}
.notice{padding:.5rem .8rem;border-radius:.4rem;background:#e7f5ea;color:#0f5a23}
.problem{padding:.5rem .8rem;border-radius:.4rem;background:#fde8ea;color:#8a0016}
.tag{display:inline-block;padding:0 .4rem;border-radius:.3rem;font-size:.85rem}
.tag.open{background:#fff4dd;color:#6b4200}
.tag.fulfilled{background:#e7f5ea;color:#0f5a23}
.tag.rejected,.tag.failed,.tag.revoked{background:#fde8ea;color:#8a0016}
.tag.passed,.tag.active{background:#e7f5ea;color:#0f5a23}
.tag.suspended{background:#fff4dd;color:#6b4200}
.tag.not-run,.tag.not-applicable,.tag.expired,.tag.not_yet_valid,.tag.unknown{
background:#eceff1;color:#37474f}
svg.chart{width:100%;height:auto;display:block}
ul.legend{list-style:none;padding:0;margin:.3rem 0;font-size:.9rem}
.sw{display:inline-block;width:.9rem;height:.9rem;vertical-align:middle;margin-right:.3rem;
border-radius:.15rem}
"""
)

ATTESTED = "#1d7a35"
UNATTESTED = "#b87800"
OWN = "#3a5db0"


def page(
    lang: str,
    title: str,
    body: str,
    *,
    path: str,
    user: str | None = None,
    role: str | None = None,
    csrf: str | None = None,
) -> str:
    """A whole console page: ``lang`` on ``<html>``, the language switch, the navigation
    and the sign-out form when someone is signed in."""
    t = TEXT[lang]
    other = "en" if lang == "zh" else "zh"
    nav = ""
    if user is not None and csrf is not None:
        links = [
            f'<a href="/console/{p}?lang={lang}">{_e(t[p])}</a>' for p in pages_for(role or "")
        ]
        nav = (
            '<nav class="console" aria-label="console">'
            + "".join(links)
            + f"<span>{_e(t['signed_in'])}{_e(user)} ({_e(role or '')})</span>"
            + f'<form method="post" action="/console/logout?lang={lang}">'
            + f'<input type="hidden" name="csrf" value="{_e(csrf)}">'
            + f'<button class="link" type="submit">{_e(t["logout"])}</button></form></nav>'
        )
    return (
        "<!doctype html>\n"
        f'<html lang="{t["lang"]}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{_e(title)} · {_e(t['site'])}</title><style>{_CSS}</style></head><body><main>"
        f'<header class="top"><span>{_e(t["site"])}</span>'
        f'<a href="{_e(path)}?lang={other}" hreflang="{TEXT[other]["lang"]}" '
        f'lang="{TEXT[other]["lang"]}">{_e(t["switch"])}</a></header>'
        f"{nav}<h1>{_e(title)}</h1>{body}</main></body></html>"
    )


def pages_for(role: str) -> tuple[str, ...]:
    """The pages an account of ``role`` may open."""
    return {
        "supplier": ("supplier",),
        "leader": ("leader",),
        "certifier": ("certifier",),
        "admin": ("supplier", "leader", "certifier"),
    }.get(role, ())


def login_page(lang: str, csrf: str, problem: str | None = None) -> str:
    """The sign-in form (its own CSRF token)."""
    t = TEXT[lang]
    warn = f'<p class="problem" role="alert">{_e(problem)}</p>' if problem else ""
    body = (
        f'{warn}<form class="stack" method="post" action="/console/login?lang={lang}">'
        f'<input type="hidden" name="csrf" value="{_e(csrf)}">'
        f'<label for="name">{_e(t["name"])}</label>'
        '<input id="name" name="name" autocomplete="username" required>'
        f'<label for="password">{_e(t["password"])}</label>'
        '<input id="password" name="password" type="password" '
        'autocomplete="current-password" required>'
        f'<button type="submit">{_e(t["login"])}</button></form>'
    )
    return page(lang, t["login"], body, path="/console/login")


def message_page(lang: str, title: str, text: str) -> str:
    """A page that only says something (errors)."""
    body = f'<p class="problem" role="alert">{_e(text)}</p><p><a href="/console/?lang={lang}">'
    body += f"{_e(TEXT[lang]['site'])}</a></p>"
    return page(lang, title, body, path="/console/")


def _tag(state: str, lang: str) -> str:
    return f'<span class="tag {_e(state)}">{_e(TEXT[lang].get(state, state))}</span>'


def _hidden(csrf: str) -> str:
    return f'<input type="hidden" name="csrf" value="{_e(csrf)}">'


@dataclass(frozen=True)
class Incoming:
    """An incoming request as the supplier page shows it."""

    request_id: str
    org_id: str
    products: tuple[str, ...]
    received_at: Any
    state: str
    detail: str


@dataclass(frozen=True)
class Publication:
    """A published footprint and who may read it."""

    attestation_id: str
    product_id: str
    state: str
    readers: tuple[str, ...]


def supplier_body(
    lang: str,
    csrf: str,
    incoming: Sequence[Incoming],
    published: Sequence[Publication],
    notice: str | None = None,
    problem: str | None = None,
) -> str:
    """Incoming requests (with fulfil and reject forms while open) and publications."""
    t = TEXT[lang]
    out = []
    if notice:
        out.append(f'<p class="notice" role="status">{_e(notice)}</p>')
    if problem:
        out.append(f'<p class="problem" role="alert">{_e(t["error"] + problem)}</p>')
    out.append(f"<h2>{_e(t['incoming'])}</h2>")
    if not incoming:
        out.append(f"<p>{_e(t['none'])}</p>")
    logged = [p for p in published if p.state == "logged"]
    for r in incoming:
        rid = _e(r.request_id)
        out.append(
            f'<section class="card" aria-label="{rid}"><h3 class="id">{rid}</h3>'
            '<dl class="facts">'
            f'<dt>{_e(t["from"])}</dt><dd class="id">{_e(r.org_id)}</dd>'
            f'<dt>{_e(t["products"])}</dt><dd class="id">{_e(", ".join(r.products))}</dd>'
            f"<dt>{_e(t['received'])}</dt><dd>{_e(beijing(r.received_at, lang))}</dd>"
            f"<dt>{_e(t['state'])}</dt><dd>{_tag(r.state, lang)} {_e(r.detail)}</dd></dl>"
        )
        if r.state == "open":
            options = f'<option value="">{_e(t["matching"])}</option>' + "".join(
                f'<option value="{_e(p.attestation_id)}">{_e(p.product_id)} · '
                f"{_e(p.attestation_id[:14])}…</option>"
                for p in logged
            )
            out.append(
                '<div class="actions">'
                f'<form method="post" action="/console/supplier/requests/{rid}/fulfil?lang={lang}">'
                f"{_hidden(csrf)}"
                f'<select name="attestation" aria-label="{_e(t["fulfil"])}">{options}</select>'
                f'<button type="submit">{_e(t["fulfil"])}</button></form>'
                f'<form method="post" action="/console/supplier/requests/{rid}/reject?lang={lang}">'
                f"{_hidden(csrf)}"
                f'<input name="reason" required aria-label="{_e(t["reason"])}" '
                f'placeholder="{_e(t["reason"])}">'
                f'<button class="secondary" type="submit">{_e(t["reject"])}</button></form></div>'
            )
        out.append("</section>")
    out.append(f"<h2>{_e(t['published'])}</h2>")
    if not published:
        out.append(f"<p>{_e(t['none'])}</p>")
    for p in published:
        readers = ", ".join(p.readers) or t["nobody"]
        out.append(
            f'<section class="card"><h3 class="id">{_e(p.product_id)}</h3><dl class="facts">'
            f'<dt>ID</dt><dd class="id">{_e(p.attestation_id)}</dd>'
            f"<dt>{_e(t['state'])}</dt><dd>{_e(t.get(p.state, p.state))}</dd>"
            f'<dt>{_e(t["readers"])}</dt><dd class="id">{_e(readers)}</dd></dl></section>'
        )
    return "".join(out)


@dataclass(frozen=True)
class Sent:
    """A request this organisation sent."""

    request_id: str
    supplier: str
    products: tuple[str, ...]
    state: str
    updated_at: Any
    detail: str


@dataclass(frozen=True)
class Part:
    """One supplier footprint received: a line of the roll-up's breakdown."""

    product_id: str
    issuer: str
    value: Decimal
    unit: str
    attested: bool
    source: str


@dataclass(frozen=True)
class Label:
    """A carbon label this organisation holds."""

    label_id: str
    product_id: str
    value: str
    unit: str
    valid_until: Any
    revoked: bool


def footprint_value(doc: dict[str, Any]) -> tuple[Decimal, str] | None:
    """``(pcfExcludingBiogenicUptake, declared unit)`` of a PACT footprint document (v3
    or v2 spelling), or None when it has none."""
    pcf = doc.get("pcf")
    if not isinstance(pcf, dict):
        return None
    raw = pcf.get("pcfExcludingBiogenicUptake", pcf.get("pCfExcludingBiogenic"))
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None
    unit = str(pcf.get("declaredUnitOfMeasurement", pcf.get("declaredUnit", "")))
    return value, unit


@dataclass(frozen=True)
class Bar:
    """One bar of a breakdown chart: ``lineage`` is attested, unattested or own."""

    name: str
    value: Decimal
    lineage: str
    title: str


@dataclass(frozen=True)
class RollupView:
    """A roll-up this organisation published, recomputed from its inventory by
    :func:`sdk.footprint.roll_up`: its product, total per declared unit, and lines."""

    product_id: str
    attestation_id: str
    pcf: Decimal
    declared_unit: str
    bars: tuple[Bar, ...]


_COLOURS = {"attested": ATTESTED, "unattested": UNATTESTED, "own": OWN}


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def chart(lang: str, bars: Sequence[Bar], label: str) -> str:
    """An inline SVG bar chart, one bar per line, coloured by lineage, with a legend;
    scales to the width it is given (viewBox), so it fits a phone."""
    t = TEXT[lang]
    width, bar, gap, label_h = 320, 18, 10, 16
    top = max((b.value for b in bars), default=Decimal(1)) or Decimal(1)
    rows = []
    y = 0
    for b in bars:
        w = max(2, int(Decimal(width - 70) * b.value / top))
        lineage = t[b.lineage]
        rows.append(
            f'<text x="0" y="{y + 12}" font-size="12" fill="#1b1b1b">{_e(b.name)} · '
            f"{_e(lineage)}</text>"
            f'<rect x="0" y="{y + label_h}" width="{w}" height="{bar}" '
            f'fill="{_COLOURS[b.lineage]}"><title>{_e(b.title)} ({_e(lineage)})</title></rect>'
            f'<text x="{w + 4}" y="{y + label_h + 13}" font-size="12" fill="#1b1b1b">'
            f"{_plain(b.value)}</text>"
        )
        y += label_h + bar + gap
    used = dict.fromkeys(b.lineage for b in bars)
    legend = "".join(
        f'<li><span class="sw" style="background:{_COLOURS[k]}" aria-hidden="true"></span>'
        f"{_e(t[k])}</li>"
        for k in used
    )
    return (
        f'<svg class="chart" role="img" aria-label="{_e(label)}" '
        f'viewBox="0 0 {width} {max(y, 1)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{_e(label)}</title>{''.join(rows)}</svg>"
        f'<ul class="legend">{legend}</ul>'
    )


def _rollup(lang: str, r: RollupView) -> str:
    t = TEXT[lang]
    return (
        f'<section class="card"><h3 class="id">{_e(r.product_id)}</h3><dl class="facts">'
        f"<dt>{_e(t['total'])}</dt><dd>{r.pcf} kg CO₂e / {_e(r.declared_unit)}</dd>"
        f'<dt>ID</dt><dd class="id">{_e(r.attestation_id)}</dd></dl>'
        + chart(lang, r.bars, t["rollup_alt"])
        + "</section>"
    )


def leader_body(
    lang: str,
    sent: Sequence[Sent],
    rollups: Sequence[RollupView],
    parts: Sequence[Part],
    labels: Sequence[Label],
) -> str:
    """Requests sent and their state; the received parts as a chart and a table of
    lineage; the labels held."""
    t = TEXT[lang]
    out = [f"<h2>{_e(t['sent'])}</h2>"]
    if not sent:
        out.append(f"<p>{_e(t['none'])}</p>")
    for r in sent:
        out.append(
            f'<section class="card"><h3 class="id">{_e(r.request_id)}</h3><dl class="facts">'
            f'<dt>{_e(t["supplier_org"])}</dt><dd class="id">{_e(r.supplier)}</dd>'
            f'<dt>{_e(t["products"])}</dt><dd class="id">{_e(", ".join(r.products))}</dd>'
            f"<dt>{_e(t['state'])}</dt><dd>{_tag(r.state, lang)} {_e(r.detail)}</dd>"
            f"<dt>{_e(t['updated'])}</dt><dd>{_e(beijing(r.updated_at, lang))}</dd>"
            "</dl></section>"
        )
    out.append(f"<h2>{_e(t['rollups'])}</h2>")
    if not rollups:
        out.append(f"<p>{_e(t['none'])}</p>")
    out.extend(_rollup(lang, r) for r in rollups)
    out.append(f"<h2>{_e(t['breakdown'])}</h2>")
    if not parts:
        out.append(f"<p>{_e(t['none'])}</p>")
    else:
        bars = [
            Bar(
                p.product_id.rsplit(":", 1)[-1],
                p.value,
                "attested" if p.attested else "unattested",
                f"{p.product_id}: {p.value} kg CO2e/{p.unit}",
            )
            for p in parts
        ]
        out.append(chart(lang, bars, t["breakdown_alt"]))
        for p in parts:
            lineage = t["attested"] if p.attested else t["unattested"]
            out.append(
                f'<section class="card"><h3 class="id">{_e(p.product_id)}</h3>'
                '<dl class="facts">'
                f"<dt>{_e(t['value'])}</dt><dd>{p.value} kg CO₂e / {_e(p.unit)}</dd>"
                f'<dt>{_e(t["supplier_org"])}</dt><dd class="id">{_e(p.issuer)}</dd>'
                f"<dt>{_e(t['state'])}</dt><dd>{_e(lineage)}</dd>"
                f'<dt>URL</dt><dd class="id">{_e(p.source)}</dd></dl></section>'
            )
    out.append(f"<h2>{_e(t['labels'])}</h2>")
    if not labels:
        out.append(f"<p>{_e(t['none'])}</p>")
    for lab in labels:
        out.append(
            f'<section class="card"><h3 class="id">{_e(lab.product_id)}</h3><dl class="facts">'
            f'<dt>{_e(t["label"])}</dt><dd class="id">{_e(lab.label_id)}</dd>'
            f"<dt>{_e(t['value'])}</dt><dd>{_e(lab.value)} {_e(lab.unit)}</dd>"
            f"<dt>{_e(t['valid_until'])}</dt><dd>{_e(beijing(lab.valid_until, lang))}</dd>"
            f"<dt>{_e(t['state'])}</dt><dd>{'✗' if lab.revoked else '✓'}</dd></dl></section>"
        )
    return "".join(out)
