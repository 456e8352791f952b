"""High-level recipes for the four roles of DESIGN.md §1, over the node client and the chain.

* :class:`Supplier` publishes encrypted footprints and answers requests (fulfil, reject).
* :class:`Leader` (a supplier too) requests suppliers' footprints, collects the granted
  ones, rolls them up through its bill of materials and publishes with the lineage.
* :class:`Certifier` recomputes a leader's roll-up, verifies every upstream disclosure
  against its anchored commitment, and issues the carbon label on chain with a QR code.
* :class:`FactorPublisher` (an industry association) publishes emission factor sets as
  public attestations; :func:`fetch_public_factor_set` fetches and verifies one.
* :class:`Auditor` verifies a label step by step (DESIGN.md §6.5) into an
  :class:`AuditReport`, seeing only the disclosed claims: it collects a
  :class:`LabelEvidence` bundle (all the I/O, :func:`collect_label_evidence`) and decides
  with the pure :func:`audit_label`, which also runs offline on a saved bundle.

Every operation that depends on time has an ``…_at(now=…)`` form; the plain form reads the
party's clock once. Errors: :class:`~sdk.errors.RoleError` for a recipe that cannot
proceed, :class:`~sdk.errors.VerificationError` (with ``step``) for a failed check.

Names load on first use (PEP 562), each with only the modules it needs: the label audit
(:func:`audit_label`, :class:`LabelEvidence`) imports neither web3 nor the HTTP client.
"""

from __future__ import annotations

import importlib
import typing

if typing.TYPE_CHECKING:
    from sdk.roles._audit import (
        audit_label,
    )
    from sdk.roles._auditor import (
        Auditor,
    )
    from sdk.roles._certifier import (
        CHECK_STEPS,
        DEFAULT_STANDARD,
        Certificate,
        CertificationCheck,
        Certifier,
        CheckStep,
        VerifiedUpstream,
        check_step_statuses,
    )
    from sdk.roles._dataquality import (
        ETS_URN_PREFIX,
        METER_URN_PREFIX,
        DataQualityReport,
        EtsReview,
        ets_document,
        meter_readings_document,
    )
    from sdk.roles._evidence import (
        EVIDENCE_TYPE,
        EVIDENCE_VERSION,
        AnchorEvidence,
        EvidenceSource,
        Fetched,
        LabelEvidence,
        OrganisationEvidence,
        RollupEvidence,
        RollupLineEvidence,
        SupersedingEvidence,
        collect_label_evidence,
    )
    from sdk.roles._factorsets import (
        FACTOR_SET_URN_PREFIX,
        FactorPublisher,
        PublicSource,
        PublishedFactorSet,
        factor_set_document,
        factor_set_from_claims,
        factor_set_subject,
        fetch_public_factor_set,
    )
    from sdk.roles._labelling import (
        LABEL_POINTERS,
        PUBLIC_POINTERS,
        derive_label_id,
        label_id_bytes,
        label_unit,
        qr_text,
        verification_url,
        write_qr,
    )
    from sdk.roles._leader import (
        UPSTREAM_POINTERS,
        Leader,
        RolledUp,
        SupplierFootprint,
    )
    from sdk.roles._party import (
        Party,
        Published,
        Supplier,
    )
    from sdk.roles._report import (
        AuditCheck,
        AuditReport,
        CheckResult,
        CheckStatus,
    )
    from sdk.roles._rollup import (
        UpstreamValue,
        check_committed_rollup,
        check_lineage,
        committed_lines,
        recompute_checked,
    )
    from sdk.roles._trust import (
        AnchoredLeaf,
        AuditSource,
        HeadRecord,
        IssuerHistory,
        LogSource,
        ProofSource,
    )

_LAZY = {
    "ETS_URN_PREFIX": "sdk.roles._dataquality",
    "METER_URN_PREFIX": "sdk.roles._dataquality",
    "DataQualityReport": "sdk.roles._dataquality",
    "EtsReview": "sdk.roles._dataquality",
    "ets_document": "sdk.roles._dataquality",
    "meter_readings_document": "sdk.roles._dataquality",
    "CHECK_STEPS": "sdk.roles._certifier",
    "DEFAULT_STANDARD": "sdk.roles._certifier",
    "CheckStep": "sdk.roles._certifier",
    "check_step_statuses": "sdk.roles._certifier",
    "EVIDENCE_TYPE": "sdk.roles._evidence",
    "EVIDENCE_VERSION": "sdk.roles._evidence",
    "FACTOR_SET_URN_PREFIX": "sdk.roles._factorsets",
    "LABEL_POINTERS": "sdk.roles._labelling",
    "PUBLIC_POINTERS": "sdk.roles._labelling",
    "UPSTREAM_POINTERS": "sdk.roles._leader",
    "AnchorEvidence": "sdk.roles._evidence",
    "AnchoredLeaf": "sdk.roles._trust",
    "AuditCheck": "sdk.roles._report",
    "AuditReport": "sdk.roles._report",
    "AuditSource": "sdk.roles._trust",
    "Auditor": "sdk.roles._auditor",
    "Certificate": "sdk.roles._certifier",
    "CertificationCheck": "sdk.roles._certifier",
    "Certifier": "sdk.roles._certifier",
    "CheckResult": "sdk.roles._report",
    "CheckStatus": "sdk.roles._report",
    "EvidenceSource": "sdk.roles._evidence",
    "FactorPublisher": "sdk.roles._factorsets",
    "Fetched": "sdk.roles._evidence",
    "HeadRecord": "sdk.roles._trust",
    "IssuerHistory": "sdk.roles._trust",
    "LabelEvidence": "sdk.roles._evidence",
    "Leader": "sdk.roles._leader",
    "LogSource": "sdk.roles._trust",
    "OrganisationEvidence": "sdk.roles._evidence",
    "Party": "sdk.roles._party",
    "ProofSource": "sdk.roles._trust",
    "PublicSource": "sdk.roles._factorsets",
    "Published": "sdk.roles._party",
    "PublishedFactorSet": "sdk.roles._factorsets",
    "RolledUp": "sdk.roles._leader",
    "SupersedingEvidence": "sdk.roles._evidence",
    "Supplier": "sdk.roles._party",
    "SupplierFootprint": "sdk.roles._leader",
    "UpstreamValue": "sdk.roles._rollup",
    "check_committed_rollup": "sdk.roles._rollup",
    "committed_lines": "sdk.roles._rollup",
    "RollupEvidence": "sdk.roles._evidence",
    "RollupLineEvidence": "sdk.roles._evidence",
    "VerifiedUpstream": "sdk.roles._certifier",
    "audit_label": "sdk.roles._audit",
    "check_lineage": "sdk.roles._rollup",
    "collect_label_evidence": "sdk.roles._evidence",
    "derive_label_id": "sdk.roles._labelling",
    "factor_set_document": "sdk.roles._factorsets",
    "factor_set_from_claims": "sdk.roles._factorsets",
    "factor_set_subject": "sdk.roles._factorsets",
    "fetch_public_factor_set": "sdk.roles._factorsets",
    "label_id_bytes": "sdk.roles._labelling",
    "label_unit": "sdk.roles._labelling",
    "qr_text": "sdk.roles._labelling",
    "recompute_checked": "sdk.roles._rollup",
    "verification_url": "sdk.roles._labelling",
    "write_qr": "sdk.roles._labelling",
}

__all__ = [
    "CHECK_STEPS",
    "DEFAULT_STANDARD",
    "ETS_URN_PREFIX",
    "EVIDENCE_TYPE",
    "EVIDENCE_VERSION",
    "FACTOR_SET_URN_PREFIX",
    "LABEL_POINTERS",
    "METER_URN_PREFIX",
    "PUBLIC_POINTERS",
    "UPSTREAM_POINTERS",
    "AnchorEvidence",
    "AnchoredLeaf",
    "AuditCheck",
    "AuditReport",
    "AuditSource",
    "Auditor",
    "Certificate",
    "CertificationCheck",
    "Certifier",
    "CheckResult",
    "CheckStatus",
    "CheckStep",
    "DataQualityReport",
    "EtsReview",
    "EvidenceSource",
    "FactorPublisher",
    "Fetched",
    "HeadRecord",
    "IssuerHistory",
    "LabelEvidence",
    "Leader",
    "LogSource",
    "OrganisationEvidence",
    "Party",
    "ProofSource",
    "PublicSource",
    "Published",
    "PublishedFactorSet",
    "RolledUp",
    "RollupEvidence",
    "RollupLineEvidence",
    "SupersedingEvidence",
    "Supplier",
    "SupplierFootprint",
    "UpstreamValue",
    "VerifiedUpstream",
    "audit_label",
    "check_committed_rollup",
    "check_lineage",
    "check_step_statuses",
    "collect_label_evidence",
    "committed_lines",
    "derive_label_id",
    "ets_document",
    "factor_set_document",
    "factor_set_from_claims",
    "factor_set_subject",
    "fetch_public_factor_set",
    "label_id_bytes",
    "label_unit",
    "meter_readings_document",
    "qr_text",
    "recompute_checked",
    "verification_url",
    "write_qr",
]


def __getattr__(name: str) -> typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sdk.roles' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
