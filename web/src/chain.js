// Reading Tanji's registries from any EVM node over JSON-RPC (eth_call), in the browser
// or Node.js: no web3 library, the few view calls encoded with abi.js from the committed
// contract artifacts' ABIs. Mirrors the Python clients (sdk/_labels.py,
// sdk/_registry.py, anchors/chain/_registry.py): same calls, same None/null cases.
//
// Errors: ChainUnavailable (network, timeout, HTTP status, not JSON-RPC), ContractReverted
// (the call reverted; `reason` = the contract's custom error name), ChainError (any other
// JSON-RPC error), AbiDecodeError (the answer does not decode).

import { ABIS } from "tanji:abi";
import { decode, decodeRevert, encodeCall } from "./abi.js";
import { fromHex, sha256, toHex, utf8 } from "./bytes.js";
import { AbiDecodeError, ChainError, ChainUnavailable, ContractReverted } from "./errors.js";

const LOG_ID = /^[a-z0-9-]{1,64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Label status values as on chain (LabelRegistry.Status). */
export const LabelStatus = Object.freeze({ UNKNOWN: 0, ACTIVE: 1, NOT_YET_VALID: 2, EXPIRED: 3, REVOKED: 4, SUSPENDED: 5 });
/** Organisation roles: the value is the role's bit index on chain. */
export const Role = Object.freeze({ SUPPLIER: 0, LEADER: 1, CERTIFIER: 2, AUDITOR: 3, LOG_OPERATOR: 4 });

/** sha256(utf8(id)): how org ids and log ids cross to the chain. */
export function idDigest(id) {
  return sha256(utf8(id));
}

/** The on-chain key of a log id; TypeError unless it matches [a-z0-9-]{1,64}. */
export function logIdDigest(logId) {
  if (typeof logId !== "string" || !LOG_ID.test(logId)) throw new TypeError(`log id must match [a-z0-9-]{1,64}: ${logId}`);
  return idDigest(logId);
}

function bytes32(value, what) {
  if (typeof value === "string") value = fromHex(value.replace(/^0x/, ""));
  if (!(value instanceof Uint8Array) || value.length !== 32) throw new TypeError(`${what} must be 32 bytes`);
  return value;
}

function isZero(bytes) {
  return bytes.every((b) => b === 0);
}

const toNumber = (n) => {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new AbiDecodeError(`value ${n} does not fit a JS number`);
  return Number(n);
};

/** A JSON-RPC endpoint. `fetch` and `timeoutMs` can be given (tests, slow networks). */
export class JsonRpc {
  constructor(url, { fetch = globalThis.fetch.bind(globalThis), timeoutMs = 10000 } = {}) {
    this.url = url;
    this.fetch = fetch;
    this.timeoutMs = timeoutMs;
    this.nextId = 1;
  }

  /** One JSON-RPC call; returns its `result`. */
  async request(method, params) {
    const body = JSON.stringify({ jsonrpc: "2.0", id: this.nextId++, method, params });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let answer;
    try {
      const response = await this.fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: controller.signal,
      });
      if (!response.ok) throw new ChainUnavailable(`${this.url} answered HTTP ${response.status} to ${method}`);
      answer = await response.json();
    } catch (err) {
      if (err instanceof ChainError) throw err;
      const why = err?.name === "AbortError" ? `no answer within ${this.timeoutMs} ms` : String(err?.message ?? err);
      throw new ChainUnavailable(`cannot reach ${this.url} (${method}): ${why}`);
    } finally {
      clearTimeout(timer);
    }
    if (answer === null || typeof answer !== "object") throw new ChainUnavailable(`${this.url}: not a JSON-RPC answer`);
    if (answer.error) {
      const error = new ChainError(`${method} failed: ${answer.error.message ?? JSON.stringify(answer.error)}`);
      error.rpcError = answer.error;
      throw error;
    }
    if (!("result" in answer)) throw new ChainUnavailable(`${this.url}: JSON-RPC answer without a result`);
    return answer.result;
  }

  /** The chain id (eth_chainId). */
  async chainId() {
    return toNumber(BigInt(await this.request("eth_chainId", [])));
  }

  /** eth_call at `block` ("latest" or a number); the returned bytes. */
  async call(to, data, block = "latest") {
    const tag = typeof block === "number" ? `0x${block.toString(16)}` : block;
    const result = await this.request("eth_call", [{ to, data: `0x${toHex(data)}` }, tag]);
    if (typeof result !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(result)) {
      throw new AbiDecodeError(`eth_call answer is not hex bytes: ${String(result).slice(0, 80)}`);
    }
    return fromHex(result.slice(2));
  }
}

function revertData(rpcError) {
  // anvil and geth put the revert data in error.data; some nodes nest it one level deeper.
  let data = rpcError?.data;
  if (data && typeof data === "object") data = data.data;
  return typeof data === "string" && /^0x([0-9a-fA-F]{2})*$/.test(data) ? fromHex(data.slice(2)) : null;
}

/** One deployed contract: view calls by name, decoded; reverts named by their custom error. */
export class ContractReader {
  constructor(rpc, address, contractName) {
    if (typeof address !== "string" || !ADDRESS.test(address)) throw new TypeError(`not an EVM address: ${address}`);
    if (!ABIS[contractName]) throw new TypeError(`no ABI for ${contractName}`);
    this.rpc = rpc;
    this.address = address;
    this.contractName = contractName;
    this.abi = ABIS[contractName];
  }

  /** Call view function `name` with `args`; returns its outputs as an array. */
  async view(name, ...args) {
    const item = this.abi.find((i) => i.type === "function" && i.name === name && i.inputs.length === args.length);
    if (!item) throw new TypeError(`${this.contractName} has no view ${name}/${args.length}`);
    let data;
    try {
      data = await this.rpc.call(this.address, encodeCall(item, args));
    } catch (err) {
      if (err instanceof ChainError && err.rpcError) {
        const raw = revertData(err.rpcError);
        const revert = raw && decodeRevert(this.abi, raw);
        if (revert) {
          throw new ContractReverted(`${this.contractName}.${name} reverted: ${revert.name}`, revert.name);
        }
        if (raw || /revert/i.test(String(err.rpcError.message))) {
          throw new ContractReverted(`${this.contractName}.${name} reverted: ${err.rpcError.message}`);
        }
      }
      throw err;
    }
    if (data.length === 0) {
      throw new ChainError(`${this.contractName}.${name}: empty answer (no contract at ${this.address}?)`);
    }
    return decode(item.outputs, data);
  }
}

function labelFromTuple(raw, status) {
  const revokedAt = toNumber(raw[15]);
  return Object.freeze({
    labelId: raw[0],
    productIdDigest: raw[1],
    logIdDigest: raw[2],
    leafIndex: toNumber(raw[3]),
    leafHash: raw[4],
    value: raw[5],
    unit: raw[6],
    grade: raw[7],
    standard: raw[8],
    validFrom: toNumber(raw[9]),
    validUntil: toNumber(raw[10]),
    disclosureDigest: raw[11],
    issuerOrgDigest: raw[12],
    issuer: raw[13],
    issuedAt: toNumber(raw[14]),
    revokedAt: revokedAt || null,
    revocationReason: revokedAt ? raw[16] : null,
    status: Number(status),
  });
}

/** LabelRegistry: carbon labels issued by certifiers (sdk LabelRegistryClient). */
export class LabelRegistryReader extends ContractReader {
  constructor(rpc, address) {
    super(rpc, address, "LabelRegistry");
  }

  /** The label with its status at the latest block, or null if unknown. */
  async label(labelId) {
    const id = bytes32(labelId, "label id");
    if (Number((await this.view("statusAt", id, 0))[0]) === LabelStatus.UNKNOWN) return null;
    const [raw, status] = await this.view("label", id);
    return labelFromTuple(raw, status);
  }

  /** The label's status (LabelStatus) at Unix time `at`. */
  async statusAt(labelId, at) {
    return Number((await this.view("statusAt", bytes32(labelId, "label id"), at))[0]);
  }

  /** Whether the label existed, was unrevoked and within its window at `at`. */
  async isValid(labelId, at) {
    return (await this.view("isValid", bytes32(labelId, "label id"), at))[0];
  }

  /** Address of the ParticipantRegistry the certifiers come from. */
  async participants() {
    return (await this.view("participants"))[0];
  }
}

function head(logId, index, size, root, timestamp) {
  return Object.freeze({ logId, index: toNumber(index), size: toNumber(size), root, timestamp: toNumber(timestamp) });
}

/** AnchorRegistry: the (size, root) heads anchored per log (anchors AnchorRegistryClient). */
export class AnchorRegistryReader extends ContractReader {
  constructor(rpc, address) {
    super(rpc, address, "AnchorRegistry");
  }

  /** The latest anchored head of `logId` {logId, index, size, root, timestamp}; null if none. */
  async latest(logId) {
    const [index, size, root, timestamp] = await this.view("latest", logIdDigest(logId));
    return size === 0n ? null : head(logId, index, size, root, timestamp);
  }

  /** The first anchored head whose size is at least `size` (first to cover leaf size-1); null if none. */
  async firstAtOrAbove(logId, size) {
    const [index, headSize, root, timestamp] = await this.view("firstAtOrAbove", logIdDigest(logId), size);
    return headSize === 0n ? null : head(logId, index, headSize, root, timestamp);
  }

  /** Head number `index` of `logId` (ContractReverted "HeadIndexOutOfRange" past the end). */
  async headAt(logId, index) {
    const [size, root, timestamp] = await this.view("headAt", logIdDigest(logId), index);
    return head(logId, index, size, root, timestamp);
  }

  /** How many heads of `logId` are anchored. */
  async headCount(logId) {
    return toNumber((await this.view("headCount", logIdDigest(logId)))[0]);
  }

  /** The org id digest owning `logId`, or null if there is no such log. */
  async logOwner(logId) {
    const [owner] = await this.view("logOwner", logIdDigest(logId));
    return isZero(owner) ? null : owner;
  }
}

function keyRecord([key, validFrom, revokedAt, reason]) {
  const revoked = toNumber(revokedAt);
  return Object.freeze({
    publicKey: key,
    validFrom: toNumber(validFrom),
    revokedAt: revoked || null,
    revocationReason: revoked ? Number(reason) : null,
  });
}

/** ParticipantRegistry: organisations, roles and key histories (sdk ParticipantRegistryClient). */
export class ParticipantRegistryReader extends ContractReader {
  constructor(rpc, address) {
    super(rpc, address, "ParticipantRegistry");
  }

  /** Whether `orgId` has been admitted. */
  async isRegistered(orgId) {
    return (await this.view("isRegistered", idDigest(orgId)))[0];
  }

  /**
   * The organisation record for an org id string or its 32-byte digest:
   * {orgId, orgIdDigest, roles: [role numbers], registeredAt, accounts, signingKeyCount,
   * encryptionKeyCount}; null if never registered.
   */
  async organisation(orgIdOrDigest) {
    const digest = typeof orgIdOrDigest === "string" ? idDigest(orgIdOrDigest) : bytes32(orgIdOrDigest, "org digest");
    if (!(await this.view("isRegistered", digest))[0]) return null;
    const [view] = await this.view("organisation", digest);
    const mask = Number(view[2]);
    return Object.freeze({
      orgId: view[1],
      orgIdDigest: view[0],
      roles: Object.values(Role).filter((r) => mask & (1 << r)),
      registeredAt: toNumber(view[3]),
      accounts: view[4],
      signingKeyCount: toNumber(view[5]),
      encryptionKeyCount: toNumber(view[6]),
    });
  }

  /** The org id digest `account` belongs to, or null. */
  async orgOfAccount(account) {
    const [digest] = await this.view("orgOfAccount", account);
    return isZero(digest) ? null : digest;
  }

  /** The org id string `account` belongs to, or null. */
  async orgIdOfAccount(account) {
    const digest = await this.orgOfAccount(account);
    if (digest === null) return null;
    return (await this.view("organisation", digest))[0][1];
  }

  /** Whether `orgId` currently holds `role` (a Role value). */
  async orgHasRole(orgId, role) {
    return (await this.view("orgHasRole", idDigest(orgId), role))[0];
  }

  /** Every signing key `orgId` ever registered, oldest first (ContractReverted UnknownOrganisation). */
  async signingKeyHistory(orgId) {
    return (await this.view("signingKeys", idDigest(orgId)))[0].map(keyRecord);
  }

  /** Every encryption key `orgId` ever registered, oldest first. */
  async encryptionKeyHistory(orgId) {
    return (await this.view("encryptionKeys", idDigest(orgId)))[0].map(keyRecord);
  }

  /** Whether `key` was a valid key of `orgId` at Unix time `at`. */
  async keyValidAt(orgId, key, at) {
    return (await this.view("keyValidAt", idDigest(orgId), bytes32(key, "key"), at))[0];
  }

  /** The org id digest `account` operates logs for, or null. */
  async logOperatorOf(account) {
    const [digest] = await this.view("logOperatorOf", account);
    return isZero(digest) ? null : digest;
  }
}
