"""The certifier's page of the console, with real parts: the notebook chain's honest run
(embedded chain, the node over HTTP on a loopback port, encrypted SQL wallets), the
certifier's gateway over HTTPS on its wallet, argon2id accounts. A leader publishes a
roll-up granting the certifier; the certifier sees it pending, runs the checks, issues
the label, suspends, restores and revokes it, each checked on chain and on the node; a
tampered roll-up and a grant that is no roll-up show their failed step; CSRF, roles and
an unreachable node or missing certifier answer as they should; the page in Chromium."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from nacl.signing import SigningKey

from demo_chain._data import LEADER_PRODUCT, ORG_BY_KEY, PRODUCT_BY_KEY
from demo_chain._scenario import Stage, build_inventory, honest_path
from demo_chain._story import Story
from demo_chain._world import build_world
from gateway.console import add_user
from gateway.pact import CertifierUnavailable
from sdk.client import NodeClient
from sdk.errors import RegistryError
from sdk.footprint import roll_up
from sdk.labels import LabelStatus
from sdk.roles import CHECK_STEPS, Certifier, Leader, Published, label_id_bytes
from sdk.wallet import LabelRole, Wallet
from tests.gateway.pact._console import PASSWORD, Browser, close_clients
from tests.gateway.pact.conftest import NOW, Served, free_port, serve_gateway

pytestmark = pytest.mark.integration


@dataclass
class Desk:
    """The honest run, and the certifier's gateway serving its console."""

    stage: Stage
    served: Served
    home: Path

    @property
    def certifier(self) -> Certifier:
        return self.stage.cast.certifier

    def signed_in(self, name: str = "zhao.min") -> Browser:
        person = Browser(self.served)
        assert person.login(name, PASSWORD).status_code == 303
        return person


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    out = tmp_path_factory.mktemp("certifier")
    world = build_world(out)
    try:
        stage = honest_path(world, out, Story(io.StringIO()))
        certifier = stage.cast.certifier
        assert isinstance(certifier.wallet, Wallet)  # the SQL wallet the gateway serves
        served = serve_gateway(
            out / "gateway", str(certifier.org_id), wallet=certifier.wallet,
            certifier=lambda: certifier,
        )  # fmt: skip
        add_user(served.state, "zhao.min", "certifier", PASSWORD, NOW)
        add_user(served.state, "li.na", "supplier", PASSWORD, NOW)
        add_user(served.state, "ops", "admin", PASSWORD, NOW)
        try:
            yield Desk(stage, served, out)
        finally:
            served.stop()
    finally:
        world.close()


def republish(stage: Stage, *, panel_value: Decimal | None = None) -> Published:
    """The OEM publishes its notebook's roll-up again, granted to the certifier (with
    ``panel_value`` the display panel line uses another value than the one attested),
    and the log operator anchors it."""
    oem = stage.cast.leader("oem")
    spec = PRODUCT_BY_KEY[LEADER_PRODUCT]
    bom = []
    for c in spec.components:
        line = Leader.bom_line(stage.supplied[c.product], line_id=c.line_id, quantity=c.quantity)
        if panel_value is not None and c.product == "display_panel":
            line = dataclasses.replace(line, supplier_pcf=panel_value)
        bom.append(line)
    inventory = build_inventory(spec, ORG_BY_KEY["oem"], bom, stage.world.clock())
    pub = oem.publish(
        roll_up(inventory).footprint,
        inventory,
        [stage.world.orgs["certifier"].org_id],
        upstream=[s.disclosure for s in stage.supplied.values()],
    )
    stage.world.anchor_now()
    return pub


def _label_from(location: str) -> str:
    found = re.search(r"label=(0x[0-9a-f]{64})", location)
    assert found, location
    return found.group(1)


def _status(desk: Desk, label_id: str) -> LabelStatus:
    found = desk.stage.world.labels.label(label_id_bytes(label_id))
    assert found is not None
    return found.status


def test_certifier_checks_issues_suspends_restores_and_revokes(desk: Desk) -> None:
    stage, world = desk.stage, desk.stage.world
    pub = republish(stage)
    person = desk.signed_in()
    page = person.get("/certifier?lang=en")
    assert page.status_code == 200, page.text
    assert '<html lang="en">' in page.text
    assert "Pending certifications" in page.text
    pending = re.findall(r'<section class="card" aria-label="([0-9a-f]{64})"', page.text)
    assert pub.attestation_id in pending
    # the notebook's first roll-up was labelled in the honest run: not pending
    assert stage.certificate.disclosure.attestation_id not in pending
    assert world.orgs["oem"].org_id in page.text
    assert f'action="/console/certifier/checks/{pub.attestation_id}"' in page.text
    assert "Run the checks" in page.text
    assert stage.certificate.label_id in page.text  # issued labels, with their state
    zh = person.get("/certifier")
    assert '<html lang="zh-CN">' in zh.text
    assert "待认证的汇总" in zh.text

    checked = person.get(f"/certifier/checks/{pub.attestation_id}?lang=en")
    assert checked.status_code == 200, checked.text
    text = checked.text
    assert "Every check passed" in text
    statuses = dict(re.findall(r'<li data-step="([^"]+)" data-status="([^"]+)">', text))
    assert list(statuses) == [step.name for step in CHECK_STEPS]
    assert statuses.pop("rollup.commitments") in ("passed", "not applicable")
    assert set(statuses.values()) == {"passed"}
    value = str(stage.pcf[LEADER_PRODUCT])
    assert f"<dt>Claimed</dt><dd>{value} kgCO2e/piece</dd>" in text
    assert f"<dt>Recomputed</dt><dd>{value} kgCO2e/piece</dd>" in text
    assert "Upstream supplier values verified" in text
    for supplied in stage.supplied.values():
        assert supplied.product_id in text
    assert 'action="/console/certifier/issue?lang=en"' in text
    assert 'value="GB/T 24067-2024"' in text
    assert "认证检查" in person.get(f"/certifier/checks/{pub.attestation_id}").text

    token = person.csrf("/certifier")
    issued = person.post(
        "/certifier/issue?lang=en",
        {"csrf": token, "attestation": pub.attestation_id, "grade": "B",
         "standard": "GB/T 24067-2024"},
    )  # fmt: skip
    assert issued.status_code == 303, issued.text
    label_id = _label_from(issued.headers["location"])
    assert _status(desk, label_id) is LabelStatus.ACTIVE
    record = desk.certifier.wallet.label(label_id)
    assert record is not None
    assert record.role is LabelRole.ISSUED
    assert record.attestation_id == pub.attestation_id
    overview = person.get(issued.headers["location"].removeprefix("/console")).text
    assert f"Label {label_id} issued." in overview
    assert f"{world.node_url}/labels/{label_id}" in overview
    assert f'aria-label="{pub.attestation_id}"' not in overview  # no longer pending
    again = person.post(
        "/certifier/issue?lang=en", {"csrf": token, "attestation": pub.attestation_id}
    )
    assert again.status_code == 409
    assert "already issued" in again.text
    public = httpx.get(f"{world.node_url}/labels/{label_id}", timeout=30)
    assert public.status_code == 200
    assert 'data-state="valid"' in public.text
    assert value in public.text

    action = f"/certifier/labels/{label_id}"
    empty = person.post(f"{action}/suspend?lang=en", {"csrf": token, "reason": "  "})
    assert empty.status_code == 422
    assert "Give a reason" in empty.text
    assert _status(desk, label_id) is LabelStatus.ACTIVE
    reason = "surveillance audit pending"
    assert person.post(f"{action}/suspend", {"csrf": token, "reason": reason}).status_code == 303
    assert _status(desk, label_id) is LabelStatus.SUSPENDED
    node_view = httpx.get(f"{world.node_url}/v1/labels/{label_id}", timeout=30).json()
    assert node_view["status"] == "suspended"
    assert node_view["suspension"]["reason"] == reason
    shown = person.get("/certifier?lang=en").text
    assert f'<span class="tag suspended">suspended</span> {reason}' in shown
    twice = person.post(f"{action}/suspend?lang=en", {"csrf": token, "reason": reason})
    assert twice.status_code == 409
    assert "LabelAlreadySuspended" in twice.text
    assert person.post(f"{action}/restore", {"csrf": token, "reason": "closed"}).status_code == 303
    assert _status(desk, label_id) is LabelStatus.ACTIVE
    why = "the declared value does not match the plant records"
    revoked = person.post(f"{action}/revoke?lang=en", {"csrf": token, "reason": why})
    assert revoked.status_code == 303
    assert _status(desk, label_id) is LabelStatus.REVOKED
    node_view = httpx.get(f"{world.node_url}/v1/labels/{label_id}", timeout=30).json()
    assert node_view["status"] == "revoked"
    assert node_view["revocationReason"] == why
    assert 'data-state="revoked"' in httpx.get(f"{world.node_url}/labels/{label_id}").text
    final = person.get(revoked.headers["location"].removeprefix("/console")).text
    assert f"Label {label_id} revoked." in final
    assert f'<span class="tag revoked">revoked</span> {why}' in final
    assert f'action="/console{action}/' not in final  # a revoked label has no forms


def test_a_tampered_roll_up_and_a_grant_that_is_no_roll_up_show_their_failed_step(
    desk: Desk,
) -> None:
    tampered = republish(desk.stage, panel_value=Decimal(60))
    person = desk.signed_in()
    page = person.get(f"/certifier/checks/{tampered.attestation_id}?lang=en").text
    assert 'data-failed-step="rollup.lineage"' in page
    assert "The checks failed at step rollup.lineage:" in page
    assert '<li data-step="upstream.*" data-status="passed">' in page
    assert '<li data-step="rollup.lineage" data-status="failed">' in page
    assert '<li data-step="rollup.recompute / footprint.recompute" data-status="not run">' in page
    assert "Issue label" not in page
    zh = person.get(f"/certifier/checks/{tampered.attestation_id}").text
    assert "检查未通过，失败步骤 rollup.lineage" in zh
    token = person.csrf("/certifier")
    forced = person.post(
        "/certifier/issue?lang=en", {"csrf": token, "attestation": tampered.attestation_id}
    )
    assert forced.status_code == 409
    assert "the checks failed at step rollup.lineage" in forced.text
    assert not [
        r for r in desk.certifier.wallet.labels() if r.attestation_id == tampered.attestation_id
    ]
    # the panel maker (a leader too) granted the certifier its meter readings: pending,
    # and the checks say at which step it is no roll-up
    readings = desk.stage.metering
    assert readings is not None
    overview = person.get("/certifier?lang=en").text
    pending = set(re.findall(r'<section class="card" aria-label="([0-9a-f]{64})"', overview))
    batches = pending & {r.batch_attestation for r in readings.read.values()}
    assert batches, "the meter readings granted to the certifier are pending"
    failed = person.get(f"/certifier/checks/{sorted(batches)[0]}?lang=en").text
    found = re.search(r'data-failed-step="([^"]+)"', failed)
    assert found, failed
    assert found.group(1).startswith("rollup"), found.group(1)
    assert "Issue label" not in failed


def test_csrf_roles_and_bad_input(desk: Desk) -> None:
    person = desk.signed_in()
    some = desk.stage.certificate.label_id
    for path, data in (
        ("/certifier/issue", {"attestation": "a" * 64}),
        (f"/certifier/labels/{some}/revoke", {"reason": "no token"}),
    ):
        refused = person.post(path, data)
        assert refused.status_code == 403
        assert "表单已过期" in refused.text
    assert _status(desk, some) is LabelStatus.ACTIVE
    token = person.csrf("/certifier")
    bad = person.get("/certifier/checks/not-an-id?lang=en")
    assert bad.status_code == 422
    assert "64 lowercase hexadecimal" in bad.text
    assert person.post("/certifier/issue", {"csrf": token, "attestation": "x"}).status_code == 422
    unknown = person.post(
        f"/certifier/labels/0x{'ab' * 32}/suspend?lang=en", {"csrf": token, "reason": "r"}
    )
    assert unknown.status_code == 404
    assert "issued no label" in unknown.text
    malformed = person.post("/certifier/labels/0x12/suspend", {"csrf": token, "reason": "r"})
    assert malformed.status_code == 422
    too_long = person.post(
        f"/certifier/labels/{some}/suspend?lang=en", {"csrf": token, "reason": "x" * 300}
    )
    assert too_long.status_code == 422
    assert "longer than 256 bytes" in too_long.text
    assert _status(desk, some) is LabelStatus.ACTIVE
    pack = desk.stage.published["battery_pack"].attestation_id  # its checks pass
    long_grade = person.post(
        "/certifier/issue?lang=en", {"csrf": token, "attestation": pack, "grade": "A" * 40,
                                     "standard": "GB/T 24067-2024"},
    )  # fmt: skip
    assert long_grade.status_code == 422
    assert "grade is 40 bytes, at most 32" in long_grade.text
    assert not [r for r in desk.certifier.wallet.labels() if r.attestation_id == pack]
    # a supplier's account may not open the certifier's page nor post to it
    supplier = desk.signed_in("li.na")
    assert supplier.get("/certifier").status_code == 403
    own = supplier.csrf("/supplier")
    assert supplier.post(
        "/certifier/issue", {"csrf": own, "attestation": "a" * 64}
    ).status_code == (403)
    # an admin sees all three pages
    admin = desk.signed_in("ops")
    page = admin.get("/certifier?lang=en")
    assert page.status_code == 200
    for name in ("supplier", "leader", "certifier"):
        assert f'href="/console/{name}?lang=en"' in page.text


def test_an_unreachable_node_or_no_certifier_is_a_clear_503(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tanji._app import Network, Options, Session
    from tanji._gateway import _NoNetwork, console_certifier

    real = desk.certifier
    keys = real.keys
    dead = NodeClient(f"http://127.0.0.1:{free_port()}", org=str(real.org_id),
                      key_id=keys.signing_key_id, signing_key=keys.signing_key)  # fmt: skip
    away = _with_node(real, dead, desk)
    assert isinstance(real.wallet, Wallet)
    monkeypatch.setenv("TANJI_PASSPHRASE", "demo")
    wallet_db = desk.home / "wallets" / "certifier.db"
    opts = Options(home=tmp_path, wallet=str(wallet_db))
    offline = Network(node_url="http://127.0.0.1:9", chain_url="http://127.0.0.1:9",
                      deployment_doc={})  # fmt: skip
    sessions = [Session(opts, network=_NoNetwork()), Session(opts, network=offline)]  # type: ignore[arg-type]
    stranger = NodeClient(desk.stage.world.node_url, org=str(real.org_id),
                          key_id=keys.signing_key_id,
                          signing_key=SigningKey(bytes(32)))  # fmt: skip

    def broken() -> Certifier:
        raise RegistryError("cannot open LabelRegistry at 0x00: no contract code there")

    overview, checks = "/certifier?lang=en", f"/certifier/checks/{'a' * 64}?lang=en"
    pack = desk.stage.published["battery_pack"].attestation_id
    issue = ("/certifier/issue?lang=en", {"attestation": pack})
    label = desk.stage.certificate.label_id
    revoke = (f"/certifier/labels/{label}/revoke?lang=en", {"reason": "r"})
    cases: list[tuple[Any, str, list[str], list[tuple[str, dict[str, str]]]]] = [
        # the node does not answer: listing, checking and issuing need it (revoking only
        # needs the chain, and works)
        (lambda: away, "the node or the chain does not answer", [overview, checks], [issue]),
        # the node refuses the organisation's token: its grants cannot be listed
        (lambda: _with_node(real, stranger, desk), "the grants or the labels cannot be read",
         [overview], []),
        (broken, "the certifier cannot be set up", [overview, checks], [issue, revoke]),
        (None, "started without a certifier", [overview, checks], [issue, revoke]),
        (lambda: console_certifier(sessions[0]), "without a network profile", [overview],
         [revoke]),
        (lambda: console_certifier(sessions[1]), "holds no EVM account", [overview], [revoke]),
    ]  # fmt: skip
    try:
        for i, (factory, words, gets, posts) in enumerate(cases):
            served = serve_gateway(
                tmp_path / f"gw{i}", str(real.org_id), wallet=real.wallet, certifier=factory
            )
            try:
                add_user(served.state, "zhao.min", "certifier", PASSWORD, NOW)
                person = Browser(served)
                assert person.login("zhao.min", PASSWORD).status_code == 303
                for path in gets:
                    page = person.get(path)
                    assert page.status_code == 503, (words, page.text)
                    assert "The certifier cannot act now: " in page.text
                    assert words in page.text
                    assert "Traceback" not in page.text
                token = person.csrf("/certifier")
                for path, data in posts:
                    answer = person.post(path, {"csrf": token, **data})
                    assert answer.status_code == 503, (words, answer.text)
                    assert words in answer.text
            finally:
                close_clients()  # before the server: a keep-alive connection holds it open
                served.server.should_exit = True
                served.thread.join(15)
    finally:
        for s in sessions:
            s.close()
        dead.close()
        stranger.close()
    assert _status(desk, desk.stage.certificate.label_id) is LabelStatus.ACTIVE
    with pytest.raises(CertifierUnavailable):
        console_certifier(Session(opts, network=_NoNetwork()))  # type: ignore[arg-type]


def _with_node(real: Certifier, node: NodeClient, desk: Desk) -> Certifier:
    """The certifier of ``real``'s organisation talking to the node through ``node``."""
    return Certifier(
        real.keys, node=node, participants=real.participants, labels=real.labels,
        anchors=real.anchors, account=real.account, verification_base="http://x",
        wallet=real.wallet, clock=desk.stage.world.clock,
    )  # fmt: skip


def test_certifier_page_in_chromium(desk: Desk, tab: Any, tmp_path: Path) -> None:
    from tests.web.browser import check_page, screenshot_dir

    out = screenshot_dir(tmp_path)
    tab.goto(desk.served.base_url + "/console/login")
    tab.fill("#name", "zhao.min")
    tab.fill("#password", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url("**/console/certifier**")
    problems: list[str] = []
    for lang, tag in (("zh", "zh-CN"), ("en", "en")):
        tab.goto(f"{desk.served.base_url}/console/certifier?lang={lang}")
        problems += check_page(tab, out, f"console-certifier-{lang}", lang=tag)
    pending = re.findall(r'aria-label="([0-9a-f]{64})"', tab.content())
    assert pending
    tab.goto(f"{desk.served.base_url}/console/certifier/checks/{pending[0]}?lang=en")
    problems += check_page(tab, tmp_path, "console-certifier-checks-en", lang="en")
    assert not problems, "\n".join(problems)
