"""Webhook registrations, the delivery outbox and the delivery worker.

An event body is ``JCS({"data", "event", "id", "time"})``. Each delivery is a ``POST``
with header ``Tanji-Signature: <base64 Ed25519 signature>`` over
``b"tanji.webhook.v1\\0" + body`` by the node's checkpoint key (``GET /v1/node`` gives
the public key), so a receiver can tell the node's events from forgeries. A delivery is
retried with exponential backoff (``webhook_backoff_seconds * 2**attempt``) until a 2xx
answer or ``webhook_max_attempts``; then it is marked ``failed``. Receivers should treat
``id`` as an idempotency key: a delivery whose answer was lost is sent again.
"""

from __future__ import annotations

import logging
import secrets
import threading
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from nacl.signing import SigningKey
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from node._db import writing
from node._settings import Settings
from node._tables import webhook_deliveries, webhooks
from node._util import b64, check_aware, rfc3339
from node.errors import InvalidInput, NotFound
from sdk import canonical_json

WEBHOOK_TAG = b"tanji.webhook.v1\0"
SIGNATURE_HEADER = "Tanji-Signature"
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"

log = logging.getLogger("tanji.node.webhooks")


def check_url(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL the delivery client can fetch.

    Raises :class:`InvalidInput` (``invalid_url``) otherwise.
    """
    try:
        parts = urlsplit(url)
        httpx.URL(url)  # what the dispatcher will POST to: refuse what it cannot parse
    except (ValueError, httpx.InvalidURL) as exc:
        raise InvalidInput(f"webhook url is malformed: {exc}", code="invalid_url") from exc
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 2000:
        raise InvalidInput("webhook url must be an absolute http(s) URL", code="invalid_url")
    return url


def enqueue(
    conn: Connection, org: str, url: str, event: str, data: dict[str, Any], now: datetime
) -> None:
    """Put an event for ``org`` in the outbox inside ``conn``'s transaction."""
    body = canonical_json(
        {"data": data, "event": event, "id": secrets.token_hex(16), "time": rfc3339(now)}
    )
    conn.execute(
        insert(webhook_deliveries).values(
            org=org,
            url=url,
            event=event,
            body=body,
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            last_error=None,
            created_at=now,
        )
    )


def sign_body(key: SigningKey, body: bytes) -> str:
    """The ``Tanji-Signature`` header value for ``body``."""
    return b64(key.sign(WEBHOOK_TAG + body).signature)


class Webhooks:
    """Per-organisation webhook registration (one URL per organisation)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def set(self, org: str, url: str, now: datetime) -> dict[str, Any]:
        """Register (or replace) ``org``'s webhook URL."""
        check_aware(now)
        check_url(url)
        with writing(self._engine) as conn, conn.begin():
            conn.execute(delete(webhooks).where(webhooks.c.org == org))
            conn.execute(insert(webhooks).values(org=org, url=url, created_at=now))
        return {"org": org, "url": url, "created": rfc3339(now)}

    def get(self, org: str) -> dict[str, Any]:
        """``org``'s webhook with its delivery counts; :class:`NotFound` if none."""
        with self._engine.connect() as conn:
            row = conn.execute(select(webhooks).where(webhooks.c.org == org)).first()
            if row is None:
                raise NotFound(f"{org} has no webhook")
            counts: dict[str, int] = dict(
                conn.execute(
                    select(webhook_deliveries.c.status, func.count())
                    .where(webhook_deliveries.c.org == org)
                    .group_by(webhook_deliveries.c.status)
                ).all()
            )
        return {
            "org": org,
            "url": row.url,
            "created": rfc3339(row.created_at),
            "deliveries": {s: int(counts.get(s, 0)) for s in (PENDING, DELIVERED, FAILED)},
        }

    def delete(self, org: str) -> None:
        """Remove ``org``'s webhook; pending deliveries to it are dropped."""
        with writing(self._engine) as conn, conn.begin():
            gone = conn.execute(delete(webhooks).where(webhooks.c.org == org)).rowcount
            conn.execute(
                delete(webhook_deliveries).where(
                    webhook_deliveries.c.org == org, webhook_deliveries.c.status == PENDING
                )
            )
        if not gone:
            raise NotFound(f"{org} has no webhook")

    def pending_count(self) -> int:
        """Deliveries not yet delivered nor given up."""
        with self._engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count()).where(webhook_deliveries.c.status == PENDING)
                ).scalar_one()
            )


class WebhookDispatcher:
    """Delivers due outbox entries; :meth:`run_once` is one pass, :meth:`start` a thread."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        key: SigningKey,
        clock: Any,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._key = key
        self._clock = clock
        self._http = httpx.Client(timeout=settings.webhook_timeout_seconds, transport=transport)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self, now: datetime, limit: int = 50) -> int:
        """Attempt every delivery due at ``now`` (up to ``limit``); return how many were tried.

        Each attempt is claimed (a short lease on ``next_attempt_at``) before it is sent.
        """
        check_aware(now)
        with self._engine.connect() as conn:
            due = conn.execute(
                select(webhook_deliveries)
                .where(
                    webhook_deliveries.c.status == PENDING,
                    webhook_deliveries.c.next_attempt_at <= now,
                )
                .order_by(webhook_deliveries.c.id)
                .limit(limit)
            ).all()
        lease = timedelta(seconds=2 * self._settings.webhook_timeout_seconds + 1)
        tried = 0
        for row in due:
            # Claim the attempt first, so two node processes never send it at once.
            with writing(self._engine) as conn, conn.begin():
                claimed = conn.execute(
                    update(webhook_deliveries)
                    .where(
                        webhook_deliveries.c.id == row.id,
                        webhook_deliveries.c.status == PENDING,
                        webhook_deliveries.c.attempts == row.attempts,
                        webhook_deliveries.c.next_attempt_at == row.next_attempt_at,
                    )
                    .values(next_attempt_at=now + lease)
                ).rowcount
            if claimed != 1:
                continue
            tried += 1
            error = self._post(row.url, row.body)
            attempts = int(row.attempts) + 1
            if error is None:
                values: dict[str, Any] = {
                    "status": DELIVERED,
                    "attempts": attempts,
                    "last_error": None,
                }
            else:
                give_up = attempts >= self._settings.webhook_max_attempts
                delay = self._settings.webhook_backoff_seconds * (2 ** (attempts - 1))
                values = {
                    "status": FAILED if give_up else PENDING,
                    "attempts": attempts,
                    "last_error": error[:500],
                    "next_attempt_at": now + timedelta(seconds=delay),
                }
            with writing(self._engine) as conn, conn.begin():
                # Only the pass that still sees the attempt count it read may record it.
                conn.execute(
                    update(webhook_deliveries)
                    .where(
                        webhook_deliveries.c.id == row.id,
                        webhook_deliveries.c.attempts == row.attempts,
                    )
                    .values(**values)
                )
        return tried

    def _post(self, url: str, body: bytes) -> str | None:
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign_body(self._key, body),
        }
        try:
            response = self._http.post(url, content=body, headers=headers)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return f"transport: {exc}"
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}"

    def start(self) -> None:
        """Run passes every ``webhook_poll_seconds`` in a daemon thread until :meth:`stop`."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="tanji-webhooks", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once(self._clock())
            except Exception:  # the worker must outlive any one failure
                log.exception("webhook pass failed")
            self._stop.wait(self._settings.webhook_poll_seconds)

    def stop(self) -> None:
        """Stop the thread (waits for the current pass) and close the HTTP client."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self._http.close()
