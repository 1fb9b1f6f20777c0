"""Scheduled online backups (DUR-8): every ``interval``, and after every ``every_events`` events.

:class:`BackupScheduler` owns one daemon thread, ``backup-scheduler``. Each ``poll`` seconds
(60 by default, and once at :meth:`~BackupScheduler.start`) it calls
:meth:`~BackupScheduler.tick`, which takes a backup when one is due:

- **when** — the first tick looks at the newest verified copy already in the directory (its
  name gives the time, the copy itself its last event seq), so restarting the station does not
  reset the schedule; with no copy yet a backup is due at once. After that a backup is due when
  ``interval`` has passed since the last good one (or the clock went back past it), or when
  ``every_events`` events were recorded since it. The event count is learnt by polling: each
  tick reads ``SELECT max(seq) FROM event`` on its own short read-only connection (event seqs
  are gapless from 1, so the difference to the copy's last seq is the number of events
  recorded since). Polling sees events from every source without the services knowing about
  backups; the price is that the event trigger is noticed within one poll, not at once.
- **how** — :func:`station.persistence.backup.backup`: SQLite's online backup API on its own
  read-only connection, then the copy is verified (``integrity_check`` plus full chain
  verification of the ledger), and only then renamed into place and rotated (``keep``). The
  copy is taken in *one* step: in WAL mode that is one read transaction, which never blocks the
  writer (WAL readers and the writer do not wait for each other; at most the log grows until
  the copy is done). A copy in several steps (``pages=N`` with sleeps) would not help: SQLite
  restarts a backup from the first page whenever another connection commits to the source
  between two steps, so while scans keep coming it might never finish.
- **audit** — after the copy is verified and before it is renamed into place, the entry
  ``backup.created`` (the same fields as ``station backup``, see
  :func:`~station.persistence.backup.backup_audit_fields`) with ``reason="scheduled"`` and no
  actor (the system) is committed through the store's writer, one short transaction. If that
  fails the copy is set aside as ``….unaudited`` and the attempt counts as failed.
- **failures** — nothing escapes the thread: a failed attempt is logged and reported in
  :attr:`~BackupScheduler.status` (and to ``on_status``), and retried at the next tick; while it
  keeps failing the retries back off (one poll, two, four … at most ``interval``), so a missing
  drive does not fill the log, or the media with set-aside copies.
- **one at a time** — :meth:`~BackupScheduler.tick` holds a lock and skips when a backup is
  already running (the thread and a direct call never overlap).

How the application is meant to run it (not wired into the GUI yet; the store is opened by a
later issue)::

    store = open_store(db_path, verify_tails=...)
    scheduler = BackupScheduler.from_settings(store, settings, station=code, on_status=...)
    if scheduler is not None:  # backup.directory is empty: scheduled backups are off
        scheduler.start()
    ...
    if scheduler is not None:
        scheduler.stop()  # first: its audit entry needs the writer
    ... sign the final checkpoint, then store.close()

``on_status`` is called on the scheduler's thread: a Qt window must hand it to its own thread
(a queued signal) before touching widgets. :attr:`~BackupScheduler.status` may be read from any
thread at any time.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection

from station.config import (
    BACKUP_DIRECTORY,
    BACKUP_EVERY_EVENTS,
    BACKUP_INTERVAL_MINUTES,
    BACKUP_KEEP,
    Settings,
)
from station.context import WriteContext
from station.ledger.audit import record_audit
from station.ledger.verify import verify_ledger
from station.persistence.backup import (
    SUFFIX,
    BackupCopy,
    BackupResult,
    backup,
    backup_audit_fields,
    last_event_seq,
    list_backups,
)
from station.persistence.health import ChainVerifier
from station.persistence.store import Store

__all__ = ["SCHEDULED", "THREAD_NAME", "BackupScheduler", "BackupStatus", "ledger_problems"]

THREAD_NAME = "backup-scheduler"
SCHEDULED = "scheduled"  # the audit entry's reason

_log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def ledger_problems(connection: Connection) -> list[str]:
    """Full verification of both hash chains (signatures are checked by ``station verify``)."""
    return [str(problem) for problem in verify_ledger(connection, None).problems]


@dataclass(frozen=True)
class BackupStatus:
    """What a UI shows about scheduled backups; a snapshot, replaced after every change."""

    directory: Path
    running: bool = False  # a backup is being taken right now
    last_success: datetime | None = None  # when the newest verified copy was taken
    last_path: Path | None = None
    last_event_seq: int | None = None  # the newest copy holds events up to this seq
    last_error: str | None = None  # why the last attempt failed; None once one succeeded
    last_error_at: datetime | None = None
    failures: int = 0  # attempts failed in a row
    next_due: datetime | None = None  # the next attempt at the latest (sooner after N events)
    warning: str | None = None  # e.g. the copies are on the database's own disk


class BackupScheduler:
    """Takes verified online backups of ``store`` into ``directory`` on a schedule.

    ``clock`` (aware datetimes) drives the schedule, names the copies and dates the audit
    entries; ``poll`` is the seconds between two ticks of the thread. Tests inject both, and may
    call :meth:`tick` themselves instead of starting the thread.
    """

    def __init__(
        self,
        store: Store,
        directory: Path,
        *,
        station: str,
        interval: timedelta = timedelta(minutes=60),
        every_events: int = 1000,
        keep: int = 10,
        poll: float = 60.0,
        clock: Callable[[], datetime] = _utc_now,
        verify_chains: ChainVerifier | None = ledger_problems,
        on_status: Callable[[BackupStatus], None] | None = None,
    ) -> None:
        if interval <= timedelta(0) or every_events < 1 or keep < 1 or poll <= 0:
            msg = "interval and poll must be positive, every_events and keep at least 1"
            raise ValueError(msg)
        self._store = store
        self._directory = Path(directory)
        self._interval = interval
        self._every_events = every_events
        self._keep = keep
        self._poll = poll
        self._clock = clock
        self._verify_chains = verify_chains
        self._on_status = on_status
        self._context = WriteContext(station=station, clock=clock)  # actor None: the system
        self._busy = threading.Lock()  # held while a tick runs: never two backups at once
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = False
        # Schedule state, touched only while holding _busy.
        self._initialised = False
        self._last_success: datetime | None = None
        self._last_seq = 0
        self._retry_at: datetime | None = None
        self._status = BackupStatus(self._directory)

    @classmethod
    def from_settings(
        cls,
        store: Store,
        settings: Settings,
        *,
        station: str,
        on_status: Callable[[BackupStatus], None] | None = None,
    ) -> BackupScheduler | None:
        """The scheduler the settings ask for, or None when ``backup.directory`` is empty."""
        directory = settings.get(BACKUP_DIRECTORY)
        if not directory:
            return None
        return cls(
            store,
            Path(directory),
            station=station,
            interval=timedelta(minutes=settings.get(BACKUP_INTERVAL_MINUTES)),
            every_events=settings.get(BACKUP_EVERY_EVENTS),
            keep=settings.get(BACKUP_KEEP),
            on_status=on_status,
        )

    @property
    def status(self) -> BackupStatus:
        return self._status

    @property
    def alive(self) -> bool:
        """True while the thread runs."""
        return self._thread is not None and self._thread.is_alive()

    # ------------------------------------------------------------------------- the thread

    def start(self) -> None:
        """Start the thread; its first tick is at once."""
        if self._started:
            msg = "the backup scheduler was already started"
            raise RuntimeError(msg)
        self._started = True
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Tick now instead of at the end of the current poll period."""
        self._wake.set()

    def stop(self, timeout: float | None = None) -> bool:
        """Stop the thread and join it; True when it has ended.

        Returns at once when idle; a backup being taken is finished first (an online copy in one
        step cannot be interrupted), unless ``timeout`` runs out.
        """
        self._stopping.set()
        self._wake.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.tick()
            except Exception:  # tick() reports its own failures; this is a last resort
                _log.exception("scheduled backup: unexpected error")
            self._wake.wait(self._poll)
            self._wake.clear()

    # ------------------------------------------------------------------------- one tick

    def tick(self) -> BackupResult | None:
        """Take a backup if one is due; the new copy, or None (not due, failed, or busy).

        Never raises for a failed backup: the failure is logged and put into :attr:`status`.
        """
        if not self._busy.acquire(blocking=False):
            return None  # a backup is already being taken
        try:
            return self._tick()
        finally:
            self._busy.release()

    def _tick(self) -> BackupResult | None:
        now = self._clock()
        if self._retry_at is not None and now < self._retry_at:
            return None  # backing off after a failure
        try:
            if not self._initialised:
                self._initialise()
            why = self._due(now)
            if why is None:
                return None
            self._publish(replace(self._status, running=True))
            result = self._backup(now)
        except Exception as exc:
            self._failed(now, exc)
            return None
        self._succeeded(now, result, why)
        return result

    def _initialise(self) -> None:
        """Continue the schedule from the newest verified copy already in the directory."""
        copies = list_backups(self._store.path, self._directory) if self._directory.exists() else []
        for newest in reversed(copies):
            try:
                seq = last_event_seq(newest)
            except sqlite3.Error as exc:
                _log.warning("scheduled backup: ignoring unreadable copy %s: %s", newest, exc)
                continue
            self._last_success = self._taken_at(newest)
            self._last_seq = seq or 0
            self._publish(
                replace(
                    self._status,
                    last_success=self._last_success,
                    last_path=newest,
                    last_event_seq=seq,
                    next_due=self._last_success + self._interval,
                )
            )
            break
        self._initialised = True

    def _taken_at(self, copy: Path) -> datetime:
        """The time in a copy's name (``<stem>-20261125T081530123Z.sqlite``)."""
        stamp = copy.name[len(self._store.path.stem) + 1 : -len(SUFFIX) - 1]
        moment = datetime.strptime(stamp[:15], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return moment + timedelta(milliseconds=int(stamp[15:18]))

    def _due(self, now: datetime) -> str | None:
        """Why a backup is due now, or None."""
        if self._retry_at is not None:
            return "retry"  # its time has come (see _tick)
        if self._last_success is None:
            return "no backup yet"
        if now >= self._last_success + self._interval or now < self._last_success:
            return "interval"
        recorded = (last_event_seq(self._store.path) or 0) - self._last_seq
        if recorded >= self._every_events:
            return f"{recorded} events recorded"
        return None

    def _backup(self, now: datetime) -> BackupResult:
        def audit(copy: BackupCopy) -> None:
            fields = backup_audit_fields(copy)
            self._store.writer.submit(
                lambda conn: record_audit(conn, self._context, **fields, reason=SCHEDULED)
            ).result()

        return backup(
            self._store.path,
            self._directory,
            keep=self._keep,
            verify_chains=self._verify_chains,
            now=now,
            before_publish=audit,
        )

    def _succeeded(self, now: datetime, result: BackupResult, why: str) -> None:
        self._last_success = now
        self._last_seq = result.last_event_seq or 0
        self._retry_at = None
        _log.info(
            "scheduled backup (%s): %s verified, events up to seq %s",
            why,
            result.path,
            result.last_event_seq,
        )
        self._publish(
            BackupStatus(
                self._directory,
                last_success=now,
                last_path=result.path,
                last_event_seq=result.last_event_seq,
                next_due=now + self._interval,
                warning=self._same_disk_warning(),
            )
        )

    def _failed(self, now: datetime, exc: Exception) -> None:
        failures = self._status.failures + 1
        backoff = timedelta(seconds=self._poll * 2 ** min(failures - 1, 30))
        self._retry_at = now + min(backoff, self._interval)
        _log.error(
            "scheduled backup into %s failed (attempt %d, next at %s): %s",
            self._directory,
            failures,
            self._retry_at.isoformat(),
            exc,
        )
        self._publish(
            replace(
                self._status,
                running=False,
                last_error=str(exc) or type(exc).__name__,
                last_error_at=now,
                failures=failures,
                next_due=self._retry_at,
            )
        )

    def _same_disk_warning(self) -> str | None:
        try:
            same = self._directory.stat().st_dev == self._store.path.stat().st_dev
        except OSError:
            return None
        if not same:
            return None
        return f"the backups in {self._directory} are on the database's own disk: use other media"

    def _publish(self, status: BackupStatus) -> None:
        self._status = status
        if self._on_status is None:
            return
        try:
            self._on_status(status)
        except Exception:
            _log.exception("scheduled backup: the status callback failed")
