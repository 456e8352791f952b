// Ed25519 signature verification with libsodium's rules (what PyNaCl, and so every
// Python verifier of Tanji, applies), so the browser accepts exactly the signatures the
// Python side accepts:
//   - S must be canonical (S < L);
//   - R and A must not be points of small order (libsodium's blocklist, any sign bit);
//   - A must be canonically encoded (y < p) and decode to a curve point;
//   - the equation is checked cofactorless: encode([S]B - [h]A) and compare it with R
//     byte for byte (a non-canonical R can therefore never verify).
// @noble/ed25519 supplies the point arithmetic; its own verify uses ZIP-215's cofactored
// equation and accepts signatures libsodium refuses.

import { Point } from "@noble/ed25519";
import { sha512 } from "@noble/hashes/sha2.js";
import { bytesEqual, concat, fromHex } from "./bytes.js";

const L = Point.CURVE().n;

// libsodium ge25519_has_small_order: y coordinates of the points of order 1, 2, 4 and 8,
// and the non-canonical encodings p and p+1, compared with the sign bit masked off.
const SMALL_ORDER = [
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0100000000000000000000000000000000000000000000000000000000000000",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
].map(fromHex);

function hasSmallOrder(s) {
  const masked = Uint8Array.from(s);
  masked[31] &= 0x7f;
  return SMALL_ORDER.some((b) => bytesEqual(b, masked));
}

function littleEndian(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

/** libsodium ge25519_is_canonical: the encoded y (sign bit masked) is below p = 2**255 - 19. */
function isCanonicalPoint(s) {
  const y = littleEndian(s) & ((1n << 255n) - 1n);
  return y < (1n << 255n) - 19n;
}

/**
 * True if `signature` (64 bytes) is a valid Ed25519 signature of `message` under
 * `publicKey` (32 bytes) by libsodium's rules (crypto_sign_verify_detached). Never throws
 * for malformed input: anything that is not a valid signature is false.
 */
export function ed25519Verify(signature, message, publicKey) {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
  const R = signature.subarray(0, 32);
  const S = littleEndian(signature.subarray(32));
  if (S >= L || hasSmallOrder(R)) return false;
  if (!isCanonicalPoint(publicKey) || hasSmallOrder(publicKey)) return false;
  let A;
  try {
    A = Point.fromBytes(publicKey, false);
  } catch {
    return false;
  }
  const h = littleEndian(sha512(concat(R, publicKey, message))) % L;
  const check = Point.BASE.multiplyUnsafe(S).subtract(A.multiplyUnsafe(h));
  return bytesEqual(check.toBytes(), R);
}
