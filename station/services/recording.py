"""Record one service event: capture metadata from the context, then the projection.

Services need namespaced extensions beyond capture's own (``st:inspection``, ``st:override``
…), so this builds the event like :func:`station.events.capture.record_event` and hands it to
the shared :func:`~station.events.capture.write_event`; ``item_state`` is updated in the same
transaction so the projection can never lag the ledger.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from station.context import WriteContext
from station.events.capture import RecordedEvent, checked_entry_method, write_event
from station.events.ids import new_event_id
from station.events.model import EventDraft
from station.events.timefmt import utc_millis
from station.persistence.rawsql import sqlite_connection
from station.services import projection

__all__ = ["record", "schema_version"]


def schema_version(conn: Connection) -> str:
    # The schema the row is written under is the database's, not the code's newest migration.
    found = sqlite_connection(conn).execute("SELECT version_num FROM alembic_version").fetchone()
    if found is None:
        msg = "the database has no schema version (alembic_version is empty)"
        raise RuntimeError(msg)
    return str(found[0])


def record(
    conn: Connection,
    ctx: WriteContext,
    draft: EventDraft,
    *,
    raw_scan: bytes | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> RecordedEvent:
    """Write ``draft`` as a new event by ``ctx`` and apply it to ``item_state``."""
    moment = ctx.now()
    own: dict[str, Any] = {"st:station": ctx.station}
    if ctx.actor is not None:
        own["st:actor"] = ctx.actor
        if ctx.actor_name:
            # The printed name at this moment, inside the hashed event: a later rename of the
            # user never changes who the record says did it (as with signatures, P11-S2).
            own["st:actorName"] = ctx.actor_name
    if raw_scan is not None:
        own["st:rawScan"] = raw_scan.hex()
    if ctx.entry_method is not None:
        own["st:entryMethod"] = checked_entry_method(ctx.entry_method)
    event = draft.to_epcis(
        event_id=new_event_id(), event_time=moment, extensions={**own, **(extensions or {})}
    )
    metadata = {
        "record_time": utc_millis(moment),
        "actor": ctx.actor,
        "raw_scan": raw_scan,
        "app_version": ctx.app_version,
        "schema_version": schema_version(conn),
    }
    recorded = write_event(conn, event, metadata)
    projection.apply(conn, recorded)
    return recorded
