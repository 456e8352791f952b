"""A wallet that lives in this process only: what a role uses when given no wallet.

Same semantics as :class:`sdk.wallet.Wallet` (write-ahead states, request events), no
durability: everything is gone when the process ends. Tests and benchmarks use it as the
in-memory baseline.
"""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime

from nacl.public import PrivateKey

from sdk._ids import OrgId
from sdk._keys import OrgKeys, key_id
from sdk.wallet._records import (
    GrantRecord,
    GrantState,
    LabelRecord,
    LabelRole,
    PublishedRecord,
    PublishState,
    ReceivedRecord,
    RequestDirection,
    RequestEvent,
    RequestRecord,
    RequestState,
    utc,
)
from sdk.wallet.errors import WalletConflict, WalletError


class MemoryWallet:
    """A :class:`~sdk.wallet.WalletStore` in dictionaries, for ``keys``' organisation.

    ``decryption_keys`` are further X25519 keys (e.g. rotated ones) to open grants with.
    """

    def __init__(self, keys: OrgKeys, decryption_keys: tuple[PrivateKey, ...] = ()) -> None:
        self._org_id = keys.org_id
        self._decrypt = {keys.encryption_key_id: keys.encryption_key}
        for extra in decryption_keys:
            self._decrypt[key_id("x25519", bytes(extra.public_key))] = extra
        self._lock = threading.Lock()
        self._published: dict[str, PublishedRecord] = {}
        self._by_input: dict[str, str] = {}
        self._grants: dict[tuple[str, str, str], GrantRecord] = {}
        self._received: dict[str, ReceivedRecord] = {}
        self._requests: dict[str, RequestRecord] = {}
        self._events: dict[str, list[RequestEvent]] = {}
        self._labels: dict[str, LabelRecord] = {}

    def __repr__(self) -> str:
        return f"MemoryWallet(org_id={str(self._org_id)!r})"

    @property
    def org_id(self) -> OrgId:
        """The organisation this wallet belongs to."""
        return self._org_id

    def decryption_key(self, key_id: str) -> PrivateKey | None:
        """The X25519 private key ``key_id``, if held."""
        return self._decrypt.get(key_id)

    # ------------------------------------------------------------------ publications

    def begin_publication(self, record: PublishedRecord) -> None:
        """Store a pending publication and its grants (see the protocol)."""
        with self._lock:
            if record.attestation_id in self._published or record.input_digest in self._by_input:
                raise WalletConflict(f"publication {record.attestation_id} is already stored")
            self._published[record.attestation_id] = dataclasses.replace(record, grants=())
            self._by_input[record.input_digest] = record.attestation_id
            for grant in record.grants:
                self._grants[_grant_key(grant)] = grant

    def finish_publication(
        self, attestation_id: str, *, log_id: str, index: int, at: datetime
    ) -> None:
        """Mark it logged; its grants sent."""
        with self._lock:
            current = self._published.get(attestation_id)
            if current is None:
                raise WalletError(f"no publication {attestation_id} in the wallet")
            self._published[attestation_id] = dataclasses.replace(
                current, state=PublishState.LOGGED, log_id=log_id, index=index, logged_at=utc(at)
            )
            for key, grant in list(self._grants.items()):
                if key[0] == attestation_id and grant.state is GrantState.PENDING:
                    self._grants[key] = dataclasses.replace(
                        grant, state=GrantState.SENT, sent_at=utc(at)
                    )

    def publication(self, attestation_id: str) -> PublishedRecord | None:
        """One publication with its grants."""
        with self._lock:
            record = self._published.get(attestation_id)
            if record is None:
                return None
            grants = tuple(g for k, g in self._grants.items() if k[0] == attestation_id)
            return dataclasses.replace(record, grants=grants)

    def publication_for_input(self, input_digest: str) -> PublishedRecord | None:
        """The publication made for ``input_digest``."""
        found = self._by_input.get(input_digest)
        return None if found is None else self.publication(found)

    def publications(
        self, *, state: PublishState | None = None, product_id: str | None = None
    ) -> list[PublishedRecord]:
        """Publications in the order stored."""
        out = []
        for attestation_id in list(self._published):
            record = self.publication(attestation_id)
            assert record is not None
            if state is not None and record.state is not state:
                continue
            if product_id is not None and record.product_id != product_id:
                continue
            out.append(record)
        return out

    def record_grant(self, grant: GrantRecord) -> None:
        """Store a grant given."""
        with self._lock:
            if grant.attestation_id not in self._published:
                raise WalletError(f"no publication {grant.attestation_id} in the wallet")
            self._grants[_grant_key(grant)] = grant

    def mark_grant_sent(
        self, attestation_id: str, recipient: str, recipient_key_id: str, at: datetime
    ) -> None:
        """The node accepted the grant."""
        key = (attestation_id, recipient, recipient_key_id)
        with self._lock:
            grant = self._grants.get(key)
            if grant is None:
                raise WalletError(f"no grant of {attestation_id} to {recipient} in the wallet")
            self._grants[key] = dataclasses.replace(grant, state=GrantState.SENT, sent_at=utc(at))

    # ------------------------------------------------------------------ received

    def put_received(self, record: ReceivedRecord) -> None:
        """Store a footprint received."""
        with self._lock:
            self._received[record.attestation_id] = record

    def received(self, attestation_id: str) -> ReceivedRecord | None:
        """One footprint received."""
        return self._received.get(attestation_id)

    def received_all(self) -> list[ReceivedRecord]:
        """Every footprint received."""
        return list(self._received.values())

    # ------------------------------------------------------------------ requests

    def put_request(self, record: RequestRecord, note: str | None = None) -> None:
        """Store a request; append an event when its state changes."""
        with self._lock:
            old = self._requests.get(record.request_id)
            self._requests[record.request_id] = record
            if old is None or old.state is not record.state:
                events = self._events.setdefault(record.request_id, [])
                events.append(
                    RequestEvent(
                        record.request_id, len(events) + 1, record.updated_at, record.state, note
                    )
                )

    def request(self, request_id: str) -> RequestRecord | None:
        """One request."""
        return self._requests.get(request_id)

    def requests(
        self, *, direction: RequestDirection | None = None, state: RequestState | None = None
    ) -> list[RequestRecord]:
        """Requests in the order stored."""
        return [
            r
            for r in self._requests.values()
            if (direction is None or r.direction is direction)
            and (state is None or r.state is state)
        ]

    def request_events(self, request_id: str) -> list[RequestEvent]:
        """The states a request went through."""
        return list(self._events.get(request_id, ()))

    # ------------------------------------------------------------------ labels

    def put_label(self, record: LabelRecord) -> None:
        """Store a label."""
        with self._lock:
            self._labels[record.label_id] = record

    def label(self, label_id: str) -> LabelRecord | None:
        """One label."""
        return self._labels.get(label_id)

    def labels(self, *, role: LabelRole | None = None) -> list[LabelRecord]:
        """Labels in the order stored."""
        return [r for r in self._labels.values() if role is None or r.role is role]


def _grant_key(grant: GrantRecord) -> tuple[str, str, str]:
    return (grant.attestation_id, grant.recipient, grant.recipient_key_id)
