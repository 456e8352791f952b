"""Value range proofs: the proof published next to a statement that commits to its PCF
value (statement extension ``valueCommitment``), and a leader's public committed roll-up
proof (docs/commitments.md §8).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``attestations.value_range_proof`` and ``attestations.rollup_proof`` (JCS, or
    null)."""
    op.add_column("attestations", sa.Column("value_range_proof", sa.LargeBinary, nullable=True))
    op.add_column("attestations", sa.Column("rollup_proof", sa.LargeBinary, nullable=True))


def downgrade() -> None:
    """Drop the two columns."""
    op.drop_column("attestations", "rollup_proof")
    op.drop_column("attestations", "value_range_proof")
