"""The outbox: which recorded events the centre does not hold yet, and what it said about them.

Every event enters the outbox in the transaction that records it, because the outbox *is* the
``event`` table: an event is queued while it has no row in ``sync_ack`` (final: the centre holds
it) and no open row in ``sync_rejection`` (the centre refused it; shown in the error list until
someone retries it). Delivery state lives in those two tables, never in the immutable event
rows, and queue state is derived from rows only, never from counters (docs/sync.md §6).

Order: events go out in ``seq`` order (gap-free per station). An event whose lot, serial or
container shares a key with an earlier event still waiting (refused, or itself held back) is
held back too, so a lot's events reach the centre in capture order; every other lot flows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from station.access import SYNC_RETRY, require
from station.context import WriteContext, utc_text
from station.ledger.audit import record_audit
from station.persistence.rawsql import sqlite_connection

__all__ = [
    "Ack",
    "OutboxEvent",
    "OutboxStatus",
    "Rejection",
    "aggregate_keys",
    "get_state",
    "next_batch",
    "open_rejections",
    "outbox_status",
    "record_acks",
    "record_rejections",
    "retry_rejection",
    "set_state",
]

ACCEPTED = "accepted"
DUPLICATE = "duplicate"

# State keys (sync_state).
LAST_SUCCESS = "last_success"
LAST_ATTEMPT = "last_attempt"
LAST_ERROR = "last_error"
LAST_OUTCOME = "last_outcome"  # ok | failed: did the centre answer the last attempt?
CLOCK_OFFSET = "clock_offset_s"

_PENDING_SQL = """
SELECT e.seq, e.event_id, e.payload, e.event_time FROM event e
WHERE e.seq > ?
  AND NOT EXISTS (SELECT 1 FROM sync_ack a WHERE a.seq = e.seq)
  AND NOT EXISTS (SELECT 1 FROM sync_rejection r WHERE r.seq = e.seq AND r.retried_at IS NULL)
ORDER BY e.seq LIMIT ?
"""
_IDENTS_SQL = "SELECT kind, gtin, lot, serial, sscc FROM event_ident WHERE event_seq = ?"
_RANGE_IDENTS_SQL = (
    "SELECT event_seq, kind, gtin, lot, serial, sscc FROM event_ident"
    " WHERE event_seq BETWEEN ? AND ?"
)
_OPEN_SEQS_SQL = "SELECT seq FROM sync_rejection WHERE retried_at IS NULL"


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    """One queued event: its place, identity, exact recorded payload and aggregate keys."""

    seq: int
    event_id: str
    payload: str  # the canonical JSON recorded at capture, sent byte for byte
    keys: frozenset[str]


@dataclass(frozen=True, slots=True)
class Ack:
    seq: int
    event_id: str
    outcome: str  # accepted | duplicate


@dataclass(frozen=True, slots=True)
class Rejection:
    seq: int
    event_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class OpenRejection:
    """A row of the sync error list."""

    id: int
    seq: int
    event_id: str
    reason: str
    rejected_at: str
    endpoint: str
    event_type: str
    biz_step: str | None
    event_time: str


@dataclass(frozen=True, slots=True)
class OutboxStatus:
    """What the sync status line shows (all derived from rows)."""

    queued: int
    errors: int
    held_back: int  # queued events waiting behind a refused event of the same lot/serial
    oldest_queued_at: str | None  # eventTime of the oldest queued event
    last_success: str | None
    last_attempt: str | None
    last_error: str | None
    clock_offset_s: float | None
    online: bool | None = None  # the last attempt reached the centre (None: never tried)


def aggregate_keys(idents: Iterable[Sequence[object]]) -> frozenset[str]:
    """The lots, serials and containers an event is about (its ordering keys).

    ``idents`` are (kind, gtin, lot, serial, sscc) rows of ``event_ident``.

    >>> sorted(aggregate_keys([("sgtin", "09506000134352", "L1", "S9", None),
    ...                        ("sscc", None, None, None, "106141411234567897"),
    ...                        ("location", None, None, None, None)]))
    ['lot:09506000134352/L1', 'serial:09506000134352/S9', 'sscc:106141411234567897']
    """
    keys: set[str] = set()
    for kind, gtin, lot, serial, sscc in idents:
        if kind in ("party", "location", "other"):
            continue
        if gtin and lot:
            keys.add(f"lot:{gtin}/{lot}")
        if gtin and serial:
            keys.add(f"serial:{gtin}/{serial}")
        if sscc:
            keys.add(f"sscc:{sscc}")
    return frozenset(keys)


def _keys_of(raw: sqlite3.Connection, seq: int) -> frozenset[str]:
    cursor = raw.execute(_IDENTS_SQL, (seq,))
    return aggregate_keys(cursor.fetchall())


def _keys_in(raw: sqlite3.Connection, first: int, last: int) -> dict[int, frozenset[str]]:
    """The ordering keys of every event from ``first`` to ``last`` (one query for a page)."""
    idents: dict[int, list[tuple[object, ...]]] = {}
    for seq, *ident in raw.execute(_RANGE_IDENTS_SQL, (first, last)).fetchall():
        idents.setdefault(seq, []).append(tuple(ident))
    return {seq: aggregate_keys(rows) for seq, rows in idents.items()}


def next_batch(
    conn: Connection,
    *,
    limit: int,
    max_bytes: int,
    after: int = 0,
) -> tuple[list[OutboxEvent], int | None]:
    """The next events to send, in seq order, and the lowest queued seq seen (or None).

    At most ``limit`` events whose payloads add up to at most ``max_bytes`` (one event is
    always returned even if larger, so an oversized event is reported, not stuck). Events
    held back behind a refused event of the same lot/serial/container are skipped.
    ``after``: a seq below which nothing is queued (a hint; 0 scans everything).
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    raw = sqlite_connection(conn)
    blocked = _refused_keys(raw)
    batch: list[OutboxEvent] = []
    size = 0
    lowest: int | None = None
    cursor_after = after
    page = max(limit, 16)
    while len(batch) < limit:
        rows = raw.execute(_PENDING_SQL, (cursor_after, page)).fetchall()
        if not rows:
            break
        keys_of = _keys_in(raw, rows[0][0], rows[-1][0])
        for seq, event_id, payload, _time in rows:
            cursor_after = seq
            if lowest is None:
                lowest = seq
            keys = keys_of.get(seq, frozenset())
            if _waits(seq, keys, blocked):
                continue
            cost = len(payload.encode("utf-8")) + 2
            if batch and size + cost > max_bytes:
                return batch, lowest
            batch.append(OutboxEvent(seq, event_id, payload, keys))
            size += cost
            if len(batch) >= limit:
                break
        if len(rows) < page:
            break
    return batch, lowest


def record_acks(conn: Connection, acks: Sequence[Ack], endpoint: str, at: datetime) -> int:
    """Record what the centre confirmed; an event already acknowledged is left as it is."""
    raw = sqlite_connection(conn)
    stamp = utc_text(at)
    before = raw.total_changes
    raw.executemany(
        "INSERT OR IGNORE INTO sync_ack (seq, event_id, outcome, acked_at, endpoint)"
        " SELECT seq, event_id, ?, ?, ? FROM event WHERE seq = ? AND event_id = ?",
        [(a.outcome, stamp, endpoint, a.seq, a.event_id) for a in acks if _valid_outcome(a)],
    )
    return raw.total_changes - before


def _valid_outcome(ack: Ack) -> bool:
    if ack.outcome not in (ACCEPTED, DUPLICATE):
        raise ValueError(f"unknown ack outcome {ack.outcome!r}")
    return True


def record_rejections(
    conn: Connection, rejections: Sequence[Rejection], endpoint: str, at: datetime
) -> int:
    """Put refused events on the error list (once each while open); returns rows added."""
    raw = sqlite_connection(conn)
    stamp = utc_text(at)
    before = raw.total_changes
    raw.executemany(
        "INSERT OR IGNORE INTO sync_rejection (seq, event_id, reason, rejected_at, endpoint)"
        " SELECT seq, event_id, ?, ?, ? FROM event e WHERE seq = ? AND event_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM sync_ack a WHERE a.seq = e.seq)",
        [(r.reason[:4000], stamp, endpoint, r.seq, r.event_id) for r in rejections],
    )
    return raw.total_changes - before


def open_rejections(conn: Connection, limit: int = 1000) -> list[OpenRejection]:
    """The sync error list, oldest first."""
    rows = sqlite_connection(conn).execute(
        "SELECT r.id, r.seq, r.event_id, r.reason, r.rejected_at, r.endpoint,"
        " e.event_type, e.biz_step, e.event_time FROM sync_rejection r"
        " JOIN event e ON e.seq = r.seq WHERE r.retried_at IS NULL ORDER BY r.seq LIMIT ?",
        (limit,),
    )
    return [OpenRejection(*row) for row in rows.fetchall()]


def retry_rejection(conn: Connection, rejection_id: int, ctx: WriteContext) -> bool:
    """Close an open rejection so its event (and those waiting behind it) go out again.

    Needs ``sync.retry``; audited (who retried which event). False when it was not open.
    """
    require(ctx, SYNC_RETRY)
    raw = sqlite_connection(conn)
    row = raw.execute(
        "SELECT seq, event_id, reason FROM sync_rejection WHERE id = ? AND retried_at IS NULL",
        (rejection_id,),
    ).fetchone()
    if row is None:
        return False
    stamp = utc_text(ctx.now())
    raw.execute(
        "UPDATE sync_rejection SET retried_at = ?, retried_by = ? WHERE id = ?",
        (stamp, ctx.actor or "", rejection_id),
    )
    record_audit(
        conn,
        ctx,
        action="sync.retry",
        entity="event",
        entity_id=row[1],
        old={"seq": row[0], "rejected": row[2]},
        reason="the ERP refused it; sent again",
    )
    return True


def set_state(conn: Connection, key: str, value: str, at: datetime) -> None:
    sqlite_connection(conn).execute(
        "INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
        " updated_at = excluded.updated_at",
        (key, value, utc_text(at)),
    )


def get_state(conn: Connection, key: str) -> str | None:
    row = (
        sqlite_connection(conn)
        .execute("SELECT value FROM sync_state WHERE key = ?", (key,))
        .fetchone()
    )
    return None if row is None else str(row[0])


def outbox_status(conn: Connection) -> OutboxStatus:
    raw = sqlite_connection(conn)
    queued, oldest = raw.execute(
        "SELECT count(*), min(e.event_time) FROM event e"
        " WHERE NOT EXISTS (SELECT 1 FROM sync_ack a WHERE a.seq = e.seq)"
        " AND NOT EXISTS (SELECT 1 FROM sync_rejection r"
        "  WHERE r.seq = e.seq AND r.retried_at IS NULL)"
    ).fetchone()
    (errors,) = raw.execute(
        "SELECT count(*) FROM sync_rejection WHERE retried_at IS NULL"
    ).fetchone()
    held = _held_back(raw) if errors else 0
    offset = get_state(conn, CLOCK_OFFSET)
    outcome = get_state(conn, LAST_OUTCOME)
    return OutboxStatus(
        queued=int(queued),
        errors=int(errors),
        held_back=held,
        oldest_queued_at=oldest,
        last_success=get_state(conn, LAST_SUCCESS),
        last_attempt=get_state(conn, LAST_ATTEMPT),
        last_error=get_state(conn, LAST_ERROR),
        clock_offset_s=None if offset is None else float(offset),
        online=None if outcome is None else outcome == "ok",
    )


def _refused_keys(raw: sqlite3.Connection) -> dict[str, int]:
    """Each key of an open rejection → the lowest refused seq naming it."""
    blocked: dict[str, int] = {}
    for (seq,) in raw.execute(_OPEN_SEQS_SQL).fetchall():
        for key in _keys_of(raw, seq):
            blocked[key] = min(seq, blocked.get(key, seq))
    return blocked


def _waits(seq: int, keys: frozenset[str], blocked: dict[str, int]) -> bool:
    """Whether the event ``seq`` must wait behind an earlier refused or waiting event.

    Events before a refused one go out as usual; a waiting event makes its own keys wait
    too (a unit's event waits when its lot's does, and so does the unit's next event).
    """
    if not any(blocked.get(key, seq) < seq for key in keys):
        return False
    for key in keys:
        blocked[key] = min(seq, blocked.get(key, seq))
    return True


def _held_back(raw: sqlite3.Connection) -> int:
    blocked = _refused_keys(raw)
    if not blocked:
        return 0
    rows = raw.execute(_PENDING_SQL, (0, 1 << 62)).fetchall()
    return sum(_waits(seq, _keys_of(raw, seq), blocked) for seq, *_ in rows)
