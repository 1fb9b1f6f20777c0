"""The Recall workbench (召回, F10): pick a lot, see everything it reached, hold, report.

Pick a lot or supplier lot by scanning, typing, or from the list of recent lots. The affected
set comes from :func:`station.trace.api.recall` (which checks ``recall.run``) on a worker
thread; the screen shows the key numbers in large type, counts by status and by customer, and
every affected unit in a table model (a recall may reach 100,000 units).

* **Mock-recall timer**: starts when a lot is picked and stops when the report is exported;
  mock recalls are judged on that time.
* **Place holds…**: after a confirmation with a required reason, one recall hold on every
  affected unit and lot still in our hands (:func:`station.trace.holds.place_recall_holds`,
  the hold service), recomputed inside the writer's transaction so nothing ships in between
  (as ``station recall --hold``). A refusal or denial is shown and audited.
* **Export PDF… / CSV…**: the report of ``station recall --pdf/--csv``, audited as
  ``export.recall_report``.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection

from station.access import RECALL_RUN
from station.context import WriteContext
from station.scanning.raw import RawScan
from station.trace.api import recall
from station.trace.holds import in_our_hands, place_recall_holds
from station.trace.model import RecallResult
from station.trace.recent import RecentLot, recent_lots
from station.trace.report import recall_report
from ui.audited import audit_failure
from ui.display import visible
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QElapsedTimer,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.screens.background import run_read
from ui.screens.base import ScreenEnv, StationScreen
from ui.screens.exports import export_report
from ui.screens.lookup import CodeLookup, ReportExport
from ui.screens.recall_models import LOT, SERIAL, STATUS, AffectedModel, CountsModel
from ui.screens.trace_models import short_id
from ui.tasks import StationOp
from ui.widgets.data_table import fit_columns, read_only_table
from ui.widgets.plain import plain_label

__all__ = ["HoldDialog", "RecallScreen", "clock_text"]

RECENT_LOTS = 30


def clock_text(millis: int) -> str:
    """Elapsed time as ``mm:ss.d`` (hours added past an hour).

    >>> clock_text(83_450), clock_text(3_723_000)
    ('01:23.4', '1:02:03.0')
    """
    tenths = millis // 100
    seconds, tenth = divmod(tenths, 10)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    text = f"{minute:02d}:{second:02d}.{tenth}"
    return f"{hours}:{text}" if hours else text


def hold_in_writer(
    conn: Connection, ctx: WriteContext, code: str, reason: str
) -> tuple[int | None, int]:
    """Recompute the recall and hold what is in our hands, in one write transaction:
    (the hold event's seq or None, how many items it names)."""
    result = recall(conn, ctx, code)
    held = place_recall_holds(conn, ctx, result, reason=reason)
    return (held.seq if held else None), len(in_our_hands(result))


class HoldDialog(QDialog):
    """ "Put N items on recall hold?" with a reason that must not be blank."""

    def __init__(self, code: str, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recallHoldDialog")
        self.setWindowTitle(self.tr("Place recall holds"))
        question = plain_label(
            self.tr(
                "Put {n} affected units and lots still in our hands on recall hold?\n"
                "Recall of: {code}"
            ).format(n=count, code=visible(code)),
            self,
        )
        self.reason = QLineEdit(self)
        self.reason.setObjectName("recallHoldReason")
        self.reason.setPlaceholderText(self.tr("Reason (required)"))
        caption = plain_label(self.tr("&Reason:"), self)
        caption.setBuddy(self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Place holds"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(caption)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self) -> None:
        self.ok_button.setEnabled(bool(self.reason.text().strip()))

    def accept(self) -> None:
        if self.reason.text().strip():  # Enter on a blank reason does nothing
            super().accept()


class RecallScreen(StationScreen):
    """Pick a lot → affected set, counts, units; holds; mock-recall timer; reports.

    Signals (GUI thread): ``recalled(RecallResult)`` when an answer is on screen,
    ``held(str)`` after a hold (``recorded``, ``nothing`` or ``refused``), ``exported(str)``
    with where the audit entry went, ``export_failed(str)``, ``lots_loaded`` for the list.
    """

    screen_id = "recall"
    shortcut = "F10"
    permission = RECALL_RUN

    recalled = Signal(object)
    held = Signal(str)
    exported = Signal(str)
    export_failed = Signal(str)
    lots_loaded = Signal()

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.result: RecallResult | None = None
        self.code: str | None = None
        self.timer = QElapsedTimer()
        self.stopped_at: int | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(100)
        self._tick.timeout.connect(self._show_clock)
        self._build()

    def title(self) -> str:
        return self.tr("Recall")

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.lookup = CodeLookup(
            self,
            name="recall",
            caption=self.tr("&Lot:"),
            action=self.tr("&Recall"),
            prompt=self.tr("Scan, type or choose a lot or supplier lot"),
        )
        self.entry, self.banner, self.busy = self.lookup.entry, self.lookup.banner, self.lookup.busy
        self.entry.submitted.connect(self.pick)
        self.recent = QListWidget(self)
        self.recent.setObjectName("recallRecentLots")
        self.recent.itemActivated.connect(self._recent_chosen)
        self.recent.setMaximumWidth(360)
        self.clock = plain_label(
            self.tr("Mock recall: not started"), self, name="recallClock", scale=2.0, bold=True
        )
        self.located = plain_label("", self, name="recallLocated")
        self.numbers: dict[str, QLabel] = {}
        self._build_tables()
        self.hold_button = QPushButton(self.tr("Place &holds…"), self)
        self.hold_button.setObjectName("recallHold")
        self.hold_button.clicked.connect(self.ask_hold)
        self.reports = ReportExport(
            self,
            self.lookup,
            name="recall",
            title=self.tr("Export the recall report"),
            export=self.export,
            exportable=lambda: self.result is not None and self.result.found,
        )
        self.reports.written.connect(self._exported)
        self.reports.failed.connect(self._export_failed)
        self.pdf_button, self.csv_button = self.reports.pdf_button, self.reports.csv_button
        self.message = self.reports.message
        self.message.setObjectName("recallMessage")
        self._set_actions(enabled=False)
        self._lay_out()

    def _build_tables(self) -> None:
        self.by_status = CountsModel(self.tr("Status"), self)
        self.by_customer = CountsModel(self.tr("Customer"), self)
        self.units = AffectedModel(self)
        self.status_table = read_only_table(self, "recallByStatus")
        self.status_table.setModel(self.by_status)
        self.customer_table = read_only_table(self, "recallByCustomer")
        self.customer_table.setModel(self.by_customer)
        self.units_table = read_only_table(self, "recallUnits")
        self.units_table.setModel(self.units)
        for table in (self.status_table, self.customer_table):
            table.setMaximumHeight(table.fontMetrics().lineSpacing() * 8)
        # The counts: the name takes the room left; the units: what identifies a unit and its
        # status stay whole, long names and URIs are cut first (whole in their tooltips).
        self.column_fits = [
            *(fit_columns(table, stretch=0) for table in (self.status_table, self.customer_table)),
            fit_columns(self.units_table, whole=(SERIAL, LOT, STATUS)),
        ]

    def _number(self, key: str, caption: str) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 0, 4, 0)
        value = plain_label("–", box, scale=2.4, bold=True)
        value.setObjectName(f"recallCount_{key}")
        value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(value)
        label = plain_label(caption, box)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
        self.numbers[key] = value
        return box

    def _lay_out(self) -> None:
        numbers = QHBoxLayout()
        for key, words in (
            ("units", self.tr("affected units")),
            ("lots", self.tr("lots")),
            ("containers", self.tr("cases and pallets")),
            ("customers", self.tr("customers")),
            ("in_hands", self.tr("still in our hands")),
        ):
            numbers.addWidget(self._number(key, words))
        counts = QGridLayout()
        counts.addWidget(plain_label(self.tr("By status"), self, bold=True), 0, 0)
        counts.addWidget(plain_label(self.tr("By customer"), self, bold=True), 0, 1)
        counts.addWidget(self.status_table, 1, 0)
        counts.addWidget(self.customer_table, 1, 1)
        actions = QHBoxLayout()
        for button in (self.hold_button, self.pdf_button, self.csv_button):
            actions.addWidget(button)
        actions.addWidget(self.message, 1)
        # The recent lots sit beside the verdict (banner, clock), not beside the whole screen:
        # the counts and the affected units below get the screen's whole width.
        verdict = QVBoxLayout()
        verdict.addWidget(self.banner)
        verdict.addWidget(self.busy)
        verdict.addWidget(self.clock)
        verdict.addWidget(self.located)
        verdict.addStretch(1)
        side = QVBoxLayout()
        recent_caption = plain_label(self.tr("Recent lo&ts"), self, bold=True)
        recent_caption.setBuddy(self.recent)
        side.addWidget(recent_caption)
        side.addWidget(self.recent, 1)
        top = QHBoxLayout()
        top.addLayout(verdict, 1)
        top.addLayout(side)
        main = QVBoxLayout(self)
        main.addLayout(self.lookup.entry_row())
        main.addLayout(top)
        main.addLayout(numbers)
        main.addLayout(counts)
        main.addWidget(plain_label(self.tr("Affected units"), self, bold=True))
        main.addWidget(self.units_table, 1)
        main.addLayout(actions)
        order = (
            self.entry,
            self.lookup.button,
            self.recent,
            self.status_table,
            self.customer_table,
            self.units_table,
            self.hold_button,
            self.pdf_button,
            self.csv_button,
        )
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _set_actions(self, *, enabled: bool) -> None:
        for button in (self.hold_button, self.pdf_button, self.csv_button):
            button.setEnabled(enabled)

    # ------------------------------------------------------------------ picking a lot

    def activated(self) -> None:
        self.entry.setFocus()
        self.reload_recent()

    def reload_recent(self) -> None:
        """Read the recent lots on a worker and list them."""
        run_read(
            self,
            self.env.store,
            lambda conn: recent_lots(conn, RECENT_LOTS),
            self._show_recent,
            lambda error: self.message.setText(visible(str(error))),
            name="recall-recent-lots",
        )

    def _show_recent(self, lots: list[RecentLot]) -> None:
        self.recent.clear()
        for lot in lots:
            kind = self.tr("supplier lot") if lot.supplier_lot else self.tr("lot")
            # Two lines: the line break is the list's own, the values' characters are marked.
            lines = [visible(f"{lot.lot} · {kind}")]
            if lot.product:
                lines.append(visible(lot.product))
            item = QListWidgetItem("\n".join(lines), self.recent)
            item.setData(Qt.ItemDataRole.UserRole, lot.uri)
        self.lots_loaded.emit()

    def _recent_chosen(self, item: QListWidgetItem) -> None:
        uri = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(uri, str):
            self.pick(uri)

    def handle_scan(self, scan: RawScan) -> None:
        """A scanned lot, unit (its lot is recalled) or case is picked for the recall."""
        self.pick(scan.reader_input().decode("utf-8", "surrogateescape"))

    def pick(self, code: str) -> None:
        """Pick ``code`` for a (mock) recall: the timer starts, the affected set is read."""
        if code != self.code or not self.timer.isValid() or self.stopped_at is not None:
            self.timer.start()
            self.stopped_at = None
            self._tick.start()
        self.code = code
        self.compute()

    def compute(self) -> None:
        """(Re)compute the affected set of the picked lot on a worker."""
        code = self.code
        if code is None:
            return
        self.lookup.look_up(
            code,
            recall,
            self._answered,
            busy_text=self.tr("Locating everything {code} reached…").format(code=visible(code)),
            failure=self.tr("Recall not possible"),
            name="recall-read",
        )

    def _answered(self, result: RecallResult) -> None:
        self.show_result(result)
        self.recalled.emit(result)

    # ------------------------------------------------------------------ showing

    def show_result(self, result: RecallResult) -> None:
        self.result = result
        self.units.set_units(result.units)
        words = self.units.words
        self.by_status.set_rows(
            [(words.status(status), count) for status, count in result.by_status.items()]
        )
        self.by_customer.set_rows(
            [(result.customer_name(uri), count) for uri, count in result.by_customer.items()]
        )
        in_hands = len(in_our_hands(result))
        values = {
            "units": len(result.units),
            "lots": len(result.lots),
            "containers": len(result.containers),
            "customers": len(result.by_customer),
            "in_hands": in_hands,
        }
        for key, value in values.items():
            self.numbers[key].setText(f"{value:,}")
        if not result.found:
            self._set_actions(enabled=False)
            self.located.clear()
            self._tick.stop()
            self.timer.invalidate()
            self.clock.setText(self.tr("Mock recall: not started"))
            self.lookup.refuse(
                self.tr("Unknown lot"),
                self.tr("Nothing recorded names {code}.").format(code=result.code),
            )
            return
        self._set_actions(enabled=True)
        self.hold_button.setEnabled(in_hands > 0)
        self.located.setText(
            self.tr("{n} units located in {seconds} s").format(
                n=len(result.units), seconds=f"{result.elapsed_seconds:.3f}"
            )
        )
        lots = ", ".join(short_id(uri) for uri in result.identifiers)
        self.lookup.accept(self.tr("{n} units affected").format(n=len(result.units)), lots)

    def elapsed_ms(self) -> int:
        if self.stopped_at is not None:
            return self.stopped_at
        return int(self.timer.elapsed()) if self.timer.isValid() else 0

    def _show_clock(self) -> None:
        self.clock.setText(self.tr("Mock recall: {t}").format(t=clock_text(self.elapsed_ms())))

    def _stop_clock(self) -> None:
        if self.timer.isValid() and self.stopped_at is None:
            self.stopped_at = int(self.timer.elapsed())
        self._tick.stop()
        self.clock.setText(
            self.tr("Mock recall finished in {t}").format(t=clock_text(self.elapsed_ms()))
        )

    # ------------------------------------------------------------------ holds

    def ask_hold(self) -> None:
        """Confirm with a reason, then place the holds."""
        result = self.result
        if result is None or self.code is None:
            return
        dialog = HoldDialog(result.code, len(in_our_hands(result)), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.place_holds(dialog.reason.text())

    def place_holds(self, reason: str) -> None:
        """Put what is still in our hands on recall hold (writer thread); needs a reason."""
        code = self.code
        if code is None:
            return
        if not reason.strip():
            self.lookup.refuse(self.tr("No holds placed"), self.tr("A reason is required."))
            self.held.emit("refused")
            return
        ctx = self.lookup.context()
        if ctx is None:
            self.held.emit("refused")
            return
        self.hold_button.setEnabled(False)
        self.message.setText(self.tr("Placing recall holds…"))
        StationOp(
            self, self.env.store.writer, lambda conn: hold_in_writer(conn, ctx, code, reason)
        ).success(self._holds_placed).failure(lambda error: self._hold_failed(error, ctx)).run()

    def _holds_placed(self, outcome: tuple[int | None, int]) -> None:
        seq, count = outcome
        if seq is None:
            self.message.setText(self.tr("Nothing left to hold."))
            self.env.feedback.warning(self.tr("Nothing left to hold"))
            self.held.emit("nothing")
        else:
            text = self.tr("Recall hold recorded on {n} items (event {seq}).").format(
                n=count, seq=seq
            )
            self.message.setText(text)
            self.lookup.accept(self.tr("Holds placed"), text)
            self.held.emit("recorded")
        self.compute()

    def _hold_failed(self, error: BaseException, ctx: WriteContext) -> None:
        self.lookup.refuse(self.tr("No holds placed"), str(error))
        self.message.setText(visible(str(error)))
        self.hold_button.setEnabled(True)
        audit = audit_failure(error, ctx)
        if audit is None:
            self.held.emit("refused")
            return
        # The refusal leaves a trace (P11-F1); told once its entry is committed.
        StationOp(self, self.env.store.writer, audit).success(
            lambda _none: self.held.emit("refused")
        ).failure(lambda _error: self.held.emit("refused")).run()

    # ------------------------------------------------------------------ reports

    def export(self, path: Path, fmt: str) -> None:
        """Write the recall report to ``path`` (``pdf`` or ``csv``), audited; the mock-recall
        timer stops when it is written."""
        result = self.result
        if result is None:
            return
        store = self.env.store

        def work(ctx: WriteContext) -> str:
            report = recall_report(
                result, station=ctx.station, generated_at=datetime.now(UTC).astimezone()
            )
            details = {
                "report": "recall",
                "code": result.code,
                "found": result.found,
                "rows": len(report.rows),
                "units": len(result.units),
                "lots": len(result.lots),
                "containers": len(result.containers),
            }
            return export_report(
                store, ctx, report, path, fmt=fmt, action="export.recall_report", details=details
            )

        self.hold_button.setEnabled(False)
        self.reports.write(path, work)

    def _exported(self, where: str) -> None:
        self._stop_clock()
        self._enable_hold()
        self.exported.emit(where)

    def _export_failed(self, message: str) -> None:
        self._enable_hold()
        self.export_failed.emit(message)

    def _enable_hold(self) -> None:
        self.hold_button.setEnabled(self.result is not None and bool(in_our_hands(self.result)))
