"""SQL storage of the log (SQLAlchemy Core; SQLite and PostgreSQL).

Two tables on :data:`LOG_METADATA`, keyed by ``log_id`` so several logs share a database:

* ``anchors_log_heads(log_id, size)``: the log's size, one row per log.
* ``anchors_log_tiles(log_id, level, tile, hashes)``: complete-subtree hashes packed
  :data:`TILE_WIDTH` to a row: row ``(level, tile)`` holds nodes
  ``tile * TILE_WIDTH ...`` of that level, concatenated (32 bytes each). Only the last
  tile of a level is partial; an append extends it and inserts the following ones.

Packing keeps a bulk append to a few thousand row writes per million leaves, and a proof
to one ``SELECT`` of at most one row per tree level.

Concurrency: :func:`lock_log` takes a transaction-scoped lock (PostgreSQL advisory lock;
SQLite's database write lock). :meth:`SqlLogStore.transaction` and the bound store's
``transaction()`` take it before reading the size, so concurrent appenders (threads or
processes) serialise and never fork the log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    and_,
    insert,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from anchors._log import LOG_ID_PATTERN, NodeKey, Runs
from anchors._merkle import HASH_SIZE
from anchors.errors import LogError, LogIntegrityError

LOG_METADATA = MetaData()
"""SQLAlchemy metadata holding the log tables (the node's migrations create them)."""

TILE_WIDTH = 256
"""Complete-subtree hashes per stored row (8 KiB of hashes)."""

log_heads = Table(
    "anchors_log_heads",
    LOG_METADATA,
    Column("log_id", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
)

log_tiles = Table(
    "anchors_log_tiles",
    LOG_METADATA,
    Column("log_id", String(64), nullable=False),
    Column("level", SmallInteger, nullable=False),
    Column("tile", BigInteger, nullable=False),
    Column("hashes", LargeBinary, nullable=False),
    PrimaryKeyConstraint("log_id", "level", "tile"),
    sqlite_with_rowid=False,
)

T = TypeVar("T")


def check_log_id(log_id: str) -> str:
    """Return ``log_id`` if it matches ``[a-z0-9-]{1,64}``; raise :class:`LogError`."""
    if not isinstance(log_id, str) or not LOG_ID_PATTERN.fullmatch(log_id):
        raise LogError(f"invalid log id {log_id!r}: expected [a-z0-9-]{{1,64}}")
    return log_id


def _advisory_key(log_id: str) -> int:
    """Signed 64-bit PostgreSQL advisory-lock key for a log id."""
    digest = hashlib.sha256(b"tanji.log.lock\x00" + log_id.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_log(conn: Connection, log_id: str) -> None:
    """Take the append lock of ``log_id`` for the rest of ``conn``'s transaction.

    PostgreSQL: ``pg_advisory_xact_lock`` on a key derived from the log id (re-entrant,
    released at commit/rollback; other logs are not blocked). SQLite has one writer per
    database: a no-op ``UPDATE`` takes the write lock now (``BEGIN IMMEDIATE``
    semantics), so call this before any read in the transaction. Other dialects:
    ``SELECT ... FOR UPDATE`` of the head row. Raises :class:`LogError`.
    """
    check_log_id(log_id)
    try:
        name = conn.dialect.name
        if name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _advisory_key(log_id)})
        elif name == "sqlite":
            conn.execute(
                update(log_heads).where(log_heads.c.log_id == log_id).values(size=log_heads.c.size)
            )
        else:
            conn.execute(
                select(log_heads.c.size).where(log_heads.c.log_id == log_id).with_for_update()
            )
    except SQLAlchemyError as exc:
        raise LogError(f"cannot lock log {log_id!r}: {exc}") from exc


def _wrap(what: str, fn: Callable[[], T]) -> T:
    try:
        return fn()
    except SQLAlchemyError as exc:
        raise LogError(f"{what} failed: {exc}") from exc


def _size(conn: Connection, log_id: str) -> int:
    got = conn.execute(select(log_heads.c.size).where(log_heads.c.log_id == log_id)).scalar()
    return 0 if got is None else int(got)


def _read_nodes(conn: Connection, log_id: str, keys: Sequence[NodeKey]) -> list[bytes]:
    if not keys:
        return []
    tiles = {(level, index // TILE_WIDTH) for level, index in keys}
    rows = conn.execute(
        select(log_tiles.c.level, log_tiles.c.tile, log_tiles.c.hashes).where(
            log_tiles.c.log_id == log_id,
            tuple_(log_tiles.c.level, log_tiles.c.tile).in_(sorted(tiles)),
        )
    ).all()
    blobs = {(int(r[0]), int(r[1])): bytes(r[2]) for r in rows}
    out = []
    for level, index in keys:
        blob = blobs.get((level, index // TILE_WIDTH))
        off = (index % TILE_WIDTH) * HASH_SIZE
        if index < 0 or blob is None or len(blob) < off + HASH_SIZE:
            raise LogIntegrityError(f"log {log_id!r}: node ({level}, {index}) is not stored")
        out.append(blob[off : off + HASH_SIZE])
    return out


def _write(conn: Connection, log_id: str, old_size: int, new_size: int, runs: Runs) -> None:
    # (1) validate everything before the first write, so a refused write leaves the
    # caller's transaction untouched (a bound store cannot rely on SAVEPOINTs on SQLite).
    for level, (_, hashes) in runs.items():
        for i, h in enumerate(hashes):
            if len(h) != HASH_SIZE:
                raise LogIntegrityError(f"level {level} run: hash {i} is {len(h)} bytes")
    head = conn.execute(select(log_heads.c.size).where(log_heads.c.log_id == log_id)).scalar()
    if (0 if head is None else int(head)) != old_size:
        raise LogIntegrityError(f"log {log_id!r}: size is {head or 0}, writer expected {old_size}")
    partial = [
        (level, first // TILE_WIDTH) for level, (first, _) in runs.items() if first % TILE_WIDTH
    ]
    existing: dict[tuple[int, int], bytes] = {}
    if partial:
        rows = conn.execute(
            select(log_tiles.c.level, log_tiles.c.tile, log_tiles.c.hashes).where(
                log_tiles.c.log_id == log_id,
                tuple_(log_tiles.c.level, log_tiles.c.tile).in_(partial),
            )
        ).all()
        existing = {(int(r[0]), int(r[1])): bytes(r[2]) for r in rows}
    updates: list[tuple[int, int, bytes]] = []
    new_rows: list[dict[str, object]] = []
    for level, (first, hashes) in runs.items():
        pos = 0
        tile, off = divmod(first, TILE_WIDTH)
        if off:
            blob = existing.get((level, tile), b"")
            if len(blob) != off * HASH_SIZE:
                raise LogIntegrityError(
                    f"log {log_id!r}: level {level} tile {tile} holds "
                    f"{len(blob) // HASH_SIZE} nodes, run starts at offset {off}"
                )
            pos = TILE_WIDTH - off
            updates.append((level, tile, blob + b"".join(hashes[:pos])))
            tile += 1
        for start in range(pos, len(hashes), TILE_WIDTH):
            new_rows.append(
                {
                    "log_id": log_id,
                    "level": level,
                    "tile": tile,
                    "hashes": b"".join(hashes[start : start + TILE_WIDTH]),
                }
            )
            tile += 1
    # (2) write: head (guarded by the old size), extended tiles, new tiles.
    if head is None:
        conn.execute(insert(log_heads).values(log_id=log_id, size=new_size))
    elif _move_head(conn, log_id, old_size, new_size) != 1:
        raise LogIntegrityError(f"log {log_id!r}: size changed under a locked writer")
    for level, tile, blob in updates:
        conn.execute(
            update(log_tiles)
            .where(
                and_(
                    log_tiles.c.log_id == log_id,
                    log_tiles.c.level == level,
                    log_tiles.c.tile == tile,
                )
            )
            .values(hashes=blob)
        )
    if new_rows:
        conn.execute(insert(log_tiles), new_rows)


def _move_head(conn: Connection, log_id: str, old_size: int, new_size: int) -> int:
    result = conn.execute(
        update(log_heads)
        .where(log_heads.c.log_id == log_id, log_heads.c.size == old_size)
        .values(size=new_size)
    )
    return int(result.rowcount)


class SqlLogStore:
    """A :class:`~anchors.LogStore` in a SQL database, for one ``log_id``.

    Each method outside :meth:`transaction` runs in its own short transaction. For a
    caller that already holds a transaction (the node writes the attestation and its leaf
    together), :meth:`bind` returns a store that works inside that connection's
    transaction and never commits it. Every SQLAlchemy error is wrapped in
    :class:`~anchors.errors.LogError`. The tables must exist
    (``LOG_METADATA.create_all(engine)`` or the node's migrations).
    """

    def __init__(self, engine: Engine, log_id: str) -> None:
        self.engine = engine
        self.log_id = check_log_id(log_id)

    def size(self) -> int:
        """Number of leaves in the log (0 for a log never written)."""

        def run() -> int:
            with self.engine.connect() as conn:
                return _size(conn, self.log_id)

        return _wrap("reading the log size", run)

    def read_nodes(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """See :meth:`anchors.LogStore.read_nodes`: one ``SELECT``."""

        def run() -> list[bytes]:
            with self.engine.connect() as conn:
                return _read_nodes(conn, self.log_id, keys)

        return _wrap("reading log nodes", run)

    def write(self, old_size: int, new_size: int, runs: Runs) -> None:
        """See :meth:`anchors.LogStore.write`: one locked transaction."""
        with self.transaction() as tx:
            tx.write(old_size, new_size, runs)

    @contextmanager
    def transaction(self) -> Iterator[BoundSqlLogStore]:
        """Begin a transaction, take :func:`lock_log`, yield a bound store; commit on exit."""
        try:
            with self.engine.begin() as conn:
                lock_log(conn, self.log_id)
                yield BoundSqlLogStore(conn, self.log_id)
        except SQLAlchemyError as exc:
            raise LogError(f"log {self.log_id!r}: transaction failed: {exc}") from exc

    def bind(self, conn: Connection) -> BoundSqlLogStore:
        """A store for this log that works inside ``conn``'s current transaction."""
        return BoundSqlLogStore(conn, self.log_id)


class BoundSqlLogStore:
    """A :class:`~anchors.LogStore` working inside a caller's connection and transaction.

    Its :meth:`transaction` takes :func:`lock_log` on that connection and yields itself;
    committing or rolling back stays the caller's job, so the log's rows and the caller's
    own rows land (or vanish) together.
    """

    def __init__(self, conn: Connection, log_id: str) -> None:
        self.conn = conn
        self.log_id = check_log_id(log_id)

    def size(self) -> int:
        """Number of leaves in the log, as this transaction sees it."""
        return _wrap("reading the log size", lambda: _size(self.conn, self.log_id))

    def read_nodes(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """See :meth:`anchors.LogStore.read_nodes`: one ``SELECT``."""
        return _wrap("reading log nodes", lambda: _read_nodes(self.conn, self.log_id, keys))

    def write(self, old_size: int, new_size: int, runs: Runs) -> None:
        """See :meth:`anchors.LogStore.write`; call inside :meth:`transaction`."""
        _wrap(
            "writing log nodes",
            lambda: _write(self.conn, self.log_id, old_size, new_size, runs),
        )

    @contextmanager
    def transaction(self) -> Iterator[BoundSqlLogStore]:
        """Take :func:`lock_log` in the caller's transaction and yield this store."""
        lock_log(self.conn, self.log_id)
        yield self
