"""P11-H1 in the event: a context's entry method is written as ``st:entryMethod`` by both
recorders, only with a known value, and the exported document still validates."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from station.demo import catalogue
from station.epcis.schema import validate_document
from station.epcis.stream import write_document
from station.events.capture import record_event
from station.events.model import Action, ObjectEventDraft
from station.floor.entry import MANUAL, SCANNED
from station.persistence.store import Store, open_store
from station.services.packing import pack
from station.services.recording import schema_version
from station.trace.events import events_naming
from tests import floor_data as fd
from tests.floor_data import OPERATOR, unit


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> fd.FloorData:
    return fd.build(tmp_path_factory.mktemp("entry"))


@pytest.fixture
def store(built: fd.FloorData, tmp_path: Path) -> Iterator[Store]:
    opened = open_store(built.copy_to(tmp_path))
    yield opened
    opened.close()


def _pack(store: Store, method: str | None, serial: str, case: int) -> dict[str, object]:
    ctx = replace(OPERATOR, entry_method=method)
    sscc = catalogue.sscc(case)
    recorded = store.writer.submit(
        lambda c: pack(c, ctx, sscc=sscc, children=[unit(serial)])
    ).result()
    return dict(recorded.event)


@pytest.mark.req("P11-H1")
def test_a_service_event_carries_the_context_entry_method(store: Store) -> None:
    scanned = _pack(store, SCANNED, "A001", 701)
    typed = _pack(store, MANUAL, "A002", 702)
    unknown = _pack(store, None, "A003", 703)
    assert scanned["st:entryMethod"] == "scanned"
    assert typed["st:entryMethod"] == "manual"
    assert "st:entryMethod" not in unknown  # no code was entered: the CLI, ERP, tools
    with store.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT payload FROM event WHERE event_id = :id"), {"id": typed["eventID"]}
        ).scalar_one()
        rows = events_naming(conn, [unit("A002")])[unit("A002")]
    assert json.loads(stored)["st:entryMethod"] == "manual"  # covered by the event's hash
    assert rows[-1].entry_method == "manual"  # what the trace timeline can show


def test_an_unknown_entry_method_is_never_written(store: Store) -> None:
    ctx = replace(OPERATOR, entry_method="keyboard")
    before = store.writer.submit(
        lambda c: c.execute(text("SELECT count(*) FROM event")).scalar_one()
    ).result()
    with pytest.raises(ValueError, match="entry method"):
        store.writer.submit(
            lambda c: pack(c, ctx, sscc=catalogue.sscc(704), children=[unit("A004")])
        ).result()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM event")).scalar_one() == before


def test_record_event_writes_it_too(store: Store) -> None:
    draft = ObjectEventDraft(action=Action.OBSERVE, epcs=(unit("A005"),), biz_step="inspecting")
    recorded = store.writer.submit(
        lambda c: record_event(
            c,
            draft,
            actor="u-1",
            station="ST-1",
            raw_scan=b"]d2x",
            now=OPERATOR.now,
            app_version="test",
            schema_version=schema_version(c),
            entry_method=SCANNED,
        )
    ).result()
    assert recorded.event["st:entryMethod"] == "scanned"


@pytest.mark.req("P11-H1")
def test_the_export_with_entry_methods_still_validates(store: Store) -> None:
    _pack(store, MANUAL, "A006", 705)
    _pack(store, SCANNED, "A007", 706)
    out = io.StringIO()
    with store.engine.connect() as conn:
        payloads = conn.execute(text("SELECT payload FROM event ORDER BY seq")).scalars()
        result = write_document((json.loads(p) for p in payloads), OPERATOR.now(), out)
    assert result.problems == []
    document = json.loads(out.getvalue())
    methods = [e.get("st:entryMethod") for e in document["epcisBody"]["eventList"]]
    assert methods.count("manual") == 1
    assert methods.count("scanned") == 1
    assert validate_document(document) == []


@pytest.mark.req("P11-H1")
def test_the_trace_shows_the_entry_method_and_who_by_name(store: Store) -> None:
    from datetime import UTC, datetime  # noqa: PLC0415

    from station.trace.api import trace  # noqa: PLC0415
    from station.trace.report import csv_text, trace_report  # noqa: PLC0415

    _pack(store, MANUAL, "A005", 705)
    reader = replace(OPERATOR, roles=frozenset({"qa"}))
    with store.engine.connect() as conn:
        result = trace(conn, reader, unit("A005"))
    packed = [e for e in result.timeline if e.biz_step == "packing"]
    assert [e.entry_method for e in packed] == ["manual"]
    assert packed[0].actor == OPERATOR.actor
    assert packed[0].actor_name == OPERATOR.actor_name  # as the audit trail recorded it
    report = csv_text(trace_report(result, station="ST", generated_at=datetime.now(UTC)))
    assert f"{OPERATOR.actor_name} ({OPERATOR.actor})" in report
    assert "[手工输入 / typed]" in report


def test_events_without_a_recorded_name_borrow_the_audit_trails(store: Store) -> None:
    from station.trace.people import actor_names  # noqa: PLC0415

    with store.engine.connect() as conn:
        names = actor_names(conn, ["builder", "nobody-such"])
    assert names == {"builder": "Test Builder"}  # the builder's master-data writes, audited
