"""Pedersen commitments C = v·G + r·H on ristretto255, and their openings.

Wire forms (JSON):

- commitment: 64 lowercase hex digits, the canonical ristretto255 encoding of C
  (never the identity);
- opening: ``{"value": "<decimal integer>", "blinding": "<64 hex: 32-byte little-endian
  scalar < ℓ>"}``. A supplier puts its opening in the envelope, so a grantee can check
  the public commitment against the disclosed value (:func:`verify_opening`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sdk.zk._group import (
    SCALAR_SIZE,
    G,
    H,
    L,
    Point,
    Rng,
    decode_point,
    decode_scalar,
    encode_scalar,
    random_scalar,
)
from sdk.zk._wire import check_keys, read_hex, read_uint
from sdk.zk.errors import ProofError, ZkInputError

__all__ = [
    "RANGE_BITS",
    "RANGE_LIMIT",
    "Commitment",
    "Opening",
    "commit",
    "commit_random",
    "verify_opening",
]

#: Range proofs show a committed value is in [0, 2^RANGE_BITS): 7.2e16 — grams for a PCF
#: value (72 billion tonnes per declared unit), micrograms for a leader's own term
#: (72 kt per declared unit). See docs/commitments.md §4.
RANGE_BITS = 56
RANGE_LIMIT = 2**RANGE_BITS
_OPENING_KEYS = frozenset({"value", "blinding"})


@dataclass(frozen=True)
class Commitment:
    """A Pedersen commitment (a group element other than the identity)."""

    point: Point

    def __post_init__(self) -> None:
        if not isinstance(self.point, Point):
            raise TypeError("Commitment.point must be a Point")

    def to_json(self) -> str:
        """64 lowercase hex digits."""
        return self.point.hex()

    @classmethod
    def from_json(cls, value: object, step: str = "commitment.point") -> Commitment:
        """Parse the hex form; raises :class:`ProofError` at ``step`` for a wrong length,
        non-hex, a non-canonical encoding, a point not in the group or the identity."""
        return cls(decode_point(read_hex(value, 32, step, "commitment"), step))


@dataclass(frozen=True)
class Opening:
    """The secret that opens a commitment: ``value`` and ``blinding``, both in [0, ℓ)."""

    value: int
    blinding: int

    def __post_init__(self) -> None:
        for name in ("value", "blinding"):
            n = getattr(self, name)
            if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < L:
                raise ZkInputError("arguments", f"Opening.{name} must be an int in [0, ℓ)")

    def to_json(self) -> dict[str, str]:
        """``{"value": decimal string, "blinding": 64 hex}``."""
        return {"value": str(self.value), "blinding": encode_scalar(self.blinding).hex()}

    @classmethod
    def from_json(cls, obj: object, step: str = "commitment.opening") -> Opening:
        """Parse the JSON form strictly; raises :class:`ProofError` at ``step``."""
        m: Mapping[str, object] = check_keys(obj, _OPENING_KEYS, step, "opening")
        value = read_uint(m["value"], L, step, "opening value")
        blinding = decode_scalar(read_hex(m["blinding"], SCALAR_SIZE, step, "blinding"), step)
        return cls(value, blinding)


def commit(opening: Opening) -> Commitment:
    """``value·G + blinding·H``. Raises :class:`ZkInputError` (``commitment.opening``)
    in the negligible case that the result is the identity (not a valid commitment)."""
    point = opening.value * G + opening.blinding * H
    if point.is_identity():
        raise ZkInputError("commitment.opening", "the commitment is the identity: draw again")
    return Commitment(point)


def commit_random(value: int, rng: Rng) -> tuple[Commitment, Opening]:
    """Commit to ``value`` (an int in [0, ℓ)) with a blinding drawn from ``rng`` (64 bytes)."""
    opening = Opening(value, random_scalar(rng))
    return commit(opening), opening


def verify_opening(commitment: Commitment, opening: Opening) -> None:
    """Check that ``opening`` opens ``commitment``; raises :class:`ProofError`
    (``commitment.opening``) otherwise. A grantee runs it on the envelope's opening and
    the statement's commitment before relying on the disclosed value."""
    if opening.value * G + opening.blinding * H != commitment.point:
        raise ProofError("commitment.opening", "the opening does not open the commitment")
