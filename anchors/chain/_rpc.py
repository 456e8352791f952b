"""A chain reached over HTTP JSON-RPC: anvil or Hardhat locally, any EVM node in production."""

from __future__ import annotations

import functools
import json
import time
from typing import Any

from eth_abi.abi import decode as abi_decode
from eth_abi.exceptions import DecodingError
from eth_abi.grammar import ABIType, BasicType, TupleType
from eth_abi.grammar import parse as _parse_abi_type
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils.abi import get_abi_output_types
from hexbytes import HexBytes
from web3 import HTTPProvider, Web3
from web3.contract.contract import ContractFunction
from web3.middleware import ExtraDataToPOAMiddleware
from web3.types import RPCEndpoint, TxReceipt

from anchors.chain._client import DEFAULT_FUNDING_WEI, DEFAULT_TIP_WEI, BaseChain
from anchors.chain._settings import FEE_MODES, FUNDING_MODES, ChainSettings
from anchors.errors import ChainError, InvalidChainSettings


class RpcChain(BaseChain):
    """The chain behind JSON-RPC endpoint ``url``.

    ``confirmations``: how many blocks must be mined on top of a transaction's block
    before :meth:`transact` returns (0: as soon as it is mined); the receipt is re-read
    so a transaction reorganised away is waited for again. ``timeout``: seconds for one
    HTTP request and for a transaction to be mined and confirmed (then
    :class:`~anchors.errors.ChainUnavailable`). ``poa``: accept the long ``extraData`` of
    proof-of-authority chains (Clique, IBFT 2.0, QBFT consortium chains). ``fee_mode``,
    ``gas_price_wei``, ``priority_fee_wei``: how transactions are priced
    (:data:`~anchors.chain.FEE_MODES`). ``funding`` and ``funder``: how
    :meth:`new_account` funds a new account (:data:`~anchors.chain.FUNDING_MODES`).
    :meth:`from_settings` builds one from a :class:`~anchors.chain.ChainSettings`.

    Nothing is contacted on construction; the first call reports an unreachable node.
    Raises ValueError (:class:`~anchors.errors.InvalidChainSettings` for the profile's
    settings) for a bad argument.
    """

    def __init__(
        self,
        url: str,
        confirmations: int = 0,
        timeout: float = 30.0,
        *,
        poll_interval: float = 0.1,
        poa: bool = False,
        fee_mode: str = "auto",
        gas_price_wei: int | None = None,
        priority_fee_wei: int | None = None,
        funding: str = "dev",
        funder: LocalAccount | None = None,
    ) -> None:
        if isinstance(confirmations, bool) or not isinstance(confirmations, int):
            raise ValueError("confirmations must be an integer")
        if confirmations < 0:
            raise ValueError("confirmations must not be negative")
        if timeout <= 0 or poll_interval <= 0:
            raise ValueError("timeout and poll_interval must be positive")
        if fee_mode not in FEE_MODES:
            raise InvalidChainSettings(f"fee_mode {fee_mode!r}: choose one of {FEE_MODES}")
        if fee_mode == "fixed" and not gas_price_wei:
            raise InvalidChainSettings("fee_mode 'fixed' needs a positive gas_price_wei")
        if funding not in FUNDING_MODES:
            raise InvalidChainSettings(f"funding {funding!r}: choose one of {FUNDING_MODES}")
        if funding == "funder" and funder is None:
            raise InvalidChainSettings("funding 'funder' needs the funder account")
        # web3 asks eth_chainId twice for every eth_call it builds; an endpoint's chain id
        # does not change, so it is asked once (a contract call is then one request).
        provider = HTTPProvider(
            url,
            request_kwargs={"timeout": timeout},
            exception_retry_configuration=None,
            cache_allowed_requests=True,
            cacheable_requests={RPCEndpoint("eth_chainId")},
        )
        w3 = Web3(provider)
        if poa:
            w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
        super().__init__(
            w3,
            timeout=timeout,
            fee_mode=fee_mode,
            gas_price_wei=gas_price_wei,
            priority_fee_wei=priority_fee_wei,
        )
        self.url = url
        self.confirmations = confirmations
        self.funding = funding
        self._funder = funder
        self._poll = poll_interval

    @classmethod
    def from_settings(cls, settings: ChainSettings) -> RpcChain:
        """The client a chain profile describes.

        Raises :class:`~anchors.errors.InvalidChainSettings` when ``settings.url`` is not
        a JSON-RPC URL (``embedded`` lives in one process: build an EmbeddedChain).
        """
        if settings.url == "embedded":
            raise InvalidChainSettings(
                "the embedded chain lives in one process; give a JSON-RPC URL for RpcChain"
            )
        funder: LocalAccount | None = (
            Account.from_key(settings.funder_key_hex) if settings.funder_key_hex else None
        )
        return cls(
            settings.url,
            settings.confirmations,
            settings.timeout_seconds,
            poll_interval=settings.poll_seconds,
            poa=settings.poa,
            fee_mode=settings.fee_mode,
            gas_price_wei=settings.gas_price_wei,
            priority_fee_wei=settings.priority_fee_wei,
            funding=settings.funding,
            funder=funder,
        )

    def _read(self, fn: ContractFunction, block: int, data: str) -> Any:
        """One pinned ``eth_call`` sent as it is and decoded with the function's ABI,
        without web3's per-call request pipeline (argument binding, validation and
        formatting middleware, output normalizers): a third of the time per call. The
        answer has web3's shape (one output as itself, several as a list, tuples as
        tuples, arrays as lists, addresses checksummed). Anything but a plain answer (an
        error, a revert, empty or undecodable return data) is asked again through web3,
        which raises what it means."""
        response = self._w3.provider.make_request(
            RPCEndpoint("eth_call"), [{"to": fn.address, "data": data}, hex(block)]
        )
        result = response.get("result")
        outputs = _output_types(fn)
        if "error" in response or not isinstance(result, str) or (outputs and len(result) <= 2):
            return fn.call(block_identifier=block)
        try:
            decoded = abi_decode(outputs, HexBytes(result))
        except (DecodingError, ValueError):
            return fn.call(block_identifier=block)
        values = [_web3_shape(_abi_type(t), v) for t, v in zip(outputs, decoded, strict=True)]
        return values[0] if len(values) == 1 else values

    def _priority_fee(self) -> int:
        try:
            return int(self._w3.eth.max_priority_fee)
        except Exception:  # nodes without eth_maxPriorityFeePerGas
            return DEFAULT_TIP_WEI

    def _poll_interval(self) -> float:
        return self._poll

    def _confirmed(self, receipt: TxReceipt) -> bool:
        if self.confirmations == 0:
            return True
        mined_in = int(receipt["blockNumber"])
        latest = int(self._guard("reading the block number", lambda: self._w3.eth.block_number))
        if latest - mined_in < self.confirmations:
            return False
        block = self._guard("reading a block", lambda: self._w3.eth.get_block(mined_in))
        return bytes(block["hash"]) == bytes(receipt["blockHash"])

    # -- dev-chain helpers -----------------------------------------------------------

    def rpc(self, method: str, *params: Any) -> Any:
        """Send one raw JSON-RPC request; returns its result.

        Raises :class:`~anchors.errors.ChainError` when the node answers with an error
        (e.g. a method it does not support), ChainUnavailable when it cannot be reached.
        """
        response = self._guard(
            method, lambda: self._w3.provider.make_request(RPCEndpoint(method), list(params))
        )
        if "error" in response:
            error = response["error"]
            message = error.get("message", error) if isinstance(error, dict) else error
            raise ChainError(f"{method} refused: {message}")
        return response.get("result")

    def new_account(self, fund_wei: int = DEFAULT_FUNDING_WEI) -> LocalAccount:
        """A fresh local account, given ``fund_wei`` (default
        :data:`~anchors.chain.DEFAULT_FUNDING_WEI`) as the profile's ``funding`` says:
        ``dev`` and ``funder`` fund it, ``none`` leaves it empty (free-gas chains).

        Raises :class:`~anchors.errors.ChainError` when funding fails (e.g. ``dev`` on a
        node without ``*_setBalance`` or unlocked accounts, a funder without the money).
        """
        return super().new_account(0 if self.funding == "none" else fund_wei)

    def _fund(self, address: ChecksumAddress, wei: int) -> None:
        if self.funding == "funder":
            assert self._funder is not None
            self._transfer(self._funder, address, wei)
            return
        self._fund_dev(address, wei)

    def _fund_dev(self, address: ChecksumAddress, wei: int) -> None:
        """Fund a dev account: anvil/hardhat ``*_setBalance``, else an unlocked account."""
        current = self.balance(address)
        for method in ("anvil_setBalance", "hardhat_setBalance"):
            try:
                self.rpc(method, address, hex(current + wei))
            except ChainError:
                continue
            return
        unlocked = self._guard("listing accounts", lambda: self._w3.eth.accounts)
        if not unlocked:
            raise ChainError(
                f"cannot fund {address}: the node has no setBalance method and no unlocked "
                "account; fund it yourself or call new_account(fund_wei=0)"
            )
        tx_hash = self._guard(
            "funding a new account",
            lambda: self._w3.eth.send_transaction(
                {"from": unlocked[0], "to": address, "value": self._w3.to_wei(wei, "wei")}
            ),
        )
        receipt = self._await_receipt(HexBytes(tx_hash), "funding transfer")
        if receipt["status"] != 1:
            raise ChainError(f"funding {address} failed")

    def mine(self, blocks: int = 1) -> None:
        """Mine ``blocks`` blocks (dev chains: anvil, hardhat)."""
        for _ in range(blocks):
            self.rpc("evm_mine")

    def advance_time(self, seconds: int) -> int:
        """Move chain time forward by ``seconds`` and mine a block (dev chains); returns
        the new latest block's timestamp."""
        if seconds < 1:
            raise ValueError("seconds must be positive")
        self.rpc("evm_increaseTime", seconds)
        self.rpc("evm_mine")
        return self.block_timestamp()

    def wait_until_ready(self, timeout: float) -> int:
        """Poll until the node answers; returns its chain id. Raises ChainUnavailable."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.chain_id
            except ChainError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.1)


@functools.lru_cache(maxsize=1024)
def _output_types_of(abi_json: str) -> tuple[str, ...]:
    return tuple(get_abi_output_types(json.loads(abi_json)))


def _output_types(fn: ContractFunction) -> tuple[str, ...]:
    """The canonical output types of ``fn`` (``(uint64,bytes32)`` for a struct)."""
    return _output_types_of(json.dumps(fn.abi, sort_keys=True))


@functools.lru_cache(maxsize=1024)
def _abi_type(text: str) -> ABIType:
    """An ABI type string parsed (cached: a handful of types recur)."""
    parsed: ABIType = _parse_abi_type(text)
    return parsed


def _web3_shape(kind: ABIType, value: Any) -> Any:
    """``value`` as decoded by eth_abi, in the shape web3 gives a call's output: arrays
    as lists, tuples as tuples, addresses checksummed, everything else as it is."""
    if kind.is_array:
        item = kind.item_type
        return [_web3_shape(item, v) for v in value]
    if isinstance(kind, TupleType):
        return tuple(_web3_shape(c, v) for c, v in zip(kind.components, value, strict=True))
    if isinstance(kind, BasicType) and kind.base == "address":
        return Web3.to_checksum_address(value)
    return value
