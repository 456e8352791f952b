"""The gateway's own state, next to the wallet: OAuth clients, partner credentials,
footprints shared through PACT, cached receipts, accepted requests, the outbox of
events to send, and the console's staff accounts and sessions (gateway.console).

SQLite in one file (``<home>/gateway.db``, mode 0600), WAL with ``synchronous=FULL``:
a write has reached the disk when its method returns, so an acknowledged
``RequestCreated`` and a queued callback survive ``kill -9``. Every method opens its own
connection (the server calls from several threads). Client secrets are stored as
argon2id hashes; partner secrets (which this gateway must send) in plain text, which is
why the file is private to its owner.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gateway.pact.errors import ClientRegistryError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS clients (
    client_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, org_id TEXT NOT NULL,
    name TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS partners (
    org_id TEXT PRIMARY KEY, base_url TEXT NOT NULL, client_id TEXT NOT NULL,
    client_secret TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shares (
    attestation_id TEXT NOT NULL, org_id TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (attestation_id, org_id));
CREATE TABLE IF NOT EXISTS receipts (
    attestation_id TEXT PRIMARY KEY, receipt TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inbound (
    request_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, source TEXT NOT NULL,
    event_id TEXT NOT NULL, version INTEGER NOT NULL, criteria TEXT NOT NULL,
    callback TEXT NOT NULL, received_at TEXT NOT NULL, answered_at TEXT,
    UNIQUE (org_id, source, event_id));
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, org_id TEXT NOT NULL, url TEXT NOT NULL,
    body TEXT NOT NULL, created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL, sent_at TEXT, abandoned_at TEXT, last_error TEXT);
CREATE TABLE IF NOT EXISTS announced (
    footprint_id TEXT NOT NULL, org_id TEXT NOT NULL, PRIMARY KEY (footprint_id, org_id));
CREATE TABLE IF NOT EXISTS staff (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, name TEXT, csrf TEXT NOT NULL, created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL);
"""


def _iso(when: datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("naive datetime refused; pass a timezone-aware time")
    return when.astimezone(UTC).isoformat()


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


@dataclass(frozen=True)
class ClientRecord:
    """An OAuth client of this gateway: a customer organisation's PACT system."""

    client_id: str
    org_id: str
    name: str
    created_at: datetime
    secret_hash: str


@dataclass(frozen=True)
class PartnerRecord:
    """Credentials this gateway holds for a partner organisation's PACT server (to send it
    events and pull from it)."""

    org_id: str
    base_url: str
    client_id: str
    client_secret: str


@dataclass(frozen=True)
class InboundRequest:
    """A ``RequestCreated`` event this gateway accepted (acknowledged with 200)."""

    request_id: str
    org_id: str
    source: str
    event_id: str
    version: int
    criteria: dict[str, Any]
    callback: str
    received_at: datetime
    answered_at: datetime | None


@dataclass(frozen=True)
class OutboxEvent:
    """An event waiting to be delivered (or delivered: ``sent_at``)."""

    id: int
    org_id: str
    url: str
    body: dict[str, Any]
    created_at: datetime
    attempts: int
    next_at: datetime
    sent_at: datetime | None
    abandoned_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class StaffRecord:
    """A local console account of this organisation's staff."""

    name: str
    role: str
    password_hash: str
    created_at: datetime


@dataclass(frozen=True)
class SessionRecord:
    """A console session: ``name`` is None before login (the login form's own CSRF token)."""

    token_hash: str
    name: str | None
    csrf: str
    created_at: datetime
    expires_at: datetime


class GatewayState:
    """The gateway's SQLite file. Every write is one transaction, durable on return."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
        finally:
            db.close()

    @contextmanager
    def _db(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous=FULL")
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    # ------------------------------------------------------------------ clients

    def add_client(self, record: ClientRecord) -> None:
        """Store a client; raises :class:`ClientRegistryError` for a taken id."""
        try:
            with self._db() as db:
                db.execute(
                    "INSERT INTO clients VALUES (?, ?, ?, ?, ?)",
                    (
                        record.client_id,
                        record.secret_hash,
                        record.org_id,
                        record.name,
                        _iso(record.created_at),
                    ),
                )
        except sqlite3.IntegrityError:
            raise ClientRegistryError(
                f"client id {record.client_id!r} is taken; choose another or remove it first"
            ) from None

    def remove_client(self, client_id: str) -> None:
        """Forget a client (its tokens stop working at the next check)."""
        with self._db() as db:
            if db.execute("DELETE FROM clients WHERE client_id = ?", (client_id,)).rowcount == 0:
                raise ClientRegistryError(f"no client {client_id!r} (see `clients list`)")

    def client(self, client_id: str) -> ClientRecord | None:
        """One client."""
        with self._db(write=False) as db:
            row = db.execute(
                "SELECT client_id, org_id, name, created_at, secret_hash FROM clients "
                "WHERE client_id = ?",
                (client_id,),
            ).fetchone()
        return None if row is None else ClientRecord(row[0], row[1], row[2], _dt(row[3]), row[4])

    def clients(self) -> list[ClientRecord]:
        """Every client, oldest first."""
        with self._db(write=False) as db:
            rows = db.execute(
                "SELECT client_id, org_id, name, created_at, secret_hash FROM clients "
                "ORDER BY created_at, client_id"
            ).fetchall()
        return [ClientRecord(r[0], r[1], r[2], _dt(r[3]), r[4]) for r in rows]

    # ------------------------------------------------------------------ console staff

    def add_staff(self, record: StaffRecord) -> None:
        """Store a console account; raises :class:`ClientRegistryError` for a taken name."""
        try:
            with self._db() as db:
                db.execute(
                    "INSERT INTO staff VALUES (?, ?, ?, ?)",
                    (record.name, record.role, record.password_hash, _iso(record.created_at)),
                )
        except sqlite3.IntegrityError:
            raise ClientRegistryError(
                f"user {record.name!r} exists; remove it first or choose another name"
            ) from None

    def staff(self, name: str | None = None) -> list[StaffRecord]:
        """Every console account (or the one called ``name``), by name."""
        query = "SELECT name, role, password_hash, created_at FROM staff"
        args: tuple[str, ...] = ()
        if name is not None:
            query, args = query + " WHERE name = ?", (name,)
        with self._db(write=False) as db:
            rows = db.execute(query + " ORDER BY name", args).fetchall()
        return [StaffRecord(r[0], r[1], r[2], _dt(r[3])) for r in rows]

    def remove_staff(self, name: str) -> None:
        """Forget an account and end its sessions at once."""
        with self._db() as db:
            if db.execute("DELETE FROM staff WHERE name = ?", (name,)).rowcount == 0:
                raise ClientRegistryError(f"no user {name!r} (see `gateway users list`)")
            db.execute("DELETE FROM sessions WHERE name = ?", (name,))

    def put_session(self, record: SessionRecord) -> None:
        """Store a session, dropping every expired one."""
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE expires_at <= ?", (_iso(record.created_at),))
            db.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                (
                    record.token_hash,
                    record.name,
                    record.csrf,
                    _iso(record.created_at),
                    _iso(record.expires_at),
                ),
            )

    def session(self, token_hash: str) -> SessionRecord | None:
        """The session stored under ``token_hash`` (expired or not)."""
        with self._db(write=False) as db:
            row = db.execute(
                "SELECT token_hash, name, csrf, created_at, expires_at FROM sessions "
                "WHERE token_hash = ?",
                (token_hash,),
            ).fetchone()
        return (
            None if row is None else SessionRecord(row[0], row[1], row[2], _dt(row[3]), _dt(row[4]))
        )

    def end_session(self, token_hash: str) -> None:
        """Forget a session (logout, or login replacing the anonymous one)."""
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    # ------------------------------------------------------------------ partners

    def put_partner(self, record: PartnerRecord, now: datetime) -> None:
        """Store (or replace) the credentials for a partner organisation's server."""
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO partners VALUES (?, ?, ?, ?, ?)",
                (record.org_id, record.base_url, record.client_id, record.client_secret, _iso(now)),
            )

    def partner(self, org_id: str) -> PartnerRecord | None:
        """The credentials for ``org_id``'s server, if configured."""
        with self._db(write=False) as db:
            row = db.execute(
                "SELECT org_id, base_url, client_id, client_secret FROM partners WHERE org_id = ?",
                (org_id,),
            ).fetchone()
        return None if row is None else PartnerRecord(*row)

    def partners(self) -> list[PartnerRecord]:
        """Every partner."""
        with self._db(write=False) as db:
            rows = db.execute(
                "SELECT org_id, base_url, client_id, client_secret FROM partners ORDER BY org_id"
            ).fetchall()
        return [PartnerRecord(*r) for r in rows]

    def remove_partner(self, org_id: str) -> bool:
        """Forget a partner's credentials; whether there were any."""
        with self._db() as db:
            return db.execute("DELETE FROM partners WHERE org_id = ?", (org_id,)).rowcount > 0

    # ------------------------------------------------------------------ shares, receipts

    def share(self, attestation_id: str, org_id: str, now: datetime) -> None:
        """Let ``org_id`` see a footprint through the gateway (idempotent)."""
        with self._db() as db:
            db.execute(
                "INSERT OR IGNORE INTO shares VALUES (?, ?, ?)", (attestation_id, org_id, _iso(now))
            )

    def shares(self) -> dict[str, set[str]]:
        """attestation id → organisations it was shared with through PACT."""
        out: dict[str, set[str]] = {}
        with self._db(write=False) as db:
            for att, org in db.execute("SELECT attestation_id, org_id FROM shares"):
                out.setdefault(att, set()).add(org)
        return out

    def put_receipt(self, attestation_id: str, receipt: dict[str, Any]) -> None:
        """Cache an attestation's receipt (public and final once anchored)."""
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO receipts VALUES (?, ?)",
                (attestation_id, json.dumps(receipt, sort_keys=True)),
            )

    def receipts(self) -> dict[str, dict[str, Any]]:
        """Every cached receipt by attestation id."""
        with self._db(write=False) as db:
            return {a: json.loads(r) for a, r in db.execute("SELECT * FROM receipts")}

    # ------------------------------------------------------------------ inbound requests

    def accept_request(self, request: InboundRequest) -> InboundRequest:
        """Store an accepted ``RequestCreated`` (durable on return). The same event
        (organisation, source, id) sent again returns the request stored the first time."""
        with self._db() as db:
            row = db.execute(
                "SELECT request_id FROM inbound WHERE org_id = ? AND source = ? AND event_id = ?",
                (request.org_id, request.source, request.event_id),
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO inbound VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    (
                        request.request_id,
                        request.org_id,
                        request.source,
                        request.event_id,
                        request.version,
                        json.dumps(request.criteria),
                        request.callback,
                        _iso(request.received_at),
                    ),
                )
                return request
        found = self.inbound(row[0])
        assert found is not None
        return found

    def inbound(self, request_id: str) -> InboundRequest | None:
        """One accepted request."""
        with self._db(write=False) as db:
            row = db.execute("SELECT * FROM inbound WHERE request_id = ?", (request_id,)).fetchone()
        return None if row is None else _inbound(row)

    def inbound_all(self, *, unanswered: bool = False) -> list[InboundRequest]:
        """Accepted requests, oldest first (only those not answered yet)."""
        query = "SELECT * FROM inbound"
        if unanswered:
            query += " WHERE answered_at IS NULL"
        with self._db(write=False) as db:
            rows = db.execute(query + " ORDER BY received_at").fetchall()
        return [_inbound(r) for r in rows]

    def answer(
        self, request_id: str, event: tuple[str, str, dict[str, Any]] | None, now: datetime
    ) -> bool:
        """Mark a request answered and queue its answer ``(org, url, body)`` in the same
        transaction; False (nothing changed) when it was already answered."""
        with self._db() as db:
            changed = db.execute(
                "UPDATE inbound SET answered_at = ? WHERE request_id = ? AND answered_at IS NULL",
                (_iso(now), request_id),
            ).rowcount
            if changed and event is not None:
                _enqueue(db, *event, now)
        return bool(changed)

    # ------------------------------------------------------------------ outbox

    def enqueue(self, org_id: str, url: str, body: dict[str, Any], now: datetime) -> None:
        """Queue an event for delivery."""
        with self._db() as db:
            _enqueue(db, org_id, url, body, now)

    def announce(
        self, footprint_id: str, org_id: str, url: str, body: dict[str, Any], now: datetime
    ) -> bool:
        """Queue a ``Published`` event about ``footprint_id`` for ``org_id`` once."""
        with self._db() as db:
            fresh = db.execute(
                "INSERT OR IGNORE INTO announced VALUES (?, ?)", (footprint_id, org_id)
            ).rowcount
            if fresh:
                _enqueue(db, org_id, url, body, now)
        return bool(fresh)

    def due(self, now: datetime) -> list[OutboxEvent]:
        """Events to (re)try now."""
        with self._db(write=False) as db:
            rows = db.execute(
                "SELECT * FROM outbox WHERE sent_at IS NULL AND abandoned_at IS NULL "
                "AND next_at <= ? ORDER BY id",
                (_iso(now),),
            ).fetchall()
        return [_outbox(r) for r in rows]

    def outbox(self) -> list[OutboxEvent]:
        """Every event queued, oldest first."""
        with self._db(write=False) as db:
            return [_outbox(r) for r in db.execute("SELECT * FROM outbox ORDER BY id")]

    def delivered(self, event_id: int, now: datetime) -> None:
        """Mark an event delivered."""
        with self._db() as db:
            db.execute("UPDATE outbox SET sent_at = ? WHERE id = ?", (_iso(now), event_id))

    def failed(self, event_id: int, error: str, next_at: datetime | None, now: datetime) -> None:
        """Record a failed attempt; ``next_at`` None abandons the event."""
        with self._db() as db:
            if next_at is None:
                db.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ?, abandoned_at = ? "
                    "WHERE id = ?",
                    (error, _iso(now), event_id),
                )
            else:
                db.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_at = ? "
                    "WHERE id = ?",
                    (error, _iso(next_at), event_id),
                )


def _enqueue(
    db: sqlite3.Connection, org_id: str, url: str, body: dict[str, Any], now: datetime
) -> None:
    db.execute(
        "INSERT INTO outbox (org_id, url, body, created_at, next_at) VALUES (?, ?, ?, ?, ?)",
        (org_id, url, json.dumps(body), _iso(now), _iso(now)),
    )


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _inbound(row: Any) -> InboundRequest:
    return InboundRequest(
        request_id=row[0],
        org_id=row[1],
        source=row[2],
        event_id=row[3],
        version=row[4],
        criteria=json.loads(row[5]),
        callback=row[6],
        received_at=_dt(row[7]),
        answered_at=_time(row[8]),
    )


def _outbox(row: Any) -> OutboxEvent:
    return OutboxEvent(
        id=row[0],
        org_id=row[1],
        url=row[2],
        body=json.loads(row[3]),
        created_at=_dt(row[4]),
        attempts=row[5],
        next_at=_dt(row[6]),
        sent_at=_time(row[7]),
        abandoned_at=_time(row[8]),
        last_error=row[9],
    )
