"""``POST /v1/verify``: a step-by-step report on a receipt (and a disclosure), against the chain.

The node reads from the chain what :func:`sdk.verify_receipt` leaves to its caller: the
first anchored head covering the leaf and its block time (AnchorRegistry), the key
history of the organisation owning the log (the checkpoint must be signed by one of its
keys valid at that time: a revoked operator key does not count) and the issuer's
signing-key and role histories (ParticipantRegistry). Receipts of any log anchored in the
same AnchorRegistry verify, not only this node's. The report lists every step of the
protocol (:data:`sdk.RECEIPT_STEPS`, :data:`sdk.DISCLOSURE_STEPS`) in order: the ones
before the first failure passed, the failed one carries the reason, the rest were not
reached.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from anchors.chain import AnchorRegistryClient, later_of
from anchors.errors import AnchorsError
from node._util import check_aware
from node.errors import Unavailable
from sdk import (
    DISCLOSURE_STEPS,
    RECEIPT_STEPS,
    Disclosure,
    Receipt,
    Step,
    verify_disclosure,
    verify_receipt,
)
from sdk.errors import RegistryError, RegistryRefused, VerificationError
from sdk.registry import KeyRecord, ParticipantRegistryClient, RoleRecord

_MAX_TREE_SIZE = 2**64 - 1
"""The largest tree size the AnchorRegistry holds (uint64)."""


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
        steps: list[str] = [*RECEIPT_STEPS, *(DISCLOSURE_STEPS if disclosure is not None else ())]
        values: dict[str, Any] | None = None
        attestation_id: str | None = None
        try:
            try:
                parsed = Receipt.from_dict(receipt)
            except VerificationError as exc:
                if exc.step == Step.STATEMENT_SCHEMA:
                    raise
                raise VerificationError(Step.RECEIPT_SCHEMA, exc.reason) from exc
            attestation_id = parsed.signed_statement.attestation_id
            self._verify_receipt(parsed, at)
            if disclosure is not None:
                try:
                    parsed_disclosure = Disclosure.from_dict(disclosure)
                except VerificationError as exc:
                    raise VerificationError(Step.DISCLOSURE_SCHEMA, exc.reason) from exc
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
                Step.RECEIPT_ANCHOR, f"no tree on chain can hold leaf {receipt.leaf_index}"
            )
        try:
            head = self._chain.anchors.first_at_or_above(anchor.log_id, receipt.leaf_index + 1)
        except AnchorsError as exc:
            raise Unavailable(f"cannot read the anchor registry: {exc}") from exc
        if head is None:
            raise VerificationError(
                Step.RECEIPT_ANCHOR, f"nothing anchored on chain covers leaf {receipt.leaf_index}"
            )
        issuer = str(receipt.signed_statement.statement.issuer)
        issuer_keys: Sequence[KeyRecord] = []
        issuer_roles: Sequence[RoleRecord] = []
        try:
            issuer_keys = self._chain.participants.signing_key_history(issuer)
            issuer_roles = self._chain.participants.role_history(issuer)
        except RegistryRefused:
            pass  # an unknown issuer (UnknownOrganisation): statement.signature names it
        except RegistryError as exc:
            raise Unavailable(f"cannot read the issuer's keys and roles: {exc}") from exc
        verify_receipt(
            receipt,
            log_keys=self._log_keys(anchor.log_id),
            issuer_keys=issuer_keys,
            issuer_roles=issuer_roles,
            anchored_head=(head.size, head.root),
            anchored_at=head.timestamp,
            at=at,
        )

    def _log_keys(self, log_id: str) -> Sequence[KeyRecord]:
        """The whole signing-key history of the log's owner: sdk.verify_receipt takes only
        a key valid when the checkpoint was anchored."""
        try:
            owner = self._chain.log_owner(log_id)
            if owner is None:
                return []
            return self._chain.participants.signing_key_history(owner)
        except (RegistryError, AnchorsError) as exc:
            raise Unavailable(f"cannot read the log operator's keys: {exc}") from exc


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
