"""The ERP sync in the status bar: online or offline, queued events, last sync, errors, clock.

``● ERP: online · 0 queued · last sync 14:03`` (green), ``● ERP: offline · 120 queued · next
try in 30 s`` (amber), ``● ERP: 2 sync error(s)`` (red), a clock-skew warning with the offset
(amber); the tooltip has the details (last error, oldest queued event, clock offset).

Fed by :class:`~sync.engine.SyncStatus` values, on the GUI thread only: the engine's status
listener runs on the engine thread and hops here with :func:`~ui.gui_thread.call_on_gui_thread`;
the periodic refresh reads the status on a worker thread (the read waits for SQLite), never on
the GUI thread. Error texts come from the network and the ERP: shown as plain text only.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from datetime import datetime

from station.errors import StationError
from sync.engine import SyncStatus
from ui.gui_thread import call_on_gui_thread
from ui.qt import QHBoxLayout, QLabel, QSizePolicy, Qt, QTimer, QWidget, Signal, Slot
from ui.sync_setup import SyncSetup, SyncSource
from ui.widgets.data_label import DataLabel

__all__ = ["SYNC_COLOURS", "SyncStatusWidget", "local_time"]

_log = logging.getLogger(__name__)

#: state → colour (dot, and the text for errors and warnings).
SYNC_COLOURS = {
    "online": "#2e7d32",
    "offline": "#b26a00",
    "skew": "#b26a00",
    "errors": "#c62828",
    "unknown": "#757575",
}
#: How often the status is read again (besides the engine's own reports), ms.
REFRESH_MS = 5000
#: How often a countdown ("next try in 30 s") is redrawn, ms (no I/O).
TICK_MS = 1000


def local_time(stamp: str | None, *, seconds: bool = False, now: datetime | None = None) -> str:
    """An ISO 8601 time as the station's local clock shows it: ``14:03`` today, else with the
    date; ``""`` for none, the text itself when it does not parse.

    >>> from datetime import timezone
    >>> local_time("2026-12-07T05:40:19.947Z", now=datetime(2026, 1, 1).astimezone())[:5]
    '2026-'
    >>> local_time(None)
    ''
    """
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp
    today = (now or datetime.now().astimezone()).date()
    clock = "%H:%M:%S" if seconds else "%H:%M"
    return moment.strftime(clock if moment.date() == today else f"%Y-%m-%d {clock}")


def _offset(seconds: float) -> str:
    """Whole seconds with a sign; none for zero.

    >>> _offset(185.2), _offset(-3.0), _offset(-0.4)
    ('+185', '-3', '0')
    """
    whole = round(seconds)
    return f"{whole:+d}" if whole else "0"


class SyncStatusWidget(QWidget):
    """The sync line of the status bar; also the summary at the top of the sync screen.

    Without a source (:meth:`follow`, :meth:`attach`) it says "ERP: not configured".
    ``changed`` is emitted on the GUI thread after each status shown.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.status: SyncStatus | None = None
        self.setup: SyncSetup | None = None
        self.configured = False
        self.failure: str | None = None
        self.colour = SYNC_COLOURS["unknown"]
        self.refreshing = False
        self._deadline: float | None = None  # monotonic time of the engine's next try
        self._opener: threading.Thread | None = None
        self._dot = QLabel("●", self)
        self._dot.setTextFormat(Qt.TextFormat.PlainText)
        # Elided when the status bar is narrow (a long Chinese line, many messages): the whole
        # line is in the tooltip, so nothing is ever silently cut.
        self._label = DataLabel(parent=self)
        self._label.setObjectName("syncStatusText")
        # Its own width when there is room, less (elided) when not; the stretch takes the rest.
        self._label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self._dot)
        layout.addWidget(self._label)
        layout.addStretch(1)  # kept together at the left when the widget is wide
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._render)
        self._render()

    # ------------------------------------------------------------------ sources

    def follow(self, source: SyncSource, delay_ms: int = 0) -> None:
        """Open ``source`` on a worker thread (after ``delay_ms``), then show its status."""
        self.configured = True
        self._render()
        QTimer.singleShot(delay_ms, self, lambda: self._start_opening(source))

    def _start_opening(self, source: SyncSource) -> None:
        if self._opener is not None or self.setup is not None:
            return

        def work() -> None:  # on the opener thread
            try:
                setup = source.open()
            except StationError as error:  # closed meanwhile (the window is going)
                _log.info("sync not opened: %s", error)
                return
            except Exception as error:
                _log.exception("the sync set-up did not open")
                message = str(error) or type(error).__name__
                call_on_gui_thread(self, lambda: self._open_failed(message))
                return
            call_on_gui_thread(self, lambda: self.attach(setup))

        self._opener = threading.Thread(target=work, name="sync-status-open", daemon=True)
        self._opener.start()

    def attach(self, setup: SyncSetup) -> None:
        """Show ``setup``'s engine from now on: its reports, and a read every few seconds."""
        if self.setup is setup:
            return
        self.setup = setup
        self.configured = True
        self.failure = None
        setup.engine.on_status(
            lambda status: call_on_gui_thread(self, lambda: self.set_status(status))
        )
        self.refresh_timer.start()
        self._tick.start()
        self.refresh()

    def _open_failed(self, message: str) -> None:
        self.failure = message
        self._render()

    @Slot()
    def refresh(self) -> None:
        """Read the status again, on a worker thread (one read at a time)."""
        setup = self.setup
        if setup is None or self.refreshing:
            return
        self.refreshing = True
        engine = setup.engine

        def work() -> None:  # on the refresh thread
            try:
                status: SyncStatus | None = engine.status()
            except Exception:  # the store closed under us: the window is closing
                _log.debug("sync status not read", exc_info=True)
                status = None
            call_on_gui_thread(self, lambda: self._refreshed(status))

        threading.Thread(target=work, name="sync-status", daemon=True).start()

    def _refreshed(self, status: SyncStatus | None) -> None:
        self.refreshing = False
        if status is not None:
            self.set_status(status)

    # ------------------------------------------------------------------ showing

    def set_status(self, status: SyncStatus) -> None:
        """Show ``status`` (GUI thread)."""
        self.status = status
        self.configured = True
        wait = status.next_try_in_s
        self._deadline = None if wait is None else time.monotonic() + wait
        self._render()
        self.changed.emit()

    def text(self) -> str:
        """The whole summary line, however much of it the status bar has room for."""
        return self._label.full_text()

    def next_try_in(self) -> int | None:
        """Whole seconds until the engine tries again (None: not known)."""
        if self._deadline is None:
            return None
        return max(0, math.ceil(self._deadline - time.monotonic()))

    def _state(self) -> str:
        status = self.status
        if status is None:
            return "unknown"
        if status.outbox.errors:
            return "errors"
        if status.online is False:
            return "offline"
        if status.skew_warning:
            return "skew"
        return "online" if status.online else "unknown"

    def summary(self) -> str:
        """The one line the status bar shows."""
        status = self.status
        if status is None:
            if not self.configured:
                return self.tr("ERP: not configured")
            if self.failure is not None:
                return self.tr("ERP: sync unavailable")
            return self.tr("ERP: starting…")
        outbox = status.outbox
        queued = self.tr("{n} queued").format(n=outbox.queued)
        if outbox.errors:
            parts = [self.tr("ERP: {n} sync error(s)").format(n=outbox.errors)]
            if outbox.queued:
                parts.append(queued)
        elif status.online is False:
            parts = [self.tr("ERP: offline"), queued]
            wait = self.next_try_in()
            if wait is not None and status.running:
                parts.append(self.tr("next try in {s} s").format(s=wait))
        elif status.online is None:
            parts = [self.tr("ERP: connecting…"), queued]
        else:
            parts = [self.tr("ERP: online"), queued]
            if outbox.last_success:
                parts.append(
                    self.tr("last sync {time}").format(time=local_time(outbox.last_success))
                )
        if status.skew_warning and outbox.clock_offset_s is not None:
            parts.append(
                self.tr("clock off by {offset} s").format(offset=_offset(outbox.clock_offset_s))
            )
        return " · ".join(parts)

    def details(self) -> list[str]:
        """The tooltip's lines (plain text): what the summary leaves out."""
        lines = [self.summary()]
        if self.failure is not None:
            lines.append(self.tr("The sync did not start: {error}").format(error=self.failure))
        status = self.status
        if status is None:
            if not self.configured:
                lines.append(self.tr("No ERP endpoint is set up for this station."))
            return lines
        outbox = status.outbox
        queued = self.tr("Queued events: {n}").format(n=outbox.queued)
        if outbox.held_back:
            queued += " " + self.tr("({n} held back behind refused events)").format(
                n=outbox.held_back
            )
        lines.append(queued)
        lines.append(self.tr("Events the ERP refused: {n}").format(n=outbox.errors))
        if outbox.oldest_queued_at:
            lines.append(
                self.tr("Oldest queued event: {time}").format(
                    time=local_time(outbox.oldest_queued_at, seconds=True)
                )
            )
        lines.append(
            self.tr("Last successful sync: {time}").format(
                time=local_time(outbox.last_success, seconds=True) or self.tr("never")
            )
        )
        if outbox.last_attempt:
            lines.append(
                self.tr("Last attempt: {time}").format(
                    time=local_time(outbox.last_attempt, seconds=True)
                )
            )
        if outbox.last_error and status.online is not True:
            lines.append(self.tr("Last error: {error}").format(error=outbox.last_error))
        if outbox.clock_offset_s is not None:
            offset = self.tr("Clock offset to the ERP: {offset} s").format(
                offset=_offset(outbox.clock_offset_s)
            )
            if status.skew_warning:
                offset += " " + self.tr("(check the station's clock)")
            lines.append(offset)
        wait = self.next_try_in()
        if wait is not None and status.running:
            lines.append(self.tr("Next try in {s} s").format(s=wait))
        if not status.running:
            lines.append(self.tr("The sync engine is not running."))
        return lines

    @Slot()
    def _render(self) -> None:
        state = self._state()
        self.colour = SYNC_COLOURS[state]
        self._dot.setStyleSheet(f"color: {self.colour};")
        warn = state in ("errors", "skew")
        self._label.setStyleSheet(f"color: {self.colour};" if warn else "")
        summary = self.summary()
        self._label.setText(summary)
        # Plain text: Qt guesses rich text from the first line only, and that line is the
        # summary (the station's own words), so an error text below it is never markup.
        details = "\n".join(self.details())
        self.setToolTip(details)
        self._label.setToolTip(f"{summary}\n{details}" if details else summary)
