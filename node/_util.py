"""Small helpers shared by the node's modules."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime

from node.errors import InvalidInput, NodeError


def check_aware(now: datetime) -> datetime:
    """Return ``now`` if it is timezone-aware; naive datetimes are refused (ValueError)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("naive datetime refused; pass a timezone-aware time")
    return now


def rfc3339(when: datetime) -> str:
    """UTC RFC 3339 with ``Z`` and whole seconds (microseconds when present)."""
    check_aware(when)
    text = when.astimezone(UTC).isoformat()
    return text.replace("+00:00", "Z")


def b64(data: bytes) -> str:
    """Standard padded base64 text."""
    return base64.b64encode(data).decode("ascii")


def parse_b64(
    text: object,
    what: str,
    *,
    size: int | None = None,
    error: type[NodeError] = InvalidInput,
) -> bytes:
    """Decode canonical standard base64; raise ``error`` naming ``what`` otherwise."""
    if not isinstance(text, str):
        raise error(f"{what} must be a base64 string")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise error(f"{what} is not valid base64") from exc
    if size is not None and len(data) != size:
        raise error(f"{what} must be {size} bytes, got {len(data)}")
    return data
