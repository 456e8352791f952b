"""Decoding revert data into the name of the Solidity error that caused it."""

from __future__ import annotations

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
