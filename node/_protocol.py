"""Envelope and grant checks at the node's edge (the node never decrypts anything)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from node.errors import InvalidInput, PayloadTooLarge
from sdk import Envelope, Grant, canonical_json
from sdk.errors import CanonicalizationError, SdkError


@dataclass(frozen=True)
class ParsedGrant:
    """A grant checked for shape and attestation id; ``data`` is its JCS."""

    recipient: str
    key_id: str
    data: bytes


def parse_envelope(value: Any, max_bytes: int) -> bytes:
    """JCS bytes of a schema-valid envelope no larger than ``max_bytes``.

    Raises :class:`PayloadTooLarge` past the limit, :class:`InvalidInput` otherwise.
    """
    if not isinstance(value, dict):
        raise InvalidInput("envelope must be a JSON object", code="invalid_envelope")
    try:
        data = canonical_json(value)
    except CanonicalizationError as exc:
        raise InvalidInput(f"envelope: {exc}", code="invalid_envelope") from exc
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"envelope is {len(data)} bytes, more than {max_bytes}")
    try:
        Envelope.from_dict(value)
    except (SdkError, ValueError) as exc:
        raise InvalidInput(f"envelope: {exc}", code="invalid_envelope") from exc
    return data


def parse_grant(value: Any, attestation_id: str) -> ParsedGrant:
    """A schema-valid grant for ``attestation_id``; :class:`InvalidInput` otherwise."""
    try:
        grant = Grant.from_dict(value)
        data = canonical_json(value)
    except (SdkError, ValueError) as exc:
        raise InvalidInput(f"grant: {exc}", code="invalid_grant") from exc
    if grant.attestation_id != attestation_id:
        raise InvalidInput(
            f"grant is for attestation {grant.attestation_id}, not {attestation_id}",
            code="invalid_grant",
        )
    return ParsedGrant(recipient=str(grant.recipient), key_id=grant.recipient_key_id, data=data)
