"""Strict readers for the JSON wire forms: exact keys, lowercase hex, canonical integers.

Each reader raises :class:`ProofError` at the caller's step, so a refused byte is
reported where it matters (``commitment.point``, ``rangeproof.schema``, …).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

from sdk.zk.errors import ProofError

_HEX = re.compile(r"[0-9a-f]*")
_UINT = re.compile(r"0|[1-9][0-9]*")
# Longest decimal string read as an integer: 2^256 has 78 digits; refuse before int().
_MAX_UINT_DIGITS = 80


def check_keys(obj: object, keys: frozenset[str], step: str, what: str) -> Mapping[str, Any]:
    """``obj`` is a JSON object with exactly ``keys``."""
    if not isinstance(obj, Mapping):
        raise ProofError(step, f"{what} must be a JSON object")
    got = set(obj)
    if got != keys:
        missing, extra = sorted(keys - got), sorted(got - keys)
        raise ProofError(step, f"{what}: missing {missing}, unexpected {extra}")
    return obj


def read_hex(value: object, size: int, step: str, what: str) -> bytes:
    """Exactly ``size`` bytes as ``2*size`` lowercase hex digits."""
    if not isinstance(value, str) or len(value) != 2 * size or not _HEX.fullmatch(value):
        raise ProofError(step, f"{what} must be {2 * size} lowercase hex digits")
    return bytes.fromhex(value)


def read_uint(value: object, limit: int, step: str, what: str) -> int:
    """A non-negative integer below ``limit`` written as a canonical decimal string."""
    if not isinstance(value, str) or len(value) > _MAX_UINT_DIGITS or not _UINT.fullmatch(value):
        raise ProofError(step, f"{what} must be a decimal integer string without leading zeros")
    n = int(value)
    if n >= limit:
        raise ProofError(step, f"{what} must be below {limit}")
    return n


def read_base64(value: object, step: str, what: str) -> bytes:
    """Standard padded base64 (RFC 4648 §4) in its one canonical form."""
    if not isinstance(value, str) or not value.isascii():
        raise ProofError(step, f"{what} must be a base64 string")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ProofError(step, f"{what} is not valid base64: {exc}") from exc
    if base64.b64encode(data).decode() != value:
        raise ProofError(step, f"{what} is not canonical base64")
    return data
