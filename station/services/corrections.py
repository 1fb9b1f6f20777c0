"""Declaring a recorded event wrong (EPCIS errorDeclaration), the service entry point.

:func:`station.events.correction.record_error_declaration` writes the declaration; this
checks the permission first (``record.correct``, P11-G1), takes who, where and when from the
context like every other service, and keeps the projections current in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection

from station.access import RECORD_CORRECT, require
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.events.correction import record_error_declaration
from station.services import projection
from station.services.recording import schema_version

__all__ = ["declare_error"]


def declare_error(
    conn: Connection,
    ctx: WriteContext,
    event_id: str,
    *,
    reason: str,
    corrective_event_ids: tuple[str, ...] = (),
) -> RecordedEvent:
    """Declare the recorded event ``event_id`` wrong (``did_not_occur`` / ``incorrect_data``).

    Record the corrective events first, so their eventIDs can be listed here. Raises
    :class:`~station.events.correction.CorrectionError` for an unknown event, a declaration,
    or an event already declared in error.
    """
    require(ctx, RECORD_CORRECT)
    declared = record_error_declaration(
        conn,
        event_id,
        reason=reason,
        corrective_event_ids=corrective_event_ids,
        actor=ctx.actor,
        station=ctx.station,
        now=ctx.now,
        app_version=ctx.app_version,
        schema_version=schema_version(conn),
    )
    projection.apply(conn, declared)
    return declared
