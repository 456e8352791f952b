#!/usr/bin/env node
// Bench-only: fetch the Ethereum Attestation Service contracts and compile SchemaRegistry
// and EAS with the project's pinned solc-js, for the gas comparison in bench/bench_gas.py.
//
// The npm package depends on hardhat (~270 MB), so it is not installed: only its tarball
// is fetched (`npm pack`) into bench/eas/node_modules (gitignored), checked against the
// integrity pinned below, and extracted. The same goes for the OpenZeppelin version EAS
// was built against. Output: bench/eas/node_modules/.build/{SchemaRegistry,EAS}.json
// = {contractName, abi, bytecode, provenance}. Exits non-zero with a clear message when a
// download, an integrity check or the compilation fails.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..", "..");
const CACHE = join(HERE, "node_modules");
const TARBALLS = join(CACHE, ".tarballs");
const OUT = join(CACHE, ".build");
const require = createRequire(import.meta.url);

const PINNED = [
  {
    name: "@ethereum-attestation-service/eas-contracts",
    version: "1.9.0",
    file: "ethereum-attestation-service-eas-contracts-1.9.0.tgz",
    integrity:
      "sha512-L60y1fgKlY3a45xxnPlgRbiGQY8RF/lF+AzF1iVoR7/aEzitS0Nuyyjq8+IXs1sSSU0dl2+yGSmELxVeB6FelA==",
  },
  {
    // The OpenZeppelin release eas-contracts 1.9.0 is developed against.
    name: "@openzeppelin/contracts",
    version: "5.3.0",
    file: "openzeppelin-contracts-5.3.0.tgz",
    integrity:
      "sha512-zj/KGoW7zxWUE8qOI++rUM18v+VeLTTzKs/DJFkSzHpQFPD/jKKF0TrMxBfGLl3kpdELCNccvB3zmofSzm4nlA==",
  },
];
const OPTIMIZER = { enabled: true, runs: 200 };
const EVM_VERSION = "cancun";
const EAS = "@ethereum-attestation-service/eas-contracts";
const TARGETS = [
  [`${EAS}/contracts/SchemaRegistry.sol`, "SchemaRegistry"],
  [`${EAS}/contracts/EAS.sol`, "EAS"],
];

function fail(message) {
  process.stderr.write(`bench/eas/build.mjs: ${message}\n`);
  process.exit(1);
}

function integrityOf(path) {
  return `sha512-${createHash("sha512").update(readFileSync(path)).digest("base64")}`;
}

function fetchPackage({ name, version, file, integrity }) {
  const tarball = join(TARBALLS, file);
  if (!existsSync(tarball)) {
    mkdirSync(TARBALLS, { recursive: true });
    process.stderr.write(`fetching ${name}@${version} (tarball only)\n`);
    try {
      execFileSync("npm", ["pack", `${name}@${version}`, "--pack-destination", TARBALLS], {
        stdio: ["ignore", "ignore", "inherit"],
      });
    } catch (err) {
      fail(`npm pack ${name}@${version} failed: ${err.message}`);
    }
    if (!existsSync(tarball)) fail(`npm pack did not produce ${file}`);
  }
  const got = integrityOf(tarball);
  if (got !== integrity) {
    rmSync(tarball);
    fail(`${file}: integrity ${got} does not match the pinned ${integrity}; removed it`);
  }
  const dest = join(CACHE, ...name.split("/"));
  const stamp = join(dest, ".tanji-integrity");
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== integrity) {
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(dest, { recursive: true });
    execFileSync("tar", ["xzf", tarball, "-C", dest, "--strip-components=1"]);
    writeFileSync(stamp, integrity);
  }
}

for (const pkg of PINNED) fetchPackage(pkg);

const solc = require(join(ROOT, "node_modules", "solc"));
const sources = {};
function readSource(unit) {
  const file = resolve(CACHE, unit);
  if (!file.startsWith(CACHE + sep) || !existsSync(file)) return null;
  return readFileSync(file, "utf8");
}
for (const [unit] of TARGETS) sources[unit] = { content: readSource(unit) };

const input = {
  language: "Solidity",
  sources,
  settings: {
    optimizer: OPTIMIZER,
    evmVersion: EVM_VERSION,
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
  },
};
const findImports = (path) => {
  const contents = readSource(path);
  return contents === null ? { error: `import not found: ${path}` } : { contents };
};
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors ?? []).filter((d) => d.severity === "error");
if (errors.length > 0) {
  for (const d of errors) process.stderr.write(`${d.formattedMessage ?? d.message}\n`);
  fail(`compiling EAS failed with ${errors.length} error(s)`);
}

mkdirSync(OUT, { recursive: true });
for (const [unit, name] of TARGETS) {
  const compiled = output.contracts[unit][name];
  const artifact = {
    contractName: name,
    abi: compiled.abi,
    bytecode: `0x${compiled.evm.bytecode.object}`,
    provenance: {
      source: unit,
      sourceSha256: createHash("sha256").update(sources[unit].content, "utf8").digest("hex"),
      package: PINNED.map((p) => `${p.name}@${p.version}`),
      compiler: `solc-js ${solc.version()}`,
      optimizer: OPTIMIZER,
      evmVersion: EVM_VERSION,
    },
  };
  writeFileSync(join(OUT, `${name}.json`), `${JSON.stringify(artifact, null, 2)}\n`);
  process.stdout.write(`compiled ${unit}:${name}\n`);
}
