"""Alembic environment for the node's database (node tables + the log's tables).

Run through :func:`node.upgrade_database` (or ``tanji node migrate``); the URL or an open
connection is passed in ``config.attributes`` rather than an ini file.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from anchors import LOG_METADATA
from node._tables import NODE_METADATA

config = context.config
target_metadata = [NODE_METADATA, LOG_METADATA]


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Upgrade over the connection or URL the caller put in ``config.attributes``."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL given to the node migrations")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
