"""``item_state``: the current state of every identifier, kept in step with the ledger.

:func:`apply` runs in the transaction of each event; :func:`rebuild` recomputes the table from
the stored payloads alone with the same code, so the two can be compared (tests do). Rules:

* an ObjectEvent sets its subjects' disposition, location and, when shipping, the holder (a
  receipt clears it); a container's contents follow it, since EPCIS lets an event on an SSCC
  stand for everything inside;
* ``persistentDisposition`` ``non_conformant``/``recalled`` set → ``on_hold``, unset → released;
* an AggregationEvent ADD sets the children's ``parent_uri``, DELETE clears it;
* a TransformationEvent gives its outputs disposition and location; inputs are only touched.

Error declarations are skipped by both paths alike (a corrected event stays applied until the
correction workflow defines its projection).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, select, text
from sqlalchemy.dialects.sqlite import insert

from station.events.capture import RecordedEvent
from station.events.ids import lgtin_uri, parse_uri
from station.persistence import tables

__all__ = [
    "HOLD_DISPOSITIONS",
    "ItemState",
    "apply",
    "current_state",
    "descendants",
    "differences",
    "held_by",
    "rebuild",
]

ITEM_STATE = tables.metadata.tables["item_state"]
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


def current_state(conn: Connection, uri: str) -> ItemState | None:
    """The projected state of ``uri``; None if no event has named it."""
    row = conn.execute(select(ITEM_STATE).where(ITEM_STATE.c.uri == uri)).mappings().first()
    return ItemState(**row) if row is not None else None


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


def _load(conn: Connection, uri: str, seq: int) -> dict[str, Any]:
    row = conn.execute(select(ITEM_STATE).where(ITEM_STATE.c.uri == uri)).mappings().first()
    if row is not None:
        return {**row, "last_event_seq": seq}
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
    }


def _save(conn: Connection, row: Mapping[str, Any]) -> None:
    values = dict(row)
    update = {key: value for key, value in values.items() if key != "uri"}
    conn.execute(insert(ITEM_STATE).values(values).on_conflict_do_update(["uri"], set_=update))


def descendants(conn: Connection, uri: str) -> list[str]:
    query = text(
        "WITH RECURSIVE inside(uri) AS ("
        " SELECT uri FROM item_state WHERE parent_uri = :root"
        " UNION SELECT s.uri FROM item_state s JOIN inside i ON s.parent_uri = i.uri)"
        " SELECT uri FROM inside ORDER BY uri"
    )
    return list(conn.execute(query, {"root": uri}).scalars())


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


def _apply_event(conn: Connection, seq: int, event: Mapping[str, Any]) -> None:
    if "errorDeclaration" in event:
        return
    kind = event["type"]
    if kind == "ObjectEvent":
        _object_event(conn, seq, event)
    elif kind == "AggregationEvent" and event.get("action") in ("ADD", "DELETE"):
        _aggregation_event(conn, seq, event)
    elif kind == "TransformationEvent":
        _transformation_event(conn, seq, event)


def apply(conn: Connection, recorded: RecordedEvent) -> None:
    """Bring ``item_state`` up to date with one newly recorded event (same transaction)."""
    _apply_event(conn, recorded.seq, recorded.event)


def _payloads(conn: Connection) -> Iterator[tuple[int, dict[str, Any]]]:
    for seq, payload in conn.execute(select(EVENT.c.seq, EVENT.c.payload).order_by(EVENT.c.seq)):
        yield seq, json.loads(payload)


def _rows(conn: Connection) -> dict[str, tuple[Any, ...]]:
    return {row[0]: tuple(row) for row in conn.execute(select(ITEM_STATE))}


def differences(conn: Connection) -> list[str]:
    """The URIs whose kept ``item_state`` row differs from a rebuild; the table is untouched.

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
    """Recompute ``item_state`` from the events alone (inside a write transaction)."""
    conn.execute(delete(ITEM_STATE))
    for seq, event in _payloads(conn):
        _apply_event(conn, seq, event)
