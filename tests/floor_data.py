"""A small station database for the goods-in, packing and shipping tests, made through the
real services (as the demo factory does) with today's clock, and copied per test.

What is in it (``FloorData`` names each piece):

* the demo's master data (``station.demo.catalogue``: products, suppliers SUP-PT qualified,
  SUP-FL conditional, SUP-XX disqualified, customers, POs, SOs) and station ``DEMO-01``;
  extra: supplier SUP-OLD whose qualification lapsed (PO-2026-OLD), PO-2026-DEV for a
  serialised device (one unit already received), SO-2026-ONE with only the first device;
* two accepted material lots, one finished device lot ``LOT_A`` (30 commissioned units
  ``A001``…``A030``) and ``LOT_B`` (10 units ``B001``…), a lot of the second device
  (``C001``…``C005``);
* ``A030`` on hold; ``A021``–``A025`` packed in case ``CASE_PACKED``; ``A026``–``A028`` in case
  ``CASE_FREE`` (not on a pallet); ``A019``, ``A020`` shipped on SO-2026-CUST-RJH.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Connection, text

from station.context import WriteContext
from station.demo import catalogue
from station.demo.catalogue import DEVICES, MATERIALS
from station.demo.factory import STATION
from station.events.ids import lgtin_uri, sgtin_uri, sscc_uri
from station.masterdata.csvio import import_csv
from station.masterdata.specs import SPECS
from station.persistence.store import Store, open_store
from station.services.commissioning import commission_serials
from station.services.holds import place_hold
from station.services.inspection import CheckpointResult, Verdict, record_inspection
from station.services.packing import pack
from station.services.receiving import receive
from station.services.shipping import ship
from station.services.transformation import transform
from station.udi import read_scan
from station.udi.model import ParsedCode

ALL_ROLES = frozenset({"operator", "supervisor", "qa", "inspector", "admin"})
BUILDER = WriteContext(STATION, "builder", "Test Builder", roles=ALL_ROLES)
CHECKER = WriteContext(STATION, "checker", "Test Checker", roles=ALL_ROLES)
#: The screen tests' user.
OPERATOR = WriteContext(
    STATION, "op1", "Operator One", roles=frozenset({"operator", "supervisor", "qa"})
)

DEVICE = DEVICES[0].gtin
OTHER_DEVICE = DEVICES[1].gtin
MATERIAL = MATERIALS[0]  # SUP-PT, qualified: PO-2026-PT line 1
LOT_A = "DA0001"
LOT_B = "DB0001"
LOT_C = "DC0001"
CASE_PACKED = catalogue.sscc(500)
CASE_FREE = catalogue.sscc(501)
SSCC_PREFIX = "3" + catalogue.COMPANY_PREFIX
PO_DEV = "PO-2026-DEV"
PO_OLD = "PO-2026-OLD"
SO_MAIN = catalogue.sales_order("CUST-PUMCH")
SO_ONE = "SO-2026-ONE"
SO_SHIPPED = catalogue.sales_order("CUST-RJH")
RECEIVED_SERIAL = "R0001"


def unit(serial: str, gtin: str = DEVICE) -> str:
    return sgtin_uri(gtin, serial)


def gs1(
    gtin: str, *, lot: str | None = None, serial: str | None = None, expiry: date | None = None
) -> bytes:
    """A GS1 DataMatrix scan as a scanner delivers it (AIM ``]d2``, GS separators)."""
    text_ = f"01{gtin}"
    if expiry is not None:
        text_ += f"17{expiry:%y%m%d}"
    fields = [f"10{lot}"] if lot is not None else []
    if serial is not None:
        fields.append(f"21{serial}")
    return ("]d2" + text_ + "\x1d".join(fields)).encode()


def sscc_scan(sscc: str) -> bytes:
    return f"]C100{sscc}".encode()


def _csv(header: str, *rows: str) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def _master(conn: Connection) -> None:
    for name, csv_text in catalogue.master_data_csv(200).items():
        import_csv(conn, SPECS[name], csv_text, BUILDER, "test data")
    extra = {
        "suppliers": _csv(
            "code,name,gln,qualification,qualified_until,active",
            "SUP-OLD,Lapsed Supplier,,qualified,2025-01-31,yes",
        ),
        "purchase_orders": _csv(
            "number,supplier_code,status", f"{PO_OLD},SUP-OLD,open", f"{PO_DEV},SUP-PT,open"
        ),
        "purchase_order_lines": _csv(
            "po_number,line_no,product_di,quantity,uom",
            f"{PO_OLD},1,{MATERIAL.gtin},100,EA",
            f"{PO_DEV},1,{OTHER_DEVICE},5,EA",
        ),
        "sales_orders": _csv("number,party_code,status", f"{SO_ONE},CUST-WCH,open"),
        "sales_order_lines": _csv(
            "so_number,line_no,product_di,quantity,uom", f"{SO_ONE},1,{DEVICE},20,EA"
        ),
    }
    for name, csv_text in extra.items():
        import_csv(conn, SPECS[name], csv_text, BUILDER, "test data")
    location = conn.execute(text("SELECT id FROM location WHERE code = 'WH-SZ'")).scalar()
    conn.execute(
        text("INSERT INTO station_info (code, name, location_id) VALUES (:c, :n, :l)"),
        {"c": STATION, "n": "Test station", "l": location},
    )


def _code(raw: bytes) -> ParsedCode:
    code = read_scan(raw)
    assert code.valid, code.issues
    return code


def _material(conn: Connection, product: catalogue.DemoProduct, lot: str, today: date) -> str:
    code = _code(gs1(product.gtin, lot=lot, expiry=today + timedelta(days=700)))
    receive(
        conn,
        BUILDER,
        po_number=catalogue.purchase_order(product.supplier),
        line_no=1,
        code=code,
        quantity=200,
    )
    uri = lgtin_uri(product.gtin, lot)
    record_inspection(
        conn,
        CHECKER,
        uris=[uri],
        plan_code="IQC",
        plan_version=1,
        results=[CheckpointResult("Diameter", 5.0), CheckpointResult("Visual", value=True)],
        verdict=Verdict.PASS,
    )
    return uri


def _device_lot(
    conn: Connection, gtin: str, lot: str, serials: list[str], inputs: list[str], today: date
) -> None:
    expiry = today + timedelta(days=1095)
    transform(
        conn,
        BUILDER,
        inputs=[(uri, float(len(serials)), "EA") for uri in inputs],
        output_gtin=gtin,
        output_lot=lot,
        output_quantity=len(serials),
        production_date=today,
        expiry=expiry,
    )
    record_inspection(
        conn,
        CHECKER,
        uris=[lgtin_uri(gtin, lot)],
        plan_code="FQC",
        plan_version=1,
        results=[CheckpointResult("Leak test", value=True), CheckpointResult("Flow rate", 100.0)],
        verdict=Verdict.PASS,
    )
    commission_serials(
        conn, BUILDER, gtin=gtin, lot=lot, serials=serials, expiry=expiry, production_date=today
    )


def fill(store: Store) -> None:
    """Fill an empty store with the data described in the module text."""
    today = BUILDER.now().date()
    write = store.writer.submit
    write(_master).result()

    def stock(conn: Connection) -> None:
        tubing = _material(conn, MATERIALS[0], "PT0001", today)
        luer = _material(conn, MATERIALS[1], "CN0001", today)
        _device_lot(conn, DEVICE, LOT_A, [f"A{n:03d}" for n in range(1, 31)], [tubing, luer], today)
        _device_lot(conn, DEVICE, LOT_B, [f"B{n:03d}" for n in range(1, 11)], [tubing, luer], today)
        _device_lot(
            conn, OTHER_DEVICE, LOT_C, [f"C{n:03d}" for n in range(1, 6)], [tubing, luer], today
        )
        receive(
            conn,
            BUILDER,
            po_number=PO_DEV,
            line_no=1,
            code=_code(gs1(OTHER_DEVICE, serial=RECEIVED_SERIAL)),
            quantity=1,
        )
        place_hold(conn, CHECKER, [unit("A030")], reason="test: suspect unit")
        pack(conn, BUILDER, sscc=CASE_PACKED, children=[unit(f"A{n:03d}") for n in range(21, 26)])
        pack(conn, BUILDER, sscc=CASE_FREE, children=[unit(f"A{n:03d}") for n in range(26, 29)])
        ship(conn, BUILDER, so_number=SO_SHIPPED, uris=[unit("A019"), unit("A020")])

    write(stock).result()


@dataclass
class FloorData:
    """Where the built database is (made once per session, copied per test)."""

    path: Path

    def copy_to(self, folder: Path) -> Path:
        target = folder / "floor.sqlite"
        shutil.copyfile(self.path, target)
        return target


def build(folder: Path) -> FloorData:
    """Build the database in ``folder`` and close it (so one file holds everything)."""
    path = folder / "floor.sqlite"
    store = open_store(path)
    try:
        fill(store)
    finally:
        store.close()
    return FloorData(path)


__all__ = ["FloorData", "build", "fill", "gs1", "sscc_scan", "sscc_uri", "unit"]
