"""The auditor: verify a carbon label against the chain, seeing only what was disclosed.

Evidence in, verdict out: :meth:`Auditor.collect_evidence` does the I/O into one
:class:`~sdk.roles.LabelEvidence`, :func:`~sdk.roles.audit_label` decides from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sdk.roles._audit import audit_label
from sdk.roles._evidence import LabelEvidence, collect_label_evidence
from sdk.roles._report import AuditReport
from sdk.roles._trust import AuditSource

if TYPE_CHECKING:
    from anchors.chain import AnchorRegistryClient
    from sdk.labels import LabelRegistryClient
    from sdk.registry import ParticipantRegistryClient


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Auditor:
    """Anyone holding a label id: a regulator, a bank, a buyer, a consumer with a QR code.

    Needs no keys: it reads the label and the registries from the chain and the public log
    and the label's public disclosure from a node. ``node`` is any :class:`AuditSource`: a
    :class:`~sdk.client.NodeClient` over HTTP, or a node's own in-process view (its
    verification page); the chain stays the root of trust either way. ``anchors`` is an
    :class:`anchors.chain.AnchorRegistryClient`.
    """

    def __init__(
        self,
        *,
        node: AuditSource,
        participants: ParticipantRegistryClient,
        labels: LabelRegistryClient,
        anchors: AnchorRegistryClient,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.node = node
        self.participants = participants
        self.labels = labels
        self.anchors = anchors
        self._clock = clock

    def collect_evidence(
        self, label_id: bytes | str, *, disclosure: Mapping[str, Any] | None = None
    ) -> LabelEvidence:
        """Everything the audit of ``label_id`` reads (see
        :func:`~sdk.roles.collect_label_evidence`): save it with ``to_dict`` to verify the
        label again offline."""
        return collect_label_evidence(
            label_id,
            node=self.node,
            participants=self.participants,
            labels=self.labels,
            anchors=self.anchors,
            disclosure=disclosure,
        )

    def verify_label(
        self,
        label_id: bytes | str,
        *,
        at: datetime | None = None,
        disclosure: Mapping[str, Any] | None = None,
    ) -> AuditReport:
        """:meth:`verify_label_at` at ``at``, or now (read once) when ``at`` is omitted."""
        return self.verify_label_at(
            label_id, at=at if at is not None else self._clock(), disclosure=disclosure
        )

    def verify_label_at(
        self,
        label_id: bytes | str,
        *,
        at: datetime,
        disclosure: Mapping[str, Any] | None = None,
    ) -> AuditReport:
        """Verify a label at time ``at`` following DESIGN.md §6.5, one result per check:
        :meth:`collect_evidence`, then :func:`~sdk.roles.audit_label`.

        ``disclosure`` is the label's public disclosure when the caller holds it (e.g. it
        came with the product); otherwise it is fetched from the node. Never raises for a
        failed check: the report says which check failed and why (use
        :meth:`AuditReport.raise_for_failure` to get a :class:`VerificationError`). Raises
        :class:`ValueError` for a naive ``at`` or a malformed label id, and
        :class:`~sdk.errors.RegistryError` when the chain cannot be read at all.
        """
        if at.utcoffset() is None:
            raise ValueError("naive datetime refused; pass a timezone-aware time")
        return audit_label(self.collect_evidence(label_id, disclosure=disclosure), at)
