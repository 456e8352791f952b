"""What the chain records about organisations and labels, as plain values (pure).

The registry clients (:mod:`sdk.registry`, :mod:`sdk.labels`) read these from the
contracts; verification (:mod:`sdk._verify`, the label audit) only ever sees these
values, so it runs without web3 and offline on a saved evidence bundle. Times are Unix
seconds of the chain (block timestamps); every window is half-open,
``valid_from <= t < revoked_at``, the contracts' own rule.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import IntEnum
from typing import Protocol

from sdk.errors import RegistryError

_UINT64_MAX = 2**64 - 1
_MAX_ORG_ID_BYTES = 128
_LOG_ID = re.compile(r"[a-z0-9-]{1,64}")


class Role(IntEnum):
    """Organisation roles; the value is the role's bit index on chain."""

    SUPPLIER = 0
    LEADER = 1
    CERTIFIER = 2
    AUDITOR = 3
    LOG_OPERATOR = 4


PUBLISHING_ROLES: frozenset[Role] = frozenset({Role.SUPPLIER, Role.LEADER, Role.CERTIFIER})
"""Roles under which an organisation may issue attestations (the node accepts a publish
from these, and a verifier requires one of them at the anchoring time)."""


class KeyType(IntEnum):
    """Which history a key belongs to."""

    SIGNING = 0
    ENCRYPTION = 1


class RevocationReason(IntEnum):
    """Why a key was revoked (after RFC 5280 CRLReason)."""

    UNSPECIFIED = 0
    KEY_COMPROMISE = 1
    SUPERSEDED = 2
    CESSATION_OF_OPERATION = 3
    AFFILIATION_CHANGED = 4


def to_timestamp(value: datetime | int, name: str) -> int:
    """Unix seconds from an aware datetime or a non-negative int.

    Raises:
        RegistryError: naive datetime, bool, negative or out-of-range value.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise RegistryError(f"{name} is a naive datetime; give it a timezone")
        seconds = int(value.timestamp())
    elif isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    else:
        raise RegistryError(f"{name} must be an aware datetime or Unix seconds")
    if not 0 <= seconds <= _UINT64_MAX:
        raise RegistryError(f"{name} is out of range: {seconds}")
    return seconds


@dataclass(frozen=True)
class KeyRecord:
    """One registered key: valid for ``valid_from <= t`` and, if revoked, ``t < revoked_at``.

    Times are Unix seconds of the chain (block timestamps).
    """

    public_key: bytes
    valid_from: int
    revoked_at: int | None
    revocation_reason: RevocationReason | None = None

    def valid_at(self, at: datetime | int) -> bool:
        """Whether the key was valid at ``at`` (aware datetime or Unix seconds)."""
        t = to_timestamp(at, "at")
        return self.valid_from <= t and (self.revoked_at is None or t < self.revoked_at)


class RoleRecordLike(Protocol):
    """What verification needs to know about one period an organisation held a role.

    ``role`` is a :class:`Role` (or its name); times are aware datetimes or Unix seconds;
    the role is held for ``valid_from <= t < revoked_at``.
    """

    @property
    def role(self) -> Role | str: ...

    @property
    def valid_from(self) -> datetime | int: ...

    @property
    def revoked_at(self) -> datetime | int | None: ...


@dataclass(frozen=True)
class RoleRecord:
    """One period during which an organisation held ``role``: ``[valid_from, revoked_at)``.

    Read from the ParticipantRegistry's events (registration, grant, revocation) with
    their block times. A role granted, revoked and granted again is two records.
    """

    role: Role
    valid_from: int
    revoked_at: int | None = None

    def valid_at(self, at: datetime | int) -> bool:
        """Whether the role was held at ``at`` (aware datetime or Unix seconds)."""
        t = to_timestamp(at, "at")
        return self.valid_from <= t and (self.revoked_at is None or t < self.revoked_at)


def role_records(
    registered: tuple[int, int] | None, changes: Iterable[tuple[int, Role, bool]]
) -> list[RoleRecord]:
    """Role periods from a registration ``(time, role mask)`` and ordered role changes.

    ``changes`` are ``(time, role, granted)`` in chain order (block, then log index).
    Pure: the registry client reads the events, this folds them.
    """
    open_since: dict[Role, int] = {}
    out: list[RoleRecord] = []
    if registered is not None:
        when, mask = registered
        for role in Role:
            if mask & (1 << role.value):
                open_since[role] = when
    for when, role, granted in changes:
        if granted:
            open_since.setdefault(role, when)
        elif role in open_since:
            out.append(RoleRecord(role, open_since.pop(role), when))
    out.extend(RoleRecord(role, since) for role, since in open_since.items())
    return sorted(out, key=lambda r: (r.valid_from, r.role.value))


@dataclass(frozen=True)
class Organisation:
    """An organisation as recorded on chain (key histories are fetched separately)."""

    org_id: str
    org_id_digest: bytes
    roles: frozenset[Role]
    registered_at: int
    accounts: tuple[str, ...]
    signing_key_count: int
    encryption_key_count: int

    def has_role(self, role: Role) -> bool:
        """Whether the organisation held ``role`` when it was read."""
        return role in self.roles


def org_id_digest(org_id: str) -> bytes:
    """The on-chain key of an organisation: ``sha256(utf8(org_id))``.

    Raises:
        RegistryError: ``org_id`` is not a non-empty string of at most 128 UTF-8 bytes.
    """
    if not isinstance(org_id, str) or not org_id:
        raise RegistryError("org_id must be a non-empty string")
    encoded = org_id.encode("utf-8")
    if len(encoded) > _MAX_ORG_ID_BYTES:
        raise RegistryError(f"org_id is {len(encoded)} bytes, at most {_MAX_ORG_ID_BYTES}")
    return hashlib.sha256(encoded).digest()


class LabelStatus(IntEnum):
    """A label's status at some time (values as on chain)."""

    UNKNOWN = 0
    ACTIVE = 1
    NOT_YET_VALID = 2
    EXPIRED = 3
    REVOKED = 4
    SUSPENDED = 5


@dataclass(frozen=True)
class Suspension:
    """One suspension of a label: from ``suspended_at`` until ``restored_at`` (None while
    it lasts), Unix seconds of the chain, with the reasons given."""

    suspended_at: int
    restored_at: int | None
    reason: str
    restore_reason: str | None

    def covers(self, t: int) -> bool:
        """Whether the label was suspended at ``t`` by this period."""
        return self.suspended_at <= t and (self.restored_at is None or t < self.restored_at)


@dataclass(frozen=True)
class Label:
    """A label as stored on chain; ``status`` is its status at the block it was read at.

    ``log_id_digest`` is ``sha256(utf8(log_id))``; ``product_id_digest`` is
    ``sha256(utf8(product id))`` (:func:`product_id_digest`); times are Unix seconds of the
    chain; the label is valid for ``valid_from <= t < valid_until`` unless revoked at or
    before ``t`` or suspended at ``t``. ``certificate_number`` / ``certificate_digest`` are
    the certificate bound at issue (None for a label issued without one);
    ``suspensions`` every suspension, oldest first.
    """

    label_id: bytes
    product_id_digest: bytes
    log_id_digest: bytes
    leaf_index: int
    leaf_hash: bytes
    value: str
    unit: str
    grade: str
    standard: str
    valid_from: int
    valid_until: int
    disclosure_digest: bytes
    issuer_org_digest: bytes
    issuer: str
    issued_at: int
    revoked_at: int | None
    revocation_reason: str | None
    status: LabelStatus
    certificate_number: str | None = None
    certificate_digest: bytes | None = None
    suspensions: tuple[Suspension, ...] = ()

    @property
    def suspension(self) -> Suspension | None:
        """The current suspension (the last one, still open), or None."""
        if self.suspensions and self.suspensions[-1].restored_at is None:
            return self.suspensions[-1]
        return None

    @property
    def value_decimal(self) -> Decimal:
        """The claimed value as an exact Decimal."""
        return Decimal(self.value)

    def status_at(self, at: datetime | int) -> LabelStatus:
        """The label's status at ``at``: the LabelRegistry's ``statusAt`` rule, computed from
        the stored fields (a test compares it with the contract's answer)."""
        t = to_timestamp(at, "at")
        if self.revoked_at is not None and t >= self.revoked_at:
            return LabelStatus.REVOKED
        if t < self.valid_from:
            return LabelStatus.NOT_YET_VALID
        if t >= self.valid_until:
            return LabelStatus.EXPIRED
        for period in reversed(self.suspensions):
            if t >= period.suspended_at:
                return LabelStatus.SUSPENDED if period.covers(t) else LabelStatus.ACTIVE
        return LabelStatus.ACTIVE


def log_id_digest(log_id: str) -> bytes:
    """The on-chain key of a log id: ``sha256(utf8(log_id))``.

    Raises:
        RegistryError: ``log_id`` is not ``[a-z0-9-]{1,64}``.
    """
    if not isinstance(log_id, str) or not _LOG_ID.fullmatch(log_id):
        raise RegistryError(f"log_id must match [a-z0-9-]{{1,64}}: {log_id!r}")
    return hashlib.sha256(log_id.encode("utf-8")).digest()


def product_id_digest(product_id: str) -> bytes:
    """What a label records about its product: ``sha256(utf8(product id))``.

    Unsalted on purpose: a label is public and its disclosure names the product, and the
    plain digest lets anyone find a product's labels (the ``LabelIssued`` event indexes it).
    An attestation's subject is a salted commitment instead (see :mod:`sdk._statement`).
    Raises :class:`ValueError` for an empty product id.
    """
    if not isinstance(product_id, str) or not product_id:
        raise ValueError("product id must be a non-empty string")
    return hashlib.sha256(product_id.encode("utf-8")).digest()
