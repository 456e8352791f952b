"""Tanji SDK: the attestation protocol core (pure) and the clients built on it.

Protocol objects follow DESIGN.md §4; every byte string that is hashed or signed comes
from :func:`canonical_json`. Footprints: :mod:`sdk.footprint`. Roles (recipes over a
node and the chain): :mod:`sdk.roles`. Low-level primitives: :mod:`sdk.hazmat`. Errors:
:mod:`sdk.errors`.

``import sdk`` loads the pure core only: verification never imports web3 or SQLAlchemy.
The chain clients (:mod:`sdk.registry`, :mod:`sdk.labels`, :mod:`sdk.deploy`) and the
names re-exported from them (:class:`ParticipantRegistryClient`,
:class:`LabelRegistryClient`, :class:`Deployment`, :func:`deploy_tanji`,
:data:`DEPLOYMENT_FORMAT`) load on first use.
"""

from __future__ import annotations

import typing

from sdk._attestation import Attestation, OpenedAttestation, create_attestation, open_attestation
from sdk._canonical import JsonValue, canonical_json, loads_strict
from sdk._claims import (
    INVENTORY_POINTER,
    MIN_CLAIM_BUCKET,
    PADDING_PREFIX,
    SUBJECT_POINTER,
    UPSTREAM_PREFIX,
    Claim,
    ClaimSet,
    claim_bucket,
    claim_leaf_bytes,
    flatten,
    inventory_digest,
    is_pointer,
    subject_commitment,
)
from sdk._disclosure import DisclosedClaim, Disclosure, disclose, verify_disclosure
from sdk._envelope import Envelope, EnvelopeContent, Grant, envelope_bucket, open_envelope
from sdk._ids import OrgId, uscc_check_char
from sdk._keys import FAST_KDF, KdfParams, KeyRecord, KeyRecordLike, OrgKeys, key_id
from sdk._receipt import AnchorReference, Receipt
from sdk._records import (
    PUBLISHING_ROLES,
    Label,
    LabelStatus,
    Organisation,
    RevocationReason,
    Role,
    RoleRecord,
    RoleRecordLike,
    log_id_digest,
    org_id_digest,
    product_id_digest,
)
from sdk._statement import (
    STATEMENT_EXTENSIONS,
    SignedStatement,
    Statement,
    format_time,
    parse_time,
    sign_statement,
    verify_statement_signature,
)
from sdk._steps import DISCLOSURE_STEPS, ISSUER_STEPS, RECEIPT_STEPS, Step
from sdk._verify import (
    DEFAULT_CLOCK_SKEW,
    CheckpointCache,
    VerifiedAttestation,
    check_issuer,
    verify_attestation,
    verify_receipt,
)
from sdk.footprint import (
    ACTIVITY_KINDS,
    BOUNDARIES,
    CALC_CONTEXT,
    CATEGORIES,
    DQR_CUTOFF,
    DQR_QUANTUM,
    FACTOR_SET_TAG,
    INVENTORY_SCHEMA,
    LINE_QUANTUM,
    PCF_QUANTUM,
    PERCENT_QUANTUM,
    SHARE_QUANTUM,
    TANJI_EXTENSION_SCHEMA,
    TANJI_EXTENSION_VERSION,
    UNITS,
    ActivityLine,
    Benchmark,
    BomLine,
    Dqi,
    Dqr,
    Factor,
    FactorSet,
    GradeBand,
    GridFactorRef,
    Inventory,
    LabelGrade,
    LineResult,
    MeteringRecord,
    PactVersion,
    Pcf,
    ProductFootprint,
    RollupResult,
    TanjiExtension,
    Unit,
    convert,
    default_factor_set,
    from_pact,
    grade,
    notebook_benchmark,
    pact_major,
    recompute,
    roll_up,
    split_factor_unit,
    tkm,
    to_pact,
)

if typing.TYPE_CHECKING:
    from sdk.deploy import DEPLOYMENT_FORMAT, Deployment, deploy_tanji
    from sdk.labels import LabelRegistryClient
    from sdk.registry import ParticipantRegistryClient

_LAZY = {
    "DEPLOYMENT_FORMAT": "sdk.deploy",
    "Deployment": "sdk.deploy",
    "deploy_tanji": "sdk.deploy",
    "LabelRegistryClient": "sdk.labels",
    "ParticipantRegistryClient": "sdk.registry",
}


def __getattr__(name: str) -> typing.Any:
    # PEP 562: the chain clients, and web3 with them, load on first use.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sdk' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ACTIVITY_KINDS",
    "BOUNDARIES",
    "CALC_CONTEXT",
    "CATEGORIES",
    "DEFAULT_CLOCK_SKEW",
    "DEPLOYMENT_FORMAT",
    "DISCLOSURE_STEPS",
    "DQR_CUTOFF",
    "DQR_QUANTUM",
    "FACTOR_SET_TAG",
    "FAST_KDF",
    "INVENTORY_POINTER",
    "INVENTORY_SCHEMA",
    "ISSUER_STEPS",
    "LINE_QUANTUM",
    "MIN_CLAIM_BUCKET",
    "PADDING_PREFIX",
    "PCF_QUANTUM",
    "PERCENT_QUANTUM",
    "PUBLISHING_ROLES",
    "RECEIPT_STEPS",
    "SHARE_QUANTUM",
    "STATEMENT_EXTENSIONS",
    "SUBJECT_POINTER",
    "TANJI_EXTENSION_SCHEMA",
    "TANJI_EXTENSION_VERSION",
    "UNITS",
    "UPSTREAM_PREFIX",
    "ActivityLine",
    "AnchorReference",
    "Attestation",
    "Benchmark",
    "BomLine",
    "CheckpointCache",
    "Claim",
    "ClaimSet",
    "Deployment",
    "DisclosedClaim",
    "Disclosure",
    "Dqi",
    "Dqr",
    "Envelope",
    "EnvelopeContent",
    "Factor",
    "FactorSet",
    "GradeBand",
    "Grant",
    "GridFactorRef",
    "Inventory",
    "JsonValue",
    "KdfParams",
    "KeyRecord",
    "KeyRecordLike",
    "Label",
    "LabelGrade",
    "LabelRegistryClient",
    "LabelStatus",
    "LineResult",
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
    "RoleRecord",
    "RoleRecordLike",
    "RollupResult",
    "SignedStatement",
    "Statement",
    "Step",
    "TanjiExtension",
    "Unit",
    "VerifiedAttestation",
    "canonical_json",
    "check_issuer",
    "claim_bucket",
    "claim_leaf_bytes",
    "convert",
    "create_attestation",
    "default_factor_set",
    "deploy_tanji",
    "disclose",
    "envelope_bucket",
    "flatten",
    "format_time",
    "from_pact",
    "grade",
    "inventory_digest",
    "is_pointer",
    "key_id",
    "loads_strict",
    "log_id_digest",
    "notebook_benchmark",
    "open_attestation",
    "open_envelope",
    "org_id_digest",
    "pact_major",
    "parse_time",
    "product_id_digest",
    "recompute",
    "roll_up",
    "sign_statement",
    "split_factor_unit",
    "subject_commitment",
    "tkm",
    "to_pact",
    "uscc_check_char",
    "verify_attestation",
    "verify_disclosure",
    "verify_receipt",
    "verify_statement_signature",
]
