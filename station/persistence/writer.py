"""The one thread that writes the database (DUR-2, DUR-6; architecture §4).

``submit(fn)`` runs ``fn(connection)`` inside ``BEGIN IMMEDIATE … COMMIT`` on the thread
``db-writer``. The returned future resolves only after COMMIT returned: that is the moment the
operator may be told "recorded". Any exception rolls back explicitly — after SQLITE_FULL the
transaction state depends on the SQLite version — and reaches the caller, so nothing
half-written remains and nothing unwritten is acknowledged.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from station.errors import StorageError

T = TypeVar("T")

WRITER_THREAD_NAME = "db-writer"

_log = logging.getLogger(__name__)
_thread_role = threading.local()

# Primary SQLite result codes (the low byte of an extended code).
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_IOERR = 10
_SQLITE_NOTADB = 26

_NOT_RECORDED = "the scan was NOT recorded"
_MESSAGES = {
    _SQLITE_FULL: f"the station's disk is full: {_NOT_RECORDED}; free space and scan again",
    _SQLITE_IOERR: (
        f"the station could not write to its disk (I/O error): {_NOT_RECORDED}; "
        "check the disk and scan again"
    ),
    _SQLITE_CORRUPT: f"the station's database is damaged: {_NOT_RECORDED}; call support",
    _SQLITE_NOTADB: f"the station's database is damaged: {_NOT_RECORDED}; call support",
}


def assert_in_writer_thread() -> None:
    """Guard for code that must only run inside a ``DbWriter`` transaction."""
    if not getattr(_thread_role, "is_writer", False):
        msg = f"must run on the {WRITER_THREAD_NAME} thread, not {threading.current_thread().name}"
        raise RuntimeError(msg)


def storage_error_for(exc: BaseException) -> StorageError | None:
    """The operator-facing error for a disk or file failure, or None for anything else."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(original, sqlite3.Error):
        return None
    code = getattr(original, "sqlite_errorcode", None)
    if code is None:
        return None
    message = _MESSAGES.get(code & 0xFF)
    return StorageError(message) if message else None


def _mark_writer_thread() -> None:
    threading.current_thread().name = WRITER_THREAD_NAME
    _thread_role.is_writer = True


class DbWriter:
    """Owns the only write connection; serialises every write on one thread."""

    def __init__(self, engine: Engine, *, before_write: Callable[[], None] | None = None) -> None:
        """``before_write`` runs on the writer thread before each transaction; raising there
        refuses the write (e.g. :class:`~station.persistence.space.SpaceGuard`)."""
        self._engine = engine
        self._before_write = before_write
        self._connection: Connection | None = None
        self._closed = False
        self._submit_lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, initializer=_mark_writer_thread)

    def submit(self, fn: Callable[[Connection], T]) -> Future[T]:
        """Run ``fn(connection)`` in one transaction; the future resolves after COMMIT."""
        with self._submit_lock:
            if self._closed:
                msg = f"the database writer is closed: {_NOT_RECORDED}"
                raise StorageError(msg)
            return self._executor.submit(self._run, fn)

    def close(self) -> None:
        """Finish every submitted write, then close the connection and stop the thread."""
        with self._submit_lock:
            if self._closed:
                return
            self._closed = True
            # FIFO: this runs after all work already queued.
            self._executor.submit(self._drop_connection)
        self._executor.shutdown(wait=True)

    def _connect(self) -> Connection:
        if self._connection is None or self._connection.invalidated:
            self._connection = self._engine.connect()
        return self._connection

    def _drop_connection(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _run(self, fn: Callable[[Connection], T]) -> T:
        try:
            return self._transaction(fn)
        except BaseException as exc:
            storage_error = storage_error_for(exc)
            if storage_error is None:
                raise
            _log.error("write refused: %s (%s)", storage_error, exc)
            raise storage_error from exc

    def _transaction(self, fn: Callable[[Connection], T]) -> T:
        if self._before_write is not None:
            self._before_write()
        connection = self._connect()
        try:
            transaction = connection.begin()  # the begin event issues BEGIN IMMEDIATE
            result = fn(connection)
            transaction.commit()
        except BaseException:
            self._roll_back(connection)
            raise
        return result

    def _roll_back(self, connection: Connection) -> None:
        try:
            # Unconditional: after a failed COMMIT (a failed fsync, say) SQLAlchemy keeps the dead
            # transaction; in_transaction() is False, yet begin() refuses until this clears it.
            connection.rollback()
            # pysqlite skips ROLLBACK when it believes none is open; ask SQLite itself.
            dbapi = None if connection.invalidated else connection.connection.dbapi_connection
            if isinstance(dbapi, sqlite3.Connection) and dbapi.in_transaction:
                dbapi.execute("ROLLBACK")
        except Exception:
            # A connection that cannot roll back is not reused: the next write reconnects,
            # and SQLite rolls the open transaction back when the handle closes.
            _log.exception("rollback failed; reconnecting")
            connection.invalidate()
            self._connection = None
