"""``python -m demo_chain``: the whole scenario end to end, checked on its outcome."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import pytest

from demo_chain.__main__ import main
from demo_chain._scenario import Outcome, run
from demo_chain._story import Story
from tests.conftest import anvil_binary, missing_service

EXPECTED_STEPS = {
    "label value lower than attested": "match",
    "public disclosure altered": "disclosure",
    "label expired": "label",
    "attestation superseded": "superseded",
    "leader used another upstream value": "rollup.lineage",
    "attestation never anchored": "anchor",
    "label revoked": "label",
    "attestation signed with a key revoked before anchoring": "signature",
    # issue 11: holes 1, 4, 5 and 6 of the independent audit
    "statement dated after its anchoring": "statement.time",  # refused by the node
    "certifier labelled its own product": "issuer",
    "issuer's role revoked before anchoring": "signature",
    "leader understated its roll-up": "rollup.commitments",
    "receipt anchor fields rewritten": "receipt.schema",
    "log operator rewrote history": "anchor",
    # issue 14: data quality at the source
    "declared electricity differs from the meter": "meter.activity",
    "reading from a meter whose calibration had expired": "meter.calibration",
    "per-unit emissions implausible against the facility's ETS data": "ets.electricity",
    "label suspended": "label",
}


def check_outcome(outcome: Outcome, out: Path, transcript: str) -> None:
    report = outcome.report
    assert report.ok, report.to_text()
    assert report.verdict == "valid"
    assert outcome.label_value == "241.997"
    assert outcome.label_unit == "kgCO2e/piece"
    assert outcome.grade == "C (illustrative)"
    assert outcome.pcf["notebook"] == outcome.hand["notebook"].quantize(outcome.pcf["notebook"])
    assert {f.name: f.step for f in outcome.frauds} == EXPECTED_STEPS
    assert all(f.caught for f in outcome.frauds)
    assert outcome.qr_path == out / "label-qr.png"
    assert outcome.qr_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The printable carbon label, both forms, naming the value and the certifier.
    assert (out / "label.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    printable = (out / "label.svg").read_text(encoding="utf-8")
    assert outcome.label_value in printable
    assert outcome.label_id in printable
    saved = json.loads((out / "audit-report.json").read_text())
    assert saved["verdict"] == "valid"
    assert saved["labelId"] == outcome.label_id
    assert [c["status"] for c in saved["checks"]] == ["passed"] * 9
    assert saved["disclosed"]["/pcf/pcfExcludingBiogenicUptake"] == "241.997"
    story = (out / "story.txt").read_text(encoding="utf-8")
    assert transcript.startswith(story)
    for act in range(1, 12):
        assert f"Act {act}." in story
    assert "frauds caught: 18 of 18" in story
    # issue 14: metered electricity read through DL/T 645, checked by the certifier
    assert "through the serial gateway (simulated on 127.0.0.1)" in " ".join(story.split())
    assert "meter CQ-EM-11 (line elec): 3 signed readings" in story
    assert "meter SZ-EM-21 (line elec): 3 signed readings" in story
    assert "ets.electricity: pass" in story
    assert "ets.year: flag (overridden:" in story
    # issue 12: the label's value against six hidden supplier values, from the bundle alone
    assert "offline, from the saved bundle: passed:" in story
    assert "none of them in the bundle" in story
    # hole 3: the node's own /v1/verify accepts the honest receipt in the demo world
    assert "POST /v1/verify of the receipt and the public disclosure: ok" in story
    # hole 4: the certifier itself refuses to certify its own product
    assert "its own check refuses at 'independence'" in story
    assert "China Notebook Industry Low-Carbon Alliance publishes" in story
    assert "published by the Alliance in anchored attestation" in story
    assert outcome.verification_url.endswith(f"/labels/{outcome.label_id}")
    assert "label verification took" in story
    assert 0 < outcome.verify_seconds < outcome.total_seconds


def test_demo_on_the_embedded_chain(tmp_path: Path) -> None:
    printed = io.StringIO()
    pages: list[httpx.Response] = []

    def open_the_qr_code(served: Outcome) -> None:
        # --serve: after the story the node still answers the label's QR code URL.
        pages.append(httpx.get(served.verification_url, timeout=30))

    outcome = run(tmp_path, story=Story(printed), serve=True, wait=open_the_qr_code)
    check_outcome(outcome, tmp_path, printed.getvalue())
    assert outcome.total_seconds < 60
    assert pages[0].status_code == 200
    assert outcome.label_id in pages[0].text
    assert "The node keeps serving" in printed.getvalue()
    assert sorted(p.name for p in (tmp_path / "wallets").iterdir()) == [
        f"{k}.db"
        for k in sorted(
            (
                "adapter",
                "board",
                "cells",
                "certifier",
                "chassis",
                "glass",
                "oem",
                "pack",
                "panel",
                "ssd",
            )
        )
    ]
    assert (tmp_path / "files" / "bom" / "notebook.json").exists()


@pytest.mark.anvil
@pytest.mark.integration
def test_demo_on_anvil_with_a_node_process(tmp_path: Path) -> None:
    if anvil_binary() is None:
        missing_service("anvil binary not found (npm ci)")
    printed = io.StringIO()
    outcome = run(tmp_path, anvil=True, story=Story(printed))
    check_outcome(outcome, tmp_path, printed.getvalue())
    assert "anvil (JSON-RPC)" in printed.getvalue()


def test_command_line_without_frauds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path), "--no-frauds"]) == 0
    printed = capsys.readouterr().out
    assert "verdict: valid" in printed
    assert str(tmp_path / "label-qr.png") in printed
    assert "Frauds" not in printed
