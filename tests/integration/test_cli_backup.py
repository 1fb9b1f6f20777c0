"""``station backup`` and ``station restore`` from the command line (DUR-8)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine

from station.persistence.backup import list_backups
from station.persistence.db import close_engine
from station.persistence.writer import DbWriter
from tests.integration.event_rows import append_event, event_ids, open_readonly
from ui.cli import main


def _write(engine: Engine, count: int) -> set[str]:
    writer = DbWriter(engine)
    try:
        return {writer.submit(append_event).result()[1] for _ in range(count)}
    finally:
        writer.close()


@pytest.mark.req("DUR-8")
def test_backup_then_restore_round_trip(
    engine: Engine, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _write(engine, 12)
    backups = tmp_path / "backups"

    assert main(["backup", "--db", str(db_path), "--to", str(backups), "--keep", "2"]) == 0
    out = capsys.readouterr().out
    (copy,) = list_backups(db_path, backups)
    assert f"{copy}: verified (write-ahead log, integrity_check, hash chains)" in out
    assert "events up to seq 12" in out

    _write(engine, 3)
    close_engine(engine)
    assert main(["restore", "--from", str(copy), "--db", str(db_path)]) == 1
    assert "is healthy" in capsys.readouterr().err

    assert main(["restore", "--from", str(copy), "--db", str(db_path), "--force"]) == 0
    assert "events up to seq 12" in capsys.readouterr().out
    restored = open_readonly(db_path)
    try:
        assert event_ids(restored) == ids
    finally:
        restored.close()


@pytest.mark.req("DUR-8")
def test_a_database_with_a_broken_chain_is_not_backed_up(
    engine: Engine, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(engine, 5)
    close_engine(engine)
    raw = sqlite3.connect(db_path, isolation_level=None)
    raw.execute("DROP TRIGGER event_no_update")  # what an attacker with file access could do
    raw.execute("UPDATE event SET actor = 'mallory' WHERE seq = 3")
    raw.close()

    assert main(["backup", "--db", str(db_path), "--to", str(tmp_path / "b")]) == 1

    err = capsys.readouterr().err
    assert "event seq 3" in err
    assert "failed its check" in err
    assert list_backups(db_path, tmp_path / "b") == []


def test_restore_names_a_missing_backup(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["restore", "--from", str(tmp_path / "none.sqlite"), "--db", str(db_path)]) == 1
    assert "no backup file" in capsys.readouterr().err
