/*! tanji-verify: Tanji's in-browser label verifier (web/src), bundled by web/build.mjs; do not edit.
 * esbuild 0.28.2; sources sha256 ae0bf723f7baae69f99212091bb2009c5f040c73ba9321be898fc0786184305c over 41 files
 * (web/src, @noble/curves 2.4.0, @noble/ed25519 3.2.0, @noble/hashes 2.4.0, the ABIs in contracts/artifacts), listed in tanji-verify.sources.txt.
 * Tanji: Apache-2.0. @noble/curves, @noble/ed25519, @noble/hashes: MIT, (c) Paul Miller (paulmillr.com). */
// web/src/errors.js
var TanjiError = class extends Error {
  constructor(message) {
    super(message);
    this.name = new.target.name;
  }
};
var CanonicalizationError = class extends TanjiError {
};
var InvalidOrgId = class extends TanjiError {
};
var JsonParseError = class extends TanjiError {
};
var VerificationError = class extends TanjiError {
  /** @param {string} step the failed step, e.g. "receipt.inclusion" @param {string} reason */
  constructor(step, reason) {
    super(`${step}: ${reason}`);
    this.step = step;
    this.reason = reason;
  }
};
var ProofError = class extends TanjiError {
};
var InclusionProofError = class extends ProofError {
};
var ConsistencyProofError = class extends ProofError {
};
var CheckpointError = class extends TanjiError {
};
var CheckpointFormatError = class extends CheckpointError {
};
var CheckpointSignatureError = class extends CheckpointError {
};
var ChainError = class extends TanjiError {
};
var ChainUnavailable = class extends ChainError {
};
var ContractReverted = class extends ChainError {
  /** @param {string} message @param {string|null} reason the custom error's name, if decoded */
  constructor(message, reason = null) {
    super(message);
    this.reason = reason;
  }
};
var AbiDecodeError = class extends ChainError {
};

// tanji-steps:tanji:steps
var STEPS = { "ARGUMENTS": "arguments", "RECEIPT_SCHEMA": "receipt.schema", "STATEMENT_SCHEMA": "statement.schema", "RECEIPT_LEAF": "receipt.leaf", "RECEIPT_CHECKPOINT": "receipt.checkpoint", "RECEIPT_ANCHOR": "receipt.anchor", "RECEIPT_INCLUSION": "receipt.inclusion", "STATEMENT_SIGNATURE": "statement.signature", "KEY_VALIDITY": "key.validity", "ISSUER_ROLE": "issuer.role", "STATEMENT_TIME": "statement.time", "DISCLOSURE_SCHEMA": "disclosure.schema", "DISCLOSURE_ATTESTATION": "disclosure.attestation", "DISCLOSURE_COUNT": "disclosure.count", "CLAIMS_DUPLICATE": "claims.duplicate", "DISCLOSURE_POINTER": "disclosure.pointer", "DISCLOSURE_PROOF": "disclosure.proof", "DISCLOSURE_COMMITMENT": "disclosure.commitment", "DISCLOSURE_ORDER": "disclosure.order", "DISCLOSURE_SUBJECT": "disclosure.subject", "GRANT_SCHEMA": "grant.schema", "GRANT": "grant", "ENVELOPE_SCHEMA": "envelope.schema", "ENVELOPE": "envelope", "CLAIMS_EMPTY": "claims.empty", "CLAIMS_COMMITMENT": "claims.commitment", "CLAIMS_SUBJECT": "claims.subject", "LABEL": "label", "ISSUER": "issuer", "LEAF": "leaf", "ANCHOR": "anchor", "SIGNATURE": "signature", "DISCLOSURE": "disclosure", "MATCH": "match", "SUPERSEDED": "superseded", "INDEPENDENCE": "independence", "UPSTREAM_LEAF": "upstream.leaf", "UPSTREAM_ANCHOR": "upstream.anchor", "UPSTREAM_SIGNATURE": "upstream.signature", "UPSTREAM_DISCLOSURE": "upstream.disclosure", "ROLLUP": "rollup", "ROLLUP_INVENTORY": "rollup.inventory", "ROLLUP_LINEAGE": "rollup.lineage", "ROLLUP_FACTORS": "rollup.factors", "ROLLUP_RECOMPUTE": "rollup.recompute", "FOOTPRINT_RECOMPUTE": "footprint.recompute", "METER_CITATION": "meter.citation", "METER_BATCH": "meter.batch", "METER_REGISTRATION": "meter.registration", "METER_SIGNATURE": "meter.signature", "METER_CALIBRATION": "meter.calibration", "METER_MONOTONIC": "meter.monotonic", "METER_PERIOD": "meter.period", "METER_ACTIVITY": "meter.activity", "ETS_FACILITY": "ets.facility", "ETS_YEAR": "ets.year", "ETS_CONSISTENCY": "ets.consistency", "ETS_ELECTRICITY": "ets.electricity", "ETS_EMISSIONS": "ets.emissions", "ETS_GRID_FACTOR": "ets.grid_factor", "ETS_FACTOR_YEAR": "ets.factor_year", "ETS_DATA": "ets.data", "COMMITMENT_POINT": "commitment.point", "COMMITMENT_OPENING": "commitment.opening", "RANGEPROOF_SCHEMA": "rangeproof.schema", "RANGEPROOF_POINT": "rangeproof.point", "RANGEPROOF_SCALAR": "rangeproof.scalar", "RANGEPROOF_TRANSCRIPT": "rangeproof.transcript", "RANGEPROOF_SUM": "rangeproof.sum", "RANGEPROOF_BIT": "rangeproof.bit", "RANGEPROOF_DIGEST": "rangeproof.digest", "ROLLUP_SCHEMA": "rollup.schema", "ROLLUP_SCALAR": "rollup.scalar", "ROLLUP_LINES": "rollup.lines", "ROLLUP_QUANTITY": "rollup.quantity", "ROLLUP_UPSTREAM": "rollup.upstream", "ROLLUP_TOTAL": "rollup.total", "ROLLUP_SUM": "rollup.sum", "ROLLUP_COMMITMENTS": "rollup.commitments", "FACTORSET_FETCH": "factorset.fetch", "FACTORSET_LEAF": "factorset.leaf", "FACTORSET_ISSUER": "factorset.issuer", "FACTORSET_ANCHOR": "factorset.anchor", "FACTORSET_SIGNATURE": "factorset.signature", "FACTORSET_DISCLOSURE": "factorset.disclosure", "FACTORSET_DOCUMENT": "factorset.document" };

// web/src/steps.js
var Step = Object.freeze({ ...STEPS });

// web/src/values.js
var JsonFloat = class {
  /** @param {string} text the number as written */
  constructor(text) {
    this.text = text;
    Object.freeze(this);
  }
  toString() {
    return this.text;
  }
};
function isInt(value) {
  return typeof value === "number" && Number.isInteger(value) || typeof value === "bigint";
}
function isUint(value) {
  return isInt(value) && value >= 0;
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof JsonFloat) && !(value instanceof Uint8Array);
}
function typeName(value) {
  if (value === null || value === void 0) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (value instanceof JsonFloat) return "float";
  if (value instanceof Uint8Array) return "bytes";
  if (typeof value === "bigint") return "int";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "string") return "str";
  if (typeof value === "object") return "dict";
  return typeof value;
}
function show(value) {
  if (typeof value === "string") return `'${value}'`;
  if (value === null || value === void 0) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  return String(value);
}
var DECIMAL = /^-?[0-9]+(?:\.[0-9]+)?$/;
function parseDecimal(text) {
  if (typeof text !== "string" || !DECIMAL.test(text)) return null;
  const s = text;
  const sign = s[0] === "-" ? -1 : 1;
  const body = s.replace(/^[+-]/, "");
  const [mantissa, exponent = "0"] = body.split(/[eE]/);
  const [whole, fraction = ""] = mantissa.split(".");
  let digits2 = (whole + fraction).replace(/^0+/, "");
  let exp = BigInt(exponent) - BigInt(fraction.length);
  if (digits2 === "") return { sign: 1, digits: "", exp: 0n };
  const trailing = digits2.length - digits2.replace(/0+$/, "").length;
  digits2 = digits2.slice(0, digits2.length - trailing);
  exp += BigInt(trailing);
  return { sign, digits: digits2, exp };
}
function decimalEqual(a, b) {
  return a.sign === b.sign && a.digits === b.digits && a.exp === b.exp;
}

// web/node_modules/@noble/hashes/_u64.js
var U32_MASK64 = /* @__PURE__ */ (() => BigInt(2 ** 32 - 1))();
var _32n = /* @__PURE__ */ BigInt(32);
function fromBig(n, le = false) {
  if (le)
    return { h: Number(n & U32_MASK64), l: Number(n >> _32n & U32_MASK64) };
  return { h: Number(n >> _32n & U32_MASK64) | 0, l: Number(n & U32_MASK64) | 0 };
}
function split(lst, le = false) {
  const len = lst.length;
  let Ah = new Uint32Array(len);
  let Al = new Uint32Array(len);
  for (let i = 0; i < len; i++) {
    const { h, l } = fromBig(lst[i], le);
    [Ah[i], Al[i]] = [h, l];
  }
  return [Ah, Al];
}
var fromNumH = (n) => n / 2 ** 32 | 0;
var fromNumL = (n) => n >>> 0;
function setU64FromNum(view, byteOffset, n, isLE2) {
  const h = fromNumH(n);
  const l = fromNumL(n);
  view.setUint32(byteOffset, isLE2 ? l : h, isLE2);
  view.setUint32(byteOffset + 4, isLE2 ? h : l, isLE2);
}
var shrSH = (h, _l, s) => h >>> s;
var shrSL = (h, l, s) => h << 32 - s | l >>> s;
var rotrSH = (h, l, s) => h >>> s | l << 32 - s;
var rotrSL = (h, l, s) => h << 32 - s | l >>> s;
var rotrBH = (h, l, s) => h << 64 - s | l >>> s - 32;
var rotrBL = (h, l, s) => h >>> s - 32 | l << 64 - s;
function add(Ah, Al, Bh, Bl) {
  const l = (Al >>> 0) + (Bl >>> 0);
  return { h: Ah + Bh + (l / 2 ** 32 | 0) | 0, l: l | 0 };
}
var add3L = (Al, Bl, Cl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0);
var add3H = (low, Ah, Bh, Ch) => Ah + Bh + Ch + (low / 2 ** 32 | 0) | 0;
var add4L = (Al, Bl, Cl, Dl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0);
var add4H = (low, Ah, Bh, Ch, Dh) => Ah + Bh + Ch + Dh + (low / 2 ** 32 | 0) | 0;
var add5L = (Al, Bl, Cl, Dl, El) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0) + (El >>> 0);
var add5H = (low, Ah, Bh, Ch, Dh, Eh) => Ah + Bh + Ch + Dh + Eh + (low / 2 ** 32 | 0) | 0;

// web/node_modules/@noble/hashes/utils.js
function isBytes(a) {
  return a instanceof Uint8Array || ArrayBuffer.isView(a) && a.constructor.name === "Uint8Array" && "BYTES_PER_ELEMENT" in a && a.BYTES_PER_ELEMENT === 1;
}
var atitle = (title) => title ? `"${title}" ` : "";
function anumber(n, title = "") {
  if (typeof n !== "number")
    throw new TypeError(atitle(title) + "expected number, got " + typeof n);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(atitle(title) + "expected integer >= 0, got " + n);
  return n;
}
function abool(value, title = "") {
  if (typeof value !== "boolean")
    throw new TypeError(atitle(title) + "expected boolean, got type=" + typeof value);
  return value;
}
function abytes(value, length, title = "") {
  if (isBytes(value) && (length === void 0 || value.length === length))
    return value;
  if (length !== void 0)
    anumber(length, "length");
  const bytes = isBytes(value);
  const ofLen = length !== void 0 ? ` of length ${length}` : "";
  const got = bytes ? `length=${value.length}` : `type=${typeof value}`;
  const message = atitle(title) + "expected Uint8Array" + ofLen + ", got " + got;
  if (!bytes)
    throw new TypeError(message);
  throw new RangeError(message);
}
var aobject = (value, label) => {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new TypeError((label === "object" ? "" : `"${label}" `) + "expected object, got type=" + typeof value);
};
var aopts = (value, label) => {
  aobject(value, label);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null)
    throw new TypeError(`"${label}" expected plain object`);
  if (Object.hasOwn(value, "__proto__"))
    throw new TypeError(`"${label}.__proto__" is not allowed`);
};
function aexists(instance, checkFinished = true) {
  if (instance.destroyed)
    throw new Error("hash was destroyed");
  if (checkFinished && instance.finished)
    throw new Error("digest() was already called");
}
function aoutput(out, instance) {
  abytes(out, void 0, "output");
  const min = instance.outputLen;
  if (!(out.length >= min)) {
    throw new RangeError('"output" expected length >= ' + min);
  }
}
function u32(arr) {
  return new Uint32Array(arr.buffer, arr.byteOffset, Math.floor(arr.byteLength / 4));
}
function clean(...arrays) {
  for (let i = 0; i < arrays.length; i++) {
    arrays[i].fill(0);
  }
}
function createView(arr) {
  return new DataView(arr.buffer, arr.byteOffset, arr.byteLength);
}
function rotr(word, shift) {
  return word << 32 - shift | word >>> shift;
}
var isLE = /* @__PURE__ */ (() => new Uint8Array(new Uint32Array([287454020]).buffer)[0] === 68)();
function byteSwap(word) {
  return word << 24 & 4278190080 | word << 8 & 16711680 | word >>> 8 & 65280 | word >>> 24 & 255;
}
function byteSwap32(arr) {
  for (let i = 0; i < arr.length; i++) {
    arr[i] = byteSwap(arr[i]);
  }
  return arr;
}
var swap32IfBE = isLE ? (u) => u : byteSwap32;
var hasHexBuiltin = /* @__PURE__ */ (() => (
  // @ts-ignore
  typeof Uint8Array.from([]).toHex === "function" && typeof Uint8Array.fromHex === "function"
))();
var hexes = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
function bytesToHex(bytes) {
  abytes(bytes);
  if (hasHexBuiltin)
    return bytes.toHex();
  let hex = "";
  for (let i = 0; i < bytes.length; i++) {
    hex += hexes[bytes[i]];
  }
  return hex;
}
function asciiToBase16(ch) {
  return ch >= 48 && ch <= 57 ? ch - 48 : ch >= 65 && ch <= 70 ? ch - (65 - 10) : ch >= 97 && ch <= 102 ? ch - (97 - 10) : void 0;
}
function hexToBytes(hex) {
  if (typeof hex !== "string")
    throw new TypeError("hex string expected, got " + typeof hex);
  if (hasHexBuiltin) {
    try {
      return Uint8Array.fromHex(hex);
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new RangeError(error.message);
      throw error;
    }
  }
  const hl = hex.length;
  const al = hl / 2;
  if (hl % 2)
    throw new RangeError("hex string expected, got unpadded hex of length " + hl);
  const array = new Uint8Array(al);
  for (let ai = 0, hi = 0; ai < al; ai++, hi += 2) {
    const n1 = asciiToBase16(hex.charCodeAt(hi));
    const n2 = asciiToBase16(hex.charCodeAt(hi + 1));
    if (n1 === void 0 || n2 === void 0) {
      const char = hex[hi] + hex[hi + 1];
      throw new RangeError('hex string expected, got non-hex character "' + char + '" at index ' + hi);
    }
    array[ai] = n1 * 16 + n2;
  }
  return array;
}
function concatBytes(...arrays) {
  let sum = 0;
  for (let i = 0; i < arrays.length; i++) {
    const a = arrays[i];
    abytes(a);
    sum += a.length;
  }
  const res = new Uint8Array(sum);
  for (let i = 0, pad = 0; i < arrays.length; i++) {
    const a = arrays[i];
    res.set(a, pad);
    pad += a.length;
  }
  return res;
}
function checkOpts(defaults, opts, title = "opts") {
  aopts(defaults, "defaults");
  if (opts !== void 0)
    aopts(opts, title);
  const merged = Object.assign(/* @__PURE__ */ Object.create(null), defaults, opts);
  return merged;
}
function createHasher(hashCons, info = {}) {
  if (typeof hashCons !== "function")
    throw new TypeError('"hashCons" expected function, got type=' + typeof hashCons);
  info = checkOpts({}, info, "info");
  const hashC = (msg, opts) => hashCons(opts).update(msg).digest();
  const tmp = hashCons(void 0);
  hashC.outputLen = tmp.outputLen;
  hashC.blockLen = tmp.blockLen;
  hashC.canXOF = tmp.canXOF;
  hashC.create = (opts) => hashCons(opts);
  Object.assign(hashC, info);
  return Object.freeze(hashC);
}
function randomBytes(bytesLength = 32) {
  anumber(bytesLength, "bytesLength");
  const cr = typeof globalThis === "object" ? globalThis.crypto : null;
  if (typeof cr?.getRandomValues !== "function")
    throw new Error("crypto.getRandomValues must be defined");
  if (bytesLength > 65536)
    throw new RangeError(`"bytesLength" expected <= 65536, got ${bytesLength}`);
  return cr.getRandomValues(new Uint8Array(bytesLength));
}
var oidNist = (suffix) => ({
  // Current NIST hashAlgs suffixes used here fit in one DER subidentifier octet.
  // Larger suffix values would need base-128 OID encoding and a different length byte.
  oid: Uint8Array.from([6, 9, 96, 134, 72, 1, 101, 3, 4, 2, suffix])
});

// web/node_modules/@noble/hashes/_md.js
function Chi(a, b, c) {
  return a & b ^ ~a & c;
}
function Maj(a, b, c) {
  return a & b ^ a & c ^ b & c;
}
var HashMD = class {
  blockLen;
  outputLen;
  canXOF = false;
  padOffset;
  isLE;
  // For partial updates less than block size
  buffer;
  view;
  finished = false;
  length = 0;
  pos = 0;
  destroyed = false;
  constructor(blockLen, outputLen, padOffset, isLE2) {
    this.blockLen = blockLen;
    this.outputLen = outputLen;
    this.padOffset = padOffset;
    this.isLE = isLE2;
    this.buffer = new Uint8Array(blockLen);
    this.view = createView(this.buffer);
  }
  update(data) {
    aexists(this);
    abytes(data);
    const { view, buffer, blockLen } = this;
    const len = data.length;
    let processed = false;
    for (let pos = 0; pos < len; ) {
      const take = Math.min(blockLen - this.pos, len - pos);
      if (take === blockLen) {
        const dataView = createView(data);
        for (; blockLen <= len - pos; pos += blockLen)
          this.process(dataView, pos);
        processed = true;
        continue;
      }
      buffer.set(pos === 0 && take === len ? data : data.subarray(pos, pos + take), this.pos);
      this.pos += take;
      pos += take;
      if (this.pos === blockLen) {
        this.process(view, 0);
        this.pos = 0;
        processed = true;
      }
    }
    this.length += data.length;
    if (processed)
      this.roundClean();
    return this;
  }
  digestInto(out) {
    aexists(this);
    aoutput(out, this);
    this.finished = true;
    const { buffer, view, blockLen, isLE: isLE2 } = this;
    let { pos } = this;
    buffer[pos++] = 128;
    buffer.fill(0, pos);
    if (this.padOffset > blockLen - pos) {
      this.process(view, 0);
      buffer.fill(0);
    }
    setU64FromNum(view, blockLen - 8, this.length * 8, isLE2);
    this.process(view, 0);
    this.roundClean();
    const oview = out === buffer ? view : createView(out);
    const len = this.outputLen;
    const outLen = len / 4;
    const state = this.get();
    if (len % 4 || outLen > state.length)
      throw new Error("invalid outputLen");
    for (let i = 0; i < outLen; i++)
      oview.setUint32(4 * i, state[i], isLE2);
  }
  digest() {
    const { buffer, outputLen } = this;
    this.digestInto(buffer);
    const res = buffer.slice(0, outputLen);
    this.destroy();
    return res;
  }
  _cloneIntoMeta(to) {
    const { buffer, length, finished, destroyed, pos } = this;
    to.destroyed = destroyed;
    to.finished = finished;
    to.length = length;
    to.pos = pos;
    if (pos)
      to.buffer.set(buffer);
    return to;
  }
  clone() {
    return this._cloneInto();
  }
};
var SHA256_IV = /* @__PURE__ */ Uint32Array.from([
  1779033703,
  3144134277,
  1013904242,
  2773480762,
  1359893119,
  2600822924,
  528734635,
  1541459225
]);
var SHA512_IV = /* @__PURE__ */ Uint32Array.from([
  1779033703,
  4089235720,
  3144134277,
  2227873595,
  1013904242,
  4271175723,
  2773480762,
  1595750129,
  1359893119,
  2917565137,
  2600822924,
  725511199,
  528734635,
  4215389547,
  1541459225,
  327033209
]);

// web/node_modules/@noble/hashes/sha2.js
var SHA256_K = /* @__PURE__ */ Uint32Array.from([
  1116352408,
  1899447441,
  3049323471,
  3921009573,
  961987163,
  1508970993,
  2453635748,
  2870763221,
  3624381080,
  310598401,
  607225278,
  1426881987,
  1925078388,
  2162078206,
  2614888103,
  3248222580,
  3835390401,
  4022224774,
  264347078,
  604807628,
  770255983,
  1249150122,
  1555081692,
  1996064986,
  2554220882,
  2821834349,
  2952996808,
  3210313671,
  3336571891,
  3584528711,
  113926993,
  338241895,
  666307205,
  773529912,
  1294757372,
  1396182291,
  1695183700,
  1986661051,
  2177026350,
  2456956037,
  2730485921,
  2820302411,
  3259730800,
  3345764771,
  3516065817,
  3600352804,
  4094571909,
  275423344,
  430227734,
  506948616,
  659060556,
  883997877,
  958139571,
  1322822218,
  1537002063,
  1747873779,
  1955562222,
  2024104815,
  2227730452,
  2361852424,
  2428436474,
  2756734187,
  3204031479,
  3329325298
]);
var SHA256_W = /* @__PURE__ */ new Uint32Array(64);
var SHA2_32B = class extends HashMD {
  // We cannot use array here since array allows indexing by variable
  // which means optimizer/compiler cannot use registers.
  // Numeric initializers matter: starting the fields as `undefined` changes
  // V8's field representation and makes sha256 3x slower (measured).
  A = 0;
  B = 0;
  C = 0;
  D = 0;
  E = 0;
  F = 0;
  G = 0;
  H = 0;
  constructor(outputLen, IV) {
    super(64, outputLen, 8, false);
    this.A = IV[0] | 0;
    this.B = IV[1] | 0;
    this.C = IV[2] | 0;
    this.D = IV[3] | 0;
    this.E = IV[4] | 0;
    this.F = IV[5] | 0;
    this.G = IV[6] | 0;
    this.H = IV[7] | 0;
  }
  get() {
    const { A, B: B2, C, D, E, F, G: G2, H } = this;
    return [A, B2, C, D, E, F, G2, H];
  }
  // prettier-ignore
  set(A, B2, C, D, E, F, G2, H) {
    this.A = A | 0;
    this.B = B2 | 0;
    this.C = C | 0;
    this.D = D | 0;
    this.E = E | 0;
    this.F = F | 0;
    this.G = G2 | 0;
    this.H = H | 0;
  }
  _cloneInto(to) {
    (to ||= new this.constructor()).set(...this.get());
    return this._cloneIntoMeta(to);
  }
  process(view, offset) {
    for (let i = 0; i < 16; i++, offset += 4)
      SHA256_W[i] = view.getUint32(offset, false);
    for (let i = 16; i < 64; i++) {
      const W15 = SHA256_W[i - 15];
      const W2 = SHA256_W[i - 2];
      const s0 = rotr(W15, 7) ^ rotr(W15, 18) ^ W15 >>> 3;
      const s1 = rotr(W2, 17) ^ rotr(W2, 19) ^ W2 >>> 10;
      SHA256_W[i] = s1 + SHA256_W[i - 7] + s0 + SHA256_W[i - 16] | 0;
    }
    let { A, B: B2, C, D, E, F, G: G2, H } = this;
    for (let i = 0; i < 64; i++) {
      const sigma1 = rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25);
      const T1 = H + sigma1 + Chi(E, F, G2) + SHA256_K[i] + SHA256_W[i] | 0;
      const sigma0 = rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22);
      const T2 = sigma0 + Maj(A, B2, C) | 0;
      H = G2;
      G2 = F;
      F = E;
      E = D + T1 | 0;
      D = C;
      C = B2;
      B2 = A;
      A = T1 + T2 | 0;
    }
    A = A + this.A | 0;
    B2 = B2 + this.B | 0;
    C = C + this.C | 0;
    D = D + this.D | 0;
    E = E + this.E | 0;
    F = F + this.F | 0;
    G2 = G2 + this.G | 0;
    H = H + this.H | 0;
    this.set(A, B2, C, D, E, F, G2, H);
  }
  roundClean() {
    clean(SHA256_W);
  }
  destroy() {
    this.destroyed = true;
    this.set(0, 0, 0, 0, 0, 0, 0, 0);
    clean(this.buffer);
  }
};
var _SHA256 = class extends SHA2_32B {
  constructor() {
    super(32, SHA256_IV);
  }
};
var K512 = /* @__PURE__ */ (() => split([
  "0x428a2f98d728ae22",
  "0x7137449123ef65cd",
  "0xb5c0fbcfec4d3b2f",
  "0xe9b5dba58189dbbc",
  "0x3956c25bf348b538",
  "0x59f111f1b605d019",
  "0x923f82a4af194f9b",
  "0xab1c5ed5da6d8118",
  "0xd807aa98a3030242",
  "0x12835b0145706fbe",
  "0x243185be4ee4b28c",
  "0x550c7dc3d5ffb4e2",
  "0x72be5d74f27b896f",
  "0x80deb1fe3b1696b1",
  "0x9bdc06a725c71235",
  "0xc19bf174cf692694",
  "0xe49b69c19ef14ad2",
  "0xefbe4786384f25e3",
  "0x0fc19dc68b8cd5b5",
  "0x240ca1cc77ac9c65",
  "0x2de92c6f592b0275",
  "0x4a7484aa6ea6e483",
  "0x5cb0a9dcbd41fbd4",
  "0x76f988da831153b5",
  "0x983e5152ee66dfab",
  "0xa831c66d2db43210",
  "0xb00327c898fb213f",
  "0xbf597fc7beef0ee4",
  "0xc6e00bf33da88fc2",
  "0xd5a79147930aa725",
  "0x06ca6351e003826f",
  "0x142929670a0e6e70",
  "0x27b70a8546d22ffc",
  "0x2e1b21385c26c926",
  "0x4d2c6dfc5ac42aed",
  "0x53380d139d95b3df",
  "0x650a73548baf63de",
  "0x766a0abb3c77b2a8",
  "0x81c2c92e47edaee6",
  "0x92722c851482353b",
  "0xa2bfe8a14cf10364",
  "0xa81a664bbc423001",
  "0xc24b8b70d0f89791",
  "0xc76c51a30654be30",
  "0xd192e819d6ef5218",
  "0xd69906245565a910",
  "0xf40e35855771202a",
  "0x106aa07032bbd1b8",
  "0x19a4c116b8d2d0c8",
  "0x1e376c085141ab53",
  "0x2748774cdf8eeb99",
  "0x34b0bcb5e19b48a8",
  "0x391c0cb3c5c95a63",
  "0x4ed8aa4ae3418acb",
  "0x5b9cca4f7763e373",
  "0x682e6ff3d6b2b8a3",
  "0x748f82ee5defb2fc",
  "0x78a5636f43172f60",
  "0x84c87814a1f0ab72",
  "0x8cc702081a6439ec",
  "0x90befffa23631e28",
  "0xa4506cebde82bde9",
  "0xbef9a3f7b2c67915",
  "0xc67178f2e372532b",
  "0xca273eceea26619c",
  "0xd186b8c721c0c207",
  "0xeada7dd6cde0eb1e",
  "0xf57d4f7fee6ed178",
  "0x06f067aa72176fba",
  "0x0a637dc5a2c898a6",
  "0x113f9804bef90dae",
  "0x1b710b35131c471b",
  "0x28db77f523047d84",
  "0x32caab7b40c72493",
  "0x3c9ebe0a15c9bebc",
  "0x431d67c49c100d4c",
  "0x4cc5d4becb3e42b6",
  "0x597f299cfc657e2a",
  "0x5fcb6fab3ad6faec",
  "0x6c44198c4a475817"
].map((n) => BigInt(n))))();
var SHA512_Kh = /* @__PURE__ */ (() => K512[0])();
var SHA512_Kl = /* @__PURE__ */ (() => K512[1])();
var SHA512_W_H = /* @__PURE__ */ new Uint32Array(80);
var SHA512_W_L = /* @__PURE__ */ new Uint32Array(80);
var SHA2_64B = class extends HashMD {
  // We cannot use array here since array allows indexing by variable
  // which means optimizer/compiler cannot use registers.
  // h -- high 32 bits, l -- low 32 bits
  // Numeric initializers matter: starting the fields as `undefined` changes
  // V8's field representation and slows hashing down (measured on sha256).
  Ah = 0;
  Al = 0;
  Bh = 0;
  Bl = 0;
  Ch = 0;
  Cl = 0;
  Dh = 0;
  Dl = 0;
  Eh = 0;
  El = 0;
  Fh = 0;
  Fl = 0;
  Gh = 0;
  Gl = 0;
  Hh = 0;
  Hl = 0;
  constructor(outputLen, IV) {
    super(128, outputLen, 16, false);
    this.Ah = IV[0] | 0;
    this.Al = IV[1] | 0;
    this.Bh = IV[2] | 0;
    this.Bl = IV[3] | 0;
    this.Ch = IV[4] | 0;
    this.Cl = IV[5] | 0;
    this.Dh = IV[6] | 0;
    this.Dl = IV[7] | 0;
    this.Eh = IV[8] | 0;
    this.El = IV[9] | 0;
    this.Fh = IV[10] | 0;
    this.Fl = IV[11] | 0;
    this.Gh = IV[12] | 0;
    this.Gl = IV[13] | 0;
    this.Hh = IV[14] | 0;
    this.Hl = IV[15] | 0;
  }
  // prettier-ignore
  get() {
    const { Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl } = this;
    return [Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl];
  }
  // prettier-ignore
  set(Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl) {
    this.Ah = Ah | 0;
    this.Al = Al | 0;
    this.Bh = Bh | 0;
    this.Bl = Bl | 0;
    this.Ch = Ch | 0;
    this.Cl = Cl | 0;
    this.Dh = Dh | 0;
    this.Dl = Dl | 0;
    this.Eh = Eh | 0;
    this.El = El | 0;
    this.Fh = Fh | 0;
    this.Fl = Fl | 0;
    this.Gh = Gh | 0;
    this.Gl = Gl | 0;
    this.Hh = Hh | 0;
    this.Hl = Hl | 0;
  }
  _cloneInto(to) {
    (to ||= new this.constructor()).set(...this.get());
    return this._cloneIntoMeta(to);
  }
  process(view, offset) {
    for (let i = 0; i < 16; i++, offset += 4) {
      SHA512_W_H[i] = view.getUint32(offset);
      SHA512_W_L[i] = view.getUint32(offset += 4);
    }
    for (let i = 16; i < 80; i++) {
      const W15h = SHA512_W_H[i - 15] | 0;
      const W15l = SHA512_W_L[i - 15] | 0;
      const s0h = rotrSH(W15h, W15l, 1) ^ rotrSH(W15h, W15l, 8) ^ shrSH(W15h, W15l, 7);
      const s0l = rotrSL(W15h, W15l, 1) ^ rotrSL(W15h, W15l, 8) ^ shrSL(W15h, W15l, 7);
      const W2h = SHA512_W_H[i - 2] | 0;
      const W2l = SHA512_W_L[i - 2] | 0;
      const s1h = rotrSH(W2h, W2l, 19) ^ rotrBH(W2h, W2l, 61) ^ shrSH(W2h, W2l, 6);
      const s1l = rotrSL(W2h, W2l, 19) ^ rotrBL(W2h, W2l, 61) ^ shrSL(W2h, W2l, 6);
      const SUMl = add4L(s0l, s1l, SHA512_W_L[i - 7], SHA512_W_L[i - 16]);
      const SUMh = add4H(SUMl, s0h, s1h, SHA512_W_H[i - 7], SHA512_W_H[i - 16]);
      SHA512_W_H[i] = SUMh | 0;
      SHA512_W_L[i] = SUMl | 0;
    }
    let { Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl } = this;
    for (let i = 0; i < 80; i++) {
      const sigma1h = rotrSH(Eh, El, 14) ^ rotrSH(Eh, El, 18) ^ rotrBH(Eh, El, 41);
      const sigma1l = rotrSL(Eh, El, 14) ^ rotrSL(Eh, El, 18) ^ rotrBL(Eh, El, 41);
      const CHIh = Eh & Fh ^ ~Eh & Gh;
      const CHIl = El & Fl ^ ~El & Gl;
      const T1ll = add5L(Hl, sigma1l, CHIl, SHA512_Kl[i], SHA512_W_L[i]);
      const T1h = add5H(T1ll, Hh, sigma1h, CHIh, SHA512_Kh[i], SHA512_W_H[i]);
      const T1l = T1ll | 0;
      const sigma0h = rotrSH(Ah, Al, 28) ^ rotrBH(Ah, Al, 34) ^ rotrBH(Ah, Al, 39);
      const sigma0l = rotrSL(Ah, Al, 28) ^ rotrBL(Ah, Al, 34) ^ rotrBL(Ah, Al, 39);
      const MAJh = Ah & Bh ^ Ah & Ch ^ Bh & Ch;
      const MAJl = Al & Bl ^ Al & Cl ^ Bl & Cl;
      Hh = Gh | 0;
      Hl = Gl | 0;
      Gh = Fh | 0;
      Gl = Fl | 0;
      Fh = Eh | 0;
      Fl = El | 0;
      ({ h: Eh, l: El } = add(Dh | 0, Dl | 0, T1h | 0, T1l | 0));
      Dh = Ch | 0;
      Dl = Cl | 0;
      Ch = Bh | 0;
      Cl = Bl | 0;
      Bh = Ah | 0;
      Bl = Al | 0;
      const All = add3L(T1l, sigma0l, MAJl);
      Ah = add3H(All, T1h, sigma0h, MAJh);
      Al = All | 0;
    }
    ({ h: Ah, l: Al } = add(this.Ah | 0, this.Al | 0, Ah | 0, Al | 0));
    ({ h: Bh, l: Bl } = add(this.Bh | 0, this.Bl | 0, Bh | 0, Bl | 0));
    ({ h: Ch, l: Cl } = add(this.Ch | 0, this.Cl | 0, Ch | 0, Cl | 0));
    ({ h: Dh, l: Dl } = add(this.Dh | 0, this.Dl | 0, Dh | 0, Dl | 0));
    ({ h: Eh, l: El } = add(this.Eh | 0, this.El | 0, Eh | 0, El | 0));
    ({ h: Fh, l: Fl } = add(this.Fh | 0, this.Fl | 0, Fh | 0, Fl | 0));
    ({ h: Gh, l: Gl } = add(this.Gh | 0, this.Gl | 0, Gh | 0, Gl | 0));
    ({ h: Hh, l: Hl } = add(this.Hh | 0, this.Hl | 0, Hh | 0, Hl | 0));
    this.set(Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl);
  }
  roundClean() {
    clean(SHA512_W_H, SHA512_W_L);
  }
  destroy() {
    this.destroyed = true;
    clean(this.buffer);
    this.set(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }
};
var _SHA512 = class extends SHA2_64B {
  constructor() {
    super(64, SHA512_IV);
  }
};
var sha256 = /* @__PURE__ */ createHasher(
  () => new _SHA256(),
  /* @__PURE__ */ oidNist(1)
);
var sha512 = /* @__PURE__ */ createHasher(
  () => new _SHA512(),
  /* @__PURE__ */ oidNist(3)
);

// web/src/bytes.js
var ENCODER = new TextEncoder();
var LONE_SURROGATE = /\p{Cs}/u;
function hasLoneSurrogate(text) {
  return LONE_SURROGATE.test(text);
}
function utf8(text) {
  if (hasLoneSurrogate(text)) throw new TypeError("string holds a lone surrogate: no UTF-8 form");
  return ENCODER.encode(text);
}
function sha2562(data) {
  return sha256(data);
}
function concat(...parts) {
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
function bytesEqual(a, b) {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
var HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
function toHex(data) {
  let out = "";
  for (const b of data) out += HEX[b];
  return out;
}
function fromHex(text) {
  if (typeof text !== "string" || text.length % 2 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new TypeError("not an even-length hex string");
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
function hexDecode(text, what, size) {
  if (typeof text !== "string") throw new TypeError(`${what} must be a hex string, got ${typeName(text)}`);
  if (text.length !== 2 * size || !/^[0-9a-f]*$/.test(text)) {
    throw new TypeError(`${what} must be ${2 * size} lowercase hex characters`);
  }
  return fromHex(text);
}
var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
var B64_VALUE = new Map([...B64].map((c, i) => [c, i]));
var B64_SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function b64encode(data) {
  let out = "";
  let i = 0;
  for (; i + 2 < data.length; i += 3) {
    const n = data[i] << 16 | data[i + 1] << 8 | data[i + 2];
    out += B64[n >> 18] + B64[n >> 12 & 63] + B64[n >> 6 & 63] + B64[n & 63];
  }
  if (i + 1 === data.length) {
    const n = data[i] << 16;
    out += `${B64[n >> 18]}${B64[n >> 12 & 63]}==`;
  } else if (i + 2 === data.length) {
    const n = data[i] << 16 | data[i + 1] << 8;
    out += `${B64[n >> 18]}${B64[n >> 12 & 63]}${B64[n >> 6 & 63]}=`;
  }
  return out;
}
function b64decode(text, what, size = null) {
  if (typeof text !== "string") throw new TypeError(`${what} must be a base64 string, got ${typeName(text)}`);
  if (!B64_SHAPE.test(text)) throw new TypeError(`${what} is not valid base64`);
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array(text.length / 4 * 3 - pad);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n = B64_VALUE.get(text[i]) << 18 | B64_VALUE.get(text[i + 1]) << 12 | (B64_VALUE.get(text[i + 2]) ?? 0) << 6 | (B64_VALUE.get(text[i + 3]) ?? 0);
    if (at < out.length) out[at++] = n >> 16;
    if (at < out.length) out[at++] = n >> 8 & 255;
    if (at < out.length) out[at++] = n & 255;
  }
  if (b64encode(out) !== text) throw new TypeError(`${what} is not canonical base64`);
  if (size !== null && out.length !== size) throw new TypeError(`${what} must be ${size} bytes, got ${out.length}`);
  return out;
}

// web/src/json.js
var CLAIM_TAG = "tanji.claim.v1";
var STATEMENT_TAG = "tanji.statement.v1";
var KEYID_TAG = "tanji.keyid.v1";
var DISCLOSURE_TAG = "tanji.disclosure.v1";
var MAX_DEPTH = 64;
var MAX_PARSE_DEPTH = 900;
var INT_LIMIT = 2n ** 53n;
var NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
var WS = /[ \t\n\r]*/y;
var ESCAPES = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "	" };
function parseJson(text, { strict = false, what = "JSON" } = {}) {
  if (typeof text !== "string") throw new JsonParseError(`${what}: not text`);
  let pos = 0;
  const fail2 = (message) => {
    throw new JsonParseError(`${what}: ${message} at character ${pos}`);
  };
  const skip = () => {
    WS.lastIndex = pos;
    WS.exec(text);
    pos = WS.lastIndex;
  };
  const literal = (word, value2) => {
    if (text.startsWith(word, pos)) {
      pos += word.length;
      return value2;
    }
    return void 0;
  };
  const constant = (word) => {
    if (strict) fail2(`${word} is not JSON`);
    return new JsonFloat(word);
  };
  function string() {
    pos++;
    let out = "";
    let start = pos;
    for (; ; ) {
      if (pos >= text.length) fail2("unterminated string");
      const c = text.charCodeAt(pos);
      if (c === 34) {
        out += text.slice(start, pos);
        pos++;
        return out;
      }
      if (c < 32) fail2("invalid control character in string");
      if (c === 92) {
        out += text.slice(start, pos);
        const e = text[pos + 1];
        if (e === "u") {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail2("invalid \\uXXXX escape");
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else if (e !== void 0 && Object.hasOwn(ESCAPES, e)) {
          out += ESCAPES[e];
          pos += 2;
        } else {
          fail2("invalid escape");
        }
        start = pos;
      } else {
        pos++;
      }
    }
  }
  function value(depth) {
    skip();
    if (depth > MAX_PARSE_DEPTH) fail2("nested too deeply");
    const c = text[pos];
    if (c === "{") {
      pos++;
      const obj = /* @__PURE__ */ Object.create(null);
      skip();
      if (text[pos] === "}") {
        pos++;
        return obj;
      }
      for (; ; ) {
        skip();
        if (text[pos] !== '"') fail2("expecting property name enclosed in double quotes");
        const key = string();
        skip();
        if (text[pos] !== ":") fail2("expecting ':' delimiter");
        pos++;
        const item = value(depth + 1);
        if (strict && Object.hasOwn(obj, key)) {
          throw new JsonParseError(`${what}: duplicate object key '${key}'`);
        }
        obj[key] = item;
        skip();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "}") {
          pos++;
          return obj;
        }
        fail2("expecting ',' delimiter");
      }
    }
    if (c === "[") {
      pos++;
      const arr = [];
      skip();
      if (text[pos] === "]") {
        pos++;
        return arr;
      }
      for (; ; ) {
        arr.push(value(depth + 1));
        skip();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "]") {
          pos++;
          return arr;
        }
        fail2("expecting ',' delimiter");
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]]) {
      if (literal(word, v) !== void 0) return v;
    }
    if (text.startsWith("NaN", pos)) {
      pos += 3;
      return constant("NaN");
    }
    if (text.startsWith("Infinity", pos)) {
      pos += 8;
      return constant("Infinity");
    }
    if (text.startsWith("-Infinity", pos)) {
      pos += 9;
      return constant("-Infinity");
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m === null) fail2("expecting value");
    pos = NUMBER.lastIndex;
    if (m[1] !== void 0 || m[2] !== void 0) {
      if (strict) throw new JsonParseError(`${what}: float ${m[0]} refused; decimal quantities are strings`);
      return new JsonFloat(m[0]);
    }
    return exactInt(m[0]);
  }
  const result = value(0);
  skip();
  if (pos !== text.length) fail2("extra data");
  return result;
}
function exactInt(text) {
  const big2 = BigInt(text);
  if (big2 < INT_LIMIT && big2 > -INT_LIMIT) return Number(big2) || 0;
  return big2;
}
function escapeToken(token) {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}
function showFloat(value) {
  return value instanceof JsonFloat ? value.text : String(value);
}
function checkProtocolValue(value, pointer, depth) {
  const where = pointer || "/";
  if (depth > MAX_DEPTH) throw new CanonicalizationError(`${where}: nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value === "boolean") return;
  if (typeof value === "string") {
    if (hasLoneSurrogate(value)) {
      throw new CanonicalizationError(`${where}: input contains non-UTF-8 codepoints (a lone surrogate)`);
    }
    return;
  }
  if (typeof value === "number" && Number.isInteger(value) || typeof value === "bigint") {
    const big2 = BigInt(value);
    if (!(-INT_LIMIT < big2 && big2 < INT_LIMIT)) {
      throw new CanonicalizationError(
        `${where}: integer ${big2} is outside the exact JSON range; use a decimal string`
      );
    }
    return;
  }
  if (typeof value === "number" || value instanceof JsonFloat) {
    throw new CanonicalizationError(`${where}: float ${showFloat(value)} refused; decimal quantities are strings`);
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkProtocolValue(item, `${pointer}/${i}`, depth + 1));
    return;
  }
  if (isObject(value)) {
    for (const key of Object.keys(value)) {
      if (hasLoneSurrogate(key)) {
        throw new CanonicalizationError(
          "input contains non-UTF-8 codepoints: a lone surrogate in an object key"
        );
      }
      checkProtocolValue(value[key], `${pointer}/${escapeToken(key)}`, depth + 1);
    }
    return;
  }
  throw new CanonicalizationError(`${where}: ${typeName(value)} is not a JSON value`);
}
function canonicalize(value) {
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "string") {
    if (hasLoneSurrogate(value)) throw new CanonicalizationError("string holds a lone surrogate");
    return JSON.stringify(value);
  }
  if (typeof value === "number" || value instanceof JsonFloat) {
    const n = Number(showFloat(value));
    if (!Number.isFinite(n)) throw new CanonicalizationError(`${showFloat(value)} has no JSON form`);
    return JSON.stringify(n);
  }
  if (typeof value === "bigint") {
    throw new CanonicalizationError(`integer ${value} is not an IEEE 754 double`);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${canonicalize(k)}:${canonicalize(value[k])}`).join(",")}}`;
  }
  throw new CanonicalizationError(`${typeName(value)} is not a JSON value`);
}
function canonicalJson(value) {
  checkProtocolValue(value, "", 0);
  return utf8(canonicalize(value));
}
function taggedDigest(tag, value) {
  return sha2562(concat(utf8(tag), new Uint8Array([0]), canonicalJson(value)));
}
function requireKeys(obj, what, required) {
  if (!isObject(obj)) throw new TypeError(`${what} must be a JSON object, got ${typeName(obj)}`);
  const keys = Object.keys(obj);
  const missing = required.filter((k) => !Object.hasOwn(obj, k));
  if (missing.length) throw new TypeError(`${what}: missing ${missing.join(", ")}`);
  const extra = keys.filter((k) => !required.includes(k)).sort();
  if (extra.length) throw new TypeError(`${what}: unknown field(s) ${extra.join(", ")}`);
  return obj;
}

// web/src/merkle.js
var HASH_SIZE = 32;
var LEAF_PREFIX = new Uint8Array([0]);
var NODE_PREFIX = new Uint8Array([1]);
var EMPTY_ROOT = sha2562(new Uint8Array(0));
function leafHash(data) {
  return sha2562(concat(LEAF_PREFIX, data));
}
function nodeHash(left, right) {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    throw new ProofError(`node children must be ${HASH_SIZE} bytes, got ${left.length} and ${right.length}`);
  }
  return sha2562(concat(NODE_PREFIX, left, right));
}
function rootFromLeafHashes(hashes) {
  hashes.forEach((h, i) => {
    if (h.length !== HASH_SIZE) throw new ProofError(`leaf hash ${i} is ${h.length} bytes, expected ${HASH_SIZE}`);
  });
  if (hashes.length === 0) return EMPTY_ROOT;
  let level = [...hashes];
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i], level[i + 1]));
    if (level.length % 2) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}
var big = (n) => BigInt(n);
function bitLength(n) {
  return n <= 0n ? 0 : n.toString(2).length;
}
function bitCount(n) {
  let count = 0;
  for (const c of n.toString(2)) if (c === "1") count++;
  return count;
}
function inclusionProofLength(index, size) {
  const i = big(index);
  const inner = bitLength(i ^ big(size) - 1n);
  return inner + bitCount(i >> BigInt(inner));
}
function consistencyProofLength(size1, size2) {
  const s1 = big(size1);
  const s2 = big(size2);
  if (s1 === 0n || s1 === s2) return 0;
  const shift = bitLength(s1 & -s1) - 1;
  const inner = bitLength(s1 - 1n ^ s2 - 1n) - shift;
  const border = bitCount(s1 - 1n >> BigInt(inner + shift));
  const seed = s1 === 1n << BigInt(shift) ? 0 : 1;
  return seed + inner + border;
}
function rootFromInclusionProof(leaf, index, size, proof) {
  let fn = big(index);
  let sn = big(size) - 1n;
  let r = leaf;
  for (const p of proof) {
    if (fn & 1n || fn === sn) {
      r = nodeHash(p, r);
      while (fn && !(fn & 1n)) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return r;
}
function checkHash(value, what, Err, step) {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) {
    throw new Err(`${step}: ${what} must be ${HASH_SIZE} bytes, got ${value?.length}`);
  }
}
function verifyInclusion(leaf, index, size, proof, root) {
  const Err = InclusionProofError;
  checkHash(root, "root", Err, "step 1 (hash sizes)");
  const i = big(index);
  const n = big(size);
  if (n < 0n || i < 0n) throw new Err(`step 1 (range): negative index ${i} or size ${n}`);
  if (i >= n) throw new Err(`step 1 (range): index ${i} is not below tree size ${n}`);
  checkHash(leaf, "leaf hash", Err, "step 1 (hash sizes)");
  const want = inclusionProofLength(i, n);
  if (proof.length !== want) {
    throw new Err(
      `step 1 (proof length): proof has ${proof.length} hashes, expected ${want} for index ${i} in size ${n}`
    );
  }
  proof.forEach((p, k) => checkHash(p, `proof[${k}]`, Err, "step 1 (hash sizes)"));
  const r = rootFromInclusionProof(leaf, i, n, proof);
  if (!bytesEqual(r, root)) {
    throw new Err(`step 3 (root): recomputed root ${toHex(r)} != expected ${toHex(root)}`);
  }
}
function verifyConsistency(size1, size2, root1, root2, proof) {
  const Err = ConsistencyProofError;
  const s1 = big(size1);
  const s2 = big(size2);
  if (s1 < 0n || s2 < 0n) throw new Err(`step 1 (range): negative size ${s1} or ${s2}`);
  if (s1 > s2) throw new Err(`step 1 (range): size1 ${s1} is greater than size2 ${s2}`);
  checkHash(root1, "root1", Err, "step 1 (hash sizes)");
  checkHash(root2, "root2", Err, "step 1 (hash sizes)");
  proof.forEach((p, k) => checkHash(p, `proof[${k}]`, Err, "step 1 (hash sizes)"));
  const want = consistencyProofLength(s1, s2);
  if (proof.length !== want) {
    throw new Err(`step 1 (proof length): proof has ${proof.length} hashes, expected ${want} from size ${s1} to ${s2}`);
  }
  if (s1 === s2) {
    if (!bytesEqual(root1, root2)) throw new Err(`step 2 (equal sizes): roots differ for size ${s1}`);
    if (s1 === 0n && !bytesEqual(root1, EMPTY_ROOT)) {
      throw new Err("step 2 (equal sizes): root of the empty tree is not SHA-256('')");
    }
    return;
  }
  if (s1 === 0n) {
    if (!bytesEqual(root1, EMPTY_ROOT)) throw new Err("step 2 (empty old tree): root1 is not the empty tree root");
    return;
  }
  const path = [...proof];
  if ((s1 & s1 - 1n) === 0n) path.unshift(root1);
  let fn = s1 - 1n;
  let sn = s2 - 1n;
  while (fn & 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) throw new Err("step 3 (path): proof is longer than the path");
    if (fn & 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn && !(fn & 1n)) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new Err("step 3 (path): proof does not reach the new root");
  if (!bytesEqual(fr, root1)) throw new Err(`step 4 (old root): recomputed ${toHex(fr)} != root1 ${toHex(root1)}`);
  if (!bytesEqual(sr, root2)) throw new Err(`step 4 (new root): recomputed ${toHex(sr)} != root2 ${toHex(root2)}`);
}

// web/node_modules/@noble/ed25519/index.js
var freeze = Object.freeze;
var P = 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffedn;
var N = 0x1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3edn;
var _d = 0x52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3n;
var Gx = 0x216936d3cd6e53fec0a4e231fdd6dc5c692cc7609525a7b2c9562d608f25d51an;
var Gy = 0x6666666666666666666666666666666666666666666666666666666666666658n;
var _a = P - 1n;
var ed25519_CURVE = freeze({
  p: P,
  n: N,
  h: 8n,
  a: _a,
  d: _d,
  Gx,
  Gy
});
var LEN = 32;
var isBytes2 = (a) => {
  return a instanceof Uint8Array || ArrayBuffer.isView(a) && a.constructor.name === "Uint8Array" && a.BYTES_PER_ELEMENT === 1;
};
var abytes2 = (value, length, title = "") => {
  if (isBytes2(value) && (length === void 0 || value.length === length))
    return value;
  const bytes = isBytes2(value);
  const ofLen = length !== void 0 ? ` of length ${length}` : "";
  const got = bytes ? `length=${value.length}` : `type=${typeof value}`;
  const message = (title ? `"${title}" ` : "") + "expected Uint8Array" + ofLen + ", got " + got;
  if (!bytes)
    throw new TypeError(message);
  throw new RangeError(message);
};
var snapshotBytes = (value, title = "", length) => Uint8Array.from(abytes2(value, length, title));
var padh = (n, pad) => n.toString(16).padStart(pad, "0");
var bytesToHex2 = (bytes) => {
  let hex = "";
  for (const byte of abytes2(bytes))
    hex += padh(byte, 2);
  return hex;
};
var hexToBytes2 = (hex) => {
  const e = "hex invalid";
  if (typeof hex !== "string")
    throw new TypeError(e);
  if (hex.length % 2 || !/^[\da-f]*$/i.test(hex))
    throw new RangeError(e);
  const array = new Uint8Array(hex.length / 2);
  for (let ai = 0, hi = 0; ai < array.length; ai++, hi += 2) {
    const n1 = hex.charCodeAt(hi);
    const n2 = hex.charCodeAt(hi + 1);
    array[ai] = ((n1 & 15) + (n1 >> 6) * 9) * 16 + (n2 & 15) + (n2 >> 6) * 9;
  }
  return array;
};
var arange = (n, min, max, msg = "bad number: out of range") => {
  if (typeof n !== "bigint")
    throw new TypeError(msg);
  if (min <= n && n < max)
    return n;
  throw new RangeError(msg);
};
var mod = (a, b = P) => (a %= b) >= 0n ? a : b + a;
var P_MASK = (1n << 255n) - 1n;
var modP = (num) => {
  if (num < 0n)
    throw new RangeError("negative coordinate");
  let r = (num >> 255n) * 19n + (num & P_MASK);
  r = (r >> 255n) * 19n + (r & P_MASK);
  return r % P;
};
var invert = (number, modulo) => {
  if (number === 0n)
    throw new Error("invert: expected non-zero number");
  if (modulo <= 1n)
    throw new Error("invert: expected modulus > 1, got " + modulo);
  let a = mod(number, modulo);
  let b = modulo;
  let x = 0n, u = 1n;
  while (a !== 0n) {
    const q = b / a;
    const r = b - a * q;
    const m = x - u * q;
    b = a, a = r, x = u, u = m;
  }
  const gcd = b;
  if (gcd !== 1n)
    throw new Error("invert: does not exist");
  return mod(x, modulo);
};
var apoint = (p) => {
  if (p instanceof Point)
    return p;
  throw new TypeError("Point expected");
};
var B256 = 2n ** 256n;
var Point = class _Point {
  static BASE;
  static ZERO;
  X;
  Y;
  Z;
  T;
  // Constructor only bounds-checks and freezes XYZT coordinates; it does not prove the point is
  // on-curve or that T matches X*Y/Z.
  constructor(X, Y, Z, T) {
    const max = B256;
    this.X = arange(X, 0n, max);
    this.Y = arange(Y, 0n, max);
    this.Z = arange(Z, 1n, max);
    this.T = arange(T, 0n, max);
    freeze(this);
  }
  static CURVE() {
    return ed25519_CURVE;
  }
  static fromAffine(p) {
    return new _Point(p.x, p.y, 1n, modP(p.x * p.y));
  }
  /** RFC8032 5.1.3: Uint8Array to Point. */
  static fromBytes(bytes, zip215 = false) {
    const normed = snapshotBytes(bytes, "point", LEN);
    const lastByte = normed[31];
    normed[31] = lastByte & ~128;
    const y = bytesToNumberLE(normed);
    if (!zip215)
      arange(y, 0n, P);
    const y2 = modP(y * y);
    const u = mod(y2 - 1n);
    const v = modP(_d * y2 + 1n);
    let { isValid, value: x } = uvRatio(u, v);
    if (!isValid)
      throw new Error("bad point: y not sqrt");
    const isLastByteOdd = !!(lastByte & 128);
    if (!zip215 && x === 0n && isLastByteOdd)
      throw new Error("bad point: x==0, isLastByteOdd");
    if (isLastByteOdd !== !!(x & 1n))
      x = mod(-x);
    return new _Point(x, y, 1n, modP(x * y));
  }
  static fromHex(hex, zip215) {
    return _Point.fromBytes(hexToBytes2(hex), zip215);
  }
  get x() {
    return this.toAffine().x;
  }
  get y() {
    return this.toAffine().y;
  }
  /** Checks if the point is valid and on-curve. */
  assertValidity() {
    const a = _a;
    const d = _d;
    const p = this;
    if (p.is0())
      throw new Error("bad point: ZERO");
    const { X, Y, Z, T } = p;
    const X2 = modP(X * X);
    const Y2 = modP(Y * Y);
    const Z2 = modP(Z * Z);
    const Z4 = modP(Z2 * Z2);
    const aX2 = modP(X2 * a);
    const left = modP(Z2 * (aX2 + Y2));
    const right = mod(Z4 + modP(d * modP(X2 * Y2)));
    if (left !== right)
      throw new Error("bad point: equation left != right (1)");
    const XY = modP(X * Y);
    const ZT = modP(Z * T);
    if (XY !== ZT)
      throw new Error("bad point: equation left != right (2)");
    return this;
  }
  /** Equality check: compare points P&Q. */
  equals(other) {
    const { X: X1, Y: Y1, Z: Z1 } = this;
    const { X: X2, Y: Y2, Z: Z2 } = apoint(other);
    return modP(X1 * Z2) === modP(X2 * Z1) && modP(Y1 * Z2) === modP(Y2 * Z1);
  }
  is0() {
    return this.equals(I);
  }
  /** Flip point over y coordinate. */
  negate() {
    return new _Point(mod(-this.X), this.Y, this.Z, mod(-this.T));
  }
  /** Point doubling. Complete formula. Cost: `4M + 4S + 1*a + 6add + 1*2`. */
  double() {
    const { X: X1, Y: Y1, Z: Z1 } = this;
    const a = _a;
    const A = modP(X1 * X1);
    const B2 = modP(Y1 * Y1);
    const C = modP(2n * Z1 * Z1);
    const D = modP(a * A);
    const x1y1 = mod(X1 + Y1);
    const E = mod(modP(x1y1 * x1y1) - A - B2);
    const G2 = mod(D + B2);
    const F = mod(G2 - C);
    const H = mod(D - B2);
    const X3 = modP(E * F);
    const Y3 = modP(G2 * H);
    const T3 = modP(E * H);
    const Z3 = modP(F * G2);
    return new _Point(X3, Y3, Z3, T3);
  }
  /** Point addition. Complete formula. Cost: `9M + 1*a + 1*d + 7add`. */
  add(other) {
    const { X: X1, Y: Y1, Z: Z1, T: T1 } = this;
    const { X: X2, Y: Y2, Z: Z2, T: T2 } = apoint(other);
    const a = _a;
    const d = _d;
    const A = modP(X1 * X2);
    const B2 = modP(Y1 * Y2);
    const C = modP(modP(T1 * d) * T2);
    const D = modP(Z1 * Z2);
    const E = mod(modP(mod(X1 + Y1) * mod(X2 + Y2)) - A - B2);
    const F = mod(D - C);
    const G2 = mod(D + C);
    const H = mod(B2 - modP(a * A));
    const X3 = modP(E * F);
    const Y3 = modP(G2 * H);
    const T3 = modP(E * H);
    const Z3 = modP(F * G2);
    return new _Point(X3, Y3, Z3, T3);
  }
  subtract(other) {
    return this.add(apoint(other).negate());
  }
  /**
   * Point-by-scalar multiplication. Safe mode requires `1 <= n < CURVE.n`.
   * Unsafe mode additionally permits `n = 0` and returns the identity point for that case.
   * Uses {@link wNAF} for base point.
   * Uses fake point to mitigate side-channel leakage.
   * @param n - scalar by which point is multiplied
   * @param safe - safe mode guards against timing attacks; unsafe mode is faster
   */
  multiply(n, safe = true) {
    if (!safe && n === 0n)
      return I;
    arange(n, 1n, N);
    if (!safe && this.is0())
      return I;
    if (n === 1n)
      return this;
    if (this.equals(G))
      return wNAF(n).p;
    let p = I;
    let f = G;
    let d = this;
    for (let i = 0; safe ? i < 256 : n > 0n; i++) {
      if (n & 1n)
        p = p.add(d);
      else if (safe)
        f = f.add(d);
      d = d.double();
      n >>= 1n;
    }
    return p;
  }
  multiplyUnsafe(scalar) {
    return this.multiply(scalar, false);
  }
  /** Convert point to 2d xy affine point. (X, Y, Z) ∋ (x=X/Z, y=Y/Z) */
  toAffine() {
    const { X, Y, Z } = this;
    if (this.equals(I))
      return { x: 0n, y: 1n };
    const iz = invert(Z, P);
    if (modP(Z * iz) !== 1n)
      throw new Error("invalid inverse");
    return { x: modP(X * iz), y: modP(Y * iz) };
  }
  toBytes() {
    const { x, y } = this.toAffine();
    const b = numTo32bLE(y);
    b[31] |= x & 1n ? 128 : 0;
    return b;
  }
  toHex() {
    return bytesToHex2(this.toBytes());
  }
  clearCofactor() {
    return this.multiply(8n, false);
  }
  isSmallOrder() {
    return this.clearCofactor().is0();
  }
  isTorsionFree() {
    return this.multiply(N / 2n, false).double().add(this).is0();
  }
};
var G = new Point(Gx, Gy, 1n, mod(Gx * Gy));
var I = new Point(0n, 1n, 1n, 0n);
Point.BASE = G;
Point.ZERO = I;
var numTo32bLE = (num) => hexToBytes2(padh(arange(num, 0n, B256), 64)).reverse();
var bytesToNumberLE = (b) => BigInt("0x" + bytesToHex2(Uint8Array.from(abytes2(b)).reverse()));
var pow2 = (x, power) => {
  let r = x;
  while (power-- > 0) {
    r = modP(r * r);
  }
  return r;
};
var pow_2_252_3 = (x) => {
  const x2 = modP(x * x);
  const b2 = modP(x2 * x);
  const b4 = modP(pow2(b2, 2) * b2);
  const b5 = modP(pow2(b4, 1) * x);
  const b10 = modP(pow2(b5, 5) * b5);
  const b20 = modP(pow2(b10, 10) * b10);
  const b40 = modP(pow2(b20, 20) * b20);
  const b80 = modP(pow2(b40, 40) * b40);
  const b160 = modP(pow2(b80, 80) * b80);
  const b240 = modP(pow2(b160, 80) * b80);
  const b250 = modP(pow2(b240, 10) * b10);
  return modP(pow2(b250, 2) * x);
};
var RM1 = 0x2b8324804fc1df0b2b4d00993dfbd7a72f431806ad2fe478c4ee1b274a0ea0b0n;
var uvRatio = (u, v) => {
  const v3 = modP(v * modP(v * v));
  const v7 = modP(modP(v3 * v3) * v);
  const pow3 = pow_2_252_3(modP(u * v7));
  let x = modP(u * modP(v3 * pow3));
  const vx2 = modP(v * modP(x * x));
  const root1 = x;
  const root2 = modP(x * RM1);
  const useRoot1 = vx2 === u;
  const useRoot2 = vx2 === mod(-u);
  const noRoot = vx2 === mod(-u * RM1);
  if (useRoot1)
    x = root1;
  if (useRoot2 || noRoot)
    x = root2;
  if ((mod(x) & 1n) === 1n)
    x = mod(-x);
  return { isValid: useRoot1 || useRoot2, value: x };
};
var precompute = () => {
  const points = [];
  let p = G;
  let b;
  for (let w = 0; w < 33; w++) {
    b = p;
    points.push(b);
    for (let i = 1; i < 128; i++) {
      b = b.add(p);
      points.push(b);
    }
    p = b.double();
  }
  return points;
};
var Gpows = void 0;
var ctneg = (cnd, p) => {
  const n = p.negate();
  return cnd ? n : p;
};
var wNAF = (n) => {
  const comp = Gpows || (Gpows = precompute());
  let p = I;
  let f = G;
  for (let w = 0; w < 33; w++) {
    let wbits = Number(n & 255n);
    n >>= 8n;
    if (wbits > 128) {
      wbits -= 256;
      n += 1n;
    }
    const off = w * 128;
    const offP = off + Math.abs(wbits) - 1;
    const isOddW = w % 2 !== 0;
    const isNeg = wbits < 0;
    if (wbits === 0) {
      f = f.add(ctneg(isOddW, comp[off]));
    } else {
      p = p.add(ctneg(isNeg, comp[offP]));
    }
  }
  if (n !== 0n)
    throw new Error("invalid wnaf");
  return { p, f };
};

// web/src/ed25519.js
var L = Point.CURVE().n;
var SMALL_ORDER = [
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0100000000000000000000000000000000000000000000000000000000000000",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
].map(fromHex);
function hasSmallOrder(s) {
  const masked = Uint8Array.from(s);
  masked[31] &= 127;
  return SMALL_ORDER.some((b) => bytesEqual(b, masked));
}
function littleEndian(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = n << 8n | BigInt(bytes[i]);
  return n;
}
function isCanonicalPoint(s) {
  const y = littleEndian(s) & (1n << 255n) - 1n;
  return y < (1n << 255n) - 19n;
}
function ed25519Verify(signature2, message, publicKey) {
  if (!(signature2 instanceof Uint8Array) || signature2.length !== 64) return false;
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
  const R = signature2.subarray(0, 32);
  const S = littleEndian(signature2.subarray(32));
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

// web/src/checkpoint.js
var ED25519_ALG = 1;
var SIG_PREFIX = "— ";
var MAX_SIGNATURES = 100;
var MAX_SIZE = (1n << 64n) - 1n;
var LOG_ID = /^[a-z0-9-]{1,64}$/;
var SPACE = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
function checkTextChars(text, what) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c < 32) {
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
function keyHash(keyName, publicKey) {
  checkKeyName(keyName);
  return sha2562(concat(utf8(keyName), new Uint8Array([10, ED25519_ALG]), publicKey)).subarray(0, 4);
}
function checkpointOrigin(chainId, logId) {
  const isInt2 = typeof chainId === "number" && Number.isInteger(chainId) || typeof chainId === "bigint";
  if (!isInt2 || chainId <= 0) throw new CheckpointFormatError(`chain id must be a positive integer, got ${chainId}`);
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
function parseCheckpoint(text) {
  if (typeof text !== "string") throw new CheckpointFormatError("checkpoint must be text (str)");
  if (!text.endsWith("\n")) throw new CheckpointFormatError("note does not end with a newline");
  checkTextChars(text, "note");
  const split2 = text.lastIndexOf("\n\n");
  if (split2 < 0) throw new CheckpointFormatError("no blank line between the checkpoint and its signatures");
  const body = text.slice(0, split2 + 1);
  const sigBlock = text.slice(split2 + 2);
  if (!sigBlock) throw new CheckpointFormatError("checkpoint has no signatures");
  const sigLines = sigBlock.slice(0, -1).split("\n");
  if (sigLines.length > MAX_SIGNATURES) throw new CheckpointFormatError(`more than ${MAX_SIGNATURES} signatures`);
  const signatures = [];
  const seen = /* @__PURE__ */ new Set();
  sigLines.forEach((line, i) => {
    const sig = parseSignatureLine(line, i);
    const id = `${sig.keyName}\0${[...sig.keyHash].join(",")}`;
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
function openNoteSignature(body, signatures, keyName, publicKey) {
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
function verifyCheckpoint(text, keyName, publicKey) {
  const signed = parseCheckpoint(text);
  openNoteSignature(signed.body, signed.signatures, keyName, publicKey);
  return signed.checkpoint;
}

// web/src/ids.js
var USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
var USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
var NID = /^[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]$/;
var NSS = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;
var MAX_URN = 255;
function usccCheckChar(first17) {
  let total = 0;
  [...first17].forEach((c, i) => {
    const value = USCC_CHARSET.indexOf(c);
    if (value < 0) throw new InvalidOrgId(`illegal character '${c}' at position ${i + 1}`);
    total += value * USCC_WEIGHTS[i];
  });
  return USCC_CHARSET[(31 - total % 31) % 31];
}
function parseUscc(code) {
  if (code.length !== 18) {
    throw new InvalidOrgId(`'${code}': a unified social credit code has 18 characters, got ${code.length}`);
  }
  [...code].forEach((c, i) => {
    if (!USCC_CHARSET.includes(c)) throw new InvalidOrgId(`'${code}': illegal character '${c}' at position ${i + 1}`);
  });
  if (!/^[0-9]{6}$/.test(code.slice(2, 8))) {
    throw new InvalidOrgId(`'${code}': administrative division code (positions 3-8) must be digits`);
  }
  const expected = usccCheckChar(code.slice(0, 17));
  if (code[17] !== expected) {
    throw new InvalidOrgId(`'${code}': check character expected '${expected}' got '${code[17]}'`);
  }
  return code;
}
function parseUrn(text) {
  if (text.length > MAX_URN) throw new InvalidOrgId(`URN longer than ${MAX_URN} characters`);
  const rest = text.slice(4);
  const sep = rest.indexOf(":");
  if (sep < 0) throw new InvalidOrgId(`'${text}': a URN is urn:<NID>:<NSS>`);
  const nid = rest.slice(0, sep);
  const nss = rest.slice(sep + 1);
  if (!NID.test(nid)) throw new InvalidOrgId(`'${text}': namespace identifier '${nid}' is not 2-32 letters, digits, -`);
  if (nss.includes("?") || nss.includes("#")) {
    throw new InvalidOrgId(`'${text}': r-, q- and f-components are not allowed in an org id`);
  }
  if (!NSS.test(nss)) throw new InvalidOrgId(`'${text}': namespace-specific string '${nss}' has illegal characters`);
  return `urn:${nid.toLowerCase()}:${nss}`;
}
function parseOrgId(text) {
  if (typeof text !== "string") throw new InvalidOrgId("organisation id must be a string");
  if (text.slice(0, 4).toLowerCase() === "urn:") return parseUrn(text);
  return parseUscc(text.toUpperCase());
}

// web/src/time.js
var TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z$/;
function parseTime(text, what) {
  const m = typeof text === "string" ? TIME.exec(text) : null;
  if (m === null) throw new TypeError(`${what} must be RFC 3339 UTC 'YYYY-MM-DDTHH:MM:SSZ', got ${text}`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const d = /* @__PURE__ */ new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  const ok = year >= 1 && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && d.getUTCHours() === hour && d.getUTCMinutes() === minute && d.getUTCSeconds() === second;
  if (!ok) throw new TypeError(`${what} is not a valid time: ${text}`);
  return d.getTime() / 1e3;
}
var MIN_TIME = -62135596800;
var MAX_TIME = 253402300799;
function formatTime(seconds2) {
  const n = Number(seconds2);
  if (!(n >= MIN_TIME && n <= MAX_TIME)) throw new RangeError(`time ${seconds2} is out of range (years 1-9999)`);
  const d = new Date(n * 1e3);
  const p = (n2, w = 2) => String(n2).padStart(w, "0");
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}Z`;
}

// web/src/pointer.js
var POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/;
function isPointer(text) {
  return typeof text === "string" && POINTER.test(text);
}
function compareCodePoints(a, b) {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (; ; ) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0);
    const cy = y.value.codePointAt(0);
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

// web/node_modules/@noble/curves/utils.js
function aarray(item, title, inner = () => {
}) {
  if (!Array.isArray(item))
    throw new TypeError(`"${title}" expected array, got type=${typeof item}`);
  for (let i = 0; i < item.length; i++)
    inner(item[i], `${title}[${i}]`);
  return item;
}
var abytes3 = (value, length, title) => abytes(value, length, title);
var anumber2 = anumber;
function aobject2(value, title = "object") {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new TypeError(title === "object" ? "expected valid options object" : `"${title}" expected object, got type=${typeof value}`);
  return value;
}
function afunction(value, title) {
  if (typeof value !== "function")
    throw new TypeError(`"${title}" is invalid: expected function, got ${typeof value}`);
  return value;
}
var bytesToHex3 = bytesToHex;
var concatBytes2 = (...arrays) => concatBytes(...arrays);
var hexToBytes3 = (hex) => hexToBytes(hex);
var isBytes3 = isBytes;
var randomBytes2 = (bytesLength) => randomBytes(bytesLength);
var _0n = /* @__PURE__ */ BigInt(0);
var _1n = /* @__PURE__ */ BigInt(1);
var atitle2 = (title) => title ? `"${title}" ` : "";
function abool2(value, title = "") {
  if (typeof value !== "boolean")
    throw new TypeError(atitle2(title) + "expected boolean, got type=" + typeof value);
  return value;
}
function abignumber(n) {
  if (typeof n === "bigint") {
    if (!isPosBig(n))
      throw new RangeError("positive bigint expected, got " + n);
  } else
    anumber2(n);
  return n;
}
function asafenumber(value, title = "") {
  if (typeof value !== "number") {
    const prefix = title && `"${title}" `;
    throw new TypeError(prefix + "expected number, got type=" + typeof value);
  }
  if (!Number.isSafeInteger(value)) {
    const prefix = title && `"${title}" `;
    throw new RangeError(prefix + "expected safe integer, got " + value);
  }
}
function hexToNumber(hex) {
  if (typeof hex !== "string")
    throw new TypeError("hex string expected, got " + typeof hex);
  return hex === "" ? _0n : BigInt("0x" + hex);
}
function bytesToNumberBE(bytes) {
  return hexToNumber(bytesToHex(bytes));
}
function bytesToNumberLE2(bytes) {
  return hexToNumber(bytesToHex(copyBytes(abytes(bytes)).reverse()));
}
function numberToBytesBE(n, len) {
  anumber(len);
  if (len === 0)
    throw new Error("zero output length is invalid");
  n = abignumber(n);
  const expectedLen = len * 2;
  const hex = n.toString(16);
  if (hex.length > expectedLen)
    throw new RangeError("number is too large");
  return hexToBytes(hex.padStart(expectedLen, "0"));
}
function numberToBytesLE(n, len) {
  return numberToBytesBE(n, len).reverse();
}
function equalBytes(a, b) {
  a = abytes3(a);
  b = abytes3(b);
  if (a.length !== b.length)
    return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++)
    diff |= a[i] ^ b[i];
  return diff === 0;
}
function copyBytes(bytes) {
  return Uint8Array.from(abytes3(bytes));
}
function asciiToBytes(ascii) {
  if (typeof ascii !== "string")
    throw new TypeError("ascii string expected, got " + typeof ascii);
  return Uint8Array.from(ascii, (c, i) => {
    const charCode = c.charCodeAt(0);
    if (c.length !== 1 || charCode > 127) {
      throw new RangeError(`string contains non-ASCII character "${ascii[i]}" with code ${charCode} at position ${i}`);
    }
    return charCode;
  });
}
function isPosBig(n) {
  return typeof n === "bigint" && _0n <= n;
}
function inRange(n, min, max) {
  return isPosBig(n) && isPosBig(min) && isPosBig(max) && min <= n && n < max;
}
function aInRange(title, n, min, max) {
  if (!inRange(n, min, max))
    throw new RangeError("expected valid " + title + ": " + min + " <= n < " + max + ", got " + n);
}
function bitLen(n) {
  if (n < _0n)
    throw new Error("expected non-negative bigint, got " + n);
  return n === _0n ? 0 : n.toString(2).length;
}
var bitMask = (n) => {
  asafenumber(n, "n");
  return (_1n << BigInt(n)) - _1n;
};
function validateObject(object, fields = {}, optFields = {}, title = "object") {
  aobject2(object, title);
  aobject2(fields, "fields");
  aobject2(optFields, "optFields");
  function checkField(fieldName, expectedType, isOpt) {
    const label = title === "object" ? `param "${String(fieldName)}"` : `"${title}.${String(fieldName)}"`;
    const val = object[fieldName];
    if (!Object.hasOwn(object, fieldName) && (isOpt ? val !== void 0 : expectedType !== "function")) {
      throw new TypeError(`${label} is invalid: expected own property`);
    }
    if (isOpt && val === void 0)
      return;
    const current = typeof val;
    if (current !== expectedType || val === null)
      throw new TypeError(`${label} is invalid: expected ${expectedType}, got ${current}`);
  }
  const iter = (f, isOpt) => Object.entries(f).forEach(([k, v]) => checkField(k, v, isOpt));
  iter(fields, false);
  iter(optFields, true);
}
var notImplemented = () => {
  throw new Error("not implemented");
};

// web/node_modules/@noble/curves/abstract/modular.js
var _0n2 = /* @__PURE__ */ BigInt(0);
var _1n2 = /* @__PURE__ */ BigInt(1);
var _2n = /* @__PURE__ */ BigInt(2);
var _3n = /* @__PURE__ */ BigInt(3);
var _4n = /* @__PURE__ */ BigInt(4);
var _5n = /* @__PURE__ */ BigInt(5);
var _7n = /* @__PURE__ */ BigInt(7);
var _8n = /* @__PURE__ */ BigInt(8);
var _9n = /* @__PURE__ */ BigInt(9);
var _15n = /* @__PURE__ */ BigInt(15);
var _16n = /* @__PURE__ */ BigInt(16);
var POW_WINDOWED_MIN = /* @__PURE__ */ BigInt("0x10000000000000000");
function mod2(a, b) {
  if (b <= _0n2)
    throw new Error("mod: expected positive modulus, got " + b);
  const result = a % b;
  return result >= _0n2 ? result : b + result;
}
function pow(num, power, modulo) {
  if (modulo <= _1n2)
    throw new Error("pow: expected modulus > 1, got " + modulo);
  if (typeof power !== "bigint")
    throw new TypeError("invalid exponent: expected bigint, got " + typeof power);
  if (power < _0n2)
    throw new Error("invalid exponent, negatives unsupported");
  if (power === _0n2)
    return _1n2;
  if (power === _1n2)
    return num;
  let d = num % modulo;
  if (d < _0n2)
    d += modulo;
  if (power < POW_WINDOWED_MIN) {
    let p2 = _1n2;
    while (power > _0n2) {
      if (power & _1n2)
        p2 = p2 * d % modulo;
      d = d * d % modulo;
      power >>= _1n2;
    }
    return p2;
  }
  const digits2 = [];
  while (power > _0n2) {
    digits2.push(Number(power & _15n));
    power >>= _4n;
  }
  const table = new Array(16);
  table[0] = _1n2;
  table[1] = d;
  for (let i = 2; i < 16; i++)
    table[i] = table[i - 1] * d % modulo;
  let p = table[digits2[digits2.length - 1]];
  for (let w = digits2.length - 2; w >= 0; w--) {
    p = p * p % modulo;
    p = p * p % modulo;
    p = p * p % modulo;
    p = p * p % modulo;
    const digit = digits2[w];
    if (digit !== 0)
      p = p * table[digit] % modulo;
  }
  return p;
}
function pow22(x, power, modulo) {
  if (modulo <= _1n2)
    throw new Error("pow2: expected modulus > 1, got " + modulo);
  if (power < _0n2)
    throw new Error("pow2: expected non-negative exponent, got " + power);
  let res = x;
  while (power-- > _0n2) {
    res *= res;
    res %= modulo;
  }
  return res;
}
function invert2(number, modulo) {
  if (number === _0n2)
    throw new Error("invert: expected non-zero number");
  if (modulo <= _1n2)
    throw new Error("invert: expected modulus > 1, got " + modulo);
  let a = mod2(number, modulo);
  let b = modulo;
  let x = _0n2, u = _1n2;
  while (a !== _0n2) {
    const q = b / a;
    const r = b - a * q;
    const m = x - u * q;
    b = a, a = r, x = u, u = m;
  }
  const gcd = b;
  if (gcd !== _1n2)
    throw new Error("invert: does not exist");
  return mod2(x, modulo);
}
function assertIsSquare(Fp2, root, n) {
  const F = Fp2;
  if (!F.eql(F.sqr(root), n))
    throw new Error("Cannot find square root");
}
function aoddModulus(order, fnName) {
  if ((order & _1n2) === _0n2)
    throw new Error(fnName + ": expected odd modulus, got " + order);
}
function sqrt3mod4(Fp2, n) {
  const F = Fp2;
  const p1div4 = (F.ORDER + _1n2) / _4n;
  const root = F.pow(n, p1div4);
  assertIsSquare(F, root, n);
  return root;
}
function sqrt5mod8(Fp2, n) {
  const F = Fp2;
  const p5div8 = (F.ORDER - _5n) / _8n;
  const n2 = F.mul(n, _2n);
  const v = F.pow(n2, p5div8);
  const nv = F.mul(n, v);
  const i = F.mul(F.mul(nv, _2n), v);
  const root = F.mul(nv, F.sub(i, F.ONE));
  assertIsSquare(F, root, n);
  return root;
}
function sqrt9mod16(P2) {
  const Fp_ = Field(P2);
  const tn = tonelliShanks(P2);
  const c1 = tn(Fp_, Fp_.neg(Fp_.ONE));
  const c2 = tn(Fp_, c1);
  const c3 = tn(Fp_, Fp_.neg(c1));
  const c4 = (P2 + _7n) / _16n;
  return ((Fp2, n) => {
    const F = Fp2;
    let tv1 = F.pow(n, c4);
    let tv2 = F.mul(tv1, c1);
    const tv3 = F.mul(tv1, c2);
    const tv4 = F.mul(tv1, c3);
    const e1 = F.eql(F.sqr(tv2), n);
    const e2 = F.eql(F.sqr(tv3), n);
    tv1 = F.cmov(tv1, tv2, e1);
    tv2 = F.cmov(tv4, tv3, e2);
    const e3 = F.eql(F.sqr(tv2), n);
    const root = F.cmov(tv1, tv2, e3);
    assertIsSquare(F, root, n);
    return root;
  });
}
function tonelliShanks(P2) {
  if (P2 < _3n)
    throw new Error("sqrt is not defined for small field");
  aoddModulus(P2, "tonelliShanks");
  let Q = P2 - _1n2;
  let S = 0;
  while (Q % _2n === _0n2) {
    Q /= _2n;
    S++;
  }
  let Z = _2n;
  const _Fp = Field(P2);
  while (FpLegendre(_Fp, Z) === 1) {
    if (Z++ > 1e3)
      throw new Error("Cannot find square root: probably non-prime P");
  }
  if (S === 1)
    return sqrt3mod4;
  let cc = _Fp.pow(Z, Q);
  const Q1div2 = (Q + _1n2) / _2n;
  return function tonelliSlow(Fp2, n) {
    const F = Fp2;
    if (F.is0(n))
      return n;
    if (FpLegendre(F, n) !== 1)
      throw new Error("Cannot find square root");
    let M = S;
    let c = F.mul(F.ONE, cc);
    let t2 = F.pow(n, Q);
    let R = F.pow(n, Q1div2);
    while (!F.eql(t2, F.ONE)) {
      if (F.is0(t2))
        throw new Error("Cannot find square root: probably non-prime P");
      let i = 1;
      let t_tmp = F.sqr(t2);
      while (!F.eql(t_tmp, F.ONE)) {
        i++;
        t_tmp = F.sqr(t_tmp);
        if (i === M)
          throw new Error("Cannot find square root");
      }
      const exponent = _1n2 << BigInt(M - i - 1);
      const b = F.pow(c, exponent);
      M = i;
      c = F.sqr(b);
      t2 = F.mul(t2, c);
      R = F.mul(R, b);
    }
    return R;
  };
}
function FpSqrt(P2) {
  aoddModulus(P2, "Fp.sqrt");
  if (P2 % _4n === _3n)
    return sqrt3mod4;
  if (P2 % _8n === _5n)
    return sqrt5mod8;
  if (P2 % _16n === _9n)
    return sqrt9mod16(P2);
  return tonelliShanks(P2);
}
var isNegativeLE = (num, modulo) => (mod2(num, modulo) & _1n2) === _1n2;
var FIELD_FIELDS = [
  "create",
  "isValid",
  "is0",
  "neg",
  "inv",
  "sqrt",
  "sqr",
  "eql",
  "add",
  "sub",
  "mul",
  "pow",
  "div",
  "addN",
  "subN",
  "mulN",
  "sqrN"
];
function validateField(field) {
  aobject2(field, "field");
  if (typeof field.ORDER !== "bigint")
    throw new TypeError('param "ORDER" is invalid: expected bigint, got ' + typeof field.ORDER);
  asafenumber(field.BYTES, "BYTES");
  asafenumber(field.BITS, "BITS");
  for (const name of FIELD_FIELDS)
    afunction(field[name], "field." + name);
  if (field.BYTES < 1 || field.BITS < 1)
    throw new Error("invalid field: expected BYTES/BITS > 0");
  if (field.ORDER <= _1n2)
    throw new Error("invalid field: expected ORDER > 1, got " + field.ORDER);
  return field;
}
function FpInvertBatch(Fp2, nums, passZero = false) {
  validateField(Fp2);
  aarray(nums, "nums");
  abool2(passZero, "passZero");
  const F = Fp2;
  const inverted = new Array(nums.length).fill(passZero ? F.ZERO : void 0);
  const multipliedAcc = nums.reduce((acc, num, i) => {
    if (F.is0(num))
      return acc;
    inverted[i] = acc;
    return F.mul(acc, num);
  }, F.ONE);
  const invertedAcc = F.inv(multipliedAcc);
  nums.reduceRight((acc, num, i) => {
    if (F.is0(num))
      return acc;
    inverted[i] = F.mul(acc, inverted[i]);
    return F.mul(acc, num);
  }, invertedAcc);
  return inverted;
}
function FpLegendre(Fp2, n) {
  validateField(Fp2);
  const F = Fp2;
  aoddModulus(F.ORDER, "FpLegendre");
  const p1mod2 = (F.ORDER - _1n2) / _2n;
  const powered = F.pow(n, p1mod2);
  const yes = F.eql(powered, F.ONE);
  const zero = F.eql(powered, F.ZERO);
  const no = F.eql(powered, F.neg(F.ONE));
  if (!yes && !zero && !no)
    throw new Error("invalid Legendre symbol result");
  return yes ? 1 : zero ? 0 : -1;
}
function nLength(n, nBitLength) {
  if (nBitLength !== void 0)
    anumber2(nBitLength);
  if (n <= _0n2)
    throw new Error("invalid n length: expected positive n, got " + n);
  if (nBitLength !== void 0 && nBitLength < 1)
    throw new Error("invalid n length: expected positive bit length, got " + nBitLength);
  const bits = bitLen(n);
  if (nBitLength !== void 0 && nBitLength < bits)
    throw new Error(`invalid n length: expected nBitLength (${nBitLength}) >= bitLen(n) (${bits})`);
  const _nBitLength = nBitLength !== void 0 ? nBitLength : bits;
  const nByteLength = Math.ceil(_nBitLength / 8);
  return { nBitLength: _nBitLength, nByteLength };
}
var FIELD_SQRT = /* @__PURE__ */ new WeakMap();
var _Field = class {
  ORDER;
  BITS;
  BYTES;
  isLE;
  ZERO = _0n2;
  ONE = _1n2;
  _lengths;
  _mod;
  constructor(ORDER, opts = {}) {
    if (ORDER <= _1n2)
      throw new Error("invalid field: expected ORDER > 1, got " + ORDER);
    let _nbitLength = void 0;
    this.isLE = false;
    if (opts != null && typeof opts === "object") {
      if (typeof opts.BITS === "number")
        _nbitLength = opts.BITS;
      if (typeof opts.sqrt === "function")
        Object.defineProperty(this, "sqrt", { value: opts.sqrt, enumerable: true });
      if (typeof opts.isLE === "boolean")
        this.isLE = opts.isLE;
      if (opts.allowedLengths)
        this._lengths = Object.freeze(opts.allowedLengths.slice());
      if (typeof opts.modFromBytes === "boolean")
        this._mod = opts.modFromBytes;
    }
    const { nBitLength, nByteLength } = nLength(ORDER, _nbitLength);
    if (nByteLength > 2048)
      throw new Error("invalid field: expected ORDER of <= 2048 bytes");
    this.ORDER = ORDER;
    this.BITS = nBitLength;
    this.BYTES = nByteLength;
    Object.freeze(this);
  }
  create(num) {
    return mod2(num, this.ORDER);
  }
  isValid(num) {
    if (typeof num !== "bigint")
      throw new TypeError("invalid field element: expected bigint, got " + typeof num);
    return _0n2 <= num && num < this.ORDER;
  }
  is0(num) {
    return num === _0n2;
  }
  // is valid and invertible
  isValidNot0(num) {
    return !this.is0(num) && this.isValid(num);
  }
  isOdd(num) {
    return (num & _1n2) === _1n2;
  }
  neg(num) {
    return mod2(-num, this.ORDER);
  }
  eql(lhs, rhs) {
    return lhs === rhs;
  }
  sqr(num) {
    return mod2(num * num, this.ORDER);
  }
  add(lhs, rhs) {
    return mod2(lhs + rhs, this.ORDER);
  }
  sub(lhs, rhs) {
    return mod2(lhs - rhs, this.ORDER);
  }
  mul(lhs, rhs) {
    return mod2(lhs * rhs, this.ORDER);
  }
  pow(num, power) {
    return pow(num, power, this.ORDER);
  }
  div(lhs, rhs) {
    return mod2(lhs * invert2(rhs, this.ORDER), this.ORDER);
  }
  // Same as above, but doesn't normalize
  sqrN(num) {
    return num * num;
  }
  addN(lhs, rhs) {
    return lhs + rhs;
  }
  subN(lhs, rhs) {
    return lhs - rhs;
  }
  mulN(lhs, rhs) {
    return lhs * rhs;
  }
  inv(num) {
    return invert2(num, this.ORDER);
  }
  sqrt(num) {
    let sqrt = FIELD_SQRT.get(this);
    if (!sqrt)
      FIELD_SQRT.set(this, sqrt = FpSqrt(this.ORDER));
    return sqrt(this, num);
  }
  toBytes(num) {
    return this.isLE ? numberToBytesLE(num, this.BYTES) : numberToBytesBE(num, this.BYTES);
  }
  fromBytes(bytes, skipValidation = false) {
    abytes3(bytes);
    const { _lengths: allowedLengths, BYTES, isLE: isLE2, ORDER, _mod: modFromBytes } = this;
    if (allowedLengths) {
      if (bytes.length < 1 || !allowedLengths.includes(bytes.length) || bytes.length > BYTES) {
        throw new Error("Field.fromBytes: expected " + allowedLengths + " bytes, got " + bytes.length);
      }
      const padded = new Uint8Array(BYTES);
      padded.set(bytes, isLE2 ? 0 : padded.length - bytes.length);
      bytes = padded;
    }
    if (bytes.length !== BYTES)
      throw new Error("Field.fromBytes: expected " + BYTES + " bytes, got " + bytes.length);
    let scalar = isLE2 ? bytesToNumberLE2(bytes) : bytesToNumberBE(bytes);
    if (modFromBytes)
      scalar = mod2(scalar, ORDER);
    if (!skipValidation) {
      if (!this.isValid(scalar))
        throw new Error("invalid field element: outside of range 0..ORDER");
    }
    return scalar;
  }
  // TODO: we don't need it here, move out to separate fn
  invertBatch(lst) {
    return FpInvertBatch(this, lst, true);
  }
  // We can't move this out because Fp6, Fp12 implement it
  // and it's unclear what to return in there.
  cmov(a, b, condition) {
    abool2(condition, "condition");
    return condition ? b : a;
  }
};
function Field(ORDER, opts = {}) {
  Object.freeze(_Field.prototype);
  return new _Field(ORDER, opts);
}

// web/node_modules/@noble/curves/abstract/curve.js
var _0n3 = /* @__PURE__ */ BigInt(0);
var _1n3 = /* @__PURE__ */ BigInt(1);
var _4n2 = /* @__PURE__ */ BigInt(4);
var BLIND_BYTES = 16;
var BLIND_BITS = 128;
var FW_WINDOW = 5;
var TABLE_BYTES_MAX = /* @__PURE__ */ (() => 2 ** 31)();
function validatePointCons(Point2) {
  const pc = Point2;
  if (typeof pc !== "function")
    throw new TypeError('"Point" expected constructor, got type=' + typeof Point2);
  afunction(pc.fromAffine, "Point.fromAffine");
  afunction(pc.fromBytes, "Point.fromBytes");
  afunction(pc.fromHex, "Point.fromHex");
  aobject2(pc.BASE, "Point.BASE");
  aobject2(pc.ZERO, "Point.ZERO");
  validateField(pc.Fp);
  validateField(pc.Fn);
}
function normalizeZ(c, points) {
  validatePointCons(c);
  validateMSMPoints(points, c);
  const invertedZs = FpInvertBatch(c.Fp, points.map((p) => p.Z));
  return points.map((p, i) => c.fromAffine(p.toAffine(invertedZs[i])));
}
function validateW(W, bits, min = 1) {
  if (!Number.isSafeInteger(W) || W < min || W > bits)
    throw new Error("invalid window size, expected [" + min + ".." + bits + "], got W=" + W);
}
function validateTableBytes(numPoints, fpBytes) {
  const bytes = numPoints * (4 * fpBytes + 128);
  if (bytes > TABLE_BYTES_MAX)
    throw new Error("invalid window size: table would need ~" + Math.ceil(bytes / 2 ** 20) + " MiB, max " + TABLE_BYTES_MAX / 2 ** 20 + " MiB");
}
function probeRandomBytes(randomBytes3, length) {
  if (randomBytes3 === void 0)
    return void 0;
  afunction(randomBytes3, "randomBytes");
  try {
    const probe = randomBytes3(length);
    if (!isBytes3(probe) || probe.length !== length)
      return void 0;
  } catch {
    return void 0;
  }
  return randomBytes3;
}
function validateMSMPoints(points, c) {
  aarray(points, "points");
  points.forEach((p, i) => {
    if (!(p instanceof c))
      throw new Error("invalid point at index " + i);
  });
}
function validateMSMScalars(scalars, field, maxScalar) {
  if (!Array.isArray(scalars))
    throw new Error("array of scalars expected");
  scalars.forEach((s, i) => {
    const ok = maxScalar === void 0 ? field.isValid(s) : isPosBig(s) && s < maxScalar;
    if (!ok)
      throw new Error("invalid scalar at index " + i);
  });
}
var pointWindowSizes = /* @__PURE__ */ new WeakMap();
function getWindowSize(P2) {
  return pointWindowSizes.get(P2) || 1;
}
function oddMultiples(p, size) {
  const dbl = p.double();
  const t2 = [p];
  for (let j = 1; j < size; j++)
    t2.push(t2[j - 1].add(dbl));
  return t2;
}
function wnafDigits(n, W) {
  const size = 2 ** W;
  const half = size / 2;
  const mask = BigInt(size - 1);
  const d = [];
  while (n > _0n3) {
    let w = 0;
    if (n & _1n3) {
      w = Number(n & mask);
      if (w >= half)
        w -= size;
      n -= BigInt(w);
    }
    d.push(w);
    n >>= _1n3;
  }
  return d;
}
function signedWindowDigits(n, W, windows) {
  const size = 2 ** W;
  const half = size / 2;
  const mask = BigInt(size - 1);
  const shiftBy = BigInt(W);
  const d = [];
  for (let w = 0; w < windows; w++) {
    let v = Number(n & mask);
    n >>= shiftBy;
    if (v > half) {
      v -= size;
      n += _1n3;
    }
    d.push(v);
  }
  if (n !== _0n3)
    throw new Error("invalid wnaf");
  return d;
}
function wnafWalk(zero, tables, digits2) {
  let max = 0;
  for (const d of digits2)
    max = Math.max(max, d.length);
  let acc = zero;
  for (let bit = max - 1; bit >= 0; bit--) {
    if (bit !== max - 1)
      acc = acc.double();
    for (let i = 0; i < digits2.length; i++) {
      const w = digits2[i][bit];
      if (w) {
        const item = tables[i][Math.abs(w) - 1 >> 1];
        acc = acc.add(w < 0 ? item.negate() : item);
      }
    }
  }
  return acc;
}
var ScalarMultiplier = class {
  Point;
  BASE;
  ZERO;
  randomBytes;
  wnafPrecomputes = /* @__PURE__ */ new WeakMap();
  baseCanBeBlinded;
  bits;
  // Parametrized with a given Point class (not individual point)
  constructor(Point2, randomBytes3) {
    validatePointCons(Point2);
    this.randomBytes = probeRandomBytes(randomBytes3, BLIND_BYTES);
    this.Point = Point2;
    this.BASE = Point2.BASE;
    this.ZERO = Point2.ZERO;
    this.bits = Point2.Fn.BITS;
  }
  /**
   * Creates a signed fixed-window wNAF precomputation table: for every window w, the
   * multiples `[1..2^(W−1)]⋅2^(w⋅W)⋅P`, flattened. All doublings are baked into the table,
   * so cached multiplication is additions-only. `windows = ceil(bits/W) + 1`: the extra
   * window absorbs the final carry of signed-digit recoding.
   * For a 256-bit curve and W=6, the table is 44⋅32 = 1408 points.
   * @param point - Point instance
   * @param W - window size
   * @param bits - scalar bitlength the table must cover
   */
  buildWnafTable(point, W, bits) {
    const windows = Math.ceil(bits / W) + 1;
    const half = 2 ** (W - 1);
    const comp = [];
    let base = point;
    for (let w = 0; w < windows; w++) {
      let acc = base;
      for (let i = 0; i < half; i++) {
        comp.push(acc);
        acc = acc.add(base);
      }
      base = comp[comp.length - 1].double();
    }
    return { W, bits, windows, comp };
  }
  /**
   * Implements ec multiplication using precomputed signed fixed-window wNAF tables.
   * Constant-time: fixed window count with one table addition per window — zero digits feed
   * the fake accumulator — and no doublings; the lookup scans the whole window slice.
   * Scalar bounds are validated by the public entry points ({@link ScalarMultiplier.mulCT},
   * {@link ScalarMultiplier.mulCTBlinded}, {@link ScalarMultiplier.mulUnsafe});
   * signedWindowDigits throws if `n` exceeds the table.
   * @returns real and fake (for const-time) points
   */
  wnafCachedCT(precomputes, n) {
    const { W, windows, comp } = precomputes;
    const half = 2 ** (W - 1);
    const digits2 = signedWindowDigits(n, W, windows);
    let p = this.ZERO;
    let f = this.BASE;
    for (let w = 0; w < windows; w++) {
      const digit = digits2[w];
      const start = w * half;
      const idx = Math.abs(digit) - 1;
      let sel = comp[start];
      for (let i = 1; i < half; i++)
        sel = i === idx ? comp[start + i] : sel;
      const neg = sel.negate();
      if (digit === 0)
        f = f.add(comp[start]);
      else
        p = p.add(digit < 0 ? neg : sel);
    }
    return { p, f };
  }
  // Cache key is point identity plus (W, bits); at most two entries exist per point (public-width
  // `Fn.BITS` and blinded `Fn.BITS + BLIND_BITS`). Callers must not reuse the same point with
  // incompatible `transform(...)` layouts and expect a separate cache entry.
  getWnafPrecomputes(W, point, bits, transform) {
    let entries = this.wnafPrecomputes.get(point);
    let comp = entries?.find((entry) => entry.W === W && entry.bits === bits);
    if (!comp) {
      comp = this.buildWnafTable(point, W, bits);
      if (typeof transform === "function")
        comp = { ...comp, comp: transform(comp.comp) };
      if (!entries) {
        entries = [];
        this.wnafPrecomputes.set(point, entries);
      }
      entries.push(comp);
    }
    return comp;
  }
  assertPoint(point) {
    if (!(point instanceof this.Point))
      throw new TypeError('"point" expected Point instance, got type=' + typeof point);
  }
  // Shared prologue of the constant-time entry points. Rejects scalar 0: in key/signature-style
  // callers a zero scalar means broken upstream plumbing, and concrete Points already reject it.
  // Uses inRange instead of Fn.isValidNot0: validateField() only certifies the arithmetic subset.
  validateMulInput(point, scalar) {
    this.assertPoint(point);
    if (!inRange(scalar, _1n3, this.Point.Fn.ORDER))
      throw new Error("invalid scalar");
  }
  // Constant-time dispatch shared by mulCT / mulCTBlinded. Un-precomputed points (W===1, e.g.
  // ECDH peer keys) skip building a throwaway cached table in favor of a small fixed-window
  // multiply. `n` must be < 2^bits.
  runCT(point, n, bits, transform) {
    const W = getWindowSize(point);
    if (W === 1)
      return this.fixedWindowCT(point, n, bits);
    return this.wnafCachedCT(this.getWnafPrecomputes(W, point, bits, transform), n);
  }
  mulCT(point, scalar, transform) {
    this.validateMulInput(point, scalar);
    return this.runCT(point, scalar, this.bits, transform);
  }
  mulCTBlinded(point, scalar, transform) {
    this.validateMulInput(point, scalar);
    if (this.randomBytes === void 0)
      throw new Error("randomBytes is required for scalar blinding");
    const bits = this.Point.Fn.BITS + BLIND_BITS;
    const blind = this.randomBytes(BLIND_BYTES);
    if (!isBytes3(blind) || blind.length !== BLIND_BYTES)
      throw new Error("randomBytes returned invalid byte array");
    blind[0] = blind[0] & 63 | 128;
    const n = scalar + bytesToNumberBE(blind) * this.Point.Fn.ORDER;
    return this.runCT(point, n, bits, transform);
  }
  /**
   * Constant-time multiplication `n*point` for an un-precomputed point, via a small fixed window.
   * A cached wNAF table only pays off when reused; a flat 2^FW_WINDOW table (`size-1` adds) is
   * far cheaper to build for a single use. The point-operation sequence is independent of `n`:
   * build the table, then per window exactly FW_WINDOW doublings, a data-oblivious scan over
   * every table entry, and one addition (adds the identity when the window digit is 0 — never
   * skipped).
   *
   * `n` must be `< 2^bits`. Assumes complete addition (adding the identity costs the same as any
   * add), which holds for the Weierstrass/Edwards point types used here. The table is left in
   * projective form (no normalizeZ): normalizing this small a table costs more than the
   * mixed-add savings it would buy for a single multiply.
   * @returns real point `p`; `f` duplicates it only to match {@link wnafCachedCT}'s return shape
   * (this path needs no fake accumulator — its op-count is already scalar-independent).
   */
  fixedWindowCT(point, n, bits) {
    const W = FW_WINDOW;
    const size = 1 << W;
    const mask = bitMask(W);
    const table = new Array(size);
    table[0] = this.ZERO;
    for (let i = 1; i < size; i++)
      table[i] = table[i - 1].add(point);
    const windows = Math.ceil(bits / W);
    let acc = this.ZERO;
    for (let window = windows - 1; window >= 0; window--) {
      if (window !== windows - 1)
        for (let d = 0; d < W; d++)
          acc = acc.double();
      const digit = Number(n >> BigInt(window * W) & mask);
      let sel = table[0];
      for (let i = 1; i < size; i++)
        sel = i === digit ? table[i] : sel;
      acc = acc.add(sel);
    }
    return { p: acc, f: acc };
  }
  shouldBlind(point, cofactor) {
    if (this.randomBytes === void 0)
      return false;
    if (cofactor === _1n3)
      return true;
    if (point !== this.BASE)
      return false;
    if (this.baseCanBeBlinded === void 0)
      this.baseCanBeBlinded = this.mulUnsafe(this.BASE, this.Point.Fn.ORDER).is0();
    return this.baseCanBeBlinded;
  }
  mulSecret(point, scalar, cofactor, transform) {
    return this.shouldBlind(point, cofactor) ? this.mulCTBlinded(point, scalar, transform) : this.mulCT(point, scalar, transform);
  }
  mulUnsafe(point, scalar, transform) {
    this.assertPoint(point);
    if (!isPosBig(scalar))
      throw new Error("invalid scalar");
    const W = getWindowSize(point);
    if (W === 1 || scalar >= this.Point.Fn.ORDER)
      return mulAddUnsafe(this.Point, [point], [scalar], true);
    const precomputes = this.getWnafPrecomputes(W, point, this.bits, transform);
    return this.wnafCachedCT(precomputes, scalar).p;
  }
  // Remembers the window size used for precomputed wNAF multiplication of the given point
  // and drops any previously built tables. Usually only the base point is precomputed.
  // W=1 resets the point to the un-precomputed (table-less) paths.
  // W is additionally capped so tables stay under ~2 GiB ({@link TABLE_BYTES_MAX}).
  setWindowSize(point, W) {
    this.assertPoint(point);
    validateW(W, this.bits);
    const windows = Math.ceil((this.bits + BLIND_BITS) / W) + 1;
    validateTableBytes(windows * 2 ** (W - 1), this.Point.Fp.BYTES);
    pointWindowSizes.set(point, W);
    this.wnafPrecomputes.delete(point);
  }
  // True when a window size is set: tables themselves are built lazily on first multiply.
  hasWindowSize(point) {
    return getWindowSize(point) !== 1;
  }
};
function mulAddUnsafe(c, points, scalars, allowOversized = false) {
  validatePointCons(c);
  validateMSMPoints(points, c);
  abool2(allowOversized, "allowOversized");
  validateMSMScalars(scalars, c.Fn, allowOversized ? c.Fn.ORDER ** _4n2 : void 0);
  if (points.length !== scalars.length)
    throw new Error("arrays of points and scalars must have equal length");
  const tables = points.map((p) => oddMultiples(p, 4));
  const digits2 = scalars.map((n) => wnafDigits(n, 4));
  return wnafWalk(c.ZERO, tables, digits2);
}
function interleavedMSMUnsafe(c, points, windowSize) {
  validatePointCons(c);
  const fieldN = c.Fn;
  validateW(windowSize, fieldN.BITS, 2);
  validateMSMPoints(points, c);
  validateTableBytes(points.length * 2 ** (windowSize - 2), c.Fp.BYTES);
  const tables = points.map((p) => oddMultiples(p, 2 ** (windowSize - 2)));
  return (scalars) => {
    validateMSMScalars(scalars, fieldN);
    if (scalars.length > points.length)
      throw new Error("array of scalars must not be larger than array of points");
    return wnafWalk(c.ZERO, tables, scalars.map((n) => wnafDigits(n, windowSize)));
  };
}
function createField(order, field, isLE2) {
  if (field) {
    if (field.ORDER !== order)
      throw new Error("Field.ORDER must match order: Fp == p, Fn == n");
    validateField(field);
    return field;
  } else {
    return Field(order, { isLE: isLE2 });
  }
}
function createCurveFields(type, CURVE, curveOpts = {}, FpFnLE) {
  if (type !== "weierstrass" && type !== "edwards")
    throw new Error('expected curve type "weierstrass" or "edwards"');
  if (FpFnLE === void 0)
    FpFnLE = type === "edwards";
  if (!CURVE || typeof CURVE !== "object")
    throw new Error(`expected valid ${type} CURVE object`);
  validateObject(curveOpts);
  for (const p of ["p", "n", "h"]) {
    const val = CURVE[p];
    if (!(isPosBig(val) && val !== _0n3))
      throw new Error(`CURVE.${p} must be positive bigint`);
  }
  const Fp2 = createField(CURVE.p, curveOpts.Fp, FpFnLE);
  const Fn2 = createField(CURVE.n, curveOpts.Fn, FpFnLE);
  const _b = type === "weierstrass" ? "b" : "d";
  const params = ["Gx", "Gy", "a", _b];
  for (const p of params) {
    if (!Fp2.isValid(CURVE[p]))
      throw new Error(`CURVE.${p} must be valid field element of CURVE.Fp`);
  }
  CURVE = Object.freeze(Object.assign({}, CURVE));
  return { CURVE, Fp: Fp2, Fn: Fn2 };
}
function createKeygen(randomSecretKey, getPublicKey) {
  return function keygen(seed) {
    const secretKey = randomSecretKey(seed);
    return { secretKey, publicKey: getPublicKey(secretKey) };
  };
}

// web/node_modules/@noble/curves/abstract/edwards.js
var _0n4 = /* @__PURE__ */ BigInt(0);
var _1n4 = /* @__PURE__ */ BigInt(1);
var _2n2 = /* @__PURE__ */ BigInt(2);
var _4n3 = /* @__PURE__ */ BigInt(4);
var _8n2 = /* @__PURE__ */ BigInt(8);
function isEdValidXY(Fp2, CURVE, x, y) {
  const x2 = Fp2.sqr(x);
  const y2 = Fp2.sqr(y);
  const left = Fp2.add(Fp2.mul(CURVE.a, x2), y2);
  const right = Fp2.add(Fp2.ONE, Fp2.mul(CURVE.d, Fp2.mul(x2, y2)));
  return Fp2.eql(left, right);
}
function edwards(params, extraOpts = {}) {
  validateObject(extraOpts, {}, {}, "extraOpts");
  const opts = extraOpts;
  const validated = createCurveFields("edwards", params, opts, opts.FpFnLE);
  const { Fp: Fp2, Fn: Fn2 } = validated;
  let CURVE = validated.CURVE;
  const { h: cofactor } = CURVE;
  if (FpLegendre(Fp2, CURVE.a) !== 1)
    throw new Error("edwards: CURVE.a must be a square in Fp for complete addition formulas");
  if (FpLegendre(Fp2, CURVE.d) !== -1)
    throw new Error("edwards: CURVE.d must be a non-square in Fp for complete addition formulas");
  validateObject(opts, {}, { uvRatio: "function", randomBytes: "function" });
  const randomBytes3 = opts.randomBytes === void 0 ? randomBytes2 : opts.randomBytes;
  const MASK = _2n2 << BigInt(Fp2.BYTES * 8) - _1n4;
  function isOdd(n) {
    if (!Fp2.isOdd)
      throw new Error("Field does not have .isOdd()");
    return Fp2.isOdd(n);
  }
  const uvRatio3 = opts.uvRatio === void 0 ? (u, v) => {
    try {
      return { isValid: true, value: Fp2.sqrt(Fp2.div(u, v)) };
    } catch (e) {
      return { isValid: false, value: _0n4 };
    }
  } : opts.uvRatio;
  if (!isEdValidXY(Fp2, CURVE, CURVE.Gx, CURVE.Gy))
    throw new Error("bad curve params: generator point");
  const mulA = Fp2.eql(CURVE.a, Fp2.neg(Fp2.ONE)) ? (x) => Fp2.neg(x) : Fp2.eql(CURVE.a, Fp2.ONE) ? (x) => x : (x) => Fp2.mul(CURVE.a, x);
  function acoord(title, n, banZero = false) {
    const min = banZero ? _1n4 : _0n4;
    aInRange("coordinate " + title, n, min, MASK);
    return n;
  }
  function aedpoint(other) {
    if (!(other instanceof Point2))
      throw new Error("EdwardsPoint expected");
  }
  class Point2 {
    static BASE = new Point2(CURVE.Gx, CURVE.Gy, Fp2.ONE, Fp2.mul(CURVE.Gx, CURVE.Gy));
    static ZERO = new Point2(Fp2.ZERO, Fp2.ONE, Fp2.ONE, Fp2.ZERO);
    static Fp = Fp2;
    static Fn = Fn2;
    X;
    Y;
    Z;
    T;
    constructor(X, Y, Z, T) {
      this.X = acoord("x", X);
      this.Y = acoord("y", Y);
      this.Z = acoord("z", Z, true);
      this.T = acoord("t", T);
      Object.freeze(this);
    }
    static CURVE() {
      return CURVE;
    }
    /**
     * Create one extended Edwards point from affine coordinates.
     * Does NOT validate that the point is on-curve or torsion-free.
     * Use `.assertValidity()` on adversarial inputs.
     */
    static fromAffine(p) {
      if (p instanceof Point2)
        throw new Error("extended point not allowed");
      const { x, y } = p || {};
      acoord("x", x);
      acoord("y", y);
      return new Point2(x, y, Fp2.ONE, Fp2.mul(x, y));
    }
    // Uses algo from RFC8032 5.1.3.
    static fromBytes(bytes, zip215 = false) {
      const len = Fp2.BYTES;
      const { a, d } = CURVE;
      bytes = copyBytes(abytes3(bytes, len, "point"));
      abool2(zip215, "zip215");
      const normed = copyBytes(bytes);
      const lastByte = bytes[len - 1];
      normed[len - 1] = lastByte & ~128;
      const y = bytesToNumberLE2(normed);
      const max = zip215 ? MASK : Fp2.ORDER;
      aInRange("point.y", y, _0n4, max);
      const y2 = Fp2.sqr(y);
      const u = Fp2.sub(y2, Fp2.ONE);
      const v = Fp2.sub(Fp2.mulN(d, y2), a);
      let { isValid, value: x } = uvRatio3(u, v);
      if (!isValid)
        throw new Error("bad point: invalid y coordinate");
      const isXOdd = isOdd(x);
      const isLastByteOdd = (lastByte & 128) !== 0;
      if (!zip215 && Fp2.is0(x) && isLastByteOdd)
        throw new Error("bad point: x=0 and x_0=1");
      if (isLastByteOdd !== isXOdd)
        x = Fp2.neg(x);
      return Point2.fromAffine({ x, y });
    }
    static fromHex(hex, zip215 = false) {
      return Point2.fromBytes(hexToBytes3(hex), zip215);
    }
    get x() {
      return this.toAffine().x;
    }
    get y() {
      return this.toAffine().y;
    }
    precompute(windowSize = 6, isLazy = true) {
      wnaf.setWindowSize(this, windowSize);
      if (!isLazy)
        this.multiply(_2n2);
      return this;
    }
    // Useful in fromAffine() - not for fromBytes(), which always created valid points.
    assertValidity() {
      const p = this;
      const { a, d } = CURVE;
      if (p.is0())
        throw new Error("bad point: ZERO");
      const { X, Y, Z, T } = p;
      const X2 = Fp2.sqr(X);
      const Y2 = Fp2.sqr(Y);
      const Z2 = Fp2.sqr(Z);
      const Z4 = Fp2.sqr(Z2);
      const aX2 = Fp2.mul(X2, a);
      const left = Fp2.mul(Fp2.add(aX2, Y2), Z2);
      const right = Fp2.add(Z4, Fp2.mul(d, Fp2.mul(X2, Y2)));
      if (!Fp2.eql(left, right))
        throw new Error("bad point: equation left != right (1)");
      const XY = Fp2.mul(X, Y);
      const ZT = Fp2.mul(Z, T);
      if (!Fp2.eql(XY, ZT))
        throw new Error("bad point: equation left != right (2)");
    }
    // Compare one point to another.
    equals(other) {
      aedpoint(other);
      const { X: X1, Y: Y1, Z: Z1 } = this;
      const { X: X2, Y: Y2, Z: Z2 } = other;
      const X1Z2 = Fp2.mul(X1, Z2);
      const X2Z1 = Fp2.mul(X2, Z1);
      const Y1Z2 = Fp2.mul(Y1, Z2);
      const Y2Z1 = Fp2.mul(Y2, Z1);
      return Fp2.eql(X1Z2, X2Z1) && Fp2.eql(Y1Z2, Y2Z1);
    }
    is0() {
      return this.equals(Point2.ZERO);
    }
    negate() {
      return new Point2(Fp2.neg(this.X), this.Y, this.Z, Fp2.neg(this.T));
    }
    // Fast algo for doubling Extended Point.
    // https://hyperelliptic.org/EFD/g1p/auto-twisted-extended.html#doubling-dbl-2008-hwcd
    // Cost: 4M + 4S + 1*a + 6add + 1*2.
    double() {
      const { X: X1, Y: Y1, Z: Z1 } = this;
      const A = Fp2.sqr(X1);
      const B2 = Fp2.sqr(Y1);
      const C = Fp2.mul(Fp2.sqr(Z1), _2n2);
      const D = mulA(A);
      const x1y1 = Fp2.addN(X1, Y1);
      const E = Fp2.sub(Fp2.subN(Fp2.sqr(x1y1), A), B2);
      const G2 = Fp2.addN(D, B2);
      const F = Fp2.subN(G2, C);
      const H = Fp2.subN(D, B2);
      const X3 = Fp2.mul(E, F);
      const Y3 = Fp2.mul(G2, H);
      const T3 = Fp2.mul(E, H);
      const Z3 = Fp2.mul(F, G2);
      return new Point2(X3, Y3, Z3, T3);
    }
    // Fast algo for adding 2 Extended Points.
    // https://hyperelliptic.org/EFD/g1p/auto-twisted-extended.html#addition-add-2008-hwcd
    // Cost: 9M + 1*a + 1*d + 7add.
    add(other) {
      aedpoint(other);
      const { d } = CURVE;
      const { X: X1, Y: Y1, Z: Z1, T: T1 } = this;
      const { X: X2, Y: Y2, Z: Z2, T: T2 } = other;
      const A = Fp2.mul(X1, X2);
      const B2 = Fp2.mul(Y1, Y2);
      const C = Fp2.mul(Fp2.mulN(T1, d), T2);
      const D = Fp2.mul(Z1, Z2);
      const E = Fp2.sub(Fp2.subN(Fp2.mulN(Fp2.addN(X1, Y1), Fp2.addN(X2, Y2)), A), B2);
      const F = Fp2.subN(D, C);
      const G2 = Fp2.addN(D, C);
      const H = Fp2.sub(B2, mulA(A));
      const X3 = Fp2.mul(E, F);
      const Y3 = Fp2.mul(G2, H);
      const T3 = Fp2.mul(E, H);
      const Z3 = Fp2.mul(F, G2);
      return new Point2(X3, Y3, Z3, T3);
    }
    subtract(other) {
      aedpoint(other);
      return this.add(other.negate());
    }
    // Constant-time multiplication.
    multiply(scalar) {
      if (!Fn2.isValidNot0(scalar))
        throw new RangeError("invalid scalar: expected 1 <= sc < curve.n");
      const { p, f } = wnaf.mulSecret(this, scalar, cofactor, normalize);
      return normalize([p, f])[0];
    }
    // Non-constant-time multiplication. Uses double-and-add algorithm.
    // It's faster, but should only be used when you don't care about
    // an exposed private key e.g. sig verification.
    // Keeps the same subgroup-scalar contract: 0 is allowed for public-scalar callers, but
    // n and larger values are rejected instead of being reduced mod n to the identity point.
    multiplyUnsafe(scalar) {
      if (!Fn2.isValid(scalar))
        throw new RangeError("invalid scalar: expected 0 <= sc < curve.n");
      if (scalar === _0n4)
        return Point2.ZERO;
      if (this.is0() || scalar === _1n4)
        return this;
      return wnaf.mulUnsafe(this, scalar, normalize);
    }
    // Checks if point is of small order.
    // If you add something to small order point, you will have "dirty"
    // point with torsion component.
    // Clears cofactor and checks if the result is 0.
    isSmallOrder() {
      return this.clearCofactor().is0();
    }
    // Multiplies point by curve order and checks if the result is 0.
    // Returns `false` is the point is dirty.
    isTorsionFree() {
      return wnaf.mulUnsafe(this, CURVE.n).is0();
    }
    // Converts Extended point to default (x, y) coordinates.
    // Can accept precomputed Z^-1 - for example, from invertBatch.
    toAffine(invertedZ) {
      const p = this;
      let iz = invertedZ;
      if (iz != null && typeof iz !== "bigint")
        throw new TypeError('"invertedZ" expected bigint, got type=' + typeof iz);
      const { X, Y, Z } = p;
      const is0 = p.is0();
      if (iz == null)
        iz = is0 ? Fp2.create(_8n2) : Fp2.inv(Z);
      const x = Fp2.mul(X, iz);
      const y = Fp2.mul(Y, iz);
      const zz = Fp2.mul(Z, iz);
      if (is0)
        return { x: Fp2.ZERO, y: Fp2.ONE };
      if (!Fp2.eql(zz, Fp2.ONE))
        throw new Error("invZ was invalid");
      return { x, y };
    }
    clearCofactor() {
      if (cofactor === _1n4)
        return this;
      if (cofactor === _2n2)
        return this.double();
      if (cofactor === _4n3)
        return this.double().double();
      if (cofactor === _8n2)
        return this.double().double().double();
      return this.multiplyUnsafe(cofactor);
    }
    toBytes() {
      const { x, y } = this.toAffine();
      const bytes = Fp2.toBytes(y);
      bytes[bytes.length - 1] |= isOdd(x) ? 128 : 0;
      return bytes;
    }
    toHex() {
      return bytesToHex3(this.toBytes());
    }
    toString() {
      return `<Point ${this.is0() ? "ZERO" : this.toHex()}>`;
    }
  }
  const normalize = (points) => normalizeZ(Point2, points);
  const wnaf = new ScalarMultiplier(Point2, randomBytes3);
  if (wnaf.bits >= 6)
    Point2.BASE.precompute(6);
  Object.freeze(Point2.prototype);
  Object.freeze(Point2);
  return Point2;
}
var PrimeEdwardsPoint = class {
  static BASE;
  static ZERO;
  static Fp;
  static Fn;
  ep;
  /**
   * Wrap one internal Edwards representative directly.
   * This is not a canonical encoding boundary: alternate Edwards
   * representatives may still describe the same abstract wrapper element.
   */
  constructor(ep) {
    this.ep = ep;
  }
  // Static methods that must be implemented by subclasses
  static fromBytes(_bytes) {
    notImplemented();
  }
  static fromHex(_hex) {
    notImplemented();
  }
  get x() {
    return this.toAffine().x;
  }
  get y() {
    return this.toAffine().y;
  }
  // Common implementations
  clearCofactor() {
    return this;
  }
  assertValidity() {
    this.ep.assertValidity();
  }
  /**
   * Return affine coordinates of the current internal Edwards representative.
   * This is a convenience helper, not a canonical Ristretto/Decaf encoding.
   * Equal abstract elements may expose different `x` / `y`; use
   * `toBytes()` / `fromBytes()` for canonical roundtrips.
   */
  toAffine(invertedZ) {
    return this.ep.toAffine(invertedZ);
  }
  toHex() {
    return bytesToHex3(this.toBytes());
  }
  toString() {
    return this.toHex();
  }
  isTorsionFree() {
    return true;
  }
  isSmallOrder() {
    return false;
  }
  add(other) {
    this.assertSame(other);
    return this.init(this.ep.add(other.ep));
  }
  subtract(other) {
    this.assertSame(other);
    return this.init(this.ep.subtract(other.ep));
  }
  multiply(scalar) {
    return this.init(this.ep.multiply(scalar));
  }
  multiplyUnsafe(scalar) {
    return this.init(this.ep.multiplyUnsafe(scalar));
  }
  double() {
    return this.init(this.ep.double());
  }
  negate() {
    return this.init(this.ep.negate());
  }
  precompute(windowSize, isLazy) {
    this.ep.precompute(windowSize, isLazy);
    return this;
  }
};
function eddsa(Point2, cHash, eddsaOpts = {}) {
  validatePointCons(Point2);
  if (typeof cHash !== "function")
    throw new Error('"hash" function param is required');
  const hash = cHash;
  const opts = eddsaOpts;
  validateObject(opts, {}, {
    adjustScalarBytes: "function",
    randomBytes: "function",
    domain: "function",
    prehash: "function",
    zip215: "boolean",
    mapToCurve: "function",
    toMontgomery: "function",
    toMontgomerySecret: "function"
  });
  const { prehash } = opts;
  const { BASE, Fp: Fp2, Fn: Fn2 } = Point2;
  const outputLen = hash.outputLen;
  const expectedLen = 2 * Fp2.BYTES;
  if (outputLen !== void 0) {
    asafenumber(outputLen, "hash.outputLen");
    if (outputLen !== expectedLen)
      throw new Error(`hash.outputLen must be ${expectedLen}, got ${outputLen}`);
  }
  const randomBytes3 = opts.randomBytes === void 0 ? randomBytes2 : opts.randomBytes;
  const toMontgomery2 = opts.toMontgomery;
  const toMontgomerySecret2 = opts.toMontgomerySecret;
  const adjustScalarBytes2 = opts.adjustScalarBytes === void 0 ? (bytes) => bytes : opts.adjustScalarBytes;
  const domain = opts.domain === void 0 ? (data, ctx, phflag) => {
    abool2(phflag, "phflag");
    if (ctx.length || phflag)
      throw new Error("Contexts/pre-hash are not supported");
    return data;
  } : opts.domain;
  function modN_LE(hash2) {
    return Fn2.create(bytesToNumberLE2(hash2));
  }
  function getPrivateScalar(key) {
    const len = lengths.secretKey;
    abytes3(key, lengths.secretKey, "secretKey");
    const hashed = abytes3(hash(key), 2 * len, "hashedSecretKey");
    const head2 = adjustScalarBytes2(hashed.slice(0, len));
    const prefix = hashed.slice(len, 2 * len);
    const scalar = modN_LE(head2);
    return { head: head2, prefix, scalar };
  }
  function getExtendedPublicKey(secretKey) {
    const { head: head2, prefix, scalar } = getPrivateScalar(secretKey);
    const point = BASE.multiply(scalar);
    const pointBytes = point.toBytes();
    return { head: head2, prefix, scalar, point, pointBytes };
  }
  function getPublicKey(secretKey) {
    return getExtendedPublicKey(secretKey).pointBytes;
  }
  function hashDomainToScalar(context = Uint8Array.of(), ...msgs) {
    const msg = concatBytes2(...msgs);
    return modN_LE(hash(domain(msg, abytes3(context, void 0, "context"), !!prehash)));
  }
  function sign(msg, secretKey, options = {}) {
    validateObject(options, {}, {}, "options");
    msg = copyBytes(abytes3(msg, void 0, "message"));
    if (prehash)
      msg = prehash(msg);
    const { prefix, scalar, pointBytes } = getExtendedPublicKey(secretKey);
    const r = hashDomainToScalar(options.context, prefix, msg);
    const R = BASE.multiply(r).toBytes();
    const k = hashDomainToScalar(options.context, R, pointBytes, msg);
    const s = Fn2.create(r + k * scalar);
    if (!Fn2.isValid(s))
      throw new Error("sign failed: invalid s");
    const rs = concatBytes2(R, Fn2.toBytes(s));
    return abytes3(rs, lengths.signature, "result");
  }
  const verifyOpts = {
    zip215: opts.zip215
  };
  function verify(sig, msg, publicKey, options = verifyOpts) {
    validateObject(options);
    const { context } = options;
    const zip215 = options.zip215 === void 0 ? !!verifyOpts.zip215 : options.zip215;
    const len = lengths.signature;
    sig = abytes3(sig, len, "signature");
    msg = abytes3(msg, void 0, "message");
    publicKey = abytes3(publicKey, lengths.publicKey, "publicKey");
    if (zip215 !== void 0)
      abool2(zip215, "zip215");
    if (prehash)
      msg = prehash(msg);
    const mid = len / 2;
    const r = sig.subarray(0, mid);
    const s = bytesToNumberLE2(sig.subarray(mid, len));
    let A, R, SB;
    try {
      A = Point2.fromBytes(publicKey, zip215);
      R = Point2.fromBytes(r, zip215);
      SB = BASE.multiplyUnsafe(s);
    } catch (error) {
      return false;
    }
    if (!zip215 && A.isSmallOrder())
      return false;
    const k = hashDomainToScalar(context, r, publicKey, msg);
    const RkA = R.add(A.multiplyUnsafe(k));
    return RkA.subtract(SB).clearCofactor().is0();
  }
  const _size = Fp2.BYTES;
  const lengths = {
    secretKey: _size,
    publicKey: _size,
    signature: 2 * _size,
    seed: _size
  };
  function randomSecretKey(seed) {
    seed = seed === void 0 ? randomBytes3(lengths.seed) : seed;
    return abytes3(seed, lengths.seed, "seed");
  }
  function isValidSecretKey(key) {
    return isBytes3(key) && key.length === lengths.secretKey;
  }
  function isValidPublicKey(key, zip215) {
    try {
      return !!Point2.fromBytes(key, zip215 === void 0 ? verifyOpts.zip215 : zip215);
    } catch (error) {
      return false;
    }
  }
  const utils = {
    getExtendedPublicKey,
    randomSecretKey,
    isValidSecretKey,
    isValidPublicKey,
    /** Converts an Edwards public key to a companion Montgomery public key. */
    toMontgomery(publicKey) {
      if (toMontgomery2 === void 0)
        throw new Error("Montgomery conversion is not supported for this curve");
      return toMontgomery2(Point2.fromBytes(publicKey));
    },
    toMontgomerySecret(secretKey) {
      if (toMontgomerySecret2 === void 0)
        throw new Error("Montgomery conversion is not supported for this curve");
      return toMontgomerySecret2(secretKey);
    }
  };
  Object.freeze(lengths);
  Object.freeze(utils);
  return Object.freeze({
    keygen: createKeygen(randomSecretKey, getPublicKey),
    getPublicKey,
    sign,
    verify,
    utils,
    Point: Point2,
    lengths
  });
}

// web/node_modules/@noble/curves/abstract/hash-to-curve.js
function i2osp(value, length) {
  asafenumber(value);
  asafenumber(length);
  if (length < 0 || length > 4)
    throw new Error("invalid I2OSP length: " + length);
  if (value < 0 || value > 2 ** (8 * length) - 1)
    throw new Error("invalid I2OSP input: " + value);
  const res = Array.from({ length }).fill(0);
  for (let i = length - 1; i >= 0; i--) {
    res[i] = value & 255;
    value >>>= 8;
  }
  return new Uint8Array(res);
}
function strxor(a, b) {
  const arr = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) {
    arr[i] = a[i] ^ b[i];
  }
  return arr;
}
function normDST(DST) {
  if (!isBytes3(DST) && typeof DST !== "string")
    throw new Error("DST must be Uint8Array or ascii string");
  const dst = typeof DST === "string" ? asciiToBytes(DST) : DST;
  if (dst.length === 0)
    throw new Error("DST must be non-empty");
  return dst;
}
function expand_message_xmd(msg, DST, lenInBytes, H) {
  abytes3(msg);
  asafenumber(lenInBytes);
  if (typeof H !== "function")
    throw new Error("expand_message_xmd: expected hash function");
  asafenumber(H.outputLen, "hash.outputLen");
  asafenumber(H.blockLen, "hash.blockLen");
  DST = normDST(DST);
  if (DST.length > 255)
    DST = H(concatBytes2(asciiToBytes("H2C-OVERSIZE-DST-"), DST));
  const { outputLen: b_in_bytes, blockLen: r_in_bytes } = H;
  const ell = Math.ceil(lenInBytes / b_in_bytes);
  if (lenInBytes > 65535 || ell > 255)
    throw new Error("expand_message_xmd: invalid lenInBytes");
  const DST_prime = concatBytes2(DST, i2osp(DST.length, 1));
  const Z_pad = new Uint8Array(r_in_bytes);
  const l_i_b_str = i2osp(lenInBytes, 2);
  const b = new Array(ell);
  const b_0 = H(concatBytes2(Z_pad, msg, l_i_b_str, i2osp(0, 1), DST_prime));
  b[0] = H(concatBytes2(b_0, i2osp(1, 1), DST_prime));
  for (let i = 1; i < ell; i++) {
    const args = [strxor(b_0, b[i - 1]), i2osp(i + 1, 1), DST_prime];
    b[i] = H(concatBytes2(...args));
  }
  const pseudo_random_bytes = concatBytes2(...b);
  return pseudo_random_bytes.slice(0, lenInBytes);
}
var _DST_scalar = "HashToScalar-";

// web/node_modules/@noble/curves/ed25519.js
var _1n5 = /* @__PURE__ */ BigInt(1);
var _2n3 = /* @__PURE__ */ BigInt(2);
var _5n2 = /* @__PURE__ */ BigInt(5);
var _8n3 = /* @__PURE__ */ BigInt(8);
var ed25519_CURVE_p = /* @__PURE__ */ BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed");
var ed25519_CURVE2 = /* @__PURE__ */ (() => ({
  p: ed25519_CURVE_p,
  n: BigInt("0x1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed"),
  h: _8n3,
  a: BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec"),
  d: BigInt("0x52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3"),
  Gx: BigInt("0x216936d3cd6e53fec0a4e231fdd6dc5c692cc7609525a7b2c9562d608f25d51a"),
  Gy: BigInt("0x6666666666666666666666666666666666666666666666666666666666666658")
}))();
function ed25519_pow_2_252_3(x) {
  const _10n = BigInt(10), _20n = BigInt(20), _40n = BigInt(40), _80n = BigInt(80);
  const P2 = ed25519_CURVE_p;
  const x2 = x * x % P2;
  const b2 = x2 * x % P2;
  const b4 = pow22(b2, _2n3, P2) * b2 % P2;
  const b5 = pow22(b4, _1n5, P2) * x % P2;
  const b10 = pow22(b5, _5n2, P2) * b5 % P2;
  const b20 = pow22(b10, _10n, P2) * b10 % P2;
  const b40 = pow22(b20, _20n, P2) * b20 % P2;
  const b80 = pow22(b40, _40n, P2) * b40 % P2;
  const b160 = pow22(b80, _80n, P2) * b80 % P2;
  const b240 = pow22(b160, _80n, P2) * b80 % P2;
  const b250 = pow22(b240, _10n, P2) * b10 % P2;
  const pow_p_5_8 = pow22(b250, _2n3, P2) * x % P2;
  return { pow_p_5_8, b2 };
}
function adjustScalarBytes(bytes) {
  bytes[0] &= 248;
  bytes[31] &= 127;
  bytes[31] |= 64;
  return bytes;
}
var ED25519_SQRT_M1 = /* @__PURE__ */ BigInt("19681161376707505956807079304988542015446066515923890162744021073123829784752");
function uvRatio2(u, v) {
  const P2 = ed25519_CURVE_p;
  const v3 = mod2(v * v * v, P2);
  const v7 = mod2(v3 * v3 * v, P2);
  const pow3 = ed25519_pow_2_252_3(u * v7).pow_p_5_8;
  let x = mod2(u * v3 * pow3, P2);
  const vx2 = mod2(v * x * x, P2);
  const root1 = x;
  const root2 = mod2(x * ED25519_SQRT_M1, P2);
  const useRoot1 = vx2 === u;
  const useRoot2 = vx2 === mod2(-u, P2);
  const noRoot = vx2 === mod2(-u * ED25519_SQRT_M1, P2);
  if (useRoot1)
    x = root1;
  if (useRoot2 || noRoot)
    x = root2;
  if (isNegativeLE(x, P2))
    x = mod2(-x, P2);
  return { isValid: useRoot1 || useRoot2, value: x };
}
var ed25519_Point = /* @__PURE__ */ edwards(ed25519_CURVE2, { uvRatio: uvRatio2 });
var Fp = /* @__PURE__ */ (() => ed25519_Point.Fp)();
function toMontgomery(point) {
  const { y } = point;
  return Fp.toBytes(Fp.div(_1n5 + y, _1n5 - y));
}
function toMontgomerySecret(secretKey) {
  const size = ed25519_Point.Fp.BYTES;
  abytes(secretKey, size);
  return adjustScalarBytes(sha512(secretKey.subarray(0, size))).subarray(0, size);
}
var Fn = /* @__PURE__ */ (() => ed25519_Point.Fn)();
function ed(opts) {
  return eddsa(ed25519_Point, sha512, Object.assign({ adjustScalarBytes, toMontgomery, toMontgomerySecret, zip215: true }, opts));
}
var ed25519 = /* @__PURE__ */ ed({});
var SQRT_M1 = ED25519_SQRT_M1;
var SQRT_AD_MINUS_ONE = /* @__PURE__ */ BigInt("25063068953384623474111414158702152701244531502492656460079210482610430750235");
var INVSQRT_A_MINUS_D = /* @__PURE__ */ BigInt("54469307008909316920995813868745141605393597292927456921205312896311721017578");
var ONE_MINUS_D_SQ = /* @__PURE__ */ BigInt("1159843021668779879193775521855586647937357759715417654439879720876111806838");
var D_MINUS_ONE_SQ = /* @__PURE__ */ BigInt("40440834346308536858101042469323190826248399146238708352240133220865137265952");
var invertSqrt = (number) => uvRatio2(_1n5, number);
var MAX_255B = /* @__PURE__ */ BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
var bytes255ToNumberLE = (bytes) => Fp.create(bytesToNumberLE2(bytes) & MAX_255B);
function calcElligatorRistrettoMap(r0) {
  const { d } = ed25519_CURVE2;
  const r = Fp.mul(Fp.mulN(SQRT_M1, r0), r0);
  const Ns = Fp.mul(Fp.addN(r, _1n5), ONE_MINUS_D_SQ);
  let c = BigInt(-1);
  const D = Fp.mul(Fp.subN(c, Fp.mulN(d, r)), Fp.add(r, d));
  let { isValid: Ns_D_is_sq, value: s } = uvRatio2(Ns, D);
  let s_ = Fp.mul(s, r0);
  if (!Fp.isOdd(s_))
    s_ = Fp.neg(s_);
  if (!Ns_D_is_sq)
    s = s_;
  if (!Ns_D_is_sq)
    c = r;
  const Nt = Fp.sub(Fp.mulN(Fp.mulN(c, Fp.subN(r, _1n5)), D_MINUS_ONE_SQ), D);
  const s2 = Fp.sqrN(s);
  const W0 = Fp.mul(Fp.addN(s, s), D);
  const W1 = Fp.mul(Nt, SQRT_AD_MINUS_ONE);
  const W2 = Fp.sub(_1n5, s2);
  const W3 = Fp.add(_1n5, s2);
  return new ed25519_Point(Fp.mul(W0, W3), Fp.mul(W2, W1), Fp.mul(W1, W3), Fp.mul(W0, W2));
}
var _RistrettoPoint = class __RistrettoPoint extends PrimeEdwardsPoint {
  // Do NOT change syntax: the following gymnastics is done,
  // because typescript strips comments, which makes bundlers disable tree-shaking.
  // prettier-ignore
  static BASE = /* @__PURE__ */ (() => new __RistrettoPoint(ed25519_Point.BASE))();
  // prettier-ignore
  static ZERO = /* @__PURE__ */ (() => new __RistrettoPoint(ed25519_Point.ZERO))();
  // prettier-ignore
  static Fp = /* @__PURE__ */ (() => Fp)();
  // prettier-ignore
  static Fn = /* @__PURE__ */ (() => Fn)();
  constructor(ep) {
    super(ep);
  }
  /**
   * Create one Ristretto255 point from affine Edwards coordinates.
   * This wraps the internal Edwards representative directly and is not a
   * canonical ristretto255 decoding path.
   * Use `toBytes()` / `fromBytes()` if canonical ristretto255 bytes matter.
   */
  static fromAffine(ap) {
    return new __RistrettoPoint(ed25519_Point.fromAffine(ap));
  }
  assertSame(other) {
    if (!(other instanceof __RistrettoPoint))
      throw new Error("RistrettoPoint expected");
  }
  init(ep) {
    return new __RistrettoPoint(ep);
  }
  static fromBytes(bytes) {
    abytes(bytes, 32);
    const { a, d } = ed25519_CURVE2;
    const s = bytes255ToNumberLE(bytes);
    if (!equalBytes(Fp.toBytes(s), bytes) || Fp.isOdd(s))
      throw new Error("invalid ristretto255 encoding 1");
    const s2 = Fp.sqr(s);
    const u1 = Fp.add(_1n5, Fp.mulN(a, s2));
    const u2 = Fp.sub(_1n5, Fp.mulN(a, s2));
    const u1_2 = Fp.sqr(u1);
    const u2_2 = Fp.sqr(u2);
    const v = Fp.sub(Fp.mulN(Fp.mulN(a, d), u1_2), u2_2);
    const { isValid, value: I2 } = invertSqrt(Fp.mul(v, u2_2));
    const Dx = Fp.mul(I2, u2);
    const Dy = Fp.mul(Fp.mulN(I2, Dx), v);
    let x = Fp.mul(Fp.addN(s, s), Dx);
    if (Fp.isOdd(x))
      x = Fp.neg(x);
    const y = Fp.mul(u1, Dy);
    const t2 = Fp.mul(x, y);
    if (!isValid || Fp.isOdd(t2) || Fp.is0(y))
      throw new Error("invalid ristretto255 encoding 2");
    return new __RistrettoPoint(new ed25519_Point(x, y, Fp.ONE, t2));
  }
  /**
   * Converts ristretto-encoded string to ristretto point.
   * Described in [RFC9496](https://www.rfc-editor.org/rfc/rfc9496#name-decode).
   * @param hex - Ristretto-encoded 32 bytes. Not every 32-byte string is valid ristretto encoding
   */
  static fromHex(hex) {
    return __RistrettoPoint.fromBytes(hexToBytes(hex));
  }
  /**
   * Encodes ristretto point to Uint8Array.
   * Described in [RFC9496](https://www.rfc-editor.org/rfc/rfc9496#name-encode).
   */
  toBytes() {
    let { X, Y, Z, T } = this.ep;
    const u1 = Fp.mul(Fp.add(Z, Y), Fp.sub(Z, Y));
    const u2 = Fp.mul(X, Y);
    const u2sq = Fp.sqr(u2);
    const { value: invsqrt } = invertSqrt(Fp.mul(u1, u2sq));
    const D1 = Fp.mul(invsqrt, u1);
    const D2 = Fp.mul(invsqrt, u2);
    const zInv = Fp.mul(Fp.mulN(D1, D2), T);
    let D;
    if (Fp.isOdd(Fp.mul(T, zInv))) {
      let _x = Fp.mul(Y, SQRT_M1);
      let _y = Fp.mul(X, SQRT_M1);
      X = _x;
      Y = _y;
      D = Fp.mul(D1, INVSQRT_A_MINUS_D);
    } else {
      D = D2;
    }
    if (Fp.isOdd(Fp.mul(X, zInv)))
      Y = Fp.neg(Y);
    let s = Fp.mul(Fp.subN(Z, Y), D);
    if (Fp.isOdd(s))
      s = Fp.neg(s);
    return Fp.toBytes(s);
  }
  /**
   * Compares two Ristretto points.
   * Described in [RFC9496](https://www.rfc-editor.org/rfc/rfc9496#name-equals).
   */
  equals(other) {
    this.assertSame(other);
    const { X: X1, Y: Y1 } = this.ep;
    const { X: X2, Y: Y2 } = other.ep;
    const one = Fp.eql(Fp.mul(X1, Y2), Fp.mul(Y1, X2));
    const two = Fp.eql(Fp.mul(Y1, Y2), Fp.mul(X1, X2));
    return one || two;
  }
  is0() {
    return this.equals(__RistrettoPoint.ZERO);
  }
};
var ristretto255 = /* @__PURE__ */ (() => {
  Object.freeze(_RistrettoPoint.BASE);
  Object.freeze(_RistrettoPoint.ZERO);
  Object.freeze(_RistrettoPoint.prototype);
  Object.freeze(_RistrettoPoint);
  return Object.freeze({ Point: _RistrettoPoint });
})();
var ristretto255_hasher = /* @__PURE__ */ Object.freeze({
  Point: _RistrettoPoint,
  /**
  * Spec: https://www.rfc-editor.org/rfc/rfc9380.html#name-hashing-to-ristretto255. Caveats:
  * * There are no test vectors
  * * encodeToCurve / mapToCurve is undefined
  * * mapToCurve would be `calcElligatorRistrettoMap(scalars[0])`, not ristretto255_map!
  * * hashToScalar is undefined too, so we just use OPRF implementation
  * * We cannot re-use 'createHasher', because ristretto255_map is different algorithm/RFC
    (os2ip -> bytes255ToNumberLE)
  * * mapToCurve == calcElligatorRistrettoMap, hashToCurve == ristretto255_map
  * * hashToScalar is undefined in RFC9380 for ristretto, so we use the OPRF
    version here. Using `bytes255ToNumblerLE` will create a different result
    if we use `bytes255ToNumberLE` as os2ip
  * * current version is closest to spec.
  */
  hashToCurve(msg, options) {
    const DST = options?.DST === void 0 ? "ristretto255_XMD:SHA-512_R255MAP_RO_" : options.DST;
    const xmd = expand_message_xmd(msg, DST, 64, sha512);
    return ristretto255_hasher.deriveToCurve(xmd);
  },
  hashToScalar(msg, options) {
    const DST = options?.DST === void 0 ? _DST_scalar : options.DST;
    const xmd = expand_message_xmd(msg, DST, 64, sha512);
    return Fn.create(bytesToNumberLE2(xmd));
  },
  /**
   * HashToCurve-like construction based on RFC 9496 (Element Derivation).
   * Converts 64 uniform random bytes into a curve point.
   *
   * WARNING: This represents an older hash-to-curve construction from before
   * RFC 9380 was finalized.
   * It was later reused as a component in the newer
   * `hash_to_ristretto255` function defined in RFC 9380.
   */
  deriveToCurve(bytes) {
    abytes(bytes, 64);
    const r1 = bytes255ToNumberLE(bytes.subarray(0, 32));
    const R1 = calcElligatorRistrettoMap(r1);
    const r2 = bytes255ToNumberLE(bytes.subarray(32, 64));
    const R2 = calcElligatorRistrettoMap(r2);
    return new _RistrettoPoint(R1.add(R2));
  }
});

// web/src/zk.js
var L2 = 2n ** 252n + 27742317777372353535851937790883648493n;
var POINT_SIZE = 32;
var SCALAR_SIZE = 32;
var H_DOMAIN_TAG = "tanji.pedersen.v1.H";
var RANGE_BITS = 56;
var RANGE_PROOF_TYPE = "tanji.rangeproof.v1";
var BIT_SIZE = POINT_SIZE + 3 * SCALAR_SIZE;
var RANGE_PROOF_SIZE = 32 + SCALAR_SIZE + RANGE_BITS * BIT_SIZE;
var ROLLUP_TYPE = "tanji.rollup.v1";
var MAX_LINES = 4096;
var MAX_QUANTITY = 2n ** 64n;
var MAX_TOTAL = 2n ** 128n;
var TRANSCRIPT_DOMAIN = "tanji.transcript.v1";
var RISTRETTO = ristretto255.Point;
var EDWARDS = ed25519.Point;
var RANGE_CONTEXT_TAG = utf8("tanji.rangeproof.context.v1\0");
var OWN_CONTEXT_TAG = utf8("tanji.rollup.own.v1\0");
var MAX_REF = 256;
var MAX_UINT_DIGITS = 80;
var UINT = /^(?:0|[1-9][0-9]*)$/;
var LOWER_HEX = /^[0-9a-f]*$/;
var ASCII = /^[\x00-\x7f]*$/;
var PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
var fail = (step, reason) => {
  throw new VerificationError(step, reason);
};
function leToBigInt(bytes) {
  let hex = "";
  for (let i = bytes.length - 1; i >= 0; i--) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
  return hex === "" ? 0n : BigInt(`0x${hex}`);
}
function bigIntToLe(n, size) {
  const out = new Uint8Array(size);
  let x = n;
  for (let i = 0; i < size; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}
var mod3 = (k) => (k % L2 + L2) % L2;
var encode = (ep) => new RISTRETTO(ep).toBytes();
var sameElement = (a, b) => new RISTRETTO(a).equals(new RISTRETTO(b));
function decodePoint(data, step) {
  if (data.length !== POINT_SIZE) fail(step, `a point is ${POINT_SIZE} bytes, got ${data.length}`);
  if (data.every((b) => b === 0)) fail(step, "the identity element is not accepted");
  if (data[31] & 128) fail(step, "not a canonical encoding (bit 255 is set)");
  let point;
  try {
    point = RISTRETTO.fromBytes(data);
  } catch {
    fail(step, "not the canonical encoding of a ristretto255 group element");
  }
  return Object.freeze({ bytes: Uint8Array.from(data), ep: point.ep });
}
function decodeScalar(data, step) {
  if (data.length !== SCALAR_SIZE) fail(step, `a scalar is ${SCALAR_SIZE} bytes, got ${data.length}`);
  const k = leToBigInt(data);
  if (k >= L2) fail(step, "scalar is not reduced modulo the group order (non-canonical)");
  return k;
}
var H_POINT = ristretto255_hasher.deriveToCurve(sha512(utf8(H_DOMAIN_TAG)));
var G_BYTES = RISTRETTO.BASE.toBytes();
var H_BYTES = H_POINT.toBytes();
var G_EP = EDWARDS.fromAffine(RISTRETTO.BASE.ep.toAffine());
var H_EP = EDWARDS.fromAffine(H_POINT.ep.toAffine());
G_EP.precompute(8);
H_EP.precompute(8);
var u64 = (n) => bigIntToLe(BigInt(n), 8);
var frame = (tag, label, data) => {
  const l = utf8(label);
  return concat(utf8(tag), u64(l.length), l, u64(data.length), data);
};
var Transcript = class {
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
    return leToBigInt(digest) % L2;
  }
};
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
function parseCommitment(value, step = Step.COMMITMENT_POINT) {
  return decodePoint(readHex(value, 32, step, "commitment"), step);
}
function rangeContextDigest(context) {
  return sha2562(concat(RANGE_CONTEXT_TAG, context));
}
function rangeProofFromBytes(data) {
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
var isRangeBits = (bits) => (
  // Python compares `bits != 56` (a bool refused first): a float 56.0 equals 56.
  typeof bits === "number" && bits === RANGE_BITS || bits instanceof JsonFloat && Number(bits.text) === RANGE_BITS
);
function parseRangeProof(obj) {
  const m = checkKeys(obj, ["type", "bits", "proof"], Step.RANGEPROOF_SCHEMA, "range proof");
  if (m.type !== RANGE_PROOF_TYPE) fail(Step.RANGEPROOF_SCHEMA, `type must be '${RANGE_PROOF_TYPE}'`);
  if (!isRangeBits(m.bits)) fail(Step.RANGEPROOF_SCHEMA, `bits must be ${RANGE_BITS}`);
  return rangeProofFromBytes(readBase64(m.proof, Step.RANGEPROOF_SCHEMA, "proof"));
}
function rangeTranscript(digest, commitment, bits) {
  const t2 = new Transcript(RANGE_PROOF_TYPE);
  t2.append("context", digest);
  t2.append("G", G_BYTES);
  t2.append("H", H_BYTES);
  t2.append("bits", u64(RANGE_BITS));
  t2.append("commitment", commitment.bytes);
  for (const b of bits) t2.append("bit", b.commitment.bytes);
  return t2;
}
var DIGIT_BITS = 64n;
var DIGIT_MASK = (1n << DIGIT_BITS) - 1n;
var digits = (k) => [k & DIGIT_MASK, k >> 64n & DIGIT_MASK, k >> 128n & DIGIT_MASK, k >> 192n];
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
function verifyRange(commitment, proof, context) {
  if (!bytesEqual(proof.contextDigest, rangeContextDigest(context))) {
    fail(Step.RANGEPROOF_TRANSCRIPT, "the proof was made for another context (statement)");
  }
  const bits = proof.bits;
  let acc = bits[bits.length - 1].commitment.ep;
  for (let j = bits.length - 2; j >= 0; j--) acc = acc.double().add(bits[j].commitment.ep);
  if (!sameElement(acc, commitment.ep)) fail(Step.RANGEPROOF_SUM, "the bit commitments do not add up to the commitment");
  const t2 = rangeTranscript(proof.contextDigest, commitment, bits);
  const e = proof.challenge;
  for (const b of bits) {
    const e1 = mod3(e - b.e0);
    const [x0, x1] = twoProducts(b.commitment.ep, b.e0, e1);
    t2.append("a0", encode(H_EP.multiplyUnsafe(b.s0).subtract(x0)));
    t2.append("a1", encode(H_EP.multiplyUnsafe(b.s1).subtract(x1).add(G_EP.multiplyUnsafe(e1))));
  }
  if (t2.challenge("e") !== e) fail(Step.RANGEPROOF_BIT, "a bit proof does not verify: some C_j does not commit to 0 or 1");
}
function checkRef(ref, step) {
  if (typeof ref !== "string" || !(ref.length > 0 && ref.length <= MAX_REF) || !ASCII.test(ref)) {
    fail(step, `ref must be 1..${MAX_REF} ASCII characters`);
  }
  if (!PRINTABLE_ASCII.test(ref)) fail(step, "ref must be printable");
  return ref;
}
function parseRollup(obj) {
  const m = checkKeys(obj, ["type", "lines", "own", "total", "blinding"], Step.ROLLUP_SCHEMA, "roll-up proof");
  if (m.type !== ROLLUP_TYPE) fail(Step.ROLLUP_SCHEMA, `type must be '${ROLLUP_TYPE}'`);
  if (!Array.isArray(m.lines) || m.lines.length > MAX_LINES) fail(Step.ROLLUP_SCHEMA, `lines must be a list of at most ${MAX_LINES}`);
  const lines = m.lines.map((raw, i) => {
    const line = checkKeys(raw, ["ref", "quantity", "commitment"], Step.ROLLUP_SCHEMA, `line ${i}`);
    const ref = checkRef(line.ref, Step.ROLLUP_SCHEMA);
    const quantity = readUint(line.quantity, MAX_QUANTITY, Step.ROLLUP_SCHEMA, `line ${i} quantity`);
    const commitment = parseCommitment(line.commitment);
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
function rollupOwnContext(context, lines, total) {
  const parts = [OWN_CONTEXT_TAG, u64(context.length), context, u64(lines.length)];
  for (const line of lines) {
    const ref = utf8(line.ref);
    parts.push(u64(ref.length), ref, u64(line.quantity), line.commitment.bytes);
  }
  parts.push(bigIntToLe(total, 16));
  return concat(...parts);
}
function verifyRollup(proof, { upstream, declaredTotal, context, expectedLines = null }) {
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
  for (const line of proof.lines) {
    const anchored = upstream.get(line.ref);
    if (anchored === void 0) fail(Step.ROLLUP_UPSTREAM, `${line.ref}: no anchored statement for this ref`);
    if (!bytesEqual(anchored.bytes, line.commitment.bytes)) {
      fail(Step.ROLLUP_UPSTREAM, `${line.ref}: commitment differs from the anchored statement's`);
    }
  }
  if (proof.total !== declaredTotal) {
    fail(Step.ROLLUP_TOTAL, `the proof opens to ${proof.total}, the declared total is ${declaredTotal}`);
  }
  const points = [...proof.lines.map((line) => line.commitment.ep), proof.own.ep, G_EP, H_EP];
  const scalars = [...proof.lines.map((line) => line.quantity), 1n, mod3(-proof.total), mod3(-proof.blinding)];
  if (!new RISTRETTO(mulAddUnsafe(EDWARDS, points, scalars)).is0()) {
    fail(Step.ROLLUP_SUM, "the declared total does not open Σ q_i·C_i + C_own (values or quantities differ)");
  }
  verifyRange(proof.own, proof.ownRangeProof, rollupOwnContext(context, proof.lines, proof.total));
}
var pow10 = (n) => 10n ** BigInt(n);
var SCALE_PRECISION = 200;
function scaleTotal(text) {
  const parsed = parseDecimal(text);
  if (parsed === null) fail("scale.total", `not a decimal number: ${show(text)}`);
  const { sign, digits: digits2, exp } = parsed;
  const coefficient = digits2 === "" ? 0n : BigInt(digits2);
  if (sign < 0 && coefficient !== 0n) fail("scale.total", `declared total must not be negative, got ${show(text)}`);
  const shift = exp + 9n;
  const tooLarge = shift >= 0n ? coefficient * pow10(shift) >= MAX_TOTAL : coefficient >= MAX_TOTAL * pow10(-shift);
  if (tooLarge) fail("scale.total", `declared total ${text} is too large for the fixed-point range`);
  if (digits2.length > SCALE_PRECISION) fail("scale.total", `declared total ${text} has too many digits`);
  return shift >= 0n ? coefficient * pow10(shift) : coefficient / pow10(-shift);
}

// web/src/statement.js
var STATEMENT_TYPE = "tanji.statement";
var STATEMENT_VERSION = 2;
var MAX_CLAIMS = 1 << 20;
var MIN_CLAIM_BUCKET = 32;
var HEX64 = /^[0-9a-f]{64}$/;
var VALUE_COMMITMENT = "valueCommitment";
var VALUE_RANGE_PROOF_DIGEST = "valueRangeProofDigest";
function checkValueCommitment(value) {
  try {
    parseCommitment(value);
  } catch (err) {
    if (err instanceof VerificationError) throw new TypeError(`extensions.${VALUE_COMMITMENT}: ${err.reason}`);
    throw err;
  }
}
function checkProofDigest(value) {
  if (typeof value !== "string" || !HEX64.test(value)) {
    throw new TypeError(`extensions.${VALUE_RANGE_PROOF_DIGEST} must be 64 lowercase hex`);
  }
}
var STATEMENT_EXTENSIONS = Object.freeze(
  Object.assign(/* @__PURE__ */ Object.create(null), {
    [VALUE_COMMITMENT]: checkValueCommitment,
    [VALUE_RANGE_PROOF_DIGEST]: checkProofDigest
  })
);
var FIELDS = [
  "type",
  "version",
  "issuer",
  "keyId",
  "subjectDigest",
  "commitment",
  "claimCount",
  "created",
  "supersedes",
  "envelopeDigest",
  "extensions"
];
var KEY_ID = /^[0-9a-f]{32}$/;
var ATTESTATION_ID = /^[0-9a-f]{64}$/;
var SCHEMA = "statement.schema";
function isClaimBucket(count) {
  return typeof count === "number" && Number.isInteger(count) && count >= MIN_CLAIM_BUCKET && count <= MAX_CLAIMS && (count & count - 1) === 0;
}
function isAttestationId(text) {
  return typeof text === "string" && ATTESTATION_ID.test(text);
}
function keyId(keyType, publicKey) {
  if (publicKey.length !== 32) throw new TypeError(`${keyType} public key must be 32 bytes, got ${publicKey.length}`);
  const data = concat(utf8(KEYID_TAG), new Uint8Array([0]), utf8(keyType), new Uint8Array([0]), publicKey);
  return toHex(sha2562(data).subarray(0, 16));
}
function schema(fn) {
  try {
    return fn();
  } catch (err) {
    if (err instanceof VerificationError) throw err;
    if (err instanceof TypeError || err instanceof InvalidOrgId) throw new VerificationError(SCHEMA, err.message);
    throw err;
  }
}
var Statement = class _Statement {
  constructor({ issuer, keyId: keyId2, subjectDigest, commitment, claimCount, created, supersedes, envelopeDigest, extensions = {} }) {
    Object.assign(this, {
      issuer,
      keyId: keyId2,
      subjectDigest,
      commitment,
      claimCount,
      created,
      supersedes,
      envelopeDigest,
      extensions
    });
    schema(() => {
      if (typeof keyId2 !== "string" || !KEY_ID.test(keyId2)) throw new TypeError("keyId must be 32 lowercase hex characters");
      for (const [name, value] of [
        ["subject_digest", subjectDigest],
        ["commitment", commitment],
        ["envelope_digest", envelopeDigest]
      ]) {
        if (!(value instanceof Uint8Array) || value.length !== 32) throw new TypeError(`${name} must be 32 bytes`);
      }
      if (!isClaimBucket(claimCount)) {
        throw new TypeError(
          `claimCount ${show(claimCount)} is not a claim bucket (a power of two, at least ${MIN_CLAIM_BUCKET}): the claims were not padded`
        );
      }
      if (supersedes !== null && !isAttestationId(supersedes)) {
        throw new TypeError("supersedes must be an attestation id (64 hex) or null");
      }
      if (!isObject(extensions)) throw new TypeError("extensions must be a JSON object");
      for (const [name, value] of Object.entries(extensions)) {
        const check = STATEMENT_EXTENSIONS[name];
        if (check === void 0) throw new TypeError(`unknown statement extension '${name}': this verifier cannot check it`);
        check(value);
      }
      if (VALUE_COMMITMENT in extensions !== VALUE_RANGE_PROOF_DIGEST in extensions) {
        throw new TypeError(`extensions ${VALUE_COMMITMENT} and ${VALUE_RANGE_PROOF_DIGEST} come together`);
      }
    });
    Object.freeze(this);
  }
  /**
   * Parse a statement (JSON value). Throws VerificationError at `statement.schema`
   * naming the bad field.
   */
  static fromDict(data) {
    return schema(() => {
      const doc = requireKeys(data, "statement", FIELDS);
      if (doc.type !== STATEMENT_TYPE) throw new TypeError(`type must be '${STATEMENT_TYPE}', got ${show(doc.type)}`);
      if (typeof doc.version !== "number" || doc.version !== STATEMENT_VERSION) {
        throw new TypeError(
          `unsupported statement version ${show(doc.version)}: this verifier reads version ${STATEMENT_VERSION} (see docs/privacy.md for what changed)`
        );
      }
      if (typeof doc.issuer !== "string") throw new TypeError("issuer must be a string");
      const issuer = parseOrgId(doc.issuer);
      if (issuer !== doc.issuer) throw new TypeError(`issuer '${doc.issuer}' is not in canonical form`);
      return new _Statement({
        issuer,
        keyId: doc.keyId,
        subjectDigest: hexDecode(doc.subjectDigest, "subjectDigest", 32),
        commitment: hexDecode(doc.commitment, "commitment", 32),
        claimCount: doc.claimCount,
        created: parseTime(doc.created, "created"),
        supersedes: doc.supersedes,
        envelopeDigest: hexDecode(doc.envelopeDigest, "envelopeDigest", 32),
        extensions: doc.extensions
      });
    });
  }
  /** The statement as JSON (the signed form). */
  toDict() {
    return {
      type: STATEMENT_TYPE,
      version: STATEMENT_VERSION,
      issuer: this.issuer,
      keyId: this.keyId,
      subjectDigest: toHex(this.subjectDigest),
      commitment: toHex(this.commitment),
      claimCount: this.claimCount,
      created: formatTime(this.created),
      supersedes: this.supersedes,
      envelopeDigest: toHex(this.envelopeDigest),
      extensions: { ...this.extensions }
    };
  }
  /** JCS(statement). */
  canonicalBytes() {
    return canonicalJson(this.toDict());
  }
  /** "tanji.statement.v1\0" + JCS(statement): the bytes the issuer signs. */
  signingInput() {
    return concat(utf8(STATEMENT_TAG), new Uint8Array([0]), this.canonicalBytes());
  }
};
var SignedStatement = class _SignedStatement {
  constructor(statement, signature2) {
    if (!(statement instanceof Statement)) throw new VerificationError(SCHEMA, "statement must be a Statement");
    if (!(signature2 instanceof Uint8Array) || signature2.length !== 64) {
      throw new VerificationError(SCHEMA, "signature must be 64 bytes");
    }
    this.statement = statement;
    this.signature = signature2;
    this.leafBytes = canonicalJson({ signature: b64encode(signature2), statement: statement.toDict() });
    this.leafHash = leafHash(this.leafBytes);
    this.attestationId = toHex(sha2562(this.leafBytes));
    Object.freeze(this);
  }
  /** Parse {statement, signature}; throws VerificationError at `statement.schema`. */
  static fromDict(data) {
    const [doc, signature2] = schema(() => {
      const d = requireKeys(data, "signed statement", ["signature", "statement"]);
      return [d, b64decode(d.signature, "signature", 64)];
    });
    return new _SignedStatement(Statement.fromDict(doc.statement), signature2);
  }
  /** {"signature": base64, "statement": {...}}. */
  toDict() {
    return { signature: b64encode(this.signature), statement: this.statement.toDict() };
  }
};
function checkSignatureBytes(signed, publicKey) {
  if (!ed25519Verify(signed.signature, signed.statement.signingInput(), publicKey)) {
    throw new VerificationError("statement.signature", `signature does not verify under key ${signed.statement.keyId}`);
  }
}
function verifyStatementSignature(signed, publicKey) {
  if (keyId("ed25519", publicKey) !== signed.statement.keyId) {
    throw new VerificationError("statement.signature", "keyId does not name this public key");
  }
  checkSignatureBytes(signed, publicKey);
}

// web/src/disclosure.js
var DISCLOSURE_TYPE = "tanji.disclosure";
var SALT_SIZE = 16;
var SUBJECT_POINTER = "/productIds/0";
var SCHEMA2 = "disclosure.schema";
function claimLeafBytes(pointer, value, salt) {
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
    proof: proof.map((p) => b64decode(p, `${pointer}: proof hash`, 32))
  };
}
var Disclosure = class _Disclosure {
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
      return new _Disclosure(doc.attestationId, count, doc.claims.map(parseClaim));
    } catch (err) {
      if (err instanceof TypeError) throw new VerificationError(SCHEMA2, err.message);
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
        proof: c.proof.map(b64encode)
      }))
    };
  }
  /**
   * SHA-256("tanji.disclosure.v1\0" + JCS(disclosure)), e.g. for a label's reference.
   * Throws CanonicalizationError for a claim value with no canonical form.
   */
  digest() {
    return taggedDigest(DISCLOSURE_TAG, this.toDict());
  }
};
var cmp = (a, b) => a < b ? -1 : a > b ? 1 : 0;
function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
function verifyDisclosure(disclosure, signed, { required = [] } = {}) {
  const statement = signed.statement;
  if (disclosure.attestationId !== signed.attestationId) {
    throw new VerificationError(
      "disclosure.attestation",
      `disclosure is for attestation ${disclosure.attestationId}, not ${signed.attestationId}`
    );
  }
  const size = statement.claimCount;
  if (disclosure.claimCount !== size) {
    throw new VerificationError(
      "disclosure.count",
      `disclosure says ${disclosure.claimCount} claims, statement commits to ${size}`
    );
  }
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
        `${claim.pointer}: index ${claim.index} is outside the ${size} committed claims`
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
        `${claim.pointer}: step 1 (proof length): proof has ${claim.proof.length} hashes, expected ${want} for index ${claim.index} in size ${size}`
      );
    }
    const root = rootFromInclusionProof(leaf, claim.index, size, claim.proof);
    if (!bytesEqual(root, statement.commitment)) {
      throw new VerificationError(
        "disclosure.commitment",
        `${claim.pointer}: value, salt and proof do not lead to the signed commitment`
      );
    }
    leaves.push(leaf);
  }
  const byIndex = disclosure.claims.map((c, k) => ({ index: c.index, leaf: leaves[k], pointer: c.pointer })).sort((a, b) => cmp(a.index, b.index));
  for (let k = 1; k < byIndex.length; k++) {
    const before = byIndex[k - 1];
    const after = byIndex[k];
    if (compareBytes(before.leaf, after.leaf) >= 0) {
      throw new VerificationError(
        "disclosure.order",
        `${after.pointer} cannot be committed at index ${after.index} after ${before.pointer} at index ${before.index}: the claims tree is sorted by leaf hash`
      );
    }
  }
  if (disclosed.has(SUBJECT_POINTER)) {
    const subject = leaves[pointers.indexOf(SUBJECT_POINTER)];
    if (!bytesEqual(subject, statement.subjectDigest)) {
      throw new VerificationError(
        "disclosure.subject",
        `${SUBJECT_POINTER} is a committed claim but not the statement's subject: the statement is about another product`
      );
    }
  }
  const values = /* @__PURE__ */ Object.create(null);
  for (const c of disclosure.claims) values[c.pointer] = c.value;
  return values;
}

// web/src/receipt.js
var RECEIPT_TYPE = "tanji.receipt";
var RECEIPT_VERSION = 2;
var SCHEMA3 = "receipt.schema";
var LOG_ID2 = /^[a-z0-9-]{1,64}$/;
function schema2(fn) {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TypeError) throw new VerificationError(SCHEMA3, err.message);
    throw err;
  }
}
function parseAnchorReference(data) {
  const doc = schema2(() => requireKeys(data, "anchor", ["chainId", "logId"]));
  const { chainId, logId } = doc;
  schema2(() => {
    if (!isUint(chainId) || chainId === 0 || chainId === 0n) throw new TypeError("chainId must be a positive integer");
    if (typeof logId !== "string" || !LOG_ID2.test(logId)) throw new TypeError("logId must match [a-z0-9-]{1,64}");
  });
  return Object.freeze({ chainId, logId });
}
function parseReceipt(data) {
  const [doc, inclusionProof] = schema2(() => {
    const d = requireKeys(data, "receipt", [
      "type",
      "version",
      "signedStatement",
      "leafIndex",
      "inclusionProof",
      "checkpoint",
      "anchor"
    ]);
    if (d.type !== RECEIPT_TYPE || !isInt(d.version)) throw new TypeError(`not a ${RECEIPT_TYPE}`);
    if (d.version !== RECEIPT_VERSION) {
      throw new TypeError(
        `receipt version ${d.version} is not accepted, only version ${RECEIPT_VERSION}: fetch a fresh receipt from the node`
      );
    }
    if (!Array.isArray(d.inclusionProof)) throw new TypeError("inclusionProof must be a list");
    return [d, d.inclusionProof.map((h) => b64decode(h, "inclusion proof hash", 32))];
  });
  const signedStatement = SignedStatement.fromDict(doc.signedStatement);
  const anchor = parseAnchorReference(doc.anchor);
  const { leafIndex, checkpoint } = doc;
  schema2(() => {
    if (!isUint(leafIndex)) throw new TypeError("leafIndex must be an unsigned integer");
    if (typeof checkpoint !== "string" || !checkpoint) throw new TypeError("checkpoint must be the signed note text");
  });
  return Object.freeze({ signedStatement, leafIndex, inclusionProof, checkpoint, anchor });
}
function receiptToDict(receipt) {
  return {
    type: RECEIPT_TYPE,
    version: RECEIPT_VERSION,
    signedStatement: receipt.signedStatement.toDict(),
    leafIndex: receipt.leafIndex,
    inclusionProof: receipt.inclusionProof.map(b64encode),
    checkpoint: receipt.checkpoint,
    anchor: { ...receipt.anchor }
  };
}

// web/src/verify.js
var DEFAULT_CLOCK_SKEW = 600;
var ROLE_NAMES = ["SUPPLIER", "LEADER", "CERTIFIER", "AUDITOR", "LOG_OPERATOR"];
var PUBLISHING_ROLES = Object.freeze(["CERTIFIER", "LEADER", "SUPPLIER"]);
function seconds(value, what) {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new VerificationError(Step.ARGUMENTS, `${what} must be Unix seconds`);
  }
  return value;
}
function windowDefect(validFrom, revokedAt, at) {
  const start = seconds(validFrom, "validFrom");
  if (at < start) return `became valid at ${formatTime(start)}, after ${formatTime(at)}`;
  if (revokedAt !== null && revokedAt !== void 0) {
    const end = seconds(revokedAt, "revokedAt");
    if (at >= end) return `was revoked at ${formatTime(end)}, before ${formatTime(at)}`;
  }
  return null;
}
function roleName(role) {
  if (typeof role === "number") return ROLE_NAMES[role] ?? null;
  return ROLE_NAMES.includes(role) ? role : null;
}
function checkIssuer(signed, { keys, roles, at, maxClockSkew = DEFAULT_CLOCK_SKEW }) {
  const when = seconds(at, "at");
  const statement = signed.statement;
  const record = keys.find((k) => k.publicKey.length === 32 && keyId("ed25519", k.publicKey) === statement.keyId);
  if (record === void 0) {
    throw new VerificationError(
      Step.STATEMENT_SIGNATURE,
      `key ${statement.keyId} is not a registered signing key of ${statement.issuer}`
    );
  }
  checkSignatureBytes(signed, record.publicKey);
  const defect = windowDefect(record.validFrom, record.revokedAt, when);
  if (defect !== null) {
    throw new VerificationError(
      Step.KEY_VALIDITY,
      `key ${statement.keyId} of ${statement.issuer} ${defect}, the trusted (anchoring) time`
    );
  }
  const periods = roles.map((g) => [roleName(g.role), g]).filter(([name]) => PUBLISHING_ROLES.includes(name));
  if (!periods.some(([, g]) => windowDefect(g.validFrom, g.revokedAt, when) === null)) {
    const history = periods.map(([name, g]) => `${name} ${windowDefect(g.validFrom, g.revokedAt, when)}`).join("; ");
    throw new VerificationError(
      Step.ISSUER_ROLE,
      `${statement.issuer} held no ${PUBLISHING_ROLES.join("/")} role at ${formatTime(when)}, the trusted (anchoring) time: ${history || "it never held one"}`
    );
  }
  if (statement.created > when + maxClockSkew) {
    throw new VerificationError(
      Step.STATEMENT_TIME,
      `created ${formatTime(statement.created)} is after the trusted (anchoring) time ${formatTime(when)}`
    );
  }
  return record;
}
function signedBy(text, origin, publicKey) {
  try {
    return verifyCheckpoint(text, origin, publicKey);
  } catch (err) {
    if (err instanceof CheckpointSignatureError) return null;
    if (err instanceof CheckpointError) throw new VerificationError(Step.RECEIPT_CHECKPOINT, err.message);
    throw err;
  }
}
function verifyReceiptCheckpoint(text, anchor, logKeys, anchoredAt) {
  let origin;
  try {
    origin = checkpointOrigin(anchor.chainId, anchor.logId);
  } catch (err) {
    if (err instanceof CheckpointError) throw new VerificationError(Step.RECEIPT_CHECKPOINT, err.message);
    throw err;
  }
  const records = logKeys.filter((k) => k.publicKey.length === 32);
  const outside = [];
  for (const record of records) {
    const defect = windowDefect(record.validFrom, record.revokedAt, anchoredAt);
    if (defect !== null) {
      outside.push([record, defect]);
      continue;
    }
    const head2 = signedBy(text, origin, record.publicKey);
    if (head2 === null) continue;
    if (head2.origin !== origin) {
      throw new VerificationError(
        Step.RECEIPT_CHECKPOINT,
        `checkpoint origin '${head2.origin}' is not '${origin}' named by the anchor`
      );
    }
    return { size: head2.size, root: head2.root };
  }
  for (const [record, defect] of outside) {
    if (signedBy(text, origin, record.publicKey) !== null) {
      throw new VerificationError(
        Step.RECEIPT_CHECKPOINT,
        `signed by log operator key ${keyId("ed25519", record.publicKey)} that ${defect}, the anchoring time`
      );
    }
  }
  throw new VerificationError(
    Step.RECEIPT_CHECKPOINT,
    `no registered key of the operator of log '${anchor.logId}' signed the checkpoint as '${origin}'`
  );
}
function verifyReceipt(receipt, opts) {
  const {
    logKeys,
    issuerKeys,
    issuerRoles,
    anchoredHead,
    expectedAttestationId = null,
    maxClockSkew = DEFAULT_CLOCK_SKEW
  } = opts;
  const at = seconds(opts.at, "at");
  const anchoredAt = seconds(opts.anchoredAt, "anchoredAt");
  const signed = receipt.signedStatement;
  if (expectedAttestationId !== null && signed.attestationId !== String(expectedAttestationId)) {
    throw new VerificationError(
      Step.RECEIPT_LEAF,
      `leaf hashes to attestation ${signed.attestationId}, expected ${expectedAttestationId}`
    );
  }
  const { size, root } = verifyReceiptCheckpoint(receipt.checkpoint, receipt.anchor, logKeys, anchoredAt);
  if (BigInt(anchoredHead.size) !== size || !bytesEqual(anchoredHead.root, root)) {
    throw new VerificationError(
      Step.RECEIPT_ANCHOR,
      `checkpoint head (size ${size}) is not the first head anchored on chain covering leaf ${receipt.leafIndex} (size ${anchoredHead.size})`
    );
  }
  if (anchoredAt > at) {
    throw new VerificationError(Step.RECEIPT_ANCHOR, `anchoring time ${formatTime(anchoredAt)} is after ${formatTime(at)}`);
  }
  try {
    verifyInclusion(signed.leafHash, receipt.leafIndex, size, receipt.inclusionProof, root);
  } catch (err) {
    if (err instanceof InclusionProofError) throw new VerificationError(Step.RECEIPT_INCLUSION, err.message);
    throw err;
  }
  checkIssuer(signed, { keys: issuerKeys, roles: issuerRoles, at: anchoredAt, maxClockSkew });
  return signed.statement;
}
function verifyAttestation(receipt, disclosure, opts) {
  const statement = verifyReceipt(receipt, { ...opts, expectedAttestationId: disclosure.attestationId });
  const values = verifyDisclosure(disclosure, receipt.signedStatement, { required: opts.required ?? [] });
  return {
    statement,
    attestationId: receipt.signedStatement.attestationId,
    values,
    anchor: receipt.anchor
  };
}

// web/node_modules/@noble/hashes/sha3.js
var _0n5 = BigInt(0);
var _1n6 = BigInt(1);
var _2n4 = BigInt(2);
var _7n2 = BigInt(7);
var _256n = BigInt(256);
var _0x71n = BigInt(113);
var SHA3_PI = [];
var SHA3_ROTL = [];
var _SHA3_IOTA = [];
for (let round = 0, R = _1n6, x = 1, y = 0; round < 24; round++) {
  [x, y] = [y, (2 * x + 3 * y) % 5];
  SHA3_PI.push(2 * (5 * y + x));
  SHA3_ROTL.push((round + 1) * (round + 2) / 2 % 64);
  let t2 = _0n5;
  for (let j = 0; j < 7; j++) {
    R = (R << _1n6 ^ (R >> _7n2) * _0x71n) % _256n;
    if (R & _2n4)
      t2 ^= _1n6 << (_1n6 << BigInt(j)) - _1n6;
  }
  _SHA3_IOTA.push(t2);
}
var IOTAS = split(_SHA3_IOTA, true);
var SHA3_IOTA_H = IOTAS[0];
var SHA3_IOTA_L = IOTAS[1];
var rotlSH = (h, l, s) => h << s | l >>> 32 - s;
var rotlSL = (h, l, s) => l << s | h >>> 32 - s;
var rotlBH = (h, l, s) => l << s - 32 | h >>> 64 - s;
var rotlBL = (h, l, s) => h << s - 32 | l >>> 64 - s;
var rotlH = (h, l, s) => s > 32 ? rotlBH(h, l, s) : rotlSH(h, l, s);
var rotlL = (h, l, s) => s > 32 ? rotlBL(h, l, s) : rotlSL(h, l, s);
var B = new Uint32Array(5 * 2);
function keccakP(s, rounds = 24) {
  if (!(s instanceof Uint32Array))
    throw new TypeError('"s" expected Uint32Array(50), got type=' + typeof s);
  if (s.length !== 50)
    throw new RangeError('"s" expected Uint32Array(50), got length=' + s.length);
  anumber(rounds, "rounds");
  if (rounds < 1 || rounds > 24)
    throw new Error('"rounds" expected integer 1..24');
  for (let round = 24 - rounds; round < 24; round++) {
    for (let x = 0; x < 10; x++)
      B[x] = s[x] ^ s[x + 10] ^ s[x + 20] ^ s[x + 30] ^ s[x + 40];
    for (let x = 0; x < 10; x += 2) {
      const idx1 = (x + 8) % 10;
      const idx0 = (x + 2) % 10;
      const B0 = B[idx0];
      const B1 = B[idx0 + 1];
      const Th = rotlH(B0, B1, 1) ^ B[idx1];
      const Tl = rotlL(B0, B1, 1) ^ B[idx1 + 1];
      for (let y = 0; y < 50; y += 10) {
        s[x + y] ^= Th;
        s[x + y + 1] ^= Tl;
      }
    }
    let curH = s[2];
    let curL = s[3];
    for (let t2 = 0; t2 < 24; t2++) {
      const shift = SHA3_ROTL[t2];
      const Th = rotlH(curH, curL, shift);
      const Tl = rotlL(curH, curL, shift);
      const PI = SHA3_PI[t2];
      curH = s[PI];
      curL = s[PI + 1];
      s[PI] = Th;
      s[PI + 1] = Tl;
    }
    for (let y = 0; y < 50; y += 10) {
      const b0 = s[y], b1 = s[y + 1], b2 = s[y + 2], b3 = s[y + 3];
      s[y] ^= ~s[y + 2] & s[y + 4];
      s[y + 1] ^= ~s[y + 3] & s[y + 5];
      s[y + 2] ^= ~s[y + 4] & s[y + 6];
      s[y + 3] ^= ~s[y + 5] & s[y + 7];
      s[y + 4] ^= ~s[y + 6] & s[y + 8];
      s[y + 5] ^= ~s[y + 7] & s[y + 9];
      s[y + 6] ^= ~s[y + 8] & b0;
      s[y + 7] ^= ~s[y + 9] & b1;
      s[y + 8] ^= ~b0 & b2;
      s[y + 9] ^= ~b1 & b3;
    }
    s[0] ^= SHA3_IOTA_H[round];
    s[1] ^= SHA3_IOTA_L[round];
  }
  clean(B);
}
var Keccak = class _Keccak {
  state;
  pos = 0;
  posOut = 0;
  finished = false;
  state32;
  destroyed = false;
  blockLen;
  suffix;
  outputLen;
  canXOF;
  enableXOF = false;
  rounds;
  // NOTE: we accept arguments in bytes instead of bits here.
  constructor(blockLen, suffix, outputLen, enableXOF = false, rounds = 24) {
    anumber(blockLen, "blockLen");
    anumber(suffix, "suffix");
    anumber(rounds, "rounds");
    abool(enableXOF, "enableXOF");
    this.blockLen = blockLen;
    this.suffix = suffix;
    this.outputLen = outputLen;
    this.enableXOF = enableXOF;
    this.canXOF = enableXOF;
    this.rounds = rounds;
    anumber(outputLen, "outputLen");
    if (!(0 < blockLen && blockLen < 200))
      throw new Error('"blockLen" must be 1..199');
    this.state = new Uint8Array(200);
    this.state32 = u32(this.state);
  }
  clone() {
    return this._cloneInto();
  }
  keccak() {
    swap32IfBE(this.state32);
    keccakP(this.state32, this.rounds);
    swap32IfBE(this.state32);
    this.posOut = 0;
    this.pos = 0;
  }
  update(data) {
    aexists(this);
    abytes(data);
    const { blockLen, state, state32 } = this;
    const len = data.length;
    const canUseU32 = blockLen % 4 === 0 && data.byteOffset % 4 === 0;
    const blockLen32 = blockLen / 4;
    const data32 = canUseU32 && len >= blockLen ? u32(data) : void 0;
    for (let pos = 0; pos < len; ) {
      if (data32 !== void 0 && this.pos === 0 && pos % 4 === 0 && len - pos >= blockLen) {
        for (let i = 0, o = pos / 4; i < blockLen32; i++)
          state32[i] ^= data32[o + i];
        pos += blockLen;
        this.pos = blockLen;
        this.keccak();
        continue;
      }
      const take = Math.min(blockLen - this.pos, len - pos);
      for (let i = 0; i < take; i++)
        state[this.pos++] ^= data[pos++];
      if (this.pos === blockLen)
        this.keccak();
    }
    return this;
  }
  finish() {
    if (this.finished)
      return;
    this.finished = true;
    const { state, suffix, pos, blockLen } = this;
    state[pos] ^= suffix;
    if ((suffix & 128) !== 0 && pos === blockLen - 1)
      this.keccak();
    state[blockLen - 1] ^= 128;
    this.keccak();
  }
  writeInto(out) {
    aexists(this, false);
    abytes(out);
    this.finish();
    const bufferOut = this.state;
    const { blockLen } = this;
    for (let pos = 0, len = out.length; pos < len; ) {
      if (this.posOut >= blockLen)
        this.keccak();
      const take = Math.min(blockLen - this.posOut, len - pos);
      out.set(bufferOut.subarray(this.posOut, this.posOut + take), pos);
      this.posOut += take;
      pos += take;
    }
    return out;
  }
  xofInto(out) {
    if (!this.enableXOF)
      throw new Error("XOF is not enabled");
    return this.writeInto(out);
  }
  xof(bytes) {
    anumber(bytes);
    return this.xofInto(new Uint8Array(bytes));
  }
  digestInto(out) {
    aoutput(out, this);
    if (this.finished)
      throw new Error("digest() was already called");
    this.writeInto(out.length === this.outputLen ? out : out.subarray(0, this.outputLen));
    this.destroy();
  }
  digest() {
    const out = new Uint8Array(this.outputLen);
    this.digestInto(out);
    return out;
  }
  destroy() {
    this.destroyed = true;
    clean(this.state);
  }
  _cloneInto(to) {
    const { blockLen, suffix, outputLen, rounds, enableXOF } = this;
    to ||= new _Keccak(blockLen, suffix, outputLen, enableXOF, rounds);
    to.blockLen = blockLen;
    to.state32.set(this.state32);
    to.pos = this.pos;
    to.posOut = this.posOut;
    to.finished = this.finished;
    to.rounds = rounds;
    to.suffix = suffix;
    to.outputLen = outputLen;
    to.enableXOF = enableXOF;
    to.canXOF = this.canXOF;
    to.destroyed = this.destroyed;
    return to;
  }
};
var genKeccak = (suffix, blockLen, outputLen, info = {}) => createHasher(() => new Keccak(blockLen, suffix, outputLen), info);
var keccak_256 = /* @__PURE__ */ genKeccak(1, 136, 32);

// web/src/abi.js
var WORD = 32;
var UTF8 = new TextDecoder("utf-8", { fatal: true });
function canonicalType(param) {
  if (param.type.startsWith("tuple")) {
    return `(${param.components.map(canonicalType).join(",")})${param.type.slice(5)}`;
  }
  return param.type;
}
function signature(item) {
  return `${item.name}(${item.inputs.map(canonicalType).join(",")})`;
}
function selector(item) {
  return keccak_256(utf8(signature(item))).subarray(0, 4);
}
function toChecksumAddress(address) {
  const lower = address.toLowerCase().replace(/^0x/, "");
  if (!/^[0-9a-f]{40}$/.test(lower)) throw new TypeError(`not an EVM address: ${address}`);
  const hash = toHex(keccak_256(utf8(lower)));
  let out = "0x";
  for (let i = 0; i < 40; i++) out += parseInt(hash[i], 16) >= 8 ? lower[i].toUpperCase() : lower[i];
  return out;
}
function uintBits(type) {
  const m = /^uint(\d*)$/.exec(type);
  return m ? Number(m[1] || 256) : null;
}
function bytesSize(type) {
  const m = /^bytes(\d+)$/.exec(type);
  return m ? Number(m[1]) : null;
}
function isDynamic(param) {
  const t2 = param.type;
  if (t2 === "string" || t2 === "bytes" || t2.endsWith("[]")) return true;
  if (t2 === "tuple") return param.components.some(isDynamic);
  return false;
}
function encodeStatic(param, value) {
  const t2 = param.type;
  const word = new Uint8Array(WORD);
  const bits = uintBits(t2);
  if (bits !== null) {
    const n = BigInt(value);
    if (n < 0n || n >= 1n << BigInt(bits)) throw new TypeError(`${t2} out of range: ${value}`);
    const hex = n.toString(16).padStart(64, "0");
    return fromHex(hex);
  }
  if (t2 === "bool") {
    word[31] = value ? 1 : 0;
    return word;
  }
  if (t2 === "address") {
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value)) throw new TypeError(`not an address: ${value}`);
    word.set(fromHex(value.slice(2)), 12);
    return word;
  }
  const size = bytesSize(t2);
  if (size !== null) {
    if (!(value instanceof Uint8Array) || value.length !== size) throw new TypeError(`${t2} needs ${size} bytes`);
    word.set(value, 0);
    return word;
  }
  throw new TypeError(`cannot encode argument type ${t2}`);
}
function encodeCall(item, args) {
  if (args.length !== item.inputs.length) throw new TypeError(`${item.name} takes ${item.inputs.length} arguments`);
  return concat(selector(item), ...item.inputs.map((p, i) => encodeStatic(p, args[i])));
}
var Reader = class {
  constructor(data) {
    this.data = data;
  }
  word(at) {
    if (!Number.isSafeInteger(at) || at < 0 || at + WORD > this.data.length) {
      throw new AbiDecodeError(`answer too short: a word at byte ${at} of ${this.data.length}`);
    }
    return this.data.subarray(at, at + WORD);
  }
  uint(at) {
    return BigInt(`0x${toHex(this.word(at))}`);
  }
  offset(at) {
    const n = this.uint(at);
    if (n > BigInt(this.data.length)) throw new AbiDecodeError(`offset ${n} points past the answer`);
    return Number(n);
  }
};
function zeroPadding(bytes, what) {
  if (bytes.some((b) => b !== 0)) throw new AbiDecodeError(`${what} has non-zero padding`);
}
function decodeStatic(r, param, at) {
  const t2 = param.type;
  const w = r.word(at);
  const bits = uintBits(t2);
  if (bits !== null) {
    const n = r.uint(at);
    if (n >> BigInt(bits)) throw new AbiDecodeError(`${t2} value does not fit in ${bits} bits`);
    return n;
  }
  if (t2 === "bool") {
    zeroPadding(w.subarray(0, 31), "bool");
    if (w[31] > 1) throw new AbiDecodeError("bool is neither 0 nor 1");
    return w[31] === 1;
  }
  if (t2 === "address") {
    zeroPadding(w.subarray(0, 12), "address");
    return toChecksumAddress(`0x${toHex(w.subarray(12))}`);
  }
  const size = bytesSize(t2);
  if (size !== null) {
    zeroPadding(w.subarray(size), t2);
    return Uint8Array.from(w.subarray(0, size));
  }
  throw new AbiDecodeError(`cannot decode type ${t2}`);
}
function decodeBytes(r, at) {
  const length = r.uint(at);
  const start = at + WORD;
  if (length > BigInt(r.data.length - start)) throw new AbiDecodeError(`bytes of length ${length} run past the answer`);
  const n = Number(length);
  const padded = Math.ceil(n / WORD) * WORD;
  if (start + padded > r.data.length) throw new AbiDecodeError("bytes padding runs past the answer");
  zeroPadding(r.data.subarray(start + n, start + padded), "bytes");
  return Uint8Array.from(r.data.subarray(start, start + n));
}
function decodeSequence(r, params, base) {
  const out = [];
  let head2 = base;
  for (const param of params) {
    if (isDynamic(param)) {
      out.push(decodeValue(r, param, base + r.offset(head2)));
    } else {
      out.push(decodeValue(r, param, head2));
    }
    head2 += staticSize(param);
  }
  return out;
}
function staticSize(param) {
  if (isDynamic(param)) return WORD;
  if (param.type === "tuple") return param.components.reduce((s, c) => s + staticSize(c), 0);
  return WORD;
}
function decodeValue(r, param, at) {
  const t2 = param.type;
  if (t2.endsWith("[]")) {
    const element = { ...param, type: t2.slice(0, -2) };
    const length = r.uint(at);
    const start = at + WORD;
    if (length * BigInt(staticSize(element)) > BigInt(r.data.length - start)) {
      throw new AbiDecodeError(`array of length ${length} runs past the answer`);
    }
    return decodeSequence(r, Array(Number(length)).fill(element), start);
  }
  if (t2 === "tuple") return decodeSequence(r, param.components, at);
  if (t2 === "string") {
    try {
      return UTF8.decode(decodeBytes(r, at));
    } catch (err) {
      if (err instanceof AbiDecodeError) throw err;
      throw new AbiDecodeError("string is not valid UTF-8");
    }
  }
  if (t2 === "bytes") return decodeBytes(r, at);
  return decodeStatic(r, param, at);
}
function decode(params, data) {
  return decodeSequence(new Reader(data), params, 0);
}
var ERROR_STRING = { name: "Error", inputs: [{ type: "string" }] };
var PANIC = { name: "Panic", inputs: [{ type: "uint256" }] };
function decodeRevert(abi, data) {
  if (!(data instanceof Uint8Array) || data.length < 4) return null;
  const sel = data.subarray(0, 4);
  for (const item of [ERROR_STRING, PANIC, ...abi.filter((i) => i.type === "error")]) {
    if (bytesEqual(selector(item), sel)) {
      try {
        return { name: item.name, args: decode(item.inputs, data.subarray(4)) };
      } catch {
        return { name: item.name, args: null };
      }
    }
  }
  return null;
}

// tanji-abi:tanji:abi
var ABIS = { "AnchorRegistry": [{ "type": "error", "name": "HeadIndexOutOfRange", "inputs": [{ "type": "bytes32" }, { "type": "uint256" }, { "type": "uint256" }] }, { "type": "error", "name": "InconsistentHead", "inputs": [{ "type": "uint64" }, { "type": "uint64" }] }, { "type": "error", "name": "LogExists", "inputs": [{ "type": "bytes32" }] }, { "type": "error", "name": "NotLogOperator", "inputs": [{ "type": "bytes32" }, { "type": "address" }] }, { "type": "error", "name": "NotOperator", "inputs": [{ "type": "address" }] }, { "type": "error", "name": "SizeNotIncreasing", "inputs": [{ "type": "uint64" }, { "type": "uint64" }] }, { "type": "error", "name": "SizeTooLarge", "inputs": [{ "type": "uint64" }] }, { "type": "error", "name": "UnexpectedProof", "inputs": [] }, { "type": "error", "name": "UnknownLog", "inputs": [{ "type": "bytes32" }] }, { "type": "error", "name": "ZeroLogId", "inputs": [] }, { "type": "error", "name": "ZeroOperatorRegistry", "inputs": [] }, { "type": "error", "name": "ZeroSize", "inputs": [] }, { "type": "function", "name": "MAX_SIZE", "inputs": [], "outputs": [{ "type": "uint64" }] }, { "type": "function", "name": "firstAtOrAbove", "inputs": [{ "type": "bytes32" }, { "type": "uint64" }], "outputs": [{ "type": "uint256" }, { "type": "uint64" }, { "type": "bytes32" }, { "type": "uint64" }] }, { "type": "function", "name": "headAt", "inputs": [{ "type": "bytes32" }, { "type": "uint256" }], "outputs": [{ "type": "uint64" }, { "type": "bytes32" }, { "type": "uint64" }] }, { "type": "function", "name": "headCount", "inputs": [{ "type": "bytes32" }], "outputs": [{ "type": "uint256" }] }, { "type": "function", "name": "latest", "inputs": [{ "type": "bytes32" }], "outputs": [{ "type": "uint256" }, { "type": "uint64" }, { "type": "bytes32" }, { "type": "uint64" }] }, { "type": "function", "name": "logOwner", "inputs": [{ "type": "bytes32" }], "outputs": [{ "type": "bytes32" }] }, { "type": "function", "name": "operators", "inputs": [], "outputs": [{ "type": "address" }] }], "LabelRegistry": [{ "type": "error", "name": "EmptyField", "inputs": [{ "type": "string" }] }, { "type": "error", "name": "FieldTooLong", "inputs": [{ "type": "string" }, { "type": "uint256" }] }, { "type": "error", "name": "InvalidDecimal", "inputs": [{ "type": "string" }] }, { "type": "error", "name": "InvalidValidity", "inputs": [{ "type": "uint64" }, { "type": "uint64" }] }, { "type": "error", "name": "LabelAlreadyRevoked", "inputs": [{ "type": "bytes32" }] }, { "type": "error", "name": "LabelAlreadySuspended", "inputs": [{ "type": "bytes32" }] }, { "type": "error", "name": "LabelExists", "inputs": [{ "type": "bytes32" }] }, { "type": "error", "name": "LabelExpired", "inputs": [{ "type": "bytes32" }] }, { "type": "error", "name": "LabelNotSuspended", "inputs": [{ "type": "bytes32" }] }, { "type": "error", "name": "NotCertifier", "inputs": [{ "type": "address" }] }, { "type": "error", "name": "NotLabelIssuer", "inputs": [{ "type": "address" }, { "type": "bytes32" }] }, { "type": "error", "name": "UnknownLabel", "inputs": [{ "type": "bytes32" }] }, { "type": "error", "name": "ZeroAddress", "inputs": [] }, { "type": "function", "name": "CERTIFIER", "inputs": [], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "certificateOf", "inputs": [{ "type": "bytes32" }], "outputs": [{ "type": "string" }, { "type": "bytes32" }] }, { "type": "function", "name": "isValid", "inputs": [{ "type": "bytes32" }, { "type": "uint64" }], "outputs": [{ "type": "bool" }] }, { "type": "function", "name": "label", "inputs": [{ "type": "bytes32" }], "outputs": [{ "type": "tuple", "components": [{ "type": "bytes32" }, { "type": "bytes32" }, { "type": "bytes32" }, { "type": "uint64" }, { "type": "bytes32" }, { "type": "string" }, { "type": "string" }, { "type": "string" }, { "type": "string" }, { "type": "uint64" }, { "type": "uint64" }, { "type": "bytes32" }, { "type": "bytes32" }, { "type": "address" }, { "type": "uint64" }, { "type": "uint64" }, { "type": "string" }] }, { "type": "uint8" }] }, { "type": "function", "name": "labelCount", "inputs": [], "outputs": [{ "type": "uint256" }] }, { "type": "function", "name": "participants", "inputs": [], "outputs": [{ "type": "address" }] }, { "type": "function", "name": "statusAt", "inputs": [{ "type": "bytes32" }, { "type": "uint64" }], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "suspensionsOf", "inputs": [{ "type": "bytes32" }], "outputs": [{ "type": "tuple[]", "components": [{ "type": "uint64" }, { "type": "uint64" }, { "type": "string" }, { "type": "string" }] }] }, { "type": "function", "name": "twoYearsAfter", "inputs": [{ "type": "uint64" }], "outputs": [{ "type": "uint64" }] }], "ParticipantRegistry": [{ "type": "error", "name": "AccessControlBadConfirmation", "inputs": [] }, { "type": "error", "name": "AccessControlUnauthorizedAccount", "inputs": [{ "type": "address" }, { "type": "bytes32" }] }, { "type": "error", "name": "AccountAlreadyRegistered", "inputs": [{ "type": "address" }, { "type": "bytes32" }] }, { "type": "error", "name": "AccountNotInOrganisation", "inputs": [{ "type": "address" }, { "type": "bytes32" }] }, { "type": "error", "name": "InvalidOrgIdString", "inputs": [] }, { "type": "error", "name": "InvalidReason", "inputs": [{ "type": "uint8" }] }, { "type": "error", "name": "InvalidRole", "inputs": [{ "type": "uint8" }] }, { "type": "error", "name": "InvalidRoles", "inputs": [{ "type": "uint8" }] }, { "type": "error", "name": "KeyAlreadyRegistered", "inputs": [{ "type": "bytes32" }] }, { "type": "error", "name": "KeyAlreadyRevoked", "inputs": [{ "type": "bytes32" }] }, { "type": "error", "name": "NotAuthorisedForOrganisation", "inputs": [{ "type": "address" }, { "type": "bytes32" }] }, { "type": "error", "name": "NotOrganisationAccount", "inputs": [{ "type": "address" }] }, { "type": "error", "name": "NotRegistrar", "inputs": [{ "type": "address" }] }, { "type": "error", "name": "OrgIdMismatch", "inputs": [{ "type": "bytes32" }, { "type": "bytes32" }] }, { "type": "error", "name": "OrgRoleAlreadyGranted", "inputs": [{ "type": "bytes32" }, { "type": "uint8" }] }, { "type": "error", "name": "OrgRoleNotGranted", "inputs": [{ "type": "bytes32" }, { "type": "uint8" }] }, { "type": "error", "name": "OrganisationExists", "inputs": [{ "type": "bytes32" }] }, { "type": "error", "name": "UnknownKey", "inputs": [{ "type": "bytes32" }, { "type": "bytes32" }] }, { "type": "error", "name": "UnknownOrganisation", "inputs": [{ "type": "bytes32" }] }, { "type": "error", "name": "WrongKeyType", "inputs": [{ "type": "bytes32" }, { "type": "uint8" }] }, { "type": "error", "name": "ZeroAddress", "inputs": [] }, { "type": "error", "name": "ZeroKey", "inputs": [] }, { "type": "function", "name": "AUDITOR", "inputs": [], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "CERTIFIER", "inputs": [], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "DEFAULT_ADMIN_ROLE", "inputs": [], "outputs": [{ "type": "bytes32" }] }, { "type": "function", "name": "ENCRYPTION_KEY", "inputs": [], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "LEADER", "inputs": [], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "LOG_OPERATOR", "inputs": [], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "REASON_AFFILIATION_CHANGED", "inputs": [], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "REASON_CESSATION_OF_OPERATION", "inputs": [], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "REASON_KEY_COMPROMISE", "inputs": [], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "REASON_SUPERSEDED", "inputs": [], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "REASON_UNSPECIFIED", "inputs": [], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "REGISTRAR_ROLE", "inputs": [], "outputs": [{ "type": "bytes32" }] }, { "type": "function", "name": "SIGNING_KEY", "inputs": [], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "SUPPLIER", "inputs": [], "outputs": [{ "type": "uint8" }] }, { "type": "function", "name": "accountHasRole", "inputs": [{ "type": "address" }, { "type": "uint8" }], "outputs": [{ "type": "bool" }] }, { "type": "function", "name": "encryptionKeys", "inputs": [{ "type": "bytes32" }], "outputs": [{ "type": "tuple[]", "components": [{ "type": "bytes32" }, { "type": "uint64" }, { "type": "uint64" }, { "type": "uint8" }] }] }, { "type": "function", "name": "getRoleAdmin", "inputs": [{ "type": "bytes32" }], "outputs": [{ "type": "bytes32" }] }, { "type": "function", "name": "hasRole", "inputs": [{ "type": "bytes32" }, { "type": "address" }], "outputs": [{ "type": "bool" }] }, { "type": "function", "name": "isRegistered", "inputs": [{ "type": "bytes32" }], "outputs": [{ "type": "bool" }] }, { "type": "function", "name": "isRegistrar", "inputs": [{ "type": "address" }], "outputs": [{ "type": "bool" }] }, { "type": "function", "name": "keyOwner", "inputs": [{ "type": "bytes32" }], "outputs": [{ "type": "bytes32" }, { "type": "uint8" }] }, { "type": "function", "name": "keyRecord", "inputs": [{ "type": "bytes32" }, { "type": "bytes32" }], "outputs": [{ "type": "uint8" }, { "type": "uint64" }, { "type": "uint64" }, { "type": "uint8" }] }, { "type": "function", "name": "keyValidAt", "inputs": [{ "type": "bytes32" }, { "type": "bytes32" }, { "type": "uint64" }], "outputs": [{ "type": "bool" }] }, { "type": "function", "name": "logOperatorOf", "inputs": [{ "type": "address" }], "outputs": [{ "type": "bytes32" }] }, { "type": "function", "name": "orgHasRole", "inputs": [{ "type": "bytes32" }, { "type": "uint8" }], "outputs": [{ "type": "bool" }] }, { "type": "function", "name": "orgOfAccount", "inputs": [{ "type": "address" }], "outputs": [{ "type": "bytes32" }] }, { "type": "function", "name": "organisation", "inputs": [{ "type": "bytes32" }], "outputs": [{ "type": "tuple", "components": [{ "type": "bytes32" }, { "type": "string" }, { "type": "uint8" }, { "type": "uint64" }, { "type": "address[]" }, { "type": "uint256" }, { "type": "uint256" }] }] }, { "type": "function", "name": "organisationCount", "inputs": [], "outputs": [{ "type": "uint256" }] }, { "type": "function", "name": "signingKeys", "inputs": [{ "type": "bytes32" }], "outputs": [{ "type": "tuple[]", "components": [{ "type": "bytes32" }, { "type": "uint64" }, { "type": "uint64" }, { "type": "uint8" }] }] }, { "type": "function", "name": "supportsInterface", "inputs": [{ "type": "bytes4" }], "outputs": [{ "type": "bool" }] }] };

// web/src/chain.js
var LOG_ID3 = /^[a-z0-9-]{1,64}$/;
var ADDRESS = /^0x[0-9a-fA-F]{40}$/;
var LabelStatus = Object.freeze({ UNKNOWN: 0, ACTIVE: 1, NOT_YET_VALID: 2, EXPIRED: 3, REVOKED: 4, SUSPENDED: 5 });
var Role = Object.freeze({ SUPPLIER: 0, LEADER: 1, CERTIFIER: 2, AUDITOR: 3, LOG_OPERATOR: 4 });
function idDigest(id) {
  return sha2562(utf8(id));
}
function logIdDigest(logId) {
  if (typeof logId !== "string" || !LOG_ID3.test(logId)) throw new TypeError(`log id must match [a-z0-9-]{1,64}: ${logId}`);
  return idDigest(logId);
}
function bytes32(value, what) {
  if (typeof value === "string") value = fromHex(value.replace(/^0x/, ""));
  if (!(value instanceof Uint8Array) || value.length !== 32) throw new TypeError(`${what} must be 32 bytes`);
  return value;
}
function isZero(bytes) {
  return bytes.every((b) => b === 0);
}
var toNumber = (n) => {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new AbiDecodeError(`value ${n} does not fit a JS number`);
  return Number(n);
};
var JsonRpc = class {
  constructor(url, { fetch = globalThis.fetch.bind(globalThis), timeoutMs = 1e4 } = {}) {
    this.url = url;
    this.fetch = fetch;
    this.timeoutMs = timeoutMs;
    this.nextId = 1;
  }
  /** One JSON-RPC call; returns its `result`. */
  async request(method, params) {
    const body = JSON.stringify({ jsonrpc: "2.0", id: this.nextId++, method, params });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let answer;
    try {
      const response = await this.fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: controller.signal
      });
      if (!response.ok) throw new ChainUnavailable(`${this.url} answered HTTP ${response.status} to ${method}`);
      answer = await response.json();
    } catch (err) {
      if (err instanceof ChainError) throw err;
      const why = err?.name === "AbortError" ? `no answer within ${this.timeoutMs} ms` : String(err?.message ?? err);
      throw new ChainUnavailable(`cannot reach ${this.url} (${method}): ${why}`);
    } finally {
      clearTimeout(timer);
    }
    if (answer === null || typeof answer !== "object") throw new ChainUnavailable(`${this.url}: not a JSON-RPC answer`);
    if (answer.error) {
      const error = new ChainError(`${method} failed: ${answer.error.message ?? JSON.stringify(answer.error)}`);
      error.rpcError = answer.error;
      throw error;
    }
    if (!("result" in answer)) throw new ChainUnavailable(`${this.url}: JSON-RPC answer without a result`);
    return answer.result;
  }
  /** The chain id (eth_chainId). */
  async chainId() {
    return toNumber(BigInt(await this.request("eth_chainId", [])));
  }
  /** eth_call at `block` ("latest" or a number); the returned bytes. */
  async call(to, data, block = "latest") {
    const tag = typeof block === "number" ? `0x${block.toString(16)}` : block;
    const result = await this.request("eth_call", [{ to, data: `0x${toHex(data)}` }, tag]);
    if (typeof result !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(result)) {
      throw new AbiDecodeError(`eth_call answer is not hex bytes: ${String(result).slice(0, 80)}`);
    }
    return fromHex(result.slice(2));
  }
};
function revertData(rpcError) {
  let data = rpcError?.data;
  if (data && typeof data === "object") data = data.data;
  return typeof data === "string" && /^0x([0-9a-fA-F]{2})*$/.test(data) ? fromHex(data.slice(2)) : null;
}
var ContractReader = class {
  constructor(rpc, address, contractName) {
    if (typeof address !== "string" || !ADDRESS.test(address)) throw new TypeError(`not an EVM address: ${address}`);
    if (!ABIS[contractName]) throw new TypeError(`no ABI for ${contractName}`);
    this.rpc = rpc;
    this.address = address;
    this.contractName = contractName;
    this.abi = ABIS[contractName];
  }
  /** Call view function `name` with `args`; returns its outputs as an array. */
  async view(name, ...args) {
    const item = this.abi.find((i) => i.type === "function" && i.name === name && i.inputs.length === args.length);
    if (!item) throw new TypeError(`${this.contractName} has no view ${name}/${args.length}`);
    let data;
    try {
      data = await this.rpc.call(this.address, encodeCall(item, args));
    } catch (err) {
      if (err instanceof ChainError && err.rpcError) {
        const raw = revertData(err.rpcError);
        const revert = raw && decodeRevert(this.abi, raw);
        if (revert) {
          throw new ContractReverted(`${this.contractName}.${name} reverted: ${revert.name}`, revert.name);
        }
        if (raw || /revert/i.test(String(err.rpcError.message))) {
          throw new ContractReverted(`${this.contractName}.${name} reverted: ${err.rpcError.message}`);
        }
      }
      throw err;
    }
    if (data.length === 0) {
      throw new ChainError(`${this.contractName}.${name}: empty answer (no contract at ${this.address}?)`);
    }
    return decode(item.outputs, data);
  }
};
function labelFromTuple(raw, status) {
  const revokedAt = toNumber(raw[15]);
  return Object.freeze({
    labelId: raw[0],
    productIdDigest: raw[1],
    logIdDigest: raw[2],
    leafIndex: toNumber(raw[3]),
    leafHash: raw[4],
    value: raw[5],
    unit: raw[6],
    grade: raw[7],
    standard: raw[8],
    validFrom: toNumber(raw[9]),
    validUntil: toNumber(raw[10]),
    disclosureDigest: raw[11],
    issuerOrgDigest: raw[12],
    issuer: raw[13],
    issuedAt: toNumber(raw[14]),
    revokedAt: revokedAt || null,
    revocationReason: revokedAt ? raw[16] : null,
    status: Number(status)
  });
}
var LabelRegistryReader = class extends ContractReader {
  constructor(rpc, address) {
    super(rpc, address, "LabelRegistry");
  }
  /** The label with its status at the latest block, or null if unknown. */
  async label(labelId) {
    const id = bytes32(labelId, "label id");
    if (Number((await this.view("statusAt", id, 0))[0]) === LabelStatus.UNKNOWN) return null;
    const [raw, status] = await this.view("label", id);
    return labelFromTuple(raw, status);
  }
  /** The label's status (LabelStatus) at Unix time `at`. */
  async statusAt(labelId, at) {
    return Number((await this.view("statusAt", bytes32(labelId, "label id"), at))[0]);
  }
  /** Whether the label existed, was unrevoked and within its window at `at`. */
  async isValid(labelId, at) {
    return (await this.view("isValid", bytes32(labelId, "label id"), at))[0];
  }
  /** Address of the ParticipantRegistry the certifiers come from. */
  async participants() {
    return (await this.view("participants"))[0];
  }
};
function head(logId, index, size, root, timestamp) {
  return Object.freeze({ logId, index: toNumber(index), size: toNumber(size), root, timestamp: toNumber(timestamp) });
}
var AnchorRegistryReader = class extends ContractReader {
  constructor(rpc, address) {
    super(rpc, address, "AnchorRegistry");
  }
  /** The latest anchored head of `logId` {logId, index, size, root, timestamp}; null if none. */
  async latest(logId) {
    const [index, size, root, timestamp] = await this.view("latest", logIdDigest(logId));
    return size === 0n ? null : head(logId, index, size, root, timestamp);
  }
  /** The first anchored head whose size is at least `size` (first to cover leaf size-1); null if none. */
  async firstAtOrAbove(logId, size) {
    const [index, headSize, root, timestamp] = await this.view("firstAtOrAbove", logIdDigest(logId), size);
    return headSize === 0n ? null : head(logId, index, headSize, root, timestamp);
  }
  /** Head number `index` of `logId` (ContractReverted "HeadIndexOutOfRange" past the end). */
  async headAt(logId, index) {
    const [size, root, timestamp] = await this.view("headAt", logIdDigest(logId), index);
    return head(logId, index, size, root, timestamp);
  }
  /** How many heads of `logId` are anchored. */
  async headCount(logId) {
    return toNumber((await this.view("headCount", logIdDigest(logId)))[0]);
  }
  /** The org id digest owning `logId`, or null if there is no such log. */
  async logOwner(logId) {
    const [owner] = await this.view("logOwner", logIdDigest(logId));
    return isZero(owner) ? null : owner;
  }
};
function keyRecord([key, validFrom, revokedAt, reason]) {
  const revoked = toNumber(revokedAt);
  return Object.freeze({
    publicKey: key,
    validFrom: toNumber(validFrom),
    revokedAt: revoked || null,
    revocationReason: revoked ? Number(reason) : null
  });
}
var ParticipantRegistryReader = class extends ContractReader {
  constructor(rpc, address) {
    super(rpc, address, "ParticipantRegistry");
  }
  /** Whether `orgId` has been admitted. */
  async isRegistered(orgId) {
    return (await this.view("isRegistered", idDigest(orgId)))[0];
  }
  /**
   * The organisation record for an org id string or its 32-byte digest:
   * {orgId, orgIdDigest, roles: [role numbers], registeredAt, accounts, signingKeyCount,
   * encryptionKeyCount}; null if never registered.
   */
  async organisation(orgIdOrDigest) {
    const digest = typeof orgIdOrDigest === "string" ? idDigest(orgIdOrDigest) : bytes32(orgIdOrDigest, "org digest");
    if (!(await this.view("isRegistered", digest))[0]) return null;
    const [view] = await this.view("organisation", digest);
    const mask = Number(view[2]);
    return Object.freeze({
      orgId: view[1],
      orgIdDigest: view[0],
      roles: Object.values(Role).filter((r) => mask & 1 << r),
      registeredAt: toNumber(view[3]),
      accounts: view[4],
      signingKeyCount: toNumber(view[5]),
      encryptionKeyCount: toNumber(view[6])
    });
  }
  /** The org id digest `account` belongs to, or null. */
  async orgOfAccount(account) {
    const [digest] = await this.view("orgOfAccount", account);
    return isZero(digest) ? null : digest;
  }
  /** The org id string `account` belongs to, or null. */
  async orgIdOfAccount(account) {
    const digest = await this.orgOfAccount(account);
    if (digest === null) return null;
    return (await this.view("organisation", digest))[0][1];
  }
  /** Whether `orgId` currently holds `role` (a Role value). */
  async orgHasRole(orgId, role) {
    return (await this.view("orgHasRole", idDigest(orgId), role))[0];
  }
  /** Every signing key `orgId` ever registered, oldest first (ContractReverted UnknownOrganisation). */
  async signingKeyHistory(orgId) {
    return (await this.view("signingKeys", idDigest(orgId)))[0].map(keyRecord);
  }
  /** Every encryption key `orgId` ever registered, oldest first. */
  async encryptionKeyHistory(orgId) {
    return (await this.view("encryptionKeys", idDigest(orgId)))[0].map(keyRecord);
  }
  /** Whether `key` was a valid key of `orgId` at Unix time `at`. */
  async keyValidAt(orgId, key, at) {
    return (await this.view("keyValidAt", idDigest(orgId), bytes32(key, "key"), at))[0];
  }
  /** The org id digest `account` operates logs for, or null. */
  async logOperatorOf(account) {
    const [digest] = await this.view("logOperatorOf", account);
    return isZero(digest) ? null : digest;
  }
};

// web/src/valueproof.js
var CONTEXT_TAG = "tanji.pcf-commitment.v1";
function valueContext(statement) {
  const d = statement.toDict();
  return canonicalJson([CONTEXT_TAG, d.issuer, d.keyId, d.subjectDigest, d.commitment, d.created]);
}
function valueCommitment(statement) {
  const raw = statement.extensions[VALUE_COMMITMENT];
  return raw === void 0 ? null : parseCommitment(raw);
}
function checkValueRangeProof(statement, proofJson) {
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
      "the statement commits to its value (valueCommitment) but no valueRangeProof was given: publish the proof with the statement"
    );
  }
  const proof = parseRangeProof(proofJson);
  if (toHex(sha2562(proof.bytes)) !== statement.extensions[VALUE_RANGE_PROOF_DIGEST]) {
    throw new VerificationError(Step.RANGEPROOF_DIGEST, "the range proof is not the one the statement's valueRangeProofDigest signs");
  }
  verifyRange(commitment, proof, valueContext(statement));
  return proof;
}

// web/src/evidence.js
var EVIDENCE_TYPE = "tanji.label-evidence";
var VALUE_POINTER = "/pcf/pcfExcludingBiogenicUptake";
var UNIT_POINTER = "/pcf/declaredUnitOfMeasurement";
var UNIT_AMOUNT_POINTER = "/pcf/declaredUnitAmount";
var PRODUCT_POINTER = "/productIds/0";
var LABEL_POINTERS = Object.freeze([PRODUCT_POINTER, VALUE_POINTER, UNIT_POINTER, UNIT_AMOUNT_POINTER]);
var AUDIT_CHECKS = Object.freeze([
  Step.LABEL,
  Step.ISSUER,
  Step.LEAF,
  Step.ANCHOR,
  Step.SIGNATURE,
  Step.DISCLOSURE,
  Step.MATCH,
  Step.SUPERSEDED,
  Step.ROLLUP_COMMITMENTS
]);
var digestOf = (text) => sha2562(utf8(text));
var t = (seconds2) => {
  try {
    return formatTime(seconds2);
  } catch (err) {
    if (err instanceof RangeError) return `${seconds2} (Unix seconds)`;
    throw err;
  }
};
function labelUnit(declaredUnit, declaredAmount) {
  const amount = parseDecimal(declaredAmount);
  if (amount === null) throw new TypeError(`declared unit amount is not a decimal (ASCII digits): '${declaredAmount}'`);
  if (amount.digits === "" || amount.sign < 0) throw new TypeError(`declared unit amount must be positive, got '${declaredAmount}'`);
  if (decimalEqual(amount, { sign: 1, digits: "1", exp: 0n })) return `kgCO2e/${declaredUnit}`;
  return `kgCO2e/${declaredAmount} ${declaredUnit}`;
}
function covers(p, t2) {
  return p.suspendedAt <= t2 && (p.restoredAt === null || t2 < p.restoredAt);
}
function labelStatusAt(label, at) {
  if (label.revokedAt !== null && at >= label.revokedAt) return "REVOKED";
  if (at < label.validFrom) return "NOT_YET_VALID";
  if (at >= label.validUntil) return "EXPIRED";
  for (const p of [...label.suspensions].reverse()) {
    if (at >= p.suspendedAt) return covers(p, at) ? "SUSPENDED" : "ACTIVE";
  }
  return "ACTIVE";
}
function parseRecord(r) {
  return {
    productIdDigest: fromHex(r.productIdDigest),
    logIdDigest: fromHex(r.logIdDigest),
    leafIndex: Number(r.leafIndex),
    leafHash: fromHex(r.leafHash),
    value: r.value,
    unit: r.unit,
    grade: r.grade,
    standard: r.standard,
    validFrom: Number(r.validFrom),
    validUntil: Number(r.validUntil),
    disclosureDigest: fromHex(r.disclosureDigest),
    issuerOrgDigest: fromHex(r.issuerOrgDigest),
    issuer: r.issuer,
    issuedAt: Number(r.issuedAt),
    revokedAt: r.revokedAt === null ? null : Number(r.revokedAt),
    revocationReason: r.revocationReason,
    // optional (labels issued with a certificate, labels ever suspended)
    certificate: r.certificate === void 0 ? null : { number: r.certificate.number, digest: fromHex(r.certificate.digest) },
    suspensions: (r.suspensions ?? []).map((p) => ({
      suspendedAt: Number(p.suspendedAt),
      restoredAt: p.restoredAt === null ? null : Number(p.restoredAt),
      reason: p.reason,
      restoreReason: p.restoreReason
    }))
  };
}
function parseOrg(o) {
  if (o === null) return null;
  return {
    orgId: o.orgId,
    account: o.account,
    error: o.error,
    roles: o.roles.map((g) => ({ role: g.role, validFrom: Number(g.validFrom), revokedAt: g.revokedAt === null ? null : Number(g.revokedAt) })),
    signingKeys: o.signingKeys.map((k) => ({
      publicKey: b64decode(k.publicKey, "publicKey"),
      validFrom: Number(k.validFrom),
      revokedAt: k.revokedAt === null ? null : Number(k.revokedAt)
    }))
  };
}
function parseAnchor(a) {
  if (a === null) return null;
  return {
    head: a.head === null ? null : { size: Number(a.head.size), root: b64decode(a.head.root, "root", 32), timestamp: Number(a.head.timestamp) },
    inclusionProof: a.inclusionProof === null ? null : a.inclusionProof.map((p) => b64decode(p, "proof hash")),
    error: a.error
  };
}
function parseRollupEvidence(r) {
  return {
    proof: r.proof,
    lines: r.lines.map((line) => ({
      attestationId: line.attestationId,
      leafIndex: line.leafIndex === null ? null : Number(line.leafIndex),
      signedStatement: line.signedStatement,
      valueRangeProof: line.valueRangeProof,
      anchor: parseAnchor(line.anchor),
      issuer: parseOrg(line.issuer),
      error: line.error
    })),
    error: r.error
  };
}
function parseLabelEvidence(doc) {
  if (doc?.type !== EVIDENCE_TYPE || doc.version !== 1 && doc.version !== 2) {
    throw new TypeError(`not a version 1 or 2 ${EVIDENCE_TYPE}`);
  }
  return {
    labelId: doc.labelId,
    source: doc.source,
    label: doc.label.record === null ? null : parseRecord(doc.label.record),
    labelError: doc.label.error,
    certifier: parseOrg(doc.certifier),
    logId: doc.log?.logId ?? null,
    logError: doc.log?.error ?? null,
    leaf: doc.leaf === null ? null : { document: doc.leaf.signedStatement, error: doc.leaf.error },
    anchor: parseAnchor(doc.anchor),
    issuer: parseOrg(doc.issuer),
    disclosure: doc.disclosure === null ? null : { document: doc.disclosure.disclosure, error: doc.disclosure.error },
    superseding: doc.superseding === null ? null : { scannedSize: doc.superseding.scannedSize, entries: doc.superseding.entries, error: doc.superseding.error },
    rollup: doc.version === 2 && doc.rollup !== null && doc.rollup !== void 0 ? parseRollupEvidence(doc.rollup) : null
  };
}
function parseLeaf(raw, index) {
  try {
    return SignedStatement.fromDict(raw);
  } catch (err) {
    if (err instanceof VerificationError) throw new VerificationError(Step.LEAF, `entry ${index} is not a signed statement: ${err.message}`);
    throw err;
  }
}
function checkAnchored(signed, index, head2, proof) {
  if (head2.size <= index) throw new VerificationError(Step.ANCHOR, `the anchored head of size ${head2.size} does not cover leaf ${index}`);
  try {
    verifyInclusion(signed.leafHash, index, head2.size, proof, head2.root);
  } catch (err) {
    if (err instanceof ProofError) {
      throw new VerificationError(
        Step.ANCHOR,
        `the node's proof of leaf ${index} does not lead to the root anchored on chain at size ${head2.size}: the log it serves is inconsistent with the chain (${err.message})`
      );
    }
    throw err;
  }
  formatTime(head2.timestamp);
  return head2.timestamp;
}
function checkSignatureWith(issuer, signed, at) {
  const statement = signed.statement;
  if (statement.issuer !== issuer.orgId) {
    throw new VerificationError(Step.SIGNATURE, `the key history is ${issuer.orgId}'s, not ${statement.issuer}'s`);
  }
  try {
    checkIssuer(signed, { keys: issuer.signingKeys, roles: issuer.roles, at });
  } catch (err) {
    if (err instanceof VerificationError) throw new VerificationError(Step.SIGNATURE, `${err.step}: ${err.reason}`);
    throw err;
  }
  return `Ed25519 key ${statement.keyId} of ${statement.issuer}, registered with a publishing role at anchoring time ${t(at)}`;
}
function upstreamCommitment(line) {
  if (line.error !== null) throw new VerificationError(Step.LEAF, line.error);
  if (line.leafIndex === null || line.anchor === null || line.issuer === null) {
    throw new VerificationError(Step.LEAF, "the upstream attestation was not collected");
  }
  const signed = parseLeaf(line.signedStatement, line.leafIndex);
  if (signed.attestationId !== line.attestationId) throw new VerificationError(Step.LEAF, "the node served another statement");
  const a = line.anchor;
  if (a.error !== null || a.head === null || a.inclusionProof === null) {
    throw new VerificationError(Step.ANCHOR, a.error || "the evidence holds no anchored head and proof");
  }
  const at = checkAnchored(signed, line.leafIndex, a.head, a.inclusionProof);
  const issuer = line.issuer;
  if (issuer.error !== null || issuer.orgId === null) throw new VerificationError(Step.SIGNATURE, issuer.error || "no issuer history");
  checkSignatureWith(issuer, signed, at);
  const commitment = valueCommitment(signed.statement);
  if (commitment === null) throw new VerificationError(Step.ROLLUP_UPSTREAM, "the statement commits to no value");
  checkValueRangeProof(signed.statement, line.valueRangeProof);
  return commitment;
}
function checkCommittedRollup(rollupJson, { upstream, declared, context }) {
  try {
    const proof = parseRollup(rollupJson);
    verifyRollup(proof, { upstream, declaredTotal: scaleTotal(declared), context });
    return proof;
  } catch (err) {
    if (err instanceof VerificationError) throw new VerificationError(Step.ROLLUP_COMMITMENTS, `${err.step}: ${err.reason}`);
    throw err;
  }
}
function auditLabel(evidence, at) {
  const e = evidence.type === EVIDENCE_TYPE ? parseLabelEvidence(evidence) : evidence;
  const checks = [];
  let signed = null;
  let anchoredAt = null;
  let disclosed = /* @__PURE__ */ Object.create(null);
  const record = (check, status, reason) => checks.push({ check, status, reason });
  const step = (check, fn) => {
    let out;
    try {
      out = fn();
    } catch (err) {
      if (err instanceof VerificationError) record(check, "failed", err.reason);
      else record(check, "failed", `${err.name}: ${err.message}`);
      return false;
    }
    if (Array.isArray(out)) {
      record(check, out[0], out[1]);
      return out[0] !== "failed";
    }
    record(check, "passed", out);
    return true;
  };
  const skipRest = (after, why) => {
    for (const check of AUDIT_CHECKS.slice(AUDIT_CHECKS.indexOf(after) + 1)) record(check, "skipped", why);
  };
  const fail2 = (check, reason) => {
    throw new VerificationError(check, reason);
  };
  const label = e.label;
  const checkLabel = () => {
    if (label === null) fail2(Step.LABEL, e.labelError || `no label ${e.labelId} on chain`);
    const status = labelStatusAt(label, at);
    const window = `${t(label.validFrom)} to ${t(label.validUntil)}`;
    if (status === "REVOKED") fail2(Step.LABEL, `revoked at ${t(label.revokedAt)}: ${label.revocationReason}`);
    if (status === "EXPIRED") fail2(Step.LABEL, `expired at ${t(label.validUntil)} (valid ${window})`);
    if (status === "NOT_YET_VALID") fail2(Step.LABEL, `not valid before ${t(label.validFrom)}`);
    if (status === "SUSPENDED") {
      const period = [...label.suspensions].reverse().find((p) => covers(p, at));
      fail2(Step.LABEL, `suspended at ${t(period.suspendedAt)}: ${period.reason}`);
    }
    const restored = label.suspensions.filter((p) => p.restoredAt !== null && p.restoredAt <= at);
    const last = restored[restored.length - 1];
    const note = last === void 0 ? "" : `; restored at ${t(last.restoredAt)}: ${last.restoreReason}`;
    return `active at ${t(at)}; valid ${window}; ${label.value} ${label.unit}${note}`;
  };
  const maker = () => {
    if (e.leaf === null || e.leaf.error !== null) return null;
    try {
      return SignedStatement.fromDict(e.leaf.document).statement.issuer;
    } catch (err) {
      if (err instanceof VerificationError) return null;
      throw err;
    }
  };
  const checkIssuerOrg = () => {
    const c = e.certifier;
    if (c === null || c.error !== null) fail2(Step.ISSUER, `cannot read the issuing organisation: ${c === null ? "not collected" : c.error}`);
    if (c.orgId === null) fail2(Step.ISSUER, `account ${label.issuer} belongs to no registered organisation`);
    if (!bytesEqual(digestOf(c.orgId), label.issuerOrgDigest)) fail2(Step.ISSUER, `account ${label.issuer} no longer belongs to the issuing organisation`);
    const held = c.roles.some((g) => g.role === "CERTIFIER" && g.validFrom <= at && (g.revokedAt === null || at < g.revokedAt));
    if (!held) fail2(Step.ISSUER, `${c.orgId} does not hold the CERTIFIER role at ${t(at)}`);
    if (maker() === c.orgId) fail2(Step.ISSUER, `${c.orgId} labelled its own attestation: a certification body must be independent of the product it certifies (CNCA)`);
    return `issued by ${label.issuer} of ${c.orgId}, a registered CERTIFIER independent of the maker`;
  };
  const checkLeaf = () => {
    if (e.logId === null) fail2(Step.LEAF, e.logError || "no node serving the log");
    if (!bytesEqual(digestOf(e.logId), label.logIdDigest)) fail2(Step.LEAF, `the label's log is not the log '${e.logId}' the leaf came from`);
    if (e.leaf === null) fail2(Step.LEAF, "the leaf was not fetched");
    if (e.leaf.error !== null) fail2(Step.LEAF, e.leaf.error);
    const parsed = parseLeaf(e.leaf.document, label.leafIndex);
    if (!bytesEqual(parsed.leafHash, label.leafHash)) {
      fail2(Step.LEAF, `leaf ${label.leafIndex} of log ${e.logId} hashes to ${toHex(parsed.leafHash)}, the label names ${toHex(label.leafHash)}`);
    }
    signed = parsed;
    return `leaf ${label.leafIndex} of log ${e.logId}: attestation ${parsed.attestationId.slice(0, 16)}… by ${parsed.statement.issuer}`;
  };
  const checkAnchor = () => {
    const a = e.anchor;
    if (a === null) fail2(Step.ANCHOR, "the anchor was not collected");
    if (a.error !== null) fail2(Step.ANCHOR, a.error);
    if (a.head === null || a.inclusionProof === null) fail2(Step.ANCHOR, "the evidence holds no anchored head and proof");
    anchoredAt = checkAnchored(signed, label.leafIndex, a.head, a.inclusionProof);
    return `included in the head of size ${a.head.size} anchored on chain at ${t(anchoredAt)}`;
  };
  const checkSignature = () => {
    const issuer = e.issuer;
    if (issuer === null || issuer.error !== null || issuer.orgId === null) {
      fail2(Step.SIGNATURE, issuer !== null && issuer.error || "the issuer's history was not collected");
    }
    return checkSignatureWith(issuer, signed, anchoredAt);
  };
  const checkDisclosure = () => {
    const fetched = e.disclosure;
    if (fetched === null) fail2(Step.DISCLOSURE, "no disclosure was collected");
    if (fetched.error !== null) fail2(Step.DISCLOSURE, fetched.error);
    const disclosure = Disclosure.fromDict(fetched.document);
    if (!bytesEqual(disclosure.digest(), label.disclosureDigest)) {
      fail2(Step.DISCLOSURE, "the public disclosure's digest is not the one recorded in the label: it was altered or belongs to another label");
    }
    let values;
    try {
      values = verifyDisclosure(disclosure, signed, { required: LABEL_POINTERS });
    } catch (err) {
      if (err instanceof VerificationError) fail2(Step.DISCLOSURE, `${err.step}: ${err.reason}`);
      throw err;
    }
    disclosed = values;
    return `${Object.keys(values).length} disclosed claim(s) verify against the signed commitment and the subject; the rest of the ${signed.statement.claimCount} committed leaves stay hidden`;
  };
  const checkMatch = () => {
    const d = disclosed;
    const value = parseDecimal(d[VALUE_POINTER]);
    if (value === null) fail2(Step.MATCH, `disclosed value is not a decimal: '${d[VALUE_POINTER]}'`);
    const claimed = parseDecimal(label.value);
    if (claimed === null) fail2(Step.MATCH, `label value is not a decimal: '${label.value}'`);
    if (!decimalEqual(value, claimed)) fail2(Step.MATCH, `label claims ${label.value} ${label.unit} but the attested value is ${d[VALUE_POINTER]}`);
    let unit;
    try {
      unit = labelUnit(String(d[UNIT_POINTER]), String(d[UNIT_AMOUNT_POINTER]));
    } catch (err) {
      fail2(Step.MATCH, err.message);
    }
    if (unit !== label.unit) fail2(Step.MATCH, `label unit '${label.unit}' differs from the attested '${unit}'`);
    const product = String(d[PRODUCT_POINTER]);
    if (!bytesEqual(digestOf(product), label.productIdDigest)) fail2(Step.MATCH, `label is for another product than ${product}`);
    return `${label.value} ${label.unit} for ${product}, as attested`;
  };
  const checkSuperseded = () => {
    if (signed === null) return ["skipped", "the labelled attestation could not be fetched"];
    const scan = e.superseding;
    if (scan === null || scan.error !== null) {
      return ["warned", `could not scan the log for newer attestations: ${scan === null ? "not collected" : scan.error}`];
    }
    const newer = [];
    for (const { index, signedStatement } of scan.entries) {
      let other;
      try {
        other = SignedStatement.fromDict(signedStatement);
      } catch (err) {
        if (err instanceof VerificationError) continue;
        throw err;
      }
      const st = other.statement;
      if (st.supersedes === signed.attestationId && st.issuer === signed.statement.issuer) newer.push([index, other.attestationId]);
    }
    if (newer.length) {
      const [index, id] = newer[newer.length - 1];
      return ["warned", `superseded by attestation ${id.slice(0, 16)}… (leaf ${index}) of the same issuer; the label refers to an outdated footprint`];
    }
    return `no newer attestation of ${signed.statement.issuer} supersedes it (log scanned to ${scan.scannedSize} entries)`;
  };
  const checkRollup = () => {
    const r = e.rollup;
    if (r === null || r.proof === null && r.error === null) {
      return [
        "skipped",
        "no public roll-up proof: the leader published none (its lines stay private, or its value is not committed); the certifier's label covers it"
      ];
    }
    if (signed === null) return ["skipped", "the labelled attestation could not be fetched"];
    if (r.error !== null) fail2(Step.ROLLUP_COMMITMENTS, r.error);
    const upstream = /* @__PURE__ */ new Map();
    for (const line of r.lines) {
      try {
        upstream.set(line.attestationId, upstreamCommitment(line));
      } catch (err) {
        if (err instanceof VerificationError) {
          fail2(Step.ROLLUP_COMMITMENTS, `upstream ${line.attestationId.slice(0, 16)}…: ${err.step}: ${err.reason}`);
        }
        throw err;
      }
    }
    if (parseDecimal(label.value) === null) fail2(Step.ROLLUP_COMMITMENTS, `label value is not a decimal: '${label.value}'`);
    const proof = checkCommittedRollup(r.proof, { upstream, declared: label.value, context: valueContext(signed.statement) });
    return `${label.value} ${label.unit} is at least Σ quantity × value over ${proof.lines.length} line(s) from ${upstream.size} anchored supplier attestation(s), each value hidden in a commitment with a verified range proof`;
  };
  const report = () => {
    const failed = checks.find((c) => c.status === "failed") ?? null;
    const warned = checks.some((c) => c.status === "warned");
    return {
      labelId: e.labelId,
      checks,
      failed,
      verdict: failed ? `invalid (${failed.check})` : warned ? "valid with warnings" : "valid",
      disclosed,
      attestationId: signed ? signed.attestationId : null,
      anchoredAt
    };
  };
  if (!step(Step.LABEL, checkLabel) && label === null) {
    skipRest(Step.LABEL, "no label to check");
    return report();
  }
  step(Step.ISSUER, checkIssuerOrg);
  if (!step(Step.LEAF, checkLeaf)) {
    skipRest(Step.LEAF, "the labelled attestation could not be fetched");
    return report();
  }
  if (step(Step.ANCHOR, checkAnchor)) step(Step.SIGNATURE, checkSignature);
  else record(Step.SIGNATURE, "skipped", "without an anchor there is no trusted time to check the key at");
  if (step(Step.DISCLOSURE, checkDisclosure)) step(Step.MATCH, checkMatch);
  else record(Step.MATCH, "skipped", "no verified disclosure");
  step(Step.SUPERSEDED, checkSuperseded);
  step(Step.ROLLUP_COMMITMENTS, checkRollup);
  return report();
}
export {
  AUDIT_CHECKS,
  AbiDecodeError,
  AnchorRegistryReader,
  CLAIM_TAG,
  CanonicalizationError,
  ChainError,
  ChainUnavailable,
  CheckpointError,
  CheckpointFormatError,
  CheckpointSignatureError,
  ConsistencyProofError,
  ContractReader,
  ContractReverted,
  DEFAULT_CLOCK_SKEW,
  DISCLOSURE_TAG,
  DISCLOSURE_TYPE,
  Disclosure,
  EMPTY_ROOT,
  EVIDENCE_TYPE,
  G_BYTES,
  HASH_SIZE,
  H_BYTES,
  H_DOMAIN_TAG,
  InclusionProofError,
  InvalidOrgId,
  JsonFloat,
  JsonParseError,
  JsonRpc,
  KEYID_TAG,
  L2 as L,
  LABEL_POINTERS,
  LabelRegistryReader,
  LabelStatus,
  MAX_CLAIMS,
  MAX_LINES,
  MIN_CLAIM_BUCKET,
  PUBLISHING_ROLES,
  ParticipantRegistryReader,
  ProofError,
  RANGE_BITS,
  RANGE_PROOF_SIZE,
  RANGE_PROOF_TYPE,
  RECEIPT_TYPE,
  RECEIPT_VERSION,
  ROLLUP_TYPE,
  Role,
  SALT_SIZE,
  STATEMENT_EXTENSIONS,
  STATEMENT_TAG,
  STATEMENT_TYPE,
  STATEMENT_VERSION,
  SUBJECT_POINTER,
  SignedStatement,
  Statement,
  Step,
  TanjiError,
  Transcript,
  VerificationError,
  auditLabel,
  b64decode,
  b64encode,
  bytesEqual,
  canonicalJson,
  canonicalType,
  canonicalize,
  checkIssuer,
  checkSignatureBytes,
  checkValueRangeProof,
  checkpointOrigin,
  claimLeafBytes,
  compareCodePoints,
  consistencyProofLength,
  decimalEqual,
  decode,
  decodePoint,
  decodeRevert,
  decodeScalar,
  ed25519Verify,
  encodeCall,
  escapeToken,
  formatTime,
  fromHex,
  hexDecode,
  idDigest,
  inclusionProofLength,
  isAttestationId,
  isClaimBucket,
  isInt,
  isPointer,
  isUint,
  keyHash,
  keyId,
  labelStatusAt,
  labelUnit,
  leafHash,
  logIdDigest,
  nodeHash,
  openNoteSignature,
  parseAnchorReference,
  parseCheckpoint,
  parseCommitment,
  parseDecimal,
  parseJson,
  parseLabelEvidence,
  parseOrgId,
  parseRangeProof,
  parseReceipt,
  parseRollup,
  parseTime,
  rangeContextDigest,
  rangeProofFromBytes,
  receiptToDict,
  rollupOwnContext,
  rootFromInclusionProof,
  rootFromLeafHashes,
  scaleTotal,
  selector,
  sha2562 as sha256,
  signature,
  taggedDigest,
  toChecksumAddress,
  toHex,
  usccCheckChar,
  utf8,
  valueCommitment,
  valueContext,
  verifyAttestation,
  verifyCheckpoint,
  verifyConsistency,
  verifyDisclosure,
  verifyInclusion,
  verifyRange,
  verifyReceipt,
  verifyReceiptCheckpoint,
  verifyRollup,
  verifyStatementSignature,
  windowDefect
};
/*! Bundled license information:

@noble/ed25519/index.js:
  (*! noble-ed25519 - MIT License (c) 2019 Paul Miller (paulmillr.com) *)

@noble/curves/utils.js:
@noble/curves/abstract/modular.js:
@noble/curves/abstract/curve.js:
@noble/curves/abstract/edwards.js:
@noble/curves/ed25519.js:
  (*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) *)
*/
