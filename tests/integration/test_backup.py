"""Online backup while writing, rotation, verification, and a restore that loses nothing (DUR-8)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine

from station.errors import StorageError
from station.persistence.backup import backup, last_event_seq, list_backups, restore
from station.persistence.db import close_engine
from station.persistence.writer import DbWriter
from tests.integration.event_rows import (
    append_event,
    check_events,
    event_ids,
    integrity,
    open_readonly,
)

T0 = datetime(2026, 11, 25, 8, 15, 30, 123000, tzinfo=UTC)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_events(engine: Engine, count: int) -> set[str]:
    writer = DbWriter(engine)
    try:
        return {writer.submit(append_event).result()[1] for _ in range(count)}
    finally:
        writer.close()


@pytest.mark.req("DUR-8")
def test_backups_taken_while_the_writer_commits_are_consistent_snapshots(
    engine: Engine, db_path: Path, tmp_path: Path
) -> None:
    writer = DbWriter(engine)
    stop = threading.Event()
    committed: list[int] = []

    def keep_writing() -> None:
        while not stop.is_set():
            committed.append(writer.submit(append_event).result()[0])

    thread = threading.Thread(target=keep_writing, name="test-load")
    thread.start()
    results = []
    try:
        for i in range(4):
            target = len(committed) + 30
            while len(committed) < target:  # the writer moves on between copies
                threading.Event().wait(0.005)
            result = backup(db_path, tmp_path / "backups", keep=3, now=T0 + timedelta(seconds=i))
            live = open_readonly(db_path)
            live_seq = live.execute("SELECT max(seq) FROM event").fetchone()[0]
            live.close()
            assert result.last_event_seq is not None
            assert 1 <= result.last_event_seq <= live_seq
            results.append(result)
    finally:
        stop.set()
        thread.join()
        writer.close()

    seqs = [r.last_event_seq or 0 for r in results]
    assert seqs == sorted(set(seqs))  # each copy a later snapshot than the one before
    kept = list_backups(db_path, tmp_path / "backups")
    assert kept == [r.path for r in results[1:]]  # rotation: the newest three
    assert results[-1].removed == (results[0].path,)
    for result in results[1:]:
        copy = open_readonly(result.path)
        try:
            assert integrity(copy) == "ok"
            assert check_events(copy) == []  # a prefix of the chain, nothing torn
            assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        finally:
            copy.close()
        assert not result.path.with_name(result.path.name + "-wal").exists()
    assert not list((tmp_path / "backups").glob("*.partial"))


@pytest.mark.req("DUR-8")
def test_the_chain_verifier_runs_on_every_copy_and_a_failed_copy_is_set_aside(
    engine: Engine, db_path: Path, tmp_path: Path
) -> None:
    _write_events(engine, 5)
    seen: list[Path] = []

    def refuse(connection: Connection) -> Iterable[str]:
        seen.append(Path(connection.exec_driver_sql("PRAGMA database_list").all()[0][2]))
        return ["event seq 5: hash mismatch"]

    with pytest.raises(StorageError, match="hash mismatch"):
        backup(db_path, tmp_path / "b", now=T0, verify_chains=refuse)
    assert len(seen) == 1
    assert seen[0].parent == tmp_path / "b"  # it checked the copy, not the live file
    assert list_backups(db_path, tmp_path / "b") == []
    assert len(list((tmp_path / "b").glob("*.failed"))) == 1


@pytest.mark.req("DUR-8")
def test_restore_refuses_a_healthy_database_without_force_and_keeps_it_aside_with_force(
    engine: Engine, db_path: Path, tmp_path: Path
) -> None:
    early = _write_events(engine, 10)
    saved = backup(db_path, tmp_path / "b", now=T0)
    _write_events(engine, 5)
    close_engine(engine)
    before = sha256(db_path)

    with pytest.raises(StorageError, match="healthy"):
        restore(saved.path, db_path)
    assert sha256(db_path) == before

    report = restore(saved.path, db_path, force=True)

    assert report.ok
    restored = open_readonly(db_path)
    try:
        assert event_ids(restored) == early
        assert restored.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        restored.close()
    aside = list(tmp_path.glob("station.sqlite.replaced-*"))
    assert [sha256(p) for p in aside if not p.name.endswith(("-wal", "-shm"))] == [before]


@pytest.mark.req("DUR-8")
def test_restore_over_a_damaged_database_keeps_the_damaged_file(
    engine: Engine, db_path: Path, tmp_path: Path
) -> None:
    ids = _write_events(engine, 10)
    saved = backup(db_path, tmp_path / "b", now=T0)
    close_engine(engine)
    db_path.write_bytes(b"not a database at all" * 200)

    assert restore(saved.path, db_path).ok  # damaged: no --force needed

    restored = open_readonly(db_path)
    try:
        assert event_ids(restored) == ids
    finally:
        restored.close()
    (aside,) = tmp_path.glob("station.sqlite.replaced-*")
    assert aside.read_bytes() == b"not a database at all" * 200


def test_restore_refuses_a_damaged_backup(engine: Engine, db_path: Path, tmp_path: Path) -> None:
    _write_events(engine, 3)
    saved = backup(db_path, tmp_path / "b", now=T0)
    close_engine(engine)
    saved.path.write_bytes(saved.path.read_bytes()[:2048])  # truncated
    before = sha256(db_path)
    with pytest.raises(StorageError, match="damaged"):
        restore(saved.path, db_path, force=True)
    assert sha256(db_path) == before


@pytest.mark.req("DUR-7")
def test_restore_refuses_while_a_station_is_writing(
    engine: Engine, db_path: Path, tmp_path: Path
) -> None:
    _write_events(engine, 3)
    saved = backup(db_path, tmp_path / "b", now=T0)
    with pytest.raises(StorageError, match="already writing"):
        restore(saved.path, db_path, force=True)


def test_restore_into_a_missing_database(engine: Engine, db_path: Path, tmp_path: Path) -> None:
    ids = _write_events(engine, 7)
    saved = backup(db_path, tmp_path / "b", now=T0)
    target = tmp_path / "new" / "station.sqlite"
    target.parent.mkdir()
    assert restore(saved.path, target).ok
    assert last_event_seq(target) == 7
    copy = open_readonly(target)
    try:
        assert event_ids(copy) == ids
    finally:
        copy.close()


def test_backup_names_sort_by_time_and_foreign_files_are_ignored(
    engine: Engine, db_path: Path, tmp_path: Path
) -> None:
    directory = tmp_path / "b"
    first = backup(db_path, directory, now=T0 + timedelta(days=1)).path
    second = backup(db_path, directory, now=T0 + timedelta(days=2)).path
    (directory / "station-notes.sqlite").write_text("not ours")
    (directory / "other-20261125T081530123Z.sqlite").write_text("another database")
    assert first.name == "station-20261126T081530123Z.sqlite"
    assert list_backups(db_path, directory) == [first, second]
    with pytest.raises(StorageError, match="at least one"):
        backup(db_path, directory, keep=0)


def test_restore_sets_a_stray_log_aside_instead_of_pairing_it(
    engine: Engine, db_path: Path, tmp_path: Path
) -> None:
    ids = _write_events(engine, 4)
    saved = backup(db_path, tmp_path / "b", now=T0)
    target = tmp_path / "other" / "station.sqlite"
    target.parent.mkdir()
    stray = target.with_name("station.sqlite-wal")
    stray.write_bytes(b"STRAY LOG" + bytes(60))  # a log whose database is gone
    assert restore(saved.path, target).ok
    # Reading the restored file may create a fresh log; the stray one must not be it.
    assert not stray.exists() or not stray.read_bytes().startswith(b"STRAY")
    (aside,) = target.parent.glob("station.sqlite.replaced-*-wal")
    assert aside.read_bytes().startswith(b"STRAY LOG")
    copy = open_readonly(target)
    try:
        assert event_ids(copy) == ids
    finally:
        copy.close()
