"""Shared set-up for the service tests: master data through the CSV import, a station, a clock.

Imported by every ``test_services_*`` module; the one test here proves the set-up itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa

from station.context import WriteContext
from station.masterdata.csvio import import_csv
from station.masterdata.specs import SPECS
from station.services.errors import Refused
from station.services.sites import station_location
from station.udi import read_scan
from station.udi.model import ParsedCode
from tests.roles import every_role, second_person

T = TypeVar("T")

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
#: Every role: these tests are about the workflows; tests/unit/test_access_matrix.py checks roles.
CTX = every_role(
    WriteContext(station="ST-01", actor="u-ops", actor_name="Olga Operator", clock=lambda: NOW)
)
#: Another person (every role): releases what CTX held, as four eyes requires (AUTH-7).
RELEASER = second_person(CTX)
MATERIAL = "04012345000016"  # lot-traced supplier material
SERIAL_MATERIAL = "04012345000023"  # serial-traced supplier material
DEVICE = "04012345000030"  # serial-traced finished device
LOT_DEVICE = "04012345000047"  # lot-traced finished device
SSCC_1 = "340123450000000017"
SSCC_2 = "340123450000000024"
SUPPLIER_GLN = "4012345000009"
CUSTOMER_GLN = "4012345000016"

MASTER_DATA = {
    "locations": "code,name,gln,kind,active\r\nWH-1,Main warehouse,,warehouse,yes\r\n",
    "products": (
        "di,di_scheme,name_zh,name_en,trace_level,is_material,active\r\n"
        f"{MATERIAL},gs1,原料,Tubing,lot,yes,yes\r\n"
        f"{SERIAL_MATERIAL},gs1,泵,Pump,serial,yes,yes\r\n"
        f"{DEVICE},gs1,导管,Catheter,serial,no,yes\r\n"
        f"{LOT_DEVICE},gs1,敷料,Dressing,lot,no,yes\r\n"
    ),
    "suppliers": (
        "code,name,gln,qualification,qualified_until,active\r\n"
        f"SUP-OK,Good supplier,{SUPPLIER_GLN},qualified,2027-12-31,yes\r\n"
        "SUP-COND,Conditional,,conditional,2027-12-31,yes\r\n"
        "SUP-BAD,Disqualified,,disqualified,,yes\r\n"
        "SUP-OLD,Lapsed,,qualified,2026-01-01,yes\r\n"
    ),
    "parties": (
        f"code,name,gln,kind,active\r\nCUST-1,Hospital,{CUSTOMER_GLN},customer,yes\r\n"
        "CUST-2,Clinic,,customer,yes\r\n"
    ),
    "purchase_orders": (
        "number,supplier_code,status\r\nPO-1,SUP-OK,open\r\nPO-CLOSED,SUP-OK,closed\r\n"
        "PO-COND,SUP-COND,open\r\nPO-BAD,SUP-BAD,open\r\nPO-OLD,SUP-OLD,open\r\n"
    ),
    "purchase_order_lines": (
        "po_number,line_no,product_di,quantity,uom\r\n"
        f"PO-1,1,{MATERIAL},1000,EA\r\nPO-1,2,{SERIAL_MATERIAL},10,EA\r\n"
        f"PO-CLOSED,1,{MATERIAL},10,EA\r\nPO-COND,1,{MATERIAL},10,EA\r\n"
        f"PO-BAD,1,{MATERIAL},10,EA\r\nPO-OLD,1,{MATERIAL},10,EA\r\n"
    ),
    "sales_orders": (
        "number,party_code,status\r\nSO-1,CUST-1,open\r\nSO-CLOSED,CUST-1,closed\r\n"
        "SO-2,CUST-2,open\r\nSO-3,CUST-2,open\r\n"
    ),
    "sales_order_lines": (
        "so_number,line_no,product_di,quantity,uom\r\n"
        f"SO-1,1,{DEVICE},10,EA\r\nSO-1,2,{LOT_DEVICE},100,EA\r\n"
        f"SO-CLOSED,1,{DEVICE},10,EA\r\nSO-2,1,{LOT_DEVICE},10,EA\r\nSO-3,1,{DEVICE},5,EA\r\n"
    ),
    "inspection_plans": "code,version,name,active\r\nIQC,1,Incoming,yes\r\nFQC,1,Final,yes\r\n",
    "inspection_checkpoints": (
        "plan_code,plan_version,position,name,kind,lower_limit,upper_limit,unit\r\n"
        "IQC,1,1,Diameter,numeric,4.9,5.1,MMT\r\n"
        "IQC,1,2,Visual,pass_fail,,,\r\n"
        "IQC,1,3,Remarks,text,,,\r\n"
        "FQC,1,1,Leak test,pass_fail,,,\r\n"
    ),
}
LEDGER_TABLES = ("event", "event_ident", "genealogy", "item_state", "audit")


def load_master_data(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        for name, text in MASTER_DATA.items():
            import_csv(conn, SPECS[name], text, CTX, "test set-up")
        location = conn.execute(sa.text("SELECT id FROM location WHERE code = 'WH-1'")).scalar()
        conn.execute(
            sa.text("INSERT INTO station_info (code, name, location_id) VALUES (:c, :n, :l)"),
            {"c": CTX.station, "n": "Goods-in 1", "l": location},
        )


@pytest.fixture
def station(engine: sa.Engine) -> sa.Engine:
    """A migrated database with the master data above and station ST-01 at WH-1."""
    load_master_data(engine)
    return engine


def gs1(
    gtin: str, *, lot: str | None = None, serial: str | None = None, expiry: str = "271231"
) -> ParsedCode:
    """A scanned GS1 DataMatrix for ``gtin`` with expiry (YYMMDD), lot and serial."""
    text = f"]d201{gtin}17{expiry}"
    if lot is not None:
        text += f"10{lot}\x1d"
    if serial is not None:
        text += f"21{serial}\x1d"
    code = read_scan(text.rstrip("\x1d").encode())
    assert code.valid, code.issues
    return code


def run(engine: sa.Engine, action: Callable[[sa.Connection], T]) -> T:
    """Run one service call in its own write transaction, as DbWriter.submit would."""
    with engine.begin() as conn:
        return action(conn)


def counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in LEDGER_TABLES
        }


def refused(engine: sa.Engine, action: Callable[[sa.Connection], Any]) -> Refused:
    """Assert ``action`` is refused and wrote nothing; return the refusal."""
    before = counts(engine)
    with pytest.raises(Refused) as caught:
        run(engine, action)
    assert counts(engine) == before
    return caught.value


def payloads(engine: sa.Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT payload FROM event ORDER BY seq")).scalars()
        return [json.loads(row) for row in rows]


def test_set_up_gives_the_station_a_location(station: sa.Engine) -> None:
    location = run(station, lambda conn: station_location(conn, CTX))
    assert location == "urn:udi-station:loc:WH-1"
    assert counts(station)["event"] == 0
