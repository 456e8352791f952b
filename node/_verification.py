"""``POST /v1/verify``: a step-by-step report on a receipt (and a disclosure), against the chain.

The node reads from the chain what :func:`sdk.verify_receipt` leaves to its caller: the
anchored head covering the checkpoint and its block time (AnchorRegistry), the log
operator's checkpoint keys (the signing keys of the organisation owning the log) and the
issuer's signing-key history (ParticipantRegistry). Receipts of any log anchored in the
same AnchorRegistry verify, not only this node's. The report lists every step of the
protocol in order: the ones before the first failure passed, the failed one carries the
reason, the rest were not reached.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from nacl.signing import VerifyKey

from anchors import checkpoint_origin
from anchors.chain import AnchorRegistryClient, later_of
from anchors.errors import AnchorsError
from node._util import check_aware
from node.errors import Unavailable
from sdk import Disclosure, KeyRecord, Receipt, verify_disclosure, verify_receipt
from sdk.errors import RegistryError, VerificationError
from sdk.registry import ParticipantRegistryClient

_MAX_TREE_SIZE = 2**64 - 1
"""The largest tree size the AnchorRegistry holds (uint64)."""

RECEIPT_STEPS = (
    "receipt.schema",
    "statement.schema",
    "receipt.leaf",
    "receipt.checkpoint",
    "receipt.anchor",
    "receipt.inclusion",
    "statement.signature",
    "key.validity",
    "statement.time",
)
DISCLOSURE_STEPS = (
    "disclosure.schema",
    "disclosure.attestation",
    "disclosure.count",
    "claims.duplicate",
    "disclosure.pointer",
    "disclosure.proof",
    "disclosure.commitment",
)


@dataclass(frozen=True)
class ChainReader:
    """The chain reads verification needs, behind plain callables (cheap to swap)."""

    anchors: AnchorRegistryClient
    participants: ParticipantRegistryClient
    log_owner: Callable[[str], str | None]
    chain_seconds: Callable[[], int] | None = None
    """The chain's latest block time (UNIX seconds): the clock of anchoring."""


class Verifier:
    """Builds verification reports; never raises for a failed check, only for I/O."""

    def __init__(self, chain: ChainReader) -> None:
        self._chain = chain

    def report(self, receipt: Any, disclosure: Any | None, at: datetime) -> dict[str, Any]:
        """The step-by-step report of ``receipt`` (and ``disclosure``) at time ``at``.

        Raises :class:`~node.errors.Unavailable` when the chain cannot be read.
        """
        check_aware(at)
        steps = list(RECEIPT_STEPS) + (list(DISCLOSURE_STEPS) if disclosure is not None else [])
        values: dict[str, Any] | None = None
        attestation_id: str | None = None
        try:
            try:
                parsed = Receipt.from_dict(receipt)
            except VerificationError as exc:
                if exc.step == "statement.schema":
                    raise
                raise VerificationError("receipt.schema", exc.reason) from exc
            attestation_id = parsed.signed_statement.attestation_id
            self._verify_receipt(parsed, at)
            if disclosure is not None:
                try:
                    parsed_disclosure = Disclosure.from_dict(disclosure)
                except VerificationError as exc:
                    raise VerificationError("disclosure.schema", exc.reason) from exc
                values = dict(verify_disclosure(parsed_disclosure, parsed.signed_statement))
        except VerificationError as exc:
            return _report(steps, exc.step, exc.reason, attestation_id, None)
        return _report(steps, None, None, attestation_id, values)

    def _verify_receipt(self, receipt: Receipt, at: datetime) -> None:
        anchor = receipt.anchor
        # Chain time is the clock of anchoring: "anchored before now" takes now no earlier
        # than the chain's latest block, which may run ahead of this machine's clock.
        if self._chain.chain_seconds is not None:
            try:
                at = later_of(at, self._chain.chain_seconds())
            except AnchorsError as exc:
                raise Unavailable(f"cannot read the chain's latest block: {exc}") from exc
        if receipt.leaf_index >= _MAX_TREE_SIZE:
            raise VerificationError(
                "receipt.anchor", f"no tree on chain can hold leaf {receipt.leaf_index}"
            )
        try:
            head = self._chain.anchors.first_at_or_above(anchor.log_id, receipt.leaf_index + 1)
        except AnchorsError as exc:
            raise Unavailable(f"cannot read the anchor registry: {exc}") from exc
        if head is None:
            raise VerificationError(
                "receipt.anchor", f"nothing anchored on chain covers leaf {receipt.leaf_index}"
            )
        # The checkpoint may be any anchored head at or above the first covering one.
        try:
            from_head = self._chain.anchors.first_at_or_above(
                anchor.log_id, _checkpoint_size(receipt.checkpoint)
            )
        except AnchorsError as exc:
            raise Unavailable(f"cannot read the anchor registry: {exc}") from exc
        anchored = from_head if from_head is not None else head
        anchored_at = datetime.fromtimestamp(anchored.timestamp, UTC)
        issuer = str(receipt.signed_statement.statement.issuer)
        try:
            history = self._chain.participants.signing_key_history(issuer)
        except RegistryError:
            history = []
        issuer_keys = [_key_record(r) for r in history]
        log_keys = self._log_keys(anchor.log_id)
        if not log_keys:
            raise VerificationError(
                "receipt.checkpoint", f"no registered key of the operator of log {anchor.log_id}"
            )
        origin = checkpoint_origin(anchor.chain_id, anchor.log_id)
        last: VerificationError | None = None
        for key in log_keys:
            try:
                verify_receipt(
                    receipt,
                    log_key=key,
                    log_key_name=origin,
                    issuer_keys=issuer_keys,
                    anchored_at=anchored_at,
                    at=at,
                    anchored_head=(anchored.size, anchored.root),
                )
                return
            except VerificationError as exc:
                if exc.step != "receipt.checkpoint":
                    raise
                last = exc
        assert last is not None
        raise last

    def _log_keys(self, log_id: str) -> Sequence[VerifyKey]:
        try:
            owner = self._chain.log_owner(log_id)
            if owner is None:
                return []
            history = self._chain.participants.signing_key_history(owner)
        except (RegistryError, AnchorsError) as exc:
            raise Unavailable(f"cannot read the log operator's keys: {exc}") from exc
        return [VerifyKey(r.public_key) for r in history]


def _checkpoint_size(note: str) -> int:
    lines = note.split("\n")
    try:
        size = int(lines[1])
    except (IndexError, ValueError) as exc:
        raise VerificationError("receipt.checkpoint", "checkpoint has no tree size line") from exc
    if not 0 <= size <= _MAX_TREE_SIZE:
        raise VerificationError(
            "receipt.checkpoint", f"checkpoint tree size {size} is out of range"
        )
    return size


def _key_record(record: Any) -> KeyRecord:
    return KeyRecord(
        public_key=record.public_key,
        valid_from=datetime.fromtimestamp(record.valid_from, UTC),
        revoked_at=(
            None if record.revoked_at is None else datetime.fromtimestamp(record.revoked_at, UTC)
        ),
    )


def _report(
    steps: list[str],
    failed: str | None,
    reason: str | None,
    attestation_id: str | None,
    values: dict[str, Any] | None,
) -> dict[str, Any]:
    out = []
    reached = True
    failed_step = failed
    if failed is not None and failed not in steps:
        steps = [*steps, failed]
    for step in steps:
        if not reached:
            out.append({"step": step, "status": "skipped", "reason": None})
        elif step == failed_step:
            # A reason may quote the input; one with a lone surrogate must still be JSON.
            text = f"{failed}: {reason}".encode("utf-8", "backslashreplace").decode("utf-8")
            out.append({"step": step, "status": "failed", "reason": text})
            reached = False
        else:
            out.append({"step": step, "status": "passed", "reason": None})
    return {
        "ok": failed is None,
        "attestationId": attestation_id,
        "failedStep": failed,
        "steps": out,
        "values": values,
    }
