"""lot_state: the P11-F1 lot state kept as a projection; item_state indexed by (gtin, lot).

Revision ID: 0003
Revises: 0002

``lot_state`` is a cache derived from the events, like ``item_state``. ``rebuilds_projections``
asks :func:`station.persistence.migrate.upgrade` to refill every projection from the events
once the whole upgrade has run, with the code that keeps them afterwards.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None
rebuilds_projections = True


def upgrade() -> None:
    op.create_table(
        "lot_state",
        sa.Column("lot_uri", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("last_event_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("lot_uri"),
    )
    op.create_index("ix_item_state_gtin_lot", "item_state", ["gtin", "lot"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_item_state_gtin_lot", table_name="item_state")
    op.drop_table("lot_state")
