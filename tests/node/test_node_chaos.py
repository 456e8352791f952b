"""Chaos: kill -9 the node five times under publish load on PostgreSQL.

Publishers keep sending single publishes to a ``tanji node serve`` process (anvil chain,
PostgreSQL, anchoring on); the process is killed with SIGKILL mid-load and restarted,
five times. Then: every publish the node acknowledged (2xx) is stored at the index it
was given, the log is gap-free and consistent with its served root, and the anchors on
chain agree with the database's checkpoints (no head twice, the latest head is the
latest anchored checkpoint, its root the log's root at that size).
"""

from __future__ import annotations

import base64
import os
import signal
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from anchors import leaf_hash, root_from_leaf_hashes
from anchors.chain import start_anvil
from node import start_node_process
from sdk import canonical_json
from sdk.client import NodeClient
from sdk.errors import SdkError
from tests._chain import supplier_and_operator_network
from tests.conftest import require_anvil
from tests.node.conftest import OPERATOR_ID, SUPPLIER_ID, Org, World, build

pytestmark = [pytest.mark.postgres, pytest.mark.anvil, pytest.mark.integration]

KILLS = 5
PUBLISHERS = 4
ACKS_PER_ROUND = 40
"""Acknowledged publishes to wait for before each kill (the load is mid-flight then)."""


def test_kill_9_under_load_loses_no_acknowledged_entry(
    base_world: World, postgres_schema: str, tmp_path: Path
) -> None:
    anvil = start_anvil(binary=require_anvil())
    try:
        chain = anvil.chain()
        net = supplier_and_operator_network(
            chain, tmp_path, supplier_id=SUPPLIER_ID, operator_id=OPERATOR_ID, seed="chaos"
        )
        deployment, registrar = net.deployment, net.registrar
        supplier, operator = net.supplier, net.operator
        supplier_account, operator_account = net.supplier_account, net.operator_account
        deployment_file = net.deployment_file
        env = {
            "TANJI_DATABASE_URL": postgres_schema,
            "TANJI_CHAIN_URL": anvil.url,
            "TANJI_DEPLOYMENT_FILE": str(deployment_file),
            "TANJI_LOG_ID": "main",
            "TANJI_LOG_KEY_HEX": bytes(operator.signing_key).hex(),
            "TANJI_OPERATOR_KEY_HEX": bytes(operator_account.key).hex(),
            "TANJI_ANCHOR_EVERY_ENTRIES": "25",
            "TANJI_ANCHOR_POLL_SECONDS": "0.1",
            "TANJI_ANCHOR_EVERY_SECONDS": "0.5",
            "TANJI_REGISTRY_CACHE_SECONDS": "30",
        }
        world = World(chain=base_world.chain, deployment=deployment, registrar=registrar)
        world.orgs["supplier"] = Org(SUPPLIER_ID, supplier, supplier_account)
        now = datetime.fromtimestamp(chain.block_timestamp(), UTC)
        pending = [
            build(world, "supplier", created=now, tag=f"k{i}")
            for i in range(ACKS_PER_ROUND * (KILLS + 2))
        ]
        acked: dict[str, int] = {}
        lock = threading.Lock()

        def publisher(url: str, stop: threading.Event) -> None:
            client = NodeClient(
                url,
                org=SUPPLIER_ID,
                key_id=supplier.signing_key_id,
                signing_key=supplier.signing_key,
            )
            try:
                while not stop.is_set():
                    with lock:
                        if not pending:
                            return
                        item = pending.pop()
                    try:
                        b = item.body
                        answer = client.publish(b["signedStatement"], b["envelope"], b["grants"])
                    except (SdkError, OSError):
                        with lock:  # not acknowledged: it may or may not have landed
                            pending.append(item)
                        return
                    with lock:
                        acked[answer["id"]] = answer["index"]
            finally:
                client.close()

        kills = 0
        while kills < KILLS:
            node = start_node_process(env)
            stop = threading.Event()
            threads = [
                threading.Thread(target=publisher, args=(node.url, stop)) for _ in range(PUBLISHERS)
            ]
            before = len(acked)
            for t in threads:
                t.start()
            deadline = time.monotonic() + 60
            while len(acked) < before + ACKS_PER_ROUND and time.monotonic() < deadline:
                time.sleep(0.01)
            os.kill(node.process.pid, signal.SIGKILL)  # mid-load: publishes in flight
            node.process.wait(10)
            stop.set()
            for t in threads:
                t.join(30)
            node.stop()
            kills += 1
            assert len(acked) > before, "no publish was acknowledged in this round"

        with (
            start_node_process(env) as node,
            NodeClient(node.url) as reader,
            httpx.Client(base_url=node.url) as http,
        ):
            for attestation_id, index in acked.items():
                position = http.get(f"/v1/attestations/{attestation_id}/position").json()
                assert position["index"] == index, attestation_id
            size = reader.health()["logSize"]
            entries: list[dict[str, Any]] = []
            for start in range(0, size, 500):
                entries += reader.entries(start, min(size, start + 500))
            assert [e["index"] for e in entries] == list(range(size))
            assert len({e["id"] for e in entries}) == size
            assert set(acked) <= {e["id"] for e in entries}
            leaves = [leaf_hash(canonical_json(e["signedStatement"])) for e in entries]
            deadline = time.monotonic() + 60
            while reader.health()["anchoring"]["anchoredSize"] < size:
                assert time.monotonic() < deadline, "anchoring did not catch up after restarts"
                time.sleep(0.2)
            latest = reader.latest_checkpoint()
        heads = deployment.anchors.heads("main")
        sizes = [h.size for h in heads]
        assert sizes == sorted(set(sizes)), f"a head was anchored twice or out of order: {sizes}"
        assert heads[-1].size == latest["size"] == size
        assert heads[-1].root == base64.b64decode(latest["root"])
        assert heads[-1].root == root_from_leaf_hashes(leaves)
        print(
            f"chaos: {KILLS} kills, {len(acked)} acknowledged, log size {size}, {len(heads)} heads"
        )
    finally:
        anvil.stop()
