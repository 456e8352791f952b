"""The page a label's QR code opens (``GET /labels/0x…``) and ``tanji label verify``: both
run the SDK's Auditor; checked over real HTTP against the demo's honest run (embedded
chain, node on a loopback port, SQLite)."""

from __future__ import annotations

import io
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from demo_chain._scenario import Stage, honest_path
from demo_chain._story import Story
from demo_chain._world import build_world
from node.cli import label_verify, main
from sdk.roles import Certificate


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    out = tmp_path_factory.mktemp("label-page")
    world = build_world(out)
    try:
        yield honest_path(world, out, Story(io.StringIO()))
    finally:
        world.close()


@pytest.fixture(scope="module")
def revoked(stage: Stage) -> Certificate:
    """A second label for the same attestation, then revoked by its certifier."""
    certifier = stage.cast.certifier
    check = certifier.check(stage.certificate.disclosure.attestation_id)
    second = certifier.certify(check, grade="C (illustrative)")
    certifier.revoke(second.label.label_id, "label withdrawn after a market complaint")
    return second


def _rows(page: str) -> list[tuple[str, str, str]]:
    """(step, mark, reason) of each audit row."""
    found = re.findall(
        r"<tr><td>\d</td><td>[^<]*\(<code>([a-z]+)</code>\)</td><td class=\"\w+\">(\w+)</td>"
        r"<td>([^<]*)</td></tr>",
        page,
    )
    return [(step, mark, reason) for step, mark, reason in found]


def test_the_qr_code_opens_a_page_that_shows_a_valid_label(stage: Stage) -> None:
    cert = stage.certificate
    assert cert.url == f"{stage.world.node_url}/labels/{cert.label_id}"
    response = httpx.get(cert.url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<script" not in page
    assert "Verdict: valid" in page
    rows = _rows(page)
    assert [step for step, _, _ in rows] == [
        "label",
        "issuer",
        "leaf",
        "anchor",
        "signature",
        "disclosure",
        "match",
        "superseded",
    ]
    assert all(mark == "PASS" for _, mark, _ in rows)
    # The label as on chain, the grade marked illustrative, the issuer named.
    assert "241.997 kgCO2e/piece" in page
    assert "C (illustrative)" in page
    assert "no official grade scale" in page
    assert "GB/T 24067-2024" in page
    assert stage.world.orgs["certifier"].org_id in page
    # The disclosed claims and how to check without trusting this node.
    assert "urn:pact:zhiben-computer.example:supplier-id:ZB-14-2025" in page
    assert "/pcf/referencePeriodStart" in page
    assert f"tanji label verify {cert.label_id} --node" in page


def test_a_revoked_label_names_the_failing_step(stage: Stage, revoked: Certificate) -> None:
    response = httpx.get(revoked.url)
    assert response.status_code == 200
    page = response.text
    assert "Verdict: invalid (label)" in page
    rows = dict((step, (mark, reason)) for step, mark, reason in _rows(page))
    assert rows["label"][0] == "FAIL"
    assert "revoked" in rows["label"][1]
    assert "label withdrawn after a market complaint" in page
    assert rows["match"][0] == "PASS"


def test_unknown_and_malformed_label_ids(stage: Stage) -> None:
    base = stage.world.node_url
    unknown = httpx.get(f"{base}/labels/0x{'00' * 32}")
    assert unknown.status_code == 404
    assert "Unknown label" in unknown.text
    malformed = httpx.get(f"{base}/labels/0x1234")
    assert malformed.status_code == 400
    assert "64 hexadecimal" in malformed.text


def test_cli_verifies_independently(stage: Stage, revoked: Certificate) -> None:
    world = stage.world
    node = world.public_node()
    out = io.StringIO()
    code = label_verify(
        stage.certificate.label_id,
        node=node,
        deployment=world.deployment,
        at=world.clock(),
        out=out,
    )
    assert code == 0
    assert "verdict: valid" in out.getvalue()
    out = io.StringIO()
    code = label_verify(
        revoked.label_id,
        node=node,
        deployment=world.deployment,
        at=world.clock(),
        out=out,
        as_json=True,
    )
    assert code == 1
    report = json.loads(out.getvalue())
    assert report["verdict"] == "invalid (label)"


def test_cli_reports_setup_errors_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["label", "verify", "0x" + "00" * 32, "--node", "http://127.0.0.1:9"]
    missing = [*argv, "--rpc", "http://127.0.0.1:9", "--deployment", str(tmp_path / "no.json")]
    assert main(missing) == 2
    assert "tanji label verify:" in capsys.readouterr().err
    bad = tmp_path / "deployment.json"
    bad.write_text(json.dumps({"format": "something else"}))
    assert main([*argv, "--rpc", "http://127.0.0.1:9", "--deployment", str(bad)]) == 2
    assert "tanji label verify:" in capsys.readouterr().err


def test_cli_saves_evidence_and_verifies_it_offline(
    stage: Stage,
    revoked: Certificate,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = stage.world
    saved = tmp_path / "evidence.json"
    code = label_verify(
        stage.certificate.label_id,
        node=world.public_node(),
        deployment=world.deployment,
        at=world.clock(),
        out=io.StringIO(),
        save_evidence=saved,
    )
    assert code == 0
    bundle = json.loads(saved.read_text(encoding="utf-8"))
    assert (bundle["type"], bundle["version"]) == ("tanji.label-evidence", 1)

    # Offline: any attempt to open a connection fails the test.
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("offline verification opened a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    label = stage.certificate.label_id
    assert main(["label", "verify", label, "--evidence", str(saved)]) == 0
    printed = capsys.readouterr().out
    assert "verdict: valid" in printed
    assert "chain facts read from chain" in printed
    assert main(["label", "verify", "--evidence", str(saved), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "valid"

    # A bundle whose disclosure was edited fails where the online audit would.
    for claim in bundle["disclosure"]["disclosure"]["claims"]:
        if claim["pointer"] == "/pcf/pcfExcludingBiogenicUptake":
            claim["value"] = "180.000"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(bundle), encoding="utf-8")
    assert main(["label", "verify", "--evidence", str(edited)]) == 1
    assert "invalid (disclosure)" in capsys.readouterr().out

    # Another label's id, a file that is not a bundle, a missing file: exit 2, named.
    assert main(["label", "verify", revoked.label_id, "--evidence", str(saved)]) == 2
    assert "is the evidence of label" in capsys.readouterr().err
    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"type": "tanji.label-evidence", "version": 9}')
    assert main(["label", "verify", "--evidence", str(garbage)]) == 2
    assert "tanji.label-evidence" in capsys.readouterr().err
    assert main(["label", "verify", "--evidence", str(tmp_path / "missing.json")]) == 2
    assert main(["label", "verify", label]) == 2
    assert "--evidence FILE" in capsys.readouterr().err
