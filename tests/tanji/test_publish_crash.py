"""kill -9 of ``tanji publish`` at random points, ten times: no attestation reaches the log
whose secrets are not in the wallet, and publishing the same files again after the crash
publishes nothing twice (DESIGN.md §9, issue 8)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo_chain._files import pact_document
from sdk import SignedStatement, uscc_check_char
from sdk.client import NodeClient
from sdk.wallet import PublishState, Wallet
from tests.conftest import require_anvil

pytestmark = [pytest.mark.anvil, pytest.mark.integration]
PASSPHRASE = "crash test"
ORG = "91320583MA1CRA005" + uscc_check_char("91320583MA1CRA005")
BATCH = 8
KILLS = 10


def _env(net: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANJI_")}
    return env | {"TANJI_PASSPHRASE": PASSPHRASE, "TANJI_NETWORK_DIR": str(net)}


def _tanji(env: dict[str, str], *args: object, home: Path | None = None) -> str:
    argv = [sys.executable, "-m", "tanji"]
    if home is not None:
        argv += ["--home", str(home)]
    done = subprocess.run(
        [*argv, *map(str, args)], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture
def network(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    require_anvil()
    net = tmp_path / "net"
    env = _env(net)
    try:
        _tanji(env, "network", "up", "--dir", net, "--insecure-fast-kdf")
        yield net, env
    finally:
        subprocess.run(
            [sys.executable, "-m", "tanji", "network", "down", "--dir", str(net)],
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )


def _batch(directory: Path, n: int) -> list[Path]:
    """``n`` distinct PACT footprints of the mainboard (each its own footprint id)."""
    directory.mkdir(parents=True)
    template = pact_document("mainboard")
    paths = []
    for i in range(n):
        path = directory / f"footprint-{i:02d}.json"
        path.write_text(json.dumps({**template, "id": str(uuid.uuid4())}))
        paths.append(path)
    return paths


def _logged_by(node: NodeClient, issuer: str) -> list[str]:
    size = int(node.health()["logSize"])
    out: list[str] = []
    for start in range(0, size, 500):
        for entry in node.entries(start, min(size, start + 500)):
            signed = SignedStatement.from_dict(entry["signedStatement"])
            if str(signed.statement.issuer) == issuer:
                out.append(signed.attestation_id)
    return out


def test_kill_9_while_publishing_loses_nothing_and_duplicates_nothing(
    network: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    net, env = network
    home = tmp_path / "board"
    _tanji(env, "init", ORG, "--join", net, "--insecure-fast-kdf", home=home)
    _tanji(env, "org", "register", home / "registration.json", home=net / "registrar")
    org = ORG
    node = NodeClient(json.loads((net / "network.json").read_text())["nodeUrl"])

    # How long an uninterrupted batch takes. The kills fall in its second half: the first
    # is start-up (imports, opening the wallet), where a kill cannot reach the log at all.
    started = time.monotonic()
    _tanji(env, "publish", *_batch(tmp_path / "calibration", BATCH), home=home)
    full = time.monotonic() - started
    published = BATCH
    rng = random.Random(int(os.environ.get("TANJI_CRASH_SEED", "20261129")))
    outcomes = []
    for run in range(KILLS):
        files = _batch(tmp_path / f"run-{run}", BATCH)
        delay = rng.uniform(0.45 * full, 1.0 * full)
        process = subprocess.Popen(
            [sys.executable, "-m", "tanji", "--home", str(home), "publish", *map(str, files)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(30)

        # Every attestation of ours on the log has its secrets in the wallet.
        logged = _logged_by(node, org)
        with Wallet.open(home / "wallet.db", PASSPHRASE) as wallet:
            for attestation_id in logged:
                record = wallet.publication(attestation_id)
                assert record is not None, f"run {run}: {attestation_id} is logged, not stored"
                assert record.attestation.data_key  # reopened: it recomputes its commitment
            pending = len(wallet.publications(state=PublishState.PENDING))
        outcomes.append((round(delay, 2), len(logged) - published, pending))

        # The same files again: each published exactly once, nothing left pending.
        _tanji(env, "publish", *files, home=home)
        published += BATCH
        logged = _logged_by(node, org)
        assert len(logged) == len(set(logged)) == published, f"run {run}: {outcomes[-1]}"
        with Wallet.open(home / "wallet.db", PASSPHRASE) as wallet:
            assert wallet.publications(state=PublishState.PENDING) == []
            assert len(wallet.publications(state=PublishState.LOGGED)) == published
    node.close()
    print(
        f"\nfull batch {full:.2f} s; kills (delay s, logged before the kill, pending): {outcomes}"
    )
