"""Selective disclosure: chosen claims of one attestation with their salts and proofs.

Wire form::

    {"type": "tanji.disclosure", "version": 1, "attestationId", "claimCount",
     "claims": [{"pointer", "value", "salt": base64, "index", "proof": [base64, ...]}]}

Claims are listed in tree order (rising index). The verifier recomputes each claim's
leaf from (pointer, value, salt) and walks its RFC 9162 inclusion proof to the
statement's commitment with :func:`anchors.root_from_inclusion_proof` (the one Merkle
walk); an undisclosed claim stays hidden behind its own salt. ``claimCount`` is the
statement's padded bucket, so a disclosure reveals no more about the number of claims
than the public statement does, and an index is a random position (the tree is sorted
by leaf hash).
"""

from __future__ import annotations

import hmac
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from anchors import leaf_hash, root_from_inclusion_proof
from anchors.errors import InclusionProofError
from sdk._canonical import (
    DISCLOSURE_TAG,
    JsonValue,
    b64decode,
    b64encode,
    require_keys,
    tagged_digest,
)
from sdk._claims import (
    SALT_SIZE,
    SUBJECT_POINTER,
    ClaimSet,
    claim_leaf_bytes,
    is_claim_bucket,
    is_pointer,
)
from sdk._statement import SignedStatement, is_attestation_id
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
            if not is_claim_bucket(count):
                raise ValueError("claimCount must be a claim bucket (a power of two, at least 32)")
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
    """Reveal ``pointers`` of ``claim_set`` (the issuer's or a grantee's recomputed claims),
    listed in tree order.

    Raises :class:`KeyError` naming a pointer that is not a claim, and :class:`ValueError`
    for an empty selection.
    """
    chosen = sorted(set(pointers), key=lambda p: claim_set.index(p) if p in claim_set else -1)
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
    4. ``disclosure.pointer`` — a ``required`` pointer is not disclosed, a pointer is not
       an RFC 6901 pointer, or its index lies outside the committed claims;
    5. ``disclosure.proof`` — a proof has the wrong length for its index (4-6 are
       checked claim by claim);
    6. ``disclosure.commitment`` — a recomputed leaf does not lead to the commitment;
    7. ``disclosure.order`` — the committed leaves are not in leaf-hash order (the
       issuer built a tree its recipients would not recompute);
    8. ``disclosure.subject`` — ``/productIds/0`` is disclosed but its leaf is not the
       statement's subject (the statement is about another product).
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
    # (4) the required pointers are disclosed; then, claim by claim: (4) its pointer is
    # well formed and its index inside the tree, (5) its proof has the exact RFC 9162
    # length, (6) its leaf leads to the commitment (upper nodes shared across the paths).
    missing = sorted(set(required) - disclosed)
    if missing:
        raise VerificationError("disclosure.pointer", f"not disclosed: {', '.join(missing)}")
    commitment, compare_digest = statement.commitment, hmac.compare_digest
    memo: dict[bytes, bytes] = {}
    leaves: list[bytes] = []
    for claim in disclosure.claims:
        pointer = claim.pointer
        # A pointer of "/"-led segments without "~" is valid; only others need the regex.
        if not (type(pointer) is str and pointer[:1] == "/" and "~" not in pointer) and not (
            is_pointer(pointer)
        ):
            raise VerificationError(
                "disclosure.pointer", f"{pointer!r} is not an RFC 6901 JSON Pointer"
            )
        if claim.index >= size:
            raise VerificationError(
                "disclosure.pointer",
                f"{pointer}: index {claim.index} is outside the {size} committed claims",
            )
        try:
            leaf = leaf_hash(claim_leaf_bytes(pointer, claim.value, claim.salt))
        except CanonicalizationError as exc:
            raise VerificationError("disclosure.schema", f"{pointer}: {exc}") from exc
        try:
            root = root_from_inclusion_proof(leaf, claim.index, size, claim.proof, memo=memo)
        except InclusionProofError as exc:  # the index is in range: the proof's length
            raise VerificationError("disclosure.proof", f"{pointer}: {exc}") from exc
        if not compare_digest(root, commitment):
            raise VerificationError(
                "disclosure.commitment",
                f"{pointer}: value, salt and proof do not lead to the signed commitment",
            )
        leaves.append(leaf)
    # (7) in index order the committed leaves rise in leaf-hash order, as every issuer
    # builds the tree: a tree built otherwise is one its recipients cannot recompute.
    if indices == sorted(indices) and all(a < b for a, b in itertools.pairwise(leaves)):
        by_index = []  # listed in tree order (as `disclose` writes them) and consistent
    else:
        by_index = sorted(zip(indices, leaves, pointers, strict=True))
    for (i, before, p), (j, after, q) in itertools.pairwise(by_index):
        if not before < after:
            raise VerificationError(
                "disclosure.order",
                f"{q} cannot be committed at index {j} after {p} at index {i}: "
                "the claims tree is sorted by leaf hash",
            )
    # (8) a disclosed product id opens the statement's subject commitment.
    if SUBJECT_POINTER in disclosed:
        subject = leaves[pointers.index(SUBJECT_POINTER)]
        if not compare_digest(subject, statement.subject_digest):
            raise VerificationError(
                "disclosure.subject",
                f"{SUBJECT_POINTER} is a committed claim but not the statement's subject: "
                "the statement is about another product",
            )
    return {c.pointer: c.value for c in disclosure.claims}
