"""The label audit of DESIGN.md §6.5 as a pure function of an evidence bundle and a time.

:func:`audit_label` does no I/O: everything it reads is in the
:class:`~sdk.roles.LabelEvidence` (collected by :func:`sdk.roles.collect_label_evidence`,
or loaded from a saved bundle), so the same verdict comes out online, offline, or in
another implementation fed the same JSON.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sdk._disclosure import Disclosure, verify_disclosure
from sdk._records import (
    Label,
    LabelStatus,
    Role,
    log_id_digest,
    org_id_digest,
    product_id_digest,
)
from sdk._statement import SignedStatement
from sdk._steps import Step
from sdk._valueproof import check_value_range_proof, value_commitment, value_context
from sdk.errors import SdkError, VerificationError
from sdk.roles._evidence import LabelEvidence, RollupLineEvidence
from sdk.roles._labelling import (
    LABEL_POINTERS,
    PRODUCT_POINTER,
    UNIT_AMOUNT_POINTER,
    UNIT_POINTER,
    VALUE_POINTER,
    label_unit,
)
from sdk.roles._report import AuditCheck, AuditReport, CheckResult, CheckStatus
from sdk.roles._rollup import check_committed_rollup
from sdk.roles._trust import (
    AnchoredLeaf,
    IssuerHistory,
    check_anchored,
    check_signature_with,
    parse_leaf,
    superseding,
)
from sdk.zk import Commitment

_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def audit_label(evidence: LabelEvidence, at: datetime) -> AuditReport:
    """Verify a label at time ``at`` from its evidence, one result per check of §6.5.

    Checks: (1) ``label`` exists, is active and within validity at ``at``; (2)
    ``issuer``: the issuing account belongs to an organisation holding CERTIFIER at
    ``at``, and that organisation did not issue the labelled attestation itself (CNCA
    independence of the certification body); (3) ``leaf``: the node's leaf hashes to the
    label's leaf hash; (4) ``anchor``: it is included in the first head anchored on chain
    covering it; (5) ``signature``: :func:`sdk.check_issuer` at that head's block time
    (key and publishing role valid then, ``created`` not later); (6) ``disclosure``: the
    public disclosure is the one the label records and verifies against the commitment
    and the subject; (7) ``match``: disclosed value, unit and product equal the label's;
    (8) ``superseded`` (a warning): no newer attestation of the same issuer supersedes it;
    (9) ``rollup.commitments``: when the leader published its roll-up proof, the label's
    value is at least Σ q_i·v_i over the upstream attestations it names — each anchored
    (inclusion in a head on chain), signed by a key and role valid at anchoring, its
    value's range proof verified — without any v_i being revealed (skipped otherwise).

    Never raises for a failed check: the report says which failed and why
    (:meth:`AuditReport.raise_for_failure` turns it into a
    :class:`~sdk.errors.VerificationError`). Raises :class:`ValueError` for a naive ``at``.
    """
    if at.utcoffset() is None:
        raise ValueError("naive datetime refused; pass a timezone-aware time")
    return _Audit(evidence, at).run()


class _Audit:
    """One audit: the checks in order, each recording its result."""

    def __init__(self, evidence: LabelEvidence, at: datetime) -> None:
        self.e = evidence
        self.at = at
        self.results: list[CheckResult] = []
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
        except (SdkError, ValueError, KeyError, TypeError, OverflowError) as exc:
            self._record(check, CheckStatus.FAILED, f"{type(exc).__name__}: {exc}")
            return False
        if isinstance(out, tuple):
            self._record(check, out[0], out[1])
            return out[0] is not CheckStatus.FAILED
        self._record(check, CheckStatus.PASSED, out)
        return True

    def run(self) -> AuditReport:
        # (1) label exists, is active and within validity at `at`.
        if not self._step(AuditCheck.LABEL, self.check_label) and self.e.label is None:
            self._skip_rest(AuditCheck.LABEL, "no label to check")
            return self.report()
        # (2) the issuing account belongs to a registered, independent CERTIFIER.
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
        # (9) the label value is at least the weighted sum of the committed upstream values.
        self._step(AuditCheck.ROLLUP_COMMITMENTS, self.check_rollup)
        return self.report()

    def report(self) -> AuditReport:
        label = self.e.label
        return AuditReport(
            label_id="0x" + self.e.label_id.hex(),
            checked_at=self.at,
            results=tuple(self.results),
            disclosed=dict(self.disclosed),
            attestation_id=self.signed.attestation_id if self.signed else None,
            anchored_at=self.anchored.anchored_at if self.anchored else None,
            label=_label_summary(label) if label is not None else {},
            source=self.e.source,
        )

    def _maker(self) -> str | None:
        """The labelled statement's issuer, when the evidence holds a well-formed leaf
        (check 3 reports on the leaf; this only serves the independence test of check 2)."""
        leaf = self.e.leaf
        if leaf is None or leaf.error is not None:
            return None
        try:
            return str(SignedStatement.from_dict(leaf.document).statement.issuer)
        except VerificationError:
            return None

    # ------------------------------------------------------------------ the checks

    def check_label(self) -> str:
        label = self.e.label
        if label is None:
            raise VerificationError(
                Step.LABEL, self.e.label_error or f"no label 0x{self.e.label_id.hex()} on chain"
            )
        status = label.status_at(self.at)
        window = f"{_ts(label.valid_from)} to {_ts(label.valid_until)}"
        if status is LabelStatus.REVOKED:
            assert label.revoked_at is not None
            raise VerificationError(
                Step.LABEL, f"revoked at {_ts(label.revoked_at)}: {label.revocation_reason}"
            )
        if status is LabelStatus.EXPIRED:
            raise VerificationError(
                Step.LABEL, f"expired at {_ts(label.valid_until)} (valid {window})"
            )
        if status is LabelStatus.NOT_YET_VALID:
            raise VerificationError(Step.LABEL, f"not valid before {_ts(label.valid_from)}")
        at = int(self.at.timestamp())
        if status is LabelStatus.SUSPENDED:
            period = next(p for p in reversed(label.suspensions) if p.covers(at))
            raise VerificationError(
                Step.LABEL, f"suspended at {_ts(period.suspended_at)}: {period.reason}"
            )
        restored = [
            p for p in label.suspensions if p.restored_at is not None and p.restored_at <= at
        ]
        note = ""
        if restored:
            last = restored[-1]
            assert last.restored_at is not None
            note = f"; restored at {_ts(last.restored_at)}: {last.restore_reason}"
        return f"active at {_t(self.at)}; valid {window}; {label.value} {label.unit}{note}"

    def check_issuer(self) -> str:
        label = self._label()
        certifier = self.e.certifier
        if certifier is None or certifier.error is not None:
            why = certifier.error if certifier is not None else "not collected"
            raise VerificationError(Step.ISSUER, f"cannot read the issuing organisation: {why}")
        org = certifier.org_id
        if org is None:
            raise VerificationError(
                Step.ISSUER, f"account {label.issuer} belongs to no registered organisation"
            )
        if not hmac.compare_digest(org_id_digest(org), label.issuer_org_digest):
            raise VerificationError(
                Step.ISSUER,
                f"account {label.issuer} no longer belongs to the issuing organisation",
            )
        if not any(r.role is Role.CERTIFIER and r.valid_at(self.at) for r in certifier.roles):
            raise VerificationError(
                Step.ISSUER, f"{org} does not hold the CERTIFIER role at {_t(self.at)}"
            )
        if self._maker() == org:
            raise VerificationError(
                Step.ISSUER,
                f"{org} labelled its own attestation: a certification body must be "
                "independent of the product it certifies (CNCA)",
            )
        return f"issued by {label.issuer} of {org}, a registered CERTIFIER independent of the maker"

    def check_leaf(self) -> str:
        label = self._label()
        if self.e.log_id is None:
            raise VerificationError(Step.LEAF, self.e.log_error or "no node serving the log")
        if not hmac.compare_digest(log_id_digest(self.e.log_id), label.log_id_digest):
            raise VerificationError(
                Step.LEAF, f"the label's log is not the log {self.e.log_id!r} the leaf came from"
            )
        leaf = self.e.leaf
        if leaf is None:
            raise VerificationError(Step.LEAF, "the leaf was not fetched")
        if leaf.error is not None:
            raise VerificationError(Step.LEAF, leaf.error)
        signed = parse_leaf(leaf.document, label.leaf_index)
        if not hmac.compare_digest(signed.leaf_hash, label.leaf_hash):
            raise VerificationError(
                Step.LEAF,
                f"leaf {label.leaf_index} of log {self.e.log_id} hashes to "
                f"{signed.leaf_hash.hex()}, the label names {label.leaf_hash.hex()}",
            )
        self.signed = signed
        return (
            f"leaf {label.leaf_index} of log {self.e.log_id}: attestation "
            f"{signed.attestation_id[:16]}… by {signed.statement.issuer}"
        )

    def check_anchor(self) -> str:
        label = self._label()
        assert self.signed is not None
        assert self.e.log_id is not None
        anchor = self.e.anchor
        if anchor is None:
            raise VerificationError(Step.ANCHOR, "the anchor was not collected")
        if anchor.error is not None:
            raise VerificationError(Step.ANCHOR, anchor.error)
        if anchor.head is None or anchor.inclusion_proof is None:
            raise VerificationError(Step.ANCHOR, "the evidence holds no anchored head and proof")
        self.anchored = check_anchored(
            self.signed, self.e.log_id, label.leaf_index, anchor.head, anchor.inclusion_proof
        )
        return (
            f"included in the head of size {self.anchored.head_size} anchored on chain at "
            f"{_t(self.anchored.anchored_at)}"
        )

    def check_signature(self) -> str:
        assert self.anchored is not None
        assert self.signed is not None
        issuer = self.e.issuer
        if issuer is None or issuer.error is not None or issuer.org_id is None:
            why = issuer.error if issuer is not None else None
            raise VerificationError(Step.SIGNATURE, why or "the issuer's history was not collected")
        history = IssuerHistory(issuer.org_id, issuer.signing_keys, issuer.roles)
        return check_signature_with(history, self.signed, self.anchored.anchored_at)

    def check_disclosure(self) -> str:
        label = self._label()
        assert self.signed is not None
        fetched = self.e.disclosure
        if fetched is None:
            raise VerificationError(Step.DISCLOSURE, "no disclosure was collected")
        if fetched.error is not None:
            raise VerificationError(Step.DISCLOSURE, fetched.error)
        disclosure = Disclosure.from_dict(fetched.document)
        if not hmac.compare_digest(disclosure.digest, label.disclosure_digest):
            raise VerificationError(
                Step.DISCLOSURE,
                "the public disclosure's digest is not the one recorded in the label: "
                "it was altered or belongs to another label",
            )
        try:
            values = verify_disclosure(disclosure, self.signed, required=LABEL_POINTERS)
        except VerificationError as exc:
            raise VerificationError(Step.DISCLOSURE, f"{exc.step}: {exc.reason}") from exc
        self.disclosed = dict(values)
        return (
            f"{len(values)} disclosed claim(s) verify against the signed commitment and the "
            f"subject; the rest of the {self.signed.statement.claim_count} committed leaves "
            "stay hidden"
        )

    def check_match(self) -> str:
        label = self._label()
        d = self.disclosed
        # Plain ASCII decimals only, as the LabelRegistry client writes them and PACT
        # defines them: Decimal() alone would also read "７5.0" (a fullwidth 7) or "75e0".
        for what, text in (("disclosed", d.get(VALUE_POINTER)), ("label", label.value)):
            if not isinstance(text, str) or not _DECIMAL.fullmatch(text):
                raise VerificationError(Step.MATCH, f"{what} value is not a decimal: {text!r}")
        try:
            value = Decimal(str(d[VALUE_POINTER]))
            claimed = label.value_decimal
        except (InvalidOperation, KeyError) as exc:
            raise VerificationError(Step.MATCH, f"disclosed value is not a decimal: {exc}") from exc
        if not value.is_finite():  # NaN/sNaN/Infinity: sNaN would even raise on comparison
            raise VerificationError(
                Step.MATCH, f"disclosed value {d[VALUE_POINTER]!r} is not a finite decimal"
            )
        if value != claimed:
            raise VerificationError(
                Step.MATCH,
                f"label claims {label.value} {label.unit} but the attested value is "
                f"{d[VALUE_POINTER]}",
            )
        unit = label_unit(str(d[UNIT_POINTER]), str(d[UNIT_AMOUNT_POINTER]))
        if unit != label.unit:
            raise VerificationError(
                Step.MATCH, f"label unit {label.unit!r} differs from the attested {unit!r}"
            )
        # The disclosure (check 6) opened the statement's subject to this product id; the
        # label on chain must name the same product.
        product = str(d[PRODUCT_POINTER])
        if not hmac.compare_digest(product_id_digest(product), label.product_id_digest):
            raise VerificationError(Step.MATCH, f"label is for another product than {product}")
        return f"{label.value} {label.unit} for {product}, as attested"

    def check_superseded(self) -> str | tuple[CheckStatus, str]:
        if self.signed is None:
            return CheckStatus.SKIPPED, "the labelled attestation could not be fetched"
        scan = self.e.superseding
        if scan is None or scan.error is not None:
            # Check 8 is a warning: an unreadable log leaves the verdict of 1–7 standing.
            why = scan.error if scan is not None else "not collected"
            return CheckStatus.WARNED, f"could not scan the log for newer attestations: {why}"
        newer = superseding(self.signed, scan.entries)
        if newer:
            index, attestation_id = newer[-1]
            return (
                CheckStatus.WARNED,
                f"superseded by attestation {attestation_id[:16]}… (leaf {index}) of the "
                "same issuer; the label refers to an outdated footprint",
            )
        return (
            f"no newer attestation of {self.signed.statement.issuer} supersedes it "
            f"(log scanned to {scan.scanned_size} entries)"
        )

    def check_rollup(self) -> str | tuple[CheckStatus, str]:
        rollup = self.e.rollup
        if rollup is None or (rollup.proof is None and rollup.error is None):
            return CheckStatus.SKIPPED, (
                "no public roll-up proof: the leader published none (its lines stay "
                "private, or its value is not committed); the certifier's label covers it"
            )
        if self.signed is None:
            return CheckStatus.SKIPPED, "the labelled attestation could not be fetched"
        if rollup.error is not None:
            raise VerificationError(Step.ROLLUP_COMMITMENTS, rollup.error)
        assert self.e.log_id is not None
        upstream = {}
        for line in rollup.lines:
            try:
                upstream[line.attestation_id] = self._upstream_commitment(line)
            except VerificationError as exc:
                raise VerificationError(
                    Step.ROLLUP_COMMITMENTS,
                    f"upstream {line.attestation_id[:16]}…: {exc.step}: {exc.reason}",
                ) from exc
        label = self._label()
        # The label's value read as check 7 reads it (plain ASCII decimal): Decimal() alone
        # would take "７5.0" or "75e0", and raise on text that is no number at all.
        if not _DECIMAL.fullmatch(label.value):
            raise VerificationError(
                Step.ROLLUP_COMMITMENTS, f"label value is not a decimal: {label.value!r}"
            )
        proof = check_committed_rollup(
            rollup.proof,
            upstream=upstream,
            declared=label.value_decimal,
            context=value_context(self.signed.statement),
        )
        suppliers = len(upstream)
        return (
            f"{label.value} {label.unit} is at least Σ quantity × value over {len(proof.lines)} "
            f"line(s) from {suppliers} anchored supplier attestation(s), each value hidden in "
            "a commitment with a verified range proof"
        )

    def _upstream_commitment(self, line: RollupLineEvidence) -> Commitment:
        """An upstream line's anchored, signed value commitment, its range proof checked
        again (the public does not rely on the node's publish check)."""
        if line.error is not None:
            raise VerificationError(Step.LEAF, line.error)
        if line.leaf_index is None or line.anchor is None or line.issuer is None:
            raise VerificationError(Step.LEAF, "the upstream attestation was not collected")
        signed = parse_leaf(line.signed_statement, line.leaf_index)
        if signed.attestation_id != line.attestation_id:
            raise VerificationError(Step.LEAF, "the node served another statement")
        anchor = line.anchor
        if anchor.error is not None or anchor.head is None or anchor.inclusion_proof is None:
            raise VerificationError(
                Step.ANCHOR, anchor.error or "the evidence holds no anchored head and proof"
            )
        assert self.e.log_id is not None
        anchored = check_anchored(
            signed, self.e.log_id, line.leaf_index, anchor.head, anchor.inclusion_proof
        )
        issuer = line.issuer
        if issuer.error is not None or issuer.org_id is None:
            raise VerificationError(Step.SIGNATURE, issuer.error or "no issuer history")
        history = IssuerHistory(issuer.org_id, issuer.signing_keys, issuer.roles)
        check_signature_with(history, signed, anchored.anchored_at)
        commitment = value_commitment(signed.statement)
        if commitment is None:
            raise VerificationError(Step.ROLLUP_UPSTREAM, "the statement commits to no value")
        check_value_range_proof(signed.statement, line.value_range_proof)
        return commitment

    def _label(self) -> Label:
        assert self.e.label is not None
        return self.e.label


def _ts(seconds: int) -> str:
    # A chain time beyond what datetime holds (a uint64 from a bundle or a contract) is
    # shown as the number: describing a label must not stop its audit.
    try:
        return _t(datetime.fromtimestamp(seconds, UTC))
    except (ValueError, OverflowError, OSError):
        return f"{seconds} (Unix seconds)"


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
        **({} if label.certificate_number is None else {"certificate": label.certificate_number}),
        **(
            {}
            if not label.suspensions
            else {
                "suspensions": [
                    {
                        "suspendedAt": _ts(p.suspended_at),
                        "reason": p.reason,
                        "restoredAt": None if p.restored_at is None else _ts(p.restored_at),
                        "restoreReason": p.restore_reason,
                    }
                    for p in label.suspensions
                ]
            }
        ),
    }
