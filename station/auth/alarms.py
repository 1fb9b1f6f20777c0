"""Security alarms at the station (P11-U7, AUTH-3): a lockout or the station's rate limit is an
alarm until someone who may review the audit trail acknowledges it.

The alarms are the audit entries themselves (``security.lockout``, ``security.rate_limit``,
written by :mod:`station.auth.login` in the transaction of the failed attempt); an alarm is
**open** while no ``security.alarm_ack`` entry names its audit ``seq``. Nothing else holds
alarm state, so a restart shows exactly the alarms nobody acknowledged, and the record of who
acknowledged what, and when, is the audit trail itself.

Acknowledging needs :data:`ACK_PERMISSION` (``audit.view``: supervisor, QA manager,
administrator): acknowledging is reviewing a security entry, and the policy has no narrower
permission that supervisors hold (``user.manage``, which unlocks, is the administrator's).
Acknowledging does not unlock a user; :func:`unlockers` says who can.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from station.access import AUDIT_VIEW, POLICY, USER_MANAGE, require
from station.context import WriteContext
from station.ledger.audit import record_audit
from station.persistence.rawsql import sqlite_connection

__all__ = [
    "ACK_PERMISSION",
    "ALARM_ACK",
    "ALARM_ACTIONS",
    "ENTRY_COLUMNS",
    "LOCKOUT",
    "RATE_LIMIT",
    "SecurityEntry",
    "acknowledge_alarms",
    "entry_of",
    "open_alarms",
    "security_entries",
    "unlockers",
]

LOCKOUT = "security.lockout"
RATE_LIMIT = "security.rate_limit"
#: The audit actions that raise an alarm at the station and an alert at the ERP.
ALARM_ACTIONS: tuple[str, ...] = (LOCKOUT, RATE_LIMIT)
ALARM_ACK = "security.alarm_ack"
ACK_PERMISSION = AUDIT_VIEW

#: The audit columns a :class:`SecurityEntry` is read from, in :func:`entry_of`'s order.
ENTRY_COLUMNS = "seq, action, at, at_offset, station, entity, entity_id, new_value, reason, hash"
_PLACES = ", ".join("?" for _ in ALARM_ACTIONS)
# Constant SQL text (no input in it); ix_audit_action (migration 0015) serves both queries.
_ENTRIES_SQL = (
    f"SELECT {ENTRY_COLUMNS} FROM audit WHERE action IN ({_PLACES}) AND seq > ?"  # noqa: S608
    " ORDER BY seq LIMIT ?"
)
_OPEN_SQL = (
    f"SELECT {ENTRY_COLUMNS} FROM audit e WHERE e.action IN ({_PLACES})"  # noqa: S608
    " AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.action = ? AND a.entity = 'audit'"
    " AND a.entity_id = CAST(e.seq AS TEXT)) ORDER BY e.seq LIMIT ?"
)
_USERS_SQL = "SELECT username, name, roles FROM station_user WHERE active ORDER BY username"


@dataclass(frozen=True, slots=True)
class SecurityEntry:
    """One alarm-raising audit entry, as recorded (``new`` parsed from its canonical JSON)."""

    seq: int
    action: str
    at: str  # UTC, milliseconds
    at_offset: str
    station: str
    entity: str | None  # "user" for a lockout, "station" for the rate limit
    entity_id: str | None  # the locked username, or the station
    new: dict[str, Any]
    reason: str | None
    hash: str

    @property
    def subject(self) -> str:
        """Whom the alarm is about: the locked user, or the station."""
        return self.entity_id or self.station


def entry_of(row: Sequence[Any]) -> SecurityEntry:
    """The entry of a row selected as :data:`ENTRY_COLUMNS`."""
    seq, action, at, offset, station, entity, entity_id, new_value, reason, digest = row
    new = json.loads(new_value) if new_value else {}
    return SecurityEntry(
        int(seq), action, at, offset, station, entity, entity_id, new, reason, digest
    )


def security_entries(conn: Connection, *, after: int = 0, limit: int = 1000) -> list[SecurityEntry]:
    """The alarm-raising entries with audit ``seq`` above ``after``, oldest first."""
    rows = sqlite_connection(conn).execute(_ENTRIES_SQL, (*ALARM_ACTIONS, after, limit))
    return [entry_of(row) for row in rows.fetchall()]


def open_alarms(conn: Connection, *, limit: int = 1000) -> list[SecurityEntry]:
    """The alarms nobody has acknowledged yet, oldest first."""
    rows = sqlite_connection(conn).execute(_OPEN_SQL, (*ALARM_ACTIONS, ALARM_ACK, limit))
    return [entry_of(row) for row in rows.fetchall()]


def acknowledge_alarms(
    conn: Connection, ctx: WriteContext, seqs: Sequence[int], *, note: str | None = None
) -> int:
    """Acknowledge the open alarms among ``seqs``: one ``security.alarm_ack`` entry each (who
    and when are the entry's actor and time). Returns how many were still open.

    Needs :data:`ACK_PERMISSION`; an alarm acknowledged meanwhile (another window, the
    command line) is left as it is.
    """
    require(ctx, ACK_PERMISSION)
    wanted = set(seqs)
    count = 0
    for alarm in open_alarms(conn):
        if alarm.seq not in wanted:
            continue
        record_audit(
            conn,
            ctx,
            action=ALARM_ACK,
            entity="audit",
            entity_id=str(alarm.seq),
            old={"alarm": alarm.action, "subject": alarm.subject, "acknowledged": False},
            new={"alarm": alarm.action, "subject": alarm.subject, "acknowledged": True},
            reason=note or "security alarm acknowledged at the station",
        )
        count += 1
    return count


def unlockers(conn: Connection) -> list[tuple[str, str]]:
    """(username, printed name) of the active users whose roles may unlock a user: whom a
    locked-out user should call."""
    found = []
    for username, name, roles in sqlite_connection(conn).execute(_USERS_SQL).fetchall():
        if any(USER_MANAGE in POLICY.get(role, frozenset()) for role in str(roles).split()):
            found.append((str(username), str(name)))
    return found
