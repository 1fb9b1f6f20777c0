"""The lots a recall is most likely about: those with the most recent events.

The recall workbench offers them as a pick list (next to scanning or typing a lot), newest
first; supplier lots (received from a supplier) are marked as such.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from station.trace.names import Names

__all__ = ["RecentLot", "recent_lots"]

_RECENT_SQL = """
SELECT s.uri, s.gtin, s.lot, s.last_event_seq,
       EXISTS (SELECT 1 FROM event_ident i JOIN event e ON e.seq = i.event_seq
               WHERE i.uri = s.uri AND i.role IN ('epc', 'quantity')
                 AND e.biz_step = 'receiving' AND coalesce(e.disposition, '') != 'returned')
FROM item_state s
WHERE s.lot IS NOT NULL AND s.serial IS NULL AND s.kind != 'sgtin'
ORDER BY s.last_event_seq DESC, s.uri
LIMIT :limit
"""


@dataclass(frozen=True, slots=True)
class RecentLot:
    """A lot by URI, its lot number and product (names from master data), newest event."""

    uri: str
    lot: str
    gtin: str | None
    product: str | None
    last_event_seq: int
    supplier_lot: bool


def recent_lots(conn: sa.Connection, limit: int = 30) -> list[RecentLot]:
    """Up to ``limit`` lots, the one with the newest event first."""
    names = Names(conn)
    rows = conn.execute(sa.text(_RECENT_SQL), {"limit": limit}).all()
    return [
        RecentLot(
            uri=str(uri),
            lot=str(lot),
            gtin=None if gtin is None else str(gtin),
            product=names.product_of_di(gtin) if gtin else names.product(str(uri)),
            last_event_seq=int(seq),
            supplier_lot=bool(received),
        )
        for uri, gtin, lot, seq, received in rows
    ]
