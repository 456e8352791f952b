// A minimal Solidity ABI codec for the verifier's view calls: static arguments in,
// any of uintN, bool, address, bytesN, string, bytes, T[] and tuples out. Decoding is
// strict like eth_abi's: every offset and length is bounds-checked and padding must be
// zero, so a lying or broken RPC endpoint gives AbiDecodeError, never a wrong value.

import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesEqual, concat, fromHex, toHex, utf8 } from "./bytes.js";
import { AbiDecodeError } from "./errors.js";

const WORD = 32;
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Canonical type string of an ABI parameter (tuples expanded). */
export function canonicalType(param) {
  if (param.type.startsWith("tuple")) {
    return `(${param.components.map(canonicalType).join(",")})${param.type.slice(5)}`;
  }
  return param.type;
}

/** `name(type,...)` of an ABI function or error item. */
export function signature(item) {
  return `${item.name}(${item.inputs.map(canonicalType).join(",")})`;
}

/** The 4-byte selector of a function or error: keccak256(signature)[:4]. */
export function selector(item) {
  return keccak_256(utf8(signature(item))).subarray(0, 4);
}

/** EIP-55 mixed-case checksum form of a 20-byte address (as web3's to_checksum_address). */
export function toChecksumAddress(address) {
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
  const t = param.type;
  if (t === "string" || t === "bytes" || t.endsWith("[]")) return true;
  if (t === "tuple") return param.components.some(isDynamic);
  return false;
}

function encodeStatic(param, value) {
  const t = param.type;
  const word = new Uint8Array(WORD);
  const bits = uintBits(t);
  if (bits !== null) {
    const n = BigInt(value);
    if (n < 0n || n >= 1n << BigInt(bits)) throw new TypeError(`${t} out of range: ${value}`);
    const hex = n.toString(16).padStart(64, "0");
    return fromHex(hex);
  }
  if (t === "bool") {
    word[31] = value ? 1 : 0;
    return word;
  }
  if (t === "address") {
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value)) throw new TypeError(`not an address: ${value}`);
    word.set(fromHex(value.slice(2)), 12);
    return word;
  }
  const size = bytesSize(t);
  if (size !== null) {
    if (!(value instanceof Uint8Array) || value.length !== size) throw new TypeError(`${t} needs ${size} bytes`);
    word.set(value, 0);
    return word;
  }
  throw new TypeError(`cannot encode argument type ${t}`);
}

/** Calldata of a function call with static arguments: selector + one word each. */
export function encodeCall(item, args) {
  if (args.length !== item.inputs.length) throw new TypeError(`${item.name} takes ${item.inputs.length} arguments`);
  return concat(selector(item), ...item.inputs.map((p, i) => encodeStatic(p, args[i])));
}

class Reader {
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
}

function zeroPadding(bytes, what) {
  if (bytes.some((b) => b !== 0)) throw new AbiDecodeError(`${what} has non-zero padding`);
}

function decodeStatic(r, param, at) {
  const t = param.type;
  const w = r.word(at);
  const bits = uintBits(t);
  if (bits !== null) {
    const n = r.uint(at);
    if (n >> BigInt(bits)) throw new AbiDecodeError(`${t} value does not fit in ${bits} bits`);
    return n;
  }
  if (t === "bool") {
    zeroPadding(w.subarray(0, 31), "bool");
    if (w[31] > 1) throw new AbiDecodeError("bool is neither 0 nor 1");
    return w[31] === 1;
  }
  if (t === "address") {
    zeroPadding(w.subarray(0, 12), "address");
    return toChecksumAddress(`0x${toHex(w.subarray(12))}`);
  }
  const size = bytesSize(t);
  if (size !== null) {
    zeroPadding(w.subarray(size), t);
    return Uint8Array.from(w.subarray(0, size));
  }
  throw new AbiDecodeError(`cannot decode type ${t}`);
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

// A sequence (function outputs, a tuple's components, an array's elements) starting at `base`.
function decodeSequence(r, params, base) {
  const out = [];
  let head = base;
  for (const param of params) {
    if (isDynamic(param)) {
      out.push(decodeValue(r, param, base + r.offset(head)));
    } else {
      out.push(decodeValue(r, param, head));
    }
    head += staticSize(param);
  }
  return out;
}

function staticSize(param) {
  if (isDynamic(param)) return WORD;
  if (param.type === "tuple") return param.components.reduce((s, c) => s + staticSize(c), 0);
  return WORD;
}

function decodeValue(r, param, at) {
  const t = param.type;
  if (t.endsWith("[]")) {
    const element = { ...param, type: t.slice(0, -2) };
    const length = r.uint(at);
    const start = at + WORD;
    if (length * BigInt(staticSize(element)) > BigInt(r.data.length - start)) {
      throw new AbiDecodeError(`array of length ${length} runs past the answer`);
    }
    return decodeSequence(r, Array(Number(length)).fill(element), start);
  }
  if (t === "tuple") return decodeSequence(r, param.components, at);
  if (t === "string") {
    try {
      return UTF8.decode(decodeBytes(r, at));
    } catch (err) {
      if (err instanceof AbiDecodeError) throw err;
      throw new AbiDecodeError("string is not valid UTF-8");
    }
  }
  if (t === "bytes") return decodeBytes(r, at);
  return decodeStatic(r, param, at);
}

/** Decode ABI-encoded `data` (Uint8Array) as the sequence of `params`; AbiDecodeError if it does not fit. */
export function decode(params, data) {
  return decodeSequence(new Reader(data), params, 0);
}

const ERROR_STRING = { name: "Error", inputs: [{ type: "string" }] };
const PANIC = { name: "Panic", inputs: [{ type: "uint256" }] };

/**
 * Name and arguments of revert data against the custom errors of `abi`:
 * {name, args} (Error(string) and Panic(uint256) included), or null if unknown.
 */
export function decodeRevert(abi, data) {
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
