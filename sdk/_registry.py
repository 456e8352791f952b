"""Client of the ParticipantRegistry contract, and the chain-call plumbing it shares.

Organisation ids cross to the chain as ``sha256(utf8(org_id))``; keys are the raw 32-byte
Ed25519 / X25519 public keys. Every refusal by the contract becomes
:class:`sdk.errors.RegistryRefused` carrying the contract's custom error name in
``reason``; every other chain failure becomes :class:`sdk.errors.RegistryError` with the
:mod:`anchors` error as its cause.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from web3 import Web3
from web3.logs import DISCARD

from anchors.errors import ChainError, TransactionReverted
from sdk._records import (
    KeyRecord,
    KeyType,
    Organisation,
    RevocationReason,
    Role,
    RoleRecord,
    org_id_digest,
    role_records,
    to_timestamp,
)
from sdk.errors import RegistryError, RegistryRefused

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount
    from eth_typing import ChecksumAddress
    from web3.contract import Contract
    from web3.contract.contract import ContractFunction
    from web3.types import TxReceipt

    from anchors.chain import ChainClient

__all__ = [
    "KeyRecord",
    "KeyType",
    "Organisation",
    "ParticipantRegistryClient",
    "RevocationReason",
    "Role",
    "RoleRecord",
    "org_id_digest",
    "to_timestamp",
]


def bytes32(value: bytes, name: str) -> bytes:
    """Check that ``value`` is 32 bytes (a key, digest or id) and return it.

    Raises:
        RegistryError: not bytes, or not 32 bytes long.
    """
    if not isinstance(value, bytes | bytearray) or len(value) != 32:
        raise RegistryError(f"{name} must be 32 bytes")
    return bytes(value)


class ContractClient:
    """Shared plumbing: one contract on one chain, calls and transactions wrapped."""

    contract_name: str = ""

    def __init__(self, chain: ChainClient, address: str) -> None:
        self.chain = chain
        try:
            self.contract: Contract = chain.contract(self.contract_name, address)
        except ChainError as exc:
            raise RegistryError(f"cannot open {self.contract_name} at {address}: {exc}") from exc
        self.address: ChecksumAddress = Web3.to_checksum_address(self.contract.address)

    @contextmanager
    def _wrapped(self, what: str) -> Iterator[None]:
        """Chain failures inside as ``RegistryRefused`` (a revert) or ``RegistryError``."""
        try:
            yield
        except TransactionReverted as exc:
            raise RegistryRefused(
                f"{what}: refused by {self.contract_name}: {exc}", reason=exc.reason
            ) from exc
        except ChainError as exc:
            raise RegistryError(f"{what}: {exc}") from exc

    def _call(self, what: str, fn: ContractFunction) -> Any:
        with self._wrapped(what):
            return self.chain.call(fn)

    def _transact(self, what: str, fn: ContractFunction, sender: LocalAccount) -> TxReceipt:
        with self._wrapped(what):
            return self.chain.transact(fn, sender=sender)

    def _events(self, receipt: TxReceipt, event: str) -> Sequence[Mapping[str, Any]]:
        processed = getattr(self.contract.events, event)().process_receipt(receipt, errors=DISCARD)
        return [dict(e["args"]) for e in processed]


class ParticipantRegistryClient(ContractClient):
    """Typed access to a deployed ParticipantRegistry.

    Writes take the ``sender`` account that signs the transaction and return its receipt;
    they raise :class:`RegistryRefused` (``reason`` = the contract's error name, e.g.
    ``"NotRegistrar"``) when the contract refuses, :class:`RegistryError` for bad input
    (checked before anything is sent) or a failing chain.
    """

    contract_name = "ParticipantRegistry"

    def __init__(self, chain: ChainClient, address: str) -> None:
        super().__init__(chain, address)
        self._role_lock = threading.Lock()
        self._role_scanned = -1
        self._role_scanned_hash = b""
        # (block, log index) -> (org id digest, kind, block time, roles mask or role)
        self._role_events: dict[tuple[int, int], tuple[bytes, str, int, int]] = {}
        self._block_times: dict[int, int] = {}

    # ------------------------------------------------------------ registrar writes

    def register_organisation(
        self,
        org_id: str,
        account: str,
        roles: Iterable[Role],
        signing_key: bytes,
        encryption_key: bytes,
        *,
        sender: LocalAccount,
    ) -> TxReceipt:
        """Admit ``org_id`` with its first account, roles and keys (registrar only).

        Guarantees on success: the organisation exists with exactly these roles, the
        account maps to it, and each key is in its history with validFrom = block time.
        """
        digest = org_id_digest(org_id)
        mask = _role_mask(roles)
        fn = self.contract.functions.registerOrganisation(
            digest,
            org_id,
            _address(account),
            mask,
            bytes32(signing_key, "signing_key"),
            bytes32(encryption_key, "encryption_key"),
        )
        return self._transact(f"register {org_id!r}", fn, sender)

    def grant_role(self, org_id: str, role: Role, *, sender: LocalAccount) -> TxReceipt:
        """Give ``org_id`` the role ``role`` (registrar only; refused if already held)."""
        fn = self.contract.functions.grantOrgRole(org_id_digest(org_id), _role(role))
        return self._transact(f"grant {Role(role).name} to {org_id!r}", fn, sender)

    def revoke_role(self, org_id: str, role: Role, *, sender: LocalAccount) -> TxReceipt:
        """Take ``role`` from ``org_id`` (registrar only; refused if not held)."""
        fn = self.contract.functions.revokeOrgRole(org_id_digest(org_id), _role(role))
        return self._transact(f"revoke {Role(role).name} from {org_id!r}", fn, sender)

    def add_account(self, org_id: str, account: str, *, sender: LocalAccount) -> TxReceipt:
        """Bind ``account`` to ``org_id`` (registrar only; an account has at most one org)."""
        fn = self.contract.functions.addAccount(org_id_digest(org_id), _address(account))
        return self._transact(f"add account {account} to {org_id!r}", fn, sender)

    def remove_account(self, org_id: str, account: str, *, sender: LocalAccount) -> TxReceipt:
        """Unbind ``account`` from ``org_id`` (registrar only)."""
        fn = self.contract.functions.removeAccount(org_id_digest(org_id), _address(account))
        return self._transact(f"remove account {account} from {org_id!r}", fn, sender)

    # ------------------------------------------------------- organisation writes

    def rotate_signing_key(
        self, new_key: bytes, *, sender: LocalAccount, replaces: bytes | None = None
    ) -> TxReceipt:
        """Add a signing key to the sender's organisation; revoke ``replaces`` in the same
        transaction (reason SUPERSEDED) when given. Old keys keep their history."""
        return self._rotate(KeyType.SIGNING, new_key, replaces, sender)

    def rotate_encryption_key(
        self, new_key: bytes, *, sender: LocalAccount, replaces: bytes | None = None
    ) -> TxReceipt:
        """Add an encryption key to the sender's organisation; revoke ``replaces`` in the
        same transaction (reason SUPERSEDED) when given."""
        return self._rotate(KeyType.ENCRYPTION, new_key, replaces, sender)

    def revoke_key(
        self,
        org_id: str,
        key: bytes,
        reason: RevocationReason = RevocationReason.UNSPECIFIED,
        *,
        sender: LocalAccount,
    ) -> TxReceipt:
        """Revoke one key of ``org_id`` from now on (the registrar or the org's own account).

        The key stays in the history with ``revoked_at`` = block time, so signatures made
        while it was valid still verify.
        """
        fn = self.contract.functions.revokeKey(
            org_id_digest(org_id), bytes32(key, "key"), RevocationReason(reason).value
        )
        return self._transact(f"revoke key of {org_id!r}", fn, sender)

    # ----------------------------------------------------------------------- views

    def is_registered(self, org_id: str) -> bool:
        """Whether ``org_id`` has been admitted."""
        digest = org_id_digest(org_id)
        return bool(self._call("is_registered", self.contract.functions.isRegistered(digest)))

    def organisation(self, org_id: str) -> Organisation | None:
        """The organisation's record, or None if it was never registered."""
        digest = org_id_digest(org_id)
        if not self.is_registered(org_id):
            return None
        view = self._call(f"organisation {org_id!r}", self.contract.functions.organisation(digest))
        return Organisation(
            org_id=str(view[1]),
            org_id_digest=bytes(view[0]),
            roles=_roles_from_mask(int(view[2])),
            registered_at=int(view[3]),
            accounts=tuple(Web3.to_checksum_address(a) for a in view[4]),
            signing_key_count=int(view[5]),
            encryption_key_count=int(view[6]),
        )

    def org_of_account(self, account: str) -> bytes | None:
        """The org id digest the account belongs to, or None."""
        fn = self.contract.functions.orgOfAccount(_address(account))
        digest = bytes(self._call("org_of_account", fn))
        return None if digest == bytes(32) else digest

    def org_id_of_account(self, account: str) -> str | None:
        """The org id string the account belongs to, or None."""
        digest = self.org_of_account(account)
        if digest is None:
            return None
        view = self._call("organisation", self.contract.functions.organisation(digest))
        return str(view[1])

    def has_role(self, org_id: str, role: Role) -> bool:
        """Whether ``org_id`` currently holds ``role`` (False for unknown orgs)."""
        fn = self.contract.functions.orgHasRole(org_id_digest(org_id), _role(role))
        return bool(self._call("has_role", fn))

    def account_has_role(self, account: str, role: Role) -> bool:
        """Whether ``account`` belongs to an organisation that currently holds ``role``."""
        fn = self.contract.functions.accountHasRole(_address(account), _role(role))
        return bool(self._call("account_has_role", fn))

    def log_operator_of(self, account: str) -> bytes | None:
        """The org id digest ``account`` operates logs for, or None."""
        fn = self.contract.functions.logOperatorOf(_address(account))
        digest = bytes(self._call("log_operator_of", fn))
        return None if digest == bytes(32) else digest

    def is_registrar(self, account: str) -> bool:
        """Whether ``account`` holds the registrar role."""
        fn = self.contract.functions.isRegistrar(_address(account))
        return bool(self._call("is_registrar", fn))

    def signing_key_history(self, org_id: str) -> list[KeyRecord]:
        """Every signing key ``org_id`` ever registered, oldest first.

        Raises:
            RegistryRefused: ``UnknownOrganisation``.
        """
        fn = self.contract.functions.signingKeys(org_id_digest(org_id))
        return [_key_record(r) for r in self._call(f"signing keys of {org_id!r}", fn)]

    def encryption_key_history(self, org_id: str) -> list[KeyRecord]:
        """Every encryption key ``org_id`` ever registered, oldest first.

        Raises:
            RegistryRefused: ``UnknownOrganisation``.
        """
        fn = self.contract.functions.encryptionKeys(org_id_digest(org_id))
        return [_key_record(r) for r in self._call(f"encryption keys of {org_id!r}", fn)]

    def role_history(self, org_id: str) -> list[RoleRecord]:
        """Every period ``org_id`` held each role, from the registry's events, oldest first.

        Folds ``OrganisationRegistered`` (the initial roles), ``OrgRoleGranted`` and
        ``OrgRoleRevoked`` in chain order, each at its block's time, so a verifier can ask
        whether the organisation held a role at an attestation's anchoring time (DESIGN.md
        §2.1). An unknown organisation has no history (an empty list).

        The client keeps the registry's role events it has read and asks the chain only
        for blocks after the last one it scanned; when that block is no longer on the
        chain (a reorganisation, a reverted snapshot) it reads them all again.
        Thread-safe.
        """
        digest = org_id_digest(org_id)
        with self._wrapped(f"role history of {org_id!r}"), self._role_lock:
            self._scan_role_events()
            mine = sorted(
                (key, item) for key, item in self._role_events.items() if item[0] == digest
            )
        registered = next(
            ((time, value) for (_, (_, kind, time, value)) in mine if kind == "registered"),
            None,
        )
        changes = [
            (time, Role(value), kind == "granted")
            for (_, (_, kind, time, value)) in mine
            if kind != "registered"
        ]
        return role_records(registered, changes)

    def _scan_role_events(self) -> None:
        """Read the role events of blocks after the last scanned one (lock held).

        If the last scanned block is no longer on the chain (a reorganisation, or a
        development chain reverted to a snapshot), everything is read again: a block's hash
        commits to every block before it, so one comparison covers the whole cache.
        """
        try:
            latest = self.chain.block_number()
            if self._role_scanned >= 0:
                still = (
                    self.chain.block_hash(self._role_scanned)
                    if self._role_scanned <= latest
                    else b""  # the chain is now shorter than what was read
                )
                if still != self._role_scanned_hash:
                    self._role_scanned = -1
                    self._role_events.clear()
                    self._block_times.clear()
            start = self._role_scanned + 1
            if latest < start:
                return
            scanned_hash = self.chain.block_hash(latest)
        except Exception as exc:  # any transport or web3 failure: wrapped at this edge
            raise RegistryError(f"cannot read the chain's blocks: {exc}") from exc
        events = self.contract.events
        for event, kind, field in (
            (events.OrganisationRegistered(), "registered", "roles"),
            (events.OrgRoleGranted(), "granted", "role"),
            (events.OrgRoleRevoked(), "revoked", "role"),
        ):
            for e in self.chain.logs(event, from_block=start):
                block = int(e["blockNumber"])
                if block > latest:  # mined since `latest` was read: next time
                    continue
                if block not in self._block_times:
                    self._block_times[block] = int(self.chain.block_timestamp(block))
                self._role_events[(block, int(e["logIndex"]))] = (
                    bytes(e["args"]["orgId"]),
                    kind,
                    self._block_times[block],
                    int(e["args"][field]),
                )
        self._role_scanned = latest
        self._role_scanned_hash = scanned_hash

    def key_record(self, org_id: str, key: bytes) -> tuple[KeyType, KeyRecord]:
        """The type and record of one key of ``org_id``.

        Raises:
            RegistryRefused: ``UnknownOrganisation`` or ``UnknownKey`` (not theirs).
        """
        fn = self.contract.functions.keyRecord(org_id_digest(org_id), bytes32(key, "key"))
        key_type, valid_from, revoked_at, reason = self._call("key_record", fn)
        return KeyType(key_type), _key_record((key, valid_from, revoked_at, reason))

    def key_valid_at(self, org_id: str, key: bytes, at: datetime | int) -> bool:
        """Whether ``key`` was a valid key (of either type) of ``org_id`` at ``at``.

        ``at`` is an aware datetime or Unix seconds; use the *anchored* (chain) time of what
        the key signed. False for keys that are not ``org_id``'s.
        """
        fn = self.contract.functions.keyValidAt(
            org_id_digest(org_id), bytes32(key, "key"), to_timestamp(at, "at")
        )
        return bool(self._call("key_valid_at", fn))

    def key_owner(self, key: bytes) -> tuple[bytes, KeyType] | None:
        """The org id digest and key type ``key`` is registered for, or None."""
        fn = self.contract.functions.keyOwner(bytes32(key, "key"))
        org, key_type = self._call("key_owner", fn)
        return None if bytes(org) == bytes(32) else (bytes(org), KeyType(key_type))

    # ------------------------------------------------------------------ internals

    def _rotate(
        self, key_type: KeyType, new_key: bytes, replaces: bytes | None, sender: LocalAccount
    ) -> TxReceipt:
        old = bytes(32) if replaces is None else bytes32(replaces, "replaces")
        new = bytes32(new_key, "new_key")
        if key_type is KeyType.SIGNING:
            fn = self.contract.functions.rotateSigningKey(new, old)
        else:
            fn = self.contract.functions.rotateEncryptionKey(new, old)
        return self._transact(f"rotate {key_type.name.lower()} key", fn, sender)


def _role(role: Role) -> int:
    try:
        return Role(role).value
    except ValueError:
        raise RegistryError(f"unknown role {role!r}") from None


def _role_mask(roles: Iterable[Role]) -> int:
    mask = 0
    for role in roles:
        mask |= 1 << _role(role)
    return mask


def _roles_from_mask(mask: int) -> frozenset[Role]:
    return frozenset(r for r in Role if mask & (1 << r.value))


def _address(account: str) -> ChecksumAddress:
    try:
        return Web3.to_checksum_address(account)
    except (ValueError, TypeError):
        raise RegistryError(f"not an EVM address: {account!r}") from None


def _key_record(raw: Sequence[Any]) -> KeyRecord:
    key, valid_from, revoked_at, reason = raw
    return KeyRecord(
        public_key=bytes(key),
        valid_from=int(valid_from),
        revoked_at=int(revoked_at) or None,
        revocation_reason=RevocationReason(reason) if int(revoked_at) else None,
    )
