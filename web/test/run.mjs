#!/usr/bin/env node
// The Node.js side of the cross-tests (tests/web): reads one JSON job from stdin, runs it
// through the committed bundle web/dist/tanji-verify.js and prints the results as JSON.
//
//   {"job": "vectors", "items": {name: vector text}}          → {name: outcome}
//   {"job": "merkle", "kind": "inclusion"|"consistency", "items": {name: vector}}
//   {"job": "jcs", "items": [json text]}                      → RFC 8785 of JSON.parse(text)
//   {"job": "canonical", "items": [json text]}                → sdk canonical_json, hex or error
//   {"job": "strict", "items": [json text]}                   → the same after sdk loads_strict
//   {"job": "ed25519", "items": [{sig, msg, key} hex]}         → [bool]
//   {"job": "checkpoint", "items": [{text, keyName, key}]}     → [{origin, size, root} | {error}]
//   {"job": "chain", "rpc": url, "calls": [[contract, address, method, ...args]]} → results
//   {"job": "abi", "items": [{contract, function, hex}]}      → decoded outputs | {error}
//   {"job": "bench", "text": vector text, "n": count}          → {msPerOp} (bench/bench_web.py)
//   {"job": "audit", "at": seconds, "items": {name: evidence text}} → {name: [[check, status, reason]] | {error}}
//   {"job": "steps"}                                           → {NAME: "step.name"} (T.Step)

import { readFileSync } from "node:fs";
import * as T from "../dist/tanji-verify.js";
import { benchVector, runMerkleVector, runVectorText } from "./harness.mjs";

const hex = (s) => T.fromHex(s);
const errorOf = (err) => ({ error: err.constructor.name, message: err.message });

// JSON out: bytes as hex, bigints as decimal strings.
const replacer = (_key, value) => {
  if (value instanceof Uint8Array) return T.toHex(value);
  if (typeof value === "bigint") return value.toString();
  return value;
};

function arg(value) {
  // Chain call arguments travel as JSON: {"hex": "..."} for bytes32, {"int": "..."} for integers.
  if (value && typeof value === "object" && "hex" in value) return T.fromHex(value.hex);
  if (value && typeof value === "object" && "int" in value) return BigInt(value.int);
  return value;
}

async function chain(job) {
  const rpc = new T.JsonRpc(job.rpc, { timeoutMs: job.timeoutMs ?? 10000 });
  const readers = {
    LabelRegistry: T.LabelRegistryReader,
    AnchorRegistry: T.AnchorRegistryReader,
    ParticipantRegistry: T.ParticipantRegistryReader,
  };
  const out = [];
  for (const [contract, address, method, ...args] of job.calls) {
    try {
      const reader = contract === "rpc" ? rpc : new readers[contract](rpc, address);
      out.push({ value: await reader[method](...args.map(arg)) });
    } catch (err) {
      out.push({ ...errorOf(err), reason: err.reason ?? null });
    }
  }
  return out;
}

function run(job) {
  switch (job.job) {
    case "audit":
      return Object.fromEntries(
        Object.entries(job.items).map(([name, text]) => {
          try {
            const report = T.auditLabel(T.parseJson(text, { what: "evidence" }), job.at);
            return [name, report.checks.map((c) => [c.check, c.status, c.reason])];
          } catch (err) {
            return [name, errorOf(err)];
          }
        }),
      );
    case "steps":
      return { ...T.Step };
    case "vectors":
      return Object.fromEntries(Object.entries(job.items).map(([name, text]) => [name, runVectorText(T, text)]));
    case "merkle":
      return Object.fromEntries(Object.entries(job.items).map(([name, v]) => [name, runMerkleVector(T, job.kind, v)]));
    case "jcs":
      return job.items.map((text) => {
        try {
          return { text: T.canonicalize(JSON.parse(text)) };
        } catch (err) {
          return errorOf(err);
        }
      });
    case "canonical":
    case "strict":
      return job.items.map((text) => {
        try {
          return { hex: T.toHex(T.canonicalJson(T.parseJson(text, { strict: job.job === "strict" }))) };
        } catch (err) {
          return errorOf(err);
        }
      });
    case "ed25519":
      return job.items.map(({ sig, msg, key }) => T.ed25519Verify(hex(sig), hex(msg), hex(key)));
    case "checkpoint":
      return job.items.map(({ text, keyName, key }) => {
        try {
          const c = T.verifyCheckpoint(text, keyName, hex(key));
          return { origin: c.origin, size: c.size.toString(), root: T.toHex(c.root) };
        } catch (err) {
          return errorOf(err);
        }
      });
    case "chain":
      return chain(job);
    case "abi": {
      const rpc = new T.JsonRpc("http://127.0.0.1:9/unused");
      const zero = "0x0000000000000000000000000000000000000000";
      return job.items.map(({ contract, function: name, hex: data }) => {
        const item = new T.ContractReader(rpc, zero, contract).abi.find((i) => i.name === name);
        try {
          return { value: T.decode(item.outputs, T.fromHex(data)) };
        } catch (err) {
          return errorOf(err);
        }
      });
    }
    case "bench":
      return benchVector(T, job.text, job.n);
    default:
      throw new Error(`unknown job ${job.job}`);
  }
}

const job = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(await run(job), replacer));
