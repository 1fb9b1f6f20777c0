"""SSCC counter: the serial references a station hands out for new containers, durably.

Revision ID: 0014
Revises: 0013

A new SSCC (extension digit + GS1 company prefix + serial reference + check digit) is taken
from ``sscc_counter`` and written to ``sscc_allocation`` in a transaction of its own, committed
before its label is printed, so a crash between printing and packing can never hand the same
number out twice. The counter is kept per prefix and per *block* — the range of serial
references this station may use (setting ``labels.sscc_block``) — so two stations sharing a
company prefix, each with its own block, never make the same SSCC.

Guarded by triggers, like the serial counter (compliance P11-E2):
* ``sscc_allocation`` is append-only;
* ``sscc_counter`` may only grow, keeps its key, and no row may be deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None

_ABORT = "BEGIN SELECT RAISE(ABORT, '{}'); END"
_TRIGGERS = (
    (
        "sscc_allocation_no_update",
        "BEFORE UPDATE ON sscc_allocation " + _ABORT.format("append-only table"),
    ),
    (
        "sscc_allocation_no_delete",
        "BEFORE DELETE ON sscc_allocation " + _ABORT.format("append-only table"),
    ),
    (
        "sscc_counter_only_grows",
        "BEFORE UPDATE ON sscc_counter WHEN NEW.next_reference <= OLD.next_reference"
        " OR NEW.prefix IS NOT OLD.prefix OR NEW.block_first IS NOT OLD.block_first"
        " OR NEW.block_last IS NOT OLD.block_last "
        + _ABORT.format("SSCC serial references only grow"),
    ),
    (
        "sscc_counter_no_delete",
        "BEFORE DELETE ON sscc_counter " + _ABORT.format("SSCC serial references only grow"),
    ),
)


def upgrade() -> None:
    op.create_table(
        "sscc_counter",
        sa.Column("prefix", sa.String(), nullable=False),
        sa.Column("block_first", sa.Integer(), nullable=False),
        sa.Column("block_last", sa.Integer(), nullable=False),
        sa.Column("next_reference", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "block_first <= block_last AND next_reference >= block_first",
            name="ck_sscc_counter_block",
        ),
        sa.PrimaryKeyConstraint("prefix", "block_first", "block_last"),
    )
    op.create_table(
        "sscc_allocation",
        sa.Column("sscc", sa.String(), nullable=False),
        sa.Column("prefix", sa.String(), nullable=False),
        sa.Column("reference", sa.Integer(), nullable=False),
        sa.Column("station", sa.String(), nullable=False),
        sa.Column("allocated_at", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("sscc"),
    )
    for name, body in _TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name, _ in _TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.drop_table("sscc_allocation")
    op.drop_table("sscc_counter")
