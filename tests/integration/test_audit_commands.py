"""The command line audits what it exports, backs up, restores, and settings that changed.

Real SQLite files, the CLI's own ``main``. Each test checks the entries by action and fields
and that ``station verify`` still finds the ledger intact (and signed) afterwards.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from station.config import Settings
from station.errors import StorageError
from station.persistence.backup import list_backups
from station.persistence.db import close_engine, open_engine
from station.persistence.writer import DbWriter
from tests.integration.event_rows import append_event
from tests.integration.test_recall import add_station
from tests.integration.test_trace import SN, build_scenario
from ui.cli import main
from ui.commands import session
from ui.commands.session import audit_queue_dir

USER = ["--user", "li.wei", "--station", "ST-07"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def audit(db: Path, action: str | None = None) -> list[dict[str, Any]]:
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    raw.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in raw.execute("SELECT * FROM audit ORDER BY seq")]
    finally:
        raw.close()
    for row in rows:
        for key in ("old_value", "new_value"):
            row[key] = json.loads(row[key]) if row[key] is not None else None
    return [r for r in rows if action is None or r["action"] == action]


def event_count(db: Path) -> int:
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(raw.execute("SELECT count(*) FROM event").fetchone()[0])
    finally:
        raw.close()


def assert_verified(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["verify", "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert "ledger intact" in out
    assert "checkpoint signatures checked" in out, err


def add_events(engine: sa.Engine, count: int) -> None:
    writer = DbWriter(engine)
    try:
        for _ in range(count):
            writer.submit(append_event).result()
    finally:
        writer.close()


@pytest.fixture
def settings(tmp_path: Path) -> list[str]:
    return ["--settings", str(tmp_path / "settings.toml")]  # absent: the defaults


@pytest.fixture
def events_db(engine: sa.Engine, db_path: Path) -> Path:
    add_events(engine, 7)
    close_engine(engine)  # the commands open the store themselves, as the single writer
    return db_path


@pytest.fixture
def scenario_db(engine: sa.Engine, db_path: Path) -> Path:
    build_scenario(engine)
    close_engine(engine)
    return db_path


# ----------------------------------------------------------------------------- exports


@pytest.mark.req("P11-E1")
def test_an_epcis_export_writes_one_entry_naming_the_file_and_its_hash(
    scenario_db: Path, tmp_path: Path, settings: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    events = event_count(scenario_db)
    out = tmp_path / "export.jsonld"
    since = "2000-01-02T00:00:00+08:00"
    argv = ["export-epcis", "--db", str(scenario_db), "--since", since, "--out", str(out)]
    assert main([*argv, *USER, *settings]) == 0

    (entry,) = audit(scenario_db, "export.epcis")
    assert entry["actor"] == "li.wei"
    assert entry["actor_name"] == "li.wei"
    assert entry["station"] == "ST-07"
    assert entry["entity"] == "file"
    assert entry["entity_id"] == str(out.resolve())
    assert entry["old_value"] is None
    assert entry["new_value"] == {
        "file": "export.jsonld",
        "path": str(out.resolve()),
        "format": "EPCIS 2.0 JSON-LD",
        "since": "2000-01-01T16:00:00.000Z",
        "events": events,
        "last_event_seq": events,
        "signatures": 0,  # the scenario signs nothing; export-epcis counts what it carries
        "bytes": out.stat().st_size,
        "sha256": sha256(out),
    }
    assert len(json.loads(out.read_text(encoding="utf-8"))["epcisBody"]["eventList"]) == events
    assert not list(tmp_path.glob("*.partial"))
    assert_verified(scenario_db, capsys)


@pytest.mark.req("P11-E1")
def test_without_user_the_operating_system_account_is_recorded(
    scenario_db: Path,
    tmp_path: Path,
    settings: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "operator7")
    out = tmp_path / "all.jsonld"
    assert main(["export-epcis", "--db", str(scenario_db), "--out", str(out), *settings]) == 0
    (entry,) = audit(scenario_db, "export.epcis")
    assert (entry["actor"], entry["actor_name"]) == ("os:operator7", "operator7")
    assert entry["station"] == "standalone"
    assert entry["new_value"]["since"] is None


@pytest.mark.req("P11-E1")
def test_an_export_whose_file_cannot_be_written_records_nothing(
    events_db: Path, tmp_path: Path, settings: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no-such-dir" / "export.jsonld"
    argv = ["export-epcis", "--db", str(events_db), "--out", str(out), *USER, *settings]
    assert main(argv) == 1
    assert "nothing exported" in capsys.readouterr().err
    assert not out.parent.exists()
    assert audit(events_db, "export.epcis") == []
    assert_verified(events_db, capsys)


def _audit_writes_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every audit write fails as a full disk would."""

    def refuse(*_: object) -> str:
        msg = "the station's disk is full"
        raise StorageError(msg)

    monkeypatch.setattr(session.StoreAuditor, "record", refuse)


@pytest.mark.req("P11-E1")
def test_an_export_whose_audit_entry_cannot_be_written_leaves_no_file(
    scenario_db: Path,
    tmp_path: Path,
    settings: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _audit_writes_fail(monkeypatch)
    out = tmp_path / "export.jsonld"
    csv_out = tmp_path / "products.csv"
    epcis = ["export-epcis", "--db", str(scenario_db), "--out", str(out), *USER, *settings]
    assert main(epcis) == 1
    masterdata = ["masterdata", "export", "--db", str(scenario_db), "--entity", "products"]
    assert main([*masterdata, "--out", str(csv_out), *USER, *settings]) == 2
    err = capsys.readouterr().err
    assert err.count("nothing exported: the station's disk is full") == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(("export", "products"))] == []
    assert [e["action"] for e in audit(scenario_db) if e["action"].startswith("export")] == []
    assert_verified(scenario_db, capsys)


@pytest.mark.req("P11-E1")
def test_trace_and_recall_reports_write_one_entry_per_file(
    scenario_db: Path, tmp_path: Path, settings: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    trace_csv, trace_pdf, recall_csv = (
        tmp_path / "trace.csv",
        tmp_path / "trace.pdf",
        tmp_path / "recall.csv",
    )
    trace_argv = ["trace", "--db", str(scenario_db), "--csv", str(trace_csv)]
    assert main([*trace_argv, "--pdf", str(trace_pdf), *USER, *settings, SN[1]]) == 0
    recall_argv = ["recall", "--db", str(scenario_db), "--csv", str(recall_csv)]
    assert main([*recall_argv, *USER, *settings, "RAW-1"]) == 0

    traced = audit(scenario_db, "export.trace_report")
    assert [e["new_value"]["format"] for e in traced] == ["csv", "pdf"]
    for entry, path in zip(traced, (trace_csv, trace_pdf), strict=True):
        new = entry["new_value"]
        assert (new["file"], new["sha256"], new["bytes"]) == (
            path.name,
            sha256(path),
            path.stat().st_size,
        )
        assert (new["report"], new["code"], new["found"]) == ("trace", SN[1], True)
        assert new["rows"] > 0
        assert entry["actor"] == "li.wei"
    (recalled,) = audit(scenario_db, "export.recall_report")
    new = recalled["new_value"]
    assert (new["report"], new["code"], new["format"]) == ("recall", "RAW-1", "csv")
    assert new["sha256"] == sha256(recall_csv)
    assert new["units"] == 8
    assert new["rows"] == new["units"] + new["lots"] + new["containers"]
    assert_verified(scenario_db, capsys)


@pytest.mark.req("P11-E1")
def test_a_recall_hold_and_its_report_share_one_write_session(
    engine: sa.Engine, db_path: Path, tmp_path: Path, settings: list[str]
) -> None:
    build_scenario(engine)
    add_station(engine)
    close_engine(engine)
    out = tmp_path / "recall.pdf"
    argv = ["recall", "--db", str(db_path), "--hold", "--station", "ST-1", "--user", "qa1"]
    assert main([*argv, "--reason", "drill", "--pdf", str(out), *settings, "RAW-1"]) == 0
    (entry,) = audit(db_path, "export.recall_report")
    assert (entry["actor"], entry["station"]) == ("qa1", "ST-1")
    assert entry["new_value"]["sha256"] == sha256(out)
    assert out.read_bytes().startswith(b"%PDF-")


@pytest.mark.req("P11-E1")
def test_a_report_that_cannot_be_written_records_nothing(
    scenario_db: Path, tmp_path: Path, settings: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-dir"
    trace_argv = ["trace", "--db", str(scenario_db), "--csv", str(missing / "t.csv")]
    assert main([*trace_argv, *USER, *settings, SN[1]]) == 2
    recall_argv = ["recall", "--db", str(scenario_db), "--pdf", str(missing / "r.pdf")]
    assert main([*recall_argv, *USER, *settings, "RAW-1"]) == 2
    assert capsys.readouterr().err.count("cannot write the report") == 2
    assert not missing.exists()
    assert [e for e in audit(scenario_db) if e["action"].startswith("export.")] == []


def test_trace_and_recall_without_report_files_stay_read_only(
    scenario_db: Path, settings: list[str]
) -> None:
    before = audit(scenario_db)
    assert main(["trace", "--db", str(scenario_db), "--json", *settings, SN[1]]) == 0
    assert main(["recall", "--db", str(scenario_db), "--json", *settings, "RAW-1"]) == 0
    assert audit(scenario_db) == before


@pytest.mark.req("P11-E1")
def test_a_masterdata_export_to_a_file_is_audited_and_standard_output_is_not(
    tmp_path: Path, settings: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    db, products = tmp_path / "station.db", tmp_path / "products.csv"
    products.write_text(
        "di,di_scheme,name_zh,name_en,trace_level\r\n"
        "04012345123456,gs1,一次性注射器,Disposable syringe,lot\r\n"
        "A123BJC5D6E71,hibc,导管,Catheter,serial\r\n",
        encoding="utf-8",
    )
    common = ["--db", str(db), "--entity", "products", *USER, *settings]
    assert main(["masterdata", "import", *common, "--reason", "setup", str(products)]) == 0
    out = tmp_path / "out.csv"
    assert main(["masterdata", "export", *common, "--out", str(out)]) == 0
    assert main(["masterdata", "export", *common]) == 0

    (entry,) = audit(db, "export.masterdata")
    assert entry["new_value"] == {
        "file": "out.csv",
        "path": str(out.resolve()),
        "format": "csv",
        "entity": "products",
        "rows": 2,
        "bytes": out.stat().st_size,
        "sha256": sha256(out),
    }
    assert_verified(db, capsys)


# ----------------------------------------------------------------------------- backup, restore


@pytest.mark.req("DUR-8")
def test_a_backup_is_recorded_in_the_live_database_with_the_copy_it_describes(
    events_db: Path, tmp_path: Path, settings: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    backups = tmp_path / "backups"
    argv = ["backup", "--db", str(events_db), "--to", str(backups), "--keep", "1"]
    assert main([*argv, *USER, *settings]) == 0
    (first,) = list_backups(events_db, backups)
    assert main([*argv, *USER, *settings]) == 0
    (second,) = list_backups(events_db, backups)

    entries = audit(events_db, "backup.created")
    assert len(entries) == 2
    new = entries[1]["new_value"]
    assert new == {
        "file": second.name,
        "path": str(second.resolve()),
        "bytes": second.stat().st_size,
        "sha256": sha256(second),
        "last_event_seq": 7,
        "verified": True,
        "checks": ["write-ahead log", "integrity_check", "hash chains"],
        "rotated_out": [str(first.resolve())],
    }
    assert entries[1]["actor"] == "li.wei"
    assert audit(second, "backup.created") == entries[:1]  # the copy holds only earlier ones
    assert_verified(events_db, capsys)


@pytest.mark.req("DUR-8")
def test_a_backup_that_cannot_be_audited_is_kept_aside_and_not_counted(
    events_db: Path,
    tmp_path: Path,
    settings: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _audit_writes_fail(monkeypatch)
    backups = tmp_path / "backups"
    assert main(["backup", "--db", str(events_db), "--to", str(backups), *settings]) == 1
    assert "could not be recorded in the audit trail" in capsys.readouterr().err
    assert list_backups(events_db, backups) == []
    assert len(list(backups.glob("*.sqlite.unaudited"))) == 1
    assert audit(events_db, "backup.created") == []


@pytest.mark.req("DUR-8")
def test_a_restore_is_recorded_in_the_restored_database(
    events_db: Path, tmp_path: Path, settings: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    backups = tmp_path / "backups"
    assert main(["backup", "--db", str(events_db), "--to", str(backups), *settings]) == 0
    (copy,) = list_backups(events_db, backups)
    engine = open_engine(events_db)
    add_events(engine, 3)
    close_engine(engine)
    replaced = sha256(events_db)

    argv = ["restore", "--from", str(copy), "--db", str(events_db), "--force"]
    assert main([*argv, *USER, "--reason", "drill", *settings]) == 0
    out = capsys.readouterr().out
    assert "audited" in out

    (restored,) = audit(events_db, "backup.restored")
    # Then the settings: the backup was taken before the first session recorded them.
    assert [e["action"] for e in audit(events_db)][-2:] == ["backup.restored", "settings.changed"]
    assert (restored["actor"], restored["reason"]) == ("li.wei", "drill")
    assert restored["new_value"] == {
        "from_file": copy.name,
        "from_path": str(copy.resolve()),
        "bytes": copy.stat().st_size,
        "sha256": sha256(copy),
        "last_event_seq": 7,
        "forced": True,
    }
    old = restored["old_value"]
    assert (old["state"], old["problems"]) == ("ok", [])
    moved = [Path(p) for p in old["moved_to"]]
    assert moved[0].name.startswith(f"{events_db.name}.replaced-")
    assert sha256(moved[0]) == replaced
    assert f"the replaced file is kept as {moved[0]}" in out
    assert not list(tmp_path.glob("*.restoring*"))
    assert_verified(events_db, capsys)


@pytest.mark.req("DUR-8")
def test_a_restore_that_cannot_be_audited_leaves_the_database_as_it_was(
    events_db: Path,
    tmp_path: Path,
    settings: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    backups = tmp_path / "backups"
    assert main(["backup", "--db", str(events_db), "--to", str(backups), *settings]) == 0
    (copy,) = list_backups(events_db, backups)
    before = sha256(events_db)

    _audit_writes_fail(monkeypatch)
    argv = ["restore", "--from", str(copy), "--db", str(events_db), "--force", *settings]
    assert main(argv) == 1
    assert "disk is full" in capsys.readouterr().err
    assert sha256(events_db) == before
    assert not list(tmp_path.glob("*.replaced-*"))
    assert not list(tmp_path.glob("*.restoring*"))


# ----------------------------------------------------------------------------- the audit queue


@pytest.mark.req("P11-E1")
def test_beside_a_running_station_the_entry_is_queued_then_chained_once(
    engine: sa.Engine,
    db_path: Path,
    tmp_path: Path,
    settings: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    build_scenario(engine)  # the engine holds the single-writer lock: a station is running
    events = event_count(db_path)
    out = tmp_path / "export.jsonld"
    argv = ["export-epcis", "--db", str(db_path), "--out", str(out), *USER, *settings]
    assert main(argv) == 0
    assert "audit entry queued" in capsys.readouterr().out
    assert out.exists()
    (queued,) = audit_queue_dir(db_path).glob("*.json")
    assert audit(db_path, "export.epcis") == []
    close_engine(engine)

    # The next write session (here a backup, once the station has closed) chains it first.
    backups = tmp_path / "backups"
    assert main(["backup", "--db", str(db_path), "--to", str(backups), *settings]) == 0
    (entry,) = audit(db_path, "export.epcis")
    assert entry["actor"] == "li.wei"
    assert entry["new_value"]["sha256"] == sha256(out)
    assert entry["new_value"]["events"] == events
    assert not queued.exists()
    assert [e["action"] for e in audit(db_path)][-3:] == [
        "export.epcis",
        "settings.changed",
        "backup.created",
    ]
    assert main(["backup", "--db", str(db_path), "--to", str(backups), *settings]) == 0
    assert len(audit(db_path, "export.epcis")) == 1
    assert_verified(db_path, capsys)


def test_an_unreadable_queue_file_is_set_aside_and_recorded(
    events_db: Path, tmp_path: Path, settings: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    queue = audit_queue_dir(events_db)
    queue.mkdir()
    bad = queue / "20261125T000000000000Z-x.json"
    bad.write_text('[{"action": "export.epcis"}]', encoding="utf-8")
    assert main(["backup", "--db", str(events_db), "--to", str(tmp_path / "b"), *settings]) == 0
    (entry,) = audit(events_db, "audit.queue_rejected")
    assert entry["new_value"]["file"] == bad.name
    assert not bad.exists()
    assert (queue / (bad.name + ".rejected")).exists()
    assert_verified(events_db, capsys)


# ----------------------------------------------------------------------------- settings


def _session(db: Path, settings_file: Path) -> None:
    with session.write_session(db, "ST-07", settings_file=settings_file):
        pass


@pytest.mark.req("P11-K1")
def test_settings_changed_outside_the_station_are_recorded_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, settings_file = tmp_path / "station.db", tmp_path / "settings.toml"

    _session(db, settings_file)
    (initial,) = audit(db, "settings.changed")
    assert initial["reason"] == "initial settings"
    assert initial["old_value"] is None
    assert initial["new_value"]["reader.max_length"] > 0
    assert initial["actor"] is None  # the system: who edited the file is not known
    assert initial["entity"] == "settings"

    _session(db, settings_file)  # no drift: nothing new
    assert len(audit(db, "settings.changed")) == 1

    settings_file.write_text('version = 1\n[ui]\nlanguage = "zh_CN"\n', encoding="utf-8")
    _session(db, settings_file)
    _session(db, settings_file)
    entries = audit(db, "settings.changed")
    assert len(entries) == 2
    changed = entries[1]
    assert changed["reason"] == "settings file changed outside the station"
    assert changed["old_value"] == initial["new_value"]
    assert changed["new_value"]["ui.language"] == "zh_CN"
    assert changed["old_value"]["ui.language"] == "system"
    assert changed["entity_id"] == str(settings_file)

    # A file the station cannot read is not in effect: reported, not recorded.
    settings_file.write_text("version = 1\n[reader\n", encoding="utf-8")
    _session(db, settings_file)
    assert "settings not in effect" in capsys.readouterr().err
    assert len(audit(db, "settings.changed")) == 2
    assert_verified(db, capsys)


@pytest.mark.req("P11-K1")
def test_every_writing_command_checks_the_settings(
    events_db: Path, tmp_path: Path, settings: list[str]
) -> None:
    backups = tmp_path / "backups"
    assert main(["backup", "--db", str(events_db), "--to", str(backups), *settings]) == 0
    assert len(audit(events_db, "settings.changed")) == 1
    Path(settings[1]).write_text("version = 1\n[reader]\nmax_length = 300\n", encoding="utf-8")
    assert main(["backup", "--db", str(events_db), "--to", str(backups), *settings]) == 0
    assert main(["backup", "--db", str(events_db), "--to", str(backups), *settings]) == 0
    entries = audit(events_db, "settings.changed")
    assert [e["new_value"]["reader.max_length"] for e in entries][-1] == 300
    assert len(entries) == 2


@pytest.mark.req("P11-K1")
def test_settings_new_in_an_upgrade_are_recorded_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db, settings_file = tmp_path / "station.db", tmp_path / "settings.toml"
    full_snapshot = Settings.snapshot

    def older_station(self: Settings) -> dict[str, Any]:  # a version without camera settings
        return {k: v for k, v in full_snapshot(self).items() if not k.startswith("camera.")}

    with monkeypatch.context() as patch:
        patch.setattr(Settings, "snapshot", older_station)
        _session(db, settings_file)
    _session(db, settings_file)  # the upgraded station: camera.* appear, at their defaults
    upgrade = audit(db, "settings.changed")[-1]
    assert upgrade["reason"] == "settings new in this station version, at their defaults"
    assert "camera.kind" in upgrade["new_value"]
    assert "camera.kind" not in upgrade["old_value"]

    with monkeypatch.context() as patch:  # new keys, and an edit to an old one: an edit
        patch.setattr(Settings, "snapshot", older_station)
        _session(db, settings_file)
    settings_file.write_text('version = 1\n[ui]\nlanguage = "en"\n', encoding="utf-8")
    _session(db, settings_file)
    assert (
        audit(db, "settings.changed")[-1]["reason"] == "settings file changed outside the station"
    )
    assert_verified(db, capsys)
