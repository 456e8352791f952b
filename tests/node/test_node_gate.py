"""The database gate's circuit breaker and deadlines, on its own (no database needed)."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy.exc import OperationalError

from node import Settings
from node._gate import Gate
from node.errors import NotFound, Unavailable


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _refused() -> None:
    raise OperationalError("select 1", {}, ConnectionRefusedError("connection refused"))


def test_breaker_opens_on_failure_refuses_then_probes_and_closes() -> None:
    ticks = Ticks()
    gate = Gate(Settings(retry_after_seconds=3), monotonic=ticks)

    async def scenario() -> None:
        with pytest.raises(Unavailable) as first:
            await gate.read(_refused)
        assert first.value.retry_after == 3
        assert "connection refused" in first.value.message
        assert gate.refusing() is not None
        calls: list[int] = []
        with pytest.raises(Unavailable):  # open: refused without running the call
            await gate.write(calls.append, 1)
        assert calls == []
        ticks.now += 3  # half-open: one probe runs
        assert await gate.read(lambda: 42) == 42
        assert gate.refusing() is None
        assert gate.cause() is None
        # A domain error is an answer from a working database: the breaker stays closed.
        with pytest.raises(NotFound):
            await gate.read(_not_found)
        assert gate.refusing() is None

    asyncio.run(scenario())


def _not_found() -> None:
    raise NotFound("no such thing")


def test_a_call_past_the_deadline_answers_503_and_opens_the_breaker() -> None:
    gate = Gate(
        Settings(db_connect_timeout_seconds=0.05, db_statement_timeout_seconds=0.05),
    )
    release = threading.Event()

    async def scenario() -> None:
        with pytest.raises(Unavailable) as hung:
            await gate.read(release.wait)
        assert "no answer within 0.1 s" in hung.value.message
        assert gate.refusing() == "no answer within 0.1 s"

    try:
        asyncio.run(scenario())
    finally:
        release.set()


def test_a_cancelled_probe_lets_the_next_call_probe() -> None:
    ticks = Ticks()
    gate = Gate(Settings(retry_after_seconds=1), monotonic=ticks)
    release = threading.Event()

    async def scenario() -> None:
        with pytest.raises(Unavailable):
            await gate.read(_refused)
        ticks.now += 1
        probe = asyncio.ensure_future(gate.read(release.wait))
        await asyncio.sleep(0.05)
        assert gate.refusing() is not None  # the probe is out: others still wait
        probe.cancel()
        with pytest.raises(asyncio.CancelledError):
            await probe
        release.set()
        assert await gate.read(lambda: "up") == "up"
        assert gate.refusing() is None

    try:
        asyncio.run(scenario())
    finally:
        release.set()
