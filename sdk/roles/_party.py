"""What every acting organisation has: its keys, its node client, the registry, its
wallet; and the supplier's recipes (publish, grant, fulfil, reject, disclose) that leaders
share.

Everything a recipe must remember goes into the party's wallet (:mod:`sdk.wallet`): a
:class:`~sdk.wallet.Wallet` makes it durable, so a later process on the same wallet can
grant, disclose and fulfil what an earlier one published; the default
:class:`~sdk.wallet.MemoryWallet` keeps it for this process only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from nacl.public import PrivateKey, PublicKey

from sdk._attestation import Attestation, create_attestation
from sdk._canonical import JsonValue
from sdk._disclosure import Disclosure
from sdk._envelope import Grant
from sdk._ids import OrgId
from sdk._keys import OrgKeys, Rng
from sdk._registry import ParticipantRegistryClient
from sdk._valueproof import footprint_value
from sdk.client import NodeClient
from sdk.errors import FootprintError, NodeClientError, RegistryError, RoleError
from sdk.footprint import ProductFootprint, to_pact
from sdk.roles._labelling import PRODUCT_POINTER
from sdk.wallet import (
    GrantRecord,
    MemoryWallet,
    PublishedRecord,
    PublishState,
    RequestDirection,
    RequestRecord,
    RequestState,
    WalletStore,
    publication_input_digest,
)
from sdk.zk import UpstreamOpening


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Published:
    """An attestation as published: the issuer's copy and where the node logged it."""

    attestation: Attestation
    log_id: str
    index: int
    product_id: str

    @property
    def attestation_id(self) -> str:
        """Hex SHA-256 of the log leaf."""
        return self.attestation.attestation_id

    @classmethod
    def of(cls, record: PublishedRecord) -> Published:
        """The published form of a logged wallet record."""
        if record.state is not PublishState.LOGGED or record.log_id is None:
            raise RoleError(f"attestation {record.attestation_id} is not logged yet")
        assert record.index is not None
        return cls(record.attestation, record.log_id, record.index, record.product_id)


class PublishedView(Mapping[str, Published]):
    """The logged publications of a wallet as a read-only mapping by attestation id."""

    def __init__(self, wallet: WalletStore) -> None:
        self._wallet = wallet

    def __getitem__(self, attestation_id: str) -> Published:
        record = self._wallet.publication(attestation_id)
        if record is None or record.state is not PublishState.LOGGED:
            raise KeyError(attestation_id)
        return Published.of(record)

    def __iter__(self) -> Iterator[str]:
        return iter(
            [r.attestation_id for r in self._wallet.publications(state=PublishState.LOGGED)]
        )

    def __len__(self) -> int:
        return len(self._wallet.publications(state=PublishState.LOGGED))


def request_record(req: Mapping[str, Any], org_id: OrgId | str) -> RequestRecord:
    """A node's request JSON as this organisation's wallet record (direction from whether
    it is the supplier or the leader)."""
    incoming = str(req["supplier"]) == str(org_id)
    return RequestRecord(
        request_id=str(req["id"]),
        direction=RequestDirection.INCOMING if incoming else RequestDirection.OUTGOING,
        counterparty=str(req["leader"] if incoming else req["supplier"]),
        product_ids=tuple(str(p) for p in req["productIds"]),
        state=RequestState(str(req["status"])),
        created_at=_node_time(req["created"]),
        updated_at=_node_time(req["updated"]),
        message=req.get("message"),
        attestation_id=req.get("attestationId"),
        reason=req.get("reason"),
    )


def _node_time(text: object) -> datetime:
    """An RFC 3339 time as the node writes it (``Z``, optional fraction), aware UTC."""
    if not isinstance(text, str) or not text.endswith("Z"):
        raise RoleError(f"the node sent a time that is not RFC 3339 UTC: {text!r}")
    try:
        return datetime.fromisoformat(text[:-1] + "+00:00").astimezone(UTC)
    except ValueError as exc:
        raise RoleError(f"the node sent a malformed time {text!r}") from exc


def footprint_document(footprint: ProductFootprint | Mapping[str, Any]) -> dict[str, Any]:
    """The PACT v3 JSON a footprint commits to (a dict is taken as already PACT v3)."""
    if isinstance(footprint, ProductFootprint):
        return to_pact(footprint, "3.0")
    if isinstance(footprint, Mapping):
        return dict(footprint)
    raise FootprintError("", "footprint must be a ProductFootprint or a PACT v3 document")


def inventory_document(inventory: Any) -> JsonValue:
    """The inventory as JSON: objects with ``to_dict`` are converted, JSON passes through."""
    to_dict = getattr(inventory, "to_dict", None)
    if callable(to_dict):
        converted: JsonValue = to_dict()
        return converted
    out: JsonValue = inventory
    return out


class Party:
    """One organisation acting through a node and the chain.

    ``keys`` are its registered keys; ``node`` a :class:`~sdk.client.NodeClient`
    authenticated as it; ``participants`` the on-chain registry, read to find recipients'
    encryption keys and issuers' signing keys; ``wallet`` where it keeps what it
    published, received, asked and answered (default: a :class:`~sdk.wallet.MemoryWallet`,
    gone with the process). ``clock`` and ``rng`` supply time and randomness (tests and
    the demo pass fixed ones). Raises :class:`RoleError` for a wallet of another
    organisation.
    """

    def __init__(
        self,
        keys: OrgKeys,
        *,
        node: NodeClient,
        participants: ParticipantRegistryClient,
        wallet: WalletStore | None = None,
        clock: Callable[[], datetime] = _utcnow,
        rng: Rng = os.urandom,
    ) -> None:
        self.keys = keys
        self.node = node
        self.participants = participants
        self.wallet: WalletStore = wallet if wallet is not None else MemoryWallet(keys)
        if self.wallet.org_id != keys.org_id:
            raise RoleError(f"the wallet is {self.wallet.org_id}'s, the keys are {keys.org_id}'s")
        self._clock = clock
        self._rng = rng

    @property
    def org_id(self) -> OrgId:
        """The organisation's id."""
        return self.keys.org_id

    def encryption_key_of(self, org: OrgId | str) -> PublicKey:
        """The newest unrevoked X25519 key registered for ``org``.

        Raises :class:`RoleError` when ``org`` is unknown or has no live encryption key.
        """
        try:
            history = self.participants.encryption_key_history(str(org))
        except RegistryError as exc:
            raise RoleError(f"{org} is not a registered organisation: {exc}") from exc
        live = [r for r in history if r.revoked_at is None]
        if not live:
            raise RoleError(f"{org} has no unrevoked encryption key on chain")
        return PublicKey(live[-1].public_key)

    def now(self) -> datetime:
        """The party's clock, read once per operation."""
        return self._clock()

    def opening_key(self, recipient_key_id: str) -> OrgKeys | PrivateKey:
        """The private key that opens a grant sealed to ``recipient_key_id``: the current
        one, or a rotated one the wallet kept."""
        if recipient_key_id == self.keys.encryption_key_id:
            return self.keys
        held = self.wallet.decryption_key(recipient_key_id)
        return held if held is not None else self.keys

    def remember_request(self, req: Mapping[str, Any], note: str | None = None) -> None:
        """Record a request as the node shows it in the wallet (with a state event when it
        changed)."""
        self.wallet.put_request(request_record(req, self.org_id), note)


class Supplier(Party):
    """A supplier: publishes encrypted footprints and answers its customers' requests.

    What it published lives in its wallet (the data keys and salts never leave the
    issuer); :attr:`published` shows the logged ones, so it can grant and disclose later,
    from this process or, with a durable wallet, any later one.
    """

    @property
    def published(self) -> Mapping[str, Published]:
        """The attestations this supplier published and the node logged, by id."""
        return PublishedView(self.wallet)

    def publish(
        self,
        footprint: ProductFootprint | Mapping[str, Any],
        inventory: Any,
        recipients: Iterable[OrgId | str] = (),
        *,
        upstream: Sequence[Disclosure] = (),
        supersedes: str | None = None,
    ) -> Published:
        """:meth:`publish_at` now."""
        return self.publish_at(
            footprint,
            inventory,
            recipients,
            now=self.now(),
            upstream=upstream,
            supersedes=supersedes,
        )

    def publish_at(
        self,
        footprint: ProductFootprint | Mapping[str, Any],
        inventory: Any,
        recipients: Iterable[OrgId | str] = (),
        *,
        now: datetime,
        upstream: Sequence[Disclosure] = (),
        supersedes: str | None = None,
        rollup: Sequence[UpstreamOpening] | None = None,
        rollup_public: bool = False,
    ) -> Published:
        """Encrypt, sign and publish ``footprint`` with its ``inventory`` at ``now``.

        Only ``recipients`` (each granted the data key, sealed to its registered X25519
        key) can decrypt; the node and everyone else see the public statement only.
        ``upstream`` are the supplier disclosures the footprint relied on (carried in the
        envelope, committed by id). The statement commits to the PCF value
        (``valueCommitment``; the opening goes in the envelope, the range proof is
        published with the statement and checked by the node) unless the value is
        negative (PACT v3 allows it; the range proof covers [0, 2^56)) — such a supplier's
        customers roll it up with disclosures, not commitments. ``rollup``: a leader's
        committed roll-up (see :meth:`Leader.publish_rollup_at`), published with the
        statement when ``rollup_public``.

        Write-ahead: the attestation, its data key and grants are stored in the wallet
        (``pending``) before anything is sent, and marked ``logged`` once the node
        acknowledged. Publishing the same input again (same documents, recipients,
        upstream and supersedes) makes no new attestation: a pending one is sent again
        (the node answers ``existing`` if it had it), a logged one is returned as is. So a
        retry after a crash at any point publishes nothing twice, and nothing reaches the
        log whose secrets are not in the wallet.

        Guarantees on return: the node logged the attestation (``index``) in one
        all-or-nothing write. Raises :class:`RoleError` (unknown recipient),
        :class:`~sdk.errors.FootprintError` (bad document),
        :class:`~sdk.errors.NodeClientError` (the node refused or could not be reached;
        the publication stays pending in the wallet),
        :class:`~sdk.wallet.WalletError` (the wallet could not store it: nothing sent).
        """
        doc = footprint_document(footprint)
        product_id = _product_id(doc)
        inventory_doc = inventory_document(inventory)
        targets = [OrgId.parse(str(r)) for r in recipients]
        digest = publication_input_digest(
            doc,
            inventory_doc,
            [str(t) for t in targets],
            [d.attestation_id for d in upstream],
            supersedes,
        )
        existing = self.wallet.publication_for_input(digest)
        if existing is not None:
            return self._send(existing, now)
        keys = {org: self.encryption_key_of(org) for org in targets}
        attestation = create_attestation(
            self.keys,
            product_id=product_id,
            footprint=doc,
            inventory=inventory_doc,
            now=now,
            upstream_disclosures=upstream,
            supersedes=supersedes,
            commit_value=_committable(doc),
            rollup=rollup,
            rollup_public=rollup_public,
            rng=self._rng,
        )
        grants = [attestation.grant(org, key, rng=self._rng) for org, key in keys.items()]
        record = PublishedRecord(
            attestation=attestation,
            input_digest=digest,
            product_id=product_id,
            state=PublishState.PENDING,
            created_at=now,
            grants=tuple(GrantRecord.of(g, now) for g in grants),
        )
        # Durable before it leaves this process: a crash from here on loses nothing.
        self.wallet.begin_publication(record)
        return self._send(record, now)

    def _send(self, record: PublishedRecord, now: datetime) -> Published:
        if record.state is PublishState.LOGGED:
            return Published.of(record)
        attestation = record.attestation
        proof = attestation.value_range_proof
        rollup = attestation.public_rollup_proof
        result = self.node.publish(
            attestation.signed_statement.to_dict(),
            attestation.envelope.to_dict(),
            [g.grant for g in record.grants],
            value_range_proof=None if proof is None else proof.to_json(),
            rollup_proof=None if rollup is None else rollup.to_json(),
        )
        log_id, index = str(result["logId"]), int(result["index"])
        self.wallet.finish_publication(record.attestation_id, log_id=log_id, index=index, at=now)
        return Published(attestation, log_id, index, record.product_id)

    def resume_pending(self) -> list[Published]:
        """:meth:`resume_pending_at` now."""
        return self.resume_pending_at(now=self.now())

    def resume_pending_at(self, *, now: datetime) -> list[Published]:
        """Send every publication the wallet holds as pending (left by a crash or an
        unreachable node); the node recognises the ones it already logged. Returns them
        in the order they were made. Raises :class:`~sdk.errors.NodeClientError` on the
        first the node refuses (the rest stay pending)."""
        return [self._send(r, now) for r in self.wallet.publications(state=PublishState.PENDING)]

    def _logged(self, attestation_id: str) -> PublishedRecord:
        record = self.wallet.publication(attestation_id)
        if record is None:
            raise RoleError(f"attestation {attestation_id} was not published by this supplier")
        if record.state is not PublishState.LOGGED:
            raise RoleError(
                f"attestation {attestation_id} is still pending: publish it again or resume "
                "pending publications first"
            )
        return record

    def grant(self, attestation_id: str, recipient: OrgId | str) -> Grant:
        """Let ``recipient`` decrypt one of this supplier's attestations (idempotent).

        The grant is stored in the wallet before it is sent. Raises :class:`RoleError` if
        this supplier did not publish ``attestation_id`` (or it is still pending).
        """
        published = self._logged(attestation_id)
        org = OrgId.parse(str(recipient))
        now = self.now()
        grant = published.attestation.grant(org, self.encryption_key_of(org), rng=self._rng)
        self.wallet.record_grant(GrantRecord.of(grant, now))
        try:
            self.node.add_grant(attestation_id, grant.to_dict())
        except NodeClientError as exc:
            if exc.status != 409:
                raise
        self.wallet.mark_grant_sent(attestation_id, str(org), grant.recipient_key_id, now)
        return grant

    def open_requests(self) -> list[dict[str, Any]]:
        """Requests addressed to this supplier that are still open (recorded in the
        wallet as incoming)."""
        found = self.node.list_requests(role="supplier", status="open")
        for req in found:
            self.remember_request(req)
        return found

    def incoming_requests(self, status: str | None = None) -> list[dict[str, Any]]:
        """Requests addressed to this supplier (optionally of one status), recorded in the
        wallet."""
        found = self.node.list_requests(role="supplier", status=status)
        for req in found:
            self.remember_request(req)
        return found

    def fulfil(self, request: Mapping[str, Any] | str, attestation_id: str) -> dict[str, Any]:
        """Answer a request with one of this supplier's attestations, granting the leader.

        Guarantees: the leader holds a grant for ``attestation_id`` before the request is
        marked fulfilled, and no grant is made for a request that is no longer open.
        Raises :class:`RoleError` for a request already answered or an attestation this
        supplier did not publish, :class:`~sdk.errors.NodeClientError` if the node
        refuses.
        """
        req = self.node.get_request(self._request_id(request))
        self.remember_request(req)
        if req["status"] != "open":
            raise RoleError(f"request {req['id']} is already {req['status']}")
        self._logged(attestation_id)
        self.grant(attestation_id, str(req["leader"]))
        answered = self.node.fulfil_request(str(req["id"]), attestation_id)
        self.remember_request(answered, f"fulfilled with {attestation_id}")
        return answered

    def reject(self, request: Mapping[str, Any] | str, reason: str) -> dict[str, Any]:
        """Decline a request with a reason the leader will read."""
        answered = self.node.reject_request(self._request_id(request), reason)
        self.remember_request(answered, reason)
        return answered

    def disclose(self, attestation_id: str, pointers: Iterable[str]) -> Disclosure:
        """Reveal chosen claims of an attestation this supplier published."""
        record = self.wallet.publication(attestation_id)
        if record is None:
            raise RoleError(f"attestation {attestation_id} was not published by this supplier")
        return record.attestation.disclose(pointers)

    @staticmethod
    def _request_id(request: Mapping[str, Any] | str) -> str:
        return request if isinstance(request, str) else str(request["id"])


def _committable(doc: Mapping[str, Any]) -> bool:
    """Whether the footprint's value can be committed with a range proof: a decimal ≥ 0
    (a document without one is refused by the footprint checks, not here)."""
    try:
        return footprint_value(doc) >= 0
    except ValueError:
        return False


def _product_id(doc: Mapping[str, Any]) -> str:
    ids = doc.get("productIds")
    if not isinstance(ids, list) or not ids or not isinstance(ids[0], str):
        raise FootprintError(PRODUCT_POINTER, "the footprint names no product id")
    for i, pid in enumerate(ids):
        # PACT reserves urn:pact:null for "no product"; a footprint must name a real one.
        if isinstance(pid, str) and pid.lower() == "urn:pact:null":
            raise FootprintError(
                f"/productIds/{i}", "urn:pact:null names no product; give the product's id"
            )
    return ids[0]
