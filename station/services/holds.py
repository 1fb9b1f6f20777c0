"""Hold and release: ObjectEvent OBSERVE ``holding`` with a persistentDisposition.

A quality hold sets ``non_conformant``; a recall sets ``recalled`` and also records the
disposition ``recalled`` (docs: sync.md §3). A release unsets both and records no disposition:
the item is again what it was before the hold. A hold on a lot URI also moves the lot's
P11-F1 state (see :mod:`station.services.lifecycle`).

Permissions (P11-G1): a hold needs ``lot.hold`` (a recall hold ``recall.run`` as well), a
release ``lot.release``. Four eyes (AUTH-7): nobody releases a hold they put on. For each item
released, the hold in force is every event since the item was last released that set a
persistent disposition on the item itself: hold events and failed inspections (which hold in
the same event). A release by the actor of any of them, or by an unnamed actor, is refused
(``same_person``); the releaser may have recorded other, earlier inspections. A hold the
system placed (no actor) may be released by any named person with ``lot.release``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection

from station.access import LOT_HOLD, LOT_RELEASE, RECALL_RUN, require
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.events.model import Action, ObjectEventDraft
from station.events.parts import PersistentDisposition
from station.persistence.rawsql import sqlite_connection
from station.services import lifecycle
from station.services.errors import Refused
from station.services.lifecycle import LotAction
from station.services.projection import current_state
from station.services.recording import record
from station.services.sites import split_uris, station_location

__all__ = ["hold_actors", "place_hold", "release_hold"]

# Events naming the item itself that may set or unset a hold, oldest first. Error
# declarations are left out: they repeat the payload of the event they declare wrong.
_HOLDING_SQL = (
    "SELECT e.actor, e.payload FROM event e JOIN event_ident i ON i.event_seq = e.seq"
    " WHERE i.uri = ? AND i.role IN ('epc', 'quantity') AND e.corrects_event_id IS NULL"
    "   AND e.biz_step IN ('holding', 'inspecting') ORDER BY e.seq"
)


def hold_actors(conn: Connection, uri: str) -> set[str | None]:
    """Who put the hold now in force on ``uri`` itself: the actors (None: the system) of every
    event that set a persistent disposition on it since it was last released."""
    actors: set[str | None] = set()
    for actor, payload in sqlite_connection(conn).execute(_HOLDING_SQL, (uri,)):
        persistent = json.loads(payload).get("persistentDisposition") or {}
        if persistent.get("unset"):
            actors = set()
        if persistent.get("set"):
            actors.add(actor)
    return actors


def _four_eyes(conn: Connection, ctx: WriteContext, uris: Sequence[str]) -> None:
    for uri in uris:
        if ctx.actor is None:
            raise Refused(
                "same_person",
                "A release needs a named person, or no one can tell it is not the one who"
                " placed the hold.",
                subject=uri,
            )
        if ctx.actor in hold_actors(conn, uri):
            raise Refused(
                "same_person",
                f"{uri} was put on hold by {ctx.actor}: another person must release it.",
                subject=uri,
            )


def _check_known(conn: Connection, uris: Sequence[str], reason: str) -> None:
    if not uris:
        raise Refused("no_items", "Name at least one item.")
    if len(set(uris)) != len(uris):
        raise Refused("duplicate", "An item is named twice.")
    if not reason.strip():
        raise Refused("reason_required", "A reason is required for a hold or release.")
    for uri in uris:
        if current_state(conn, uri) is None:
            raise Refused("unknown_item", f"{uri} has no recorded events.", subject=uri)


def _check_lots(conn: Connection, uris: Sequence[str], action: LotAction) -> None:
    for uri in uris:
        if lifecycle.lot_of(conn, uri) == uri:
            lifecycle.require(conn, uri, action)


def place_hold(
    conn: Connection,
    ctx: WriteContext,
    uris: Sequence[str],
    *,
    reason: str,
    recall: bool = False,
) -> RecordedEvent:
    """Put ``uris`` on hold (``recall``: a recall hold). Refuses an item already on a quality
    hold unless this is a recall, which may be laid over it. Permission ``lot.hold``, and
    ``recall.run`` for a recall hold."""
    require(ctx, LOT_HOLD)
    if recall:
        require(ctx, RECALL_RUN)
    _check_known(conn, uris, reason)
    for uri in uris:
        state = current_state(conn, uri)
        if state is not None and state.on_hold and not recall:
            raise Refused("on_hold", f"{uri} is already on hold.", subject=uri)
    _check_lots(conn, uris, LotAction.HOLD)
    disposition = "recalled" if recall else "non_conformant"
    epcs, quantities = split_uris(uris)
    draft = ObjectEventDraft(
        action=Action.OBSERVE,
        biz_step="holding",
        disposition="recalled" if recall else None,
        epcs=epcs,
        quantities=quantities,
        persistent_disposition=PersistentDisposition(set=(disposition,)),
        biz_location=station_location(conn, ctx),
        reason=reason,
    )
    return record(conn, ctx, draft)


def release_hold(
    conn: Connection, ctx: WriteContext, uris: Sequence[str], *, reason: str
) -> RecordedEvent:
    """Release ``uris`` from every hold; each must be on hold itself, and put on hold by
    someone else (four eyes)."""
    require(ctx, LOT_RELEASE)
    _check_known(conn, uris, reason)
    for uri in uris:
        state = current_state(conn, uri)
        if state is not None and not state.on_hold:
            raise Refused("not_on_hold", f"{uri} is not on hold.", subject=uri)
    _four_eyes(conn, ctx, uris)
    _check_lots(conn, uris, LotAction.RELEASE)
    epcs, quantities = split_uris(uris)
    draft = ObjectEventDraft(
        action=Action.OBSERVE,
        biz_step="holding",
        epcs=epcs,
        quantities=quantities,
        persistent_disposition=PersistentDisposition(unset=("non_conformant", "recalled")),
        biz_location=station_location(conn, ctx),
        reason=reason,
    )
    return record(conn, ctx, draft)
