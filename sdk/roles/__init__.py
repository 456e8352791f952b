"""High-level recipes for the four roles of DESIGN.md §1, over the node client and the chain.

* :class:`Supplier` publishes encrypted footprints and answers requests (fulfil, reject).
* :class:`Leader` (a supplier too) requests suppliers' footprints, collects the granted
  ones, rolls them up through its bill of materials and publishes with the lineage.
* :class:`Certifier` recomputes a leader's roll-up, verifies every upstream disclosure
  against its anchored commitment, and issues the carbon label on chain with a QR code.
* :class:`FactorPublisher` (an industry association) publishes emission factor sets as
  public attestations; :func:`fetch_public_factor_set` fetches and verifies one.
* :class:`Auditor` verifies a label step by step (DESIGN.md §6.5) into an
  :class:`AuditReport`, seeing only the disclosed claims.

Every operation that depends on time has an ``…_at(now=…)`` form; the plain form reads the
party's clock once. Errors: :class:`~sdk.errors.RoleError` for a recipe that cannot
proceed, :class:`~sdk.errors.VerificationError` (with ``step``) for a failed check.
"""

from __future__ import annotations

from sdk.roles._auditor import Auditor
from sdk.roles._certifier import (
    DEFAULT_STANDARD,
    Certificate,
    CertificationCheck,
    Certifier,
    VerifiedUpstream,
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
from sdk.roles._leader import UPSTREAM_POINTERS, Leader, RolledUp, SupplierFootprint
from sdk.roles._party import Party, Published, Supplier
from sdk.roles._report import AuditCheck, AuditReport, CheckResult, CheckStatus
from sdk.roles._rollup import UpstreamValue, check_lineage, recompute_checked
from sdk.roles._trust import AnchoredLeaf, AuditSource, LogSource, ProofSource

__all__ = [
    "DEFAULT_STANDARD",
    "FACTOR_SET_URN_PREFIX",
    "LABEL_POINTERS",
    "PUBLIC_POINTERS",
    "UPSTREAM_POINTERS",
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
    "FactorPublisher",
    "Leader",
    "LogSource",
    "Party",
    "ProofSource",
    "PublicSource",
    "Published",
    "PublishedFactorSet",
    "RolledUp",
    "Supplier",
    "SupplierFootprint",
    "UpstreamValue",
    "VerifiedUpstream",
    "check_lineage",
    "derive_label_id",
    "factor_set_document",
    "factor_set_from_claims",
    "factor_set_subject",
    "fetch_public_factor_set",
    "label_id_bytes",
    "label_unit",
    "qr_text",
    "recompute_checked",
    "verification_url",
    "write_qr",
]
