"""Tanji's append-only log: RFC 9162 Merkle tree, persistent storage, checkpoints.

The chain side lives in the :mod:`anchors.chain` subpackage (imported on its own, so the
pure log never pulls in web3). Errors: :mod:`anchors.errors`.
"""

from __future__ import annotations

from anchors._checkpoint import (
    Checkpoint,
    NoteSignature,
    SignedCheckpoint,
    checkpoint_origin,
    parse_checkpoint,
    sign_checkpoint,
    verifier_key,
    verify_checkpoint,
)
from anchors._log import LogStore, MemoryLogStore, MerkleLog
from anchors._merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    consistency_proof_from_leaf_hashes,
    inclusion_proof_from_leaf_hashes,
    leaf_hash,
    node_hash,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)
from anchors._store_sql import LOG_METADATA, BoundSqlLogStore, SqlLogStore, lock_log

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "LOG_METADATA",
    "BoundSqlLogStore",
    "Checkpoint",
    "LogStore",
    "MemoryLogStore",
    "MerkleLog",
    "NoteSignature",
    "SignedCheckpoint",
    "SqlLogStore",
    "checkpoint_origin",
    "consistency_proof_from_leaf_hashes",
    "inclusion_proof_from_leaf_hashes",
    "leaf_hash",
    "lock_log",
    "node_hash",
    "parse_checkpoint",
    "root_from_leaf_hashes",
    "sign_checkpoint",
    "verifier_key",
    "verify_checkpoint",
    "verify_consistency",
    "verify_inclusion",
]
