"""Generate Tanji's protocol test vectors (positive and negative) from fixed inputs.

Run ``python tests/vectors/generate.py`` to rewrite ``tests/vectors/*.json``; the test
suite regenerates into a temporary directory and compares byte for byte, and runs every
vector through :func:`run_vector`.

Everything is fixed: keys come from seeds (:meth:`sdk.OrgKeys.from_seed`), randomness
from a SHA-256 counter, the clock is a constant. Each file is one vector::

    {"name", "description",
     "operation": "verify_attestation" | "open_attestation",
     "input": {...},               # wire forms of the objects under test
     "trust": {...},               # what a verifier reads from the chain (keys, times)
     "expect": {"result": "accept", ...} | {"result": "reject", "step": "<step>"}}

Negative vectors are named after the attack and must be rejected at ``expect.step``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from nacl.public import PrivateKey
from nacl.signing import SigningKey, VerifyKey

from anchors import (
    Checkpoint,
    checkpoint_origin,
    inclusion_proof_from_leaf_hashes,
    leaf_hash,
    root_from_leaf_hashes,
    sign_checkpoint,
)
from sdk import (
    AnchorReference,
    Attestation,
    Claim,
    DisclosedClaim,
    Disclosure,
    Envelope,
    EnvelopeContent,
    Grant,
    KeyRecord,
    OrgKeys,
    Receipt,
    SignedStatement,
    Statement,
    claim_salt,
    create_attestation,
    flatten,
    format_time,
    inventory_digest,
    make_grant,
    open_attestation,
    parse_time,
    seal_envelope,
    sign_statement,
    subject_digest,
    verify_attestation,
)
from sdk._claims import INVENTORY_POINTER
from sdk._statement import sign_statement_with
from sdk.errors import VerificationError

HERE = Path(__file__).resolve().parent

# --- fixed inputs -----------------------------------------------------------------------

SUPPLIER = OrgKeys.from_seed("91350100M000100Y43", hashlib.sha256(b"vector supplier").digest())
LEADER = OrgKeys.from_seed("91110000802100433B", hashlib.sha256(b"vector leader").digest())
OUTSIDER = OrgKeys.from_seed("urn:tanji:org:outsider", hashlib.sha256(b"vector outsider").digest())
MALLORY = OrgKeys.from_seed("91350100M000100Y43", hashlib.sha256(b"vector mallory").digest())
LOG_KEY = SigningKey(hashlib.sha256(b"vector log operator").digest())
LOG_KEY_NAME = "tanji-log-main"
CHAIN_ID = 31337
LOG_ID = "main"
CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
TX_HASH = "0x" + hashlib.sha256(b"vector anchor tx").hexdigest()
BLOCK = 42

KEY_VALID_FROM = datetime(2026, 1, 1, tzinfo=UTC)
CREATED = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
ANCHORED_AT = datetime(2026, 3, 1, 8, 5, tzinfo=UTC)
AT = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)

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


# --- building blocks ----------------------------------------------------------------------


def attest(
    label: str, footprint: dict[str, Any] = FOOTPRINT, product: str = PRODUCT_ID
) -> Attestation:
    return create_attestation(
        SUPPLIER,
        product_id=product,
        footprint=footprint,
        inventory=INVENTORY,
        now=CREATED,
        rng=counter_rng(label),
    )


def filler_statements() -> list[SignedStatement]:
    """Other attestations in the same log, so the target sits inside a real tree."""
    return [
        attest(f"filler-{i}", product=f"urn:pact:product:tanji-demo:part-{i}").signed_statement
        for i in range(6)
    ]


FILLERS = filler_statements()


def receipt_for(
    leaf: bytes, signed: SignedStatement | None = None
) -> tuple[Receipt | None, dict[str, Any]]:
    """Log ``leaf`` at TARGET_INDEX among the fillers; checkpoint, sign, anchor reference."""
    hashes = [s.leaf_hash for s in FILLERS]
    hashes.insert(TARGET_INDEX, leaf_hash(leaf))
    root = root_from_leaf_hashes(hashes)
    proof = inclusion_proof_from_leaf_hashes(hashes, TARGET_INDEX)
    text = sign_checkpoint(
        Checkpoint(checkpoint_origin(CHAIN_ID, LOG_ID), len(hashes), root), LOG_KEY, LOG_KEY_NAME
    )
    anchor = AnchorReference(CHAIN_ID, CONTRACT, TX_HASH, BLOCK, LOG_ID)
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


def trust(
    head: dict[str, Any], keys: list[dict[str, Any]] | None = None, **times: datetime
) -> dict[str, Any]:
    return {
        "logKey": b64(bytes(LOG_KEY.verify_key)),
        "logKeyName": LOG_KEY_NAME,
        "anchoredHead": head,
        "issuerKeys": keys
        if keys is not None
        else [
            {
                "publicKey": b64(bytes(SUPPLIER.verify_key)),
                "validFrom": format_time(KEY_VALID_FROM),
                "revokedAt": None,
            }
        ],
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


def reject(step: str) -> dict[str, Any]:
    return {"result": "reject", "step": step}


def _flip_bit(data: bytes, byte: int) -> bytes:
    out = bytearray(data)
    out[byte] ^= 0x01
    return bytes(out)


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
    revoked_after = [
        {
            "publicKey": b64(bytes(SUPPLIER.verify_key)),
            "validFrom": format_time(KEY_VALID_FROM),
            "revokedAt": format_time(ANCHORED_AT + timedelta(days=10)),
        }
    ]
    vectors.append(
        verify_vector(
            "statement_signed_by_key_revoked_after_anchoring",
            "The issuer's key was revoked ten days after the attestation was anchored: "
            "the attestation stays valid.",
            receipt.to_dict(),
            disclosure.to_dict(),
            trust(head, revoked_after),
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
            reject("disclosure.commitment"),
        )
    )
    vectors.append(
        verify_vector(
            "wrong_salt",
            "The PCF claim is disclosed with the salt of another pointer.",
            receipt.to_dict(),
            with_claim(pcf_at, salt=att.claims.claim("/pcf/fossilGhgEmissions").salt),
            good_trust,
            reject("disclosure.commitment"),
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
            reject("disclosure.commitment"),
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
            reject("statement.signature"),
        )
    )
    revoked_before = [
        {
            "publicKey": b64(bytes(SUPPLIER.verify_key)),
            "validFrom": format_time(KEY_VALID_FROM),
            "revokedAt": format_time(ANCHORED_AT - timedelta(minutes=2)),
        }
    ]
    vectors.append(
        verify_vector(
            "statement_signed_by_key_revoked_before_anchoring",
            "The key was revoked at 08:03; the statement says it was created at 08:00 but was "
            "anchored at 08:05. Key validity is judged at the anchored time.",
            receipt.to_dict(),
            disclosure.to_dict(),
            trust(head, revoked_before),
            reject("key.validity"),
        )
    )
    vectors.append(
        verify_vector(
            "statement_created_after_anchoring",
            "The statement's created time is a day after the block that anchored it.",
            receipt.to_dict(),
            disclosure.to_dict(),
            trust(head, anchored_at=CREATED - timedelta(days=1)),
            reject("statement.time"),
        )
    )
    other_log_key = SigningKey(hashlib.sha256(b"vector rogue log").digest())
    rogue = receipt.to_dict()
    rogue["checkpoint"] = sign_checkpoint(
        Checkpoint(
            checkpoint_origin(CHAIN_ID, LOG_ID),
            head["size"],
            base64.b64decode(head["root"]),
        ),
        other_log_key,
        LOG_KEY_NAME,
    )
    vectors.append(
        verify_vector(
            "checkpoint_signed_by_another_log_key",
            "The checkpoint carries the log's name but another key's signature.",
            rogue,
            disclosure.to_dict(),
            good_trust,
            reject("receipt.checkpoint"),
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
            reject("receipt.inclusion"),
        )
    )

    # A claims-tree leaf presented as the log leaf: the claim's bytes are logged and the
    # receipt carries the claim (a JSON array) where the signed statement belongs.
    claim = att.claims.claim("/pcf/pcfExcludingBiogenicUptake")
    _, claim_parts = receipt_for(claim.leaf_bytes)
    claim_receipt = {
        "type": "tanji.receipt",
        "version": 1,
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
            reject("statement.schema"),
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
            reject("disclosure.pointer"),
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
            reject("claims.duplicate"),
        )
    )

    # Envelope and grant attacks (recipient side).
    flipped = Envelope(att.envelope.nonce, _flip_bit(att.envelope.ciphertext, 17))
    vectors.append(
        open_vector(
            "envelope_ciphertext_bit_flip",
            "One bit of the envelope ciphertext is flipped.",
            att.signed_statement,
            flipped.to_dict(),
            grant.to_dict(),
            reject("envelope"),
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
            reject("grant"),
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
            reject("grant"),
        )
    )
    vectors.append(duplicate_claims_in_envelope())
    return vectors


def duplicate_claims_in_envelope() -> dict[str, Any]:
    """A malicious issuer commits to two leaves for /tanji/inventoryDigest (its footprint
    carries its own ``tanji.inventoryDigest``) and signs: the recipient refuses it."""
    rng = counter_rng("duplicate issuer")
    master, data_key, nonce = rng(32), rng(32), rng(24)
    footprint = {**FOOTPRINT, "tanji": {"inventoryDigest": "0" * 64}}
    pairs = [*flatten(footprint), (INVENTORY_POINTER, inventory_digest(INVENTORY))]
    claims = sorted((Claim(p, v, claim_salt(master, p)) for p, v in pairs), key=lambda c: c.pointer)
    commitment = root_from_leaf_hashes([c.leaf_hash for c in claims])
    subject = subject_digest(PRODUCT_ID)
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
        reject("claims.duplicate"),
    )


# --- running a vector ---------------------------------------------------------------------


def _key_records(doc: dict[str, Any]) -> list[KeyRecord]:
    return [
        KeyRecord(
            base64.b64decode(k["publicKey"]),
            parse_time(k["validFrom"], "validFrom"),
            None if k["revokedAt"] is None else parse_time(k["revokedAt"], "revokedAt"),
        )
        for k in doc["issuerKeys"]
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
            log_key=VerifyKey(base64.b64decode(tr["logKey"])),
            log_key_name=tr["logKeyName"],
            issuer_keys=_key_records(tr),
            anchored_at=parse_time(tr["anchoredAt"], "anchoredAt"),
            at=parse_time(tr["at"], "at"),
            anchored_head=(
                tr["anchoredHead"]["size"],
                base64.b64decode(tr["anchoredHead"]["root"]),
            ),
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
    raise ValueError(f"unknown operation {vector['operation']!r}")


def expected_outcome(vector: dict[str, Any]) -> dict[str, Any]:
    """Run ``vector`` and describe the outcome in the shape of its ``expect`` field."""
    try:
        return run_vector(vector)
    except VerificationError as exc:
        return {"result": "reject", "step": exc.step}


def render(vector: dict[str, Any]) -> bytes:
    """The file bytes of one vector (stable: sorted keys, two-space indent, UTF-8)."""
    return (json.dumps(vector, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def generate(outdir: Path) -> list[Path]:
    """Write every vector to ``outdir/<name>.json``; return the paths written."""
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for vector in build_vectors():
        if expected_outcome(vector) != vector["expect"]:
            raise AssertionError(f"vector {vector['name']} does not behave as it says")
        path = outdir / f"{vector['name']}.json"
        path.write_bytes(render(vector))
        paths.append(path)
    return paths


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for written in generate(out):
        print(written)
