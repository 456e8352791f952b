"""Public attestations: the full disclosure an issuer publishes (e.g. a factor set).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from node._tables import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the ``public_disclosures`` table (see ``node/_public.py``)."""
    op.create_table(
        "public_disclosures",
        sa.Column(
            "attestation_id", sa.String(64), primary_key=True, comment="hex SHA-256 of the leaf"
        ),
        sa.Column("issuer", sa.String(128), nullable=False),
        sa.Column(
            "disclosure", sa.LargeBinary, nullable=False, comment="JCS of the full disclosure"
        ),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    """Drop the ``public_disclosures`` table."""
    op.drop_table("public_disclosures")
