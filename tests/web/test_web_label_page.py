"""The label page a consumer's QR code opens, in Debian's Chromium: every state (valid,
superseded, revoked, expired, not found, cannot be checked right now) in Chinese and
English, at 390x844 and 1280x800, fitting 360-430 px without sideways scrolling; the
page's own script re-runs the audit in the browser and marks each step it checked.

One demo world (embedded chain, node on a loopback port) is driven through the states in
file order: valid and revoked first, then a superseding footprint, then chain time moved
past the validity. The outage is a real one: a node on its own anvil, which is stopped.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from nacl.signing import SigningKey

from anchors.chain import EmbeddedChain
from demo_chain._scenario import Frauds, Stage
from demo_chain._story import Story
from sdk.roles import Certificate
from tests._demo import honest_stage
from tests.web.browser import check_page, overflow_problems, screenshot_dir
from tests.web.conftest import ChainWorld

LANGS = (("zh", "zh-CN"), ("en", "en"))


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    out = tmp_path_factory.mktemp("label-page")
    with honest_stage(out) as stage:
        yield stage


@pytest.fixture(scope="module")
def revoked(stage: Stage) -> Certificate:
    """A second label for the same attestation, revoked by its certifier."""
    certifier = stage.cast.certifier
    second = certifier.certify(certifier.check(stage.certificate.disclosure.attestation_id))
    certifier.revoke(second.label.label_id, "标识信息有误 / label data in error")
    return second


def _open(page: Any, url: str, lang: str) -> None:
    response = page.goto(f"{url}?lang={lang}")
    assert response is not None


def _check_state(
    page: Any, tmp_path: Path, url: str, state: str, *, browser: str | None = "agree"
) -> dict[str, str]:
    """Open ``url`` in both languages; the state box, fit, lang, contrast; the browser's
    own check when the page has one. Returns the state box text per language."""
    texts = {}
    for lang, tag in LANGS:
        _open(page, url, lang)
        assert page.get_attribute("#state", "data-state") == state
        if browser is not None:
            page.wait_for_selector(f"body[data-browser='{browser}']", state="attached")
        page.click("#audit summary") if browser is not None else None
        for width in (360, 430):
            page.set_viewport_size({"width": width, "height": 800})
            assert not overflow_problems(page), (width, overflow_problems(page))
        problems = check_page(page, screenshot_dir(tmp_path), f"label-{state}-{lang}", lang=tag)
        assert not problems, "\n".join(problems)
        texts[lang] = page.inner_text("#state")
    return texts


def test_a_valid_label_says_what_it_means_and_the_browser_checks_it(
    page: Any, stage: Stage, tmp_path: Path
) -> None:
    url = stage.certificate.url
    texts = _check_state(page, tmp_path, url, "valid")
    assert "有效" in texts["zh"]
    assert "Valid" in texts["en"]
    # Chinese by default, the label's meaning first: value and unit, names, standard.
    page.goto(url)  # the browser context's locale is zh-CN
    body = page.inner_text("main")
    assert "241.997" in body
    assert "kgCO₂e 每 piece" in body
    assert "Zhiben 14 notebook computer" in body  # product name, from the disclosure
    assert "Beijing Zhiben Computer Co., Ltd." in body  # producer
    assert stage.world.orgs["certifier"].org_id in body
    assert "GB/T 24067-2024" in body
    assert "北京时间" in body
    # The visitor's browser re-ran all nine steps and agrees, the ninth included: the
    # demo label's public roll-up over six hidden supplier values (their six range proofs,
    # the own term's and the roll-up equation, checked in this browser).
    page.wait_for_selector("body[data-browser='agree']", state="attached")
    assert page.get_attribute("body", "data-browser-checked") == "9"
    marks = page.eval_on_selector_all("li[data-step] .by", "els => els.map(e => e.dataset.by)")
    assert marks == ["browser"] * 9
    rollup = "li[data-step='rollup.commitments']"
    assert page.get_attribute(rollup, "data-status") == "passed"
    assert "6 anchored supplier attestation(s)" in (page.text_content(rollup) or "")
    assert "查验步骤（共 9 步）" in (page.text_content("#audit summary") or "")
    assert "亲自复核了 9 个步骤" in (page.text_content("#browser-summary") or "")
    # English by Accept-Language too (a phone set to English); no header: Chinese.
    english = httpx.get(url, headers={"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"}).text
    assert '<html lang="en">' in english
    assert "kgCO₂e per piece" in english
    assert '<html lang="zh-CN">' in httpx.get(url).text
    chinese_first = httpx.get(url, headers={"Accept-Language": "zh-TW;q=0.9,en;q=0.8"}).text
    assert '<html lang="zh-CN">' in chinese_first


def test_a_revoked_label_says_so_with_the_reason(
    page: Any, revoked: Certificate, tmp_path: Path
) -> None:
    texts = _check_state(page, tmp_path, revoked.url, "revoked")
    assert "已撤销" in texts["zh"]
    assert "标识信息有误" in texts["zh"]
    assert "Revoked" in texts["en"]


def test_a_suspended_label_says_so_until_it_is_restored(
    page: Any, stage: Stage, tmp_path: Path
) -> None:
    """Suspension is a state of its own (purple, with the reason), not revocation; the
    page follows the chain when the certifier restores the label (a new block)."""
    certifier = stage.cast.certifier
    third = certifier.certify(certifier.check(stage.certificate.disclosure.attestation_id))
    label_id = third.label.label_id
    certifier.suspend(label_id, "监督审核进行中 / surveillance audit pending")
    texts = _check_state(page, tmp_path, third.url, "suspended")
    assert "已暂停" in texts["zh"]
    assert "监督审核进行中" in texts["zh"]
    assert "Suspended" in texts["en"]
    colour = page.eval_on_selector("#state", "e => getComputedStyle(e).borderColor")
    assert colour == "rgb(123, 31, 162)"  # purple
    certifier.restore(label_id, "审核结束 / audit closed")
    _open(page, third.url, "zh")
    assert page.get_attribute("#state", "data-state") == "valid"


def test_unknown_and_malformed_numbers_are_not_called_fake(stage: Stage) -> None:
    base = stage.world.node_url
    unknown = httpx.get(f"{base}/labels/0x{'00' * 32}")
    assert unknown.status_code == 404
    assert "未找到该标识" in unknown.text
    bad = httpx.get(f"{base}/labels?id=0x12&lang=en")
    assert bad.status_code == 400
    assert "64 hexadecimal" in bad.text
    found = httpx.get(f"{base}/labels?id={stage.certificate.label_id.upper()[2:]}")
    assert found.status_code == 400  # the number needs its 0x
    ok = httpx.get(f"{base}/labels?id={stage.certificate.label_id}", follow_redirects=False)
    assert ok.status_code == 303
    assert ok.headers["location"].startswith("/labels/0x")


def test_home_page_and_api_reference_work_offline(page: Any, stage: Stage, tmp_path: Path) -> None:
    base = stage.world.node_url
    page.goto(f"{base}/")
    assert "碳迹节点" in page.inner_text("h1")
    problems = check_page(page, screenshot_dir(tmp_path), "node-home-zh", lang="zh-CN")
    assert not problems, "\n".join(problems)
    page.fill("#label-id", stage.certificate.label_id)
    page.click("form.lookup button")
    page.wait_for_selector("#state[data-state='valid']")
    # /docs and /redoc load their scripts from this node only (no CDN request succeeds).
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    for path, ready in (("/docs", ".swagger-ui .info"), ("/redoc", "redoc h1, .api-content h1")):
        page.goto(f"{base}{path}")
        page.wait_for_selector(ready, timeout=20_000)
    outside = [u for u in requested if not u.startswith((base, "data:", "blob:"))]
    assert requested
    assert not outside, outside


def test_a_label_claiming_less_than_attested_does_not_verify(
    page: Any, stage: Stage, tmp_path: Path
) -> None:
    """Demo fraud 1: a label issued straight on chain with a lower value than attested."""
    frauds = Frauds(stage, Story(io.StringIO()), [])
    frauds.lower_value()
    url = f"{stage.world.node_url}/labels/{frauds.lower_label}"
    texts = _check_state(page, tmp_path, url, "invalid")
    assert "查验未通过" in texts["zh"]
    assert "(match)" in texts["en"]  # the failed step, named
    assert page.get_attribute("li[data-step='match']", "data-status") == "failed"
    assert page.get_attribute("li[data-step='match'] .by", "data-by") == "browser"


def test_a_label_below_its_suppliers_fails_step_9_in_the_browser_too(
    page: Any, stage: Stage, tmp_path: Path
) -> None:
    """Demo fraud 12: the leader declares 20 kg less than its suppliers' committed values
    weigh, with a forged roll-up proof, and a rogue label is issued over it. The node's
    audit fails it at step 9 (rangeproof.bit) and so does the visitor's browser, which
    verifies the six upstream range proofs and the forged one itself."""
    frauds = Frauds(stage, Story(io.StringIO()), [])
    frauds.understated_rollup()
    url = f"{stage.world.node_url}/labels/{frauds.understated_label}"
    texts = _check_state(page, tmp_path, url, "invalid")
    assert "(rollup.commitments)" in texts["en"]
    step = "li[data-step='rollup.commitments']"
    assert page.get_attribute(step, "data-status") == "failed"
    assert page.get_attribute(f"{step} .by", "data-by") == "browser"
    assert "rangeproof.bit" in (page.text_content(f"{step} .reason") or "")
    assert page.get_attribute("body", "data-browser-checked") == "9"


def test_a_superseded_label_is_amber_not_green(page: Any, stage: Stage, tmp_path: Path) -> None:
    Frauds(stage, Story(io.StringIO()), []).superseded()
    texts = _check_state(page, tmp_path, stage.certificate.url, "superseded")
    assert "已有更新的碳足迹" in texts["zh"]
    assert "newer footprint" in texts["en"]
    colour = page.eval_on_selector("#state", "e => getComputedStyle(e).borderColor")
    assert colour == "rgb(184, 120, 0)"  # amber


def test_an_expired_label_says_expired(page: Any, stage: Stage, tmp_path: Path) -> None:
    chain = stage.world.chain
    assert isinstance(chain, EmbeddedChain)  # the demo world's in-process chain
    chain.advance_time(3 * 365 * 24 * 3600)  # past the two-year validity
    texts = _check_state(page, tmp_path, stage.certificate.url, "expired")
    assert "已过期" in texts["zh"]
    assert "Expired" in texts["en"]


@pytest.mark.anvil
def test_a_chain_outage_is_503_cannot_be_checked_never_unknown(page: Any, tmp_path: Path) -> None:
    from anchors.chain import start_anvil
    from node import Settings, create_app
    from sdk.deploy import deploy_tanji
    from tests.conftest import require_anvil

    with start_anvil(binary=require_anvil()) as anvil:
        rpc = anvil.chain()
        deployment = deploy_tanji(rpc, rpc.new_account())
        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'node.db'}",
            chain_url=anvil.url,
            webhooks_enabled=False,
        )
        app = create_app(
            settings,
            chain=rpc,
            deployment=deployment,
            log_key=SigningKey(b"\x07" * 32),
            start_workers=False,
        )
    # anvil is stopped: the node cannot read the chain. (A thread: Playwright's sync API
    # owns this thread's event loop.)
    from concurrent.futures import ThreadPoolExecutor

    async def fetch(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://node") as client:
            return await client.get(path)

    def get(path: str) -> httpx.Response:
        return asyncio.run(fetch(path))

    for lang, word in (("zh", "暂时无法查验"), ("en", "Cannot be checked right now")):
        with ThreadPoolExecutor(1) as pool:
            response = pool.submit(get, f"/labels/0x{'ab' * 32}?lang={lang}").result()
        assert response.status_code == 503
        assert word in response.text
        assert "Unknown" not in response.text
        assert response.headers["retry-after"] == "60"
        page.set_content(response.text)
        assert page.get_attribute("#state", "data-state") == "unavailable"
        tag = "zh-CN" if lang == "zh" else "en"
        problems = check_page(page, screenshot_dir(tmp_path), f"label-unavailable-{lang}", lang=tag)
        assert not problems, "\n".join(problems)


@pytest.mark.anvil
def test_the_browser_rereads_the_label_from_the_chain(
    page: Any, chain_world: ChainWorld, tmp_path: Path
) -> None:
    """A node on anvil names the chain's JSON-RPC URL: the visitor's browser reads the
    label record from the chain itself and finds the bundle's record. (This node's log
    does not hold the labelled leaf, so the page says the label does not verify, and the
    browser agrees step by step.)"""
    import socket
    import threading

    import uvicorn

    from anchors.chain import RpcChain
    from node import Settings, create_app, wait_healthy

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'node.db'}",
        chain_url=chain_world.rpc_url,
        public_url=url,
        webhooks_enabled=False,
    )
    app = create_app(
        settings,
        chain=RpcChain(chain_world.rpc_url),
        deployment=chain_world.deployment,
        log_key=SigningKey(b"\x09" * 32),
        start_workers=False,
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_healthy(url, 30.0)
        page.goto(f"{url}/labels/0x{chain_world.active_label.hex()}?lang=en")
        assert page.get_attribute("#state", "data-state") == "invalid"
        page.wait_for_selector("body[data-browser='agree']", state="attached")
        assert page.get_attribute("body", "data-browser-chain") == "agree"
        summary = page.text_content("#browser-summary") or ""
        assert "re-read the label from the blockchain" in summary
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.node.engine.dispose()
