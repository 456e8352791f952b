#!/usr/bin/env node
// Compile every contracts/src/**/*.sol with the pinned solc-js into contracts/artifacts.
//
// One artifact per deployable contract (not interfaces, abstract contracts or libraries)
// declared in contracts/src: {contractName, abi, bytecode, deployedBytecode, provenance}.
// Output is deterministic (sorted inputs, fixed key order, trailing newline) so CI can
// recompile and `git diff --exit-code contracts/artifacts`. Artifacts of contracts that no
// longer exist are removed. Exits non-zero with solc's messages on any compile error.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "contracts", "src");
const OUT = join(ROOT, "contracts", "artifacts");
const NODE_MODULES = join(ROOT, "node_modules");
const PINNED = "0.8.29";
const OPTIMIZER = { enabled: true, runs: 200 };
const EVM_VERSION = "cancun";

function fail(message) {
  process.stderr.write(`contracts/build.mjs: ${message}\n`);
  process.exit(1);
}

let solc;
try {
  solc = require(join(NODE_MODULES, "solc"));
} catch (err) {
  fail(`cannot load solc from node_modules (run 'npm ci'): ${err.message}`);
}
const longVersion = solc.version();
if (!longVersion.startsWith(`${PINNED}+`)) {
  fail(`solc ${longVersion} found, ${PINNED} pinned in package.json (run 'npm ci')`);
}

function solidityFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...solidityFiles(path));
    else if (entry.endsWith(".sol")) found.push(path);
  }
  return found;
}

// Source unit names are repository-relative POSIX paths, so metadata (and with it the
// bytecode's metadata hash) does not depend on where the repository is checked out.
const unitName = (path) => relative(ROOT, path).split(sep).join("/");
const sha256 = (text) => createHash("sha256").update(text, "utf8").digest("hex");

const files = existsSync(SRC) ? solidityFiles(SRC) : [];
if (files.length === 0) fail(`no .sol files under ${relative(ROOT, SRC)}`);

const sources = {};
for (const file of files) sources[unitName(file)] = { content: readFileSync(file, "utf8") };

function findImports(path) {
  // Only packages pinned in package.json are importable (e.g. @openzeppelin/contracts).
  if (!path.startsWith("@")) return { error: `import not found: ${path}` };
  const file = resolve(NODE_MODULES, path);
  if (!file.startsWith(NODE_MODULES + sep) || !existsSync(file)) {
    return { error: `import not found in node_modules: ${path}` };
  }
  return { contents: readFileSync(file, "utf8") };
}

const input = {
  language: "Solidity",
  sources,
  settings: {
    optimizer: OPTIMIZER,
    evmVersion: EVM_VERSION,
    outputSelection: {
      "*": { "": ["ast"], "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] },
    },
  },
};

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const diagnostics = output.errors ?? [];
for (const d of diagnostics) {
  if (d.severity !== "error") process.stderr.write(`${d.formattedMessage ?? d.message}\n`);
}
const errors = diagnostics.filter((d) => d.severity === "error");
if (errors.length > 0) {
  for (const d of errors) process.stderr.write(`${d.formattedMessage ?? d.message}\n`);
  fail(`compilation failed with ${errors.length} error(s)`);
}

function deployable(source) {
  const ast = output.sources?.[source]?.ast;
  if (!ast) fail(`solc returned no AST for ${source}`);
  return ast.nodes
    .filter((n) => n.nodeType === "ContractDefinition" && n.contractKind === "contract" && !n.abstract)
    .map((n) => n.name);
}

mkdirSync(OUT, { recursive: true });
const written = new Set();
for (const source of Object.keys(sources).sort()) {
  for (const name of deployable(source)) {
    if (written.has(`${name}.json`)) fail(`two contracts named ${name} in contracts/src`);
    const compiled = output.contracts[source][name];
    const artifact = {
      contractName: name,
      abi: compiled.abi,
      bytecode: `0x${compiled.evm.bytecode.object}`,
      deployedBytecode: `0x${compiled.evm.deployedBytecode.object}`,
      provenance: {
        source,
        sourceSha256: sha256(sources[source].content),
        compiler: `solc-js ${longVersion}`,
        optimizer: { enabled: OPTIMIZER.enabled, runs: OPTIMIZER.runs },
        evmVersion: EVM_VERSION,
      },
    };
    writeFileSync(join(OUT, `${name}.json`), `${JSON.stringify(artifact, null, 2)}\n`);
    written.add(`${name}.json`);
    process.stdout.write(`compiled ${source}:${name}\n`);
  }
}
for (const entry of readdirSync(OUT)) {
  if (entry.endsWith(".json") && !written.has(entry)) {
    rmSync(join(OUT, entry));
    process.stdout.write(`removed stale artifact ${entry}\n`);
  }
}
