"""The persistent log: memory, SQLite and PostgreSQL stores agree with the pure functions."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from anchors import (
    EMPTY_ROOT,
    LOG_METADATA,
    LogStore,
    MemoryLogStore,
    MerkleLog,
    SqlLogStore,
    consistency_proof_from_leaf_hashes,
    inclusion_proof_from_leaf_hashes,
    leaf_hash,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)
from anchors._log import NodeKey, Runs
from anchors._store_sql import TILE_WIDTH, log_heads, log_tiles
from anchors.errors import LogError, LogIndexError, LogIntegrityError

ROOT = Path(__file__).resolve().parents[2]


def _sqlite_engine(path: Path) -> sa.Engine:
    return sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[sa.Engine]:
    engine = _sqlite_engine(tmp_path / "log.db")
    LOG_METADATA.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine(postgres_schema: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(postgres_schema)
    LOG_METADATA.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def make_store(request: pytest.FixtureRequest) -> Callable[[str], LogStore]:
    if request.param == "memory":
        return lambda _log_id: MemoryLogStore()
    engine: sa.Engine = request.getfixturevalue(
        f"{'pg' if request.param == 'postgres' else 'sqlite'}_engine"
    )
    return lambda log_id: SqlLogStore(engine, log_id)


def _data(i: int) -> bytes:
    return b"entry-%d" % i


def _check_against_pure(log: MerkleLog, hashes: list[bytes], rng: random.Random) -> None:
    n = len(hashes)
    assert log.size == n
    assert log.root() == root_from_leaf_hashes(hashes)
    for _ in range(6):
        size = rng.randint(1, n)
        index = rng.randrange(size)
        root = root_from_leaf_hashes(hashes[:size])
        assert log.root(size) == root
        proof = log.inclusion_proof(index, size)
        assert proof == inclusion_proof_from_leaf_hashes(hashes[:size], index)
        verify_inclusion(hashes[index], index, size, proof, root)
        assert log.leaf_hash_at(index) == hashes[index]
        size1 = rng.randint(0, size)
        cproof = log.consistency_proof(size1, size)
        assert cproof == consistency_proof_from_leaf_hashes(hashes[:size], size1)
        verify_consistency(size1, size, root_from_leaf_hashes(hashes[:size1]), root, cproof)


def test_random_growth_matches_pure_functions(make_store: Callable[[str], LogStore]) -> None:
    rng = random.Random(9162)
    log = MerkleLog(make_store("growth"))
    assert log.size == 0
    assert log.root() == EMPTY_ROOT
    hashes: list[bytes] = []
    # Single appends, small and tile-crossing batches, and exact powers of two.
    for step in range(40):
        kind = rng.random()
        if kind < 0.3:
            first = log.append(_data(len(hashes)))
            batch = [_data(len(hashes))]
        else:
            count = rng.choice([1, 2, 3, 7, 64, 255, 256, 257, rng.randint(1, 700)])
            batch = [_data(len(hashes) + i) for i in range(count)]
            first = log.append_batch(batch)
        assert first == len(hashes)
        hashes.extend(leaf_hash(d) for d in batch)
        if step % 4 == 3:
            _check_against_pure(log, hashes, rng)
    _check_against_pure(log, hashes, rng)


def test_stores_agree_with_each_other(sqlite_engine: sa.Engine, tmp_path: Path) -> None:
    # Memory and SQLite (and PostgreSQL in test_random_growth...) give identical answers.
    rng = random.Random(7)
    logs = [MerkleLog(MemoryLogStore()), MerkleLog(SqlLogStore(sqlite_engine, "agree"))]
    total = 0
    for _ in range(12):
        batch = [_data(total + i) for i in range(rng.randint(1, 300))]
        for log in logs:
            log.append_batch(batch)
        total += len(batch)
        size = rng.randint(1, total)
        index, size1 = rng.randrange(size), rng.randint(0, size)
        answers = [
            (log.root(size), log.inclusion_proof(index, size), log.consistency_proof(size1, size))
            for log in logs
        ]
        assert answers[0] == answers[1]


class Counts:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.calls = self.keys = self.writes = 0


class CountingStore:
    """Wraps a store and counts the reads that go through the LogStore interface."""

    def __init__(self, inner: LogStore, counts: Counts | None = None) -> None:
        self.inner = inner
        self.counts = counts or Counts()

    def size(self) -> int:
        return self.inner.size()

    def read_nodes(self, keys: Sequence[NodeKey]) -> list[bytes]:
        self.counts.calls += 1
        self.counts.keys += len(keys)
        return self.inner.read_nodes(keys)

    def write(self, old_size: int, new_size: int, runs: Runs) -> None:
        self.counts.writes += 1
        self.inner.write(old_size, new_size, runs)

    @contextmanager
    def _tx(self) -> Iterator[LogStore]:
        with self.inner.transaction() as tx:
            yield CountingStore(tx, self.counts)

    def transaction(self) -> AbstractContextManager[LogStore]:
        return self._tx()

    @contextmanager
    def _read(self) -> Iterator[LogStore]:
        with self.inner.reading() as view:
            yield CountingStore(view, self.counts)

    def reading(self) -> AbstractContextManager[LogStore]:
        return self._read()


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_reads_are_logarithmic(backend: str, sqlite_engine: sa.Engine) -> None:
    inner: LogStore = (
        MemoryLogStore() if backend == "memory" else SqlLogStore(sqlite_engine, "count")
    )
    store = CountingStore(inner)
    counts = store.counts
    log = MerkleLog(store)
    rng = random.Random(1)
    n = 20_000
    log.append_batch(_data(i) for i in range(n))
    statements: list[str] = []
    if backend == "sqlite":
        sa.event.listen(sqlite_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    def bound(size: int) -> int:
        return 2 * size.bit_length() + 2

    for _ in range(200):
        size = rng.randint(1, n)
        index, size1 = rng.randrange(size), rng.randint(1, size)
        ops: list[tuple[str, tuple[int, ...]]] = [
            ("root", (size,)),
            ("inclusion_proof", (index, size)),
            ("consistency_proof", (size1, size)),
        ]
        for name, args in ops:
            counts.reset()
            statements.clear()
            getattr(log, name)(*args)
            assert counts.calls <= 1, "one read_nodes call per answer"
            assert counts.keys <= bound(size), (counts.keys, size)
            if backend == "sqlite":
                # size + one SELECT of tiles, whatever the size: never a scan.
                assert len(statements) <= 2, statements
    # An append reads only the right edge: popcount(size) nodes, then one write.
    counts.reset()
    log.append(b"one more")
    assert counts.calls == 1
    assert counts.keys == n.bit_count()
    assert counts.writes == 1


def test_sql_tiles_are_packed(sqlite_engine: sa.Engine) -> None:
    log = MerkleLog(SqlLogStore(sqlite_engine, "tiles"))
    log.append_batch(_data(i) for i in range(3 * TILE_WIDTH + 5))
    log.append(b"x")
    with sqlite_engine.connect() as conn:
        rows = conn.execute(
            sa.select(log_tiles.c.level, log_tiles.c.tile, sa.func.length(log_tiles.c.hashes))
            .where(log_tiles.c.log_id == "tiles")
            .order_by(log_tiles.c.level, log_tiles.c.tile)
        ).all()
    level0 = [(t, ln) for lv, t, ln in rows if lv == 0]
    full = TILE_WIDTH * 32
    assert level0 == [(0, full), (1, full), (2, full), (3, 6 * 32)]
    # Every complete subtree of 3*256+6 leaves is stored, once.
    n = 3 * TILE_WIDTH + 6
    assert sum(ln for _, _, ln in rows) // 32 == sum(n >> lv for lv in range(n.bit_length()))


def test_logs_share_a_database(sqlite_engine: sa.Engine) -> None:
    a = MerkleLog(SqlLogStore(sqlite_engine, "log-a"))
    b = MerkleLog(SqlLogStore(sqlite_engine, "log-b"))
    a.append_batch([b"1", b"2", b"3"])
    b.append(b"other")
    assert a.size == 3
    assert b.size == 1
    assert a.root() == root_from_leaf_hashes([leaf_hash(d) for d in (b"1", b"2", b"3")])
    assert b.root() == leaf_hash(b"other")


def test_bound_store_appends_in_callers_transaction(sqlite_engine: sa.Engine) -> None:
    store = SqlLogStore(sqlite_engine, "node")
    notes = sa.Table("notes", sa.MetaData(), sa.Column("body", sa.String))
    notes.create(sqlite_engine)
    MerkleLog(store).append(b"first")

    class Boom(Exception):
        pass

    # The caller's own row and the leaf commit together...
    with sqlite_engine.begin() as conn:
        conn.execute(notes.insert().values(body="kept"))
        assert MerkleLog(store.bind(conn)).append(b"second") == 1

    # ...or vanish together.
    def fails_after_append() -> None:
        with sqlite_engine.begin() as conn:
            conn.execute(notes.insert().values(body="lost"))
            MerkleLog(store.bind(conn)).append_batch([b"third", b"fourth"])
            raise Boom

    with pytest.raises(Boom):
        fails_after_append()
    log = MerkleLog(store)
    assert log.size == 2
    assert log.root() == root_from_leaf_hashes([leaf_hash(b"first"), leaf_hash(b"second")])
    with sqlite_engine.connect() as conn:
        assert conn.execute(sa.select(notes.c.body)).scalars().all() == ["kept"]


@pytest.mark.postgres
def test_bound_store_on_postgres(pg_engine: sa.Engine) -> None:
    store = SqlLogStore(pg_engine, "node")
    with pg_engine.begin() as conn:
        log = MerkleLog(store.bind(conn))
        log.append_batch([b"a", b"b"])
        assert log.size == 2  # the transaction sees its own writes
        assert MerkleLog(store).size == 0  # others do not, yet
    assert MerkleLog(store).size == 2


def test_errors_and_nothing_half_written(sqlite_engine: sa.Engine) -> None:
    store = SqlLogStore(sqlite_engine, "errs")
    log = MerkleLog(store)
    with pytest.raises(LogIndexError):
        log.inclusion_proof(0, 0)
    with pytest.raises(LogIndexError):
        log.root(1)
    log.append_batch([b"a", b"b", b"c"])
    root = log.root()
    with pytest.raises(LogError, match="empty batch"):
        log.append_batch([])
    with pytest.raises(LogError, match="must be bytes"):
        log.append_batch([b"d", "not bytes"])  # type: ignore[list-item]
    with pytest.raises(LogError, match="must be bytes"):
        log.append(None)  # type: ignore[arg-type]
    with pytest.raises(LogError, match="must be 32 bytes"):
        log.append_leaf_hashes([leaf_hash(b"d"), b"short"])
    with pytest.raises(LogIndexError, match="outside"):
        log.inclusion_proof(3, 3)
    with pytest.raises(LogIndexError, match="tree size 4"):
        log.inclusion_proof(0, 4)
    with pytest.raises(LogIndexError, match="size1 3"):
        log.consistency_proof(3, 2)
    with pytest.raises(LogIndexError):
        log.leaf_hash_at(-1)
    # A writer with a stale size is refused and writes nothing.
    with pytest.raises(LogIntegrityError, match="writer expected 2"):
        store.write(2, 3, {0: (2, [leaf_hash(b"x")])})
    # A run that does not continue its level is refused before any write.
    with pytest.raises(LogIntegrityError, match="run starts at offset 5"):
        store.write(3, 4, {0: (5, [leaf_hash(b"x")])})
    assert log.size == 3
    assert log.root() == root
    for bad in ["", "UPPER", "a b", "x" * 65, "tanji/1"]:
        with pytest.raises(LogError, match="invalid log id"):
            SqlLogStore(sqlite_engine, bad)
    # A missing node is reported, not papered over.
    with sqlite_engine.begin() as conn:
        conn.execute(sa.delete(log_tiles).where(log_tiles.c.level == 1))
    with pytest.raises(LogIntegrityError, match=r"node \(1, 0\)"):
        log.root()


@pytest.mark.parametrize("first", [0, TILE_WIDTH, 2 * TILE_WIDTH])
def test_sql_run_at_a_tile_boundary_must_continue_its_level(
    sqlite_engine: sa.Engine, first: int
) -> None:
    # A run starting at a tile boundary that overlaps (0) or leaves a gap after the 3
    # stored leaves (32, 64) is refused before any write, as the memory store does.
    store = SqlLogStore(sqlite_engine, "gaps")
    log = MerkleLog(store)
    log.append_batch([b"a", b"b", b"c"])
    root = log.root()
    with pytest.raises(LogIntegrityError, match=f"run starts at {first}"):
        store.write(3, 4, {0: (first, [leaf_hash(b"x")])})
    with sqlite_engine.begin() as conn:
        with pytest.raises(LogIntegrityError, match=f"run starts at {first}"):
            store.bind(conn).write(3, 4, {0: (first, [leaf_hash(b"x")])})
        assert conn.execute(sa.select(sa.func.count()).select_from(log_tiles)).scalar() == 2
    assert log.size == 3
    assert log.root() == root


def test_sql_errors_are_wrapped(tmp_path: Path) -> None:
    engine = _sqlite_engine(tmp_path / "empty.db")  # tables never created
    with pytest.raises(LogError, match="no such table"):
        MerkleLog(SqlLogStore(engine, "x")).root()
    with pytest.raises(LogError):
        MerkleLog(SqlLogStore(engine, "x")).append(b"a")
    engine.dispose()


def test_memory_store_refuses_bad_writes() -> None:
    store = MemoryLogStore()
    log = MerkleLog(store)
    log.append_batch([b"a", b"b"])
    with pytest.raises(LogIntegrityError, match="writer expected 1"):
        store.write(1, 2, {0: (1, [leaf_hash(b"x")])})
    with pytest.raises(LogIntegrityError, match="run starts at 3"):
        store.write(2, 3, {0: (3, [leaf_hash(b"x")])})
    with pytest.raises(LogIntegrityError, match="not stored"):
        store.read_nodes([(0, 2)])
    # Negative keys are not stored either (no Python wrap-around to the last level/node).
    for key in [(-1, 0), (0, -1)]:
        with pytest.raises(LogIntegrityError, match="not stored"):
            store.read_nodes([key])
    assert log.root() == root_from_leaf_hashes([leaf_hash(b"a"), leaf_hash(b"b")])


WORKER = textwrap.dedent(
    """
    import sys
    import sqlalchemy as sa
    from anchors import MerkleLog, SqlLogStore
    url, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    engine = sa.create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})
    log = MerkleLog(SqlLogStore(engine, "shared"))
    for i in range(count):
        if i % 5 == 4:
            log.append_batch([f"{tag}-{i}-{j}".encode() for j in range(3)])
        else:
            log.append(f"{tag}-{i}".encode())
    """
)


def _concurrent_appenders(url: str, engine: sa.Engine) -> None:
    count = 40
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, tag, str(count)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
        )
        for tag in ("p1", "p2")
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    expected: set[bytes] = set()
    for tag in ("p1", "p2"):
        for i in range(count):
            if i % 5 == 4:
                expected.update(f"{tag}-{i}-{j}".encode() for j in range(3))
            else:
                expected.add(f"{tag}-{i}".encode())
    log = MerkleLog(SqlLogStore(engine, "shared"))
    assert log.size == len(expected)
    stored = [log.leaf_hash_at(i) for i in range(log.size)]
    # Every entry exactly once, and the stored nodes agree with the leaves.
    assert sorted(stored) == sorted(leaf_hash(d) for d in expected)
    assert log.root() == root_from_leaf_hashes(stored)
    for size in range(1, log.size + 1, 7):
        assert log.root(size) == root_from_leaf_hashes(stored[:size])


@pytest.mark.integration
def test_concurrent_processes_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    engine = _sqlite_engine(path)
    LOG_METADATA.create_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    _concurrent_appenders(f"sqlite:///{path}", engine)
    engine.dispose()


@pytest.mark.integration
@pytest.mark.postgres
def test_concurrent_processes_postgres(postgres_schema: str, pg_engine: sa.Engine) -> None:
    _concurrent_appenders(postgres_schema, pg_engine)
    with pg_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(log_heads)).scalar() == 1


def test_sqlite_node_lookup_uses_the_primary_key(sqlite_engine: sa.Engine) -> None:
    # Guards the query shape: OR / row-value IN made SQLite scan every tile of the log.
    from anchors._store_sql import _point_sql

    params = tuple(v for i in range(3) for v in (1, "x", i, i))
    with sqlite_engine.connect() as conn:
        sql = "EXPLAIN QUERY PLAN " + _point_sql("node", 3, "?")
        plan = conn.exec_driver_sql(sql, params).all()
    details = [str(row[-1]) for row in plan]
    probes = [d for d in details if "anchors_log_tiles" in d]
    assert len(probes) == 3, details
    assert all(d.startswith("SEARCH") and "log_id=? AND level=? AND tile=?" in d for d in probes)


def test_portable_path_for_unknown_drivers(
    sqlite_engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Drivers with another paramstyle use plain SQLAlchemy statements: same answers.
    log = MerkleLog(SqlLogStore(sqlite_engine, "portable"))
    log.append_batch(_data(i) for i in range(100))
    fast = (log.root(77), log.inclusion_proof(5, 77), log.consistency_proof(3, 77))
    monkeypatch.setattr(sqlite_engine.dialect, "paramstyle", "numeric_dollar")
    log.append_batch(_data(i) for i in range(100, 150))
    hashes = [leaf_hash(_data(i)) for i in range(150)]
    assert log.root() == root_from_leaf_hashes(hashes)
    assert (log.root(77), log.inclusion_proof(5, 77), log.consistency_proof(3, 77)) == fast
