// The label audit of DESIGN.md §6.5 as a pure function of an evidence bundle and a time
// (sdk/roles/_audit.py audit_label over a `tanji.label-evidence` bundle, docs/evidence.md).
// Same nine checks in the same order, the same statuses, and for checks 5, 6 and 9 a
// reason that starts with the protocol step that failed; built on verifyInclusion,
// checkIssuer, verifyDisclosure, checkValueRangeProof and verifyRollup (no second copy
// of a check). Check 9, the committed roll-up, re-verifies every upstream attestation's
// range proof and the leader's roll-up proof here too (zk.js).

import { b64decode, bytesEqual, fromHex, sha256, toHex, utf8 } from "./bytes.js";
import { Disclosure, verifyDisclosure } from "./disclosure.js";
import { ProofError, VerificationError } from "./errors.js";
import { verifyInclusion } from "./merkle.js";
import { SignedStatement } from "./statement.js";
import { Step } from "./steps.js";
import { formatTime } from "./time.js";
import { checkValueRangeProof, valueCommitment, valueContext } from "./valueproof.js";
import { decimalEqual, parseDecimal } from "./values.js";
import { checkIssuer } from "./verify.js";
import { parseRollup, scaleTotal, verifyRollup } from "./zk.js";

export const EVIDENCE_TYPE = "tanji.label-evidence";
export const VALUE_POINTER = "/pcf/pcfExcludingBiogenicUptake";
export const UNIT_POINTER = "/pcf/declaredUnitOfMeasurement";
export const UNIT_AMOUNT_POINTER = "/pcf/declaredUnitAmount";
export const PRODUCT_POINTER = "/productIds/0";
/** Claims every label disclosure must reveal (sdk LABEL_POINTERS). */
export const LABEL_POINTERS = Object.freeze([PRODUCT_POINTER, VALUE_POINTER, UNIT_POINTER, UNIT_AMOUNT_POINTER]);
/** The checks of §6.5, numbered as there (sdk AuditCheck). */
export const AUDIT_CHECKS = Object.freeze([
  Step.LABEL,
  Step.ISSUER,
  Step.LEAF,
  Step.ANCHOR,
  Step.SIGNATURE,
  Step.DISCLOSURE,
  Step.MATCH,
  Step.SUPERSEDED,
  Step.ROLLUP_COMMITMENTS,
]);

const digestOf = (text) => sha256(utf8(text));
// Chain times in messages; one beyond years 1-9999 is shown as the number (sdk _ts).
const t = (seconds) => {
  try {
    return formatTime(seconds);
  } catch (err) {
    if (err instanceof RangeError) return `${seconds} (Unix seconds)`;
    throw err;
  }
};

/** The unit a label shows (sdk label_unit); throws TypeError for a bad amount. */
export function labelUnit(declaredUnit, declaredAmount) {
  const amount = parseDecimal(declaredAmount);
  if (amount === null) throw new TypeError(`declared unit amount is not a decimal (ASCII digits): '${declaredAmount}'`);
  if (amount.digits === "" || amount.sign < 0) throw new TypeError(`declared unit amount must be positive, got '${declaredAmount}'`);
  if (decimalEqual(amount, { sign: 1, digits: "1", exp: 0n })) return `kgCO2e/${declaredUnit}`;
  return `kgCO2e/${declaredAmount} ${declaredUnit}`;
}

/** Whether suspension period `p` covers `t` (sdk Suspension.covers). */
function covers(p, t) {
  return p.suspendedAt <= t && (p.restoredAt === null || t < p.restoredAt);
}

/** Label.status_at: REVOKED, NOT_YET_VALID, EXPIRED, SUSPENDED or ACTIVE at `at` (Unix
 * seconds): the LabelRegistry's statusAt rule. */
export function labelStatusAt(label, at) {
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
    certificate: r.certificate === undefined ? null : { number: r.certificate.number, digest: fromHex(r.certificate.digest) },
    suspensions: (r.suspensions ?? []).map((p) => ({
      suspendedAt: Number(p.suspendedAt),
      restoredAt: p.restoredAt === null ? null : Number(p.restoredAt),
      reason: p.reason,
      restoreReason: p.restoreReason,
    })),
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
      revokedAt: k.revokedAt === null ? null : Number(k.revokedAt),
    })),
  };
}

function parseAnchor(a) {
  if (a === null) return null;
  return {
    head: a.head === null ? null : { size: Number(a.head.size), root: b64decode(a.head.root, "root", 32), timestamp: Number(a.head.timestamp) },
    inclusionProof: a.inclusionProof === null ? null : a.inclusionProof.map((p) => b64decode(p, "proof hash")),
    error: a.error,
  };
}

// The leader's public roll-up proof, kept as JSON (check 9 parses it), and per upstream
// attestation it names: the node's leaf, the range proof published with it, the anchored
// head with the inclusion proof, and the issuer's key and role histories.
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
      error: line.error,
    })),
    error: r.error,
  };
}

/** Read a `tanji.label-evidence` bundle (JSON value), version 1 or version 2 (with the
 * leader's public roll-up proof, `rollup`), into plain values. */
export function parseLabelEvidence(doc) {
  if (doc?.type !== EVIDENCE_TYPE || (doc.version !== 1 && doc.version !== 2)) {
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
    superseding:
      doc.superseding === null
        ? null
        : { scannedSize: doc.superseding.scannedSize, entries: doc.superseding.entries, error: doc.superseding.error },
    rollup: doc.version === 2 && doc.rollup !== null && doc.rollup !== undefined ? parseRollupEvidence(doc.rollup) : null,
  };
}

/** (3, pure) The signed statement of a fetched entry (sdk parse_leaf); VerificationError
 * at `leaf` when it is not a well-formed one. */
function parseLeaf(raw, index) {
  try {
    return SignedStatement.fromDict(raw);
  } catch (err) {
    if (err instanceof VerificationError) throw new VerificationError(Step.LEAF, `entry ${index} is not a signed statement: ${err.message}`);
    throw err;
  }
}

/** (4, pure) Leaf `index` is included in the anchored `head` (sdk check_anchored); returns
 * the head's block time, the attestation's trusted time. VerificationError at `anchor`. */
function checkAnchored(signed, index, head, proof) {
  if (head.size <= index) throw new VerificationError(Step.ANCHOR, `the anchored head of size ${head.size} does not cover leaf ${index}`);
  try {
    verifyInclusion(signed.leafHash, index, head.size, proof, head.root);
  } catch (err) {
    if (err instanceof ProofError) {
      throw new VerificationError(
        Step.ANCHOR,
        `the node's proof of leaf ${index} does not lead to the root anchored on chain at size ${head.size}: the log it serves is inconsistent with the chain (${err.message})`,
      );
    }
    throw err;
  }
  formatTime(head.timestamp); // the trusted time must be one a datetime can hold
  return head.timestamp;
}

/** (5, pure) checkIssuer at the trusted time `at`, reported as check 5 (sdk
 * check_signature_with); VerificationError at `signature` naming the protocol step. */
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

/** An upstream line's anchored, signed value commitment, its range proof checked again
 * (the public does not rely on the node's publish check); sdk _upstream_commitment. */
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

/** `rollup.commitments` for the public (sdk check_committed_rollup without the
 * inventory): the proof parses, its total is the label's value in micrograms, and
 * verifyRollup holds over the upstream commitments. VerificationError naming the sdk.zk
 * step first in the reason ("rollup.sum: …"). */
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

/**
 * Audit a label from its evidence (parsed or JSON) at `at` (Unix seconds). Returns
 * {checks: [{check, status, reason}], verdict, failed, disclosed, attestationId}; never
 * throws for a failed check.
 */
export function auditLabel(evidence, at) {
  const e = evidence.type === EVIDENCE_TYPE ? parseLabelEvidence(evidence) : evidence;
  const checks = [];
  let signed = null;
  let anchoredAt = null;
  let disclosed = Object.create(null);
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
  const fail = (check, reason) => {
    throw new VerificationError(check, reason);
  };
  const label = e.label;

  const checkLabel = () => {
    if (label === null) fail(Step.LABEL, e.labelError || `no label ${e.labelId} on chain`);
    const status = labelStatusAt(label, at);
    const window = `${t(label.validFrom)} to ${t(label.validUntil)}`;
    if (status === "REVOKED") fail(Step.LABEL, `revoked at ${t(label.revokedAt)}: ${label.revocationReason}`);
    if (status === "EXPIRED") fail(Step.LABEL, `expired at ${t(label.validUntil)} (valid ${window})`);
    if (status === "NOT_YET_VALID") fail(Step.LABEL, `not valid before ${t(label.validFrom)}`);
    if (status === "SUSPENDED") {
      const period = [...label.suspensions].reverse().find((p) => covers(p, at));
      fail(Step.LABEL, `suspended at ${t(period.suspendedAt)}: ${period.reason}`);
    }
    const restored = label.suspensions.filter((p) => p.restoredAt !== null && p.restoredAt <= at);
    const last = restored[restored.length - 1];
    const note = last === undefined ? "" : `; restored at ${t(last.restoredAt)}: ${last.restoreReason}`;
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
    if (c === null || c.error !== null) fail(Step.ISSUER, `cannot read the issuing organisation: ${c === null ? "not collected" : c.error}`);
    if (c.orgId === null) fail(Step.ISSUER, `account ${label.issuer} belongs to no registered organisation`);
    if (!bytesEqual(digestOf(c.orgId), label.issuerOrgDigest)) fail(Step.ISSUER, `account ${label.issuer} no longer belongs to the issuing organisation`);
    const held = c.roles.some((g) => g.role === "CERTIFIER" && g.validFrom <= at && (g.revokedAt === null || at < g.revokedAt));
    if (!held) fail(Step.ISSUER, `${c.orgId} does not hold the CERTIFIER role at ${t(at)}`);
    if (maker() === c.orgId) fail(Step.ISSUER, `${c.orgId} labelled its own attestation: a certification body must be independent of the product it certifies (CNCA)`);
    return `issued by ${label.issuer} of ${c.orgId}, a registered CERTIFIER independent of the maker`;
  };
  const checkLeaf = () => {
    if (e.logId === null) fail(Step.LEAF, e.logError || "no node serving the log");
    if (!bytesEqual(digestOf(e.logId), label.logIdDigest)) fail(Step.LEAF, `the label's log is not the log '${e.logId}' the leaf came from`);
    if (e.leaf === null) fail(Step.LEAF, "the leaf was not fetched");
    if (e.leaf.error !== null) fail(Step.LEAF, e.leaf.error);
    const parsed = parseLeaf(e.leaf.document, label.leafIndex);
    if (!bytesEqual(parsed.leafHash, label.leafHash)) {
      fail(Step.LEAF, `leaf ${label.leafIndex} of log ${e.logId} hashes to ${toHex(parsed.leafHash)}, the label names ${toHex(label.leafHash)}`);
    }
    signed = parsed;
    return `leaf ${label.leafIndex} of log ${e.logId}: attestation ${parsed.attestationId.slice(0, 16)}… by ${parsed.statement.issuer}`;
  };
  const checkAnchor = () => {
    const a = e.anchor;
    if (a === null) fail(Step.ANCHOR, "the anchor was not collected");
    if (a.error !== null) fail(Step.ANCHOR, a.error);
    if (a.head === null || a.inclusionProof === null) fail(Step.ANCHOR, "the evidence holds no anchored head and proof");
    anchoredAt = checkAnchored(signed, label.leafIndex, a.head, a.inclusionProof);
    return `included in the head of size ${a.head.size} anchored on chain at ${t(anchoredAt)}`;
  };
  const checkSignature = () => {
    const issuer = e.issuer;
    if (issuer === null || issuer.error !== null || issuer.orgId === null) {
      fail(Step.SIGNATURE, (issuer !== null && issuer.error) || "the issuer's history was not collected");
    }
    return checkSignatureWith(issuer, signed, anchoredAt);
  };
  const checkDisclosure = () => {
    const fetched = e.disclosure;
    if (fetched === null) fail(Step.DISCLOSURE, "no disclosure was collected");
    if (fetched.error !== null) fail(Step.DISCLOSURE, fetched.error);
    const disclosure = Disclosure.fromDict(fetched.document);
    if (!bytesEqual(disclosure.digest(), label.disclosureDigest)) {
      fail(Step.DISCLOSURE, "the public disclosure's digest is not the one recorded in the label: it was altered or belongs to another label");
    }
    let values;
    try {
      values = verifyDisclosure(disclosure, signed, { required: LABEL_POINTERS });
    } catch (err) {
      if (err instanceof VerificationError) fail(Step.DISCLOSURE, `${err.step}: ${err.reason}`);
      throw err;
    }
    disclosed = values;
    return `${Object.keys(values).length} disclosed claim(s) verify against the signed commitment and the subject; the rest of the ${signed.statement.claimCount} committed leaves stay hidden`;
  };
  const checkMatch = () => {
    const d = disclosed;
    const value = parseDecimal(d[VALUE_POINTER]);
    if (value === null) fail(Step.MATCH, `disclosed value is not a decimal: '${d[VALUE_POINTER]}'`);
    const claimed = parseDecimal(label.value);
    if (claimed === null) fail(Step.MATCH, `label value is not a decimal: '${label.value}'`);
    if (!decimalEqual(value, claimed)) fail(Step.MATCH, `label claims ${label.value} ${label.unit} but the attested value is ${d[VALUE_POINTER]}`);
    let unit;
    try {
      unit = labelUnit(String(d[UNIT_POINTER]), String(d[UNIT_AMOUNT_POINTER]));
    } catch (err) {
      fail(Step.MATCH, err.message);
    }
    if (unit !== label.unit) fail(Step.MATCH, `label unit '${label.unit}' differs from the attested '${unit}'`);
    const product = String(d[PRODUCT_POINTER]);
    if (!bytesEqual(digestOf(product), label.productIdDigest)) fail(Step.MATCH, `label is for another product than ${product}`);
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

  // (9) The committed roll-up (docs/commitments.md §8): every upstream attestation the
  // leader's public proof names is anchored, signed at anchoring time and its value's
  // range proof verifies again; then the roll-up proof shows the label's value is at
  // least Σ quantity × value, no value revealed.
  const checkRollup = () => {
    const r = e.rollup;
    if (r === null || (r.proof === null && r.error === null)) {
      return [
        "skipped",
        "no public roll-up proof: the leader published none (its lines stay private, or its value is not committed); the certifier's label covers it",
      ];
    }
    if (signed === null) return ["skipped", "the labelled attestation could not be fetched"];
    if (r.error !== null) fail(Step.ROLLUP_COMMITMENTS, r.error);
    const upstream = new Map();
    for (const line of r.lines) {
      try {
        upstream.set(line.attestationId, upstreamCommitment(line));
      } catch (err) {
        if (err instanceof VerificationError) {
          fail(Step.ROLLUP_COMMITMENTS, `upstream ${line.attestationId.slice(0, 16)}…: ${err.step}: ${err.reason}`);
        }
        throw err;
      }
    }
    if (parseDecimal(label.value) === null) fail(Step.ROLLUP_COMMITMENTS, `label value is not a decimal: '${label.value}'`);
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
      anchoredAt,
    };
  };

  // (1) label exists, is active and within validity at `at`.
  if (!step(Step.LABEL, checkLabel) && label === null) {
    skipRest(Step.LABEL, "no label to check");
    return report();
  }
  step(Step.ISSUER, checkIssuerOrg); // (2)
  if (!step(Step.LEAF, checkLeaf)) {
    // (3)
    skipRest(Step.LEAF, "the labelled attestation could not be fetched");
    return report();
  }
  if (step(Step.ANCHOR, checkAnchor)) step(Step.SIGNATURE, checkSignature); // (4), (5)
  else record(Step.SIGNATURE, "skipped", "without an anchor there is no trusted time to check the key at");
  if (step(Step.DISCLOSURE, checkDisclosure)) step(Step.MATCH, checkMatch); // (6), (7)
  else record(Step.MATCH, "skipped", "no verified disclosure");
  step(Step.SUPERSEDED, checkSuperseded); // (8), a warning only
  step(Step.ROLLUP_COMMITMENTS, checkRollup); // (9)
  return report();
}
