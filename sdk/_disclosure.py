"""Selective disclosure: chosen claims of one attestation with their salts and proofs.

Wire form::

    {"type": "tanji.disclosure", "version": 1, "attestationId", "claimCount",
     "claims": [{"pointer", "value", "salt": base64, "index", "proof": [base64, ...]}]}

Claims are listed in pointer order. The verifier recomputes each claim's leaf from
(pointer, value, salt) and walks its RFC 9162 inclusion proof to the statement's
commitment; an undisclosed claim stays hidden behind its own salt.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from anchors import leaf_hash
from sdk._canonical import (
    DISCLOSURE_TAG,
    JsonValue,
    b64decode,
    b64encode,
    require_keys,
    tagged_digest,
)
from sdk._claims import SALT_SIZE, ClaimSet, claim_leaf_bytes, is_pointer
from sdk._statement import MAX_CLAIMS, SignedStatement, is_attestation_id
from sdk.errors import CanonicalizationError, VerificationError

DISCLOSURE_TYPE = "tanji.disclosure"
_SCHEMA = "disclosure.schema"


@dataclass(frozen=True)
class DisclosedClaim:
    """One revealed claim: pointer, value, salt, leaf index and claims-tree proof."""

    pointer: str
    value: JsonValue
    salt: bytes
    index: int
    proof: tuple[bytes, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.salt, bytes) or len(self.salt) != SALT_SIZE:
            raise VerificationError(_SCHEMA, f"{self.pointer}: salt must be {SALT_SIZE} bytes")
        for p in self.proof:
            if not isinstance(p, bytes) or len(p) != 32:
                raise VerificationError(_SCHEMA, f"{self.pointer}: proof hashes must be 32 bytes")

    def to_dict(self) -> dict[str, Any]:
        """Wire form of one claim."""
        return {
            "pointer": self.pointer,
            "value": self.value,
            "salt": b64encode(self.salt),
            "index": self.index,
            "proof": [b64encode(p) for p in self.proof],
        }

    @classmethod
    def from_dict(cls, data: object) -> DisclosedClaim:
        """Parse one claim; raises :class:`ValueError` naming the bad field."""
        doc = require_keys(data, "disclosed claim", ("pointer", "value", "salt", "index", "proof"))
        pointer = doc["pointer"]
        if not isinstance(pointer, str):
            raise ValueError("pointer must be a string")
        index = doc["index"]
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise ValueError(f"{pointer}: index must be a non-negative integer")
        proof = doc["proof"]
        if not isinstance(proof, list):
            raise ValueError(f"{pointer}: proof must be a list")
        salt = b64decode(doc["salt"], f"{pointer}: salt", size=SALT_SIZE)
        what = f"{pointer}: proof hash"
        return cls(
            pointer=pointer,
            value=doc["value"],
            salt=salt,
            index=index,
            proof=tuple([b64decode(p, what, size=32) for p in proof]),
        )


@dataclass(frozen=True)
class Disclosure:
    """Revealed claims of one attestation. Parsing checks shape only; see
    :func:`verify_disclosure` for the cryptographic checks.
    """

    attestation_id: str
    claim_count: int
    claims: tuple[DisclosedClaim, ...]

    def to_dict(self) -> dict[str, Any]:
        """Wire form."""
        return {
            "type": DISCLOSURE_TYPE,
            "version": 1,
            "attestationId": self.attestation_id,
            "claimCount": self.claim_count,
            "claims": [c.to_dict() for c in self.claims],
        }

    @classmethod
    def from_dict(cls, data: object) -> Disclosure:
        """Parse; raises :class:`~sdk.errors.VerificationError` at ``disclosure.schema``."""
        try:
            doc = require_keys(
                data, "disclosure", ("type", "version", "attestationId", "claimCount", "claims")
            )
            if (
                doc["type"] != DISCLOSURE_TYPE
                or type(doc["version"]) is not int
                or doc["version"] != 1
            ):
                raise ValueError(f"not a version 1 {DISCLOSURE_TYPE}")
            if not is_attestation_id(doc["attestationId"]):
                raise ValueError("attestationId must be 64 lowercase hex")
            count = doc["claimCount"]
            if (
                not isinstance(count, int)
                or isinstance(count, bool)
                or not 1 <= count <= MAX_CLAIMS
            ):
                raise ValueError(f"claimCount must be an integer in [1, {MAX_CLAIMS}]")
            if not isinstance(doc["claims"], list) or not doc["claims"]:
                raise ValueError("claims must be a non-empty list")
            claims = tuple(DisclosedClaim.from_dict(c) for c in doc["claims"])
        except ValueError as exc:
            raise VerificationError(_SCHEMA, str(exc)) from exc
        return cls(doc["attestationId"], count, claims)

    @cached_property
    def digest(self) -> bytes:
        """``SHA-256("tanji.disclosure.v1\\0" + JCS(disclosure))``, e.g. for a label's reference."""
        return tagged_digest(DISCLOSURE_TAG, self.to_dict())

    def values(self) -> dict[str, JsonValue]:
        """Pointer → value of the disclosed claims (unverified; see :func:`verify_disclosure`)."""
        return {c.pointer: c.value for c in self.claims}


def disclose(claim_set: ClaimSet, attestation_id: str, pointers: Iterable[str]) -> Disclosure:
    """Reveal ``pointers`` of ``claim_set`` (the issuer's or a grantee's recomputed claims).

    Raises :class:`KeyError` naming a pointer that is not a claim, and :class:`ValueError`
    for an empty selection.
    """
    chosen = sorted(set(pointers))
    if not chosen:
        raise ValueError("disclose at least one pointer")
    missing = [p for p in chosen if p not in claim_set]
    if missing:
        raise KeyError(f"not claims of this attestation: {', '.join(missing)}")
    claims = tuple(
        DisclosedClaim(
            pointer=p,
            value=claim_set.claim(p).value,
            salt=claim_set.claim(p).salt,
            index=claim_set.index(p),
            proof=tuple(claim_set.proof(p)),
        )
        for p in chosen
    )
    return Disclosure(attestation_id, len(claim_set), claims)


def root_from_inclusion_path(
    leaf: bytes,
    index: int,
    size: int,
    proof: Sequence[bytes],
    nodes: dict[bytes, bytes] | None = None,
) -> bytes:
    """The root that an RFC 9162 inclusion proof leads to (RFC 9162 §2.1.3.2, steps 3–5).

    The caller has checked ``index < size`` and the proof length; the result must be
    compared with the expected root. This is the same walk as
    :func:`anchors.verify_inclusion` (a property test checks they agree) as one tight
    loop over :mod:`hashlib`, because a disclosure verifies several paths per attestation.
    ``nodes`` memoises interior hashes (``0x01 || left || right`` → digest) across the
    paths of one disclosure, whose upper nodes are mostly shared.
    """
    sha256 = hashlib.sha256
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if fn & 1 or fn == sn:
            data = b"\x01" + p + r
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            data = b"\x01" + r + p
        fn >>= 1
        sn >>= 1
        if nodes is None:
            r = sha256(data).digest()
        else:
            node = nodes.get(data)
            if node is None:
                node = nodes[data] = sha256(data).digest()
            r = node
    return r


def inclusion_path_length(index: int, size: int) -> int:
    """Hashes in the RFC 9162 inclusion proof of ``index < size`` (as
    :func:`anchors.verify_inclusion` requires): one per level below the split point
    between ``index`` and the last leaf, plus one per set bit of ``index`` above it."""
    inner = (index ^ (size - 1)).bit_length()
    return inner + (index >> inner).bit_count()


def verify_disclosure(
    disclosure: Disclosure,
    signed: SignedStatement,
    *,
    required: Iterable[str] = (),
) -> dict[str, JsonValue]:
    """Check every disclosed claim against the signed statement's commitment.

    Does not check the statement's signature or anchoring (see
    :func:`sdk.verify_receipt`). Returns pointer → value of the verified claims.
    Raises :class:`~sdk.errors.VerificationError` naming the failed step:

    1. ``disclosure.attestation`` — the disclosure is for another attestation id;
    2. ``disclosure.count`` — its claim count differs from the statement's;
    3. ``claims.duplicate`` — a pointer or a leaf index occurs twice;
    4. ``disclosure.pointer`` — a pointer is not an RFC 6901 pointer, its index lies
       outside the committed claims, pointer order and index order disagree (the tree
       is sorted by pointer), or a ``required`` pointer is not disclosed;
    5. ``disclosure.proof`` — a proof has the wrong length for its index;
    6. ``disclosure.commitment`` — a recomputed leaf does not lead to the commitment.
    """
    statement = signed.statement
    # (1) same attestation.
    if not hmac.compare_digest(
        str(disclosure.attestation_id).encode(), signed.attestation_id.encode()
    ):
        raise VerificationError(
            "disclosure.attestation",
            f"disclosure is for attestation {disclosure.attestation_id}, "
            f"not {signed.attestation_id}",
        )
    # (2) same claim count as signed.
    size = statement.claim_count
    if disclosure.claim_count != size:
        raise VerificationError(
            "disclosure.count",
            f"disclosure says {disclosure.claim_count} claims, statement commits to {size}",
        )
    # (3) no pointer or index twice: one pointer cannot have two values.
    pointers = [c.pointer for c in disclosure.claims]
    disclosed = set(pointers)
    if len(disclosed) != len(pointers):
        dup = next(p for p in pointers if pointers.count(p) > 1)
        raise VerificationError("claims.duplicate", f"pointer {dup!r} is disclosed twice")
    indices = [c.index for c in disclosure.claims]
    if len(set(indices)) != len(indices):
        raise VerificationError("claims.duplicate", "two disclosed claims share a leaf index")
    # (4) pointers well formed, inside the tree, and consistent with the sort order.
    for claim in disclosure.claims:
        pointer = claim.pointer
        # A pointer of "/"-led segments without "~" is valid; only others need the regex.
        if not (type(pointer) is str and pointer[:1] == "/" and "~" not in pointer) and not (
            is_pointer(pointer)
        ):
            raise VerificationError(
                "disclosure.pointer", f"{claim.pointer!r} is not an RFC 6901 JSON Pointer"
            )
        if claim.index >= size:
            raise VerificationError(
                "disclosure.pointer",
                f"{claim.pointer}: index {claim.index} is outside the {size} committed claims",
            )
    # Claims listed in pointer order with rising indices (as `disclose` writes them) are
    # consistent (both are distinct by now); otherwise sort them by pointer and name the
    # first pair whose indices disagree.
    if pointers != sorted(pointers) or indices != sorted(indices):
        for (before, before_index), (after, after_index) in itertools.pairwise(
            sorted(zip(pointers, indices, strict=True))
        ):
            if before_index >= after_index:
                raise VerificationError(
                    "disclosure.pointer",
                    f"{after} cannot be a committed claim at index {after_index}: "
                    f"claims are sorted by pointer and {before} is at {before_index}",
                )
    missing = sorted(set(required) - disclosed)
    if missing:
        raise VerificationError("disclosure.pointer", f"not disclosed: {', '.join(missing)}")
    # (5) proofs have the exact RFC 9162 length; (6) each leaf leads to the commitment.
    commitment, compare_digest = statement.commitment, hmac.compare_digest
    nodes: dict[bytes, bytes] = {}
    for claim in disclosure.claims:
        want = inclusion_path_length(claim.index, size)
        if len(claim.proof) != want:
            raise VerificationError(
                "disclosure.proof",
                f"{claim.pointer}: proof has {len(claim.proof)} hashes, expected {want}",
            )
        try:
            leaf = leaf_hash(claim_leaf_bytes(claim.pointer, claim.value, claim.salt))
        except CanonicalizationError as exc:
            raise VerificationError("disclosure.schema", f"{claim.pointer}: {exc}") from exc
        root = root_from_inclusion_path(leaf, claim.index, size, claim.proof, nodes)
        if not compare_digest(root, commitment):
            raise VerificationError(
                "disclosure.commitment",
                f"{claim.pointer}: value, salt and proof do not lead to the signed commitment",
            )
    return {c.pointer: c.value for c in disclosure.claims}
