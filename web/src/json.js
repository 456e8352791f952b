// JSON in and out, exactly as the Python side reads and writes it.
//
// parseJson is Python's json.loads (strict: false) or sdk's loads_strict (strict: true):
// integers stay exact (bigint beyond 2**53), numbers with a fraction or exponent become
// JsonFloat, duplicate keys keep the last value (json.loads) or are refused
// (loads_strict), and NaN/Infinity are json.loads extensions that loads_strict refuses.
//
// canonicalize is RFC 8785 (JCS) over JS values; canonicalJson is sdk/_canonical.py's
// canonical_json: the protocol's one canonicalizer, which first refuses what the Python
// one refuses (floats, integers outside ±2**53, nesting deeper than 64, lone surrogates).

import { CanonicalizationError, JsonParseError } from "./errors.js";
import { hasLoneSurrogate, sha256, utf8, concat } from "./bytes.js";
import { JsonFloat, isObject, typeName } from "./values.js";

export const CLAIM_TAG = "tanji.claim.v1";
export const STATEMENT_TAG = "tanji.statement.v1";
export const KEYID_TAG = "tanji.keyid.v1";
export const DISCLOSURE_TAG = "tanji.disclosure.v1";

const MAX_DEPTH = 64;
// Parsing stops far above the protocol's 64 levels but well inside every engine's stack
// (Python's json gives up near its recursion limit of 1000 the same way).
const MAX_PARSE_DEPTH = 900;
const INT_LIMIT = 2n ** 53n;
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const WS = /[ \t\n\r]*/y;
const ESCAPES = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/**
 * Parse JSON text. `strict`: refuse duplicate keys, floats, NaN and infinities (sdk
 * loads_strict); otherwise behave as Python's json.loads. Throws JsonParseError naming
 * `what` and the offending position.
 */
export function parseJson(text, { strict = false, what = "JSON" } = {}) {
  if (typeof text !== "string") throw new JsonParseError(`${what}: not text`);
  let pos = 0;
  const fail = (message) => {
    throw new JsonParseError(`${what}: ${message} at character ${pos}`);
  };
  const skip = () => {
    WS.lastIndex = pos;
    WS.exec(text);
    pos = WS.lastIndex;
  };
  const literal = (word, value) => {
    if (text.startsWith(word, pos)) {
      pos += word.length;
      return value;
    }
    return undefined;
  };
  const constant = (word) => {
    if (strict) fail(`${word} is not JSON`);
    return new JsonFloat(word);
  };

  function string() {
    pos++; // opening quote
    let out = "";
    let start = pos;
    for (;;) {
      if (pos >= text.length) fail("unterminated string");
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(start, pos);
        pos++;
        return out;
      }
      if (c < 0x20) fail("invalid control character in string");
      if (c === 0x5c) {
        out += text.slice(start, pos);
        const e = text[pos + 1];
        if (e === "u") {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("invalid \\uXXXX escape");
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else if (e !== undefined && Object.hasOwn(ESCAPES, e)) {
          out += ESCAPES[e];
          pos += 2;
        } else {
          fail("invalid escape");
        }
        start = pos;
      } else {
        pos++;
      }
    }
  }

  function value(depth) {
    skip();
    if (depth > MAX_PARSE_DEPTH) fail("nested too deeply");
    const c = text[pos];
    if (c === "{") {
      pos++;
      const obj = Object.create(null);
      skip();
      if (text[pos] === "}") {
        pos++;
        return obj;
      }
      for (;;) {
        skip();
        if (text[pos] !== '"') fail("expecting property name enclosed in double quotes");
        const key = string();
        skip();
        if (text[pos] !== ":") fail("expecting ':' delimiter");
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
        fail("expecting ',' delimiter");
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
      for (;;) {
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
        fail("expecting ',' delimiter");
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]]) {
      if (literal(word, v) !== undefined) return v;
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
    if (m === null) fail("expecting value");
    pos = NUMBER.lastIndex;
    if (m[1] !== undefined || m[2] !== undefined) {
      if (strict) throw new JsonParseError(`${what}: float ${m[0]} refused; decimal quantities are strings`);
      return new JsonFloat(m[0]);
    }
    return exactInt(m[0]);
  }

  const result = value(0);
  skip();
  if (pos !== text.length) fail("extra data");
  return result;
}

/** An integer's exact value: a number below 2**53 in magnitude, a bigint beyond. */
function exactInt(text) {
  const big = BigInt(text);
  if (big < INT_LIMIT && big > -INT_LIMIT) return Number(big) || 0; // "-0" is 0
  return big;
}

/** Escape one JSON Pointer reference token (RFC 6901 §3: "~" → "~0", "/" → "~1"). */
export function escapeToken(token) {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

function showFloat(value) {
  return value instanceof JsonFloat ? value.text : String(value);
}

/** Refuse what sdk canonical_json refuses, naming the JSON Pointer of the first offence. */
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
  if ((typeof value === "number" && Number.isInteger(value)) || typeof value === "bigint") {
    const big = BigInt(value);
    if (!(-INT_LIMIT < big && big < INT_LIMIT)) {
      throw new CanonicalizationError(
        `${where}: integer ${big} is outside the exact JSON range; use a decimal string`,
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
          "input contains non-UTF-8 codepoints: a lone surrogate in an object key",
        );
      }
      checkProtocolValue(value[key], `${pointer}/${escapeToken(key)}`, depth + 1);
    }
    return;
  }
  throw new CanonicalizationError(`${where}: ${typeName(value)} is not a JSON value`);
}

/**
 * RFC 8785 canonical text of a JS value: object keys sorted by UTF-16 code units,
 * ECMAScript number serialization, JSON.stringify string escaping. Throws
 * CanonicalizationError for non-finite numbers, bigints, lone surrogates and non-JSON types.
 */
export function canonicalize(value) {
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

/**
 * sdk canonical_json: the RFC 8785 UTF-8 bytes of a protocol value. Equal JSON values
 * give equal bytes whatever their key order. Throws CanonicalizationError naming the
 * JSON Pointer of the first float, integer beyond ±2**53, non-JSON value, over-deep
 * nesting or lone surrogate.
 */
export function canonicalJson(value) {
  checkProtocolValue(value, "", 0);
  return utf8(canonicalize(value));
}

/** SHA-256 of `tag + "\0" + canonicalJson(value)` (sdk tagged_digest). */
export function taggedDigest(tag, value) {
  return sha256(concat(utf8(tag), new Uint8Array([0]), canonicalJson(value)));
}

/**
 * Check `obj` is an object with exactly the `required` keys (sdk require_keys); throws
 * TypeError naming the missing or unknown fields.
 */
export function requireKeys(obj, what, required) {
  if (!isObject(obj)) throw new TypeError(`${what} must be a JSON object, got ${typeName(obj)}`);
  const keys = Object.keys(obj);
  const missing = required.filter((k) => !Object.hasOwn(obj, k));
  if (missing.length) throw new TypeError(`${what}: missing ${missing.join(", ")}`);
  const extra = keys.filter((k) => !required.includes(k)).sort();
  if (extra.length) throw new TypeError(`${what}: unknown field(s) ${extra.join(", ")}`);
  return obj;
}
