"""The auditor's report: one entry per check of DESIGN.md §6.5, in protocol order.

The report is a plain value object (no I/O). Each check is ``passed``, ``failed``,
``warned`` or ``skipped`` (a later check that could not run because an earlier one failed)
with a one-line reason a person can read. :meth:`AuditReport.raise_for_failure` turns the
first failure into the :class:`~sdk.errors.VerificationError` that names the check, so code
that wants an exception and code that wants a report share one verification.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sdk._steps import Step
from sdk.errors import VerificationError

if TYPE_CHECKING:
    from sdk.roles._evidence import EvidenceSource


class AuditCheck(enum.Enum):
    """The checks of DESIGN.md §6.5, numbered as there (9: the committed roll-up,
    docs/commitments.md §8; skipped for a label whose leader published no roll-up
    proof)."""

    LABEL = (1, Step.LABEL, "label exists, is active and within its validity window")
    ISSUER = (
        2,
        Step.ISSUER,
        "issuing account belongs to a registered CERTIFIER, independent of the product's maker",
    )
    LEAF = (3, Step.LEAF, "referenced log leaf is fetched and hashes to the label's leaf hash")
    ANCHOR = (4, Step.ANCHOR, "inclusion proof leads to a checkpoint anchored on chain")
    SIGNATURE = (
        5,
        Step.SIGNATURE,
        "statement signed by a key and role of the issuer valid at anchoring time, not dated later",
    )
    DISCLOSURE = (6, Step.DISCLOSURE, "public disclosure matches the label and the commitment")
    MATCH = (7, Step.MATCH, "disclosed value, unit and product match the label")
    SUPERSEDED = (8, Step.SUPERSEDED, "no newer attestation supersedes the labelled one")
    ROLLUP_COMMITMENTS = (
        9,
        Step.ROLLUP_COMMITMENTS,
        "label value is at least the weighted sum of the suppliers' committed values",
    )

    def __init__(self, number: int, step: Step, title: str) -> None:
        self.number = number
        self.step = step
        self.title = title


class CheckStatus(enum.Enum):
    """Outcome of one check."""

    PASSED = "passed"
    FAILED = "failed"
    WARNED = "warned"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome and the reason, in words."""

    check: AuditCheck
    status: CheckStatus
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``{number, step, title, status, reason}``."""
        return {
            "number": self.check.number,
            "step": str(self.check.step),
            "title": self.check.title,
            "status": self.status.value,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class AuditReport:
    """The result of verifying one label at one time.

    ``disclosed`` holds exactly the claims the auditor could read (JSON Pointer → value),
    empty when the disclosure did not verify. ``attestation_id`` and ``anchored_at`` are
    filled when the checks got that far; ``source`` says where and when the chain facts of
    the evidence were read.
    """

    label_id: str
    checked_at: datetime
    results: tuple[CheckResult, ...]
    disclosed: Mapping[str, Any] = field(default_factory=dict)
    attestation_id: str | None = None
    anchored_at: datetime | None = None
    label: Mapping[str, Any] = field(default_factory=dict)
    source: EvidenceSource | None = None

    @property
    def ok(self) -> bool:
        """True when no check failed (warnings allowed)."""
        return all(r.status is not CheckStatus.FAILED for r in self.results)

    @property
    def failed(self) -> CheckResult | None:
        """The first failed check, or ``None``."""
        return next((r for r in self.results if r.status is CheckStatus.FAILED), None)

    @property
    def warnings(self) -> tuple[CheckResult, ...]:
        """The checks that passed with a warning."""
        return tuple(r for r in self.results if r.status is CheckStatus.WARNED)

    def result(self, check: AuditCheck) -> CheckResult:
        """The outcome of one check; raises :class:`KeyError` if the report lacks it."""
        for r in self.results:
            if r.check is check:
                return r
        raise KeyError(check.step)

    def raise_for_failure(self) -> None:
        """Raise :class:`~sdk.errors.VerificationError` naming the first failed check, if any."""
        failed = self.failed
        if failed is not None:
            raise VerificationError(failed.check.step, failed.reason)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form of the whole report (claim values as disclosed, i.e. strings)."""
        return {
            "labelId": self.label_id,
            "checkedAt": _rfc3339(self.checked_at),
            "verdict": self.verdict,
            "attestationId": self.attestation_id,
            "anchoredAt": _rfc3339(self.anchored_at) if self.anchored_at else None,
            "label": dict(self.label),
            "checks": [r.to_dict() for r in self.results],
            "disclosed": dict(self.disclosed),
            "evidence": None
            if self.source is None
            else {
                "chainId": self.source.chain_id,
                "block": self.source.block,
                "blockTime": _rfc3339(datetime.fromtimestamp(self.source.block_time, UTC)),
            },
        }

    @property
    def verdict(self) -> str:
        """``valid``, ``valid with warnings`` or ``invalid (<step>)``."""
        failed = self.failed
        if failed is not None:
            return f"invalid ({failed.check.step})"
        return "valid with warnings" if self.warnings else "valid"

    def to_text(self) -> str:
        """The report as lines a person reads: one per check, then the verdict."""
        marks = {
            CheckStatus.PASSED: "PASS",
            CheckStatus.FAILED: "FAIL",
            CheckStatus.WARNED: "WARN",
            CheckStatus.SKIPPED: "skip",
        }
        lines = [f"Audit of label {self.label_id} at {_rfc3339(self.checked_at)}"]
        if self.source is not None:
            read = datetime.fromtimestamp(self.source.block_time, UTC)
            lines.append(
                f"  chain facts read from chain {self.source.chain_id} at block "
                f"{self.source.block} ({_rfc3339(read)})"
            )
        for r in self.results:
            lines.append(f"  ({r.check.number}) [{marks[r.status]}] {r.check.title}")
            lines.append(f"        {r.reason}")
        lines.append(f"  verdict: {self.verdict}")
        return "\n".join(lines)


def _rfc3339(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")
