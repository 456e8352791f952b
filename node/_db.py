"""Engine creation and schema migration."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError

WRITE_OPTION = "tanji_write"
"""Execution option marking a connection whose transaction will write (see :func:`writing`)."""

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(
    url: str,
    *,
    connect_timeout: float | None = None,
    statement_timeout: float | None = None,
    lock_timeout: float | None = None,
    **kwargs: Any,
) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys on.

    SQLite connections are shared across the API's worker threads (``check_same_thread``
    off); every write still runs in its own transaction. On PostgreSQL the timeouts
    (seconds) bound a connection attempt and a pool checkout (``connect_timeout``), one
    statement (``statement_timeout``) and one lock wait (``lock_timeout``), so a slow or
    hung server fails a request instead of holding it. Raises :class:`InvalidDatabaseUrl`
    when ``url`` is not a database URL SQLAlchemy can use.
    """
    try:
        dialect = make_url(url).get_backend_name()
    except ArgumentError as exc:
        raise InvalidDatabaseUrl(
            f"database_url {_hide(url)!r} is not a database URL "
            "(e.g. sqlite:///tanji-node.db or postgresql+psycopg://user@host/db)"
        ) from exc
    if dialect == "sqlite":
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("check_same_thread", False)
        connect_args.setdefault("timeout", 30)
        engine = create_engine(url, connect_args=connect_args, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy, not pysqlite, emit BEGIN so transactions are real.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            if ":memory:" not in url and url not in ("sqlite://", "sqlite:///"):
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # Writers take the lock up front (IMMEDIATE) so two of them queue rather than
            # fail with "database is locked" when upgrading from a read transaction.
            if conn.get_execution_options().get(WRITE_OPTION):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if dialect == "postgresql":
        connect_args = dict(kwargs.pop("connect_args", {}))
        if connect_timeout is not None:
            # libpq counts whole seconds and treats anything under 2 as 2.
            connect_args.setdefault("connect_timeout", max(2, math.ceil(connect_timeout)))
            kwargs.setdefault("pool_timeout", connect_timeout)
        options = [
            f"-c {name}={math.ceil(value * 1000)}"
            for name, value in (
                ("statement_timeout", statement_timeout),
                ("lock_timeout", lock_timeout),
            )
            if value is not None
        ]
        if options:
            # The URL's own ``options`` (e.g. a search_path) would be replaced: keep them.
            given = make_url(url).query.get("options")
            given_text = given if isinstance(given, str) else " ".join(given or ())
            connect_args.setdefault("options", " ".join([given_text, *options]).strip())
        kwargs["connect_args"] = connect_args
    try:
        return create_engine(url, **kwargs)
    except (ArgumentError, ImportError) as exc:  # NoSuchModuleError is an ArgumentError
        raise InvalidDatabaseUrl(
            f"database_url {_hide(url)!r}: {exc} (drivers installed: sqlite, postgresql+psycopg)"
        ) from exc


class InvalidDatabaseUrl(ValueError):
    """``database_url`` is not a URL of a database this node can open."""


def _hide(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def writing(engine: Engine) -> Connection:
    """A connection whose transaction takes the write lock up front (SQLite IMMEDIATE).

    Use as ``with writing(engine) as conn, conn.begin(): ...``.
    """
    return engine.connect().execution_options(**{WRITE_OPTION: True})


def alembic_config(url: str | None = None) -> Config:
    """The Alembic configuration of the node's migrations (``url`` optional)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        cfg.attributes["url"] = url
    return cfg


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind ``engine`` to ``revision`` (default: the newest).

    Creates every table of the node and of the log from an empty database; running it
    again on an up-to-date database changes nothing. The engine's statement timeout does
    not apply (a migration of a large table may legitimately run long).
    """
    cfg = alembic_config()
    with writing(engine) as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
