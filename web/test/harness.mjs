// Runs Tanji's named vectors through the bundled verifier. Shared by the Node.js runner
// (run.mjs, driven by pytest) and the browser test page (vectors.html), so Node and
// Chromium execute the same code; `T` is the imported bundle (web/dist/tanji-verify.js).

/** Outcome of one protocol vector (tests/vectors/*.json, tests/vectors/commitments/*.json),
 * in the shape of its `expect`. */
export function runVector(T, vector) {
  if (vector.operation === "audit_label") return runAuditVector(T, vector);
  if (Object.hasOwn(ZK_OPERATIONS, vector.operation)) return runZkVector(T, vector);
  if (vector.operation !== "verify_attestation") {
    // Opening an envelope (or checking the opening inside one) needs the recipient's
    // X25519 private key: not a browser task.
    return { result: "unsupported", operation: vector.operation };
  }
  const inp = vector.input;
  const tr = vector.trust;
  try {
    const receipt = T.parseReceipt(inp.receipt);
    const disclosure = T.Disclosure.fromDict(inp.disclosure);
    const keys = (docs) =>
      docs.map((k) => ({
        publicKey: T.b64decode(k.publicKey, "publicKey"),
        validFrom: T.parseTime(k.validFrom, "validFrom"),
        revokedAt: k.revokedAt === null ? null : T.parseTime(k.revokedAt, "revokedAt"),
      }));
    const verified = T.verifyAttestation(receipt, disclosure, {
      logKeys: keys(tr.logKeys),
      issuerKeys: keys(tr.issuerKeys),
      issuerRoles: tr.issuerRoles.map((r) => ({
        role: r.role,
        validFrom: T.parseTime(r.validFrom, "validFrom"),
        revokedAt: r.revokedAt === null ? null : T.parseTime(r.revokedAt, "revokedAt"),
      })),
      anchoredAt: T.parseTime(tr.anchoredAt, "anchoredAt"),
      at: T.parseTime(tr.at, "at"),
      anchoredHead: { size: tr.anchoredHead.size, root: T.b64decode(tr.anchoredHead.root, "root", 32) },
      required: tr.required,
    });
    return { result: "accept", attestationId: verified.attestationId, values: verified.values };
  } catch (err) {
    if (err instanceof T.VerificationError) return { result: "reject", step: err.step };
    return { result: "error", error: `${err.name}: ${err.message}` };
  }
}

// The commitment vectors' operations (tests/vectors/commitments/generate.py run_vector).
const ZK_OPERATIONS = {
  parse_commitment: (T, inp) => T.parseCommitment(inp.commitment),
  verify_range: (T, inp) =>
    T.verifyRange(T.parseCommitment(inp.commitment), T.parseRangeProof(inp.rangeProof), T.fromHex(inp.context)),
  verify_rollup: (T, inp) => {
    const proof = T.parseRollup(inp.rollup);
    const upstream = new Map(Object.entries(inp.upstream).map(([ref, c]) => [ref, T.parseCommitment(c)]));
    const expected = inp.expectedLines === undefined ? null : inp.expectedLines.map(([ref, q]) => [ref, BigInt(q)]);
    T.verifyRollup(proof, {
      upstream,
      declaredTotal: BigInt(inp.declaredTotal),
      context: T.fromHex(inp.context),
      expectedLines: expected,
    });
  },
  check_value_range_proof: (T, inp) =>
    T.checkValueRangeProof(T.SignedStatement.fromDict(inp.signedStatement).statement, inp.valueRangeProof),
};

function runZkVector(T, vector) {
  try {
    ZK_OPERATIONS[vector.operation](T, vector.input);
    return { result: "accept" };
  } catch (err) {
    if (err instanceof T.VerificationError) return { result: "reject", step: err.step };
    return { result: "error", error: `${err.name}: ${err.message}` };
  }
}

/** The protocol step a failed check's reason starts with, or for check 9's upstream
 * attestations the one after "upstream <id>…: " (tests/vectors/generate.py reason_cause). */
export function reasonCause(T, reason) {
  let [head, ...rest] = reason.split(": ");
  if (head.startsWith("upstream ")) head = rest[0] ?? "";
  return Object.values(T.Step).includes(head) ? head : null;
}

/** An audit_label vector: the label audit over its evidence bundle at `trust.at`. */
function runAuditVector(T, vector) {
  try {
    const report = T.auditLabel(vector.input.evidence, T.parseTime(vector.trust.at, "at"));
    if (report.failed) {
      const out = { result: "reject", step: report.failed.check };
      const cause = reasonCause(T, report.failed.reason);
      if (cause !== null) out.cause = cause;
      return out;
    }
    return { result: "accept", verdict: report.verdict, disclosed: report.disclosed };
  } catch (err) {
    return { result: "error", error: `${err.name}: ${err.message}` };
  }
}

/** Run a vector given as JSON text (parsed as Python's json.loads would). */
export function runVectorText(T, text) {
  return runVector(T, T.parseJson(text, { what: "vector" }));
}

const stepOf = (err) => /^step \d+ \([^)]*\)/.exec(err.message)?.[0] ?? err.message;

/** One transparency-dev RFC 9162 vector: {ok} or {ok: false, error: "step N (…)"}. */
export function runMerkleVector(T, kind, v) {
  const b64 = (s) => T.b64decode(s, "vector hash");
  try {
    if (kind === "inclusion") {
      T.verifyInclusion(b64(v.leafHash), BigInt(v.leafIdx), BigInt(v.treeSize), (v.proof ?? []).map(b64), b64(v.root));
    } else {
      T.verifyConsistency(BigInt(v.size1), BigInt(v.size2), b64(v.root1), b64(v.root2), (v.proof ?? []).map(b64));
    }
    return { ok: true };
  } catch (err) {
    if (err instanceof T.ProofError) return { ok: false, error: stepOf(err) };
    return { ok: false, error: `${err.name}: ${err.message}` };
  }
}

/**
 * Milliseconds per verification of one vector (parse from text + verify), the median of
 * five rounds of `n` after a warm-up round; it must be accepted.
 */
export function benchVector(T, text, n) {
  const once = () => {
    const out = runVectorText(T, text);
    if (out.result !== "accept") throw new Error(`bench vector not accepted: ${JSON.stringify(out)}`);
  };
  for (let i = 0; i < Math.min(n, 20); i++) once();
  const rounds = [];
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) once();
    rounds.push((performance.now() - start) / n);
  }
  rounds.sort((a, b) => a - b);
  return { msPerOp: rounds[2] };
}

/** Every tests/vectors file and RFC 9162 vector, run in this JS engine: a summary. */
export function runAll(T, { vectors, rfc9162 }) {
  const results = {};
  for (const [name, text] of Object.entries(vectors)) results[name] = runVectorText(T, text);
  const merkle = {};
  for (const kind of ["inclusion", "consistency"]) {
    for (const [name, v] of Object.entries(rfc9162[kind])) merkle[`${kind}/${name}`] = runMerkleVector(T, kind, v);
  }
  return { vectors: results, merkle };
}
