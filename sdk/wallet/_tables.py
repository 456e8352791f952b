"""The wallet's tables (SQLAlchemy Core) on :data:`WALLET_METADATA`.

Created by the wallet's own Alembic migrations (``sdk/wallet/migrations``, version table
``wallet_alembic_version``), separate from the node's: a wallet and a node may share a
PostgreSQL database without touching each other's tables.

Every row has ``tag`` (HMAC of the row, see :mod:`sdk.wallet._crypto`); ``secret`` columns
hold sealed JSON. Times are RFC 3339 UTC text with microseconds (sortable as text, the
same bytes on SQLite and PostgreSQL, which the tags need). Which columns are in the clear
follows one rule: what the node already sees (ids, counterparties, product ids named in
requests, states, times) is clear, so it can be queried; key material, data keys, master
salts, plaintext footprints and inventories, and received disclosures are sealed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

WALLET_METADATA = MetaData()
VERSION_TABLE = "wallet_alembic_version"

meta = Table(
    "wallet_meta",
    WALLET_METADATA,
    Column("name", String(32), primary_key=True),
    Column("value", Text, nullable=False),
    Column("tag", LargeBinary, nullable=True),
)

keys = Table(
    "wallet_keys",
    WALLET_METADATA,
    Column("key_id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("public_key", String(128), nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("retired_at", String(32)),
    Column("revoked_at", String(32)),
    Column("reason", Text),
    Column("secret", LargeBinary, nullable=False),
    Column("tag", LargeBinary, nullable=False),
)

published = Table(
    "wallet_published",
    WALLET_METADATA,
    Column("attestation_id", String(64), primary_key=True),
    Column("input_digest", String(64), nullable=False, unique=True),
    Column("product_id", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("log_id", String(64)),
    Column("log_index", BigInteger),
    Column("logged_at", String(32)),
    Column("statement", Text, nullable=False),
    Column("envelope", Text, nullable=False),
    Column("secret", LargeBinary, nullable=False),
    Column("tag", LargeBinary, nullable=False),
    Index("wallet_published_product", "product_id"),
)

grants = Table(
    "wallet_grants",
    WALLET_METADATA,
    Column("attestation_id", String(64), primary_key=True),
    Column("recipient", String(128), primary_key=True),
    Column("recipient_key_id", String(32), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("sent_at", String(32)),
    Column("grant_doc", Text, nullable=False),
    Column("tag", LargeBinary, nullable=False),
)

received = Table(
    "wallet_received",
    WALLET_METADATA,
    Column("attestation_id", String(64), primary_key=True),
    Column("issuer", String(128), nullable=False),
    Column("product_id", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("attested", Boolean, nullable=False),
    Column("request_id", String(64)),
    Column("received_at", String(32), nullable=False),
    Column("statement", Text),
    Column("envelope", Text),
    Column("grant_doc", Text),
    Column("secret", LargeBinary, nullable=False),
    Column("tag", LargeBinary, nullable=False),
)

requests = Table(
    "wallet_requests",
    WALLET_METADATA,
    Column("request_id", String(64), primary_key=True),
    Column("direction", String(16), nullable=False),
    Column("counterparty", String(128), nullable=False),
    Column("product_ids", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("message", Text),
    Column("attestation_id", String(64)),
    Column("reason", Text),
    Column("origin", String(32), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("tag", LargeBinary, nullable=False),
    Index("wallet_requests_state", "direction", "state"),
)

request_events = Table(
    "wallet_request_events",
    WALLET_METADATA,
    Column("request_id", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("at", String(32), nullable=False),
    Column("state", String(16), nullable=False),
    Column("note", Text),
    Column("tag", LargeBinary, nullable=False),
)

labels = Table(
    "wallet_labels",
    WALLET_METADATA,
    Column("label_id", String(66), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("attestation_id", String(64), nullable=False),
    Column("product_id", Text, nullable=False),
    Column("value", String(80), nullable=False),
    Column("unit", Text, nullable=False),
    Column("grade", Text, nullable=False),
    Column("standard", Text, nullable=False),
    Column("valid_from", String(32), nullable=False),
    Column("valid_until", String(32), nullable=False),
    Column("issued_at", String(32), nullable=False),
    Column("url", Text, nullable=False),
    Column("disclosure", Text, nullable=False),
    Column("revoked_at", String(32)),
    Column("reason", Text),
    Column("tag", LargeBinary, nullable=False),
)


@dataclass(frozen=True)
class TableSpec:
    """How the generic row layer handles one table: its primary key columns, in order."""

    table: Table
    pk: tuple[str, ...]

    @property
    def name(self) -> str:
        """The table's name (part of every tag and sealing context)."""
        return self.table.name


SPECS: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(meta, ("name",)),
        TableSpec(keys, ("key_id",)),
        TableSpec(published, ("attestation_id",)),
        TableSpec(grants, ("attestation_id", "recipient", "recipient_key_id")),
        TableSpec(received, ("attestation_id",)),
        TableSpec(requests, ("request_id",)),
        TableSpec(request_events, ("request_id", "seq")),
        TableSpec(labels, ("label_id",)),
    )
}
"""Every table of the wallet, by name (the order tables are verified in on open)."""
