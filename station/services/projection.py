"""``item_state``: the current state of every identifier, kept in step with the ledger.

:func:`apply` runs in the transaction of each event; :func:`rebuild` recomputes the table from
the stored payloads alone with the same code, so the two can be compared (tests do). Rules:

* an ObjectEvent sets its subjects' disposition, location and, when shipping, the holder (a
  receipt clears it); a container's contents follow it, since EPCIS lets an event on an SSCC
  stand for everything inside;
* ``persistentDisposition`` ``non_conformant``/``recalled`` set → ``on_hold``, unset → released;
* an AggregationEvent ADD sets the children's ``parent_uri``, DELETE clears it;
* a TransformationEvent gives its outputs disposition and location; inputs are only touched.

``lot_state`` holds each lot's P11-F1 state (``lotrules``): after an event has been applied to
``item_state``, every lot it touches — named itself, or through a serialised unit it names or
that sits inside a container it names — takes the transition :func:`lotrules.action_of` gives.
That is the fold ``lifecycle.folded_lot_state`` does over a lot's whole history, done once per
event; tests check the two agree on every lot.

Error declarations are skipped by both paths alike (a corrected event stays applied until the
correction workflow defines its projection).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, select, text

from station.events.capture import RecordedEvent
from station.events.derive import idents_of
from station.events.ids import lgtin_uri, parse_uri
from station.persistence import tables
from station.persistence.rawsql import select_by_sql, sqlite_connection, upsert_sql
from station.services import item_status
from station.services.lotrules import LotState, action_of, next_state

__all__ = [
    "HOLD_DISPOSITIONS",
    "ItemState",
    "apply",
    "current_state",
    "descendants",
    "differences",
    "held_by",
    "projected_lot_state",
    "rebuild",
    "up_to_date",
]

_log = logging.getLogger(__name__)

ITEM_STATE = tables.metadata.tables["item_state"]
LOT_STATE = tables.metadata.tables["lot_state"]
EVENT = tables.metadata.tables["event"]
#: Persistent dispositions that stop an item from moving on.
HOLD_DISPOSITIONS = frozenset({"non_conformant", "recalled"})


@dataclass(frozen=True, slots=True)
class ItemState:
    uri: str
    kind: str
    gtin: str | None
    lot: str | None
    serial: str | None
    disposition: str | None
    biz_location: str | None
    parent_uri: str | None
    holder: str | None
    on_hold: bool
    last_event_seq: int
    # The trace status columns (kept by station.services.item_status; see tables.ItemState).
    status: str = "in_stock"
    status_holder: str | None = None
    status_location: str | None = None
    holds: str = "[]"
    shipped_to: str = "[]"
    status_event_seq: int | None = None
    commissioned_in: str | None = None


def held_by(conn: Connection, uri: str) -> str | None:
    """The identifier whose hold stops ``uri``: itself, its lot, or a container around it."""
    seen: set[str] = set()
    current: str | None = uri
    while current is not None and current not in seen:
        seen.add(current)
        state = current_state(conn, current)
        if state is None:
            return None
        if state.on_hold:
            return current
        if state.kind == "sgtin" and state.gtin and state.lot:
            lot = current_state(conn, lgtin_uri(state.gtin, state.lot))
            if lot is not None and lot.on_hold:
                return lot.uri
        current = state.parent_uri
    return None


# The per-event path runs prepared SQL on the writer's sqlite3 connection (rawsql's reason).
_COLUMNS = tuple(c.name for c in ITEM_STATE.columns)
_SELECT_SQL = select_by_sql(ITEM_STATE, "uri")
_UPSERT_SQL = upsert_sql(ITEM_STATE, "uri")
_DESCENDANTS_SQL = (
    "WITH RECURSIVE inside(uri) AS ("
    " SELECT uri FROM item_state WHERE parent_uri = :root"
    " UNION SELECT s.uri FROM item_state s JOIN inside i ON s.parent_uri = i.uri)"
    " SELECT uri FROM inside ORDER BY uri"
)


def current_state(conn: Connection, uri: str) -> ItemState | None:
    """The projected state of ``uri``; None if no event has named it."""
    found = sqlite_connection(conn).execute(_SELECT_SQL, (uri,)).fetchone()
    if found is None:
        return None
    row = dict(zip(_COLUMNS, found, strict=True))
    return ItemState(**{**row, "on_hold": bool(row["on_hold"])})


def _load(conn: Connection, uri: str, seq: int) -> dict[str, Any]:
    found = sqlite_connection(conn).execute(_SELECT_SQL, (uri,)).fetchone()
    if found is not None:
        row = dict(zip(_COLUMNS, found, strict=True))
        return {**row, "on_hold": bool(row["on_hold"]), "last_event_seq": seq}
    parts = parse_uri(uri)
    return {
        "uri": uri,
        "kind": parts.kind,
        "gtin": parts.gtin,
        "lot": parts.lot,
        "serial": parts.serial,
        "disposition": None,
        "biz_location": None,
        "parent_uri": None,
        "holder": None,
        "on_hold": False,
        "last_event_seq": seq,
        "status": "in_stock",
        "status_holder": None,
        "status_location": None,
        "holds": "[]",
        "shipped_to": "[]",
        "status_event_seq": None,
        "commissioned_in": None,
    }


def _save(conn: Connection, row: Mapping[str, Any]) -> None:
    sqlite_connection(conn).execute(_UPSERT_SQL, dict(row))


def descendants(conn: Connection, uri: str) -> list[str]:
    """Everything inside ``uri`` (contents of contents too), by the projected parent links."""
    found = sqlite_connection(conn).execute(_DESCENDANTS_SQL, {"root": uri}).fetchall()
    return [str(uri) for (uri,) in found]


def _subjects(event: Mapping[str, Any]) -> list[str]:
    return [*event.get("epcList", ()), *(q["epcClass"] for q in event.get("quantityList", ()))]


def _supplied_lot(event: Mapping[str, Any]) -> str | None:
    """The lot a serialised unit belongs to: ILMD at commissioning, the supplier's at receipt."""
    lot = event.get("ilmd", {}).get("cbvmda:lotNumber")
    if lot is None:
        lot = event.get("st:supplierLot", {}).get("lotNumber")
    return lot if isinstance(lot, str) else None


def _holder(event: Mapping[str, Any], previous: str | None) -> str | None:
    if event.get("bizStep") == "shipping":
        parties = [d["destination"] for d in event.get("destinationList", ())]
        return parties[0] if parties else previous
    return None if event.get("bizStep") == "receiving" else previous


def _object_event(conn: Connection, seq: int, event: Mapping[str, Any]) -> None:
    persistent = event.get("persistentDisposition", {})
    sets_hold = bool(HOLD_DISPOSITIONS & set(persistent.get("set", ())))
    clears_hold = bool(HOLD_DISPOSITIONS & set(persistent.get("unset", ())))
    lot = _supplied_lot(event)
    for uri in _subjects(event):
        for target in (uri, *descendants(conn, uri)):
            row = _load(conn, target, seq)
            row["disposition"] = event.get("disposition", row["disposition"])
            row["biz_location"] = event.get("bizLocation", {}).get("id", row["biz_location"])
            row["holder"] = _holder(event, row["holder"])
            if target == uri:
                if row["kind"] == "sgtin" and row["lot"] is None:
                    row["lot"] = lot
                row["on_hold"] = True if sets_hold else False if clears_hold else row["on_hold"]
            _save(conn, row)


def _aggregation_event(conn: Connection, seq: int, event: Mapping[str, Any]) -> None:
    parent = event["parentID"]
    row = _load(conn, parent, seq)
    row["disposition"] = event.get("disposition", row["disposition"])
    row["biz_location"] = event.get("bizLocation", {}).get("id", row["biz_location"])
    _save(conn, row)
    children = list(event.get("childEPCs", ()))
    if not children and event["action"] == "DELETE":
        children = _direct(conn, parent)  # "unpack all": whatever the container held
    for child in children:
        child_row = _load(conn, child, seq)
        child_row["parent_uri"] = parent if event["action"] == "ADD" else None
        _save(conn, child_row)


def _direct(conn: Connection, parent: str) -> list[str]:
    query = select(ITEM_STATE.c.uri).where(ITEM_STATE.c.parent_uri == parent)
    return list(conn.execute(query.order_by(ITEM_STATE.c.uri)).scalars())


def _transformation_event(conn: Connection, seq: int, event: Mapping[str, Any]) -> None:
    for item in event.get("inputQuantityList", ()):
        _save(conn, _load(conn, item["epcClass"], seq))
    for uri in event.get("inputEPCList", ()):
        _save(conn, _load(conn, uri, seq))
    outputs = [*event.get("outputEPCList", ())]
    outputs += [q["epcClass"] for q in event.get("outputQuantityList", ())]
    for uri in outputs:
        row = _load(conn, uri, seq)
        row["disposition"] = event.get("disposition", row["disposition"])
        row["biz_location"] = event.get("bizLocation", {}).get("id", row["biz_location"])
        _save(conn, row)


_LOT_SELECT_SQL = "SELECT state FROM lot_state WHERE lot_uri = ?"
_LOT_UPSERT_SQL = upsert_sql(LOT_STATE, "lot_uri")
_NOT_NAMING = frozenset({"source", "destination"})  # parties, not the lot's own history


def projected_lot_state(conn: Connection, lot: str) -> LotState | None:
    """The lot's P11-F1 state as of the last event; None if no event has touched it."""
    found = sqlite_connection(conn).execute(_LOT_SELECT_SQL, (lot,)).fetchone()
    return None if found is None else LotState(found[0])


def _is_lot(uri: str) -> bool:
    parts = parse_uri(uri)
    return parts.kind == "lgtin" or bool(parts.scheme and parts.lot and not parts.serial)


def _touched_lots(conn: Connection, event: Mapping[str, Any]) -> dict[str, bool]:
    """Lot URI → whether the event names it itself, for every lot the event touches.

    A serialised unit belongs to its GTIN's lot as ``item_state`` records it (set from ILMD
    at commissioning or from the supplier lot at receipt); containers stand for the units
    inside them, at any depth, as ``item_state`` links them now.
    """
    named = {row.uri for row in idents_of(event) if row.role not in _NOT_NAMING}
    lots = {uri: True for uri in named if _is_lot(uri)}
    units = {uri for uri in named if parse_uri(uri).kind == "sgtin"}
    for uri in named - units - lots.keys():
        units.update(inner for inner in descendants(conn, uri) if parse_uri(inner).kind == "sgtin")
    for unit in sorted(units):
        state = current_state(conn, unit)
        if state is not None and state.gtin and state.lot:
            lots.setdefault(lgtin_uri(state.gtin, state.lot), False)
    return lots


def _apply_lots(conn: Connection, seq: int, event: Mapping[str, Any]) -> None:
    db = sqlite_connection(conn)
    for lot, direct in sorted(_touched_lots(conn, event).items()):
        action = action_of(event, lot, direct)
        if action is None:
            continue
        before = projected_lot_state(conn, lot)
        after = next_state(before, action)
        if after is None:
            # Services refuse such an action, so only a ledger written around them holds one
            # (tests, imports). The fold skips it too: the state stays, and it is reported.
            _log.error("lot %s: event %d (%s) is not allowed in state %s", lot, seq, action, before)
            continue
        db.execute(_LOT_UPSERT_SQL, {"lot_uri": lot, "state": after.value, "last_event_seq": seq})


def _apply_event(conn: Connection, seq: int, event: Mapping[str, Any]) -> None:
    item_status.apply_event(conn, seq, event)  # before item_state: containment as it stood
    if "errorDeclaration" in event:
        return
    kind = event["type"]
    if kind == "ObjectEvent":
        _object_event(conn, seq, event)
    elif kind == "AggregationEvent" and event.get("action") in ("ADD", "DELETE"):
        _aggregation_event(conn, seq, event)
    elif kind == "TransformationEvent":
        _transformation_event(conn, seq, event)
    _apply_lots(conn, seq, event)


_MARK_SQL = (
    "INSERT INTO projection_mark (id, event_seq) VALUES (1, ?)"
    " ON CONFLICT (id) DO UPDATE SET event_seq = excluded.event_seq"
)


def _mark(conn: Connection, seq: int) -> None:
    sqlite_connection(conn).execute(_MARK_SQL, (seq,))


def apply(conn: Connection, recorded: RecordedEvent) -> None:
    """Bring the projections up to date with one newly recorded event (same transaction)."""
    _apply_event(conn, recorded.seq, recorded.event)
    _mark(conn, recorded.seq)


def up_to_date(conn: Connection) -> bool:
    """Whether the projections have applied every event in the ledger (see ProjectionMark)."""
    db = sqlite_connection(conn)
    (last,) = db.execute("SELECT coalesce(max(seq), 0) FROM event").fetchone()
    found = db.execute("SELECT event_seq FROM projection_mark WHERE id = 1").fetchone()
    return bool((found[0] if found else 0) == last)


def _payloads(conn: Connection) -> Iterator[tuple[int, dict[str, Any]]]:
    for seq, payload in conn.execute(select(EVENT.c.seq, EVENT.c.payload).order_by(EVENT.c.seq)):
        yield seq, json.loads(payload)


def _rows(conn: Connection) -> dict[str, tuple[Any, ...]]:
    rows = {row[0]: tuple(row) for row in conn.execute(select(ITEM_STATE))}
    rows.update({f"lot state of {row[0]}": tuple(row) for row in conn.execute(select(LOT_STATE))})
    return rows


def differences(conn: Connection) -> list[str]:
    """The URIs whose kept ``item_state`` (status columns included) or ``lot_state`` row
    differs from a rebuild; the tables are untouched.

    The rebuild runs inside a savepoint that is rolled back, so this is safe to run on a live
    database (inside the writer's transaction) as a health check.
    """
    kept = _rows(conn)
    conn.execute(text("SAVEPOINT item_state_check"))
    try:
        rebuild(conn)
        rebuilt = _rows(conn)
    finally:
        conn.execute(text("ROLLBACK TO item_state_check"))
        conn.execute(text("RELEASE item_state_check"))
    return sorted(uri for uri in kept.keys() | rebuilt.keys() if kept.get(uri) != rebuilt.get(uri))


def rebuild(conn: Connection) -> None:
    """Recompute ``item_state`` and ``lot_state`` from the events alone (in a write
    transaction)."""
    conn.execute(delete(ITEM_STATE))
    conn.execute(delete(LOT_STATE))
    last = 0
    for seq, event in _payloads(conn):
        _apply_event(conn, seq, event)
        last = seq
    _mark(conn, last)
