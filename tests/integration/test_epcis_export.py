"""EPCIS export: the official schema with live format checks, GS1's examples, known-bad
mutations, and ``station export-epcis`` end to end on a real database."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
import sqlalchemy as sa
from jsonschema import FormatChecker  # type: ignore[import-untyped]

from station.epcis import schema
from station.epcis.document import EPCIS_CONTEXT, STATION_NAMESPACE, epcis_document
from station.epcis.schema import validate_document, validate_event
from station.epcis.stream import write_document
from station.events.capture import record_event
from station.events.correction import record_error_declaration
from station.ledger import append_event, canonical_json
from station.resources import resource_path
from tests.unit.test_event_model import DRAFTS, UNIT
from ui.cli import main

EXAMPLES = Path(__file__).parents[1] / "data" / "epcis"
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def example(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EXAMPLES / name).read_text("utf-8"))
    return document


# --------------------------------------------------------------------------- the schema


def test_format_checkers_for_uri_and_date_time_are_active():
    assert {"uri", "date-time"} <= set(FormatChecker().checkers)


def test_validation_refuses_to_run_without_the_format_checkers(monkeypatch):
    class Blind:  # a FormatChecker as jsonschema has it without rfc3987
        checkers: ClassVar[dict[str, object]] = {"date-time": object()}

    monkeypatch.setattr(schema, "FormatChecker", Blind)
    schema.format_checker.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="rfc3987"):
            schema.format_checker()
    finally:
        monkeypatch.undo()
        schema.format_checker.cache_clear()
    assert schema.format_checker().conforms("urn:x:a b", "uri") is False  # restored


def test_the_shipped_schema_is_the_official_copy_with_its_notice():
    folder = resource_path("epcis")
    assert (folder / "Disclaimer.txt").is_file()
    assert "2b888befbc071e1c2d388e027b30149b3f51dcef" in (folder / "README.md").read_text("utf-8")
    assert schema.load_schema()["$schema"].startswith("http://json-schema.org/draft-07/")
    context = json.loads((folder / "contexts" / "epcis-context-root.jsonld").read_text("utf-8"))
    # The official context is protected and declares cbvmda itself: we must not redeclare it.
    assert context["@context"]["@protected"] is True
    assert context["@context"]["cbvmda"] == "urn:epcglobal:cbv:mda:"


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.jsonld")))
def test_official_examples_validate_as_documents_and_event_by_event(name):
    document = example(name)
    assert validate_document(document) == []
    for event in document["epcisBody"]["eventList"]:
        assert validate_event(event) == []


def test_event_lists_are_checked_member_by_member():
    # The streaming export relies on it: envelope valid + each event valid == document valid.
    definitions = schema.load_schema()["definitions"]
    assert definitions["eventList"] == {
        "type": "array",
        "items": {"$ref": "#/definitions/EPCIS-Document-Event"},
    }
    body = definitions["epcisDocument"]["properties"]["epcisBody"]
    assert body == {
        "type": "object",
        "properties": {"eventList": {"$ref": "#/definitions/eventList"}},
        "required": ["eventList"],
    }


def test_every_bad_event_is_reported_at_its_place():
    good = example("Example_9.6.1-ObjectEvent.jsonld")["epcisBody"]["eventList"][0]
    events = [good, {**good, "bizStep": "recieving"}, good, {**good, "eventTime": "22-07-2026"}]
    out = io.StringIO()
    result = write_document(events, NOW, out)
    assert result.events == 4
    assert list(dict.fromkeys(p.split(":")[0] for p in result.problems)) == [
        "/epcisBody/eventList/1/bizStep",
        "/epcisBody/eventList/3/eventTime",
    ]
    assert validate_document(json.loads(out.getvalue())) != []  # the same verdict, whole


def _mutate(path: str, value: object) -> dict[str, Any]:
    document = copy.deepcopy(example("Example_9.6.1-ObjectEvent.jsonld"))
    event = document["epcisBody"]["eventList"][1]
    event[path] = value
    return document


@pytest.mark.parametrize(
    ("document", "where"),
    [
        (_mutate("bizStep", "recieving"), "/epcisBody/eventList/1/bizStep"),
        (_mutate("foo", "bar"), "/epcisBody/eventList/1"),  # extension key without prefix
        (_mutate("epcList", ["04012345123456"]), "/epcisBody/eventList/1/epcList/0"),
        (_mutate("eventTime", "22-07-2026"), "/epcisBody/eventList/1/eventTime"),
        (_mutate("eventTimeZoneOffset", "+8:00"), "/epcisBody/eventList/1/eventTimeZoneOffset"),
        (_mutate("disposition", "urn:epcglobal:cbv:disp:in_progres"), "/epcisBody/eventList/1"),
    ],
)
def test_known_bad_mutations_are_rejected(document, where):
    problems = validate_document(document)
    assert problems
    assert any(problem.startswith(where) for problem in problems), problems


def test_station_document_shape():
    document = epcis_document([], NOW)
    assert document["@context"] == [EPCIS_CONTEXT, {"st": STATION_NAMESPACE}]
    assert (document["type"], document["schemaVersion"]) == ("EPCISDocument", "2.0")
    assert validate_document(document) == []


# --------------------------------------------------------------------------- the command


def clock(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def record_all(engine: sa.Engine, names: list[str], start: datetime) -> list[str]:
    event_ids = []
    for minutes, name in enumerate(names):
        moment = (start + timedelta(minutes=minutes)).astimezone()  # the local zone, as a station
        with engine.begin() as conn:
            recorded = record_event(
                conn,
                DRAFTS[name],
                actor="u1",
                station="ST-1",
                raw_scan=b"\x1d01",
                now=clock(moment),
                app_version="0.1.0",
                schema_version="0002",
            )
        event_ids.append(recorded.event_id)
    return event_ids


def test_export_writes_every_event_type_in_seq_order(engine, db_path, tmp_path, capsys):
    names = [name for name in DRAFTS if name != "error declaration"]
    event_ids = record_all(engine, names, NOW)
    with engine.begin() as conn:
        record_error_declaration(
            conn,
            event_ids[0],
            reason="incorrect_data",
            corrective_event_ids=(event_ids[1],),
            actor="qa1",
            station="ST-1",
            now=clock(NOW + timedelta(hours=1)),
            app_version="0.1.0",
            schema_version="0002",
        )
    out = tmp_path / "export.jsonld"
    # The writer engine is still open (it holds the writer lock): export reads beside it.
    assert main(["export-epcis", "--db", str(db_path), "--out", str(out)]) == 0
    assert f"{len(names) + 1} events written" in capsys.readouterr().out
    document = json.loads(out.read_text("utf-8"))
    assert validate_document(document) == []
    events = document["epcisBody"]["eventList"]
    assert [event["eventID"] for event in events] == [*event_ids, event_ids[0]]
    assert "errorDeclaration" in events[-1]
    with engine.connect() as conn:
        payloads = conn.execute(sa.text("SELECT payload FROM event ORDER BY seq")).scalars().all()
    assert [canonical_json(event) for event in events] == payloads
    assert {event["type"] for event in events} == {
        "ObjectEvent",
        "AggregationEvent",
        "TransformationEvent",
        "TransactionEvent",
        "AssociationEvent",
    }


def test_since_filters_on_record_time_so_late_corrections_are_not_missed(engine, db_path, tmp_path):
    event_ids = record_all(engine, ["commissioning", "packing", "shipping"], NOW)
    with engine.begin() as conn:  # a day later, the first event is declared wrong
        record_error_declaration(
            conn,
            event_ids[0],
            reason="did_not_occur",
            actor="qa1",
            station="ST-1",
            now=clock(NOW + timedelta(days=1)),
            app_version="0.1.0",
            schema_version="0002",
        )
    out = tmp_path / "since.jsonld"
    since = "2026-11-24T16:01:00+08:00"  # = 08:01Z, when the second event was recorded
    assert main(["export-epcis", "--db", str(db_path), "--since", since, "--out", str(out)]) == 0
    events = json.loads(out.read_text("utf-8"))["epcisBody"]["eventList"]
    assert [event["eventID"] for event in events] == [*event_ids[1:], event_ids[0]]
    assert events[-1]["errorDeclaration"]["reason"] == "did_not_occur"
    assert events[-1]["eventTime"] == "2026-11-24T08:00:00.000Z"  # the original's


def test_an_invalid_ledger_is_not_exported(engine, db_path, tmp_path, capsys):
    record_all(engine, ["commissioning"], NOW)
    bad = {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "bizStep": "recieving",
        "epcList": [UNIT],
        "eventID": "urn:uuid:01234567-89ab-7def-8123-456789abcdef",
        "eventTime": "2026-11-24T08:05:00.000Z",
        "eventTimeZoneOffset": "+00:00",
    }
    with engine.begin() as conn:  # bypassing capture, as an old or foreign row might
        append_event(
            conn,
            {
                "event_id": bad["eventID"],
                "event_type": "ObjectEvent",
                "action": "OBSERVE",
                "biz_step": "recieving",
                "event_time": bad["eventTime"],
                "event_tz_offset": "+00:00",
                "record_time": bad["eventTime"],
                "payload": canonical_json(bad),
                "app_version": "0.1.0",
                "schema_version": "0002",
            },
        )
    out = tmp_path / "refused.jsonld"
    assert main(["export-epcis", "--db", str(db_path), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "refused" in err
    assert "/epcisBody/eventList/1/bizStep" in err
    assert not out.exists()
    assert not out.with_name(out.name + ".partial").exists()


def test_a_missing_database_is_an_error_not_a_new_file(tmp_path, capsys):
    missing = tmp_path / "nothing.sqlite"
    assert main(["export-epcis", "--db", str(missing), "--out", str(tmp_path / "x.json")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not missing.exists()


def test_an_unwritable_output_is_an_error(engine, db_path, tmp_path, capsys):
    record_all(engine, ["commissioning"], NOW)
    out = tmp_path / "no such folder" / "x.jsonld"
    assert main(["export-epcis", "--db", str(db_path), "--out", str(out)]) == 1
    assert "No such file" in capsys.readouterr().err


def test_since_needs_an_offset(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export-epcis", "--db", "x", "--since", "2026-11-24T00:00", "--out", "y"])
    assert exit_info.value.code == 2
    assert "no UTC offset" in capsys.readouterr().err
