"""An in-process chain: eth-tester over py-evm, through web3's EthereumTesterProvider."""

from __future__ import annotations

from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_tester import EthereumTester, PyEVMBackend
from eth_typing import ChecksumAddress
from web3 import EthereumTesterProvider, Web3
from web3.types import TxParams

from anchors.chain._client import BaseChain
from anchors.errors import ChainError

_EMBEDDED_GAS = 10_000_000


class EmbeddedChain(BaseChain):
    """A fresh private chain in this process (eth-tester + py-evm), mining one block per
    transaction. Its prefunded accounts fund :meth:`new_account`; contracts are deployed
    from the committed artifacts with :meth:`deploy`.

    Not thread-safe beyond nonce handling: use it from one thread.
    """

    def __init__(self) -> None:
        backend = PyEVMBackend()
        self._tester = EthereumTester(backend)
        super().__init__(Web3(EthereumTesterProvider(self._tester)), timeout=10.0)
        keys = backend.account_keys
        if not keys:
            raise ChainError("eth-tester has no prefunded account")
        self._faucet: LocalAccount = Account.from_key(keys[0].to_bytes())

    def _gas_limit(self, fn: Any, params: TxParams, what: str) -> int:
        """A fixed allowance instead of an estimate: py-evm estimates by re-executing the
        transaction a dozen times. A transaction that reverts is mined with status 0 and
        then replayed as a call to name the error (TransactionReverted, as elsewhere).
        Gas used (receipts) does not depend on the allowance."""
        return _EMBEDDED_GAS

    def _fund(self, address: ChecksumAddress, wei: int) -> None:
        self._transfer(self._faucet, address, wei)

    def advance_time(self, seconds: int) -> int:
        """Mine a block about ``seconds`` after the latest one; returns its timestamp.

        Raises ValueError for a ``seconds`` below 1.
        """
        if seconds < 1:
            raise ValueError("seconds must be positive")
        # py-evm mines the travelled-to block one second before the target it is given.
        self._tester.time_travel(self.block_timestamp() + seconds + 1)
        return self.block_timestamp()

    def mine(self, blocks: int = 1) -> None:
        """Mine ``blocks`` empty blocks."""
        self._tester.mine_blocks(blocks)

    def snapshot(self) -> int:
        """Record the chain state; :meth:`revert_to` returns to it."""
        return int(self._tester.take_snapshot())

    def revert_to(self, snapshot: int) -> None:
        """Return the chain to a state recorded by :meth:`snapshot` (later blocks vanish)."""
        self._tester.revert_to_snapshot(snapshot)
        self._forget_nonces()
