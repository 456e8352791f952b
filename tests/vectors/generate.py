"""Generate Tanji's protocol test vectors (positive and negative) from fixed inputs.

Run ``python tests/vectors/generate.py`` to rewrite ``tests/vectors/*.json``; the test
suite regenerates into a temporary directory and compares byte for byte, and runs every
vector through :func:`run_vector`.

Everything is fixed: keys come from seeds (:meth:`sdk.OrgKeys.from_seed`), randomness
from a SHA-256 counter, the clock is a constant. Each file is one vector::

    {"name", "description",
     "operation": "verify_attestation" | "open_attestation" | "audit_label",
     "input": {...},               # wire forms of the objects under test
     "trust": {...},               # what a verifier reads from the chain (keys, roles, times)
     "expect": {"result": "accept", ...} | {"result": "reject", "step": "<step>"}}

Negative vectors are named after the attack and must be rejected at ``expect.step`` (a
:class:`sdk.Step`). ``audit_label`` vectors hold a label evidence bundle
(docs/evidence.md) and the audit time; their ``step`` is the failed check of DESIGN.md
§6.5 and ``cause``, when the check's reason names one, the protocol step under it.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from nacl.public import PrivateKey
from nacl.signing import SigningKey

from anchors import (
    Checkpoint,
    checkpoint_origin,
    inclusion_proof_from_leaf_hashes,
    leaf_hash,
    root_from_leaf_hashes,
    sign_checkpoint,
)
from demo_chain import forge_understated_rollup
from sdk import (
    INVENTORY_POINTER,
    PADDING_PREFIX,
    AnchorReference,
    Attestation,
    Claim,
    ClaimSet,
    DisclosedClaim,
    Disclosure,
    Envelope,
    EnvelopeContent,
    Grant,
    KeyRecord,
    Label,
    LabelStatus,
    OrgKeys,
    Receipt,
    Role,
    RoleRecord,
    SignedStatement,
    Statement,
    Step,
    Suspension,
    claim_bucket,
    create_attestation,
    disclose,
    flatten,
    format_time,
    inventory_digest,
    log_id_digest,
    open_attestation,
    org_id_digest,
    parse_time,
    product_id_digest,
    sign_statement,
    value_context,
    verify_attestation,
)
from sdk.errors import VerificationError
from sdk.hazmat import claim_salt, make_grant, seal_envelope, sign_statement_with
from sdk.registry import KeyRecord as ChainKeyRecord
from sdk.roles import (
    LABEL_POINTERS,
    AnchorEvidence,
    EvidenceSource,
    Fetched,
    HeadRecord,
    LabelEvidence,
    OrganisationEvidence,
    RollupEvidence,
    RollupLineEvidence,
    SupersedingEvidence,
    audit_label,
)
from sdk.zk import Commitment, Opening, RollupLine, UpstreamOpening, scale_quantity, scale_total

HERE = Path(__file__).resolve().parent

# --- fixed inputs -----------------------------------------------------------------------

SUPPLIER = OrgKeys.from_seed("91350100M000100Y43", hashlib.sha256(b"vector supplier").digest())
LEADER = OrgKeys.from_seed("91110000802100433B", hashlib.sha256(b"vector leader").digest())
OUTSIDER = OrgKeys.from_seed("urn:tanji:org:outsider", hashlib.sha256(b"vector outsider").digest())
MALLORY = OrgKeys.from_seed("91350100M000100Y43", hashlib.sha256(b"vector mallory").digest())
CERTIFIER_ID = "12100000MA0CER010K"
CERTIFIER_ACCOUNT = "0x255c38cd2352D5741f501e0284Aa6B5Ccb0b87Fd"
LOG_KEY = SigningKey(hashlib.sha256(b"vector log operator").digest())
ROTATED_LOG_KEY = SigningKey(hashlib.sha256(b"vector log operator, rotated").digest())
CHAIN_ID = 31337
LOG_ID = "main"
LABEL_ID = hashlib.sha256(b"vector label").digest()
REGISTRIES = {
    "labelRegistry": "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
    "participantRegistry": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    "anchorRegistry": "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
}

KEY_VALID_FROM = datetime(2026, 1, 1, tzinfo=UTC)
CREATED = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
ANCHORED_AT = datetime(2026, 3, 1, 8, 5, tzinfo=UTC)
AT = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
LABEL_ISSUED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

PRODUCT_ID = "urn:pact:product:tanji-demo:panel-14in"
FOOTPRINT: dict[str, Any] = {
    "productIds": [PRODUCT_ID],
    "productNameCompany": "14-inch display panel",
    "pcf": {
        "declaredUnitOfMeasurement": "piece",
        "declaredUnitAmount": "1",
        "pcfExcludingBiogenicUptake": "75.0",
        "pcfIncludingBiogenicUptake": "74.6",
        "fossilGhgEmissions": "73.9",
        "referencePeriodStart": "2025-01-01T00:00:00Z",
        "referencePeriodEnd": "2026-01-01T00:00:00Z",
        "boundaryProcessesDescription": "cradle-to-gate, GB/T 24067-2024 partial footprint",
        "primaryDataShare": "62.5",
    },
    "extensions": {"tanji": {"boundary": "cradle-to-gate", "gridFactorSource": "MEE 2023"}},
}
INVENTORY: dict[str, Any] = {
    "lines": [
        {"activity": "electricity", "amount": "41.2", "unit": "kWh", "factor": "0.5306"},
        {"activity": "glass substrate", "amount": "0.42", "unit": "kg", "factor": "4.1"},
    ]
}
PUBLIC_POINTERS = [
    "/pcf/declaredUnitAmount",
    "/pcf/declaredUnitOfMeasurement",
    "/pcf/pcfExcludingBiogenicUptake",
    "/pcf/referencePeriodEnd",
    "/pcf/referencePeriodStart",
    "/productIds/0",
]
TARGET_INDEX = 3


def counter_rng(label: str) -> Callable[[int], bytes]:
    """Deterministic ``rng(n)``: SHA-256(label || counter), truncated."""
    state = {"n": 0}

    def rng(n: int) -> bytes:
        out = b""
        while len(out) < n:
            state["n"] += 1
            out += hashlib.sha256(label.encode() + state["n"].to_bytes(8, "big")).digest()
        return out[:n]

    return rng


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def ts(when: datetime) -> int:
    return int(when.timestamp())


# --- building blocks ----------------------------------------------------------------------


def attest(
    label: str, footprint: dict[str, Any] = FOOTPRINT, keys: OrgKeys = SUPPLIER
) -> Attestation:
    return create_attestation(
        keys, footprint=footprint, inventory=INVENTORY, now=CREATED, rng=counter_rng(label)
    )


def filler_statements() -> list[SignedStatement]:
    """Other attestations in the same log, so the target sits inside a real tree."""
    return [
        attest(
            f"filler-{i}",
            {**FOOTPRINT, "productIds": [f"urn:pact:product:tanji-demo:part-{i}"]},
        ).signed_statement
        for i in range(6)
    ]


FILLERS = filler_statements()


def log_with(leaf: bytes) -> tuple[list[bytes], bytes, list[bytes], str]:
    """``leaf`` logged at TARGET_INDEX among the fillers: leaf hashes, root, the leaf's
    inclusion proof, and the checkpoint signed by the log operator."""
    hashes = [s.leaf_hash for s in FILLERS]
    hashes.insert(TARGET_INDEX, leaf_hash(leaf))
    root = root_from_leaf_hashes(hashes)
    proof = inclusion_proof_from_leaf_hashes(hashes, TARGET_INDEX)
    origin = checkpoint_origin(CHAIN_ID, LOG_ID)
    text = sign_checkpoint(Checkpoint(origin, len(hashes), root), LOG_KEY, origin)
    return hashes, root, proof, text


def receipt_for(
    leaf: bytes, signed: SignedStatement | None = None
) -> tuple[Receipt | None, dict[str, Any]]:
    """Log ``leaf`` at TARGET_INDEX among the fillers; checkpoint, sign, anchor reference."""
    hashes, root, proof, text = log_with(leaf)
    anchor = AnchorReference(CHAIN_ID, LOG_ID)
    head = {"size": len(hashes), "root": b64(root)}
    if signed is None:
        return None, {
            "leafIndex": TARGET_INDEX,
            "inclusionProof": [b64(h) for h in proof],
            "checkpoint": text,
            "anchor": anchor.to_dict(),
            "head": head,
        }
    receipt = Receipt(signed, TARGET_INDEX, tuple(proof), text, anchor)
    return receipt, {"head": head}


def key_doc(key: bytes, revoked_at: datetime | None = None) -> dict[str, Any]:
    return {
        "publicKey": b64(key),
        "validFrom": format_time(KEY_VALID_FROM),
        "revokedAt": None if revoked_at is None else format_time(revoked_at),
    }


def role_doc(role: str, revoked_at: datetime | None = None) -> dict[str, Any]:
    return {
        "role": role,
        "validFrom": format_time(KEY_VALID_FROM),
        "revokedAt": None if revoked_at is None else format_time(revoked_at),
    }


def trust(
    head: dict[str, Any],
    keys: list[dict[str, Any]] | None = None,
    *,
    roles: list[dict[str, Any]] | None = None,
    log_keys: list[dict[str, Any]] | None = None,
    **times: datetime,
) -> dict[str, Any]:
    return {
        "logKeys": log_keys if log_keys is not None else [key_doc(bytes(LOG_KEY.verify_key))],
        "anchoredHead": head,
        "issuerKeys": keys if keys is not None else [key_doc(bytes(SUPPLIER.verify_key))],
        "issuerRoles": roles if roles is not None else [role_doc("SUPPLIER")],
        "anchoredAt": format_time(times.get("anchored_at", ANCHORED_AT)),
        "at": format_time(times.get("at", AT)),
        "required": PUBLIC_POINTERS[:3],
    }


def verify_vector(
    name: str,
    description: str,
    receipt: dict[str, Any],
    disclosure: dict[str, Any],
    trust_doc: dict[str, Any],
    expect: dict[str, Any],
) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "operation": "verify_attestation",
        "input": {"receipt": receipt, "disclosure": disclosure},
        "trust": trust_doc,
        "expect": expect,
    }


def open_vector(
    name: str,
    description: str,
    signed: SignedStatement | dict[str, Any],
    envelope: dict[str, Any],
    grant: dict[str, Any],
    expect: dict[str, Any],
) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "operation": "open_attestation",
        "input": {
            "signedStatement": signed.to_dict() if isinstance(signed, SignedStatement) else signed,
            "envelope": envelope,
            "grant": grant,
            "recipientPrivateKey": b64(bytes(LEADER.encryption_key)),
        },
        "trust": {},
        "expect": expect,
    }


def audit_vector(
    name: str, description: str, evidence: LabelEvidence, expect: dict[str, Any]
) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "operation": "audit_label",
        "input": {"evidence": evidence.to_dict()},
        "trust": {"at": format_time(AT)},
        "expect": expect,
    }


def reject(step: Step, cause: Step | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"result": "reject", "step": str(step)}
    if cause is not None:
        out["cause"] = str(cause)
    return out


def _flip_bit(data: bytes, byte: int) -> bytes:
    out = bytearray(data)
    out[byte] ^= 0x01
    return bytes(out)


def signed_over(
    claims: list[Claim], *, subject: bytes | None = None, keys: OrgKeys = SUPPLIER
) -> tuple[SignedStatement, Envelope, bytes]:
    """A statement signed over ``claims`` in the order given (no sorting, no padding:
    what a malicious issuer can build), with an envelope holding FOOTPRINT; returns the
    signed statement, the envelope and its data key."""
    rng = counter_rng("malicious issuer " + ",".join(c.pointer for c in claims[:3]))
    master, data_key, nonce = rng(32), rng(32), rng(24)
    if subject is None:
        subject = next(c.leaf_hash for c in claims if c.pointer == "/productIds/0")
    envelope = seal_envelope(
        EnvelopeContent(FOOTPRINT, master, INVENTORY),
        issuer=keys.org_id,
        subject_digest=subject,
        data_key=data_key,
        nonce=nonce,
    )
    statement = Statement(
        keys.org_id,
        keys.signing_key_id,
        subject,
        root_from_leaf_hashes([c.leaf_hash for c in claims]),
        len(claims),
        CREATED,
        None,
        envelope.digest,
    )
    return sign_statement(statement, keys), envelope, data_key


# --- the vectors ------------------------------------------------------------------------


def build_vectors() -> list[dict[str, Any]]:
    """Every vector, in a fixed order."""
    vectors: list[dict[str, Any]] = []
    att = attest("target")
    other = attest("another attestation of the same product")
    receipt, extra = receipt_for(att.signed_statement.leaf_bytes, att.signed_statement)
    assert receipt is not None
    head = extra["head"]
    disclosure = att.disclose(PUBLIC_POINTERS)
    values = {c.pointer: c.value for c in disclosure.claims}
    good_trust = trust(head)

    # Positive: receipt + 6-claim disclosure.
    vectors.append(
        verify_vector(
            "valid_attestation",
            "An anchored attestation with a 6-claim public disclosure.",
            receipt.to_dict(),
            disclosure.to_dict(),
            good_trust,
            {"result": "accept", "attestationId": att.attestation_id, "values": values},
        )
    )
    # Positive: key rotation does not invalidate what was anchored before the revocation.
    vectors.append(
        verify_vector(
            "statement_signed_by_key_revoked_after_anchoring",
            "The issuer's key was revoked ten days after the attestation was anchored: "
            "the attestation stays valid.",
            receipt.to_dict(),
            disclosure.to_dict(),
            trust(head, [key_doc(bytes(SUPPLIER.verify_key), ANCHORED_AT + timedelta(days=10))]),
            {"result": "accept", "attestationId": att.attestation_id, "values": values},
        )
    )
    grant = att.grant(LEADER.org_id, LEADER.public_key, rng=counter_rng("grant leader"))
    vectors.append(
        open_vector(
            "valid_grant_opens_envelope",
            "The leader opens the envelope granted to it; the content recomputes the commitment.",
            att.signed_statement,
            att.envelope.to_dict(),
            grant.to_dict(),
            {
                "result": "accept",
                "commitment": att.signed_statement.statement.commitment.hex(),
                "footprint": FOOTPRINT,
            },
        )
    )

    pcf_at = [c.pointer for c in disclosure.claims].index("/pcf/pcfExcludingBiogenicUptake")

    def with_claim(i: int, **changes: Any) -> dict[str, Any]:
        claims = list(disclosure.claims)
        claims[i] = replace(claims[i], **changes)
        return replace(disclosure, claims=tuple(claims)).to_dict()

    vectors.append(
        verify_vector(
            "tampered_claim_value",
            "The disclosed PCF value was changed from 75.0 to 7.5.",
            receipt.to_dict(),
            with_claim(pcf_at, value="7.5"),
            good_trust,
            reject(Step.DISCLOSURE_COMMITMENT),
        )
    )
    vectors.append(
        verify_vector(
            "wrong_salt",
            "The PCF claim is disclosed with the salt of another pointer.",
            receipt.to_dict(),
            with_claim(pcf_at, salt=att.claims.claim("/pcf/fossilGhgEmissions").salt),
            good_trust,
            reject(Step.DISCLOSURE_COMMITMENT),
        )
    )
    foreign = other.disclose(["/pcf/pcfExcludingBiogenicUptake"]).claims[0]
    vectors.append(
        verify_vector(
            "claim_proof_from_another_attestation",
            "The PCF claim's salt and inclusion proof come from another attestation of the "
            "same issuer and product.",
            receipt.to_dict(),
            with_claim(pcf_at, salt=foreign.salt, proof=foreign.proof, index=foreign.index),
            good_trust,
            reject(Step.DISCLOSURE_COMMITMENT),
        )
    )

    # Statement signed by another key: Mallory signs the same statement; the log (which is
    # not trusted) accepted the leaf, so checkpoint and inclusion are fine.
    forged = sign_statement_with(att.signed_statement.statement, MALLORY.signing_key)
    forged_receipt, forged_extra = receipt_for(forged.leaf_bytes, forged)
    assert forged_receipt is not None
    vectors.append(
        verify_vector(
            "statement_signed_by_another_key",
            "The statement names the supplier's key id but is signed by another key.",
            forged_receipt.to_dict(),
            replace(disclosure, attestation_id=forged.attestation_id).to_dict(),
            trust(forged_extra["head"]),
            reject(Step.STATEMENT_SIGNATURE),
        )
    )
    vectors.append(
        verify_vector(
            "statement_signed_by_key_revoked_before_anchoring",
            "The key was revoked at 08:03; the statement says it was created at 08:00 but was "
            "anchored at 08:05. Key validity is judged at the anchored time.",
            receipt.to_dict(),
            disclosure.to_dict(),
            trust(head, [key_doc(bytes(SUPPLIER.verify_key), ANCHORED_AT - timedelta(minutes=2))]),
            reject(Step.KEY_VALIDITY),
        )
    )
    vectors.append(
        verify_vector(
            "statement_created_after_anchoring",
            "The statement's created time is a day after the block that anchored it.",
            receipt.to_dict(),
            disclosure.to_dict(),
            trust(head, anchored_at=CREATED - timedelta(days=1)),
            reject(Step.STATEMENT_TIME),
        )
    )
    vectors.append(
        verify_vector(
            "statement_issuer_role_revoked_before_anchoring",
            "The registrar revoked the issuer's SUPPLIER role at 08:03 (its only publishing "
            "role); the statement was anchored at 08:05. Keys count for an organisation and "
            "role (DESIGN.md §2.1), judged at the anchored time.",
            receipt.to_dict(),
            disclosure.to_dict(),
            trust(
                head,
                roles=[
                    role_doc("SUPPLIER", ANCHORED_AT - timedelta(minutes=2)),
                    role_doc("AUDITOR"),
                ],
            ),
            reject(Step.ISSUER_ROLE),
        )
    )
    other_log_key = SigningKey(hashlib.sha256(b"vector rogue log").digest())
    origin = checkpoint_origin(CHAIN_ID, LOG_ID)
    checkpoint = Checkpoint(origin, head["size"], base64.b64decode(head["root"]))
    rogue = receipt.to_dict()
    rogue["checkpoint"] = sign_checkpoint(checkpoint, other_log_key, origin)
    vectors.append(
        verify_vector(
            "checkpoint_signed_by_another_log_key",
            "The checkpoint carries the log's name but another key's signature.",
            rogue,
            disclosure.to_dict(),
            good_trust,
            reject(Step.RECEIPT_CHECKPOINT),
        )
    )
    rotated = receipt.to_dict()
    rotated["checkpoint"] = sign_checkpoint(checkpoint, ROTATED_LOG_KEY, origin)
    vectors.append(
        verify_vector(
            "checkpoint_signed_by_revoked_log_key",
            "The checkpoint is signed with the log operator's old key, revoked (rotated out) "
            "at 08:04, before the checkpoint was anchored at 08:05; the operator's current "
            "key did not sign it.",
            rotated,
            disclosure.to_dict(),
            trust(
                head,
                log_keys=[
                    key_doc(bytes(ROTATED_LOG_KEY.verify_key), ANCHORED_AT - timedelta(minutes=1)),
                    key_doc(bytes(LOG_KEY.verify_key)),
                ],
            ),
            reject(Step.RECEIPT_CHECKPOINT),
        )
    )
    vectors.append(
        verify_vector(
            "checkpoint_signed_by_log_key_revoked_after_anchoring",
            "The checkpoint is signed with the log operator's old key, revoked a day after "
            "the checkpoint was anchored: key rotation leaves old receipts valid.",
            rotated,
            disclosure.to_dict(),
            trust(
                head,
                log_keys=[
                    key_doc(bytes(ROTATED_LOG_KEY.verify_key), ANCHORED_AT + timedelta(days=1)),
                    key_doc(bytes(LOG_KEY.verify_key)),
                ],
            ),
            {"result": "accept", "attestationId": att.attestation_id, "values": values},
        )
    )
    moved = receipt.to_dict()
    moved["leafIndex"] = TARGET_INDEX + 1
    vectors.append(
        verify_vector(
            "inclusion_proof_for_another_index",
            "The receipt claims the leaf sits at the next index with the same proof.",
            moved,
            disclosure.to_dict(),
            good_trust,
            reject(Step.RECEIPT_INCLUSION),
        )
    )
    rewritten = receipt.to_dict()
    rewritten["anchor"] = {
        **rewritten["anchor"],
        "contract": "0x000000000000000000000000000000000000dEaD",
        "txHash": "0x" + hashlib.sha256(b"a transaction that anchored nothing").hexdigest(),
        "blockNumber": 1,
    }
    vectors.append(
        verify_vector(
            "receipt_anchor_fields_rewritten",
            "The receipt names an anchoring contract, transaction and block (rewritten to "
            "others). A version 2 receipt asserts only chain and log, which the checkpoint "
            "origin binds; fields no verifier checks are refused, not shown.",
            rewritten,
            disclosure.to_dict(),
            good_trust,
            reject(Step.RECEIPT_SCHEMA),
        )
    )
    other_log = receipt.to_dict()
    other_log["anchor"] = {"chainId": CHAIN_ID, "logId": "another-log"}
    vectors.append(
        verify_vector(
            "receipt_anchor_names_another_log",
            "The receipt's anchor names another log of the same chain than the checkpoint's "
            "origin.",
            other_log,
            disclosure.to_dict(),
            good_trust,
            reject(Step.RECEIPT_CHECKPOINT),
        )
    )

    # A claims-tree leaf presented as the log leaf: the claim's bytes are logged and the
    # receipt carries the claim (a JSON array) where the signed statement belongs.
    claim = att.claims.claim("/pcf/pcfExcludingBiogenicUptake")
    _, claim_parts = receipt_for(claim.leaf_bytes)
    claim_receipt = {
        "type": "tanji.receipt",
        "version": 2,
        "signedStatement": json.loads(claim.leaf_bytes),
        "leafIndex": claim_parts["leafIndex"],
        "inclusionProof": claim_parts["inclusionProof"],
        "checkpoint": claim_parts["checkpoint"],
        "anchor": claim_parts["anchor"],
    }
    vectors.append(
        verify_vector(
            "claim_leaf_as_statement_leaf",
            "A logged claims-tree leaf is presented as a signed statement leaf.",
            claim_receipt,
            disclosure.to_dict(),
            trust(claim_parts["head"]),
            reject(Step.STATEMENT_SCHEMA),
        )
    )
    invented = DisclosedClaim(
        pointer="/pcf/carbonNeutral",
        value=True,
        salt=bytes(16),
        index=disclosure.claim_count,
        proof=tuple(att.claims.proof("/productIds/0")),
    )
    vectors.append(
        verify_vector(
            "disclosure_pointer_not_in_commitment",
            "The disclosure adds a claim /pcf/carbonNeutral = true that the issuer never "
            "committed, placed after the last committed leaf.",
            receipt.to_dict(),
            replace(disclosure, claims=(*disclosure.claims, invented)).to_dict(),
            good_trust,
            reject(Step.DISCLOSURE_POINTER),
        )
    )
    genuine = disclosure.claims[pcf_at]
    vectors.append(
        verify_vector(
            "duplicate_claims",
            "The PCF pointer is disclosed twice, once with its real value and once with 7.5.",
            receipt.to_dict(),
            replace(
                disclosure, claims=(*disclosure.claims, replace(genuine, value="7.5"))
            ).to_dict(),
            good_trust,
            reject(Step.CLAIMS_DUPLICATE),
        )
    )
    vectors.extend(malicious_issuer_vectors())

    # Envelope and grant attacks (recipient side).
    flipped = Envelope(att.envelope.nonce, _flip_bit(att.envelope.ciphertext, 17))
    vectors.append(
        open_vector(
            "envelope_ciphertext_bit_flip",
            "One bit of the envelope ciphertext is flipped.",
            att.signed_statement,
            flipped.to_dict(),
            grant.to_dict(),
            reject(Step.ENVELOPE),
        )
    )
    for_outsider = att.grant(
        OUTSIDER.org_id, OUTSIDER.public_key, rng=counter_rng("grant outsider")
    )
    relabelled = Grant(
        att.attestation_id, LEADER.org_id, LEADER.encryption_key_id, for_outsider.sealed_key
    )
    vectors.append(
        open_vector(
            "grant_wrapped_for_another_recipient",
            "A grant sealed to another organisation's key, relabelled with the leader's org "
            "id and key id.",
            att.signed_statement,
            att.envelope.to_dict(),
            relabelled.to_dict(),
            reject(Step.GRANT),
        )
    )
    vectors.append(
        open_vector(
            "grant_from_another_attestation",
            "The leader's grant for another attestation, with the attestation id rewritten.",
            att.signed_statement,
            att.envelope.to_dict(),
            Grant(
                att.attestation_id,
                LEADER.org_id,
                LEADER.encryption_key_id,
                other.grant(LEADER.org_id, LEADER.public_key, rng=counter_rng("g2")).sealed_key,
            ).to_dict(),
            reject(Step.GRANT),
        )
    )
    vectors.append(duplicate_claims_in_envelope())
    vectors.extend(label_vectors(att, head))
    vectors.extend(rollup_label_vectors())
    return vectors


def malicious_issuer_vectors() -> list[dict[str, Any]]:
    """Statements an honest SDK never signs, built claim by claim: each is refused."""
    rng = counter_rng("malicious issuer salts")
    master = rng(32)
    pairs = [*flatten(FOOTPRINT), (INVENTORY_POINTER, inventory_digest(INVENTORY))]
    pairs += [(f"{PADDING_PREFIX}{i}", None) for i in range(claim_bucket(len(pairs)) - len(pairs))]
    claims = [Claim(p, v, claim_salt(master, p)) for p, v in pairs]
    out = []

    # The tree in pointer order (statement version 1's order), not leaf-hash order.
    by_pointer = sorted(claims, key=lambda c: c.pointer)
    signed, _, _ = signed_over(by_pointer)
    receipt, extra = receipt_for(signed.leaf_bytes, signed)
    assert receipt is not None
    index = {c.pointer: i for i, c in enumerate(by_pointer)}
    hashes = [c.leaf_hash for c in by_pointer]
    chosen = sorted(PUBLIC_POINTERS, key=index.__getitem__)
    unordered = Disclosure(
        signed.attestation_id,
        len(by_pointer),
        tuple(
            DisclosedClaim(
                p,
                by_pointer[index[p]].value,
                by_pointer[index[p]].salt,
                index[p],
                tuple(inclusion_proof_from_leaf_hashes(hashes, index[p])),
            )
            for p in chosen
        ),
    )
    out.append(
        verify_vector(
            "disclosure_claims_out_of_leaf_order",
            "The issuer committed to its claims sorted by pointer instead of by leaf hash: "
            "every disclosed claim leads to the commitment, but at positions an honest "
            "tree never has (a recipient could not recompute it; pointer order leaks how "
            "many claims sort before each one).",
            receipt.to_dict(),
            unordered.to_dict(),
            trust(extra["head"]),
            reject(Step.DISCLOSURE_ORDER),
        )
    )

    # The subject commits to another product than the committed /productIds/0 claim.
    ordered = sorted(claims, key=lambda c: c.leaf_hash)
    elsewhere = Claim("/productIds/0", "urn:pact:product:tanji-demo:other", rng(16)).leaf_hash
    signed, _, _ = signed_over(ordered, subject=elsewhere)
    receipt, extra = receipt_for(signed.leaf_bytes, signed)
    assert receipt is not None
    out.append(
        verify_vector(
            "disclosed_product_is_not_the_subject",
            "The statement's subject commits to another product than the /productIds/0 "
            "claim it also commits to; the disclosure reveals that claim.",
            receipt.to_dict(),
            disclose(ClaimSet(ordered), signed.attestation_id, PUBLIC_POINTERS).to_dict(),
            trust(extra["head"]),
            reject(Step.DISCLOSURE_SUBJECT),
        )
    )

    # Unpadded: the claim count says exactly how many claims there are.
    unpadded = sorted(claims[: len(flatten(FOOTPRINT)) + 1], key=lambda c: c.leaf_hash)
    statement = signed.statement.to_dict()
    statement["claimCount"] = len(unpadded)
    statement["commitment"] = root_from_leaf_hashes([c.leaf_hash for c in unpadded]).hex()
    bad: dict[str, Any] = {
        "signature": b64(SUPPLIER.signing_key.sign(b"\0" * 8).signature),
        "statement": statement,
    }
    _, parts = receipt_for(json.dumps(bad).encode())
    out.append(
        verify_vector(
            "claim_count_not_a_bucket",
            f"The statement commits to {len(unpadded)} claims, not padded to a bucket (a "
            "power of two, at least 32): its count would reveal the document's shape.",
            {
                "type": "tanji.receipt",
                "version": 2,
                "signedStatement": bad,
                **{k: parts[k] for k in ("leafIndex", "inclusionProof", "checkpoint", "anchor")},
            },
            disclose(ClaimSet(ordered), signed.attestation_id, PUBLIC_POINTERS).to_dict(),
            trust(parts["head"]),
            reject(Step.STATEMENT_SCHEMA),
        )
    )
    version1 = copy.deepcopy(bad)
    version1["statement"].update(
        version=1,
        claimCount=claim_bucket(len(unpadded)),
        subjectDigest=hashlib.sha256(PRODUCT_ID.encode()).hexdigest(),
    )
    del version1["statement"]["extensions"]
    _, parts = receipt_for(json.dumps(version1).encode())
    out.append(
        verify_vector(
            "statement_version_1",
            "A version 1 statement, whose subject is the unsalted SHA-256 of the product id "
            "(a dictionary of product names reverses it): no longer accepted.",
            {
                "type": "tanji.receipt",
                "version": 2,
                "signedStatement": version1,
                **{k: parts[k] for k in ("leafIndex", "inclusionProof", "checkpoint", "anchor")},
            },
            disclose(ClaimSet(ordered), signed.attestation_id, PUBLIC_POINTERS).to_dict(),
            trust(parts["head"]),
            reject(Step.STATEMENT_SCHEMA),
        )
    )
    return out


def duplicate_claims_in_envelope() -> dict[str, Any]:
    """A malicious issuer commits to two leaves for /tanji/inventoryDigest (its footprint
    carries its own ``tanji.inventoryDigest``) and signs: the recipient refuses it."""
    rng = counter_rng("duplicate issuer")
    master, data_key, nonce = rng(32), rng(32), rng(24)
    footprint = {**FOOTPRINT, "tanji": {"inventoryDigest": "0" * 64}}
    pairs = [*flatten(footprint), (INVENTORY_POINTER, inventory_digest(INVENTORY))]
    pairs += [(f"{PADDING_PREFIX}{i}", None) for i in range(claim_bucket(len(pairs)) - len(pairs))]
    claims = sorted(
        (Claim(p, v, claim_salt(master, p)) for p, v in pairs), key=lambda c: c.leaf_hash
    )
    commitment = root_from_leaf_hashes([c.leaf_hash for c in claims])
    subject = next(c.leaf_hash for c in claims if c.pointer == "/productIds/0")
    envelope = seal_envelope(
        EnvelopeContent(footprint, master, INVENTORY),
        issuer=SUPPLIER.org_id,
        subject_digest=subject,
        data_key=data_key,
        nonce=nonce,
    )
    statement = Statement(
        SUPPLIER.org_id,
        SUPPLIER.signing_key_id,
        subject,
        commitment,
        len(claims),
        CREATED,
        None,
        envelope.digest,
    )
    signed = sign_statement(statement, SUPPLIER)
    grant = make_grant(
        signed.attestation_id,
        data_key,
        LEADER.org_id,
        LEADER.public_key,
        rng=counter_rng("dup grant"),
    )
    return open_vector(
        "duplicate_claims_in_envelope",
        "The issuer's footprint holds its own /tanji/inventoryDigest leaf, so the signed "
        "commitment covers two claims with one pointer.",
        signed,
        envelope.to_dict(),
        grant.to_dict(),
        reject(Step.CLAIMS_DUPLICATE),
    )


# --- label audits over evidence bundles ----------------------------------------------------


def label_evidence(
    att: Attestation,
    *,
    value: str = "75.0",
    certifier: str = CERTIFIER_ID,
    issuer_roles: tuple[RoleRecord, ...] | None = None,
    anchored_at: datetime = ANCHORED_AT,
) -> LabelEvidence:
    """The evidence of a label over ``att`` (logged at TARGET_INDEX, anchored at
    ``anchored_at``) issued by ``certifier``, as a collector would have read it."""
    signed = att.signed_statement
    hashes, root, proof, _ = log_with(signed.leaf_bytes)
    disclosure = att.disclose(LABEL_POINTERS)
    label = Label(
        label_id=LABEL_ID,
        product_id_digest=product_id_digest(PRODUCT_ID),
        log_id_digest=log_id_digest(LOG_ID),
        leaf_index=TARGET_INDEX,
        leaf_hash=signed.leaf_hash,
        value=value,
        unit="kgCO2e/piece",
        grade="",
        standard="GB/T 24067-2024",
        valid_from=ts(LABEL_ISSUED),
        valid_until=ts(LABEL_ISSUED + timedelta(days=730)),
        disclosure_digest=disclosure.digest,
        issuer_org_digest=org_id_digest(certifier),
        issuer=CERTIFIER_ACCOUNT,
        issued_at=ts(LABEL_ISSUED),
        revoked_at=None,
        revocation_reason=None,
        status=LabelStatus.ACTIVE,
    )
    since = ts(KEY_VALID_FROM)
    issuer = str(signed.statement.issuer)
    roles = issuer_roles if issuer_roles is not None else (RoleRecord(Role.SUPPLIER, since),)
    if certifier == issuer:
        roles = (*roles, RoleRecord(Role.CERTIFIER, since))
    return LabelEvidence(
        label_id=LABEL_ID,
        source=EvidenceSource(CHAIN_ID, block=120, block_time=ts(AT) - 60, **_registries()),
        label=label,
        certifier=OrganisationEvidence(
            certifier,
            roles=roles if certifier == issuer else (RoleRecord(Role.CERTIFIER, since),),
            account=CERTIFIER_ACCOUNT,
        ),
        log_id=LOG_ID,
        leaf=Fetched(signed.to_dict()),
        anchor=AnchorEvidence(HeadRecord(0, len(hashes), root, ts(anchored_at)), tuple(proof)),
        issuer=OrganisationEvidence(
            issuer,
            roles=roles,
            signing_keys=(ChainKeyRecord(bytes(SUPPLIER.verify_key), since, None),),
        ),
        disclosure=Fetched(disclosure.to_dict()),
        superseding=SupersedingEvidence(len(hashes)),
    )


def _registries() -> dict[str, str]:
    return {
        "label_registry": REGISTRIES["labelRegistry"],
        "participant_registry": REGISTRIES["participantRegistry"],
        "anchor_registry": REGISTRIES["anchorRegistry"],
    }


def label_vectors(att: Attestation, head: dict[str, Any]) -> list[dict[str, Any]]:
    """Label audits (DESIGN.md §6.5) from evidence bundles, one per audit-level attack."""
    del head  # the evidence rebuilds the same log
    disclosed = {p: v for p, v in att.claims.values().items() if p in LABEL_POINTERS}
    out = [
        audit_vector(
            "label_valid",
            "A label over an anchored attestation, issued by an independent certifier, with "
            "its public disclosure.",
            label_evidence(att),
            {"result": "accept", "verdict": "valid", "disclosed": disclosed},
        )
    ]
    future = create_attestation(
        SUPPLIER,
        footprint=FOOTPRINT,
        inventory=INVENTORY,
        now=ANCHORED_AT + timedelta(days=30),
        rng=counter_rng("future-dated"),
    )
    out.append(
        audit_vector(
            "label_statement_future_dated",
            "The labelled statement says it was created 30 days after the block that "
            "anchored it: the auditor refuses it as /v1/verify does (one issuer check).",
            label_evidence(future),
            reject(Step.SIGNATURE, Step.STATEMENT_TIME),
        )
    )
    own = attest("certifier's own product", keys=OrgKeys.from_seed(CERTIFIER_ID, bytes(32)))
    evidence = label_evidence(own, certifier=CERTIFIER_ID)
    signing = own.signed_statement
    assert evidence.issuer is not None
    evidence = replace(
        evidence,
        issuer=replace(
            evidence.issuer,
            signing_keys=(
                ChainKeyRecord(
                    bytes(OrgKeys.from_seed(CERTIFIER_ID, bytes(32)).verify_key),
                    ts(KEY_VALID_FROM),
                    None,
                ),
            ),
        ),
    )
    assert str(signing.statement.issuer) == CERTIFIER_ID
    out.append(
        audit_vector(
            "label_issued_by_the_attestation_issuer",
            "A certifier that also holds SUPPLIER labels its own attestation: a "
            "certification body must be independent of the product (CNCA).",
            evidence,
            reject(Step.ISSUER),
        )
    )
    since = ts(KEY_VALID_FROM)
    out.append(
        audit_vector(
            "label_issuer_role_revoked_before_anchoring",
            "The supplier's SUPPLIER role was revoked two minutes before its attestation was "
            "anchored; the label over it fails at the signature check (issuer.role).",
            label_evidence(
                att,
                issuer_roles=(
                    RoleRecord(Role.SUPPLIER, since, ts(ANCHORED_AT - timedelta(minutes=2))),
                ),
            ),
            reject(Step.SIGNATURE, Step.ISSUER_ROLE),
        )
    )
    suspended = label_evidence(att)
    assert suspended.label is not None
    out.append(
        audit_vector(
            "label_suspended",
            "The certifier suspended the label (暂停) a day before the audit and has not "
            "restored it: check 1 fails, naming the suspension and its reason.",
            replace(
                suspended,
                label=replace(
                    suspended.label,
                    suspensions=(Suspension(ts(AT) - 86_400, None, "plant re-audit", None),),
                ),
            ),
            reject(Step.LABEL),
        )
    )
    out.append(
        audit_vector(
            "label_restored_after_suspension",
            "The label was suspended for a week and restored before the audit: valid again "
            "(check 1 notes the restoration).",
            replace(
                suspended,
                label=replace(
                    suspended.label,
                    suspensions=(
                        Suspension(
                            ts(AT) - 14 * 86_400,
                            ts(AT) - 7 * 86_400,
                            "plant re-audit",
                            "re-audit passed",
                        ),
                    ),
                ),
            ),
            {"result": "accept", "verdict": "valid", "disclosed": disclosed},
        )
    )
    out.append(
        audit_vector(
            "label_value_lower_than_attested",
            "The label on chain claims 7.5 kgCO2e/piece; the disclosed, attested value is 75.0.",
            label_evidence(att, value="7.5"),
            reject(Step.MATCH),
        )
    )
    return out


# --- label audits with a committed roll-up (check 9) -------------------------------------

BATTERY = OrgKeys.from_seed(
    "urn:tanji:org:vector-battery", hashlib.sha256(b"vector battery").digest()
)
LEADER_PRODUCT_ID = "urn:pact:product:tanji-demo:notebook-14"
# The leader's two supplier lines: keys, PCF value (kgCO2e per piece), quantity per
# notebook; Σ q·v = 75 + 0.35 × 20 = 82 kg, the leader declares 95.5 (own 13.5 kg).
ROLLUP_SUPPLIERS = ((SUPPLIER, "75.0", "1"), (BATTERY, "20.0", "0.35"))
ROLLUP_DECLARED = "95.5"
ROLLUP_INVENTORY: dict[str, Any] = {
    "lines": [{"activity": "assembly electricity", "amount": "25.4", "unit": "kWh"}]
}


def _supplier_footprint(keys: OrgKeys, value: str) -> dict[str, Any]:
    product = f"urn:pact:product:tanji-demo:part-of-{str(keys.org_id).rsplit(':', 1)[-1]}"
    return {
        **FOOTPRINT,
        "productIds": [product],
        "pcf": {**FOOTPRINT["pcf"], "pcfExcludingBiogenicUptake": value},
    }


def _leader_footprint(value: str) -> dict[str, Any]:
    return {
        "productIds": [LEADER_PRODUCT_ID],
        "productNameCompany": "14-inch notebook",
        "pcf": {
            "declaredUnitOfMeasurement": "piece",
            "declaredUnitAmount": "1",
            "pcfExcludingBiogenicUptake": value,
        },
    }


def committed_suppliers(*, commit_value: bool = True) -> list[Attestation]:
    """The two supplier attestations a leader rolls up, each committing to its value."""
    return [
        create_attestation(
            keys,
            footprint=_supplier_footprint(keys, value),
            inventory=INVENTORY,
            now=CREATED - timedelta(days=7),
            commit_value=commit_value,
            rng=counter_rng(f"rollup supplier {keys.org_id}"),
        )
        for keys, value, _ in ROLLUP_SUPPLIERS
    ]


def upstream_openings(suppliers: list[Attestation]) -> list[UpstreamOpening]:
    """The leader's view of its lines: each supplier's anchored commitment and the opening
    its envelope granted."""
    out = []
    for att, (_, _, quantity) in zip(suppliers, ROLLUP_SUPPLIERS, strict=True):
        raw = att.signed_statement.statement.extensions["valueCommitment"]
        assert att.content.value_opening is not None
        out.append(
            UpstreamOpening(
                RollupLine(att.attestation_id, scale_quantity(quantity), Commitment.from_json(raw)),
                Opening.from_json(att.content.value_opening),
            )
        )
    return out


def leader_attestation(
    suppliers: list[Attestation], *, value: str = ROLLUP_DECLARED, tag: str = "leader"
) -> Attestation:
    """The leader's attestation with its public committed roll-up over ``suppliers``."""
    return create_attestation(
        LEADER,
        footprint=_leader_footprint(value),
        inventory=ROLLUP_INVENTORY,
        now=CREATED,
        commit_value=True,
        rollup=upstream_openings(suppliers),
        rollup_public=True,
        rng=counter_rng(f"rollup {tag}"),
    )


def _org(keys: OrgKeys, role: Role) -> OrganisationEvidence:
    since = ts(KEY_VALID_FROM)
    return OrganisationEvidence(
        str(keys.org_id),
        roles=(RoleRecord(role, since),),
        signing_keys=(ChainKeyRecord(bytes(keys.verify_key), since, None),),
    )


def rollup_evidence(
    leader: Attestation,
    suppliers: list[Attestation],
    *,
    proof: Any = None,
    logged: list[Attestation] | None = None,
) -> LabelEvidence:
    """The evidence of a label over ``leader`` whose public roll-up proof (``proof``, by
    default the leader's own) names ``suppliers``: every attestation of ``logged`` (by
    default the suppliers and the leader) in one log after the fillers, anchored in one
    head; an upstream attestation missing from ``logged`` is served at the index of the
    leaf that is there instead."""
    logged = [*suppliers, leader] if logged is None else logged
    leaves = [*FILLERS, *(a.signed_statement for a in logged)]
    hashes = [s.leaf_hash for s in leaves]
    root = root_from_leaf_hashes(hashes)
    head = HeadRecord(0, len(hashes), root, ts(ANCHORED_AT))

    def index_of(att: Attestation) -> int:
        ids = [a.attestation_id for a in logged]
        # not logged: the node serves it at the index of the supplier it stands for
        position = ids.index(att.attestation_id) if att.attestation_id in ids else 0
        return len(FILLERS) + position

    def anchored(att: Attestation) -> AnchorEvidence:
        proof_hashes = inclusion_proof_from_leaf_hashes(hashes, index_of(att))
        return AnchorEvidence(head, tuple(proof_hashes))

    signed = leader.signed_statement
    disclosure = leader.disclose(LABEL_POINTERS)
    pcf = leader.content.footprint["pcf"]
    assert isinstance(pcf, dict)
    value = str(pcf["pcfExcludingBiogenicUptake"])
    label = Label(
        label_id=LABEL_ID,
        product_id_digest=product_id_digest(LEADER_PRODUCT_ID),
        log_id_digest=log_id_digest(LOG_ID),
        leaf_index=index_of(leader),
        leaf_hash=signed.leaf_hash,
        value=value,
        unit="kgCO2e/piece",
        grade="",
        standard="GB/T 24067-2024",
        valid_from=ts(LABEL_ISSUED),
        valid_until=ts(LABEL_ISSUED + timedelta(days=730)),
        disclosure_digest=disclosure.digest,
        issuer_org_digest=org_id_digest(CERTIFIER_ID),
        issuer=CERTIFIER_ACCOUNT,
        issued_at=ts(LABEL_ISSUED),
        revoked_at=None,
        revocation_reason=None,
        status=LabelStatus.ACTIVE,
    )
    lines = []
    for att, (keys, _, _) in zip(suppliers, ROLLUP_SUPPLIERS, strict=True):
        range_proof = att.value_range_proof
        lines.append(
            RollupLineEvidence(
                att.attestation_id,
                leaf_index=index_of(att),
                signed_statement=att.signed_statement.to_dict(),
                value_range_proof=None if range_proof is None else range_proof.to_json(),
                anchor=anchored(att),
                issuer=_org(keys, Role.SUPPLIER),
            )
        )
    public = leader.public_rollup_proof
    rollup_proof = proof if proof is not None else public.to_json() if public else None
    return LabelEvidence(
        label_id=LABEL_ID,
        source=EvidenceSource(CHAIN_ID, block=120, block_time=ts(AT) - 60, **_registries()),
        label=label,
        certifier=OrganisationEvidence(
            CERTIFIER_ID,
            roles=(RoleRecord(Role.CERTIFIER, ts(KEY_VALID_FROM)),),
            account=CERTIFIER_ACCOUNT,
        ),
        log_id=LOG_ID,
        leaf=Fetched(signed.to_dict()),
        anchor=anchored(leader),
        issuer=_org(LEADER, Role.LEADER),
        disclosure=Fetched(disclosure.to_dict()),
        superseding=SupersedingEvidence(len(hashes)),
        rollup=RollupEvidence(rollup_proof, tuple(lines)),
    )


def rollup_label_vectors() -> list[dict[str, Any]]:
    """Label audits whose check 9 verifies the leader's public committed roll-up
    (docs/commitments.md §8): each upstream attestation anchored, signed and its range
    proof valid, then the roll-up proof; one vector per attack."""
    suppliers = committed_suppliers()
    leader = leader_attestation(suppliers)
    disclosed = {p: v for p, v in leader.claims.values().items() if p in LABEL_POINTERS}
    good = leader.public_rollup_proof
    assert good is not None
    out = [
        audit_vector(
            "label_rollup_valid",
            "A leader's label of 95.5 kgCO2e/piece with its public roll-up proof over two "
            "anchored supplier attestations whose values (75 kg and 20 kg × 0.35) stay "
            "hidden in commitments: check 9 verifies both range proofs and the roll-up.",
            rollup_evidence(leader, suppliers),
            {"result": "accept", "verdict": "valid", "disclosed": disclosed},
        )
    ]
    lowered = good.to_json()
    lowered["lines"][1]["quantity"] = str(scale_quantity("0.25"))
    out.append(
        audit_vector(
            "label_rollup_line_quantity_lowered",
            "The published roll-up proof's battery line says 0.25 instead of 0.35: the "
            "declared total no longer opens Σ q_i·C_i + C_own.",
            rollup_evidence(leader, suppliers, proof=lowered),
            reject(Step.ROLLUP_COMMITMENTS, Step.ROLLUP_SUM),
        )
    )
    under_value = "80.0"
    understated = create_attestation(
        LEADER,
        footprint=_leader_footprint(under_value),
        inventory=ROLLUP_INVENTORY,
        now=CREATED,
        commit_value=True,
        rng=counter_rng("rollup understated"),
    )
    forged = forge_understated_rollup(
        upstream_openings(suppliers),
        declared_total=scale_total(under_value),
        context=value_context(understated.signed_statement.statement),
        rng=counter_rng("rollup forged"),
    )
    out.append(
        audit_vector(
            "label_rollup_declared_below_the_suppliers",
            "The leader declares 80 kg, below the 82 kg its suppliers' committed values "
            "weigh, with a forged proof that its own term (−2 kg) is in range.",
            rollup_evidence(understated, suppliers, proof=forged.to_json()),
            reject(Step.ROLLUP_COMMITMENTS, Step.RANGEPROOF_BIT),
        )
    )
    other = leader_attestation(suppliers, tag="another leader attestation")
    replayed = other.public_rollup_proof
    assert replayed is not None
    out.append(
        audit_vector(
            "label_rollup_proof_replayed_from_another_attestation",
            "The roll-up proof of another attestation of the same leader, value and lines: "
            "its own-term range proof is bound to that statement.",
            rollup_evidence(leader, suppliers, proof=replayed.to_json()),
            reject(Step.ROLLUP_COMMITMENTS, Step.RANGEPROOF_TRANSCRIPT),
        )
    )
    swapped = rollup_evidence(leader, suppliers)
    assert swapped.rollup is not None
    first, second = swapped.rollup.lines
    out.append(
        audit_vector(
            "label_rollup_upstream_range_proof_of_another_attestation",
            "The display maker's line carries the battery maker's range proof: not the one "
            "its statement's valueRangeProofDigest signs.",
            replace(
                swapped,
                rollup=replace(
                    swapped.rollup,
                    lines=(replace(first, value_range_proof=second.value_range_proof), second),
                ),
            ),
            reject(Step.ROLLUP_COMMITMENTS, Step.RANGEPROOF_DIGEST),
        )
    )
    out.append(
        audit_vector(
            "label_rollup_upstream_not_in_the_log",
            "The battery maker's attestation was never logged: the node serves it with the "
            "inclusion proof of the leaf at its index, which does not lead to the anchored "
            "root.",
            rollup_evidence(leader, suppliers, logged=[suppliers[0], leader]),
            reject(Step.ROLLUP_COMMITMENTS, Step.ANCHOR),
        )
    )
    plain = committed_suppliers(commit_value=False)
    out.append(
        audit_vector(
            "label_rollup_upstream_commits_to_no_value",
            "The roll-up names supplier attestations that commit to no value: the "
            "commitments in its lines are the leader's own.",
            rollup_evidence(leader, plain),
            reject(Step.ROLLUP_COMMITMENTS, Step.ROLLUP_UPSTREAM),
        )
    )
    return out


# --- running a vector ---------------------------------------------------------------------


def _key_records(docs: list[dict[str, Any]]) -> list[KeyRecord]:
    return [
        KeyRecord(
            base64.b64decode(k["publicKey"]),
            parse_time(k["validFrom"], "validFrom"),
            None if k["revokedAt"] is None else parse_time(k["revokedAt"], "revokedAt"),
        )
        for k in docs
    ]


def _role_records(docs: list[dict[str, Any]]) -> list[RoleRecord]:
    return [
        RoleRecord(
            Role[r["role"]],
            ts(parse_time(r["validFrom"], "validFrom")),
            None if r["revokedAt"] is None else ts(parse_time(r["revokedAt"], "revokedAt")),
        )
        for r in docs
    ]


def run_vector(vector: dict[str, Any]) -> dict[str, Any]:
    """Run one vector; return what it produced (raises VerificationError on rejection)."""
    inp, tr = vector["input"], vector["trust"]
    if vector["operation"] == "verify_attestation":
        receipt = Receipt.from_dict(inp["receipt"])
        disclosure = Disclosure.from_dict(inp["disclosure"])
        verified = verify_attestation(
            receipt,
            disclosure,
            log_keys=_key_records(tr["logKeys"]),
            issuer_keys=_key_records(tr["issuerKeys"]),
            issuer_roles=_role_records(tr["issuerRoles"]),
            anchored_head=(
                tr["anchoredHead"]["size"],
                base64.b64decode(tr["anchoredHead"]["root"]),
            ),
            anchored_at=parse_time(tr["anchoredAt"], "anchoredAt"),
            at=parse_time(tr["at"], "at"),
            required=tr["required"],
        )
        return {
            "result": "accept",
            "attestationId": verified.attestation_id,
            "values": verified.values,
        }
    if vector["operation"] == "open_attestation":
        opened = open_attestation(
            SignedStatement.from_dict(inp["signedStatement"]),
            Envelope.from_dict(inp["envelope"]),
            Grant.from_dict(inp["grant"]),
            PrivateKey(base64.b64decode(inp["recipientPrivateKey"])),
        )
        return {
            "result": "accept",
            "commitment": opened.claims.commitment.hex(),
            "footprint": opened.content.footprint,
        }
    if vector["operation"] == "audit_label":
        report = audit_label(LabelEvidence.from_dict(inp["evidence"]), parse_time(tr["at"], "at"))
        report.raise_for_failure()
        return {"result": "accept", "verdict": report.verdict, "disclosed": dict(report.disclosed)}
    raise ValueError(f"unknown operation {vector['operation']!r}")


def expected_outcome(vector: dict[str, Any]) -> dict[str, Any]:
    """Run ``vector`` and describe the outcome in the shape of its ``expect`` field."""
    try:
        return run_vector(vector)
    except VerificationError as exc:
        out: dict[str, Any] = {"result": "reject", "step": str(exc.step)}
        cause = reason_cause(exc.reason)
        if vector["operation"] == "audit_label" and cause is not None:
            out["cause"] = cause
        return out


def reason_cause(reason: str) -> str | None:
    """The protocol step a failed check's reason starts with (``"key.validity: …"``), or,
    for check 9's upstream attestations, the step after the attestation
    (``"upstream 0d0e…: rangeproof.digest: …"``); None when it names none."""
    head, _, rest = reason.partition(": ")
    if head.startswith("upstream "):
        head = rest.partition(": ")[0]
    return head if head in Step.__members__.values() else None


def render(vector: dict[str, Any]) -> bytes:
    """The file bytes of one vector (stable: sorted keys, two-space indent, UTF-8)."""
    return (json.dumps(vector, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def generate(outdir: Path) -> list[Path]:
    """Write every vector to ``outdir/<name>.json``; return the paths written."""
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for vector in build_vectors():
        if expected_outcome(vector) != vector["expect"]:
            raise AssertionError(
                f"vector {vector['name']} does not behave as it says: {expected_outcome(vector)}"
            )
        path = outdir / f"{vector['name']}.json"
        path.write_bytes(render(vector))
        paths.append(path)
    return paths


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for written in generate(out):
        print(written)
