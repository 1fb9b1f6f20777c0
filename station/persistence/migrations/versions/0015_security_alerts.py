"""Security alerts to the ERP: which lockout and rate-limit entries the centre holds.

Revision ID: 0015
Revises: 0014

The alerts are the audit entries ``security.lockout`` and ``security.rate_limit`` (P11-U7,
AUTH-3); an alert is pending while ``security_alert_ack`` has no row for its audit ``seq``
(``station/sync/alerts.py``). The acks are append-only (compliance P11-E2): BEFORE UPDATE and
BEFORE DELETE triggers abort any change, so an alert once delivered stays delivered.

``ix_audit_action`` lets the station find its alarms, their acknowledgements and the pending
alerts without reading the whole audit trail (the window looks every second).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision: str | None = "0014"
branch_labels: str | None = None
depends_on: str | None = None

_APPEND_ONLY = ("security_alert_ack",)


def _triggers() -> list[tuple[str, str]]:
    return [
        (
            f"{table}_no_{operation.lower()}",
            f"BEFORE {operation} ON {table} BEGIN SELECT RAISE(ABORT, 'append-only table'); END",
        )
        for table in _APPEND_ONLY
        for operation in ("UPDATE", "DELETE")
    ]


def upgrade() -> None:
    op.create_table(
        "security_alert_ack",
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("acked_at", sa.String(), nullable=False),
        sa.Column("endpoint", sa.String(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('accepted', 'duplicate')", name="ck_security_alert_ack_outcome"
        ),
        sa.ForeignKeyConstraint(["audit_seq"], ["audit.seq"]),
        sa.PrimaryKeyConstraint("audit_seq"),
        sa.UniqueConstraint("alert_id"),
    )
    op.create_index("ix_audit_action", "audit", ["action", "seq"])
    for name, body in _triggers():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name, _ in _triggers():
        op.execute(f"DROP TRIGGER {name}")
    op.drop_index("ix_audit_action", table_name="audit")
    op.drop_table("security_alert_ack")
