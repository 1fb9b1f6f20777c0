"""The per-lot state machine of P11-F1: states, actions, the transition table, and which
action an event is for a lot. Pure: no database (``lifecycle`` and ``projection`` use it).

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
from collections.abc import Mapping
from typing import Any

__all__ = ["TRANSITIONS", "LotAction", "LotState", "action_of", "next_state"]


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


def action_of(event: Mapping[str, Any], lot: str, direct: bool) -> LotAction | None:
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
