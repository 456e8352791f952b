// Pedersen commitments on ristretto255, their range proofs and the leader's roll-up
// proof: the verifier side of sdk/zk (_group.py, _transcript.py, _wire.py, _pedersen.py,
// _rangeproof.py, _rollup.py, _scale.py), byte for byte, failing with the same sdk.Step
// (commitment.*, rangeproof.*, rollup.*) in the same order. docs/commitments.md §3–6 is
// the specification; this file only verifies (the browser never proves).
//
// Group arithmetic is @noble/curves' ristretto255: points are decoded with RFC 9496's
// canonical decoding (plus the two refusals sdk/zk/_group.py adds: the identity and bit
// 255 set), and computed on the Edwards representatives underneath (ed25519 extended
// points, the same group law; a result is encoded through ristretto255 again). Every
// input here is public, so the variable-time multiplications are used.
//
// Cost (docs/commitments.md §7, bench/bench_web.py). A range proof needs the 112 first
// messages A0_j = s0_j·H − e0_j·C_j and A1_j = s1_j·H − e1_j·C_j + e1_j·G one by one,
// because the transcript hashes each. The fixed bases G and H use noble's precomputed
// windows; the two variable-base products of each C_j share one chain of doublings:
// C_j, 2^64·C_j, 2^128·C_j and 2^192·C_j are computed once and each scalar is split into
// four 64-bit digits for noble's interleaved multi-scalar multiplication (Straus), so the
// walk is 64 doublings instead of 252. The roll-up equation is one multi-scalar
// multiplication over all its points, noble's Straus too: its quantities are below 2^64,
// so their digit strings are short, while Pippenger's buckets cost the same for every
// scalar size (measured: Straus 2.4x faster at 1,024 lines, 4.5x at 32).

import { ristretto255, ristretto255_hasher, ed25519 } from "@noble/curves/ed25519.js";
import { interleavedMSMUnsafe, mulAddUnsafe } from "@noble/curves/abstract/curve.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { b64decode, bytesEqual, concat, sha256, utf8 } from "./bytes.js";
import { VerificationError } from "./errors.js";
import { Step } from "./steps.js";
import { JsonFloat, isObject, parseDecimal, show } from "./values.js";

/** The order of ristretto255, 2^252 + 27742317777372353535851937790883648493 (sdk.zk L). */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
export const POINT_SIZE = 32;
export const SCALAR_SIZE = 32;
/** The published string whose SHA-512 the one-way map sends to the generator H. */
export const H_DOMAIN_TAG = "tanji.pedersen.v1.H";
/** Range proofs show a committed value is in [0, 2^RANGE_BITS). */
export const RANGE_BITS = 56;
export const RANGE_PROOF_TYPE = "tanji.rangeproof.v1";
const BIT_SIZE = POINT_SIZE + 3 * SCALAR_SIZE;
/** context digest ‖ e ‖ 56 × (C_j ‖ e0_j ‖ s0_j ‖ s1_j): 7,232 bytes. */
export const RANGE_PROOF_SIZE = 32 + SCALAR_SIZE + RANGE_BITS * BIT_SIZE;
export const ROLLUP_TYPE = "tanji.rollup.v1";
/** At most 4,096 lines (the soundness bound, docs/commitments.md §5). */
export const MAX_LINES = 4096;
/** Quantities are in [1, 2^64) millionths; totals in [0, 2^128) micrograms. */
export const MAX_QUANTITY = 2n ** 64n;
export const MAX_TOTAL = 2n ** 128n;
/** Micrograms per kilogram: the declared total's scale (sdk TOTAL_SCALE). */
export const TOTAL_SCALE = 1_000_000_000n;
export const TRANSCRIPT_DOMAIN = "tanji.transcript.v1";

const RISTRETTO = ristretto255.Point;
const EDWARDS = ed25519.Point;
const RANGE_CONTEXT_TAG = utf8("tanji.rangeproof.context.v1\0");
const OWN_CONTEXT_TAG = utf8("tanji.rollup.own.v1\0");
const MAX_REF = 256;
const MAX_UINT_DIGITS = 80;
const UINT = /^(?:0|[1-9][0-9]*)$/;
const LOWER_HEX = /^[0-9a-f]*$/;
const ASCII = /^[\x00-\x7f]*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const fail = (step, reason) => {
  throw new VerificationError(step, reason);
};

// --- scalars and points -----------------------------------------------------------------

/** A little-endian byte string as a non-negative bigint. */
function leToBigInt(bytes) {
  let hex = "";
  for (let i = bytes.length - 1; i >= 0; i--) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
  return hex === "" ? 0n : BigInt(`0x${hex}`);
}

/** `n` (0 <= n < 2^(8·size)) as `size` bytes little-endian. */
function bigIntToLe(n, size) {
  const out = new Uint8Array(size);
  let x = n;
  for (let i = 0; i < size; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

const mod = (k) => ((k % L) + L) % L;

/** The Edwards representative of a ristretto255 element, and back to its encoding. */
const encode = (ep) => new RISTRETTO(ep).toBytes();
const sameElement = (a, b) => new RISTRETTO(a).equals(new RISTRETTO(b));

/**
 * A group element from its wire encoding: exactly 32 bytes, not the identity, bit 255
 * clear, and the canonical RFC 9496 encoding of an element (sdk decode_point). Returns
 * {bytes, ep}; throws VerificationError at `step`.
 */
export function decodePoint(data, step) {
  if (data.length !== POINT_SIZE) fail(step, `a point is ${POINT_SIZE} bytes, got ${data.length}`);
  if (data.every((b) => b === 0)) fail(step, "the identity element is not accepted");
  if (data[31] & 0x80) fail(step, "not a canonical encoding (bit 255 is set)");
  let point;
  try {
    point = RISTRETTO.fromBytes(data);
  } catch {
    fail(step, "not the canonical encoding of a ristretto255 group element");
  }
  return Object.freeze({ bytes: Uint8Array.from(data), ep: point.ep });
}

/** A canonical scalar: 32 bytes little-endian, below L (sdk decode_scalar). */
export function decodeScalar(data, step) {
  if (data.length !== SCALAR_SIZE) fail(step, `a scalar is ${SCALAR_SIZE} bytes, got ${data.length}`);
  const k = leToBigInt(data);
  if (k >= L) fail(step, "scalar is not reduced modulo the group order (non-canonical)");
  return k;
}

// Generators: G the base point, H = the one-way map (RFC 9496 §4.3.4, libsodium's
// crypto_core_ristretto255_from_hash) of SHA-512("tanji.pedersen.v1.H"). Fresh Edwards
// objects of their own, so their precomputed windows are this module's (noble keeps
// tables per point object).
const H_POINT = ristretto255_hasher.deriveToCurve(sha512(utf8(H_DOMAIN_TAG)));
export const G_BYTES = RISTRETTO.BASE.toBytes();
export const H_BYTES = H_POINT.toBytes();
const G_EP = EDWARDS.fromAffine(RISTRETTO.BASE.ep.toAffine());
const H_EP = EDWARDS.fromAffine(H_POINT.ep.toAffine());
G_EP.precompute(8);
H_EP.precompute(8);

// --- the transcript (sdk/zk/_transcript.py) ---------------------------------------------

const u64 = (n) => bigIntToLe(BigInt(n), 8);
const frame = (tag, label, data) => {
  const l = utf8(label);
  return concat(utf8(tag), u64(l.length), l, u64(data.length), data);
};

/** Merlin-style Fiat–Shamir transcript over one running SHA-512 (docs/commitments.md §4). */
export class Transcript {
  constructor(protocol) {
    this.h = sha512.create();
    this.h.update(frame("D", TRANSCRIPT_DOMAIN, utf8(protocol)));
  }

  /** Absorb `data` (bytes) under `label`. */
  append(label, data) {
    this.h.update(frame("A", label, data));
  }

  /** A scalar from everything absorbed so far (hashed on a copy), then absorbed itself. */
  challenge(label) {
    const h = this.h.clone();
    h.update(frame("C", label, new Uint8Array(0)));
    const digest = h.digest();
    this.append(label, digest);
    return leToBigInt(digest) % L;
  }
}

// --- strict wire readers (sdk/zk/_wire.py) ----------------------------------------------

function checkKeys(obj, keys, step, what) {
  if (!isObject(obj)) fail(step, `${what} must be a JSON object`);
  const got = Object.keys(obj);
  const missing = keys.filter((k) => !got.includes(k)).sort();
  const extra = got.filter((k) => !keys.includes(k)).sort();
  if (missing.length || extra.length) fail(step, `${what}: missing [${missing}], unexpected [${extra}]`);
  return obj;
}

function readHex(value, size, step, what) {
  if (typeof value !== "string" || value.length !== 2 * size || !LOWER_HEX.test(value)) {
    fail(step, `${what} must be ${2 * size} lowercase hex digits`);
  }
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = parseInt(value.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function readUint(value, limit, step, what) {
  if (typeof value !== "string" || value.length > MAX_UINT_DIGITS || !UINT.test(value)) {
    fail(step, `${what} must be a decimal integer string without leading zeros`);
  }
  const n = BigInt(value);
  if (n >= limit) fail(step, `${what} must be below ${limit}`);
  return n;
}

function readBase64(value, step, what) {
  if (typeof value !== "string" || !ASCII.test(value)) fail(step, `${what} must be a base64 string`);
  try {
    return b64decode(value, what);
  } catch (err) {
    if (err instanceof TypeError) fail(step, err.message);
    throw err;
  }
}

// --- commitments (sdk/zk/_pedersen.py) --------------------------------------------------

/** A commitment's wire form: 64 lowercase hex of a canonical, non-identity element.
 * Returns {bytes, ep}; throws VerificationError at `step` (commitment.point). */
export function parseCommitment(value, step = Step.COMMITMENT_POINT) {
  return decodePoint(readHex(value, 32, step, "commitment"), step);
}

// --- range proofs (sdk/zk/_rangeproof.py) -----------------------------------------------

/** SHA-256("tanji.rangeproof.context.v1" ‖ 0x00 ‖ context): what a proof is bound to. */
export function rangeContextDigest(context) {
  return sha256(concat(RANGE_CONTEXT_TAG, context));
}

/** Parse the 7,232-byte binary form: rangeproof.schema (length), then the challenge and,
 * bit by bit, C_j (rangeproof.point) and e0_j, s0_j, s1_j (rangeproof.scalar). */
export function rangeProofFromBytes(data) {
  if (!(data instanceof Uint8Array) || data.length !== RANGE_PROOF_SIZE) {
    fail(Step.RANGEPROOF_SCHEMA, `a range proof is ${RANGE_PROOF_SIZE} bytes, got ${data?.length ?? "?"}`);
  }
  const challenge = decodeScalar(data.subarray(32, 64), Step.RANGEPROOF_SCALAR);
  const bits = [];
  for (let j = 0; j < RANGE_BITS; j++) {
    const at = 64 + j * BIT_SIZE;
    const commitment = decodePoint(data.subarray(at, at + 32), Step.RANGEPROOF_POINT);
    const [e0, s0, s1] = [32, 64, 96].map((i) => decodeScalar(data.subarray(at + i, at + i + 32), Step.RANGEPROOF_SCALAR));
    bits.push({ commitment, e0, s0, s1 });
  }
  return Object.freeze({ contextDigest: data.slice(0, 32), challenge, bits, bytes: data });
}

const isRangeBits = (bits) =>
  // Python compares `bits != 56` (a bool refused first): a float 56.0 equals 56.
  (typeof bits === "number" && bits === RANGE_BITS) || (bits instanceof JsonFloat && Number(bits.text) === RANGE_BITS);

/** Parse {"type": "tanji.rangeproof.v1", "bits": 56, "proof": base64} strictly. */
export function parseRangeProof(obj) {
  const m = checkKeys(obj, ["type", "bits", "proof"], Step.RANGEPROOF_SCHEMA, "range proof");
  if (m.type !== RANGE_PROOF_TYPE) fail(Step.RANGEPROOF_SCHEMA, `type must be '${RANGE_PROOF_TYPE}'`);
  if (!isRangeBits(m.bits)) fail(Step.RANGEPROOF_SCHEMA, `bits must be ${RANGE_BITS}`);
  return rangeProofFromBytes(readBase64(m.proof, Step.RANGEPROOF_SCHEMA, "proof"));
}

function rangeTranscript(digest, commitment, bits) {
  const t = new Transcript(RANGE_PROOF_TYPE);
  t.append("context", digest);
  t.append("G", G_BYTES);
  t.append("H", H_BYTES);
  t.append("bits", u64(RANGE_BITS));
  t.append("commitment", commitment.bytes);
  for (const b of bits) t.append("bit", b.commitment.bytes);
  return t;
}

const DIGIT_BITS = 64n;
const DIGIT_MASK = (1n << DIGIT_BITS) - 1n;
const digits = (k) => [k & DIGIT_MASK, (k >> 64n) & DIGIT_MASK, (k >> 128n) & DIGIT_MASK, k >> 192n];

/** e0·C and e1·C for one point C, with one shared chain of doublings (module comment). */
function twoProducts(ep, e0, e1) {
  const shifted = [ep];
  let p = ep;
  for (let k = 1; k < 4; k++) {
    for (let i = 0n; i < DIGIT_BITS; i++) p = p.double();
    shifted.push(p);
  }
  const msm = interleavedMSMUnsafe(EDWARDS, shifted, 4);
  return [msm(digits(e0)), msm(digits(e1))];
}

/**
 * Check that `commitment` ({bytes, ep}) opens to a value in [0, 2^56), bound to
 * `context` (bytes). Steps, in order: rangeproof.transcript (made for another context),
 * rangeproof.sum (Σ 2^j·C_j ≠ C), rangeproof.bit (the challenge does not recompute).
 */
export function verifyRange(commitment, proof, context) {
  // 1. Transcript binding (a diagnostic: the challenge in step 3 binds it anyway).
  if (!bytesEqual(proof.contextDigest, rangeContextDigest(context))) {
    fail(Step.RANGEPROOF_TRANSCRIPT, "the proof was made for another context (statement)");
  }
  // 2. Bit-sum relation, Horner: ((C_{k-1})·2 + C_{k-2})·2 + … + C_0.
  const bits = proof.bits;
  let acc = bits[bits.length - 1].commitment.ep;
  for (let j = bits.length - 2; j >= 0; j--) acc = acc.double().add(bits[j].commitment.ep);
  if (!sameElement(acc, commitment.ep)) fail(Step.RANGEPROOF_SUM, "the bit commitments do not add up to the commitment");
  // 3. OR-proofs: recompute every first message, then the shared challenge.
  const t = rangeTranscript(proof.contextDigest, commitment, bits);
  const e = proof.challenge;
  for (const b of bits) {
    const e1 = mod(e - b.e0);
    const [x0, x1] = twoProducts(b.commitment.ep, b.e0, e1);
    t.append("a0", encode(H_EP.multiplyUnsafe(b.s0).subtract(x0)));
    t.append("a1", encode(H_EP.multiplyUnsafe(b.s1).subtract(x1).add(G_EP.multiplyUnsafe(e1))));
  }
  if (t.challenge("e") !== e) fail(Step.RANGEPROOF_BIT, "a bit proof does not verify: some C_j does not commit to 0 or 1");
}

// --- the roll-up proof (sdk/zk/_rollup.py) ----------------------------------------------

function checkRef(ref, step) {
  if (typeof ref !== "string" || !(ref.length > 0 && ref.length <= MAX_REF) || !ASCII.test(ref)) {
    fail(step, `ref must be 1..${MAX_REF} ASCII characters`);
  }
  if (!PRINTABLE_ASCII.test(ref)) fail(step, "ref must be printable");
  return ref;
}

/**
 * Parse a tanji.rollup.v1 proof strictly, in the order Python evaluates it:
 * rollup.schema (shape, type, refs, quantities), commitment.point (a line's commitment,
 * then the own term's), rangeproof.* (the own-term proof), rollup.schema (the total),
 * rollup.scalar (the blinding).
 */
export function parseRollup(obj) {
  const m = checkKeys(obj, ["type", "lines", "own", "total", "blinding"], Step.ROLLUP_SCHEMA, "roll-up proof");
  if (m.type !== ROLLUP_TYPE) fail(Step.ROLLUP_SCHEMA, `type must be '${ROLLUP_TYPE}'`);
  if (!Array.isArray(m.lines) || m.lines.length > MAX_LINES) fail(Step.ROLLUP_SCHEMA, `lines must be a list of at most ${MAX_LINES}`);
  const lines = m.lines.map((raw, i) => {
    const line = checkKeys(raw, ["ref", "quantity", "commitment"], Step.ROLLUP_SCHEMA, `line ${i}`);
    const ref = checkRef(line.ref, Step.ROLLUP_SCHEMA);
    const quantity = readUint(line.quantity, MAX_QUANTITY, Step.ROLLUP_SCHEMA, `line ${i} quantity`);
    const commitment = parseCommitment(line.commitment);
    // RollupLine's own checks, after its arguments were read.
    if (quantity === 0n) fail(Step.ROLLUP_SCHEMA, "quantity must be an int in [1, 2^64), got 0");
    return Object.freeze({ ref, quantity, commitment });
  });
  const own = checkKeys(m.own, ["commitment", "rangeProof"], Step.ROLLUP_SCHEMA, "own");
  const ownCommitment = parseCommitment(own.commitment);
  const ownRangeProof = parseRangeProof(own.rangeProof);
  const total = readUint(m.total, MAX_TOTAL, Step.ROLLUP_SCHEMA, "total");
  const blinding = decodeScalar(readHex(m.blinding, SCALAR_SIZE, Step.ROLLUP_SCALAR, "blinding"), Step.ROLLUP_SCALAR);
  return Object.freeze({ lines, own: ownCommitment, ownRangeProof, total, blinding });
}

/** The context the own-term range proof is bound to: the caller's context, every line
 * (ref, quantity, commitment) and the total, each length-framed. */
export function rollupOwnContext(context, lines, total) {
  const parts = [OWN_CONTEXT_TAG, u64(context.length), context, u64(lines.length)];
  for (const line of lines) {
    const ref = utf8(line.ref);
    parts.push(u64(ref.length), ref, u64(line.quantity), line.commitment.bytes);
  }
  parts.push(bigIntToLe(total, 16));
  return concat(...parts);
}

/**
 * Check that `declaredTotal` (bigint micrograms) ≥ Σ q_i·v_i over the proof's lines.
 * `upstream`: Map ref → the commitment ({bytes}) of the anchored statement it names;
 * `expectedLines` (the certifier, from the BOM): [[ref, bigint quantity]] or null.
 * Steps, in order: rollup.lines / rollup.quantity, rollup.upstream, rollup.total,
 * rollup.sum (T·G + r_total·H = Σ q_i·C_i + C_own), rangeproof.* (own ∈ [0, 2^56)).
 */
export function verifyRollup(proof, { upstream, declaredTotal, context, expectedLines = null }) {
  // 1. Lines as the verifier knows them (certifier: from the leader's inventory).
  if (expectedLines !== null) {
    const refs = proof.lines.map((line) => line.ref);
    const want = expectedLines.map(([ref]) => ref);
    if (refs.length !== want.length || refs.some((ref, i) => ref !== want[i])) {
      fail(Step.ROLLUP_LINES, "the proof's lines are not the BOM's lines");
    }
    proof.lines.forEach((line, i) => {
      const q = expectedLines[i][1];
      if (line.quantity !== q) fail(Step.ROLLUP_QUANTITY, `${line.ref}: quantity ${line.quantity}, the BOM says ${q}`);
    });
  }
  // 2. Each upstream commitment is the one anchored for that attestation.
  for (const line of proof.lines) {
    const anchored = upstream.get(line.ref);
    if (anchored === undefined) fail(Step.ROLLUP_UPSTREAM, `${line.ref}: no anchored statement for this ref`);
    if (!bytesEqual(anchored.bytes, line.commitment.bytes)) {
      fail(Step.ROLLUP_UPSTREAM, `${line.ref}: commitment differs from the anchored statement's`);
    }
  }
  // 3. The proof opens to the declared value.
  if (proof.total !== declaredTotal) {
    fail(Step.ROLLUP_TOTAL, `the proof opens to ${proof.total}, the declared total is ${declaredTotal}`);
  }
  // 4. C_total = Σ q_i·C_i + C_own opens to (T, r_total): one multi-scalar product
  //    Σ q_i·C_i + C_own − T·G − r_total·H, which must be the identity.
  const points = [...proof.lines.map((line) => line.commitment.ep), proof.own.ep, G_EP, H_EP];
  const scalars = [...proof.lines.map((line) => line.quantity), 1n, mod(-proof.total), mod(-proof.blinding)];
  if (!new RISTRETTO(mulAddUnsafe(EDWARDS, points, scalars)).is0()) {
    fail(Step.ROLLUP_SUM, "the declared total does not open Σ q_i·C_i + C_own (values or quantities differ)");
  }
  // 5. own ≥ 0: the range proof, bound to this roll-up.
  verifyRange(proof.own, proof.ownRangeProof, rollupOwnContext(context, proof.lines, proof.total));
}

// --- scales (sdk/zk/_scale.py) ----------------------------------------------------------

const pow10 = (n) => 10n ** BigInt(n);
// Python's decimal context for scaling carries 200 significant digits and traps Inexact.
const SCALE_PRECISION = 200;

/**
 * A declared PCF in kgCO2e (an ASCII decimal string, as the label holds it) → integer
 * micrograms rounded down (sdk scale_total). Throws VerificationError naming
 * `scale.total` (a ZkInputError step in Python) for a text that is not a decimal, or a
 * negative, too large or too long one.
 */
export function scaleTotal(text) {
  const parsed = parseDecimal(text);
  if (parsed === null) fail("scale.total", `not a decimal number: ${show(text)}`);
  const { sign, digits, exp } = parsed;
  const coefficient = digits === "" ? 0n : BigInt(digits);
  if (sign < 0 && coefficient !== 0n) fail("scale.total", `declared total must not be negative, got ${show(text)}`);
  // d >= 2^128 / 10^9  ⇔  coefficient·10^(exp+9) >= 2^128
  const shift = exp + 9n;
  const tooLarge = shift >= 0n ? coefficient * pow10(shift) >= MAX_TOTAL : coefficient >= MAX_TOTAL * pow10(-shift);
  if (tooLarge) fail("scale.total", `declared total ${text} is too large for the fixed-point range`);
  if (digits.length > SCALE_PRECISION) fail("scale.total", `declared total ${text} has too many digits`);
  return shift >= 0n ? coefficient * pow10(shift) : coefficient / pow10(-shift);
}
