"""Events for the storage tests, appended with the real ledger in the writer's transaction.

Each event goes through ``station.ledger.append_event`` (next ``seq``, hash chained to the
previous row) plus one ``event_ident`` row in the same transaction, so a torn transaction
would show as an event without its identifier row, or the reverse. ``check_events`` proves
the structural invariants on a raw sqlite3 handle; ``chain_problems`` runs the ledger's own
verification on a read-only engine.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import Connection, text

from station.ledger import append_event as ledger_append_event
from station.ledger import canonical_json, verify_ledger, verify_tail
from station.persistence.db import close_engine, open_engine

RAW_SCAN = b"]d2\x1d0104012345678901"


def append_event(connection: Connection, event_id: str | None = None) -> tuple[int, str]:
    """Append one ObjectEvent (and its identifier row); returns ``(seq, event_id)``."""
    event_id = event_id or f"urn:uuid:{uuid.uuid4()}"
    at = "2026-11-24T08:15:30.123Z"
    payload = {"eventID": event_id, "type": "ObjectEvent", "action": "OBSERVE", "eventTime": at}
    link = ledger_append_event(
        connection,
        {
            "event_id": event_id,
            "event_type": "ObjectEvent",
            "action": "OBSERVE",
            "event_time": at,
            "event_tz_offset": "+08:00",
            "record_time": at,
            "payload": canonical_json(payload),
            "raw_scan": RAW_SCAN,
            "app_version": "test",
            "schema_version": "2.0",
        },
    )
    connection.execute(
        text(
            "INSERT INTO event_ident (event_seq, role, uri, kind)"
            " VALUES (:seq, 'epc', :uri, 'sgtin')"
        ),
        {"seq": link.seq, "uri": f"https://id.gs1.org/01/04012345678901/21/{link.seq}"},
    )
    return link.seq, event_id


def check_events(db: sqlite3.Connection) -> list[str]:
    """Structural problems: a gap in seq, an event without its identifier row, or the reverse."""
    problems: list[str] = []
    count, low, high = db.execute("SELECT count(*), min(seq), max(seq) FROM event").fetchone()
    if count and (low != 1 or high != count):
        problems.append(f"seq not gapless: {count} events numbered {low}…{high}")
    orphans = db.execute(
        "SELECT count(*) FROM event e WHERE (SELECT count(*) FROM event_ident i"
        " WHERE i.event_seq = e.seq) != 1"
    ).fetchone()[0]
    if orphans:
        problems.append(f"{orphans} events without exactly one event_ident row")
    stray = db.execute(
        "SELECT count(*) FROM event_ident WHERE event_seq NOT IN (SELECT seq FROM event)"
    ).fetchone()[0]
    if stray:
        problems.append(f"{stray} event_ident rows without their event")
    return problems


def chain_problems(path: Path, *, tail: int | None = None) -> list[str]:
    """The ledger's verification (the last ``tail`` records, or all) on a read-only engine."""
    engine = open_engine(path, readonly=True)
    try:
        with engine.connect() as connection:
            report = (
                verify_tail(connection, tail, None) if tail else verify_ledger(connection, None)
            )
            connection.rollback()
    finally:
        close_engine(engine)
    return [str(problem) for problem in report.problems]


def event_ids(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT event_id FROM event")}


def open_readonly(path: object) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def integrity(db: sqlite3.Connection) -> str:
    return ", ".join(row[0] for row in db.execute("PRAGMA integrity_check"))
