"""What a wallet holds, as value objects, and the interface the role recipes store through.

Every record that carries a secret (a data key, a master salt, a plaintext footprint or
inventory, a received disclosure) keeps it out of its ``repr``. Times are timezone-aware
UTC datetimes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from nacl.public import PrivateKey

from sdk._attestation import Attestation, OpenedAttestation, open_with_data_key
from sdk._canonical import JsonValue, canonical_json
from sdk._envelope import Envelope, Grant
from sdk._ids import OrgId
from sdk._statement import SignedStatement

INPUT_TAG = b"tanji.wallet.input.v1\0"


class PublishState(StrEnum):
    """Where a publication stands: its secrets are stored before it is sent (``pending``);
    ``logged`` once the node acknowledged it with a log index."""

    PENDING = "pending"
    LOGGED = "logged"


class GrantState(StrEnum):
    """A grant given: stored (``pending``), then accepted by the node (``sent``)."""

    PENDING = "pending"
    SENT = "sent"


class RequestDirection(StrEnum):
    """``incoming``: a customer asks this organisation (it supplies); ``outgoing``: this
    organisation asks a supplier (it leads)."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"


class RequestState(StrEnum):
    """A footprint request's state, as on the node (and PACT's ``RequestCreated`` flow)."""

    OPEN = "open"
    FULFILLED = "fulfilled"
    REJECTED = "rejected"


class KeyState(StrEnum):
    """A key's place in the wallet: ``pending`` (stored, not yet registered on chain),
    ``current``, ``rotated`` (replaced; kept to open what was sealed to it), ``revoked``."""

    PENDING = "pending"
    CURRENT = "current"
    ROTATED = "rotated"
    REVOKED = "revoked"


class KeyKind(StrEnum):
    """Ed25519 signing, X25519 encryption, or the organisation's EVM account."""

    SIGNING = "ed25519"
    ENCRYPTION = "x25519"
    ACCOUNT = "evm"


class LabelRole(StrEnum):
    """A label this organisation ``issued`` (certifier) or ``holds`` (its product's)."""

    ISSUED = "issued"
    HELD = "held"


def utc(when: datetime) -> datetime:
    """``when`` in UTC; raises :class:`ValueError` for a naive datetime."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("naive datetime refused; pass a timezone-aware time")
    return when.astimezone(UTC)


def publication_input_digest(
    footprint: Mapping[str, Any],
    inventory: JsonValue,
    recipients: Sequence[str],
    upstream: Sequence[str],
    supersedes: str | None,
) -> str:
    """The digest naming one publication request (what to publish, to whom), so a retry
    after a crash finds the attestation already made for it instead of making another."""
    doc = {
        "footprint": dict(footprint),
        "inventory": inventory,
        "recipients": sorted(set(recipients)),
        "upstream": list(upstream),
        "supersedes": supersedes,
    }
    return hashlib.sha256(INPUT_TAG + canonical_json(doc)).hexdigest()


def reopen(
    statement: Mapping[str, Any], envelope: Mapping[str, Any], data_key: bytes
) -> OpenedAttestation:
    """Open a stored attestation with its data key (the content must still recompute the
    signed commitment). Raises :class:`~sdk.errors.VerificationError` naming the step."""
    return open_with_data_key(
        SignedStatement.from_dict(dict(statement)), Envelope.from_dict(dict(envelope)), data_key
    )


@dataclass(frozen=True)
class KeyEntry:
    """One key the wallet holds (public part; the private part never leaves the wallet
    except through :meth:`Wallet.org_keys` / :meth:`Wallet.account`)."""

    key_id: str
    kind: KeyKind
    public_key: str
    """Base64 of the 32-byte key, or the account's checksum address."""
    state: KeyState
    created_at: datetime
    retired_at: datetime | None = None
    revoked_at: datetime | None = None
    reason: str | None = None


@dataclass(frozen=True)
class GrantRecord:
    """A grant this organisation gave: the data key of ``attestation_id`` sealed to
    ``recipient``'s X25519 key ``recipient_key_id`` (the sealed box reveals nothing)."""

    attestation_id: str
    recipient: str
    recipient_key_id: str
    grant: dict[str, Any] = field(repr=False)
    state: GrantState
    created_at: datetime
    sent_at: datetime | None = None

    @classmethod
    def of(cls, grant: Grant, now: datetime) -> GrantRecord:
        """A pending record of ``grant`` made at ``now``."""
        return cls(
            attestation_id=grant.attestation_id,
            recipient=str(grant.recipient),
            recipient_key_id=grant.recipient_key_id,
            grant=grant.to_dict(),
            state=GrantState.PENDING,
            created_at=utc(now),
        )


@dataclass(frozen=True)
class PublishedRecord:
    """An attestation this organisation published, with everything needed to grant and
    disclose it later: the issuer's :class:`~sdk.Attestation` (data key, master salt,
    plaintext footprint and inventory; all kept out of ``repr``)."""

    attestation: Attestation
    input_digest: str
    product_id: str
    state: PublishState
    created_at: datetime
    log_id: str | None = None
    index: int | None = None
    logged_at: datetime | None = None
    grants: tuple[GrantRecord, ...] = ()

    @property
    def attestation_id(self) -> str:
        """Hex SHA-256 of the log leaf."""
        return self.attestation.attestation_id

    @property
    def footprint(self) -> dict[str, JsonValue]:
        """The plaintext PACT v3 footprint."""
        return self.attestation.content.footprint

    @property
    def inventory(self) -> JsonValue:
        """The plaintext inventory (or null)."""
        return self.attestation.content.inventory

    @property
    def supersedes(self) -> str | None:
        """The attestation this one supersedes, if any."""
        return self.attestation.signed_statement.statement.supersedes


@dataclass(frozen=True)
class ReceivedRecord:
    """A footprint this organisation received. ``attested``: it came as a Tanji
    attestation granted to this organisation (signature and commitment checked on the way
    in), with ``statement``, ``envelope``, ``grant`` and the ``data_key``; otherwise it was
    imported from elsewhere (``source`` names where, e.g. a PACT server) and only
    ``footprint`` is set. ``disclosures`` are the disclosures received or made from it
    (e.g. the PCF claims a leader carries as lineage)."""

    attestation_id: str
    issuer: str
    product_id: str
    source: str
    attested: bool
    received_at: datetime
    request_id: str | None = None
    statement: dict[str, Any] | None = None
    envelope: dict[str, Any] | None = field(default=None, repr=False)
    grant: dict[str, Any] | None = field(default=None, repr=False)
    footprint: dict[str, JsonValue] = field(default_factory=dict, repr=False)
    data_key: bytes | None = field(default=None, repr=False)
    disclosures: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    def opened(self) -> OpenedAttestation:
        """The decrypted attestation, reopened from the stored envelope and data key.

        Raises :class:`ValueError` for a footprint that was not received as an attestation
        and :class:`~sdk.errors.VerificationError` if it no longer recomputes.
        """
        if not self.attested or self.statement is None or self.envelope is None:
            raise ValueError(f"{self.attestation_id} was not received as an attestation")
        if self.data_key is None:
            raise ValueError(f"{self.attestation_id} has no data key in the wallet")
        return reopen(self.statement, self.envelope, self.data_key)


@dataclass(frozen=True)
class RequestRecord:
    """A footprint request in either direction and its current state."""

    request_id: str
    direction: RequestDirection
    counterparty: str
    """The supplier (outgoing) or the requesting customer (incoming)."""
    product_ids: tuple[str, ...]
    state: RequestState
    created_at: datetime
    updated_at: datetime
    message: str | None = None
    attestation_id: str | None = None
    reason: str | None = None
    origin: str = "tanji"
    """Where the request came from: ``tanji`` (a node) or e.g. ``pact`` (a gateway)."""


@dataclass(frozen=True)
class RequestEvent:
    """One state a request entered, in order (``seq`` from 1)."""

    request_id: str
    seq: int
    at: datetime
    state: RequestState
    note: str | None = None


@dataclass(frozen=True)
class LabelRecord:
    """A carbon label this organisation issued or holds (all public, as on chain)."""

    label_id: str
    role: LabelRole
    attestation_id: str
    product_id: str
    value: str
    unit: str
    grade: str
    standard: str
    valid_from: datetime
    valid_until: datetime
    issued_at: datetime
    url: str
    disclosure: dict[str, Any] = field(repr=False)
    revoked_at: datetime | None = None
    reason: str | None = None

    @property
    def revoked(self) -> bool:
        """Whether the wallet recorded a revocation."""
        return self.revoked_at is not None


class WalletStore(Protocol):
    """What the role recipes (:mod:`sdk.roles`) store and read, durably or not.

    :class:`sdk.wallet.Wallet` keeps it encrypted in SQL; :class:`sdk.wallet.MemoryWallet`
    in this process only. Every write is all-or-nothing.
    """

    @property
    def org_id(self) -> OrgId: ...

    def decryption_key(self, key_id: str) -> PrivateKey | None:
        """The X25519 private key with id ``key_id`` (current or rotated), if held."""
        ...

    def begin_publication(self, record: PublishedRecord) -> None:
        """Store a ``pending`` publication with its grants before anything is sent.

        Durable on return. Raises :class:`~sdk.wallet.errors.WalletConflict` when the id
        or the input digest is already stored.
        """
        ...

    def finish_publication(
        self, attestation_id: str, *, log_id: str, index: int, at: datetime
    ) -> None:
        """Mark a publication ``logged`` at ``index`` of ``log_id`` (its grants ``sent``).

        Need not be durable at once: the node holds the fact, a retry recovers it."""
        ...

    def publication(self, attestation_id: str) -> PublishedRecord | None:
        """One publication, pending or logged."""
        ...

    def publication_for_input(self, input_digest: str) -> PublishedRecord | None:
        """The publication made for this input (see :func:`publication_input_digest`)."""
        ...

    def publications(
        self, *, state: PublishState | None = None, product_id: str | None = None
    ) -> list[PublishedRecord]:
        """Publications, oldest first, optionally filtered."""
        ...

    def record_grant(self, grant: GrantRecord) -> None:
        """Store a grant given (or replace the stored one for the same recipient key)."""
        ...

    def mark_grant_sent(
        self, attestation_id: str, recipient: str, recipient_key_id: str, at: datetime
    ) -> None:
        """Record that the node accepted a stored grant."""
        ...

    def put_received(self, record: ReceivedRecord) -> None:
        """Store (or replace) a footprint received (need not be durable at once: it can
        be collected again)."""
        ...

    def received(self, attestation_id: str) -> ReceivedRecord | None:
        """One footprint received."""
        ...

    def received_all(self) -> list[ReceivedRecord]:
        """Every footprint received, oldest first."""
        ...

    def put_request(self, record: RequestRecord, note: str | None = None) -> None:
        """Store a request or its new state; a change of state is appended to its events."""
        ...

    def request(self, request_id: str) -> RequestRecord | None:
        """One request."""
        ...

    def requests(
        self, *, direction: RequestDirection | None = None, state: RequestState | None = None
    ) -> list[RequestRecord]:
        """Requests, oldest first, optionally filtered."""
        ...

    def request_events(self, request_id: str) -> list[RequestEvent]:
        """The states a request went through, in order."""
        ...

    def put_label(self, record: LabelRecord) -> None:
        """Store (or replace) a label."""
        ...

    def label(self, label_id: str) -> LabelRecord | None:
        """One label (``0x`` + 64 hex)."""
        ...

    def labels(self, *, role: LabelRole | None = None) -> list[LabelRecord]:
        """Labels, oldest first."""
        ...
