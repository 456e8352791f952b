// The label page's own check, in the visitor's browser (node/_pages.py embeds the
// configuration and the evidence bundle the node audited). It re-runs the whole label
// audit (auditLabel: the leaf hash, the inclusion proof to the anchored root, the
// Ed25519 signature with the key and role valid at anchoring time, the disclosure against
// the signed commitment, the value match, and check 9: every upstream attestation of the
// committed roll-up anchored and signed, its range proof and the roll-up proof verified)
// with the bundled verifier, and, when the page names a public JSON-RPC endpoint,
// re-reads the label from the chain itself and compares it with the bundle. Each audit
// step then says whether this browser agrees.
// Served next to tanji-verify.js (/static/verify/); hostable anywhere as static files.

import * as T from "./tanji-verify.js";

const $ = (id) => document.getElementById(id);

function sameLabel(chain, bundle) {
  const fields = ["leafIndex", "value", "unit", "grade", "standard", "validFrom", "validUntil", "issuer", "revokedAt"];
  const bytes = ["leafHash", "disclosureDigest", "productIdDigest", "logIdDigest", "issuerOrgDigest"];
  return (
    fields.every((f) => String(chain[f]) === String(bundle[f])) &&
    bytes.every((f) => T.bytesEqual(chain[f], bundle[f]))
  );
}

// {ok: true} the chain has the bundle's label; {ok: false} it answered otherwise (another
// chain, no such label, other fields); {unreachable} it could not be asked from here (a
// private endpoint, CORS, a network error): then the label step stays the node's word.
async function readChain(config, evidence) {
  if (!config.rpcUrl) return null;
  let label;
  try {
    const rpc = new T.JsonRpc(config.rpcUrl, { timeoutMs: 8000 });
    if ((await rpc.chainId()) !== config.chainId) return { ok: false, why: "another chain" };
    label = await new T.LabelRegistryReader(rpc, config.labelRegistry).label(config.labelId);
  } catch (err) {
    if (err instanceof T.ChainUnavailable) return { unreachable: true, why: err.message };
    return { ok: false, why: String(err.message ?? err) };
  }
  return { ok: label !== null && evidence.label !== null && sameLabel(label, evidence.label) };
}

async function main() {
  const config = JSON.parse($("tanji-page").textContent);
  const words = config.words;
  const summary = $("browser-summary");
  summary.textContent = words["browser.pending"];
  // Let the page paint "re-checking…" first: the range proofs of check 9 keep this
  // thread busy for most of a second on a phone.
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const started = performance.now();
  const evidence = T.parseLabelEvidence(T.parseJson($("tanji-evidence").textContent, { what: "evidence" }));
  const report = T.auditLabel(evidence, config.at);
  const chain = await readChain(config, evidence);
  let agreed = 0;
  let disagreed = 0;
  for (const result of report.checks) {
    const item = document.querySelector(`li[data-step="${result.check}"]`);
    if (!item) continue;
    const by = item.querySelector(".by");
    let same = item.dataset.status === result.status;
    if (result.check === T.Step.LABEL && chain && !chain.unreachable && !chain.ok) same = false;
    by.classList.add(same ? "browser" : "disagree");
    by.dataset.by = same ? "browser" : "disagree";
    by.textContent = `${same ? "✓ " : "✗ "}${words[same ? "browser.checked" : "browser.disagree"]}`;
    if (!same) by.textContent += ` (${words[`mark.${result.status}`]}: ${result.reason})`;
    if (same) agreed += 1;
    else disagreed += 1;
  }
  const ms = performance.now() - started;
  if (disagreed) {
    summary.textContent = words["browser.summaryDisagree"];
    summary.style.background = "#fde8ea";
    summary.style.color = "#8a0016";
  } else {
    summary.textContent =
      words["browser.summary"].replace("{n}", String(agreed)) + (chain?.ok ? ` (${words["browser.chain"]})` : "");
  }
  document.body.dataset.browser = disagreed ? "disagree" : "agree";
  document.body.dataset.browserChecked = String(agreed);
  document.body.dataset.browserChain =
    chain === null ? "none" : chain.unreachable ? "unreachable" : chain.ok ? "agree" : "disagree";
  document.body.dataset.browserMs = ms.toFixed(1);
}

main().catch((err) => {
  const summary = $("browser-summary");
  if (summary) summary.textContent = `${err.name}: ${err.message}`;
  document.body.dataset.browser = "error";
});
