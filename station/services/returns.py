"""Customer returns: ObjectEvent OBSERVE ``receiving`` ``returned`` against an RMA.

The source is the customer the items were shipped to (``item_state.holder``); returned items
stay ``returned`` and cannot ship again until a later workflow re-inspects them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from station.access import RETURN, require
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.events.ids import transaction_urn
from station.events.model import Action, ObjectEventDraft
from station.events.parts import BizTransaction, SourceDest
from station.services import lifecycle
from station.services.errors import Refused
from station.services.items import known
from station.services.lifecycle import LotAction
from station.services.recording import record
from station.services.sites import split_uris, station_location

__all__ = ["receive_return"]


def receive_return(
    conn: Connection, ctx: WriteContext, *, uris: Sequence[str], rma: str, reason: str
) -> RecordedEvent:
    """Receive shipped ``uris`` back from their customer under return authorisation ``rma``
    (permission ``returns.receive``)."""
    require(ctx, RETURN)
    if not uris or len(set(uris)) != len(uris):
        raise Refused("no_items", "Name each returned item once.")
    if not reason.strip() or not rma.strip():
        raise Refused("reason_required", "A return needs its RMA number and a reason.")
    holders = set()
    for uri in uris:
        state = known(conn, uri)
        if state.holder is None or state.disposition != "in_transit":
            raise Refused("not_shipped", f"{uri} was not shipped to a customer.", subject=uri)
        holders.add(state.holder)
        lot = lifecycle.lot_of(conn, uri)
        if lot is not None:
            lifecycle.require(conn, lot, LotAction.RETURN)
    if len(holders) != 1:
        raise Refused("mixed_customers", "These items were shipped to different customers.")
    here = station_location(conn, ctx)
    epcs, quantities = split_uris(uris)
    draft = ObjectEventDraft(
        action=Action.OBSERVE,
        biz_step="receiving",
        disposition="returned",
        epcs=epcs,
        quantities=quantities,
        biz_location=here,
        biz_transactions=(BizTransaction("rma", transaction_urn("rma", rma)),),
        sources=(SourceDest("owning_party", holders.pop()),),
        destinations=(SourceDest("location", here),),
        reason=reason,
    )
    return record(conn, ctx, draft)
