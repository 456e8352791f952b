// Tanji's in-browser verifier: the public surface of the bundle (web/dist/tanji-verify.js).
// Every function mirrors a Python one and fails with the same step names; see web/README.md.

export * from "./errors.js";
export { Step } from "./steps.js";
export { JsonFloat, decimalEqual, isInt, isUint, parseDecimal } from "./values.js";
export { b64decode, b64encode, bytesEqual, fromHex, hexDecode, sha256, toHex, utf8 } from "./bytes.js";
export {
  CLAIM_TAG,
  DISCLOSURE_TAG,
  KEYID_TAG,
  STATEMENT_TAG,
  canonicalJson,
  canonicalize,
  escapeToken,
  parseJson,
  taggedDigest,
} from "./json.js";
export {
  EMPTY_ROOT,
  HASH_SIZE,
  consistencyProofLength,
  inclusionProofLength,
  leafHash,
  nodeHash,
  rootFromInclusionProof,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from "./merkle.js";
export { ed25519Verify } from "./ed25519.js";
export { checkpointOrigin, keyHash, openNoteSignature, parseCheckpoint, verifyCheckpoint } from "./checkpoint.js";
export { parseOrgId, usccCheckChar } from "./ids.js";
export { formatTime, parseTime } from "./time.js";
export { compareCodePoints, isPointer } from "./pointer.js";
export {
  MAX_CLAIMS,
  MIN_CLAIM_BUCKET,
  STATEMENT_EXTENSIONS,
  STATEMENT_TYPE,
  STATEMENT_VERSION,
  SignedStatement,
  Statement,
  checkSignatureBytes,
  isAttestationId,
  isClaimBucket,
  keyId,
  verifyStatementSignature,
} from "./statement.js";
export {
  DISCLOSURE_TYPE,
  SALT_SIZE,
  SUBJECT_POINTER,
  Disclosure,
  claimLeafBytes,
  verifyDisclosure,
} from "./disclosure.js";
export { RECEIPT_TYPE, RECEIPT_VERSION, parseAnchorReference, parseReceipt, receiptToDict } from "./receipt.js";
export {
  DEFAULT_CLOCK_SKEW,
  PUBLISHING_ROLES,
  checkIssuer,
  verifyAttestation,
  verifyReceipt,
  verifyReceiptCheckpoint,
  windowDefect,
} from "./verify.js";
export { canonicalType, decode, decodeRevert, encodeCall, selector, signature, toChecksumAddress } from "./abi.js";
export {
  AnchorRegistryReader,
  ContractReader,
  JsonRpc,
  LabelRegistryReader,
  LabelStatus,
  ParticipantRegistryReader,
  Role,
  idDigest,
  logIdDigest,
} from "./chain.js";
export {
  AUDIT_CHECKS,
  EVIDENCE_TYPE,
  LABEL_POINTERS,
  auditLabel,
  labelStatusAt,
  labelUnit,
  parseLabelEvidence,
} from "./evidence.js";
export {
  G_BYTES,
  H_BYTES,
  H_DOMAIN_TAG,
  L,
  MAX_LINES,
  RANGE_BITS,
  RANGE_PROOF_SIZE,
  RANGE_PROOF_TYPE,
  ROLLUP_TYPE,
  Transcript,
  decodePoint,
  decodeScalar,
  parseCommitment,
  parseRangeProof,
  parseRollup,
  rangeContextDigest,
  rangeProofFromBytes,
  rollupOwnContext,
  scaleTotal,
  verifyRange,
  verifyRollup,
} from "./zk.js";
export { checkValueRangeProof, valueCommitment, valueContext } from "./valueproof.js";
