"""The console's routes, mounted under ``/console`` by ``tanji gateway serve``.

Every page needs a signed-in session whose role may open it; every POST form carries the
session's CSRF token (403 otherwise). Answers to requests go through
:meth:`gateway.pact.Gateway.fulfil` / :meth:`~gateway.pact.Gateway.reject`, the very
calls ``tanji requests fulfil|reject`` makes for requests received over PACT; the
certifier's work goes through :class:`~gateway.console._certifier.CertifierDesk`, the
calls ``tanji certify`` and ``tanji label suspend|restore|revoke`` make.
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway.console import _certpages as certpages
from gateway.console import _pages as pages
from gateway.console._accounts import (
    LOGIN_FORM_SECONDS,
    SESSION_SECONDS,
    authenticate,
    csrf_ok,
    current_session,
    end_session,
    open_session,
)
from gateway.console._certifier import ACTIONS, CertifierDesk, CertifierFactory, Refused
from gateway.pact._service import Gateway
from gateway.pact._state import SessionRecord
from gateway.pact.errors import CertifierUnavailable, PactError
from node import choose_language
from sdk.footprint import Inventory, roll_up
from sdk.wallet import LabelRole, PublishState, RequestDirection

COOKIE = "tanji_console"
_ATTESTATION = re.compile(r"[0-9a-f]{64}")
_BAD_ATTESTATION = "an attestation id is 64 lowercase hexadecimal characters"
_DONE = {"suspend": "suspended", "restore": "restored", "revoke": "revoked", "issue": "issued"}
_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _lang(request: Request) -> str:
    return choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status, headers=dict(_HEADERS))


def _set_cookie(response: Response, token: str, seconds: int) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=seconds,
        path="/console",
        secure=True,
        httponly=True,
        samesite="strict",
    )


async def _form(request: Request) -> dict[str, str]:
    raw = (await request.body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}


def rollup_view(product_id: str, attestation_id: str, inventory: Any) -> pages.RollupView:
    """A published roll-up, recomputed by :func:`sdk.footprint.roll_up` from the inventory
    it was attested with; each line's lineage: a BOM line citing a supplier attestation is
    attested, one without (e.g. pulled over PACT) is not, the rest is own activity."""
    result = roll_up(Inventory.from_dict(inventory))
    bars = tuple(
        pages.Bar(
            line.line_id,
            line.emissions,
            "own"
            if line.kind != "bom"
            else "unattested"
            if line.source == "supplier"
            else "attested",
            f"{line.line_id}: {line.emissions} kg CO2e ({line.source})",
        )
        for line in result.lines
    )
    fp = result.footprint
    return pages.RollupView(product_id, attestation_id, result.pcf, fp.pcf.declared_unit, bars)


def create_console(gateway: Gateway, *, certifier: CertifierFactory | None = None) -> FastAPI:
    """The console app over ``gateway`` (its state holds accounts and sessions).
    ``certifier`` makes the organisation's :class:`~sdk.roles.Certifier` on the gateway's
    wallet for the certifier's page (called once, on first use); without it that page
    says the gateway runs without a certifier (503)."""
    app = FastAPI(title="Tanji console", docs_url=None, redoc_url=None, openapi_url=None)
    state = gateway.state
    desk = CertifierDesk(gateway, certifier)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        lang = _lang(request)
        t = pages.TEXT[lang]
        text = t["not_found"] if exc.status_code == 404 else str(exc.detail)
        return _html(pages.message_page(lang, str(exc.status_code), text), exc.status_code)

    def session_of(request: Request) -> SessionRecord | None:
        return current_session(state, request.cookies.get(COOKIE), gateway.clock())

    def to_login(request: Request) -> Response:
        return RedirectResponse(f"/console/login?lang={_lang(request)}", 303, headers=_HEADERS)

    Handler = Callable[[Request, SessionRecord, str, str], Awaitable[Response]]

    def signed_in(
        page_name: str | None, handler: Handler, *, post: bool = False
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            lang = _lang(request)
            t = pages.TEXT[lang]
            record = await run_in_threadpool(session_of, request)
            if record is None or record.name is None:
                if post:
                    return _html(pages.message_page(lang, "403", t["csrf"]), 403)
                return to_login(request)
            (account,) = state.staff(record.name)
            if post:
                form = await _form(request)
                if not csrf_ok(record, form.get("csrf")):
                    return _html(pages.message_page(lang, "403", t["csrf"]), 403)
                request.state.form = form
            if page_name is not None and page_name not in pages.pages_for(account.role):
                return _html(pages.message_page(lang, "403", t["forbidden"]), 403)
            return await handler(request, record, account.role, lang)

        return endpoint

    # ------------------------------------------------------------------ sign in / out

    @app.get("/login")
    async def login_form(request: Request) -> Response:
        lang = _lang(request)
        record = await run_in_threadpool(session_of, request)
        if record is not None and record.name is not None:
            return RedirectResponse(f"/console/?lang={lang}", 303, headers=_HEADERS)
        session = await run_in_threadpool(open_session, state, None, gateway.clock())
        response = _html(pages.login_page(lang, session.record.csrf))
        _set_cookie(response, session.token, LOGIN_FORM_SECONDS)
        return response

    @app.post("/login")
    async def login(request: Request) -> Response:
        lang = _lang(request)
        t = pages.TEXT[lang]
        record = await run_in_threadpool(session_of, request)
        form = await _form(request)
        if record is None or not csrf_ok(record, form.get("csrf")):
            return _html(pages.message_page(lang, "403", t["csrf"]), 403)
        account = await run_in_threadpool(
            authenticate, state, form.get("name", ""), form.get("password", "")
        )
        if account is None:
            return _html(pages.login_page(lang, record.csrf, t["bad_login"]), 401)
        await run_in_threadpool(state.end_session, record.token_hash)
        session = await run_in_threadpool(open_session, state, account.name, gateway.clock())
        response = RedirectResponse(f"/console/?lang={lang}", 303, headers=_HEADERS)
        _set_cookie(response, session.token, SESSION_SECONDS)
        return response

    async def logout(request: Request, record: SessionRecord, role: str, lang: str) -> Response:
        end_session(state, request.cookies.get(COOKIE, ""))
        response = RedirectResponse(f"/console/login?lang={lang}", 303, headers=_HEADERS)
        response.delete_cookie(
            COOKIE, path="/console", secure=True, httponly=True, samesite="strict"
        )
        return response

    async def home(request: Request, record: SessionRecord, role: str, lang: str) -> Response:
        first = pages.pages_for(role)[0]
        return RedirectResponse(f"/console/{first}?lang={lang}", 303, headers=_HEADERS)

    # ------------------------------------------------------------------ supplier

    def supplier_view(
        lang: str, record: SessionRecord, role: str, notice: str | None, problem: str | None
    ) -> str:
        wallet = gateway.wallet
        incoming = []
        for req in reversed(state.inbound_all()):
            kept = wallet.request(req.request_id)
            st = kept.state.value if kept is not None else "open"
            detail = ""
            if kept is not None:
                detail = kept.reason or kept.attestation_id or ""
            products = req.criteria.get("productId") or []
            incoming.append(
                pages.Incoming(
                    req.request_id,
                    req.org_id,
                    tuple(products if isinstance(products, list) else [str(products)]),
                    req.received_at,
                    st,
                    detail,
                )
            )
        shares = state.shares()
        published = [
            pages.Publication(
                p.attestation_id,
                p.product_id,
                "logged" if p.state == PublishState.LOGGED else "pending",
                tuple(
                    dict.fromkeys(
                        [g.recipient for g in p.grants] + sorted(shares.get(p.attestation_id, ()))
                    )
                ),
            )
            for p in wallet.publications()
        ]
        body = pages.supplier_body(lang, record.csrf, incoming, published, notice, problem)
        return pages.page(
            lang,
            pages.TEXT[lang]["supplier"],
            body,
            path="/console/supplier",
            user=record.name,
            role=role,
            csrf=record.csrf,
        )

    async def supplier(request: Request, record: SessionRecord, role: str, lang: str) -> Response:
        done = request.query_params.get("done")
        notice = pages.TEXT[lang].get(f"done_{done}") if done in ("fulfilled", "rejected") else None
        return _html(await run_in_threadpool(supplier_view, lang, record, role, notice, None))

    def answer(kind: str) -> Handler:
        async def endpoint(
            request: Request, record: SessionRecord, role: str, lang: str
        ) -> Response:
            request_id = request.path_params["request_id"]
            form: dict[str, str] = request.state.form
            try:
                if kind == "fulfilled":
                    await run_in_threadpool(
                        gateway.fulfil, request_id, form.get("attestation") or None
                    )
                else:
                    reason = form.get("reason", "").strip()
                    if not reason:
                        raise PactError("give a reason for rejecting")
                    await run_in_threadpool(gateway.reject, request_id, reason)
            except PactError as exc:
                view = await run_in_threadpool(supplier_view, lang, record, role, None, str(exc))
                return _html(view, 409)
            return RedirectResponse(
                f"/console/supplier?lang={lang}&done={kind}", 303, headers=_HEADERS
            )

        return endpoint

    # ------------------------------------------------------------------ leader

    def leader_view(lang: str, record: SessionRecord, role: str) -> str:
        wallet = gateway.wallet
        sent = [
            pages.Sent(
                r.request_id,
                r.counterparty,
                r.product_ids,
                r.state.value,
                r.updated_at,
                r.reason or r.attestation_id or "",
            )
            for r in wallet.requests(direction=RequestDirection.OUTGOING)
        ]
        parts = []
        for rec in wallet.received_all():
            found = pages.footprint_value(dict(rec.footprint))
            if found is not None:
                parts.append(
                    pages.Part(
                        rec.product_id, rec.issuer, found[0], found[1], rec.attested, rec.source
                    )
                )
        labels = [
            pages.Label(
                lab.label_id,
                lab.product_id,
                lab.value,
                lab.unit,
                lab.valid_until,
                lab.revoked_at is not None,
            )
            for lab in wallet.labels(role=LabelRole.HELD)
        ]
        rollups = [
            rollup_view(p.product_id, p.attestation_id, p.inventory)
            for p in wallet.publications()
            if isinstance(p.inventory, dict)
        ]
        body = pages.leader_body(lang, sent, rollups, parts, labels)
        return pages.page(
            lang,
            pages.TEXT[lang]["leader"],
            body,
            path="/console/leader",
            user=record.name,
            role=role,
            csrf=record.csrf,
        )

    async def leader(request: Request, record: SessionRecord, role: str, lang: str) -> Response:
        return _html(await run_in_threadpool(leader_view, lang, record, role))

    # ------------------------------------------------------------------ certifier

    def framed(
        lang: str, record: SessionRecord, role: str, title: str, body: str, path: str
    ) -> str:
        return pages.page(
            lang, title, body, path=path, user=record.name, role=role, csrf=record.csrf
        )

    def unavailable(lang: str, record: SessionRecord, role: str, exc: Exception) -> Response:
        t = pages.TEXT[lang]
        body = f'<p class="problem" role="alert">{html.escape(t["unavailable"] + str(exc))}</p>'
        page = framed(lang, record, role, t["certifier"], body, "/console/certifier")
        return _html(page, 503)

    async def certifier_overview(
        lang: str,
        record: SessionRecord,
        role: str,
        *,
        notice: tuple[str, str] | None = None,
        problem: str | None = None,
        status: int = 200,
    ) -> Response:
        t = pages.TEXT[lang]
        try:
            pending, labels = await run_in_threadpool(desk.overview)
        except CertifierUnavailable as exc:
            return unavailable(lang, record, role, exc)
        said = None
        if notice is not None and notice[1] in {lab.record.label_id for lab in labels}:
            said = t[f"done_{notice[0]}"].format(label=notice[1])
        body = certpages.certifier_body(lang, record.csrf, pending, labels, said, problem)
        page = framed(lang, record, role, t["certifier"], body, "/console/certifier")
        return _html(page, status)

    async def certifier_home(
        request: Request, record: SessionRecord, role: str, lang: str
    ) -> Response:
        done, label = request.query_params.get("done", ""), request.query_params.get("label")
        notice = (done, label) if done in _DONE.values() and label else None
        return await certifier_overview(lang, record, role, notice=notice)

    async def certifier_checks(
        request: Request, record: SessionRecord, role: str, lang: str
    ) -> Response:
        attestation = request.path_params["attestation_id"]
        if not _ATTESTATION.fullmatch(attestation):
            problem = pages.TEXT[lang]["error"] + _BAD_ATTESTATION
            return await certifier_overview(lang, record, role, problem=problem, status=422)
        try:
            view = await run_in_threadpool(desk.check, attestation)
        except CertifierUnavailable as exc:
            return unavailable(lang, record, role, exc)
        body = certpages.check_body(lang, record.csrf, view)
        title = pages.TEXT[lang]["checks_title"]
        return _html(framed(lang, record, role, title, body, request.url.path))

    async def certifier_issue(
        request: Request, record: SessionRecord, role: str, lang: str
    ) -> Response:
        form: dict[str, str] = request.state.form
        attestation = form.get("attestation", "")
        try:
            if not _ATTESTATION.fullmatch(attestation):
                raise Refused(422, _BAD_ATTESTATION)
            label = await run_in_threadpool(
                desk.issue,
                attestation,
                form.get("grade", "").strip(),
                form.get("standard", "").strip(),
            )
        except CertifierUnavailable as exc:
            return unavailable(lang, record, role, exc)
        except Refused as exc:
            problem = pages.TEXT[lang]["error"] + exc.message
            return await certifier_overview(lang, record, role, problem=problem, status=exc.status)
        return RedirectResponse(
            f"/console/certifier?lang={lang}&done=issued&label={label}", 303, headers=_HEADERS
        )

    def status_change(action: str) -> Handler:
        async def endpoint(
            request: Request, record: SessionRecord, role: str, lang: str
        ) -> Response:
            form: dict[str, str] = request.state.form
            reason = form.get("reason", "").strip()
            try:
                if not reason:
                    raise Refused(422, pages.TEXT[lang]["reason_needed"])
                label = await run_in_threadpool(
                    desk.change, request.path_params["label_id"], action, reason
                )
            except CertifierUnavailable as exc:
                return unavailable(lang, record, role, exc)
            except Refused as exc:
                problem = pages.TEXT[lang]["error"] + exc.message
                return await certifier_overview(
                    lang, record, role, problem=problem, status=exc.status
                )
            return RedirectResponse(
                f"/console/certifier?lang={lang}&done={_DONE[action]}&label={label}",
                303,
                headers=_HEADERS,
            )

        return endpoint

    app.add_api_route("/", signed_in(None, home), methods=["GET"], response_class=Response)
    app.add_api_route(
        "/logout", signed_in(None, logout, post=True), methods=["POST"], response_class=Response
    )
    app.add_api_route(
        "/supplier", signed_in("supplier", supplier), methods=["GET"], response_class=Response
    )
    for kind, verb in (("fulfilled", "fulfil"), ("rejected", "reject")):
        app.add_api_route(
            f"/supplier/requests/{{request_id}}/{verb}",
            signed_in("supplier", answer(kind), post=True),
            methods=["POST"],
            response_class=Response,
        )
    app.add_api_route(
        "/leader", signed_in("leader", leader), methods=["GET"], response_class=Response
    )
    app.add_api_route(
        "/certifier",
        signed_in("certifier", certifier_home),
        methods=["GET"],
        response_class=Response,
    )
    app.add_api_route(
        "/certifier/checks/{attestation_id}",
        signed_in("certifier", certifier_checks),
        methods=["GET"],
        response_class=Response,
    )
    app.add_api_route(
        "/certifier/issue",
        signed_in("certifier", certifier_issue, post=True),
        methods=["POST"],
        response_class=Response,
    )
    for action in ACTIONS:
        app.add_api_route(
            f"/certifier/labels/{{label_id}}/{action}",
            signed_in("certifier", status_change(action), post=True),
            methods=["POST"],
            response_class=Response,
        )
    return app
