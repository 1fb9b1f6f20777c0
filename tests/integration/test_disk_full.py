"""A full disk refuses the write cleanly and the same writer resumes once space is back (DUR-6).

``PRAGMA max_page_count`` makes SQLite report SQLITE_FULL exactly as a full disk would; the
free-space floor is tested with a patched ``shutil.disk_usage``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy import Connection, Engine

from station.errors import StorageError
from station.persistence.space import MB, DiskSpace, SpaceGuard, SpaceLevel, disk_space
from station.persistence.writer import DbWriter
from tests.integration.event_rows import (
    append_event,
    check_events,
    event_ids,
    integrity,
    open_readonly,
)


def _set_max_pages(pages: int) -> Callable[[Connection], int]:
    def apply(connection: Connection) -> int:
        # max_page_count is per connection: set it on the writer's own connection.
        value = connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}").scalar()
        assert isinstance(value, int)
        return value

    return apply


def _page_count(connection: Connection) -> int:
    value = connection.exec_driver_sql("PRAGMA page_count").scalar()
    assert isinstance(value, int)
    return value


@pytest.mark.req("DUR-6")
def test_disk_full_refuses_the_write_keeps_earlier_rows_and_recovers(
    engine: Engine, db_path: Path
) -> None:
    writer = DbWriter(engine)
    try:
        acked = {writer.submit(append_event).result()[1] for _ in range(20)}
        pages = writer.submit(_page_count).result()
        writer.submit(_set_max_pages(pages)).result()

        def big_batch(connection: Connection) -> None:
            for _ in range(500):  # needs new pages: cannot fit
                append_event(connection)

        with pytest.raises(StorageError) as refused:
            writer.submit(big_batch).result()
        assert str(refused.value) == (
            "the station's disk is full: the scan was NOT recorded; free space and scan again"
        )

        reader = open_readonly(db_path)
        try:
            assert event_ids(reader) == acked  # nothing of the batch, nothing lost
            assert check_events(reader) == []
            assert integrity(reader) == "ok"
        finally:
            reader.close()

        writer.submit(_set_max_pages(1_000_000)).result()
        more = {writer.submit(append_event).result()[1] for _ in range(600)}
        reader = open_readonly(db_path)
        try:
            assert event_ids(reader) == acked | more
            assert check_events(reader) == []
            assert integrity(reader) == "ok"
        finally:
            reader.close()
    finally:
        writer.close()


class DiskUsage(NamedTuple):  # the shape shutil.disk_usage returns
    total: int
    used: int
    free: int


def _free(monkeypatch: pytest.MonkeyPatch, megabytes: int) -> None:
    usage = DiskUsage(total=10**12, used=0, free=megabytes * MB)
    monkeypatch.setattr("station.persistence.space.shutil.disk_usage", lambda _path: usage)


@pytest.mark.req("DUR-6")
def test_below_the_floor_no_write_starts_and_writing_resumes_when_space_is_back(
    engine: Engine, db_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    writer = DbWriter(engine, before_write=SpaceGuard(db_path))
    try:
        _free(monkeypatch, 2000)
        first = writer.submit(append_event).result()[1]

        _free(monkeypatch, 300)
        with caplog.at_level(logging.WARNING, logger="station.persistence.space"):
            second = writer.submit(append_event).result()[1]  # low: recorded, with a warning
            writer.submit(append_event).result()
        assert [r.getMessage() for r in caplog.records] == [
            f"disk space low: 300 MB free beside {db_path}"
        ]

        _free(monkeypatch, 99)
        with pytest.raises(StorageError, match=r"almost full \(99 MB free.*NOT recorded"):
            writer.submit(append_event).result()

        _free(monkeypatch, 2000)
        last = writer.submit(append_event).result()[1]
    finally:
        writer.close()
    reader = open_readonly(db_path)
    try:
        assert {first, second, last} <= event_ids(reader)
        assert len(event_ids(reader)) == 4
    finally:
        reader.close()


def test_disk_space_levels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for megabytes, level in (
        (99, SpaceLevel.CRITICAL),
        (100, SpaceLevel.LOW),
        (500, SpaceLevel.OK),
    ):
        _free(monkeypatch, megabytes)
        assert disk_space(tmp_path / "station.sqlite") == DiskSpace(megabytes * MB, level)
