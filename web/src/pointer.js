// JSON Pointers (RFC 6901) and Python's string order (by code point).

const POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/;

/** True if `text` is a syntactically valid RFC 6901 JSON Pointer. */
export function isPointer(text) {
  return typeof text === "string" && POINTER.test(text);
}

/**
 * Compare two strings by Unicode code point, as Python's `<` on str does (JS's default
 * string order compares UTF-16 code units, which differs above U+FFFF). Lone surrogates
 * count as their own code points, as in Python.
 */
export function compareCodePoints(a, b) {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0);
    const cy = y.value.codePointAt(0);
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}
