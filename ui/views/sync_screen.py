"""The sync screen: the sync status, "Sync now" with a progress bar, and the events the ERP
refused, with "Retry selected".

Nothing here blocks the GUI thread (``docs/architecture.md`` §4):

* the sync set-up is opened on a plain thread the first time the screen is shown;
* the engine's listeners run on the engine thread; they hand their news over with
  :func:`~ui.gui_thread.call_on_gui_thread` (the number of events a round has to send is
  read there too, once per round, so the progress bar is determinate from the round's start);
* the error list is read on a plain thread; a retry runs on the database writer through
  :class:`~ui.tasks.StationOp`, and a refused or denied retry is audited the same way.

Texts from the ERP (reasons, errors) are shown as plain text only.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from functools import partial

from sqlalchemy import Connection

from station.context import WriteContext
from station.sync.outbox import OpenRejection, open_rejections, outbox_status, retry_rejection
from sync.engine import DrainResult, SyncStatus
from ui.audited import audit_failure
from ui.gui_thread import call_on_gui_thread
from ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QCheckBox,
    QCloseEvent,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QProgressBar,
    QPushButton,
    QShowEvent,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
    Slot,
)
from ui.sync_setup import SyncSetup, SyncSource
from ui.tasks import StationOp
from ui.widgets.sync_status import SyncStatusWidget, local_time

__all__ = ["DEMO_EVENTS", "REFUSED", "RETRIED", "RejectionTableModel", "SyncScreen"]

_log = logging.getLogger(__name__)

#: Events the demo's "Record events" button adds to the queue.
DEMO_EVENTS = 100
#: ``SyncScreen.retried`` outcomes.
RETRIED = "retried"
REFUSED = "refused"
#: Rows of the error list read at most.
MAX_ROWS = 1000

SEQ, EVENT_TYPE, BIZ_STEP, EVENT_TIME, REASON, REJECTED_AT = range(6)


def _plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def retry_all(conn: Connection, ids: Sequence[int], ctx: WriteContext) -> int:
    """Close every open rejection in ``ids`` in one transaction (all or none); how many were
    still open. A denial (no ``sync.retry``) raises before anything changes."""
    return sum(retry_rejection(conn, rejection_id, ctx) for rejection_id in ids)


class RejectionTableModel(QAbstractTableModel):
    """The open rejections: seq, event type, business step, event time, reason, rejected at."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[OpenRejection] = []
        self._headers = (
            self.tr("Seq"),
            self.tr("Event type"),
            self.tr("Business step"),
            self.tr("Event time"),
            self.tr("The ERP's reason"),
            self.tr("Refused at"),
        )

    def set_rows(self, rows: Sequence[OpenRejection]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def ids(self) -> list[int]:
        return [row.id for row in self.rows]

    def rowCount(  # noqa: N802 - Qt's name
        self, parent: QModelIndex | QPersistentModelIndex | None = None
    ) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(  # noqa: N802 - Qt's name
        self, parent: QModelIndex | QPersistentModelIndex | None = None
    ) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._headers)

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def cell(self, row: int, column: int) -> str:
        rejection = self.rows[row]
        values = {
            SEQ: str(rejection.seq),
            EVENT_TYPE: rejection.event_type,
            BIZ_STEP: rejection.biz_step or "",
            EVENT_TIME: local_time(rejection.event_time, seconds=True),
            REASON: " ".join(rejection.reason.split()),  # one line; the tooltip has it all
            REJECTED_AT: local_time(rejection.rejected_at, seconds=True),
        }
        return values[column]

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == REASON:
            # Plain text: Qt guesses rich text from the first line only, so the ERP's text
            # goes below a first line of the station's own.
            return self._headers[REASON] + "\n" + self.rows[index.row()].reason
        if role == Qt.ItemDataRole.UserRole:
            return self.rows[index.row()].id
        return None


class _RoundTracker:
    """The engine thread's side of the progress bar: the round's total, read at its first
    batch (the events sent so far plus those still queued and not held back).

    Its state is touched by the engine thread only (progress and status are both reported
    there); the screen gets each step on the GUI thread, unless it was deleted meanwhile.
    """

    def __init__(
        self,
        setup: SyncSetup,
        owner: QObject,
        on_progress: Callable[[int, int], None],
        on_finished: Callable[[SyncStatus], None],
    ) -> None:
        self._setup = setup
        self._owner = owner
        self._on_progress = on_progress
        self._on_finished = on_finished
        self._total: int | None = None
        self._batches = 0

    def progress(self, result: DrainResult) -> None:  # on the engine thread
        try:
            done = result.accepted + result.duplicates + result.rejected
            if self._total is None or result.batches <= self._batches:  # a new round
                self._total = done + self._still_to_send()
            self._batches = result.batches
            total = max(self._total, done)
            call_on_gui_thread(self._owner, lambda: self._on_progress(done, total))
        except Exception:  # a listener must never break the engine's round
            _log.exception("sync progress not shown")

    def finished(self, status: SyncStatus) -> None:  # on the engine thread
        self._total = None
        self._batches = 0
        call_on_gui_thread(self._owner, lambda: self._on_finished(status))

    def _still_to_send(self) -> int:
        try:
            left = self._setup.writer.submit(outbox_status).result()
        except Exception:  # the store is closing; the bar then counts what was sent
            _log.debug("queued count not read", exc_info=True)
            return 0
        return max(0, left.queued - left.held_back)


class SyncScreen(QDialog):
    """Status, "Sync now", the round's progress, and the error list with "Retry selected".

    Signals, all on the GUI thread: ``ready`` once the set-up is open; ``progress_changed(done,
    total)`` after each batch; ``round_finished(SyncStatus)`` after each round of the engine;
    ``rejections_loaded`` when the error list was read; ``retried(outcome)`` after a retry:
    :data:`RETRIED` (and the engine asked to send) or :data:`REFUSED` (shown and audited).
    """

    ready = Signal()
    progress_changed = Signal(int, int)
    round_finished = Signal(object)
    rejections_loaded = Signal()
    retried = Signal(str)

    def __init__(self, source: SyncSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sync with the ERP"))
        self.setObjectName("syncScreen")
        self.setMinimumWidth(760)
        self._source = source
        self.setup: SyncSetup | None = None
        self._opener: threading.Thread | None = None
        self._loading = False
        self._reload_again = False
        self._in_round = False
        self._build()
        self._set_enabled(enabled=False)

    def _build(self) -> None:
        self.summary = SyncStatusWidget(self)
        self.summary.changed.connect(self._show_details)
        self.details = _plain(QLabel(self))
        self.details.setObjectName("syncDetails")
        self.sync_button = QPushButton(self.tr("Sync now"), self)
        self.sync_button.setObjectName("syncNow")
        self.sync_button.clicked.connect(self.sync_now)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%v/%m")
        self.round_text = _plain(QLabel(self))
        self.outage_check = QCheckBox(self.tr("Simulate network outage (demo)"), self)
        self.outage_check.setObjectName("simulateOutage")
        self.outage_check.toggled.connect(self._outage_toggled)
        self.outage_check.setVisible(False)
        self.record_button = QPushButton(
            self.tr("Record {n} demo events").format(n=DEMO_EVENTS), self
        )
        self.record_button.setObjectName("recordDemoEvents")
        self.record_button.clicked.connect(self.record_demo_events)
        self.record_button.setVisible(False)
        self.model = RejectionTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("syncErrors")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)
        self.retry_button = QPushButton(self.tr("Retry selected"), self)
        self.retry_button.setObjectName("retrySelected")
        self.retry_button.clicked.connect(self.retry_selected)
        self.message = _plain(QLabel(self.tr("Opening the sync…"), self))
        self.error = _plain(QLabel(self))
        self.error.setObjectName("syncError")
        self.error.setStyleSheet("color: #b00020;")
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)
        self._lay_out()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.sync_button)
        demo = QHBoxLayout()
        demo.addWidget(self.outage_check)
        demo.addWidget(self.record_button)
        demo.addStretch(1)
        retry = QHBoxLayout()
        retry.addWidget(self.retry_button)
        retry.addStretch(1)
        retry.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addWidget(self.progress)
        layout.addWidget(self.round_text)
        layout.addLayout(demo)
        layout.addWidget(_plain(QLabel(self.tr("Events the ERP refused"), self)))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addLayout(retry)

    def _set_enabled(self, *, enabled: bool) -> None:
        for widget in (self.sync_button, self.retry_button, self.outage_check, self.record_button):
            widget.setEnabled(enabled)

    # ------------------------------------------------------------------ opening

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._opener is None:
            source = self._source

            def work() -> None:  # on the opener thread
                try:
                    setup = source.open()
                except Exception as error:
                    _log.exception("the sync set-up did not open")
                    message = str(error) or type(error).__name__
                    call_on_gui_thread(self, lambda: self._open_failed(message))
                    return
                call_on_gui_thread(self, lambda: self._opened(setup))

            self._opener = threading.Thread(target=work, name="sync-screen-open", daemon=True)
            self._opener.start()
        elif self.setup is not None:
            self.summary.refresh()
            self.reload_rejections()

    def _opened(self, setup: SyncSetup) -> None:
        self.setup = setup
        self.summary.attach(setup)
        tracker = _RoundTracker(setup, self, self._progressed, self._round_ended)
        setup.engine.on_progress(tracker.progress)
        setup.engine.on_status(tracker.finished)
        demo = setup.simulate_outage is not None
        self.outage_check.setVisible(demo)
        self.record_button.setVisible(setup.record_events is not None)
        self._set_enabled(enabled=True)
        self.message.setText(self.tr("Ready."))
        self.reload_rejections()
        self.ready.emit()

    def _open_failed(self, message: str) -> None:
        self.message.setText(self.tr("The sync did not start."))
        self.error.setText(message)

    @Slot()
    def _show_details(self) -> None:
        self.details.setText("\n".join(self.summary.details()[1:]))

    # ------------------------------------------------------------------ a round

    @Slot()
    def sync_now(self) -> None:
        """End any back-off and run a round now; the bar shows it once it sends."""
        setup = self.setup
        if setup is None:
            return
        self.error.clear()
        self._begin_round()
        if setup.engine.running:
            setup.engine.retry_now()
            return
        engine = setup.engine  # not started (a test, a stopped engine): one round here

        def work() -> None:  # on the round thread
            try:
                engine.drain()
                status = engine.status()
            except Exception:
                _log.exception("sync round failed")
                return
            call_on_gui_thread(self, lambda: self._round_ended(status))

        threading.Thread(target=work, name="sync-screen-round", daemon=True).start()

    def _begin_round(self) -> None:
        """A round was asked for: the bar is busy until its first batch says how many."""
        self._in_round = True
        self.progress.setRange(0, 0)
        self.round_text.setText(self.tr("Asking the ERP…"))

    def _progressed(self, done: int, total: int) -> None:
        self._in_round = True
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.round_text.setText(
            self.tr("Sending events to the ERP: {done} of {total}…").format(done=done, total=total)
        )
        self.progress_changed.emit(done, total)

    def _round_ended(self, status: SyncStatus) -> None:
        self.summary.set_status(status)
        if self._in_round:
            self._in_round = False
            sent = self.progress.value() if self.progress.maximum() > 0 else 0
            if status.online is False:
                if self.progress.maximum() == 0:  # nothing went through: 0 of the queue
                    self.progress.setRange(0, max(status.outbox.queued, 1))
                    self.progress.setValue(0)
                self.round_text.setText(
                    self.tr("Stopped: the ERP did not answer. {n} event(s) still queued.").format(
                        n=status.outbox.queued
                    )
                )
            elif sent:
                self.progress.setValue(self.progress.maximum())
                self.round_text.setText(
                    self.tr("Sent {n} event(s) to the ERP.").format(n=self.progress.maximum())
                )
            else:
                self.progress.setRange(0, 1)
                self.progress.setValue(1 if not status.outbox.queued else 0)
                self.round_text.setText(
                    self.tr("Nothing to send: the ERP has every event.")
                    if not status.outbox.queued
                    else self.tr("{n} event(s) wait behind refused events.").format(
                        n=status.outbox.queued
                    )
                )
        self.reload_rejections()
        self.round_finished.emit(status)

    # ------------------------------------------------------------------ the error list

    @Slot()
    def reload_rejections(self) -> None:
        """Read the error list again, on a worker thread (one read at a time)."""
        setup = self.setup
        if setup is None:
            return
        if self._loading:
            self._reload_again = True
            return
        self._loading = True
        writer = setup.writer

        def work() -> None:  # on the list thread
            try:
                rows = writer.submit(partial(open_rejections, limit=MAX_ROWS)).result()
            except Exception:  # the store is closing with the window
                _log.debug("sync error list not read", exc_info=True)
                rows = None
            call_on_gui_thread(self, lambda: self._rejections_read(rows))

        threading.Thread(target=work, name="sync-errors", daemon=True).start()

    def _rejections_read(self, rows: list[OpenRejection] | None) -> None:
        self._loading = False
        if rows is not None and [r.id for r in rows] != self.model.ids():
            self.model.set_rows(rows)  # only when it changed: a reload keeps the selection
        self.retry_button.setEnabled(self.setup is not None and bool(self.model.rows))
        self.rejections_loaded.emit()
        if self._reload_again:
            self._reload_again = False
            self.reload_rejections()

    def selected_ids(self) -> list[int]:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return [self.model.rows[row].id for row in sorted(rows) if row < len(self.model.rows)]

    @Slot()
    def retry_selected(self) -> None:
        """Send the selected events again (``sync.retry``); a denial is shown and audited."""
        setup = self.setup
        ids = self.selected_ids()
        if setup is None:
            return
        self.error.clear()
        if not ids:
            self.message.setText(self.tr("Select the refused events to send again."))
            return
        self.retry_button.setEnabled(False)
        self.message.setText(self.tr("Retrying…"))
        op = partial(retry_all, ids=tuple(ids), ctx=setup.ctx)
        StationOp(self, setup.writer, op).success(self._retried).failure(self._retry_failed).run()

    def _retried(self, count: int) -> None:
        setup = self.setup
        self.message.setText(self.tr("{n} event(s) will be sent again.").format(n=count))
        if setup is not None:
            self._begin_round()
            setup.engine.retry_now()
        self.reload_rejections()
        self.retried.emit(RETRIED)

    def _retry_failed(self, error: BaseException) -> None:
        setup = self.setup
        self.message.setText(self.tr("Nothing was retried."))
        self.error.setText(str(error))
        self.retry_button.setEnabled(bool(self.model.rows))
        audit = audit_failure(error, setup.ctx) if setup is not None else None
        if audit is None or setup is None:
            self.retried.emit(REFUSED)
            return
        # The refusal leaves a trace (P11-F1); told once the audit entry is committed.
        StationOp(self, setup.writer, audit).success(
            lambda _none: self.retried.emit(REFUSED)
        ).failure(self._audit_failed).run()

    def _audit_failed(self, error: BaseException) -> None:
        _log.error("a refused sync retry was not audited: %s", error)
        self.retried.emit(REFUSED)

    # ------------------------------------------------------------------ demo

    @Slot(bool)
    def _outage_toggled(self, down: bool) -> None:
        setup = self.setup
        if setup is None or setup.simulate_outage is None:
            return
        setup.simulate_outage(down)
        self.message.setText(
            self.tr("Network outage simulated: the ERP does not answer.")
            if down
            else self.tr("Network back: the ERP answers again.")
        )
        self._begin_round()
        setup.engine.retry_now()

    @Slot()
    def record_demo_events(self) -> None:
        """Demo: record more queued events (on a worker), so a round has something to send."""
        setup = self.setup
        if setup is None or setup.record_events is None:
            return
        record = setup.record_events
        self.record_button.setEnabled(False)

        def work() -> None:  # on the demo-events thread
            try:
                count = record(DEMO_EVENTS)
            except Exception:
                _log.exception("demo events not recorded")
                count = 0
            call_on_gui_thread(self, lambda: self._recorded(count))

        threading.Thread(target=work, name="sync-demo-events", daemon=True).start()

    def _recorded(self, count: int) -> None:
        self.record_button.setEnabled(True)
        self.message.setText(self.tr("{n} event(s) recorded and queued.").format(n=count))
        self.summary.refresh()

    # ------------------------------------------------------------------ closing

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        super().closeEvent(event)  # nothing to cancel: the engine goes on without the screen

    def shutdown(self, timeout: float) -> None:
        """Wait (at most ``timeout`` s) for the opener thread."""
        if self._opener is not None:
            self._opener.join(timeout)
            if self._opener.is_alive():
                _log.error("%s did not stop within %.0f s", self._opener.name, timeout)
