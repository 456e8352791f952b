"""A certificate or status-change document read back (from a wallet, a node or a file):
each malformed one is refused as CertificateError naming the field."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from sdk import FootprintCertificate, StatusChange
from sdk.errors import CertificateError
from tests.sdk.test_sdk_certificate import CERTIFIER, OEM_ID, certificate

STATUS: dict[str, str] = {
    "action": "suspend",
    "at": "2025-06-01T08:00:00Z",
    "reason": "surveillance audit overdue",
    "by": CERTIFIER,
}


def _cert(**changes: Any) -> dict[str, Any]:
    doc = certificate().to_dict()
    doc.update(changes)
    return doc


def _product(**changes: Any) -> dict[str, Any]:
    doc = certificate().to_dict()
    doc["product"].update(changes)
    return doc


def _party(name: str, **changes: Any) -> dict[str, Any]:
    doc = certificate().to_dict()
    doc[name].update(changes)
    return doc


CASES: dict[str, tuple[Callable[[Any], object], Any, str]] = {
    "not an object": (FootprintCertificate.from_dict, ["certificate"], ""),
    "another type": (FootprintCertificate.from_dict, _cert(type="tanji.label"), "/type"),
    "version 2": (FootprintCertificate.from_dict, _cert(version=2), "/version"),
    "version true": (FootprintCertificate.from_dict, _cert(version=True), "/version"),
    "models not an array": (
        FootprintCertificate.from_dict,
        _product(models="NB14-i7-16G"),
        "/product/models",
    ),
    "padded number": (FootprintCertificate.from_dict, _cert(number=" HXCC-1 "), "/number"),
    "issued not a date": (FootprintCertificate.from_dict, _cert(issued="17 March"), "/issued"),
    "applicant id lower case": (
        FootprintCertificate.from_dict,
        _party("applicant", orgId=OEM_ID.lower()),
        "/applicant/orgId",
    ),
    "status not an object": (StatusChange.from_dict, "suspend", ""),
    "status unknown action": (StatusChange.from_dict, {**STATUS, "action": "pause"}, "/action"),
    "status naive time": (StatusChange.from_dict, {**STATUS, "at": "2025-06-01T08:00:00"}, "/at"),
    "status by no one": (StatusChange.from_dict, {**STATUS, "by": "someone"}, "/by"),
    "status blank reason": (StatusChange.from_dict, {**STATUS, "reason": " "}, "/reason"),
}


def test_the_documents_parse_back_equal() -> None:
    cert = certificate()
    assert FootprintCertificate.from_dict(cert.to_dict()) == cert
    change = StatusChange.from_dict(STATUS)
    assert change.to_dict() == STATUS
    assert len(change.digest()) == 32


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_malformed_document_names_the_field(case: str) -> None:
    parse, doc, pointer = CASES[case]
    with pytest.raises(CertificateError) as err:
        parse(copy.deepcopy(doc))
    assert err.value.pointer.startswith(pointer), str(err.value)
