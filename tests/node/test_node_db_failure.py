"""The node when its database is stopped, frozen (SIGSTOP) or holding a lock.

A private PostgreSQL server (tests/_postgres.py) is stopped and frozen under a node: the
requests that need the database answer 503 ``unavailable`` with ``Retry-After`` within
the settings' deadline, ``/v1/health`` says ``degraded`` and why, ``/v1/node`` keeps
answering, and once the server is back the node serves again with nothing lost.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest
import sqlalchemy

from tests.node.conftest import Clock, NodeHarness, World, build, make_harness

pytestmark = [pytest.mark.postgres, pytest.mark.integration]

FAST: dict[str, Any] = {
    "db_connect_timeout_seconds": 2.0,
    "db_statement_timeout_seconds": 2.0,
    "db_lock_timeout_seconds": 1.0,
    "retry_after_seconds": 1,
}


def _auth(h: NodeHarness) -> dict[str, str]:
    return {"Authorization": f"Bearer {h.client('supplier').token()}"}


def _wait_healthy(http: httpx.Client) -> dict[str, Any]:
    """Poll /v1/health until the database is back (bounded: the server just started)."""
    for _ in range(100):
        body: dict[str, Any] = http.get("/v1/health").json()
        if body["database"]["status"] == "ok":
            return body
        time.sleep(0.2)
    raise AssertionError(f"the node did not recover: {body}")


def _assert_unavailable(r: httpx.Response) -> None:
    assert r.status_code == 503, r.text
    assert r.json()["code"] == "unavailable"
    assert r.headers["Retry-After"] == "1"


def test_stopped_database_answers_503_then_recovers(
    world: World, clock: Clock, private_postgres: Any
) -> None:
    h = make_harness(world, clock, private_postgres.url, **FAST)
    try:
        http = h.http()
        auth = _auth(h)
        first = build(world, "supplier", created=clock(), tag="first")
        second = build(world, "supplier", created=clock(), tag="second")
        assert http.post("/v1/attestations", json=first.body, headers=auth).status_code == 201

        private_postgres.stop()
        _assert_unavailable(http.post("/v1/attestations", json=second.body, headers=auth))
        _assert_unavailable(http.get("/v1/log"))
        _assert_unavailable(http.get(f"/v1/attestations/{first.attestation_id}"))
        health = http.get("/v1/health")
        assert health.status_code == 200
        assert health.json()["status"] == "degraded"
        assert health.json()["database"]["status"] == "unavailable"
        assert health.json()["database"]["error"]
        assert http.get("/v1/node").status_code == 200

        private_postgres.start()
        assert _wait_healthy(http)["logSize"] == 1
        assert http.post("/v1/attestations", json=second.body, headers=auth).status_code == 201
        assert http.get("/v1/log").json()["size"] == 2
    finally:
        h.transport.shutdown()  # type: ignore[union-attr]
        h.node.engine.dispose()


def test_frozen_database_holds_only_requests_that_need_it(
    world: World, clock: Clock, private_postgres: Any
) -> None:
    h = make_harness(world, clock, private_postgres.url, **FAST)
    http = h.http()
    try:
        auth = _auth(h)
        first = build(world, "supplier", created=clock(), tag="first")
        second = build(world, "supplier", created=clock(), tag="second")
        assert http.post("/v1/attestations", json=first.body, headers=auth).status_code == 201

        private_postgres.freeze()
        answers: dict[str, httpx.Response] = {}
        done = threading.Event()

        def publish() -> None:
            answers["publish"] = http.post("/v1/attestations", json=second.body, headers=auth)
            done.set()

        worker = threading.Thread(target=publish)
        worker.start()
        # While the publish waits on the frozen server, a route without database answers.
        info = http.get("/v1/node")
        assert info.status_code == 200
        assert info.json()["logId"] == "main"
        assert not done.is_set(), "the publish should still be waiting for the database"
        worker.join(timeout=60)
        _assert_unavailable(answers["publish"])
        # The breaker is open now: database routes fail at once, health says why.
        _assert_unavailable(http.get("/v1/log"))
        health = http.get("/v1/health").json()
        assert health["status"] == "degraded"
        assert "no answer within 4 s" in health["database"]["error"]
        assert http.get("/v1/node").status_code == 200

        private_postgres.thaw()
        _wait_healthy(http)
        # The write that timed out may have landed once the server woke: either way the
        # attestation is stored once, at the next index, and the log has no gap.
        again = http.post("/v1/attestations", json=second.body, headers=auth)
        assert again.status_code in (200, 201), again.text
        assert again.json()["index"] == 1
        assert http.get("/v1/log").json()["size"] == 2
    finally:
        private_postgres.thaw()
        h.transport.shutdown()  # type: ignore[union-attr]
        h.node.engine.dispose()


def test_lock_held_elsewhere_fails_the_publish_after_the_lock_timeout(
    world: World, clock: Clock, postgres_schema: str
) -> None:
    h = make_harness(world, clock, postgres_schema, **FAST)
    http = h.http()
    try:
        auth = _auth(h)
        first = build(world, "supplier", created=clock(), tag="first")
        assert http.post("/v1/attestations", json=first.body, headers=auth).status_code == 201
        blocker = sqlalchemy.create_engine(postgres_schema)
        with blocker.connect() as conn, conn.begin():
            from anchors._store_sql import lock_log

            lock_log(conn, "main")
            second = build(world, "supplier", created=clock(), tag="second")
            r = http.post("/v1/attestations", json=second.body, headers=auth)
            assert r.status_code == 503, r.text
            assert "lock" in r.json()["message"]
        blocker.dispose()
        _wait_healthy(http)
        assert http.post("/v1/attestations", json=second.body, headers=auth).status_code == 201
    finally:
        h.transport.shutdown()  # type: ignore[union-attr]
        h.node.engine.dispose()
