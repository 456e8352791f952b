"""Tanji SDK: the attestation protocol core (pure) and the clients built on it.

Protocol objects follow docs/DESIGN.md §4; every byte string that is hashed or signed
comes from :func:`canonical_json`. Errors: :mod:`sdk.errors`.
"""

from __future__ import annotations

from sdk._canonical import JsonValue, canonical_json, tagged_digest
from sdk._claims import (
    INVENTORY_POINTER,
    UPSTREAM_PREFIX,
    Claim,
    ClaimSet,
    claim_leaf_bytes,
    claim_salt,
    flatten,
    inventory_digest,
    is_pointer,
)
from sdk._ids import OrgId, uscc_check_char
from sdk._keys import FAST_KDF, KdfParams, KeyRecord, KeyRecordLike, OrgKeys, key_id
from sdk._statement import (
    SignedStatement,
    Statement,
    format_time,
    parse_time,
    sign_statement,
    subject_digest,
    verify_statement_signature,
)

__all__ = [
    "FAST_KDF",
    "INVENTORY_POINTER",
    "UPSTREAM_PREFIX",
    "Claim",
    "ClaimSet",
    "JsonValue",
    "KdfParams",
    "KeyRecord",
    "KeyRecordLike",
    "OrgId",
    "OrgKeys",
    "SignedStatement",
    "Statement",
    "canonical_json",
    "claim_leaf_bytes",
    "claim_salt",
    "flatten",
    "format_time",
    "inventory_digest",
    "is_pointer",
    "key_id",
    "parse_time",
    "sign_statement",
    "subject_digest",
    "tagged_digest",
    "uscc_check_char",
    "verify_statement_signature",
]
