"""Label disclosures: the public disclosure a certifier publishes for a label it issued.

A carbon label on chain (LabelRegistry) names the digest of its public disclosure; the
node stores the disclosure itself so that anyone holding the label id can fetch it. On
write the node checks, against the chain: the label exists, the caller's organisation
issued it, and the disclosure's digest is the one the label records. So the node can
neither be given nor serve a disclosure that does not belong to the label (an auditor
re-checks the digest anyway). Writes are idempotent; a different disclosure for a label
that already has one is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import Path
from sqlalchemy import Column, Engine, LargeBinary, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

from node._db import writing
from node._tables import NODE_METADATA, UtcDateTime
from node._util import check_aware, rfc3339
from node.errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from sdk import Disclosure, canonical_json, loads_strict
from sdk.errors import RegistryError, SdkError
from sdk.labels import Label, LabelRegistryClient

label_disclosures = Table(
    "label_disclosures",
    NODE_METADATA,
    Column("label_id", String(66), primary_key=True, comment="0x + 64 hex"),
    Column("attestation_id", String(64), nullable=False),
    Column("certifier", String(128), nullable=False),
    Column("disclosure", LargeBinary, nullable=False, comment="JCS of the disclosure"),
    Column("created_at", UtcDateTime, nullable=False),
)

_LABEL_ID = re.compile(r"0x[0-9a-f]{64}")
LabelId = Annotated[str, Path(pattern=r"^0x[0-9a-f]{64}$", description="label id (0x + hex)")]


class LabelDisclosures:
    """The label-disclosure resource over the node's database and the LabelRegistry."""

    def __init__(self, engine: Engine, labels: LabelRegistryClient) -> None:
        self._engine = engine
        self._labels = labels

    def _label(self, label_id: str) -> Label:
        if not _LABEL_ID.fullmatch(label_id):
            raise InvalidInput("label id must be 0x followed by 64 lowercase hex characters")
        try:
            label = self._labels.label(bytes.fromhex(label_id[2:]))
        except RegistryError as exc:
            raise Unavailable(f"cannot read the LabelRegistry: {exc}") from exc
        if label is None:
            raise NotFound(f"no label {label_id} on chain", code="unknown_label")
        return label

    def put(self, caller_org: str, label_id: str, body: Any, now: datetime) -> dict[str, Any]:
        """Store the public disclosure of ``label_id`` (its issuing organisation only).

        Raises :class:`InvalidInput` (malformed disclosure, digest not the label's),
        :class:`NotFound` (no such label), :class:`Forbidden` (another organisation
        issued it), :class:`Conflict` (a different disclosure is already stored).
        """
        check_aware(now)
        try:
            disclosure = Disclosure.from_dict(body)
            data = canonical_json(disclosure.to_dict())
        except (SdkError, ValueError) as exc:
            raise InvalidInput(f"disclosure: {exc}") from exc
        label = self._label(label_id)
        caller_digest = hashlib.sha256(caller_org.encode("utf-8")).digest()
        if not hmac.compare_digest(caller_digest, label.issuer_org_digest):
            raise Forbidden(f"label {label_id} was not issued by {caller_org}")
        if not hmac.compare_digest(disclosure.digest, label.disclosure_digest):
            raise InvalidInput(
                "the disclosure's digest is not the one recorded in the label",
                code="digest_mismatch",
            )
        row = {
            "label_id": label_id,
            "attestation_id": disclosure.attestation_id,
            "certifier": caller_org,
            "disclosure": data,
            "created_at": now,
        }
        try:
            with writing(self._engine) as conn, conn.begin():
                conn.execute(insert(label_disclosures).values(**row))
            status = "created"
        except IntegrityError:
            stored = self._row(label_id)
            if stored is None or bytes(stored.disclosure) != data:
                raise Conflict(f"label {label_id} already has another disclosure") from None
            status = "existing"
        return {"labelId": label_id, "attestationId": disclosure.attestation_id, "status": status}

    def get(self, label_id: str) -> dict[str, Any]:
        """The stored disclosure of ``label_id``; :class:`NotFound` if none."""
        row = self._row(label_id)
        if row is None:
            raise NotFound(f"no disclosure for label {label_id}", code="unknown_label")
        doc: dict[str, Any] = loads_strict(bytes(row.disclosure), "disclosure")
        return doc

    def view(self, label_id: str) -> dict[str, Any]:
        """The label as on chain with its stored disclosure (what a QR code leads to)."""
        label = self._label(label_id)
        row = self._row(label_id)
        return {
            "labelId": label_id,
            "status": label.status.name.lower(),
            "value": label.value,
            "unit": label.unit,
            "grade": label.grade,
            "standard": label.standard,
            "validFrom": label.valid_from,
            "validUntil": label.valid_until,
            "issuer": label.issuer,
            "leafIndex": label.leaf_index,
            "leafHash": label.leaf_hash.hex(),
            "revocationReason": label.revocation_reason,
            "certificateNumber": label.certificate_number,
            "suspension": None
            if label.suspension is None
            else {"since": label.suspension.suspended_at, "reason": label.suspension.reason},
            "disclosure": None
            if row is None
            else loads_strict(bytes(row.disclosure), "disclosure"),
            "published": None if row is None else rfc3339(row.created_at),
        }

    def _row(self, label_id: str) -> Any:
        with self._engine.connect() as conn:
            return conn.execute(
                select(label_disclosures).where(label_disclosures.c.label_id == label_id)
            ).first()
