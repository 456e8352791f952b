// Errors of the Tanji web verifier: one tree, mirroring the Python packages' trees.
//
//   TanjiError
//   ├── CanonicalizationError     a value has no RFC 8785 form the protocol accepts (sdk)
//   ├── InvalidOrgId              not a unified social credit code or URN (sdk)
//   ├── JsonParseError            text is not (strict) JSON
//   ├── VerificationError         a protocol check failed; `step` names it (sdk)
//   ├── ProofError                a Merkle proof is malformed or does not verify (anchors)
//   │   ├── InclusionProofError
//   │   └── ConsistencyProofError
//   ├── CheckpointError           a signed checkpoint is malformed or unsigned (anchors)
//   │   ├── CheckpointFormatError
//   │   └── CheckpointSignatureError
//   └── ChainError                reading the chain failed (anchors.chain)
//       ├── ChainUnavailable      transport down, timeout, HTTP error
//       ├── ContractReverted      the call reverted; `reason` = the contract's error name
//       └── AbiDecodeError        the node's answer does not decode as the ABI says
//
// A VerificationError's `step` uses exactly the step names of sdk/_verify.py
// (statement.schema, receipt.leaf, receipt.checkpoint, …), so a browser verdict and a
// Python verdict on the same input can be compared step for step.

export class TanjiError extends Error {
  constructor(message) {
    super(message);
    this.name = new.target.name;
  }
}

export class CanonicalizationError extends TanjiError {}
export class InvalidOrgId extends TanjiError {}
export class JsonParseError extends TanjiError {}

export class VerificationError extends TanjiError {
  /** @param {string} step the failed step, e.g. "receipt.inclusion" @param {string} reason */
  constructor(step, reason) {
    super(`${step}: ${reason}`);
    this.step = step;
    this.reason = reason;
  }
}

export class ProofError extends TanjiError {}
export class InclusionProofError extends ProofError {}
export class ConsistencyProofError extends ProofError {}

export class CheckpointError extends TanjiError {}
export class CheckpointFormatError extends CheckpointError {}
export class CheckpointSignatureError extends CheckpointError {}

export class ChainError extends TanjiError {}
export class ChainUnavailable extends ChainError {}
export class ContractReverted extends ChainError {
  /** @param {string} message @param {string|null} reason the custom error's name, if decoded */
  constructor(message, reason = null) {
    super(message);
    this.reason = reason;
  }
}
export class AbiDecodeError extends ChainError {}
