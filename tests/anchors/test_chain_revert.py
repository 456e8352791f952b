"""Custom errors decoded from wherever a client puts the revert data.

Each JSON-RPC client reports a refused ``eth_call`` / ``eth_estimateGas`` in its own error
shape (the table in anchors/chain/_revert.py). Clients this machine cannot run (ganache,
Besu, Nethermind) are replayed by a scripted JSON-RPC peer over real HTTP through web3;
anvil and Hardhat answer for themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from eth_abi.abi import encode
from eth_account import Account
from eth_utils.crypto import keccak

from anchors.chain import (
    AnchorRegistryClient,
    AnvilProcess,
    Revert,
    RpcChain,
    decode_revert,
    log_id_key,
    revert_data,
    revert_named_in,
    start_hardhat,
)
from anchors.errors import ChainError, TransactionReverted
from contracts import load_artifact
from tests._chain import ScriptedNode, deploy_anchor_registry, require_hardhat

LOG = "revert-log"
REGISTRY = "0x" + "42" * 20


def error_data(signature: str, types: list[str], values: list[Any]) -> str:
    return "0x" + (keccak(text=signature)[:4] + encode(types, values)).hex()


OUT_OF_RANGE = error_data(
    "HeadIndexOutOfRange(bytes32,uint256,uint256)",
    ["bytes32", "uint256", "uint256"],
    [log_id_key(LOG), 5, 0],
)
NOT_INCREASING = error_data("SizeNotIncreasing(uint64,uint64)", ["uint64", "uint64"], [10, 10])
TX_HASH = "0x" + "ab" * 32


def shapes(data: str, name: str) -> dict[str, dict[str, Any]]:
    """The JSON-RPC ``error`` object each client answers a revert with."""
    hardhat_message = (
        "Error: VM Exception while processing transaction: reverted with custom error "
        f"'{name}(...)'"
    )
    return {
        "geth/anvil/erigon": {"code": 3, "message": "execution reverted", "data": data},
        "besu": {"code": -32000, "message": "Execution reverted", "data": data},
        "hardhat": {
            "code": -32603,
            "message": hardhat_message,
            "data": {"message": hardhat_message, "data": data},
        },
        "hardhat, message only": {"code": -32603, "message": hardhat_message},
        "ganache 7": {
            "code": -32000,
            "message": "VM Exception while processing transaction: revert",
            "data": {
                "hash": TX_HASH,
                "programCounter": 1234,
                "result": data,
                "reason": None,
                "message": "revert",
            },
        },
        "ganache 6": {
            "code": -32000,
            "message": "VM Exception while processing transaction: revert",
            "data": {
                TX_HASH: {"error": "revert", "program_counter": 77, "return": data},
                "stack": "RuntimeError: VM Exception while processing transaction: revert",
                "name": "RuntimeError",
            },
        },
        "nethermind": {
            "code": -32015,
            "message": "VM execution error.",
            "data": f"Reverted {data}",
        },
    }


CLIENTS = list(shapes(OUT_OF_RANGE, "HeadIndexOutOfRange"))


def scripted(error: dict[str, Any], method: str) -> dict[str, dict[str, Any]]:
    return {
        "eth_chainId": {"result": "0x7a69"},
        "eth_getCode": {"result": load_artifact("AnchorRegistry").deployed_bytecode},
        "eth_getTransactionCount": {"result": "0x0"},
        method: {"error": error},
    }


@pytest.mark.filterwarnings("ignore:Could not decode revert reason as UTF-8")
@pytest.mark.parametrize("client", CLIENTS)
def test_eth_call_reverts_are_decoded_from_every_client_shape(client: str) -> None:
    error = shapes(OUT_OF_RANGE, "HeadIndexOutOfRange")[client]
    with ScriptedNode(scripted(error, "eth_call")) as url:
        registry = AnchorRegistryClient(RpcChain(url, timeout=5.0), REGISTRY)
        with pytest.raises(TransactionReverted) as caught:
            registry.head_at(LOG, 5)
    assert caught.value.reason == "HeadIndexOutOfRange"


@pytest.mark.filterwarnings("ignore:Could not decode revert reason as UTF-8")
@pytest.mark.parametrize("client", CLIENTS)
def test_gas_estimation_reverts_are_decoded_from_every_client_shape(client: str) -> None:
    error = shapes(NOT_INCREASING, "SizeNotIncreasing")[client]
    node = ScriptedNode(scripted(error, "eth_estimateGas"))
    with node as url:
        chain = RpcChain(url, timeout=5.0, fee_mode="fixed", gas_price_wei=10**9)
        registry = AnchorRegistryClient(chain, REGISTRY)
        with pytest.raises(TransactionReverted) as caught:
            registry.anchor(LOG, 10, bytes(32), [], Account.create())
    assert caught.value.reason == "SizeNotIncreasing"
    assert "eth_sendRawTransaction" not in node.calls  # nothing sent


def test_revert_data_skips_hashes_and_short_strings() -> None:
    assert revert_data({"hash": TX_HASH, "message": "revert"}) is None
    assert revert_data({"data": "0x1234"}) is None  # shorter than a selector
    assert revert_data("Reverted 0x08c379a0") == bytes.fromhex("08c379a0")
    assert revert_data({"data": {"data": {"result": NOT_INCREASING}}}) == bytes.fromhex(
        NOT_INCREASING[2:]
    )
    assert revert_data(None) is None


def test_hardhat_messages_name_the_error() -> None:
    assert revert_named_in("reverted with custom error 'ZeroSize()'") == Revert("ZeroSize")
    assert revert_named_in("reverted with reason string 'nope'") == Revert("nope")
    assert revert_named_in("execution reverted") is None


def test_decoded_arguments_are_kept() -> None:
    revert = decode_revert(bytes.fromhex(NOT_INCREASING[2:]))
    assert revert == Revert("SizeNotIncreasing", (10, 10))
    assert revert.describe() == "SizeNotIncreasing(10, 10)"


def test_other_node_errors_stay_chain_errors() -> None:
    refusal = {"code": -32000, "message": "nonce too low"}
    with ScriptedNode(scripted(refusal, "eth_call")) as url:
        registry = AnchorRegistryClient(RpcChain(url, timeout=5.0), REGISTRY)
        with pytest.raises(ChainError) as caught:
            registry.head_at(LOG, 5)
    assert not isinstance(caught.value, TransactionReverted)


# ------------------------------------------------------------------ Hardhat


@pytest.fixture(scope="module")
def hardhat() -> Iterator[AnvilProcess]:
    with start_hardhat(binary=require_hardhat()) as node:
        yield node


@pytest.mark.hardhat
@pytest.mark.integration
def test_hardhat_refusals_are_decoded(hardhat: AnvilProcess) -> None:
    setup = deploy_anchor_registry(hardhat.chain(), hashlib.sha256(b"org").digest())
    registry, operator = setup.registry, setup.operator
    registry.create_log(LOG, operator)
    registry.anchor(LOG, 10, hashlib.sha256(b"root").digest(), [], operator)
    with pytest.raises(TransactionReverted) as caught:  # from eth_estimateGas
        registry.anchor(LOG, 10, hashlib.sha256(b"root").digest(), [], operator)
    assert caught.value.reason == "SizeNotIncreasing"
    with pytest.raises(TransactionReverted) as caught:  # from eth_call
        registry.head_at(LOG, 5)
    assert caught.value.reason == "HeadIndexOutOfRange"
    with pytest.raises(TransactionReverted) as caught:
        registry.anchor(LOG, 11, hashlib.sha256(b"other").digest(), [bytes(32)], operator)
    assert caught.value.reason == "InconsistentHead"
