"""Fixtures for the web verifier's tests: Node.js for the cross-tests, Debian's Chromium
driven by Playwright for the browser tests, and a loopback HTTP server for the pages.

Chromium is Debian's (``apt-get install chromium``; Playwright's own browser download is
not used): like PostgreSQL and anvil, a missing browser skips the test with a reason on a
laptop and fails it in CI (``TANJI_REQUIRE_SERVICES=1``).
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount

from sdk import OrgKeys
from sdk.deploy import Deployment
from tests.conftest import ROOT, missing_service, require_anvil

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RUNNER = ROOT / "web" / "test" / "run.mjs"
NODE_TIMEOUT = 120.0

RunJs = Callable[[dict[str, Any]], Any]


@pytest.fixture(scope="session")
def node_binary() -> str:
    """The ``node`` executable (Node.js 18+), which also runs npm for the toolchain."""
    node = shutil.which("node")
    if node is None:
        missing_service("node (Node.js) is not on PATH")
    assert node is not None
    return node


@pytest.fixture(scope="session")
def run_js(node_binary: str) -> RunJs:
    """Run one job of ``web/test/run.mjs`` (the committed bundle under Node.js); its JSON answer."""

    def run(job: dict[str, Any]) -> Any:
        done = subprocess.run(
            [node_binary, str(RUNNER)],
            input=json.dumps(job, ensure_ascii=True),
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"node {RUNNER.name} failed ({done.returncode}):\n{done.stderr}")
        return json.loads(done.stdout)

    return run


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - the stdlib's own class attribute
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".html": "text/html; charset=utf-8",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def web_server() -> Iterator[str]:
    """Base URL of a loopback HTTP server over the repository (pages, bundle, vectors)."""
    handler = functools.partial(_StaticHandler, directory=str(ROOT))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_context() -> Iterator[Any]:
    """A Chromium (Debian's) with a new, empty profile; closed after the session."""
    if not CHROMIUM.exists():
        missing_service(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_service("the playwright package is not installed (pip install -e '.[dev]')")
    with tempfile.TemporaryDirectory(prefix="tanji-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    """A fresh tab; console errors and uncaught exceptions fail the test."""
    tab = browser_context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        yield tab
    finally:
        tab.close()
    assert not errors, f"the page reported errors: {errors}"


@dataclass(frozen=True)
class ChainWorld:
    """Tanji's contracts on a real anvil chain with what a label audit reads: a
    certifier, a supplier whose signing key was rotated, a log with two anchored heads,
    an active label and a revoked one."""

    rpc_url: str
    chain_id: int
    deployment: Deployment
    certifier: OrgKeys
    certifier_account: LocalAccount
    supplier: OrgKeys
    operator_org: str
    active_label: bytes
    revoked_label: bytes
    log_id: str = "main"


CERTIFIER_ID = "urn:tanji:org:web-certifier"
SUPPLIER_ID = "91350100M000100Y43"
OPERATOR_ID = "urn:tanji:org:web-operator"


@pytest.fixture(scope="session")
def chain_world() -> Iterator[ChainWorld]:
    """One anvil process with a world built by the Python clients (read back by the JS)."""
    from anchors import consistency_proof_from_leaf_hashes, leaf_hash, root_from_leaf_hashes
    from anchors.chain import start_anvil
    from sdk.deploy import deploy_tanji
    from sdk.registry import Role

    binary = require_anvil()
    with start_anvil(binary=binary) as anvil:
        rpc = anvil.chain()
        registrar = rpc.new_account()
        deployment = deploy_tanji(rpc, registrar)
        participants = deployment.participants

        def admit(org_id: str, roles: list[Role]) -> tuple[OrgKeys, LocalAccount]:
            keys = OrgKeys.from_seed(org_id, hashlib.sha256(f"web {org_id}".encode()).digest())
            account = rpc.new_account()
            participants.register_organisation(
                org_id,
                account.address,
                roles,
                bytes(keys.verify_key),
                bytes(keys.public_key),
                sender=registrar,
            )
            return keys, account

        certifier, certifier_account = admit(CERTIFIER_ID, [Role.CERTIFIER])
        supplier, supplier_account = admit(SUPPLIER_ID, [Role.SUPPLIER])
        _, operator_account = admit(OPERATOR_ID, [Role.LOG_OPERATOR])
        rotated = OrgKeys.from_seed(SUPPLIER_ID, hashlib.sha256(b"web rotated").digest())
        participants.rotate_signing_key(
            bytes(rotated.verify_key), sender=supplier_account, replaces=bytes(supplier.verify_key)
        )
        anchors = deployment.anchors
        anchors.create_log("main", operator_account)
        hashes = [leaf_hash(f"web leaf {i}".encode()) for i in range(7)]
        anchors.anchor("main", 3, root_from_leaf_hashes(hashes[:3]), [], operator_account)
        anchors.anchor(
            "main",
            7,
            root_from_leaf_hashes(hashes),
            consistency_proof_from_leaf_hashes(hashes, 3),
            operator_account,
        )
        labels = deployment.labels
        common = {
            "product_id_digest": hashlib.sha256(b"urn:pact:product:web:laptop").digest(),
            "log_id": "main",
            "leaf_hash": hashes[4],
            "unit": "kgCO2e/台",
            "grade": "二级",
            "standard": "GB/T 24067-2024",
            "disclosure_digest": hashlib.sha256(b"web disclosure").digest(),
            "sender": certifier_account,
        }
        active = hashlib.sha256(b"web active label").digest()
        revoked = hashlib.sha256(b"web revoked label").digest()
        labels.issue(label_id=active, leaf_index=4, value="312.5", **common)  # type: ignore[arg-type]
        labels.issue(label_id=revoked, leaf_index=4, value="298", **common)  # type: ignore[arg-type]
        labels.revoke(revoked, "数据有误 / data error", sender=certifier_account)
        yield ChainWorld(
            rpc_url=anvil.url,
            chain_id=rpc.chain_id,
            deployment=deployment,
            certifier=certifier,
            certifier_account=certifier_account,
            supplier=supplier,
            operator_org=OPERATOR_ID,
            active_label=active,
            revoked_label=revoked,
        )
