"""The ``tanji`` command's start-up, and what the wallet costs a publication.

(a) Start-up: wall time of ``tanji --help`` and of ``tanji label verify`` (a real label
    of the demo's notebook, against anvil and a node process: the whole audit, chain reads
    and HTTP included), against ``python -c pass`` measured in the same run, interleaved
    (pass, help, verify, pass, …) so load on the shared machine hits all three alike.
    Goals (issue 8): help within +0.5 s of the baseline, label verify within +1.5 s.
(b) Publish with a wallet: ``Supplier.publish`` of a fresh PACT footprint to a node over
    HTTP (embedded chain, node in this process), with an encrypted SQLite wallet
    (write-ahead: sealed, tagged, ``synchronous=FULL``, committed before and after the
    send) against the same with the in-memory wallet, in alternating chunks; the ratio is
    the median per-chunk ratio.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench._report import Row

HELP_BUDGET = 0.5
VERIFY_BUDGET = 1.5


def _wall(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, capture_output=True, check=False, timeout=120)
    return time.perf_counter() - t0


def _startup(quick: bool) -> list[Row]:
    from demo_chain import Story, build_world, honest_path

    rounds = 3 if quick else 9
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        world = build_world(out, anvil=True)
        try:
            stage = honest_path(world, out, Story(io.StringIO()))
            label = stage.certificate.label_id
            rpc = world.chain.url  # type: ignore[attr-defined]
            env = {k: v for k, v in os.environ.items() if not k.startswith("TANJI_")}
            tanji = [sys.executable, "-m", "tanji"]
            commands = {
                "pass": [sys.executable, "-c", "pass"],
                "help": [*tanji, "--help"],
                "verify": [*tanji, "label", "verify", label, "--node", world.node_url,
                           "--rpc", rpc, "--deployment", str(out / "deployment.json")],
            }  # fmt: skip
            check = subprocess.run(
                commands["verify"], env=env, capture_output=True, text=True, check=False
            )
            if check.returncode != 0:
                raise RuntimeError(f"label verify failed: {check.stdout}{check.stderr}")
            times: dict[str, list[float]] = {k: [] for k in commands}
            for _ in range(rounds):
                for name, argv in commands.items():
                    times[name].append(_wall(argv, env))
        finally:
            world.close()
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med["pass"]
    return [
        Row(
            "cli",
            f"start-up: tanji --help (median of {rounds}, interleaved)",
            f"{med['help']:.2f} s",
            f"python -c pass {base:.2f} s",
            base / med["help"],
            f"≤ baseline + {HELP_BUDGET} s",
            med["help"] - base <= HELP_BUDGET,
        ),
        Row(
            "cli",
            f"tanji label verify, a real label over anvil + node (median of {rounds})",
            f"{med['verify']:.2f} s",
            f"python -c pass {base:.2f} s",
            base / med["verify"],
            f"≤ baseline + {VERIFY_BUDGET} s",
            med["verify"] - base <= VERIFY_BUDGET,
        ),
    ]


def _publish(quick: bool) -> list[Row]:
    from demo_chain import ORG_BY_KEY, PRODUCT_BY_KEY, build_inventory, build_world
    from sdk.client import NodeClient
    from sdk.footprint import roll_up, to_pact
    from sdk.roles import Supplier
    from sdk.wallet import Wallet

    chunk, chunks = (5, 3) if quick else (10, 8)
    with tempfile.TemporaryDirectory() as tmp:
        world = build_world(Path(tmp), registry_cache_seconds=60.0)
        try:
            org = world.orgs["chassis"]
            spec = PRODUCT_BY_KEY["chassis"]
            inventory = build_inventory(spec, ORG_BY_KEY["chassis"], [], world.clock())
            template = to_pact(roll_up(inventory).footprint, "3.0")
            wallet = Wallet.create(
                Path(tmp) / "wallet.db", "bench", org.keys, now=datetime.now(UTC)
            )
            clients: list[NodeClient] = []

            def supplier(store: Any) -> Supplier:
                client = NodeClient(
                    world.node_url,
                    org=org.org_id,
                    key_id=org.keys.signing_key_id,
                    signing_key=org.keys.signing_key,
                    clock=world.clock,
                )
                clients.append(client)
                return Supplier(
                    org.keys,
                    node=client,
                    participants=world.participants,
                    wallet=store,
                    clock=world.clock,
                )

            durable, memory = supplier(wallet), supplier(None)

            def timed(party: Supplier) -> float:
                docs = [{**template, "id": str(uuid.uuid4())} for _ in range(chunk)]
                t0 = time.perf_counter()
                for doc in docs:
                    party.publish(doc, None)
                return (time.perf_counter() - t0) / chunk

            timed(durable), timed(memory)  # warm up (token, connections)
            ratios: list[float] = []
            with_wallet: list[float] = []
            in_memory: list[float] = []
            order: list[tuple[Callable[[Supplier], float], Supplier, list[float]]] = [
                (timed, memory, in_memory),
                (timed, durable, with_wallet),
            ]
            for i in range(chunks):
                for fn, party, sink in order if i % 2 == 0 else order[::-1]:
                    sink.append(fn(party))
                ratios.append(in_memory[-1] / with_wallet[-1])
            for client in clients:
                client.close()
            wallet.close()
        finally:
            world.close()
    w, m = statistics.median(with_wallet), statistics.median(in_memory)
    return [
        Row(
            "wallet",
            "publish to a node over HTTP with the encrypted SQLite wallet (write-ahead commit "
            "flushed to disk before the send)",
            f"{1 / w:,.0f}/s ({w * 1000:.1f} ms)",
            f"in-memory wallet {1 / m:,.0f}/s ({m * 1000:.1f} ms)",
            statistics.median(ratios),
            "none set (cost report)",
            True,
        )
    ]


def run(quick: bool = False) -> list[Row]:
    """The CLI start-up rows and the wallet's publish cost."""
    return [*_startup(quick), *_publish(quick)]


if __name__ == "__main__":
    from bench._report import render

    print(render(run(quick="--quick" in sys.argv)))
