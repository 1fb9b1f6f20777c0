"""Faster trace and recall at scale: event_ident by (uri, role); item_status.commissioned_in.

Revision ID: 0006
Revises: 0005

* ``ix_event_ident_uri_role`` replaces ``ix_event_ident_uri``: a trace asks for the receipts
  of a component lot that thousands of transformations also name, and the role now filters in
  the index instead of one table read per naming.
* ``item_status.commissioned_in``: the lot a unit was commissioned in (its latest
  ``contains`` link written by an ObjectEvent), which a recall reports for every unit. It is
  filled here by exactly that definition, in SQL, so no projection rebuild is needed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

_BACKFILL = """
UPDATE item_status SET commissioned_in = (
  SELECT g.parent_uri FROM genealogy g JOIN event e ON e.seq = g.event_seq
   WHERE g.child_uri = item_status.uri AND g.relation = 'contains'
     AND e.event_type = 'ObjectEvent'
   ORDER BY g.event_seq DESC, g.parent_uri DESC LIMIT 1)
"""


def upgrade() -> None:
    op.create_index("ix_event_ident_uri_role", "event_ident", ["uri", "role"], unique=False)
    op.drop_index("ix_event_ident_uri", table_name="event_ident")
    op.add_column("item_status", sa.Column("commissioned_in", sa.String(), nullable=True))
    op.execute(_BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("item_status") as table:
        table.drop_column("commissioned_in")
    op.create_index("ix_event_ident_uri", "event_ident", ["uri"], unique=False)
    op.drop_index("ix_event_ident_uri_role", table_name="event_ident")
