"""What every acting organisation has: its keys, its node client, the registry; and the
supplier's recipes (publish, fulfil, reject) that leaders share."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from nacl.public import PublicKey

from sdk._attestation import Attestation, create_attestation
from sdk._canonical import JsonValue
from sdk._disclosure import Disclosure
from sdk._envelope import Grant
from sdk._ids import OrgId
from sdk._keys import OrgKeys, Rng
from sdk._registry import ParticipantRegistryClient
from sdk.client import NodeClient
from sdk.errors import FootprintError, NodeClientError, RegistryError, RoleError
from sdk.footprint import ProductFootprint, to_pact
from sdk.roles._labelling import PRODUCT_POINTER


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
    encryption keys and issuers' signing keys. ``clock`` and ``rng`` supply time and
    randomness (tests and the demo pass fixed ones).
    """

    def __init__(
        self,
        keys: OrgKeys,
        *,
        node: NodeClient,
        participants: ParticipantRegistryClient,
        clock: Callable[[], datetime] = _utcnow,
        rng: Rng = os.urandom,
    ) -> None:
        self.keys = keys
        self.node = node
        self.participants = participants
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


class Supplier(Party):
    """A supplier: publishes encrypted footprints and answers its customers' requests.

    Keeps the attestations it published in :attr:`published` (the data keys and salts
    never leave the issuer), so it can grant and disclose later.
    """

    def __init__(self, keys: OrgKeys, **kwargs: Any) -> None:
        super().__init__(keys, **kwargs)
        self.published: dict[str, Published] = {}

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
    ) -> Published:
        """Encrypt, sign and publish ``footprint`` with its ``inventory`` at ``now``.

        Only ``recipients`` (each granted the data key, sealed to its registered X25519
        key) can decrypt; the node and everyone else see the public statement only.
        ``upstream`` are the supplier disclosures the footprint relied on (carried in the
        envelope, committed by id). Guarantees on return: the node logged the attestation
        (``index``) in one all-or-nothing write. Raises :class:`RoleError` (unknown
        recipient), :class:`~sdk.errors.FootprintError` (bad document),
        :class:`~sdk.errors.NodeClientError` (the node refused, nothing stored).
        """
        doc = footprint_document(footprint)
        product_id = _product_id(doc)
        targets = [OrgId.parse(str(r)) for r in recipients]
        keys = {org: self.encryption_key_of(org) for org in targets}
        attestation = create_attestation(
            self.keys,
            product_id=product_id,
            footprint=doc,
            inventory=inventory_document(inventory),
            now=now,
            upstream_disclosures=upstream,
            supersedes=supersedes,
            rng=self._rng,
        )
        grants = [attestation.grant(org, key, rng=self._rng) for org, key in keys.items()]
        result = self.node.publish(
            attestation.signed_statement.to_dict(),
            attestation.envelope.to_dict(),
            [g.to_dict() for g in grants],
        )
        published = Published(attestation, str(result["logId"]), int(result["index"]), product_id)
        self.published[attestation.attestation_id] = published
        return published

    def grant(self, attestation_id: str, recipient: OrgId | str) -> Grant:
        """Let ``recipient`` decrypt one of this supplier's attestations (idempotent).

        Raises :class:`RoleError` if this supplier did not publish ``attestation_id`` here.
        """
        published = self.published.get(attestation_id)
        if published is None:
            raise RoleError(f"attestation {attestation_id} was not published by this supplier")
        org = OrgId.parse(str(recipient))
        grant = published.attestation.grant(org, self.encryption_key_of(org), rng=self._rng)
        try:
            self.node.add_grant(attestation_id, grant.to_dict())
        except NodeClientError as exc:
            if exc.status != 409:
                raise
        return grant

    def open_requests(self) -> list[dict[str, Any]]:
        """Requests addressed to this supplier that are still open."""
        return self.node.list_requests(role="supplier", status="open")

    def fulfil(self, request: Mapping[str, Any] | str, attestation_id: str) -> dict[str, Any]:
        """Answer a request with one of this supplier's attestations, granting the leader.

        Guarantees: the leader holds a grant for ``attestation_id`` before the request is
        marked fulfilled, and no grant is made for a request that is no longer open.
        Raises :class:`RoleError` for a request already answered or an attestation this
        supplier did not publish, :class:`~sdk.errors.NodeClientError` if the node
        refuses.
        """
        req = self.node.get_request(self._request_id(request))
        if req["status"] != "open":
            raise RoleError(f"request {req['id']} is already {req['status']}")
        if attestation_id not in self.published:
            raise RoleError(f"attestation {attestation_id} was not published by this supplier")
        self.grant(attestation_id, str(req["leader"]))
        return self.node.fulfil_request(str(req["id"]), attestation_id)

    def reject(self, request: Mapping[str, Any] | str, reason: str) -> dict[str, Any]:
        """Decline a request with a reason the leader will read."""
        return self.node.reject_request(self._request_id(request), reason)

    def disclose(self, attestation_id: str, pointers: Iterable[str]) -> Disclosure:
        """Reveal chosen claims of an attestation this supplier published."""
        published = self.published.get(attestation_id)
        if published is None:
            raise RoleError(f"attestation {attestation_id} was not published by this supplier")
        return published.attestation.disclose(pointers)

    @staticmethod
    def _request_id(request: Mapping[str, Any] | str) -> str:
        return request if isinstance(request, str) else str(request["id"])


def _product_id(doc: Mapping[str, Any]) -> str:
    ids = doc.get("productIds")
    if not isinstance(ids, list) or not ids or not isinstance(ids[0], str):
        raise FootprintError(PRODUCT_POINTER, "the footprint names no product id")
    return ids[0]
