"""The one vocabulary of verification steps, shared by the SDK, the roles, the node and
the test vectors.

Every :class:`~sdk.errors.VerificationError` names one :class:`Step`; a report (the
node's ``POST /v1/verify``, an :class:`~sdk.roles.AuditReport`) is built from the same
steps, and a named test vector expects one. A step is a ``StrEnum``, so it compares equal
to its text (``Step.RECEIPT_ANCHOR == "receipt.anchor"``) and serialises as that text.

Steps are grouped by who checks them:

* the protocol (:func:`sdk.verify_receipt`, :func:`sdk.verify_disclosure`,
  :func:`sdk.open_attestation`): ``statement.*``, ``receipt.*``, ``key.validity``,
  ``issuer.role``, ``disclosure.*``, ``claims.*``, ``envelope*``, ``grant*``;
* the label audit (DESIGN.md §6.5, :class:`sdk.roles.AuditCheck`): ``label``,
  ``issuer``, ``leaf``, ``anchor``, ``signature``, ``disclosure``, ``match``,
  ``superseded``;
* the certifier (:meth:`sdk.roles.Certifier.check_at`): ``independence``,
  ``upstream.*``, ``rollup*``, ``footprint.recompute``;
* public factor sets (:func:`sdk.roles.fetch_public_factor_set`): ``factorset.*``;
* data quality at the source (:mod:`sdk.footprint`): ``meter.*`` (signed meter
  readings), ``ets.*`` (carbon-market cross-checks);
* commitments and range proofs (:mod:`sdk.zk`, :func:`sdk.check_value_range_proof`):
  ``commitment.*``, ``rangeproof.*`` (``rangeproof.digest``: the published proof is
  not the one the statement signs), and the committed roll-up's ``rollup.*``;
  ``rollup.commitments`` is the certifier's and the auditor's step wrapping them.
"""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    """A named verification step (see the module docstring for who checks which)."""

    ARGUMENTS = "arguments"
    # --- protocol: statement and receipt (sdk.verify_receipt), in checking order
    RECEIPT_SCHEMA = "receipt.schema"
    STATEMENT_SCHEMA = "statement.schema"
    RECEIPT_LEAF = "receipt.leaf"
    RECEIPT_CHECKPOINT = "receipt.checkpoint"
    RECEIPT_ANCHOR = "receipt.anchor"
    RECEIPT_INCLUSION = "receipt.inclusion"
    STATEMENT_SIGNATURE = "statement.signature"
    KEY_VALIDITY = "key.validity"
    ISSUER_ROLE = "issuer.role"
    STATEMENT_TIME = "statement.time"
    # --- protocol: disclosure (sdk.verify_disclosure), in checking order
    DISCLOSURE_SCHEMA = "disclosure.schema"
    DISCLOSURE_ATTESTATION = "disclosure.attestation"
    DISCLOSURE_COUNT = "disclosure.count"
    CLAIMS_DUPLICATE = "claims.duplicate"
    DISCLOSURE_POINTER = "disclosure.pointer"
    DISCLOSURE_PROOF = "disclosure.proof"
    DISCLOSURE_COMMITMENT = "disclosure.commitment"
    DISCLOSURE_ORDER = "disclosure.order"
    DISCLOSURE_SUBJECT = "disclosure.subject"
    # --- protocol: opening a granted attestation (sdk.open_attestation)
    GRANT_SCHEMA = "grant.schema"
    GRANT = "grant"
    ENVELOPE_SCHEMA = "envelope.schema"
    ENVELOPE = "envelope"
    CLAIMS_EMPTY = "claims.empty"
    CLAIMS_COMMITMENT = "claims.commitment"
    CLAIMS_SUBJECT = "claims.subject"
    # --- the label audit, DESIGN.md §6.5 checks 1-8
    LABEL = "label"
    ISSUER = "issuer"
    LEAF = "leaf"
    ANCHOR = "anchor"
    SIGNATURE = "signature"
    DISCLOSURE = "disclosure"
    MATCH = "match"
    SUPERSEDED = "superseded"
    # --- the certifier
    INDEPENDENCE = "independence"
    UPSTREAM_LEAF = "upstream.leaf"
    UPSTREAM_ANCHOR = "upstream.anchor"
    UPSTREAM_SIGNATURE = "upstream.signature"
    UPSTREAM_DISCLOSURE = "upstream.disclosure"
    ROLLUP = "rollup"
    ROLLUP_INVENTORY = "rollup.inventory"
    ROLLUP_LINEAGE = "rollup.lineage"
    ROLLUP_FACTORS = "rollup.factors"
    ROLLUP_RECOMPUTE = "rollup.recompute"
    FOOTPRINT_RECOMPUTE = "footprint.recompute"
    # --- signed meter readings (sdk.footprint.verify_metered_line), in checking order
    METER_CITATION = "meter.citation"
    METER_BATCH = "meter.batch"
    METER_REGISTRATION = "meter.registration"
    METER_SIGNATURE = "meter.signature"
    METER_CALIBRATION = "meter.calibration"
    METER_MONOTONIC = "meter.monotonic"
    METER_PERIOD = "meter.period"
    METER_ACTIVITY = "meter.activity"
    # --- carbon-market (ETS) cross-checks (sdk.footprint.cross_check_ets)
    ETS_FACILITY = "ets.facility"
    ETS_YEAR = "ets.year"
    ETS_CONSISTENCY = "ets.consistency"
    ETS_ELECTRICITY = "ets.electricity"
    ETS_EMISSIONS = "ets.emissions"
    ETS_GRID_FACTOR = "ets.grid_factor"
    ETS_FACTOR_YEAR = "ets.factor_year"
    # --- the certifier's ETS data (granted attestation of the facility's verified year)
    ETS_DATA = "ets.data"
    # --- commitments, range proofs and the committed roll-up (sdk.zk)
    COMMITMENT_POINT = "commitment.point"
    COMMITMENT_OPENING = "commitment.opening"
    RANGEPROOF_SCHEMA = "rangeproof.schema"
    RANGEPROOF_POINT = "rangeproof.point"
    RANGEPROOF_SCALAR = "rangeproof.scalar"
    RANGEPROOF_TRANSCRIPT = "rangeproof.transcript"
    RANGEPROOF_SUM = "rangeproof.sum"
    RANGEPROOF_BIT = "rangeproof.bit"
    RANGEPROOF_DIGEST = "rangeproof.digest"
    ROLLUP_SCHEMA = "rollup.schema"
    ROLLUP_SCALAR = "rollup.scalar"
    ROLLUP_LINES = "rollup.lines"
    ROLLUP_QUANTITY = "rollup.quantity"
    ROLLUP_UPSTREAM = "rollup.upstream"
    ROLLUP_TOTAL = "rollup.total"
    ROLLUP_SUM = "rollup.sum"
    # the committed roll-up checked by the certifier and the auditor (a failed sdk.zk
    # step inside it is named in the reason: "rollup.commitments: rangeproof.bit: …")
    ROLLUP_COMMITMENTS = "rollup.commitments"
    # --- public factor sets
    FACTORSET_FETCH = "factorset.fetch"
    FACTORSET_LEAF = "factorset.leaf"
    FACTORSET_ISSUER = "factorset.issuer"
    FACTORSET_ANCHOR = "factorset.anchor"
    FACTORSET_SIGNATURE = "factorset.signature"
    FACTORSET_DISCLOSURE = "factorset.disclosure"
    FACTORSET_DOCUMENT = "factorset.document"


RECEIPT_STEPS: tuple[Step, ...] = (
    Step.RECEIPT_SCHEMA,
    Step.STATEMENT_SCHEMA,
    Step.RECEIPT_LEAF,
    Step.RECEIPT_CHECKPOINT,
    Step.RECEIPT_ANCHOR,
    Step.RECEIPT_INCLUSION,
    Step.STATEMENT_SIGNATURE,
    Step.KEY_VALIDITY,
    Step.ISSUER_ROLE,
    Step.STATEMENT_TIME,
)
"""The steps of verifying a receipt, in the order :func:`sdk.verify_receipt` checks them."""

DISCLOSURE_STEPS: tuple[Step, ...] = (
    Step.DISCLOSURE_SCHEMA,
    Step.DISCLOSURE_ATTESTATION,
    Step.DISCLOSURE_COUNT,
    Step.CLAIMS_DUPLICATE,
    Step.DISCLOSURE_POINTER,
    Step.DISCLOSURE_PROOF,
    Step.DISCLOSURE_COMMITMENT,
    Step.DISCLOSURE_ORDER,
    Step.DISCLOSURE_SUBJECT,
)
"""The steps of verifying a disclosure, in the order :func:`sdk.verify_disclosure` checks them."""

ISSUER_STEPS: tuple[Step, ...] = (
    Step.STATEMENT_SIGNATURE,
    Step.KEY_VALIDITY,
    Step.ISSUER_ROLE,
    Step.STATEMENT_TIME,
)
"""The steps of :func:`sdk.check_issuer`: the one key-history-and-signature check."""
