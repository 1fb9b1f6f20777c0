"""Hold and release: ObjectEvent OBSERVE ``holding`` with a persistentDisposition.

A quality hold sets ``non_conformant``; a recall sets ``recalled`` and also records the
disposition ``recalled`` (docs: sync.md §3). A release unsets both and records no disposition:
the item is again what it was before the hold. A hold on a lot URI also moves the lot's
P11-F1 state (see :mod:`station.services.lifecycle`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.events.model import Action, ObjectEventDraft
from station.events.parts import PersistentDisposition
from station.services import lifecycle
from station.services.errors import Refused
from station.services.lifecycle import LotAction
from station.services.projection import current_state
from station.services.recording import record
from station.services.sites import split_uris, station_location

__all__ = ["place_hold", "release_hold"]


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
    hold unless this is a recall, which may be laid over it."""
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
    """Release ``uris`` from every hold; each must be on hold itself."""
    _check_known(conn, uris, reason)
    for uri in uris:
        state = current_state(conn, uri)
        if state is not None and not state.on_hold:
            raise Refused("not_on_hold", f"{uri} is not on hold.", subject=uri)
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
