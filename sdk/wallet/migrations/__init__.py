"""Alembic migrations of the wallet (run by :func:`sdk.wallet.upgrade_wallet`)."""
