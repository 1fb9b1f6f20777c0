"""Online backup and restore (DUR-8).

Copies are made only with SQLite's online backup API, never by copying the file: a file copy
of a live WAL database can pair a new main file with an old log, or miss the log entirely.
One backup step copies the whole database inside one read transaction, so the copy is a
consistent snapshot while the writer keeps committing (WAL readers do not block writers).

A copy is written under a ``.partial`` name, flushed to disk, converted to a self-contained
rollback-journal file, verified (integrity check, plus the ledger's chain verification when
given) and only then renamed into place and counted by rotation.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from station.errors import StorageError
from station.persistence.health import ChainVerifier, HealthReport, full_check
from station.persistence.location import check_database_path, sqlite_uri
from station.persistence.lock import WriterLock
from station.persistence.wal_index import missing_wal_problem

SUFFIX = ".sqlite"
_PARTIAL = ".partial"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    last_event_seq: int | None  # None when the database has no events (or no ledger yet)
    health: HealthReport
    removed: tuple[Path, ...]  # older copies deleted by rotation


def backup_name(db_path: Path, at: datetime) -> str:
    """``station-20261125T081530123Z.sqlite``: sorts by time, safe on every file system."""
    return f"{db_path.stem}-{at.astimezone(UTC):%Y%m%dT%H%M%S}{at.microsecond // 1000:03d}Z{SUFFIX}"


def list_backups(db_path: Path, directory: Path) -> list[Path]:
    """This database's verified copies in ``directory``, oldest first."""
    pattern = re.compile(re.escape(db_path.stem) + r"-\d{8}T\d{9}Z" + re.escape(SUFFIX))
    return sorted(p for p in directory.iterdir() if pattern.fullmatch(p.name) and p.is_file())


def backup(
    db_path: Path,
    directory: Path,
    *,
    keep: int = 10,
    verify_chains: ChainVerifier | None = None,
    now: datetime | None = None,
) -> BackupResult:
    """Copy the live database into ``directory``, verify the copy, keep the newest ``keep``."""
    if keep < 1:
        msg = "keep at least one backup"
        raise StorageError(msg)
    source_path = check_database_path(Path(db_path))
    if not source_path.exists():
        msg = f"the database {source_path} does not exist"
        raise StorageError(msg)
    if (lost := missing_wal_problem(source_path)) is not None:
        msg = f"the database {source_path} was not backed up: {lost}"
        raise StorageError(msg)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / backup_name(source_path, now or datetime.now(tz=UTC))
    if target.exists():
        msg = f"a backup named {target.name} already exists"
        raise StorageError(msg)
    partial = target.with_name(target.name + _PARTIAL)
    source = sqlite3.connect(sqlite_uri(source_path, "ro"), uri=True)
    try:
        _copy(source, partial, journal_mode="DELETE")
    finally:
        source.close()

    health = full_check(partial, verify_chains=verify_chains)
    if not health.ok:
        failed = partial.with_name(target.name + ".failed")
        partial.replace(failed)  # kept for investigation, never counted as a backup
        msg = f"the backup copy failed its check and was set aside as {failed}: {health.summary()}"
        raise StorageError(msg)
    partial.replace(target)
    _fsync_directory(directory)
    removed = _rotate(source_path, directory, keep)
    return BackupResult(target, last_event_seq(target), health, removed)


def restore(
    backup_file: Path,
    db_path: Path,
    *,
    force: bool = False,
    verify_chains: ChainVerifier | None = None,
) -> HealthReport:
    """Replace the database at ``db_path`` by a verified backup; return the restored check.

    Refuses while a station holds the writer lock, and refuses to replace a healthy database
    unless ``force``. The database being replaced is never deleted: it is renamed aside
    (with its ``-wal`` and ``-shm``) so that nothing recorded can be lost by a restore.
    """
    backup_file = Path(backup_file)
    db_path = check_database_path(Path(db_path))
    checked = full_check(backup_file, verify_chains=verify_chains)
    if not checked.ok:
        msg = f"the backup {backup_file} is damaged and was not restored: {checked.summary()}"
        raise StorageError(msg)
    with WriterLock(db_path):
        if db_path.exists():
            current = full_check(db_path, verify_chains=verify_chains)
            if current.ok and not force:
                msg = (
                    f"the database {db_path} is healthy; restoring would replace it "
                    "(use --force to restore anyway; the current file is kept aside)"
                )
                raise StorageError(msg)
        # Also a stray -wal or -shm without its database: SQLite would pair an old log with
        # the restored file.
        _set_aside(db_path)
        restoring = db_path.with_name(db_path.name + ".restoring")
        source = sqlite3.connect(sqlite_uri(backup_file, "ro"), uri=True)
        try:
            _copy(source, restoring, journal_mode="WAL")
        finally:
            source.close()
        restoring.replace(db_path)
        _fsync_directory(db_path.parent)
    restored = full_check(db_path, verify_chains=verify_chains)
    if not restored.ok:
        msg = f"the restored database failed its check: {restored.summary()}"
        raise StorageError(msg)
    return restored


def last_event_seq(path: Path) -> int | None:
    db = sqlite3.connect(sqlite_uri(path, "ro"), uri=True)
    try:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'event'").fetchone():
            return None
        value = db.execute("SELECT max(seq) FROM event").fetchone()[0]
        return int(value) if value is not None else None
    finally:
        db.close()


def _copy(source: sqlite3.Connection, target: Path, *, journal_mode: str) -> None:
    target.unlink(missing_ok=True)  # a leftover from an interrupted attempt
    destination = sqlite3.connect(target, isolation_level=None)
    try:
        destination.execute("PRAGMA synchronous = FULL")
        source.backup(destination)  # pages=-1: the whole database in one consistent step
        destination.execute(f"PRAGMA journal_mode = {journal_mode}")
    finally:
        destination.close()
    _fsync_file(target)


def _rotate(db_path: Path, directory: Path, keep: int) -> tuple[Path, ...]:
    old = list_backups(db_path, directory)[:-keep]
    for path in old:
        path.unlink()
    return tuple(old)


def _set_aside(db_path: Path) -> None:
    stamp = f"{datetime.now(tz=UTC):%Y%m%dT%H%M%S%f}"
    for suffix in ("", "-wal", "-shm"):
        path = db_path.with_name(db_path.name + suffix)
        if path.exists():
            path.replace(db_path.with_name(f"{db_path.name}.replaced-{stamp}{suffix}"))


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)  # Windows flushes only handles open for writing
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(directory: Path) -> None:
    if sys.platform == "win32":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
