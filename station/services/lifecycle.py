"""The per-lot state machine of P11-F1 (rules in ``lotrules``) applied to the ledger.

``RECEIVED → IN_INSPECTION → ACCEPTED/REJECTED/QUARANTINE → LABELLED → SHIPPED``

* An inspection is recorded in one event, so a first inspection goes from RECEIVED straight to
  its verdict; IN_INSPECTION is where a lot waits for *re*-inspection after a release.
* A hold on a lot before labelling quarantines it, and its release sends it back to inspection:
  whatever made it suspect must be cleared by a new verdict. After labelling, a hold (a recall
  investigation) leaves the state alone; the hold flag in ``item_state`` blocks movement.
* Labels (commissioning) only for ACCEPTED lots; shipping only for LABELLED ones.

A lot's state is the fold of the events naming its class URI and the events of its units
(holds and inspections count only when they name the lot itself). :func:`lot_state` reads it
from the ``lot_state`` projection, kept per event; :func:`folded_lot_state` folds the history
again and is the reference the projection is checked against.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, text

from station.events.ids import lgtin_uri, parse_uri, udi_urn
from station.services.errors import Refused
from station.services.lotrules import TRANSITIONS, LotAction, LotState, action_of, next_state
from station.services.projection import current_state, projected_lot_state

__all__ = [
    "TRANSITIONS",
    "LotAction",
    "LotState",
    "folded_lot_state",
    "lot_of",
    "lot_state",
    "next_state",
    "require",
]


def lot_of(conn: Connection, uri: str) -> str | None:
    """The lot class URI ``uri`` belongs to (itself for a lot); None when it has no lot."""
    parts = parse_uri(uri)
    if parts.kind == "lgtin" or (parts.scheme and parts.lot and not parts.serial):
        return uri
    state = current_state(conn, uri)
    lot = state.lot if state is not None else None
    if lot is None:
        return None
    if parts.kind == "sgtin" and parts.gtin:
        return lgtin_uri(parts.gtin, lot)
    if parts.scheme and parts.di:
        return udi_urn(parts.scheme, parts.di, lot=lot)
    return None


_UNITS = text(
    "SELECT child_uri FROM genealogy WHERE parent_uri = :lot AND relation = 'contains'"
    " UNION SELECT uri FROM item_state WHERE kind = 'sgtin' AND gtin = :gtin AND lot = :number"
)
_NAMING = text(
    "SELECT DISTINCT event_seq FROM event_ident"
    " WHERE uri = :uri AND role NOT IN ('source', 'destination')"
)
_LINKS = text(
    "SELECT parent_uri, relation, event_seq FROM genealogy"
    " WHERE child_uri = :uri AND relation IN ('contains', 'unpacked') ORDER BY event_seq"
)
_NEVER = 2**62  # "still inside": later than any event seq


def _stays(conn: Connection, uri: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Containers around ``uri`` during (start, end): (container, from seq, to seq), nested
    ones included, so an event on a case counts for the units packed in it at the time."""
    found: list[tuple[str, int, int]] = []
    opened: dict[str, int] = {}
    for parent, relation, seq in conn.execute(_LINKS, {"uri": uri}):
        if relation == "contains":
            opened[parent] = seq
        elif parent in opened:
            found.append((parent, opened.pop(parent), seq))
    found += [(parent, seq, _NEVER) for parent, seq in opened.items()]
    stays = []
    for parent, packed, unpacked in found:
        low, high = max(packed, start), min(unpacked, end)
        if low < high:
            stays.append((parent, low, high))
            stays += _stays(conn, parent, low, high)
    return stays


def _events(conn: Connection, lot: str) -> Iterable[tuple[dict[str, Any], bool]]:
    """The lot's events in order, each with whether it names the lot URI itself."""
    parts = parse_uri(lot)
    direct = set(conn.execute(_NAMING, {"uri": lot}).scalars())
    seqs = set(direct)
    for unit in conn.execute(
        _UNITS, {"lot": lot, "gtin": parts.gtin, "number": parts.lot}
    ).scalars():
        seqs.update(conn.execute(_NAMING, {"uri": unit}).scalars())
        for container, low, high in _stays(conn, unit, 0, _NEVER):
            named = conn.execute(_NAMING, {"uri": container}).scalars()
            seqs.update(seq for seq in named if low < seq < high)
    query = text("SELECT seq, payload FROM event WHERE seq = :seq")
    for seq in sorted(seqs):
        event = json.loads(conn.execute(query, {"seq": seq}).one().payload)
        if "errorDeclaration" not in event:
            yield event, seq in direct


def lot_state(conn: Connection, lot: str) -> LotState | None:
    """The lot's state; None if no event named it (the projection: one row read)."""
    return projected_lot_state(conn, lot)


def folded_lot_state(conn: Connection, lot: str) -> LotState | None:
    """Fold the lot's events through :data:`TRANSITIONS`; None if no event named it.

    The reference for the ``lot_state`` projection; its cost grows with the lot's history.
    """
    state: LotState | None = None
    for event, direct in _events(conn, lot):
        action = action_of(event, lot, direct)
        if action is None:
            continue
        # Services refuse a disallowed action, so only a ledger written around them holds
        # one; like the projection, the fold leaves the state as it was.
        state = next_state(state, action) or state
    return state


def require(conn: Connection, lot: str, action: LotAction) -> LotState:
    """The lot's state after ``action``; Refused(``wrong_state``) if the table forbids it."""
    state = lot_state(conn, lot)
    after = next_state(state, action)
    if after is None:
        shown = state.value if state else "not yet received"
        raise Refused("wrong_state", f"Lot {lot} is {shown}: cannot {action.value}.", subject=lot)
    return after
