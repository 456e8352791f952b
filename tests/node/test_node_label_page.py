"""The page a label's QR code opens (``GET /labels/0x…``): it runs the SDK's Auditor;
checked over real HTTP against the demo's honest run (embedded chain, node on a loopback
port, SQLite). ``tanji label verify`` (online, --save-evidence, --evidence) is driven in
tests/tanji/test_cli_chain.py."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import httpx
import pytest

from demo_chain._scenario import Certificate, Stage, honest_path
from demo_chain._story import Story
from demo_chain._world import build_world


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
