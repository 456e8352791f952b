"""The persistent Merkle log: :class:`MerkleLog` over a small :class:`LogStore` interface.

A store holds the hash of every *complete* subtree: node ``(level, index)`` covers leaves
``[index * 2**level, (index + 1) * 2**level)``; level 0 holds the leaf hashes. Appending
leaves ``[n, n + m)`` completes, at each level, one contiguous run of nodes, computed in
memory from the new leaves and the ``popcount(n)`` right-edge nodes of the old tree.

Any root or proof for any size ``<= size`` is then a fold of at most ``2 * log2(n) + 2``
stored complete subtrees (the ranges of RFC 9162's recursion split by
:func:`anchors._merkle.range_pieces`), fetched in ONE ``read_nodes`` call: never a
rebuild, whatever the size asked for.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol, runtime_checkable

from anchors._merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    LEAF_PREFIX,
    NODE_PREFIX,
    consistency_ranges,
    fold_pieces,
    inclusion_ranges,
    range_pieces,
)
from anchors._merkle import _sha256 as _sha
from anchors.errors import LogError, LogIndexError, LogIntegrityError

LOG_ID_PATTERN = re.compile(r"[a-z0-9-]{1,64}")
"""Log ids: short lowercase strings (on chain: ``sha256(utf8(log_id))``)."""

NodeKey = tuple[int, int]
"""``(level, index)`` of a complete subtree."""

Runs = Mapping[int, tuple[int, Sequence[bytes]]]
"""New nodes of one append: ``level -> (first index, hashes at consecutive indices)``."""


@runtime_checkable
class LogStore(Protocol):
    """Storage of one log's complete-subtree hashes and size.

    Implementations: :class:`MemoryLogStore`, :class:`anchors.SqlLogStore`. A store
    never computes hashes; :class:`MerkleLog` does.
    """

    def size(self) -> int:
        """Number of leaves in the log."""
        ...

    def read_nodes(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """Hashes of the complete subtrees ``keys``, in the same order.

        Raises :class:`~anchors.errors.LogIntegrityError` if one is not stored.
        """
        ...

    def write(self, old_size: int, new_size: int, runs: Runs) -> None:
        """Grow the log from ``old_size`` to ``new_size`` and store the new nodes.

        All or nothing. Raises :class:`~anchors.errors.LogIntegrityError` if the stored
        size is not ``old_size`` or a run does not continue its level exactly.
        """
        ...

    def transaction(self) -> AbstractContextManager[LogStore]:
        """Exclusive append section: the yielded store's size cannot change under it.

        Writes made through it are committed on normal exit, discarded on an exception.
        """
        ...

    def reading(self) -> AbstractContextManager[LogStore]:
        """A read view for one answer (one connection for SQL stores); takes no lock.

        Sizes only grow and stored nodes never change, so a size read through it and the
        nodes read after it always agree.
        """
        ...


class MemoryLogStore:
    """An in-memory :class:`LogStore` (tests, tools); thread-safe, not persistent."""

    def __init__(self) -> None:
        self._levels: list[list[bytes]] = []
        self._size = 0
        self._lock = threading.RLock()

    def size(self) -> int:
        """Number of leaves in the log."""
        return self._size

    def read_nodes(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """See :meth:`LogStore.read_nodes`."""
        out = []
        for level, index in keys:
            try:
                if index < 0 or level < 0:
                    raise IndexError(index)
                out.append(self._levels[level][index])
            except IndexError:
                raise LogIntegrityError(f"node ({level}, {index}) is not stored") from None
        return out

    def write(self, old_size: int, new_size: int, runs: Runs) -> None:
        """See :meth:`LogStore.write`; validates everything before changing anything."""
        with self._lock:
            if self._size != old_size:
                raise LogIntegrityError(f"log size is {self._size}, writer expected {old_size}")
            for level, (first, hashes) in runs.items():
                have = len(self._levels[level]) if level < len(self._levels) else 0
                if first != have:
                    raise LogIntegrityError(
                        f"level {level} has {have} nodes, run starts at {first}"
                    )
                _check_run(level, hashes)
            for level in sorted(runs):
                first, hashes = runs[level]
                while len(self._levels) <= level:
                    self._levels.append([])
                self._levels[level].extend(hashes)
            self._size = new_size

    @contextmanager
    def transaction(self) -> Iterator[MemoryLogStore]:
        """Hold the store's lock; :meth:`write` is itself atomic, so there is no undo."""
        with self._lock:
            yield self

    @contextmanager
    def reading(self) -> Iterator[MemoryLogStore]:
        """The store itself: reads are plain list lookups."""
        yield self


def _check_run(level: int, hashes: Sequence[bytes]) -> None:
    for i, h in enumerate(hashes):
        if len(h) != HASH_SIZE:
            raise LogIntegrityError(f"level {level} run: hash {i} is {len(h)} bytes")


def _frontier_keys(size: int) -> list[NodeKey]:
    """The complete subtrees along the right edge of a tree of ``size`` (one per set bit)."""
    return range_pieces(0, size)


def new_runs(size: int, leaf_hashes: Sequence[bytes], frontier: Mapping[NodeKey, bytes]) -> Runs:
    """Nodes completed by appending ``leaf_hashes`` to a tree of ``size`` leaves.

    ``frontier`` maps :func:`_frontier_keys` of ``size`` to their hashes. Pure; returns
    one run per level that gains nodes (level 0 is the leaves themselves).
    """
    sha = _sha
    prefix = NODE_PREFIX
    end = size + len(leaf_hashes)
    runs: dict[int, tuple[int, Sequence[bytes]]] = {0: (size, leaf_hashes)}
    prev_first, prev = size, list(leaf_hashes)
    level = 1
    while (end >> level) > (size >> level):
        row = [frontier[level - 1, prev_first - 1], *prev] if prev_first & 1 else prev
        nodes = [sha(prefix + row[i] + row[i + 1]).digest() for i in range(0, len(row) - 1, 2)]
        first = size >> level
        assert len(nodes) == (end >> level) - first
        runs[level] = (first, nodes)
        prev_first, prev = first, nodes
        level += 1
    return runs


class MerkleLog:
    """An append-only RFC 9162 log over a :class:`LogStore`.

    Every read (root, proofs, leaf hash) for any size up to the current one costs one
    ``read_nodes`` call of O(log n) keys. Appends run inside ``store.transaction()``, so
    with :class:`anchors.SqlLogStore` they are safe against concurrent appenders.
    """

    def __init__(self, store: LogStore) -> None:
        self.store = store

    @property
    def size(self) -> int:
        """Number of leaves in the log."""
        return self.store.size()

    # --- appends --------------------------------------------------------------------

    def append(self, data: bytes) -> int:
        """Append one entry (its leaf hash is ``SHA-256(0x00 || data)``); return its index.

        Raises :class:`~anchors.errors.LogError` if ``data`` is not bytes.
        """
        return self.append_batch([data])

    def append_batch(self, datas: Iterable[bytes]) -> int:
        """Append entries in one transaction; return the index of the first.

        Raises :class:`~anchors.errors.LogError` if ``datas`` is empty or an entry is not
        bytes (nothing is written).
        """
        sha = _sha
        prefix = LEAF_PREFIX
        try:
            hashes = [sha(prefix + d).digest() for d in datas]
        except TypeError as exc:
            raise LogError(f"log entries must be bytes: {exc}") from exc
        return self._append(hashes)

    def append_leaf_hashes(self, hashes: Sequence[bytes]) -> int:
        """Append precomputed leaf hashes in one transaction; return the first index.

        Raises :class:`~anchors.errors.LogError` if ``hashes`` is empty or a hash is not
        32 bytes (nothing is written), :class:`~anchors.errors.LogIntegrityError` if the
        store is inconsistent.
        """
        for i, h in enumerate(hashes):
            if not isinstance(h, bytes) or len(h) != HASH_SIZE:
                raise LogError(f"leaf hash {i} must be {HASH_SIZE} bytes")
        return self._append(hashes)

    def _append(self, hashes: Sequence[bytes]) -> int:
        """Append validated leaf hashes in one locked transaction; return the first index."""
        if not hashes:
            raise LogError("nothing to append: empty batch")
        with self.store.transaction() as tx:
            size = tx.size()
            keys = _frontier_keys(size)
            frontier = dict(zip(keys, tx.read_nodes(keys), strict=True))
            tx.write(size, size + len(hashes), new_runs(size, hashes, frontier))
        return size

    # --- reads ------------------------------------------------------------------------

    @staticmethod
    def _check_size(store: LogStore, size: int | None) -> int:
        current = store.size()
        if size is None:
            return current
        if not 0 <= size <= current:
            raise LogIndexError(f"tree size {size} is outside [0, {current}]")
        return size

    @staticmethod
    def _range_hashes(store: LogStore, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        """Hashes of the proof ranges, from one read of their complete pieces."""
        pieces = [range_pieces(a, b) for a, b in ranges]
        flat = [key for p in pieces for key in p]
        got = store.read_nodes(flat)
        out, pos = [], 0
        for p in pieces:
            out.append(fold_pieces(got[pos : pos + len(p)]))
            pos += len(p)
        return out

    def leaf_hash_at(self, index: int) -> bytes:
        """Leaf hash of entry ``index``. Raises :class:`~anchors.errors.LogIndexError`."""
        with self.store.reading() as r:
            size = r.size()
            if not 0 <= index < size:
                raise LogIndexError(f"leaf index {index} is outside a log of size {size}")
            return r.read_nodes([(0, index)])[0]

    def root(self, size: int | None = None) -> bytes:
        """RFC 9162 root of the first ``size`` leaves (default: all).

        Raises :class:`~anchors.errors.LogIndexError` if ``size`` exceeds the log.
        """
        with self.store.reading() as r:
            size = self._check_size(r, size)
            if size == 0:
                return EMPTY_ROOT
            return self._range_hashes(r, [(0, size)])[0]

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 inclusion proof of leaf ``index`` in the tree of ``size`` leaves.

        Raises :class:`~anchors.errors.LogIndexError` unless ``0 <= index < size <=``
        the log size.
        """
        with self.store.reading() as r:
            size = self._check_size(r, size)
            if not 0 <= index < size:
                raise LogIndexError(f"leaf index {index} is outside a tree of size {size}")
            return self._range_hashes(r, inclusion_ranges(index, size))

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        """RFC 9162 consistency proof from ``size1`` to ``size2`` leaves (default: all).

        Empty when ``size1`` is 0 or equals ``size2``. Raises
        :class:`~anchors.errors.LogIndexError` unless ``0 <= size1 <= size2 <=`` the log size.
        """
        with self.store.reading() as r:
            size2 = self._check_size(r, size2)
            if not 0 <= size1 <= size2:
                raise LogIndexError(f"size1 {size1} is outside [0, {size2}]")
            if size1 in (0, size2):
                return []
            return self._range_hashes(r, consistency_ranges(size1, size2))
