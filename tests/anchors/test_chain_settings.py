"""Chain profiles: ChainSettings from values and the environment, the node's chain_*
settings, fee modes, account funding and proof-of-authority headers.

Fee modes and funding run on anvil (marked ``anvil``); proof-of-authority headers, which
anvil does not produce, come from a scripted JSON-RPC peer answering with a Clique/QBFT
style header (97 bytes of ``extraData``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from eth_account import Account

from anchors.chain import (
    DEFAULT_FUNDING_WEI,
    AnvilProcess,
    ChainSettings,
    RpcChain,
    start_anvil,
)
from anchors.errors import ChainError, InvalidChainSettings
from node import Settings
from node.errors import InvalidInput
from tests._chain import ScriptedNode, deploy_anchor_registry
from tests.conftest import require_anvil

FUNDER_KEY = "0x" + "11" * 32

# ------------------------------------------------------------------ settings


def test_defaults_are_the_development_profile() -> None:
    s = ChainSettings()
    assert (s.url, s.confirmations, s.fee_mode, s.poa, s.funding) == (
        "embedded",
        0,
        "auto",
        False,
        "dev",
    )
    assert s.gas_price_wei is None
    assert s.priority_fee_wei is None


def test_from_env_reads_tanji_chain_variables() -> None:
    env = {
        "TANJI_CHAIN_URL": "http://besu.internal:8545",
        "TANJI_CHAIN_CONFIRMATIONS": "2",
        "TANJI_CHAIN_FEE_MODE": "zero",
        "TANJI_CHAIN_GAS_PRICE_WEI": "",
        "TANJI_CHAIN_POA": "true",
        "TANJI_CHAIN_FUNDING": "none",
        "TANJI_CHAIN_TIMEOUT_SECONDS": "12.5",
        "TANJI_LOG_ID": "not a chain setting",
    }
    s = ChainSettings.from_env(env)
    assert s == ChainSettings(
        url="http://besu.internal:8545",
        confirmations=2,
        fee_mode="zero",
        poa=True,
        funding="none",
        timeout_seconds=12.5,
    )


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"url": "ws://node:8546"}, "url"),
        ({"fee_mode": "cheap"}, "fee_mode"),
        ({"fee_mode": "fixed"}, "gas_price_wei"),
        ({"fee_mode": "zero", "gas_price_wei": "5"}, "gas_price_wei"),
        ({"confirmations": "-1"}, "confirmations"),
        ({"confirmations": "two"}, "confirmations"),
        ({"priority_fee_wei": "-3"}, "priority_fee_wei"),
        ({"poa": "maybe"}, "poa"),
        ({"funding": "faucet"}, "funding"),
        ({"funding": "funder"}, "funder_key_hex"),
        ({"funder_key_hex": "0x1234"}, "funder_key_hex"),
        ({"timeout_seconds": "0"}, "timeout_seconds"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_settings_name_the_field(values: dict[str, str], named: str) -> None:
    with pytest.raises(InvalidChainSettings, match=named) as caught:
        ChainSettings.from_mapping(values)
    assert isinstance(caught.value, ValueError)


def test_the_node_passes_its_chain_settings_through() -> None:
    settings = Settings.from_env(
        {
            "TANJI_CHAIN_URL": "http://127.0.0.1:8545",
            "TANJI_CHAIN_CONFIRMATIONS": "3",
            "TANJI_CHAIN_FEE_MODE": "fixed",
            "TANJI_CHAIN_GAS_PRICE_WEI": "1000",
            "TANJI_CHAIN_POA": "1",
            "TANJI_CHAIN_TIMEOUT_SECONDS": "9",
        }
    )
    assert settings.chain_settings() == ChainSettings(
        url="http://127.0.0.1:8545",
        confirmations=3,
        fee_mode="fixed",
        gas_price_wei=1000,
        poa=True,
        timeout_seconds=9.0,
    )
    with pytest.raises(InvalidInput, match="fee_mode"):
        Settings(chain_fee_mode="free")
    with pytest.raises(InvalidInput, match="gas_price_wei"):
        Settings(chain_fee_mode="fixed")


def test_rpc_chain_from_settings_refuses_the_embedded_chain() -> None:
    with pytest.raises(InvalidChainSettings, match="embedded"):
        RpcChain.from_settings(ChainSettings())


# ------------------------------------------------------------------ proof of authority


def _block(extra_data: str) -> dict[str, Any]:
    return {
        "number": "0x5",
        "hash": "0x" + "aa" * 32,
        "parentHash": "0x" + "bb" * 32,
        "nonce": "0x0000000000000000",
        "sha3Uncles": "0x" + "cc" * 32,
        "logsBloom": "0x" + "00" * 256,
        "transactionsRoot": "0x" + "dd" * 32,
        "stateRoot": "0x" + "ee" * 32,
        "receiptsRoot": "0x" + "ff" * 32,
        "miner": "0x" + "00" * 20,
        "difficulty": "0x1",
        "totalDifficulty": "0x5",
        "extraData": extra_data,
        "size": "0x260",
        "gasLimit": "0x1c9c380",
        "gasUsed": "0x0",
        "timestamp": "0x6553f100",
        "transactions": [],
        "uncles": [],
    }


def test_proof_of_authority_headers_need_poa() -> None:
    # 32 bytes of vanity + a 65-byte seal, as Clique and QBFT-style headers carry.
    header = _block("0x" + "ab" * 97)
    with ScriptedNode({"eth_getBlockByNumber": {"result": header}}) as url:
        with pytest.raises(ChainError, match="extraData"):
            RpcChain(url, timeout=5.0).block_timestamp()
        poa = RpcChain.from_settings(ChainSettings(url=url, poa=True, timeout_seconds=5.0))
        assert poa.block_timestamp() == 0x6553F100
        node = Settings(chain_url=url, chain_poa=True).chain_settings()
        assert RpcChain.from_settings(node).block_timestamp() == 0x6553F100


# ------------------------------------------------------------------ fee modes on anvil


@pytest.fixture(scope="module")
def anvil() -> Iterator[AnvilProcess]:
    with start_anvil(binary=require_anvil()) as node:
        yield node


def _sent(chain: RpcChain) -> dict[str, Any]:
    """Deploy a small contract from a new account; the transaction as mined."""
    owner = chain.new_account()
    chain.deploy("StaticOperatorRegistry", sender=owner)
    block = chain.w3.eth.get_block("latest", full_transactions=True)
    (tx,) = block["transactions"]
    return dict(tx)  # type: ignore[arg-type]


@pytest.mark.anvil
def test_fee_modes_price_transactions_as_configured(anvil: AnvilProcess) -> None:
    node_price = int(anvil.chain().w3.eth.gas_price)
    auto = _sent(anvil.chain())
    assert auto["type"] == 2
    tipped = _sent(anvil.chain(fee_mode="eip1559", priority_fee_wei=7))
    assert (tipped["type"], tipped["maxPriorityFeePerGas"]) == (2, 7)
    legacy = _sent(anvil.chain(fee_mode="legacy"))
    assert legacy["type"] == 0
    assert legacy["gasPrice"] >= node_price // 2
    priced = _sent(anvil.chain(fee_mode="legacy", gas_price_wei=3 * 10**9))
    assert (priced["type"], priced["gasPrice"]) == (0, 3 * 10**9)
    fixed = _sent(anvil.chain(fee_mode="fixed", gas_price_wei=4 * 10**9))
    assert (fixed["type"], fixed["gasPrice"]) == (0, 4 * 10**9)
    # A zero gas price on a chain that charges a base fee is refused by the node.
    with pytest.raises(ChainError):
        _sent(anvil.chain(fee_mode="zero"))


@pytest.mark.anvil
def test_a_chain_without_base_fee_takes_legacy_prices_and_refuses_eip1559() -> None:
    with start_anvil(binary=require_anvil(), extra_args=["--hardfork", "berlin"]) as node:
        auto = _sent(node.chain())
        assert auto["type"] == 0
        with pytest.raises(ChainError, match="no base fee"):
            _sent(node.chain(fee_mode="eip1559"))
        # The Paris build runs on a Berlin EVM: anchoring works end to end.
        setup = deploy_anchor_registry(node.chain(), hashlib.sha256(b"org").digest())
        setup.registry.create_log("berlin", setup.operator)
        head = setup.registry.anchor("berlin", 1, hashlib.sha256(b"r").digest(), [], setup.operator)
        assert head.size == 1


# ------------------------------------------------------------------ funding


@pytest.mark.anvil
def test_a_funder_account_funds_new_accounts(anvil: AnvilProcess) -> None:
    funder = Account.from_key(FUNDER_KEY)
    anvil.chain().rpc("anvil_setBalance", funder.address, hex(100 * 10**18))
    chain = RpcChain.from_settings(
        ChainSettings(url=anvil.url, funding="funder", funder_key_hex=FUNDER_KEY)
    )
    before = chain.balance(funder.address)
    account = chain.new_account()
    assert chain.balance(account.address) == DEFAULT_FUNDING_WEI
    assert chain.balance(funder.address) <= before - DEFAULT_FUNDING_WEI
    broke = RpcChain.from_settings(
        ChainSettings(url=anvil.url, funding="funder", funder_key_hex="0x" + "22" * 32)
    )
    with pytest.raises(ChainError):
        broke.new_account()


@pytest.mark.anvil
def test_funding_none_leaves_new_accounts_empty(anvil: AnvilProcess) -> None:
    chain = anvil.chain(funding="none")
    account = chain.new_account()
    assert chain.balance(account.address) == 0
