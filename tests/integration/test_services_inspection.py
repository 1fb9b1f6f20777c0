"""Inspection, holds and releases (station.services.inspection / holds) on a real SQLite file."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from station.events.ids import lgtin_uri, sgtin_uri
from station.services.holds import place_hold, release_hold
from station.services.inspection import CheckpointResult, Verdict, record_inspection
from station.services.lifecycle import LotState, lot_state
from station.services.projection import current_state
from station.services.receiving import receive
from tests.integration.test_services_setup import (
    CTX,
    MATERIAL,
    RELEASER,
    SERIAL_MATERIAL,
    gs1,
    payloads,
    refused,
    run,
    station,
)

__all__ = ["station"]

LOT = lgtin_uri(MATERIAL, "L1")
GOOD = (
    CheckpointResult("Diameter", 5.02),
    CheckpointResult("Visual", True),
    CheckpointResult("Remarks", "clean"),
)


def receive_lot(engine: sa.Engine) -> None:
    code = gs1(MATERIAL, lot="L1")
    run(engine, lambda c: receive(c, CTX, po_number="PO-1", line_no=1, code=code, quantity=50))


def inspect(engine: sa.Engine, results=GOOD, verdict=Verdict.PASS, uris=(LOT,)):  # type: ignore[no-untyped-def]
    return run(
        engine,
        lambda c: record_inspection(
            c, CTX, uris=uris, plan_code="IQC", plan_version=1, results=results, verdict=verdict
        ),
    )


def state_of(engine: sa.Engine, uri: str = LOT):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return current_state(conn, uri), lot_state(conn, uri)


@pytest.mark.req("P11-F1")
def test_a_pass_records_conformant_results_and_accepts_the_lot(station: sa.Engine) -> None:
    receive_lot(station)
    inspect(station)
    event = payloads(station)[-1]
    assert (event["bizStep"], event["disposition"], event["quantityList"]) == (
        "inspecting",
        "conformant",
        [{"epcClass": LOT}],
    )
    assert "persistentDisposition" not in event
    assert event["st:inspection"] == {
        "plan": "IQC",
        "version": 1,
        "verdict": "pass",
        "checkpoints": [
            {
                "name": "Diameter",
                "value": 5.02,
                "unit": "MMT",
                "lowerLimit": 4.9,
                "upperLimit": 5.1,
                "outcome": "pass",
            },
            {"name": "Visual", "value": True, "outcome": "pass"},
            {"name": "Remarks", "value": "clean", "outcome": "recorded"},
        ],
    }
    state, lot = state_of(station)
    assert (state.disposition, state.on_hold, lot) == ("conformant", False, LotState.ACCEPTED)


@pytest.mark.req("P11-F1")
def test_a_fail_holds_the_lot_and_a_release_sends_it_back_to_inspection(station: sa.Engine) -> None:
    receive_lot(station)
    failing = (CheckpointResult("Diameter", 5.3), *GOOD[1:])
    inspect(station, failing, Verdict.FAIL)
    event = payloads(station)[-1]
    assert event["disposition"] == "non_conformant"
    assert event["persistentDisposition"] == {"set": ["non_conformant"]}
    assert event["st:inspection"]["checkpoints"][0]["outcome"] == "fail"
    state, lot = state_of(station)
    assert (state.on_hold, lot) == (True, LotState.REJECTED)
    # Held: no new verdict until released.
    assert (
        refused(
            station,
            lambda c: record_inspection(
                c,
                CTX,
                uris=(LOT,),
                plan_code="IQC",
                plan_version=1,
                results=GOOD,
                verdict=Verdict.PASS,
            ),
        ).reason
        == "on_hold"
    )
    run(station, lambda c: release_hold(c, RELEASER, [LOT], reason="MRB: re-measure"))
    release = payloads(station)[-1]
    assert (release["bizStep"], release["persistentDisposition"]) == (
        "holding",
        {"unset": ["non_conformant", "recalled"]},
    )
    assert "disposition" not in release
    state, lot = state_of(station)
    assert (state.on_hold, lot) == (False, LotState.IN_INSPECTION)
    inspect(station)
    assert state_of(station)[1] is LotState.ACCEPTED


@pytest.mark.req("P11-F1")
def test_hold_quarantines_an_accepted_lot_and_recall_is_laid_over_it(station: sa.Engine) -> None:
    receive_lot(station)
    inspect(station)
    run(station, lambda c: place_hold(c, CTX, [LOT], reason="supplier notice"))
    hold = payloads(station)[-1]
    assert (hold["bizStep"], hold["persistentDisposition"], hold["st:reason"]) == (
        "holding",
        {"set": ["non_conformant"]},
        "supplier notice",
    )
    assert "disposition" not in hold
    assert state_of(station)[1] is LotState.QUARANTINE
    again = refused(station, lambda c: place_hold(c, CTX, [LOT], reason="again"))
    assert again.reason == "on_hold"
    run(station, lambda c: place_hold(c, CTX, [LOT], reason="FSCA 7", recall=True))
    recall = payloads(station)[-1]
    assert (recall["disposition"], recall["persistentDisposition"]) == (
        "recalled",
        {"set": ["recalled"]},
    )
    state, lot = state_of(station)
    assert (state.disposition, state.on_hold, lot) == ("recalled", True, LotState.QUARANTINE)


@pytest.mark.parametrize(
    ("results", "verdict", "reason"),
    [
        (GOOD[:2], Verdict.PASS, "incomplete_results"),
        ((*GOOD, CheckpointResult("Colour", True)), Verdict.PASS, "unknown_checkpoint"),
        ((*GOOD, CheckpointResult("Visual", True)), Verdict.PASS, "duplicate"),
        ((CheckpointResult("Diameter", True), *GOOD[1:]), Verdict.PASS, "bad_result"),
        ((CheckpointResult("Diameter", "5"), *GOOD[1:]), Verdict.PASS, "bad_result"),
        ((GOOD[0], CheckpointResult("Visual", "ok"), GOOD[2]), Verdict.PASS, "bad_result"),
        (
            (CheckpointResult("Diameter", 4.8), *GOOD[1:]),
            Verdict.PASS,
            "verdict_contradicts_results",
        ),
        (
            (GOOD[0], CheckpointResult("Visual", False), GOOD[2]),
            Verdict.PASS,
            "verdict_contradicts_results",
        ),
    ],
)
def test_results_are_checked_against_the_plan(station: sa.Engine, results, verdict, reason) -> None:  # type: ignore[no-untyped-def]
    receive_lot(station)
    got = refused(
        station,
        lambda c: record_inspection(
            c, CTX, uris=(LOT,), plan_code="IQC", plan_version=1, results=results, verdict=verdict
        ),
    )
    assert got.reason == reason


def test_a_fail_is_allowed_on_judgement_with_every_checkpoint_passed(station: sa.Engine) -> None:
    receive_lot(station)
    inspect(station, GOOD, Verdict.FAIL)
    assert state_of(station)[1] is LotState.REJECTED


@pytest.mark.parametrize(
    ("uris", "plan", "reason"),
    [
        ((LOT,), ("IQC", 2), "unknown_plan"),
        ((lgtin_uri(MATERIAL, "NEVER"),), ("IQC", 1), "unknown_item"),
        ((), ("IQC", 1), "no_items"),
    ],
)
def test_inspection_refusals(station: sa.Engine, uris, plan, reason) -> None:  # type: ignore[no-untyped-def]
    receive_lot(station)
    got = refused(
        station,
        lambda c: record_inspection(
            c,
            CTX,
            uris=uris,
            plan_code=plan[0],
            plan_version=plan[1],
            results=GOOD,
            verdict=Verdict.PASS,
        ),
    )
    assert got.reason == reason


@pytest.mark.req("P11-F1")
def test_an_accepted_lot_cannot_be_inspected_again(station: sa.Engine) -> None:
    receive_lot(station)
    inspect(station)
    got = refused(
        station,
        lambda c: record_inspection(
            c, CTX, uris=(LOT,), plan_code="IQC", plan_version=1, results=GOOD, verdict=Verdict.FAIL
        ),
    )
    assert (got.reason, got.subject) == ("wrong_state", LOT)


def test_a_unit_hold_names_the_unit_and_release_needs_a_hold(station: sa.Engine) -> None:
    unit = sgtin_uri(SERIAL_MATERIAL, "P-1")
    code = gs1(SERIAL_MATERIAL, lot="B7", serial="P-1")
    run(station, lambda c: receive(c, CTX, po_number="PO-1", line_no=2, code=code, quantity=1))
    assert (
        refused(station, lambda c: release_hold(c, CTX, [unit], reason="x")).reason == "not_on_hold"
    )
    assert (
        refused(station, lambda c: place_hold(c, CTX, [unit], reason=" ")).reason
        == "reason_required"
    )
    assert (
        refused(station, lambda c: place_hold(c, CTX, [LOT], reason="x")).reason == "unknown_item"
    )
    run(station, lambda c: place_hold(c, CTX, [unit], reason="dropped"))
    hold = payloads(station)[-1]
    assert hold["epcList"] == [unit]
    state, _ = state_of(station, unit)
    assert state.on_hold
