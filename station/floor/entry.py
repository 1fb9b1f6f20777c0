"""How a code reached the station (compliance P11-H1, A11-6): scanned or typed by hand.

A code counts as *scanned* only when it carries a symbology (AIM) identifier — ``]d2``,
``]C1``, ``]Q3`` … sent by a scanner or reported by the camera decoder — and did not come
from the screen's entry line. Anything else is *manual entry*: a person typed or pasted it,
so it is shown for confirmation before it is used, and the confirmation is audited with the
event it led to.

>>> entry_method("serial:COM3", "]d2"), entry_method("keyboard:entry", "]d2")
('scanned', 'manual')
>>> entry_method("keyboard", None)
'manual'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import Connection

from station.context import WriteContext
from station.ledger.audit import record_audit

__all__ = ["MANUAL", "SCANNED", "TYPED_SOURCES", "entry_method", "record_manual_entry"]

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
