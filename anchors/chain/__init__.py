"""The chain edge of :mod:`anchors`: chain clients, the AnchorRegistry client, anchor checks.

One interface, :class:`ChainClient`, two implementations: :class:`EmbeddedChain`
(eth-tester + py-evm in process) and :class:`RpcChain` (any JSON-RPC endpoint, e.g. anvil
or a Hardhat node, which :func:`start_anvil` / :func:`start_hardhat` launch locally).
:class:`ChainSettings` is a chain profile (fee mode, proof-of-authority headers,
confirmations, account funding) that the node and the command line build from the same
``TANJI_CHAIN_*`` settings. Chain time is in UNIX seconds everywhere, also on chains that
stamp blocks in milliseconds (:func:`block_time_seconds`). :class:`AnchorRegistryClient`
reads and writes anchored heads; :func:`verify_anchored` checks a head against them.
Every web3 or transport error is wrapped in :mod:`anchors.errors`.
"""

from __future__ import annotations

import typing

from anchors.chain._anvil import (
    HARDHAT_CONFIG,
    AnvilProcess,
    find_anvil,
    find_hardhat,
    start_anvil,
    start_hardhat,
)
from anchors.chain._client import (
    DEFAULT_FUNDING_WEI,
    DEFAULT_TIP_WEI,
    READ_MEMO_ENTRIES,
    BaseChain,
    BlockRef,
    ChainClient,
)
from anchors.chain._registry import (
    MAX_ANCHORED_SIZE,
    AnchoredHead,
    AnchorRef,
    AnchorRegistryClient,
    log_id_key,
)
from anchors.chain._revert import Revert, decode_revert, revert_data, revert_named_in
from anchors.chain._rpc import RpcChain
from anchors.chain._settings import FEE_MODES, FUNDING_MODES, ChainSettings
from anchors.chain._time import MILLISECONDS_FROM, block_time_seconds, later_of
from anchors.chain._verify import AnchorReader, ConsistencyProver, verify_anchored

if typing.TYPE_CHECKING:
    from anchors.chain._embedded import EmbeddedChain


def __getattr__(name: str) -> typing.Any:
    # The embedded chain pulls in eth-tester and py-evm (about 0.3 s); a process that
    # talks JSON-RPC only (a node, the tanji command) never loads them.
    if name == "EmbeddedChain":
        from anchors.chain._embedded import EmbeddedChain

        globals()[name] = EmbeddedChain
        return EmbeddedChain
    raise AttributeError(f"module 'anchors.chain' has no attribute {name!r}")


__all__ = [
    "DEFAULT_FUNDING_WEI",
    "DEFAULT_TIP_WEI",
    "FEE_MODES",
    "FUNDING_MODES",
    "HARDHAT_CONFIG",
    "MAX_ANCHORED_SIZE",
    "MILLISECONDS_FROM",
    "READ_MEMO_ENTRIES",
    "AnchorReader",
    "AnchorRef",
    "AnchorRegistryClient",
    "AnchoredHead",
    "AnvilProcess",
    "BaseChain",
    "BlockRef",
    "ChainClient",
    "ChainSettings",
    "ConsistencyProver",
    "EmbeddedChain",
    "Revert",
    "RpcChain",
    "block_time_seconds",
    "decode_revert",
    "find_anvil",
    "find_hardhat",
    "later_of",
    "log_id_key",
    "revert_data",
    "revert_named_in",
    "start_anvil",
    "start_hardhat",
    "verify_anchored",
]
