"""Corrections: the ledger is append-only, so a wrong event is declared wrong, never changed.

EPCIS 2.0 (§7.4.1.4) declares an error by capturing a *copy* of the wrong event, identical
except for an added ``errorDeclaration``, so the copy keeps the original ``eventID``; that is
how every receiving system matches it. The ledger's ``event_id`` column is unique, so the
declaration's row gets its own UUIDv7 there and names the original in ``corrects_event_id``.
The corrective event itself is an ordinary draft with ``corrects=<original eventID>``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from station.errors import StationError
from station.events.capture import RecordedEvent, write_event
from station.events.ids import new_event_id
from station.events.parts import ErrorDeclaration
from station.events.timefmt import require_aware, utc_millis
from station.persistence import tables

__all__ = ["CorrectionError", "record_error_declaration"]

_EVENT = tables.metadata.tables["event"]


class CorrectionError(StationError):
    """The event cannot be declared wrong (unknown, itself a declaration, or already declared)."""


def _original(conn: sa.Connection, event_id: str) -> dict[str, Any]:
    query = sa.select(_EVENT.c.payload).where(_EVENT.c.event_id == event_id)
    payload = conn.execute(query).scalar_one_or_none()
    if payload is None:
        msg = f"no event {event_id} in this ledger"
        raise CorrectionError(msg)
    original: dict[str, Any] = json.loads(payload)
    if "errorDeclaration" in original:
        msg = f"{event_id} is an error declaration; declare the event it names instead"
        raise CorrectionError(msg)
    corrections = sa.select(_EVENT.c.payload).where(_EVENT.c.corrects_event_id == event_id)
    for text in conn.execute(corrections).scalars():
        if "errorDeclaration" in json.loads(text):
            msg = f"{event_id} has already been declared in error"
            raise CorrectionError(msg)
    return original


def record_error_declaration(
    conn: sa.Connection,
    event_id: str,
    *,
    reason: str,
    corrective_event_ids: tuple[str, ...] = (),
    actor: str | None,
    station: str,
    now: Callable[[], datetime],
    app_version: str,
    schema_version: str,
) -> RecordedEvent:
    """Declare the recorded event ``event_id`` wrong (``did_not_occur`` / ``incorrect_data``).

    Record the corrective events first, so their eventIDs can be listed here.
    """
    moment = require_aware(now(), "the station clock")
    declaration = ErrorDeclaration(moment, reason, corrective_event_ids).to_epcis()
    declaration["st:station"] = station
    if actor is not None:
        declaration["st:actor"] = actor
    event = {**_original(conn, event_id), "errorDeclaration": declaration}
    metadata = {
        "event_id": new_event_id(),
        "corrects_event_id": event_id,
        "record_time": utc_millis(moment),
        "actor": actor,
        "raw_scan": None,
        "app_version": app_version,
        "schema_version": schema_version,
    }
    return write_event(conn, event, metadata)
