"""The node's tables (SQLAlchemy Core) on :data:`NODE_METADATA`.

The log's own tables (leaves, subtree hashes) live on :data:`anchors.LOG_METADATA`; the
Alembic migrations in ``node/migrations`` create both. Times are stored as UTC and come
back timezone-aware on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

NODE_METADATA = MetaData()


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime; naive values are refused, not guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime refused; pass a timezone-aware UTC time")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


attestations = Table(
    "attestations",
    NODE_METADATA,
    # hex SHA-256 of the leaf bytes
    Column("id", String(64), primary_key=True),
    Column("log_id", String(64), nullable=False),
    Column("leaf_index", BigInteger, nullable=False),
    Column("issuer", String(128), nullable=False),
    Column("key_id", String(128), nullable=False),
    Column("subject_digest", String(64), nullable=False),
    Column("supersedes", String(64), nullable=True),
    # JCS of the signed statement
    Column("leaf", LargeBinary, nullable=False),
    # JCS of the envelope
    Column("envelope", LargeBinary, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    # JCS of the value's range proof (published with a statement carrying valueCommitment)
    Column("value_range_proof", LargeBinary, nullable=True),
    # JCS of a leader's public committed roll-up proof (its lines are then public)
    Column("rollup_proof", LargeBinary, nullable=True),
    UniqueConstraint("log_id", "leaf_index", name="uq_attestations_log_index"),
    Index("ix_attestations_issuer_subject", "issuer", "subject_digest"),
    Index("ix_attestations_supersedes", "supersedes"),
)

grants = Table(
    "grants",
    NODE_METADATA,
    Column(
        "attestation_id",
        String(64),
        ForeignKey("attestations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("recipient", String(128), primary_key=True),
    # JCS of the grant
    Column("grant", LargeBinary, nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
    Index("ix_grants_recipient", "recipient"),
)

footprint_requests = Table(
    "footprint_requests",
    NODE_METADATA,
    Column("id", String(32), primary_key=True),
    Column("leader", String(128), nullable=False),
    Column("supplier", String(128), nullable=False),
    # JSON array of product id URNs
    Column("product_ids", Text, nullable=False),
    Column("message", Text, nullable=True),
    Column("status", String(16), nullable=False),
    Column("attestation_id", String(64), ForeignKey("attestations.id"), nullable=True),
    Column("reason", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_requests_leader", "leader", "updated_at"),
    Index("ix_requests_supplier", "supplier", "updated_at"),
)

webhooks = Table(
    "webhooks",
    NODE_METADATA,
    Column("org", String(128), primary_key=True),
    Column("url", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    NODE_METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org", String(128), nullable=False),
    Column("url", Text, nullable=False),
    Column("event", String(64), nullable=False),
    # JCS of the event
    Column("body", LargeBinary, nullable=False),
    # pending, delivered, failed
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_deliveries_due", "status", "next_attempt_at"),
)

checkpoints = Table(
    "checkpoints",
    NODE_METADATA,
    Column("log_id", String(64), primary_key=True),
    Column("size", BigInteger, primary_key=True),
    Column("root", LargeBinary(32), nullable=False),
    # signed C2SP checkpoint
    Column("note", Text, nullable=False),
    # pending, anchored
    Column("status", String(16), nullable=False),
    Column("chain_id", BigInteger, nullable=True),
    Column("contract", String(42), nullable=True),
    Column("tx_hash", String(66), nullable=True),
    Column("block_number", BigInteger, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("anchored_at", UtcDateTime, nullable=True),
)

auth_nonces = Table(
    "auth_nonces",
    NODE_METADATA,
    Column("org", String(128), primary_key=True),
    Column("nonce", String(128), primary_key=True),
    Column("expires_at", UtcDateTime, nullable=False),
    Index("ix_nonces_expiry", "expires_at"),
)

auth_tokens = Table(
    "auth_tokens",
    NODE_METADATA,
    Column("token_hash", LargeBinary(32), primary_key=True),
    Column("org", String(128), nullable=False),
    Column("key_id", String(128), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    Index("ix_tokens_expiry", "expires_at"),
)
