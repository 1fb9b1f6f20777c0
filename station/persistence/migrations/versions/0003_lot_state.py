"""lot_state: the P11-F1 lot state kept as a projection; item_state indexed by (gtin, lot).

Revision ID: 0003
Revises: 0002

``lot_state`` is a cache derived from the events, like ``item_state``. A database that already
holds events gets it filled here, in the upgrade's transaction, by the same code that keeps it
afterwards (``station.services.projection.rebuild``): a derived cache must follow the current
rules, so this is the one place a revision calls application code.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "lot_state",
        sa.Column("lot_uri", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("last_event_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("lot_uri"),
    )
    op.create_index("ix_item_state_gtin_lot", "item_state", ["gtin", "lot"], unique=False)
    connection = op.get_bind()
    if connection.exec_driver_sql("SELECT 1 FROM event LIMIT 1").first() is not None:
        from station.services.projection import rebuild  # noqa: PLC0415 - see the docstring

        rebuild(connection)


def downgrade() -> None:
    op.drop_index("ix_item_state_gtin_lot", table_name="item_state")
    op.drop_table("lot_state")
