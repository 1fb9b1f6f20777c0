"""Record an event: payload, chain link, identifiers and genealogy in the caller's transaction.

``record_event`` runs inside ``DbWriter.submit`` (BEGIN IMMEDIATE … COMMIT): it writes the
``event`` row through the ledger's :func:`~station.ledger.append_event` and the derived
``event_ident`` and ``genealogy`` rows with the same connection, so a failure anywhere leaves
nothing behind. Each event is validated against the official schema *before* it is written:
the ledger is append-only, and one invalid event would block every later export.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from station.epcis.schema import validate_event
from station.errors import StationError
from station.events.derive import IdentRow, Link, genealogy_of, idents_of
from station.events.ids import new_event_id
from station.events.model import EventDraft
from station.events.timefmt import require_aware, utc_millis
from station.ledger import append_event, canonical_json
from station.persistence import tables
from station.persistence.rawsql import insert_sql, sqlite_connection

__all__ = [
    "ENTRY_METHODS",
    "InvalidEventError",
    "RecordedEvent",
    "checked_entry_method",
    "record_event",
    "write_event",
]

#: How the codes behind an event reached the station (``st:entryMethod``, compliance P11-H1).
ENTRY_METHODS = frozenset({"scanned", "manual"})

_IDENT_FIELDS = tuple(f.name for f in fields(IdentRow))
_LINK_FIELDS = tuple(f.name for f in fields(Link))
# Prepared once: the index rows are written on the writer's sqlite3 connection (rawsql).
_IDENT_SQL = insert_sql(tables.metadata.tables["event_ident"], ("event_seq", *_IDENT_FIELDS))
_LINK_SQL = insert_sql(tables.metadata.tables["genealogy"], ("event_seq", *_LINK_FIELDS))


class InvalidEventError(StationError):
    """The event would not be valid EPCIS 2.0; nothing was written. ``problems`` says why."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("The event is not valid EPCIS 2.0: " + " | ".join(problems[:3]))


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as written: its place in the chain and its canonical payload."""

    seq: int
    hash: str
    event_id: str
    payload: str
    event: Mapping[str, Any]


def _check(event: Mapping[str, Any]) -> None:
    problems = validate_event(event)
    if problems:
        raise InvalidEventError(problems)


def _columns(event: Mapping[str, Any]) -> dict[str, Any]:
    """The ``event`` columns that come from the payload (the rest are capture metadata)."""
    return {
        "event_id": event["eventID"],
        "event_type": event["type"],
        "action": event.get("action"),
        "biz_step": event.get("bizStep"),
        "disposition": event.get("disposition"),
        "event_time": event["eventTime"],
        "event_tz_offset": event["eventTimeZoneOffset"],
        "read_point": event.get("readPoint", {}).get("id"),
        "biz_location": event.get("bizLocation", {}).get("id"),
        "corrects_event_id": event.get("st:corrects"),
    }


def _insert_idents(conn: sa.Connection, seq: int, rows: list[IdentRow]) -> None:
    if rows:
        values = [{"event_seq": seq, **{f: getattr(r, f) for f in _IDENT_FIELDS}} for r in rows]
        sqlite_connection(conn).executemany(_IDENT_SQL, values)


def _insert_genealogy(conn: sa.Connection, seq: int, links: list[Link]) -> None:
    if links:
        values = [{"event_seq": seq, **{f: getattr(k, f) for f in _LINK_FIELDS}} for k in links]
        sqlite_connection(conn).executemany(_LINK_SQL, values)


def checked_entry_method(method: str) -> str:
    """``method`` if it is an entry method the ledger knows; ValueError otherwise."""
    if method not in ENTRY_METHODS:
        msg = f"an entry method is 'scanned' or 'manual', not {method!r}"
        raise ValueError(msg)
    return method


def write_event(
    conn: sa.Connection,
    event: Mapping[str, Any],
    metadata: Mapping[str, Any],
) -> RecordedEvent:
    """Validate, chain and index one finished EPCIS event dict (shared by the recorders).

    ``metadata``: ``record_time``, ``actor``, ``raw_scan``, ``app_version``,
    ``schema_version`` and, to override the payload's, ``event_id``/``corrects_event_id``.
    """
    _check(event)
    payload = canonical_json(event)
    fields = {**_columns(event), **metadata, "payload": payload}
    link = append_event(conn, fields)
    _insert_idents(conn, link.seq, idents_of(event))
    _insert_genealogy(conn, link.seq, genealogy_of(event))
    return RecordedEvent(link.seq, link.hash, fields["event_id"], payload, event)


def record_event(
    conn: sa.Connection,
    draft: EventDraft,
    *,
    actor: str | None,
    station: str,
    raw_scan: bytes | None,
    now: Callable[[], datetime],
    app_version: str,
    schema_version: str,
    entry_method: str | None = None,
) -> RecordedEvent:
    """Record ``draft`` as a new event; call inside the writer's transaction.

    ``entry_method`` (``scanned`` | ``manual``): how its codes were entered, written as
    ``st:entryMethod``; None when no code was entered. ``now`` is the station clock
    (timezone-aware): it gives ``eventTime``, its offset and the ledger's ``record_time``.
    ``recordTime`` stays out of the payload: in EPCIS it is the
    receiving repository's to set.
    """
    if draft.error_declaration is not None:
        # A declaration is a copy of the wrong event under *its* eventID, not a new event.
        msg = "declare an error with record_error_declaration, not as a new event"
        raise ValueError(msg)
    moment = require_aware(now(), "the station clock")
    extensions: dict[str, Any] = {"st:station": station}
    if actor is not None:
        extensions["st:actor"] = actor
    if raw_scan is not None:
        extensions["st:rawScan"] = raw_scan.hex()
    if entry_method is not None:
        extensions["st:entryMethod"] = checked_entry_method(entry_method)
    event = draft.to_epcis(event_id=new_event_id(), event_time=moment, extensions=extensions)
    metadata = {
        "record_time": utc_millis(moment),
        "actor": actor,
        "raw_scan": raw_scan,
        "app_version": app_version,
        "schema_version": schema_version,
    }
    return write_event(conn, event, metadata)
