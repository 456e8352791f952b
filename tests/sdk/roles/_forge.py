"""Attestations no honest SDK call produces, built from the primitives (sdk.hazmat)."""

from __future__ import annotations

import os
from dataclasses import replace

from sdk import Attestation, OrgKeys, sign_statement, subject_commitment
from sdk.hazmat import seal_envelope


def with_subject(attestation: Attestation, keys: OrgKeys, product_id: str) -> Attestation:
    """``attestation`` re-signed with a subject committing to ``product_id`` (salted like
    the real one), while its footprint still names its own product."""
    salt = os.urandom(16)
    subject = subject_commitment(product_id, salt)
    envelope = seal_envelope(
        attestation.content,
        issuer=keys.org_id,
        subject_digest=subject,
        data_key=attestation.data_key,
        nonce=os.urandom(24),
    )
    statement = replace(
        attestation.signed_statement.statement,
        subject_digest=subject,
        envelope_digest=envelope.digest,
    )
    return replace(attestation, signed_statement=sign_statement(statement, keys), envelope=envelope)
