"""The ledger (event, event_ident, genealogy, audit, checkpoint), its triggers, and item_state.

Revision ID: 0002
Revises: 0001

The five ledger tables are append-only (compliance P11-E2): BEFORE UPDATE and BEFORE DELETE
triggers abort any change, whoever issues it — the ORM, raw SQL or a DB browser.
Hand-written and frozen, like every revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

_APPEND_ONLY = ("event", "event_ident", "genealogy", "audit", "checkpoint")


def _create_append_only_triggers() -> None:
    for table in _APPEND_ONLY:
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'append-only table'); END"
            )


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("event_type", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=True),
        sa.Column("biz_step", sa.String(), nullable=True),
        sa.Column("disposition", sa.String(), nullable=True),
        sa.Column("event_time", sa.String(), nullable=False),
        sa.Column("event_tz_offset", sa.String(), nullable=False),
        sa.Column("record_time", sa.String(), nullable=False),
        sa.Column("read_point", sa.String(), nullable=True),
        sa.Column("biz_location", sa.String(), nullable=True),
        sa.Column("actor", sa.String(), nullable=True),
        sa.Column("corrects_event_id", sa.String(), nullable=True),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("raw_scan", sa.LargeBinary(), nullable=True),
        sa.Column("app_version", sa.String(), nullable=False),
        sa.Column("schema_version", sa.String(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("event_id"),
        sa.UniqueConstraint("hash"),
    )
    op.create_index("ix_event_biz_step", "event", ["biz_step"], unique=False)
    op.create_index("ix_event_event_time", "event", ["event_time"], unique=False)
    op.create_table(
        "event_ident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("uri", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("gtin", sa.String(), nullable=True),
        sa.Column("lot", sa.String(), nullable=True),
        sa.Column("serial", sa.String(), nullable=True),
        sa.Column("sscc", sa.String(), nullable=True),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("uom", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["event_seq"], ["event.seq"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_event_ident_event_seq", "event_ident", ["event_seq"], unique=False)
    op.create_index("ix_event_ident_gtin_lot", "event_ident", ["gtin", "lot"], unique=False)
    op.create_index("ix_event_ident_serial", "event_ident", ["serial"], unique=False)
    op.create_index("ix_event_ident_uri", "event_ident", ["uri"], unique=False)
    op.create_table(
        "genealogy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("parent_uri", sa.String(), nullable=False),
        sa.Column("child_uri", sa.String(), nullable=False),
        sa.Column("relation", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["event_seq"], ["event.seq"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_genealogy_child", "genealogy", ["child_uri"], unique=False)
    op.create_index("ix_genealogy_event_seq", "genealogy", ["event_seq"], unique=False)
    op.create_index("ix_genealogy_parent", "genealogy", ["parent_uri"], unique=False)
    op.create_table(
        "audit",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("at_offset", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=True),
        sa.Column("actor_name", sa.String(), nullable=True),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=True),
        sa.Column("entity_id", sa.String(), nullable=True),
        sa.Column("old_value", sa.String(), nullable=True),
        sa.Column("new_value", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("station", sa.String(), nullable=False),
        sa.Column("app_version", sa.String(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("hash"),
    )
    op.create_table(
        "checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("station", sa.String(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_head", sa.String(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("audit_head", sa.String(), nullable=False),
        sa.Column("key_id", sa.String(), nullable=False),
        sa.Column("signature", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "item_state",
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
    )
    op.create_index("ix_item_state_gtin", "item_state", ["gtin"], unique=False)
    op.create_index("ix_item_state_parent_uri", "item_state", ["parent_uri"], unique=False)
    _create_append_only_triggers()


def downgrade() -> None:
    for table in _APPEND_ONLY:
        for operation in ("update", "delete"):
            op.execute(f"DROP TRIGGER {table}_no_{operation}")
    for table in ("item_state", "checkpoint", "audit", "genealogy", "event_ident", "event"):
        op.drop_table(table)
