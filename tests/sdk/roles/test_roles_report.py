"""The audit report (pure) and the labelling helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sdk.errors import VerificationError
from sdk.roles import (
    AuditCheck,
    AuditReport,
    CheckResult,
    CheckStatus,
    derive_label_id,
    label_id_bytes,
    label_unit,
    verification_url,
    write_qr,
)

AT = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def report(*statuses: CheckStatus) -> AuditReport:
    results = tuple(
        CheckResult(check, status, f"reason {check.number}")
        for check, status in zip(AuditCheck, statuses, strict=False)
    )
    return AuditReport(label_id="0x" + "ab" * 32, checked_at=AT, results=results)


def test_checks_follow_design_6_5() -> None:
    assert [c.number for c in AuditCheck] == list(range(1, 10))
    assert [c.step for c in AuditCheck] == [
        "label", "issuer", "leaf", "anchor", "signature", "disclosure", "match", "superseded",
        "rollup.commitments",
    ]  # fmt: skip


def test_all_passed_is_valid() -> None:
    r = report(*[CheckStatus.PASSED] * 8)
    assert r.ok
    assert r.verdict == "valid"
    assert r.failed is None
    r.raise_for_failure()


def test_warning_keeps_the_label_valid() -> None:
    r = report(*[CheckStatus.PASSED] * 7, CheckStatus.WARNED)
    assert r.ok
    assert r.verdict == "valid with warnings"
    assert [w.check for w in r.warnings] == [AuditCheck.SUPERSEDED]


def test_first_failure_names_the_step() -> None:
    r = report(
        CheckStatus.PASSED,
        CheckStatus.PASSED,
        CheckStatus.PASSED,
        CheckStatus.FAILED,
        CheckStatus.SKIPPED,
        CheckStatus.FAILED,
    )
    assert not r.ok
    assert r.verdict == "invalid (anchor)"
    with pytest.raises(VerificationError) as info:
        r.raise_for_failure()
    assert info.value.step == "anchor"
    assert info.value.reason == "reason 4"


def test_report_serialises_every_check() -> None:
    r = report(*[CheckStatus.PASSED] * 9)
    doc = r.to_dict()
    assert doc["verdict"] == "valid"
    assert doc["checkedAt"] == "2026-05-01T12:00:00Z"
    assert [c["step"] for c in doc["checks"]] == [c.step for c in AuditCheck]
    text = r.to_text()
    assert "(1) [PASS]" in text
    assert "verdict: valid" in text
    with pytest.raises(KeyError):
        report(CheckStatus.PASSED).result(AuditCheck.MATCH)


def test_label_id_forms() -> None:
    raw = bytes(range(32))
    assert label_id_bytes(raw) == raw
    assert label_id_bytes("0x" + raw.hex()) == raw
    assert label_id_bytes(raw.hex()) == raw
    for bad in (b"short", "0x1234", "zz" * 32, 42):
        with pytest.raises(ValueError, match="label id"):
            label_id_bytes(bad)  # type: ignore[arg-type]


def test_label_ids_are_bound_to_certifier_and_attestation() -> None:
    a = derive_label_id("12100000MA0CER010K", "aa" * 32, b"n")
    assert a != derive_label_id("12100000MA0CER010K", "bb" * 32, b"n")
    assert a != derive_label_id("91110108MA01NB009J", "aa" * 32, b"n")
    assert a != derive_label_id("12100000MA0CER010K", "aa" * 32, b"m")
    assert len(a) == 32


def test_label_unit() -> None:
    assert label_unit("piece", "1") == "kgCO2e/piece"
    assert label_unit("kilogram", "1000") == "kgCO2e/1000 kilogram"
    for bad in ("0", "-1"):
        with pytest.raises(ValueError, match="positive"):
            label_unit("piece", bad)
    for bad in ("one", "\uff11", "1e3", " 1"):  # "１": a fullwidth 1 is not ASCII
        with pytest.raises(ValueError, match="not a decimal"):
            label_unit("piece", bad)


def test_qr_code_file(tmp_path: Path) -> None:
    url = verification_url("http://127.0.0.1:8080/", bytes(32))
    assert url == "http://127.0.0.1:8080/labels/0x" + "00" * 32
    png = write_qr(url, tmp_path / "qr" / "label.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = write_qr(url, tmp_path / "label.svg")
    assert b"<svg" in svg.read_bytes()
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        write_qr(url, tmp_path / "label.txt")
