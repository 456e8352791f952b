"""The certifier's page of the console: pending certifications, the result of the checks
of one of them (with the form that issues the label), and the labels issued with their
state on chain and the forms that suspend, restore and revoke them. Pure functions from
values to strings, in the frame and words of :mod:`gateway.console._pages`."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from gateway.console._pages import TEXT
from node import beijing
from sdk.roles import DEFAULT_STANDARD, CheckStep
from sdk.wallet import LabelRecord

_e = html.escape


@dataclass(frozen=True)
class Pending:
    """An attestation a leader granted to this organisation that it has not labelled."""

    attestation_id: str
    leader: str
    granted_at: datetime


@dataclass(frozen=True)
class Upstream:
    """One supplier value the leader used, verified against its anchored attestation."""

    supplier: str
    product_id: str
    value: str
    unit: str
    attestation_id: str


@dataclass(frozen=True)
class CheckView:
    """The outcome of the checks of one attestation: every listed step with its status,
    and either the failed step and reason or the checked values."""

    attestation_id: str
    steps: tuple[tuple[CheckStep, str], ...]
    failed_step: str | None = None
    reason: str | None = None
    leader: str = ""
    product_id: str = ""
    claimed: str = ""
    recomputed: str = ""
    unit: str = ""
    factor_set: str = ""
    upstream: tuple[Upstream, ...] = ()
    unverified: tuple[str, ...] = ()
    quality: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether every check passed."""
        return self.failed_step is None and self.reason is None


@dataclass(frozen=True)
class IssuedLabel:
    """A label this organisation issued (its wallet record), with its state read from the
    chain: ``state`` is active, suspended, revoked, expired, not_yet_valid or unknown (not
    on chain); ``reason`` the current suspension's or the revocation's."""

    record: LabelRecord
    state: str
    reason: str | None


def _tag(status: str, lang: str) -> str:
    css = status.replace(" ", "-")
    return f'<span class="tag {_e(css)}">{_e(TEXT[lang].get(status, status))}</span>'


def _hidden(csrf: str) -> str:
    return f'<input type="hidden" name="csrf" value="{_e(csrf)}">'


def _messages(lang: str, notice: str | None, problem: str | None) -> str:
    out = ""
    if notice:
        out += f'<p class="notice" role="status">{_e(notice)}</p>'
    if problem:
        out += f'<p class="problem" role="alert">{_e(problem)}</p>'
    return out


def certifier_body(
    lang: str,
    csrf: str,
    pending: Sequence[Pending],
    labels: Sequence[IssuedLabel],
    notice: str | None = None,
    problem: str | None = None,
) -> str:
    """Pending certifications (each with a form that runs the checks) and the labels
    issued (each with its state and the status-change forms its state allows)."""
    t = TEXT[lang]
    out = [_messages(lang, notice, problem), f"<h2>{_e(t['pending_certs'])}</h2>"]
    out.append(f"<p>{_e(t['pending_hint'])}</p>")
    if not pending:
        out.append(f"<p>{_e(t['none'])}</p>")
    for p in pending:
        aid = _e(p.attestation_id)
        out.append(
            f'<section class="card" aria-label="{aid}"><h3 class="id">{aid}</h3>'
            '<dl class="facts">'
            f'<dt>{_e(t["applicant"])}</dt><dd class="id">{_e(p.leader)}</dd>'
            f"<dt>{_e(t['granted'])}</dt><dd>{_e(beijing(p.granted_at, lang))}</dd></dl>"
            f'<div class="actions"><form method="get" action="/console/certifier/checks/{aid}">'
            f'<input type="hidden" name="lang" value="{lang}">'
            f'<button type="submit">{_e(t["run_checks"])}</button></form></div></section>'
        )
    out.append(f"<h2>{_e(t['issued_labels'])}</h2>")
    if not labels:
        out.append(f"<p>{_e(t['none'])}</p>")
    out.extend(_label_card(lang, csrf, lab) for lab in labels)
    return "".join(out)


def _label_card(lang: str, csrf: str, lab: IssuedLabel) -> str:
    rec = lab.record
    t = TEXT[lang]
    lid = _e(rec.label_id)
    why = f" {_e(lab.reason)}" if lab.reason else ""
    grade = f" · {_e(rec.grade)}" if rec.grade else ""
    out = (
        f'<section class="card" aria-label="{lid}"><h3 class="id">{_e(rec.product_id)}</h3>'
        '<dl class="facts">'
        f'<dt>{_e(t["label"])}</dt><dd class="id">{lid}</dd>'
        f"<dt>{_e(t['value'])}</dt><dd>{_e(rec.value)} {_e(rec.unit)}{grade}</dd>"
        f"<dt>{_e(t['standard'])}</dt><dd>{_e(rec.standard)}</dd>"
        f"<dt>{_e(t['valid_from'])}</dt><dd>{_e(beijing(rec.valid_from, lang))}</dd>"
        f"<dt>{_e(t['valid_until'])}</dt><dd>{_e(beijing(rec.valid_until, lang))}</dd>"
        f"<dt>{_e(t['state'])}</dt><dd>{_tag(lab.state, lang)}{why}</dd>"
        f'<dt>{_e(t["attestation"])}</dt><dd class="id">{_e(rec.attestation_id)}</dd>'
        f'<dt>{_e(t["public_page"])}</dt><dd class="id"><a href="{_e(rec.url)}">'
        f"{_e(rec.url)}</a></dd></dl>"
    )
    actions = {
        "active": ("suspend", "revoke"),
        "suspended": ("restore", "revoke"),
        "expired": ("revoke",),
        "not_yet_valid": ("suspend", "revoke"),
    }.get(lab.state, ())
    if actions:
        out += '<div class="actions">'
        for action in actions:
            style = ' class="secondary"' if action == "revoke" else ""
            out += (
                f'<form method="post" action="/console/certifier/labels/{lid}/{action}'
                f'?lang={lang}">{_hidden(csrf)}'
                f'<input name="reason" required maxlength="256" '
                f'aria-label="{_e(t[action])}: {_e(t["why"])}" placeholder="{_e(t["why"])}">'
                f'<button{style} type="submit">{_e(t[action])}</button></form>'
            )
        out += "</div>"
    return out + "</section>"


def check_body(lang: str, csrf: str, view: CheckView) -> str:
    """The checks of one attestation: every step with its status; when one failed, the
    step and the reason in plain words; when all passed, the claimed and recomputed
    value, the verified upstream values, unverified lines, data quality and the form
    that issues the label."""
    t = TEXT[lang]
    aid = _e(view.attestation_id)
    if view.passed:
        out = [f'<p class="notice" role="status">{_e(t["checks_passed"])}</p>']
    elif view.failed_step is None:
        out = [
            f'<p class="problem" role="alert">'
            f"{_e(t['unreadable'].format(reason=view.reason or ''))}</p>"
        ]
    else:
        text = t["failed_at"].format(step=view.failed_step, reason=view.reason or "")
        out = [f'<p class="problem" role="alert" data-failed-step="{_e(view.failed_step)}">']
        out.append(f"{_e(text)}</p>")
    out.append(f'<dl class="facts"><dt>{_e(t["attestation"])}</dt><dd class="id">{aid}</dd>')
    if view.leader:
        out.append(f'<dt>{_e(t["applicant"])}</dt><dd class="id">{_e(view.leader)}</dd>')
    if view.product_id:
        out.append(f'<dt>{_e(t["product"])}</dt><dd class="id">{_e(view.product_id)}</dd>')
    if view.passed:
        out.append(
            f"<dt>{_e(t['claimed'])}</dt><dd>{_e(view.claimed)} {_e(view.unit)}</dd>"
            f"<dt>{_e(t['recomputed'])}</dt><dd>{_e(view.recomputed)} {_e(view.unit)}</dd>"
            f'<dt>{_e(t["factor_set"])}</dt><dd class="id">{_e(view.factor_set)}</dd>'
        )
    out.append(f'</dl><h2>{_e(t["steps"])}</h2><ol class="steps">')
    for step, status in view.steps:
        what = step.what_zh if lang == "zh" else step.what
        out.append(
            f'<li data-step="{_e(step.name)}" data-status="{_e(status)}">{_tag(status, lang)} '
            f'<code>{_e(step.name)}</code><span class="reason">{_e(what)}</span></li>'
        )
    out.append("</ol>")
    if view.passed:
        out.append(_checked_values(lang, view))
        out.append(
            f"<h2>{_e(t['issue'])}</h2>"
            f'<form class="stack" method="post" action="/console/certifier/issue?lang={lang}">'
            f'{_hidden(csrf)}<input type="hidden" name="attestation" value="{aid}">'
            f'<label for="grade">{_e(t["grade"])}</label>'
            '<input id="grade" name="grade" maxlength="32">'
            f'<label for="standard">{_e(t["standard"])}</label>'
            f'<input id="standard" name="standard" required maxlength="64" '
            f'value="{_e(DEFAULT_STANDARD)}">'
            f'<button type="submit">{_e(t["issue"])}</button></form>'
        )
    out.append(f'<p><a href="/console/certifier?lang={lang}">{_e(t["back"])}</a></p>')
    return "".join(out)


def _checked_values(lang: str, view: CheckView) -> str:
    t = TEXT[lang]
    out = [f"<h2>{_e(t['upstream'])}</h2>"]
    if not view.upstream:
        out.append(f"<p>{_e(t['none'])}</p>")
    for u in view.upstream:
        out.append(
            f'<section class="card"><h3 class="id">{_e(u.product_id)}</h3><dl class="facts">'
            f"<dt>{_e(t['value'])}</dt><dd>{_e(u.value)} kg CO₂e / {_e(u.unit)}</dd>"
            f'<dt>{_e(t["supplier_org"])}</dt><dd class="id">{_e(u.supplier)}</dd>'
            f'<dt>{_e(t["attestation"])}</dt><dd class="id">{_e(u.attestation_id)}</dd>'
            "</dl></section>"
        )
    if view.unverified:
        out.append(f"<h2>{_e(t['unverified'])}</h2><ul>")
        out.extend(f"<li>{_e(line)}</li>" for line in view.unverified)
        out.append("</ul>")
    out.append(f"<h2>{_e(t['data_quality'])}</h2>")
    if view.quality:
        out.append("<ul>" + "".join(f"<li>{_e(q)}</li>" for q in view.quality) + "</ul>")
    else:
        out.append(f"<p>{_e(t['none'])}</p>")
    return "".join(out)
