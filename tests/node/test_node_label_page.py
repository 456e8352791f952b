"""The page a label's QR code opens (``GET /labels/0x…``): it runs the SDK's Auditor;
checked over real HTTP against the demo's honest run (embedded chain, node on a loopback
port, SQLite). ``tanji label verify`` (online, --save-evidence, --evidence) is driven in
tests/tanji/test_cli_chain.py."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from demo_chain._scenario import Stage
from sdk.roles import Certificate
from tests._demo import honest_stage


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    out = tmp_path_factory.mktemp("label-page")
    with honest_stage(out) as stage:
        yield stage


@pytest.fixture(scope="module")
def revoked(stage: Stage) -> Certificate:
    """A second label for the same attestation, then revoked by its certifier."""
    certifier = stage.cast.certifier
    check = certifier.check(stage.certificate.disclosure.attestation_id)
    second = certifier.certify(check, grade="C (illustrative)")
    certifier.revoke(second.label.label_id, "label withdrawn after a market complaint")
    return second


def _rows(page: str) -> list[tuple[str, str]]:
    """(step, status) of each audit step on the page."""
    return re.findall(r'<li data-step="([a-z]+)" data-status="([a-z]+)">', page)


def test_the_qr_code_opens_a_page_that_shows_a_valid_label(stage: Stage) -> None:
    cert = stage.certificate
    assert cert.url == f"{stage.world.node_url}/labels/{cert.label_id}"
    response = httpx.get(cert.url, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert 'data-state="valid"' in page
    assert _rows(page) == [
        (step, "passed")
        for step in (
            "label",
            "issuer",
            "leaf",
            "anchor",
            "signature",
            "disclosure",
            "match",
            "superseded",
        )
    ]
    # The label as on chain, the grade marked illustrative, the certifier named.
    assert "241.997" in page
    assert "kgCO₂e per piece" in page
    assert "C (illustrative)" in page
    assert "no official grade scale" in page
    assert "GB/T 24067-2024" in page
    assert stage.world.orgs["certifier"].org_id in page
    # The disclosed product id, the evidence for the browser, and the independent check.
    assert "urn:pact:zhiben-computer.example:supplier-id:ZB-14-2025" in page
    assert '<script type="module" src="/static/verify/label-page.js"></script>' in page
    assert f"tanji label verify {cert.label_id} --node" in page
    script = httpx.get(f"{stage.world.node_url}/static/verify/label-page.js")
    assert script.status_code == 200
    assert "auditLabel" in script.text


def test_a_revoked_label_names_the_failing_step(stage: Stage, revoked: Certificate) -> None:
    response = httpx.get(revoked.url)
    assert response.status_code == 200
    page = response.text
    assert 'data-state="revoked"' in page
    assert "已撤销" in page
    rows = dict(_rows(page))
    assert rows["label"] == "failed"
    assert "label withdrawn after a market complaint" in page
    assert rows["match"] == "passed"


def test_a_suspended_label_says_so_and_a_restored_one_is_valid_again(stage: Stage) -> None:
    """A third label, suspended (暂停) by its certifier, then restored."""
    certifier = stage.cast.certifier
    check = certifier.check(stage.certificate.disclosure.attestation_id)
    third = certifier.certify(check, grade="C (illustrative)")
    certifier.suspend(third.label.label_id, "re-audit of the plant's metering pending")
    page = httpx.get(third.url).text
    assert 'data-state="suspended"' in page
    assert "已暂停" in page
    assert "re-audit of the plant&#x27;s metering pending" in page
    assert dict(_rows(page))["label"] == "failed"
    english = httpx.get(third.url, params={"lang": "en"}).text
    assert "Suspended" in english
    certifier.restore(third.label.label_id, "re-audit passed")
    restored = httpx.get(third.url).text
    assert 'data-state="valid"' in restored
    assert "restored at" in restored


def test_unknown_and_malformed_label_ids(stage: Stage) -> None:
    base = stage.world.node_url
    unknown = httpx.get(f"{base}/labels/0x{'00' * 32}?lang=en")
    assert unknown.status_code == 404
    assert "No such label" in unknown.text
    malformed = httpx.get(f"{base}/labels/0x1234?lang=en")
    assert malformed.status_code == 400
    assert "64 hexadecimal" in malformed.text
