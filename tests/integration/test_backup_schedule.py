"""Scheduled online backups: every N events, every interval, while writing, after failures (DUR-8).

Real SQLite files, a real store and its ``DbWriter``. The schedule runs on an injected clock;
most tests call ``tick()`` themselves, the others run the thread with a poll of a few
milliseconds and wait (briefly, with a deadline) for what it reports.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from station import config
from station.persistence.backup import list_backups
from station.persistence.backup_schedule import (
    SCHEDULED,
    BackupScheduler,
    BackupStatus,
    ledger_problems,
)
from station.persistence.health import full_check
from station.persistence.store import Store, open_store
from tests.integration.event_rows import (
    append_event,
    chain_problems,
    check_events,
    integrity,
    open_readonly,
)

T0 = datetime(2026, 11, 25, 8, 15, 30, 123000, tzinfo=UTC)
HOUR = timedelta(hours=1)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    store = open_store(db_path)
    yield store
    store.close()


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    return tmp_path / "backups"


def record(store: Store, count: int) -> int:
    """Append ``count`` events through the writer; the last seq."""
    seq = 0
    for _ in range(count):
        seq = store.writer.submit(append_event).result()[0]
    return seq


def live_seq(db_path: Path) -> int:
    db = open_readonly(db_path)
    try:
        return int(db.execute("SELECT coalesce(max(seq), 0) FROM event").fetchone()[0])
    finally:
        db.close()


def audit_rows(path: Path, action: str = "backup.created") -> list[dict[str, Any]]:
    db = open_readonly(path)
    db.row_factory = sqlite3.Row
    try:
        rows = db.execute("SELECT * FROM audit WHERE action = ? ORDER BY seq", (action,))
        return [{**dict(r), "new_value": json.loads(r["new_value"])} for r in rows]
    finally:
        db.close()


def assert_good_copy(copy: Path) -> None:
    """Every check the station has: integrity, structure, both hash chains."""
    assert full_check(copy, verify_chains=ledger_problems).ok
    db = open_readonly(copy)
    try:
        assert integrity(db) == "ok"
        assert check_events(db) == []
    finally:
        db.close()
    assert chain_problems(copy) == []


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


@pytest.mark.req("DUR-8")
def test_a_backup_is_taken_once_every_events_were_recorded(
    store: Store, db_path: Path, backups: Path
) -> None:
    clock = Clock()
    scheduler = BackupScheduler(
        store, backups, station="S1", interval=HOUR, every_events=5, clock=clock
    )
    first = scheduler.tick()  # no copy yet: due at once
    assert first is not None
    assert first.last_event_seq is None

    record(store, 4)
    clock.advance(seconds=1)
    assert scheduler.tick() is None  # four events: not yet
    record(store, 1)
    clock.advance(seconds=1)
    second = scheduler.tick()

    assert second is not None
    assert second.last_event_seq == 5
    assert second.last_event_seq <= live_seq(db_path)
    assert_good_copy(second.path)
    clock.advance(seconds=1)
    assert scheduler.tick() is None  # counted from the last copy again
    assert list_backups(db_path, backups) == [first.path, second.path]
    status = scheduler.status
    assert (status.last_success, status.last_path, status.last_event_seq) == (
        T0 + timedelta(seconds=2),
        second.path,
        5,
    )
    assert status.last_error is None


@pytest.mark.req("DUR-8")
def test_a_backup_is_taken_when_the_interval_has_passed(
    store: Store, db_path: Path, backups: Path
) -> None:
    clock = Clock()
    ten_minutes = timedelta(minutes=10)
    scheduler = BackupScheduler(
        store, backups, station="S1", interval=ten_minutes, every_events=10_000, clock=clock
    )
    assert scheduler.tick() is not None
    record(store, 3)
    assert scheduler.status.next_due == T0 + ten_minutes
    clock.advance(minutes=9, seconds=59)
    assert scheduler.tick() is None
    clock.advance(seconds=1)
    second = scheduler.tick()
    assert second is not None
    assert second.last_event_seq == 3
    assert_good_copy(second.path)

    # A restarted station continues the schedule from the newest copy in the directory.
    clock.advance(minutes=5)
    restarted = BackupScheduler(
        store, backups, station="S1", interval=ten_minutes, every_events=10_000, clock=clock
    )
    assert restarted.tick() is None
    assert restarted.status.last_path == second.path
    assert restarted.status.last_success == T0 + ten_minutes
    assert restarted.status.next_due == T0 + 2 * ten_minutes
    clock.advance(minutes=5)
    assert restarted.tick() is not None

    # A clock set back before the last copy does not stall the schedule.
    clock.advance(hours=-2)
    assert restarted.tick() is not None
    assert len(list_backups(db_path, backups)) == 4


@pytest.mark.req("DUR-8")
def test_the_thread_backs_up_while_the_writer_commits(
    store: Store, db_path: Path, backups: Path
) -> None:
    """The DUR-8 test: every scheduled copy taken under load passes every check."""
    seen: list[tuple[Path, int | None, int]] = []
    during: list[int] = []  # events committed while each backup was being taken

    def on_status(status: BackupStatus) -> None:
        if status.running:
            during.append(-len(committed))
            return
        if during and during[-1] < 0:
            during[-1] += len(committed)
        path = status.last_path
        if path is None or status.running or status.last_error:
            return
        if not seen or seen[-1][0] != path:
            seen.append((path, status.last_event_seq, live_seq(db_path)))

    stop = threading.Event()
    committed: list[int] = []

    def keep_writing() -> None:
        while not stop.is_set():
            committed.append(store.writer.submit(append_event).result()[0])

    writer_load = threading.Thread(target=keep_writing, name="test-load")
    scheduler = BackupScheduler(
        store, backups, station="S1", every_events=40, poll=0.005, on_status=on_status
    )
    writer_load.start()
    try:
        wait_for(lambda: len(committed) >= 10)
        scheduler.start()
        wait_for(lambda: len(seen) >= 4, timeout=15)
    finally:
        assert scheduler.stop(timeout=10)
        stop.set()
        writer_load.join()

    assert not scheduler.alive
    assert scheduler.status.last_error is None
    seqs = [seq or 0 for _, seq, _ in seen]
    assert seqs == sorted(set(seqs))  # each copy a later snapshot
    assert seqs[0] >= 10
    for (path, seq, live), later in zip(seen, [*seqs[1:], None], strict=True):
        assert seq is not None
        assert seq <= live  # never ahead of the live database
        if later is not None:
            assert later - seq >= 40  # …and triggered by the event count, not the clock
        assert_good_copy(path)
    assert committed[-1] > seqs[-1]  # the writer kept committing past the last copy
    assert any(n > 0 for n in during)  # commits went on while copies were taken
    assert chain_problems(db_path) == []


@pytest.mark.req("DUR-8")
def test_a_failing_backup_is_reported_and_retried_without_losing_the_thread(
    store: Store, db_path: Path, tmp_path: Path
) -> None:
    media = tmp_path / "usb"
    media.write_text("not a directory")  # a file where the backup folder should be
    clock = Clock()
    reports: list[BackupStatus] = []

    def on_status(status: BackupStatus) -> None:
        reports.append(status)
        msg = "a broken status display"
        raise RuntimeError(msg)  # must not stop the scheduler either

    scheduler = BackupScheduler(
        store, media, station="S1", poll=0.005, clock=clock, on_status=on_status
    )
    record(store, 3)
    scheduler.start()
    try:
        wait_for(lambda: scheduler.status.failures >= 1)
        failed = scheduler.status
        assert failed.last_error
        assert failed.last_error_at == T0
        assert failed.last_success is None
        assert failed.next_due is not None
        assert T0 < failed.next_due <= T0 + timedelta(seconds=1)  # retried at the next tick
        assert scheduler.alive

        media.unlink()
        media.mkdir()  # the drive is back
        clock.advance(seconds=1)
        scheduler.wake()
        wait_for(lambda: scheduler.status.last_success is not None)
    finally:
        assert scheduler.stop(timeout=5)

    done = scheduler.status
    assert (done.last_error, done.failures, done.last_event_seq) == (None, 0, 3)
    assert done.last_path is not None
    assert list_backups(db_path, media) == [done.last_path]
    assert_good_copy(done.last_path)
    assert reports[-1] == done


@pytest.mark.req("DUR-8")
def test_repeated_failures_back_off_up_to_the_interval(store: Store, tmp_path: Path) -> None:
    media = tmp_path / "usb"
    media.write_text("not a directory")
    clock = Clock()
    scheduler = BackupScheduler(
        store, media, station="S1", interval=timedelta(minutes=5), poll=60, clock=clock
    )
    delays = []
    for _ in range(5):
        assert scheduler.tick() is None
        due = scheduler.status.next_due
        assert due is not None
        delays.append(due - clock.now)
        assert scheduler.tick() is None  # not retried before it is due
        clock.now = due
    assert delays == [timedelta(minutes=m) for m in (1, 2, 4, 5, 5)]
    assert scheduler.status.failures == 5


@pytest.mark.req("DUR-8")
def test_rotation_keeps_the_newest_copies(store: Store, db_path: Path, backups: Path) -> None:
    clock = Clock()
    scheduler = BackupScheduler(
        store, backups, station="S1", interval=timedelta(minutes=1), keep=3, clock=clock
    )
    made = []
    for _ in range(5):
        record(store, 2)
        result = scheduler.tick()
        assert result is not None
        made.append(result)
        clock.advance(minutes=1)
    assert list_backups(db_path, backups) == [r.path for r in made[2:]]
    assert made[3].removed == (made[0].path,)
    assert made[4].removed == (made[1].path,)
    entries = audit_rows(db_path)
    assert entries[4]["new_value"]["rotated_out"] == [str(made[1].path.resolve())]


@pytest.mark.req("DUR-8")
def test_each_scheduled_backup_is_audited_by_the_system(
    store: Store, db_path: Path, backups: Path
) -> None:
    clock = Clock()
    scheduler = BackupScheduler(
        store, backups, station="S1", interval=timedelta(minutes=1), clock=clock
    )
    record(store, 4)
    first = scheduler.tick()
    clock.advance(minutes=1)
    record(store, 2)
    second = scheduler.tick()
    assert first is not None
    assert second is not None

    entries = audit_rows(db_path)
    assert len(entries) == 2
    for entry, result in zip(entries, (first, second), strict=True):
        copy = result.path
        assert entry["actor"] is None  # the system
        assert entry["reason"] == SCHEDULED
        assert entry["station"] == "S1"
        assert entry["entity"] == "file"
        assert entry["entity_id"] == str(copy.resolve())
        assert entry["new_value"] == {
            "file": copy.name,
            "path": str(copy.resolve()),
            "bytes": copy.stat().st_size,
            "sha256": hashlib.sha256(copy.read_bytes()).hexdigest(),
            "last_event_seq": result.last_event_seq,
            "verified": True,
            "checks": ["write-ahead log", "integrity_check", "hash chains"],
            "rotated_out": [],
        }
    assert entries[0]["at"] == "2026-11-25T08:15:30.123Z"
    assert audit_rows(second.path) == entries[:1]  # a copy holds only earlier entries
    assert chain_problems(db_path) == []


def test_only_one_backup_runs_at_a_time(store: Store, backups: Path) -> None:
    nested: list[object] = []
    scheduler: BackupScheduler

    def on_status(status: BackupStatus) -> None:
        if status.running:  # called inside a backup: a second one must not start
            nested.append(scheduler.tick())

    scheduler = BackupScheduler(store, backups, station="S1", on_status=on_status)
    assert scheduler.tick() is not None
    assert nested == [None]


def test_settings_configure_the_scheduler(store: Store, tmp_path: Path) -> None:
    assert BackupScheduler.from_settings(store, config.Settings(), station="S1") is None
    settings = config.parse_settings(
        f'version = 1\n[backup]\ndirectory = "{tmp_path / "b"}"\nkeep = 2\nevery_events = 1\n'
    )
    scheduler = BackupScheduler.from_settings(store, settings, station="S1")
    assert scheduler is not None
    assert scheduler.tick() is not None
    record(store, 1)
    assert scheduler.tick() is not None  # every event: due again (names differ by clock)
    assert len(list_backups(store.path, tmp_path / "b")) == 2
