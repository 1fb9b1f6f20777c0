"""Goods receipt (station.services.receiving) on a real migrated SQLite file."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from station.events.ids import gln_party_uri, lgtin_uri, sgtin_uri
from station.ledger import verify_ledger
from station.services.errors import audit_refusal
from station.services.projection import current_state
from station.services.receiving import receive
from tests.integration.test_services_setup import (
    CTX,
    DEVICE,
    MATERIAL,
    SERIAL_MATERIAL,
    SUPPLIER_GLN,
    counts,
    gs1,
    payloads,
    refused,
    run,
    station,
)

__all__ = ["station"]  # the fixture, re-exported for pytest


def test_lot_receipt_records_the_cbv_receiving_event(station: sa.Engine) -> None:
    code = gs1(MATERIAL, lot="L1")
    recorded = run(
        station,
        lambda c: receive(
            c, CTX, po_number="PO-1", line_no=1, code=code, quantity=200, temperature_c=4.5
        ),
    )
    [event] = payloads(station)
    assert event["eventID"] == recorded.event_id
    assert (event["type"], event["action"], event["bizStep"], event["disposition"]) == (
        "ObjectEvent",
        "OBSERVE",
        "receiving",
        "in_progress",
    )
    lot = lgtin_uri(MATERIAL, "L1")
    assert event["quantityList"] == [{"epcClass": lot, "quantity": 200, "uom": "EA"}]
    assert "epcList" not in event
    assert event["bizTransactionList"] == [
        {"type": "po", "bizTransaction": "urn:udi-station:bt:po:PO-1"}
    ]
    assert event["sourceList"] == [{"type": "owning_party", "source": gln_party_uri(SUPPLIER_GLN)}]
    assert event["destinationList"] == [
        {"type": "location", "destination": "urn:udi-station:loc:WH-1"}
    ]
    assert event["st:supplierLot"] == {"lotNumber": "L1", "itemExpirationDate": "2027-12-31"}
    assert event["sensorElementList"][0]["sensorReport"] == [
        {"type": "Temperature", "value": 4.5, "uom": "CEL"}
    ]
    assert event["st:actor"] == "u-ops"
    assert event["st:rawScan"] == code.raw.hex()
    assert "st:override" not in event
    with station.connect() as conn:
        state = current_state(conn, lot)
        raw = conn.execute(sa.text("SELECT raw_scan FROM event")).scalar_one()
        assert verify_ledger(conn, None).ok
    assert raw == code.raw
    assert state is not None
    assert (state.disposition, state.biz_location, state.on_hold) == (
        "in_progress",
        "urn:udi-station:loc:WH-1",
        False,
    )


@pytest.mark.req("UDI-5")
def test_serial_receipt_names_the_unit_and_refuses_a_second_receipt(station: sa.Engine) -> None:
    code = gs1(SERIAL_MATERIAL, lot="B7", serial="P-001")
    run(station, lambda c: receive(c, CTX, po_number="PO-1", line_no=2, code=code, quantity=1))
    [event] = payloads(station)
    unit = sgtin_uri(SERIAL_MATERIAL, "P-001")
    assert event["epcList"] == [unit]
    with station.connect() as conn:
        state = current_state(conn, unit)
    assert state is not None
    assert state.lot == "B7"  # the supplier lot, from st:supplierLot
    again = refused(
        station, lambda c: receive(c, CTX, po_number="PO-1", line_no=2, code=code, quantity=1)
    )
    assert (again.reason, again.subject) == ("duplicate", unit)


@pytest.mark.parametrize(
    ("po", "line", "code", "quantity", "reason"),
    [
        ("PO-1", 1, gs1(DEVICE, lot="X"), 1, "not_on_order"),  # known product, not on the PO
        ("PO-1", 2, gs1(MATERIAL, lot="L1"), 1, "not_on_order"),  # on the PO, other line
        ("PO-1", 1, gs1("04012345000054", lot="L1"), 1, "unknown_di"),
        ("PO-9", 1, gs1(MATERIAL, lot="L1"), 1, "unknown_order"),
        ("PO-CLOSED", 1, gs1(MATERIAL, lot="L1"), 1, "order_closed"),
        ("PO-BAD", 1, gs1(MATERIAL, lot="L1"), 1, "supplier_unqualified"),
        ("PO-OLD", 1, gs1(MATERIAL, lot="L1"), 1, "supplier_qualification_expired"),
        ("PO-COND", 1, gs1(MATERIAL, lot="L1"), 1, "supplier_conditional"),
        ("PO-1", 1, gs1(MATERIAL, lot="L1", expiry="261123"), 1, "expired"),
        ("PO-1", 1, gs1(MATERIAL, lot="L1"), 0, "bad_quantity"),
        ("PO-1", 2, gs1(SERIAL_MATERIAL, lot="L1"), 1, "serial_required"),
        ("PO-1", 2, gs1(SERIAL_MATERIAL, serial="S1"), 2, "bad_quantity"),
        ("PO-1", 1, gs1(MATERIAL), 5, "lot_required"),
    ],
)
def test_each_rule_refuses_with_its_reason_and_writes_nothing(
    station: sa.Engine, po: str, line: int, code: object, quantity: int, reason: str
) -> None:
    from station.udi.model import ParsedCode  # noqa: PLC0415

    assert isinstance(code, ParsedCode)
    got = refused(
        station, lambda c: receive(c, CTX, po_number=po, line_no=line, code=code, quantity=quantity)
    )
    assert got.reason == reason


def test_an_item_expiring_today_is_still_received(station: sa.Engine) -> None:
    code = gs1(MATERIAL, lot="L1", expiry="261124")  # the clock's own date
    run(station, lambda c: receive(c, CTX, po_number="PO-1", line_no=1, code=code, quantity=1))
    assert counts(station)["event"] == 1


def test_an_invalid_scan_is_refused(station: sa.Engine) -> None:
    from station.udi import read_scan  # noqa: PLC0415

    code = read_scan(b"]d20104012345000017")  # wrong check digit
    assert not code.valid
    got = refused(
        station, lambda c: receive(c, CTX, po_number="PO-1", line_no=1, code=code, quantity=1)
    )
    assert got.reason == "invalid_code"


@pytest.mark.parametrize(
    ("po", "expiry", "overruled"),
    [("PO-1", "260101", ["expired"]), ("PO-COND", "271231", ["supplier_conditional"])],
)
def test_an_override_records_who_and_why(
    station: sa.Engine, po: str, expiry: str, overruled: list[str]
) -> None:
    code = gs1(MATERIAL, lot="L1", expiry=expiry)
    run(
        station,
        lambda c: receive(
            c, CTX, po_number=po, line_no=1, code=code, quantity=5, override_reason="QA approved"
        ),
    )
    [event] = payloads(station)
    assert event["st:override"] == {
        "actor": "u-ops",
        "actorName": "Olga Operator",
        "reason": "QA approved",
        "overruled": overruled,
    }


@pytest.mark.parametrize(
    ("po", "line", "code", "reason"),
    [
        ("PO-1", 1, gs1(DEVICE, lot="X"), "not_on_order"),
        ("PO-BAD", 1, gs1(MATERIAL, lot="L1"), "supplier_unqualified"),
        ("PO-OLD", 1, gs1(MATERIAL, lot="L1"), "supplier_qualification_expired"),
        ("PO-1", 1, gs1(MATERIAL, lot="L1", expiry="261123"), None),  # overridable: recorded
    ],
)
def test_an_override_cannot_overrule_a_final_refusal(
    station: sa.Engine, po: str, line: int, code: object, reason: str | None
) -> None:
    from station.udi.model import ParsedCode  # noqa: PLC0415

    assert isinstance(code, ParsedCode)

    def action(c: sa.Connection) -> object:
        return receive(
            c, CTX, po_number=po, line_no=line, code=code, quantity=1, override_reason="x"
        )

    if reason is None:
        run(station, action)
        assert counts(station)["event"] == 1
    else:
        assert refused(station, action).reason == reason


@pytest.mark.req("P11-F1")
def test_a_refusal_can_be_audited(station: sa.Engine) -> None:
    code = gs1(MATERIAL, lot="L1", expiry="261123")
    got = refused(
        station, lambda c: receive(c, CTX, po_number="PO-1", line_no=1, code=code, quantity=1)
    )
    before = counts(station)["audit"]
    run(station, lambda c: audit_refusal(c, CTX, got))
    with station.connect() as conn:
        row = (
            conn.execute(sa.text("SELECT * FROM audit ORDER BY seq DESC LIMIT 1")).mappings().one()
        )
        assert verify_ledger(conn, None).ok
    assert counts(station)["audit"] == before + 1
    assert (row["action"], row["entity_id"], row["actor"]) == ("service.refused", MATERIAL, "u-ops")
    assert row["new_value"] == '{"reason":"expired"}'
