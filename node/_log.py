"""The node's view of its log: appends inside the caller's transaction, proofs outside."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Engine

from anchors import MerkleLog, SqlLogStore, lock_log
from anchors.errors import LogIndexError
from node.errors import InvalidInput


class LogAccess:
    """One log (``log_id``) in the node's database.

    Appends go through :meth:`append` inside a transaction the caller opened (and locked
    with :meth:`lock`), so attestation rows and log leaves commit together. Reads use
    their own short transactions; the log is append-only, so they never see a torn tree.
    """

    def __init__(self, engine: Engine, log_id: str) -> None:
        self.log_id = log_id
        self._store = SqlLogStore(engine, log_id)
        self.reader = MerkleLog(self._store)

    def lock(self, conn: Connection) -> None:
        """Take the sequencer lock for the rest of ``conn``'s transaction."""
        lock_log(conn, self.log_id)

    def append(self, conn: Connection, leaf_hashes: Sequence[bytes]) -> int:
        """Append leaf hashes inside ``conn``'s transaction; return the first index."""
        return MerkleLog(self._store.bind(conn)).append_leaf_hashes(leaf_hashes)

    def size_in(self, conn: Connection) -> int:
        """The log size as ``conn``'s transaction sees it."""
        return self._store.bind(conn).size()

    def size(self) -> int:
        """The current number of leaves."""
        return self.reader.size

    def root(self, size: int) -> bytes:
        """Root of the first ``size`` leaves; :class:`InvalidInput` past the log."""
        try:
            return self.reader.root(size)
        except LogIndexError as exc:
            raise InvalidInput(str(exc), code="out_of_range") from exc

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """Inclusion proof of ``index`` in the tree of ``size``; :class:`InvalidInput` past it."""
        try:
            return self.reader.inclusion_proof(index, size)
        except LogIndexError as exc:
            raise InvalidInput(str(exc), code="out_of_range") from exc

    def consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        """Consistency proof ``size1`` → ``size2``; :class:`InvalidInput` if out of range."""
        try:
            return self.reader.consistency_proof(size1, size2)
        except LogIndexError as exc:
            raise InvalidInput(str(exc), code="out_of_range") from exc

    def leaf_hash_at(self, index: int) -> bytes:
        """Leaf hash at ``index``; :class:`InvalidInput` if out of range."""
        try:
            return self.reader.leaf_hash_at(index)
        except LogIndexError as exc:
            raise InvalidInput(str(exc), code="out_of_range") from exc
