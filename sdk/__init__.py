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
    CPC_PREFIXES,
    DQR_CUTOFF,
    DQR_QUANTUM,
    EXTENSION_SPEC_VERSION,
    FACTOR_SET_TAG,
    IIOT_ID_DOMAIN,
    INVENTORY_SCHEMA,
    IPCC_CHARACTERIZATION_FACTORS,
    LINE_QUANTUM,
    PACT_ID_TYPES,
    PCF_QUANTUM,
    PERCENT_QUANTUM,
    SHARE_QUANTUM,
    SPEC_VERSIONS,
    TANJI_EXTENSION_SCHEMA,
    TANJI_EXTENSION_SCHEMA_PATH,
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
    IndustrialId,
    Inventory,
    LabelGrade,
    LineResult,
    MeteringRecord,
    PactUrn,
    PactVersion,
    Pcf,
    ProductFootprint,
    RollupResult,
    TanjiExtension,
    Unit,
    company_id_urn,
    convert,
    default_factor_set,
    from_pact,
    grade,
    gtin_check_digit,
    gtin_urn,
    industrial_id_urn,
    is_tanji_extension_schema,
    notebook_benchmark,
    pact_major,
    pact_rule_errors,
    pact_urn,
    parse_gtin,
    parse_industrial_id,
    parse_pact_urn,
    product_id_urn,
    recompute,
    roll_up,
    split_factor_unit,
    tanji_extension_schema,
    tanji_extension_schema_url,
    tkm,
    to_pact,
    uscc_from_company_ids,
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
    "CPC_PREFIXES",
    "DEFAULT_CLOCK_SKEW",
    "DEPLOYMENT_FORMAT",
    "DISCLOSURE_STEPS",
    "DQR_CUTOFF",
    "DQR_QUANTUM",
    "EXTENSION_SPEC_VERSION",
    "FACTOR_SET_TAG",
    "FAST_KDF",
    "IIOT_ID_DOMAIN",
    "INVENTORY_POINTER",
    "INVENTORY_SCHEMA",
    "IPCC_CHARACTERIZATION_FACTORS",
    "ISSUER_STEPS",
    "LINE_QUANTUM",
    "MIN_CLAIM_BUCKET",
    "PACT_ID_TYPES",
    "PADDING_PREFIX",
    "PCF_QUANTUM",
    "PERCENT_QUANTUM",
    "PUBLISHING_ROLES",
    "RECEIPT_STEPS",
    "SHARE_QUANTUM",
    "SPEC_VERSIONS",
    "STATEMENT_EXTENSIONS",
    "SUBJECT_POINTER",
    "TANJI_EXTENSION_SCHEMA",
    "TANJI_EXTENSION_SCHEMA_PATH",
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
    "IndustrialId",
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
    "PactUrn",
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
    "company_id_urn",
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
    "gtin_check_digit",
    "gtin_urn",
    "industrial_id_urn",
    "inventory_digest",
    "is_pointer",
    "is_tanji_extension_schema",
    "key_id",
    "loads_strict",
    "log_id_digest",
    "notebook_benchmark",
    "open_attestation",
    "open_envelope",
    "org_id_digest",
    "pact_major",
    "pact_rule_errors",
    "pact_urn",
    "parse_gtin",
    "parse_industrial_id",
    "parse_pact_urn",
    "parse_time",
    "product_id_digest",
    "product_id_urn",
    "recompute",
    "roll_up",
    "sign_statement",
    "split_factor_unit",
    "subject_commitment",
    "tanji_extension_schema",
    "tanji_extension_schema_url",
    "tkm",
    "to_pact",
    "uscc_check_char",
    "uscc_from_company_ids",
    "verify_attestation",
    "verify_disclosure",
    "verify_receipt",
    "verify_statement_signature",
]
