"""The anchoring worker: signed checkpoints of the log, anchored on chain.

One pass (:meth:`Anchorer.run_once`):

1. Reconcile with the chain: the chain's latest head for this log is the truth. A local
   ``pending`` checkpoint whose (size, root) is on chain is recorded as anchored (the
   transaction landed before a crash: it is not sent again); a head on chain that the
   node has no row for is recorded too, after checking its root against the local log.
   An ``anchored`` checkpoint above the chain's head (a reorganisation deeper than
   ``chain_confirmations`` dropped its transaction) goes back to ``pending``. A pending
   checkpoint the chain does not hold is sent (again).
2. If the backlog (log size minus anchored size) reached ``anchor_every_entries``, or it
   is non-empty and ``anchor_every_seconds`` passed since the last anchor, sign a
   checkpoint of the whole log, write it as ``pending`` (committed before sending), send
   ``anchor`` with the consistency proof from the chain's head, then mark it anchored.

Publishing never waits for this: the worker runs in its own thread with its own
connections, and holds the sequencer lock only for the instant it reads the log size.
When the chain is unreachable a pass raises, the thread backs off exponentially (up to
``anchor_retry_max_seconds``) and :meth:`Anchorer.status` reports the error and backlog.
Several node processes on one database elect one anchorer with a PostgreSQL advisory
lock; the chain's size check refuses anything stale anyway.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from eth_account.signers.local import LocalAccount
from nacl.signing import SigningKey
from sqlalchemy import Connection, Engine, insert, select, text, update

from anchors import Checkpoint, sign_checkpoint
from anchors.chain import AnchoredHead, AnchorRegistryClient
from anchors.errors import ChainError, TransactionReverted
from node._db import writing
from node._log import LogAccess
from node._settings import Settings
from node._tables import checkpoints
from node._util import check_aware

PENDING, ANCHORED = "pending", "anchored"

log = logging.getLogger("tanji.node.anchoring")


@dataclass(frozen=True)
class AnchorStatus:
    """What the health endpoint reports about anchoring."""

    log_size: int
    anchored_size: int
    backlog: int
    last_anchor_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    next_attempt_at: datetime | None


class LogIntegrityAlarm(Exception):
    """The chain holds a head for this log that the local log contradicts."""


class Anchorer:
    """Anchors one log; see the module docstring."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        log_access: LogAccess,
        registry: AnchorRegistryClient,
        operator: LocalAccount,
        log_key: SigningKey,
        key_name: str,
        origin: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._log = log_access
        self._registry = registry
        self._operator = operator
        self._key = log_key
        self._key_name = key_name
        self._origin = origin
        self._clock = clock
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_error: str | None = None
        self._failures = 0
        self._next_attempt: datetime | None = None

    # ------------------------------------------------------------------ one pass

    def run_once(self, now: datetime, *, force: bool = False) -> int | None:
        """Reconcile, then anchor if due (or ``force``); return the size anchored, if any.

        Raises :class:`~anchors.errors.ChainError` when the chain cannot be reached or
        refuses, and :class:`LogIntegrityAlarm` when chain and local log disagree.
        """
        check_aware(now)
        with self._lock, self._elected() as elected:
            if not elected:
                return None
            self.reconcile(now)
            local = self._latest_row(anchored_only=True)
            anchored_size = 0 if local is None else int(local.size)
            size = self._log.size()
            backlog = size - anchored_size
            if backlog <= 0:
                return None
            due = force or backlog >= self._settings.anchor_every_entries
            if not due:
                last = None if local is None else local.anchored_at
                due = last is None or now - last >= timedelta(
                    seconds=self._settings.anchor_every_seconds
                )
            if not due:
                return None
            self._write_pending(size, now)
            self._send_pending(now)
            return size

    def reconcile(self, now: datetime) -> None:
        """Bring local checkpoint rows in line with the chain (step 1 of a pass)."""
        head = self._registry.latest(self._settings.log_id)
        self._reopen_dropped(0 if head is None else head.size)
        pending = self._pending_rows()
        if head is not None:
            self._record_chain_head(head, now)
        for row in pending:
            if head is not None and int(row.size) <= head.size:
                found = self._registry.first_at_or_above(self._settings.log_id, int(row.size))
                if found is not None and found.size == int(row.size):
                    self._mark_anchored(int(row.size), self._where(found), now)
                else:
                    self._drop_pending(int(row.size))
        if self._pending_rows():
            self._send_pending(now)

    def _record_chain_head(self, head: AnchoredHead, now: datetime) -> None:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(checkpoints.c.status, checkpoints.c.root).where(
                    checkpoints.c.log_id == self._settings.log_id,
                    checkpoints.c.size == head.size,
                )
            ).first()
        if row is not None and row.status == ANCHORED:
            return
        if head.size > self._log.size():
            raise LogIntegrityAlarm(
                f"chain holds size {head.size} for log {self._settings.log_id}, "
                f"the local log only {self._log.size()}"
            )
        local_root = self._log.root(head.size)
        if not hmac.compare_digest(local_root, head.root):
            raise LogIntegrityAlarm(
                f"chain root at size {head.size} differs from the local log's root"
            )
        if row is None:
            self._insert_row(head.size, local_root, now, status=PENDING)
        self._mark_anchored(head.size, self._where(head), now)

    def _where(self, head: AnchoredHead) -> Any:
        """The transaction that anchored ``head`` (from its event), else the head itself."""
        ref = self._registry.find_anchor(self._settings.log_id, head.index)
        return head if ref is None else ref

    def _send_pending(self, now: datetime) -> None:
        for row in self._pending_rows():
            size = int(row.size)
            head = self._registry.latest(self._settings.log_id)
            base = 0 if head is None else head.size
            if base >= size:
                continue
            proof = self._log.consistency_proof(base, size) if base else []
            try:
                ref = self._registry.anchor(
                    self._settings.log_id, size, bytes(row.root), proof, sender=self._operator
                )
            except TransactionReverted:
                # Someone anchored past this size meanwhile: the next pass reconciles.
                self._drop_pending(size)
                raise
            self._mark_anchored(size, ref, now)

    # ------------------------------------------------------------------ rows

    def _write_pending(self, size: int, now: datetime) -> None:
        root = self._log.root(size)
        self._insert_row(size, root, now, status=PENDING)

    def _insert_row(self, size: int, root: bytes, now: datetime, *, status: str) -> None:
        note = sign_checkpoint(Checkpoint(self._origin, size, root), self._key, self._key_name)
        with writing(self._engine) as conn, conn.begin():
            exists = conn.execute(
                select(checkpoints.c.size).where(
                    checkpoints.c.log_id == self._settings.log_id, checkpoints.c.size == size
                )
            ).first()
            if exists is None:
                conn.execute(
                    insert(checkpoints).values(
                        log_id=self._settings.log_id,
                        size=size,
                        root=root,
                        note=note,
                        status=status,
                        created_at=now,
                    )
                )

    def _mark_anchored(self, size: int, ref: Any, now: datetime) -> None:
        values: dict[str, Any] = {"status": ANCHORED, "anchored_at": now}
        for column, attr in (
            ("chain_id", "chain_id"),
            ("contract", "contract"),
            ("tx_hash", "tx_hash"),
            ("block_number", "block_number"),
        ):
            value = getattr(ref, attr, None)
            if value is not None:
                values[column] = value if not isinstance(value, bytes) else "0x" + value.hex()
        with writing(self._engine) as conn, conn.begin():
            conn.execute(
                update(checkpoints)
                .where(checkpoints.c.log_id == self._settings.log_id, checkpoints.c.size == size)
                .values(**values)
            )

    def _reopen_dropped(self, chain_size: int) -> None:
        """Rows counted as anchored above the chain's head were reorganised away: make
        them pending again, so this pass sends them anew (same signed checkpoint)."""
        with writing(self._engine) as conn, conn.begin():
            dropped = conn.execute(
                update(checkpoints)
                .where(
                    checkpoints.c.log_id == self._settings.log_id,
                    checkpoints.c.status == ANCHORED,
                    checkpoints.c.size > chain_size,
                )
                .values(status=PENDING)
            ).rowcount
        if dropped:
            log.warning(
                "log %s: %d anchored checkpoint(s) above chain size %d are no longer on "
                "chain (reorganised away); anchoring them again",
                self._settings.log_id,
                dropped,
                chain_size,
            )

    def _drop_pending(self, size: int) -> None:
        with writing(self._engine) as conn, conn.begin():
            conn.execute(
                checkpoints.delete().where(
                    checkpoints.c.log_id == self._settings.log_id,
                    checkpoints.c.size == size,
                    checkpoints.c.status == PENDING,
                )
            )

    def _pending_rows(self) -> list[Any]:
        with self._engine.connect() as conn:
            return list(
                conn.execute(
                    select(checkpoints)
                    .where(
                        checkpoints.c.log_id == self._settings.log_id,
                        checkpoints.c.status == PENDING,
                    )
                    .order_by(checkpoints.c.size)
                ).all()
            )

    def _latest_row(self, *, anchored_only: bool) -> Any:
        query = select(checkpoints).where(checkpoints.c.log_id == self._settings.log_id)
        if anchored_only:
            query = query.where(checkpoints.c.status == ANCHORED)
        with self._engine.connect() as conn:
            return conn.execute(query.order_by(checkpoints.c.size.desc()).limit(1)).first()

    @contextmanager
    def _elected(self) -> Iterator[bool]:
        """Let one process anchor at a time: a PostgreSQL session advisory lock, or on a
        SQLite file an exclusive ``flock`` beside the database."""
        if self._engine.dialect.name == "sqlite":
            database = self._engine.url.database
            if not database or database == ":memory:":
                yield True
                return
            with open(f"{database}.anchor-lock", "a+b") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    yield False
                    return
                try:
                    yield True
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
            return
        if self._engine.dialect.name != "postgresql":
            yield True
            return
        key = int.from_bytes(
            hashlib.sha256(b"tanji.anchorer\0" + self._settings.log_id.encode()).digest()[:8],
            "big",
            signed=True,
        )
        conn: Connection = self._engine.connect()
        try:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()
        finally:
            conn.close()

    # ------------------------------------------------------------------ status

    def status(self) -> AnchorStatus:
        """Log size, anchored size, backlog and the last chain error (for /v1/health)."""
        latest = self._latest_row(anchored_only=True)
        anchored = 0 if latest is None else int(latest.size)
        size = self._log.size()
        return AnchorStatus(
            log_size=size,
            anchored_size=anchored,
            backlog=size - anchored,
            last_anchor_at=None if latest is None else latest.anchored_at,
            last_error=self._last_error,
            consecutive_failures=self._failures,
            next_attempt_at=self._next_attempt,
        )

    # ------------------------------------------------------------------ thread

    def start(self) -> None:
        """Run passes in a daemon thread until :meth:`stop`; backs off on chain errors."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="tanji-anchorer", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Ask the thread for a pass now (e.g. after a large batch)."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            delay = self._settings.anchor_poll_seconds
            now = self._clock()
            try:
                self.run_once(now)
                self._last_error = None
                self._failures = 0
                self._next_attempt = None
            except (ChainError, LogIntegrityAlarm) as exc:
                self._failures += 1
                self._last_error = f"{type(exc).__name__}: {exc}"
                delay = min(
                    self._settings.anchor_retry_max_seconds,
                    self._settings.anchor_poll_seconds * (2 ** min(self._failures, 16)),
                )
                self._next_attempt = now + timedelta(seconds=delay)
                log.warning("anchoring failed (%s); retrying in %.1f s", exc, delay)
            except Exception as exc:  # keep the worker alive; report instead
                self._failures += 1
                self._last_error = f"{type(exc).__name__}: {exc}"
                delay = self._settings.anchor_retry_max_seconds
                self._next_attempt = now + timedelta(seconds=delay)
                log.exception("anchoring pass failed")
            self._wake.wait(delay)
            self._wake.clear()

    def stop(self) -> None:
        """Stop the thread, waiting for the current pass to finish."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
