"""LabelRegistry on the embedded chain: issuing, refusals, revocation paths, validity.

One chain with a ParticipantRegistry and a LabelRegistry per module; each test runs from
a snapshot of it. Refusals are checked by the custom error name the chain client decodes.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from hypothesis import given, settings
from hypothesis import strategies as st
from web3.contract import Contract

from anchors.chain import EmbeddedChain
from anchors.errors import TransactionReverted
from tests._chain import ContractWorld, digest, from_snapshot

SUPPLIER, LEADER, CERTIFIER = 0, 1, 2
UNKNOWN, ACTIVE, NOT_YET_VALID, EXPIRED, REVOKED, SUSPENDED = range(6)

CERT_1 = "91110000MA0CERT001"
CERT_2 = "91110000MA0CERT002"
LEADER_ORG = "91110000MA0LEADER1"


@dataclass
class World(ContractWorld):
    chain: EmbeddedChain
    participants: Contract
    labels: Contract
    registrar: LocalAccount
    cert1: LocalAccount
    cert1b: LocalAccount
    cert2: LocalAccount
    leader: LocalAccount
    stranger: LocalAccount

    @property
    def contract(self) -> Contract:
        return self.labels


def label_input(name: str = "label-1", **changes: Any) -> tuple[Any, ...]:
    fields: dict[str, Any] = {
        "labelId": digest(name),
        "productIdDigest": digest("urn:tanji:product:notebook-x14"),
        "logId": digest("log-1"),
        "leafIndex": 41,
        "leafHash": digest("leaf 41"),
        "value": "213.67",
        "unit": "kgCO2e/unit",
        "grade": "A (illustrative)",
        "standard": "GB/T 24067-2024",
        "validFrom": 0,
        "validUntil": 0,
        "disclosureDigest": digest("disclosure"),
    }
    fields.update(changes)
    return tuple(fields.values())


@pytest.fixture(scope="module")
def base() -> World:
    chain = EmbeddedChain()
    registrar = chain.new_account()
    p_address = chain.deploy("ParticipantRegistry", registrar.address, sender=registrar)
    participants = chain.contract("ParticipantRegistry", p_address)
    labels = chain.contract(
        "LabelRegistry", chain.deploy("LabelRegistry", p_address, sender=registrar)
    )
    w = World(
        chain=chain,
        participants=participants,
        labels=labels,
        registrar=registrar,
        cert1=chain.new_account(),
        cert1b=chain.new_account(),
        cert2=chain.new_account(),
        leader=chain.new_account(),
        stranger=chain.new_account(),
    )
    p = participants.functions
    for n, (org, account, roles) in enumerate(
        [
            (CERT_1, w.cert1, 1 << CERTIFIER),
            (CERT_2, w.cert2, 1 << CERTIFIER),
            (LEADER_ORG, w.leader, 1 << LEADER | 1 << SUPPLIER),
        ]
    ):
        keys = digest(f"sig {n}"), digest(f"enc {n}")
        w.send(p.registerOrganisation(digest(org), org, account.address, roles, *keys), registrar)
    w.send(p.addAccount(digest(CERT_1), w.cert1b.address), registrar)
    return w


@pytest.fixture
def w(base: World) -> Iterator[World]:
    yield from from_snapshot(base)


def stored(w: World, name: str = "label-1") -> tuple[Any, ...]:
    label, _status = w.call(w.f.label(digest(name)))
    return tuple(label)


# ---------------------------------------------------------------------- issuing


def test_constructor_refuses_zero_registry(w: World) -> None:
    with pytest.raises(TransactionReverted) as caught:
        w.chain.deploy("LabelRegistry", "0x" + "00" * 20, sender=w.registrar)
    assert caught.value.reason == "ZeroAddress"


def test_certifier_issues_a_label_with_default_two_year_validity(w: World) -> None:
    receipt = w.send(w.f.issueLabel(label_input()), w.cert1)
    t = w.chain.block_timestamp(receipt["blockNumber"])
    until = _two_years_after(t)
    [event] = w.events(receipt, "LabelIssued")
    assert event == {
        "labelId": digest("label-1"),
        "issuerOrg": digest(CERT_1),
        "productIdDigest": digest("urn:tanji:product:notebook-x14"),
        "issuer": w.cert1.address,
        "logId": digest("log-1"),
        "leafIndex": 41,
        "leafHash": digest("leaf 41"),
        "value": "213.67",
        "unit": "kgCO2e/unit",
        "validFrom": t,
        "validUntil": until,
    }
    label, status = w.call(w.f.label(digest("label-1")))
    assert status == ACTIVE
    assert tuple(label) == (
        *label_input(validFrom=t, validUntil=until),
        digest(CERT_1),
        w.cert1.address,
        t,
        0,
        "",
    )
    assert w.call(w.f.labelCount()) == 1
    assert w.call(w.f.isValid(digest("label-1"), t))
    assert w.call(w.f.isValid(digest("label-1"), until - 1))
    assert not w.call(w.f.isValid(digest("label-1"), until))
    assert not w.call(w.f.isValid(digest("label-1"), t - 1))


def test_any_account_of_a_certifier_org_may_issue_with_an_explicit_window(w: World) -> None:
    now = w.chain.block_timestamp()
    fn = w.f.issueLabel(label_input(validFrom=now + 1000, validUntil=now + 5000))
    w.send(fn, w.cert1b)
    assert w.call(w.f.statusAt(digest("label-1"), now)) == NOT_YET_VALID
    assert w.call(w.f.statusAt(digest("label-1"), now + 1000)) == ACTIVE
    assert w.call(w.f.statusAt(digest("label-1"), now + 5000)) == EXPIRED
    assert w.call(w.f.statusAt(digest("never issued"), now)) == UNKNOWN
    label = stored(w)
    assert label[13] == w.cert1b.address
    assert label[12] == digest(CERT_1)


@pytest.mark.parametrize("case", ["stranger", "leader org", "role revoked", "account removed"])
def test_only_certifiers_issue(w: World, case: str) -> None:
    p = w.participants.functions
    sender = w.cert1
    match case:
        case "stranger":
            sender = w.stranger
        case "leader org":
            sender = w.leader
        case "role revoked":
            w.send(p.revokeOrgRole(digest(CERT_1), CERTIFIER), w.registrar)
        case "account removed":
            w.send(p.removeAccount(digest(CERT_1), w.cert1.address), w.registrar)
    assert w.refused(w.f.issueLabel(label_input()), sender) == "NotCertifier"
    assert w.call(w.f.labelCount()) == 0


def test_the_registrar_is_not_a_certifier(w: World) -> None:
    assert w.refused(w.f.issueLabel(label_input()), w.registrar) == "NotCertifier"


def test_duplicate_label_id_refused_even_across_certifiers(w: World) -> None:
    w.send(w.f.issueLabel(label_input()), w.cert1)
    assert w.refused(w.f.issueLabel(label_input(value="1")), w.cert1) == "LabelExists"
    assert w.refused(w.f.issueLabel(label_input(value="1")), w.cert2) == "LabelExists"
    assert stored(w)[5] == "213.67"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"labelId": bytes(32)}, "EmptyField"),
        ({"productIdDigest": bytes(32)}, "EmptyField"),
        ({"logId": bytes(32)}, "EmptyField"),
        ({"leafHash": bytes(32)}, "EmptyField"),
        ({"disclosureDigest": bytes(32)}, "EmptyField"),
        ({"value": ""}, "EmptyField"),
        ({"unit": ""}, "EmptyField"),
        ({"standard": ""}, "EmptyField"),
        ({"value": "1" * 41}, "FieldTooLong"),
        ({"unit": "u" * 33}, "FieldTooLong"),
        ({"grade": "g" * 33}, "FieldTooLong"),
        ({"standard": "s" * 65}, "FieldTooLong"),
        ({"value": "1."}, "InvalidDecimal"),
        ({"value": ".5"}, "InvalidDecimal"),
        ({"value": "1e3"}, "InvalidDecimal"),
        ({"value": "1.2.3"}, "InvalidDecimal"),
        ({"value": "--1"}, "InvalidDecimal"),
        ({"value": "-"}, "InvalidDecimal"),
        ({"value": "+1"}, "InvalidDecimal"),
        ({"value": " 1"}, "InvalidDecimal"),
        ({"value": "NaN"}, "InvalidDecimal"),
        ({"validFrom": 2_000_000_000, "validUntil": 2_000_000_000}, "InvalidValidity"),
        ({"validFrom": 2_000_000_000, "validUntil": 1_999_999_999}, "InvalidValidity"),
        ({"validUntil": 1}, "InvalidValidity"),
    ],
)
def test_issue_refuses_malformed_input(w: World, changes: dict[str, Any], expected: str) -> None:
    assert w.refused(w.f.issueLabel(label_input(**changes)), w.cert1) == expected


@pytest.mark.parametrize("value", ["0", "213.67", "-12.5", "0.000001", "1234567890.1234567890"])
def test_issue_accepts_plain_decimals_verbatim(w: World, value: str) -> None:
    w.send(w.f.issueLabel(label_input(value=value, grade="")), w.cert1)
    assert stored(w)[5] == value


# -------------------------------------------------------------------- revoking


@pytest.mark.parametrize("revoker", ["cert1", "cert1b", "registrar"])
def test_issuer_org_or_registrar_revokes(w: World, revoker: str) -> None:
    w.send(w.f.issueLabel(label_input()), w.cert1)
    sender = getattr(w, revoker)
    receipt = w.send(w.f.revokeLabel(digest("label-1"), "surveillance audit failed"), sender)
    t = w.chain.block_timestamp(receipt["blockNumber"])
    assert w.events(receipt, "LabelRevoked") == [
        {
            "labelId": digest("label-1"),
            "issuerOrg": digest(CERT_1),
            "sender": sender.address,
            "reason": "surveillance audit failed",
        }
    ]
    label, status = w.call(w.f.label(digest("label-1")))
    assert status == REVOKED
    assert (label[15], label[16]) == (t, "surveillance audit failed")
    # Valid before the revocation, not from it on.
    assert w.call(w.f.isValid(digest("label-1"), t - 1))
    assert not w.call(w.f.isValid(digest("label-1"), t))
    assert w.call(w.f.statusAt(digest("label-1"), t)) == REVOKED


def test_issuer_org_may_revoke_after_losing_the_certifier_role(w: World) -> None:
    w.send(w.f.issueLabel(label_input()), w.cert1)
    p = w.participants.functions
    w.send(p.revokeOrgRole(digest(CERT_1), CERTIFIER), w.registrar)
    w.send(w.f.revokeLabel(digest("label-1"), "certificate withdrawn"), w.cert1)
    assert w.call(w.f.label(digest("label-1")))[1] == REVOKED


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("another certifier org", "NotLabelIssuer"),
        ("leader org", "NotLabelIssuer"),
        ("stranger", "NotLabelIssuer"),
        ("removed account of the issuer org", "NotLabelIssuer"),
        ("unknown label", "UnknownLabel"),
        ("already revoked", "LabelAlreadyRevoked"),
        ("empty reason", "EmptyField"),
        ("reason over 256 bytes", "FieldTooLong"),
    ],
)
def test_revocation_refusals(w: World, case: str, expected: str) -> None:
    w.send(w.f.issueLabel(label_input()), w.cert1)
    sender, label_id, reason = w.cert1, digest("label-1"), "withdrawn"
    match case:
        case "another certifier org":
            sender = w.cert2
        case "leader org":
            sender = w.leader
        case "stranger":
            sender = w.stranger
        case "removed account of the issuer org":
            fn = w.participants.functions.removeAccount(digest(CERT_1), w.cert1b.address)
            w.send(fn, w.registrar)
            sender = w.cert1b
        case "unknown label":
            label_id = digest("never issued")
        case "already revoked":
            w.send(w.f.revokeLabel(label_id, "first"), w.registrar)
        case "empty reason":
            reason = ""
        case "reason over 256 bytes":
            reason = "碳" * 86  # 258 UTF-8 bytes
    assert w.refused(w.f.revokeLabel(label_id, reason), sender) == expected


def test_label_view_of_unknown_id_is_refused(w: World) -> None:
    with pytest.raises(TransactionReverted) as caught:
        w.call(w.f.label(digest("never issued")))
    assert caught.value.reason == "UnknownLabel"
    assert not w.call(w.f.isValid(digest("never issued"), 0))


def test_status_follows_chain_time(w: World) -> None:
    now = w.chain.block_timestamp()
    w.send(w.f.issueLabel(label_input(validUntil=now + 3600)), w.cert1)
    assert w.call(w.f.label(digest("label-1")))[1] == ACTIVE
    w.chain.advance_time(3700)
    w.chain.mine()
    assert w.call(w.f.label(digest("label-1")))[1] == EXPIRED


# ------------------------------------------------- certificates and suspension


def test_certified_label_binds_number_and_digest(w: World) -> None:
    fn = w.f.issueCertifiedLabel(label_input(), "CFP-2024-0001", digest("certificate"))
    receipt = w.send(fn, w.cert1)
    assert w.events(receipt, "LabelCertificate") == [
        {"labelId": digest("label-1"), "number": "CFP-2024-0001", "digest": digest("certificate")}
    ]
    assert w.call(w.f.certificateOf(digest("label-1"))) == ["CFP-2024-0001", digest("certificate")]
    # A label issued without a certificate has none; the label view is the same for both.
    w.send(w.f.issueLabel(label_input("label-2")), w.cert1)
    assert w.call(w.f.certificateOf(digest("label-2"))) == ["", b"\0" * 32]
    assert stored(w)[1:9] == stored(w, "label-2")[1:9]
    refused = w.refused(w.f.issueCertifiedLabel(label_input("l3"), "", digest("c")), w.cert1)
    assert refused == "EmptyField"
    refused = w.refused(w.f.issueCertifiedLabel(label_input("l3"), "N", b"\0" * 32), w.cert1)
    assert refused == "EmptyField"
    refused = w.refused(w.f.issueCertifiedLabel(label_input("l3"), "N", digest("c")), w.leader)
    assert refused == "NotCertifier"


def test_suspend_and_restore_keep_every_period(w: World) -> None:
    lid = digest("label-1")
    w.send(w.f.issueCertifiedLabel(label_input(), "CFP-1", digest("c")), w.cert1)
    receipt = w.send(w.f.suspendLabel(lid, "surveillance found a data gap"), w.cert1b)
    s1 = w.chain.block_timestamp(receipt["blockNumber"])
    assert w.events(receipt, "LabelSuspended") == [
        {"labelId": lid, "issuerOrg": digest(CERT_1), "sender": w.cert1b.address,
         "reason": "surveillance found a data gap"}
    ]  # fmt: skip
    assert w.call(w.f.label(lid))[1] == SUSPENDED
    assert not w.call(w.f.isValid(lid, s1))
    assert w.refused(w.f.suspendLabel(lid, "again"), w.cert1) == "LabelAlreadySuspended"
    w.chain.advance_time(100)
    receipt = w.send(w.f.restoreLabel(lid, "data corrected"), w.registrar)
    r1 = w.chain.block_timestamp(receipt["blockNumber"])
    assert w.events(receipt, "LabelRestored")[0]["reason"] == "data corrected"
    assert w.refused(w.f.restoreLabel(lid, "again"), w.cert1) == "LabelNotSuspended"
    w.chain.advance_time(100)
    s2 = w.chain.block_timestamp(w.send(w.f.suspendLabel(lid, "second"), w.cert1)["blockNumber"])
    periods = w.call(w.f.suspensionsOf(lid))
    assert [tuple(p) for p in periods] == [
        (s1, r1, "surveillance found a data gap", "data corrected"),
        (s2, 0, "second", ""),
    ]
    # statusAt answers for any time: before, during, between and in the open period.
    assert [w.call(w.f.statusAt(lid, t)) for t in (s1 - 1, s1, r1 - 1, r1, s2 - 1, s2)] == [
        ACTIVE, SUSPENDED, SUSPENDED, ACTIVE, ACTIVE, SUSPENDED
    ]  # fmt: skip
    # Revoking a suspended label is allowed; a revoked one is neither suspended nor restored.
    t = w.chain.block_timestamp(w.send(w.f.revokeLabel(lid, "withdrawn"), w.cert1)["blockNumber"])
    assert w.call(w.f.statusAt(lid, t)) == REVOKED
    assert w.call(w.f.statusAt(lid, t - 1)) == SUSPENDED
    assert w.refused(w.f.restoreLabel(lid, "no"), w.cert1) == "LabelAlreadyRevoked"
    assert w.refused(w.f.suspendLabel(lid, "no"), w.cert1) == "LabelAlreadyRevoked"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("another certifier org", "NotLabelIssuer"),
        ("stranger", "NotLabelIssuer"),
        ("unknown label", "UnknownLabel"),
        ("empty reason", "EmptyField"),
        ("expired", "LabelExpired"),
    ],
)
def test_suspension_refusals(w: World, case: str, expected: str) -> None:
    now = w.chain.block_timestamp()
    w.send(w.f.issueLabel(label_input(validUntil=now + 3600)), w.cert1)
    sender, label_id, reason = w.cert1, digest("label-1"), "audit"
    match case:
        case "another certifier org":
            sender = w.cert2
        case "stranger":
            sender = w.stranger
        case "unknown label":
            label_id = digest("never issued")
        case "empty reason":
            reason = ""
        case "expired":
            w.chain.advance_time(3700)
    assert w.refused(w.f.suspendLabel(label_id, reason), sender) == expected


def test_a_suspended_label_still_expires(w: World) -> None:
    now = w.chain.block_timestamp()
    w.send(w.f.issueLabel(label_input(validUntil=now + 3600)), w.cert1)
    w.send(w.f.suspendLabel(digest("label-1"), "audit"), w.cert1)
    assert w.call(w.f.statusAt(digest("label-1"), now + 3599)) == SUSPENDED
    assert w.call(w.f.statusAt(digest("label-1"), now + 3600)) == EXPIRED
    with pytest.raises(TransactionReverted) as caught:
        w.call(w.f.suspensionsOf(digest("never issued")))
    assert caught.value.reason == "UnknownLabel"


# ---------------------------------------------------------- default validity


def _two_years_after(t: int) -> int:
    start = datetime.fromtimestamp(t, UTC)
    day = 28 if (start.month, start.day) == (2, 29) else start.day
    return calendar.timegm(start.replace(year=start.year + 2, day=day).timetuple())


@pytest.mark.parametrize(
    "when",
    [
        "2025-03-17T09:30:00",  # the CNCA rules' publication day
        "2024-02-29T12:00:00",  # leap day → 28 February
        "2027-03-17T00:00:00",  # the two years span 29 February 2028
        "2026-12-31T23:59:59",
        "1970-01-01T00:00:00",
        "2099-02-28T01:02:03",
    ],
)
def test_two_years_after_is_calendar_exact(w: World, when: str) -> None:
    t = calendar.timegm(datetime.fromisoformat(when).timetuple())
    assert w.call(w.f.twoYearsAfter(t)) == _two_years_after(t)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=calendar.timegm((2200, 1, 1, 0, 0, 0))))
def test_two_years_after_matches_python_calendar(base: World, t: int) -> None:
    assert base.call(base.labels.functions.twoYearsAfter(t)) == _two_years_after(t)
