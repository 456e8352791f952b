#!/usr/bin/env node
// Bundle the in-browser verifier (web/src) with the pinned esbuild into
// web/dist/tanji-verify.js, one self-contained ES module with no CDN and no runtime
// dependency, and web/dist/tanji-verify.sources.txt, the SHA-256 of every input.
//
// The bundle's header names the esbuild version and the digest of all its inputs (our
// sources, the @noble packages' files, the contract ABIs), like contracts/artifacts name
// their compiler and source digests. Output is deterministic, so CI rebuilds and runs
// `git diff --exit-code web/dist`. The contract ABIs come from contracts/artifacts: only
// view functions and errors are kept (virtual module "tanji:abi").

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const WEB = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(WEB, "..");
const OUT = join(WEB, "dist");
const BUNDLE = "tanji-verify.js";
const CONTRACTS = ["AnchorRegistry", "LabelRegistry", "ParticipantRegistry"];

function fail(message) {
  process.stderr.write(`web/build.mjs: ${message}\n`);
  process.exit(1);
}

const pkg = JSON.parse(readFileSync(join(WEB, "package.json"), "utf8"));
const pinned = pkg.devDependencies.esbuild;
let esbuild;
try {
  esbuild = require(join(WEB, "node_modules", "esbuild"));
} catch (err) {
  fail(`cannot load esbuild from web/node_modules (run 'make web'): ${err.message}`);
}
if (esbuild.version !== pinned) fail(`esbuild ${esbuild.version} found, ${pinned} pinned in web/package.json`);

const repoPath = (path) => relative(ROOT, path).split(sep).join("/");
const sha256 = (data) => createHash("sha256").update(data).digest("hex");
const artifactPath = (name) => join(ROOT, "contracts", "artifacts", `${name}.json`);

// Only what a reader calls: view/pure functions and the custom errors to name reverts,
// each parameter reduced to its type (and a tuple's components).
const param = ({ type, components }) => (components ? { type, components: components.map(param) } : { type });
const abiPlugin = {
  name: "tanji-abi",
  setup(build) {
    build.onResolve({ filter: /^tanji:abi$/ }, () => ({ path: "tanji:abi", namespace: "tanji-abi" }));
    build.onLoad({ filter: /.*/, namespace: "tanji-abi" }, () => {
      const abis = {};
      for (const name of CONTRACTS) {
        const { abi } = JSON.parse(readFileSync(artifactPath(name), "utf8"));
        abis[name] = abi
          .filter(
            (item) =>
              item.type === "error" ||
              (item.type === "function" && ["view", "pure"].includes(item.stateMutability)),
          )
          .map(({ type, name: itemName, inputs, outputs }) =>
            outputs
              ? { type, name: itemName, inputs: inputs.map(param), outputs: outputs.map(param) }
              : { type, name: itemName, inputs: inputs.map(param) },
          );
      }
      return {
        contents: `export const ABIS = ${JSON.stringify(abis)};\n`,
        loader: "js",
        watchFiles: CONTRACTS.map(artifactPath),
      };
    });
  },
};

// The step vocabulary, read from sdk/_steps.py (class Step: NAME = "text"), so the browser
// names its steps exactly as Python does (virtual module "tanji:steps").
const STEPS = join(ROOT, "sdk", "_steps.py");
const stepsPlugin = {
  name: "tanji-steps",
  setup(build) {
    build.onResolve({ filter: /^tanji:steps$/ }, () => ({ path: "tanji:steps", namespace: "tanji-steps" }));
    build.onLoad({ filter: /.*/, namespace: "tanji-steps" }, () => {
      const text = readFileSync(STEPS, "utf8");
      const body = text.split(/^class Step\(StrEnum\):$/m)[1]?.split(/^\S/m)[0];
      if (!body) fail("sdk/_steps.py has no 'class Step(StrEnum):'");
      const steps = Object.fromEntries([...body.matchAll(/^ {4}([A-Z0-9_]+) = "([a-z0-9._]+)"$/gm)].map((m) => [m[1], m[2]]));
      return { contents: `export const STEPS = ${JSON.stringify(steps)};\n`, loader: "js", watchFiles: [STEPS] };
    });
  },
};

const result = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: [join(WEB, "src", "index.js")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: ["es2022"],
  charset: "utf8",
  legalComments: "eof",
  minify: false,
  write: false,
  metafile: true,
  plugins: [abiPlugin, stepsPlugin],
  logLevel: "silent",
}).catch((err) => fail(err.message));

// Every file that went into the bundle, with its digest; the digest of that list is the
// bundle's "sources" digest.
const inputs = Object.keys(result.metafile.inputs)
  .filter((key) => !key.startsWith("tanji-abi:") && !key.startsWith("tanji-steps:"))
  .map((key) => resolve(ROOT, key))
  .concat(CONTRACTS.map(artifactPath), [STEPS])
  .map((path) => `${sha256(readFileSync(path))}  ${repoPath(path)}`)
  .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1));
const manifest = `${inputs.join("\n")}\n`;
const sourcesDigest = sha256(manifest);

const versions = Object.keys(pkg.dependencies)
  .map((name) => `${name} ${JSON.parse(readFileSync(join(WEB, "node_modules", name, "package.json"), "utf8")).version}`)
  .join(", ");
const header = [
  "/*! tanji-verify: Tanji's in-browser label verifier (web/src), bundled by web/build.mjs; do not edit.",
  ` * esbuild ${esbuild.version}; sources sha256 ${sourcesDigest} over ${inputs.length} files`,
  ` * (web/src, ${versions}, the ABIs in contracts/artifacts), listed in tanji-verify.sources.txt.`,
  " * Tanji: Apache-2.0. @noble/curves, @noble/ed25519, @noble/hashes: MIT, (c) Paul Miller (paulmillr.com). */",
  "",
].join("\n");

// The label page's script (web/page/label-page.js): imports the bundle beside it at run
// time, so the verifier is downloaded once; esbuild only checks and copies it.
const PAGE = join(WEB, "page", "label-page.js");
const page = await esbuild
  .build({
    absWorkingDir: ROOT,
    entryPoints: [PAGE],
    bundle: true,
    external: ["./tanji-verify.js"],
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    charset: "utf8",
    minify: false,
    write: false,
    logLevel: "silent",
  })
  .catch((err) => fail(err.message));
const pageHeader = [
  "/*! tanji label page: re-runs the label audit in the visitor's browser (web/page/label-page.js,",
  ` * sha256 ${sha256(readFileSync(PAGE))}), built by web/build.mjs; do not edit. Apache-2.0. */`,
  "",
].join("\n");
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, "label-page.js"), pageHeader + page.outputFiles[0].text);

const code = result.outputFiles[0].text;
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, BUNDLE), header + code);
writeFileSync(join(OUT, "tanji-verify.sources.txt"), manifest);
process.stdout.write(`web/dist/${BUNDLE}: ${Buffer.byteLength(header + code)} bytes, sources ${sourcesDigest.slice(0, 16)}…\n`);
