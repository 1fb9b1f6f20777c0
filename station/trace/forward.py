"""Forward reach: from lots (or a container) to every unit, container, shipment and customer.

Units come from the made-from walk (lot → lot → unit). Containers are those holding an
affected unit or lot *now* — a unit unpacked from a case no longer counts in it. Shipments
and returns are the events that applied to an affected item at the time (a pallet shipped
before a unit was packed onto it did not ship that unit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from station.trace.events import EventRow
from station.trace.genealogy import contents_ever, descendants
from station.trace.model import Forward, Party, Shipment
from station.trace.resolve import category_of
from station.trace.scope import Scope, load_scope

__all__ = ["Reach", "reach_from"]


@dataclass(frozen=True, slots=True)
class Reach:
    forward: Forward
    scope: Scope
    everything: set[str]


def _shipments(scope: Scope, items: Iterable[str]) -> tuple[list[Shipment], list[str]]:
    shipped: dict[int, tuple[EventRow, set[str]]] = {}
    returns: dict[int, str] = {}
    for uri in items:
        for event, _ in scope.events_of(uri):
            if not event.counts:
                continue
            if event.biz_step == "shipping":
                shipped.setdefault(event.seq, (event, set()))[1].add(uri)
            elif event.disposition == "returned":
                returns[event.seq] = event.event_id
    shipments = []
    for _, (event, uris) in sorted(shipped.items()):
        destinations = event.parties("destination")
        to = Party(destinations[0], scope.names.party(destinations[0])) if destinations else None
        shipments.append(Shipment(event.event_id, event.event_time, to, tuple(sorted(uris))))
    return shipments, [returns[seq] for seq in sorted(returns)]


def reach_from(conn: sa.Connection, seeds: set[str]) -> Reach:
    boxes = {uri for uri in seeds if category_of(uri) == "container"}
    made_from = descendants(conn, seeds - boxes)
    packed = contents_ever(conn, boxes) - boxes
    scope = load_scope(conn, made_from | packed | boxes)
    # From a container, only what is inside it now (at any depth).
    inside_now = {uri for uri in packed if set(scope.containers_now(uri)) & boxes}
    items = made_from | inside_now
    units = sorted(uri for uri in items if category_of(uri) == "unit")
    lots = sorted(uri for uri in items if category_of(uri) == "lot")
    containers = set(boxes) | {uri for uri in inside_now if category_of(uri) == "container"}
    for uri in (*units, *lots):
        containers.update(scope.containers_now(uri))
    shipments, returns = _shipments(scope, (*units, *lots, *sorted(containers)))
    customers = {s.destination.uri: s.destination for s in shipments if s.destination}
    forward = Forward(
        lots=tuple(lots),
        units=tuple(units),
        containers=tuple(sorted(containers)),
        shipments=tuple(shipments),
        customers=tuple(customers[uri] for uri in sorted(customers)),
        returns=tuple(returns),
    )
    return Reach(forward, scope, items | containers | packed)
