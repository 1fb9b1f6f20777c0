"""item_state and item_status clustered by URI (WITHOUT ROWID).

Revision ID: 0007
Revises: 0006

Both are read by URI, a recall 100,000 rows at a time. As rowid tables each read was two
B-tree searches (the primary-key index, then the row); clustered, it is one. The rows are
copied unchanged; the projections' contents do not change, so nothing is rebuilt.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

_ITEM_STATE = (
    "uri, kind, gtin, lot, serial, disposition, biz_location, parent_uri, holder, on_hold,"
    " last_event_seq"
)
_ITEM_STATUS = "uri, status, holder, location, holds, shipped_to, last_event_seq, commissioned_in"


def _item_state(name: str, *, clustered: bool) -> None:
    op.create_table(
        name,
        sa.Column("uri", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("gtin", sa.String(), nullable=True),
        sa.Column("lot", sa.String(), nullable=True),
        sa.Column("serial", sa.String(), nullable=True),
        sa.Column("disposition", sa.String(), nullable=True),
        sa.Column("biz_location", sa.String(), nullable=True),
        sa.Column("parent_uri", sa.String(), nullable=True),
        sa.Column("holder", sa.String(), nullable=True),
        sa.Column("on_hold", sa.Boolean(), nullable=False),
        sa.Column("last_event_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("uri"),
        sqlite_with_rowid=not clustered,
    )


def _item_status(name: str, *, clustered: bool) -> None:
    op.create_table(
        name,
        sa.Column("uri", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("holder", sa.String(), nullable=True),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("holds", sa.String(), nullable=False),
        sa.Column("shipped_to", sa.String(), nullable=False),
        sa.Column("last_event_seq", sa.Integer(), nullable=True),
        sa.Column("commissioned_in", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("uri"),
        sqlite_with_rowid=not clustered,
    )


def _item_state_indexes() -> None:
    op.create_index("ix_item_state_gtin", "item_state", ["gtin"], unique=False)
    op.create_index("ix_item_state_parent_uri", "item_state", ["parent_uri"], unique=False)
    op.create_index("ix_item_state_gtin_lot", "item_state", ["gtin", "lot"], unique=False)


def _rebuild(*, clustered: bool) -> None:
    for table, columns, create in (
        ("item_state", _ITEM_STATE, _item_state),
        ("item_status", _ITEM_STATUS, _item_status),
    ):
        create(f"{table}_new", clustered=clustered)
        op.execute(f"INSERT INTO {table}_new ({columns}) SELECT {columns} FROM {table}")  # noqa: S608
        op.drop_table(table)
        op.rename_table(f"{table}_new", table)
    _item_state_indexes()


def upgrade() -> None:
    _rebuild(clustered=True)


def downgrade() -> None:
    _rebuild(clustered=False)
