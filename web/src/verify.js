// Offline verification of a receipt and a disclosure (sdk/_verify.py). Times are Unix
// seconds passed in by the caller (the anchoring block's time, now); chain state (the
// log operator's key history, the issuer's key and role histories, the anchored head) is
// read by the caller and passed in. Every failure is one VerificationError whose `step`
// names the check (the sdk Step vocabulary, steps.js):
//
//   1  statement.schema     the signed statement parses, every field canonical
//   2  receipt.leaf         the leaf's attestation id is the one expected
//   3  receipt.checkpoint   signed by a key of the log operator valid when anchored;
//                           origin = tanji/<chain>/<log>
//   4  receipt.anchor       checkpoint head = anchored head; anchored before `at`
//   5  receipt.inclusion    leaf at leafIndex under the checkpoint root
//   6  statement.signature  a registered issuer key with keyId verifies the signature
//   7  key.validity         validFrom <= anchoredAt < revokedAt for that key
//   8  issuer.role          the issuer held a publishing role at anchoredAt
//   9  statement.time       created is not after the anchoring time (+ clock skew)
//   10 disclosure.*         see verifyDisclosure

import { bytesEqual } from "./bytes.js";
import { checkpointOrigin, verifyCheckpoint } from "./checkpoint.js";
import { CheckpointError, CheckpointSignatureError, InclusionProofError, VerificationError } from "./errors.js";
import { verifyInclusion } from "./merkle.js";
import { verifyDisclosure } from "./disclosure.js";
import { checkSignatureBytes, keyId } from "./statement.js";
import { Step } from "./steps.js";
import { formatTime } from "./time.js";

/** Ten minutes, in seconds: how far `created` may run ahead of the anchoring time. */
export const DEFAULT_CLOCK_SKEW = 600;

/** Role names by their on-chain bit index (sdk Role). */
const ROLE_NAMES = ["SUPPLIER", "LEADER", "CERTIFIER", "AUDITOR", "LOG_OPERATOR"];
/** Roles under which an organisation may issue attestations (sdk PUBLISHING_ROLES). */
export const PUBLISHING_ROLES = Object.freeze(["CERTIFIER", "LEADER", "SUPPLIER"]);

function seconds(value, what) {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new VerificationError(Step.ARGUMENTS, `${what} must be Unix seconds`);
  }
  return value;
}

/**
 * Why `at` is outside [validFrom, revokedAt), or null when it is inside: the one
 * validity rule for keys and roles (the contracts' own).
 */
export function windowDefect(validFrom, revokedAt, at) {
  const start = seconds(validFrom, "validFrom");
  if (at < start) return `became valid at ${formatTime(start)}, after ${formatTime(at)}`;
  if (revokedAt !== null && revokedAt !== undefined) {
    const end = seconds(revokedAt, "revokedAt");
    if (at >= end) return `was revoked at ${formatTime(end)}, before ${formatTime(at)}`;
  }
  return null;
}

function roleName(role) {
  if (typeof role === "number") return ROLE_NAMES[role] ?? null;
  return ROLE_NAMES.includes(role) ? role : null;
}

/**
 * Steps 6–9 (sdk check_issuer): a registered key of the issuer named by keyId verifies
 * the signature, was valid at the trusted (anchoring) time `at`, the issuer held a
 * publishing role then, and `created` does not postdate it. `keys`: [{publicKey:
 * Uint8Array(32), validFrom, revokedAt | null}]; `roles`: [{role: name or bit index,
 * validFrom, revokedAt | null}], times in Unix seconds. Returns the key record.
 */
export function checkIssuer(signed, { keys, roles, at, maxClockSkew = DEFAULT_CLOCK_SKEW }) {
  const when = seconds(at, "at");
  const statement = signed.statement;
  // (6) a registered key of the issuer, named by keyId, verifies the signature.
  const record = keys.find((k) => k.publicKey.length === 32 && keyId("ed25519", k.publicKey) === statement.keyId);
  if (record === undefined) {
    throw new VerificationError(
      Step.STATEMENT_SIGNATURE,
      `key ${statement.keyId} is not a registered signing key of ${statement.issuer}`,
    );
  }
  checkSignatureBytes(signed, record.publicKey);
  // (7) the key was valid at the trusted time.
  const defect = windowDefect(record.validFrom, record.revokedAt, when);
  if (defect !== null) {
    throw new VerificationError(
      Step.KEY_VALIDITY,
      `key ${statement.keyId} of ${statement.issuer} ${defect}, the trusted (anchoring) time`,
    );
  }
  // (8) the issuer held a publishing role at the trusted time.
  const periods = roles.map((g) => [roleName(g.role), g]).filter(([name]) => PUBLISHING_ROLES.includes(name));
  if (!periods.some(([, g]) => windowDefect(g.validFrom, g.revokedAt, when) === null)) {
    const history = periods.map(([name, g]) => `${name} ${windowDefect(g.validFrom, g.revokedAt, when)}`).join("; ");
    throw new VerificationError(
      Step.ISSUER_ROLE,
      `${statement.issuer} held no ${PUBLISHING_ROLES.join("/")} role at ${formatTime(when)}, the trusted (anchoring) time: ${history || "it never held one"}`,
    );
  }
  // (9) the self-declared creation time does not postdate the trusted time.
  if (statement.created > when + maxClockSkew) {
    throw new VerificationError(
      Step.STATEMENT_TIME,
      `created ${formatTime(statement.created)} is after the trusted (anchoring) time ${formatTime(when)}`,
    );
  }
  return record;
}

/** The checkpoint's head if `publicKey` signed it as `origin`, else null. */
function signedBy(text, origin, publicKey) {
  try {
    return verifyCheckpoint(text, origin, publicKey);
  } catch (err) {
    if (err instanceof CheckpointSignatureError) return null;
    if (err instanceof CheckpointError) throw new VerificationError(Step.RECEIPT_CHECKPOINT, err.message);
    throw err;
  }
}

/**
 * Step 3: the checkpoint is signed, as `tanji/<chain>/<log>`, by a key of the log
 * operator valid at the anchoring time. `logKeys`: the operator's signing-key history.
 * Returns {size (bigint), root}.
 */
export function verifyReceiptCheckpoint(text, anchor, logKeys, anchoredAt) {
  let origin;
  try {
    origin = checkpointOrigin(anchor.chainId, anchor.logId);
  } catch (err) {
    if (err instanceof CheckpointError) throw new VerificationError(Step.RECEIPT_CHECKPOINT, err.message);
    throw err;
  }
  const records = logKeys.filter((k) => k.publicKey.length === 32);
  // Only a key valid at the anchoring time makes the checkpoint count.
  const outside = [];
  for (const record of records) {
    const defect = windowDefect(record.validFrom, record.revokedAt, anchoredAt);
    if (defect !== null) {
      outside.push([record, defect]);
      continue;
    }
    const head = signedBy(text, origin, record.publicKey);
    if (head === null) continue;
    if (head.origin !== origin) {
      throw new VerificationError(
        Step.RECEIPT_CHECKPOINT,
        `checkpoint origin '${head.origin}' is not '${origin}' named by the anchor`,
      );
    }
    return { size: head.size, root: head.root };
  }
  // The others are tried only to say why a checkpoint one of them signed does not count.
  for (const [record, defect] of outside) {
    if (signedBy(text, origin, record.publicKey) !== null) {
      throw new VerificationError(
        Step.RECEIPT_CHECKPOINT,
        `signed by log operator key ${keyId("ed25519", record.publicKey)} that ${defect}, the anchoring time`,
      );
    }
  }
  throw new VerificationError(
    Step.RECEIPT_CHECKPOINT,
    `no registered key of the operator of log '${anchor.logId}' signed the checkpoint as '${origin}'`,
  );
}

/**
 * Verify a parsed receipt offline (steps 2–9); return its statement. Options:
 * logKeys (the log operator's key history), issuerKeys, issuerRoles, anchoredHead
 * ({size, root} of the first head anchored on chain covering the leaf), anchoredAt (its
 * block time), at (now), expectedAttestationId, maxClockSkew; times in Unix seconds.
 * Throws VerificationError naming the failed step.
 */
export function verifyReceipt(receipt, opts) {
  const {
    logKeys,
    issuerKeys,
    issuerRoles,
    anchoredHead,
    expectedAttestationId = null,
    maxClockSkew = DEFAULT_CLOCK_SKEW,
  } = opts;
  const at = seconds(opts.at, "at");
  const anchoredAt = seconds(opts.anchoredAt, "anchoredAt");
  const signed = receipt.signedStatement;
  // (2) the leaf is the signed statement's canonical bytes; its id is the one asked for.
  if (expectedAttestationId !== null && signed.attestationId !== String(expectedAttestationId)) {
    throw new VerificationError(
      Step.RECEIPT_LEAF,
      `leaf hashes to attestation ${signed.attestationId}, expected ${expectedAttestationId}`,
    );
  }
  // (3) the checkpoint is signed by the log operator, with a key valid when it was
  // anchored, and names this chain and log.
  const { size, root } = verifyReceiptCheckpoint(receipt.checkpoint, receipt.anchor, logKeys, anchoredAt);
  // (4) the checkpoint is the anchored head, and anchoring happened before `at`.
  if (BigInt(anchoredHead.size) !== size || !bytesEqual(anchoredHead.root, root)) {
    throw new VerificationError(
      Step.RECEIPT_ANCHOR,
      `checkpoint head (size ${size}) is not the first head anchored on chain covering leaf ${receipt.leafIndex} (size ${anchoredHead.size})`,
    );
  }
  if (anchoredAt > at) {
    throw new VerificationError(Step.RECEIPT_ANCHOR, `anchoring time ${formatTime(anchoredAt)} is after ${formatTime(at)}`);
  }
  // (5) the leaf is in the checkpointed tree.
  try {
    verifyInclusion(signed.leafHash, receipt.leafIndex, size, receipt.inclusionProof, root);
  } catch (err) {
    if (err instanceof InclusionProofError) throw new VerificationError(Step.RECEIPT_INCLUSION, err.message);
    throw err;
  }
  // (6)–(9) signature, key validity, role, creation time at the anchoring time.
  checkIssuer(signed, { keys: issuerKeys, roles: issuerRoles, at: anchoredAt, maxClockSkew });
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
