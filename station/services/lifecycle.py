"""The per-lot state machine of P11-F1, as a pure transition table derived from events.

``RECEIVED → IN_INSPECTION → ACCEPTED/REJECTED/QUARANTINE → LABELLED → SHIPPED``

* An inspection is recorded in one event, so a first inspection goes from RECEIVED straight to
  its verdict; IN_INSPECTION is where a lot waits for *re*-inspection after a release.
* A hold on a lot before labelling quarantines it, and its release sends it back to inspection:
  whatever made it suspect must be cleared by a new verdict. After labelling, a hold (a recall
  investigation) leaves the state alone; the hold flag in ``item_state`` blocks movement.
* Labels (commissioning) only for ACCEPTED lots; shipping only for LABELLED ones.

A lot's state is folded from the events naming its class URI and the events of its units
(holds and inspections count only when they name the lot itself).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, text

from station.events.ids import lgtin_uri, parse_uri, udi_urn
from station.services.errors import Refused
from station.services.projection import current_state

__all__ = ["TRANSITIONS", "LotAction", "LotState", "lot_of", "lot_state", "next_state", "require"]


class LotState(enum.StrEnum):
    RECEIVED = "RECEIVED"
    IN_INSPECTION = "IN_INSPECTION"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    QUARANTINE = "QUARANTINE"
    LABELLED = "LABELLED"
    SHIPPED = "SHIPPED"


class LotAction(enum.StrEnum):
    RECEIVE = "receive"
    PRODUCE = "produce"
    ACCEPT = "accept"
    REJECT = "reject"
    HOLD = "hold"
    RELEASE = "release"
    CONSUME = "consume"
    LABEL = "label"
    SHIP = "ship"
    RETURN = "return"


S, A = LotState, LotAction
#: (state before — None for a lot no event has named yet, action) → state after.
TRANSITIONS: Mapping[tuple[LotState | None, LotAction], LotState] = {
    (None, A.RECEIVE): S.RECEIVED,
    (S.RECEIVED, A.RECEIVE): S.RECEIVED,  # more cases of the same supplier lot
    (None, A.PRODUCE): S.RECEIVED,
    (S.RECEIVED, A.ACCEPT): S.ACCEPTED,
    (S.IN_INSPECTION, A.ACCEPT): S.ACCEPTED,
    (S.RECEIVED, A.REJECT): S.REJECTED,
    (S.IN_INSPECTION, A.REJECT): S.REJECTED,
    (S.RECEIVED, A.HOLD): S.QUARANTINE,
    (S.IN_INSPECTION, A.HOLD): S.QUARANTINE,
    (S.ACCEPTED, A.HOLD): S.QUARANTINE,
    (S.QUARANTINE, A.HOLD): S.QUARANTINE,  # a recall on top of a quality hold
    (S.REJECTED, A.HOLD): S.REJECTED,
    (S.LABELLED, A.HOLD): S.LABELLED,
    (S.SHIPPED, A.HOLD): S.SHIPPED,
    (S.QUARANTINE, A.RELEASE): S.IN_INSPECTION,
    (S.REJECTED, A.RELEASE): S.IN_INSPECTION,
    (S.LABELLED, A.RELEASE): S.LABELLED,
    (S.SHIPPED, A.RELEASE): S.SHIPPED,
    (S.ACCEPTED, A.CONSUME): S.ACCEPTED,
    (S.ACCEPTED, A.LABEL): S.LABELLED,
    (S.LABELLED, A.LABEL): S.LABELLED,
    (S.LABELLED, A.SHIP): S.SHIPPED,
    (S.SHIPPED, A.SHIP): S.SHIPPED,
    (S.SHIPPED, A.RETURN): S.SHIPPED,
}
del S, A


def next_state(state: LotState | None, action: LotAction) -> LotState | None:
    """The state after ``action``, or None when the table does not allow it."""
    return TRANSITIONS.get((state, action))


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


def _action(event: Mapping[str, Any], lot: str, direct: bool) -> LotAction | None:
    """What ``event`` does to ``lot``; ``direct`` when it names the lot URI itself."""
    step = event.get("bizStep")
    if event["type"] == "TransformationEvent":
        outputs = {q["epcClass"] for q in event.get("outputQuantityList", ())}
        return LotAction.PRODUCE if lot in outputs else LotAction.CONSUME
    if step == "receiving":
        return LotAction.RETURN if event.get("disposition") == "returned" else LotAction.RECEIVE
    if step == "commissioning":
        return LotAction.LABEL
    if step == "shipping":
        return LotAction.SHIP
    if direct and step == "inspecting":
        passed = event.get("disposition") == "conformant"
        return LotAction.ACCEPT if passed else LotAction.REJECT
    if direct and step == "holding":
        return (
            LotAction.HOLD
            if "set" in event.get("persistentDisposition", {})
            else (LotAction.RELEASE)
        )
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
    """Fold the lot's events through :data:`TRANSITIONS`; None if no event named it."""
    state: LotState | None = None
    for event, direct in _events(conn, lot):
        action = _action(event, lot, direct)
        if action is None:
            continue
        after = next_state(state, action)
        if after is None:
            # Services refuse such an action, so the ledger holding one is a defect.
            msg = f"lot {lot}: {action.value} is not allowed in state {state}"
            raise AssertionError(msg)
        state = after
    return state


def require(conn: Connection, lot: str, action: LotAction) -> LotState:
    """The lot's state after ``action``; Refused(``wrong_state``) if the table forbids it."""
    state = lot_state(conn, lot)
    after = next_state(state, action)
    if after is None:
        shown = state.value if state else "not yet received"
        raise Refused("wrong_state", f"Lot {lot} is {shown}: cannot {action.value}.", subject=lot)
    return after
