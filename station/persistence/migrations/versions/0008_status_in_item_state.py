"""The item_status columns move into item_state: one row, one B-tree search, per item.

Revision ID: 0008
Revises: 0007

A 100,000-unit recall read two rows per unit (item_state for kind and container,
item_status for the status); the second search cost about half of that read. The values are
copied unchanged, without a rebuild (a million-unit ledger would take many minutes to
replay). Every item_status row has an item_state row in databases written by the services:
item_status covers Object and Transaction events, and the services write no TransactionEvent
yet. item_status only ever existed in development databases of this release cycle.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

_COPY = """
UPDATE item_state SET
  status = t.status, status_holder = t.holder, status_location = t.location,
  holds = t.holds, shipped_to = t.shipped_to, status_event_seq = t.last_event_seq,
  commissioned_in = t.commissioned_in
FROM item_status t WHERE t.uri = item_state.uri
"""


def upgrade() -> None:
    op.add_column(
        "item_state", sa.Column("status", sa.String(), nullable=False, server_default="in_stock")
    )
    op.add_column("item_state", sa.Column("status_holder", sa.String(), nullable=True))
    op.add_column("item_state", sa.Column("status_location", sa.String(), nullable=True))
    op.add_column(
        "item_state", sa.Column("holds", sa.String(), nullable=False, server_default="[]")
    )
    op.add_column(
        "item_state", sa.Column("shipped_to", sa.String(), nullable=False, server_default="[]")
    )
    op.add_column("item_state", sa.Column("status_event_seq", sa.Integer(), nullable=True))
    op.add_column("item_state", sa.Column("commissioned_in", sa.String(), nullable=True))
    op.execute(_COPY)
    op.drop_table("item_status")


_STATUS_COLUMNS = (
    "status",
    "status_holder",
    "status_location",
    "holds",
    "shipped_to",
    "status_event_seq",
    "commissioned_in",
)


def downgrade() -> None:
    op.create_table(
        "item_status",
        sa.Column("uri", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("holder", sa.String(), nullable=True),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("holds", sa.String(), nullable=False),
        sa.Column("shipped_to", sa.String(), nullable=False),
        sa.Column("last_event_seq", sa.Integer(), nullable=True),
        sa.Column("commissioned_in", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("uri"),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO item_status (uri, status, holder, location, holds, shipped_to,"
        " last_event_seq, commissioned_in) SELECT uri, status, status_holder, status_location,"
        " holds, shipped_to, status_event_seq, commissioned_in FROM item_state"
        " WHERE status_event_seq IS NOT NULL"
    )
    for column in _STATUS_COLUMNS:  # SQLite 3.35+ drops a column in place
        op.execute(f"ALTER TABLE item_state DROP COLUMN {column}")
