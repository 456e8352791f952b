"""The wallet's first schema: meta, keys, publications, grants, received footprints,
requests and their events, labels.

Revision ID: w0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "w0001"
down_revision = None
branch_labels = None
depends_on = None

_TIME = sa.String(32)


def upgrade() -> None:
    """Create every table from an empty database (a frozen copy of ``_tables.py``)."""
    op.create_table(
        "wallet_meta",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("tag", sa.LargeBinary, nullable=True),
    )
    op.create_table(
        "wallet_keys",
        sa.Column("key_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("public_key", sa.String(128), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("retired_at", _TIME),
        sa.Column("revoked_at", _TIME),
        sa.Column("reason", sa.Text),
        sa.Column("secret", sa.LargeBinary, nullable=False),
        sa.Column("tag", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "wallet_published",
        sa.Column("attestation_id", sa.String(64), primary_key=True),
        sa.Column("input_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("product_id", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("log_id", sa.String(64)),
        sa.Column("log_index", sa.BigInteger),
        sa.Column("logged_at", _TIME),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("envelope", sa.Text, nullable=False),
        sa.Column("secret", sa.LargeBinary, nullable=False),
        sa.Column("tag", sa.LargeBinary, nullable=False),
    )
    op.create_index("wallet_published_product", "wallet_published", ["product_id"])
    op.create_table(
        "wallet_grants",
        sa.Column("attestation_id", sa.String(64), primary_key=True),
        sa.Column("recipient", sa.String(128), primary_key=True),
        sa.Column("recipient_key_id", sa.String(32), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("sent_at", _TIME),
        sa.Column("grant_doc", sa.Text, nullable=False),
        sa.Column("tag", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "wallet_received",
        sa.Column("attestation_id", sa.String(64), primary_key=True),
        sa.Column("issuer", sa.String(128), nullable=False),
        sa.Column("product_id", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("attested", sa.Boolean, nullable=False),
        sa.Column("request_id", sa.String(64)),
        sa.Column("received_at", _TIME, nullable=False),
        sa.Column("statement", sa.Text),
        sa.Column("envelope", sa.Text),
        sa.Column("grant_doc", sa.Text),
        sa.Column("secret", sa.LargeBinary, nullable=False),
        sa.Column("tag", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "wallet_requests",
        sa.Column("request_id", sa.String(64), primary_key=True),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("counterparty", sa.String(128), nullable=False),
        sa.Column("product_ids", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("message", sa.Text),
        sa.Column("attestation_id", sa.String(64)),
        sa.Column("reason", sa.Text),
        sa.Column("origin", sa.String(32), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.Column("tag", sa.LargeBinary, nullable=False),
    )
    op.create_index("wallet_requests_state", "wallet_requests", ["direction", "state"])
    op.create_table(
        "wallet_request_events",
        sa.Column("request_id", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("tag", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "wallet_labels",
        sa.Column("label_id", sa.String(66), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("attestation_id", sa.String(64), nullable=False),
        sa.Column("product_id", sa.Text, nullable=False),
        sa.Column("value", sa.String(80), nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("grade", sa.Text, nullable=False),
        sa.Column("standard", sa.Text, nullable=False),
        sa.Column("valid_from", _TIME, nullable=False),
        sa.Column("valid_until", _TIME, nullable=False),
        sa.Column("issued_at", _TIME, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("disclosure", sa.Text, nullable=False),
        sa.Column("revoked_at", _TIME),
        sa.Column("reason", sa.Text),
        sa.Column("tag", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    """Drop every wallet table."""
    for name in (
        "wallet_labels",
        "wallet_request_events",
        "wallet_requests",
        "wallet_received",
        "wallet_grants",
        "wallet_published",
        "wallet_keys",
        "wallet_meta",
    ):
        op.drop_table(name)
