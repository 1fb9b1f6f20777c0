"""Transformation and commissioning rules (P11-F1: labels only for ACCEPTED lots)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from station.events.ids import lgtin_uri, sgtin_uri
from station.services.commissioning import commission_lot, commission_serials
from station.services.holds import place_hold
from station.services.inspection import CheckpointResult, Verdict, record_inspection
from station.services.lifecycle import LotState, lot_state
from station.services.receiving import receive
from station.services.transformation import transform
from tests.integration.test_services_flow import DEVICE_LOT, IQC, MATERIAL_LOT, build_to_pack
from tests.integration.test_services_setup import (
    CTX,
    DEVICE,
    LOT_DEVICE,
    MATERIAL,
    gs1,
    payloads,
    refused,
    run,
    station,
)

__all__ = ["station"]

MADE = date(2026, 11, 23)
EXPIRES = date(2029, 11, 23)


def receive_material(engine: sa.Engine, *, accept: bool = True, expiry: str = "271231") -> None:
    code = gs1(MATERIAL, lot="L1", expiry=expiry)
    run(
        engine,
        lambda c: receive(
            c,
            CTX,
            po_number="PO-1",
            line_no=1,
            code=code,
            quantity=100,
            override_reason="test" if expiry < "261124" else None,
        ),
    )
    if accept:
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


def make(engine: sa.Engine, gtin: str = DEVICE, lot: str = "D1", inputs=None):  # type: ignore[no-untyped-def]
    return lambda c: transform(
        c,
        CTX,
        inputs=inputs or [(MATERIAL_LOT, 10, "EA")],
        output_gtin=gtin,
        output_lot=lot,
        output_quantity=5,
        production_date=MADE,
        expiry=EXPIRES,
    )


def accept_output(engine: sa.Engine, uri: str) -> None:
    run(
        engine,
        lambda c: record_inspection(
            c,
            CTX,
            uris=[uri],
            plan_code="FQC",
            plan_version=1,
            results=[CheckpointResult("Leak test", True)],
            verdict=Verdict.PASS,
        ),
    )


@pytest.mark.req("P11-F1")
def test_an_input_must_be_received_accepted_free_and_unexpired(station: sa.Engine) -> None:
    assert refused(station, make(station)).reason == "not_received"
    receive_material(station, accept=False)
    assert refused(station, make(station)).reason == "wrong_state"  # not yet inspected
    run(
        station,
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
    run(station, lambda c: place_hold(c, CTX, [MATERIAL_LOT], reason="supplier notice"))
    assert refused(station, make(station)).reason == "on_hold"


def test_an_expired_input_cannot_be_consumed(station: sa.Engine) -> None:
    receive_material(station, expiry="261101")  # received on an override, then accepted
    got = refused(station, make(station))
    assert (got.reason, got.subject) == ("expired", MATERIAL_LOT)


def test_transformation_output_rules(station: sa.Engine) -> None:
    receive_material(station)
    assert refused(station, make(station, gtin="04012345000054")).reason == "unknown_di"
    assert (
        refused(station, make(station, inputs=[(MATERIAL_LOT, 0, "EA")])).reason == "bad_quantity"
    )
    assert (
        refused(station, make(station, inputs=[(sgtin_uri(MATERIAL, "X"), 1, "EA")])).reason
        == "not_received"
    )
    run(station, make(station))
    assert refused(station, make(station)).reason == "wrong_state"  # lot D1 exists already
    with station.connect() as conn:
        assert lot_state(conn, DEVICE_LOT) is LotState.RECEIVED


@pytest.mark.req("P11-F1")
def test_labels_only_for_an_accepted_lot(station: sa.Engine) -> None:
    receive_material(station)
    run(station, make(station))

    def label(serials: list[str]):  # type: ignore[no-untyped-def]
        return lambda c: commission_serials(
            c, CTX, gtin=DEVICE, lot="D1", serials=serials, expiry=EXPIRES, production_date=MADE
        )

    assert refused(station, label(["S1"])).reason == "wrong_state"
    run(
        station,
        lambda c: record_inspection(
            c,
            CTX,
            uris=[DEVICE_LOT],
            plan_code="FQC",
            plan_version=1,
            results=[CheckpointResult("Leak test", False)],
            verdict=Verdict.FAIL,
        ),
    )
    assert refused(station, label(["S1"])).reason == "wrong_state"  # REJECTED
    with station.connect() as conn:
        assert lot_state(conn, DEVICE_LOT) is LotState.REJECTED


def test_a_serial_is_issued_once_over_the_whole_ledger(station: sa.Engine) -> None:
    build_to_pack(station)  # S1, S2 of D1 commissioned

    def label(serials: list[str], **kw):  # type: ignore[no-untyped-def]
        args = {"expiry": EXPIRES, "production_date": MADE, **kw}
        return lambda c: commission_serials(c, CTX, gtin=DEVICE, lot="D1", serials=serials, **args)

    got = refused(station, label(["S3", "S2"]))
    assert (got.reason, got.subject) == ("duplicate", sgtin_uri(DEVICE, "S2"))
    assert refused(station, label(["S4", "S4"])).reason == "duplicate"
    assert refused(station, label(["S4"], expiry=date(2026, 11, 1))).reason == "expired"
    assert refused(station, label(["S4"], production_date=date(2026, 12, 1))).reason == "bad_date"
    got = refused(station, label(["S4"], expiry=date(2030, 1, 1)))
    assert (got.reason, got.subject) == ("date_mismatch", DEVICE_LOT)
    got = refused(station, label(["S4"], production_date=date(2026, 11, 22)))
    assert got.reason == "date_mismatch"
    run(station, label(["S3"]))  # more labels for the same accepted lot are fine
    assert payloads(station)[-1]["epcList"] == [sgtin_uri(DEVICE, "S3")]


def test_lot_level_commissioning_names_the_lot_quantity(station: sa.Engine) -> None:
    receive_material(station)
    run(station, make(station, gtin=LOT_DEVICE, lot="G1"))
    lot = lgtin_uri(LOT_DEVICE, "G1")
    commission = lambda c: commission_lot(  # noqa: E731
        c, CTX, gtin=LOT_DEVICE, lot="G1", quantity=5, expiry=EXPIRES, production_date=MADE
    )
    assert refused(station, commission).reason == "wrong_state"
    accept_output(station, lot)
    wrong = lambda c: commission_serials(  # noqa: E731
        c, CTX, gtin=LOT_DEVICE, lot="G1", serials=["S1"], expiry=EXPIRES, production_date=MADE
    )
    assert refused(station, wrong).reason == "wrong_trace_level"
    run(station, commission)
    event = payloads(station)[-1]
    assert (event["action"], event["bizStep"], event["quantityList"]) == (
        "ADD",
        "commissioning",
        [{"epcClass": lot, "quantity": 5, "uom": "EA"}],
    )
    assert event["ilmd"]["cbvmda:lotNumber"] == "G1"
    with station.connect() as conn:
        assert lot_state(conn, lot) is LotState.LABELLED
