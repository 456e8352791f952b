"""Decoding revert data into the name of the Solidity error that caused it, and finding
that data wherever a client puts it in a JSON-RPC error.

Where the revert data of a failed ``eth_call`` / ``eth_estimateGas`` sits, by client:

=================  =========================================================================
geth, anvil,       ``error.data`` = ``"0x<data>"`` (code 3, "execution reverted…")
Erigon, Besu,
FISCO BCOS web3
Hardhat 2          ``error.data`` = ``{"message": …, "data": "0x<data>"}``; the message also
                   names the error: "reverted with custom error 'Name(args)'"
ganache 7          ``error.data`` = ``{"hash": …, "programCounter": …, "result": "0x<data>",
                   "reason": …, "message": "revert"}``
ganache 6          ``error.data`` = ``{"0x<tx hash>": {"error": "revert", "return": "0x<data>"},
                   "stack": …}``
Nethermind         ``error.data`` = ``"Reverted 0x<data>"``
=================  =========================================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from eth_abi.abi import decode
from eth_abi.exceptions import DecodingError
from eth_utils.crypto import keccak

from contracts import available, load_artifact

_ERROR_STRING = bytes.fromhex("08c379a0")  # Error(string)
_PANIC = bytes.fromhex("4e487b71")  # Panic(uint256)


@dataclass(frozen=True)
class Revert:
    """A decoded revert: the error's name and its arguments (empty when unknown)."""

    name: str
    args: tuple[Any, ...] = ()

    def describe(self) -> str:
        """``Name(arg, …)`` with hex for byte strings, for error messages."""
        shown = ", ".join(_show(a) for a in self.args)
        return f"{self.name}({shown})"


def _show(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return repr(value) if isinstance(value, str) else str(value)


@cache
def _custom_errors() -> dict[bytes, tuple[str, tuple[str, ...]]]:
    """Selector → (name, argument types) of every custom error in every artifact."""
    table: dict[bytes, tuple[str, tuple[str, ...]]] = {}
    for contract in available():
        for entry in load_artifact(contract).abi:
            if entry.get("type") != "error":
                continue
            types = tuple(_abi_type(i) for i in entry.get("inputs", []))
            signature = f"{entry['name']}({','.join(types)})"
            table[keccak(text=signature)[:4]] = (str(entry["name"]), types)
    return table


def _abi_type(param: dict[str, Any]) -> str:
    kind = str(param["type"])
    if kind.startswith("tuple"):
        inner = ",".join(_abi_type(c) for c in param.get("components", []))
        return f"({inner}){kind[len('tuple') :]}"
    return kind


def decode_revert(data: bytes) -> Revert | None:
    """Decode revert ``data``: ``Error(string)`` gives the string, ``Panic(uint256)`` gives
    ``Panic(0x..)``, a custom error of any Tanji contract gives its name and arguments.

    Returns None for empty data (a bare ``revert()``); an unknown selector gives
    ``unknown error 0x<selector>``.
    """
    if len(data) < 4:
        return None
    selector, body = data[:4], data[4:]
    try:
        if selector == _ERROR_STRING:
            (message,) = decode(["string"], body)
            return Revert(str(message))
        if selector == _PANIC:
            (code,) = decode(["uint256"], body)
            return Revert(f"Panic(0x{code:02x})")
        known = _custom_errors().get(selector)
        if known is not None:
            name, types = known
            return Revert(name, tuple(decode(list(types), body)))
    except DecodingError:
        pass
    return Revert(f"unknown error 0x{selector.hex()}")


# Keys whose hex values are revert data, in the order clients use them; keys whose values
# are never revert data (transaction and block hashes) are skipped.
_DATA_KEYS = ("data", "result", "return", "output", "revertData", "returnData")
_NOT_DATA_KEYS = frozenset({"hash", "transactionHash", "blockHash", "txHash", "stack"})
_HEX_DATA = re.compile(r"(?:Reverted )?(0x(?:[0-9a-fA-F]{2})+)")
_NAMED_IN_MESSAGE = re.compile(
    r"reverted with (?:custom error '(?P<custom>[A-Za-z_][A-Za-z0-9_]*)\("
    r"|reason string '(?P<reason>[^']*)')"
)


def revert_data(error: object) -> bytes | None:
    """The revert data in a JSON-RPC ``error`` object (or its ``data`` member), wherever
    the client put it (see the module table); None when it holds none.

    Only hex strings of at least a 4-byte selector under a data-like key (or the value
    itself) count, so a transaction hash beside the data is never taken for it.
    """
    for candidate in _candidates(error, depth=0):
        match = _HEX_DATA.fullmatch(candidate.strip())
        if match is not None and len(match.group(1)) >= 10:
            return bytes.fromhex(match.group(1)[2:])
    return None


def _candidates(value: object, depth: int) -> Iterator[str]:
    if depth > 4:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key in _DATA_KEYS:
            if key in value:
                yield from _candidates(value[key], depth + 1)
        for key, inner in value.items():
            if key not in _DATA_KEYS and key not in _NOT_DATA_KEYS and isinstance(inner, dict):
                yield from _candidates(inner, depth + 1)


def revert_named_in(message: str) -> Revert | None:
    """The error a Hardhat-style message names ("reverted with custom error 'Name(…)'",
    "reverted with reason string '…'"), for errors that carry no data; else None."""
    match = _NAMED_IN_MESSAGE.search(message)
    if match is None:
        return None
    return Revert(match.group("custom") or match.group("reason") or "")
