"""Claims: a footprint flattened to salted leaves, and the commitment over them.

A claim is (JSON Pointer, leaf value, 16-byte salt). Its leaf data is
``JCS(["tanji.claim.v1", pointer, value, salt_b64])`` and its leaf hash the RFC 9162
``SHA-256(0x00 || data)``. The commitment is the RFC 9162 root over the leaf hashes of
all claims sorted by pointer (Unicode code point order, which is also UTF-8 byte order).
Salts come from the per-attestation master salt, ``HMAC-SHA256(master, pointer)[:16]``,
so disclosing one claim's salt reveals nothing about another's.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from anchors import inclusion_proof_from_leaf_hashes, leaf_hash, root_from_leaf_hashes
from sdk._canonical import (
    CLAIM_TAG,
    INVENTORY_TAG,
    JsonValue,
    b64encode,
    canonical_json,
    escape_token,
    tagged_digest,
)
from sdk.errors import CanonicalizationError, FootprintError, VerificationError

SALT_SIZE = 16
MASTER_SALT_SIZE = 32
INVENTORY_POINTER = "/tanji/inventoryDigest"
UPSTREAM_PREFIX = "/tanji/upstream/"
PADDING_PREFIX = "/tanji/padding/"
SUBJECT_POINTER = "/productIds/0"
MIN_CLAIM_BUCKET = 32
"""The smallest claim count a statement may sign: about the leaves of a minimal PACT
footprint, so every small document looks alike."""
MAX_CLAIMS = 1 << 20

_ATTESTATION_ID = re.compile(r"[0-9a-f]{64}")
_POINTER = re.compile(r"(?:/(?:[^~/]|~[01])*)*")


def is_pointer(text: object) -> bool:
    """True if ``text`` is a syntactically valid RFC 6901 JSON Pointer."""
    return isinstance(text, str) and _POINTER.fullmatch(text) is not None


def claim_salt(master_salt: bytes, pointer: str) -> bytes:
    """The claim's salt: ``HMAC-SHA256(master_salt, utf8(pointer))[:16]``."""
    return hmac.new(master_salt, pointer.encode("utf-8"), hashlib.sha256).digest()[:SALT_SIZE]


def claim_bucket(count: int) -> int:
    """The padded claim count for ``count`` real claims: the next power of two, at least
    :data:`MIN_CLAIM_BUCKET`. Raises :class:`ValueError` past :data:`MAX_CLAIMS`."""
    if count > MAX_CLAIMS:
        raise ValueError(f"{count} claims are more than the {MAX_CLAIMS} a statement can commit")
    return max(MIN_CLAIM_BUCKET, 1 << max(0, count - 1).bit_length())


def is_claim_bucket(count: object) -> bool:
    """True for a claim count a statement may sign: a power of two in
    [:data:`MIN_CLAIM_BUCKET`, :data:`MAX_CLAIMS`]."""
    return (
        type(count) is int and MIN_CLAIM_BUCKET <= count <= MAX_CLAIMS and count & (count - 1) == 0
    )


def subject_commitment(product_id: str, salt: bytes) -> bytes:
    """The statement's subject: the leaf hash of the claim ``/productIds/0`` = ``product_id``
    with its ``salt``. Raises :class:`ValueError` for an empty product id or a bad salt."""
    if not isinstance(product_id, str) or not product_id:
        raise ValueError("product id must be a non-empty string")
    if len(salt) != SALT_SIZE:
        raise ValueError(f"claim salt must be {SALT_SIZE} bytes, got {len(salt)}")
    return leaf_hash(claim_leaf_bytes(SUBJECT_POINTER, product_id, salt))


def claim_leaf_bytes(pointer: str, value: JsonValue, salt: bytes) -> bytes:
    """``JCS(["tanji.claim.v1", pointer, value, base64(salt)])`` — the claim's leaf data.

    Raises :class:`~sdk.errors.CanonicalizationError` if ``value`` is not canonical JSON.
    """
    return canonical_json([CLAIM_TAG, pointer, value, b64encode(salt)])


@dataclass(frozen=True)
class Claim:
    """One salted claim. Raises :class:`ValueError` for a bad pointer or salt size."""

    pointer: str
    value: JsonValue = field(repr=False)
    salt: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not is_pointer(self.pointer):
            raise ValueError(f"{self.pointer!r} is not an RFC 6901 JSON Pointer")
        if len(self.salt) != SALT_SIZE:
            raise ValueError(f"claim salt must be {SALT_SIZE} bytes, got {len(self.salt)}")

    @cached_property
    def leaf_bytes(self) -> bytes:
        """The leaf data (see :func:`claim_leaf_bytes`)."""
        return claim_leaf_bytes(self.pointer, self.value, self.salt)

    @cached_property
    def leaf_hash(self) -> bytes:
        """RFC 9162 leaf hash of :attr:`leaf_bytes`."""
        return leaf_hash(self.leaf_bytes)


def flatten(document: Mapping[str, object], prefix: str = "") -> list[tuple[str, JsonValue]]:
    """Flatten a JSON object into (pointer, leaf value) pairs, in document order.

    Leaves are strings, integers, booleans, null and empty objects/arrays (so an empty
    list is committed too). Raises :class:`~sdk.errors.CanonicalizationError` naming the
    pointer of a float or non-JSON value, and :class:`~sdk.errors.FootprintError` if the
    document is not a JSON object.
    """
    if not isinstance(document, Mapping):
        raise FootprintError(prefix, "a footprint document must be a JSON object")
    out: list[tuple[str, JsonValue]] = []
    _flatten(document, prefix, out)
    return out


def _flatten(value: object, pointer: str, out: list[tuple[str, JsonValue]]) -> None:
    if isinstance(value, Mapping):
        if not value:
            out.append((pointer, {}))
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalizationError(f"{pointer or '/'}: object key {key!r} is not a string")
            _flatten(item, f"{pointer}/{escape_token(key)}", out)
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append((pointer, []))
        for i, item in enumerate(value):
            _flatten(item, f"{pointer}/{i}", out)
    elif value is None or isinstance(value, (str, bool, int)):
        out.append((pointer, value))
    elif isinstance(value, float):
        raise CanonicalizationError(
            f"{pointer}: float {value!r} refused; decimal quantities are strings"
        )
    else:
        raise CanonicalizationError(f"{pointer}: {type(value).__name__} is not a JSON value")


def inventory_digest(inventory: JsonValue) -> str:
    """Hex ``SHA-256(b"tanji.inventory.v1\\0" + JCS(inventory))``: the inventory's claim value."""
    return tagged_digest(INVENTORY_TAG, inventory).hex()


class ClaimSet:
    """All claims of one attestation in tree order (sorted by leaf hash), with the commitment.

    Takes the claims as given (:meth:`build` adds the padding). Raises
    :class:`~sdk.errors.VerificationError` at step ``claims.duplicate`` if two claims
    share a pointer, and at ``claims.empty`` if there are none.
    """

    def __init__(self, claims: Iterable[Claim]) -> None:
        by_pointer = sorted(claims, key=lambda c: c.pointer)
        if not by_pointer:
            raise VerificationError("claims.empty", "an attestation commits to at least one claim")
        for before, after in itertools.pairwise(by_pointer):
            if before.pointer == after.pointer:
                raise VerificationError(
                    "claims.duplicate", f"pointer {before.pointer!r} occurs more than once"
                )
        ordered = sorted(by_pointer, key=lambda c: c.leaf_hash)
        self.claims: tuple[Claim, ...] = tuple(ordered)
        self._index = {c.pointer: i for i, c in enumerate(ordered)}

    def __len__(self) -> int:
        return len(self.claims)

    def __contains__(self, pointer: object) -> bool:
        return pointer in self._index

    @cached_property
    def leaf_hashes(self) -> list[bytes]:
        """Leaf hashes in pointer order."""
        return [c.leaf_hash for c in self.claims]

    @cached_property
    def commitment(self) -> bytes:
        """The RFC 9162 root over :attr:`leaf_hashes`."""
        return root_from_leaf_hashes(self.leaf_hashes)

    def index(self, pointer: str) -> int:
        """Leaf index of ``pointer``; raises :class:`KeyError` if it is not a claim."""
        return self._index[pointer]

    def claim(self, pointer: str) -> Claim:
        """The claim at ``pointer``; raises :class:`KeyError` if absent."""
        return self.claims[self._index[pointer]]

    def proof(self, pointer: str) -> list[bytes]:
        """RFC 9162 inclusion proof of ``pointer``'s leaf in the claims tree."""
        return inclusion_proof_from_leaf_hashes(self.leaf_hashes, self._index[pointer])

    def values(self) -> dict[str, JsonValue]:
        """Pointer → value for every claim (padding included), in tree order."""
        return {c.pointer: c.value for c in self.claims}

    @property
    def subject(self) -> bytes:
        """The subject commitment: the leaf hash of ``/productIds/0``.

        Raises :class:`KeyError` when the document names no product.
        """
        return self.claims[self._index[SUBJECT_POINTER]].leaf_hash

    @classmethod
    def build(
        cls,
        footprint: Mapping[str, object],
        master_salt: bytes,
        *,
        inventory: JsonValue,
        upstream: Sequence[str] = (),
    ) -> ClaimSet:
        """Flatten ``footprint``, add ``/tanji/inventoryDigest`` and ``/tanji/upstream/<i>``,
        and pad with ``/tanji/padding/<i>`` claims to :func:`claim_bucket` of the count.

        ``upstream`` lists the attestation ids (hex) whose disclosures the issuer used, in
        the order of the envelope's upstream disclosures. Raises :class:`ValueError` for an
        upstream entry that is not an attestation id; raises
        :class:`~sdk.errors.CanonicalizationError` / :class:`~sdk.errors.FootprintError` for
        a bad document, :class:`ValueError` for a master salt that is not 32 bytes, and
        :class:`~sdk.errors.VerificationError` (``claims.duplicate``) if the footprint
        itself holds a ``/tanji/inventoryDigest``, ``/tanji/upstream/…`` or
        ``/tanji/padding/…`` leaf.
        """
        if len(master_salt) != MASTER_SALT_SIZE:
            raise ValueError(
                f"master salt must be {MASTER_SALT_SIZE} bytes, got {len(master_salt)}"
            )
        pairs = flatten(footprint)
        pairs.append((INVENTORY_POINTER, inventory_digest(inventory)))
        for i, attestation_id in enumerate(upstream):
            if not isinstance(attestation_id, str) or not _ATTESTATION_ID.fullmatch(attestation_id):
                raise ValueError(f"upstream[{i}] is not an attestation id (64 lowercase hex)")
            pairs.append((f"{UPSTREAM_PREFIX}{i}", attestation_id))
        real = len(pairs)
        pairs.extend((f"{PADDING_PREFIX}{i}", None) for i in range(claim_bucket(real) - real))
        return cls(Claim(p, v, claim_salt(master_salt, p)) for p, v in pairs)
