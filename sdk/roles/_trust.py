"""What every role checks about an attestation before relying on it, against the chain.

Each check comes in two halves: a *fetch* that does the I/O (a node, the chain) and
returns plain values, and a pure *check* over those values that raises
:class:`~sdk.errors.VerificationError` whose ``step`` is the check's name of DESIGN.md
§6.5 (``leaf``, ``anchor``, ``signature``). The label audit stores the fetched values in
an evidence bundle and runs the checks later (:func:`sdk.roles.audit_label`); the
certifier and the factor-set reader run them at once. The chain is the root of trust: a
leaf is accepted when its inclusion proof (served by any node) leads to a root anchored
on chain, and a signature when the key and a publishing role were registered for the
issuer at the anchor's block time (:func:`sdk.check_issuer`).
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from anchors import verify_inclusion
from anchors.errors import AnchorsError, ProofError
from sdk._canonical import b64decode
from sdk._records import KeyRecord, RoleRecord, log_id_digest
from sdk._statement import SignedStatement
from sdk._steps import Step
from sdk._verify import check_issuer
from sdk.errors import NodeClientError, RegistryError, VerificationError

if TYPE_CHECKING:
    from anchors.chain import AnchorRegistryClient
    from sdk.registry import ParticipantRegistryClient


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

    def receipt(self, attestation_id: str) -> dict[str, Any]:
        """The attestation's receipt (``leafIndex``, ``signedStatement``, …); 404 until
        anchored."""
        ...

    def value_proofs(self, attestation_id: str) -> dict[str, Any]:
        """``{valueRangeProof, rollupProof}`` published with a statement committing to
        its value; 404 (``no_value_proof``) when it commits to none."""
        ...


@dataclass(frozen=True)
class HeadRecord:
    """A (size, root) head anchored on chain for a log: its position in the registry's
    sequence and its block time (Unix seconds), as the AnchorRegistry returns it."""

    index: int
    size: int
    root: bytes
    timestamp: int

    @property
    def anchored_at(self) -> datetime:
        """The block time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.timestamp, UTC)


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


@dataclass(frozen=True)
class IssuerHistory:
    """What the ParticipantRegistry says about one organisation: its signing keys and
    the periods it held each role (chain times)."""

    org_id: str
    signing_keys: tuple[KeyRecord, ...]
    roles: tuple[RoleRecord, ...]


def _hashes(raw: object, what: str) -> list[bytes]:
    if not isinstance(raw, list):
        raise ValueError(f"{what} must be a list of base64 hashes")
    return [b64decode(h, f"{what} hash", size=32) for h in raw]


# ---------------------------------------------------------------------- (3) the leaf


def fetch_leaf_entry(node: LogSource, log_id: str, index: int) -> Any:
    """(3, I/O) The raw ``signedStatement`` JSON at ``index`` of the node's log.

    Raises ``VerificationError("leaf", …)`` when the node has no such entry.
    """
    try:
        entries = node.entries(index, index + 1)
    except NodeClientError as exc:
        raise VerificationError(
            Step.LEAF, f"cannot fetch leaf {index} of log {log_id}: {exc}"
        ) from exc
    if len(entries) != 1 or not isinstance(entries[0], dict):
        raise VerificationError(Step.LEAF, f"the node has no entry {index} in log {log_id}")
    return entries[0].get("signedStatement")


def parse_leaf(raw: Any, index: int) -> SignedStatement:
    """(3, pure) The signed statement of a fetched entry; ``VerificationError("leaf", …)``
    when it is not a well-formed one."""
    try:
        return SignedStatement.from_dict(raw)
    except VerificationError as exc:
        raise VerificationError(
            Step.LEAF, f"entry {index} is not a signed statement: {exc}"
        ) from exc


def log_id_matching(node: LogSource, digest: bytes) -> str:
    """The node's log id if ``sha256(log id)`` equals ``digest``.

    Raises ``VerificationError("leaf", …)`` otherwise or when the node cannot be read.
    """
    try:
        log_id = str(node.node_info()["logId"])
    except (NodeClientError, KeyError, TypeError) as exc:
        raise VerificationError(Step.LEAF, f"cannot read the node's log id: {exc}") from exc
    try:
        matches = hmac.compare_digest(log_id_digest(log_id), digest)
    except RegistryError as exc:
        raise VerificationError(Step.LEAF, f"the node serves a malformed log id: {exc}") from exc
    if not matches:
        raise VerificationError(
            Step.LEAF, f"the label's log is not the log {log_id!r} this node serves"
        )
    return log_id


# -------------------------------------------------------------------- (4) the anchor


def fetch_anchor(
    node: ProofSource, anchors: AnchorRegistryClient, log_id: str, index: int
) -> tuple[HeadRecord, list[bytes]]:
    """(4, I/O) The first head anchored on chain covering leaf ``index``, and the node's
    inclusion proof of the leaf in it.

    The head comes from the chain, only the proof from the node. Raises
    ``VerificationError("anchor", …)`` when the registry cannot be read, nothing anchored
    covers the leaf, or the node serves no usable proof.
    """
    try:
        head = anchors.first_at_or_above(log_id, index + 1)
        if head is None:
            latest = anchors.latest(log_id)
            size = latest.size if latest is not None else 0
            raise VerificationError(
                Step.ANCHOR,
                f"leaf {index} was never anchored: the latest head anchored on chain for log "
                f"{log_id!r} has {size} entries",
            )
    except AnchorsError as exc:
        raise VerificationError(Step.ANCHOR, f"cannot read the anchor registry: {exc}") from exc
    try:
        raw = node.inclusion_proof(index, head.size)
        proof = _hashes(raw["proof"] if isinstance(raw, dict) else raw, "inclusion proof")
    except (NodeClientError, ValueError, KeyError) as exc:
        raise VerificationError(
            Step.ANCHOR, f"no usable inclusion proof of leaf {index} in head {head.size}: {exc}"
        ) from exc
    return HeadRecord(head.index, head.size, bytes(head.root), head.timestamp), proof


def check_anchored(
    signed: SignedStatement, log_id: str, index: int, head: HeadRecord, proof: Sequence[bytes]
) -> AnchoredLeaf:
    """(4, pure) Leaf ``index`` is included in the anchored ``head``.

    A node serving a rewritten log cannot produce a proof to the anchored root. Raises
    ``VerificationError("anchor", …)``.
    """
    if head.size <= index:
        raise VerificationError(
            Step.ANCHOR, f"the anchored head of size {head.size} does not cover leaf {index}"
        )
    try:
        verify_inclusion(signed.leaf_hash, index, head.size, proof, head.root)
    except ProofError as exc:
        raise VerificationError(
            Step.ANCHOR,
            f"the node's proof of leaf {index} does not lead to the root anchored on chain at "
            f"size {head.size}: the log it serves is inconsistent with the chain ({exc})",
        ) from exc
    return AnchoredLeaf(
        signed=signed,
        log_id=log_id,
        index=index,
        head_size=head.size,
        head_root=head.root,
        anchored_at=head.anchored_at,
    )


def prove_anchored(
    node: ProofSource,
    anchors: AnchorRegistryClient,
    signed: SignedStatement,
    log_id: str,
    index: int,
) -> AnchoredLeaf:
    """(4) :func:`fetch_anchor` then :func:`check_anchored`."""
    head, proof = fetch_anchor(node, anchors, log_id, index)
    return check_anchored(signed, log_id, index, head, proof)


# ----------------------------------------------------------------- (5) the signature


def fetch_issuer(participants: ParticipantRegistryClient, org_id: str) -> IssuerHistory:
    """(5, I/O) The organisation's signing-key and role histories from the registry.

    Raises ``VerificationError("signature", …)`` when the registry cannot be read or
    does not know the organisation.
    """
    try:
        keys = tuple(participants.signing_key_history(org_id))
        roles = tuple(participants.role_history(org_id))
    except RegistryError as exc:
        raise VerificationError(
            Step.SIGNATURE, f"issuer {org_id} has no key history on chain: {exc}"
        ) from exc
    return IssuerHistory(org_id, keys, roles)


def check_signature_with(history: IssuerHistory, signed: SignedStatement, at: datetime) -> str:
    """(5, pure) :func:`sdk.check_issuer` at the trusted time ``at``, reported as check 5.

    Returns a sentence describing the key. Raises ``VerificationError("signature", …)``
    whose reason starts with the protocol step that failed (``key.validity: …``).
    """
    statement = signed.statement
    if str(statement.issuer) != history.org_id:
        raise VerificationError(
            Step.SIGNATURE, f"the key history is {history.org_id}'s, not {statement.issuer}'s"
        )
    try:
        check_issuer(signed, keys=history.signing_keys, roles=history.roles, at=at)
    except VerificationError as exc:
        raise VerificationError(Step.SIGNATURE, f"{exc.step}: {exc.reason}") from exc
    return (
        f"Ed25519 key {statement.key_id} of {statement.issuer}, registered with a publishing "
        f"role at anchoring time {at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}"
    )


def check_signature(participants: ParticipantRegistryClient, leaf: AnchoredLeaf) -> str:
    """(5) :func:`fetch_issuer` then :func:`check_signature_with` at the anchoring time."""
    history = fetch_issuer(participants, str(leaf.signed.statement.issuer))
    return check_signature_with(history, leaf.signed, leaf.anchored_at)


def check_current_signature(
    participants: ParticipantRegistryClient, signed: SignedStatement, now: datetime
) -> None:
    """The issuer signed the statement with keys and role registered at ``now``.

    For a recipient acting before the attestation is anchored (a leader collecting);
    auditors and certifiers use :func:`check_signature` at anchoring time instead. The
    same :func:`sdk.check_issuer`, so a statement dated after ``now`` is refused too.
    Raises ``VerificationError("signature", …)``.
    """
    history = fetch_issuer(participants, str(signed.statement.issuer))
    check_signature_with(history, signed, now)


# ----------------------------------------------------------------- (8) superseding


def superseding_entries(
    node: LogSource, target: str, after: int, size: int
) -> list[tuple[int, Any]]:
    """(8, I/O) Raw entries after index ``after`` (up to ``size``) whose statement names
    ``target`` in ``supersedes``, as ``[(index, signedStatement JSON)]``.

    Scans the node's public log page by page; :func:`superseding` decides which count.
    Raises :class:`ValueError` for an entry that is not a signed statement at all (the
    scan cannot tell whether it supersedes), :class:`~sdk.errors.NodeClientError` when a
    page cannot be read.
    """
    found: list[tuple[int, Any]] = []
    start = after + 1
    page = 500
    while start < size:
        end = min(size, start + page)
        for i, entry in enumerate(node.entries(start, end), start=start):
            raw = entry.get("signedStatement") if isinstance(entry, dict) else None
            statement = raw.get("statement") if isinstance(raw, dict) else None
            if not isinstance(statement, dict):
                raise ValueError(f"entry {i} is not a signed statement")
            if statement.get("supersedes") == target:
                found.append((i, raw))
        start = end
    return found


def superseding(
    signed: SignedStatement, entries: Sequence[tuple[int, Any]]
) -> list[tuple[int, str]]:
    """(8, pure) The entries that supersede ``signed``: well-formed statements by the same
    issuer naming it in ``supersedes`` (only an issuer can supersede its own attestation).
    Returns ``[(index, attestation id)]``."""
    out: list[tuple[int, str]] = []
    for index, raw in entries:
        try:
            other = SignedStatement.from_dict(raw)
        except VerificationError:
            continue
        st = other.statement
        if st.supersedes == signed.attestation_id and st.issuer == signed.statement.issuer:
            out.append((index, other.attestation_id))
    return out


def latest_size(node: LogSource) -> int:
    """The node's current log size (anchored or not)."""
    info = node.health()
    return int(info["logSize"])
