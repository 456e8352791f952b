// The commitment to an attestation's PCF value and the range proof published with it
// (sdk/_valueproof.py, docs/commitments.md §8): the statement's `valueCommitment` and
// `valueRangeProofDigest` extensions, the context a proof is bound to, and the check the
// node makes at publish and the label audit makes again (checkValueRangeProof).

import { sha256, toHex } from "./bytes.js";
import { VerificationError } from "./errors.js";
import { canonicalJson } from "./json.js";
import { VALUE_COMMITMENT, VALUE_RANGE_PROOF_DIGEST } from "./statement.js";
import { Step } from "./steps.js";
import { parseCommitment, parseRangeProof, verifyRange } from "./zk.js";

const CONTEXT_TAG = "tanji.pcf-commitment.v1";

/** The bytes a value's range proof (and a leader's roll-up) is bound to:
 * JCS(["tanji.pcf-commitment.v1", issuer, keyId, subjectDigest, commitment, created]). */
export function valueContext(statement) {
  const d = statement.toDict();
  return canonicalJson([CONTEXT_TAG, d.issuer, d.keyId, d.subjectDigest, d.commitment, d.created]);
}

/** The statement's valueCommitment ({bytes, ep}), or null when it commits to no value. */
export function valueCommitment(statement) {
  const raw = statement.extensions[VALUE_COMMITMENT];
  return raw === undefined ? null : parseCommitment(raw);
}

/**
 * Check the range proof published with `statement` (JSON value, null when none); returns
 * the parsed proof (null when the statement commits to no value and none was given).
 * Steps: rangeproof.schema (missing for a committed value, present without one, or
 * malformed), rangeproof.digest (not the proof valueRangeProofDigest signs), then
 * verifyRange under valueContext (rangeproof.*).
 */
export function checkValueRangeProof(statement, proofJson) {
  const commitment = valueCommitment(statement);
  if (commitment === null) {
    if (proofJson !== null) {
      throw new VerificationError(Step.RANGEPROOF_SCHEMA, "a range proof was given but the statement carries no valueCommitment");
    }
    return null;
  }
  if (proofJson === null) {
    throw new VerificationError(
      Step.RANGEPROOF_SCHEMA,
      "the statement commits to its value (valueCommitment) but no valueRangeProof was given: publish the proof with the statement",
    );
  }
  const proof = parseRangeProof(proofJson);
  if (toHex(sha256(proof.bytes)) !== statement.extensions[VALUE_RANGE_PROOF_DIGEST]) {
    throw new VerificationError(Step.RANGEPROOF_DIGEST, "the range proof is not the one the statement's valueRangeProofDigest signs");
  }
  verifyRange(commitment, proof, valueContext(statement));
  return proof;
}
