// RFC 9162 Merkle tree hashing and proof verification (anchors/_merkle.py).
//
// Leaves hash as SHA-256(0x00 || data), interior nodes as SHA-256(0x01 || left || right),
// so an interior node can never pass for a leaf. Indices and sizes are handled as bigint
// (a checkpoint may name any size below 2**64). The checks and their step names are the
// Python verifier's: "step 1 (range)", "step 1 (hash sizes)", "step 1 (proof length)",
// "step 2 …", "step 3 (root)" / "step 4 (old root)" …

import { sha256, concat, bytesEqual, toHex } from "./bytes.js";
import { ConsistencyProofError, InclusionProofError, ProofError } from "./errors.js";

export const HASH_SIZE = 32;
const LEAF_PREFIX = new Uint8Array([0]);
const NODE_PREFIX = new Uint8Array([1]);

/** SHA-256("") — the root of the empty tree. */
export const EMPTY_ROOT = sha256(new Uint8Array(0));

/** RFC 9162 leaf hash SHA-256(0x00 || data). */
export function leafHash(data) {
  return sha256(concat(LEAF_PREFIX, data));
}

/** RFC 9162 node hash SHA-256(0x01 || left || right); ProofError unless both are 32 bytes. */
export function nodeHash(left, right) {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    throw new ProofError(`node children must be ${HASH_SIZE} bytes, got ${left.length} and ${right.length}`);
  }
  return sha256(concat(NODE_PREFIX, left, right));
}

/** RFC 9162 root over a list of 32-byte leaf hashes (EMPTY_ROOT for none). */
export function rootFromLeafHashes(hashes) {
  hashes.forEach((h, i) => {
    if (h.length !== HASH_SIZE) throw new ProofError(`leaf hash ${i} is ${h.length} bytes, expected ${HASH_SIZE}`);
  });
  if (hashes.length === 0) return EMPTY_ROOT;
  let level = [...hashes];
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i], level[i + 1]));
    if (level.length % 2) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

const big = (n) => BigInt(n);

function bitLength(n) {
  return n <= 0n ? 0 : n.toString(2).length;
}

function bitCount(n) {
  let count = 0;
  for (const c of n.toString(2)) if (c === "1") count++;
  return count;
}

/** Exact number of hashes in the inclusion proof of `index` in a tree of `size` (index < size). */
export function inclusionProofLength(index, size) {
  const i = big(index);
  const inner = bitLength(i ^ (big(size) - 1n));
  return inner + bitCount(i >> BigInt(inner));
}

/** Exact number of hashes in the consistency proof from `size1` to `size2` (size1 <= size2). */
export function consistencyProofLength(size1, size2) {
  const s1 = big(size1);
  const s2 = big(size2);
  if (s1 === 0n || s1 === s2) return 0;
  const shift = bitLength(s1 & -s1) - 1;
  const inner = bitLength((s1 - 1n) ^ (s2 - 1n)) - shift;
  const border = bitCount((s1 - 1n) >> BigInt(inner + shift));
  const seed = s1 === 1n << BigInt(shift) ? 0 : 1;
  return seed + inner + border;
}

/**
 * The root an RFC 9162 inclusion proof leads to (§2.1.3.2). The caller has checked
 * index < size and the proof's length; compare the result with the expected root.
 * This is the one Merkle walk of the verifier: verifyInclusion and the disclosure check
 * both call it.
 */
export function rootFromInclusionProof(leaf, index, size, proof) {
  let fn = big(index);
  let sn = big(size) - 1n;
  let r = leaf;
  for (const p of proof) {
    if (fn & 1n || fn === sn) {
      r = nodeHash(p, r);
      while (fn && !(fn & 1n)) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return r;
}

function checkHash(value, what, Err, step) {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) {
    throw new Err(`${step}: ${what} must be ${HASH_SIZE} bytes, got ${value?.length}`);
  }
}

/**
 * Check that `leafHash` is leaf `index` of the tree of `size` with `root`. Returns
 * nothing; throws InclusionProofError naming the failed step.
 */
export function verifyInclusion(leaf, index, size, proof, root) {
  const Err = InclusionProofError;
  // (1) inputs well formed, in the Python order: the root's size, index < size, the
  // leaf's size, the exact proof length, then each proof hash's size.
  checkHash(root, "root", Err, "step 1 (hash sizes)");
  const i = big(index);
  const n = big(size);
  if (n < 0n || i < 0n) throw new Err(`step 1 (range): negative index ${i} or size ${n}`);
  if (i >= n) throw new Err(`step 1 (range): index ${i} is not below tree size ${n}`);
  checkHash(leaf, "leaf hash", Err, "step 1 (hash sizes)");
  const want = inclusionProofLength(i, n);
  if (proof.length !== want) {
    throw new Err(
      `step 1 (proof length): proof has ${proof.length} hashes, expected ${want} for index ${i} in size ${n}`,
    );
  }
  proof.forEach((p, k) => checkHash(p, `proof[${k}]`, Err, "step 1 (hash sizes)"));
  // (2) RFC 9162 §2.1.3.2: recompute the root along the path; (3) compare.
  const r = rootFromInclusionProof(leaf, i, n, proof);
  if (!bytesEqual(r, root)) {
    throw new Err(`step 3 (root): recomputed root ${toHex(r)} != expected ${toHex(root)}`);
  }
}

/**
 * Check that the tree of `size2`/`root2` extends the tree of `size1`/`root1`. Throws
 * ConsistencyProofError naming the failed step; degenerate cases are strict as in Python.
 */
export function verifyConsistency(size1, size2, root1, root2, proof) {
  const Err = ConsistencyProofError;
  const s1 = big(size1);
  const s2 = big(size2);
  // (1) inputs well formed.
  if (s1 < 0n || s2 < 0n) throw new Err(`step 1 (range): negative size ${s1} or ${s2}`);
  if (s1 > s2) throw new Err(`step 1 (range): size1 ${s1} is greater than size2 ${s2}`);
  checkHash(root1, "root1", Err, "step 1 (hash sizes)");
  checkHash(root2, "root2", Err, "step 1 (hash sizes)");
  proof.forEach((p, k) => checkHash(p, `proof[${k}]`, Err, "step 1 (hash sizes)"));
  const want = consistencyProofLength(s1, s2);
  if (proof.length !== want) {
    throw new Err(`step 1 (proof length): proof has ${proof.length} hashes, expected ${want} from size ${s1} to ${s2}`);
  }
  // (2) degenerate cases: nothing to recompute.
  if (s1 === s2) {
    if (!bytesEqual(root1, root2)) throw new Err(`step 2 (equal sizes): roots differ for size ${s1}`);
    if (s1 === 0n && !bytesEqual(root1, EMPTY_ROOT)) {
      throw new Err("step 2 (equal sizes): root of the empty tree is not SHA-256('')");
    }
    return;
  }
  if (s1 === 0n) {
    if (!bytesEqual(root1, EMPTY_ROOT)) throw new Err("step 2 (empty old tree): root1 is not the empty tree root");
    return;
  }
  // (3) RFC 9162 §2.1.4.2: recompute both roots from the proof.
  const path = [...proof];
  if ((s1 & (s1 - 1n)) === 0n) path.unshift(root1);
  let fn = s1 - 1n;
  let sn = s2 - 1n;
  while (fn & 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) throw new Err("step 3 (path): proof is longer than the path");
    if (fn & 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn && !(fn & 1n)) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new Err("step 3 (path): proof does not reach the new root");
  // (4) both recomputed roots equal the expected ones.
  if (!bytesEqual(fr, root1)) throw new Err(`step 4 (old root): recomputed ${toHex(fr)} != root1 ${toHex(root1)}`);
  if (!bytesEqual(sr, root2)) throw new Err(`step 4 (new root): recomputed ${toHex(sr)} != root2 ${toHex(root2)}`);
}
