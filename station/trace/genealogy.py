"""Recursive genealogy queries: what a thing was made from, what was made from it, what held it.

The ``genealogy`` table mixes three kinds of link, told apart by the event that wrote them:

* **made from** — ``consumed_into`` (TransformationEvent: input lot → output lot) and ``contains``
  written by a commissioning ObjectEvent (lot → unit, from the ILMD lot);
* **packed in** — ``contains`` / ``unpacked`` written by an AggregationEvent (container → content).

Each walk is one ``WITH RECURSIVE`` over identifier URIs joined with ``UNION`` (never ``UNION
ALL``): a URI enters the working set once, so cycles and diamonds terminate after at most one
step per distinct URI. A row cap guards memory; reaching it raises :class:`TraceTooLargeError`
rather than returning a silently short answer — a recall that misses units is worse than one
that refuses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from station.errors import StationError

__all__ = [
    "MAX_NODES",
    "Link",
    "TraceTooLargeError",
    "ancestors",
    "chunks",
    "containers_ever",
    "contents_ever",
    "descendants",
    "links_touching",
]

#: Most identifiers one walk may reach before it refuses (far above any real recall).
MAX_NODES = 2_000_000
_CHUNK = 900  # bound parameters per statement, well under SQLite's limit

_MADE_FROM = (
    "(g.relation = 'consumed_into' OR (g.relation = 'contains' AND e.event_type = 'ObjectEvent'))"
)
_PACKED = "(g.relation IN ('contains', 'unpacked') AND e.event_type = 'AggregationEvent')"


class TraceTooLargeError(StationError):
    """A walk reached :data:`MAX_NODES`; the answer would be incomplete, so none is given."""


@dataclass(frozen=True, slots=True)
class Link:
    parent: str
    child: str
    relation: str
    event_seq: int
    event_type: str


def chunks(uris: Iterable[str]) -> Iterable[list[str]]:
    batch: list[str] = []
    for uri in dict.fromkeys(uris):
        batch.append(uri)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _walk(conn: sa.Connection, seeds: Iterable[str], *, upward: bool, links: str) -> set[str]:
    """Every URI reachable from ``seeds`` (seeds included) along ``links``."""
    here, there = ("child_uri", "parent_uri") if upward else ("parent_uri", "child_uri")
    reached: set[str] = set()
    for batch in chunks(seeds):
        values = ", ".join(f"(:s{i})" for i in range(len(batch)))
        query = sa.text(
            f"WITH RECURSIVE seed(uri) AS (VALUES {values}), "  # noqa: S608 - fixed SQL, bound values
            f"walk(uri) AS (SELECT uri FROM seed UNION "
            f"SELECT g.{there} FROM walk JOIN genealogy g ON g.{here} = walk.uri "
            f"JOIN event e ON e.seq = g.event_seq WHERE {links} LIMIT :cap) "
            f"SELECT uri FROM walk"
        )
        params: dict[str, object] = {f"s{i}": uri for i, uri in enumerate(batch)}
        params["cap"] = MAX_NODES + 1
        # A recall walks to 100,000 units: rows straight from sqlite3, not one by one.
        found = {uri for (uri,) in conn.execute(query, params).cursor.fetchall()}
        if len(found) > MAX_NODES:
            msg = f"the trace reaches more than {MAX_NODES} identifiers; narrow the query"
            raise TraceTooLargeError(msg)
        reached |= found
    return reached


def ancestors(conn: sa.Connection, uris: Iterable[str]) -> set[str]:
    """Backward: every lot the given units or lots were made from, transitively."""
    return _walk(conn, uris, upward=True, links=_MADE_FROM)


def descendants(conn: sa.Connection, uris: Iterable[str]) -> set[str]:
    """Forward: every lot made from the given lots and every unit commissioned in them."""
    return _walk(conn, uris, upward=False, links=_MADE_FROM)


def containers_ever(conn: sa.Connection, uris: Iterable[str]) -> set[str]:
    """Every container that ever held one of ``uris``, at any depth (seeds included)."""
    return _walk(conn, uris, upward=True, links=_PACKED)


def contents_ever(conn: sa.Connection, uris: Iterable[str]) -> set[str]:
    """Everything ever packed into one of ``uris``, at any depth (seeds included)."""
    return _walk(conn, uris, upward=False, links=_PACKED)


def links_touching(conn: sa.Connection, uris: Iterable[str], *, as_child: bool) -> list[Link]:
    """Genealogy rows whose child (or parent) is one of ``uris``, oldest first."""
    column = "child_uri" if as_child else "parent_uri"
    found: list[Link] = []
    for batch in chunks(uris):
        marks = ", ".join(f":u{i}" for i in range(len(batch)))
        query = sa.text(
            "SELECT g.parent_uri, g.child_uri, g.relation, g.event_seq, e.event_type "  # noqa: S608
            f"FROM genealogy g JOIN event e ON e.seq = g.event_seq WHERE g.{column} IN ({marks})"
        )
        rows = conn.execute(query, {f"u{i}": uri for i, uri in enumerate(batch)})
        found.extend(Link(*row) for row in rows)
    found.sort(key=lambda link: (link.event_seq, link.parent, link.child))
    return found
