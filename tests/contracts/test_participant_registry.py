"""ParticipantRegistry on the embedded chain: every access path, key history, wiring.

One chain and one deployed world per module; each test runs from a snapshot of it.
Refusals are checked by the custom error name the chain client decodes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from web3.contract import Contract

from anchors import consistency_proof_from_leaf_hashes, leaf_hash, root_from_leaf_hashes
from anchors.chain import EmbeddedChain
from anchors.errors import TransactionReverted
from tests._chain import ContractWorld, digest, from_snapshot

SUPPLIER, LEADER, CERTIFIER, AUDITOR, LOG_OPERATOR = range(5)
SIGNING, ENCRYPTION = 0, 1
SUPERSEDED, KEY_COMPROMISE = 2, 1


def key(name: str) -> bytes:
    return hashlib.sha256(b"test key " + name.encode()).digest()


ORG_A = "91110108MA01AAAAA1"  # supplier, two accounts
ORG_B = "91310000MA1BBBBBB2"  # leader
ORG_C = "91440300MA5CCCCCC3"  # certifier
ORG_O = "urn:tanji:org:log-operator"  # log operator


@dataclass
class World(ContractWorld):
    chain: EmbeddedChain
    registry: Contract
    registrar: LocalAccount
    a1: LocalAccount
    a2: LocalAccount
    b1: LocalAccount
    c1: LocalAccount
    o1: LocalAccount
    stranger: LocalAccount

    @property
    def contract(self) -> Contract:
        return self.registry


def register(w: World, org: str, account: LocalAccount, roles: int, tag: str) -> Any:
    fn = w.f.registerOrganisation(
        digest(org), org, account.address, roles, key(f"{tag}-sig-1"), key(f"{tag}-enc-1")
    )
    return w.send(fn, w.registrar)


@pytest.fixture(scope="module")
def base() -> World:
    chain = EmbeddedChain()
    registrar = chain.new_account()
    address = chain.deploy("ParticipantRegistry", registrar.address, sender=registrar)
    w = World(
        chain=chain,
        registry=chain.contract("ParticipantRegistry", address),
        registrar=registrar,
        a1=chain.new_account(),
        a2=chain.new_account(),
        b1=chain.new_account(),
        c1=chain.new_account(),
        o1=chain.new_account(),
        stranger=chain.new_account(),
    )
    register(w, ORG_A, w.a1, 1 << SUPPLIER, "a")
    w.send(w.f.addAccount(digest(ORG_A), w.a2.address), w.registrar)
    register(w, ORG_B, w.b1, 1 << LEADER | 1 << SUPPLIER, "b")
    register(w, ORG_C, w.c1, 1 << CERTIFIER, "c")
    register(w, ORG_O, w.o1, 1 << LOG_OPERATOR, "o")
    return w


@pytest.fixture
def w(base: World) -> Iterator[World]:
    yield from from_snapshot(base)


# ------------------------------------------------------------------ deployment


def test_constructor_refuses_zero_admin(w: World) -> None:
    with pytest.raises(TransactionReverted) as caught:
        w.chain.deploy("ParticipantRegistry", "0x" + "00" * 20, sender=w.registrar)
    assert caught.value.reason == "ZeroAddress"


def test_deployer_is_admin_and_registrar(w: World) -> None:
    registrar_role = w.call(w.f.REGISTRAR_ROLE())
    admin_role = w.call(w.f.DEFAULT_ADMIN_ROLE())
    assert w.call(w.f.hasRole(registrar_role, w.registrar.address))
    assert w.call(w.f.hasRole(admin_role, w.registrar.address))
    assert w.call(w.f.isRegistrar(w.registrar.address))
    assert not w.call(w.f.isRegistrar(w.a1.address))
    assert w.call(w.f.organisationCount()) == 4


def test_admin_can_appoint_another_registrar_and_strangers_cannot(w: World) -> None:
    role = w.call(w.f.REGISTRAR_ROLE())
    assert (
        w.refused(w.f.grantRole(role, w.stranger.address), w.stranger)
        == "AccessControlUnauthorizedAccount"
    )
    assert w.refused(w.f.grantRole(role, w.a1.address), w.a1) == "AccessControlUnauthorizedAccount"
    w.send(w.f.grantRole(role, w.stranger.address), w.registrar)
    assert w.call(w.f.isRegistrar(w.stranger.address))
    other = "91110000MA0NEWORG7"
    fn = w.f.registerOrganisation(
        digest(other), other, w.chain.new_account().address, 1, key("n1"), key("n2")
    )
    w.send(fn, w.stranger)
    assert w.call(w.f.isRegistered(digest(other)))


# ------------------------------------------------------------ registrar-only paths


def _registrar_calls(w: World) -> dict[str, Any]:
    fresh = "91110000MA0FRESH01"
    return {
        "registerOrganisation": w.f.registerOrganisation(
            digest(fresh), fresh, w.stranger.address, 1, key("f-s"), key("f-e")
        ),
        "grantOrgRole": w.f.grantOrgRole(digest(ORG_A), AUDITOR),
        "revokeOrgRole": w.f.revokeOrgRole(digest(ORG_A), SUPPLIER),
        "addAccount": w.f.addAccount(digest(ORG_A), w.stranger.address),
        "removeAccount": w.f.removeAccount(digest(ORG_A), w.a2.address),
    }


@pytest.mark.parametrize(
    "function",
    ["registerOrganisation", "grantOrgRole", "revokeOrgRole", "addAccount", "removeAccount"],
)
@pytest.mark.parametrize("caller", ["stranger", "a1", "c1", "o1"])
def test_registrar_functions_refuse_everyone_else(w: World, function: str, caller: str) -> None:
    """Strangers, the organisation's own account, other orgs' accounts: all refused."""
    fn = _registrar_calls(w)[function]
    assert w.refused(fn, getattr(w, caller)) == "NotRegistrar"


def test_register_organisation_stores_everything_and_emits(w: World) -> None:
    org = "91110000MA0NEWORG7"
    account = w.chain.new_account()
    roles = 1 << SUPPLIER | 1 << AUDITOR
    receipt = w.send(
        w.f.registerOrganisation(digest(org), org, account.address, roles, key("s"), key("e")),
        w.registrar,
    )
    now = w.chain.block_timestamp(receipt["blockNumber"])
    [registered] = w.events(receipt, "OrganisationRegistered")
    assert registered == {
        "orgId": digest(org),
        "orgIdString": org,
        "account": account.address,
        "roles": roles,
    }
    assert w.events(receipt, "AccountAdded")[0]["account"] == account.address
    assert w.events(receipt, "SigningKeyAdded") == [
        {"orgId": digest(org), "key": key("s"), "validFrom": now}
    ]
    assert w.events(receipt, "EncryptionKeyAdded") == [
        {"orgId": digest(org), "key": key("e"), "validFrom": now}
    ]
    view = w.call(w.f.organisation(digest(org)))
    assert view == (digest(org), org, roles, now, [account.address], 1, 1)
    assert w.call(w.f.orgOfAccount(account.address)) == digest(org)
    assert w.call(w.f.orgHasRole(digest(org), SUPPLIER))
    assert w.call(w.f.orgHasRole(digest(org), AUDITOR))
    assert not w.call(w.f.orgHasRole(digest(org), CERTIFIER))
    assert w.call(w.f.accountHasRole(account.address, AUDITOR))
    assert not w.call(w.f.accountHasRole(account.address, LEADER))
    assert w.call(w.f.signingKeys(digest(org))) == [(key("s"), now, 0, 0)]
    assert w.call(w.f.encryptionKeys(digest(org))) == [(key("e"), now, 0, 0)]
    assert tuple(w.call(w.f.keyRecord(digest(org), key("s")))) == (SIGNING, now, 0, 0)
    assert tuple(w.call(w.f.keyOwner(key("e")))) == (digest(org), ENCRYPTION)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("digest of another string", "OrgIdMismatch"),
        ("empty org id", "InvalidOrgIdString"),
        ("org id over 128 bytes", "InvalidOrgIdString"),
        ("already registered", "OrganisationExists"),
        ("unknown role bit", "InvalidRoles"),
        ("zero account", "ZeroAddress"),
        ("account of another org", "AccountAlreadyRegistered"),
        ("zero signing key", "ZeroKey"),
        ("zero encryption key", "ZeroKey"),
        ("signing key of another org", "KeyAlreadyRegistered"),
        ("same key for signing and encryption", "KeyAlreadyRegistered"),
    ],
)
def test_register_organisation_refusals(w: World, case: str, expected: str) -> None:
    org, roles, sig, enc = "91110000MA0NEWORG7", 1, key("s"), key("e")
    account: str = w.stranger.address
    org_digest = digest(org)
    match case:
        case "digest of another string":
            org_digest = digest(ORG_A)
        case "empty org id":
            org, org_digest = "", digest("")
        case "org id over 128 bytes":
            org = "x" * 129
            org_digest = digest(org)
        case "already registered":
            org, org_digest = ORG_A, digest(ORG_A)
        case "unknown role bit":
            roles = 1 << 5
        case "zero account":
            account = "0x" + "00" * 20
        case "account of another org":
            account = w.a1.address
        case "zero signing key":
            sig = bytes(32)
        case "zero encryption key":
            enc = bytes(32)
        case "signing key of another org":
            sig = key("a-sig-1")
        case "same key for signing and encryption":
            enc = sig
    fn = w.f.registerOrganisation(org_digest, org, account, roles, sig, enc)
    assert w.refused(fn, w.registrar) == expected
    assert not w.call(w.f.isRegistered(digest("91110000MA0NEWORG7")))


# -------------------------------------------------------------------- org roles


def test_grant_and_revoke_org_role(w: World) -> None:
    receipt = w.send(w.f.grantOrgRole(digest(ORG_A), CERTIFIER), w.registrar)
    assert w.events(receipt, "OrgRoleGranted") == [
        {"orgId": digest(ORG_A), "role": CERTIFIER, "sender": w.registrar.address}
    ]
    assert w.call(w.f.accountHasRole(w.a2.address, CERTIFIER))
    receipt = w.send(w.f.revokeOrgRole(digest(ORG_A), CERTIFIER), w.registrar)
    assert w.events(receipt, "OrgRoleRevoked") == [
        {"orgId": digest(ORG_A), "role": CERTIFIER, "sender": w.registrar.address}
    ]
    assert not w.call(w.f.accountHasRole(w.a2.address, CERTIFIER))
    assert w.call(w.f.orgHasRole(digest(ORG_A), SUPPLIER))


@pytest.mark.parametrize(
    ("function", "org", "role", "expected"),
    [
        ("grantOrgRole", "91110000MA0UNKNOWN", AUDITOR, "UnknownOrganisation"),
        ("revokeOrgRole", "91110000MA0UNKNOWN", SUPPLIER, "UnknownOrganisation"),
        ("grantOrgRole", ORG_A, 5, "InvalidRole"),
        ("revokeOrgRole", ORG_A, 7, "InvalidRole"),
        ("grantOrgRole", ORG_A, SUPPLIER, "OrgRoleAlreadyGranted"),
        ("revokeOrgRole", ORG_A, CERTIFIER, "OrgRoleNotGranted"),
    ],
)
def test_org_role_refusals(w: World, function: str, org: str, role: int, expected: str) -> None:
    fn = getattr(w.f, function)(digest(org), role)
    assert w.refused(fn, w.registrar) == expected


def test_role_views_for_unknown_accounts_and_roles(w: World) -> None:
    assert not w.call(w.f.accountHasRole(w.stranger.address, SUPPLIER))
    assert not w.call(w.f.orgHasRole(digest("nobody"), SUPPLIER))
    with pytest.raises(TransactionReverted) as caught:
        w.call(w.f.orgHasRole(digest(ORG_A), 9))
    assert caught.value.reason == "InvalidRole"


# --------------------------------------------------------------------- accounts


def test_add_and_remove_accounts(w: World) -> None:
    extra = w.chain.new_account()
    receipt = w.send(w.f.addAccount(digest(ORG_A), extra.address), w.registrar)
    assert w.events(receipt, "AccountAdded") == [
        {"orgId": digest(ORG_A), "account": extra.address, "sender": w.registrar.address}
    ]
    assert w.call(w.f.organisation(digest(ORG_A)))[4] == [w.a1.address, w.a2.address, extra.address]
    # Removing from the middle keeps the others (swap with last).
    receipt = w.send(w.f.removeAccount(digest(ORG_A), w.a1.address), w.registrar)
    assert w.events(receipt, "AccountRemoved") == [
        {"orgId": digest(ORG_A), "account": w.a1.address, "sender": w.registrar.address}
    ]
    assert w.call(w.f.organisation(digest(ORG_A)))[4] == [extra.address, w.a2.address]
    assert w.call(w.f.orgOfAccount(w.a1.address)) == bytes(32)
    assert not w.call(w.f.accountHasRole(w.a1.address, SUPPLIER))
    w.send(w.f.removeAccount(digest(ORG_A), w.a2.address), w.registrar)
    w.send(w.f.removeAccount(digest(ORG_A), extra.address), w.registrar)
    assert w.call(w.f.organisation(digest(ORG_A)))[4] == []
    # A removed account is free to join another organisation.
    w.send(w.f.addAccount(digest(ORG_B), w.a1.address), w.registrar)
    assert w.call(w.f.orgOfAccount(w.a1.address)) == digest(ORG_B)


@pytest.mark.parametrize(
    ("function", "org", "who", "expected"),
    [
        ("addAccount", "91110000MA0UNKNOWN", "stranger", "UnknownOrganisation"),
        ("addAccount", ORG_A, "b1", "AccountAlreadyRegistered"),
        ("addAccount", ORG_A, "a1", "AccountAlreadyRegistered"),
        ("addAccount", ORG_A, "zero", "ZeroAddress"),
        ("removeAccount", "91110000MA0UNKNOWN", "a1", "UnknownOrganisation"),
        ("removeAccount", ORG_A, "b1", "AccountNotInOrganisation"),
        ("removeAccount", ORG_A, "stranger", "AccountNotInOrganisation"),
    ],
)
def test_account_refusals(w: World, function: str, org: str, who: str, expected: str) -> None:
    address = "0x" + "00" * 20 if who == "zero" else getattr(w, who).address
    fn = getattr(w.f, function)(digest(org), address)
    assert w.refused(fn, w.registrar) == expected


# ------------------------------------------------------------------------- keys


def test_rotation_keeps_history_and_revokes_the_replaced_key(w: World) -> None:
    first = w.call(w.f.signingKeys(digest(ORG_A)))
    [(old_key, old_from, _, _)] = first
    w.chain.advance_time(100)
    receipt = w.send(w.f.rotateSigningKey(key("a-sig-2"), old_key), w.a2)
    t2 = w.chain.block_timestamp(receipt["blockNumber"])
    assert w.events(receipt, "SigningKeyAdded") == [
        {"orgId": digest(ORG_A), "key": key("a-sig-2"), "validFrom": t2}
    ]
    assert w.events(receipt, "KeyRevoked") == [
        {
            "orgId": digest(ORG_A),
            "key": old_key,
            "keyType": SIGNING,
            "reason": SUPERSEDED,
            "revokedAt": t2,
            "sender": w.a2.address,
        }
    ]
    history = w.call(w.f.signingKeys(digest(ORG_A)))
    assert history == [(old_key, old_from, t2, SUPERSEDED), (key("a-sig-2"), t2, 0, 0)]
    # The old key stays valid for what it signed before the rotation, not after.
    assert w.call(w.f.keyValidAt(digest(ORG_A), old_key, old_from))
    assert w.call(w.f.keyValidAt(digest(ORG_A), old_key, t2 - 1))
    assert not w.call(w.f.keyValidAt(digest(ORG_A), old_key, t2))
    assert not w.call(w.f.keyValidAt(digest(ORG_A), key("a-sig-2"), t2 - 1))
    assert w.call(w.f.keyValidAt(digest(ORG_A), key("a-sig-2"), t2 + 10**6))
    assert not w.call(w.f.keyValidAt(digest(ORG_B), key("a-sig-2"), t2))
    # Encryption keys are untouched by a signing rotation.
    assert len(w.call(w.f.encryptionKeys(digest(ORG_A)))) == 1


def test_rotation_without_replacing_keeps_both_keys_valid(w: World) -> None:
    receipt = w.send(w.f.rotateEncryptionKey(key("c-enc-2"), bytes(32)), w.c1)
    t = w.chain.block_timestamp(receipt["blockNumber"])
    assert w.events(receipt, "EncryptionKeyAdded") == [
        {"orgId": digest(ORG_C), "key": key("c-enc-2"), "validFrom": t}
    ]
    assert w.events(receipt, "KeyRevoked") == []
    history = w.call(w.f.encryptionKeys(digest(ORG_C)))
    assert [k for k, _, revoked, _ in history if revoked == 0] == [key("c-enc-1"), key("c-enc-2")]
    assert tuple(w.call(w.f.keyRecord(digest(ORG_C), key("c-enc-2")))) == (ENCRYPTION, t, 0, 0)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("stranger", "NotOrganisationAccount"),
        ("registrar without an org", "NotOrganisationAccount"),
        ("removed account", "NotOrganisationAccount"),
        ("zero new key", "ZeroKey"),
        ("new key already registered elsewhere", "KeyAlreadyRegistered"),
        ("replaces a key of another org", "UnknownKey"),
        ("replaces an encryption key", "WrongKeyType"),
        ("replaces an already revoked key", "KeyAlreadyRevoked"),
    ],
)
def test_rotation_refusals(w: World, case: str, expected: str) -> None:
    sender, new, replaces = w.a1, key("a-sig-new"), bytes(32)
    match case:
        case "stranger":
            sender = w.stranger
        case "registrar without an org":
            sender = w.registrar
        case "removed account":
            w.send(w.f.removeAccount(digest(ORG_A), w.a2.address), w.registrar)
            sender = w.a2
        case "zero new key":
            new = bytes(32)
        case "new key already registered elsewhere":
            new = key("b-sig-1")
        case "replaces a key of another org":
            replaces = key("b-sig-1")
        case "replaces an encryption key":
            replaces = key("a-enc-1")
        case "replaces an already revoked key":
            w.send(w.f.revokeKey(digest(ORG_A), key("a-sig-1"), KEY_COMPROMISE), w.a1)
            replaces = key("a-sig-1")
    assert w.refused(w.f.rotateSigningKey(new, replaces), sender) == expected
    assert len(w.call(w.f.signingKeys(digest(ORG_A)))) == 1  # nothing half-written


@pytest.mark.parametrize("revoker", ["registrar", "a1", "a2"])
def test_revoke_key_by_registrar_or_own_accounts(w: World, revoker: str) -> None:
    sender = getattr(w, revoker)
    receipt = w.send(w.f.revokeKey(digest(ORG_A), key("a-enc-1"), KEY_COMPROMISE), sender)
    t = w.chain.block_timestamp(receipt["blockNumber"])
    assert w.events(receipt, "KeyRevoked") == [
        {
            "orgId": digest(ORG_A),
            "key": key("a-enc-1"),
            "keyType": ENCRYPTION,
            "reason": KEY_COMPROMISE,
            "revokedAt": t,
            "sender": sender.address,
        }
    ]
    [(_, valid_from, revoked_at, reason)] = w.call(w.f.encryptionKeys(digest(ORG_A)))
    assert (revoked_at, reason) == (t, KEY_COMPROMISE)
    assert valid_from < t


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("stranger", "NotAuthorisedForOrganisation"),
        ("account of another org", "NotAuthorisedForOrganisation"),
        ("removed account", "NotAuthorisedForOrganisation"),
        ("unknown organisation", "UnknownOrganisation"),
        ("key of another org", "UnknownKey"),
        ("unregistered key", "UnknownKey"),
        ("already revoked", "KeyAlreadyRevoked"),
        ("unknown reason code", "InvalidReason"),
    ],
)
def test_revoke_key_refusals(w: World, case: str, expected: str) -> None:
    sender, org, target, reason = w.a1, ORG_A, key("a-sig-1"), KEY_COMPROMISE
    match case:
        case "stranger":
            sender = w.stranger
        case "account of another org":
            sender = w.c1
        case "removed account":
            w.send(w.f.removeAccount(digest(ORG_A), w.a2.address), w.registrar)
            sender = w.a2
        case "unknown organisation":
            org, sender = "91110000MA0UNKNOWN", w.registrar
        case "key of another org":
            target = key("b-sig-1")
        case "unregistered key":
            target = key("never registered")
        case "already revoked":
            w.send(w.f.revokeKey(digest(ORG_A), target, KEY_COMPROMISE), w.registrar)
        case "unknown reason code":
            reason = 5
    assert w.refused(w.f.revokeKey(digest(org), target, reason), sender) == expected


def test_key_views_refuse_unknown_orgs_and_foreign_keys(w: World) -> None:
    for fn, expected in [
        (w.f.signingKeys(digest("nobody")), "UnknownOrganisation"),
        (w.f.encryptionKeys(digest("nobody")), "UnknownOrganisation"),
        (w.f.organisation(digest("nobody")), "UnknownOrganisation"),
        (w.f.keyRecord(digest(ORG_A), key("b-sig-1")), "UnknownKey"),
    ]:
        with pytest.raises(TransactionReverted) as caught:
            w.call(fn)
        assert caught.value.reason == expected
    assert tuple(w.call(w.f.keyOwner(key("never registered")))) == (bytes(32), 0)
    assert not w.call(w.f.keyValidAt(digest(ORG_A), key("never registered"), 1))


# ---------------------------------------------------------- IOperatorRegistry


def test_log_operator_of_follows_role_and_accounts(w: World) -> None:
    assert w.call(w.f.logOperatorOf(w.o1.address)) == digest(ORG_O)
    assert w.call(w.f.logOperatorOf(w.a1.address)) == bytes(32)
    assert w.call(w.f.logOperatorOf(w.stranger.address)) == bytes(32)
    w.send(w.f.revokeOrgRole(digest(ORG_O), LOG_OPERATOR), w.registrar)
    assert w.call(w.f.logOperatorOf(w.o1.address)) == bytes(32)
    w.send(w.f.grantOrgRole(digest(ORG_O), LOG_OPERATOR), w.registrar)
    assert w.call(w.f.logOperatorOf(w.o1.address)) == digest(ORG_O)
    w.send(w.f.removeAccount(digest(ORG_O), w.o1.address), w.registrar)
    assert w.call(w.f.logOperatorOf(w.o1.address)) == bytes(32)


def test_anchor_registry_takes_operators_from_the_participant_registry(w: World) -> None:
    anchors = w.chain.contract(
        "AnchorRegistry",
        w.chain.deploy("AnchorRegistry", w.registry.address, sender=w.registrar),
    )
    a = anchors.functions
    log_id = digest("log-1")
    leaves = [leaf_hash(f"entry {i}".encode()) for i in range(5)]
    assert w.refused(a.createLog(log_id), w.stranger) == "NotOperator"
    assert w.refused(a.createLog(log_id), w.a1) == "NotOperator"
    assert w.refused(a.createLog(log_id), w.registrar) == "NotOperator"
    w.send(a.createLog(log_id), w.o1)
    assert w.call(a.logOwner(log_id)) == digest(ORG_O)

    w.send(a.anchor(log_id, 2, root_from_leaf_hashes(leaves[:2]), []), w.o1)
    head3 = (
        3,
        root_from_leaf_hashes(leaves[:3]),
        consistency_proof_from_leaf_hashes(leaves[:3], 2),
    )
    assert w.refused(a.anchor(log_id, *head3), w.a1) == "NotLogOperator"
    # Another account the registrar adds to the operator organisation may anchor too.
    o2 = w.chain.new_account()
    w.send(w.f.addAccount(digest(ORG_O), o2.address), w.registrar)
    w.send(a.anchor(log_id, *head3), o2)

    # Once the organisation loses LOG_OPERATOR, none of its accounts may anchor.
    w.send(w.f.revokeOrgRole(digest(ORG_O), LOG_OPERATOR), w.registrar)
    head4 = (
        4,
        root_from_leaf_hashes(leaves[:4]),
        consistency_proof_from_leaf_hashes(leaves[:4], 3),
    )
    assert w.refused(a.anchor(log_id, *head4), w.o1) == "NotLogOperator"
    assert w.refused(a.anchor(log_id, *head4), o2) == "NotLogOperator"
    # Nor may an account that was removed, once the role is back.
    w.send(w.f.grantOrgRole(digest(ORG_O), LOG_OPERATOR), w.registrar)
    w.send(w.f.removeAccount(digest(ORG_O), o2.address), w.registrar)
    assert w.refused(a.anchor(log_id, *head4), o2) == "NotLogOperator"
    w.send(a.anchor(log_id, *head4), w.o1)
    assert w.call(a.headCount(log_id)) == 3
