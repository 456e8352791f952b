"""The gate between requests and the database: threads, deadlines, a circuit breaker.

Routes are ``async def`` and never touch the database on the event loop: every database
call goes through :class:`Gate`, which runs it in a thread of its own pools (reads and
writes apart, so reads cannot take every thread and connection), waits at most the
settings' deadline (a connection plus one statement), and turns a database that is down,
refusing or hung into :class:`~node.errors.Unavailable` (503 with ``Retry-After``).

After a failure the breaker opens for ``retry_after_seconds``: requests that need the
database are answered 503 at once instead of queueing behind a dead server, while routes
that need none (``/v1/node``) keep answering. Then one request probes; success closes the
breaker. Writes go first: a read waits up to ``read_yield_seconds`` while writes are
queued, so readers of proofs cannot starve publishers.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from node._settings import Settings
from node.errors import Unavailable

T = TypeVar("T")
log = logging.getLogger("tanji.node.gate")

DATABASE_DOWN: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, PoolTimeout)
"""Errors meaning the database could not be used (refused, lost, timed out), not a bug."""


BUSY_SQLSTATES = frozenset({"55P03", "57014"})
"""lock_not_available, query_canceled: this request waited too long, the server is up."""


def database_failure(exc: BaseException) -> BaseException | None:
    """The database error behind ``exc`` (itself or a cause) when it means the database
    could not serve the request (down, refusing, hung, timed out), else None."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return None
        if isinstance(seen, DATABASE_DOWN) or (
            isinstance(seen, DBAPIError) and seen.connection_invalidated
        ):
            return seen
        seen = seen.__cause__
    return None


def is_busy(exc: BaseException) -> bool:
    """True for a lock or statement timeout: the server is up, this request waited too long."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in BUSY_SQLSTATES


class Gate:
    """Runs database work off the event loop under deadlines and a circuit breaker.

    ``monotonic`` is the clock of the breaker (tests pass their own).
    """

    def __init__(self, settings: Settings, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._deadline = settings.db_deadline_seconds
        self._open_seconds = float(settings.retry_after_seconds)
        self._retry_after = settings.retry_after_seconds
        self._yield = settings.read_yield_seconds
        self._monotonic = monotonic
        self._readers = ThreadPoolExecutor(settings.db_read_threads, "tanji-db-read")
        self._writers = ThreadPoolExecutor(settings.db_write_threads, "tanji-db-write")
        # An app dropped without a shutdown (tests build many) must not keep its threads.
        weakref.finalize(self, _shutdown, self._readers, self._writers)
        self._lock = threading.Lock()
        self._open_until: float | None = None
        self._probing = False
        self._cause: str | None = None
        self._writes_queued = 0

    # ------------------------------------------------------------------ breaker

    @property
    def retry_after(self) -> int:
        """Seconds a client should wait before retrying after a 503."""
        return self._retry_after

    def cause(self) -> str | None:
        """Why the database was last found unavailable, or None once it answered again."""
        with self._lock:
            return self._cause

    def refusing(self) -> str | None:
        """The cause while the breaker refuses database work (open, or probing), else None."""
        with self._lock:
            if self._open_until is not None and (
                self._monotonic() < self._open_until or self._probing
            ):
                return self._cause
            return None

    def _admit(self) -> bool:
        """Let a call through, or raise :class:`Unavailable` while the breaker is open.

        Returns True when this call is the half-open probe.
        """
        with self._lock:
            if self._open_until is None:
                return False
            if self._monotonic() < self._open_until or self._probing:
                raise self._refusal()
            self._probing = True
            return True

    def _refusal(self) -> Unavailable:
        return Unavailable(
            f"the database is unavailable ({self._cause}); retry in {self._retry_after} s",
            retry_after=self._retry_after,
        )

    def trip(self, cause: str) -> None:
        """Open the breaker: refuse database work for ``retry_after_seconds``."""
        with self._lock:
            if self._open_until is None:
                log.warning("database unavailable: %s", cause)
            self._open_until = self._monotonic() + self._open_seconds
            self._cause = cause
            self._probing = False

    def _close(self) -> None:
        with self._lock:
            if self._open_until is not None:
                log.warning("database available again")
            self._open_until = None
            self._cause = None
            self._probing = False

    # ------------------------------------------------------------------ calls

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a reader thread, after queued writes (up to the yield time)."""
        self._admit_or_raise()
        if self._writes_queued and self._yield > 0:
            # One pause, not a poll: writes in flight finish (or group) first.
            await asyncio.sleep(self._yield)
        loop = asyncio.get_running_loop()
        return await self.guard(loop.run_in_executor(self._readers, _call, fn, args))

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a writer thread."""
        self._admit_or_raise()
        loop = asyncio.get_running_loop()
        return await self.guard(loop.run_in_executor(self._writers, _call, fn, args), write=True)

    def _admit_or_raise(self) -> None:
        # The probe decision is made in guard(); here only refuse before starting work.
        if self.refusing() is not None:
            with self._lock:
                raise self._refusal()

    async def guard(self, work: Awaitable[T], *, write: bool = False) -> T:
        """Await ``work`` (database work already started) under the deadline and breaker.

        Raises :class:`Unavailable` (with ``retry_after``) when the breaker is open, when
        the database fails in a way that means it is down, or past the deadline (the
        abandoned work finishes, or fails, in its thread; a write that lands stands).
        """
        try:
            probe = self._admit()
        except Unavailable:
            _discard(work)
            raise
        if write:
            self._writes_queued += 1
        try:
            async with asyncio.timeout(self._deadline):  # no extra task, unlike wait_for
                result = await work
        except TimeoutError as exc:
            cause = f"no answer within {self._deadline:g} s"
            self.trip(cause)
            raise self._refusal() from exc
        except Exception as exc:
            failure = database_failure(exc)
            if failure is None:
                self._close()  # a domain error answered by the database proves it is up
                raise
            if is_busy(failure):
                self._close()
                raise Unavailable(
                    f"the database is busy ({first_line(failure)}); retry in {self._retry_after} s",
                    retry_after=self._retry_after,
                ) from exc
            self.trip(first_line(failure))
            raise self._refusal() from exc
        except BaseException:
            # Cancelled (the client went away): a probe that never finished decides nothing.
            if probe:
                with self._lock:
                    self._probing = False
            raise
        finally:
            if write:
                self._writes_queued -= 1
        self._close()
        return result


def _shutdown(*pools: ThreadPoolExecutor) -> None:
    """Let the pools' threads end once their current calls do (never waits for a hung one)."""
    for pool in pools:
        pool.shutdown(wait=False, cancel_futures=True)


def _call(fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    return fn(*args)


def _discard(work: Awaitable[Any]) -> None:
    if isinstance(work, asyncio.Future):
        work.cancel()
    elif asyncio.iscoroutine(work):
        work.close()


def first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    return first[:200]
