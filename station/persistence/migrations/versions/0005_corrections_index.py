"""Index event.corrects_event_id: traces look up error declarations on every query.

Revision ID: 0005
Revises: 0004

Without it, finding the (rare) declarations scanned every event: about a second per trace at
a million events.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index("ix_event_corrects_event_id", "event", ["corrects_event_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_event_corrects_event_id", table_name="event")
