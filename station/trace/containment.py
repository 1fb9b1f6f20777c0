"""Which container held what, and when: packing intervals rebuilt from the ledger.

A child is in a container from the packing event until the first later event that takes it
out: an unpacking of that pair, an "unpack all" of the container (an AggregationEvent DELETE
naming no children — its genealogy has no rows, so the event itself is read), or packing the
child into another container (a thing is in one place at a time). The latest relation wins.
Intervals are half-open in ``seq``: ``[packed, removed)``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from station.persistence.rawsql import sqlite_connection
from station.trace.genealogy import containers_ever, links_touching

__all__ = ["Containment", "Interval", "load_containment"]


@dataclass(frozen=True, slots=True)
class Interval:
    container: str
    start: int
    end: int | None  # None: still inside


@dataclass(frozen=True, slots=True)
class Containment:
    """Packing history of some identifiers and of every container above them."""

    intervals: dict[str, tuple[Interval, ...]]

    def containers_at(self, uri: str, seq: int) -> list[str]:
        """The containers holding ``uri`` just after event ``seq``, innermost first."""
        found: list[str] = []
        frontier = [uri]
        while frontier:
            child = frontier.pop()
            for interval in self.intervals.get(child, ()):
                inside = interval.start <= seq and (interval.end is None or seq < interval.end)
                if inside and interval.container not in found and interval.container != uri:
                    found.append(interval.container)
                    frontier.append(interval.container)
        return found

    def current_container(self, uri: str) -> str | None:
        """The innermost container holding ``uri`` now, or None."""
        for interval in self.intervals.get(uri, ()):
            if interval.end is None:
                return interval.container
        return None


_UNPACK_ALL_SQL = """
SELECT p.uri, e.seq FROM json_each(?) j
  JOIN event_ident p ON p.uri = j.value AND p.role = 'parent'
  JOIN event e ON e.seq = p.event_seq
 WHERE e.event_type = 'AggregationEvent' AND e.action = 'DELETE'
   AND NOT EXISTS (SELECT 1 FROM event_ident c WHERE c.event_seq = e.seq AND c.role = 'child')
"""


def _unpack_all(conn: sa.Connection, containers: set[str]) -> dict[str, list[int]]:
    """Seqs of "unpack all" events (AggregationEvent DELETE without children) per container."""
    if not containers:
        return {}
    found: dict[str, list[int]] = defaultdict(list)
    listed = json.dumps(sorted(containers))  # looked up by URI: no scan of every event
    for uri, seq in sqlite_connection(conn).execute(_UNPACK_ALL_SQL, (listed,)):
        found[uri].append(seq)
    return found


def load_containment(conn: sa.Connection, uris: Iterable[str]) -> Containment:
    """Intervals for ``uris`` and all their containers, from the aggregation links."""
    everything = containers_ever(conn, uris)
    links = [
        link
        for link in links_touching(conn, everything, as_child=True)
        if link.event_type == "AggregationEvent"
    ]
    emptied = _unpack_all(conn, {link.parent for link in links})
    open_spans: dict[str, dict[str, int]] = defaultdict(dict)  # child -> container -> start
    closed: dict[str, list[Interval]] = defaultdict(list)
    for link in links:  # oldest first
        spans = open_spans[link.child]
        if link.relation == "contains":
            for other, start in list(spans.items()):  # moved: out of its previous container
                closed[link.child].append(Interval(other, start, link.event_seq))
                del spans[other]
            spans[link.parent] = link.event_seq
        elif link.parent in spans:
            closed[link.child].append(Interval(link.parent, spans.pop(link.parent), link.event_seq))
    intervals: dict[str, tuple[Interval, ...]] = {}
    for child in set(open_spans) | set(closed):
        spans_now = [
            _cut(Interval(container, start, None), emptied.get(container, ()))
            for container, start in open_spans[child].items()
        ]
        everyone = [_cut(s, emptied.get(s.container, ())) for s in closed[child]] + spans_now
        intervals[child] = tuple(sorted(everyone, key=lambda s: s.start))
    return Containment(intervals)


def _cut(span: Interval, emptied_at: Iterable[int]) -> Interval:
    """End ``span`` at the first "unpack all" of its container after it began."""
    later = [seq for seq in emptied_at if seq > span.start and (span.end is None or seq < span.end)]
    return Interval(span.container, span.start, min(later)) if later else span
