"""What every role checks about an attestation before relying on it, against the chain.

Each function does one numbered check of DESIGN.md §6.5 and raises
:class:`~sdk.errors.VerificationError` whose ``step`` is the check's name (``leaf``,
``anchor``, ``signature``). The chain is the root of trust: a leaf is accepted when its
inclusion proof (served by any node) leads to a root anchored on chain, and a signature
when the key was registered for the issuer and valid at the anchor's block time.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from anchors import verify_inclusion
from anchors.chain import AnchorRegistryClient
from anchors.errors import AnchorsError, ProofError
from sdk._canonical import b64decode
from sdk._keys import key_id
from sdk._labels import log_id_digest
from sdk._registry import ParticipantRegistryClient
from sdk._statement import SignedStatement, verify_statement_signature
from sdk.errors import NodeClientError, RegistryError, VerificationError


class ProofSource(Protocol):
    """Where inclusion proofs come from (a node; the chain decides whether they hold)."""

    def inclusion_proof(self, index: int, size: int) -> dict[str, Any]:
        """``{"proof": [base64 hashes], …}`` for leaf ``index`` in the tree of ``size``."""
        ...


class LogSource(ProofSource, Protocol):
    """The public log of one node, as the checks of DESIGN.md §6.5 read it.

    :class:`sdk.client.NodeClient` implements it over HTTP; a node implements it in
    process (``node._pages``) to audit without calling itself. Errors a source cannot
    answer with are :class:`~sdk.errors.NodeClientError` (``status`` 404 for "no such").
    """

    def node_info(self) -> dict[str, Any]:
        """``{"logId": …, …}``: the log this source serves."""
        ...

    def health(self) -> dict[str, Any]:
        """``{"logSize": n, …}``: the current log size, anchored or not."""
        ...

    def entries(self, start: int, end: int) -> list[dict[str, Any]]:
        """Entries ``[start, end)``, each ``{"index", "id", "signedStatement"}``."""
        ...


class AuditSource(LogSource, Protocol):
    """What an :class:`~sdk.roles.Auditor` reads besides the chain: the log and the label
    disclosures."""

    def label_disclosure(self, label_id: str) -> dict[str, Any]:
        """The public disclosure stored for label ``label_id`` (``0x`` + hex)."""
        ...


@dataclass(frozen=True)
class AnchoredLeaf:
    """A log leaf proven included in a head anchored on chain.

    ``anchored_at`` is the block time of the first anchored head covering the leaf: the
    attestation's trusted time (its self-declared ``created`` is not trusted).
    """

    signed: SignedStatement
    log_id: str
    index: int
    head_size: int
    head_root: bytes
    anchored_at: datetime


def _hashes(raw: object, what: str) -> list[bytes]:
    if not isinstance(raw, list):
        raise ValueError(f"{what} must be a list of base64 hashes")
    return [b64decode(h, f"{what} hash", size=32) for h in raw]


def fetch_leaf(node: LogSource, log_id: str, index: int) -> SignedStatement:
    """(3) The signed statement at ``index`` of the node's log ``log_id``.

    The caller checked the node serves ``log_id`` (:func:`log_id_matching`). Raises
    ``VerificationError("leaf", …)`` when the node has no such entry or the entry is not
    a well-formed signed statement.
    """
    try:
        entries = node.entries(index, index + 1)
    except NodeClientError as exc:
        raise VerificationError(
            "leaf", f"cannot fetch leaf {index} of log {log_id}: {exc}"
        ) from exc
    if len(entries) != 1:
        raise VerificationError("leaf", f"the node has no entry {index} in log {log_id}")
    try:
        return SignedStatement.from_dict(entries[0]["signedStatement"])
    except (KeyError, TypeError, VerificationError) as exc:
        raise VerificationError("leaf", f"entry {index} is not a signed statement: {exc}") from exc


def log_id_matching(node: LogSource, digest: bytes) -> str:
    """The node's log id if ``sha256(log id)`` equals ``digest``.

    Raises ``VerificationError("leaf", …)`` otherwise or when the node cannot be read.
    """
    try:
        log_id = str(node.node_info()["logId"])
    except (NodeClientError, KeyError, TypeError) as exc:
        raise VerificationError("leaf", f"cannot read the node's log id: {exc}") from exc
    if not hmac.compare_digest(log_id_digest(log_id), digest):
        raise VerificationError(
            "leaf", f"the label's log is not the log {log_id!r} this node serves"
        )
    return log_id


def prove_anchored(
    node: ProofSource,
    anchors: AnchorRegistryClient,
    signed: SignedStatement,
    log_id: str,
    index: int,
) -> AnchoredLeaf:
    """(4) Prove leaf ``index`` is included in the first head anchored on chain that covers it.

    The head comes from the chain, only the proof from the node: a node serving a
    rewritten log cannot produce a proof to the anchored root. Raises
    ``VerificationError("anchor", …)``.
    """
    try:
        head = anchors.first_at_or_above(log_id, index + 1)
    except AnchorsError as exc:
        raise VerificationError("anchor", f"cannot read the anchor registry: {exc}") from exc
    if head is None:
        latest = anchors.latest(log_id)
        size = latest.size if latest is not None else 0
        raise VerificationError(
            "anchor",
            f"leaf {index} was never anchored: the latest head anchored on chain for log "
            f"{log_id!r} has {size} entries",
        )
    try:
        raw = node.inclusion_proof(index, head.size)
        proof = _hashes(raw["proof"] if isinstance(raw, dict) else raw, "inclusion proof")
        verify_inclusion(signed.leaf_hash, index, head.size, proof, head.root)
    except (NodeClientError, ValueError, KeyError) as exc:
        raise VerificationError(
            "anchor", f"no usable inclusion proof of leaf {index} in head {head.size}: {exc}"
        ) from exc
    except ProofError as exc:
        raise VerificationError(
            "anchor",
            f"the node's proof of leaf {index} does not lead to the root anchored on chain at "
            f"size {head.size}: the log it serves is inconsistent with the chain ({exc})",
        ) from exc
    return AnchoredLeaf(
        signed=signed,
        log_id=log_id,
        index=index,
        head_size=head.size,
        head_root=head.root,
        anchored_at=datetime.fromtimestamp(head.timestamp, UTC),
    )


def check_signature(participants: ParticipantRegistryClient, leaf: AnchoredLeaf) -> str:
    """(5) The statement's signature verifies under a key of its issuer valid when anchored.

    Returns a sentence describing the key. Raises ``VerificationError("signature", …)``.
    """
    statement = leaf.signed.statement
    issuer = str(statement.issuer)
    try:
        history = participants.signing_key_history(issuer)
    except RegistryError as exc:
        raise VerificationError(
            "signature", f"issuer {issuer} has no key history on chain: {exc}"
        ) from exc
    record = next((r for r in history if key_id("ed25519", r.public_key) == statement.key_id), None)
    if record is None:
        raise VerificationError(
            "signature", f"key {statement.key_id} is not registered for issuer {issuer}"
        )
    when = leaf.anchored_at
    if not record.valid_at(when):
        if record.revoked_at is not None and record.revoked_at <= int(when.timestamp()):
            revoked = datetime.fromtimestamp(record.revoked_at, UTC)
            raise VerificationError(
                "signature",
                f"key {statement.key_id} of {issuer} was revoked at {_t(revoked)}, before the "
                f"attestation was anchored at {_t(when)}",
            )
        raise VerificationError(
            "signature",
            f"key {statement.key_id} of {issuer} was not yet valid when anchored at {_t(when)}",
        )
    try:
        verify_statement_signature(leaf.signed, record.public_key)
    except VerificationError as exc:
        raise VerificationError("signature", exc.reason) from exc
    return f"Ed25519 key {statement.key_id} of {issuer}, valid at anchoring time {_t(when)}"


def check_current_signature(
    participants: ParticipantRegistryClient, signed: SignedStatement, now: datetime
) -> None:
    """The statement's signature verifies under a key of its issuer valid at ``now``.

    For a recipient acting before the attestation is anchored (a leader collecting);
    auditors and certifiers use :func:`check_signature` at anchoring time instead.
    Raises ``VerificationError("signature", …)``.
    """
    statement = signed.statement
    issuer = str(statement.issuer)
    try:
        history = participants.signing_key_history(issuer)
    except RegistryError as exc:
        raise VerificationError("signature", f"{issuer} has no key history: {exc}") from exc
    record = next((r for r in history if key_id("ed25519", r.public_key) == statement.key_id), None)
    if record is None or not record.valid_at(now):
        raise VerificationError(
            "signature", f"key {statement.key_id} is not a valid key of {issuer} at {_t(now)}"
        )
    try:
        verify_statement_signature(signed, record.public_key)
    except VerificationError as exc:
        raise VerificationError("signature", exc.reason) from exc


def superseding(
    node: LogSource, log_id: str, signed: SignedStatement, after: int, size: int
) -> list[tuple[int, str]]:
    """(8) Leaves after index ``after`` by the same issuer that supersede ``signed``.

    Scans the node's public log entries ``(after, size)`` page by page; a statement by
    another issuer naming this one in ``supersedes`` is ignored (only an issuer can
    supersede its own attestation). Returns ``[(index, attestation id)]``.
    """
    found: list[tuple[int, str]] = []
    target = signed.attestation_id
    start = after + 1
    page = 500
    while start < size:
        end = min(size, start + page)
        for i, entry in enumerate(node.entries(start, end), start=start):
            other = SignedStatement.from_dict(entry["signedStatement"])
            st = other.statement
            if st.supersedes == target and st.issuer == signed.statement.issuer:
                found.append((i, other.attestation_id))
        start = end
    return found


def latest_size(node: LogSource) -> int:
    """The node's current log size (anchored or not)."""
    info = node.health()
    return int(info["logSize"])


def _t(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")
