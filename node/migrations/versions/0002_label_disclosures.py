"""Label disclosures: the public disclosure a certifier publishes for each label.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from node._tables import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the ``label_disclosures`` table (see ``node/_labels.py``)."""
    op.create_table(
        "label_disclosures",
        sa.Column("label_id", sa.String(66), primary_key=True, comment="0x + 64 hex"),
        sa.Column("attestation_id", sa.String(64), nullable=False),
        sa.Column("certifier", sa.String(128), nullable=False),
        sa.Column("disclosure", sa.LargeBinary, nullable=False, comment="JCS of the disclosure"),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    """Drop the ``label_disclosures`` table."""
    op.drop_table("label_disclosures")
