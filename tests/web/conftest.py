"""Fixtures for the web verifier's tests: Node.js for the cross-tests, Debian's Chromium
driven by Playwright for the browser tests, and a loopback HTTP server for the pages.

Chromium is Debian's (``apt-get install chromium``; Playwright's own browser download is
not used): like PostgreSQL and anvil, a missing browser skips the test with a reason on a
laptop and fails it in CI (``TANJI_REQUIRE_SERVICES=1``).
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, missing_service

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

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
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
