"""The chain edge of :mod:`anchors`: chain clients, the AnchorRegistry client, anchor checks.

One interface, :class:`ChainClient`, two implementations: :class:`EmbeddedChain`
(eth-tester + py-evm in process) and :class:`RpcChain` (any JSON-RPC endpoint, e.g. anvil,
which :func:`start_anvil` launches locally). :class:`AnchorRegistryClient` reads and writes
anchored heads; :func:`verify_anchored` checks a head against them. Every web3 or
transport error is wrapped in :mod:`anchors.errors`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from anchors.chain._anvil import AnvilProcess, find_anvil, start_anvil
from anchors.chain._client import DEFAULT_FUNDING_WEI, BaseChain, ChainClient
from anchors.chain._registry import (
    MAX_ANCHORED_SIZE,
    AnchoredHead,
    AnchorRef,
    AnchorRegistryClient,
    log_id_key,
)
from anchors.chain._revert import Revert, decode_revert
from anchors.chain._rpc import RpcChain
from anchors.chain._verify import AnchorReader, ConsistencyProver, verify_anchored

if TYPE_CHECKING:
    from anchors.chain._embedded import EmbeddedChain


def __getattr__(name: str) -> Any:
    # The embedded chain pulls in eth-tester and py-evm (about 0.3 s); a process that
    # talks JSON-RPC only (a node, the tanji command) never loads them.
    if name == "EmbeddedChain":
        from anchors.chain._embedded import EmbeddedChain

        return EmbeddedChain
    raise AttributeError(f"module 'anchors.chain' has no attribute {name!r}")


__all__ = [
    "DEFAULT_FUNDING_WEI",
    "MAX_ANCHORED_SIZE",
    "AnchorReader",
    "AnchorRef",
    "AnchorRegistryClient",
    "AnchoredHead",
    "AnvilProcess",
    "BaseChain",
    "ChainClient",
    "ConsistencyProver",
    "EmbeddedChain",
    "Revert",
    "RpcChain",
    "decode_revert",
    "find_anvil",
    "log_id_key",
    "start_anvil",
    "verify_anchored",
]
