"""Open orders and their lines with what is done and still open, for the goods-in and
shipping screens.

What is done is counted from the ledger: receipts name the PO (bizTransaction) and the line
(``st:poLine``); shipments name the SO. A shipped container counts the serialised units and
lot quantities inside it now (contents follow their container; a container unpacked after
shipping — a return — may then count less).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from station.events.ids import parse_uri, transaction_urn
from station.services.orders import order
from station.services.projection import descendants

__all__ = ["OrderLine", "OrderSummary", "open_orders", "order_lines"]


@dataclass(frozen=True, slots=True)
class OrderSummary:
    """An open purchase or sales order and its counterparty."""

    number: str
    party_code: str
    party_name: str


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One order line: the product, how much was ordered and how much is done."""

    line_no: int
    di: str
    name_en: str
    name_zh: str
    trace_level: str
    ordered: float
    uom: str
    done: float = 0.0

    @property
    def open(self) -> float:
        return max(self.ordered - self.done, 0.0)


_OPEN_POS = text(
    "SELECT o.number, s.code, s.name FROM purchase_order o JOIN supplier s ON s.id = o.supplier_id"
    " WHERE o.status = 'open' ORDER BY o.number"
)
_OPEN_SOS = text(
    "SELECT o.number, p.code, p.name FROM sales_order o JOIN party p ON p.id = o.party_id"
    " WHERE o.status = 'open' ORDER BY o.number"
)
_LINES = {
    "po": text(
        "SELECT l.line_no, p.di, p.name_en, p.name_zh, p.trace_level, l.quantity, l.uom"
        " FROM po_line l JOIN product p ON p.id = l.product_id WHERE l.po_id = :id"
        " ORDER BY l.line_no"
    ),
    "so": text(
        "SELECT l.line_no, p.di, p.name_en, p.name_zh, p.trace_level, l.quantity, l.uom"
        " FROM so_line l JOIN product p ON p.id = l.product_id WHERE l.so_id = :id"
        " ORDER BY l.line_no"
    ),
}
# Events of one business step that name a business document.
_NAMING_DOCUMENT = text(
    "SELECT payload FROM event WHERE biz_step = :step AND event_type = 'ObjectEvent'"
    " AND corrects_event_id IS NULL AND EXISTS (SELECT 1 FROM json_each(payload,"
    " '$.bizTransactionList') t WHERE json_extract(t.value, '$.bizTransaction') = :urn)"
    " ORDER BY seq"
)


def open_orders(conn: Connection, kind: str) -> list[OrderSummary]:
    """The open purchase (``po``) or sales (``so``) orders, by number."""
    rows = conn.execute(_OPEN_POS if kind == "po" else _OPEN_SOS).all()
    return [OrderSummary(str(number), str(code), str(name)) for number, code, name in rows]


def _events(conn: Connection, step: str, kind: str, number: str) -> Iterable[dict[str, Any]]:
    urn = transaction_urn(kind, number)
    for (payload,) in conn.execute(_NAMING_DOCUMENT, {"step": step, "urn": urn}):
        yield json.loads(payload)


def _received(conn: Connection, number: str) -> defaultdict[int, float]:
    done: defaultdict[int, float] = defaultdict(float)
    for event in _events(conn, "receiving", "po", number):
        line = event.get("st:poLine")
        if not isinstance(line, int):
            continue
        done[line] += len(event.get("epcList", []))
        done[line] += sum(float(q.get("quantity", 0)) for q in event.get("quantityList", []))
    return done


def _shipped(conn: Connection, number: str) -> defaultdict[str, float]:
    """Units and lot quantities shipped against the SO, by GTIN/DI."""
    done: defaultdict[str, float] = defaultdict(float)
    for event in _events(conn, "shipping", "so", number):
        named = list(event.get("epcList", []))
        for uri in list(named):
            named += descendants(conn, uri)
        for uri in named:
            parts = parse_uri(uri)
            if parts.kind == "sgtin" and parts.gtin:
                done[parts.gtin] += 1
            elif parts.scheme and parts.di and parts.serial:
                done[parts.di] += 1
        for quantity in event.get("quantityList", []):
            parts = parse_uri(str(quantity.get("epcClass", "")))
            key = parts.gtin or parts.di
            if key:
                done[key] += float(quantity.get("quantity", 0))
    return done


def order_lines(conn: Connection, kind: str, number: str) -> list[OrderLine]:
    """The lines of an open order with what is done; Refused ``unknown_order``/``order_closed``."""
    found = order(conn, kind, number)
    rows = conn.execute(_LINES[kind], {"id": found.id}).all()
    lines = [
        OrderLine(int(n), str(di), str(en), str(zh), str(level), float(qty), str(uom))
        for n, di, en, zh, level, qty, uom in rows
    ]
    if kind == "po":
        received = _received(conn, number)
        return [_with_done(line, received[line.line_no]) for line in lines]
    shipped = _shipped(conn, number)
    # Shipped units count once, against the first line of their product.
    out = []
    for line in lines:
        take = min(shipped[line.di], line.ordered)
        shipped[line.di] -= take
        out.append(_with_done(line, take))
    return out


def _with_done(line: OrderLine, done: float) -> OrderLine:
    return OrderLine(
        line.line_no,
        line.di,
        line.name_en,
        line.name_zh,
        line.trace_level,
        line.ordered,
        line.uom,
        done,
    )
