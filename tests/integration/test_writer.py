"""The single writer: ack after commit, roll back on failure, one named thread (DUR-2)."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text

from station.errors import StorageError
from station.persistence.writer import (
    WRITER_THREAD_NAME,
    DbWriter,
    assert_in_writer_thread,
    storage_error_for,
)
from tests.integration.event_rows import append_event, check_events, event_ids, open_readonly


@pytest.fixture
def writer(engine: Engine) -> Iterator[DbWriter]:
    writer = DbWriter(engine)
    yield writer
    writer.close()


@pytest.mark.req("DUR-2")
def test_a_resolved_future_means_another_connection_sees_the_row(
    writer: DbWriter, db_path: Path
) -> None:
    seq, event_id = writer.submit(append_event).result(timeout=10)
    reader = open_readonly(db_path)
    try:
        assert event_ids(reader) == {event_id}
        assert seq == 1
    finally:
        reader.close()


@pytest.mark.req("DUR-2")
def test_an_exception_rolls_everything_back_and_reaches_the_caller(
    writer: DbWriter, db_path: Path
) -> None:
    def half_then_fail(connection: Connection) -> None:
        append_event(connection)
        msg = "the second statement failed"
        raise ValueError(msg)

    with pytest.raises(ValueError, match="second statement"):
        writer.submit(half_then_fail).result(timeout=10)
    _, kept = writer.submit(append_event).result(timeout=10)  # the writer carries on
    reader = open_readonly(db_path)
    try:
        assert event_ids(reader) == {kept}
        assert check_events(reader) == []
    finally:
        reader.close()


def test_work_runs_on_the_one_named_writer_thread(writer: DbWriter) -> None:
    names = {writer.submit(lambda _c: threading.current_thread().name).result() for _ in range(5)}
    assert names == {WRITER_THREAD_NAME}
    writer.submit(lambda _c: assert_in_writer_thread()).result()
    with pytest.raises(RuntimeError, match="db-writer"):
        assert_in_writer_thread()


def test_close_drains_pending_work_then_refuses_more(writer: DbWriter, db_path: Path) -> None:
    futures = [writer.submit(append_event) for _ in range(50)]
    writer.close()
    assert all(f.done() for f in futures)
    ids = {f.result()[1] for f in futures}
    reader = open_readonly(db_path)
    try:
        assert event_ids(reader) == ids
    finally:
        reader.close()
    with pytest.raises(StorageError, match="closed"):
        writer.submit(append_event)


def test_a_trigger_abort_is_rolled_back_and_not_a_storage_error(writer: DbWriter) -> None:
    writer.submit(append_event).result()

    def tamper(connection: Connection) -> None:
        append_event(connection)
        connection.execute(text("UPDATE event SET actor = 'mallory' WHERE seq = 1"))

    with pytest.raises(Exception, match="append-only table") as caught:
        writer.submit(tamper).result()
    assert not isinstance(caught.value, StorageError)
    count = writer.submit(lambda c: c.execute(text("SELECT count(*) FROM event")).scalar()).result()
    assert count == 1


def _sqlite_error(code: int, message: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code  # what the sqlite3 module sets on a real failure
    return error


@pytest.mark.req("DUR-6")
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (13, "the station's disk is full: the scan was NOT recorded; free space and scan again"),
        (10 | (3 << 8), "could not write to its disk (I/O error): the scan was NOT recorded"),
        (10 | (4 << 8), "could not write to its disk (I/O error)"),  # SQLITE_IOERR_FSYNC
        (11, "database is damaged"),
    ],
)
def test_disk_errors_become_operator_messages_and_roll_back(
    writer: DbWriter, db_path: Path, code: int, expected: str
) -> None:
    def write_then_fail(connection: Connection) -> None:
        append_event(connection)
        raise _sqlite_error(code, "low-level failure")

    with pytest.raises(StorageError, match=re.escape(expected)):
        writer.submit(write_then_fail).result()
    _, kept = writer.submit(append_event).result()  # the same writer carries on
    reader = open_readonly(db_path)
    try:
        assert event_ids(reader) == {kept}
    finally:
        reader.close()


def test_other_database_errors_are_not_disguised_as_disk_trouble() -> None:
    assert storage_error_for(_sqlite_error(19, "UNIQUE constraint failed")) is None
    assert storage_error_for(ValueError("not sqlite")) is None
