"""Authentication: credentials, badges ever issued, login attempts, locks (docs/auth.md).

Revision ID: 0012
Revises: 0011

Guarded by triggers (compliance P11-E2, P11-U1):
* ``credential``, ``badge_issue``, ``auth_attempt`` and ``user_lock`` are append-only;
* ``station_user`` rows are never deleted and a username never changes (deactivate instead);
* a badge ever issued is never issued again, to anyone: setting a badge that is in
  ``badge_issue`` is refused unless it is already this user's current badge, and every badge
  set on ``station_user`` (by any path: the station, ERP sync, an import) is entered in
  ``badge_issue`` by a trigger. Badges already on ``station_user`` are entered on upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None

_APPEND_ONLY = ("credential", "badge_issue", "auth_attempt", "user_lock")
_ABORT = "BEGIN SELECT RAISE(ABORT, '{}'); END"
_HAS_BADGE = "NEW.badge IS NOT NULL AND NEW.badge <> ''"
_ISSUE = (
    "BEGIN INSERT INTO badge_issue (badge, username, issued_at)"
    " SELECT NEW.badge, NEW.username, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    " WHERE NOT EXISTS (SELECT 1 FROM badge_issue WHERE badge = NEW.badge); END"
)
_REISSUE = "a badge that was ever issued is never issued again"


def _triggers() -> list[tuple[str, str]]:
    triggers = [
        (
            f"{table}_no_{op_name.lower()}",
            f"BEFORE {op_name} ON {table} " + _ABORT.format("append-only table"),
        )
        for table in _APPEND_ONLY
        for op_name in ("UPDATE", "DELETE")
    ]
    triggers += [
        (
            "station_user_no_delete",
            "BEFORE DELETE ON station_user "
            + _ABORT.format("users are deactivated, never deleted"),
        ),
        (
            "station_user_username_fixed",
            "BEFORE UPDATE OF username ON station_user WHEN NEW.username IS NOT OLD.username "
            + _ABORT.format("a username never changes"),
        ),
        (
            "station_user_badge_insert_unused",
            f"BEFORE INSERT ON station_user WHEN {_HAS_BADGE} AND EXISTS "  # noqa: S608 - constants
            "(SELECT 1 FROM badge_issue WHERE badge = NEW.badge) " + _ABORT.format(_REISSUE),
        ),
        (
            "station_user_badge_update_unused",
            f"BEFORE UPDATE OF badge ON station_user WHEN {_HAS_BADGE}"  # noqa: S608 - constants
            " AND NEW.badge IS NOT OLD.badge AND EXISTS"
            " (SELECT 1 FROM badge_issue WHERE badge = NEW.badge) " + _ABORT.format(_REISSUE),
        ),
        (
            "station_user_badge_insert_issue",
            f"AFTER INSERT ON station_user WHEN {_HAS_BADGE} {_ISSUE}",
        ),
        (
            "station_user_badge_update_issue",
            f"AFTER UPDATE OF badge ON station_user WHEN {_HAS_BADGE} {_ISSUE}",
        ),
    ]
    return triggers


def upgrade() -> None:
    op.create_table(
        "credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.Column("pepper_id", sa.String(), nullable=False),
        sa.Column("origin", sa.String(), nullable=False),
        sa.Column("set_at", sa.String(), nullable=False),
        sa.Column("set_by", sa.String(), nullable=True),
        sa.Column("must_change", sa.Boolean(), nullable=False),
        sa.Column("expires_at", sa.String(), nullable=True),
        sa.Column("recorded_at", sa.String(), nullable=False),
        sa.CheckConstraint("kind IN ('pin', 'password')", name="ck_credential_kind"),
        sa.CheckConstraint(
            "origin IN ('initial', 'first_admin', 'change', 'reset', 'rehash')",
            name="ck_credential_origin",
        ),
        sa.ForeignKeyConstraint(["username"], ["station_user.username"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_credential_username", "credential", ["username"])
    op.create_table(
        "badge_issue",
        sa.Column("badge", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("issued_at", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["username"], ["station_user.username"]),
        sa.PrimaryKeyConstraint("badge"),
    )
    op.create_index("ix_badge_issue_username", "badge_issue", ["username"])
    op.create_table(
        "auth_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("station", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=True),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('ok', 'failed', 'refused', 'unlock')", name="ck_auth_attempt_outcome"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_auth_attempt_username", "auth_attempt", ["username", "id"])
    op.create_index("ix_auth_attempt_station_at", "auth_attempt", ["station", "at"])
    op.create_table(
        "user_lock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("by", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.CheckConstraint("action IN ('lock', 'unlock')", name="ck_user_lock_action"),
        sa.ForeignKeyConstraint(["username"], ["station_user.username"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_user_lock_username", "user_lock", ["username"])
    # Badges already handed out (by ERP sync before this revision) count as issued; where two
    # users share one, the first row keeps it and the other can no longer change to it.
    op.execute(
        "INSERT INTO badge_issue (badge, username, issued_at)"
        " SELECT badge, username, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM station_user"
        " WHERE id IN (SELECT min(id) FROM station_user"
        " WHERE badge IS NOT NULL AND badge <> '' GROUP BY badge)"
    )
    for name, body in _triggers():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name, _ in _triggers():
        op.execute(f"DROP TRIGGER {name}")
    for index, table in (
        ("ix_user_lock_username", "user_lock"),
        ("ix_auth_attempt_station_at", "auth_attempt"),
        ("ix_auth_attempt_username", "auth_attempt"),
        ("ix_badge_issue_username", "badge_issue"),
        ("ix_credential_username", "credential"),
    ):
        op.drop_index(index, table_name=table)
    for table in ("user_lock", "auth_attempt", "badge_issue", "credential"):
        op.drop_table(table)
