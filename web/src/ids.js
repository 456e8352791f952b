// Organisation ids (sdk/_ids.py): unified social credit codes (GB 32100-2015) and URNs.

import { InvalidOrgId } from "./errors.js";

const USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const NID = /^[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]$/;
const NSS = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;
const MAX_URN = 255;

/** The GB 32100-2015 check character of the first 17 characters of a code. */
export function usccCheckChar(first17) {
  let total = 0;
  [...first17].forEach((c, i) => {
    const value = USCC_CHARSET.indexOf(c);
    if (value < 0) throw new InvalidOrgId(`illegal character '${c}' at position ${i + 1}`);
    total += value * USCC_WEIGHTS[i];
  });
  return USCC_CHARSET[(31 - (total % 31)) % 31];
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

/**
 * The canonical text of an organisation id: a USCC upper-cased, or a URN with `urn:` and
 * its NID lower-cased. Throws InvalidOrgId with the reason. (Python also trims
 * whitespace around a USCC; a statement must carry the canonical text, so the
 * verifier only needs canonical input to pass.)
 */
export function parseOrgId(text) {
  if (typeof text !== "string") throw new InvalidOrgId("organisation id must be a string");
  if (text.slice(0, 4).toLowerCase() === "urn:") return parseUrn(text);
  return parseUscc(text.toUpperCase());
}
