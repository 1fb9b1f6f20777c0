"""Sync with the ERP: delivery acks, the sync error list, link state, users from the ERP.

Revision ID: 0010
Revises: 0009

Guarded by triggers:
* ``sync_ack`` is append-only: an acknowledged event stays acknowledged;
* a ``sync_rejection`` row is never deleted and only changes once, when it is retried
  (``retried_at``/``retried_by`` set from NULL; every other column fixed).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def _triggers() -> list[tuple[str, str]]:
    abort = "BEGIN SELECT RAISE(ABORT, '{}'); END"
    return [
        ("sync_ack_no_update", "BEFORE UPDATE ON sync_ack " + abort.format("append-only table")),
        ("sync_ack_no_delete", "BEFORE DELETE ON sync_ack " + abort.format("append-only table")),
        (
            "sync_rejection_no_delete",
            "BEFORE DELETE ON sync_rejection " + abort.format("sync errors are never deleted"),
        ),
        (
            "sync_rejection_retry_once",
            "BEFORE UPDATE ON sync_rejection WHEN OLD.retried_at IS NOT NULL"
            " OR NEW.retried_at IS NULL OR NEW.seq IS NOT OLD.seq"
            " OR NEW.event_id IS NOT OLD.event_id OR NEW.reason IS NOT OLD.reason"
            " OR NEW.rejected_at IS NOT OLD.rejected_at OR NEW.endpoint IS NOT OLD.endpoint "
            + abort.format("a sync error only changes once, when it is retried"),
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "sync_ack",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("acked_at", sa.String(), nullable=False),
        sa.Column("endpoint", sa.String(), nullable=False),
        sa.CheckConstraint("outcome IN ('accepted', 'duplicate')"),
        sa.ForeignKeyConstraint(["seq"], ["event.seq"]),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_table(
        "sync_rejection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("rejected_at", sa.String(), nullable=False),
        sa.Column("endpoint", sa.String(), nullable=False),
        sa.Column("retried_at", sa.String(), nullable=True),
        sa.Column("retried_by", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["seq"], ["event.seq"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_rejection_seq", "sync_rejection", ["seq"])
    op.create_index(
        "ux_sync_rejection_open",
        "sync_rejection",
        ["seq"],
        unique=True,
        sqlite_where=sa.text("retried_at IS NULL"),
    )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("updated_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "station_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("roles", sa.String(), nullable=False),
        sa.Column("badge", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    for name, body in _triggers():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name, _ in _triggers():
        op.execute(f"DROP TRIGGER {name}")
    op.drop_index("ux_sync_rejection_open", table_name="sync_rejection")
    op.drop_index("ix_sync_rejection_seq", table_name="sync_rejection")
    for table in ("station_user", "sync_state", "sync_rejection", "sync_ack"):
        op.drop_table(table)
