"""The chain client interface and the transaction machinery both implementations share.

Transactions are built from a contract function, gas-estimated, priced by the profile's
fee mode (EIP-1559, legacy, fixed or zero gas price: :data:`~anchors.chain.FEE_MODES`),
signed locally by an eth_account ``LocalAccount`` and sent raw, so the same code runs on
the embedded chain, anvil, Hardhat and a production node. Every exception from web3 or
the transport is wrapped in the :mod:`anchors.errors` tree here; revert data is found
wherever the client put it (:func:`~anchors.chain.revert_data`).
"""

from __future__ import annotations

import ast
import contextlib
import copy
import re
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast, runtime_checkable

import requests
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils.exceptions import ValidationError as EvmValidationError
from hexbytes import HexBytes
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractEvent, ContractFunction
from web3.exceptions import (
    BadFunctionCallOutput,
    ContractLogicError,
    ProviderConnectionError,
    TimeExhausted,
    TransactionNotFound,
    Web3Exception,
    Web3RPCError,
)
from web3.types import BlockIdentifier, EventData, Nonce, TxParams, TxReceipt, Wei

from anchors.chain._revert import Revert, decode_revert, revert_data, revert_named_in
from anchors.chain._time import block_time_seconds
from anchors.errors import ChainError, ChainUnavailable, ContractNotFound, TransactionReverted
from contracts import Artifact, ArtifactNotFound, load_artifact

DEFAULT_FUNDING_WEI = 10 * 10**18
"""What :meth:`ChainClient.new_account` gives a new dev account unless told otherwise."""

_GAS_MARGIN_NUM, _GAS_MARGIN_DEN = 6, 5  # send 120 % of the estimate
DEFAULT_TIP_WEI = 10**9
"""The EIP-1559 tip paid when neither the profile nor the node names one (1 gwei)."""
# How clients word a revert when web3 does not recognise the error as one (Besu's
# "Execution reverted", ganache's "VM Exception while processing transaction: revert").
_SAYS_REVERTED = re.compile(r"\brevert(ed)?\b", re.IGNORECASE)

T = TypeVar("T")

# What nodes (and eth-tester/py-evm in process) raise when they refuse a request: bad
# parameters, an unaffordable transaction, a nonce conflict, an unsupported method.
_NODE_REFUSALS = (
    Web3RPCError,
    Web3Exception,
    EvmValidationError,
    ValueError,
    TypeError,
)


@runtime_checkable
class ChainClient(Protocol):
    """What Tanji needs from an Ethereum-compatible chain.

    Implementations: :class:`~anchors.chain.EmbeddedChain` (in process) and
    :class:`~anchors.chain.RpcChain` (any JSON-RPC endpoint). Every method raises only
    :class:`~anchors.errors.ChainError` subclasses for chain or transport trouble.
    """

    @property
    def chain_id(self) -> int: ...

    @property
    def w3(self) -> Web3: ...

    def deploy(self, name: str, *args: Any, sender: LocalAccount) -> ChecksumAddress: ...

    def contract(self, name: str, address: str) -> Contract: ...

    def transact(self, fn: ContractFunction, sender: LocalAccount) -> TxReceipt: ...

    def call(self, fn: ContractFunction, block: BlockIdentifier = "latest") -> Any: ...

    def logs(
        self,
        event: ContractEvent,
        from_block: BlockIdentifier = 0,
        argument_filters: dict[str, Any] | None = None,
    ) -> list[EventData]: ...

    def new_account(self, fund_wei: int = DEFAULT_FUNDING_WEI) -> LocalAccount: ...

    def block_timestamp(self, block: BlockIdentifier = "latest") -> int: ...

    def block_number(self) -> int: ...

    def block_hash(self, number: int) -> bytes: ...

    def pinned_reads(self) -> contextlib.AbstractContextManager[BlockRef]: ...


@dataclass(frozen=True)
class BlockRef:
    """One block: what :meth:`BaseChain.pinned_reads` pins reads to."""

    number: int
    hash: bytes
    timestamp: int
    """Chain time, UNIX seconds (:func:`~anchors.chain.block_time_seconds`)."""


READ_MEMO_ENTRIES = 4096
"""Contract reads remembered per chain client, by (block hash, contract, call data)."""


def revert_from_exception(exc: BaseException) -> Revert | None:
    """The decoded revert a web3 exception carries: from its ``data``, from the raw
    JSON-RPC error (``rpc_response``) or its arguments, wherever the client put the revert
    data; failing that, the error its message names (Hardhat). None when there is none."""
    data = getattr(exc, "data", None)
    if isinstance(data, bytes | bytearray):
        return decode_revert(bytes(data))
    response = getattr(exc, "rpc_response", None)
    sources: list[object] = [data]
    if isinstance(response, dict):
        sources.append(response.get("error"))
    sources.extend(exc.args)
    for source in sources:
        found = revert_data(source)
        if found is not None:
            return decode_revert(found)
    texts = [str(getattr(exc, "message", "") or ""), str(exc)]
    if isinstance(data, dict):
        texts.append(str(data.get("message", "")))
    for text in texts:
        named = revert_named_in(text)
        if named is not None:
            return named
    return None


def _embedded_errors(*names: str) -> tuple[type[BaseException], ...]:
    """eth-tester's and py-evm's exception classes (``module:Class``), for those already
    loaded: only the embedded chain raises them, and importing eth-tester just to name
    them costs a JSON-RPC process (a node, the tanji command) about 0.5 s at start."""
    found: list[type[BaseException]] = []
    for name in names:
        module, cls = name.split(":")
        loaded = sys.modules.get(module)
        if loaded is not None:
            found.append(getattr(loaded, cls))
    return tuple(found)


def _evm_revert() -> tuple[type[BaseException], ...]:
    """eth-tester's ``TransactionFailed`` and py-evm's ``Revert``, where loaded."""
    return _embedded_errors("eth_tester.exceptions:TransactionFailed", "eth.exceptions:Revert")


def _tester_revert(exc: BaseException) -> tuple[bool, Revert | None]:
    """Whether ``exc`` is eth-tester's report of a revert, and the revert it carries.

    web3's EthereumTesterProvider re-raises eth-tester's ``TransactionFailed`` with the
    revert data turned into text; the raw bytes survive in the exception chain.
    """
    seen: BaseException | None = exc
    found = False
    while seen is not None:
        if isinstance(seen, _evm_revert()):
            found = True
            arg = seen.args[0] if seen.args else None
            if isinstance(arg, Exception) and arg.args:
                arg = arg.args[0]
            if isinstance(arg, str):
                arg = _bytes_literal(arg.removeprefix("execution reverted: "))
            if isinstance(arg, bytes):
                return True, decode_revert(arg)
        seen = seen.__cause__ or seen.__context__
    return found, None


def _bytes_literal(text: str) -> bytes | None:
    """The value of a Python bytes literal (how eth-tester prints revert data), or None."""
    if not text.startswith(("b'", 'b"')):
        return None
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, bytes) else None


def _is_transport_error(exc: BaseException) -> bool:
    return isinstance(
        exc,
        requests.exceptions.RequestException
        | ProviderConnectionError
        | ConnectionError
        | TimeoutError
        | OSError,
    )


class BaseChain:
    """The transaction machinery shared by the embedded and the JSON-RPC client.

    Subclasses provide the :class:`~web3.Web3` instance, receipt waiting and funding.
    """

    def __init__(
        self,
        w3: Web3,
        *,
        timeout: float,
        fee_mode: str = "auto",
        gas_price_wei: int | None = None,
        priority_fee_wei: int | None = None,
    ) -> None:
        self._w3 = w3
        self._timeout = timeout
        self._fee_mode = fee_mode
        self._gas_price = gas_price_wei
        self._tip = priority_fee_wei
        self._nonce_lock = threading.Lock()
        self._nonces: dict[str, int] = {}
        self._in_flight: dict[str, int] = {}
        self._chain_id: int | None = None
        self._pins = threading.local()
        self._memo_lock = threading.Lock()
        self._memo: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    # -- properties ------------------------------------------------------------------

    @property
    def w3(self) -> Web3:
        """The underlying web3 instance (calls through it are not wrapped)."""
        return self._w3

    @property
    def chain_id(self) -> int:
        """The chain id (EIP-155), read once."""
        if self._chain_id is None:
            self._chain_id = self._guard("reading the chain id", lambda: self._w3.eth.chain_id)
        return self._chain_id

    # -- error wrapping --------------------------------------------------------------

    def _guard(self, what: str, action: Callable[[], T]) -> T:
        """Run ``action``, turning any web3/transport exception into a ChainError."""
        try:
            return action()
        except ChainError:
            raise
        except ContractLogicError as exc:
            revert = revert_from_exception(exc)
            reason = revert.name if revert else _logic_message(exc)
            shown = revert.describe() if revert else reason
            raise TransactionReverted(f"{what} reverted: {shown}", reason=reason) from exc
        except _evm_revert() as exc:
            _, revert = _tester_revert(exc)
            reason = revert.name if revert else str(exc).removeprefix("execution reverted: ")
            shown = revert.describe() if revert else reason
            raise TransactionReverted(f"{what} reverted: {shown}", reason=reason) from exc
        except BadFunctionCallOutput as exc:
            raise ContractNotFound(f"{what}: no contract answered ({exc})") from exc
        except Exception as exc:
            if _is_transport_error(exc):
                raise ChainUnavailable(f"{what}: chain unreachable ({exc})") from exc
            if isinstance(
                exc, (*_NODE_REFUSALS, *_embedded_errors("eth_tester.exceptions:ValidationError"))
            ):
                # A revert web3 did not recognise as one (another client's error shape).
                revert = revert_from_exception(exc)
                if revert is not None or _SAYS_REVERTED.search(_rpc_message(exc)):
                    reason = revert.name if revert else _rpc_message(exc)
                    shown = revert.describe() if revert else reason
                    raise TransactionReverted(f"{what} reverted: {shown}", reason=reason) from exc
                raise ChainError(f"{what} failed: {exc}") from exc
            raise

    # -- contracts -------------------------------------------------------------------

    def contract(self, name: str, address: str) -> Contract:
        """The contract ``name`` (an artifact) at ``address``.

        Raises :class:`ContractNotFound` for an unknown artifact, a malformed address, or
        an address without code.
        """
        try:
            artifact = load_artifact(name)
        except ArtifactNotFound as exc:
            raise ContractNotFound(str(exc)) from exc
        if not Web3.is_address(address):
            raise ContractNotFound(f"{address!r} is not an address")
        checksum = Web3.to_checksum_address(address)
        code = self._guard(f"reading code at {checksum}", lambda: self._w3.eth.get_code(checksum))
        if len(code) == 0:
            raise ContractNotFound(f"no contract code at {checksum} (expected {name})")
        return self._w3.eth.contract(address=checksum, abi=list(artifact.abi))

    def deploy(self, name: str, *args: Any, sender: LocalAccount) -> ChecksumAddress:
        """Deploy the artifact ``name`` with constructor ``args``, sent by ``sender``.

        Returns the new contract's address once the receipt is awaited. Raises
        :class:`ContractNotFound` for an unknown artifact, :class:`TransactionReverted`
        when the constructor reverts, :class:`ChainUnavailable` on transport trouble.
        """
        try:
            artifact = load_artifact(name)
        except ArtifactNotFound as exc:
            raise ContractNotFound(str(exc)) from exc
        return self.deploy_artifact(artifact, *args, sender=sender)

    def deploy_artifact(
        self, artifact: Artifact, *args: Any, sender: LocalAccount
    ) -> ChecksumAddress:
        """Deploy a compiled contract that is not among Tanji's artifacts (e.g. a
        benchmark baseline); errors as for :meth:`deploy`."""
        factory = self._w3.eth.contract(abi=list(artifact.abi), bytecode=artifact.bytecode)
        receipt = self._send(factory.constructor(*args), sender, f"deploying {artifact.name}")
        address = receipt["contractAddress"]
        if address is None:
            raise ChainError(f"deploying {artifact.name}: the receipt names no contract address")
        return Web3.to_checksum_address(address)

    def transact(self, fn: ContractFunction, sender: LocalAccount) -> TxReceipt:
        """Sign ``fn`` as a transaction from ``sender``, send it raw and await its receipt.

        Guarantees a successful (status 1) receipt with the configured confirmations.
        Raises :class:`TransactionReverted` (``reason`` = the decoded error name or revert
        string) when estimation or execution reverts; nothing is sent when estimation
        already reverts. Raises :class:`ChainUnavailable` on transport trouble.
        """
        return self._send(fn, sender, f"{fn.fn_name}")

    # -- reads pinned to one block -----------------------------------------------------

    @contextmanager
    def pinned_reads(self) -> Iterator[BlockRef]:
        """Pin this thread's reads to the latest block until the block ends: ``call``,
        ``logs``, ``block_number`` and ``block_timestamp`` at ``"latest"`` read that block,
        so everything read inside sees one state of the chain.

        A contract call's answer at a block never changes, so pinned calls are remembered
        by (block hash, contract, call data) across pins (at most
        :data:`READ_MEMO_ENTRIES`): while no new block is mined, a second pin costs one
        request (the latest block's header). A reorganisation changes the hash, so nothing
        remembered from a dropped block is answered. Nested pins keep the outer block.
        Raises :class:`ChainUnavailable` when the latest block cannot be read.
        """
        outer: BlockRef | None = getattr(self._pins, "ref", None)
        if outer is not None:
            yield outer
            return
        header = self._guard("reading the latest block", lambda: self._w3.eth.get_block("latest"))
        ref = BlockRef(
            int(header["number"]),
            bytes(header["hash"]),
            block_time_seconds(int(header["timestamp"])),
        )
        self._pins.ref = ref
        try:
            yield ref
        finally:
            self._pins.ref = None

    def _pin(self) -> BlockRef | None:
        return cast("BlockRef | None", getattr(self._pins, "ref", None))

    def _remembered(self, key: tuple[Any, ...], read: Callable[[], T]) -> T:
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return cast(T, copy.deepcopy(self._memo[key]))
        value = read()
        with self._memo_lock:
            self._memo[key] = copy.deepcopy(value)
            while len(self._memo) > READ_MEMO_ENTRIES:
                self._memo.popitem(last=False)
        return value

    def block_number(self) -> int:
        """The latest block's number (the pinned block's inside :meth:`pinned_reads`)."""
        pin = self._pin()
        if pin is not None:
            return pin.number
        return int(self._guard("reading the block number", lambda: self._w3.eth.block_number))

    def block_hash(self, number: int) -> bytes:
        """The hash of block ``number``."""
        pin = self._pin()
        if pin is not None and number == pin.number:
            return pin.hash

        def read() -> bytes:
            header = self._guard(f"reading block {number}", lambda: self._w3.eth.get_block(number))
            return bytes(header["hash"])

        if pin is not None and number < pin.number:
            return self._remembered((pin.hash, "hash", number), read)
        return read()

    def call(self, fn: ContractFunction, block: BlockIdentifier = "latest") -> Any:
        """Call the view ``fn`` at ``block``; errors wrapped as for :meth:`transact`.
        Inside :meth:`pinned_reads`, ``"latest"`` is the pinned block and the answer may
        come from memory."""
        pin = self._pin()
        if pin is None or block != "latest":
            return self._guard(f"calling {fn.fn_name}", lambda: fn.call(block_identifier=block))
        data = fn._encode_transaction_data()
        return self._remembered(
            (pin.hash, str(fn.address), data),
            lambda: self._guard(f"calling {fn.fn_name}", lambda: self._read(fn, pin.number, data)),
        )

    def _read(self, fn: ContractFunction, block: int, data: str) -> Any:
        """A pinned call's answer at ``block`` (``data``: its encoded call data, as web3
        would send it). :class:`~anchors.chain.RpcChain` sends it leaner."""
        return fn.call(block_identifier=block)

    def logs(
        self,
        event: ContractEvent,
        from_block: BlockIdentifier = 0,
        argument_filters: dict[str, Any] | None = None,
    ) -> list[EventData]:
        """The decoded logs of ``event`` from ``from_block`` to the latest block whose
        indexed arguments match ``argument_filters``, oldest first."""
        pin = self._pin()
        to_block: BlockIdentifier = "latest" if pin is None else pin.number
        found = self._guard(
            f"reading {event.event_name} events",
            lambda: event.get_logs(
                from_block=from_block, to_block=to_block, argument_filters=argument_filters
            ),
        )
        return list(found)

    def block_timestamp(self, block: BlockIdentifier = "latest") -> int:
        """The time of ``block`` in UNIX seconds (chain time), also on a chain that stamps
        blocks in milliseconds (:func:`~anchors.chain.block_time_seconds`)."""
        pin = self._pin()
        if pin is not None and block in ("latest", pin.number):
            return pin.timestamp

        def read() -> int:
            header = self._guard(f"reading block {block!r}", lambda: self._w3.eth.get_block(block))
            return block_time_seconds(int(header["timestamp"]))

        if pin is not None and isinstance(block, int) and block < pin.number:
            return self._remembered((pin.hash, "time", block), read)
        return read()

    def balance(self, address: str) -> int:
        """The balance of ``address`` in wei."""
        checksum = Web3.to_checksum_address(address)
        return int(self._guard("reading a balance", lambda: self._w3.eth.get_balance(checksum)))

    # -- sending ---------------------------------------------------------------------

    def _fees(self) -> dict[str, int]:
        """The price fields of a transaction, by fee mode (see FEE_MODES)."""
        mode = self._fee_mode
        if mode == "zero":
            return {"gasPrice": 0}
        if mode == "fixed" or (mode == "legacy" and self._gas_price is not None):
            assert self._gas_price is not None
            return {"gasPrice": self._gas_price}
        if mode == "legacy":
            return {"gasPrice": self._node_gas_price()}
        latest = self._guard("reading the latest block", lambda: self._w3.eth.get_block("latest"))
        base = latest.get("baseFeePerGas")
        if base is None:
            if mode == "eip1559":
                raise ChainError(
                    "fee mode eip1559: the chain's blocks carry no base fee (no London "
                    "milestone); set the fee mode to legacy, fixed or zero"
                )
            return {"gasPrice": self._node_gas_price()}
        tip = self._tip if self._tip is not None else self._priority_fee()
        return {"maxFeePerGas": 2 * int(base) + tip, "maxPriorityFeePerGas": tip}

    def _node_gas_price(self) -> int:
        return int(self._guard("reading the gas price", lambda: self._w3.eth.gas_price))

    def _priority_fee(self) -> int:
        """The tip when the profile names none (the JSON-RPC client asks the node)."""
        return DEFAULT_TIP_WEI

    @contextmanager
    def _nonce(self, address: str) -> Iterator[int]:
        """Hand out the account's next nonce; forget the cache when sending fails.

        The node's count is read afresh whenever no transaction of the account is in
        flight here, so a transaction dropped by a reorganisation, or one sent by another
        client, never leaves a gap; the cache only spans concurrent sends."""
        with self._nonce_lock:
            if not self._in_flight.get(address):
                self._nonces.pop(address, None)
            if address not in self._nonces:
                self._nonces[address] = int(
                    self._guard(
                        "reading a nonce",
                        lambda: self._w3.eth.get_transaction_count(
                            Web3.to_checksum_address(address), "pending"
                        ),
                    )
                )
            nonce = self._nonces[address]
            try:
                yield nonce
            except BaseException:
                self._nonces.pop(address, None)
                raise
            self._nonces[address] = nonce + 1
            self._in_flight[address] = self._in_flight.get(address, 0) + 1

    def _forget_nonces(self) -> None:
        """Forget cached nonces: the next transaction reads the node's count afresh."""
        with self._nonce_lock:
            self._nonces.clear()

    def _send(self, fn: Any, sender: LocalAccount, what: str) -> TxReceipt:
        params: TxParams = {"from": sender.address, "chainId": self.chain_id}
        params.update(self._fees())  # type: ignore[typeddict-item]
        params["gas"] = self._gas_limit(fn, params, what)
        tx, tx_hash = self._submit(fn, params, sender, what)
        receipt = self._awaited(HexBytes(tx_hash), sender, what)
        if receipt["status"] != 1:
            raise self._reverted(tx, receipt, what)
        return receipt

    def _submit(
        self, fn: Any, params: TxParams, sender: LocalAccount, what: str
    ) -> tuple[TxParams, HexBytes]:
        """Sign and send with the account's next nonce (``fn`` None: ``params`` is the whole
        transaction). Another client sending from the same account while ours are in
        flight makes the cached nonce stale; the cache is dropped on failure, so one retry
        reads the node's count afresh."""
        try:
            return self._sign_and_send(fn, params, sender, what)
        except ChainError as exc:
            if isinstance(exc, ChainUnavailable) or "nonce" not in str(exc).lower():
                raise
        return self._sign_and_send(fn, params, sender, what)

    def _sign_and_send(
        self, fn: Any, params: TxParams, sender: LocalAccount, what: str
    ) -> tuple[TxParams, HexBytes]:
        with self._nonce(sender.address) as nonce:
            params["nonce"] = Nonce(nonce)
            tx = (
                params
                if fn is None
                else self._guard(f"building {what}", lambda: fn.build_transaction(params))
            )
            raw = sender.sign_transaction(tx).raw_transaction  # type: ignore[arg-type]
            sent = self._guard(f"sending {what}", lambda: self._w3.eth.send_raw_transaction(raw))
        return tx, HexBytes(sent)

    def _gas_limit(self, fn: Any, params: TxParams, what: str) -> int:
        """Gas for the transaction: the node's estimate plus a margin. A revert found while
        estimating is raised as TransactionReverted before anything is sent."""
        estimate = self._guard(f"estimating gas for {what}", lambda: fn.estimate_gas(params))
        return int(estimate) * _GAS_MARGIN_NUM // _GAS_MARGIN_DEN

    def _reverted(self, tx: TxParams, receipt: TxReceipt, what: str) -> TransactionReverted:
        """Replay a failed transaction as a call in its block to learn why it reverted."""
        replay = cast(
            TxParams, {k: v for k, v in tx.items() if k in ("from", "to", "data", "value", "gas")}
        )
        block = int(receipt["blockNumber"])
        try:
            # Replayed on the state after its block: what made it fail is there (e.g. a
            # competing transaction earlier in the block).
            self._guard(what, lambda: self._w3.eth.call(replay, block_identifier=block))
        except TransactionReverted as exc:
            return TransactionReverted(f"{exc} (mined in block {block})", reason=exc.reason)
        except ChainError:
            pass
        if receipt["gasUsed"] >= int(tx.get("gas", 0)):
            return TransactionReverted(f"{what} ran out of gas in block {block}", "OutOfGas")
        return TransactionReverted(f"{what} reverted in block {block}", reason=None)

    def _awaited(self, tx_hash: HexBytes, sender: LocalAccount, what: str) -> TxReceipt:
        """:meth:`_await_receipt`, counting the sender's transaction out of flight after
        (see :meth:`_nonce`)."""
        try:
            return self._await_receipt(tx_hash, what)
        finally:
            with self._nonce_lock:
                self._in_flight[sender.address] -= 1

    def _await_receipt(self, tx_hash: HexBytes, what: str) -> TxReceipt:
        """Wait until the transaction is mined (and confirmed, where configured)."""
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                receipt = self._w3.eth.get_transaction_receipt(tx_hash)
            except TransactionNotFound:
                receipt = None
            except TimeExhausted as exc:
                raise ChainUnavailable(f"{what}: timed out awaiting the receipt") from exc
            except Exception as exc:
                if _is_transport_error(exc):
                    raise ChainUnavailable(f"{what}: chain unreachable ({exc})") from exc
                raise ChainError(f"{what}: reading the receipt failed: {exc}") from exc
            if receipt is not None and self._confirmed(receipt):
                return receipt
            if time.monotonic() >= deadline:
                raise ChainUnavailable(
                    f"{what}: transaction 0x{tx_hash.hex()} not "
                    f"{'mined' if receipt is None else 'confirmed'} within {self._timeout} s"
                )
            time.sleep(self._poll_interval())

    def _confirmed(self, receipt: TxReceipt) -> bool:
        return True

    def _poll_interval(self) -> float:
        return 0.05

    # -- accounts --------------------------------------------------------------------

    def new_account(self, fund_wei: int = DEFAULT_FUNDING_WEI) -> LocalAccount:
        """A fresh local account holding ``fund_wei`` (dev chains only fund it).

        Raises :class:`ChainError` when the chain cannot fund accounts.
        """
        if fund_wei < 0:
            raise ValueError("fund_wei must not be negative")
        account: LocalAccount = Account.create()
        if fund_wei:
            self._fund(account.address, fund_wei)
        return account

    def _fund(self, address: ChecksumAddress, wei: int) -> None:
        raise ChainError("this chain cannot fund accounts")

    def _transfer(self, sender: LocalAccount, to: ChecksumAddress, wei: int) -> TxReceipt:
        """Send ``wei`` from ``sender`` to ``to`` (a plain value transfer)."""
        params: TxParams = {
            "from": sender.address,
            "to": to,
            "value": Wei(wei),
            "gas": 21_000,
            "chainId": self.chain_id,
        }
        params.update(self._fees())  # type: ignore[typeddict-item]
        _, tx_hash = self._submit(None, params, sender, "a transfer")
        receipt = self._awaited(HexBytes(tx_hash), sender, "transfer")
        if receipt["status"] != 1:
            raise TransactionReverted("transfer failed", reason=None)
        return receipt


def _rpc_message(exc: BaseException) -> str:
    """The node's error message of a web3 exception (its JSON-RPC ``error.message``)."""
    response = getattr(exc, "rpc_response", None)
    if isinstance(response, dict) and isinstance(response.get("error"), dict):
        return str(response["error"].get("message", ""))
    return str(getattr(exc, "message", "") or exc)


def _logic_message(exc: ContractLogicError) -> str:
    message = str(exc.message if getattr(exc, "message", None) else exc)
    return message.removeprefix("execution reverted: ").strip() or "execution reverted"
