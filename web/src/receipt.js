// Receipts (sdk/_receipt.py): a signed statement with its log inclusion proof, the
// checkpoint and the anchor reference. Parsing checks shape only, in Python's order, so
// a malformed receipt fails at the same step (receipt.schema or statement.schema).
//
//   {"type": "tanji.receipt", "version": 1, "signedStatement": {...},
//    "leafIndex": int, "inclusionProof": [base64, ...], "checkpoint": "<signed note>",
//    "anchor": {"chainId", "contract", "txHash", "blockNumber", "logId"}}

import { b64decode, b64encode } from "./bytes.js";
import { VerificationError } from "./errors.js";
import { requireKeys } from "./json.js";
import { SignedStatement } from "./statement.js";
import { isUint } from "./values.js";

export const RECEIPT_TYPE = "tanji.receipt";
const SCHEMA = "receipt.schema";
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const TX_HASH = /^0x[0-9a-f]{64}$/;
const LOG_ID = /^[a-z0-9-]{1,64}$/;

function schema(fn) {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TypeError) throw new VerificationError(SCHEMA, err.message);
    throw err;
  }
}

/** Where a checkpoint was anchored: chain, AnchorRegistry contract, transaction, block, log. */
export function parseAnchorReference(data) {
  const doc = schema(() => requireKeys(data, "anchor", ["chainId", "contract", "txHash", "blockNumber", "logId"]));
  const { chainId, contract, txHash, blockNumber, logId } = doc;
  schema(() => {
    if (!isUint(chainId) || chainId === 0) throw new TypeError("chainId must be a positive integer");
    if (!isUint(blockNumber)) throw new TypeError("blockNumber must be an unsigned integer");
    if (typeof contract !== "string" || !ADDRESS.test(contract)) {
      throw new TypeError("contract must be a 0x-prefixed 20-byte address");
    }
    if (typeof txHash !== "string" || !TX_HASH.test(txHash)) throw new TypeError("txHash must be 0x + 64 lowercase hex");
    if (typeof logId !== "string" || !LOG_ID.test(logId)) throw new TypeError("logId must match [a-z0-9-]{1,64}");
  });
  return Object.freeze({ chainId, contract, txHash, blockNumber, logId });
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
    if (d.type !== RECEIPT_TYPE || typeof d.version !== "number" || d.version !== 1) {
      throw new TypeError(`not a version 1 ${RECEIPT_TYPE}`);
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
    version: 1,
    signedStatement: receipt.signedStatement.toDict(),
    leafIndex: receipt.leafIndex,
    inclusionProof: receipt.inclusionProof.map(b64encode),
    checkpoint: receipt.checkpoint,
    anchor: { ...receipt.anchor },
  };
}
