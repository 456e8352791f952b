// Byte helpers: UTF-8, lowercase hex and canonical standard base64 (sdk/_canonical.py's
// b64encode/b64decode/hex_decode), concatenation and comparison.

import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { typeName } from "./values.js";

const ENCODER = new TextEncoder();
const LONE_SURROGATE = /\p{Cs}/u;

/** True if `text` holds a lone UTF-16 surrogate (no UTF-8 form; Python refuses it too). */
export function hasLoneSurrogate(text) {
  return LONE_SURROGATE.test(text);
}

/** UTF-8 bytes of a well-formed string. Throws TypeError for a lone surrogate. */
export function utf8(text) {
  if (hasLoneSurrogate(text)) throw new TypeError("string holds a lone surrogate: no UTF-8 form");
  return ENCODER.encode(text);
}

/** SHA-256 of bytes (Uint8Array). */
export function sha256(data) {
  return nobleSha256(data);
}

/** Concatenate Uint8Arrays. */
export function concat(...parts) {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Equal length and bytes; examines every byte (no early exit) like hmac.compare_digest. */
export function bytesEqual(a, b) {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lowercase hex of bytes. */
export function toHex(data) {
  let out = "";
  for (const b of data) out += HEX[b];
  return out;
}

/** Bytes of an even-length hex string (either case); throws TypeError otherwise. */
export function fromHex(text) {
  if (typeof text !== "string" || text.length % 2 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new TypeError("not an even-length hex string");
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Decode lowercase hex of exactly `size` bytes (sdk hex_decode).
 * Throws TypeError naming `what` otherwise.
 */
export function hexDecode(text, what, size) {
  if (typeof text !== "string") throw new TypeError(`${what} must be a hex string, got ${typeName(text)}`);
  if (text.length !== 2 * size || !/^[0-9a-f]*$/.test(text)) {
    throw new TypeError(`${what} must be ${2 * size} lowercase hex characters`);
  }
  return fromHex(text);
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_VALUE = new Map([...B64].map((c, i) => [c, i]));
const B64_SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding, the protocol's only binary-to-text encoding. */
export function b64encode(data) {
  let out = "";
  let i = 0;
  for (; i + 2 < data.length; i += 3) {
    const n = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  if (i + 1 === data.length) {
    const n = data[i] << 16;
    out += `${B64[n >> 18]}${B64[(n >> 12) & 63]}==`;
  } else if (i + 2 === data.length) {
    const n = (data[i] << 16) | (data[i + 1] << 8);
    out += `${B64[n >> 18]}${B64[(n >> 12) & 63]}${B64[(n >> 6) & 63]}=`;
  }
  return out;
}

/**
 * Decode canonical standard base64 (padding required, no whitespace, zero spare bits);
 * with `size`, exactly that many bytes. Throws TypeError naming `what` otherwise.
 */
export function b64decode(text, what, size = null) {
  if (typeof text !== "string") throw new TypeError(`${what} must be a base64 string, got ${typeName(text)}`);
  if (!B64_SHAPE.test(text)) throw new TypeError(`${what} is not valid base64`);
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n =
      (B64_VALUE.get(text[i]) << 18) |
      (B64_VALUE.get(text[i + 1]) << 12) |
      ((B64_VALUE.get(text[i + 2]) ?? 0) << 6) |
      (B64_VALUE.get(text[i + 3]) ?? 0);
    if (at < out.length) out[at++] = n >> 16;
    if (at < out.length) out[at++] = (n >> 8) & 255;
    if (at < out.length) out[at++] = n & 255;
  }
  if (b64encode(out) !== text) throw new TypeError(`${what} is not canonical base64`);
  if (size !== null && out.length !== size) throw new TypeError(`${what} must be ${size} bytes, got ${out.length}`);
  return out;
}
