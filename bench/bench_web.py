"""The in-browser verifier's speed: the bundle web/dist/tanji-verify.js under Node.js and
in Debian's Chromium, against the Python verifier on the same vector in the same run.

Three vectors, each parsed from its wire form and verified:

- ``valid_attestation``: one attestation (receipt + 6-claim disclosure);
- ``range_proof_valid``: one 56-bit range proof (zk.js against sdk.zk, libsodium);
- ``label_rollup_valid``: a label's whole audit with check 9, the committed roll-up (two
  upstream attestations, so three range proofs, and the roll-up equation).

Goal (issue 10): in-browser verification within 2 s. Ratios are Python time / JS time
(above 1: the JS is faster). Chromium is skipped with a note when it is not installed.
The machine is shared: medians of five rounds each.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._browser import CHROMIUM, chromium_page
from bench._report import Row

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "tests" / "vectors"
GOAL_MS = 2000.0


@dataclass(frozen=True)
class Case:
    """One vector, what it is called in the table, and the Python function that runs it."""

    path: Path
    what: str
    python: str
    runs: int  # verifications per round (full run); --quick takes a fifth, at least 1


def _run_protocol(vector: dict[str, Any]) -> None:
    from tests.vectors.generate import run_vector

    run_vector(vector)


def _run_zk(vector: dict[str, Any]) -> None:
    from tests.vectors.commitments.generate import run_vector

    run_vector(vector)


CASES = (
    Case(
        VECTORS / "valid_attestation.json",
        "verify one attestation + disclosure",
        "verify_attestation",
        100,
    ),
    Case(
        VECTORS / "commitments" / "range_proof_valid.json",
        "verify one 56-bit range proof",
        "verify_range",
        10,
    ),
    Case(
        VECTORS / "label_rollup_valid.json",
        "label audit with check 9 (2 upstream range proofs + the own term's + the roll-up)",
        "audit_label",
        5,
    ),
)
PYTHON: dict[str, Callable[[dict[str, Any]], None]] = {
    "verify_attestation": _run_protocol,
    "audit_label": _run_protocol,
    "verify_range": _run_zk,
}


def _python_ms(case: Case, n: int) -> float:
    text = case.path.read_text(encoding="utf-8")
    run = PYTHON[case.python]
    run(json.loads(text))  # warm
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            run(json.loads(text))
        rounds.append((time.perf_counter() - start) * 1000 / n)
    return statistics.median(rounds)


def _node_ms(case: Case, n: int) -> float:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not on PATH")
    job = {"job": "bench", "text": case.path.read_text(encoding="utf-8"), "n": n}
    done = subprocess.run(
        [node, str(ROOT / "web" / "test" / "run.mjs")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return float(json.loads(done.stdout)["msPerOp"])


def _chromium_ms(cases: list[tuple[Case, int]]) -> tuple[list[float], float] | None:
    """(ms per verification of each case, ms to load the page and bundle) in Chromium, or
    None when Chromium is not installed."""
    if not CHROMIUM.exists():
        return None
    import functools
    import http.server
    import threading

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
    out = []
    try:
        with chromium_page() as page:
            page.set_default_timeout(600_000)
            start = time.perf_counter()
            page.goto(f"{base}/web/test/vectors.html")
            page.wait_for_selector("html[data-ready='1']", state="attached")
            load_ms = (time.perf_counter() - start) * 1000
            for case, n in cases:
                result = page.evaluate(
                    """async ([text, n]) => {
                        const T = await import('/web/dist/tanji-verify.js');
                        const { benchVector } = await import('/web/test/harness.mjs');
                        return benchVector(T, text, n);
                    }""",
                    [case.path.read_text(encoding="utf-8"), n],
                )
                out.append(float(result["msPerOp"]))
    finally:
        server.shutdown()
        server.server_close()
    return out, load_ms


def run(quick: bool) -> list[Row]:
    sized = [(case, max(1, case.runs // 5) if quick else case.runs) for case in CASES]
    python = [_python_ms(case, n) for case, n in sized]
    node = [_node_ms(case, n) for case, n in sized]
    chromium = _chromium_ms(sized)
    rows = []
    for i, (case, _) in enumerate(sized):
        base = f"Python {case.python} {python[i]:.2f} ms"
        rows.append(
            Row(
                "web",
                f"{case.what}, bundle under Node.js",
                f"{node[i]:.2f} ms",
                base,
                python[i] / node[i],
                f"<= {GOAL_MS:.0f} ms",
                node[i] <= GOAL_MS,
            )
        )
        if chromium is not None:
            ms, load_ms = chromium[0][i], chromium[1]
            rows.append(
                Row(
                    "web",
                    f"{case.what} in Chromium (page + bundle load {load_ms:.0f} ms)",
                    f"{ms:.2f} ms",
                    base,
                    python[i] / ms,
                    f"<= {GOAL_MS:.0f} ms",
                    ms + load_ms <= GOAL_MS,
                )
            )
    return rows
