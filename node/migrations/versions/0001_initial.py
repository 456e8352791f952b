"""Initial schema: the log's tables (anchors) and the node's tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from node._tables import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table from an empty database."""
    # anchors.LOG_METADATA (frozen copy: a change there needs a new revision here)
    op.create_table(
        "anchors_log_heads",
        sa.Column("log_id", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "anchors_log_tiles",
        sa.Column("log_id", sa.String(64), nullable=False),
        sa.Column("level", sa.SmallInteger, nullable=False),
        sa.Column("tile", sa.BigInteger, nullable=False),
        sa.Column("hashes", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("log_id", "level", "tile"),
        sqlite_with_rowid=False,
    )
    # node._tables.NODE_METADATA
    op.create_table(
        "attestations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("log_id", sa.String(64), nullable=False),
        sa.Column("leaf_index", sa.BigInteger, nullable=False),
        sa.Column("issuer", sa.String(128), nullable=False),
        sa.Column("key_id", sa.String(128), nullable=False),
        sa.Column("subject_digest", sa.String(64), nullable=False),
        sa.Column("supersedes", sa.String(64), nullable=True),
        sa.Column("leaf", sa.LargeBinary, nullable=False),
        sa.Column("envelope", sa.LargeBinary, nullable=False),
        sa.Column("received_at", UtcDateTime, nullable=False),
        sa.UniqueConstraint("log_id", "leaf_index", name="uq_attestations_log_index"),
    )
    op.create_index("ix_attestations_issuer_subject", "attestations", ["issuer", "subject_digest"])
    op.create_index("ix_attestations_supersedes", "attestations", ["supersedes"])
    op.create_table(
        "grants",
        sa.Column(
            "attestation_id",
            sa.String(64),
            sa.ForeignKey("attestations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("recipient", sa.String(128), primary_key=True),
        sa.Column("grant", sa.LargeBinary, nullable=False),
        sa.Column("added_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_grants_recipient", "grants", ["recipient"])
    op.create_table(
        "footprint_requests",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("leader", sa.String(128), nullable=False),
        sa.Column("supplier", sa.String(128), nullable=False),
        sa.Column("product_ids", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attestation_id", sa.String(64), sa.ForeignKey("attestations.id"), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_requests_leader", "footprint_requests", ["leader", "updated_at"])
    op.create_index("ix_requests_supplier", "footprint_requests", ["supplier", "updated_at"])
    op.create_table(
        "webhooks",
        sa.Column("org", sa.String(128), primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("org", sa.String(128), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UtcDateTime, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_deliveries_due", "webhook_deliveries", ["status", "next_attempt_at"])
    op.create_table(
        "checkpoints",
        sa.Column("log_id", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, primary_key=True),
        sa.Column("root", sa.LargeBinary(32), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("chain_id", sa.BigInteger, nullable=True),
        sa.Column("contract", sa.String(42), nullable=True),
        sa.Column("tx_hash", sa.String(66), nullable=True),
        sa.Column("block_number", sa.BigInteger, nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("anchored_at", UtcDateTime, nullable=True),
    )
    op.create_table(
        "auth_nonces",
        sa.Column("org", sa.String(128), primary_key=True),
        sa.Column("nonce", sa.String(128), primary_key=True),
        sa.Column("expires_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_nonces_expiry", "auth_nonces", ["expires_at"])
    op.create_table(
        "auth_tokens",
        sa.Column("token_hash", sa.LargeBinary(32), primary_key=True),
        sa.Column("org", sa.String(128), nullable=False),
        sa.Column("key_id", sa.String(128), nullable=False),
        sa.Column("expires_at", UtcDateTime, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
    )
    op.create_index("ix_tokens_expiry", "auth_tokens", ["expires_at"])


def downgrade() -> None:
    """Drop every table (data is lost)."""
    for index, table in (
        ("ix_tokens_expiry", "auth_tokens"),
        ("ix_nonces_expiry", "auth_nonces"),
        ("ix_deliveries_due", "webhook_deliveries"),
        ("ix_requests_supplier", "footprint_requests"),
        ("ix_requests_leader", "footprint_requests"),
        ("ix_grants_recipient", "grants"),
        ("ix_attestations_supersedes", "attestations"),
        ("ix_attestations_issuer_subject", "attestations"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "auth_tokens",
        "auth_nonces",
        "checkpoints",
        "webhook_deliveries",
        "webhooks",
        "footprint_requests",
        "grants",
        "attestations",
        "anchors_log_tiles",
        "anchors_log_heads",
    ):
        op.drop_table(table)
