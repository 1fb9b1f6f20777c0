"""Security alerts for the ERP (P11-U7 "queue it with high priority", A11-13 incidents).

A security alert is an alarm-raising audit entry (``security.lockout``,
``security.rate_limit``: :data:`station.auth.alarms.ALARM_ACTIONS`). Like the event outbox, the
queue is derived from rows only: an alert is **pending** while ``security_alert_ack`` has no row
for its audit ``seq`` (migration 0015, append-only). The audit entry is written in the
transaction of the failed attempt, so the alert is queued the moment it happens; the ack is
written only on the centre's explicit answer for that alert (accepted, or already held), so a
lost answer or a restart sends it again and the centre's idempotency by ``alert_id`` answers
``duplicate``.

The sync engine sends pending alerts before any event batch, on every round; they never wait
behind a refused event (they have no lot, serial or container).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from station.auth.alarms import ALARM_ACTIONS, ENTRY_COLUMNS, SecurityEntry, entry_of
from station.context import utc_text
from station.persistence.rawsql import sqlite_connection

__all__ = [
    "ACCEPTED",
    "DUPLICATE",
    "SecurityAlert",
    "alert_id",
    "alerts_pending",
    "pending_alerts",
    "record_alert_acks",
]

ACCEPTED = "accepted"
DUPLICATE = "duplicate"
#: Every alert is urgent; the field lets an ERP route alerts without knowing every kind.
PRIORITY = "high"

_PLACES = ", ".join("?" for _ in ALARM_ACTIONS)
# Constant SQL text: only placeholders are formatted in, never a value.
_PENDING = f" FROM audit e WHERE e.action IN ({_PLACES}) AND NOT EXISTS"
_PENDING += " (SELECT 1 FROM security_alert_ack k WHERE k.audit_seq = e.seq)"
_PENDING_SQL = f"SELECT {ENTRY_COLUMNS}" + _PENDING + " ORDER BY e.seq LIMIT ?"
_COUNT_SQL = "SELECT count(*)" + _PENDING
_ACK_SQL = "INSERT OR IGNORE INTO security_alert_ack"
_ACK_SQL += " (audit_seq, alert_id, outcome, acked_at, endpoint) SELECT seq, ?, ?, ?, ?"
_ACK_SQL += f" FROM audit WHERE seq = ? AND action IN ({_PLACES})"


@dataclass(frozen=True, slots=True)
class SecurityAlert:
    """One alarm-raising audit entry as the centre receives it (:meth:`to_json`)."""

    entry: SecurityEntry

    @property
    def audit_seq(self) -> int:
        return self.entry.seq

    @property
    def kind(self) -> str:
        """The audit action: ``security.lockout`` or ``security.rate_limit``."""
        return self.entry.action

    @property
    def subject(self) -> str | None:
        """The locked username, or the station."""
        return self.entry.entity_id

    @property
    def alert_id(self) -> str:
        """Stable and unique: the station and the audit entry's place in its chain."""
        return alert_id(self.entry.station, self.entry.seq)

    def to_json(self) -> dict[str, Any]:
        entry = self.entry
        return {
            "alert_id": self.alert_id,
            "kind": self.kind,
            "priority": PRIORITY,
            "station": entry.station,
            "at": entry.at,
            "at_offset": entry.at_offset,
            "subject": {"type": entry.entity, "id": self.subject},  # user | station
            "details": entry.new,
            "reason": entry.reason,
            "audit_seq": entry.seq,
            "audit_hash": entry.hash,
        }


def alert_id(station: str, audit_seq: int) -> str:
    """The alert's id: unique per station, and stations have unique ids at the centre.

    >>> alert_id("LINE-2", 42)
    'LINE-2:audit:42'
    """
    return f"{station}:audit:{audit_seq}"


def pending_alerts(conn: Connection, *, limit: int = 100) -> list[SecurityAlert]:
    """The alerts the centre does not hold yet, oldest first."""
    rows = sqlite_connection(conn).execute(_PENDING_SQL, (*ALARM_ACTIONS, limit))
    return [SecurityAlert(entry_of(row)) for row in rows.fetchall()]


def alerts_pending(conn: Connection) -> int:
    """How many alerts the centre does not hold yet."""
    (count,) = sqlite_connection(conn).execute(_COUNT_SQL, ALARM_ACTIONS).fetchone()
    return int(count)


def record_alert_acks(
    conn: Connection,
    alerts: Mapping[str, SecurityAlert],
    answers: Mapping[str, str],
    endpoint: str,
    at: datetime,
) -> int:
    """Record the centre's answers (alert_id → ``accepted``/``duplicate``) for ``alerts`` (by
    alert_id); an alert it said nothing about stays pending, one already acked stays as it
    was. Returns the acks added."""
    raw = sqlite_connection(conn)
    stamp = utc_text(at)
    rows = []
    for ident, outcome in answers.items():
        alert = alerts.get(ident)
        if alert is None:
            continue  # not one we sent: never ack on an answer we did not ask for
        if outcome not in (ACCEPTED, DUPLICATE):
            msg = f"unknown alert outcome {outcome!r}"
            raise ValueError(msg)
        rows.append((ident, outcome, stamp, endpoint, alert.audit_seq, *ALARM_ACTIONS))
    before = raw.total_changes
    raw.executemany(_ACK_SQL, rows)
    return raw.total_changes - before
