"""Shipping against a sales order: ObjectEvent OBSERVE ``shipping`` ``in_transit``.

Shipping a container ships everything inside it (EPCIS lets the SSCC stand for its content),
so every item inside is checked too, and the refusal names the first offending one.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from station.access import SHIP, require
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.events.ids import transaction_urn
from station.events.model import Action, ObjectEventDraft
from station.events.parts import BizTransaction, SourceDest
from station.events.vocab import SALES_ORDER
from station.services import lifecycle
from station.services.errors import Refused
from station.services.items import commissioned, known, not_held
from station.services.lifecycle import LotAction, LotState
from station.services.orders import Order, order, product_by_di, product_on_order
from station.services.packing import IN_STOCK
from station.services.projection import descendants
from station.services.recording import record
from station.services.sites import party_uri, split_uris, station_location

__all__ = ["ship"]


def _check_item(
    conn: Connection,
    so: Order,
    uri: str,
    covered: set[str],
    lot_states: dict[str, LotState | None],
) -> None:
    """Refuse ``uri`` unless it may ship; ``lot_states`` caches lot states for this one call."""
    state = known(conn, uri)
    if state.kind != "sscc" and not commissioned(conn, uri):
        raise Refused("not_commissioned", f"{uri} has no label identity.", subject=uri)
    if state.parent_uri is not None and state.parent_uri not in covered:
        raise Refused("in_container", f"{uri} is packed in {state.parent_uri}.", subject=uri)
    not_held(conn, uri)
    if state.disposition not in IN_STOCK:
        raise Refused("not_released", f"{uri} is {state.disposition}.", subject=uri)
    lot = lifecycle.lot_of(conn, uri)
    if lot is not None:
        # Defence in depth: a commissioned unit's lot is LABELLED or SHIPPED by construction.
        if lot not in lot_states:  # nothing is written between the checks of one call
            lot_states[lot] = lifecycle.lot_state(conn, lot)
        state_now = lot_states[lot]
        if lifecycle.next_state(state_now, LotAction.SHIP) is None:
            raise Refused("wrong_state", f"{uri}: lot {lot} is {state_now}.", subject=uri)
    if state.kind != "sscc":
        product = product_by_di(conn, state.gtin)
        if not product_on_order(conn, "so", so.id, product.id):
            raise Refused("not_on_order", f"{uri} is not on {so.number}.", subject=uri)


def ship(
    conn: Connection, ctx: WriteContext, *, so_number: str, uris: Sequence[str]
) -> RecordedEvent:
    """Ship ``uris`` (units, lots, containers) to the sales order's customer
    (permission ``shipping.ship``)."""
    require(ctx, SHIP)
    so = order(conn, "so", so_number)
    if not uris or len(set(uris)) != len(uris):
        raise Refused("no_items", "Name each item to ship once.")
    covered = [inner for uri in uris for inner in (uri, *descendants(conn, uri))]
    covered_set = set(covered)
    lot_states: dict[str, LotState | None] = {}
    for item in covered:
        _check_item(conn, so, item, covered_set, lot_states)
    epcs, quantities = split_uris(uris)
    here = station_location(conn, ctx)
    draft = ObjectEventDraft(
        action=Action.OBSERVE,
        biz_step="shipping",
        disposition="in_transit",
        epcs=epcs,
        quantities=quantities,
        biz_location=here,
        biz_transactions=(BizTransaction(SALES_ORDER, transaction_urn("so", so_number)),),
        destinations=(SourceDest("owning_party", party_uri(so.party_code, so.party_gln)),),
    )
    return record(conn, ctx, draft)
