"""Tanji's append-only log: RFC 9162 Merkle tree, persistent storage, checkpoints.

The chain side lives in the :mod:`anchors.chain` subpackage (imported on its own, so the
pure log never pulls in web3). The SQL store (:class:`SqlLogStore`, :data:`LOG_METADATA`,
:func:`lock_log`) is loaded on first use, so ``import anchors`` (the Merkle tree and the
checkpoints, what a verifier needs) never imports SQLAlchemy. Errors:
:mod:`anchors.errors`.
"""

from __future__ import annotations

import typing

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
    inclusion_proof_length,
    leaf_hash,
    node_hash,
    root_from_inclusion_proof,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

if typing.TYPE_CHECKING:
    from anchors._store_sql import LOG_METADATA, BoundSqlLogStore, SqlLogStore, lock_log

_SQL_NAMES = frozenset({"LOG_METADATA", "BoundSqlLogStore", "SqlLogStore", "lock_log"})


def __getattr__(name: str) -> typing.Any:
    # PEP 562: the SQL store and its SQLAlchemy import load on first use.
    if name in _SQL_NAMES:
        from anchors import _store_sql

        value = getattr(_store_sql, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'anchors' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_SQL_NAMES})


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
    "inclusion_proof_length",
    "leaf_hash",
    "lock_log",
    "node_hash",
    "parse_checkpoint",
    "root_from_inclusion_proof",
    "root_from_leaf_hashes",
    "sign_checkpoint",
    "verifier_key",
    "verify_checkpoint",
    "verify_consistency",
    "verify_inclusion",
]
