"""Request and response models of the API, and the error statuses each route documents.

Pydantic lives here, at the HTTP edge only; the services return plain dicts that these
models describe (FastAPI validates every answer against them, so the OpenAPI document is
what the node answers).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    """A request body: unknown fields are refused (422)."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """A response body."""

    model_config = ConfigDict(populate_by_name=True)


# ---------------------------------------------------------------------- errors


class ErrorBody(Out):
    """Every failure: a machine-readable ``code`` and a message saying what to fix."""

    code: str = Field(description="e.g. not_found, unauthenticated, unavailable")
    message: str


_WHAT = {
    400: "Malformed: not JSON, a bad path or query parameter, or an unknown query parameter",
    401: "No valid bearer token (`WWW-Authenticate: Bearer`)",
    403: "Authenticated, but not allowed",
    404: "No such resource",
    409: "Contradicts what is stored",
    413: "Past a size limit (body, envelope, batch, grants)",
    422: "Well-formed, but breaks the schema or a check",
    503: "The database or the chain cannot be used now; retry after `Retry-After` seconds",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route answering ``statuses`` with :class:`ErrorBody`."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"model": ErrorBody, "description": _WHAT[status]}
        if status == 503:
            entry["headers"] = {
                "Retry-After": {
                    "description": "seconds to wait before retrying",
                    "schema": {"type": "integer"},
                }
            }
        if status == 401:
            entry["headers"] = {
                "WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}
            }
        out[status] = entry
    return out


READ = (400, 503)
"""Any route reading the database: a bad parameter, or the database unavailable."""
BODY = (400, 413, 422)
"""Any route with a JSON body."""
AUTH = (401,)

# ---------------------------------------------------------------------- node, auth


class TokenRequest(Model):
    """A signed auth assertion (see :func:`sdk.client.make_assertion`)."""

    assertion: dict[str, Any] = Field(
        description="{aud, exp, iat, keyId, nonce, org}; aud is this node's public URL"
    )
    signature: str = Field(description="base64 Ed25519 signature over the tagged JCS")


class TokenResponse(Out):
    """A bearer token for ``Authorization: Bearer``."""

    accessToken: str
    tokenType: str = "Bearer"
    expiresIn: int
    org: str


class CheckpointKey(Out):
    name: str
    publicKey: str
    keyId: str


class AnchoringPolicy(Out):
    everyEntries: int
    everySeconds: float


class NodeInfo(Out):
    """Public facts about a node (needs no database)."""

    logId: str
    origin: str
    audience: str
    checkpointKey: CheckpointKey
    chainId: int
    contracts: dict[str, str]
    limits: dict[str, int]
    anchoring: AnchoringPolicy


class AnchoringHealth(Out):
    anchoredSize: int
    backlog: int
    lastAnchorAt: str | None
    lastError: str | None
    consecutiveFailures: int
    nextAttemptAt: str | None


class DatabaseHealth(Out):
    status: Literal["ok", "unavailable"]
    error: str | None


class WebhookHealth(Out):
    pending: int


class Health(Out):
    """``ok``, or ``degraded`` with the cause (database unavailable, chain errors)."""

    status: Literal["ok", "degraded"]
    logId: str
    logSize: int | None
    database: DatabaseHealth
    anchoring: AnchoringHealth | None = None
    webhooks: WebhookHealth | None = None


# ---------------------------------------------------------------------- attestations


class PublishItem(Model):
    """One attestation as published: public signed statement, envelope, grants."""

    signedStatement: dict[str, Any] = Field(description="{statement, signature}")
    envelope: dict[str, Any] = Field(description="{type, version, alg, nonce, ciphertext}")
    grants: list[dict[str, Any]] = Field(default_factory=list)
    valueRangeProof: dict[str, Any] | None = Field(
        default=None,
        description="the range proof of the statement's valueCommitment (required with it): "
        "{type: tanji.rangeproof.v1, bits: 56, proof}; refused with 422 and the failed "
        "rangeproof.* step as code",
    )
    rollupProof: dict[str, Any] | None = Field(
        default=None,
        description="a leader's public committed roll-up proof {type: tanji.rollup.v1, ...}",
    )


class PublishResponse(Out):
    """Where the attestation sits in the log; ``status`` is ``created`` or ``existing``."""

    id: str
    logId: str
    index: int
    status: Literal["created", "existing"]


class BatchResponse(Out):
    """One result per submitted attestation, in order."""

    results: list[PublishResponse]


class SignedStatementOut(Out):
    """A public signed statement."""

    statement: dict[str, Any]
    signature: str


class ValueProofsOut(Out):
    """The range proof published with a statement committing to its PCF value, and a
    leader's public roll-up proof (null when it published none)."""

    attestationId: str
    valueRangeProof: dict[str, Any]
    rollupProof: dict[str, Any] | None


class Position(Out):
    id: str
    logId: str
    index: int


class EnvelopeOut(Out):
    """The envelope, with the caller's ``grant`` (a grantee) or every ``grants`` (issuer)."""

    envelope: dict[str, Any]
    grant: dict[str, Any] | None = None
    grants: list[dict[str, Any]] | None = None


class GrantRequest(Model):
    """A grant to add to an attestation the caller issued."""

    grant: dict[str, Any]


class GrantAdded(Out):
    attestationId: str
    recipient: str


class GrantedItem(Out):
    """An attestation granted to the caller: who issued it and when the grant was added."""

    attestationId: str
    issuer: str
    addedAt: str


class GrantedList(Out):
    """Grants to the caller, newest first; ``next`` is the ``before`` of the next page
    (null on the last page)."""

    grants: list[GrantedItem]
    next: str | None


class ReceiptAnchor(Out):
    chainId: int
    logId: str


class ReceiptOut(Out):
    """A receipt (sdk.Receipt version 2)."""

    type: str
    version: int
    signedStatement: SignedStatementOut
    leafIndex: int
    inclusionProof: list[str]
    checkpoint: str
    anchor: ReceiptAnchor


class DisclosureBody(Model):
    """A disclosure to publish (``PUT .../public``, ``PUT /v1/labels/{id}/disclosure``)."""

    disclosure: dict[str, Any]


class PublicStored(Out):
    attestationId: str
    status: Literal["created", "existing"]
    claimCount: int


# ---------------------------------------------------------------------- requests, webhooks


class FootprintRequestBody(Model):
    """A leader's request to a supplier."""

    supplier: str
    productIds: list[str]
    message: str | None = None


class FulfilBody(Model):
    """The supplier's answer: an attestation the leader holds a grant for."""

    attestationId: str


class RejectBody(Model):
    """The supplier declines, saying why."""

    reason: str


class RequestOut(Out):
    id: str
    leader: str
    supplier: str
    productIds: list[str]
    message: str | None
    status: Literal["open", "fulfilled", "rejected"]
    attestationId: str | None
    reason: str | None
    created: str
    updated: str


class RequestList(Out):
    requests: list[RequestOut]


class WebhookBody(Model):
    """Where to POST the caller's request events."""

    url: str


class WebhookSet(Out):
    org: str
    url: str
    created: str


class WebhookOut(WebhookSet):
    deliveries: dict[str, int]


# ---------------------------------------------------------------------- log


class CheckpointAnchor(Out):
    chainId: int
    contract: str
    txHash: str
    blockNumber: int
    logId: str


class CheckpointOut(Out):
    logId: str
    size: int
    root: str
    checkpoint: str
    status: str
    anchor: CheckpointAnchor | None
    anchoredAt: str | None


class LogSummary(Out):
    logId: str
    size: int
    latestCheckpoint: CheckpointOut | None


class CheckpointList(Out):
    checkpoints: list[CheckpointOut]


class InclusionProof(Out):
    logId: str
    index: int
    size: int
    leafHash: str
    proof: list[str]


class ConsistencyProof(Out):
    logId: str
    from_: int = Field(alias="from")
    to: int
    proof: list[str]


class Entry(Out):
    index: int
    id: str
    signedStatement: SignedStatementOut


class EntryList(Out):
    entries: list[Entry]


# ---------------------------------------------------------------------- verification, labels


class VerifyBody(Model):
    """A receipt, and optionally a disclosure of the same attestation."""

    receipt: dict[str, Any]
    disclosure: dict[str, Any] | None = None


class StepResult(Out):
    step: str
    status: Literal["passed", "failed", "skipped"]
    reason: str | None


class VerifyReport(Out):
    ok: bool
    attestationId: str | None
    failedStep: str | None
    steps: list[StepResult]
    values: dict[str, Any] | None


class LabelStored(Out):
    labelId: str
    attestationId: str
    status: Literal["created", "existing"]


class LabelSuspension(Out):
    """A label's current suspension: since (chain Unix seconds) and the certifier's reason."""

    since: int
    reason: str


class LabelView(Out):
    """A label as recorded on chain, with its public disclosure (a QR code's target)."""

    labelId: str
    status: str
    value: Any
    unit: Any
    grade: Any
    standard: Any
    validFrom: Any
    validUntil: Any
    issuer: str
    leafIndex: int
    leafHash: str
    revocationReason: Any
    certificateNumber: str | None = None
    """The CNCA-CFP-00:2025 certificate the label binds on chain, if any."""
    suspension: LabelSuspension | None = None
    """The current suspension (status ``suspended``), if any."""
    disclosure: dict[str, Any] | None
    published: str | None
