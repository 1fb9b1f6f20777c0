"""Electronic signatures (21 CFR Part 11): per-user signing keys and the signature chain.

Revision ID: 0011
Revises: 0010

Both tables are append-only (compliance P11-S3, P11-E2): BEFORE UPDATE and BEFORE DELETE
triggers abort any change. A signing key is retired by a newer row for the same user, never
updated, so old public keys stay to verify old signatures. ``signature`` is a hash chain with
a gapless ``seq`` like ``audit``, so a deleted row breaks the chain.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None

_APPEND_ONLY = ("signing_key", "signature")


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
        "signing_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("public_key", sa.String(), nullable=False),
        sa.Column("sealed_private_key", sa.String(), nullable=False),
        sa.Column("kdf", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_id"),
    )
    op.create_index("ix_signing_key_username", "signing_key", ["username"], unique=False)
    op.create_table(
        "signature",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("record_kind", sa.String(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("signer", sa.String(), nullable=False),
        sa.Column("meaning", sa.String(), nullable=False),
        sa.Column("signed_at", sa.String(), nullable=False),
        sa.Column("key_id", sa.String(), nullable=False),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("signature", sa.String(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("hash"),
    )
    op.create_index("ix_signature_record_id", "signature", ["record_id"], unique=False)
    for name, body in _triggers():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name, _ in _triggers():
        op.execute(f"DROP TRIGGER {name}")
    op.drop_index("ix_signature_record_id", table_name="signature")
    op.drop_table("signature")
    op.drop_index("ix_signing_key_username", table_name="signing_key")
    op.drop_table("signing_key")
