#!/usr/bin/env node
// Compile every contracts/src/**/*.sol with the pinned solc-js into contracts/artifacts.
//
//   node contracts/build.mjs [--evm-version FORK] [--out DIR]
//
// One artifact per deployable contract (not interfaces, abstract contracts or libraries)
// declared in contracts/src: {contractName, abi, bytecode, deployedBytecode, provenance}.
// Output is deterministic (sorted inputs, fixed key order, trailing newline) so CI can
// recompile and `git diff --exit-code contracts/artifacts`. Artifacts of contracts that no
// longer exist are removed. Exits non-zero with solc's messages on any compile error.
//
// The compile target defaults to EVM_VERSION, the oldest fork the production chain
// profiles need (docs/chains.md): FISCO BCOS runs Paris unless `feature_evm_cancun` is
// switched on, and Paris bytecode carries no PUSH0 (Shanghai) or MCOPY (Cancun), which
// older EVMs (ganache 7, Besu networks without a Shanghai milestone) reject as invalid
// opcodes. The committed artifacts are built for it; `--evm-version cancun --out DIR`
// builds another target elsewhere (bench/bench_gas.py compares the two).

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "contracts", "src");
const NODE_MODULES = join(ROOT, "node_modules");
const PINNED = "0.8.29";
const OPTIMIZER = { enabled: true, runs: 200 };
const EVM_VERSION = "paris";
// Targets solc 0.8.29 accepts that run on every chain profile's EVM or a newer one.
const TARGETS = ["london", "paris", "shanghai", "cancun", "prague"];

function fail(message) {
  process.stderr.write(`contracts/build.mjs: ${message}\n`);
  process.exit(1);
}

function options(argv) {
  const chosen = { evmVersion: EVM_VERSION, out: join(ROOT, "contracts", "artifacts") };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag === "--evm-version" || flag === "--out") && value === undefined) {
      fail(`${flag} needs a value`);
    }
    if (flag === "--evm-version") chosen.evmVersion = value;
    else if (flag === "--out") chosen.out = resolve(value);
    else fail(`unknown argument ${flag} (usage: build.mjs [--evm-version FORK] [--out DIR])`);
    i += 1;
  }
  if (!TARGETS.includes(chosen.evmVersion)) {
    fail(`--evm-version ${chosen.evmVersion}: choose one of ${TARGETS.join(", ")}`);
  }
  return chosen;
}

const { evmVersion, out: OUT } = options(process.argv.slice(2));

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
    evmVersion,
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
        evmVersion,
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
