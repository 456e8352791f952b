"""The JSON-RPC chain client against anvil started by the tests.

Marked ``anvil``: skipped with a reason when the binary is missing on a laptop, a failure
in CI (``TANJI_REQUIRE_SERVICES=1``). Unreachable-node tests need no anvil.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount

from anchors import consistency_proof_from_leaf_hashes, leaf_hash, root_from_leaf_hashes
from anchors.chain import (
    AnchorRegistryClient,
    AnvilProcess,
    ChainClient,
    RpcChain,
    start_anvil,
    verify_anchored,
)
from anchors.errors import ChainError, ChainUnavailable, TransactionReverted
from tests._chain import deploy_anchor_registry
from tests.conftest import require_anvil

ORG = hashlib.sha256(b"urn:tanji:org:log-operator").digest()
HASHES = [leaf_hash(f"rpc entry {i}".encode()) for i in range(100)]


def root(size: int) -> bytes:
    return root_from_leaf_hashes(HASHES[:size])


def prove(size1: int, size2: int) -> list[bytes]:
    return consistency_proof_from_leaf_hashes(HASHES[:size2], size1)


@dataclass
class Deployed:
    chain: RpcChain
    owner: LocalAccount
    operator: LocalAccount
    registry: AnchorRegistryClient


def deploy(chain: RpcChain) -> Deployed:
    s = deploy_anchor_registry(chain, ORG)
    return Deployed(chain, s.owner, s.operator, s.registry)


@pytest.fixture(scope="module")
def anvil() -> Iterator[AnvilProcess]:
    binary = require_anvil()
    with start_anvil(binary=binary) as node:
        yield node


@pytest.fixture
def d(anvil: AnvilProcess) -> Deployed:
    return deploy(anvil.chain())


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------ no node


def test_unreachable_node_is_chain_unavailable() -> None:
    chain = RpcChain(f"http://127.0.0.1:{closed_port()}", timeout=2.0)
    started = time.monotonic()
    with pytest.raises(ChainUnavailable, match="unreachable"):
        _ = chain.chain_id
    with pytest.raises(ChainUnavailable):
        chain.block_timestamp()
    assert time.monotonic() - started < 5


def test_rpc_chain_argument_checks() -> None:
    with pytest.raises(ValueError, match="confirmations"):
        RpcChain("http://127.0.0.1:1", confirmations=-1)
    with pytest.raises(ValueError, match="positive"):
        RpcChain("http://127.0.0.1:1", timeout=0)


def test_start_anvil_reports_a_broken_binary(tmp_path: Path) -> None:
    fake = tmp_path / "anvil"
    fake.write_text("#!/bin/sh\necho 'cannot start' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(ChainUnavailable, match="cannot start"):
        start_anvil(binary=str(fake), startup_timeout=5)


# ------------------------------------------------------------------ anvil


@pytest.mark.anvil
def test_anchor_and_read_over_json_rpc(d: Deployed) -> None:
    assert isinstance(d.chain, ChainClient)
    assert d.chain.chain_id == 31337
    d.registry.create_log("rpc-log", d.operator)
    previous = 0
    for size in (3, 8, 21, 64, 65):
        proof = prove(previous, size) if previous else []
        ref = d.registry.anchor("rpc-log", size, root(size), proof, d.operator)
        assert ref.size == size
        assert ref.chain_id == 31337
        assert ref.block_number == d.chain.w3.eth.block_number
        previous = size
    heads = d.registry.heads("rpc-log")
    assert [h.size for h in heads] == [3, 8, 21, 64, 65]
    assert verify_anchored(d.registry, "rpc-log", 30, root(30), prove).size == 64
    found = d.registry.find_anchor("rpc-log", 2)
    assert found is not None
    assert found.head == heads[2]


@pytest.mark.anvil
def test_refusals_are_decoded_over_json_rpc(d: Deployed) -> None:
    d.registry.create_log("rpc-refusals", d.operator)
    d.registry.anchor("rpc-refusals", 10, root(10), [], d.operator)
    with pytest.raises(TransactionReverted) as caught:
        d.registry.anchor("rpc-refusals", 10, root(10), [], d.operator)
    assert caught.value.reason == "SizeNotIncreasing"
    bad = [*prove(10, 20)]
    bad[0] = bytes(32)
    with pytest.raises(TransactionReverted) as caught:
        d.registry.anchor("rpc-refusals", 20, root(20), bad, d.operator)
    assert caught.value.reason == "InconsistentHead"
    stranger = d.chain.new_account()
    with pytest.raises(TransactionReverted) as caught:
        d.registry.anchor("rpc-refusals", 20, root(20), prove(10, 20), stranger)
    assert caught.value.reason == "NotLogOperator"
    with pytest.raises(TransactionReverted) as caught:
        d.registry.head_at("rpc-refusals", 5)
    assert caught.value.reason == "HeadIndexOutOfRange"
    # Refused estimates send nothing: the operator's next transaction goes through.
    d.registry.anchor("rpc-refusals", 20, root(20), prove(10, 20), d.operator)


@pytest.mark.anvil
def test_receipts_wait_for_confirmations(anvil: AnvilProcess) -> None:
    d = deploy(anvil.chain())
    d.registry.create_log("rpc-confirm", d.operator)
    confirming = RpcChain(anvil.url, confirmations=2, timeout=20.0, poll_interval=0.05)
    registry = AnchorRegistryClient(confirming, d.registry.address)
    results: list[object] = []

    def send() -> None:
        try:
            results.append(registry.anchor("rpc-confirm", 5, root(5), [], d.operator))
        except Exception as exc:  # handed to the test thread
            results.append(exc)

    thread = threading.Thread(target=send)
    thread.start()
    deadline = time.monotonic() + 10
    while d.registry.latest("rpc-confirm") is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    assert results == []  # mined, but not yet confirmed
    anvil.chain().mine(2)
    thread.join(10)
    (ref,) = results
    assert not isinstance(ref, Exception), ref
    assert confirming.w3.eth.block_number >= ref.block_number + 2  # type: ignore[attr-defined]


@pytest.mark.anvil
def test_unconfirmed_receipt_times_out(anvil: AnvilProcess) -> None:
    d = deploy(anvil.chain())
    d.registry.create_log("rpc-timeout", d.operator)
    impatient = RpcChain(anvil.url, confirmations=3, timeout=1.0, poll_interval=0.05)
    registry = AnchorRegistryClient(impatient, d.registry.address)
    with pytest.raises(ChainUnavailable, match="not confirmed within"):
        registry.anchor("rpc-timeout", 5, root(5), [], d.operator)


@pytest.mark.anvil
def test_transaction_reverted_in_its_block_is_named(anvil: AnvilProcess) -> None:
    """Two anchors of the same size in one block: the second passes estimation but is
    refused when mined; the client replays it to name the error."""
    d = deploy(anvil.chain())
    d.registry.create_log("rpc-race", d.operator)
    d.chain.rpc("evm_setAutomine", False)
    results: list[object] = []

    def send() -> None:
        try:
            results.append(d.registry.anchor("rpc-race", 7, root(7), [], d.operator))
        except Exception as exc:  # handed to the test thread
            results.append(exc)

    try:
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            pending = d.chain.rpc("txpool_content")["pending"]
            if sum(len(txs) for txs in pending.values()) == 2:
                break
            time.sleep(0.05)
        d.chain.mine(1)
        for thread in threads:
            thread.join(10)
    finally:
        d.chain.rpc("evm_setAutomine", True)
    refused = [r for r in results if isinstance(r, TransactionReverted)]
    accepted = [r for r in results if not isinstance(r, Exception)]
    assert len(accepted) == 1, results
    assert len(refused) == 1, results
    assert refused[0].reason == "SizeNotIncreasing"
    assert "mined in block" in str(refused[0])


@pytest.mark.anvil
def test_dev_helpers_and_unknown_methods(d: Deployed) -> None:
    before = d.chain.block_timestamp()
    assert d.chain.advance_time(1000) >= before + 1000
    with pytest.raises(ChainError, match="refused"):
        d.chain.rpc("no_suchMethod")


@pytest.mark.anvil
def test_node_going_away_is_chain_unavailable(tmp_path: Path) -> None:
    node = start_anvil(binary=require_anvil())
    chain = node.chain(timeout=2.0)
    assert chain.chain_id == 31337
    node.stop()
    with pytest.raises(ChainUnavailable):
        chain.block_timestamp()


@pytest.mark.anvil
def test_restarted_anvil_keeps_its_anchors(tmp_path: Path) -> None:
    state = tmp_path / "chain" / "anvil-state.json"
    binary = require_anvil()
    with start_anvil(binary=binary, state_file=state) as node:
        d = deploy(node.chain())
        d.registry.create_log("kept", d.operator)
        d.registry.anchor("kept", 12, root(12), [], d.operator)
        d.registry.anchor("kept", 40, root(40), prove(12, 40), d.operator)
        address = d.registry.address
        before = d.registry.heads("kept")
    assert state.is_file()
    with start_anvil(binary=binary, state_file=state) as node:
        chain = node.chain()
        registry = AnchorRegistryClient(chain, address)
        assert registry.heads("kept") == before
        # The history continues from the persisted head, proof checked on chain.
        registry.anchor("kept", 77, root(77), prove(40, 77), d.operator)
        with pytest.raises(TransactionReverted) as caught:
            registry.anchor("kept", 90, root(90), prove(12, 90), d.operator)
        assert caught.value.reason == "InconsistentHead"
        latest = registry.latest("kept")
        assert latest is not None
        assert latest.size == 77


@pytest.mark.anvil
def test_stale_nonce_after_another_client_sent_is_recovered(anvil: AnvilProcess) -> None:
    d = deploy(anvil.chain())
    d.registry.create_log("rpc-nonce", d.operator)  # d.chain now caches the next nonce
    other = AnchorRegistryClient(anvil.chain(), d.registry.address)
    other.anchor("rpc-nonce", 4, root(4), [], d.operator)  # the same account, elsewhere
    ref = d.registry.anchor("rpc-nonce", 9, root(9), prove(4, 9), d.operator)
    assert ref.index == 1
