"""Master-data look-ups the services share: products, orders and their lines, suppliers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from station.persistence import tables
from station.persistence.rawsql import sqlite_connection
from station.services.errors import Refused

__all__ = ["Order", "Product", "order", "po_line_product", "product_by_di", "product_on_order"]

_PRODUCT = tables.metadata.tables["product"]
_PO = tables.metadata.tables["purchase_order"]
_PO_LINE = tables.metadata.tables["po_line"]
_SO = tables.metadata.tables["sales_order"]
_SO_LINE = tables.metadata.tables["so_line"]
_SUPPLIER = tables.metadata.tables["supplier"]
_PARTY = tables.metadata.tables["party"]


@dataclass(frozen=True, slots=True)
class Product:
    id: int
    di: str
    trace_level: str  # lot | serial
    shelf_life_days: int | None


@dataclass(frozen=True, slots=True)
class Order:
    """A purchase or sales order with its counterparty (supplier or customer)."""

    id: int
    number: str
    status: str
    party_code: str
    party_gln: str | None
    qualification: str | None = None  # suppliers only
    qualified_until: str | None = None
    party_active: bool = True


# Looked up for every item scanned: prepared SQL (rawsql).
_PRODUCT_SQL = (
    "SELECT id, di, trace_level, shelf_life_days FROM product WHERE di = ? AND active = 1"
)


def product_by_di(conn: Connection, di: str | None) -> Product:
    """The active product with this DI, else Refused(``unknown_di``)."""
    row = None
    if di is not None:
        row = sqlite_connection(conn).execute(_PRODUCT_SQL, (di,)).fetchone()
    if row is None:
        raise Refused("unknown_di", f"Product {di} is not in master data.", subject=di)
    return Product(*row)


def _purchase_order(conn: Connection, number: str) -> Order | None:
    query = (
        select(_PO, _SUPPLIER.c.code, _SUPPLIER.c.gln, _SUPPLIER.c.qualification)
        .add_columns(_SUPPLIER.c.qualified_until, _SUPPLIER.c.active.label("party_active"))
        .join(_SUPPLIER, _SUPPLIER.c.id == _PO.c.supplier_id)
        .where(_PO.c.number == number)
    )
    row = conn.execute(query).mappings().first()
    if row is None:
        return None
    return Order(
        row["id"],
        row["number"],
        row["status"],
        row["code"],
        row["gln"],
        row["qualification"],
        row["qualified_until"],
        bool(row["party_active"]),
    )


def _sales_order(conn: Connection, number: str) -> Order | None:
    query = (
        select(_SO, _PARTY.c.code, _PARTY.c.gln, _PARTY.c.active.label("party_active"))
        .join(_PARTY, _PARTY.c.id == _SO.c.party_id)
        .where(_SO.c.number == number)
    )
    row = conn.execute(query).mappings().first()
    if row is None:
        return None
    return Order(
        row["id"],
        row["number"],
        row["status"],
        row["code"],
        row["gln"],
        party_active=bool(row["party_active"]),
    )


def order(conn: Connection, kind: str, number: str) -> Order:
    """The purchase (``po``) or sales (``so``) order; Refused ``unknown_order``/``order_closed``."""
    found = _purchase_order(conn, number) if kind == "po" else _sales_order(conn, number)
    if found is None:
        raise Refused("unknown_order", f"Order {number} is not in master data.", subject=number)
    if found.status != "open":
        raise Refused("order_closed", f"Order {number} is {found.status}.", subject=number)
    return found


def product_on_order(conn: Connection, kind: str, order_id: int, product_id: int) -> bool:
    lines = _PO_LINE if kind == "po" else _SO_LINE
    owner = lines.c.po_id if kind == "po" else lines.c.so_id
    query = select(lines.c.id).where(owner == order_id, lines.c.product_id == product_id)
    return conn.execute(query).first() is not None


def po_line_product(conn: Connection, order_id: int, line_no: int) -> int | None:
    """The product id on line ``line_no`` of a purchase order, None if there is no such line."""
    query = select(_PO_LINE.c.product_id).where(
        _PO_LINE.c.po_id == order_id, _PO_LINE.c.line_no == line_no
    )
    found = conn.execute(query).scalar_one_or_none()
    return int(found) if found is not None else None
