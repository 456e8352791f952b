"""Footprint requests (DESIGN.md §6.2): a leader asks, the supplier fulfils or rejects.

Every state change writes its webhook deliveries into the outbox (``webhook_deliveries``)
in the same transaction, so an event is delivered if and only if the change committed.
Both sides can also poll ``GET /v1/requests?updatedAfter=…``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, or_, select, update

from node._db import writing
from node._participants import LEADER, PUBLISHING_ROLES, Participants
from node._tables import attestations, footprint_requests, grants, webhooks
from node._util import check_aware, rfc3339
from node._webhooks import enqueue
from node.errors import Conflict, Forbidden, InvalidInput, NotFound

OPEN, FULFILLED, REJECTED = "open", "fulfilled", "rejected"
STATUSES = (OPEN, FULFILLED, REJECTED)
MAX_REASON = 2000


def request_view(row: Any) -> dict[str, Any]:
    """The JSON form of a request row."""
    return {
        "id": row.id,
        "leader": row.leader,
        "supplier": row.supplier,
        "productIds": json.loads(row.product_ids),
        "message": row.message,
        "status": row.status,
        "attestationId": row.attestation_id,
        "reason": row.reason,
        "created": rfc3339(row.created_at),
        "updated": rfc3339(row.updated_at),
    }


class Requests:
    """The footprint-request resource."""

    def __init__(
        self,
        engine: Engine,
        participants: Participants,
        max_product_ids: int,
        new_id: Callable[[], str] = lambda: secrets.token_hex(16),
    ) -> None:
        self._engine = engine
        self._participants = participants
        self._max_product_ids = max_product_ids
        self._new_id = new_id

    def create(
        self,
        leader: str,
        supplier: str,
        product_ids: list[str],
        message: str | None,
        now: datetime,
    ) -> dict[str, Any]:
        """File a request from ``leader`` (LEADER role) to ``supplier`` (a publisher).

        Raises :class:`Forbidden` if the caller is no leader, :class:`InvalidInput` for an
        unknown supplier, a request to oneself, or bad product ids.
        """
        check_aware(now)
        self._participants.require_role(leader, {LEADER})
        _require_text(supplier, "supplier")
        for pid in product_ids:
            _require_text(pid, "product id")
        if message is not None:
            _require_text(message, "message")
        if supplier == leader:
            raise InvalidInput("a leader cannot request from itself")
        found = self._participants.organisation(supplier)
        if found is None or not found.roles & PUBLISHING_ROLES:
            raise InvalidInput(
                f"supplier {supplier} is not a registered publishing organisation",
                code="unknown_supplier",
            )
        if not product_ids or len(product_ids) > self._max_product_ids:
            raise InvalidInput(f"productIds must hold 1 to {self._max_product_ids} ids")
        for pid in product_ids:
            if not pid.startswith("urn:") or len(pid) > 512:
                raise InvalidInput(f"product id {pid!r} must be a URN (urn:…)")
        if len(set(product_ids)) != len(product_ids):
            raise InvalidInput("productIds contains duplicates")
        if message is not None and len(message) > MAX_REASON:
            raise InvalidInput(f"message is longer than {MAX_REASON} characters")
        request_id = self._new_id()
        row: dict[str, Any] = {
            "id": request_id,
            "leader": leader,
            "supplier": supplier,
            "product_ids": json.dumps(product_ids),
            "message": message,
            "status": OPEN,
            "attestation_id": None,
            "reason": None,
            "created_at": now,
            "updated_at": now,
        }
        with writing(self._engine) as conn, conn.begin():
            conn.execute(insert(footprint_requests).values(**row))
            stored = self._get(conn, request_id)
            _notify(conn, supplier, "request.created", request_view(stored), now)
        return request_view(stored)

    def fulfil(
        self, supplier: str, request_id: str, attestation_id: str, now: datetime
    ) -> dict[str, Any]:
        """Answer an open request with an attestation the supplier issued.

        Accepted only when the leader holds a grant for it. Raises :class:`NotFound`
        (request not visible to the caller), :class:`Forbidden` (caller is the leader),
        :class:`Conflict` (already answered), :class:`InvalidInput` (unknown attestation,
        another issuer's, or no grant for the leader).
        """
        check_aware(now)
        _require_text(attestation_id, "attestationId")
        with writing(self._engine) as conn, conn.begin():
            row = self._answerable(conn, supplier, request_id)
            att = conn.execute(
                select(attestations.c.issuer).where(attestations.c.id == attestation_id)
            ).first()
            if att is None:
                raise InvalidInput(f"no attestation {attestation_id} on this node")
            if att.issuer != supplier:
                raise InvalidInput(
                    f"attestation {attestation_id} was issued by {att.issuer}, not {supplier}",
                    code="not_issuer",
                )
            granted = conn.execute(
                select(grants.c.recipient).where(
                    grants.c.attestation_id == attestation_id, grants.c.recipient == row.leader
                )
            ).first()
            if granted is None:
                raise InvalidInput(
                    f"leader {row.leader} holds no grant for attestation {attestation_id}",
                    code="no_grant",
                )
            conn.execute(
                update(footprint_requests)
                .where(footprint_requests.c.id == request_id)
                .values(status=FULFILLED, attestation_id=attestation_id, updated_at=now)
            )
            stored = self._get(conn, request_id)
            _notify(conn, row.leader, "request.fulfilled", request_view(stored), now)
        return request_view(stored)

    def reject(self, supplier: str, request_id: str, reason: str, now: datetime) -> dict[str, Any]:
        """Decline an open request with a non-empty reason (supplier only)."""
        check_aware(now)
        _require_text(reason, "reason")
        if not reason.strip() or len(reason) > MAX_REASON:
            raise InvalidInput(f"reason must be 1 to {MAX_REASON} characters")
        with writing(self._engine) as conn, conn.begin():
            row = self._answerable(conn, supplier, request_id)
            conn.execute(
                update(footprint_requests)
                .where(footprint_requests.c.id == request_id)
                .values(status=REJECTED, reason=reason, updated_at=now)
            )
            stored = self._get(conn, request_id)
            _notify(conn, row.leader, "request.rejected", request_view(stored), now)
        return request_view(stored)

    def get(self, caller: str, request_id: str) -> dict[str, Any]:
        """One request, visible to its leader and supplier only (else :class:`NotFound`)."""
        with self._engine.connect() as conn:
            row = self._get(conn, request_id)
        if caller not in (row.leader, row.supplier):
            raise NotFound(f"no request {request_id}")
        return request_view(row)

    def list(
        self,
        caller: str,
        *,
        role: str | None,
        status: str | None,
        updated_after: datetime | None,
        limit: int,
    ) -> list[dict[str, Any]]:
        """The caller's requests, oldest update first (poll with ``updated_after``)."""
        query = select(footprint_requests)
        if role == "leader":
            query = query.where(footprint_requests.c.leader == caller)
        elif role == "supplier":
            query = query.where(footprint_requests.c.supplier == caller)
        elif role is None:
            query = query.where(
                or_(footprint_requests.c.leader == caller, footprint_requests.c.supplier == caller)
            )
        else:
            raise InvalidInput("role must be 'leader' or 'supplier'")
        if status is not None:
            if status not in STATUSES:
                raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
            query = query.where(footprint_requests.c.status == status)
        if updated_after is not None:
            query = query.where(footprint_requests.c.updated_at > check_aware(updated_after))
        query = query.order_by(footprint_requests.c.updated_at, footprint_requests.c.id).limit(
            limit
        )
        with self._engine.connect() as conn:
            return [request_view(r) for r in conn.execute(query)]

    def _get(self, conn: Connection, request_id: str) -> Any:
        row = conn.execute(
            select(footprint_requests).where(footprint_requests.c.id == request_id)
        ).first()
        if row is None:
            raise NotFound(f"no request {request_id}")
        return row

    def _answerable(self, conn: Connection, supplier: str, request_id: str) -> Any:
        row = self._get(conn, request_id)
        if supplier not in (row.leader, row.supplier):
            raise NotFound(f"no request {request_id}")
        if supplier != row.supplier:
            raise Forbidden("only the supplier answers a request", code="not_supplier")
        if row.status != OPEN:
            raise Conflict(f"request {request_id} is already {row.status}", code="answered")
        return row


def _require_text(value: str, what: str) -> None:
    """Refuse a string that cannot be stored or answered: a lone surrogate (not UTF-8),
    or NUL (PostgreSQL text cannot hold it)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(f"{what} is not Unicode text (lone surrogate)") from exc
    if "\x00" in value:
        raise InvalidInput(f"{what} contains a NUL character")


def _notify(conn: Connection, org: str, event: str, payload: dict[str, Any], now: datetime) -> None:
    hook = conn.execute(select(webhooks.c.url).where(webhooks.c.org == org)).first()
    if hook is not None:
        enqueue(conn, org, hook.url, event, payload, now)
