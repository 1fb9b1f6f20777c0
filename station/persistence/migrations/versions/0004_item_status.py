"""item_status: each item's trace status (stock, shipped, returned, holds) as a projection;
projection_mark: the last event the projections have applied.

Revision ID: 0004
Revises: 0003

Derived from the events like ``item_state``; refilled after the upgrade (``rebuilds_projections``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None
rebuilds_projections = True


def upgrade() -> None:
    op.create_table(
        "item_status",
        sa.Column("uri", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("holder", sa.String(), nullable=True),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("holds", sa.String(), nullable=False),
        sa.Column("shipped_to", sa.String(), nullable=False),
        sa.Column("last_event_seq", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("uri"),
    )
    op.create_table(
        "projection_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("projection_mark")
    op.drop_table("item_status")
