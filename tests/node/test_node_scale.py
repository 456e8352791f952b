"""Scale: concurrent publishers share one gap-free log (threads on one node; two node
processes on one PostgreSQL); the same end-to-end path on PostgreSQL."""

from __future__ import annotations

import base64
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from anchors import leaf_hash, root_from_leaf_hashes, verify_consistency
from anchors.chain import start_anvil
from node import start_node_process
from node._tables import attestations
from sdk import canonical_json
from sdk.client import NodeClient
from tests._chain import supplier_and_operator_network
from tests.conftest import require_anvil
from tests.node.conftest import (
    OPERATOR_ID,
    SUPPLIER_ID,
    Clock,
    NodeHarness,
    World,
    build,
    make_harness,
)


def _check_log(client: NodeClient, expected_ids: set[str]) -> None:
    """Entries 0..n-1 hold exactly the expected ids once each, and hash to the served root."""
    size = client.health()["logSize"]
    assert size == len(expected_ids)
    entries = []
    for start in range(0, size, 500):
        entries += client.entries(start, min(size, start + 500))
    assert [e["index"] for e in entries] == list(range(size))
    assert {e["id"] for e in entries} == expected_ids
    leaves = [leaf_hash(canonical_json(e["signedStatement"])) for e in entries]
    proof = client.consistency_proof(1, size)
    first = client.inclusion_proof(0, size)
    assert base64.b64decode(first["leafHash"]) == leaves[0]
    root = root_from_leaf_hashes(leaves)
    verify_consistency(1, size, leaves[0], root, [base64.b64decode(h) for h in proof["proof"]])


def test_concurrent_single_publishes_share_one_gap_free_log(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    built = [build(world, "supplier", created=clock(), tag=f"c{i}") for i in range(60)]
    errors: list[BaseException] = []

    def worker(chunk: list[Any]) -> None:
        client = harness.client("supplier")
        try:
            for b in chunk:
                client.publish(b.body["signedStatement"], b.body["envelope"], b.body["grants"])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(built[k::6],)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    _check_log(harness.client(), {b.attestation_id for b in built})


@pytest.mark.postgres
def test_end_to_end_on_postgres(
    world: World, clock: Clock, postgres_schema: str, tmp_path: Path
) -> None:
    h = make_harness(world, clock, postgres_schema)
    try:
        built = build(world, "supplier", created=clock(), recipients=("leader",))
        supplier = h.client("supplier")
        assert supplier.publish_batch([built.body])[0]["status"] == "created"
        assert supplier.publish_batch([built.body])[0]["status"] == "existing"
        more = [build(world, "supplier", created=clock(), tag=str(i)).body for i in range(5)]
        supplier.publish_batch(more)
        assert h.anchor() == 6
        receipt = h.client().receipt(built.attestation_id)
        pointer = "/pcf/pcfExcludingBiogenicUptake"
        assert h.client().verify(receipt, built.disclosure(pointer))["ok"]
        assert h.client("leader").envelope(built.attestation_id)["grant"]
        with h.node.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(attestations)).scalar_one() == 6
    finally:
        h.node.stop()
        assert h.transport is not None
        h.transport.shutdown()
        h.node.engine.dispose()


@pytest.mark.postgres
@pytest.mark.anvil
@pytest.mark.integration
def test_two_node_processes_on_one_postgres(
    base_world: World, postgres_schema: str, tmp_path: Path
) -> None:
    anvil = start_anvil(binary=require_anvil())
    try:
        chain = anvil.chain()
        net = supplier_and_operator_network(
            chain, tmp_path, supplier_id=SUPPLIER_ID, operator_id=OPERATOR_ID, seed="scale"
        )
        deployment, registrar = net.deployment, net.registrar
        supplier, operator = net.supplier, net.operator
        supplier_account, operator_account = net.supplier_account, net.operator_account
        deployment_file = net.deployment_file

        from node import make_engine, upgrade_database

        engine = make_engine(postgres_schema)
        upgrade_database(engine)
        env = {
            "TANJI_DATABASE_URL": postgres_schema,
            "TANJI_CHAIN_URL": anvil.url,
            "TANJI_DEPLOYMENT_FILE": str(deployment_file),
            "TANJI_LOG_ID": "main",
            "TANJI_LOG_KEY_HEX": bytes(operator.signing_key).hex(),
            "TANJI_OPERATOR_KEY_HEX": bytes(operator_account.key).hex(),
            "TANJI_ANCHOR_EVERY_ENTRIES": "40",
            "TANJI_ANCHOR_POLL_SECONDS": "0.2",
            "TANJI_ANCHOR_EVERY_SECONDS": "1",
            "TANJI_AUTO_MIGRATE": "false",
        }
        world = World(chain=base_world.chain, deployment=deployment, registrar=registrar)
        from tests.node.conftest import Org

        world.orgs["supplier"] = Org(SUPPLIER_ID, supplier, supplier_account)
        from datetime import UTC, datetime

        now = datetime.fromtimestamp(chain.block_timestamp(), UTC)
        built = [build(world, "supplier", created=now, tag=f"p{i}") for i in range(120)]
        with start_node_process(env) as node_a, start_node_process(env) as node_b:
            url_a, url_b = node_a.url, node_b.url
            errors: list[BaseException] = []

            def worker(url: str, chunk: list[Any], batched: bool) -> None:
                client = NodeClient(
                    url,
                    org=SUPPLIER_ID,
                    key_id=supplier.signing_key_id,
                    signing_key=supplier.signing_key,
                )
                try:
                    if batched:
                        for i in range(0, len(chunk), 10):
                            client.publish_batch([b.body for b in chunk[i : i + 10]])
                    else:
                        for b in chunk:
                            body = b.body
                            client.publish(
                                body["signedStatement"], body["envelope"], body["grants"]
                            )
                except BaseException as exc:
                    errors.append(exc)
                finally:
                    client.close()

            plan = [
                (url_a, built[0::4], False),
                (url_b, built[1::4], False),
                (url_a, built[2::4], True),
                (url_b, built[3::4], True),
                (url_b, built[0::4], False),  # re-submissions through the other process
            ]
            threads = [threading.Thread(target=worker, args=p) for p in plan]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert errors == []
            ids = {b.attestation_id for b in built}
            for url in (url_a, url_b):
                with NodeClient(url) as reader:
                    _check_log(reader, ids)
            deadline = time.monotonic() + 30
            with NodeClient(url_a) as reader:
                while reader.health()["anchoring"]["anchoredSize"] < 120:
                    assert time.monotonic() < deadline, "anchoring did not catch up"
                    time.sleep(0.2)
            heads = deployment.anchors.heads("main")
            assert heads[-1].size == 120
            assert [h.size for h in heads] == sorted({h.size for h in heads})
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(attestations)).scalar_one() == 120
        engine.dispose()
    finally:
        anvil.stop()


def test_a_failing_job_does_not_fail_its_group(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    from node._attestations import _Job, run_group

    attestations = harness.node.attestations
    now = clock()
    first = build(world, "supplier", created=now, tag="target")
    attestations.publish(world.org("supplier").org_id, [first.body], now)
    good = [build(world, "supplier", created=now, tag=f"g{i}") for i in range(2)]
    hijack = build(world, "supplier2", created=now, supersedes=first.attestation_id)
    jobs = [
        _Job(attestations.check(world.org("supplier").org_id, [good[0].body], now), now),
        _Job(attestations.check(world.org("supplier2").org_id, [hijack.body], now), now),
        _Job(attestations.check(world.org("supplier").org_id, [good[1].body], now), now),
    ]
    run_group(attestations._store, jobs)
    assert [j.result[0].index if j.result else None for j in jobs] == [1, None, 2]
    assert jobs[1].error is not None
    assert "cannot supersede" in str(jobs[1].error)
    assert harness.node.log.size() == 3
