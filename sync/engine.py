"""The sync engine: drains the outbox to the centre on its own thread, through any outage.

One round (:meth:`SyncEngine.drain`) first sends the pending security alerts (lockouts, the
station's rate limit: P11-U7, high priority), then batches in ``seq`` order until the queue is
empty or the centre stops answering. Each batch's answers are written in one transaction: acks (the
centre holds the event, now or already), rejections (on the error list, blocking only their
lot/serial), the last success and the clock offset. Events nobody answered for stay queued.

The thread (:meth:`start`) runs a round when woken (a new event), on a timer (so a failed
round never waits for the next scan) and after a back-off: capped exponential with full
jitter, or the centre's ``Retry-After``. Nothing is kept in memory that a restart would
need: after a crash the queue is whatever the rows say, and a batch sent twice is acked as
duplicates.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Protocol

from sqlalchemy import Connection

from station.context import WriteContext
from station.ledger.audit import record_audit
from station.persistence.rawsql import sqlite_connection
from station.persistence.writer import DbWriter
from station.sync.alerts import SecurityAlert, pending_alerts, record_alert_acks
from station.sync.outbox import (
    CLOCK_OFFSET,
    LAST_ATTEMPT,
    LAST_ERROR,
    LAST_OUTCOME,
    LAST_SUCCESS,
    Ack,
    OutboxEvent,
    OutboxStatus,
    Rejection,
    get_state,
    next_batch,
    outbox_status,
    record_acks,
    record_rejections,
    set_state,
)
from sync.connectors.base import (
    ACCEPTED,
    DUPLICATE,
    REJECTED,
    AuthError,
    BatchLimits,
    BatchOutcome,
    BatchTooLargeError,
    Connector,
    SyncError,
    TransientError,
)

__all__ = ["DrainResult", "SyncEngine", "SyncSettings", "SyncStatus", "full_jitter"]

_log = logging.getLogger(__name__)
MASTER_LAST_SUCCESS = "master_last_success"
MASTER_LAST_ERROR = "master_last_error"
_CHECKPOINTS_SENT = "checkpoints_sent"
_CHECKPOINTS_REFUSED = "checkpoints_refused"  # yes | no: the centre refuses our station key
_SKEW_WARNED = "clock_skew_warned"
_ALERTS_PER_REQUEST = 50


class MasterSource(Protocol):
    """Pulls master data to the end of the centre's feed (``sync.master_pull.MasterPuller``)."""

    def pull_once(self) -> object: ...


@dataclass(frozen=True, slots=True)
class SyncSettings:
    period_s: float = 30.0  #: a round at least this often, even with no new event
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 600.0
    max_events: int = 500  #: per request, further capped by the centre's limits
    max_bytes: int = 1_000_000
    skew_warn_s: float = 120.0  #: |station clock − centre clock| above this is a warning
    master_period_s: float = 300.0  #: pull master data at least this often (when configured)


@dataclass(frozen=True, slots=True)
class DrainResult:
    """What one round did. ``error`` is why it stopped early (None: the queue is drained)."""

    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    batches: int = 0
    error: str | None = None
    retry_after: float | None = None
    auth_failed: bool = False
    alerts: int = 0  #: security alerts the centre now holds (sent ahead of the events)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the station shows: the outbox's rows plus whether the centre answers."""

    outbox: OutboxStatus
    online: bool | None  # None: not tried yet
    running: bool = False
    next_try_in_s: float | None = None
    skew_warning: bool = False


def full_jitter(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """``random(0, min(cap, base·2^attempt))`` (AWS "full jitter").

    >>> full_jitter(0, 1.0, 600.0, random.Random(1)) <= 1.0
    True
    >>> full_jitter(50, 1.0, 600.0, random.Random(1)) <= 600.0
    True
    """
    return rng.uniform(0.0, min(cap, base * 2.0 ** min(attempt, 32)))


class SyncEngine:
    """Delivers the outbox of the store behind ``writer`` through ``connector``."""

    def __init__(
        self,
        writer: DbWriter,
        connector: Connector,
        ctx: WriteContext,
        settings: SyncSettings | None = None,
        *,
        public_key_pem: str | None = None,
        rng: random.Random | None = None,
        master: MasterSource | None = None,
    ) -> None:
        self._writer = writer
        self._connector = connector
        self._ctx = ctx
        self.settings = settings or SyncSettings()
        self._public_key_pem = public_key_pem
        self._master = master
        self._master_due = 0.0  # monotonic time of the next master-data pull
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not secrets
        self._limits: BatchLimits | None = None
        self._floor = 0  # below this seq nothing is queued (a hint, re-derived on retry)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listeners: list[Callable[[SyncStatus], None]] = []
        self._progress: list[Callable[[DrainResult], None]] = []
        self._online: bool | None = None
        self._attempt = 0
        self._next_try: float | None = None
        self._lock = threading.Lock()

    # -- one round -------------------------------------------------------------------------

    def drain(self, *, max_batches: int | None = None) -> DrainResult:
        """Send batches until the queue is empty, the centre fails, or ``max_batches``."""
        with self._lock:
            return self._drain(max_batches)

    def _drain(self, max_batches: int | None) -> DrainResult:
        counts = {ACCEPTED: 0, DUPLICATE: 0, REJECTED: 0}
        batches = 0
        alerts = 0
        # The acked prefix is skipped within a round only: between rounds, anyone (the sync
        # screen, the command line) may have queued a refused event again.
        self._floor = 0
        try:
            alerts = self._send_alerts()  # high priority: before any event, every round
            limits = self._current_limits()
            size = min(limits.max_events, self.settings.max_events)
            max_bytes = min(limits.max_bytes, self.settings.max_bytes)
            ahead: Future[list[OutboxEvent]] | None = None
            while max_batches is None or batches < max_batches:
                if ahead is not None:
                    batch, ahead = ahead.result(), None
                else:
                    take = partial(self._next, size=size, max_bytes=max_bytes)
                    batch = self._writer.submit(take).result()
                if not batch:
                    break
                # The writer chooses the following batch while this one is on the wire; it is
                # used only if this one is acknowledged whole (else order could break).
                following = partial(self._peek, after=batch[-1].seq, size=size, max_bytes=max_bytes)
                ahead = self._writer.submit(following)
                try:
                    outcome = self._connector.deliver(self._ctx.station, batch)
                except BatchTooLargeError:
                    if size == 1:
                        raise
                    size = max(1, len(batch) // 2)  # smaller requests until one goes through
                    ahead = None
                    continue
                batches += 1
                answered = self._writer.submit(
                    partial(self._record, batch=batch, outcome=outcome)
                ).result()
                for status, n in answered.items():
                    counts[status] += n
                self._online = True
                self._report_progress(counts, batches)
                if not any(answered.values()):
                    raise TransientError("the centre answered for none of the events")
                if answered[ACCEPTED] + answered[DUPLICATE] < len(batch):
                    ahead = None  # something stays queued or was refused: look again from it
            self._send_checkpoints()
        except SyncError as error:
            self._online = not isinstance(error, TransientError)  # it answered, but no
            self._limits = None  # read the limits again after a reconnect
            self._floor = 0
            message = str(error)
            self._writer.submit(lambda conn: self._note_failure(conn, message)).result()
            retry = error.retry_after if isinstance(error, TransientError) else None
            return DrainResult(
                counts[ACCEPTED],
                counts[DUPLICATE],
                counts[REJECTED],
                batches,
                message,
                retry,
                isinstance(error, AuthError),
                alerts,
            )
        return DrainResult(
            counts[ACCEPTED], counts[DUPLICATE], counts[REJECTED], batches, alerts=alerts
        )

    def _current_limits(self) -> BatchLimits:
        if self._limits is None:
            self._limits = self._connector.limits()
        return self._limits

    def _next(self, conn: Connection, size: int, max_bytes: int) -> list[OutboxEvent]:
        batch, lowest = next_batch(conn, limit=size, max_bytes=max_bytes, after=self._floor)
        if lowest is not None:
            self._floor = lowest - 1
        return batch

    def _peek(self, conn: Connection, after: int, size: int, max_bytes: int) -> list[OutboxEvent]:
        """The batch after seq ``after`` (the floor hint stays as it is)."""
        batch, _ = next_batch(conn, limit=size, max_bytes=max_bytes, after=after)
        return batch

    def _record(
        self, conn: Connection, batch: Sequence[OutboxEvent], outcome: BatchOutcome
    ) -> dict[str, int]:
        now = self._ctx.now()
        acks: list[Ack] = []
        rejections: list[Rejection] = []
        for event in batch:
            result = outcome.results.get(event.event_id)
            if result is None:
                continue
            if result.status in (ACCEPTED, DUPLICATE):
                acks.append(Ack(event.seq, event.event_id, result.status))
            elif result.status == REJECTED:
                rejections.append(Rejection(event.seq, event.event_id, result.reason))
        endpoint = self._connector.endpoint
        record_acks(conn, acks, endpoint, now)
        added = record_rejections(conn, rejections, endpoint, now)
        for rejection in rejections[:added]:
            record_audit(
                conn,
                self._ctx,
                action="sync.rejected",
                entity="event",
                entity_id=rejection.event_id,
                new={"seq": rejection.seq, "endpoint": endpoint},
                reason=rejection.reason[:500],
            )
        if rejections:
            self._floor = 0  # what waits behind a rejection must be looked at again later
        stamp = now.isoformat(timespec="milliseconds")
        set_state(conn, LAST_ATTEMPT, stamp, now)
        set_state(conn, LAST_OUTCOME, "ok", now)
        if acks:
            set_state(conn, LAST_SUCCESS, stamp, now)
        self._note_clock(conn, outcome, now)
        return {
            ACCEPTED: sum(a.outcome == ACCEPTED for a in acks),
            DUPLICATE: sum(a.outcome == DUPLICATE for a in acks),
            REJECTED: len(rejections),
        }

    def _note_clock(self, conn: Connection, outcome: BatchOutcome, now: datetime) -> None:
        if outcome.server_time is None or outcome.local_time is None:
            return
        offset = (outcome.server_time - outcome.local_time).total_seconds()
        set_state(conn, CLOCK_OFFSET, f"{offset:.1f}", now)
        skewed = abs(offset) > self.settings.skew_warn_s
        warned = get_state(conn, _SKEW_WARNED) == "yes"
        if skewed != warned:
            set_state(conn, _SKEW_WARNED, "yes" if skewed else "no", now)
            record_audit(  # an incident when it starts, a note when it ends (compliance DI-3)
                conn,
                self._ctx,
                action="sync.clock_skew" if skewed else "sync.clock_ok",
                new={"offset_s": round(offset, 1), "threshold_s": self.settings.skew_warn_s},
                reason="station clock differs from the centre's"
                if skewed
                else "station clock agrees with the centre's again",
            )

    def _note_failure(self, conn: Connection, message: str) -> None:
        now = self._ctx.now()
        set_state(conn, LAST_ATTEMPT, now.isoformat(timespec="milliseconds"), now)
        set_state(conn, LAST_ERROR, message[:500], now)
        set_state(conn, LAST_OUTCOME, "failed", now)

    def _send_alerts(self) -> int:
        """Send every pending security alert; returns how many the centre now holds.

        Alerts never hold events back: a centre that refuses them (no such resource, a 400)
        or answers for none leaves them pending for the next round, logged, and the events
        go on. Only a centre that cannot be reached (or refuses the token) stops the round,
        as it would stop the events."""
        held = 0
        while True:
            alerts = self._writer.submit(
                partial(pending_alerts, limit=_ALERTS_PER_REQUEST)
            ).result()
            if not alerts:
                return held
            try:
                answers = self._connector.send_alerts(self._ctx.station, alerts)
            except (TransientError, AuthError):
                raise
            except SyncError as error:
                _log.warning("security alerts not delivered (they stay pending): %s", error)
                return held
            added = self._writer.submit(
                partial(self._record_alerts, alerts=alerts, answers=answers)
            ).result()
            held += added
            if len(answers) < len(alerts) or added == 0:
                _log.warning("the centre answered for %d of %d alerts", len(answers), len(alerts))
                return held

    def _record_alerts(
        self, conn: Connection, alerts: Sequence[SecurityAlert], answers: Mapping[str, str]
    ) -> int:
        by_id = {alert.alert_id: alert for alert in alerts}
        return record_alert_acks(conn, by_id, answers, self._connector.endpoint, self._ctx.now())

    def _send_checkpoints(self) -> None:
        def unsent(conn: Connection) -> list[dict[str, object]]:
            sent = int(get_state(conn, _CHECKPOINTS_SENT) or 0)
            cursor = sqlite_connection(conn).execute(
                "SELECT id, created_at, station, event_seq, event_head, audit_seq, audit_head,"
                " key_id, signature FROM checkpoint WHERE id > ? ORDER BY id LIMIT 100",
                (sent,),
            )
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

        rows = self._writer.submit(unsent).result()
        if not rows:
            return
        try:
            self._connector.send_checkpoints(self._ctx.station, self._public_key_pem, rows)
        except SyncError as error:
            if "404" in str(error):
                return  # a plain EPCIS repository holds no checkpoints: nothing to do
            if isinstance(error, AuthError) and str(error).startswith("403"):
                # The centre does not trust our station key (not enrolled, or another key):
                # a person must enrol it there. The events it took go on; the checkpoints stay
                # unsent and go again every round.
                _log.warning("the centre refused the checkpoints (they stay unsent): %s", error)
                message = f"checkpoints refused: {error}"[:500]
                self._writer.submit(lambda conn: self._note_refusal(conn, message)).result()
                return
            raise
        last = str(rows[-1]["id"])
        self._writer.submit(lambda conn: self._note_checkpoints_sent(conn, last)).result()

    def _note_refusal(self, conn: Connection, message: str) -> None:
        """The refusal as the last error; audited once when it starts (not every round)."""
        now = self._ctx.now()
        set_state(conn, LAST_ERROR, message, now)
        if get_state(conn, _CHECKPOINTS_REFUSED) != "yes":
            set_state(conn, _CHECKPOINTS_REFUSED, "yes", now)
            record_audit(
                conn,
                self._ctx,
                action="sync.checkpoints_refused",
                new={"endpoint": self._connector.endpoint},
                reason=message,
            )

    def _note_checkpoints_sent(self, conn: Connection, last: str) -> None:
        now = self._ctx.now()
        set_state(conn, _CHECKPOINTS_SENT, last, now)
        if get_state(conn, _CHECKPOINTS_REFUSED) == "yes":
            set_state(conn, _CHECKPOINTS_REFUSED, "no", now)
            record_audit(
                conn,
                self._ctx,
                action="sync.checkpoints_accepted",
                new={"endpoint": self._connector.endpoint, "checkpoint": int(last)},
                reason="the centre takes the station's checkpoints again",
            )

    # -- master data -----------------------------------------------------------------------

    def pull_master(self) -> str | None:
        """Pull master data now (if a source is configured); the error text, or None."""
        if self._master is None:
            return None
        try:
            self._master.pull_once()
        except Exception as error:  # recorded and shown; the next pull retries
            _log.warning("master-data pull failed: %s", error)
            message = f"master data: {error}"[:500]
            self._writer.submit(lambda conn: self._note_master(conn, message)).result()
            return message
        self._writer.submit(lambda conn: self._note_master(conn, None)).result()
        return None

    def _note_master(self, conn: Connection, error: str | None) -> None:
        now = self._ctx.now()
        stamp = now.isoformat(timespec="milliseconds")
        if error is None:
            set_state(conn, MASTER_LAST_SUCCESS, stamp, now)
            set_state(conn, MASTER_LAST_ERROR, "", now)
        else:
            set_state(conn, MASTER_LAST_ERROR, error, now)

    def _pull_master_if_due(self) -> None:
        if self._master is None or time.monotonic() < self._master_due:
            return
        self._master_due = time.monotonic() + self.settings.master_period_s
        self.pull_master()

    # -- status ----------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        outbox = self._writer.submit(outbox_status).result()
        skew = outbox.clock_offset_s is not None and (
            abs(outbox.clock_offset_s) > self.settings.skew_warn_s
        )
        wait = None
        if self._next_try is not None:
            wait = max(0.0, self._next_try - time.monotonic())
        return SyncStatus(outbox, self._online, self.running, wait, skew)

    def on_status(self, listener: Callable[[SyncStatus], None]) -> None:
        """Called on the engine thread after every round (and failure)."""
        self._listeners.append(listener)

    def on_progress(self, listener: Callable[[DrainResult], None]) -> None:
        """Called on the engine thread after every batch with the round's running totals."""
        self._progress.append(listener)

    def _report_progress(self, counts: Mapping[str, int], batches: int) -> None:
        if self._progress:
            snapshot = DrainResult(counts[ACCEPTED], counts[DUPLICATE], counts[REJECTED], batches)
            for listener in self._progress:
                try:
                    listener(snapshot)
                except Exception:  # a broken view must not stop delivery
                    _log.exception("a sync progress listener failed")

    def _report_status(self) -> None:
        if not self._listeners:
            return
        status = self.status()
        for listener in self._listeners:
            try:
                listener(status)
            except Exception:
                _log.exception("a sync status listener failed")

    # -- the thread ------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sync-engine", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """A new event, or someone asked: run a round soon (not before a back-off ends)."""
        self._wake.set()

    def retry_now(self) -> None:
        """The operator asked: end any back-off and run a round now."""
        self._attempt = 0
        self._next_try = None
        self._floor = 0
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def close(self) -> None:
        """Stop the thread and release the connection to the centre."""
        self.stop()
        self._connector.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                result = self.drain()
                self._pull_master_if_due()
            except Exception as error:  # never let the thread die: log, back off, go on
                _log.exception("sync round failed")
                result = DrainResult(error=f"{type(error).__name__}: {error}")
            delay: float
            if result.error is None:
                self._attempt = 0
                delay = self.settings.period_s
            elif result.retry_after is not None:
                delay = result.retry_after
                self._attempt += 1
            else:
                delay = full_jitter(
                    self._attempt,
                    self.settings.backoff_base_s,
                    self.settings.backoff_cap_s,
                    self._rng,
                )
                if result.auth_failed:  # a person must act; do not hammer the centre
                    delay = max(delay, 60.0)
                self._attempt += 1
            self._next_try = time.monotonic() + delay
            try:
                self._report_status()
            except Exception:
                _log.exception("sync status could not be read")
            self._sleep(delay, backing_off=result.error is not None)
            self._next_try = None

    def _sleep(self, delay: float, *, backing_off: bool) -> None:
        deadline = time.monotonic() + delay
        while not self._stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            woke = self._wake.wait(left)
            if woke:
                self._wake.clear()
                if not backing_off or self._next_try is None:
                    return  # new work and no back-off: go now
                if self._attempt == 0:
                    return  # retry_now() ended the back-off
