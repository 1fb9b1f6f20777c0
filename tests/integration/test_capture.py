"""Capture on a real, migrated SQLite file (``engine`` from conftest): the event row, its
identifiers and genealogy, all or nothing."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa

from station.events import capture
from station.events.capture import InvalidEventError, RecordedEvent, record_event
from station.events.correction import CorrectionError, record_error_declaration
from station.events.ids import lgtin_uri, party_urn, udi_urn
from station.events.model import Action, AggregationEventDraft, EventDraft, ObjectEventDraft
from station.ledger import canonical_json, verify_ledger
from station.persistence.writer import DbWriter
from tests.unit.test_event_model import CASE, DRAFTS, GTIN, LOT, UNIT, UNIT2

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 24, 16, 15, 30, 123_000, tzinfo=CST)


def record(
    engine: sa.Engine, draft: EventDraft, raw_scan: bytes | None = None, now: datetime = NOW
) -> RecordedEvent:
    with engine.begin() as conn:
        return record_event(
            conn,
            draft,
            actor="u1",
            station="ST-1",
            raw_scan=raw_scan,
            now=lambda: now,
            app_version="0.1.0",
            schema_version="0002",
        )


def rows(engine: sa.Engine, table: str, *columns: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        query = f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"
        return [tuple(row) for row in conn.execute(sa.text(query))]


def counts(engine: sa.Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        found = [
            conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("event", "event_ident", "genealogy")
        ]
    return found[0], found[1], found[2]


def test_commissioning_writes_event_idents_and_lot_genealogy(engine):
    recorded = record(engine, DRAFTS["commissioning"], raw_scan=b"\x1d0104012345123456")
    with engine.connect() as conn:
        event = conn.execute(sa.text("SELECT * FROM event")).mappings().one()
    assert recorded.seq == event["seq"] == 1
    assert event["event_id"] == recorded.event_id == json.loads(event["payload"])["eventID"]
    assert event["event_id"].startswith("urn:uuid:")
    assert (event["event_type"], event["action"], event["biz_step"], event["disposition"]) == (
        "ObjectEvent",
        "ADD",
        "commissioning",
        "active",
    )
    assert (event["event_time"], event["event_tz_offset"], event["record_time"]) == (
        "2026-11-24T08:15:30.123Z",
        "+08:00",
        "2026-11-24T08:15:30.123Z",
    )
    assert (event["actor"], event["app_version"], event["schema_version"]) == (
        "u1",
        "0.1.0",
        "0002",
    )
    assert event["raw_scan"] == b"\x1d0104012345123456"
    payload = json.loads(event["payload"])
    assert event["payload"] == canonical_json(payload) == recorded.payload
    assert bytes.fromhex(payload["st:rawScan"]) == event["raw_scan"]
    assert (payload["st:actor"], payload["st:station"]) == ("u1", "ST-1")
    assert rows(engine, "event_ident", "event_seq", "role", "uri", "kind", "gtin", "serial") == [
        (1, "epc", UNIT, "sgtin", GTIN, "SN1"),
        (1, "epc", UNIT2, "sgtin", GTIN, "SN2"),
    ]
    assert rows(engine, "genealogy", "event_seq", "parent_uri", "child_uri", "relation") == [
        (1, LOT, UNIT, "contains"),
        (1, LOT, UNIT2, "contains"),
    ]


def test_receiving_a_lot_quantity_writes_quantity_and_source_rows(engine):
    record(engine, DRAFTS["receiving"])
    assert rows(engine, "event_ident", "role", "uri", "kind", "gtin", "lot", "quantity", "uom") == [
        ("quantity", LOT, "lgtin", GTIN, "L1", 20.0, "EA"),
        ("source", party_urn("SUP-1"), "party", None, None, None, None),
    ]
    assert counts(engine) == (1, 2, 0)


@pytest.mark.parametrize(
    ("name", "idents", "links"),
    [
        (
            "packing",
            [("parent", CASE, "sscc"), ("child", UNIT, "sgtin"), ("child", UNIT2, "sgtin")],
            [(CASE, UNIT, "contains"), (CASE, UNIT2, "contains")],
        ),
        (
            "unpacking",
            [("parent", CASE, "sscc"), ("child", UNIT, "sgtin")],
            [(CASE, UNIT, "unpacked")],
        ),
        (
            "transformation",
            [
                ("input", lgtin_uri("04012345000009", "RAW-1"), "lgtin"),
                ("output", LOT, "lgtin"),
            ],
            [(lgtin_uri("04012345000009", "RAW-1"), LOT, "consumed_into")],
        ),
        ("transaction", [("epc", UNIT, "sgtin")], []),
        ("association", [("parent", CASE, "sscc"), ("child", UNIT, "sgtin")], []),
        ("shipping", [("epc", CASE, "sscc"), ("destination", party_urn("CUST-1"), "party")], []),
        ("inspection fail + hold", [("epc", UNIT, "sgtin")], []),
    ],
)
def test_each_event_type_writes_exactly_its_rows(engine, name, idents, links):
    record(engine, DRAFTS[name])
    assert rows(engine, "event_ident", "role", "uri", "kind") == idents
    assert rows(engine, "genealogy", "parent_uri", "child_uri", "relation") == links


def test_a_hibc_unit_is_indexed_by_lot_and_serial(engine):
    unit = udi_urn("hibc", "J123AQ3451", serial="4012")
    lot = udi_urn("hibc", "J123AQ3451", lot="BC34567")
    draft = ObjectEventDraft(action=Action.OBSERVE, biz_step="receiving", epcs=(unit,))
    record(engine, draft)
    draft = ObjectEventDraft(action=Action.OBSERVE, biz_step="receiving", epcs=(lot,))
    record(engine, draft)
    assert rows(engine, "event_ident", "uri", "kind", "gtin", "lot", "serial") == [
        (unit, "other", None, None, "4012"),
        (lot, "other", None, "BC34567", None),
    ]


def test_recording_through_the_db_writer_commits_before_it_resolves(engine):
    writer = DbWriter(engine)
    try:
        future = writer.submit(
            lambda conn: record_event(
                conn,
                DRAFTS["packing"],
                actor="u1",
                station="ST-1",
                raw_scan=None,
                now=lambda: NOW,
                app_version="0.1.0",
                schema_version="0002",
            )
        )
        recorded = future.result(timeout=10)
    finally:
        writer.close()
    assert recorded.seq == 1
    assert counts(engine) == (1, 3, 2)


def test_events_chain_and_verify(engine):
    recorded = [record(engine, DRAFTS[name]) for name in ("commissioning", "packing", "shipping")]
    assert [r.seq for r in recorded] == [1, 2, 3]
    assert recorded[0].event_id < recorded[1].event_id < recorded[2].event_id
    with engine.connect() as conn:
        assert verify_ledger(conn, None).ok


@pytest.mark.parametrize("step", ["_insert_idents", "_insert_genealogy"])
def test_a_failure_mid_way_leaves_nothing(engine, monkeypatch, step):
    record(engine, DRAFTS["receiving"])

    def broken(*_args: object) -> None:
        msg = "disk on fire"
        raise RuntimeError(msg)

    monkeypatch.setattr(capture, step, broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        record(engine, DRAFTS["packing"])
    assert counts(engine) == (1, 2, 0)  # only the first event and its rows


def test_an_event_that_would_not_be_valid_epcis_is_never_written(engine):
    # +15:00 is a valid Python offset but outside EPCIS's eventTimeZoneOffset range.
    odd_clock = datetime(2026, 11, 24, 12, 0, tzinfo=timezone(timedelta(hours=15)))
    with pytest.raises(InvalidEventError, match="eventTimeZoneOffset"):
        record(engine, DRAFTS["release"], now=odd_clock)
    assert counts(engine) == (0, 0, 0)


def test_an_error_declaration_cannot_be_recorded_as_a_new_event(engine):
    with pytest.raises(ValueError, match="record_error_declaration"):
        record(engine, DRAFTS["error declaration"])
    assert counts(engine) == (0, 0, 0)


def test_a_naive_clock_is_refused(engine):
    with pytest.raises(ValueError, match="UTC offset"):
        record(engine, DRAFTS["release"], now=datetime(2026, 11, 24))  # noqa: DTZ001
    assert counts(engine) == (0, 0, 0)


def declare(engine: sa.Engine, event_id: str, corrective: tuple[str, ...]) -> RecordedEvent:
    with engine.begin() as conn:
        return record_error_declaration(
            conn,
            event_id,
            reason="incorrect_data",
            corrective_event_ids=corrective,
            actor="qa1",
            station="ST-1",
            now=lambda: NOW + timedelta(hours=1),
            app_version="0.1.0",
            schema_version="0002",
        )


def test_error_declaration_is_a_copy_with_the_original_event_id(engine):
    wrong = record(engine, DRAFTS["packing"])
    fixed_draft = AggregationEventDraft(
        action=Action.ADD,
        biz_step="packing",
        disposition="container_closed",
        parent_id=CASE,
        child_epcs=(UNIT,),
        corrects=wrong.event_id,
    )
    fixed = record(engine, fixed_draft)
    declaration = declare(engine, wrong.event_id, (fixed.event_id,))

    payload = dict(declaration.event)
    error = payload.pop("errorDeclaration")
    assert payload == dict(wrong.event)  # otherwise identical, eventID included
    assert error == {
        "declarationTime": "2026-11-24T09:15:30.123Z",
        "reason": "incorrect_data",
        "correctiveEventIDs": [fixed.event_id],
        "st:actor": "qa1",
        "st:station": "ST-1",
    }
    with engine.connect() as conn:
        corrects = dict(conn.execute(sa.text("SELECT seq, corrects_event_id FROM event")).all())
        event_ids = conn.execute(sa.text("SELECT event_id FROM event")).scalars().all()
    assert corrects == {1: None, 2: wrong.event_id, 3: wrong.event_id}
    assert len(set(event_ids)) == 3  # the row itself has its own ID
    # The declaration names the same identifiers but establishes no genealogy.
    assert rows(engine, "genealogy", "event_seq", "child_uri", "relation") == [
        (1, UNIT, "contains"),
        (1, UNIT2, "contains"),
        (2, UNIT, "contains"),
    ]

    with pytest.raises(CorrectionError, match="already been declared"):
        declare(engine, wrong.event_id, ())
    with pytest.raises(CorrectionError, match="no event"):
        declare(engine, "urn:uuid:00000000-0000-7000-8000-000000000000", ())
    assert counts(engine)[0] == 3
