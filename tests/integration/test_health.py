"""Start-up and on-demand health checks detect damage and never touch the file (DUR-5)."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import struct
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text

from station.errors import StorageError
from station.persistence.backup import backup
from station.persistence.db import close_engine
from station.persistence.health import SafeModeError, full_check, startup_check
from station.persistence.store import open_store
from station.persistence.wal_index import WalIndex, read_wal_index
from station.persistence.writer import DbWriter
from tests.integration.event_rows import append_event


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(engine: Engine, events: int = 300) -> None:
    writer = DbWriter(engine)
    try:
        for _ in range(events):
            writer.submit(append_event).result()
    finally:
        writer.close()


@pytest.fixture
def closed_db(engine: Engine, db_path: Path) -> Path:
    """A healthy database with a few hundred events, closed cleanly (no -wal left)."""
    _fill(engine)
    close_engine(engine)
    assert not db_path.with_name(db_path.name + "-wal").exists()
    return db_path


def _flip_page_header(db_path: Path) -> None:
    db = sqlite3.connect(db_path)
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'event'").fetchone()[0]
    db.close()
    offset = (root - 1) * page_size  # pages are numbered from 1
    data = bytearray(db_path.read_bytes())
    for i in range(offset, offset + 8):  # the b-tree page header: type, cell count …
        data[i] ^= 0xFF
    db_path.write_bytes(bytes(data))


@pytest.mark.req("DUR-5")
def test_a_healthy_database_passes_both_checks(closed_db: Path) -> None:
    assert startup_check(closed_db).ok
    report = full_check(closed_db)
    assert report.ok, report.summary()
    assert report.checks == ("write-ahead log", "integrity_check")


@pytest.mark.req("DUR-5")
@pytest.mark.parametrize("check", [startup_check, full_check])
def test_flipped_page_bytes_are_detected_and_the_file_is_untouched(
    closed_db: Path, check: object
) -> None:
    _flip_page_header(closed_db)
    before = sha256(closed_db)

    report = check(closed_db)  # type: ignore[operator]

    assert not report.ok
    assert sha256(closed_db) == before
    with pytest.raises(SafeModeError, match="safe mode"):
        open_store(closed_db)
    assert sha256(closed_db) == before


_HOT_WAL_CHILD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA wal_autocheckpoint=0")  # keep the commits in the log only
for i in range(200):
    db.execute("INSERT INTO location (code, name, kind, active) VALUES (?, 'x', 'dock', 1)",
               (f"L{i}",))
print("committed", flush=True)
time.sleep(60)
"""


@pytest.mark.req("DUR-5")
@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL to leave a hot WAL")
def test_a_deleted_hot_wal_is_detected_and_the_file_is_untouched(closed_db: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _HOT_WAL_CHILD, str(closed_db)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "committed"
    child.send_signal(signal.SIGKILL)
    child.wait()
    wal = closed_db.with_name(closed_db.name + "-wal")
    assert wal.stat().st_size > 0
    wal.unlink()  # the operator "cleans up" a stray file
    before = sha256(closed_db)

    for check in (startup_check, full_check):
        report = check(closed_db)
        assert not report.ok
        assert "write-ahead log" in report.problems[0]
        assert "missing" in report.problems[0]
    with pytest.raises(SafeModeError):
        open_store(closed_db)

    assert sha256(closed_db) == before
    assert not wal.exists()


@pytest.mark.req("DUR-5")
def test_a_hot_wal_that_is_present_is_not_a_problem(closed_db: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _HOT_WAL_CHILD, str(closed_db)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "committed"
    child.kill()
    child.wait()
    report = startup_check(closed_db)
    assert report.ok, report.summary()
    store = open_store(closed_db)
    try:
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM location")).scalar() == 200
            connection.rollback()
    finally:
        store.close()


@pytest.mark.req("DUR-5")
def test_the_ledger_verifier_runs_and_its_problems_open_safe_mode(closed_db: Path) -> None:
    seen: list[int] = []

    def verify(connection: Connection) -> Iterable[str]:
        seen.append(connection.execute(text("SELECT max(seq) FROM event")).scalar_one())
        return ["event seq 300 (urn:uuid:x): hash mismatch"]

    report = startup_check(closed_db, verify_tails=verify)
    assert seen == [300]
    assert report.problems == ("hash chain: event seq 300 (urn:uuid:x): hash mismatch",)
    with pytest.raises(SafeModeError, match="hash mismatch"):
        open_store(closed_db, verify_tails=verify)


def test_a_verifier_that_crashes_counts_as_a_failure(closed_db: Path) -> None:
    def broken(_connection: Connection) -> Iterable[str]:
        raise KeyError("head")

    report = full_check(closed_db, verify_chains=broken)
    assert not report.ok
    assert "verification failed" in report.problems[0]


def test_a_verifier_cannot_write_through_the_check_connection(closed_db: Path) -> None:
    def sneaky(connection: Connection) -> Iterable[str]:
        connection.execute(
            text("INSERT INTO location (code, name, kind, active) VALUES ('Z', 'z', 'dock', 1)")
        )
        return []

    before = sha256(closed_db)
    assert not full_check(closed_db, verify_chains=sneaky).ok
    assert sha256(closed_db) == before


def test_a_new_database_is_healthy_and_opens(db_path: Path) -> None:
    assert startup_check(db_path).ok
    store = open_store(db_path)
    try:
        store.writer.submit(append_event).result()
    finally:
        store.close()


def test_the_wal_index_header_is_read_in_native_byte_order() -> None:
    order = "<" if sys.byteorder == "little" else ">"
    header = struct.pack(order + "IIIBBHII", 3007000, 0, 7, 1, 0, 1, 12, 3) + bytes(24)
    shm = header + header + struct.pack(order + "I", 5) + bytes(100)
    index = read_wal_index(shm)
    assert index == WalIndex(initialised=True, page_size=65536, max_frame=12, backfilled=5)
    assert index.unsaved_frames == 7
    torn = header + header[:-1] + b"\x01" + bytes(104)  # the two copies disagree
    assert read_wal_index(torn) is None
    assert read_wal_index(b"short") is None


@pytest.mark.req("DUR-8")
@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL to leave a hot WAL")
def test_a_database_whose_hot_wal_is_missing_is_not_backed_up(
    closed_db: Path, tmp_path: Path
) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _HOT_WAL_CHILD, str(closed_db)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "committed"
    child.kill()
    child.wait()
    closed_db.with_name(closed_db.name + "-wal").unlink()
    with pytest.raises(StorageError, match=r"not backed up.*missing"):
        backup(closed_db, tmp_path / "b")
