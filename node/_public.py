"""Public attestations: an issuer publishes the FULL disclosure of one of its attestations.

An industry association publishes an emission factor set this way (see
:mod:`sdk.roles._factorsets`): the attestation is logged and anchored like any other, and
its every claim (value, salt, proof) is stored here in the clear, so anyone can read it
without authentication and verify each value against the signed commitment. On write the
node checks: the attestation is stored here, the caller's organisation issued it, the
disclosure verifies against the stored statement's commitment, and it covers every
claim (``claimCount``). Writes are idempotent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Path
from sqlalchemy import Column, Engine, LargeBinary, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

from node._db import writing
from node._tables import NODE_METADATA, UtcDateTime
from node._util import check_aware, rfc3339
from node.errors import Conflict, Forbidden, InvalidInput, NotFound
from sdk import Disclosure, SignedStatement, canonical_json, loads_strict, verify_disclosure
from sdk.errors import SdkError, VerificationError

public_disclosures = Table(
    "public_disclosures",
    NODE_METADATA,
    Column("attestation_id", String(64), primary_key=True, comment="hex SHA-256 of the leaf"),
    Column("issuer", String(128), nullable=False),
    Column("disclosure", LargeBinary, nullable=False, comment="JCS of the full disclosure"),
    Column("created_at", UtcDateTime, nullable=False),
)

AttestationId = Annotated[
    str, Path(pattern=r"^[0-9a-f]{64}$", description="attestation id (64 lowercase hex)")
]


class PublicAttestations:
    """The public-attestation resource over the node's database.

    ``statement`` returns the stored signed statement of an attestation (JSON form) or
    raises :class:`NotFound`; the node passes its attestation store's reader.
    """

    def __init__(self, engine: Engine, statement: Any) -> None:
        self._engine = engine
        self._statement = statement

    def put(self, caller_org: str, attestation_id: str, body: Any, now: datetime) -> dict[str, Any]:
        """Make ``attestation_id`` public with its full disclosure (its issuer only).

        Raises :class:`NotFound` (no such attestation here), :class:`Forbidden` (another
        organisation issued it), :class:`InvalidInput` (malformed, does not verify against
        the commitment: code ``disclosure_mismatch``; does not cover every claim: code
        ``incomplete_disclosure``), :class:`Conflict` (a different disclosure is stored).
        """
        check_aware(now)
        signed = SignedStatement.from_dict(self._statement(attestation_id))
        issuer = str(signed.statement.issuer)
        if issuer != caller_org:
            raise Forbidden(
                f"attestation {attestation_id} was issued by {issuer}, not {caller_org}"
            )
        try:
            disclosure = Disclosure.from_dict(body)
            data = canonical_json(disclosure.to_dict())
        except (SdkError, ValueError, TypeError) as exc:
            raise InvalidInput(f"disclosure: {exc}") from exc
        try:
            values = verify_disclosure(disclosure, signed)
        except VerificationError as exc:
            raise InvalidInput(
                f"the disclosure does not verify against the attestation's commitment: {exc}",
                code="disclosure_mismatch",
            ) from exc
        count = signed.statement.claim_count
        if len(values) != count:
            raise InvalidInput(
                f"a public attestation discloses every claim: got {len(values)} of {count}",
                code="incomplete_disclosure",
            )
        row = {
            "attestation_id": attestation_id,
            "issuer": issuer,
            "disclosure": data,
            "created_at": now,
        }
        try:
            with writing(self._engine) as conn, conn.begin():
                conn.execute(insert(public_disclosures).values(**row))
            status = "created"
        except IntegrityError:
            stored = self._row(attestation_id)
            if stored is None or bytes(stored.disclosure) != data:
                raise Conflict(f"attestation {attestation_id} is public already") from None
            status = "existing"
        return {"attestationId": attestation_id, "status": status, "claimCount": count}

    def get(self, attestation_id: str) -> dict[str, Any]:
        """The full disclosure of a public attestation; :class:`NotFound` (``not_public``)."""
        row = self._row(attestation_id)
        if row is None:
            raise NotFound(f"attestation {attestation_id} is not public", code="not_public")
        doc: dict[str, Any] = loads_strict(bytes(row.disclosure), "disclosure")
        return doc

    def published_at(self, attestation_id: str) -> str | None:
        """When the attestation was made public (RFC 3339), or None."""
        row = self._row(attestation_id)
        return None if row is None else rfc3339(row.created_at)

    def _row(self, attestation_id: str) -> Any:
        with self._engine.connect() as conn:
            return conn.execute(
                select(public_disclosures).where(
                    public_disclosures.c.attestation_id == attestation_id
                )
            ).first()
