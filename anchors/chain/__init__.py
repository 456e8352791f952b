"""The chain edge of :mod:`anchors`: chain clients, the AnchorRegistry client, anchor checks.

One interface, :class:`ChainClient`, two implementations: :class:`EmbeddedChain`
(eth-tester + py-evm in process) and :class:`RpcChain` (any JSON-RPC endpoint, e.g. anvil).
Every web3 or transport error is wrapped in :mod:`anchors.errors`.
"""

from __future__ import annotations

from anchors.chain._client import DEFAULT_FUNDING_WEI, ChainClient
from anchors.chain._embedded import EmbeddedChain
from anchors.chain._revert import Revert, decode_revert

__all__ = [
    "DEFAULT_FUNDING_WEI",
    "ChainClient",
    "EmbeddedChain",
    "Revert",
    "decode_revert",
]
