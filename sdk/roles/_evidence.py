"""A label's evidence bundle: everything the audit of DESIGN.md §6.5 reads, in one value.

:func:`collect_label_evidence` does all the I/O (the three registries on chain, one node's
log and the label's public disclosure) and returns a :class:`LabelEvidence`;
:func:`sdk.roles.audit_label` decides, purely, from that value and a time. The bundle
serialises to JSON (:meth:`LabelEvidence.to_dict`, type ``tanji.label-evidence``
version 1, specified field by field in docs/evidence.md), so a label can be verified
later, offline (``tanji label verify --evidence FILE``), or by another implementation
(the browser verifier) from the same bytes.

What the bundle proves: the protocol objects in it (the signed statement, the inclusion
proof, the disclosure) verify by themselves; the chain facts (the label, the anchored
head, key and role histories) are as the collector read them from the registries named
in ``source`` at about block ``source.block``, and anyone can read them again there.

A part that could not be collected holds its error instead (the audit fails the check
with that reason), and a part never reached because an earlier one failed is ``null``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sdk._canonical import b64decode, b64encode, hex_decode, loads_strict, require_keys
from sdk._records import KeyRecord, Label, LabelStatus, Role, RoleRecord, Suspension
from sdk._statement import SignedStatement
from sdk._valueproof import value_commitment
from sdk.errors import EvidenceError, NodeClientError, RegistryError, SdkError, VerificationError
from sdk.roles._labelling import label_id_bytes
from sdk.roles._trust import (
    AuditSource,
    HeadRecord,
    fetch_anchor,
    fetch_issuer,
    fetch_leaf_entry,
    latest_size,
    log_id_matching,
    parse_leaf,
    superseding_entries,
)

if TYPE_CHECKING:
    from anchors.chain import AnchorRegistryClient
    from sdk.labels import LabelRegistryClient
    from sdk.registry import ParticipantRegistryClient

EVIDENCE_TYPE = "tanji.label-evidence"
EVIDENCE_VERSION = 2
"""Version 2 adds the ``rollup`` part (the committed roll-up, docs/evidence.md); a bundle
without one is still written as version 1, byte for byte as before, and both read."""
_V1_KEYS = (
    "type",
    "version",
    "labelId",
    "source",
    "label",
    "certifier",
    "log",
    "leaf",
    "anchor",
    "issuer",
    "disclosure",
    "superseding",
)

_T = TypeVar("_T")


@dataclass(frozen=True)
class EvidenceSource:
    """Where the chain facts were read: the chain, the three registries, and the latest
    block when collection started (number and Unix time)."""

    chain_id: int
    label_registry: str
    participant_registry: str
    anchor_registry: str
    block: int
    block_time: int


@dataclass(frozen=True)
class OrganisationEvidence:
    """An organisation as the ParticipantRegistry records it: for the label's issuing
    account (``account`` set, ``org_id`` None when it belongs to no organisation) or for
    the statement's issuer (signing keys too)."""

    org_id: str | None
    roles: tuple[RoleRecord, ...] = ()
    signing_keys: tuple[KeyRecord, ...] = ()
    account: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class AnchorEvidence:
    """The first head anchored on chain covering the leaf and the node's inclusion proof."""

    head: HeadRecord | None
    inclusion_proof: tuple[bytes, ...] | None
    error: str | None = None


@dataclass(frozen=True)
class Fetched:
    """One JSON document fetched from a node (a signed statement, a disclosure) as served,
    or why it could not be."""

    document: Any
    error: str | None = None


@dataclass(frozen=True)
class SupersedingEvidence:
    """Entries after the labelled leaf, up to ``scanned_size``, naming it in
    ``supersedes`` (as served; the audit checks which of them count)."""

    scanned_size: int | None
    entries: tuple[tuple[int, Any], ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class RollupLineEvidence:
    """One upstream attestation a public roll-up proof names: its receipt's leaf (index
    and signed statement, from the node), the range proof published with it, the head
    anchored on chain covering it with the node's inclusion proof, and its issuer's key
    and role histories."""

    attestation_id: str
    leaf_index: int | None = None
    signed_statement: Any = None
    value_range_proof: Any = None
    anchor: AnchorEvidence | None = None
    issuer: OrganisationEvidence | None = None
    error: str | None = None


@dataclass(frozen=True)
class RollupEvidence:
    """The labelled attestation's public roll-up proof (None: the leader published none)
    and the evidence for each upstream attestation it names."""

    proof: Any
    lines: tuple[RollupLineEvidence, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class LabelEvidence:
    """Everything :func:`sdk.roles.audit_label` reads about one label (see module doc)."""

    label_id: bytes
    source: EvidenceSource
    label: Label | None
    label_error: str | None = None
    certifier: OrganisationEvidence | None = None
    log_id: str | None = None
    log_error: str | None = None
    leaf: Fetched | None = None
    anchor: AnchorEvidence | None = None
    issuer: OrganisationEvidence | None = None
    disclosure: Fetched | None = None
    disclosure_given: bool = False
    superseding: SupersedingEvidence | None = None
    rollup: RollupEvidence | None = None

    # ------------------------------------------------------------------ JSON

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (docs/evidence.md); ``from_dict(to_dict(e)) == e``. Version 1
        when there is no ``rollup`` part, version 2 with it."""
        out = self._v1_dict()
        if self.rollup is not None:
            out["version"] = EVIDENCE_VERSION
            out["rollup"] = _rollup_dict(self.rollup)
        return out

    def _v1_dict(self) -> dict[str, Any]:
        return {
            "type": EVIDENCE_TYPE,
            "version": 1,
            "labelId": "0x" + self.label_id.hex(),
            "source": {
                "chainId": self.source.chain_id,
                "labelRegistry": self.source.label_registry,
                "participantRegistry": self.source.participant_registry,
                "anchorRegistry": self.source.anchor_registry,
                "block": self.source.block,
                "blockTime": self.source.block_time,
            },
            "label": {
                "record": None if self.label is None else _label_dict(self.label),
                "error": self.label_error,
            },
            "certifier": _opt(self.certifier, _org_dict),
            "log": None
            if self.log_id is None and self.log_error is None
            else {"logId": self.log_id, "error": self.log_error},
            "leaf": _opt(self.leaf, lambda f: {"signedStatement": f.document, "error": f.error}),
            "anchor": _opt(self.anchor, _anchor_dict),
            "issuer": _opt(self.issuer, _org_dict),
            "disclosure": _opt(
                self.disclosure,
                lambda f: {
                    "disclosure": f.document,
                    "given": self.disclosure_given,
                    "error": f.error,
                },
            ),
            "superseding": _opt(
                self.superseding,
                lambda s: {
                    "scannedSize": s.scanned_size,
                    "entries": [{"index": i, "signedStatement": d} for i, d in s.entries],
                    "error": s.error,
                },
            ),
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as UTF-8 JSON text (two-space indent, keys sorted), for a file."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> LabelEvidence:
        """Parse :meth:`to_json` text; raises :class:`~sdk.errors.EvidenceError` for text
        that is not strict JSON (no duplicate keys, no floats) or not an evidence bundle."""
        try:
            data = loads_strict(text, "evidence")
        except ValueError as exc:
            raise EvidenceError(f"not a {EVIDENCE_TYPE} file: {exc}") from exc
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: object) -> LabelEvidence:
        """Parse the JSON form.

        Raises :class:`~sdk.errors.EvidenceError` naming the first malformed field. The
        protocol objects inside (statements, the disclosure) are kept as given: the audit
        parses them and fails the matching check if they are malformed.
        """
        try:
            return _parse(data)
        except (ValueError, KeyError, TypeError) as exc:
            raise EvidenceError(f"not a {EVIDENCE_TYPE} bundle: {exc}") from exc


def _rollup_dict(rollup: RollupEvidence) -> dict[str, Any]:
    return {
        "proof": rollup.proof,
        "lines": [
            {
                "attestationId": line.attestation_id,
                "leafIndex": line.leaf_index,
                "signedStatement": line.signed_statement,
                "valueRangeProof": line.value_range_proof,
                "anchor": _opt(line.anchor, _anchor_dict),
                "issuer": _opt(line.issuer, _org_dict),
                "error": line.error,
            }
            for line in rollup.lines
        ],
        "error": rollup.error,
    }


def _parse_rollup(data: object, what: str) -> RollupEvidence:
    d = require_keys(data, what, ("proof", "lines", "error"))
    lines = []
    for i, raw in enumerate(_list(d["lines"], f"{what}.lines")):
        w = f"{what}.lines[{i}]"
        line = require_keys(
            raw,
            w,
            (
                "attestationId",
                "leafIndex",
                "signedStatement",
                "valueRangeProof",
                "anchor",
                "issuer",
                "error",
            ),
        )
        lines.append(
            RollupLineEvidence(
                attestation_id=_str(line["attestationId"], f"{w}.attestationId"),
                leaf_index=_opt_uint(line["leafIndex"], f"{w}.leafIndex"),
                signed_statement=line["signedStatement"],
                value_range_proof=line["valueRangeProof"],
                anchor=_opt_parse(line["anchor"], f"{w}.anchor", _parse_anchor),
                issuer=_opt_parse(line["issuer"], f"{w}.issuer", _parse_org),
                error=_opt_str(line["error"], f"{w}.error"),
            )
        )
    return RollupEvidence(d["proof"], tuple(lines), _opt_str(d["error"], f"{what}.error"))


def _opt(value: _T | None, fn: Callable[[_T], dict[str, Any]]) -> dict[str, Any] | None:
    return None if value is None else fn(value)


def _label_dict(label: Label) -> dict[str, Any]:
    return {
        "productIdDigest": label.product_id_digest.hex(),
        "logIdDigest": label.log_id_digest.hex(),
        "leafIndex": label.leaf_index,
        "leafHash": label.leaf_hash.hex(),
        "value": label.value,
        "unit": label.unit,
        "grade": label.grade,
        "standard": label.standard,
        "validFrom": label.valid_from,
        "validUntil": label.valid_until,
        "disclosureDigest": label.disclosure_digest.hex(),
        "issuerOrgDigest": label.issuer_org_digest.hex(),
        "issuer": label.issuer,
        "issuedAt": label.issued_at,
        "revokedAt": label.revoked_at,
        "revocationReason": label.revocation_reason,
        # Optional (absent when empty, so bundles of labels without them are unchanged).
        **(
            {}
            if label.certificate_number is None or label.certificate_digest is None
            else {
                "certificate": {
                    "number": label.certificate_number,
                    "digest": label.certificate_digest.hex(),
                }
            }
        ),
        **(
            {}
            if not label.suspensions
            else {
                "suspensions": [
                    {
                        "suspendedAt": p.suspended_at,
                        "restoredAt": p.restored_at,
                        "reason": p.reason,
                        "restoreReason": p.restore_reason,
                    }
                    for p in label.suspensions
                ]
            }
        ),
    }


def _org_dict(org: OrganisationEvidence) -> dict[str, Any]:
    return {
        "orgId": org.org_id,
        "account": org.account,
        "roles": [
            {"role": r.role.name, "validFrom": r.valid_from, "revokedAt": r.revoked_at}
            for r in org.roles
        ],
        "signingKeys": [
            {
                "publicKey": b64encode(k.public_key),
                "validFrom": k.valid_from,
                "revokedAt": k.revoked_at,
            }
            for k in org.signing_keys
        ],
        "error": org.error,
    }


def _anchor_dict(anchor: AnchorEvidence) -> dict[str, Any]:
    head = anchor.head
    return {
        "head": None
        if head is None
        else {
            "index": head.index,
            "size": head.size,
            "root": b64encode(head.root),
            "timestamp": head.timestamp,
        },
        "inclusionProof": None
        if anchor.inclusion_proof is None
        else [b64encode(h) for h in anchor.inclusion_proof],
        "error": anchor.error,
    }


# ------------------------------------------------------------------ parsing


def _uint(value: object, what: str) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"{what} must be a non-negative integer")
    return value


def _opt_uint(value: object, what: str) -> int | None:
    return None if value is None else _uint(value, what)


def _str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string")
    return value


def _opt_str(value: object, what: str) -> str | None:
    return None if value is None else _str(value, what)


def _list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{what} must be a list")
    return value


def _parse(data: object) -> LabelEvidence:
    version = data.get("version") if isinstance(data, dict) else None
    if type(version) is not int or version not in (1, EVIDENCE_VERSION):
        raise ValueError(f"unsupported version {version!r} (this verifier reads 1 and 2)")
    doc = require_keys(
        data, "evidence", _V1_KEYS + (("rollup",) if version == EVIDENCE_VERSION else ())
    )
    if doc["type"] != EVIDENCE_TYPE:
        raise ValueError(f"type must be {EVIDENCE_TYPE!r}")
    label_id = label_id_bytes(_str(doc["labelId"], "labelId"))
    src = require_keys(
        doc["source"],
        "source",
        ("chainId", "labelRegistry", "participantRegistry", "anchorRegistry", "block", "blockTime"),
    )
    source = EvidenceSource(
        chain_id=_uint(src["chainId"], "source.chainId"),
        label_registry=_str(src["labelRegistry"], "source.labelRegistry"),
        participant_registry=_str(src["participantRegistry"], "source.participantRegistry"),
        anchor_registry=_str(src["anchorRegistry"], "source.anchorRegistry"),
        block=_uint(src["block"], "source.block"),
        block_time=_uint(src["blockTime"], "source.blockTime"),
    )
    part = require_keys(doc["label"], "label", ("record", "error"))
    label = None if part["record"] is None else _parse_label(label_id, part["record"], source)
    log = doc["log"]
    log_id = log_error = None
    if log is not None:
        log = require_keys(log, "log", ("logId", "error"))
        log_id = _opt_str(log["logId"], "log.logId")
        log_error = _opt_str(log["error"], "log.error")
    disclosure = given = None
    if doc["disclosure"] is not None:
        d = require_keys(doc["disclosure"], "disclosure", ("disclosure", "given", "error"))
        if type(d["given"]) is not bool:
            raise ValueError("disclosure.given must be true or false")
        disclosure = Fetched(d["disclosure"], _opt_str(d["error"], "disclosure.error"))
        given = d["given"]
    return LabelEvidence(
        label_id=label_id,
        source=source,
        label=label,
        label_error=_opt_str(part["error"], "label.error"),
        certifier=_opt_parse(doc["certifier"], "certifier", _parse_org),
        log_id=log_id,
        log_error=log_error,
        leaf=_opt_parse(doc["leaf"], "leaf", _parse_leaf),
        anchor=_opt_parse(doc["anchor"], "anchor", _parse_anchor),
        issuer=_opt_parse(doc["issuer"], "issuer", _parse_org),
        disclosure=disclosure,
        disclosure_given=bool(given),
        superseding=_opt_parse(doc["superseding"], "superseding", _parse_superseding),
        rollup=None if version == 1 else _parse_rollup(doc["rollup"], "rollup"),
    )


def _opt_parse(value: object, what: str, fn: Callable[[object, str], _T]) -> _T | None:
    return None if value is None else fn(value, what)


def _parse_label(label_id: bytes, data: object, source: EvidenceSource) -> Label:
    w = "label.record."
    optional = {}
    if isinstance(data, dict):
        data = dict(data)
        optional = {k: data.pop(k) for k in ("certificate", "suspensions") if k in data}
    d = require_keys(
        data,
        "label.record",
        (
            "productIdDigest",
            "logIdDigest",
            "leafIndex",
            "leafHash",
            "value",
            "unit",
            "grade",
            "standard",
            "validFrom",
            "validUntil",
            "disclosureDigest",
            "issuerOrgDigest",
            "issuer",
            "issuedAt",
            "revokedAt",
            "revocationReason",
        ),
    )
    revoked_at = _opt_uint(d["revokedAt"], w + "revokedAt")
    number = cert_digest = None
    if "certificate" in optional:
        c = require_keys(optional["certificate"], w + "certificate", ("number", "digest"))
        number = _str(c["number"], w + "certificate.number")
        cert_digest = hex_decode(c["digest"], w + "certificate.digest", size=32)
    suspensions: list[Suspension] = []
    for i, raw in enumerate(optional.get("suspensions", [])):
        what = f"{w}suspensions[{i}]"
        e = require_keys(raw, what, ("suspendedAt", "restoredAt", "reason", "restoreReason"))
        suspensions.append(
            Suspension(
                suspended_at=_uint(e["suspendedAt"], what + ".suspendedAt"),
                restored_at=_opt_uint(e["restoredAt"], what + ".restoredAt"),
                reason=_str(e["reason"], what + ".reason"),
                restore_reason=_opt_str(e["restoreReason"], what + ".restoreReason"),
            )
        )
    label = Label(
        label_id=label_id,
        product_id_digest=hex_decode(d["productIdDigest"], w + "productIdDigest", size=32),
        log_id_digest=hex_decode(d["logIdDigest"], w + "logIdDigest", size=32),
        leaf_index=_uint(d["leafIndex"], w + "leafIndex"),
        leaf_hash=hex_decode(d["leafHash"], w + "leafHash", size=32),
        value=_str(d["value"], w + "value"),
        unit=_str(d["unit"], w + "unit"),
        grade=_str(d["grade"], w + "grade"),
        standard=_str(d["standard"], w + "standard"),
        valid_from=_uint(d["validFrom"], w + "validFrom"),
        valid_until=_uint(d["validUntil"], w + "validUntil"),
        disclosure_digest=hex_decode(d["disclosureDigest"], w + "disclosureDigest", size=32),
        issuer_org_digest=hex_decode(d["issuerOrgDigest"], w + "issuerOrgDigest", size=32),
        issuer=_str(d["issuer"], w + "issuer"),
        issued_at=_uint(d["issuedAt"], w + "issuedAt"),
        revoked_at=revoked_at,
        revocation_reason=_opt_str(d["revocationReason"], w + "revocationReason"),
        status=LabelStatus.UNKNOWN,
        certificate_number=number,
        certificate_digest=cert_digest,
        suspensions=tuple(suspensions),
    )
    # The status field is the one read at the source block; recompute it from the record.
    return Label(**{**label.__dict__, "status": label.status_at(source.block_time)})


def _parse_org(data: object, what: str) -> OrganisationEvidence:
    d = require_keys(data, what, ("orgId", "account", "roles", "signingKeys", "error"))
    roles = []
    for i, r in enumerate(_list(d["roles"], f"{what}.roles")):
        r = require_keys(r, f"{what}.roles[{i}]", ("role", "validFrom", "revokedAt"))
        name = _str(r["role"], f"{what}.roles[{i}].role")
        if name not in Role.__members__:
            raise ValueError(f"{what}.roles[{i}].role {name!r} is not a role")
        roles.append(
            RoleRecord(
                Role[name],
                _uint(r["validFrom"], f"{what}.roles[{i}].validFrom"),
                _opt_uint(r["revokedAt"], f"{what}.roles[{i}].revokedAt"),
            )
        )
    keys = []
    for i, k in enumerate(_list(d["signingKeys"], f"{what}.signingKeys")):
        k = require_keys(k, f"{what}.signingKeys[{i}]", ("publicKey", "validFrom", "revokedAt"))
        keys.append(
            KeyRecord(
                b64decode(k["publicKey"], f"{what}.signingKeys[{i}].publicKey", size=32),
                _uint(k["validFrom"], f"{what}.signingKeys[{i}].validFrom"),
                _opt_uint(k["revokedAt"], f"{what}.signingKeys[{i}].revokedAt"),
            )
        )
    return OrganisationEvidence(
        org_id=_opt_str(d["orgId"], f"{what}.orgId"),
        roles=tuple(roles),
        signing_keys=tuple(keys),
        account=_opt_str(d["account"], f"{what}.account"),
        error=_opt_str(d["error"], f"{what}.error"),
    )


def _parse_leaf(data: object, what: str) -> Fetched:
    d = require_keys(data, what, ("signedStatement", "error"))
    return Fetched(d["signedStatement"], _opt_str(d["error"], f"{what}.error"))


def _parse_anchor(data: object, what: str) -> AnchorEvidence:
    d = require_keys(data, what, ("head", "inclusionProof", "error"))
    head = None
    if d["head"] is not None:
        h = require_keys(d["head"], f"{what}.head", ("index", "size", "root", "timestamp"))
        head = HeadRecord(
            index=_uint(h["index"], f"{what}.head.index"),
            size=_uint(h["size"], f"{what}.head.size"),
            root=b64decode(h["root"], f"{what}.head.root", size=32),
            timestamp=_uint(h["timestamp"], f"{what}.head.timestamp"),
        )
    proof = None
    if d["inclusionProof"] is not None:
        proof = tuple(
            b64decode(p, f"{what}.inclusionProof[{i}]", size=32)
            for i, p in enumerate(_list(d["inclusionProof"], f"{what}.inclusionProof"))
        )
    return AnchorEvidence(head, proof, _opt_str(d["error"], f"{what}.error"))


def _parse_superseding(data: object, what: str) -> SupersedingEvidence:
    d = require_keys(data, what, ("scannedSize", "entries", "error"))
    entries = []
    for i, e in enumerate(_list(d["entries"], f"{what}.entries")):
        e = require_keys(e, f"{what}.entries[{i}]", ("index", "signedStatement"))
        entries.append((_uint(e["index"], f"{what}.entries[{i}].index"), e["signedStatement"]))
    return SupersedingEvidence(
        _opt_uint(d["scannedSize"], f"{what}.scannedSize"),
        tuple(entries),
        _opt_str(d["error"], f"{what}.error"),
    )


# ------------------------------------------------------------------ collection (I/O)


def _reason(exc: Exception) -> str:
    if isinstance(exc, VerificationError):
        return exc.reason
    return f"{type(exc).__name__}: {exc}" if not isinstance(exc, SdkError) else str(exc)


def collect_label_evidence(
    label_id: bytes | str,
    *,
    node: AuditSource,
    participants: ParticipantRegistryClient,
    labels: LabelRegistryClient,
    anchors: AnchorRegistryClient,
    disclosure: Mapping[str, Any] | None = None,
) -> LabelEvidence:
    """Read everything the audit of label ``label_id`` needs (all the I/O, in order).

    ``disclosure`` is the label's public disclosure when the caller holds it (it came
    with the product); otherwise the node's is fetched. Never raises for what it cannot
    read: the part holds the error and later parts stay empty, as the audit would skip
    them. Raises :class:`ValueError` for a malformed label id and
    :class:`~sdk.errors.RegistryError` when the chain cannot be read at all.
    """
    lid = label_id_bytes(label_id)
    chain = labels.chain
    with ExitStack() as pinned:
        try:
            # Every chain read below is at this one block, so the evidence is one state
            # of the chain (the block it names); a long-lived client answers repeated
            # reads at an unchanged block from memory (ChainClient.pinned_reads).
            block = pinned.enter_context(chain.pinned_reads())
            source = EvidenceSource(
                chain_id=int(chain.chain_id),
                label_registry=str(labels.address),
                participant_registry=str(participants.address),
                anchor_registry=str(anchors.address),
                block=block.number,
                block_time=block.timestamp,
            )
        except Exception as exc:  # web3 and transport errors: the chain is unreadable
            raise RegistryError(f"cannot read the chain's latest block: {exc}") from exc
        return _collect_at(
            lid,
            source,
            node=node,
            participants=participants,
            labels=labels,
            anchors=anchors,
            disclosure=disclosure,
        )


def _collect_at(
    lid: bytes,
    source: EvidenceSource,
    *,
    node: AuditSource,
    participants: ParticipantRegistryClient,
    labels: LabelRegistryClient,
    anchors: AnchorRegistryClient,
    disclosure: Mapping[str, Any] | None,
) -> LabelEvidence:
    """:func:`collect_label_evidence` once the chain's block is pinned."""
    # (1) the label.
    try:
        label = labels.label(lid)
    except RegistryError as exc:
        return LabelEvidence(lid, source, None, label_error=f"cannot read the label: {exc}")
    if label is None:
        return LabelEvidence(lid, source, None, label_error=f"no label 0x{lid.hex()} on chain")
    # (2) the organisation of the issuing account, and its roles.
    try:
        org = participants.org_id_of_account(label.issuer)
        certifier = OrganisationEvidence(
            org_id=org,
            roles=tuple(participants.role_history(org)) if org is not None else (),
            account=label.issuer,
        )
    except RegistryError as exc:
        certifier = OrganisationEvidence(None, account=label.issuer, error=str(exc))
    parts: dict[str, Any] = {"label": label, "certifier": certifier}
    # (3) the leaf, from a node serving the label's log.
    try:
        log_id = log_id_matching(node, label.log_id_digest)
    except VerificationError as exc:
        return LabelEvidence(lid, source, **parts, log_error=exc.reason)
    parts["log_id"] = log_id
    try:
        raw_leaf = fetch_leaf_entry(node, log_id, label.leaf_index)
    except VerificationError as exc:
        return LabelEvidence(lid, source, **parts, leaf=Fetched(None, exc.reason))
    parts["leaf"] = Fetched(raw_leaf)
    try:
        signed = parse_leaf(raw_leaf, label.leaf_index)
    except VerificationError:
        return LabelEvidence(lid, source, **parts)
    # (4) the anchored head and the node's proof.
    try:
        head, proof = fetch_anchor(node, anchors, log_id, label.leaf_index)
        parts["anchor"] = AnchorEvidence(head, tuple(proof))
    except VerificationError as exc:
        parts["anchor"] = AnchorEvidence(None, None, exc.reason)
    # (5) the issuer's key and role histories.
    issuer = str(signed.statement.issuer)
    try:
        history = fetch_issuer(participants, issuer)
        parts["issuer"] = OrganisationEvidence(
            issuer, roles=history.roles, signing_keys=history.signing_keys
        )
    except VerificationError as exc:
        parts["issuer"] = OrganisationEvidence(issuer, error=exc.reason)
    # (6) the public disclosure.
    if disclosure is not None:
        parts["disclosure"] = Fetched(dict(disclosure))
        parts["disclosure_given"] = True
    else:
        try:
            parts["disclosure"] = Fetched(node.label_disclosure("0x" + lid.hex()))
        except NodeClientError as exc:
            parts["disclosure"] = Fetched(
                None, f"the node has no public disclosure for this label: {exc}"
            )
    # (8) newer attestations naming this one as superseded.
    try:
        size = latest_size(node)
        entries = superseding_entries(node, signed.attestation_id, label.leaf_index, size)
        parts["superseding"] = SupersedingEvidence(size, tuple(entries))
    except (NodeClientError, KeyError, TypeError, ValueError) as exc:
        parts["superseding"] = SupersedingEvidence(None, error=_reason(exc))
    # (9) the committed roll-up, when the statement commits to its value.
    parts["rollup"] = _collect_rollup(node, participants, anchors, log_id, signed)
    return LabelEvidence(lid, source, **parts)


def _collect_rollup(
    node: AuditSource,
    participants: ParticipantRegistryClient,
    anchors: AnchorRegistryClient,
    log_id: str,
    signed: SignedStatement,
) -> RollupEvidence | None:
    """(9, I/O) The public roll-up proof and, for each upstream attestation it names, the
    leaf, range proof, anchor and issuer history. None when the statement commits to no
    value (nothing to check: the bundle stays version 1)."""
    if value_commitment(signed.statement) is None:
        return None
    try:
        proof = node.value_proofs(signed.attestation_id)["rollupProof"]
    except (NodeClientError, KeyError, TypeError) as exc:
        return RollupEvidence(None, error=f"cannot read the value proofs: {_reason(exc)}")
    if proof is None:
        return RollupEvidence(None)
    refs: list[str] = []
    raw_lines = proof.get("lines") if isinstance(proof, dict) else None
    for raw in raw_lines if isinstance(raw_lines, list) else []:
        ref = raw.get("ref") if isinstance(raw, dict) else None
        if isinstance(ref, str) and ref not in refs:
            refs.append(ref)
    return RollupEvidence(
        proof, tuple(_collect_line(node, participants, anchors, log_id, r) for r in refs)
    )


def _collect_line(
    node: AuditSource,
    participants: ParticipantRegistryClient,
    anchors: AnchorRegistryClient,
    log_id: str,
    ref: str,
) -> RollupLineEvidence:
    try:
        receipt = node.receipt(ref)
        index = int(receipt["leafIndex"])
        document = receipt["signedStatement"]
        if receipt["anchor"]["logId"] != log_id:
            return RollupLineEvidence(
                ref, error=f"the upstream attestation is in log {receipt['anchor']['logId']!r}"
            )
        range_proof = node.value_proofs(ref)["valueRangeProof"]
    except (NodeClientError, KeyError, TypeError, ValueError) as exc:
        return RollupLineEvidence(
            ref, error=f"cannot read the upstream attestation: {_reason(exc)}"
        )
    try:
        head, inclusion = fetch_anchor(node, anchors, log_id, index)
        anchor = AnchorEvidence(head, tuple(inclusion))
    except VerificationError as exc:
        anchor = AnchorEvidence(None, None, exc.reason)
    issuer_id = None
    if isinstance(document, dict) and isinstance(document.get("statement"), dict):
        issuer_id = document["statement"].get("issuer")
    if not isinstance(issuer_id, str):
        issuer = OrganisationEvidence(None, error="the statement names no issuer")
    else:
        try:
            history = fetch_issuer(participants, issuer_id)
            issuer = OrganisationEvidence(
                issuer_id, roles=history.roles, signing_keys=history.signing_keys
            )
        except VerificationError as exc:
            issuer = OrganisationEvidence(issuer_id, error=exc.reason)
    return RollupLineEvidence(ref, index, document, range_proof, anchor, issuer)
