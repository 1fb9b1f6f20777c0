"""Recall on the trace scenario (see ``test_trace``): every affected unit with its status and
holder, counts exact against a hand-written expectation, and recall holds on what we still hold.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from station.context import WriteContext
from station.events.capture import record_event
from station.events.model import Action, ObjectEventDraft
from station.events.parts import SourceDest
from station.services import projection
from station.trace.api import recall, recall_by_fold
from station.trace.holds import in_our_hands, place_recall_holds
from station.trace.model import RecallResult
from tests.integration.test_trace import (
    C1,
    C2,
    C3,
    CUST_A,
    CUST_B,
    FINISHED,
    L1,
    L2,
    NAME_A,
    NAME_B,
    P1,
    RAW_1,
    RAW_2,
    SN,
    Scenario,
    build_scenario,
)
from tests.roles import READER

# Hand-written from the scenario drawing, not computed: unit → (status, holder).
EXPECTED_RAW_1 = {
    SN[1]: ("shipped", CUST_A),
    SN[2]: ("shipped", CUST_A),
    SN[3]: ("in_stock", None),  # unpacked from C1 before the pallet left
    SN[4]: ("shipped", CUST_A),
    SN[5]: ("returned", None),
    SN[6]: ("in_stock", None),  # never packed
    SN[7]: ("shipped", CUST_B),
    SN[8]: ("shipped", CUST_B),
}


@pytest.fixture
def scenario(engine: sa.Engine) -> Scenario:
    return build_scenario(engine)


@pytest.fixture
def conn(engine: sa.Engine, scenario: Scenario) -> Iterator[sa.Connection]:
    with engine.connect() as connection:
        yield connection


@pytest.mark.req("UDI-5")
def test_recall_of_a_supplier_lot_locates_every_unit_with_exact_counts(conn):
    result = recall(conn, READER, "RAW-1")
    got = {u.uri: (u.status, u.holder.uri if u.holder else None) for u in result.units}
    assert got == EXPECTED_RAW_1
    assert result.by_status == {"in_stock": 2, "returned": 1, "shipped": 5}
    assert result.by_customer == {CUST_A: 3, CUST_B: 2}
    assert {lot.uri for lot in result.lots} == {RAW_1, L1, L2}
    assert {c.uri for c in result.containers} == {C1, C2, C3, P1}
    assert [p.name for p in result.customers] == [NAME_A, NAME_B]
    assert result.message is None
    assert result.found
    assert 0 < result.elapsed_seconds < 5


@pytest.mark.req("UDI-5")
def test_recall_of_the_second_supplier_lot_is_only_what_it_went_into(conn):
    result = recall(conn, READER, RAW_2)
    assert {u.uri for u in result.units} == {SN[n] for n in range(1, 7)}
    assert result.by_status == {"in_stock": 2, "returned": 1, "shipped": 3}
    assert result.by_customer == {CUST_A: 3}
    assert {c.uri for c in result.containers} == {C1, C2, P1}


@pytest.mark.req("UDI-5")
def test_recall_units_carry_lot_product_and_container(conn):
    units = {u.uri: u for u in recall(conn, READER, "RAW-1").units}
    assert (units[SN[1]].lot, units[SN[1]].container) == ("L1", C1)
    assert (units[SN[7]].lot, units[SN[3]].container) == ("L2", None)
    assert units[SN[1]].product == "一次性使用输液器 / Infusion set"


@pytest.mark.req("UDI-5")
def test_recall_as_json_has_stable_keys(conn):
    data = recall(conn, READER, "RAW-1").as_json()
    assert list(data) == [
        "code",
        "identifiers",
        "message",
        "units",
        "lots",
        "containers",
        "customers",
        "by_status",
        "by_customer",
        "elapsed_seconds",
    ]
    assert data["units"][0]["holder"] == {"uri": CUST_A, "name": NAME_A}


@pytest.mark.req("UDI-5")
def test_recall_of_an_unknown_lot_is_empty_and_says_so(conn):
    result = recall(conn, READER, "NOPE-1")
    assert not result.found
    assert result.units == ()
    assert result.by_status == {}
    assert result.message is not None
    assert "NOPE-1" in result.message


def add_station(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO location (code, name, kind, active) "
                "VALUES ('WH-1', '成品库', 'warehouse', 1)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO station_info (code, name, location_id) VALUES ('ST-1', '扫描站1', 1)"
            )
        )
        projection.rebuild(conn)


@pytest.mark.req("UDI-5")
def test_recall_holds_cover_exactly_what_is_still_in_our_hands(engine, scenario):
    add_station(engine)
    with engine.connect() as conn:
        result = recall(conn, READER, "RAW-1")
    held = set(in_our_hands(result))
    assert {uri for uri in held if uri in SN.values()} == {SN[3], SN[5], SN[6]}
    ctx = WriteContext(
        station="ST-1",
        actor="qa1",
        clock=lambda: datetime.fromisoformat("2026-11-03T10:00:00+08:00"),
        roles=frozenset({"qa"}),  # recall.run and lot.hold
    )
    with engine.begin() as conn:
        recorded = place_recall_holds(conn, ctx, result, reason="供应商批次 RAW-1 召回")
    assert recorded is not None
    assert recorded.event["disposition"] == "recalled"
    assert recorded.event["persistentDisposition"] == {"set": ["recalled"]}
    with engine.connect() as conn:
        after = {u.uri: u.status for u in recall(conn, READER, "RAW-1").units}
    assert {uri for uri, status in after.items() if status == "on_hold"} == {SN[3], SN[5], SN[6]}
    assert [after[SN[n]] for n in (1, 2, 4, 7, 8)] == ["shipped"] * 5


@pytest.mark.req("UDI-5")
def test_recall_by_scanning_one_unit_recalls_its_whole_lot(conn):
    result = recall(conn, READER, f"01{FINISHED}21SN7".encode())
    assert result.identifiers == (L2,)
    assert {u.uri for u in result.units} == {SN[7], SN[8]}
    assert result.by_customer == {CUST_B: 2}


def _without_time(result: RecallResult) -> RecallResult:
    return replace(result, elapsed_seconds=0)


@pytest.mark.parametrize("code", [RAW_1, RAW_2, L1, L2, SN[1], SN[7], P1, C1, C3])
def test_the_projection_recall_equals_the_fold_of_the_events(conn, code):
    assert projection.up_to_date(conn)
    assert _without_time(recall(conn, READER, code)) == _without_time(
        recall_by_fold(conn, READER, code)
    )


def test_events_that_skipped_the_projections_are_still_in_the_recall(engine, scenario):
    """A path that writes events without the projections must not make a recall stale."""
    with engine.begin() as writer:
        record_event(
            writer,
            ObjectEventDraft(
                action=Action.OBSERVE,
                biz_step="shipping",
                disposition="in_transit",
                epcs=(SN[6],),
                destinations=(SourceDest("owning_party", CUST_B),),
            ),
            actor="qa1",
            station="ST-1",
            raw_scan=None,
            now=lambda: datetime(2027, 1, 1, tzinfo=UTC),
            app_version="0.1.0",
            schema_version="0004",
        )
    with engine.connect() as conn:
        assert not projection.up_to_date(conn)
        result = recall(conn, READER, RAW_1)
    shipped = {u.uri: u.holder.uri if u.holder else None for u in result.units}
    assert shipped[SN[6]] == CUST_B
