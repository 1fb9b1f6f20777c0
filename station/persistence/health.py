"""Is the database file sound? Checked at start-up and on demand (DUR-5).

Every check here opens the file read-only (``mode=ro``): a damaged database must never be
"repaired" by the act of looking at it. A failed check means safe mode: the station does not
write, and the operator is offered a restore from backup.

The ledger supplies the chain verification as a callable (``station.ledger`` owns the hash
rules); it receives a read-only SQLAlchemy connection and returns the problems it found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, inspect
from sqlalchemy.exc import SQLAlchemyError

from station.errors import StorageError
from station.persistence.db import close_engine, open_engine
from station.persistence.wal_index import missing_wal_problem

#: Verifies the hash chains on a read-only connection; returns problems (empty: intact).
ChainVerifier = Callable[[Connection], Iterable[str]]


@dataclass(frozen=True)
class HealthReport:
    path: Path
    checks: tuple[str, ...]  # what was run, in order
    problems: tuple[str, ...]  # empty when the database is sound

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return f"{self.path}: ok ({', '.join(self.checks)})"
        return f"{self.path}: DAMAGED: " + "; ".join(self.problems)


class SafeModeError(StorageError):
    """The database failed its health check: nothing may be written to it."""

    def __init__(self, report: HealthReport) -> None:
        self.report = report
        super().__init__(
            f"the station's database failed its check and is left untouched (safe mode): "
            f"{'; '.join(report.problems)}. Restore the latest backup (station restore)."
        )


def startup_check(path: Path, *, verify_tails: ChainVerifier | None = None) -> HealthReport:
    """``PRAGMA quick_check`` plus the ledger's chain-tail verification, when given."""
    return _check(Path(path), "quick_check", verify_tails)


def full_check(path: Path, *, verify_chains: ChainVerifier | None = None) -> HealthReport:
    """``PRAGMA integrity_check`` plus the ledger's full chain verification, when given."""
    return _check(Path(path), "integrity_check", verify_chains)


def require_healthy(report: HealthReport) -> None:
    if not report.ok:
        raise SafeModeError(report)


def _check(path: Path, pragma: str, verifier: ChainVerifier | None) -> HealthReport:
    if not path.exists():
        return HealthReport(path, ("new database",), ())
    checks = ["write-ahead log"]
    if (lost := missing_wal_problem(path)) is not None:
        # Opening now would silently read the older state; stop before SQLite sees the file.
        return HealthReport(path, tuple(checks), (lost,))
    problems: list[str] = []
    try:
        engine = open_engine(path, readonly=True)
    except StorageError as exc:
        return HealthReport(path, tuple(checks), (str(exc),))
    try:
        with engine.connect() as connection:
            checks.append(pragma)
            rows = connection.exec_driver_sql(f"PRAGMA {pragma}").scalars().all()
            if rows != ["ok"]:
                problems.extend(f"{pragma}: {row}" for row in rows)
            elif verifier is not None and inspect(connection).has_table("event"):
                checks.append("hash chains")
                problems.extend(_run_verifier(verifier, connection))
            connection.rollback()
    except SQLAlchemyError as exc:  # "file is not a database", "malformed" …
        problems.append(f"{pragma}: {getattr(exc, 'orig', None) or exc}")
    finally:
        close_engine(engine)
    return HealthReport(path, tuple(checks), tuple(problems))


def _run_verifier(verifier: ChainVerifier, connection: Connection) -> list[str]:
    try:
        return [f"hash chain: {problem}" for problem in verifier(connection)]
    except Exception as exc:
        return [f"hash chain: verification failed: {exc!r}"]
