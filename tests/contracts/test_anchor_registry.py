"""AnchorRegistry on the embedded chain: growth accepted, rewritten history refused.

One chain and one deployed registry per module; each test runs from a snapshot of it.
Heads and consistency proofs come from the anchors package's pure RFC 9162 functions.
Refusals are checked by the custom error name the chain client decodes.
"""

from __future__ import annotations

import bisect
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from eth_account.signers.local import LocalAccount
from eth_typing import HexStr
from web3.contract import Contract

from anchors import consistency_proof_from_leaf_hashes, leaf_hash, root_from_leaf_hashes
from anchors.chain import AnchorRegistryClient, EmbeddedChain, log_id_key
from anchors.errors import TransactionReverted
from tests._chain import ContractWorld, from_snapshot

ORG_A = hashlib.sha256(b"91110108MA01AAAAA1").digest()
ORG_B = hashlib.sha256(b"91310000MA1BBBBBB2").digest()


def leaves(n: int, seed: str = "main") -> list[bytes]:
    return [leaf_hash(f"{seed}:{i}".encode()) for i in range(n)]


class Log:
    """A log's leaf hashes and what it takes to anchor a size of it."""

    def __init__(self, hashes: list[bytes]) -> None:
        self.hashes = hashes

    def root(self, size: int) -> bytes:
        return root_from_leaf_hashes(self.hashes[:size])

    def proof(self, size1: int, size2: int) -> list[bytes]:
        if size1 == 0:
            return []
        return consistency_proof_from_leaf_hashes(self.hashes[:size2], size1)


@dataclass
class World(ContractWorld):
    chain: EmbeddedChain
    operators: Contract
    registry: Contract
    client: AnchorRegistryClient
    owner: LocalAccount
    op_a: LocalAccount
    op_a2: LocalAccount
    op_b: LocalAccount
    stranger: LocalAccount

    @property
    def contract(self) -> Contract:
        return self.registry

    def grow(self, log_id: str, log: Log, sizes: list[int], sender: LocalAccount) -> list[int]:
        """Anchor ``sizes`` in order, each with the proof from the previous; gas used."""
        gas = []
        latest = self.client.latest(log_id)
        prev = 0 if latest is None else latest.size
        for size in sizes:
            ref = self.client.anchor(log_id, size, log.root(size), log.proof(prev, size), sender)
            receipt = self.chain.w3.eth.get_transaction_receipt(HexStr(ref.tx_hash))
            gas.append(int(receipt["gasUsed"]))
            prev = size
        return gas


@pytest.fixture(scope="module")
def base() -> World:
    chain = EmbeddedChain()
    owner = chain.new_account()
    operators_address = chain.deploy("StaticOperatorRegistry", sender=owner)
    registry_address = chain.deploy("AnchorRegistry", operators_address, sender=owner)
    w = World(
        chain=chain,
        operators=chain.contract("StaticOperatorRegistry", operators_address),
        registry=chain.contract("AnchorRegistry", registry_address),
        client=AnchorRegistryClient(chain, registry_address),
        owner=owner,
        op_a=chain.new_account(),
        op_a2=chain.new_account(),
        op_b=chain.new_account(),
        stranger=chain.new_account(),
    )
    for account, org in ((w.op_a, ORG_A), (w.op_a2, ORG_A), (w.op_b, ORG_B)):
        chain.transact(w.operators.functions.setOperator(account.address, org), owner)
    w.client.create_log("log-a", w.op_a)
    w.client.create_log("log-b", w.op_b)
    return w


@pytest.fixture
def w(base: World) -> Iterator[World]:
    yield from from_snapshot(base)


# ------------------------------------------------------------------ deployment and logs


def test_constructor_refuses_zero_operator_registry(w: World) -> None:
    with pytest.raises(TransactionReverted) as caught:
        w.chain.deploy("AnchorRegistry", "0x" + "00" * 20, sender=w.owner)
    assert caught.value.reason == "ZeroOperatorRegistry"


def test_registry_names_its_operator_registry(w: World) -> None:
    assert w.client.operator_registry() == w.operators.address


def test_create_log_binds_the_log_to_the_senders_organisation(w: World) -> None:
    assert w.client.log_owner("log-a") == ORG_A
    assert w.client.log_owner("log-b") == ORG_B
    assert w.client.log_owner("never-created") is None
    receipt = w.chain.transact(w.f.createLog(log_id_key("log-c")), w.op_a2)
    (event,) = w.registry.events.LogCreated().process_receipt(receipt)
    assert event["args"]["logId"] == log_id_key("log-c")
    assert event["args"]["orgId"] == ORG_A
    assert event["args"]["operator"] == w.op_a2.address


def test_create_log_refusals(w: World) -> None:
    assert w.refused(w.f.createLog(log_id_key("x")), w.stranger) == "NotOperator"
    assert w.refused(w.f.createLog(log_id_key("log-a")), w.op_b) == "LogExists"
    assert w.refused(w.f.createLog(log_id_key("log-a")), w.op_a) == "LogExists"
    assert w.refused(w.f.createLog(bytes(32)), w.op_a) == "ZeroLogId"


# ------------------------------------------------------------------ accepted growth

GROWTH_PATTERNS = {
    "one-by-one": list(range(1, 11)),
    "powers-of-two": [1, 2, 4, 8, 16, 32, 64, 128],
    "odd-sizes": [3, 5, 7, 9, 11, 13, 33, 65],
    "big-jumps": [1, 1000, 1001, 4096, 5000],
    "power-to-non-power": [4, 6, 8, 12, 16, 17, 31, 32, 33],
    "single-head": [77],
}


@pytest.mark.parametrize("pattern", list(GROWTH_PATTERNS))
def test_growth_patterns_are_accepted(w: World, pattern: str) -> None:
    sizes = GROWTH_PATTERNS[pattern]
    log = Log(leaves(max(sizes), pattern))
    w.grow("log-a", log, sizes, w.op_a)

    heads = w.client.heads("log-a")
    assert [h.size for h in heads] == sizes
    assert [h.root for h in heads] == [log.root(s) for s in sizes]
    assert [h.index for h in heads] == list(range(len(sizes)))
    assert w.client.head_count("log-a") == len(sizes)
    latest = w.client.latest("log-a")
    assert latest is not None
    assert latest == heads[-1]


def test_random_logs_and_growth_are_accepted(w: World) -> None:
    rnd = random.Random(9162)
    log = Log(leaves(3000, "random"))
    sizes: list[int] = []
    size = 0
    while len(sizes) < 16:
        size += rnd.choice([1, 1, 2, 3, rnd.randint(1, 40), rnd.randint(1, 300)])
        sizes.append(size)
    w.grow("log-a", log, sizes, w.op_a)

    # firstAtOrAbove is a binary search over the anchored sizes: compare with bisect.
    heads = w.client.heads("log-a")
    for query in [0, 1, *rnd.sample(range(1, size + 2), 60), size, size + 1]:
        i = bisect.bisect_left(sizes, query)
        got = w.client.first_at_or_above("log-a", query)
        if i == len(sizes):
            assert got is None
        else:
            assert got == heads[i]


def test_operators_of_the_same_organisation_share_its_logs(w: World) -> None:
    log = Log(leaves(20, "shared"))
    w.grow("log-a", log, [5], w.op_a)
    w.grow("log-a", log, [12], w.op_a2)
    w.grow("log-a", log, [20], w.op_a)
    assert [h.size for h in w.client.heads("log-a")] == [5, 12, 20]


def test_logs_are_independent(w: World) -> None:
    a, b = Log(leaves(9, "a")), Log(leaves(9, "b"))
    w.grow("log-a", a, [4, 9], w.op_a)
    w.grow("log-b", b, [9], w.op_b)
    latest_a, latest_b = w.client.latest("log-a"), w.client.latest("log-b")
    assert latest_a is not None
    assert latest_b is not None
    assert (latest_a.root, latest_b.root) == (a.root(9), b.root(9))
    assert latest_b.index == 0


def test_anchor_event_and_reference(w: World) -> None:
    log = Log(leaves(10, "event"))
    w.grow("log-a", log, [3], w.op_a)
    ref = w.client.anchor("log-a", 10, log.root(10), log.proof(3, 10), w.op_a)
    receipt = w.chain.w3.eth.get_transaction_receipt(HexStr(ref.tx_hash))
    (event,) = w.registry.events.Anchored().process_receipt(receipt)
    assert dict(event["args"]) == {
        "logId": log_id_key("log-a"),
        "index": 1,
        "size": 10,
        "root": log.root(10),
        "timestamp": w.chain.block_timestamp(ref.block_number),
    }
    assert ref.chain_id == w.chain.chain_id
    assert ref.contract == w.registry.address
    assert ref.block_number == receipt["blockNumber"]
    assert ref.head == w.client.head_at("log-a", 1)
    assert w.client.find_anchor("log-a", 1) == ref
    assert w.client.find_anchor("log-a", 2) is None


def test_heads_record_block_time(w: World) -> None:
    log = Log(leaves(8, "time"))
    w.grow("log-a", log, [2], w.op_a)
    later = w.chain.advance_time(3600)
    w.grow("log-a", log, [8], w.op_a)
    first, second = w.client.heads("log-a")
    assert second.timestamp >= later >= first.timestamp + 3600
    assert second.anchored_at.tzinfo is not None
    assert int(second.anchored_at.timestamp()) == second.timestamp


def test_gas_per_anchor_stays_lean(w: World) -> None:
    log = Log(leaves(4000, "gas"))
    gas = w.grow("log-a", log, [3000, 3100, 3200, 3300, 3400, 3500, 3600], w.op_a)
    steady = gas[1:]
    # One fresh root slot per head, a third of a slot for (size, time), the operator
    # check and ~10 SHA-256 precompile calls: about 80k, a fresh meta slot ~100k.
    assert max(steady) < 105_000, gas
    assert sum(steady) / len(steady) < 90_000, gas


# ------------------------------------------------------------------ refused heads


def test_rewritten_history_is_refused(w: World) -> None:
    honest = Log(leaves(64, "honest"))
    w.grow("log-a", honest, [20], w.op_a)
    rewritten = Log(list(honest.hashes))
    rewritten.hashes[7] = leaf_hash(b"edited entry")
    fn = w.f.anchor(log_id_key("log-a"), 40, rewritten.root(40), rewritten.proof(20, 40))
    assert w.refused(fn, w.op_a) == "InconsistentHead"
    # The honest continuation is still accepted afterwards.
    w.grow("log-a", honest, [40], w.op_a)


def test_dropped_entry_is_refused(w: World) -> None:
    honest = Log(leaves(40, "drop"))
    w.grow("log-a", honest, [16], w.op_a)
    dropped = Log(honest.hashes[:5] + honest.hashes[6:])
    fn = w.f.anchor(log_id_key("log-a"), 30, dropped.root(30), dropped.proof(16, 30))
    assert w.refused(fn, w.op_a) == "InconsistentHead"


def test_forked_history_is_refused(w: World) -> None:
    common = leaves(11, "common")
    branch1 = Log(common + leaves(20, "branch-1"))
    branch2 = Log(common + leaves(20, "branch-2"))
    w.grow("log-a", branch1, [11, 15], w.op_a)
    # branch2 is consistent with the head at 11, not with the latest head at 15.
    fn = w.f.anchor(log_id_key("log-a"), 25, branch2.root(25), branch2.proof(15, 25))
    assert w.refused(fn, w.op_a) == "InconsistentHead"
    fn = w.f.anchor(log_id_key("log-a"), 25, branch2.root(25), branch2.proof(11, 25))
    assert w.refused(fn, w.op_a) == "InconsistentHead"
    assert [h.size for h in w.client.heads("log-a")] == [11, 15]


@pytest.mark.parametrize(
    "tamper",
    ["flip-bit", "truncate", "extend", "empty", "reorder", "other-size1", "root-as-proof"],
)
def test_wrong_proofs_are_refused(w: World, tamper: str) -> None:
    log = Log(leaves(200, "proofs"))
    w.grow("log-a", log, [37], w.op_a)
    proof = log.proof(37, 150)
    assert len(proof) >= 3
    if tamper == "flip-bit":
        proof[1] = bytes([proof[1][0] ^ 1]) + proof[1][1:]
    elif tamper == "truncate":
        proof = proof[:-1]
    elif tamper == "extend":
        proof = [*proof, proof[-1]]
    elif tamper == "empty":
        proof = []
    elif tamper == "reorder":
        proof[0], proof[1] = proof[1], proof[0]
    elif tamper == "other-size1":
        proof = log.proof(36, 150)
    elif tamper == "root-as-proof":
        proof = [log.root(37), *proof]
    fn = w.f.anchor(log_id_key("log-a"), 150, log.root(150), proof)
    assert w.refused(fn, w.op_a) == "InconsistentHead"
    assert w.client.head_count("log-a") == 1


def test_wrong_new_root_is_refused(w: World) -> None:
    log = Log(leaves(50, "root"))
    w.grow("log-a", log, [8], w.op_a)
    fn = w.f.anchor(log_id_key("log-a"), 50, log.root(49), log.proof(8, 50))
    assert w.refused(fn, w.op_a) == "InconsistentHead"


@pytest.mark.parametrize("size", [10, 9, 1])
def test_equal_and_shrinking_sizes_are_refused(w: World, size: int) -> None:
    log = Log(leaves(10, "shrink"))
    w.grow("log-a", log, [10], w.op_a)
    fn = w.f.anchor(log_id_key("log-a"), size, log.root(size), [])
    assert w.refused(fn, w.op_a) == "SizeNotIncreasing"


def test_size_limits(w: World) -> None:
    assert w.refused(w.f.anchor(log_id_key("log-a"), 0, bytes(32), []), w.op_a) == "ZeroSize"
    too_big = w.f.anchor(log_id_key("log-a"), 2**40, b"\x01" * 32, [])
    assert w.refused(too_big, w.op_a) == "SizeTooLarge"
    with pytest.raises(ValueError, match="tree size"):
        w.client.anchor("log-a", 0, bytes(32), [], w.op_a)


def test_first_head_takes_no_proof(w: World) -> None:
    log = Log(leaves(4, "first"))
    fn = w.f.anchor(log_id_key("log-a"), 4, log.root(4), [log.root(2)])
    assert w.refused(fn, w.op_a) == "UnexpectedProof"


def test_unknown_log_is_refused(w: World) -> None:
    fn = w.f.anchor(log_id_key("no-such-log"), 1, leaf_hash(b"x"), [])
    assert w.refused(fn, w.op_a) == "UnknownLog"


def test_unauthorised_senders_are_refused(w: World) -> None:
    log = Log(leaves(6, "auth"))
    fn = w.f.anchor(log_id_key("log-a"), 6, log.root(6), [])
    assert w.refused(fn, w.stranger) == "NotLogOperator"
    assert w.refused(fn, w.op_b) == "NotLogOperator"  # operator, but of another org
    assert w.refused(fn, w.owner) == "NotLogOperator"  # registry owner is no operator
    assert w.client.latest("log-a") is None


def test_revoked_operator_is_refused(w: World) -> None:
    log = Log(leaves(6, "revoke"))
    w.grow("log-a", log, [3], w.op_a)
    w.chain.transact(w.operators.functions.setOperator(w.op_a.address, bytes(32)), w.owner)
    fn = w.f.anchor(log_id_key("log-a"), 6, log.root(6), log.proof(3, 6))
    assert w.refused(fn, w.op_a) == "NotLogOperator"
    w.grow("log-a", log, [6], w.op_a2)


def test_operator_moved_to_another_org_loses_the_log(w: World) -> None:
    log = Log(leaves(6, "move"))
    w.chain.transact(w.operators.functions.setOperator(w.op_a.address, ORG_B), w.owner)
    fn = w.f.anchor(log_id_key("log-a"), 6, log.root(6), [])
    assert w.refused(fn, w.op_a) == "NotLogOperator"


def test_only_the_owner_manages_operators(w: World) -> None:
    fn = w.operators.functions.setOperator(w.stranger.address, ORG_A)
    assert w.refused(fn, w.stranger) == "OwnableUnauthorizedAccount"
    zero = w.operators.functions.setOperator("0x" + "00" * 20, ORG_A)
    assert w.refused(zero, w.owner) == "ZeroAccount"


# ------------------------------------------------------------------ views


def test_views_on_an_empty_log(w: World) -> None:
    assert w.client.latest("log-a") is None
    assert w.client.first_at_or_above("log-a", 1) is None
    assert w.client.heads("log-a") == []
    with pytest.raises(TransactionReverted) as caught:
        w.client.head_at("log-a", 0)
    assert caught.value.reason == "HeadIndexOutOfRange"


def test_head_at_out_of_range(w: World) -> None:
    log = Log(leaves(3, "range"))
    w.grow("log-a", log, [1, 3], w.op_a)
    assert w.client.head_at("log-a", 1).size == 3
    with pytest.raises(TransactionReverted) as caught:
        w.client.head_at("log-a", 2)
    assert caught.value.reason == "HeadIndexOutOfRange"
