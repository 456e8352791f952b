"""Tanji SDK: the attestation protocol core (pure) and the clients built on it.

Protocol objects follow DESIGN.md §4; every byte string that is hashed or signed comes
from :func:`canonical_json`. Footprints: :mod:`sdk.footprint`. Chain clients:
:mod:`sdk.registry`, :mod:`sdk.labels`, :mod:`sdk.deploy`. Errors: :mod:`sdk.errors`.
"""

from __future__ import annotations

from sdk._attestation import Attestation, OpenedAttestation, create_attestation, open_attestation
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
from sdk._disclosure import DisclosedClaim, Disclosure, disclose, verify_disclosure
from sdk._envelope import (
    Envelope,
    EnvelopeContent,
    Grant,
    envelope_aad,
    make_grant,
    new_data_key,
    open_envelope,
    open_grant,
    seal_envelope,
)
from sdk._ids import OrgId, uscc_check_char
from sdk._keys import FAST_KDF, KdfParams, KeyRecord, KeyRecordLike, OrgKeys, key_id
from sdk._receipt import AnchorReference, Receipt
from sdk._statement import (
    SignedStatement,
    Statement,
    format_time,
    parse_time,
    sign_statement,
    subject_digest,
    verify_statement_signature,
)
from sdk._verify import (
    DEFAULT_CLOCK_SKEW,
    CheckpointCache,
    VerifiedAttestation,
    verify_attestation,
    verify_receipt,
)
from sdk.deploy import DEPLOYMENT_FORMAT, Deployment, deploy_tanji
from sdk.footprint import (
    BOUNDARIES,
    TANJI_EXTENSION_SCHEMA,
    TANJI_EXTENSION_VERSION,
    Dqi,
    GridFactorRef,
    LabelGrade,
    MeteringRecord,
    PactVersion,
    Pcf,
    ProductFootprint,
    TanjiExtension,
    from_pact,
    pact_major,
    to_pact,
)
from sdk.labels import Label, LabelRegistryClient, LabelStatus, log_id_digest
from sdk.registry import (
    Organisation,
    ParticipantRegistryClient,
    RevocationReason,
    Role,
    org_id_digest,
)

__all__ = [
    "BOUNDARIES",
    "DEFAULT_CLOCK_SKEW",
    "DEPLOYMENT_FORMAT",
    "FAST_KDF",
    "INVENTORY_POINTER",
    "TANJI_EXTENSION_SCHEMA",
    "TANJI_EXTENSION_VERSION",
    "UPSTREAM_PREFIX",
    "AnchorReference",
    "Attestation",
    "CheckpointCache",
    "Claim",
    "ClaimSet",
    "Deployment",
    "DisclosedClaim",
    "Disclosure",
    "Dqi",
    "Envelope",
    "EnvelopeContent",
    "Grant",
    "GridFactorRef",
    "JsonValue",
    "KdfParams",
    "KeyRecord",
    "KeyRecordLike",
    "Label",
    "LabelGrade",
    "LabelRegistryClient",
    "LabelStatus",
    "MeteringRecord",
    "OpenedAttestation",
    "OrgId",
    "OrgKeys",
    "Organisation",
    "PactVersion",
    "ParticipantRegistryClient",
    "Pcf",
    "ProductFootprint",
    "Receipt",
    "RevocationReason",
    "Role",
    "SignedStatement",
    "Statement",
    "TanjiExtension",
    "VerifiedAttestation",
    "canonical_json",
    "claim_leaf_bytes",
    "claim_salt",
    "create_attestation",
    "deploy_tanji",
    "disclose",
    "envelope_aad",
    "flatten",
    "format_time",
    "from_pact",
    "inventory_digest",
    "is_pointer",
    "key_id",
    "log_id_digest",
    "make_grant",
    "new_data_key",
    "open_attestation",
    "open_envelope",
    "open_grant",
    "org_id_digest",
    "pact_major",
    "parse_time",
    "seal_envelope",
    "sign_statement",
    "subject_digest",
    "tagged_digest",
    "to_pact",
    "uscc_check_char",
    "verify_attestation",
    "verify_disclosure",
    "verify_receipt",
    "verify_statement_signature",
]
