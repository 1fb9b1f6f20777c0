"""Reading and appending the authentication rows (``station_user``, ``credential``,
``auth_attempt``, ``user_lock``) inside the caller's transaction. No policy here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from station.context import utc_text
from station.persistence import tables

__all__ = [
    "USER_LIST_SYNCED_KEY",
    "CredentialRow",
    "UserRecord",
    "add_attempt",
    "add_credential",
    "add_lock",
    "consecutive_failures",
    "current_credential",
    "find_user",
    "is_locked",
    "last_login",
    "parse_time",
    "station_failures_since",
    "user_by_badge",
    "user_list_synced_at",
]

USER = tables.StationUser.__table__  # type: ignore[attr-defined]
CREDENTIAL = tables.Credential.__table__  # type: ignore[attr-defined]
ATTEMPT = tables.AuthAttempt.__table__  # type: ignore[attr-defined]
LOCK = tables.UserLock.__table__  # type: ignore[attr-defined]
BADGE = tables.BadgeIssue.__table__  # type: ignore[attr-defined]
SYNC_STATE = tables.SyncState.__table__  # type: ignore[attr-defined]
#: The ``sync_state`` key the sync engine (sync/engine.py, MASTER_LAST_SUCCESS) sets after a
#: complete master-data pull; station/ may not import sync/, so the name is repeated here.
USER_LIST_SYNCED_KEY = "master_last_success"


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A user as sign-in sees it now."""

    username: str
    name: str
    roles: frozenset[str]
    badge: str | None
    active: bool
    locked: bool


@dataclass(frozen=True, slots=True)
class CredentialRow:
    """The current secret of a user (the newest ``credential`` row)."""

    id: int
    username: str
    kind: str
    hash: str
    pepper_id: str
    set_at: str
    set_by: str | None
    must_change: bool
    expires_at: str | None


def parse_time(text: str) -> datetime:
    """A stored UTC time (``…Z``) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _user(conn: Connection, row: Any) -> UserRecord:
    return UserRecord(
        username=row.username,
        name=row.name,
        roles=frozenset(row.roles.split()),
        badge=row.badge or None,
        active=bool(row.active),
        locked=is_locked(conn, row.username),
    )


def find_user(conn: Connection, username: str) -> UserRecord | None:
    row = conn.execute(select(USER).where(USER.c.username == username)).first()
    return None if row is None else _user(conn, row)


def user_by_badge(conn: Connection, badge: str) -> UserRecord | None:
    """The user holding ``badge`` now (a badge is issued once, so at most one)."""
    if not badge:
        return None
    row = conn.execute(select(USER).where(USER.c.badge == badge)).first()
    return None if row is None else _user(conn, row)


def current_credential(conn: Connection, username: str) -> CredentialRow | None:
    row = conn.execute(
        select(CREDENTIAL)
        .where(CREDENTIAL.c.username == username)
        .order_by(CREDENTIAL.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return CredentialRow(
        id=row.id,
        username=row.username,
        kind=row.kind,
        hash=row.hash,
        pepper_id=row.pepper_id,
        set_at=row.set_at,
        set_by=row.set_by,
        must_change=bool(row.must_change),
        expires_at=row.expires_at,
    )


def add_credential(
    conn: Connection,
    *,
    username: str,
    kind: str,
    stored_hash: str,
    pepper_id: str,
    origin: str,
    set_at: str,
    set_by: str | None,
    must_change: bool,
    expires_at: str | None,
    now: datetime,
) -> None:
    conn.execute(
        CREDENTIAL.insert().values(
            username=username,
            kind=kind,
            hash=stored_hash,
            pepper_id=pepper_id,
            origin=origin,
            set_at=set_at,
            set_by=set_by,
            must_change=must_change,
            expires_at=expires_at,
            recorded_at=utc_text(now),
        )
    )


def add_attempt(
    conn: Connection,
    *,
    now: datetime,
    station: str,
    username: str | None,
    purpose: str,
    method: str,
    outcome: str,
    reason: str,
) -> None:
    conn.execute(
        ATTEMPT.insert().values(
            at=utc_text(now),
            station=station,
            username=username,
            purpose=purpose,
            method=method,
            outcome=outcome,
            reason=reason,
        )
    )


def consecutive_failures(conn: Connection, username: str) -> tuple[int, datetime | None]:
    """Failed attempts of ``username`` since its last success or unlock, and the newest one."""
    reset = (
        select(func.max(ATTEMPT.c.id))
        .where(ATTEMPT.c.username == username, ATTEMPT.c.outcome.in_(("ok", "unlock")))
        .scalar_subquery()
    )
    count, newest = conn.execute(
        select(func.count(), func.max(ATTEMPT.c.at)).where(
            ATTEMPT.c.username == username,
            ATTEMPT.c.outcome == "failed",
            ATTEMPT.c.id > func.coalesce(reset, 0),
        )
    ).one()
    return int(count), None if newest is None else parse_time(newest)


def station_failures_since(
    conn: Connection, station: str, since: datetime
) -> tuple[int, datetime | None]:
    """Failed attempts at ``station`` from ``since`` on, and the oldest of them."""
    count, oldest = conn.execute(
        select(func.count(), func.min(ATTEMPT.c.at)).where(
            ATTEMPT.c.station == station,
            ATTEMPT.c.outcome == "failed",
            ATTEMPT.c.at >= utc_text(since),
        )
    ).one()
    return int(count), None if oldest is None else parse_time(oldest)


def is_locked(conn: Connection, username: str) -> bool:
    action = conn.execute(
        select(LOCK.c.action).where(LOCK.c.username == username).order_by(LOCK.c.id.desc()).limit(1)
    ).scalar_one_or_none()
    return action == "lock"


def add_lock(
    conn: Connection,
    *,
    username: str,
    action: str,
    now: datetime,
    by: str | None,
    reason: str,
) -> None:
    conn.execute(
        LOCK.insert().values(
            username=username, action=action, at=utc_text(now), by=by, reason=reason
        )
    )


def last_login(conn: Connection, username: str) -> str | None:
    """When ``username`` last signed in successfully (UTC text), or None."""
    value = conn.execute(
        select(func.max(ATTEMPT.c.at)).where(
            ATTEMPT.c.username == username,
            ATTEMPT.c.purpose == "login",
            ATTEMPT.c.outcome == "ok",
        )
    ).scalar_one_or_none()
    return None if value is None else str(value)


def user_list_synced_at(conn: Connection) -> datetime | None:
    """When master data (users with it) was last pulled completely from the ERP, or None."""
    value = conn.execute(
        select(SYNC_STATE.c.value).where(SYNC_STATE.c.key == USER_LIST_SYNCED_KEY)
    ).scalar_one_or_none()
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
