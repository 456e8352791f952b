"""Offline verification of attestations: receipts, disclosures and envelopes.

Every function takes the time as an argument (``at``, ``anchored_at``), refuses naive
datetimes, never does I/O, and raises one :class:`~sdk.errors.VerificationError` whose
``step`` names the failed check. Chain state (the anchoring block's time, the log
operator's key, the issuer's key history) is read by the caller and passed in.

Protocol steps (DESIGN.md §4, §6.5), in the order they are checked:

====  ======================  ===========================================================
 #    step                    check
====  ======================  ===========================================================
 1    ``statement.schema``    the signed statement parses, every field canonical
 2    ``receipt.leaf``        leaf bytes = JCS(signed statement); the expected id matches
 3    ``receipt.checkpoint``  log operator's signature; origin = tanji/<chain>/<log>
 4    ``receipt.anchor``      checkpoint head = anchored head; anchored before ``at``
 5    ``receipt.inclusion``   leaf at ``leafIndex`` under the checkpoint root
 6    ``statement.signature`` a registered issuer key with ``keyId`` verifies the signature
 7    ``key.validity``        valid_from <= anchored_at < revoked_at for that key
 8    ``statement.time``      ``created`` is not after the anchoring time (+ clock skew)
 9    ``disclosure.*``        see :func:`sdk.verify_disclosure` (attestation, count,
                              ``claims.duplicate``, pointer, proof, commitment)
 10   ``envelope``            envelope digest, AEAD under the granted key, plaintext shape
 11   ``grant``               grant for this attestation and key, sealed box opens
 12   ``claims.commitment``   the decrypted footprint recomputes the signed commitment
====  ======================  ===========================================================
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from nacl.signing import VerifyKey

from anchors import Checkpoint, checkpoint_origin, verify_checkpoint, verify_inclusion
from anchors.errors import CheckpointError, InclusionProofError
from sdk._canonical import JsonValue
from sdk._disclosure import (
    Disclosure,
    inclusion_path_length,
    root_from_inclusion_path,
    verify_disclosure,
)
from sdk._keys import KeyRecordLike, key_id
from sdk._receipt import AnchorReference, Receipt
from sdk._statement import SignedStatement, Statement, check_signature_bytes, require_aware
from sdk.errors import VerificationError

DEFAULT_CLOCK_SKEW = timedelta(minutes=10)


def _aware(when: datetime | int, what: str) -> datetime:
    # Unix seconds (chain block timestamps) or an aware datetime; naive times are refused.
    if type(when) is datetime and when.tzinfo is UTC:
        return when
    if isinstance(when, bool):
        raise VerificationError("arguments", f"{what} must be a time, got a bool")
    if isinstance(when, int):
        return datetime.fromtimestamp(when, UTC)
    try:
        return require_aware(when, what)
    except ValueError as exc:
        raise VerificationError("arguments", str(exc)) from exc


def _check_signature_and_key(
    signed: SignedStatement,
    issuer_keys: Iterable[KeyRecordLike],
    anchored_at: datetime,
    max_clock_skew: timedelta,
) -> None:
    statement = signed.statement
    # (6) a registered key of the issuer, named by keyId, verifies the signature.
    record = next(
        (
            k
            for k in issuer_keys
            if len(k.public_key) == 32
            and key_id("ed25519", bytes(k.public_key)) == statement.key_id
        ),
        None,
    )
    if record is None:
        raise VerificationError(
            "statement.signature",
            f"key {statement.key_id} is not a registered signing key of {statement.issuer}",
        )
    check_signature_bytes(signed, bytes(record.public_key))  # keyId matched just above
    # (7) the key was valid when the statement was anchored (chain time, not `created`).
    valid_from = _aware(record.valid_from, "key valid_from")
    if anchored_at < valid_from:
        raise VerificationError(
            "key.validity",
            f"key {statement.key_id} became valid at {valid_from.isoformat()}, "
            f"after the anchoring time {anchored_at.isoformat()}",
        )
    revoked_at = None if record.revoked_at is None else _aware(record.revoked_at, "revoked_at")
    if revoked_at is not None and anchored_at >= revoked_at:
        raise VerificationError(
            "key.validity",
            f"key {statement.key_id} was revoked at {revoked_at.isoformat()}, "
            f"before the anchoring time {anchored_at.isoformat()}",
        )
    # (8) the self-declared creation time does not postdate anchoring.
    if statement.created > anchored_at + max_clock_skew:
        raise VerificationError(
            "statement.time",
            f"created {statement.created.isoformat()} is after the anchoring time "
            f"{anchored_at.isoformat()}",
        )


def verify_receipt(
    receipt: Receipt,
    *,
    log_key: VerifyKey,
    log_key_name: str,
    issuer_keys: Iterable[KeyRecordLike],
    anchored_at: datetime | int,
    at: datetime,
    anchored_head: tuple[int, bytes] | None = None,
    expected_attestation_id: str | None = None,
    max_clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
    checkpoints: CheckpointCache | None = None,
) -> Statement:
    """Verify a receipt offline (steps 2–8 of the module table); return the statement.

    ``log_key``/``log_key_name``: the log operator's checkpoint key (from the registry).
    ``issuer_keys``: the issuer's signing-key history (anything with ``public_key``,
    ``valid_from``, ``revoked_at``). ``anchored_at``: timestamp of the block that anchored
    the checkpoint (or the first anchored head covering it). ``anchored_head``: the
    (size, root) read from the AnchorRegistry, if the caller checked it; ``at``: now.
    ``checkpoints``: an optional :class:`CheckpointCache` so a batch of receipts under one
    checkpoint verifies its signature once.
    Raises :class:`~sdk.errors.VerificationError` naming the failed step.
    """
    at = _aware(at, "at")
    anchored_at = _aware(anchored_at, "anchored_at")
    signed = receipt.signed_statement
    # (2) the leaf is the signed statement's canonical bytes; its id is the one asked for.
    if expected_attestation_id is not None and not hmac.compare_digest(
        signed.attestation_id.encode(), str(expected_attestation_id).encode()
    ):
        raise VerificationError(
            "receipt.leaf",
            f"leaf hashes to attestation {signed.attestation_id}, "
            f"expected {expected_attestation_id}",
        )
    # (3) the checkpoint is signed by the log operator and names this chain and log.
    checkpoint = _verify_checkpoint(
        receipt.checkpoint, receipt.anchor, log_key, log_key_name, checkpoints
    )
    size, root = checkpoint.size, checkpoint.root
    # (4) the checkpoint is the anchored head, and anchoring happened before `at`.
    if anchored_head is not None and (
        anchored_head[0] != size or not hmac.compare_digest(anchored_head[1], root)
    ):
        raise VerificationError(
            "receipt.anchor",
            f"checkpoint head (size {size}) is not the anchored head (size {anchored_head[0]})",
        )
    if anchored_at > at:
        raise VerificationError(
            "receipt.anchor", f"anchoring time {anchored_at.isoformat()} is after {at.isoformat()}"
        )
    # (5) the leaf is in the checkpointed tree. The tight walk decides acceptance only
    # when it reaches the root; any other outcome goes to anchors.verify_inclusion, the
    # same RFC 9162 check, which names the failed sub-step.
    index, proof = receipt.leaf_index, receipt.inclusion_proof
    if not (
        index < size
        and len(proof) == inclusion_path_length(index, size)
        and hmac.compare_digest(
            root_from_inclusion_path(signed.leaf_hash, index, size, proof), root
        )
    ):
        try:
            verify_inclusion(signed.leaf_hash, index, size, proof, root)
        except InclusionProofError as exc:
            raise VerificationError("receipt.inclusion", str(exc)) from exc
    # (6)–(8) signature, key validity at anchoring time, creation time.
    _check_signature_and_key(signed, issuer_keys, anchored_at, max_clock_skew)
    return signed.statement


@dataclass(frozen=True, slots=True)
class _Head:
    origin: str
    size: int
    root: bytes


class CheckpointCache:
    """Checkpoints already verified by this verifier, keyed by (text, key name, key).

    A verifier checking many receipts under the same signed checkpoint (one log, one
    anchoring) needs to check its signature once: the cache holds only checkpoints whose
    signature verified, and a hit requires the identical note text and the same trusted
    key. Bounded; the oldest entry is dropped first. Not thread-safe.
    """

    def __init__(self, maxsize: int = 256) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self._maxsize = maxsize
        self._heads: dict[tuple[str, str, bytes], _Head] = {}

    def __len__(self) -> int:
        return len(self._heads)

    def verified(self, text: str, key_name: str, log_key: VerifyKey) -> _Head:
        """The head of a checkpoint signed by ``log_key`` as ``key_name``.

        Raises :class:`~anchors.errors.CheckpointError` (via
        :func:`anchors.verify_checkpoint`) if it is malformed or not signed by that key.
        """
        key = (text, key_name, bytes(log_key))
        head = self._heads.get(key)
        if head is None:
            checkpoint = verify_checkpoint(text, key_name, log_key)
            head = _Head(checkpoint.origin, checkpoint.size, bytes(checkpoint.root))
            if len(self._heads) >= self._maxsize:
                del self._heads[next(iter(self._heads))]
            self._heads[key] = head
        return head


def _verify_checkpoint(
    text: str,
    anchor: AnchorReference,
    log_key: VerifyKey,
    key_name: str,
    cache: CheckpointCache | None,
) -> Checkpoint | _Head:
    head: Checkpoint | _Head
    try:
        if cache is None:
            head = verify_checkpoint(text, key_name, log_key)
        else:
            head = cache.verified(text, key_name, log_key)
        origin = checkpoint_origin(anchor.chain_id, anchor.log_id)
    except CheckpointError as exc:
        raise VerificationError("receipt.checkpoint", str(exc)) from exc
    if head.origin != origin:
        raise VerificationError(
            "receipt.checkpoint",
            f"checkpoint origin {head.origin!r} is not {origin!r} named by the anchor",
        )
    return head


@dataclass(frozen=True)
class VerifiedAttestation:
    """The outcome of :func:`verify_attestation`: the statement, its id and the verified
    disclosed values (pointer → value)."""

    statement: Statement
    attestation_id: str
    values: dict[str, JsonValue]
    anchor: AnchorReference


def verify_attestation(
    receipt: Receipt,
    disclosure: Disclosure,
    *,
    log_key: VerifyKey,
    log_key_name: str,
    issuer_keys: Sequence[KeyRecordLike],
    anchored_at: datetime | int,
    at: datetime,
    anchored_head: tuple[int, bytes] | None = None,
    required: Iterable[str] = (),
    max_clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
    checkpoints: CheckpointCache | None = None,
) -> VerifiedAttestation:
    """Verify a receipt (:func:`verify_receipt`) and a disclosure of the same attestation.

    Returns the verified disclosed values. Raises :class:`~sdk.errors.VerificationError`
    naming the failed step; ``required`` pointers must be among the disclosed ones.
    """
    statement = verify_receipt(
        receipt,
        log_key=log_key,
        log_key_name=log_key_name,
        issuer_keys=issuer_keys,
        anchored_at=anchored_at,
        at=at,
        anchored_head=anchored_head,
        expected_attestation_id=disclosure.attestation_id,
        max_clock_skew=max_clock_skew,
        checkpoints=checkpoints,
    )
    values = verify_disclosure(disclosure, receipt.signed_statement, required=required)
    return VerifiedAttestation(
        statement, receipt.signed_statement.attestation_id, values, receipt.anchor
    )
