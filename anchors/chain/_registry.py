"""Typed client of the AnchorRegistry contract."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from web3 import Web3
from web3.types import TxReceipt

from anchors.chain._client import ChainClient
from anchors.errors import ChainError, InvalidLogId

_LOG_ID = re.compile(r"[a-z0-9-]{1,64}")
MAX_ANCHORED_SIZE = 2**40 - 1
"""Largest tree size the AnchorRegistry accepts (``MAX_SIZE`` in the contract)."""


def log_id_key(log_id: str) -> bytes:
    """The on-chain id of a log: ``sha256(utf8(log_id))``.

    Raises :class:`~anchors.errors.InvalidLogId` unless ``log_id`` matches
    ``[a-z0-9-]{1,64}``.
    """
    if not isinstance(log_id, str) or not _LOG_ID.fullmatch(log_id):
        raise InvalidLogId(f"log id {log_id!r} must match [a-z0-9-]{{1,64}}")
    return hashlib.sha256(log_id.encode("utf-8")).digest()


@dataclass(frozen=True)
class AnchoredHead:
    """A head (size, root) of a log as anchored on chain, with its block time.

    ``index`` is the head's position in the log's sequence of anchors (0 = first).
    """

    log_id: str
    index: int
    size: int
    root: bytes
    timestamp: int

    @property
    def anchored_at(self) -> datetime:
        """The block time of the anchoring block, as an aware UTC datetime."""
        return datetime.fromtimestamp(self.timestamp, UTC)


@dataclass(frozen=True)
class AnchorRef:
    """Where a head was anchored: chain, contract, transaction and block.

    ``tx_hash`` is ``0x`` + 64 lowercase hex digits; ``contract`` a checksum address.
    """

    chain_id: int
    contract: ChecksumAddress
    tx_hash: str
    block_number: int
    log_id: str
    size: int
    root: bytes
    index: int
    timestamp: int

    @property
    def head(self) -> AnchoredHead:
        """The anchored head this reference points to."""
        return AnchoredHead(self.log_id, self.index, self.size, self.root, self.timestamp)


def _check_size(size: int) -> None:
    if isinstance(size, bool) or not isinstance(size, int) or not 0 < size <= MAX_ANCHORED_SIZE:
        raise ValueError(f"tree size must be an integer in 1..{MAX_ANCHORED_SIZE}, got {size!r}")


def _check_index(index: int) -> None:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < 2**256:
        raise ValueError(f"head index must be an integer in 0..2^256-1, got {index!r}")


def _check_hash(value: bytes, what: str) -> bytes:
    if not isinstance(value, bytes | bytearray) or len(value) != 32:
        raise ValueError(f"{what} must be 32 bytes")
    return bytes(value)


class AnchorRegistryClient:
    """The AnchorRegistry at ``address`` on ``chain``.

    Raises :class:`~anchors.errors.ContractNotFound` at construction when no contract code
    is at ``address``. Methods raise :class:`~anchors.errors.TransactionReverted` (with the
    contract's custom error name as ``reason``) when the chain refuses, and
    :class:`~anchors.errors.ChainUnavailable` on transport trouble.
    """

    def __init__(self, chain: ChainClient, address: str) -> None:
        self._chain = chain
        self._contract = chain.contract("AnchorRegistry", address)

    @property
    def chain(self) -> ChainClient:
        """The chain the registry lives on."""
        return self._chain

    @property
    def address(self) -> ChecksumAddress:
        """The registry's checksum address."""
        return self._contract.address

    def operator_registry(self) -> ChecksumAddress:
        """Address of the IOperatorRegistry this registry takes log operators from."""
        return Web3.to_checksum_address(self._chain.call(self._contract.functions.operators()))

    # -- writes ----------------------------------------------------------------------

    def create_log(self, log_id: str, sender: LocalAccount) -> str:
        """Create log ``log_id``, owned by the organisation ``sender`` operates logs for.

        Returns the transaction hash. Raises TransactionReverted with reason
        ``NotOperator`` or ``LogExists``; InvalidLogId for a malformed log id.
        """
        receipt = self._chain.transact(
            self._contract.functions.createLog(log_id_key(log_id)), sender
        )
        return _tx_hash(receipt)

    def anchor(
        self, log_id: str, size: int, root: bytes, proof: Sequence[bytes], sender: LocalAccount
    ) -> AnchorRef:
        """Anchor head (``size``, ``root``) of ``log_id`` with the RFC 9162 consistency
        ``proof`` from the latest anchored head (empty for the first head).

        Guarantees the head is on chain (receipt awaited) and returns where. Raises
        TransactionReverted with reason ``UnknownLog``, ``NotLogOperator``,
        ``SizeNotIncreasing``, ``UnexpectedProof`` or ``InconsistentHead``; ValueError for
        a size outside 1..2^40-1 or hashes that are not 32 bytes.
        """
        key = log_id_key(log_id)
        _check_size(size)
        root = _check_hash(root, "root")
        hashes = [_check_hash(h, "every consistency proof hash") for h in proof]
        receipt = self._chain.transact(
            self._contract.functions.anchor(key, size, root, hashes), sender
        )
        events = self._contract.events.Anchored().process_receipt(receipt)
        mine = [e for e in events if bytes(e["args"]["logId"]) == key]
        if len(mine) != 1:
            raise ChainError(
                f"anchoring {log_id!r} at size {size}: expected one Anchored event, "
                f"found {len(mine)}"
            )
        args = mine[0]["args"]
        return AnchorRef(
            chain_id=self._chain.chain_id,
            contract=self._contract.address,
            tx_hash=_tx_hash(receipt),
            block_number=int(receipt["blockNumber"]),
            log_id=log_id,
            size=int(args["size"]),
            root=bytes(args["root"]),
            index=int(args["index"]),
            timestamp=int(args["timestamp"]),
        )

    # -- reads -----------------------------------------------------------------------

    def log_owner(self, log_id: str) -> bytes | None:
        """The org id digest (sha256 of the org id) owning ``log_id``; None if no such log."""
        owner = bytes(self._chain.call(self._contract.functions.logOwner(log_id_key(log_id))))
        return None if owner == bytes(32) else owner

    def head_count(self, log_id: str) -> int:
        """How many heads of ``log_id`` are anchored."""
        return int(self._chain.call(self._contract.functions.headCount(log_id_key(log_id))))

    def head_at(self, log_id: str, index: int) -> AnchoredHead:
        """Head number ``index`` of ``log_id``; TransactionReverted (``HeadIndexOutOfRange``)
        when there is no such head, ValueError for an index that is not a uint256."""
        _check_index(index)
        size, root, timestamp = self._chain.call(
            self._contract.functions.headAt(log_id_key(log_id), index)
        )
        return AnchoredHead(log_id, index, int(size), bytes(root), int(timestamp))

    def heads(self, log_id: str) -> list[AnchoredHead]:
        """Every anchored head of ``log_id``, oldest first."""
        return [self.head_at(log_id, i) for i in range(self.head_count(log_id))]

    def latest(self, log_id: str) -> AnchoredHead | None:
        """The latest anchored head of ``log_id``; None when nothing is anchored."""
        return self._head(log_id, self._contract.functions.latest(log_id_key(log_id)))

    def first_at_or_above(self, log_id: str, size: int) -> AnchoredHead | None:
        """The first anchored head of ``log_id`` whose size is at least ``size``
        (the head that first covered leaf ``size - 1``); None when none is."""
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size < 2**64:
            raise ValueError(f"size must be an integer in 0..2^64-1, got {size!r}")
        return self._head(log_id, self._contract.functions.firstAtOrAbove(log_id_key(log_id), size))

    def find_anchor(self, log_id: str, index: int, from_block: int = 0) -> AnchorRef | None:
        """Where head ``index`` of ``log_id`` was anchored, from its Anchored event (searched
        from ``from_block``); None when no such event is found. ValueError for an index
        that is not a uint256."""
        key = log_id_key(log_id)
        _check_index(index)
        logs = self._chain.logs(
            self._contract.events.Anchored(),
            from_block=from_block,
            argument_filters={"logId": key, "index": index},
        )
        if not logs:
            return None
        found = logs[-1]
        args = found["args"]
        return AnchorRef(
            chain_id=self._chain.chain_id,
            contract=self._contract.address,
            tx_hash="0x" + bytes(found["transactionHash"]).hex(),
            block_number=int(found["blockNumber"]),
            log_id=log_id,
            size=int(args["size"]),
            root=bytes(args["root"]),
            index=int(args["index"]),
            timestamp=int(args["timestamp"]),
        )

    def _head(self, log_id: str, fn: Any) -> AnchoredHead | None:
        index, size, root, timestamp = self._chain.call(fn)
        if int(size) == 0:
            return None
        return AnchoredHead(log_id, int(index), int(size), bytes(root), int(timestamp))


def _tx_hash(receipt: TxReceipt) -> str:
    return "0x" + bytes(receipt["transactionHash"]).hex()
