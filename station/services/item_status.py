"""Each item's trace status (stock, shipped, returned, holds) kept per event.

A recall reports the status of every affected item. Folding each item's history at query time
(:func:`station.trace.status.fold_status` over the events that applied to it) costs tens of
microseconds per item: seconds for a 100,000-unit recall. This projection keeps the fold's
result instead, updated in each event's transaction, in the status columns of the item's
``item_state`` row (``status``, ``status_holder``, ``status_location``, ``holds``,
``shipped_to``, ``status_event_seq``, ``commissioned_in``), so a recall reads one row per item.

The rules are the fold's, applied one event at a time:

* an ObjectEvent or TransactionEvent applies to the items it names and to everything inside a
  named container at that moment (``item_state``'s parent links are the containment *now*, and
  events are applied in order);
* it sets ``last_event_seq``, replaces ``location`` when it has a bizLocation, adds and removes
  persistent dispositions (``holds``), and shipping sets ``status`` shipped and ``holder`` (its
  first destination; ``shipped_to`` keeps each such party once, in order), a receiving with
  disposition ``returned`` sets ``status`` returned and clears ``holder``;
* a commissioning ObjectEvent's ``contains`` link sets the unit's ``commissioned_in`` (the
  latest wins, as the trace reads genealogy);
* an error declaration takes the declared event out of every history it was in, so the items
  it applied to are folded again from their events (the reference fold, exactly).

Tests check the projection against the fold for every item of the demo factory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from station.events.ids import parse_uri
from station.persistence.rawsql import sqlite_connection
from station.trace.genealogy import contents_ever
from station.trace.scope import load_scope
from station.trace.status import fold_status

__all__ = ["COUNTING_TYPES", "StatusRow", "apply_event", "fold_rows", "read_rows"]

#: Event types the status fold counts (aggregations and transformations only move or make).
COUNTING_TYPES = frozenset({"ObjectEvent", "TransactionEvent"})
_NOT_ITEMS = frozenset({"source", "destination"})  # parties and places, not items

# Kept in item_state's status columns (one row per item; migration 0008).
_STATUS = (
    "uri, status, status_holder, status_location, holds, shipped_to, status_event_seq,"
    " commissioned_in"
)
_SELECT_SQL = f"SELECT {_STATUS} FROM item_state WHERE uri = ?"  # noqa: S608 - fixed text
_UPDATE_SQL = (
    "UPDATE item_state SET status = :status, status_holder = :holder,"
    " status_location = :location, holds = :holds, shipped_to = :shipped_to,"
    " status_event_seq = :last_event_seq, commissioned_in = :commissioned_in WHERE uri = :uri"
)
# An item only a TransactionEvent named has no item_state row yet: it gets one.
_INSERT_SQL = (
    "INSERT INTO item_state (uri, kind, gtin, lot, serial, on_hold, last_event_seq, status,"
    " status_holder, status_location, holds, shipped_to, status_event_seq, commissioned_in)"
    " VALUES (:uri, :kind, :gtin, :lot, :serial, 0, :last_event_seq, :status, :holder,"
    " :location, :holds, :shipped_to, :last_event_seq, :commissioned_in)"
)
_RESET_SQL = (
    "UPDATE item_state SET status = 'in_stock', status_holder = NULL, status_location = NULL,"
    " holds = '[]', shipped_to = '[]', status_event_seq = NULL, commissioned_in = NULL"
    " WHERE uri = ?"
)
_READ_MANY_SQL = (
    f"SELECT {_STATUS} FROM json_each(?) j JOIN item_state s ON s.uri = j.value"  # noqa: S608
    " WHERE s.status_event_seq IS NOT NULL"
)
_CONTENTS_SQL = (
    "WITH RECURSIVE inside(uri) AS ("
    " SELECT uri FROM item_state WHERE parent_uri = ?"
    " UNION SELECT s.uri FROM item_state s JOIN inside i ON s.parent_uri = i.uri)"
    " SELECT uri FROM inside"
)


@dataclass(slots=True)
class StatusRow:
    """One item's folded status; ``status`` is in_stock, shipped or returned (holds apart)."""

    uri: str
    status: str = "in_stock"
    holder: str | None = None
    location: str | None = None
    holds: list[str] = field(default_factory=list)
    shipped_to: list[str] = field(default_factory=list)
    last_event_seq: int | None = None
    commissioned_in: str | None = None  # the lot of its latest commissioning link

    def values(self) -> dict[str, Any]:
        return {
            "uri": self.uri,
            "status": self.status,
            "holder": self.holder,
            "location": self.location,
            "holds": json.dumps(self.holds),
            "shipped_to": json.dumps(self.shipped_to),
            "last_event_seq": self.last_event_seq,
            "commissioned_in": self.commissioned_in,
        }


def _row(found: Sequence[Any]) -> StatusRow:
    uri, status, holder, location, holds, shipped_to, last, made_in = found
    holds_list, shipped = json.loads(holds), json.loads(shipped_to)
    return StatusRow(uri, status, holder, location, holds_list, shipped, last, made_in)


def read_rows(conn: Connection, uris: Iterable[str]) -> dict[str, StatusRow]:
    """The kept rows of ``uris`` (items no counting event reached have none: in stock)."""
    listed = json.dumps(sorted(set(uris)))
    found = sqlite_connection(conn).execute(_READ_MANY_SQL, (listed,)).fetchall()
    return {row[0]: _row(row) for row in found}


def _targets(conn: Connection, named: Iterable[str]) -> list[str]:
    db = sqlite_connection(conn)
    targets = dict.fromkeys(named)
    for uri in list(targets):
        targets.update(dict.fromkeys(inner for (inner,) in db.execute(_CONTENTS_SQL, (uri,))))
    return sorted(targets)


def _step(row: StatusRow, seq: int, event: Mapping[str, Any]) -> None:
    """One counting event folded into ``row``, as ``fold_status`` does."""
    row.last_event_seq = seq
    row.location = event.get("bizLocation", {}).get("id") or row.location
    persistent = event.get("persistentDisposition", {})
    holds = set(row.holds) | {str(v) for v in persistent.get("set", ())}
    row.holds = sorted(holds - {str(v) for v in persistent.get("unset", ())})
    if event.get("bizStep") == "shipping":
        destinations = [item["destination"] for item in event.get("destinationList", ())]
        row.status = "shipped"
        row.holder = destinations[0] if destinations else row.holder
        # A shipment goes to its first destination (the trace's rule), kept once per party.
        if destinations and destinations[0] not in row.shipped_to:
            row.shipped_to.append(destinations[0])
    elif event.get("disposition") == "returned":
        row.status, row.holder = "returned", None


def fold_rows(conn: Connection, uris: Iterable[str]) -> dict[str, StatusRow]:
    """Each item's row folded afresh from its events: the reference the projection equals."""
    wanted = sorted(set(uris))
    scope = load_scope(conn, wanted)
    rows: dict[str, StatusRow] = {}
    for uri in wanted:
        events = [event for event, _ in scope.events_of(uri)]
        row = StatusRow(uri, commissioned_in=scope.unit_lots.get(uri))
        for event in events:
            if event.counts and event.event_type in COUNTING_TYPES:
                _step(row, event.seq, event.payload)
        folded = fold_status(events)  # the trace's own fold decides where the two could differ
        if (folded.holder, folded.location, folded.last_event_seq) != (
            row.holder,
            row.location,
            row.last_event_seq,
        ):
            msg = f"item_status fold disagrees with the trace fold for {uri}"
            raise AssertionError(msg)
        if row.last_event_seq is not None:
            rows[uri] = row
    return rows


def _refold(conn: Connection, declared: Mapping[str, Any]) -> None:
    """An error declaration: fold again every item the declared event could have applied to."""
    named = [str(uri) for uri in _named(declared)]
    affected = contents_ever(conn, named) if named else set()
    db = sqlite_connection(conn)
    folded = fold_rows(conn, affected)
    for uri in sorted(affected):
        if uri in folded:
            _write(conn, folded[uri], exists=True)
        else:
            db.execute(_RESET_SQL, (uri,))


def _named(event: Mapping[str, Any]) -> list[str]:
    from station.events.derive import idents_of  # noqa: PLC0415 - keeps this module's deps small

    return [row.uri for row in idents_of(event) if row.role not in _NOT_ITEMS]


def apply_event(conn: Connection, seq: int, event: Mapping[str, Any]) -> None:
    """Bring ``item_status`` up to date with one recorded event (its own transaction)."""
    if "errorDeclaration" in event:
        _refold(conn, event)
        return
    if event["type"] not in COUNTING_TYPES:
        return
    db = sqlite_connection(conn)
    commissioned = _commissioning_links(event)
    for uri in _targets(conn, _named(event)):
        found = db.execute(_SELECT_SQL, (uri,)).fetchone()
        row = _row(found) if found is not None else StatusRow(uri)
        _step(row, seq, event)
        row.commissioned_in = commissioned.get(uri, row.commissioned_in)
        _write(conn, row, exists=found is not None)


def _write(conn: Connection, row: StatusRow, *, exists: bool) -> None:
    db = sqlite_connection(conn)
    if exists:
        db.execute(_UPDATE_SQL, row.values())
        return
    parts = parse_uri(row.uri)
    identity = {"kind": parts.kind, "gtin": parts.gtin, "lot": parts.lot, "serial": parts.serial}
    db.execute(_INSERT_SQL, {**row.values(), **identity})


def _commissioning_links(event: Mapping[str, Any]) -> dict[str, str]:
    """Unit → lot for the ``contains`` links this ObjectEvent writes (commissioning, ILMD)."""
    if event["type"] != "ObjectEvent":
        return {}
    from station.events.derive import genealogy_of  # noqa: PLC0415 - as in _named

    return {
        link.child_uri: link.parent_uri
        for link in genealogy_of(event)
        if link.relation == "contains"
    }
