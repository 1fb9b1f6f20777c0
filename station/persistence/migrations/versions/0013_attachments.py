"""Attachments: the bytes of photos (and other files) that recorded events name by SHA-256.

Revision ID: 0013
Revises: 0012

An event names an attachment in its payload by media type, size and SHA-256 (for the QC
bench: ``st:inspection`` ``attachments``), so the event's hash and any signature of it cover
the attachment; the bytes are kept here, keyed by that SHA-256. The table is append-only
(compliance P11-E2): BEFORE UPDATE and BEFORE DELETE triggers abort any change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None

_APPEND_ONLY = ("attachment",)


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
        "attachment",
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("media_type", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=True),
        sa.CheckConstraint(
            "media_type IN ('image/png', 'image/jpeg')", name="ck_attachment_media_type"
        ),
        sa.PrimaryKeyConstraint("sha256"),
    )
    for name, body in _triggers():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name, _ in _triggers():
        op.execute(f"DROP TRIGGER {name}")
    op.drop_table("attachment")
