"""Product carbon footprint certificates (CNCA-CFP-00:2025): fields, canonical form and
digest, and the status model (suspend, restore, revoke, expiry)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from sdk import (
    CERTIFICATE_TAG,
    CertificateParty,
    CertificateStatus,
    CertificationBasis,
    FootprintCertificate,
    StatusAction,
    StatusChange,
    canonical_json,
    certificate_status,
    check_status_change,
    default_valid_until,
    uscc_check_char,
)
from sdk.errors import CertificateError

CERTIFIER = "12100000MA0CER010K"
OEM_ID = "91110108MA01NB009" + uscc_check_char("91110108MA01NB009")


def certificate(**changes: Any) -> FootprintCertificate:
    base = FootprintCertificate(
        number="HXCC-CFP-2025-000123",
        applicant=CertificateParty(
            "Beijing Northbook Computer Co., Ltd.", "Haidian, Beijing", OEM_ID
        ),
        producer=CertificateParty(
            "Beijing Northbook Computer Co., Ltd.", "Haidian, Beijing", OEM_ID
        ),
        manufacturer=CertificateParty(
            "Chongqing Example Assembly Co., Ltd.", "Shapingba, Chongqing"
        ),
        product_name="Notebook computer",
        series="NB14",
        models=("NB14-i7-16G", "NB14-i5-16G"),
        basis=CertificationBasis(product_rule="Notebook computers PCR (illustrative)"),
        mode="document review + on-site inspection + footprint verification + surveillance",
        conclusion="The product's carbon footprint conforms to GB/T 24067-2024 as certified.",
        pcf_value=Decimal("241.997"),
        pcf_unit="kgCO2e/piece",
        boundary="partial",
        issued=date(2025, 3, 17),
        valid_until=default_valid_until(date(2025, 3, 17)),
        certifier=CertificateParty("Huaxia Carbon Certification Center", "Beijing", CERTIFIER),
        attestation_id="ab" * 32,
        status_url="https://labels.example.org/labels/0x" + "cd" * 32,
    )
    return dataclasses.replace(base, **changes)


def change(action: StatusAction, at: datetime, reason: str = "as decided") -> StatusChange:
    return StatusChange(action, at, reason, CERTIFIER)


def cst(y: int, m: int, d: int, h: int = 0) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC) - timedelta(hours=8)


def test_json_round_trip_and_digest() -> None:
    cert = certificate()
    doc = json.loads(json.dumps(cert.to_dict()))
    assert FootprintCertificate.from_dict(doc) == cert
    assert doc["basis"] == {
        "standard": "GB/T 24067-2024",
        "productRule": "Notebook computers PCR (illustrative)",
        "scheme": "CNCA-CFP-00:2025",
    }
    assert doc["validUntil"] == "2027-03-16"
    assert doc["footprint"] == {"value": "241.997", "unit": "kgCO2e/piece", "boundary": "partial"}
    expected = hashlib.sha256(CERTIFICATE_TAG.encode() + b"\0" + canonical_json(doc)).digest()
    assert cert.digest() == expected
    assert certificate(models=("NB14-i7-16G",)).digest() != expected
    without = certificate(manufacturer=None, series=None, attestation_id=None, status_url=None)
    assert FootprintCertificate.from_dict(without.to_dict()) == without


def test_validity_in_china_standard_time() -> None:
    cert = certificate()
    assert cert.valid_from_time == cst(2025, 3, 17)
    assert cert.valid_until_time == cst(2027, 3, 17)
    assert default_valid_until(date(2024, 2, 29)) == date(2026, 2, 27)


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"number": " HX-1"}, "/number"),
        ({"models": ()}, "/product/models"),
        ({"models": ("A", "A")}, "/product/models"),
        ({"valid_until": date(2025, 3, 16)}, "/validUntil"),
        ({"pcf_value": Decimal("-1")}, "/footprint/value"),
        ({"boundary": "gate"}, "/footprint/boundary"),
        ({"certifier": CertificateParty("No id")}, "/certifier/orgId"),
        ({"producer": CertificateParty("X", org_id="91110108MA01NB0090")}, "/producer/orgId"),
        ({"applicant": CertificateParty("")}, "/applicant/name"),
        ({"attestation_id": "AB" * 32}, "/attestation"),
        ({"status_url": "ftp://x"}, "/statusUrl"),
        ({"mode": ""}, "/mode"),
    ],
)
def test_fields_are_validated(changes: dict[str, object], pointer: str) -> None:
    with pytest.raises(CertificateError) as info:
        certificate(**changes)
    assert info.value.pointer == pointer


def test_parse_errors_name_the_field() -> None:
    doc = certificate().to_dict()
    del doc["conclusion"]
    with pytest.raises(CertificateError) as info:
        FootprintCertificate.from_dict(doc)
    assert info.value.pointer == "/conclusion"
    doc = certificate().to_dict()
    doc["footprint"]["value"] = 241.997
    with pytest.raises(CertificateError) as info:
        FootprintCertificate.from_dict(doc)
    assert info.value.pointer == "/footprint/value"
    doc = certificate().to_dict()
    doc["grade"] = "C"
    with pytest.raises(CertificateError) as info:
        FootprintCertificate.from_dict(doc)
    assert info.value.pointer == "/grade"


def test_status_over_a_certificate_life() -> None:
    cert = certificate()
    history: tuple[StatusChange, ...] = ()
    suspend = change(
        StatusAction.SUSPEND, cst(2025, 9, 1), "surveillance audit found the PCR misapplied"
    )
    restore = change(StatusAction.RESTORE, cst(2025, 10, 15), "corrective action verified on site")
    revoke = change(StatusAction.REVOKE, cst(2026, 6, 1), "the product's bill of materials changed")
    for item in (suspend, restore, revoke):
        history = check_status_change(cert, history, item)

    def status(at: datetime) -> CertificateStatus:
        return certificate_status(cert, history, at=at).status

    assert status(cst(2025, 3, 16, 23)) is CertificateStatus.NOT_YET_VALID
    assert status(cst(2025, 3, 17)) is CertificateStatus.ACTIVE
    suspended = certificate_status(cert, history, at=cst(2025, 9, 2))
    assert suspended.status is CertificateStatus.SUSPENDED
    assert suspended.reason == "surveillance audit found the PCR misapplied"
    restored = certificate_status(cert, history, at=cst(2025, 11, 1))
    assert restored.status is CertificateStatus.ACTIVE
    assert restored.restored
    assert restored.reason == "corrective action verified on site"
    revoked = certificate_status(cert, history, at=cst(2028, 1, 1))
    assert revoked.status is CertificateStatus.REVOKED  # revoked stays revoked after expiry
    assert revoked.to_dict()["change"]["action"] == "revoke"
    assert certificate_status(cert, (), at=cst(2027, 3, 17)).status is CertificateStatus.EXPIRED
    assert certificate_status(cert, (), at=cst(2027, 3, 16, 23)).status is CertificateStatus.ACTIVE
    # suspended until expiry: expired
    assert (
        certificate_status(cert, (suspend,), at=cst(2027, 4, 1)).status is CertificateStatus.EXPIRED
    )


@pytest.mark.parametrize(
    ("history", "refused", "message"),
    [
        (
            (),
            (StatusAction.RESTORE, cst(2025, 5, 1)),
            "cannot restore a certificate that is active",
        ),
        (
            ((StatusAction.SUSPEND, cst(2025, 5, 1)),),
            (StatusAction.SUSPEND, cst(2025, 5, 2)),
            "cannot suspend a certificate that is suspended",
        ),
        (
            ((StatusAction.REVOKE, cst(2025, 5, 1)),),
            (StatusAction.RESTORE, cst(2025, 5, 2)),
            "cannot restore a certificate that is revoked",
        ),
        (
            ((StatusAction.SUSPEND, cst(2025, 5, 2)),),
            (StatusAction.RESTORE, cst(2025, 5, 1)),
            "time order",
        ),
        ((), (StatusAction.SUSPEND, cst(2025, 3, 16)), "before the certificate was issued"),
        ((), (StatusAction.REVOKE, cst(2027, 3, 17)), "expired"),
    ],
)
def test_forbidden_status_changes(
    history: tuple[tuple[StatusAction, datetime], ...],
    refused: tuple[StatusAction, datetime],
    message: str,
) -> None:
    cert = certificate()
    done = tuple(change(a, t) for a, t in history)
    with pytest.raises(CertificateError, match=message):
        check_status_change(cert, done, change(*refused))


def test_only_the_issuing_body_changes_the_status() -> None:
    other = StatusChange(StatusAction.SUSPEND, cst(2025, 5, 1), "not mine", OEM_ID)
    with pytest.raises(CertificateError, match="only the issuing body") as info:
        check_status_change(certificate(), (), other)
    assert info.value.pointer == "/changes/0/by"


def test_status_change_records() -> None:
    item = change(StatusAction.SUSPEND, cst(2025, 9, 1), "surveillance")
    assert StatusChange.from_dict(json.loads(json.dumps(item.to_dict()))) == item
    assert len(item.digest()) == 32
    with pytest.raises(CertificateError) as info:
        StatusChange(StatusAction.SUSPEND, cst(2025, 9, 1), "", CERTIFIER)
    assert info.value.pointer == "/reason"
    with pytest.raises(CertificateError, match="suspend, restore or revoke"):
        StatusChange.from_dict({**item.to_dict(), "action": "cancel"})
    with pytest.raises(ValueError, match="naive"):
        certificate_status(certificate(), (), at=datetime(2025, 5, 1))
