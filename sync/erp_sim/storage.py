"""The reference ERP's own SQLite file: captured events (``eventID`` UNIQUE) and capture jobs.

The master-data feed and the checkpoints add their tables through :meth:`Storage.ensure`.

One connection, serialised by a lock: the simulator is a development and test tool, so one
writer at a time is plenty, and it keeps "check, then insert" atomic for a whole capture.
Events keep their capture order in ``seq``; ``recordTime`` is set here, never by the client.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CaptureJob", "Storage"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS event (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    capture_id TEXT,
    record_time TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS capture_job (
    capture_id TEXT PRIMARY KEY,
    idempotency_key TEXT UNIQUE,
    body_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    running INTEGER NOT NULL,
    success INTEGER NOT NULL,
    behaviour TEXT NOT NULL,
    errors TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class CaptureJob:
    """A capture job as the REST bindings' ``CaptureJob`` schema describes it."""

    capture_id: str
    body_sha256: str
    created_at: str
    finished_at: str | None
    running: bool
    success: bool
    behaviour: str
    errors: tuple[Mapping[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        job: dict[str, Any] = {
            "captureID": self.capture_id,
            "createdAt": self.created_at,
            "running": self.running,
            "success": self.success,
            "captureErrorBehaviour": self.behaviour,
            "errors": [dict(error) for error in self.errors],
        }
        if self.finished_at is not None:
            job["finishedAt"] = self.finished_at
        return job


class Storage:
    """Events and capture jobs in one SQLite file (WAL, ``synchronous=FULL``)."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def ensure(self, schema: str) -> None:
        """Create the tables of ``schema`` (``CREATE TABLE IF NOT EXISTS`` statements)."""
        with self._lock:
            self._db.executescript(schema)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection inside ``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back on an exception)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @staticmethod
    def existing_ids(db: sqlite3.Connection, event_ids: Sequence[str]) -> set[str]:
        query = "SELECT 1 FROM event WHERE event_id = ?"
        return {i for i in event_ids if db.execute(query, (i,)).fetchone() is not None}

    @staticmethod
    def insert_event(
        db: sqlite3.Connection, event: Mapping[str, Any], capture_id: str | None
    ) -> bool:
        """Store ``event`` (with its ``eventID`` and ``recordTime``); False if a duplicate."""
        cursor = db.execute(
            "INSERT INTO event (event_id, capture_id, record_time, payload) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (event_id) DO NOTHING",
            (event["eventID"], capture_id, event["recordTime"], json.dumps(event)),
        )
        return cursor.rowcount == 1

    @staticmethod
    def insert_job(db: sqlite3.Connection, job: CaptureJob, idempotency_key: str | None) -> None:
        db.execute(
            "INSERT INTO capture_job VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                job.capture_id,
                idempotency_key,
                job.body_sha256,
                job.created_at,
                job.finished_at,
                int(job.running),
                int(job.success),
                job.behaviour,
                json.dumps(list(job.errors)),
            ),
        )

    def job(self, capture_id: str) -> CaptureJob | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM capture_job WHERE capture_id = ?", (capture_id,)
            ).fetchone()
        return None if row is None else _job(row)

    @staticmethod
    def job_for_key(db: sqlite3.Connection, idempotency_key: str) -> CaptureJob | None:
        row = db.execute(
            "SELECT * FROM capture_job WHERE idempotency_key = ?", (idempotency_key,)
        ).fetchone()
        return None if row is None else _job(row)

    def events_after(self, seq: int, limit: int) -> list[tuple[int, dict[str, Any]]]:
        """Up to ``limit`` events with ``seq`` greater than ``seq``, in capture order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, payload FROM event WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
            ).fetchall()
        return [(int(row[0]), json.loads(row[1])) for row in rows]

    def event_count(self) -> int:
        with self._lock:
            (count,) = self._db.execute("SELECT count(*) FROM event").fetchone()
        return int(count)


def _job(row: tuple[Any, ...]) -> CaptureJob:
    capture_id, _key, sha, created, finished, running, success, behaviour, errors = row
    return CaptureJob(
        capture_id=capture_id,
        body_sha256=sha,
        created_at=created,
        finished_at=finished,
        running=bool(running),
        success=bool(success),
        behaviour=behaviour,
        errors=tuple(json.loads(errors)),
    )
