// Receipts (sdk/_receipt.py, version 2): a signed statement with its log inclusion
// proof, the checkpoint and the anchor reference. Parsing checks shape only, in Python's
// order, so a malformed receipt fails at the same step (receipt.schema or
// statement.schema).
//
//   {"type": "tanji.receipt", "version": 2, "signedStatement": {...},
//    "leafIndex": int, "inclusionProof": [base64, ...], "checkpoint": "<signed note>",
//    "anchor": {"chainId", "logId"}}
//
// The anchor names the chain and the log, both bound by the checkpoint's origin line
// tanji/<chain-id>/<log-id>; the verifier reads the anchored head and the key histories
// from the chain itself.

import { b64decode, b64encode } from "./bytes.js";
import { VerificationError } from "./errors.js";
import { requireKeys } from "./json.js";
import { SignedStatement } from "./statement.js";
import { isInt, isUint } from "./values.js";

export const RECEIPT_TYPE = "tanji.receipt";
export const RECEIPT_VERSION = 2;
const SCHEMA = "receipt.schema";
const LOG_ID = /^[a-z0-9-]{1,64}$/;

function schema(fn) {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TypeError) throw new VerificationError(SCHEMA, err.message);
    throw err;
  }
}

/** Which chain and log anchor the receipt's checkpoint (its origin must name both). */
export function parseAnchorReference(data) {
  const doc = schema(() => requireKeys(data, "anchor", ["chainId", "logId"]));
  const { chainId, logId } = doc;
  schema(() => {
    if (!isUint(chainId) || chainId === 0 || chainId === 0n) throw new TypeError("chainId must be a positive integer");
    if (typeof logId !== "string" || !LOG_ID.test(logId)) throw new TypeError("logId must match [a-z0-9-]{1,64}");
  });
  return Object.freeze({ chainId, logId });
}

/**
 * Parse a receipt. Throws VerificationError at `receipt.schema`, or at
 * `statement.schema` when the embedded signed statement is not one.
 */
export function parseReceipt(data) {
  const [doc, inclusionProof] = schema(() => {
    const d = requireKeys(data, "receipt", [
      "type",
      "version",
      "signedStatement",
      "leafIndex",
      "inclusionProof",
      "checkpoint",
      "anchor",
    ]);
    if (d.type !== RECEIPT_TYPE || !isInt(d.version)) throw new TypeError(`not a ${RECEIPT_TYPE}`);
    if (d.version !== RECEIPT_VERSION) {
      throw new TypeError(
        `receipt version ${d.version} is not accepted, only version ${RECEIPT_VERSION}: fetch a fresh receipt from the node`,
      );
    }
    if (!Array.isArray(d.inclusionProof)) throw new TypeError("inclusionProof must be a list");
    return [d, d.inclusionProof.map((h) => b64decode(h, "inclusion proof hash", 32))];
  });
  const signedStatement = SignedStatement.fromDict(doc.signedStatement);
  const anchor = parseAnchorReference(doc.anchor);
  const { leafIndex, checkpoint } = doc;
  schema(() => {
    if (!isUint(leafIndex)) throw new TypeError("leafIndex must be an unsigned integer");
    if (typeof checkpoint !== "string" || !checkpoint) throw new TypeError("checkpoint must be the signed note text");
  });
  return Object.freeze({ signedStatement, leafIndex, inclusionProof, checkpoint, anchor });
}

/** A receipt's wire form. */
export function receiptToDict(receipt) {
  return {
    type: RECEIPT_TYPE,
    version: RECEIPT_VERSION,
    signedStatement: receipt.signedStatement.toDict(),
    leafIndex: receipt.leafIndex,
    inclusionProof: receipt.inclusionProof.map(b64encode),
    checkpoint: receipt.checkpoint,
    anchor: { ...receipt.anchor },
  };
}
