// Selective disclosure: chosen claims of one attestation with their salts and proofs
// (sdk/_claims.py claim leaves, sdk/_disclosure.py); verify.js only calls verifyDisclosure.
//
//   {"type": "tanji.disclosure", "version": 1, "attestationId", "claimCount",
//    "claims": [{"pointer", "value", "salt": base64, "index", "proof": [base64, ...]}]}
//
// Claim leaf data is JCS(["tanji.claim.v1", pointer, value, base64(salt)]); the
// commitment is the RFC 9162 root over the claim leaves sorted by leaf hash, padded to a
// claim bucket (claimCount). The claim /productIds/0 opens the statement's salted subject.

import { b64decode, b64encode, bytesEqual } from "./bytes.js";
import { CanonicalizationError, VerificationError } from "./errors.js";
import { CLAIM_TAG, DISCLOSURE_TAG, canonicalJson, requireKeys, taggedDigest } from "./json.js";
import { inclusionProofLength, leafHash, rootFromInclusionProof } from "./merkle.js";
import { compareCodePoints, isPointer } from "./pointer.js";
import { isAttestationId, isClaimBucket } from "./statement.js";
import { isInt, show } from "./values.js";

export const DISCLOSURE_TYPE = "tanji.disclosure";
export const SALT_SIZE = 16;
/** The claim whose leaf hash is the statement's subject (sdk SUBJECT_POINTER). */
export const SUBJECT_POINTER = "/productIds/0";
const SCHEMA = "disclosure.schema";

/** JCS(["tanji.claim.v1", pointer, value, base64(salt)]): a claim's leaf data. */
export function claimLeafBytes(pointer, value, salt) {
  return canonicalJson([CLAIM_TAG, pointer, value, b64encode(salt)]);
}

function parseClaim(data) {
  const doc = requireKeys(data, "disclosed claim", ["pointer", "value", "salt", "index", "proof"]);
  const { pointer, index, proof } = doc;
  if (typeof pointer !== "string") throw new TypeError("pointer must be a string");
  if (!isInt(index) || index < 0) throw new TypeError(`${pointer}: index must be a non-negative integer`);
  if (!Array.isArray(proof)) throw new TypeError(`${pointer}: proof must be a list`);
  const salt = b64decode(doc.salt, `${pointer}: salt`, SALT_SIZE);
  return {
    pointer,
    value: doc.value,
    salt,
    index,
    proof: proof.map((p) => b64decode(p, `${pointer}: proof hash`, 32)),
  };
}

/** Revealed claims of one attestation. Parsing checks shape only; see verifyDisclosure. */
export class Disclosure {
  constructor(attestationId, claimCount, claims) {
    this.attestationId = attestationId;
    this.claimCount = claimCount;
    this.claims = claims;
    Object.freeze(this);
  }

  /** Parse; throws VerificationError at `disclosure.schema`. */
  static fromDict(data) {
    try {
      const doc = requireKeys(data, "disclosure", ["type", "version", "attestationId", "claimCount", "claims"]);
      if (doc.type !== DISCLOSURE_TYPE || typeof doc.version !== "number" || doc.version !== 1) {
        throw new TypeError(`not a version 1 ${DISCLOSURE_TYPE}`);
      }
      if (!isAttestationId(doc.attestationId)) throw new TypeError("attestationId must be 64 lowercase hex");
      const count = doc.claimCount;
      if (!isClaimBucket(count)) throw new TypeError("claimCount must be a claim bucket (a power of two, at least 32)");
      if (!Array.isArray(doc.claims) || doc.claims.length === 0) throw new TypeError("claims must be a non-empty list");
      return new Disclosure(doc.attestationId, count, doc.claims.map(parseClaim));
    } catch (err) {
      if (err instanceof TypeError) throw new VerificationError(SCHEMA, err.message);
      throw err;
    }
  }

  /** Wire form. */
  toDict() {
    return {
      type: DISCLOSURE_TYPE,
      version: 1,
      attestationId: this.attestationId,
      claimCount: this.claimCount,
      claims: this.claims.map((c) => ({
        pointer: c.pointer,
        value: c.value,
        salt: b64encode(c.salt),
        index: c.index,
        proof: c.proof.map(b64encode),
      })),
    };
  }

  /**
   * SHA-256("tanji.disclosure.v1\0" + JCS(disclosure)), e.g. for a label's reference.
   * Throws CanonicalizationError for a claim value with no canonical form.
   */
  digest() {
    return taggedDigest(DISCLOSURE_TAG, this.toDict());
  }
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Check every disclosed claim against the signed statement's commitment (not its
 * signature or anchoring). Returns {pointer: value} of the verified claims. Throws
 * VerificationError naming the failed step, in the order of sdk verify_disclosure:
 *   1. disclosure.attestation — the disclosure is for another attestation id;
 *   2. disclosure.count — its claim count differs from the statement's;
 *   3. claims.duplicate — a pointer or a leaf index occurs twice;
 *   4. disclosure.pointer — a `required` pointer is not disclosed, a pointer is not an
 *      RFC 6901 pointer, or its index lies outside the committed claims;
 *   5. disclosure.proof — a proof has the wrong length for its index;
 *   6. disclosure.commitment — a recomputed leaf does not lead to the commitment
 *      (disclosure.schema if a value has no canonical form);
 *   7. disclosure.order — in index order the leaves do not rise by leaf hash;
 *   8. disclosure.subject — a disclosed /productIds/0 is not the statement's subject.
 */
export function verifyDisclosure(disclosure, signed, { required = [] } = {}) {
  const statement = signed.statement;
  // (1) same attestation.
  if (disclosure.attestationId !== signed.attestationId) {
    throw new VerificationError(
      "disclosure.attestation",
      `disclosure is for attestation ${disclosure.attestationId}, not ${signed.attestationId}`,
    );
  }
  // (2) same claim count as signed.
  const size = statement.claimCount;
  if (disclosure.claimCount !== size) {
    throw new VerificationError(
      "disclosure.count",
      `disclosure says ${disclosure.claimCount} claims, statement commits to ${size}`,
    );
  }
  // (3) no pointer or index twice: one pointer cannot have two values.
  const pointers = disclosure.claims.map((c) => c.pointer);
  const disclosed = new Set(pointers);
  if (disclosed.size !== pointers.length) {
    const dup = pointers.find((p) => pointers.indexOf(p) !== pointers.lastIndexOf(p));
    throw new VerificationError("claims.duplicate", `pointer ${show(dup)} is disclosed twice`);
  }
  const indices = disclosure.claims.map((c) => c.index);
  if (new Set(indices.map(String)).size !== indices.length) {
    throw new VerificationError("claims.duplicate", "two disclosed claims share a leaf index");
  }
  // (4) the required pointers are disclosed; then, claim by claim: (4) its pointer is
  // well formed and its index inside the tree, (5) its proof has the exact RFC 9162
  // length, (6) its leaf leads to the commitment.
  const missing = [...new Set(required)].filter((p) => !disclosed.has(p)).sort(compareCodePoints);
  if (missing.length) throw new VerificationError("disclosure.pointer", `not disclosed: ${missing.join(", ")}`);
  const leaves = [];
  for (const claim of disclosure.claims) {
    if (!isPointer(claim.pointer)) {
      throw new VerificationError("disclosure.pointer", `${show(claim.pointer)} is not an RFC 6901 JSON Pointer`);
    }
    if (claim.index >= size) {
      throw new VerificationError(
        "disclosure.pointer",
        `${claim.pointer}: index ${claim.index} is outside the ${size} committed claims`,
      );
    }
    let leaf;
    try {
      leaf = leafHash(claimLeafBytes(claim.pointer, claim.value, claim.salt));
    } catch (err) {
      if (err instanceof CanonicalizationError) {
        throw new VerificationError("disclosure.schema", `${claim.pointer}: ${err.message}`);
      }
      throw err;
    }
    const want = inclusionProofLength(claim.index, size);
    if (claim.proof.length !== want) {
      throw new VerificationError(
        "disclosure.proof",
        `${claim.pointer}: step 1 (proof length): proof has ${claim.proof.length} hashes, expected ${want} for index ${claim.index} in size ${size}`,
      );
    }
    const root = rootFromInclusionProof(leaf, claim.index, size, claim.proof);
    if (!bytesEqual(root, statement.commitment)) {
      throw new VerificationError(
        "disclosure.commitment",
        `${claim.pointer}: value, salt and proof do not lead to the signed commitment`,
      );
    }
    leaves.push(leaf);
  }
  // (7) in index order the committed leaves rise in leaf-hash order, as every issuer
  // builds the tree: a tree built otherwise is one its recipients cannot recompute.
  const byIndex = disclosure.claims
    .map((c, k) => ({ index: c.index, leaf: leaves[k], pointer: c.pointer }))
    .sort((a, b) => cmp(a.index, b.index));
  for (let k = 1; k < byIndex.length; k++) {
    const before = byIndex[k - 1];
    const after = byIndex[k];
    if (compareBytes(before.leaf, after.leaf) >= 0) {
      throw new VerificationError(
        "disclosure.order",
        `${after.pointer} cannot be committed at index ${after.index} after ${before.pointer} at index ${before.index}: the claims tree is sorted by leaf hash`,
      );
    }
  }
  // (8) a disclosed product id opens the statement's subject commitment.
  if (disclosed.has(SUBJECT_POINTER)) {
    const subject = leaves[pointers.indexOf(SUBJECT_POINTER)];
    if (!bytesEqual(subject, statement.subjectDigest)) {
      throw new VerificationError(
        "disclosure.subject",
        `${SUBJECT_POINTER} is a committed claim but not the statement's subject: the statement is about another product`,
      );
    }
  }
  const values = Object.create(null);
  for (const c of disclosure.claims) values[c.pointer] = c.value;
  return values;
}
