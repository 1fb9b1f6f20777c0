"""Opening the station's SQLite file with the settings durability depends on (DUR-1, DUR-7).

Every connection gets WAL, ``synchronous=FULL``, foreign keys and a busy timeout from a
``connect`` event; Python's implicit transactions are off so that SQLAlchemy's ``begin`` event
can issue ``BEGIN IMMEDIATE`` itself: a writer takes the write lock when its transaction starts,
never half-way through (which is where a deferred transaction would fail with SQLITE_BUSY).
"""

from __future__ import annotations

import sqlite3
import sys
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

from station.errors import StorageError
from station.persistence.location import check_database_path, sqlite_uri
from station.persistence.lock import WriterLock

BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 64 * 1024
_SYNCHRONOUS_FULL = 2

#: The values ``check_pragmas`` insists on, as SQLite reports them.
EXPECTED_PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    "synchronous": _SYNCHRONOUS_FULL,
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}
if sys.platform == "darwin":  # macOS fsync does not flush the drive's cache
    EXPECTED_PRAGMAS |= {"fullfsync": 1, "checkpoint_fullfsync": 1}

# The writer lock lives as long as its engine: released by close_engine, or when the engine
# is garbage-collected.
_LOCKS: weakref.WeakKeyDictionary[Engine, WriterLock] = weakref.WeakKeyDictionary()


def _apply_pragmas(dbapi_connection: sqlite3.Connection, *, readonly: bool) -> None:
    dbapi_connection.isolation_level = None  # no implicit BEGIN from pysqlite
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # SQLite's default page cache is 2 MB; a station with millions of events looks up
        # random identifiers in indexes of gigabytes, so give each connection 64 MB.
        cursor.execute(f"PRAGMA cache_size = {-CACHE_KIB}")
        if readonly:
            cursor.execute("PRAGMA query_only = ON")
        else:  # the journal mode is stored in the file; only a writer may change it
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        if sys.platform == "darwin":
            cursor.execute("PRAGMA fullfsync = ON")
            cursor.execute("PRAGMA checkpoint_fullfsync = ON")
    finally:
        cursor.close()


def open_engine(path: Path | str, *, readonly: bool = False) -> Engine:
    """An engine on the database file at ``path``.

    A writer engine (the default) creates the file if needed and holds the single-writer lock
    until :func:`close_engine`; a second writer, here or in another process, is refused.
    A read-only engine opens an existing file with ``mode=ro`` and never takes the lock.
    """
    db_path = check_database_path(Path(path))
    lock: WriterLock | None = None
    if readonly:
        if not db_path.exists():
            msg = f"the database {db_path} does not exist"
            raise StorageError(msg)
        url = sqlite_uri(db_path, "ro")
    else:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        lock = WriterLock(db_path)
        lock.acquire()
        url = sqlite_uri(db_path, "rwc")

    try:
        engine = _create_engine(url, readonly=readonly)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if lock is not None:
        _LOCKS[engine] = lock
        weakref.finalize(engine, lock.release)  # an engine dropped without close_engine
    return engine


def _create_engine(url: str, *, readonly: bool) -> Engine:
    def _create() -> sqlite3.Connection:
        # Pool checkout hands a connection to one thread at a time, so sharing is safe.
        return sqlite3.connect(url, uri=True, check_same_thread=False)

    engine = create_engine("sqlite+pysqlite://", creator=_create, poolclass=QueuePool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        _apply_pragmas(dbapi_connection, readonly=readonly)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def close_engine(engine: Engine) -> None:
    """Close every pooled connection and release the writer lock, if this engine holds it."""
    engine.dispose()
    lock = _LOCKS.pop(engine, None)
    if lock is not None:
        lock.release()


def read_pragmas(connection: Connection) -> dict[str, object]:
    values: dict[str, object] = {}
    for name in EXPECTED_PRAGMAS:
        value: Any = connection.exec_driver_sql(f"PRAGMA {name}").scalar()
        values[name] = value.lower() if isinstance(value, str) else value
    return values


def check_pragmas(engine: Engine) -> None:
    """Read the settings back on two pooled connections; a mismatch refuses start (DUR-1)."""
    with engine.connect() as first, engine.connect() as second:
        for number, connection in enumerate((first, second), start=1):
            actual = read_pragmas(connection)
            connection.rollback()  # a writer engine's BEGIN IMMEDIATE must not block the next
            wrong = {k: v for k, v in actual.items() if v != EXPECTED_PRAGMAS[k]}
            if wrong:
                detail = ", ".join(
                    f"{k}={v!r} (expected {EXPECTED_PRAGMAS[k]!r})" for k, v in wrong.items()
                )
                msg = f"the database settings are unsafe on connection {number}: {detail}"
                raise StorageError(msg)
