"""SQL storage of the log (SQLAlchemy Core; SQLite and PostgreSQL).

Two tables on :data:`LOG_METADATA`, keyed by ``log_id`` so several logs share a database:

* ``anchors_log_heads(log_id, size)``: the log's size, one row per log.
* ``anchors_log_tiles(log_id, level, tile, hashes)``: complete-subtree hashes packed
  :data:`TILE_WIDTH` to a row: row ``(level, tile)`` holds nodes
  ``tile * TILE_WIDTH ...`` of that level, concatenated (32 bytes each). Only the last
  tile of a level is partial; an append extends it and inserts the following ones.

Packing keeps a bulk append to ~62k row writes per million leaves, and a proof to one
``SELECT`` (``UNION ALL`` of primary-key probes) of one row per tree level.

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
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from anchors._log import LOG_ID_PATTERN, NodeKey, Runs
from anchors._merkle import HASH_SIZE
from anchors.errors import LogError, LogIntegrityError

LOG_METADATA = MetaData()
"""SQLAlchemy metadata holding the log tables (the node's migrations create them)."""

TILE_WIDTH = 32
"""Complete-subtree hashes per stored row: 1 KiB, so a row stays inline (no SQLite
overflow page, below PostgreSQL's TOAST threshold) and a proof reads one small row per
tree level, while a bulk append still writes one row per 32 nodes."""

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
    mark = _marker(conn)
    if mark is None:
        got = conn.execute(select(log_heads.c.size).where(log_heads.c.log_id == log_id)).scalar()
    else:
        sql = f"SELECT size FROM {log_heads.name} WHERE log_id = {mark}"  # noqa: S608
        got = conn.exec_driver_sql(sql, (log_id,)).scalar()
    return 0 if got is None else int(got)


_CHUNK = 64  # point lookups per statement
_DRIVER_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_POINT_SQL: dict[tuple[str, int, str], str] = {}


def _marker(conn: Connection) -> str | None:
    """Positional parameter marker of the DBAPI driver, if it is one we know."""
    return _DRIVER_MARKERS.get(conn.dialect.paramstyle)


def _point_sql(kind: str, n: int, mark: str) -> str:
    """``n`` primary-key lookups glued with ``UNION ALL``, positional parameters (cached).

    Not an OR and not a row-value ``IN``: with bound parameters SQLite plans both as a
    scan of the whole log, while each ``UNION ALL`` branch is one index probe (PostgreSQL
    likewise). ``kind`` "node" returns the 32 bytes of one node (parameters per branch:
    offset, log id, level, tile), "tile" the whole tile (log id, level, tile). The hot
    read path sends it with ``exec_driver_sql``: SQLAlchemy's statement compilation and
    parameter processing cost more than SQLite's own work here.
    """
    key = (kind, n, mark)
    sql = _POINT_SQL.get(key)
    if sql is None:
        value = f"substr(hashes, {mark}, {HASH_SIZE})" if kind == "node" else "hashes"
        # Only constants and loop integers are interpolated; values are bound parameters.
        branches = [
            f"SELECT {i} AS k, {value} AS h FROM {log_tiles.name} "  # noqa: S608
            f"WHERE log_id = {mark} AND level = {mark} AND tile = {mark}"
            for i in range(n)
        ]
        sql = " UNION ALL ".join(branches)
        _POINT_SQL[key] = sql
    return sql


def _read_points(
    conn: Connection, log_id: str, kind: str, points: Sequence[tuple[int, int, int]]
) -> dict[int, bytes]:
    """Run point lookups ``(level, tile, byte offset)``; map position -> bytes found."""
    found: dict[int, bytes] = {}
    mark = _marker(conn)
    c = log_tiles.c
    for start in range(0, len(points), _CHUNK):
        chunk = points[start : start + _CHUNK]
        if mark is None:  # unknown driver: portable, slower SQLAlchemy statement
            value = c.hashes if kind == "tile" else None
            for i, (level, tile, offset) in enumerate(chunk):
                col = value if value is not None else func.substr(c.hashes, offset + 1, HASH_SIZE)
                blob = conn.execute(
                    select(col).where(c.log_id == log_id, c.level == level, c.tile == tile)
                ).scalar()
                if blob is not None:
                    found[start + i] = bytes(blob)
            continue
        params: list[object] = []
        for level, tile, offset in chunk:
            if kind == "node":
                params.append(offset + 1)  # SQL substr counts from 1
            params += (log_id, level, tile)
        for k, blob in conn.exec_driver_sql(_point_sql(kind, len(chunk), mark), tuple(params)):
            found[start + int(k)] = bytes(blob)
    return found


def _read_tiles(
    conn: Connection, log_id: str, tiles: set[tuple[int, int]]
) -> dict[tuple[int, int], bytes]:
    """Fetch whole tiles by primary key; missing tiles are absent from the result."""
    ordered = sorted(tiles)
    got = _read_points(conn, log_id, "tile", [(lv, t, 0) for lv, t in ordered])
    return {ordered[i]: blob for i, blob in got.items()}


def _read_nodes(conn: Connection, log_id: str, keys: Sequence[NodeKey]) -> list[bytes]:
    if any(index < 0 or level < 0 for level, index in keys):
        raise LogIntegrityError(f"log {log_id!r}: negative node key in {list(keys)}")
    points = [
        (level, index // TILE_WIDTH, (index % TILE_WIDTH) * HASH_SIZE) for level, index in keys
    ]
    got = _read_points(conn, log_id, "node", points)
    out = []
    for i, (level, index) in enumerate(keys):
        node = got.get(i)
        if node is None or len(node) != HASH_SIZE:
            raise LogIntegrityError(f"log {log_id!r}: node ({level}, {index}) is not stored")
        out.append(node)
    return out


def _write(conn: Connection, log_id: str, old_size: int, new_size: int, runs: Runs) -> None:
    # (1) validate everything before the first write, so a refused write leaves the
    # caller's transaction untouched (a bound store cannot rely on SAVEPOINTs on SQLite).
    for level, (_, hashes) in runs.items():
        if hashes and set(map(len, hashes)) != {HASH_SIZE}:
            raise LogIntegrityError(f"level {level} run: a hash is not {HASH_SIZE} bytes")
    head = conn.execute(select(log_heads.c.size).where(log_heads.c.log_id == log_id)).scalar()
    if (0 if head is None else int(head)) != old_size:
        raise LogIntegrityError(f"log {log_id!r}: size is {head or 0}, writer expected {old_size}")
    partial = [
        (level, first // TILE_WIDTH) for level, (first, _) in runs.items() if first % TILE_WIDTH
    ]
    existing: dict[tuple[int, int], bytes] = {}
    if partial:
        existing = _read_tiles(conn, log_id, set(partial))
    updates: list[tuple[int, int, bytes]] = []
    new_rows: list[tuple[str, int, int, bytes]] = []
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
        elif first != old_size >> level:
            # At a tile boundary there is no partial tile to measure; the level holds
            # old_size >> level nodes, so anything else overlaps or leaves a gap.
            raise LogIntegrityError(
                f"log {log_id!r}: level {level} has {old_size >> level} nodes, "
                f"run starts at {first}"
            )
        for start in range(pos, len(hashes), TILE_WIDTH):
            new_rows.append((log_id, level, tile, b"".join(hashes[start : start + TILE_WIDTH])))
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
        _insert_tiles(conn, new_rows)


def _insert_tiles(conn: Connection, rows: list[tuple[str, int, int, bytes]]) -> None:
    """Bulk insert tiles: driver-level ``executemany`` of tuples when the paramstyle is
    known (SQLite, psycopg), skipping SQLAlchemy's per-row parameter processing."""
    mark = _marker(conn)
    if mark is None:
        conn.execute(
            insert(log_tiles),
            [{"log_id": r[0], "level": r[1], "tile": r[2], "hashes": r[3]} for r in rows],
        )
        return
    c = log_tiles.c
    sql = (
        f"INSERT INTO {log_tiles.name} ({c.log_id.name}, {c.level.name}, {c.tile.name}, "  # noqa: S608
        f"{c.hashes.name}) VALUES ({mark}, {mark}, {mark}, {mark})"
    )
    conn.exec_driver_sql(sql, rows)


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

    @contextmanager
    def reading(self) -> Iterator[BoundSqlLogStore]:
        """One connection (no lock, no write) for the reads of one answer."""
        try:
            with self.engine.connect() as conn:
                yield BoundSqlLogStore(conn, self.log_id)
        except SQLAlchemyError as exc:
            raise LogError(f"log {self.log_id!r}: read failed: {exc}") from exc

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

    @contextmanager
    def reading(self) -> Iterator[BoundSqlLogStore]:
        """This store: reads happen in the caller's transaction."""
        yield self
