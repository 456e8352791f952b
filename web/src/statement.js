// The public signed statement, the log leaf it becomes, and the attestation id
// (sdk/_statement.py, statement version 2). Only this module and disclosure.js read
// statement fields by name.
//
//   {"type": "tanji.statement", "version": 2, "issuer", "keyId", "subjectDigest",
//    "commitment", "claimCount", "created", "supersedes", "envelopeDigest",
//    "extensions": {}}
//
// subjectDigest is a salted commitment to the product id (the leaf hash of the
// /productIds/0 claim, opened by a disclosure: disclosure.subject); claimCount is a
// claim bucket (a power of two, at least 32), never the exact number of claims;
// extensions must name only extensions this verifier knows (valueCommitment with
// valueRangeProofDigest, docs/commitments.md).
//
// Signature: Ed25519 over "tanji.statement.v1\0" + JCS(statement). Log leaf bytes:
// JCS({"signature": base64, "statement": statement}). Attestation id: hex SHA-256 of the
// leaf bytes. Parsing accepts only the canonical form of every field, so the signed
// bytes of a parsed statement are exactly the bytes its issuer signed.

import { b64decode, b64encode, concat, hexDecode, sha256, toHex, utf8 } from "./bytes.js";
import { ed25519Verify } from "./ed25519.js";
import { InvalidOrgId, VerificationError } from "./errors.js";
import { parseOrgId } from "./ids.js";
import { KEYID_TAG, STATEMENT_TAG, canonicalJson, requireKeys } from "./json.js";
import { leafHash } from "./merkle.js";
import { formatTime, parseTime } from "./time.js";
import { isObject, show } from "./values.js";
import { parseCommitment } from "./zk.js";

export const STATEMENT_TYPE = "tanji.statement";
export const STATEMENT_VERSION = 2;
export const MAX_CLAIMS = 1 << 20;
/** The smallest claim count a statement may sign (sdk MIN_CLAIM_BUCKET). */
export const MIN_CLAIM_BUCKET = 32;
const HEX64 = /^[0-9a-f]{64}$/;
export const VALUE_COMMITMENT = "valueCommitment";
export const VALUE_RANGE_PROOF_DIGEST = "valueRangeProofDigest";

/** A Pedersen commitment's wire form (sdk _check_value_commitment): zk.js parseCommitment,
 * its refusal reported as a malformed statement. */
function checkValueCommitment(value) {
  try {
    parseCommitment(value);
  } catch (err) {
    if (err instanceof VerificationError) throw new TypeError(`extensions.${VALUE_COMMITMENT}: ${err.reason}`);
    throw err;
  }
}

function checkProofDigest(value) {
  if (typeof value !== "string" || !HEX64.test(value)) {
    throw new TypeError(`extensions.${VALUE_RANGE_PROOF_DIGEST} must be 64 lowercase hex`);
  }
}

/** Extension name -> validator, as sdk STATEMENT_EXTENSIONS: the value commitment and the
 * digest of its range proof (docs/commitments.md), which come together or not at all.
 * The range proof itself is checked by valueproof.js (the node at publish, the audit's check 9). */
export const STATEMENT_EXTENSIONS = Object.freeze(
  Object.assign(Object.create(null), {
    [VALUE_COMMITMENT]: checkValueCommitment,
    [VALUE_RANGE_PROOF_DIGEST]: checkProofDigest,
  }),
);
const FIELDS = [
  "type",
  "version",
  "issuer",
  "keyId",
  "subjectDigest",
  "commitment",
  "claimCount",
  "created",
  "supersedes",
  "envelopeDigest",
  "extensions",
];
const KEY_ID = /^[0-9a-f]{32}$/;
const ATTESTATION_ID = /^[0-9a-f]{64}$/;
const SCHEMA = "statement.schema";

/** A power of two in [MIN_CLAIM_BUCKET, MAX_CLAIMS] (sdk is_claim_bucket). */
export function isClaimBucket(count) {
  return typeof count === "number" && Number.isInteger(count) && count >= MIN_CLAIM_BUCKET && count <= MAX_CLAIMS && (count & (count - 1)) === 0;
}

/** True for 64 lowercase hex characters. */
export function isAttestationId(text) {
  return typeof text === "string" && ATTESTATION_ID.test(text);
}

/** Key id: hex of SHA-256("tanji.keyid.v1\0" + type + "\0" + key)[:16] (sdk key_id). */
export function keyId(keyType, publicKey) {
  if (publicKey.length !== 32) throw new TypeError(`${keyType} public key must be 32 bytes, got ${publicKey.length}`);
  const data = concat(utf8(KEYID_TAG), new Uint8Array([0]), utf8(keyType), new Uint8Array([0]), publicKey);
  return toHex(sha256(data).subarray(0, 16));
}

function schema(fn) {
  try {
    return fn();
  } catch (err) {
    if (err instanceof VerificationError) throw err;
    if (err instanceof TypeError || err instanceof InvalidOrgId) throw new VerificationError(SCHEMA, err.message);
    throw err;
  }
}

/** A parsed, validated statement. Build with Statement.fromDict. */
export class Statement {
  constructor({ issuer, keyId, subjectDigest, commitment, claimCount, created, supersedes, envelopeDigest, extensions = {} }) {
    Object.assign(this, {
      issuer,
      keyId,
      subjectDigest,
      commitment,
      claimCount,
      created,
      supersedes,
      envelopeDigest,
      extensions,
    });
    schema(() => {
      if (typeof keyId !== "string" || !KEY_ID.test(keyId)) throw new TypeError("keyId must be 32 lowercase hex characters");
      for (const [name, value] of [
        ["subject_digest", subjectDigest],
        ["commitment", commitment],
        ["envelope_digest", envelopeDigest],
      ]) {
        if (!(value instanceof Uint8Array) || value.length !== 32) throw new TypeError(`${name} must be 32 bytes`);
      }
      if (!isClaimBucket(claimCount)) {
        throw new TypeError(
          `claimCount ${show(claimCount)} is not a claim bucket (a power of two, at least ${MIN_CLAIM_BUCKET}): the claims were not padded`,
        );
      }
      if (supersedes !== null && !isAttestationId(supersedes)) {
        throw new TypeError("supersedes must be an attestation id (64 hex) or null");
      }
      if (!isObject(extensions)) throw new TypeError("extensions must be a JSON object");
      for (const [name, value] of Object.entries(extensions)) {
        const check = STATEMENT_EXTENSIONS[name];
        if (check === undefined) throw new TypeError(`unknown statement extension '${name}': this verifier cannot check it`);
        check(value);
      }
      if ((VALUE_COMMITMENT in extensions) !== (VALUE_RANGE_PROOF_DIGEST in extensions)) {
        throw new TypeError(`extensions ${VALUE_COMMITMENT} and ${VALUE_RANGE_PROOF_DIGEST} come together`);
      }
    });
    Object.freeze(this);
  }

  /**
   * Parse a statement (JSON value). Throws VerificationError at `statement.schema`
   * naming the bad field.
   */
  static fromDict(data) {
    return schema(() => {
      const doc = requireKeys(data, "statement", FIELDS);
      if (doc.type !== STATEMENT_TYPE) throw new TypeError(`type must be '${STATEMENT_TYPE}', got ${show(doc.type)}`);
      if (typeof doc.version !== "number" || doc.version !== STATEMENT_VERSION) {
        throw new TypeError(
          `unsupported statement version ${show(doc.version)}: this verifier reads version ${STATEMENT_VERSION} (see docs/privacy.md for what changed)`,
        );
      }
      if (typeof doc.issuer !== "string") throw new TypeError("issuer must be a string");
      const issuer = parseOrgId(doc.issuer);
      if (issuer !== doc.issuer) throw new TypeError(`issuer '${doc.issuer}' is not in canonical form`);
      return new Statement({
        issuer,
        keyId: doc.keyId,
        subjectDigest: hexDecode(doc.subjectDigest, "subjectDigest", 32),
        commitment: hexDecode(doc.commitment, "commitment", 32),
        claimCount: doc.claimCount,
        created: parseTime(doc.created, "created"),
        supersedes: doc.supersedes,
        envelopeDigest: hexDecode(doc.envelopeDigest, "envelopeDigest", 32),
        extensions: doc.extensions,
      });
    });
  }

  /** The statement as JSON (the signed form). */
  toDict() {
    return {
      type: STATEMENT_TYPE,
      version: STATEMENT_VERSION,
      issuer: this.issuer,
      keyId: this.keyId,
      subjectDigest: toHex(this.subjectDigest),
      commitment: toHex(this.commitment),
      claimCount: this.claimCount,
      created: formatTime(this.created),
      supersedes: this.supersedes,
      envelopeDigest: toHex(this.envelopeDigest),
      extensions: { ...this.extensions },
    };
  }

  /** JCS(statement). */
  canonicalBytes() {
    return canonicalJson(this.toDict());
  }

  /** "tanji.statement.v1\0" + JCS(statement): the bytes the issuer signs. */
  signingInput() {
    return concat(utf8(STATEMENT_TAG), new Uint8Array([0]), this.canonicalBytes());
  }
}

/** A statement with its Ed25519 signature: the log leaf and the attestation id. */
export class SignedStatement {
  constructor(statement, signature) {
    if (!(statement instanceof Statement)) throw new VerificationError(SCHEMA, "statement must be a Statement");
    if (!(signature instanceof Uint8Array) || signature.length !== 64) {
      throw new VerificationError(SCHEMA, "signature must be 64 bytes");
    }
    this.statement = statement;
    this.signature = signature;
    this.leafBytes = canonicalJson({ signature: b64encode(signature), statement: statement.toDict() });
    this.leafHash = leafHash(this.leafBytes);
    this.attestationId = toHex(sha256(this.leafBytes));
    Object.freeze(this);
  }

  /** Parse {statement, signature}; throws VerificationError at `statement.schema`. */
  static fromDict(data) {
    const [doc, signature] = schema(() => {
      const d = requireKeys(data, "signed statement", ["signature", "statement"]);
      return [d, b64decode(d.signature, "signature", 64)];
    });
    return new SignedStatement(Statement.fromDict(doc.statement), signature);
  }

  /** {"signature": base64, "statement": {...}}. */
  toDict() {
    return { signature: b64encode(this.signature), statement: this.statement.toDict() };
  }
}

/**
 * Check the Ed25519 signature under `publicKey` alone (the caller matched the key to
 * keyId). Throws VerificationError at `statement.signature`.
 */
export function checkSignatureBytes(signed, publicKey) {
  if (!ed25519Verify(signed.signature, signed.statement.signingInput(), publicKey)) {
    throw new VerificationError("statement.signature", `signature does not verify under key ${signed.statement.keyId}`);
  }
}

/**
 * Check the signature under `publicKey` and that keyId names that key. Throws
 * VerificationError at `statement.signature`.
 */
export function verifyStatementSignature(signed, publicKey) {
  if (keyId("ed25519", publicKey) !== signed.statement.keyId) {
    throw new VerificationError("statement.signature", "keyId does not name this public key");
  }
  checkSignatureBytes(signed, publicKey);
}
