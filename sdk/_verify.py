"""Offline verification of attestations: receipts, issuers, disclosures.

Every function takes the time as an argument (``at``, ``anchored_at``), refuses naive
datetimes, never does I/O, and raises one :class:`~sdk.errors.VerificationError` whose
``step`` (an :class:`sdk.Step`) names the failed check. Chain state (the anchored head and
its block time, the log operator's and the issuer's key histories, the issuer's roles) is
read by the caller and passed in.

:func:`check_issuer` is the one key-history-and-signature check of Tanji: the receipt
check below, the node's ``POST /v1/verify``, the label audit, the certifier and a leader
collecting a supplier's footprint all call it, with the anchoring time as the trusted
time (or, before anchoring, the time of the check).

Protocol steps (DESIGN.md §4, §6.5), in the order they are checked:

====  ======================  ===========================================================
 #    step                    check
====  ======================  ===========================================================
 1    ``statement.schema``    the signed statement parses, every field canonical
 2    ``receipt.leaf``        leaf bytes = JCS(signed statement); the expected id matches
 3    ``receipt.checkpoint``  signed by a key of the log operator valid when anchored;
                              origin = tanji/<chain>/<log>
 4    ``receipt.anchor``      checkpoint head = the anchored head; anchored before ``at``
 5    ``receipt.inclusion``   leaf at ``leafIndex`` under the checkpoint root
 6    ``statement.signature`` a registered issuer key with ``keyId`` verifies the signature
 7    ``key.validity``        valid_from <= anchored_at < revoked_at for that key
 8    ``issuer.role``         the issuer held a publishing role at anchored_at
 9    ``statement.time``      ``created`` is not after the anchoring time (+ clock skew)
 10   ``disclosure.*``        see :func:`sdk.verify_disclosure`
 11   ``envelope``            envelope digest, AEAD under the granted key, plaintext shape
 12   ``grant``               grant for this attestation and key, sealed box opens
 13   ``claims.*``            the decrypted footprint recomputes the commitment and subject
====  ======================  ===========================================================
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from nacl.signing import VerifyKey

from anchors import Checkpoint, checkpoint_origin, verify_checkpoint, verify_inclusion
from anchors.errors import CheckpointError, CheckpointSignatureError, InclusionProofError
from sdk._canonical import JsonValue
from sdk._disclosure import Disclosure, verify_disclosure
from sdk._keys import KeyRecordLike, key_id, verify_key_of
from sdk._receipt import AnchorReference, Receipt
from sdk._records import PUBLISHING_ROLES, Role, RoleRecordLike
from sdk._statement import SignedStatement, Statement, check_signature_bytes, require_aware
from sdk._steps import Step
from sdk.errors import VerificationError

DEFAULT_CLOCK_SKEW = timedelta(minutes=10)


def _aware(when: datetime | int, what: str) -> datetime:
    # Unix seconds (chain block timestamps) or an aware datetime; naive times are refused.
    if type(when) is datetime and when.tzinfo is UTC:
        return when
    if isinstance(when, bool):
        raise VerificationError(Step.ARGUMENTS, f"{what} must be a time, got a bool")
    if isinstance(when, int):
        return datetime.fromtimestamp(when, UTC)
    try:
        return require_aware(when, what)
    except ValueError as exc:
        raise VerificationError(Step.ARGUMENTS, str(exc)) from exc


def _t(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _window_defect(
    valid_from: datetime | int, revoked_at: datetime | int | None, at: datetime
) -> str | None:
    """Why ``at`` is outside ``[valid_from, revoked_at)``, or None when it is inside: the
    one validity rule for keys and roles (the contracts' own)."""
    # Hot path: the window holds, judged without converting (Unix seconds from chain
    # records, aware datetimes from sdk.KeyRecord); anything else takes the full path.
    if type(valid_from) is int and (revoked_at is None or type(revoked_at) is int):
        t = at.timestamp()
        if valid_from <= t and (revoked_at is None or t < revoked_at):
            return None
    elif (
        (
            type(valid_from) is datetime
            and valid_from.tzinfo is not None
            and (revoked_at is None or (type(revoked_at) is datetime and revoked_at.tzinfo))
        )
        and valid_from <= at
        and (revoked_at is None or at < revoked_at)
    ):
        return None
    start = _aware(valid_from, "valid_from")
    if at < start:
        return f"became valid at {_t(start)}, after {_t(at)}"
    if revoked_at is not None:
        end = _aware(revoked_at, "revoked_at")
        if at >= end:
            return f"was revoked at {_t(end)}, before {_t(at)}"
    return None


def _role(value: Role | str) -> Role | None:
    if isinstance(value, Role):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return Role(value)
        except ValueError:
            return None
    return Role.__members__.get(str(value))


def check_issuer(
    signed: SignedStatement,
    *,
    keys: Iterable[KeyRecordLike],
    roles: Iterable[RoleRecordLike],
    at: datetime | int,
    max_clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
) -> KeyRecordLike:
    """The statement was signed by its issuer, as registered on chain at the trusted time.

    ``keys`` is the issuer's signing-key history and ``roles`` its role history (anything
    with ``public_key`` / ``role`` and ``valid_from``, ``revoked_at``; times aware or Unix
    seconds). ``at`` is the trusted time: the block time of the first anchored head
    covering the statement (never the self-declared ``created``), or, for a recipient
    acting before anchoring, the time of the check. Returns the key record that signed.

    Raises :class:`~sdk.errors.VerificationError` at the first failed step:
    ``statement.signature`` (no registered key with ``keyId``, or its signature does not
    verify), ``key.validity`` (the key was not valid at ``at``), ``issuer.role`` (the
    issuer held none of SUPPLIER, LEADER, CERTIFIER at ``at``: DESIGN.md §2.1, keys count
    "for that organisation and role"), ``statement.time`` (``created`` is later than
    ``at`` plus ``max_clock_skew``: a statement cannot be anchored before it was made).
    """
    when = _aware(at, "at")
    statement = signed.statement
    # (6) a registered key of the issuer, named by keyId, verifies the signature.
    record = next(
        (
            k
            for k in keys
            if len(k.public_key) == 32
            and key_id("ed25519", bytes(k.public_key)) == statement.key_id
        ),
        None,
    )
    if record is None:
        raise VerificationError(
            Step.STATEMENT_SIGNATURE,
            f"key {statement.key_id} is not a registered signing key of {statement.issuer}",
        )
    check_signature_bytes(signed, bytes(record.public_key))  # keyId matched just above
    # (7) the key was valid at the trusted time.
    defect = _window_defect(record.valid_from, record.revoked_at, when)
    if defect is not None:
        raise VerificationError(
            Step.KEY_VALIDITY,
            f"key {statement.key_id} of {statement.issuer} {defect}, the trusted (anchoring) time",
        )
    # (8) the issuer held a publishing role at the trusted time.
    periods = [(role, g) for g in roles if (role := _role(g.role)) in PUBLISHING_ROLES]
    if not any(_window_defect(g.valid_from, g.revoked_at, when) is None for _, g in periods):
        names = "/".join(sorted(r.name for r in PUBLISHING_ROLES))
        history = "; ".join(
            f"{role.name} {_window_defect(g.valid_from, g.revoked_at, when)}" for role, g in periods
        )
        raise VerificationError(
            Step.ISSUER_ROLE,
            f"{statement.issuer} held no {names} role at {_t(when)}, the trusted (anchoring) "
            f"time: {history or 'it never held one'}",
        )
    # (9) the self-declared creation time does not postdate the trusted time.
    if statement.created > when + max_clock_skew:
        raise VerificationError(
            Step.STATEMENT_TIME,
            f"created {_t(statement.created)} is after the trusted (anchoring) time {_t(when)}",
        )
    return record


def verify_receipt(
    receipt: Receipt,
    *,
    log_keys: Iterable[KeyRecordLike],
    issuer_keys: Iterable[KeyRecordLike],
    issuer_roles: Iterable[RoleRecordLike],
    anchored_head: tuple[int, bytes],
    anchored_at: datetime | int,
    at: datetime,
    expected_attestation_id: str | None = None,
    max_clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
    checkpoints: CheckpointCache | None = None,
) -> Statement:
    """Verify a receipt offline (steps 2–9 of the module table); return the statement.

    ``log_keys``: the signing-key history of the organisation owning the log (the
    checkpoint key's signed-note name is the checkpoint origin ``tanji/<chain>/<log>``).
    ``issuer_keys`` / ``issuer_roles``: the issuer's signing-key and role histories.
    ``anchored_head``: the (size, root) of the first head anchored on chain covering the
    leaf, read from the AnchorRegistry; the receipt's checkpoint must be that head.
    ``anchored_at``: that head's block time, the statement's trusted time. ``at``: now.
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
            Step.RECEIPT_LEAF,
            f"leaf hashes to attestation {signed.attestation_id}, "
            f"expected {expected_attestation_id}",
        )
    # (3) the checkpoint is signed by the log operator, with a key valid when it was
    # anchored, and names this chain and log.
    size, root = _verify_checkpoint(
        receipt.checkpoint, receipt.anchor, log_keys, anchored_at, checkpoints
    )
    # (4) the checkpoint is the anchored head, and anchoring happened before `at`.
    if anchored_head[0] != size or not hmac.compare_digest(anchored_head[1], root):
        raise VerificationError(
            Step.RECEIPT_ANCHOR,
            f"checkpoint head (size {size}) is not the first head anchored on chain covering "
            f"leaf {receipt.leaf_index} (size {anchored_head[0]})",
        )
    if anchored_at > at:
        raise VerificationError(
            Step.RECEIPT_ANCHOR, f"anchoring time {_t(anchored_at)} is after {_t(at)}"
        )
    # (5) the leaf is in the checkpointed tree.
    try:
        verify_inclusion(signed.leaf_hash, receipt.leaf_index, size, receipt.inclusion_proof, root)
    except InclusionProofError as exc:
        raise VerificationError(Step.RECEIPT_INCLUSION, str(exc)) from exc
    # (6)–(9) signature, key validity, role, creation time at the anchoring time.
    check_issuer(
        signed, keys=issuer_keys, roles=issuer_roles, at=anchored_at, max_clock_skew=max_clock_skew
    )
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
    signature verified, and a hit requires the identical note text and the same key.
    Bounded; the oldest entry is dropped first. Not thread-safe.
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
    log_keys: Iterable[KeyRecordLike],
    anchored_at: datetime,
    cache: CheckpointCache | None,
) -> tuple[int, bytes]:
    try:
        origin = checkpoint_origin(anchor.chain_id, anchor.log_id)
    except CheckpointError as exc:
        raise VerificationError(Step.RECEIPT_CHECKPOINT, str(exc)) from exc
    records = [k for k in log_keys if len(k.public_key) == 32]
    # Only a key valid at the anchoring time makes the checkpoint count.
    outside = []
    for record in records:
        defect = _window_defect(record.valid_from, record.revoked_at, anchored_at)
        if defect is not None:
            outside.append((record, defect))
            continue
        head = _signed_by(text, origin, bytes(record.public_key), cache)
        if head is None:
            continue
        if head.origin != origin:
            raise VerificationError(
                Step.RECEIPT_CHECKPOINT,
                f"checkpoint origin {head.origin!r} is not {origin!r} named by the anchor",
            )
        return head.size, bytes(head.root)
    # The others are tried only to say why a checkpoint one of them signed does not count.
    for record, defect in outside:
        if _signed_by(text, origin, bytes(record.public_key), cache) is not None:
            raise VerificationError(
                Step.RECEIPT_CHECKPOINT,
                f"signed by log operator key {key_id('ed25519', bytes(record.public_key))} "
                f"that {defect}, the anchoring time",
            )
    raise VerificationError(
        Step.RECEIPT_CHECKPOINT,
        f"no registered key of the operator of log {anchor.log_id!r} signed the checkpoint "
        f"as {origin!r}",
    )


def _signed_by(
    text: str, origin: str, public_key: bytes, cache: CheckpointCache | None
) -> Checkpoint | _Head | None:
    """The checkpoint's head if ``public_key`` signed it as ``origin``, else None."""
    verify_key = verify_key_of(public_key)
    try:
        if cache is None:
            return verify_checkpoint(text, origin, verify_key)
        return cache.verified(text, origin, verify_key)
    except CheckpointSignatureError:
        return None
    except CheckpointError as exc:
        raise VerificationError(Step.RECEIPT_CHECKPOINT, str(exc)) from exc


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
    log_keys: Iterable[KeyRecordLike],
    issuer_keys: Sequence[KeyRecordLike],
    issuer_roles: Sequence[RoleRecordLike],
    anchored_head: tuple[int, bytes],
    anchored_at: datetime | int,
    at: datetime,
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
        log_keys=log_keys,
        issuer_keys=issuer_keys,
        issuer_roles=issuer_roles,
        anchored_head=anchored_head,
        anchored_at=anchored_at,
        at=at,
        expected_attestation_id=disclosure.attestation_id,
        max_clock_skew=max_clock_skew,
        checkpoints=checkpoints,
    )
    values = verify_disclosure(disclosure, receipt.signed_statement, required=required)
    return VerifiedAttestation(
        statement, receipt.signed_statement.attestation_id, values, receipt.anchor
    )
