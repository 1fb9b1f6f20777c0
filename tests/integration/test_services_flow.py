"""The whole flow on one real SQLite file: receive → inspect → transform → inspect the finished
lot → commission → pack → ship → return, with exactly the expected events, identifiers,
genealogy and a ledger that verifies (UDI-5, P11-F1)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from station.events.ids import gln_party_uri, lgtin_uri, sgtin_uri, sscc_uri
from station.ledger import verify_ledger
from station.services.commissioning import commission_serials
from station.services.inspection import CheckpointResult, Verdict, record_inspection
from station.services.lifecycle import LotState, lot_state
from station.services.packing import pack
from station.services.projection import current_state
from station.services.receiving import receive
from station.services.returns import receive_return
from station.services.shipping import ship
from station.services.transformation import transform
from tests.integration.test_services_setup import (
    CTX,
    CUSTOMER_GLN,
    DEVICE,
    MATERIAL,
    SSCC_1,
    gs1,
    payloads,
    run,
    station,
)

__all__ = ["build_to_pack", "station"]

MATERIAL_LOT = lgtin_uri(MATERIAL, "L1")
DEVICE_LOT = lgtin_uri(DEVICE, "D1")
UNITS = (sgtin_uri(DEVICE, "S1"), sgtin_uri(DEVICE, "S2"))
CASE = sscc_uri(SSCC_1)
IQC = (
    CheckpointResult("Diameter", 5.0),
    CheckpointResult("Visual", True),
    CheckpointResult("Remarks", "ok"),
)


def build_to_pack(engine: sa.Engine) -> None:
    """Receive and accept a material lot, make and accept device lot D1, label S1 and S2."""
    code = gs1(MATERIAL, lot="L1")
    run(engine, lambda c: receive(c, CTX, po_number="PO-1", line_no=1, code=code, quantity=100))
    run(
        engine,
        lambda c: record_inspection(
            c,
            CTX,
            uris=[MATERIAL_LOT],
            plan_code="IQC",
            plan_version=1,
            results=IQC,
            verdict=Verdict.PASS,
        ),
    )
    run(
        engine,
        lambda c: transform(
            c,
            CTX,
            inputs=[(MATERIAL_LOT, 40, "EA")],
            output_gtin=DEVICE,
            output_lot="D1",
            output_quantity=2,
            production_date=date(2026, 11, 23),
            expiry=date(2029, 11, 23),
        ),
    )
    run(
        engine,
        lambda c: record_inspection(
            c,
            CTX,
            uris=[DEVICE_LOT],
            plan_code="FQC",
            plan_version=1,
            results=[CheckpointResult("Leak test", True)],
            verdict=Verdict.PASS,
        ),
    )
    run(
        engine,
        lambda c: commission_serials(
            c,
            CTX,
            gtin=DEVICE,
            lot="D1",
            serials=["S1", "S2"],
            expiry=date(2029, 11, 23),
            production_date=date(2026, 11, 23),
        ),
    )


def idents(engine: sa.Engine) -> list[tuple[int, str, str, str]]:
    with engine.connect() as conn:
        query = "SELECT event_seq, role, kind, uri FROM event_ident ORDER BY event_seq, id"
        return [tuple(row) for row in conn.execute(sa.text(query))]


def genealogy(engine: sa.Engine) -> list[tuple[int, str, str, str]]:
    with engine.connect() as conn:
        query = "SELECT event_seq, parent_uri, child_uri, relation FROM genealogy ORDER BY id"
        return [tuple(row) for row in conn.execute(sa.text(query))]


@pytest.mark.req("UDI-5", "P11-F1")
def test_the_happy_path_writes_exactly_the_expected_ledger(station: sa.Engine) -> None:
    build_to_pack(station)
    run(station, lambda c: pack(c, CTX, sscc=SSCC_1, children=UNITS))
    run(station, lambda c: ship(c, CTX, so_number="SO-1", uris=[CASE]))
    run(station, lambda c: receive_return(c, CTX, uris=[CASE], rma="RMA-9", reason="damaged box"))

    events = payloads(station)
    assert [(e["type"], e.get("action"), e["bizStep"], e.get("disposition")) for e in events] == [
        ("ObjectEvent", "OBSERVE", "receiving", "in_progress"),
        ("ObjectEvent", "OBSERVE", "inspecting", "conformant"),
        ("TransformationEvent", None, "commissioning", "active"),
        ("ObjectEvent", "OBSERVE", "inspecting", "conformant"),
        ("ObjectEvent", "ADD", "commissioning", "active"),
        ("AggregationEvent", "ADD", "packing", "container_closed"),
        ("ObjectEvent", "OBSERVE", "shipping", "in_transit"),
        ("ObjectEvent", "OBSERVE", "receiving", "returned"),
    ]
    transformation, commissioning = events[2], events[4]
    assert transformation["inputQuantityList"] == [
        {"epcClass": MATERIAL_LOT, "quantity": 40, "uom": "EA"}
    ]
    assert transformation["outputQuantityList"] == [
        {"epcClass": DEVICE_LOT, "quantity": 2, "uom": "EA"}
    ]
    assert commissioning["ilmd"] == {
        "cbvmda:lotNumber": "D1",
        "cbvmda:itemExpirationDate": "2029-11-23",
        "st:productionDate": "2026-11-23",
    }
    shipped, returned = events[6], events[7]
    customer = gln_party_uri(CUSTOMER_GLN)
    assert shipped["bizTransactionList"] == [
        {"type": "urn:udi-station:btt:so", "bizTransaction": "urn:udi-station:bt:so:SO-1"}
    ]
    assert shipped["destinationList"] == [{"type": "owning_party", "destination": customer}]
    assert returned["sourceList"] == [{"type": "owning_party", "source": customer}]
    assert returned["bizTransactionList"] == [
        {"type": "rma", "bizTransaction": "urn:udi-station:bt:rma:RMA-9"}
    ]

    supplier = "https://id.gs1.org/417/4012345000009"
    here = "urn:udi-station:loc:WH-1"
    assert idents(station) == [
        (1, "quantity", "lgtin", MATERIAL_LOT),
        (1, "source", "party", supplier),
        (1, "destination", "location", here),
        (2, "quantity", "lgtin", MATERIAL_LOT),
        (3, "input", "lgtin", MATERIAL_LOT),
        (3, "output", "lgtin", DEVICE_LOT),
        (4, "quantity", "lgtin", DEVICE_LOT),
        (5, "epc", "sgtin", UNITS[0]),
        (5, "epc", "sgtin", UNITS[1]),
        (6, "parent", "sscc", CASE),
        (6, "child", "sgtin", UNITS[0]),
        (6, "child", "sgtin", UNITS[1]),
        (7, "epc", "sscc", CASE),
        (7, "destination", "party", customer),
        (8, "epc", "sscc", CASE),
        (8, "source", "party", customer),
        (8, "destination", "location", here),
    ]
    assert genealogy(station) == [
        (3, MATERIAL_LOT, DEVICE_LOT, "consumed_into"),
        (5, DEVICE_LOT, UNITS[0], "contains"),
        (5, DEVICE_LOT, UNITS[1], "contains"),
        (6, CASE, UNITS[0], "contains"),
        (6, CASE, UNITS[1], "contains"),
    ]
    with station.connect() as conn:
        assert verify_ledger(conn, None).ok
        unit = current_state(conn, UNITS[0])
        assert lot_state(conn, DEVICE_LOT) is LotState.SHIPPED
        assert lot_state(conn, MATERIAL_LOT) is LotState.ACCEPTED
    assert unit is not None
    assert (unit.disposition, unit.parent_uri, unit.holder, unit.lot) == (
        "returned",
        CASE,
        None,
        "D1",
    )


def test_shipping_sets_the_holder_of_the_case_and_its_content(station: sa.Engine) -> None:
    build_to_pack(station)
    run(station, lambda c: pack(c, CTX, sscc=SSCC_1, children=UNITS))
    run(station, lambda c: ship(c, CTX, so_number="SO-1", uris=[CASE]))
    customer = gln_party_uri(CUSTOMER_GLN)
    with station.connect() as conn:
        for uri in (CASE, *UNITS):
            state = current_state(conn, uri)
            assert state is not None
            assert (state.disposition, state.holder) == ("in_transit", customer)
