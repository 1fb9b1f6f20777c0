"""Opening the station's database for work, in the one order that is safe.

1. Health check, read-only (DUR-5): a damaged file raises :class:`SafeModeError` before any
   writable connection exists, so it is never modified.
2. The writer engine: local real file, single-writer lock (DUR-7).
3. The durable settings, read back (DUR-1); any mismatch refuses to start.
4. Migrations to head, in one transaction.
5. The single writer thread (DUR-2), which refuses new work when the disk is nearly full
   (DUR-6).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from station.persistence import migrate
from station.persistence.db import check_pragmas, close_engine, open_engine
from station.persistence.health import ChainVerifier, HealthReport, require_healthy, startup_check
from station.persistence.space import SpaceGuard
from station.persistence.writer import DbWriter


@dataclass
class Store:
    """The open database: its engine (readers open their own connections) and its writer."""

    path: Path
    engine: Engine
    writer: DbWriter
    health: HealthReport

    def close(self) -> None:
        """Drain the writer, then release the connections and the lock."""
        self.writer.close()
        close_engine(self.engine)


def open_store(path: Path, *, verify_tails: ChainVerifier | None = None) -> Store:
    report = startup_check(path, verify_tails=verify_tails)
    require_healthy(report)
    engine = open_engine(path)
    try:
        check_pragmas(engine)
        migrate.upgrade(engine)
    except BaseException:
        close_engine(engine)
        raise
    writer = DbWriter(engine, before_write=SpaceGuard(Path(path)))
    return Store(Path(path), engine, writer, report)
