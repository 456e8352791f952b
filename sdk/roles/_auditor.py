"""The auditor: verify a carbon label against the chain, seeing only what was disclosed."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from anchors.chain import AnchorRegistryClient
from sdk._disclosure import Disclosure, verify_disclosure
from sdk._labels import Label, LabelRegistryClient, LabelStatus
from sdk._registry import ParticipantRegistryClient, Role
from sdk._statement import SignedStatement
from sdk.errors import NodeClientError, SdkError, VerificationError
from sdk.roles._labelling import (
    LABEL_POINTERS,
    PRODUCT_POINTER,
    UNIT_AMOUNT_POINTER,
    UNIT_POINTER,
    VALUE_POINTER,
    label_id_bytes,
    label_unit,
)
from sdk.roles._report import AuditCheck, AuditReport, CheckResult, CheckStatus
from sdk.roles._trust import (
    AnchoredLeaf,
    AuditSource,
    check_signature,
    fetch_leaf,
    latest_size,
    log_id_matching,
    prove_anchored,
    superseding,
)


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
        """Verify a label at time ``at`` following DESIGN.md §6.5, one result per check.

        ``disclosure`` is the label's public disclosure when the caller holds it (e.g. it
        came with the product); otherwise it is fetched from the node. Never raises for a
        failed check: the report says which check failed and why (use
        :meth:`AuditReport.raise_for_failure` to get a :class:`VerificationError`). Raises
        :class:`ValueError` for a naive ``at`` or a malformed label id.
        """
        if at.utcoffset() is None:
            raise ValueError("naive datetime refused; pass a timezone-aware time")
        lid = label_id_bytes(label_id)
        run = _Run(self, lid, at, disclosure)
        return run.execute()


class _Run:
    """One verification: the checks in order, each recording its result."""

    def __init__(
        self, auditor: Auditor, lid: bytes, at: datetime, disclosure: Mapping[str, Any] | None
    ) -> None:
        self.a = auditor
        self.lid = lid
        self.at = at
        self.given_disclosure = disclosure
        self.results: list[CheckResult] = []
        self.label: Label | None = None
        self.log_id: str | None = None
        self.signed: SignedStatement | None = None
        self.anchored: AnchoredLeaf | None = None
        self.disclosed: dict[str, Any] = {}

    def _record(self, check: AuditCheck, status: CheckStatus, reason: str) -> None:
        self.results.append(CheckResult(check, status, reason))

    def _skip_rest(self, after: AuditCheck, why: str) -> None:
        for check in AuditCheck:
            if check.number > after.number:
                self._record(check, CheckStatus.SKIPPED, why)

    def _step(self, check: AuditCheck, fn: Callable[[], str | tuple[CheckStatus, str]]) -> bool:
        try:
            out = fn()
        except VerificationError as exc:
            self._record(check, CheckStatus.FAILED, exc.reason)
            return False
        except (SdkError, ValueError, KeyError, TypeError) as exc:
            self._record(check, CheckStatus.FAILED, f"{type(exc).__name__}: {exc}")
            return False
        if isinstance(out, tuple):
            self._record(check, out[0], out[1])
            return out[0] is not CheckStatus.FAILED
        self._record(check, CheckStatus.PASSED, out)
        return True

    def execute(self) -> AuditReport:
        # (1) label exists, is active and within validity at `at`.
        if not self._step(AuditCheck.LABEL, self.check_label) and self.label is None:
            self._skip_rest(AuditCheck.LABEL, "no label to check")
            return self.report()
        # (2) the issuing account belongs to a registered CERTIFIER.
        self._step(AuditCheck.ISSUER, self.check_issuer)
        # (3) the referenced leaf hashes to the label's leaf hash.
        if not self._step(AuditCheck.LEAF, self.check_leaf):
            self._skip_rest(AuditCheck.LEAF, "the labelled attestation could not be fetched")
            return self.report()
        # (4) its inclusion proof leads to a head anchored on chain.
        anchored = self._step(AuditCheck.ANCHOR, self.check_anchor)
        # (5) signature under a key valid at anchoring time (needs the anchor's time).
        if anchored:
            self._step(AuditCheck.SIGNATURE, self.check_signature)
        else:
            self._record(
                AuditCheck.SIGNATURE,
                CheckStatus.SKIPPED,
                "without an anchor there is no trusted time to check the key at",
            )
        # (6) the public disclosure is the label's and verifies against the commitment.
        if self._step(AuditCheck.DISCLOSURE, self.check_disclosure):
            # (7) disclosed value, unit and product equal the label's.
            self._step(AuditCheck.MATCH, self.check_match)
        else:
            self._record(AuditCheck.MATCH, CheckStatus.SKIPPED, "no verified disclosure")
        # (8) no newer attestation of the same issuer supersedes this one (warning only).
        self._step(AuditCheck.SUPERSEDED, self.check_superseded)
        return self.report()

    def report(self) -> AuditReport:
        label = self.label
        return AuditReport(
            label_id="0x" + self.lid.hex(),
            checked_at=self.at,
            results=tuple(self.results),
            disclosed=dict(self.disclosed),
            attestation_id=self.signed.attestation_id if self.signed else None,
            anchored_at=self.anchored.anchored_at if self.anchored else None,
            label=_label_summary(label) if label is not None else {},
        )

    # ------------------------------------------------------------------ the checks

    def check_label(self) -> str:
        label = self.a.labels.label(self.lid)
        if label is None:
            raise VerificationError("label", f"no label 0x{self.lid.hex()} on chain")
        self.label = label
        status = self.a.labels.status_at(self.lid, self.at)
        window = f"{_ts(label.valid_from)} to {_ts(label.valid_until)}"
        if status is LabelStatus.REVOKED:
            assert label.revoked_at is not None
            raise VerificationError(
                "label",
                f"revoked at {_ts(label.revoked_at)}: {label.revocation_reason}",
            )
        if status is LabelStatus.EXPIRED:
            raise VerificationError(
                "label", f"expired at {_ts(label.valid_until)} (valid {window})"
            )
        if status is LabelStatus.NOT_YET_VALID:
            raise VerificationError("label", f"not valid before {_ts(label.valid_from)}")
        if status is not LabelStatus.ACTIVE:
            raise VerificationError("label", f"status {status.name} at {_t(self.at)}")
        return f"active at {_t(self.at)}; valid {window}; {label.value} {label.unit}"

    def check_issuer(self) -> str:
        label = self._label()
        org = self.a.participants.org_id_of_account(label.issuer)
        if org is None:
            raise VerificationError(
                "issuer", f"account {label.issuer} belongs to no registered organisation"
            )
        record = self.a.participants.organisation(org)
        if record is None or not hmac.compare_digest(record.org_id_digest, label.issuer_org_digest):
            raise VerificationError(
                "issuer", f"account {label.issuer} no longer belongs to the issuing organisation"
            )
        if not record.has_role(Role.CERTIFIER):
            raise VerificationError("issuer", f"{org} does not hold the CERTIFIER role")
        return f"issued by {label.issuer} of {org}, a registered CERTIFIER"

    def check_leaf(self) -> str:
        label = self._label()
        self.log_id = log_id_matching(self.a.node, label.log_id_digest)
        signed = fetch_leaf(self.a.node, self.log_id, label.leaf_index)
        if not hmac.compare_digest(signed.leaf_hash, label.leaf_hash):
            raise VerificationError(
                "leaf",
                f"leaf {label.leaf_index} of log {self.log_id} hashes to "
                f"{signed.leaf_hash.hex()}, the label names {label.leaf_hash.hex()}",
            )
        self.signed = signed
        return (
            f"leaf {label.leaf_index} of log {self.log_id}: attestation "
            f"{signed.attestation_id[:16]}… by {signed.statement.issuer}"
        )

    def check_anchor(self) -> str:
        label = self._label()
        assert self.signed is not None
        assert self.log_id is not None
        self.anchored = prove_anchored(
            self.a.node, self.a.anchors, self.signed, self.log_id, label.leaf_index
        )
        return (
            f"included in the head of size {self.anchored.head_size} anchored on chain at "
            f"{_t(self.anchored.anchored_at)}"
        )

    def check_signature(self) -> str:
        assert self.anchored is not None
        return check_signature(self.a.participants, self.anchored)

    def check_disclosure(self) -> str:
        label = self._label()
        assert self.signed is not None
        raw = self.given_disclosure
        if raw is None:
            try:
                raw = self.a.node.label_disclosure("0x" + self.lid.hex())
            except NodeClientError as exc:
                raise VerificationError(
                    "disclosure", f"the node has no public disclosure for this label: {exc}"
                ) from exc
        disclosure = Disclosure.from_dict(raw)
        if not hmac.compare_digest(disclosure.digest, label.disclosure_digest):
            raise VerificationError(
                "disclosure",
                "the public disclosure's digest is not the one recorded in the label: "
                "it was altered or belongs to another label",
            )
        try:
            values = verify_disclosure(disclosure, self.signed, required=LABEL_POINTERS)
        except VerificationError as exc:
            raise VerificationError("disclosure", f"{exc.step}: {exc.reason}") from exc
        self.disclosed = dict(values)
        return (
            f"{len(values)} disclosed claim(s) verify against the signed commitment; "
            f"the other {self.signed.statement.claim_count - len(values)} stay hidden"
        )

    def check_match(self) -> str:
        label = self._label()
        assert self.signed is not None
        d = self.disclosed
        try:
            value = Decimal(str(d[VALUE_POINTER]))
            claimed = label.value_decimal
        except (InvalidOperation, KeyError) as exc:
            raise VerificationError("match", f"disclosed value is not a decimal: {exc}") from exc
        if not value.is_finite():  # NaN/sNaN/Infinity: sNaN would even raise on comparison
            raise VerificationError(
                "match", f"disclosed value {d[VALUE_POINTER]!r} is not a finite decimal"
            )
        if value != claimed:
            raise VerificationError(
                "match",
                f"label claims {label.value} {label.unit} but the attested value is "
                f"{d[VALUE_POINTER]}",
            )
        unit = label_unit(str(d[UNIT_POINTER]), str(d[UNIT_AMOUNT_POINTER]))
        if unit != label.unit:
            raise VerificationError(
                "match", f"label unit {label.unit!r} differs from the attested {unit!r}"
            )
        product = str(d[PRODUCT_POINTER])
        digest = hashlib.sha256(product.encode("utf-8")).digest()
        if not hmac.compare_digest(digest, label.product_id_digest):
            raise VerificationError("match", f"label is for another product than {product}")
        if not hmac.compare_digest(digest, self.signed.statement.subject_digest):
            raise VerificationError(
                "match", f"the attestation's subject is not the disclosed product {product}"
            )
        return f"{label.value} {label.unit} for {product}, as attested"

    def check_superseded(self) -> str | tuple[CheckStatus, str]:
        label = self._label()
        if self.signed is None or self.log_id is None:
            return CheckStatus.SKIPPED, "the labelled attestation could not be fetched"
        try:
            size = latest_size(self.a.node)
            newer = superseding(self.a.node, self.log_id, self.signed, label.leaf_index, size)
        except (NodeClientError, VerificationError, KeyError, TypeError, ValueError) as exc:
            # Check 8 is a warning: an unreadable log leaves the verdict of 1–7 standing.
            return CheckStatus.WARNED, f"could not scan the log for newer attestations: {exc}"
        if newer:
            index, attestation_id = newer[-1]
            return (
                CheckStatus.WARNED,
                f"superseded by attestation {attestation_id[:16]}… (leaf {index}) of the "
                "same issuer; the label refers to an outdated footprint",
            )
        return f"no newer attestation of {self.signed.statement.issuer} supersedes it"

    def _label(self) -> Label:
        assert self.label is not None
        return self.label


def _ts(seconds: int) -> str:
    return _t(datetime.fromtimestamp(seconds, UTC))


def _t(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _label_summary(label: Label) -> dict[str, Any]:
    return {
        "value": label.value,
        "unit": label.unit,
        "grade": label.grade,
        "standard": label.standard,
        "validFrom": _ts(label.valid_from),
        "validUntil": _ts(label.valid_until),
        "issuer": label.issuer,
        "leafIndex": label.leaf_index,
        "revokedAt": _ts(label.revoked_at) if label.revoked_at else None,
        "revocationReason": label.revocation_reason,
    }
