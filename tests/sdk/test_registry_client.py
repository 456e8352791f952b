"""The Python clients of the registries and ``deploy_tanji``, on the embedded chain (and
once on anvil through JSON-RPC): typed results, refusals wrapped with the contract's error
name, bad input refused before anything is sent, deployments saved and reopened."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from nacl.public import PrivateKey
from nacl.signing import SigningKey

from anchors import leaf_hash, root_from_leaf_hashes
from anchors.chain import EmbeddedChain, start_anvil
from anchors.errors import TransactionReverted
from sdk.deploy import Deployment, deploy_tanji
from sdk.errors import RegistryError, RegistryRefused
from sdk.labels import Label, LabelStatus, log_id_digest
from sdk.registry import (
    KeyRecord,
    KeyType,
    Organisation,
    RevocationReason,
    Role,
    org_id_digest,
)
from tests._chain import from_snapshot
from tests.conftest import require_anvil

SUPPLIER_ORG = "91110108MA01AAAAA1"
CERTIFIER_ORG = "91440300MA5CCCCCC3"
OPERATOR_ORG = "urn:tanji:org:log-operator"


def signing_key(seed: int) -> bytes:
    return bytes(SigningKey(bytes([seed]) * 32).verify_key)


def encryption_key(seed: int) -> bytes:
    return bytes(PrivateKey(bytes([seed]) * 32).public_key)


@dataclass
class World:
    chain: EmbeddedChain
    deployment: Deployment
    registrar: LocalAccount
    supplier: LocalAccount
    certifier: LocalAccount
    operator: LocalAccount
    stranger: LocalAccount


@pytest.fixture(scope="module")
def base() -> World:
    chain = EmbeddedChain()
    registrar = chain.new_account()
    d = deploy_tanji(chain, registrar)
    w = World(
        chain,
        d,
        registrar,
        chain.new_account(),
        chain.new_account(),
        chain.new_account(),
        chain.new_account(),
    )
    for n, (org, account, roles) in enumerate(
        [
            (SUPPLIER_ORG, w.supplier, [Role.SUPPLIER]),
            (CERTIFIER_ORG, w.certifier, [Role.CERTIFIER]),
            (OPERATOR_ORG, w.operator, [Role.LOG_OPERATOR]),
        ],
        start=1,
    ):
        d.participants.register_organisation(
            org, account.address, roles, signing_key(n), encryption_key(n), sender=registrar
        )
    return w


@pytest.fixture
def w(base: World) -> Iterator[World]:
    yield from from_snapshot(base)


# ------------------------------------------------------------------ deployment


def test_deploy_tanji_wires_the_three_contracts(w: World) -> None:
    d = w.deployment
    d.check()
    assert d.chain_id == w.chain.chain_id
    assert d.anchors.operator_registry() == d.participant_registry
    assert d.labels.participant_registry() == d.participant_registry
    assert d.participants.is_registrar(w.registrar.address)
    assert len({d.participant_registry, d.anchor_registry, d.label_registry}) == 3


def test_deployment_round_trips_through_json(w: World, tmp_path: Path) -> None:
    path = tmp_path / "deployment.json"
    path.write_text(json.dumps(w.deployment.to_dict()), encoding="utf-8")
    reopened = Deployment.from_dict(json.loads(path.read_text(encoding="utf-8")), w.chain)
    assert reopened == w.deployment
    assert reopened.to_dict() == w.deployment.to_dict()
    assert reopened.to_dict()["format"] == "tanji.deployment.v1"
    org = reopened.participants.organisation(SUPPLIER_ORG)
    assert org is not None
    assert org.accounts == (w.supplier.address,)


def _broken(w: World, case: str) -> dict[str, Any]:
    data = w.deployment.to_dict()
    contracts = data["contracts"]
    match case:
        case "wrong format":
            data["format"] = "something else"
        case "another chain":
            data["chainId"] = w.chain.chain_id + 1
        case "not an address":
            contracts["LabelRegistry"] = "0x1234"
        case "no code there":
            contracts["AnchorRegistry"] = w.stranger.address
        case "swapped registries":
            contracts["ParticipantRegistry"], contracts["LabelRegistry"] = (
                contracts["LabelRegistry"],
                contracts["ParticipantRegistry"],
            )
        case "label registry of another deployment":
            other = deploy_tanji(w.chain, w.registrar)
            contracts["LabelRegistry"] = other.label_registry
        case "anchor registry of another deployment":
            other = deploy_tanji(w.chain, w.registrar)
            contracts["AnchorRegistry"] = other.anchor_registry
        case "registrar is not the registrar":
            data["registrar"] = w.stranger.address
        case "contracts missing":
            del data["contracts"]
    return data


@pytest.mark.parametrize(
    "case",
    [
        "wrong format",
        "another chain",
        "not an address",
        "no code there",
        "swapped registries",
        "label registry of another deployment",
        "anchor registry of another deployment",
        "registrar is not the registrar",
        "contracts missing",
    ],
)
def test_from_dict_refuses_what_does_not_match_the_chain(w: World, case: str) -> None:
    with pytest.raises(RegistryError):
        Deployment.from_dict(_broken(w, case), w.chain)


# ---------------------------------------------------------------- participants


def test_organisation_view_is_typed(w: World) -> None:
    p = w.deployment.participants
    org = p.organisation(SUPPLIER_ORG)
    assert isinstance(org, Organisation)
    assert org.org_id == SUPPLIER_ORG
    assert org.org_id_digest == org_id_digest(SUPPLIER_ORG)
    assert org.roles == frozenset({Role.SUPPLIER})
    assert org.has_role(Role.SUPPLIER)
    assert not org.has_role(Role.CERTIFIER)
    assert org.accounts == (w.supplier.address,)
    assert (org.signing_key_count, org.encryption_key_count) == (1, 1)
    assert org.registered_at <= w.chain.block_timestamp()
    assert p.organisation("91110000MA0UNKNOWN") is None
    assert not p.is_registered("91110000MA0UNKNOWN")
    assert p.org_of_account(w.supplier.address) == org_id_digest(SUPPLIER_ORG)
    assert p.org_id_of_account(w.supplier.address) == SUPPLIER_ORG
    assert p.org_of_account(w.stranger.address) is None
    assert p.org_id_of_account(w.stranger.address) is None


def test_roles_and_accounts_through_the_client(w: World) -> None:
    p = w.deployment.participants
    assert not p.has_role(SUPPLIER_ORG, Role.AUDITOR)
    p.grant_role(SUPPLIER_ORG, Role.AUDITOR, sender=w.registrar)
    assert p.has_role(SUPPLIER_ORG, Role.AUDITOR)
    assert p.account_has_role(w.supplier.address, Role.AUDITOR)
    p.revoke_role(SUPPLIER_ORG, Role.AUDITOR, sender=w.registrar)
    assert not p.has_role(SUPPLIER_ORG, Role.AUDITOR)

    extra = w.chain.new_account()
    p.add_account(SUPPLIER_ORG, extra.address, sender=w.registrar)
    org = p.organisation(SUPPLIER_ORG)
    assert org is not None
    assert org.accounts == (w.supplier.address, extra.address)
    p.remove_account(SUPPLIER_ORG, extra.address, sender=w.registrar)
    assert p.org_of_account(extra.address) is None

    assert p.log_operator_of(w.operator.address) == org_id_digest(OPERATOR_ORG)
    assert p.log_operator_of(w.supplier.address) is None


def test_role_history_from_the_registry_events(w: World) -> None:
    p = w.deployment.participants
    (registered,) = p.role_history(SUPPLIER_ORG)
    assert registered.role is Role.SUPPLIER
    assert registered.revoked_at is None
    first = p.grant_role(SUPPLIER_ORG, Role.LEADER, sender=w.registrar)
    second = p.revoke_role(SUPPLIER_ORG, Role.LEADER, sender=w.registrar)
    third = p.grant_role(SUPPLIER_ORG, Role.LEADER, sender=w.registrar)
    granted, revoked, again = (
        w.chain.block_timestamp(r["blockNumber"]) for r in (first, second, third)
    )
    leader = [r for r in p.role_history(SUPPLIER_ORG) if r.role is Role.LEADER]
    assert [(r.valid_from, r.revoked_at) for r in leader] == [(granted, revoked), (again, None)]
    assert leader[0].valid_at(granted)
    assert not leader[0].valid_at(revoked)
    assert p.role_history("91110108MA01ZZZZZ9") == []  # never registered


def test_role_history_follows_a_reverted_chain(base: World) -> None:
    # The client caches events by block; a chain reverted to a snapshot (or reorganised)
    # must not leave it believing in events that are gone.
    p = base.deployment.participants
    snapshot = base.chain.snapshot()
    p.grant_role(SUPPLIER_ORG, Role.AUDITOR, sender=base.registrar)
    assert any(r.role is Role.AUDITOR for r in p.role_history(SUPPLIER_ORG))
    base.chain.revert_to(snapshot)
    base.chain.mine(3)  # the same block numbers again, other blocks
    assert not any(r.role is Role.AUDITOR for r in p.role_history(SUPPLIER_ORG))


def test_label_status_at_is_the_contracts_rule(w: World) -> None:
    # The label audit decides offline with Label.status_at; it must be statusAt's rule.
    start = datetime.fromtimestamp(w.chain.block_timestamp(), UTC) + timedelta(hours=1)
    label = _issue(w, valid_from=start, valid_until=start + timedelta(days=30))
    labels = w.deployment.labels
    moments = [label.valid_from - 1, label.valid_from, label.valid_until - 1, label.valid_until]
    for t in moments:
        assert label.status_at(t) == labels.status_at(label.label_id, t), t
    receipt = labels.revoke(label.label_id, "withdrawn", sender=w.registrar)
    revoked_at = w.chain.block_timestamp(receipt["blockNumber"])
    revoked = labels.label(label.label_id)
    assert revoked is not None
    for t in [*moments, revoked_at - 1, revoked_at]:
        assert revoked.status_at(t) == labels.status_at(label.label_id, t), t


def test_certified_label_suspended_and_restored(w: World) -> None:
    # Label.status_at (what the offline audit decides with) follows suspensions as statusAt.
    label = _issue(w, certificate=("CFP-2025-0001", b"\x44" * 32))
    labels = w.deployment.labels
    assert (label.certificate_number, label.certificate_digest) == ("CFP-2025-0001", b"\x44" * 32)
    assert label.suspension is None
    s = w.chain.block_timestamp(
        labels.suspend(label.label_id, "audit", sender=w.certifier)["blockNumber"]
    )
    suspended = labels.label(label.label_id)
    assert suspended is not None
    assert suspended.status is LabelStatus.SUSPENDED
    assert suspended.suspension is not None
    assert suspended.suspension.reason == "audit"
    assert not labels.is_valid(label.label_id, s)
    w.chain.advance_time(60)
    r = w.chain.block_timestamp(
        labels.restore(label.label_id, "fixed", sender=w.certifier)["blockNumber"]
    )
    restored = labels.label(label.label_id)
    assert restored is not None
    assert restored.status is LabelStatus.ACTIVE
    assert restored.suspensions[0].restore_reason == "fixed"
    assert restored.suspension is None
    for t in (s - 1, s, r - 1, r, label.valid_until):
        assert restored.status_at(t) == labels.status_at(label.label_id, t), t
    with pytest.raises(RegistryRefused) as caught:
        labels.restore(label.label_id, "again", sender=w.certifier)
    assert caught.value.reason == "LabelNotSuspended"
    with pytest.raises(RegistryError, match="needs a reason"):
        labels.suspend(label.label_id, "", sender=w.certifier)
    with pytest.raises(RegistryError, match="certificate number"):
        _issue(w, label_id=b"\x13" * 32, certificate=("", b"\x44" * 32))
    assert _issue(w, label_id=b"\x14" * 32).certificate_number is None


def test_key_rotation_and_history(w: World) -> None:
    p = w.deployment.participants
    [first] = p.signing_key_history(SUPPLIER_ORG)
    assert first == KeyRecord(signing_key(1), first.valid_from, None, None)
    w.chain.advance_time(60)
    receipt = p.rotate_signing_key(signing_key(11), sender=w.supplier, replaces=signing_key(1))
    rotated_at = w.chain.block_timestamp(receipt["blockNumber"])
    old, new = p.signing_key_history(SUPPLIER_ORG)
    assert old == KeyRecord(
        signing_key(1), first.valid_from, rotated_at, RevocationReason.SUPERSEDED
    )
    assert new == KeyRecord(signing_key(11), rotated_at, None, None)

    before = datetime.fromtimestamp(rotated_at - 1, UTC)
    after = datetime.fromtimestamp(rotated_at, UTC)
    assert old.valid_at(before)
    assert not old.valid_at(after)
    assert p.key_valid_at(SUPPLIER_ORG, signing_key(1), before)
    assert p.key_valid_at(SUPPLIER_ORG, signing_key(1), rotated_at - 1)
    assert not p.key_valid_at(SUPPLIER_ORG, signing_key(1), after)
    assert p.key_valid_at(SUPPLIER_ORG, signing_key(11), after + timedelta(days=400))
    assert not p.key_valid_at(CERTIFIER_ORG, signing_key(11), after)
    assert p.key_record(SUPPLIER_ORG, signing_key(11)) == (KeyType.SIGNING, new)
    assert p.key_owner(signing_key(11)) == (org_id_digest(SUPPLIER_ORG), KeyType.SIGNING)
    assert p.key_owner(signing_key(99)) is None

    p.rotate_encryption_key(encryption_key(12), sender=w.supplier)
    keys = p.encryption_key_history(SUPPLIER_ORG)
    assert [k.public_key for k in keys] == [encryption_key(1), encryption_key(12)]
    assert all(k.revoked_at is None for k in keys)

    p.revoke_key(
        CERTIFIER_ORG, encryption_key(2), RevocationReason.KEY_COMPROMISE, sender=w.registrar
    )
    [revoked] = p.encryption_key_history(CERTIFIER_ORG)
    assert revoked.revocation_reason is RevocationReason.KEY_COMPROMISE
    assert revoked.revoked_at is not None


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        ("stranger registers", "NotRegistrar"),
        ("supplier grants itself a role", "NotRegistrar"),
        ("certifier revokes the supplier's key", "NotAuthorisedForOrganisation"),
        ("stranger rotates", "NotOrganisationAccount"),
        ("register twice", "OrganisationExists"),
        ("history of unknown org", "UnknownOrganisation"),
        ("record of a foreign key", "UnknownKey"),
    ],
)
def test_refusals_carry_the_contract_error_name(w: World, action: str, reason: str) -> None:
    p = w.deployment.participants
    calls: dict[str, Callable[[], object]] = {
        "stranger registers": lambda: p.register_organisation(
            "91110000MA0NEWORG7",
            w.stranger.address,
            [Role.SUPPLIER],
            signing_key(50),
            encryption_key(50),
            sender=w.stranger,
        ),
        "supplier grants itself a role": lambda: p.grant_role(
            SUPPLIER_ORG, Role.CERTIFIER, sender=w.supplier
        ),
        "certifier revokes the supplier's key": lambda: p.revoke_key(
            SUPPLIER_ORG, signing_key(1), sender=w.certifier
        ),
        "stranger rotates": lambda: p.rotate_signing_key(signing_key(51), sender=w.stranger),
        "register twice": lambda: p.register_organisation(
            SUPPLIER_ORG,
            w.stranger.address,
            [Role.SUPPLIER],
            signing_key(52),
            encryption_key(52),
            sender=w.registrar,
        ),
        "history of unknown org": lambda: p.signing_key_history("91110000MA0UNKNOWN"),
        "record of a foreign key": lambda: p.key_record(SUPPLIER_ORG, signing_key(2)),
    }
    with pytest.raises(RegistryRefused) as caught:
        calls[action]()
    assert caught.value.reason == reason
    assert reason in str(caught.value)
    assert isinstance(caught.value.__cause__, TransactionReverted)


@pytest.mark.parametrize(
    "case",
    [
        "short signing key",
        "encryption key as str",
        "bad account",
        "unknown role",
        "empty org id",
        "org id over 128 bytes",
    ],
)
def test_bad_input_is_refused_before_sending(w: World, case: str) -> None:
    p = w.deployment.participants
    block = w.chain.w3.eth.block_number
    org, roles = "91110000MA0NEWORG7", [Role.SUPPLIER]
    account: str = w.stranger.address
    sig, enc = signing_key(60), encryption_key(60)
    match case:
        case "short signing key":
            sig = sig[:31]
        case "encryption key as str":
            enc = enc.hex()  # type: ignore[assignment]
        case "bad account":
            account = "0x1234"
        case "unknown role":
            roles = [7]  # type: ignore[list-item]
        case "empty org id":
            org = ""
        case "org id over 128 bytes":
            org = "组" * 43
    with pytest.raises(RegistryError) as caught:
        p.register_organisation(org, account, roles, sig, enc, sender=w.registrar)
    assert not isinstance(caught.value, RegistryRefused)
    assert w.chain.w3.eth.block_number == block


@pytest.mark.parametrize("at", [datetime(2026, 1, 1), -1, 2**64, True, "2026-01-01"])
def test_times_must_be_aware_datetimes_or_unix_seconds(w: World, at: Any) -> None:
    with pytest.raises(RegistryError, match="at"):
        w.deployment.participants.key_valid_at(SUPPLIER_ORG, signing_key(1), at)


# ----------------------------------------------------------------------- labels


def _issue(w: World, **changes: Any) -> Label:
    fields: dict[str, Any] = {
        "label_id": b"\x11" * 32,
        "product_id_digest": b"\x22" * 32,
        "log_id": "log-1",
        "leaf_index": 7,
        "leaf_hash": leaf_hash(b"signed statement"),
        "value": Decimal("213.67"),
        "unit": "kgCO2e/unit",
        "grade": "A (illustrative)",
        "standard": "GB/T 24067-2024",
        "disclosure_digest": b"\x33" * 32,
        "sender": w.certifier,
    }
    fields.update(changes)
    return w.deployment.labels.issue(**fields)


def test_issue_and_read_a_label(w: World) -> None:
    label = _issue(w)
    issued = datetime.fromtimestamp(label.issued_at, UTC)
    assert label.status is LabelStatus.ACTIVE
    assert label.value == "213.67"
    assert label.value_decimal == Decimal("213.67")
    assert label.log_id_digest == log_id_digest("log-1")
    assert label.leaf_hash == leaf_hash(b"signed statement")
    assert label.issuer == w.certifier.address
    assert label.issuer_org_digest == org_id_digest(CERTIFIER_ORG)
    assert label.valid_from == label.issued_at
    assert label.valid_until == w.deployment.labels.two_years_after(label.valid_from)
    assert datetime.fromtimestamp(label.valid_until, UTC).year == issued.year + 2
    assert (label.revoked_at, label.revocation_reason) == (None, None)
    assert w.deployment.labels.label(b"\x11" * 32) == label
    assert w.deployment.labels.label(b"\x99" * 32) is None
    assert w.deployment.labels.is_valid(b"\x11" * 32, issued)
    assert not w.deployment.labels.is_valid(b"\x11" * 32, issued - timedelta(seconds=1))
    assert w.deployment.labels.status_at(b"\x11" * 32, issued + timedelta(days=800)) is (
        LabelStatus.EXPIRED
    )


def test_label_value_keeps_the_exact_decimal_text(w: World) -> None:
    assert _issue(w, value=Decimal("2.1367E+2")).value == "213.67"
    assert _issue(w, label_id=b"\x12" * 32, value="0.50").value == "0.50"


def test_label_with_explicit_window_and_revocation(w: World) -> None:
    start = datetime.fromtimestamp(w.chain.block_timestamp(), UTC) + timedelta(hours=1)
    label = _issue(w, valid_from=start, valid_until=start + timedelta(days=30))
    assert label.status is LabelStatus.NOT_YET_VALID
    assert label.valid_until - label.valid_from == 30 * 86400
    receipt = w.deployment.labels.revoke(b"\x11" * 32, "surveillance failed", sender=w.registrar)
    revoked_at = w.chain.block_timestamp(receipt["blockNumber"])
    again = w.deployment.labels.label(b"\x11" * 32)
    assert again is not None
    assert again.status is LabelStatus.REVOKED
    assert (again.revoked_at, again.revocation_reason) == (revoked_at, "surveillance failed")
    with pytest.raises(RegistryRefused) as caught:
        w.deployment.labels.revoke(b"\x11" * 32, "again", sender=w.certifier)
    assert caught.value.reason == "LabelAlreadyRevoked"


@pytest.mark.parametrize(
    ("sender", "reason"), [("supplier", "NotCertifier"), ("stranger", "NotCertifier")]
)
def test_label_refusals_carry_the_error_name(w: World, sender: str, reason: str) -> None:
    with pytest.raises(RegistryRefused) as caught:
        _issue(w, sender=getattr(w, sender))
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    "changes",
    [
        {"value": 213.67},
        {"value": Decimal("NaN")},
        {"value": "1e3"},
        {"value": "213,67"},
        {"label_id": b"\x11" * 31},
        {"log_id": "Log One"},
        {"leaf_index": -1},
        {"leaf_index": True},
        {"unit": ""},
        {"standard": "s" * 65},
        {"valid_from": datetime(2026, 1, 1)},
        {"valid_from": 2_000_000_000, "valid_until": 1_000_000_000},
    ],
)
def test_label_bad_input_is_refused_before_sending(w: World, changes: dict[str, Any]) -> None:
    block = w.chain.w3.eth.block_number
    with pytest.raises(RegistryError) as caught:
        _issue(w, **changes)
    assert not isinstance(caught.value, RegistryRefused)
    assert w.chain.w3.eth.block_number == block


# -------------------------------------------------------- anchors via deployment


def test_anchor_registry_of_a_deployment_follows_the_log_operator_role(w: World) -> None:
    d = w.deployment
    leaves = [leaf_hash(bytes([i])) for i in range(3)]
    d.anchors.create_log("log-1", sender=w.operator)
    d.anchors.anchor("log-1", 2, root_from_leaf_hashes(leaves[:2]), [], sender=w.operator)
    d.participants.revoke_role(OPERATOR_ORG, Role.LOG_OPERATOR, sender=w.registrar)
    with pytest.raises(TransactionReverted) as caught:
        d.anchors.anchor("log-1", 3, root_from_leaf_hashes(leaves), [], sender=w.operator)
    assert caught.value.reason == "NotLogOperator"


# ------------------------------------------------------------------------ anvil


@pytest.mark.anvil
@pytest.mark.integration
def test_deployment_saved_and_reopened_over_json_rpc(tmp_path: Path) -> None:
    with start_anvil(binary=require_anvil()) as node:
        chain = node.chain()
        registrar = chain.new_account()
        deployment = deploy_tanji(chain, registrar)
        deployment.participants.register_organisation(
            CERTIFIER_ORG,
            registrar.address,
            [Role.CERTIFIER],
            signing_key(1),
            encryption_key(1),
            sender=registrar,
        )
        saved = tmp_path / "deployment.json"
        saved.write_text(json.dumps(deployment.to_dict()), encoding="utf-8")

        reopened = Deployment.from_dict(json.loads(saved.read_text("utf-8")), node.chain())
        org = reopened.participants.organisation(CERTIFIER_ORG)
        assert org is not None
        assert org.roles == frozenset({Role.CERTIFIER})
        label = _issue_on(reopened, registrar)
        assert label.status is LabelStatus.ACTIVE
        with pytest.raises(RegistryRefused) as caught:
            _issue_on(reopened, registrar)
        assert caught.value.reason == "LabelExists"


def _issue_on(d: Deployment, sender: LocalAccount) -> Label:
    return d.labels.issue(
        label_id=b"\x44" * 32,
        product_id_digest=b"\x22" * 32,
        log_id="log-1",
        leaf_index=0,
        leaf_hash=b"\x55" * 32,
        value="75",
        unit="kgCO2e/unit",
        grade="",
        standard="GB/T 24067-2024",
        disclosure_digest=b"\x66" * 32,
        sender=sender,
    )
