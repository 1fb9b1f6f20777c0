"""The access review (P11-U5, 11.300(b)): who may sign in, with which roles, since when.

One row per user, in user-name order, for the periodic review a QA manager signs off:
roles, active, locked, last sign-in, the secret's kind and age, must-change and expiry.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from station.auth import records

__all__ = ["ReviewRow", "access_review"]


@dataclass(frozen=True, slots=True)
class ReviewRow:
    username: str
    name: str
    roles: tuple[str, ...]
    badge: str | None
    active: bool
    locked: bool
    last_login: str | None  # UTC text
    secret_kind: str | None  # pin | password; None: no secret at this station
    secret_set_at: str | None  # UTC text
    secret_age_days: int | None
    must_change: bool
    expires_at: str | None
    expired: bool

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["roles"] = list(self.roles)
        return row


def access_review(conn: Connection, *, now: datetime) -> list[ReviewRow]:
    """Every user (active or not) as of ``now``."""
    rows = []
    names = conn.execute(select(records.USER.c.username).order_by(records.USER.c.username))
    for (username,) in names.all():
        user = records.find_user(conn, username)
        assert user is not None
        credential = records.current_credential(conn, username)
        set_at = credential.set_at if credential else None
        expires = credential.expires_at if credential else None
        rows.append(
            ReviewRow(
                username=user.username,
                name=user.name,
                roles=tuple(sorted(user.roles)),
                badge=user.badge,
                active=user.active,
                locked=user.locked,
                last_login=records.last_login(conn, username),
                secret_kind=credential.kind if credential else None,
                secret_set_at=set_at,
                secret_age_days=(now - records.parse_time(set_at)).days if set_at else None,
                must_change=bool(credential and credential.must_change),
                expires_at=expires,
                expired=expires is not None and records.parse_time(expires) <= now,
            )
        )
    return rows
