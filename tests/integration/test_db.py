"""Opening the database: durable settings read back, one writer, local real files (DUR-1, DUR-7)."""

from __future__ import annotations

import gc
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text

from station.errors import StorageError
from station.persistence.db import EXPECTED_PRAGMAS, check_pragmas, close_engine, open_engine
from station.persistence.location import check_database_path, filesystem_type


@pytest.mark.req("DUR-1")
def test_every_pooled_connection_has_the_durable_settings(engine: Engine) -> None:
    check_pragmas(engine)  # two pooled connections
    with engine.connect() as first, engine.connect() as second:
        for connection in (first, second):
            values = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in EXPECTED_PRAGMAS
            }
            connection.rollback()
            assert values["journal_mode"] == "wal"
            assert values["synchronous"] == 2  # FULL
            assert values["foreign_keys"] == 1
            busy_timeout = values["busy_timeout"]
            assert isinstance(busy_timeout, int)
            assert busy_timeout >= 5000


@pytest.mark.req("DUR-1")
def test_a_connection_with_weaker_settings_refuses_start(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _weaken(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA synchronous = NORMAL")

    engine.dispose()  # new connections run the weakening listener too
    with pytest.raises(StorageError, match=r"synchronous=1 \(expected 2\)"):
        check_pragmas(engine)


@pytest.mark.req("DUR-1")
def test_a_transaction_takes_the_write_lock_at_begin(engine: Engine, db_path: Path) -> None:
    probe = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        with engine.connect() as connection:
            connection.begin()  # no statement yet: a deferred BEGIN would hold no lock
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                probe.execute("BEGIN IMMEDIATE")
            connection.rollback()
        probe.execute("BEGIN IMMEDIATE")  # free again once the transaction ended
        probe.execute("ROLLBACK")
    finally:
        probe.close()


def test_a_read_only_engine_cannot_write(engine: Engine, db_path: Path) -> None:
    reader = open_engine(db_path, readonly=True)
    try:
        check_pragmas(reader)
        with reader.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM event")).scalar() == 0
            with pytest.raises(Exception, match=r"readonly|read-only|query_only"):
                connection.execute(
                    text(
                        "INSERT INTO location (code, name, kind, active)"
                        " VALUES ('A', 'a', 'dock', 1)"
                    )
                )
    finally:
        close_engine(reader)


@pytest.mark.req("DUR-7")
def test_a_second_writer_in_this_process_is_refused(engine: Engine, db_path: Path) -> None:
    with pytest.raises(StorageError, match="already writing"):
        open_engine(db_path)
    close_engine(engine)
    close_engine(open_engine(db_path))  # released with the first engine


@pytest.mark.req("DUR-7")
@pytest.mark.skipif(sys.platform == "win32", reason="the child uses a POSIX path check only")
def test_a_second_writer_process_is_refused(engine: Engine, db_path: Path) -> None:
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys; from station.persistence.db import open_engine\n"
                "try:\n    open_engine(sys.argv[1])\n"
                "except Exception as exc:\n    print(exc); sys.exit(3)\n"
            ),
            str(db_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
        timeout=60,
    )
    assert child.returncode == 3, child.stderr
    assert "already writing" in child.stdout


@pytest.mark.req("DUR-7")
@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_symlinked_database_is_refused(engine: Engine, db_path: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.sqlite"
    link.symlink_to(db_path)
    with pytest.raises(StorageError, match="symbolic link"):
        open_engine(link)
    with pytest.raises(StorageError, match="symbolic link"):
        open_engine(link, readonly=True)


@pytest.mark.req("DUR-7")
@pytest.mark.skipif(sys.platform == "win32", reason="hard links need NTFS privileges")
def test_a_hard_linked_database_is_refused(engine: Engine, db_path: Path, tmp_path: Path) -> None:
    os.link(db_path, tmp_path / "second-name.sqlite")
    with pytest.raises(StorageError, match="hard links"):
        check_database_path(db_path)


MOUNTINFO = (
    "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"
    "30 22 0:40 / /srv/nas rw - nfs4 filer:/export rw\n"
    "31 22 0:41 / /mnt/c rw - 9p drvfs rw\n"
    "32 30 8:2 / /srv/nas/local rw - ext4 /dev/sdb1 rw\n"
    "33 22 0:42 / /mnt/my\\040share rw - cifs //srv/share rw\n"
)


@pytest.mark.req("DUR-7")
@pytest.mark.parametrize(
    ("path", "fstype"),
    [
        ("/home/op/station.sqlite", "ext4"),
        ("/srv/nas/station.sqlite", "nfs4"),
        ("/srv/nas/local/station.sqlite", "ext4"),  # a local disk mounted inside a share
        ("/mnt/c/Users/op/station.sqlite", "9p"),
        ("/mnt/my share/station.sqlite", "cifs"),
        ("/srv/nasty/station.sqlite", "ext4"),  # a prefix of the name is not a parent
    ],
)
def test_the_file_system_holding_a_path_is_found(path: str, fstype: str) -> None:
    assert filesystem_type(Path(path), MOUNTINFO) == fstype


@pytest.mark.req("DUR-7")
def test_a_network_file_system_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("station.persistence.location.network_filesystem", lambda _path: "nfs4")
    with pytest.raises(StorageError, match=r"network file system \(nfs4\)"):
        open_engine(tmp_path / "station.sqlite")
    assert not (tmp_path / "station.sqlite").exists()


@pytest.mark.req("DUR-7")
def test_an_engine_dropped_without_closing_releases_its_lock(db_path: Path) -> None:
    engine = open_engine(db_path)
    del engine
    gc.collect()
    close_engine(open_engine(db_path))
