"""Receipts: everything needed to verify one attestation offline except chain state.

Wire form::

    {"type": "tanji.receipt", "version": 1,
     "signedStatement": {"signature", "statement"},
     "leafIndex": int, "inclusionProof": [base64, ...],
     "checkpoint": "<signed note text>",
     "anchor": {"chainId", "contract", "txHash", "blockNumber", "logId"}}

The checkpoint is the C2SP tlog-checkpoint signed by the log operator; the anchor
reference names the transaction that put the checkpoint's (size, root) on chain. A
verifier reads the anchoring block's timestamp and the operator's key from the chain
and passes them to :func:`sdk.verify_receipt`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sdk._canonical import b64decode, b64encode, require_keys
from sdk._statement import SignedStatement
from sdk.errors import VerificationError

RECEIPT_TYPE = "tanji.receipt"
_SCHEMA = "receipt.schema"
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_TX_HASH = re.compile(r"0x[0-9a-f]{64}")
_LOG_ID = re.compile(r"[a-z0-9-]{1,64}")


def _is_uint(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@dataclass(frozen=True)
class AnchorReference:
    """Where a checkpoint was anchored: chain, AnchorRegistry contract, transaction, block, log.

    Raises :class:`~sdk.errors.VerificationError` (``receipt.schema``) for malformed fields.
    """

    chain_id: int
    contract: str
    tx_hash: str
    block_number: int
    log_id: str

    def __post_init__(self) -> None:
        if not _is_uint(self.chain_id) or self.chain_id == 0:
            raise VerificationError(_SCHEMA, "chainId must be a positive integer")
        if not _is_uint(self.block_number):
            raise VerificationError(_SCHEMA, "blockNumber must be an unsigned integer")
        if not isinstance(self.contract, str) or not _ADDRESS.fullmatch(self.contract):
            raise VerificationError(_SCHEMA, "contract must be a 0x-prefixed 20-byte address")
        if not isinstance(self.tx_hash, str) or not _TX_HASH.fullmatch(self.tx_hash):
            raise VerificationError(_SCHEMA, "txHash must be 0x + 64 lowercase hex")
        if not isinstance(self.log_id, str) or not _LOG_ID.fullmatch(self.log_id):
            raise VerificationError(_SCHEMA, "logId must match [a-z0-9-]{1,64}")

    def to_dict(self) -> dict[str, Any]:
        """Wire form."""
        return {
            "chainId": self.chain_id,
            "contract": self.contract,
            "txHash": self.tx_hash,
            "blockNumber": self.block_number,
            "logId": self.log_id,
        }

    @classmethod
    def from_dict(cls, data: object) -> AnchorReference:
        """Parse; raises :class:`~sdk.errors.VerificationError` (``receipt.schema``)."""
        try:
            doc = require_keys(
                data, "anchor", ("chainId", "contract", "txHash", "blockNumber", "logId")
            )
        except ValueError as exc:
            raise VerificationError(_SCHEMA, str(exc)) from exc
        return cls(doc["chainId"], doc["contract"], doc["txHash"], doc["blockNumber"], doc["logId"])


@dataclass(frozen=True)
class Receipt:
    """A signed statement with its log inclusion proof, checkpoint and anchor reference.

    Parsing checks shape only; :func:`sdk.verify_receipt` does the checks. Raises
    :class:`~sdk.errors.VerificationError` (``receipt.schema``) for malformed fields.
    """

    signed_statement: SignedStatement
    leaf_index: int
    inclusion_proof: tuple[bytes, ...]
    checkpoint: str
    anchor: AnchorReference

    def __post_init__(self) -> None:
        if not _is_uint(self.leaf_index):
            raise VerificationError(_SCHEMA, "leafIndex must be an unsigned integer")
        if not isinstance(self.checkpoint, str) or not self.checkpoint:
            raise VerificationError(_SCHEMA, "checkpoint must be the signed note text")
        if any(len(h) != 32 for h in self.inclusion_proof):
            raise VerificationError(_SCHEMA, "inclusion proof hashes must be 32 bytes")

    def to_dict(self) -> dict[str, Any]:
        """Wire form."""
        return {
            "type": RECEIPT_TYPE,
            "version": 1,
            "signedStatement": self.signed_statement.to_dict(),
            "leafIndex": self.leaf_index,
            "inclusionProof": [b64encode(h) for h in self.inclusion_proof],
            "checkpoint": self.checkpoint,
            "anchor": self.anchor.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: object) -> Receipt:
        """Parse; raises :class:`~sdk.errors.VerificationError` at ``receipt.schema``, or at
        ``statement.schema`` when the embedded signed statement is not one (e.g. a claim
        leaf put in its place).
        """
        try:
            doc = require_keys(
                data,
                "receipt",
                (
                    "type",
                    "version",
                    "signedStatement",
                    "leafIndex",
                    "inclusionProof",
                    "checkpoint",
                    "anchor",
                ),
            )
            if (
                doc["type"] != RECEIPT_TYPE
                or type(doc["version"]) is not int
                or doc["version"] != 1
            ):
                raise ValueError(f"not a version 1 {RECEIPT_TYPE}")
            if not isinstance(doc["inclusionProof"], list):
                raise ValueError("inclusionProof must be a list")
            proof = tuple(
                b64decode(h, "inclusion proof hash", size=32) for h in doc["inclusionProof"]
            )
        except ValueError as exc:
            raise VerificationError(_SCHEMA, str(exc)) from exc
        return cls(
            signed_statement=SignedStatement.from_dict(doc["signedStatement"]),
            leaf_index=doc["leafIndex"],
            inclusion_proof=proof,
            checkpoint=doc["checkpoint"],
            anchor=AnchorReference.from_dict(doc["anchor"]),
        )
