"""The gateway's behaviour between HTTP and storage: the catalog snapshot, accepting and
answering requests (by policy or by a person), incoming answers to this organisation's
own requests, ``Published`` announcements and the outbox of events.

Write order, so nothing acknowledged is lost (``kill -9`` anywhere): an accepted
``RequestCreated`` is committed to the gateway state (synchronous) before the 200, then
recorded in the wallet; :meth:`Gateway.recover` re-records any the wallet lacks. An
answer marks the request answered and queues its event in one transaction, after the
footprint is shared; the outbox is retried with exponential backoff and abandoned after
72 hours (v3.0: "SHOULD abandon sending the event after 72 hours").
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from gateway.pact import _events as ev
from gateway.pact._catalog import NULL_PRODUCT, Catalog, Entry, Query
from gateway.pact._client import PactClient
from gateway.pact._source import WalletSource
from gateway.pact._state import GatewayState, InboundRequest
from gateway.pact.errors import PactClientError, PactError, PactRequestError
from sdk.footprint import from_pact
from sdk.wallet import (
    PublishedRecord,
    PublishState,
    ReceivedRecord,
    RequestDirection,
    RequestRecord,
    RequestState,
    WalletStore,
)

Policy = Literal["manual", "granted", "published"]
POLICIES: tuple[str, ...] = ("manual", "granted", "published")
#: Retry delays grow 2^attempts seconds up to this; events older than ABANDON are dropped.
MAX_DELAY = timedelta(hours=1)
ABANDON = timedelta(hours=72)


@dataclass(frozen=True)
class GatewaySettings:
    """How the gateway runs. ``base_url`` is its public https base URL (``Link`` headers,
    the Tanji extension's schema URL and the ``source`` of its events start with it).
    ``policy`` answers a ``RequestCreated``: ``granted`` (default) fulfils it at once
    with footprints already granted to the requester, ``published`` with any logged
    footprint of this organisation (shared with the requester), ``manual`` leaves every
    request to a person (``tanji requests fulfil|reject``); a request no footprint
    matches always waits for a person, except one for ``urn:pact:null`` only, rejected at
    once. ``ca_file``: extra certificates to trust when calling partners (self-signed
    gateways). ``allow_loopback_http``: tests only, plain http to 127.0.0.1/::1."""

    base_url: str
    policy: Policy = "granted"
    page_max: int = 1000
    refresh_seconds: float = 5.0
    ca_file: str | None = None
    allow_loopback_http: bool = False


def utcnow() -> datetime:
    """The wall clock, UTC."""
    return datetime.now(UTC)


class Gateway:
    """One organisation's PACT gateway over its wallet and its gateway state."""

    def __init__(
        self,
        settings: GatewaySettings,
        wallet: WalletStore,
        state: GatewayState,
        *,
        clock: Callable[[], datetime] = utcnow,
        receipt: Callable[[str], dict[str, Any] | None] | None = None,
        catalog: Catalog | None = None,
    ) -> None:
        self.settings = settings
        self.wallet = wallet
        self.state = state
        self.clock = clock
        self._receipt = receipt
        self._wallet_lock = threading.RLock()
        self._source = WalletSource(
            _Locked(wallet, self._wallet_lock),
            base_url=settings.base_url,
            shares=state.shares,
            receipts=state.receipts,
        )
        self._static = catalog is not None
        self.catalog: Catalog = catalog if catalog is not None else Catalog()
        self._clients: dict[str, PactClient] = {}
        self.wake = threading.Event()

    @property
    def wallet_lock(self) -> threading.RLock:
        """The lock every use of the wallet by the gateway holds (the worker's catalog
        reads and answers); others sharing the wallet in this process (the console's
        certifier) hold it too, so their writes never interleave."""
        return self._wallet_lock

    @property
    def events_url(self) -> str:
        """This gateway's own v3 events endpoint (the ``source`` of what it sends)."""
        return self.settings.base_url + "/3/events"

    # ------------------------------------------------------------------ catalog

    def refresh(self) -> Catalog:
        """Rebuild the catalog from the wallet (new publications, grants, shares,
        receipts) and queue ``Published`` events for new versions."""
        if self._static:
            return self.catalog
        if self._receipt is not None:
            for att in self._source.missing_receipts()[:50]:
                try:
                    receipt = self._receipt(att)
                except Exception:  # the node is down: try again at the next refresh
                    break
                if receipt is not None:
                    self.state.put_receipt(att, receipt)
        self.catalog = self._source.build()
        self._announce(self.catalog)
        return self.catalog

    def _announce(self, catalog: Catalog) -> None:
        now = self.clock()
        for e in catalog.entries:
            preceding = e.doc.get("precedingPfIds") or []
            if e.status != "Active" or not preceding:
                continue
            for org in sorted(e.audience):
                partner = self.state.partner(org)
                if partner is None:
                    continue
                body = ev.published(3, self.events_url, [e.id, *preceding], now)
                self.state.announce(e.id, org, partner.base_url + "/3/events", body, now)

    # ------------------------------------------------------------------ inbound events

    def receive(self, event: ev.Event, org: str) -> None:
        """Handle a validated event from organisation ``org`` (its client's customer).
        Raises :class:`PactRequestError` (4xx) for one that cannot be accepted."""
        if event.kind == "created":
            self.accept(event, org)
        elif event.kind in ("fulfilled", "rejected"):
            self._answered(event, org)
        # Published: the footprints are fetched with GetFootprint when wanted
        # (`tanji pact pull`); accepting the notice is all the spec asks.

    def accept(self, event: ev.Event, org: str) -> InboundRequest:
        """Store a ``RequestCreated`` durably (before the caller answers 200) and wake the
        worker to answer it."""
        callback = ev.callback_url(
            event.source, event.version, allow_loopback_http=self.settings.allow_loopback_http
        )
        now = self.clock()
        stored = self.state.accept_request(
            InboundRequest(
                request_id=str(uuid.uuid4()),
                org_id=org,
                source=event.source,
                event_id=event.id,
                version=event.version,
                criteria=event.criteria,
                callback=callback,
                received_at=now,
                answered_at=None,
            )
        )
        self._record(stored, event.comment)
        self.wake.set()
        return stored

    def _record(self, req: InboundRequest, comment: str | None = None) -> None:
        with self._wallet_lock:
            if self.wallet.request(req.request_id) is None:
                products = req.criteria.get("productId") or []
                self.wallet.put_request(
                    RequestRecord(
                        request_id=req.request_id,
                        direction=RequestDirection.INCOMING,
                        counterparty=req.org_id,
                        product_ids=tuple(products if isinstance(products, list) else [products]),
                        state=RequestState.OPEN,
                        created_at=req.received_at,
                        updated_at=req.received_at,
                        message=comment,
                        origin="pact",
                    ),
                    f"PACT RequestCreated {req.event_id} from {req.source}",
                )

    def recover(self) -> None:
        """After a restart: record in the wallet every accepted request it lacks."""
        for req in self.state.inbound_all(unanswered=True):
            self._record(req)

    def _answered(self, event: ev.Event, org: str) -> None:
        """A supplier answered one of this organisation's ``tanji pact request``s."""
        request_id = event.data["requestEventId"]
        with self._wallet_lock:
            req = self.wallet.request(request_id)
        if req is None or req.direction != RequestDirection.OUTGOING or req.origin != "pact":
            raise PactRequestError(
                400, "BadRequest", f"no PACT request {request_id!r} was sent from here"
            )
        if req.counterparty != org:
            raise PactRequestError(
                403, "AccessDenied", f"request {request_id!r} was not sent to your organisation"
            )
        now = self.clock()
        if event.kind == "fulfilled":
            ids = []
            for doc in event.data["pfs"]:
                ids.append(self.store_received(doc, org, f"pact:{event.source}", request_id, now))
            update = RequestState.FULFILLED
            note = f"fulfilled over PACT with {', '.join(ids)}"
            reason = None
        else:
            err = event.data["error"]
            update, note, reason = RequestState.REJECTED, None, f"{err['code']}: {err['message']}"
        with self._wallet_lock:
            self.wallet.put_request(
                RequestRecord(
                    request_id=req.request_id,
                    direction=req.direction,
                    counterparty=req.counterparty,
                    product_ids=req.product_ids,
                    state=update,
                    created_at=req.created_at,
                    updated_at=now,
                    message=req.message,
                    attestation_id=None,
                    reason=reason,
                    origin=req.origin,
                ),
                note or reason,
            )

    def store_received(
        self,
        doc: Mapping[str, Any],
        issuer: str,
        source: str,
        request_id: str | None,
        now: datetime,
    ) -> str:
        """Store a footprint from a PACT server as received and not attested; its wallet
        key is ``pact:<footprint id>``."""
        fp = from_pact(dict(doc), strict=False)
        key = f"pact:{fp.id.lower()}"
        with self._wallet_lock:
            self.wallet.put_received(
                ReceivedRecord(
                    attestation_id=key,
                    issuer=issuer,
                    product_id=fp.product_ids[0],
                    source=source,
                    attested=False,
                    received_at=now,
                    request_id=request_id,
                    footprint=fp.to_dict(),
                )
            )
        return key

    # ------------------------------------------------------------------ answering

    def process(self) -> None:
        """Answer every accepted, unanswered request the policy can answer."""
        for req in self.state.inbound_all(unanswered=True):
            query = Query.from_criteria(req.criteria)
            if query.product_ids and query.product_ids <= {NULL_PRODUCT}:
                self.reject(req.request_id, "urn:pact:null names no product")
                continue
            if self.settings.policy == "manual":
                continue
            audience = req.org_id if self.settings.policy == "granted" else None
            found = _prefer_active(self.catalog.search(query, audience), query)
            if req.version == 2:
                found = [e for e in found if e.v2()[1] is not None]
            if found:
                self._fulfil(req, found, "by policy " + self.settings.policy)

    def fulfil(self, request_id: str, attestation_id: str | None = None) -> list[str]:
        """A person fulfils a request: with ``attestation_id``, or with every logged
        footprint matching its criteria. Returns the footprint ids sent. Raises
        :class:`PactError` when the request is unknown, answered, or nothing matches."""
        req = self._open(request_id)
        catalog = self.refresh()
        if attestation_id is not None:
            found = [e for e in catalog.entries if e.attestation_id == attestation_id]
            if not found:
                raise PactError(f"{attestation_id} is not a logged publication of this wallet")
        else:
            found = _prefer_active(catalog.search(Query.from_criteria(req.criteria)), None)
            if not found:
                raise PactError(
                    f"no logged footprint matches request {request_id} "
                    f"({req.criteria}); publish one, name it with --attestation, or reject"
                )
        if req.version == 2:
            found = [e for e in found if e.v2()[1] is not None]
            if not found:
                raise PactError("PACT v2.3 cannot express the matching footprints")
        return self._fulfil(req, found, "by a person")

    def reject(self, request_id: str, reason: str) -> None:
        """Answer a request with ``RequestRejected`` (code NotFound; v2.3 NoSuchFootprint
        was the v2 spelling and is not an error-event code there, so BadRequest)."""
        req = self._open(request_id)
        code = "NotFound" if req.version == 3 else "BadRequest"
        now = self.clock()
        body = ev.rejected(req.version, self._source_for(req), req.event_id, code, reason, now)
        if self.state.answer(req.request_id, (req.org_id, req.callback, body), now):
            self._set_state(req, RequestState.REJECTED, None, reason, now)
        self.wake.set()

    def _open(self, request_id: str) -> InboundRequest:
        req = self.state.inbound(request_id)
        if req is None:
            raise PactError(f"no PACT request {request_id} was received by this gateway")
        if req.answered_at is not None:
            raise PactError(f"request {request_id} was already answered")
        return req

    def _source_for(self, req: InboundRequest) -> str:
        return f"{self.settings.base_url}/{req.version}/events"

    def _fulfil(self, req: InboundRequest, found: list[Entry], how: str) -> list[str]:
        now = self.clock()
        for e in found:
            if e.attestation_id is not None and req.org_id not in e.audience:
                self.state.share(e.attestation_id, req.org_id, now)
        if any(req.org_id not in e.audience for e in found):
            self.refresh()  # the shared footprints are now listed for the requester
        docs = [e.doc if req.version == 3 else e.v2()[1] for e in found]
        body = ev.fulfilled(req.version, self._source_for(req), req.event_id, docs, now)  # type: ignore[arg-type]
        if self.state.answer(req.request_id, (req.org_id, req.callback, body), now):
            self._set_state(
                req,
                RequestState.FULFILLED,
                found[0].attestation_id,
                None,
                now,
                f"fulfilled {how} with {', '.join(e.id for e in found)}",
            )
        self.wake.set()
        return [e.id for e in found]

    def _set_state(
        self,
        req: InboundRequest,
        state: RequestState,
        attestation_id: str | None,
        reason: str | None,
        now: datetime,
        note: str | None = None,
    ) -> None:
        self._record(req)
        with self._wallet_lock:
            old = self.wallet.request(req.request_id)
            assert old is not None
            self.wallet.put_request(
                RequestRecord(
                    request_id=old.request_id,
                    direction=old.direction,
                    counterparty=old.counterparty,
                    product_ids=old.product_ids,
                    state=state,
                    created_at=old.created_at,
                    updated_at=now,
                    message=old.message,
                    attestation_id=attestation_id,
                    reason=reason,
                    origin=old.origin,
                ),
                note or reason,
            )

    # ------------------------------------------------------------------ outbox

    def partner_client(self, org: str) -> PactClient | None:
        """A client for ``org``'s PACT server with the credentials configured for it."""
        if org not in self._clients:
            partner = self.state.partner(org)
            if partner is None:
                return None
            self._clients[org] = PactClient(
                partner.base_url,
                partner.client_id,
                partner.client_secret,
                verify=_verify(self.settings.ca_file),
                allow_loopback_http=self.settings.allow_loopback_http,
            )
        return self._clients[org]

    def deliver(self) -> int:
        """Send every due event once; returns how many were delivered."""
        sent = 0
        now = self.clock()
        for item in self.state.due(now):
            try:
                client = self.partner_client(item.org_id)
                if client is None:
                    raise PactClientError(
                        item.url,
                        f"no credentials for {item.org_id}'s PACT server "
                        "(tanji gateway partners add)",
                    )
                client.send_event(item.body, item.url)
            except PactClientError as exc:
                now = self.clock()
                delay = min(timedelta(seconds=2 ** min(item.attempts, 20)), MAX_DELAY)
                old = now - item.created_at > ABANDON
                self.state.failed(item.id, str(exc), None if old else now + delay, now)
            else:
                self.state.delivered(item.id, self.clock())
                sent += 1
        return sent

    def close(self) -> None:
        """Release the partner clients."""
        for client in self._clients.values():
            client.close()
        self._clients.clear()


def _prefer_active(found: list[Entry], query: Query | None) -> list[Entry]:
    """Active footprints only, unless the query asks for a status itself."""
    if query is not None and query.status is not None:
        return found
    return [e for e in found if e.status == "Active"]


def _verify(ca_file: str | None) -> Any:
    if ca_file is None:
        return True
    import ssl

    ctx = ssl.create_default_context()
    ctx.load_verify_locations(ca_file)
    return ctx


class _Locked:
    """The wallet methods the catalog reads, under the gateway's wallet lock."""

    def __init__(self, wallet: WalletStore, lock: threading.RLock) -> None:
        self._wallet = wallet
        self._lock = lock

    def publications(
        self, *, state: PublishState | None = None, product_id: str | None = None
    ) -> list[PublishedRecord]:
        with self._lock:
            return self._wallet.publications(state=state, product_id=product_id)
