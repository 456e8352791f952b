"""Reorganisations: below the confirmation depth a transaction never counts; above it, the
node notices the chain lost an anchor it counted and anchors it again.

anvil plays both: ``anvil_reorg`` replaces the latest block while a client waits for its
confirmations, ``evm_snapshot`` / ``evm_revert`` drop blocks that were already counted (a
reorganisation deeper than ``chain_confirmations``).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from anchors import leaf_hash
from anchors.chain import AnchorRegistryClient, AnvilProcess, RpcChain, start_anvil
from anchors.errors import ChainUnavailable
from sdk.roles import PUBLIC_POINTERS
from tests._chain import deploy_anchor_registry
from tests.anchors.test_chain_profiles import LOG_ID, profile_world
from tests.conftest import require_anvil

ROOT = leaf_hash(b"reorg entry")


@pytest.fixture
def anvil() -> Iterator[AnvilProcess]:
    with start_anvil(binary=require_anvil()) as node:
        yield node


@pytest.mark.anvil
def test_a_transaction_reorganised_away_before_its_confirmations_never_counts(
    anvil: AnvilProcess,
) -> None:
    setup = deploy_anchor_registry(anvil.chain(), hashlib.sha256(b"org").digest())
    setup.registry.create_log("reorg", setup.operator)
    waiting = RpcChain(anvil.url, confirmations=2, timeout=2.0, poll_interval=0.05)
    registry = AnchorRegistryClient(waiting, setup.registry.address)
    results: list[object] = []

    def send() -> None:
        try:
            results.append(registry.anchor("reorg", 1, ROOT, [], setup.operator))
        except Exception as exc:  # handed to the test thread
            results.append(exc)

    thread = threading.Thread(target=send)
    thread.start()
    deadline = time.monotonic() + 5
    while setup.registry.latest("reorg") is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert setup.registry.latest("reorg") is not None  # mined, one block deep
    anvil.chain().rpc("anvil_reorg", 1, [])  # that block is replaced by an empty one
    anvil.chain().mine(3)
    thread.join(10)
    assert setup.registry.latest("reorg") is None
    (outcome,) = results
    assert isinstance(outcome, ChainUnavailable), outcome
    assert "not mined" in str(outcome)
    # The dropped transaction's nonce is free again: the next anchor goes through (and is
    # confirmed once two blocks are mined on top of it).
    miner = threading.Timer(0.5, lambda: anvil.chain().mine(2))
    miner.start()
    ref = registry.anchor("reorg", 1, ROOT, [], setup.operator)
    miner.join()
    assert ref.size == 1


@pytest.mark.anvil
@pytest.mark.integration
def test_the_node_anchors_again_what_a_deep_reorganisation_dropped(
    anvil: AnvilProcess, tmp_path: Path
) -> None:
    with profile_world(anvil.url, {}, tmp_path) as world:
        published = world.publish()
        before = world.chain.rpc("evm_snapshot")
        assert world.anchor() == 1
        receipt = world.client().receipt(published.attestation_id)
        att = published.attestation
        disclosure = att.disclose([p for p in PUBLIC_POINTERS if p in att.claims]).to_dict()
        assert world.client().verify(receipt, disclosure)["ok"]
        # The anchoring block (already counted) is lost: the chain holds no head now.
        assert world.chain.rpc("evm_revert", before) is True
        assert world.deployment.anchors.latest(LOG_ID) is None
        report = world.client().verify(receipt, disclosure)
        assert (report["ok"], report["failedStep"]) == (False, "receipt.anchor")
        # The next pass sees the chain behind its records and sends the checkpoint again.
        world.anchor()
        head = world.deployment.anchors.latest(LOG_ID)
        assert head is not None
        assert head.size == 1
        again = world.client().receipt(published.attestation_id)
        assert again["checkpoint"] == receipt["checkpoint"]  # the same signed checkpoint
        assert world.client().verify(again, disclosure)["ok"]
