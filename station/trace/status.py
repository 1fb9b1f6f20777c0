"""The current status of a unit, lot or container, folded from the events that applied to it.

An event applies to an item when it names the item itself, or names a container that held the
item at that moment (shipping a pallet ships every unit on it). In ``seq`` order:

* shipping → ``shipped``, holder = the event's destination party;
* a receiving with disposition ``returned`` → ``returned``, holder cleared (back with us);
* a persistentDisposition ``set`` puts a hold, its ``unset`` releases it; while any hold
  stands on an item we hold (not shipped), the status is ``on_hold``.

Events declared in error are skipped. Anything never shipped is ``in_stock``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from station.trace.containment import Containment
from station.trace.events import EventRow
from station.trace.model import Party, Status

__all__ = ["Folded", "applicable_events", "fold_status", "party"]


@dataclass(frozen=True, slots=True)
class Folded:
    status: Status
    holder: str | None
    location: str | None
    last_event_seq: int | None


def applicable_events(
    uri: str,
    named: Mapping[str, Sequence[EventRow]],
    containment: Containment,
    containers: Sequence[str],
) -> list[tuple[EventRow, str]]:
    """(event, via) for ``uri``: its own events and its containers' while it was inside."""
    found: dict[int, tuple[EventRow, str]] = {e.seq: (e, "self") for e in named.get(uri, ())}
    for container in containers:
        for event in named.get(container, ()):
            # Packing other things into or out of the container is not this item's history.
            about_contents = event.payload.get("parentID") == container
            if event.seq in found or about_contents:
                continue
            if container in containment.containers_at(uri, event.seq):
                found[event.seq] = (event, f"container {container}")
    return [found[seq] for seq in sorted(found)]


def fold_status(events: Sequence[EventRow]) -> Folded:
    status, holder, location, last = Status.IN_STOCK, None, None, None
    holds: set[str] = set()
    for event in events:
        if not event.counts or event.event_type not in ("ObjectEvent", "TransactionEvent"):
            continue
        last = event.seq
        location = event.biz_location or location
        holds |= set(event.persistent("set"))
        holds -= set(event.persistent("unset"))
        if event.biz_step == "shipping":
            destinations = event.parties("destination")
            status, holder = Status.SHIPPED, destinations[0] if destinations else holder
        elif event.disposition == "returned":
            status, holder = Status.RETURNED, None
    if holds and status is not Status.SHIPPED:
        status = Status.ON_HOLD
    return Folded(status, holder, location, last)


def party(uri: str | None, names: Callable[[str], str | None]) -> Party | None:
    return None if uri is None else Party(uri, names(uri))
