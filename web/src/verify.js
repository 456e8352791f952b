// Offline verification of a receipt and a disclosure (sdk/_verify.py). Times are Unix
// seconds passed in by the caller (the anchoring block's time, now); chain state (the
// log operator's key, the issuer's key history, the anchored head) is read by the caller
// and passed in. Every failure is one VerificationError whose `step` names the check:
//
//   1  statement.schema     the signed statement parses, every field canonical
//   2  receipt.leaf         the leaf's attestation id is the one expected
//   3  receipt.checkpoint   log operator's signature; origin = tanji/<chain>/<log>
//   4  receipt.anchor       checkpoint head = anchored head; anchored before `at`
//   5  receipt.inclusion    leaf at leafIndex under the checkpoint root
//   6  statement.signature  a registered issuer key with keyId verifies the signature
//   7  key.validity         validFrom <= anchoredAt < revokedAt for that key
//   8  statement.time       created is not after the anchoring time (+ clock skew)
//   9  disclosure.*         see verifyDisclosure

import { bytesEqual } from "./bytes.js";
import { checkpointOrigin, verifyCheckpoint } from "./checkpoint.js";
import { CheckpointError, InclusionProofError, VerificationError } from "./errors.js";
import { verifyInclusion } from "./merkle.js";
import { verifyDisclosure } from "./disclosure.js";
import { checkSignatureBytes, keyId } from "./statement.js";
import { formatTime } from "./time.js";

/** Ten minutes, in seconds: how far `created` may run ahead of the anchoring time. */
export const DEFAULT_CLOCK_SKEW = 600;

function seconds(value, what) {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new VerificationError("arguments", `${what} must be Unix seconds`);
  }
  return value;
}

/**
 * Steps 6–8: a registered key of the issuer named by keyId verifies the signature, was
 * valid at the anchoring time, and `created` does not postdate anchoring. `issuerKeys`:
 * [{publicKey: Uint8Array(32), validFrom: seconds, revokedAt: seconds | null}].
 */
export function checkSignatureAndKey(signed, issuerKeys, anchoredAt, maxClockSkew = DEFAULT_CLOCK_SKEW) {
  const statement = signed.statement;
  // (6) a registered key of the issuer, named by keyId, verifies the signature.
  const record = issuerKeys.find((k) => k.publicKey.length === 32 && keyId("ed25519", k.publicKey) === statement.keyId);
  if (record === undefined) {
    throw new VerificationError(
      "statement.signature",
      `key ${statement.keyId} is not a registered signing key of ${statement.issuer}`,
    );
  }
  checkSignatureBytes(signed, record.publicKey);
  // (7) the key was valid when the statement was anchored (chain time, not `created`).
  const validFrom = seconds(record.validFrom, "key validFrom");
  if (anchoredAt < validFrom) {
    throw new VerificationError(
      "key.validity",
      `key ${statement.keyId} became valid at ${formatTime(validFrom)}, after the anchoring time ${formatTime(anchoredAt)}`,
    );
  }
  if (record.revokedAt !== null && record.revokedAt !== undefined) {
    const revokedAt = seconds(record.revokedAt, "key revokedAt");
    if (anchoredAt >= revokedAt) {
      throw new VerificationError(
        "key.validity",
        `key ${statement.keyId} was revoked at ${formatTime(revokedAt)}, before the anchoring time ${formatTime(anchoredAt)}`,
      );
    }
  }
  // (8) the self-declared creation time does not postdate anchoring.
  if (statement.created > anchoredAt + maxClockSkew) {
    throw new VerificationError(
      "statement.time",
      `created ${formatTime(statement.created)} is after the anchoring time ${formatTime(anchoredAt)}`,
    );
  }
}

/**
 * Verify a parsed receipt offline (steps 2–8); return its statement.
 * Options: logKey (Uint8Array), logKeyName, issuerKeys, anchoredAt, at (Unix seconds),
 * anchoredHead ({size, root} read from the AnchorRegistry, or null), expectedAttestationId,
 * maxClockSkew (seconds). Throws VerificationError naming the failed step.
 */
export function verifyReceipt(receipt, opts) {
  const {
    logKey,
    logKeyName,
    issuerKeys,
    anchoredHead = null,
    expectedAttestationId = null,
    maxClockSkew = DEFAULT_CLOCK_SKEW,
  } = opts;
  const at = seconds(opts.at, "at");
  const anchoredAt = seconds(opts.anchoredAt, "anchoredAt");
  const signed = receipt.signedStatement;
  // (2) the leaf is the signed statement's canonical bytes; its id is the one asked for.
  if (expectedAttestationId !== null && signed.attestationId !== String(expectedAttestationId)) {
    throw new VerificationError(
      "receipt.leaf",
      `leaf hashes to attestation ${signed.attestationId}, expected ${expectedAttestationId}`,
    );
  }
  // (3) the checkpoint is signed by the log operator and names this chain and log.
  let checkpoint;
  let origin;
  try {
    checkpoint = verifyCheckpoint(receipt.checkpoint, logKeyName, logKey);
    origin = checkpointOrigin(receipt.anchor.chainId, receipt.anchor.logId);
  } catch (err) {
    if (err instanceof CheckpointError) throw new VerificationError("receipt.checkpoint", err.message);
    throw err;
  }
  if (checkpoint.origin !== origin) {
    throw new VerificationError(
      "receipt.checkpoint",
      `checkpoint origin '${checkpoint.origin}' is not '${origin}' named by the anchor`,
    );
  }
  const { size, root } = checkpoint;
  // (4) the checkpoint is the anchored head, and anchoring happened before `at`.
  if (anchoredHead !== null && (BigInt(anchoredHead.size) !== size || !bytesEqual(anchoredHead.root, root))) {
    throw new VerificationError(
      "receipt.anchor",
      `checkpoint head (size ${size}) is not the anchored head (size ${anchoredHead.size})`,
    );
  }
  if (anchoredAt > at) {
    throw new VerificationError("receipt.anchor", `anchoring time ${formatTime(anchoredAt)} is after ${formatTime(at)}`);
  }
  // (5) the leaf is in the checkpointed tree.
  try {
    verifyInclusion(signed.leafHash, receipt.leafIndex, size, receipt.inclusionProof, root);
  } catch (err) {
    if (err instanceof InclusionProofError) throw new VerificationError("receipt.inclusion", err.message);
    throw err;
  }
  // (6)–(8) signature, key validity at anchoring time, creation time.
  checkSignatureAndKey(signed, issuerKeys, anchoredAt, maxClockSkew);
  return signed.statement;
}

/**
 * Verify a receipt (verifyReceipt) and a disclosure of the same attestation; return
 * {statement, attestationId, values, anchor}. `required` pointers must be disclosed.
 * Throws VerificationError naming the failed step.
 */
export function verifyAttestation(receipt, disclosure, opts) {
  const statement = verifyReceipt(receipt, { ...opts, expectedAttestationId: disclosure.attestationId });
  const values = verifyDisclosure(disclosure, receipt.signedStatement, { required: opts.required ?? [] });
  return {
    statement,
    attestationId: receipt.signedStatement.attestationId,
    values,
    anchor: receipt.anchor,
  };
}
