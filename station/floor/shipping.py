"""Shipping: the checks of :func:`station.services.shipping.ship` for one scanned item.

Shipping a container ships what is inside, so the item and everything in it is checked; the
refusal names the first offending one, with the service's reason code (``not_on_order``,
``on_hold``, ``not_released`` — in transit, returned, recalled, non-conformant — ``unknown_item``,
``not_commissioned``, ``in_container``, ``wrong_state``).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection

from station.services import lifecycle
from station.services.errors import Refused
from station.services.items import commissioned, known, not_held
from station.services.lifecycle import LotAction
from station.services.orders import order, product_by_di, product_on_order
from station.services.packing import IN_STOCK
from station.services.projection import descendants

__all__ = ["check_ship_item"]


def _check(conn: Connection, so_id: int, so_number: str, uri: str, covered: set[str]) -> None:
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
        now = lifecycle.lot_state(conn, lot)
        if lifecycle.next_state(now, LotAction.SHIP) is None:
            raise Refused("wrong_state", f"{uri}: lot {lot} is {now}.", subject=uri)
    if state.kind != "sscc":
        product = product_by_di(conn, state.gtin)
        if not product_on_order(conn, "so", so_id, product.id):
            raise Refused("not_on_order", f"{uri} is not on {so_number}.", subject=uri)


def check_ship_item(
    conn: Connection, *, so_number: str, uri: str, also: Collection[str] = ()
) -> tuple[Refused | None, list[str]]:
    """(why ``uri`` may not ship on the SO or None, the items it stands for: itself and
    everything inside it). ``also``: items already listed for the same shipment."""
    inside = [uri, *descendants(conn, uri)] if uri not in also else [uri]
    try:
        so = order(conn, "so", so_number)
        if uri in also:
            raise Refused("no_items", "Name each item to ship once.", subject=uri)
        covered = set(inside) | set(also)
        for item in inside:
            _check(conn, so.id, so_number, item, covered)
    except Refused as refused:
        return refused, inside
    return None, inside
