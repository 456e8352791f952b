"""What the node asks the ParticipantRegistry, behind a small interface with a TTL cache."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

from nacl.signing import VerifyKey

from node.errors import AuthenticationFailed, Forbidden, InvalidInput, Unavailable
from sdk import key_id
from sdk.errors import RegistryError, RegistryRefused
from sdk.registry import KeyRecord as RegistryKeyRecord
from sdk.registry import ParticipantRegistryClient, org_id_digest

SUPPLIER = "SUPPLIER"
LEADER = "LEADER"
CERTIFIER = "CERTIFIER"
AUDITOR = "AUDITOR"
LOG_OPERATOR = "LOG_OPERATOR"
PUBLISHING_ROLES = frozenset({SUPPLIER, LEADER, CERTIFIER})


@dataclass(frozen=True)
class SigningKeyRecord:
    """One Ed25519 signing key of an organisation, with its validity window (UTC)."""

    key_id: str
    public_key: bytes
    valid_from: datetime
    revoked_at: datetime | None

    def valid_at(self, at: datetime) -> bool:
        """True when the key was registered at ``at`` and not yet revoked."""
        return self.valid_from <= at and (self.revoked_at is None or at < self.revoked_at)


@dataclass(frozen=True)
class OrgRecord:
    """What the registry says about one organisation."""

    org: str
    roles: frozenset[str]
    signing_keys: tuple[SigningKeyRecord, ...]
    encryption_keys: tuple[SigningKeyRecord, ...] = ()
    """X25519 keys (same record shape: id, public key, validity window)."""


class ParticipantSource(Protocol):
    """Reads organisations from the ParticipantRegistry (or anything equivalent).

    ``organisation`` returns ``None`` for an unregistered organisation and raises
    :class:`~node.errors.Unavailable` when the registry cannot be read.
    """

    def organisation(self, org: str) -> OrgRecord | None: ...


class Participants:
    """Cached participant look-ups (``ttl_seconds``) with the node's checks on top.

    A revoked key can still be honoured for up to ``ttl_seconds`` after the revocation
    lands on chain; that is the price of not reading the chain on every request.
    """

    def __init__(
        self,
        source: ParticipantSource,
        ttl_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
        clock_skew: timedelta = timedelta(seconds=60),
    ) -> None:
        self._skew = clock_skew
        self._source = source
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, OrgRecord | None]] = {}
        self._lock = threading.Lock()

    @property
    def clock_skew(self) -> timedelta:
        """How far the node's clock and the chain's may disagree."""
        return self._skew

    def organisation(self, org: str) -> OrgRecord | None:
        """The organisation's record, read from the registry at most once per TTL."""
        now = self._monotonic()
        with self._lock:
            hit = self._cache.get(org)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        record = self._source.organisation(org)
        with self._lock:
            self._cache[org] = (now, record)
        return record

    def invalidate(self, org: str | None = None) -> None:
        """Forget cached records (one organisation, or all)."""
        with self._lock:
            if org is None:
                self._cache.clear()
            else:
                self._cache.pop(org, None)

    def require_role(self, org: str, roles: Collection[str]) -> OrgRecord:
        """The organisation's record if it holds one of ``roles``; else :class:`Forbidden`."""
        record = self.organisation(org)
        if record is None:
            raise Forbidden(f"organisation {org} is not registered", code="not_registered")
        if not record.roles & set(roles):
            raise Forbidden(
                f"organisation {org} holds none of the roles {', '.join(sorted(roles))}",
                code="role_missing",
            )
        return record

    def require_encryption_key(self, org: str, key_id: str, at: datetime) -> None:
        """Check ``key_id`` is an X25519 key of ``org`` valid at ``at`` (a grant's target).

        Raises :class:`InvalidInput` (``unknown_recipient``, ``unknown_recipient_key``).
        """
        record = self.organisation(org)
        if record is None:
            raise InvalidInput(f"grant recipient {org} is not registered", code="unknown_recipient")
        for key in record.encryption_keys:
            live = key.revoked_at is None or at < key.revoked_at
            if key.key_id == key_id and key.valid_from <= at + self._skew and live:
                return
        raise InvalidInput(
            f"grant recipient key {key_id} is not a valid encryption key of {org}",
            code="unknown_recipient_key",
        )

    def signing_key(self, org: str, key_id: str, at: datetime, *, for_auth: bool) -> VerifyKey:
        """The Ed25519 key ``key_id`` of ``org``, valid at ``at``.

        Raises :class:`AuthenticationFailed` (``for_auth``) or :class:`Forbidden` when the
        organisation or key is unknown, not yet valid, or revoked; :class:`Unavailable`
        when the registry cannot be read.
        """
        error: type[AuthenticationFailed] | type[Forbidden] = (
            AuthenticationFailed if for_auth else Forbidden
        )
        record = self.organisation(org)
        if record is None:
            raise error(f"organisation {org} is not registered", code="not_registered")
        for key in record.signing_keys:
            if key.key_id == key_id:
                if key.revoked_at is not None and at >= key.revoked_at:
                    raise error(f"key {key_id} of {org} is revoked", code="key_revoked")
                # valid_from is chain time; a node clock a little behind the chain must
                # not refuse a key registered a moment ago.
                if at + self._skew < key.valid_from:
                    raise error(f"key {key_id} of {org} is not valid yet", code="key_not_valid")
                return VerifyKey(key.public_key)
        raise error(f"key {key_id} is not registered for {org}", code="unknown_key")


class ChainParticipantSource:
    """:class:`ParticipantSource` over :class:`sdk.registry.ParticipantRegistryClient`."""

    def __init__(self, client: ParticipantRegistryClient) -> None:
        self._client = client

    def organisation(self, org: str) -> OrgRecord | None:
        """Read roles and signing-key history of ``org``; ``None`` when unregistered.

        Raises :class:`Unavailable` when the chain cannot be read.
        """
        try:
            org_id_digest(org)
        except RegistryError:
            return None  # not something the registry can hold, so not registered
        try:
            found = self._client.organisation(org)
            if found is None:
                return None
            history = self._client.signing_key_history(org)
            encryption = self._client.encryption_key_history(org)
        except RegistryRefused:
            return None
        except RegistryError as exc:
            raise Unavailable(f"participant registry unreachable: {exc}") from exc
        return OrgRecord(
            org=org,
            roles=frozenset(role.name for role in found.roles),
            signing_keys=tuple(_record("ed25519", r) for r in history),
            encryption_keys=tuple(_record("x25519", r) for r in encryption),
        )


def _record(kind: Literal["ed25519", "x25519"], record: RegistryKeyRecord) -> SigningKeyRecord:
    return SigningKeyRecord(
        key_id=key_id(kind, record.public_key),
        public_key=record.public_key,
        valid_from=datetime.fromtimestamp(record.valid_from, UTC),
        revoked_at=(
            None if record.revoked_at is None else datetime.fromtimestamp(record.revoked_at, UTC)
        ),
    )
