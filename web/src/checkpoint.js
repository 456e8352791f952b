// C2SP tlog-checkpoint bodies in C2SP signed notes, Ed25519 (anchors/_checkpoint.py).
//
//   tanji/31337/main-log          origin
//   1234                          tree size, decimal, no leading zeros
//   <base64 root>                 32-byte RFC 9162 root
//   [extension lines]
//                                 blank line
//   — <key name> <base64(key hash || signature)>
//
// The key hash is the first 4 bytes of SHA-256(key name || "\n" || 0x01 || public key);
// the signature covers the note text including its final newline. Parsing is strict and
// names the defect (CheckpointFormatError); trust comes only from verifyCheckpoint.

import { b64decode, bytesEqual, concat, sha256, utf8, hasLoneSurrogate } from "./bytes.js";
import { ed25519Verify } from "./ed25519.js";
import { CheckpointFormatError, CheckpointSignatureError } from "./errors.js";
import { HASH_SIZE } from "./merkle.js";

const ED25519_ALG = 0x01;
const SIG_PREFIX = "\u2014 "; // EM DASH, space
const MAX_SIGNATURES = 100;
const MAX_SIZE = (1n << 64n) - 1n;
const LOG_ID = /^[a-z0-9-]{1,64}$/;
// Python's str.isspace() characters (not JS \s: that has U+FEFF and lacks U+001C–U+001F, U+0085).
const SPACE = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

function checkTextChars(text, what) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x0a && c < 0x20) {
      throw new CheckpointFormatError(`${what} contains control character 0x${c.toString(16).padStart(2, "0")}`);
    }
  }
  if (hasLoneSurrogate(text)) throw new CheckpointFormatError(`${what} is not UTF-8: lone surrogate`);
}

function checkKeyName(name) {
  if (!name) throw new CheckpointFormatError("key name is empty");
  if (SPACE.test(name)) throw new CheckpointFormatError(`key name '${name}' contains a space`);
  if (name.includes("+")) throw new CheckpointFormatError(`key name '${name}' contains '+'`);
  checkTextChars(name, `key name '${name}'`);
}

/** The 4-byte signed-note key hash of an Ed25519 key under `keyName`. */
export function keyHash(keyName, publicKey) {
  checkKeyName(keyName);
  return sha256(concat(utf8(keyName), new Uint8Array([0x0a, ED25519_ALG]), publicKey)).subarray(0, 4);
}

/**
 * The origin line of a Tanji log's checkpoints, `tanji/<chain-id>/<log-id>`. Throws
 * CheckpointFormatError for a non-positive chain id or a log id outside [a-z0-9-]{1,64}.
 */
export function checkpointOrigin(chainId, logId) {
  const isInt = (typeof chainId === "number" && Number.isInteger(chainId)) || typeof chainId === "bigint";
  if (!isInt || chainId <= 0) throw new CheckpointFormatError(`chain id must be a positive integer, got ${chainId}`);
  if (typeof logId !== "string" || !LOG_ID.test(logId)) {
    throw new CheckpointFormatError(`invalid log id '${logId}': expected [a-z0-9-]{1,64}`);
  }
  return `tanji/${chainId}/${logId}`;
}

function b64(value, what) {
  try {
    return b64decode(value, what);
  } catch (err) {
    throw new CheckpointFormatError(err.message);
  }
}

function parseSignatureLine(line, index) {
  if (!line.startsWith(SIG_PREFIX)) throw new CheckpointFormatError(`signature line ${index} does not start with '— '`);
  const fields = line.slice(SIG_PREFIX.length).split(" ");
  if (fields.length !== 2) throw new CheckpointFormatError(`signature line ${index} is not '— <name> <base64>'`);
  const [keyName, blob] = fields;
  checkKeyName(keyName);
  const raw = b64(blob, `signature ${index}`);
  if (raw.length < 5) throw new CheckpointFormatError(`signature ${index} is shorter than key hash + signature`);
  return { keyName, keyHash: raw.subarray(0, 4), signature: raw.subarray(4) };
}

/**
 * Parse a signed checkpoint note, checking its form but not its signatures. Returns
 * {checkpoint: {origin, size (bigint), root, extensions}, signatures, body, text}.
 * Throws CheckpointFormatError naming the defect.
 */
export function parseCheckpoint(text) {
  if (typeof text !== "string") throw new CheckpointFormatError("checkpoint must be text (str)");
  if (!text.endsWith("\n")) throw new CheckpointFormatError("note does not end with a newline");
  checkTextChars(text, "note");
  const split = text.lastIndexOf("\n\n");
  if (split < 0) throw new CheckpointFormatError("no blank line between the checkpoint and its signatures");
  const body = text.slice(0, split + 1);
  const sigBlock = text.slice(split + 2);
  if (!sigBlock) throw new CheckpointFormatError("checkpoint has no signatures");
  const sigLines = sigBlock.slice(0, -1).split("\n");
  if (sigLines.length > MAX_SIGNATURES) throw new CheckpointFormatError(`more than ${MAX_SIGNATURES} signatures`);
  const signatures = [];
  const seen = new Set();
  sigLines.forEach((line, i) => {
    const sig = parseSignatureLine(line, i);
    const id = `${sig.keyName}\u0000${[...sig.keyHash].join(",")}`;
    if (seen.has(id)) throw new CheckpointFormatError(`duplicate signature by key '${sig.keyName}'`);
    seen.add(id);
    signatures.push(sig);
  });

  const lines = body.slice(0, -1).split("\n");
  if (lines.length < 3) {
    throw new CheckpointFormatError(`checkpoint body has ${lines.length} lines, needs origin, size and root`);
  }
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (!origin) throw new CheckpointFormatError("origin line is empty");
  if (!/^[0-9]+$/.test(sizeLine)) throw new CheckpointFormatError(`tree size '${sizeLine}' is not a decimal number`);
  if (sizeLine !== "0" && sizeLine.startsWith("0")) {
    throw new CheckpointFormatError(`tree size '${sizeLine}' has leading zeros`);
  }
  const size = BigInt(sizeLine);
  if (size > MAX_SIZE) throw new CheckpointFormatError(`tree size ${sizeLine} does not fit in 64 bits`);
  const root = b64(rootLine, "root hash");
  if (root.length !== HASH_SIZE) {
    throw new CheckpointFormatError(`root hash is ${root.length} bytes, expected ${HASH_SIZE}`);
  }
  if (extensions.includes("")) throw new CheckpointFormatError("empty extension line in the checkpoint body");
  return { checkpoint: { origin, size, root, extensions }, signatures, body, text };
}

/**
 * Check that one of `signatures` is a valid Ed25519 signature of `body` by the key.
 * Signatures by other keys are ignored. Throws CheckpointSignatureError if none verifies.
 */
export function openNoteSignature(body, signatures, keyName, publicKey) {
  const want = keyHash(keyName, publicKey);
  const mine = signatures.filter((s) => s.keyName === keyName && bytesEqual(s.keyHash, want));
  if (mine.length === 0) {
    const names = [...new Set(signatures.map((s) => s.keyName))].sort();
    throw new CheckpointSignatureError(`no signature by key '${keyName}'; signed by ${names.join(", ")}`);
  }
  const message = utf8(body);
  for (const sig of mine) {
    if (sig.signature.length === 64 && ed25519Verify(sig.signature, message, publicKey)) return;
  }
  throw new CheckpointSignatureError(`signature by key '${keyName}' does not verify`);
}

/**
 * Parse a signed checkpoint and return its body {origin, size, root, extensions} if
 * `keyName`/`publicKey` signed it. Throws CheckpointFormatError (malformed) or
 * CheckpointSignatureError (no valid signature by that key).
 */
export function verifyCheckpoint(text, keyName, publicKey) {
  const signed = parseCheckpoint(text);
  openNoteSignature(signed.body, signed.signatures, keyName, publicKey);
  return signed.checkpoint;
}
