"""How a code reached the station (compliance P11-H1, A11-6): scanned or typed by hand.

A code counts as *scanned* only when it carries a symbology (AIM) identifier — ``]d2``,
``]C1``, ``]Q3`` … sent by a scanner or reported by the camera decoder — and did not come
from the screen's entry line. Anything else is *manual entry*: a person typed or pasted it,
so it is shown for confirmation before it is used. The event it leads to says so itself
(``st:entryMethod``, from ``WriteContext.entry_method``: :func:`event_entry_method`), and the
confirmation — which codes, on which screen, confirmed by whom — is audited with it
(``scan.manual``).

>>> entry_method("serial:COM3", "]d2"), entry_method("keyboard:entry", "]d2")
('scanned', 'manual')
>>> entry_method("keyboard", None)
'manual'
>>> [event_entry_method(methods) for methods in (["scanned", "manual"], ["scanned"], [])]
['manual', 'scanned', None]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection

from station.context import WriteContext
from station.ledger.audit import record_audit

__all__ = [
    "MANUAL",
    "SCANNED",
    "TYPED_SOURCES",
    "entry_method",
    "event_entry_method",
    "record_manual_entry",
]

SCANNED = "scanned"
MANUAL = "manual"
#: Scan sources that are a person typing: the screens' entry lines.
TYPED_SOURCES = frozenset({"keyboard:entry"})
#: An AIM symbology identifier: ``]``, a code character, a modifier character.
_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]\Z")


def entry_method(source: str, symbology: str | None) -> str:
    """``scanned`` or ``manual`` for a code from ``source`` read with ``symbology``."""
    if source in TYPED_SOURCES or symbology is None or not _AIM.match(symbology):
        return MANUAL
    return SCANNED


def event_entry_method(methods: Iterable[str]) -> str | None:
    """The entry method of an event made from codes entered by ``methods``: ``manual`` when
    any one was typed (the weaker assurance wins), ``scanned`` when all were scanned, None
    when no code was entered (a station-made SSCC, a button)."""
    found = set(methods)
    if not found:
        return None
    return MANUAL if MANUAL in found else SCANNED


def record_manual_entry(
    conn: Connection,
    ctx: WriteContext,
    *,
    event_id: str,
    codes: Sequence[str],
    screen: str,
) -> None:
    """Audit that ``codes`` behind event ``event_id`` were typed and confirmed (``scan.manual``).

    Runs in the transaction that records the event, so the event and its entry-method record
    are committed together or not at all.
    """
    record_audit(
        conn,
        ctx,
        action="scan.manual",
        entity="event",
        entity_id=event_id,
        new={"entry_method": MANUAL, "confirmed": True, "codes": list(codes), "screen": screen},
        reason="typed on the keyboard and confirmed by the operator",
    )
