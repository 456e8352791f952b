"""The ristretto255 group (RFC 9496) through libsodium, as bundled by ``rbcl``.

Points are immutable :class:`Point` values holding their canonical 32-byte encoding
(ristretto255 encodings are unique, so equal points have equal bytes). Scalars are
Python ints modulo :data:`L`; they meet libsodium only as 32-byte little-endian strings.

Why the checks here matter: ``rbcl`` ignores libsodium's return codes for point
addition and subtraction, so an invalid encoding silently becomes the identity. Every
point that enters from outside therefore goes through :func:`decode_point`, which
refuses non-canonical encodings, encodings of no group element, and the identity
(``crypto_core_ristretto255_is_valid_point`` plus two checks libsodium leaves out: it
accepts the identity and ignores bit 255); points computed here are valid by
construction.

Generators: ``G`` is the ristretto255 base point (RFC 9496 §4.4), ``H`` is
``crypto_core_ristretto255_from_hash(SHA-512(H_DOMAIN_TAG))`` — the RFC 9496 §4.3.4
one-way map of a published string, so nobody knows log_G(H) (docs/commitments.md §2).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Callable, Iterable

import rbcl

from sdk.zk.errors import ProofError, ZkInputError

__all__ = [
    "H_DOMAIN_TAG",
    "IDENTITY",
    "POINT_SIZE",
    "SCALAR_SIZE",
    "G",
    "H",
    "L",
    "Point",
    "Rng",
    "decode_point",
    "decode_scalar",
    "encode_scalar",
    "random_scalar",
    "sum_points",
]

Rng = Callable[[int], bytes]

#: The order of the ristretto255 group (prime), 2^252 + 27742317777372353535851937790883648493.
L = 2**252 + 27742317777372353535851937790883648493
POINT_SIZE = 32
SCALAR_SIZE = 32
#: The published string whose SHA-512 hash is mapped to the second generator H.
H_DOMAIN_TAG = b"tanji.pedersen.v1.H"

_IDENTITY_BYTES = bytes(POINT_SIZE)


def _drop_rbcl_library_file() -> None:
    # rbcl writes its bundled libsodium to a new temporary file at every import and never
    # removes it (rbcl/_sodium.py, NamedTemporaryFile(delete=False)): 2.8 MB in the temp
    # directory per process. The library is mapped by now, so on POSIX the file can go.
    module = sys.modules.get("rbcl._sodium")
    path = getattr(module, "lib_path", None)
    if isinstance(path, str) and os.name == "posix":
        with contextlib.suppress(OSError):
            os.unlink(path)


_drop_rbcl_library_file()


class Point:
    """A ristretto255 group element, held as its canonical encoding.

    Build one with :func:`decode_point` (validates) or from arithmetic on ``G``/``H``.
    ``a + b``, ``a - b``, ``k * a`` (``k`` an int, taken modulo :data:`L`), ``==`` and
    ``bytes(a)`` are supported; points are hashable.
    """

    __slots__ = ("_b",)

    def __init__(self, encoding: bytes, _trusted: bool = False) -> None:
        if not _trusted:
            raise TypeError("use decode_point() to build a Point from bytes")
        self._b = encoding

    def __bytes__(self) -> bytes:
        return self._b

    def hex(self) -> str:
        """Lowercase hex of the canonical encoding."""
        return self._b.hex()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and self._b == other._b

    def __hash__(self) -> int:
        return hash(self._b)

    def __repr__(self) -> str:
        return f"Point({self._b.hex()})"

    def is_identity(self) -> bool:
        """True for the neutral element."""
        return self._b == _IDENTITY_BYTES

    def __add__(self, other: Point) -> Point:
        if self._b == _IDENTITY_BYTES:
            return other
        if other._b == _IDENTITY_BYTES:
            return self
        return Point(rbcl.crypto_core_ristretto255_add(self._b, other._b), True)

    def __sub__(self, other: Point) -> Point:
        if other._b == _IDENTITY_BYTES:
            return self
        return Point(rbcl.crypto_core_ristretto255_sub(self._b, other._b), True)

    def __neg__(self) -> Point:
        return IDENTITY - self

    def __rmul__(self, k: int) -> Point:
        k %= L
        if k == 0 or self._b == _IDENTITY_BYTES:
            return IDENTITY
        if self._b == _G_BYTES:
            # libsodium's fixed-base table: about 3x faster than a variable-base product.
            return Point(rbcl.crypto_scalarmult_ristretto255_base(encode_scalar(k)), True)
        return Point(rbcl.crypto_scalarmult_ristretto255(encode_scalar(k), self._b), True)


def encode_scalar(k: int) -> bytes:
    """32-byte little-endian encoding of ``k`` modulo :data:`L` (canonical)."""
    return (k % L).to_bytes(SCALAR_SIZE, "little")


def decode_scalar(data: bytes, step: str) -> int:
    """A canonical scalar: exactly 32 bytes, little-endian, less than :data:`L`.

    Raises :class:`ProofError` at ``step`` otherwise (a non-canonical scalar would let
    one proof have several encodings).
    """
    if len(data) != SCALAR_SIZE:
        raise ProofError(step, f"a scalar is {SCALAR_SIZE} bytes, got {len(data)}")
    k = int.from_bytes(data, "little")
    if k >= L:
        raise ProofError(step, "scalar is not reduced modulo the group order (non-canonical)")
    return k


def decode_point(data: bytes, step: str) -> Point:
    """A point from its wire encoding, refusing anything but a canonical non-identity
    element of the group; raises :class:`ProofError` at ``step``."""
    if len(data) != POINT_SIZE:
        raise ProofError(step, f"a point is {POINT_SIZE} bytes, got {len(data)}")
    # libsodium's is_valid_point accepts the identity (it only decodes): refuse it here.
    if data == _IDENTITY_BYTES:
        raise ProofError(step, "the identity element is not accepted")
    # The bundled libsodium masks bit 255 before its canonicity check, so x and
    # x | 2^255 would both decode to one point: a second encoding. RFC 9496 §4.3.1 reads
    # the 32 bytes as an integer that must be < p, which refuses bit 255.
    if data[31] & 0x80:
        raise ProofError(step, "not a canonical encoding (bit 255 is set)")
    if not rbcl.crypto_core_ristretto255_is_valid_point(data):
        raise ProofError(step, "not the canonical encoding of a ristretto255 group element")
    return Point(bytes(data), True)


def random_scalar(rng: Rng) -> int:
    """A uniform scalar from 64 bytes of ``rng`` (wide reduction: bias below 2^-250)."""
    data = rng(64)
    if not isinstance(data, bytes) or len(data) != 64:
        raise ZkInputError("arguments", "rng(64) must return 64 bytes")
    return int.from_bytes(data, "little") % L


def sum_points(points: Iterable[Point]) -> Point:
    """The sum of ``points`` (the identity for none)."""
    acc = IDENTITY
    for p in points:
        acc = acc + p
    return acc


IDENTITY = Point(_IDENTITY_BYTES, True)
_G_BYTES = rbcl.crypto_scalarmult_ristretto255_base(encode_scalar(1))
G = Point(_G_BYTES, True)
H = Point(rbcl.crypto_core_ristretto255_from_hash(hashlib.sha512(H_DOMAIN_TAG).digest()), True)
