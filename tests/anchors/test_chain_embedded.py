"""The embedded chain client and the anchor check, on a real in-process chain.

Covers the ChainClient machinery (deploy, contract lookup, signed raw transactions, nonce
handling, error wrapping, time travel, snapshots), revert decoding, log ids, and
``verify_anchored`` against heads anchored on chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from eth_abi.abi import encode
from eth_account.signers.local import LocalAccount

from anchors import consistency_proof_from_leaf_hashes, leaf_hash, root_from_leaf_hashes
from anchors.chain import (
    AnchorRegistryClient,
    ChainClient,
    EmbeddedChain,
    decode_revert,
    log_id_key,
    verify_anchored,
)
from anchors.errors import (
    ChainError,
    ConsistencyProofError,
    ContractNotFound,
    InvalidLogId,
    NotAnchored,
    TransactionReverted,
)
from tests._chain import deploy_anchor_registry, from_snapshot

ORG = hashlib.sha256(b"91110108MA01AAAAA1").digest()
HASHES = [leaf_hash(f"entry {i}".encode()) for i in range(64)]


def root(size: int, hashes: list[bytes] = HASHES) -> bytes:
    return root_from_leaf_hashes(hashes[:size])


def prove(size1: int, size2: int) -> list[bytes]:
    return consistency_proof_from_leaf_hashes(HASHES[:size2], size1)


@dataclass
class World:
    chain: EmbeddedChain
    owner: LocalAccount
    operator: LocalAccount
    registry: AnchorRegistryClient


@pytest.fixture(scope="module")
def base() -> World:
    chain = EmbeddedChain()
    s = deploy_anchor_registry(chain, ORG)
    s.registry.create_log("log-1", s.operator)
    return World(chain, s.owner, s.operator, s.registry)


@pytest.fixture
def w(base: World) -> Iterator[World]:
    yield from from_snapshot(base)


# ------------------------------------------------------------------ client machinery


def test_embedded_chain_is_a_chain_client(w: World) -> None:
    assert isinstance(w.chain, ChainClient)
    assert w.chain.chain_id == w.chain.w3.eth.chain_id


def test_new_accounts_are_funded_and_distinct(w: World) -> None:
    a = w.chain.new_account(fund_wei=12345)
    b = w.chain.new_account(fund_wei=0)
    assert a.address != b.address
    assert w.chain.balance(a.address) == 12345
    assert w.chain.balance(b.address) == 0
    with pytest.raises(ValueError, match="negative"):
        w.chain.new_account(fund_wei=-1)


def test_unknown_artifact_and_missing_code(w: World) -> None:
    with pytest.raises(ContractNotFound, match="no artifact"):
        w.chain.deploy("NoSuchContract", sender=w.owner)
    with pytest.raises(ContractNotFound, match="no artifact"):
        w.chain.contract("NoSuchContract", w.registry.address)
    with pytest.raises(ContractNotFound, match="no contract code"):
        w.chain.contract("AnchorRegistry", w.operator.address)
    with pytest.raises(ContractNotFound, match="not an address"):
        w.chain.contract("AnchorRegistry", "0x1234")
    with pytest.raises(ContractNotFound):
        AnchorRegistryClient(w.chain, w.owner.address)


def test_unfunded_sender_is_a_chain_error(w: World) -> None:
    poor = w.chain.new_account(fund_wei=0)
    fn = w.chain.contract("AnchorRegistry", w.registry.address).functions.createLog(
        log_id_key("poor")
    )
    with pytest.raises(ChainError) as caught:
        w.chain.transact(fn, poor)
    assert not isinstance(caught.value, TransactionReverted)


def test_refused_transaction_names_the_error_and_later_ones_go_through(w: World) -> None:
    with pytest.raises(TransactionReverted) as caught:
        w.registry.anchor("log-1", 5, root(5), prove(1, 5), w.operator)  # first: no proof
    assert caught.value.reason == "UnexpectedProof"
    assert "UnexpectedProof()" in str(caught.value)
    # The nonce bookkeeping survives a refusal: consecutive sends keep working.
    for size in (1, 2, 3, 4):
        w.registry.anchor(
            "log-1", size, root(size), prove(size - 1, size) if size > 1 else [], w.operator
        )
    assert w.registry.head_count("log-1") == 4


def test_reverted_message_carries_the_arguments(w: World) -> None:
    w.registry.anchor("log-1", 9, root(9), [], w.operator)
    with pytest.raises(TransactionReverted) as caught:
        w.registry.anchor("log-1", 7, root(7), [], w.operator)
    assert caught.value.reason == "SizeNotIncreasing"
    assert "SizeNotIncreasing(9, 7)" in str(caught.value)


def test_advance_time_moves_block_time(w: World) -> None:
    before = w.chain.block_timestamp()
    after = w.chain.advance_time(86_400)
    assert after == w.chain.block_timestamp() == before + 86_400
    with pytest.raises(ValueError, match="positive"):
        w.chain.advance_time(0)


def test_snapshot_and_revert(w: World) -> None:
    snapshot = w.chain.snapshot()
    w.registry.anchor("log-1", 3, root(3), [], w.operator)
    w.chain.revert_to(snapshot)
    assert w.registry.latest("log-1") is None
    # Nonces are re-read after a revert: the same account sends again.
    w.registry.anchor("log-1", 4, root(4), [], w.operator)
    latest = w.registry.latest("log-1")
    assert latest is not None
    assert latest.size == 4


def test_anchor_input_validation(w: World) -> None:
    with pytest.raises(ValueError, match="root must be 32 bytes"):
        w.registry.anchor("log-1", 1, b"short", [], w.operator)
    with pytest.raises(ValueError, match="proof hash"):
        w.registry.anchor("log-1", 2, root(2), [b"x" * 31], w.operator)
    with pytest.raises(ValueError, match="tree size"):
        w.registry.anchor("log-1", 2**40, root(2), [], w.operator)
    with pytest.raises(ValueError, match="tree size"):
        w.registry.anchor("log-1", True, root(1), [], w.operator)
    with pytest.raises(InvalidLogId):
        w.registry.anchor("Log_1", 1, root(1), [], w.operator)
    assert w.registry.head_count("log-1") == 0


@pytest.mark.parametrize("index", [-1, 2**256, True, "0"])
def test_head_index_validation(w: World, index: object) -> None:
    # Refused as ValueError like a bad size, not a web3/eth-abi exception escaping the tree.
    with pytest.raises(ValueError, match="head index"):
        w.registry.head_at("log-1", index)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="head index"):
        w.registry.find_anchor("log-1", index)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["", "UPPER", "under_score", "x" * 65, "spa ce", "ü"])
def test_log_id_key_refuses_malformed_ids(bad: str) -> None:
    with pytest.raises(InvalidLogId, match="must match"):
        log_id_key(bad)


def test_log_id_key_is_sha256_of_the_id() -> None:
    assert log_id_key("node-1") == hashlib.sha256(b"node-1").digest()


# ------------------------------------------------------------------ revert decoding


def test_decode_revert_forms() -> None:
    error_string = bytes.fromhex("08c379a0") + encode(["string"], ["not allowed"])
    revert = decode_revert(error_string)
    assert revert is not None
    assert revert.name == "not allowed"
    panic = decode_revert(bytes.fromhex("4e487b71") + encode(["uint256"], [0x11]))
    assert panic is not None
    assert panic.name == "Panic(0x11)"
    unknown = decode_revert(bytes.fromhex("deadbeef"))
    assert unknown is not None
    assert unknown.name == "unknown error 0xdeadbeef"
    assert decode_revert(b"") is None
    garbled = decode_revert(bytes.fromhex("08c379a0") + b"\x01")
    assert garbled is not None
    assert garbled.name.startswith("unknown error")


# ------------------------------------------------------------------ verify_anchored


def test_verify_exactly_anchored_head(w: World) -> None:
    w.registry.anchor("log-1", 10, root(10), [], w.operator)
    head = verify_anchored(w.registry, "log-1", 10, root(10), prove)
    assert (head.size, head.root, head.index) == (10, root(10), 0)


def test_verify_head_covered_by_a_later_anchor(w: World) -> None:
    w.registry.anchor("log-1", 10, root(10), [], w.operator)
    w.registry.anchor("log-1", 30, root(30), prove(10, 30), w.operator)
    w.registry.anchor("log-1", 50, root(50), prove(30, 50), w.operator)
    asked: list[tuple[int, int]] = []

    def recording_prover(size1: int, size2: int) -> list[bytes]:
        asked.append((size1, size2))
        return prove(size1, size2)

    head = verify_anchored(w.registry, "log-1", 17, root(17), recording_prover)
    # The first head at or above 17 is the one at 30: that is when 17 was first anchored.
    assert head.size == 30
    assert asked == [(17, 30)]
    assert verify_anchored(w.registry, "log-1", 1, root(1), prove).size == 10


def test_verify_refuses_a_head_beyond_the_anchors(w: World) -> None:
    with pytest.raises(NotAnchored, match="nothing is anchored"):
        verify_anchored(w.registry, "log-1", 3, root(3), prove)
    w.registry.anchor("log-1", 10, root(10), [], w.operator)
    with pytest.raises(NotAnchored, match="latest is size 10"):
        verify_anchored(w.registry, "log-1", 11, root(11), prove)


def test_verify_refuses_another_root_at_an_anchored_size(w: World) -> None:
    w.registry.anchor("log-1", 10, root(10), [], w.operator)
    with pytest.raises(NotAnchored, match="step 3"):
        verify_anchored(w.registry, "log-1", 10, root(9), prove)


def test_verify_refuses_a_forked_head(w: World) -> None:
    w.registry.anchor("log-1", 20, root(20), [], w.operator)
    forked = [*HASHES[:5], leaf_hash(b"forged"), *HASHES[6:]]

    def forked_prover(size1: int, size2: int) -> list[bytes]:
        return consistency_proof_from_leaf_hashes(forked[:size2], size1)

    # A node serving the forked log cannot prove its head against the anchored root.
    with pytest.raises(ConsistencyProofError, match="step 4"):
        verify_anchored(w.registry, "log-1", 12, root(12, forked), forked_prover)
    with pytest.raises(ConsistencyProofError):
        verify_anchored(w.registry, "log-1", 12, root(12, forked), prove)


def test_verify_refuses_a_garbage_proof(w: World) -> None:
    w.registry.anchor("log-1", 20, root(20), [], w.operator)
    with pytest.raises(ConsistencyProofError):
        verify_anchored(w.registry, "log-1", 7, root(7), lambda a, b: [b"\x00" * 32] * 4)
    with pytest.raises(ConsistencyProofError):
        verify_anchored(w.registry, "log-1", 7, root(7), lambda a, b: [])


@pytest.mark.parametrize(("size", "value"), [(0, bytes(32)), (-1, bytes(32)), (3, b"short")])
def test_verify_refuses_malformed_heads(w: World, size: int, value: bytes) -> None:
    with pytest.raises(NotAnchored, match="step 1"):
        verify_anchored(w.registry, "log-1", size, value, prove)


# ------------------------------------------------------------------ reads pinned to a block


def _count_calls(chain: EmbeddedChain, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every contract call the in-process chain executes from now on (until the test ends)."""
    sent: list[object] = []
    tester = chain.w3.provider.ethereum_tester  # type: ignore[attr-defined]
    inner = tester.call

    def counting(*args: Any, **kwargs: Any) -> Any:
        sent.append(args)
        return inner(*args, **kwargs)

    monkeypatch.setattr(tester, "call", counting)
    return sent


def test_pinned_reads_see_one_block_and_later_blocks_after(w: World) -> None:
    w.registry.anchor("log-1", 3, root(3), [], w.operator)
    with w.chain.pinned_reads() as block:
        assert w.chain.block_number() == block.number
        assert w.chain.block_timestamp() == block.timestamp
        assert w.chain.block_hash(block.number) == block.hash
        # A block mined inside the pin is not seen by the pinned reads...
        w.registry.anchor("log-1", 5, root(5), prove(3, 5), w.operator)
        assert w.registry.head_count("log-1") == 1
        assert [h.size for h in w.registry.heads("log-1")] == [3]
        # ... nor by a nested pin, which keeps the outer block.
        with w.chain.pinned_reads() as inner:
            assert inner == block
            assert w.registry.head_count("log-1") == 1
        # An explicit block number is read as asked.
        assert w.chain.block_timestamp(block.number + 1) >= block.timestamp
    assert w.registry.head_count("log-1") == 2
    assert w.chain.block_number() == block.number + 1


def test_pinned_calls_at_an_unchanged_block_are_answered_from_memory(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    w.registry.anchor("log-1", 3, root(3), [], w.operator)
    sent = _count_calls(w.chain, monkeypatch)
    with w.chain.pinned_reads():
        first = w.registry.latest("log-1")
    calls = len(sent)
    assert calls >= 1
    with w.chain.pinned_reads():
        assert w.registry.latest("log-1") == first
    assert len(sent) == calls  # nothing new asked: same block, same calls
    w.registry.anchor("log-1", 5, root(5), prove(3, 5), w.operator)  # a new block
    with w.chain.pinned_reads():
        latest = w.registry.latest("log-1")
    assert latest is not None
    assert latest.size == 5
    assert len(sent) > calls


def test_a_replaced_block_is_never_answered_from_memory(w: World) -> None:
    """After a revert (as in a reorganisation) the block at the same height has another
    hash: what was remembered for the dropped block is not answered."""
    snapshot = w.chain.snapshot()
    w.registry.anchor("log-1", 3, root(3), [], w.operator)
    with w.chain.pinned_reads() as dropped:
        assert w.registry.head_count("log-1") == 1
    w.chain.revert_to(snapshot)
    w.chain.advance_time(7)  # another timestamp: the replacement block differs
    with w.chain.pinned_reads() as replacement:
        assert w.registry.head_count("log-1") == 0
    assert replacement.hash != dropped.hash


def test_pinned_reads_need_the_chain(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    tester = w.chain.w3.provider.ethereum_tester  # type: ignore[attr-defined]

    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("connection refused")

    monkeypatch.setattr(tester, "get_block_by_number", down)
    with pytest.raises(ChainError, match="latest block"), w.chain.pinned_reads():
        pass  # pragma: no cover - never entered
