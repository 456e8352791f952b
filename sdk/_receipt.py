"""Receipts: everything needed to verify one attestation offline except chain state.

Wire form, version 2::

    {"type": "tanji.receipt", "version": 2,
     "signedStatement": {"signature", "statement"},
     "leafIndex": int, "inclusionProof": [base64, ...],
     "checkpoint": "<signed note text>",
     "anchor": {"chainId", "logId"}}

The checkpoint is the C2SP tlog-checkpoint signed by the log operator: the first one
anchored on chain that covers the leaf. The anchor names the chain and the log; both are
bound by the checkpoint's origin line ``tanji/<chain-id>/<log-id>``, which the verifier
checks. A verifier reads the anchored head (size, root, block time) from its deployment's
AnchorRegistry and the operator's and issuer's key histories from the
ParticipantRegistry, and passes them to :func:`sdk.verify_receipt`.

Version 1 also carried the AnchorRegistry address, the anchoring transaction and its
block number. No verifier checked them (the head and its time come from the registry
itself, by log id and size), so a rewritten receipt still verified with whatever they
said; version 2 asserts only what every verifier checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sdk._canonical import b64decode, b64encode, require_keys
from sdk._statement import SignedStatement
from sdk.errors import VerificationError

RECEIPT_TYPE = "tanji.receipt"
RECEIPT_VERSION = 2
_SCHEMA = "receipt.schema"
_LOG_ID = re.compile(r"[a-z0-9-]{1,64}")


def _is_uint(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@dataclass(frozen=True)
class AnchorReference:
    """Which chain and log anchor the receipt's checkpoint (its origin must name both).

    Raises :class:`~sdk.errors.VerificationError` (``receipt.schema``) for malformed fields.
    """

    chain_id: int
    log_id: str

    def __post_init__(self) -> None:
        if not _is_uint(self.chain_id) or self.chain_id == 0:
            raise VerificationError(_SCHEMA, "chainId must be a positive integer")
        if not isinstance(self.log_id, str) or not _LOG_ID.fullmatch(self.log_id):
            raise VerificationError(_SCHEMA, "logId must match [a-z0-9-]{1,64}")

    def to_dict(self) -> dict[str, Any]:
        """Wire form."""
        return {"chainId": self.chain_id, "logId": self.log_id}

    @classmethod
    def from_dict(cls, data: object) -> AnchorReference:
        """Parse; raises :class:`~sdk.errors.VerificationError` (``receipt.schema``)."""
        try:
            doc = require_keys(data, "anchor", ("chainId", "logId"))
        except ValueError as exc:
            raise VerificationError(_SCHEMA, str(exc)) from exc
        return cls(doc["chainId"], doc["logId"])


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
            "version": RECEIPT_VERSION,
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
            if doc["type"] != RECEIPT_TYPE or type(doc["version"]) is not int:
                raise ValueError(f"not a {RECEIPT_TYPE}")
            if doc["version"] != RECEIPT_VERSION:
                raise ValueError(
                    f"receipt version {doc['version']} is not accepted, only version "
                    f"{RECEIPT_VERSION}: fetch a fresh receipt from the node"
                )
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
