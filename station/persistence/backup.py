"""Online backup and restore (DUR-8).

Copies are made only with SQLite's online backup API, never by copying the file: a file copy
of a live WAL database can pair a new main file with an old log, or miss the log entirely.
One backup step copies the whole database inside one read transaction, so the copy is a
consistent snapshot while the writer keeps committing (WAL readers do not block writers).

A copy is written under a ``.partial`` name, flushed to disk, converted to a self-contained
rollback-journal file, verified (integrity check, plus the ledger's chain verification when
given) and only then renamed into place and counted by rotation.

Both operations take an optional ``before_publish`` callback, run after the copy is verified and
before it is renamed into place: the command line records the audit entry there, so a backup
or a restored database never exists without its entry. If the callback raises, a backup copy is
set aside as ``….unaudited`` (verified, kept for an emergency, never counted as a backup) and a
restore leaves the database exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station.errors import StorageError
from station.persistence.health import ChainVerifier, HealthReport, full_check
from station.persistence.location import check_database_path, sqlite_uri
from station.persistence.lock import WriterLock
from station.persistence.wal_index import missing_wal_problem

SUFFIX = ".sqlite"
BACKUP_ACTION = "backup.created"  # the audit action of a published copy
_PARTIAL = ".partial"
_UNAUDITED = ".unaudited"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class BackupResult:
    path: Path
    last_event_seq: int | None  # None when the database has no events (or no ledger yet)
    health: HealthReport
    removed: tuple[Path, ...]  # older copies deleted by rotation


@dataclass(frozen=True)
class BackupCopy:
    """A verified copy about to be published as ``path`` (it is still at ``staged``)."""

    path: Path
    staged: Path
    size: int
    sha256: str
    last_event_seq: int | None
    health: HealthReport
    removes: tuple[Path, ...]  # older copies rotation will delete once this one is in place


@dataclass(frozen=True)
class RestoreStep:
    """A verified copy of a backup about to replace the database (it is still at ``staged``)."""

    db_path: Path
    staged: Path
    previous: HealthReport | None  # the database being replaced; None if there was none
    set_aside: tuple[Path, ...]  # where the replaced file (and its -wal, -shm) will be moved


@dataclass(frozen=True)
class RestoreResult:
    health: HealthReport  # the restored database's full check
    set_aside: tuple[Path, ...]  # where the replaced files went


def backup_audit_fields(copy: BackupCopy) -> dict[str, Any]:
    """The ``backup.created`` audit entry for ``copy``, as keyword arguments of ``record_audit``.

    One definition for every caller (``station backup`` and the scheduled backup), so the two
    entries are alike; each adds its own actor and ``reason``.
    """
    path = str(copy.path.resolve())
    return {
        "action": BACKUP_ACTION,
        "entity": "file",
        "entity_id": path,
        "new": {
            "file": copy.path.name,
            "path": path,
            "bytes": copy.size,
            "sha256": copy.sha256,
            "last_event_seq": copy.last_event_seq,
            "verified": copy.health.ok,
            "checks": list(copy.health.checks),
            "rotated_out": [str(p.resolve()) for p in copy.removes],
        },
    }


def file_sha256(path: Path) -> tuple[str, int]:
    """SHA-256 (lowercase hex) and size in bytes of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


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
    before_publish: Callable[[BackupCopy], None] | None = None,
) -> BackupResult:
    """Copy the live database into ``directory``, verify the copy, keep the newest ``keep``.

    ``before_publish`` (e.g. writing the audit entry) runs on the verified copy before it is
    renamed into place; if it raises, the copy is set aside as ``….unaudited`` and the error
    propagates.
    """
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
    seq = last_event_seq(partial)
    removes = _planned_rotation(source_path, directory, keep, target)
    if before_publish is not None:
        digest, size = file_sha256(partial)
        try:
            before_publish(BackupCopy(target, partial, size, digest, seq, health, removes))
        except BaseException:
            partial.replace(target.with_name(target.name + _UNAUDITED))
            raise
    partial.replace(target)
    fsync_directory(directory)
    for path in removes:
        path.unlink(missing_ok=True)
    return BackupResult(target, seq, health, removes)


def restore(
    backup_file: Path,
    db_path: Path,
    *,
    force: bool = False,
    verify_chains: ChainVerifier | None = None,
) -> HealthReport:
    """Replace the database at ``db_path`` by a verified backup; return the restored check.

    See :func:`restore_database`, which also says where the replaced files went.
    """
    return restore_database(backup_file, db_path, force=force, verify_chains=verify_chains).health


def restore_database(
    backup_file: Path,
    db_path: Path,
    *,
    force: bool = False,
    verify_chains: ChainVerifier | None = None,
    before_publish: Callable[[RestoreStep], None] | None = None,
) -> RestoreResult:
    """Replace the database at ``db_path`` by a verified backup.

    Refuses while a station holds the writer lock, and refuses to replace a healthy database
    unless ``force``. The database being replaced is never deleted: it is renamed aside
    (with its ``-wal`` and ``-shm``) so that nothing recorded can be lost by a restore.

    The backup is copied to ``….restoring`` first; ``before_publish`` runs on that copy (it
    may write to it, e.g. the audit entry of the restore, and must close it again); only then
    is the current database set aside and the copy renamed into place. If anything fails
    before that, the current database is untouched and the copy is removed.
    """
    backup_file = Path(backup_file)
    db_path = check_database_path(Path(db_path))
    checked = full_check(backup_file, verify_chains=verify_chains)
    if not checked.ok:
        msg = f"the backup {backup_file} is damaged and was not restored: {checked.summary()}"
        raise StorageError(msg)
    with WriterLock(db_path):
        previous: HealthReport | None = None
        if db_path.exists():
            previous = full_check(db_path, verify_chains=verify_chains)
            if previous.ok and not force:
                msg = (
                    f"the database {db_path} is healthy; restoring would replace it "
                    "(use --force to restore anyway; the current file is kept aside)"
                )
                raise StorageError(msg)
        restoring = db_path.with_name(db_path.name + ".restoring")
        try:
            source = sqlite3.connect(sqlite_uri(backup_file, "ro"), uri=True)
            try:
                _copy(source, restoring, journal_mode="WAL")
            finally:
                source.close()
            stamp = f"{datetime.now(tz=UTC):%Y%m%dT%H%M%S%f}"
            if before_publish is not None:
                planned = tuple(dst for _, dst in _aside_moves(db_path, stamp))
                before_publish(RestoreStep(db_path, restoring, previous, planned))
                _settle(restoring)
        except BaseException:
            _remove_with_sidecars(restoring)
            raise
        # Also a stray -wal or -shm without its database: SQLite would pair an old log with
        # the restored file.
        moved = _set_aside(db_path, stamp)
        restoring.replace(db_path)
        fsync_directory(db_path.parent)
        _remove_with_sidecars(restoring)  # an empty -shm or lock file left by before_publish
    restored = full_check(db_path, verify_chains=verify_chains)
    if not restored.ok:
        msg = f"the restored database failed its check: {restored.summary()}"
        raise StorageError(msg)
    return RestoreResult(restored, moved)


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
    fsync_file(target)


def _planned_rotation(db_path: Path, directory: Path, keep: int, new: Path) -> tuple[Path, ...]:
    """The copies rotation removes once ``new`` is in place: all but the newest ``keep``."""
    copies = sorted({*list_backups(db_path, directory), new})
    return tuple(p for p in copies[:-keep] if p != new)


_SIDECARS = ("", "-wal", "-shm")


def _aside_moves(db_path: Path, stamp: str) -> list[tuple[Path, Path]]:
    return [
        (path, db_path.with_name(f"{db_path.name}.replaced-{stamp}{suffix}"))
        for suffix in _SIDECARS
        if (path := db_path.with_name(db_path.name + suffix)).exists()
    ]


def _set_aside(db_path: Path, stamp: str) -> tuple[Path, ...]:
    moves = _aside_moves(db_path, stamp)
    for path, target in moves:
        path.replace(target)
    return tuple(target for _, target in moves)


def _settle(path: Path) -> None:
    """Fold a write-ahead log left beside ``path`` into it, so the file alone is complete."""
    wal = path.with_name(path.name + "-wal")
    if not wal.exists():
        return
    db = sqlite3.connect(path, isolation_level=None)
    try:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        db.close()
    if busy or (wal.exists() and wal.stat().st_size):
        msg = f"{path} is still in use; its write-ahead log could not be folded in"
        raise StorageError(msg)


def _remove_with_sidecars(path: Path) -> None:
    for suffix in (*_SIDECARS, ".lock"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)  # Windows flushes only handles open for writing
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_directory(directory: Path) -> None:
    if sys.platform == "win32":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
