"""The console on `tanji gateway serve` (/console), over real HTTPS with real wallets:
accounts (CLI, argon2id at rest), sign-in that does not say which part was wrong, CSRF on
every form, session expiry and sign-out; a supplier fulfils a PACT request from its
console and the leader sees the answer and the roll-up's parts (with lineage) on its
own; the pages in Debian's Chromium (zh and en, 390x844 and 1280x800)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gateway.console import add_user
from gateway.pact import GatewayState
from sdk import create_attestation
from sdk.footprint import (
    ActivityLine,
    BomLine,
    Dqr,
    Inventory,
    MeteringRecord,
    default_factor_set,
    roll_up,
    to_pact,
)
from sdk.roles import Leader
from sdk.wallet import (
    PublishedRecord,
    PublishState,
    RequestDirection,
    RequestState,
    publication_input_digest,
)
from tanji import _gateway
from tanji._app import Options
from tanji.cli import app
from tests.gateway.pact._console import PASSWORD, Browser
from tests.gateway.pact.conftest import (
    BUYER,
    KEYS,
    NOW,
    PASS,
    SUPPLIER,
    Served,
    add_partner,
    footprint,
    serve_gateway,
    supplier_gateway,
    wait_for,
)


@pytest.fixture
def pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Served, Served, Options, Path]]:
    tls = tmp_path / "tls"
    tls.mkdir()
    ca = tls / "cert.pem"
    supplier = supplier_gateway(tmp_path, tls=tls, ca_file=ca)
    buyer = serve_gateway(tmp_path / "buyer", BUYER, tls=tls, ca_file=ca)
    add_partner(buyer.state, BUYER, supplier)
    add_partner(supplier.state, SUPPLIER, buyer)
    add_user(supplier.state, "li.na", "supplier", PASSWORD, NOW)
    add_user(buyer.state, "wang.wei", "leader", PASSWORD, NOW)
    monkeypatch.setenv("TANJI_PASSPHRASE", PASS)
    yield supplier, buyer, Options(home=tmp_path / "buyer"), ca
    supplier.gateway.close()
    buyer.gateway.close()
    buyer.stop()
    supplier.stop()


def test_users_commands_store_only_an_argon2id_hash(tmp_path: Path) -> None:
    runner = CliRunner()
    home = ["--home", str(tmp_path)]
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n")
    added = runner.invoke(app, [*home, "gateway", "users", "add", "li.na", "--role", "leader",
                                "--password-file", str(secret), "--json"])  # fmt: skip
    assert added.exit_code == 0, added.output
    db = (tmp_path / "gateway" / "gateway.db").read_bytes()
    assert PASSWORD.encode() not in db
    (user,) = GatewayState(tmp_path / "gateway" / "gateway.db").staff()
    assert user.password_hash.startswith("$argon2id$")
    listed = json.loads(runner.invoke(app, [*home, "gateway", "users", "list", "--json"]).output)
    assert listed == [{"name": "li.na", "role": "leader", "createdAt": user.created_at.isoformat()}]
    again = runner.invoke(app, [*home, "gateway", "users", "add", "li.na",
                                "--password-file", str(secret)])  # fmt: skip
    assert again.exit_code == 1
    assert "exists" in again.output
    bad = runner.invoke(app, [*home, "gateway", "users", "add", "x", "--role", "boss",
                              "--password-file", str(secret)])  # fmt: skip
    assert bad.exit_code == 1
    assert "--role" in bad.output
    short = tmp_path / "short"
    short.write_text("2short\n")
    weak = runner.invoke(app, [*home, "gateway", "users", "add", "y",
                               "--password-file", str(short)])  # fmt: skip
    assert weak.exit_code == 1
    assert "at least" in weak.output
    assert runner.invoke(app, [*home, "gateway", "users", "remove", "li.na"]).exit_code == 0
    gone = runner.invoke(app, [*home, "gateway", "users", "remove", "li.na"])
    assert gone.exit_code == 1
    assert "no user" in gone.output


def test_sign_in_csrf_expiry_and_sign_out(supplier: Served) -> None:
    add_user(supplier.state, "li.na", "supplier", PASSWORD, NOW)
    person = Browser(supplier)
    first = person.get("/supplier")
    assert first.status_code == 303
    assert first.headers["location"].startswith("/console/login")
    # the login form's own CSRF token: without it, or with another, nothing happens
    person.csrf("/login")
    assert person.post("/login", {"name": "li.na", "password": PASSWORD}).status_code == 403
    assert (
        person.post("/login", {"csrf": "x" * 43, "name": "li.na", "password": PASSWORD}).status_code
        == 403
    )
    # a wrong password and an unknown name read the same
    wrong = person.login("li.na", "not the password")
    unknown = person.login("nobody", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码不正确" in wrong.text
    assert "用户名或密码不正确" in unknown.text
    anonymous = person.cookie
    ok = person.login("li.na", PASSWORD)
    assert ok.status_code == 303
    cookie = ok.headers["set-cookie"]
    for flag in ("HttpOnly", "Secure", "SameSite=strict", "Path=/console"):
        assert flag.lower() in cookie.lower(), cookie
    assert person.cookie != anonymous  # a new session id at sign-in
    page = person.get("/supplier?lang=en")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert "Published footprints" in page.text
    assert BUYER in page.text  # who may read glass-0..4
    assert '<html lang="zh-CN">' in person.get("/supplier").text
    # a supplier may not open the leader's page
    assert person.get("/leader").status_code == 403
    # every POST needs the session's token
    assert person.post("/logout", {}).status_code == 403
    assert person.post("/supplier/requests/x/reject", {"reason": "no"}).status_code == 403
    # the session expires after 8 hours
    real = supplier.gateway.clock
    supplier.gateway.clock = lambda: real() + timedelta(hours=8, seconds=1)
    try:
        assert person.get("/supplier").status_code == 303
    finally:
        supplier.gateway.clock = real
    assert person.get("/supplier").status_code == 303  # an expired session is gone for good
    # sign out ends the session on the server
    person.login("li.na", PASSWORD)
    kept = person.cookie
    token = person.csrf("/supplier")
    assert person.post("/logout", {"csrf": token}).status_code == 303
    person.cookie = kept
    assert person.get("/supplier").status_code == 303


def test_supplier_fulfils_from_the_console_and_the_leader_sees_it(pair) -> None:  # type: ignore[no-untyped-def]
    supplier, buyer, opts, ca = pair
    fulfilled, _refused = footprint(5).product_ids[0], footprint(0).product_ids[0]
    _gateway.request(opts, SUPPLIER, [fulfilled], None, buyer.base_url, ca, True)
    wait_for(lambda: supplier.wallet.requests(direction=RequestDirection.INCOMING))
    (incoming,) = supplier.wallet.requests(direction=RequestDirection.INCOMING)
    supplier.gateway.process()  # glass-5 is granted to nobody: the policy leaves it open
    seller = Browser(supplier)
    assert seller.login("li.na", PASSWORD).status_code == 303
    page = seller.get("/supplier?lang=en")
    assert incoming.request_id in page.text
    assert "Fulfil" in page.text
    token = seller.csrf("/supplier")
    empty = seller.post(f"/supplier/requests/{incoming.request_id}/reject", {"csrf": token})
    assert empty.status_code == 409
    assert "reason" in empty.text
    done = seller.post(
        f"/supplier/requests/{incoming.request_id}/fulfil", {"csrf": token, "attestation": ""}
    )
    assert done.status_code == 303, done.text
    assert "done=fulfilled" in done.headers["location"]
    twice = seller.post(f"/supplier/requests/{incoming.request_id}/fulfil", {"csrf": token})
    assert twice.status_code == 409
    assert "already answered" in twice.text
    # the leader's side, without a command line
    (sent,) = buyer.wallet.requests(direction=RequestDirection.OUTGOING)
    wait_for(lambda: buyer.wallet.request(sent.request_id).state == RequestState.FULFILLED)
    lead = Browser(buyer)
    assert lead.login("wang.wei", PASSWORD).status_code == 303
    view = lead.get("/leader?lang=en").text
    assert sent.request_id in view
    assert 'class="tag fulfilled"' in view
    assert "<svg" in view
    assert 'role="img"' in view
    assert "not attested (pulled over PACT)" in view
    assert "6.25" in view  # glass-5: 1.25 + 5 kg CO2e per kilogram
    assert lead.get("/supplier").status_code == 403
    # the leader rolls its product up with that part (not attested) and an attested one,
    # publishes it, and the console breaks the roll-up down with each line's lineage
    publish_rollup(buyer, supplier)
    view = lead.get("/leader?lang=en").text
    assert "Roll-ups (by bill of materials)" in view
    assert "urn:pact:buyer.example:product-id:window" in view
    for line, lineage in (
        ("glass", "not attested (pulled over PACT)"),
        ("frame", "attested (Tanji signed attestation)"),
        ("assembly", "own activity (emission factor)"),
    ):
        assert f"{line} · {lineage}" in view
    assert ">12.5<" in view
    assert "18.272 kg CO₂e / piece" in view
    assert lead.get("/supplier").status_code == 403
    # a rejection from the console reaches the leader too
    missing = "urn:pact:lumen-glass.example:supplier-id:glass-9"
    _gateway.request(opts, SUPPLIER, [missing], None, buyer.base_url, ca, True)
    (other,) = wait_for(
        lambda: [
            r
            for r in supplier.wallet.requests(direction=RequestDirection.INCOMING)
            if r.product_ids == (missing,)
        ]
    )
    supplier.gateway.process()
    token = seller.csrf("/supplier")
    no = seller.post(
        f"/supplier/requests/{other.request_id}/reject", {"csrf": token, "reason": "not made here"}
    )
    assert no.status_code == 303
    (asked,) = [r for r in buyer.wallet.requests() if r.product_ids == (missing,)]
    wait_for(lambda: buyer.wallet.request(asked.request_id).state == RequestState.REJECTED)
    assert "not made here" in lead.get("/leader?lang=en").text


def publish_rollup(buyer: Served, supplier: Served, part: int = 5) -> None:
    """The buyer's window: 2 kg of glass-<part> (received over PACT, not attested), a frame
    citing a supplier attestation, and its own assembly electricity; rolled up by the sdk
    and published in the buyer's wallet with its inventory."""
    received = buyer.wallet.received(f"pact:{footprint(part).id}")
    assert received is not None
    glass = Leader.unverified_bom_line(
        received.footprint, SUPPLIER, line_id="glass", quantity=Decimal(2)
    )
    frame = BomLine(
        line_id="frame",
        description="aluminium frame",
        quantity=Decimal(1),
        unit="piece",
        supplier_pcf=Decimal("4.5"),
        supplier_declared_unit="piece",
        dqr=Dqr.uniform(2),
        primary=True,
        supplier_attestation_id=supplier.wallet.publications()[0].attestation_id,
    )
    assembly = ActivityLine(
        "assembly", "electricity", "final assembly", Decimal("0.002"), "MWh",
        "cn-grid-2023-north", True, Dqr.uniform(1),
        MeteringRecord("assembly", "EM-7", "CERT-EM-7", "Beijing Institute of Metrology"),
    )  # fmt: skip
    inventory = Inventory.create(
        factor_set=default_factor_set(),
        bom=[glass, frame],
        activities=[assembly],
        footprint_id="7a1c1a4e-8d2b-4c7e-9a51-000000000001",
        created=NOW,
        company_name="Beijing Window Works",
        company_ids=(f"urn:pact:buyer.example:company-id:{BUYER}",),
        product_ids=("urn:pact:buyer.example:product-id:window",),
        product_name_company="Window W1",
        product_description="double-glazed window",
        declared_unit="piece",
        declared_unit_amount=Decimal(1),
        reference_period_start=datetime(2025, 1, 1, tzinfo=UTC),
        reference_period_end=datetime(2026, 1, 1, tzinfo=UTC),
        geography_country="CN",
        product_mass_per_declared_unit=Decimal(12),
        fossil_carbon_content=Decimal(0),
    )
    doc = to_pact(roll_up(inventory).footprint)
    product = inventory.product_ids[0]
    att = create_attestation(
        KEYS[BUYER], product_id=product, footprint=doc, inventory=inventory.to_dict(), now=NOW,
        rng=random.Random(5).randbytes,
    )  # fmt: skip
    record = PublishedRecord(
        attestation=att,
        input_digest=publication_input_digest(doc, inventory.to_dict(), [], [], None),
        product_id=product,
        state=PublishState.PENDING,
        created_at=NOW,
    )
    buyer.wallet.begin_publication(record)
    buyer.wallet.finish_publication(att.attestation_id, log_id="main", index=1, at=NOW)


def test_console_pages_in_chromium(pair, tab: Any, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.web.browser import check_page, screenshot_dir

    supplier, buyer, opts, ca = pair
    _gateway.request(opts, SUPPLIER, [footprint(5).product_ids[0]], None, buyer.base_url, ca, True)
    _gateway.request(opts, SUPPLIER, [footprint(2).product_ids[0]], None, buyer.base_url, ca, True)
    wait_for(
        lambda: any(
            r.state == RequestState.FULFILLED
            for r in buyer.wallet.requests(direction=RequestDirection.OUTGOING)
        )
    )
    wait_for(lambda: buyer.wallet.received(f"pact:{footprint(2).id}"))
    publish_rollup(buyer, supplier, 2)
    out = screenshot_dir(tmp_path)
    problems: list[str] = []
    for served, user, where in ((supplier, "li.na", "supplier"), (buyer, "wang.wei", "leader")):
        tab.goto(served.base_url + "/console/login")
        problems += (
            check_page(tab, out, "console-login", lang="zh-CN") if where == "supplier" else []
        )
        tab.fill("#name", user)
        tab.fill("#password", PASSWORD)
        tab.click("button[type=submit]")
        tab.wait_for_url(f"**/console/{where}**")
        for lang, tag in (("zh", "zh-CN"), ("en", "en")):
            tab.goto(f"{served.base_url}/console/{where}?lang={lang}")
            problems += check_page(tab, out, f"console-{where}-{lang}", lang=tag)
    assert not problems, "\n".join(problems)
