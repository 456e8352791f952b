"""Alembic environment for a wallet database.

Run through :func:`sdk.wallet.upgrade_wallet`: the open connection is passed in
``config.attributes``. The version table is ``wallet_alembic_version``, so a wallet can
share a PostgreSQL database with a node (whose version table is ``alembic_version``).
"""

from __future__ import annotations

from alembic import context

from sdk.wallet._tables import VERSION_TABLE, WALLET_METADATA

config = context.config


def run_migrations_online() -> None:
    """Upgrade over the connection the caller put in ``config.attributes``."""
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("the wallet migrations run over an open connection only")
    context.configure(
        connection=connection,
        target_metadata=WALLET_METADATA,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
