"""A set of identifiers loaded once — packing history, events, names — and asked about each.

Both trace and recall build one :class:`Scope` for everything they report, so a thousand units
cost a handful of queries rather than a thousand.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from station.trace.containment import Containment, load_containment
from station.trace.events import EventRow, events_naming
from station.trace.genealogy import links_touching
from station.trace.model import ItemStatus
from station.trace.names import Names
from station.trace.resolve import category_of, parts_of
from station.trace.status import applicable_events, fold_status, party

__all__ = ["NOW", "Scope", "load_scope"]

#: A seq after every event: "as of now" for containment questions.
NOW = sys.maxsize


@dataclass(frozen=True, slots=True)
class Scope:
    containment: Containment
    named: dict[str, list[EventRow]]
    names: Names
    unit_lots: dict[str, str]  # unit URI -> the lot URI it was commissioned in

    def containers_ever(self, uri: str) -> list[str]:
        """Every container that held ``uri`` at some time, at any depth."""
        found: list[str] = []
        frontier = [uri]
        while frontier:
            for span in self.containment.intervals.get(frontier.pop(), ()):
                if span.container not in found and span.container != uri:
                    found.append(span.container)
                    frontier.append(span.container)
        return found

    def containers_now(self, uri: str) -> list[str]:
        return self.containment.containers_at(uri, NOW)

    def events_of(self, uri: str) -> list[tuple[EventRow, str]]:
        """(event, via) applying to ``uri``: its own and its containers' while inside."""
        return applicable_events(uri, self.named, self.containment, self.containers_ever(uri))

    def _lot(self, uri: str, own: str | None) -> str | None:
        lot_uri = self.unit_lots.get(uri)
        if own is not None or lot_uri is None:
            return own
        parts = parts_of(lot_uri)
        return parts.lot if parts else None

    def status_of(self, uri: str) -> ItemStatus:
        folded = fold_status([event for event, _ in self.events_of(uri)])
        parts = parts_of(uri)
        return ItemStatus(
            uri=uri,
            kind=category_of(uri),
            gtin=parts.gtin if parts else None,
            lot=self._lot(uri, parts.lot if parts else None),
            serial=parts.serial if parts else None,
            product=self.names.product(uri),
            status=folded.status.value,
            holder=party(folded.holder, self.names.party),
            location=folded.location,
            container=self.containment.current_container(uri),
            last_event_seq=folded.last_event_seq,
        )


def _commissioned_lots(conn: sa.Connection, units: Iterable[str]) -> dict[str, str]:
    return {
        link.child: link.parent
        for link in links_touching(conn, units, as_child=True)
        if link.relation == "contains" and link.event_type == "ObjectEvent"
    }


def load_scope(conn: sa.Connection, items: Iterable[str]) -> Scope:
    wanted = set(items)
    containment = load_containment(conn, wanted)
    containers = {span.container for spans in containment.intervals.values() for span in spans}
    units = [uri for uri in wanted if category_of(uri) == "unit"]
    named = events_naming(conn, wanted | containers)
    return Scope(containment, named, Names(conn), _commissioned_lots(conn, units))
