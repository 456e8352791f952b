"""The in-browser verifier's speed: one attestation (receipt + 6-claim disclosure, parsed
from its wire form) verified by the bundle web/dist/tanji-verify.js under Node.js and in
Debian's Chromium, against the Python verifier on the same vector in the same run.

Goal (issue 10): in-browser verification within 2 s. Ratios are Python time / JS time
(above 1: the JS is faster). Chromium is skipped with a note when it is not installed.
The machine is shared: medians of five rounds each.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._report import Row

ROOT = Path(__file__).resolve().parent.parent
VECTOR = ROOT / "tests" / "vectors" / "valid_attestation.json"
CHROMIUM = Path("/usr/bin/chromium")
GOAL_MS = 2000.0


def _python_ms(n: int) -> float:
    from tests.vectors.generate import run_vector

    text = VECTOR.read_text(encoding="utf-8")
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            run_vector(json.loads(text))
        rounds.append((time.perf_counter() - start) * 1000 / n)
    return statistics.median(rounds)


def _node_ms(n: int) -> float:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not on PATH")
    job = {"job": "bench", "text": VECTOR.read_text(encoding="utf-8"), "n": n}
    done = subprocess.run(
        [node, str(ROOT / "web" / "test" / "run.mjs")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return float(json.loads(done.stdout)["msPerOp"])


def _chromium_ms(n: int) -> tuple[float, float] | None:
    """(ms per verification, ms to load the page and bundle) in Chromium, or None."""
    if not CHROMIUM.exists():
        return None
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        extensions_map = {  # noqa: RUF012
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".js": "text/javascript",
            ".mjs": "text/javascript",
        }

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(ROOT))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
            )
            try:
                page = context.new_page()
                start = time.perf_counter()
                page.goto(f"{base}/web/test/vectors.html")
                page.wait_for_selector("html[data-ready='1']", state="attached")
                load_ms = (time.perf_counter() - start) * 1000
                result = page.evaluate(
                    """async ([text, n]) => {
                        const T = await import('/web/dist/tanji-verify.js');
                        const { benchVector } = await import('/web/test/harness.mjs');
                        return benchVector(T, text, n);
                    }""",
                    [VECTOR.read_text(encoding="utf-8"), n],
                )
            finally:
                context.close()
    finally:
        server.shutdown()
        server.server_close()
    return float(result["msPerOp"]), load_ms


def run(quick: bool) -> list[Row]:
    n = 20 if quick else 100
    python_ms = _python_ms(n)
    node_ms = _node_ms(n)
    base = f"Python verify_attestation {python_ms:.2f} ms"
    rows = [
        Row(
            "web",
            "verify one attestation + disclosure, bundle under Node.js",
            f"{node_ms:.2f} ms",
            base,
            python_ms / node_ms,
            f"<= {GOAL_MS:.0f} ms",
            node_ms <= GOAL_MS,
        )
    ]
    chromium = _chromium_ms(n)
    if chromium is not None:
        ms, load_ms = chromium
        rows.append(
            Row(
                "web",
                "verify one attestation + disclosure in Chromium "
                f"(page + bundle load {load_ms:.0f} ms)",
                f"{ms:.2f} ms",
                base,
                python_ms / ms,
                f"<= {GOAL_MS:.0f} ms",
                ms + load_ms <= GOAL_MS,
            )
        )
    return rows
