"""Trace on a real migrated SQLite file: backward to supplier lots and suppliers, forward to
units, cases, pallet, shipments and customers, packing history, timeline, hostile input.

``Scenario`` records a realistic flow with drafts + ``record_event`` (no services):

    SUP-1 ─RAW-1 (M1)─┬─► L1 (F): SN1 … SN6     C1 ◄ SN1 SN2 (SN3 packed, then unpacked)
    SUP-2 ─RAW-2 (M2)─┘                         C2 ◄ SN4 SN5      P1 ◄ C1 C2 ─► 华东医院
    SUP-1 ─RAW-1 ─────────► L2 (F): SN7 SN8     C3 ◄ SN7 SN8 ─► 北京协和医院
    SUP-2 ─RAW-9 (M2) ────► L9 (F): SN90        (unrelated: must never appear)
                                                SN5 returned by 华东医院; SN3, SN6 in stock
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from station.events.capture import RecordedEvent, record_event
from station.events.correction import record_error_declaration
from station.events.ids import (
    lgtin_uri,
    location_urn,
    parse_uri,
    party_urn,
    sgtin_uri,
    sscc_uri,
    transaction_urn,
)
from station.events.model import (
    Action,
    AggregationEventDraft,
    EventDraft,
    ObjectEventDraft,
    TransformationEventDraft,
)
from station.events.parts import BizTransaction, Ilmd, Quantity, SourceDest
from station.events.vocab import SALES_ORDER
from station.services import projection
from station.trace import genealogy
from station.trace.api import recall, recall_by_fold, trace
from station.trace.model import Status
from tests.roles import READER

CST = timezone(timedelta(hours=8))
START = datetime(2026, 11, 2, 9, 0, tzinfo=CST)

FINISHED = "04012345123456"
MAT_1 = "04012345000016"
MAT_2 = "04012345000023"
RAW_1, RAW_2, RAW_9 = (
    lgtin_uri(MAT_1, "RAW-1"),
    lgtin_uri(MAT_2, "RAW-2"),
    lgtin_uri(MAT_2, "RAW-9"),
)
L1, L2, L9 = (lgtin_uri(FINISHED, lot) for lot in ("L1", "L2", "L9"))
SN = {n: sgtin_uri(FINISHED, f"SN{n}") for n in (*range(1, 9), 90)}
C1, C2, C3, P1 = (sscc_uri(f"3401234500000000{d}") for d in ("17", "24", "31", "48"))
SUP_1, SUP_2 = party_urn("SUP-1"), party_urn("SUP-2")
CUST_A, CUST_B = party_urn("CUST-A"), party_urn("CUST-B")
NAME_A, NAME_B = "华东医院", "北京协和医院"
DOCK, WH = location_urn("DOCK-1"), location_urn("WH-1")


class Scenario:
    """Records events one minute apart, as user ``qa1`` at station ``ST-1``, keeping the
    projections up to date as the services do."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.clock = START
        self.recorded: list[RecordedEvent] = []

    def record(self, draft: EventDraft) -> RecordedEvent:
        self.clock += timedelta(minutes=1)
        moment = self.clock
        with self.engine.begin() as conn:
            recorded = record_event(
                conn,
                draft,
                actor="qa1",
                station="ST-1",
                raw_scan=None,
                now=lambda: moment,
                app_version="0.1.0",
                schema_version="0002",
            )
            projection.apply(conn, recorded)  # as services.recording does
        self.recorded.append(recorded)
        return recorded

    def receive(self, lot: str, supplier: str, quantity: float) -> RecordedEvent:
        return self.record(
            ObjectEventDraft(
                action=Action.OBSERVE,
                biz_step="receiving",
                disposition="in_progress",
                quantities=(Quantity(lot, quantity, "KGM"),),
                read_point=DOCK,
                biz_location=WH,
                sources=(SourceDest("owning_party", supplier),),
            )
        )

    def inspect(self, lot: str) -> RecordedEvent:
        """Incoming or final inspection passed: the lot may be used or labelled."""
        draft = ObjectEventDraft(
            action=Action.OBSERVE,
            biz_step="inspecting",
            disposition="conformant",
            quantities=(Quantity(lot),),
            biz_location=WH,
        )
        return self.record(draft)

    def transform(self, inputs: tuple[str, ...], output: str, lot: str) -> RecordedEvent:
        return self.record(
            TransformationEventDraft(
                biz_step="commissioning",
                input_quantities=tuple(Quantity(uri, 1, "KGM") for uri in inputs),
                output_quantities=(Quantity(output, 10, "EA"),),
                ilmd=Ilmd(lot=lot),
            )
        )

    def commission(self, lot: str, units: tuple[str, ...]) -> RecordedEvent:
        return self.record(
            ObjectEventDraft(
                action=Action.ADD,
                biz_step="commissioning",
                disposition="active",
                epcs=units,
                biz_location=WH,
                ilmd=Ilmd(lot=lot, expiry=date(2028, 12, 31)),
            )
        )

    def pack(self, parent: str, children: tuple[str, ...]) -> RecordedEvent:
        draft = AggregationEventDraft(
            action=Action.ADD,
            biz_step="packing",
            disposition="container_closed",
            parent_id=parent,
            child_epcs=children,
        )
        return self.record(draft)

    def unpack(self, parent: str, children: tuple[str, ...] = ()) -> RecordedEvent:
        draft = AggregationEventDraft(
            action=Action.DELETE, biz_step="unpacking", parent_id=parent, child_epcs=children
        )
        return self.record(draft)

    def ship(self, what: str, customer: str, order: str) -> RecordedEvent:
        return self.record(
            ObjectEventDraft(
                action=Action.OBSERVE,
                biz_step="shipping",
                disposition="in_transit",
                epcs=(what,),
                biz_location=WH,
                biz_transactions=(BizTransaction(SALES_ORDER, transaction_urn("so", order)),),
                destinations=(SourceDest("owning_party", customer),),
            )
        )

    def give_back(self, unit: str) -> RecordedEvent:
        return self.record(
            ObjectEventDraft(
                action=Action.OBSERVE,
                biz_step="receiving",
                disposition="returned",
                epcs=(unit,),
                biz_location=WH,
                biz_transactions=(BizTransaction("rma", transaction_urn("rma", "R-1")),),
            )
        )


def add_master_data(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        for code, name in (("CUST-A", NAME_A), ("CUST-B", NAME_B)):
            conn.execute(
                sa.text(
                    "INSERT INTO party (code, name, kind, active) VALUES (:c, :n, 'customer', 1)"
                ),
                {"c": code, "n": name},
            )
        for code, name in (("SUP-1", "苏州材料有限公司"), ("SUP-2", "Acme Polymers")):
            conn.execute(
                sa.text(
                    "INSERT INTO supplier (code, name, qualification, active) "
                    "VALUES (:c, :n, 'qualified', 1)"
                ),
                {"c": code, "n": name},
            )
        conn.execute(
            sa.text(
                "INSERT INTO product (di, di_scheme, name_zh, name_en, trace_level, is_material,"
                " active) VALUES (:di, 'gs1', '一次性使用输液器', 'Infusion set', 'serial', 0, 1)"
            ),
            {"di": FINISHED},
        )


def build_scenario(engine: sa.Engine) -> Scenario:
    add_master_data(engine)
    s = Scenario(engine)
    for lot, supplier in ((RAW_1, SUP_1), (RAW_2, SUP_2), (RAW_9, SUP_2)):
        s.receive(lot, supplier, 5)
        s.inspect(lot)
    for inputs, lot in (((RAW_1, RAW_2), L1), ((RAW_1,), L2), ((RAW_9,), L9)):
        s.transform(inputs, lot, parse_uri(lot).lot or "")
        s.inspect(lot)
    s.commission("L1", tuple(SN[n] for n in range(1, 7)))
    s.commission("L2", (SN[7], SN[8]))
    s.commission("L9", (SN[90],))
    s.pack(C1, (SN[1], SN[2], SN[3]))
    s.pack(C2, (SN[4], SN[5]))
    s.pack(P1, (C1, C2))
    s.pack(C3, (SN[7], SN[8]))
    s.unpack(C1, (SN[3],))
    s.ship(P1, CUST_A, "SO-1")
    s.ship(C3, CUST_B, "SO-2")
    s.give_back(SN[5])
    return s


@pytest.fixture
def scenario(engine: sa.Engine) -> Scenario:
    return build_scenario(engine)


@pytest.fixture
def conn(engine: sa.Engine, scenario: Scenario) -> Iterator[sa.Connection]:
    with engine.connect() as connection:
        yield connection


@pytest.mark.req("UDI-5")
def test_backward_from_a_shipped_unit_reaches_supplier_lots_and_suppliers(conn):
    result = trace(conn, READER, SN[1])
    assert result.identifiers == (SN[1],)
    assert set(result.backward.lots) == {L1, RAW_1, RAW_2}
    assert set(result.backward.supplier_lots) == {RAW_1, RAW_2}
    assert [(p.uri, p.name) for p in result.backward.suppliers] == [
        (SUP_1, "苏州材料有限公司"),
        (SUP_2, "Acme Polymers"),
    ]
    assert RAW_9 not in result.backward.lots
    (state,) = result.state
    assert (state.status, state.holder and state.holder.name, state.lot) == (
        Status.SHIPPED,
        NAME_A,
        "L1",
    )
    assert state.container == C1


@pytest.mark.req("UDI-5")
def test_unit_timeline_has_its_lot_and_container_events_oldest_first(conn, scenario):
    result = trace(conn, READER, SN[1])
    steps = [(e.biz_step, e.via) for e in result.timeline]
    assert steps == [
        ("commissioning", f"lot {L1}"),  # the transformation that made L1
        ("inspecting", f"lot {L1}"),
        ("commissioning", "self"),
        ("packing", "self"),
        ("packing", f"container {C1}"),  # C1 onto the pallet
        ("shipping", f"container {P1}"),
    ]
    times = [e.event_time for e in result.timeline]
    assert times == sorted(times)
    ship = result.timeline[-1]
    shipping = [r for r in scenario.recorded if r.event.get("bizStep") == "shipping"]
    assert (ship.actor, ship.station, ship.disposition, ship.parties) == (
        "qa1",
        "ST-1",
        "in_transit",
        (CUST_A,),
    )
    assert ship.event_id == shipping[0].event_id
    assert ship.event_tz_offset == "+08:00"


@pytest.mark.req("UDI-5")
def test_forward_from_a_supplier_lot_reaches_every_unit_case_pallet_shipment_customer(conn):
    forward = trace(conn, READER, "RAW-1").forward  # a supplier lot as typed, no barcode
    assert set(forward.lots) == {RAW_1, L1, L2}
    assert set(forward.units) == {SN[n] for n in range(1, 9)}
    assert set(forward.containers) == {C1, C2, C3, P1}
    assert [(s.destination and s.destination.name, s.shipped) for s in forward.shipments] == [
        (NAME_A, tuple(sorted((SN[1], SN[2], SN[4], SN[5], C1, C2, P1)))),
        (NAME_B, tuple(sorted((SN[7], SN[8], C3)))),
    ]
    assert [p.name for p in forward.customers] == [NAME_A, NAME_B]
    assert len(forward.returns) == 1
    assert SN[90] not in forward.units
    assert L9 not in forward.lots


@pytest.mark.req("UDI-5")
def test_a_unit_unpacked_from_a_case_is_no_longer_in_it(conn):
    result = trace(conn, READER, SN[3])
    (state,) = result.state
    assert (state.status, state.container, state.holder) == (Status.IN_STOCK, None, None)
    assert all(e.biz_step != "shipping" for e in result.timeline)
    case = trace(conn, READER, C1)
    assert set(case.forward.units) == {SN[1], SN[2]}
    edges = {(e.parent, e.child, e.relation): e.current for e in case.edges}
    assert edges[(C1, SN[3], "contains")] is False
    assert edges[(C1, SN[1], "contains")] is True


@pytest.mark.req("UDI-5")
def test_a_returned_unit_shows_as_returned(conn):
    (state,) = trace(conn, READER, SN[5]).state
    assert (state.status, state.holder) == (Status.RETURNED, None)


@pytest.mark.req("UDI-5")
def test_a_scan_an_hri_and_a_uri_trace_the_same_unit(conn):
    by_uri = trace(conn, READER, SN[7])
    by_hri = trace(conn, READER, f"(01){FINISHED}(21)SN7")
    by_scan = trace(conn, READER, f"01{FINISHED}21SN7".encode())
    assert by_uri.identifiers == by_hri.identifiers == by_scan.identifiers == (SN[7],)
    assert by_uri.timeline == by_hri.timeline == by_scan.timeline
    assert trace(conn, READER, "340123450000000031").forward.units == (SN[7], SN[8])


@pytest.mark.req("UDI-5")
def test_an_unknown_code_gives_an_empty_result_and_says_so(conn):
    for code in ("NO-SUCH-LOT", sgtin_uri(FINISHED, "SN404"), b"\xff\xfe", ""):
        result = trace(conn, READER, code)
        assert not result.found
        assert result.timeline == ()
        assert result.forward.units == ()
        assert result.state == ()
        assert result.message is not None
        assert "Nothing recorded names" in result.message


@pytest.mark.req("UDI-5")
def test_hostile_lot_strings_come_back_verbatim(engine):
    hostile = "=cmd'/C;<b>%00\"+1"  # formula, quote, markup, percent: GS1 allows them all
    lot = lgtin_uri(MAT_1, hostile)
    unit = sgtin_uri(FINISHED, "'\"%2F<x>")
    s = Scenario(engine)
    s.receive(lot, SUP_1, 1)
    s.transform((lot,), L1, "L1")
    s.commission("L1", (unit,))
    with engine.connect() as conn:
        result = trace(conn, READER, hostile)
        assert result.identifiers == (lot,)
        assert result.forward.units == (unit,)
        (state,) = trace(conn, READER, unit).state
        assert state.serial == "'\"%2F<x>"
        backward = trace(conn, READER, unit).backward.lots
        assert {parse_uri(uri).lot for uri in backward} == {"L1", hostile}
        assert result.as_json()["identifiers"] == [lot]


def _chain(engine: sa.Engine, length: int) -> list[str]:
    """One transformation event, then ``length`` consumed_into links and one back to the start."""
    s = Scenario(engine)
    s.transform((RAW_1,), L1, "L1")
    seq = s.recorded[-1].seq
    lots = [lgtin_uri(MAT_1, f"C{n}") for n in range(length + 1)]
    rows = [
        {"seq": seq, "p": parent, "c": child}
        for parent, child in [*itertools.pairwise(lots), (lots[-1], lots[0])]
    ]
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO genealogy (event_seq, parent_uri, child_uri, relation) "
                "VALUES (:seq, :p, :c, 'consumed_into')"
            ),
            rows,
        )
    return lots


@pytest.mark.req("UDI-5")
def test_a_trace_across_a_10000_node_cycle_terminates_quickly(engine):
    lots = _chain(engine, 10_000)
    with engine.connect() as conn:
        started = time.perf_counter()
        result = trace(conn, READER, lots[0])
        elapsed = time.perf_counter() - started
    assert set(result.forward.lots) == set(lots)
    assert set(result.backward.lots) == set(lots)  # the cycle leads back to every lot
    assert elapsed < 10, f"trace took {elapsed:.1f} s"


@pytest.mark.req("UDI-5")
def test_unpack_all_and_repacking_end_the_old_containment(engine, scenario):
    c4, c5 = sscc_uri("340123450000000055"), sscc_uri("340123450000000062")
    scenario.pack(c4, (SN[6], SN[3]))
    scenario.unpack(c4)  # "unpack all": an AggregationEvent DELETE naming no children
    scenario.pack(c5, (SN[6],))
    scenario.pack(c4, (SN[6],))  # moved from c5 to c4 without an unpacking event
    scenario.ship(c5, CUST_B, "SO-9")  # c5 left empty: SN6 stays here
    with engine.connect() as conn:
        assert trace(conn, READER, SN[3]).state[0].container is None
        (state,) = trace(conn, READER, SN[6]).state
        assert (state.container, state.status) == (c4, Status.IN_STOCK)
        assert trace(conn, READER, c5).forward.units == ()
        assert trace(conn, READER, c4).forward.units == (SN[6],)


@pytest.mark.req("UDI-5")
def test_a_shipment_declared_in_error_no_longer_ships_but_stays_visible(engine, scenario):
    shipping = [r for r in scenario.recorded if r.event.get("bizStep") == "shipping"]
    with engine.begin() as writer:
        declared = record_error_declaration(
            writer,
            shipping[1].event_id,  # C3 to 北京协和医院 did not happen
            reason="did_not_occur",
            actor="qa2",
            station="ST-1",
            now=lambda: START + timedelta(days=1),
            app_version="0.1.0",
            schema_version="0002",
        )
        projection.apply(writer, declared)
    with engine.connect() as conn:
        result = trace(conn, READER, SN[7])
        fast, folded = recall(conn, READER, RAW_1), recall_by_fold(conn, READER, RAW_1)
        assert replace(fast, elapsed_seconds=0) == replace(folded, elapsed_seconds=0)
    assert result.state[0].status == Status.IN_STOCK
    flagged = [e for e in result.timeline if e.event_id == shipping[1].event_id]
    assert len(flagged) == 1
    assert flagged[0].declared_in_error
    assert any(e.corrects == shipping[1].event_id for e in result.timeline)


@pytest.mark.req("UDI-5")
def test_a_unit_scanned_with_its_lot_is_traced_as_the_unit(conn):
    result = trace(conn, READER, f"(01){FINISHED}(10)L1(21)SN4")
    assert result.identifiers == (SN[4], L1)
    assert result.forward.units == (SN[4],)  # not its five siblings
    assert [s.status for s in result.state] == [Status.SHIPPED]
    assert ("inspecting", f"lot {L1}") in [(e.biz_step, e.via) for e in result.timeline]
    assert set(result.backward.supplier_lots) == {RAW_1, RAW_2}


@pytest.mark.req("UDI-5")
def test_a_walk_past_the_node_cap_refuses_instead_of_returning_a_short_answer(conn, monkeypatch):
    monkeypatch.setattr(genealogy, "MAX_NODES", 5)
    with pytest.raises(genealogy.TraceTooLargeError, match="more than 5"):
        trace(conn, READER, "RAW-1")  # reaches 3 lots and 8 units
    monkeypatch.setattr(genealogy, "MAX_NODES", 50)
    assert len(trace(conn, READER, "RAW-1").forward.units) == 8
