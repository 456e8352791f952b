"""A Fiat–Shamir transcript over SHA-512 with labelled, length-framed appends.

Modelled on Merlin (the transcript of dalek's Bulletproofs) with SHA-512 in place of
STROBE: the state is one running SHA-512 over frames

    tag (1 byte) || u64le(len(label)) || label || u64le(len(data)) || data

with tag ``D`` (domain separator, once, first), ``A`` (append) or ``C`` (challenge).
Framing is injective, so two different sequences of appends never hash alike. A
challenge hashes a copy of the state plus its own frame, reduces the 64-byte digest
modulo the group order, and is appended back, so later challenges depend on earlier ones.

Everything the prover sends before a challenge — the statement (commitment, generators,
bit count), the caller's context and every first-round message — is appended before the
challenge is drawn: the "strong" Fiat–Shamir transform (no Frozen-Heart gap).
"""

from __future__ import annotations

import hashlib

from sdk.zk._group import L, Point

__all__ = ["TRANSCRIPT_DOMAIN", "Transcript"]

TRANSCRIPT_DOMAIN = b"tanji.transcript.v1"


def _frame(tag: bytes, label: bytes, data: bytes) -> bytes:
    return tag + len(label).to_bytes(8, "little") + label + len(data).to_bytes(8, "little") + data


class Transcript:
    """A running Fiat–Shamir transcript for one ``protocol`` (its name is the first frame)."""

    __slots__ = ("_h",)

    def __init__(self, protocol: bytes) -> None:
        self._h = hashlib.sha512()
        self._h.update(_frame(b"D", TRANSCRIPT_DOMAIN, protocol))

    def append(self, label: bytes, data: bytes) -> None:
        """Absorb ``data`` under ``label``."""
        self._h.update(_frame(b"A", label, data))

    def append_point(self, label: bytes, point: Point) -> None:
        """Absorb a point's canonical encoding."""
        self.append(label, bytes(point))

    def append_u64(self, label: bytes, n: int) -> None:
        """Absorb an integer in [0, 2^64) as 8 bytes little-endian."""
        self.append(label, n.to_bytes(8, "little"))

    def challenge(self, label: bytes) -> int:
        """A scalar challenge derived from everything absorbed so far, then absorbed."""
        h = self._h.copy()
        h.update(_frame(b"C", label, b""))
        digest = h.digest()
        self.append(label, digest)
        return int.from_bytes(digest, "little") % L
