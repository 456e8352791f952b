// JSON values as the verifier holds them, with Python's distinctions kept:
//   - an integer is a `number` when |n| < 2**53 and a `bigint` beyond (never both, so
//     equal integers always have the same type);
//   - a number with a fraction or exponent is a JsonFloat (Python: float), which the
//     protocol refuses wherever Python does;
//   - an object is a null-prototype object (so "__proto__" is an ordinary key).

/** A JSON number written with a fraction or exponent (Python parses it as a float). */
export class JsonFloat {
  /** @param {string} text the number as written */
  constructor(text) {
    this.text = text;
    Object.freeze(this);
  }

  toString() {
    return this.text;
  }
}

/** Python's `isinstance(v, int) and not isinstance(v, bool)`. */
export function isInt(value) {
  return (typeof value === "number" && Number.isInteger(value)) || typeof value === "bigint";
}

/** A non-negative integer (sdk `_is_uint`). */
export function isUint(value) {
  return isInt(value) && value >= 0;
}

/** True for a JSON object (not an array, not null, not a JsonFloat). */
export function isObject(value) {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof JsonFloat) &&
    !(value instanceof Uint8Array)
  );
}

/** Python's type name of a JSON value, for messages. */
export function typeName(value) {
  if (value === null || value === undefined) return "NoneType";
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

/** Python's repr-like rendering of a value in messages (strings quoted). */
export function show(value) {
  if (typeof value === "string") return `'${value}'`;
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  return String(value);
}

// Plain ASCII decimals, as the LabelRegistry client writes them and PACT defines them
// (sdk/roles/_audit.py _DECIMAL, sdk/roles/_labelling.py _AMOUNT).
const DECIMAL = /^-?[0-9]+(?:\.[0-9]+)?$/;

/** A finite decimal as {sign, digits (no leading/trailing zeros), exp}; null if not one. */
export function parseDecimal(text) {
  if (typeof text !== "string" || !DECIMAL.test(text)) return null;
  const s = text;
  const sign = s[0] === "-" ? -1 : 1;
  const body = s.replace(/^[+-]/, "");
  const [mantissa, exponent = "0"] = body.split(/[eE]/);
  const [whole, fraction = ""] = mantissa.split(".");
  let digits = (whole + fraction).replace(/^0+/, "");
  let exp = BigInt(exponent) - BigInt(fraction.length);
  if (digits === "") return { sign: 1, digits: "", exp: 0n };
  const trailing = digits.length - digits.replace(/0+$/, "").length;
  digits = digits.slice(0, digits.length - trailing);
  exp += BigInt(trailing);
  return { sign, digits, exp };
}

/** Decimal equality (1.50 == 1.5 == 15e-1), as Python's Decimal compares. */
export function decimalEqual(a, b) {
  return a.sign === b.sign && a.digits === b.digits && a.exp === b.exp;
}
