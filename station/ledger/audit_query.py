"""Reading the audit trail for people: filter, count, show, export (the Audit screen).

The ``audit`` table is one hash chain (``station.ledger.chain``); this module only reads it.
Times are stored as UTC text with milliseconds (``2026-03-02T00:00:00.000Z``) plus the
station's offset at the time (``+08:00``), so a date range becomes a text range on ``at`` and
every entry is shown in the local time it was recorded in. Filters are plain substring
matches (case-insensitive for ASCII), never patterns: a user cannot inject ``%`` or ``_``.
The CSV export guards every cell against formulas (SEC-9) and is UTF-8 with a BOM.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from station.access import AUDIT_VIEW, require
from station.context import WriteContext, utc_text
from station.masterdata.csvio import guard_cell

__all__ = [
    "CSV_COLUMNS",
    "AuditFilter",
    "AuditRow",
    "audit_choices",
    "audit_count",
    "audit_csv_text",
    "audit_rows",
    "iter_audit_rows",
    "local_time",
]

_COLUMNS = (
    "seq",
    "at",
    "at_offset",
    "actor",
    "actor_name",
    "action",
    "entity",
    "entity_id",
    "old_value",
    "new_value",
    "reason",
    "station",
    "app_version",
)
_TEXT_COLUMNS = (
    "actor",
    "actor_name",
    "action",
    "entity",
    "entity_id",
    "old_value",
    "new_value",
    "reason",
    "station",
)
CSV_COLUMNS = (
    "seq",
    "time (local, with offset)",
    "time (UTC)",
    "actor",
    "actor name",
    "action",
    "entity",
    "entity id",
    "old value",
    "new value",
    "reason",
    "station",
    "app version",
)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What to show; empty fields do not filter. ``since`` is inclusive, ``until`` exclusive
    (both aware datetimes)."""

    user: str = ""  # actor id or printed name contains
    action: str = ""  # exactly this action
    entity: str = ""  # entity or entity id contains
    since: datetime | None = None
    until: datetime | None = None
    text: str = ""  # any text column contains

    def is_empty(self) -> bool:
        return self == AuditFilter()

    def as_json(self) -> dict[str, str | None]:
        """The filter as recorded with an export."""
        return {
            "user": self.user or None,
            "action": self.action or None,
            "entity": self.entity or None,
            "since": utc_text(self.since) if self.since else None,
            "until": utc_text(self.until) if self.until else None,
            "text": self.text or None,
        }


@dataclass(frozen=True, slots=True)
class AuditRow:
    seq: int
    at: str
    at_offset: str
    actor: str | None
    actor_name: str | None
    action: str
    entity: str | None
    entity_id: str | None
    old_value: str | None
    new_value: str | None
    reason: str | None
    station: str
    app_version: str

    @property
    def local_at(self) -> str:
        return local_time(self.at, self.at_offset)


def local_time(at: str, offset: str) -> str:
    """``2026-03-02T00:00:00.000Z`` at ``+08:00`` → ``2026-03-02 08:00:00.000 +08:00``;
    stored text that does not parse is returned as it is.

    >>> local_time("2026-03-02T00:00:00.123Z", "+08:00")
    '2026-03-02 08:00:00.123 +08:00'
    >>> local_time("garbage", "+08:00")
    'garbage'
    """
    try:
        moment = datetime.strptime(at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        sign = -1 if offset.startswith("-") else 1
        hours, minutes = offset.lstrip("+-").split(":")
        shift = timedelta(hours=int(hours), minutes=int(minutes)) * sign
    except ValueError:
        return at
    local = moment + shift
    return local.strftime("%Y-%m-%d %H:%M:%S.") + f"{local.microsecond // 1000:03d} {offset}"


def _where(flt: AuditFilter) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}

    def contains(columns: Iterable[str], key: str, value: str) -> None:
        params[key] = value.lower()
        either = " OR ".join(f"instr(lower(coalesce({c}, '')), :{key}) > 0" for c in columns)
        clauses.append(f"({either})")

    if flt.user:
        contains(("actor", "actor_name"), "user", flt.user)
    if flt.action:
        clauses.append("action = :action")
        params["action"] = flt.action
    if flt.entity:
        contains(("entity", "entity_id"), "entity", flt.entity)
    if flt.text:
        contains(_TEXT_COLUMNS, "text", flt.text)
    if flt.since is not None:
        clauses.append("at >= :since")
        params["since"] = utc_text(flt.since)
    if flt.until is not None:
        clauses.append("at < :until")
        params["until"] = utc_text(flt.until)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def audit_count(conn: sa.Connection, ctx: WriteContext, flt: AuditFilter) -> int:
    """How many entries match ``flt`` (permission ``audit.view``)."""
    require(ctx, AUDIT_VIEW)
    where, params = _where(flt)
    return int(conn.execute(sa.text(f"SELECT count(*) FROM audit{where}"), params).scalar_one())  # noqa: S608


def audit_rows(
    conn: sa.Connection,
    ctx: WriteContext,
    flt: AuditFilter,
    *,
    limit: int | None = None,
    newest_first: bool = True,
) -> list[AuditRow]:
    """The entries matching ``flt``, newest first unless asked otherwise; at most ``limit``
    (permission ``audit.view``, checked before anything is read: P11-G1)."""
    return list(iter_audit_rows(conn, ctx, flt, limit=limit, newest_first=newest_first))


def iter_audit_rows(
    conn: sa.Connection,
    ctx: WriteContext,
    flt: AuditFilter,
    *,
    limit: int | None = None,
    newest_first: bool = True,
) -> Iterator[AuditRow]:
    """As :func:`audit_rows`, one entry at a time (exports of the whole trail)."""
    require(ctx, AUDIT_VIEW)
    where, params = _where(flt)
    order = "DESC" if newest_first else "ASC"
    tail = ""
    if limit is not None:
        tail = " LIMIT :limit"
        params["limit"] = limit
    query = f"SELECT {', '.join(_COLUMNS)} FROM audit{where} ORDER BY seq {order}{tail}"  # noqa: S608
    for row in conn.execute(sa.text(query), params):
        yield AuditRow(*row)


def audit_choices(conn: sa.Connection) -> tuple[list[str], list[str]]:
    """The distinct actions and actors recorded, sorted (for the filter lists)."""
    actions = conn.execute(sa.text("SELECT DISTINCT action FROM audit ORDER BY action"))
    actors = conn.execute(
        sa.text("SELECT DISTINCT actor FROM audit WHERE actor IS NOT NULL ORDER BY actor")
    )
    return [str(a) for (a,) in actions], [str(a) for (a,) in actors]


def _csv_row(row: AuditRow) -> list[str]:
    cells = (
        str(row.seq),
        row.local_at,
        row.at,
        row.actor,
        row.actor_name,
        row.action,
        row.entity,
        row.entity_id,
        row.old_value,
        row.new_value,
        row.reason,
        row.station,
        row.app_version,
    )
    return [guard_cell(cell or "") for cell in cells]


def audit_csv_text(rows: Iterable[AuditRow]) -> str:
    """The entries as CSV text (no BOM), a header row first; every cell formula-guarded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(_csv_row(row))
    return buffer.getvalue()
