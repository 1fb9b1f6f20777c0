"""Put everything of a recall that is still in our hands on a recall hold.

"In our hands" means not shipped: in stock, returned, or on a quality hold (a recall hold is
laid over it). Shipped units are the customers' to quarantine; the recall report lists them.
The hold itself is the services' :func:`station.services.holds.place_hold` with
``recall=True`` — one ObjectEvent (bizStep ``holding``, disposition ``recalled``,
persistentDisposition set ``recalled``) naming every held unit — so holds placed from a recall
and from the hold screen are the same fact.
"""

from __future__ import annotations

import sqlalchemy as sa

from station.access import LOT_HOLD, RECALL_RUN, require
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.services.holds import place_hold
from station.trace.model import ItemStatus, RecallResult, Status

__all__ = ["in_our_hands", "place_recall_holds"]


def in_our_hands(result: RecallResult) -> list[str]:
    """URIs to hold: unshipped units, and unshipped lots that have no serialised units."""
    serialised_lots = {unit.lot for unit in result.units if unit.lot is not None}

    def ours(item: ItemStatus) -> bool:
        return item.status != Status.SHIPPED

    uris = [unit.uri for unit in result.units if ours(unit)]
    uris += [
        lot.uri
        for lot in result.lots
        if ours(lot) and lot.lot not in serialised_lots and lot.last_event_seq is not None
    ]
    return uris


def place_recall_holds(
    conn: sa.Connection, ctx: WriteContext, result: RecallResult, *, reason: str
) -> RecordedEvent | None:
    """Record one recall hold on :func:`in_our_hands`; None when nothing is left to hold.

    Call inside the writer's transaction (``writer.submit``), like every recorder.
    Permissions ``recall.run`` and ``lot.hold``, checked even when nothing is left to hold, so
    the answer never depends on the data.
    """
    require(ctx, RECALL_RUN)
    require(ctx, LOT_HOLD)
    uris = in_our_hands(result)
    if not uris:
        return None
    return place_hold(conn, ctx, uris, reason=reason, recall=True)
