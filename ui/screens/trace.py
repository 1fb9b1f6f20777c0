"""The Trace screen (追溯, F5): scan or type anything, see its history and genealogy.

A unit, a lot, a case or pallet SSCC, a supplier lot typed as text: the code goes to
:func:`station.trace.view.trace_view` (which checks ``trace.view``) on a worker thread, with
a busy bar meanwhile; the answer fills the timeline (what, who, where, when, the business step
in words, and each event's e-signatures) and the genealogy tree (back to the supplier lots and
suppliers, forward to units, cases, pallets and customers). "Export PDF…" and "Export CSV…"
write the same report as ``station trace --pdf/--csv``, audited the same way
(``export.trace_report``). Nothing here writes the ledger except those audit entries.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from station.access import TRACE_VIEW
from station.scanning.raw import RawScan
from station.trace.report import trace_report
from station.trace.view import TraceView, trace_view
from ui.display import visible
from ui.feedback import Outcome
from ui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    Qt,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.screens.background import Latest, run_job, run_read
from ui.screens.base import ScreenEnv, StationScreen
from ui.screens.exports import ask_save_path, export_report
from ui.screens.trace_models import WHAT, WHEN, GenealogyModel, TimelineModel
from ui.widgets.outcome_banner import OutcomeBanner
from ui.widgets.scan_entry import ScanEntry

__all__ = ["ENTRY_SOURCE", "TraceScreen"]

ENTRY_SOURCE = "keyboard:entry"


def plain_label(text: str, parent: QWidget, *, scale: float = 1.0, bold: bool = False) -> QLabel:
    """A label that never renders markup or opens links (SEC-8)."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(False)
    label.setWordWrap(True)
    if scale != 1.0 or bold:
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * scale)
        font.setBold(bold)
        label.setFont(font)
    return label


def busy_bar(parent: QWidget, name: str) -> QProgressBar:
    bar = QProgressBar(parent)
    bar.setObjectName(name)
    bar.setRange(0, 0)  # indeterminate: the work does not report steps
    bar.setTextVisible(False)
    bar.setMaximumHeight(8)
    bar.setVisible(False)
    return bar


def read_only_table(parent: QWidget, name: str) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    table.verticalHeader().setVisible(False)
    return table


class TraceScreen(StationScreen):
    """Entry line, outcome banner, summary, timeline and genealogy tabs, exports.

    Signals (GUI thread): ``traced(TraceView)`` once an answer is on screen (found or not);
    ``exported(str)`` with where the audit entry went, or ``export_failed(str)``.
    """

    screen_id = "trace"
    shortcut = "F5"
    permission = TRACE_VIEW

    traced = Signal(object)
    exported = Signal(str)
    export_failed = Signal(str)

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view: TraceView | None = None
        self._latest = Latest()
        self._build()

    def title(self) -> str:
        return self.tr("Trace")

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.entry = ScanEntry(self)
        self.entry.setObjectName("traceEntry")
        self.entry.submitted.connect(self._typed)
        self.trace_button = QPushButton(self.tr("&Trace"), self)
        self.trace_button.setObjectName("traceButton")
        self.trace_button.clicked.connect(self.entry.submit)
        self.banner = OutcomeBanner(self)
        self.banner.show_prompt(self.tr("Scan or type a unit, lot, case, pallet or supplier lot"))
        self.busy = busy_bar(self, "traceBusy")
        self.summary = plain_label("", self, scale=1.4, bold=True)
        self.summary.setObjectName("traceSummary")
        self.state = plain_label("", self)
        self.state.setObjectName("traceState")

        self.timeline = TimelineModel(self)
        self.timeline_table = read_only_table(self, "traceTimeline")
        self.timeline_table.setModel(self.timeline)
        header = self.timeline_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.timeline_table.selectionModel().selectionChanged.connect(lambda *_: self._row_chosen())
        self.signature_text = QPlainTextEdit(self)
        self.signature_text.setObjectName("traceSignatures")
        self.signature_text.setReadOnly(True)
        self.signature_text.setTabChangesFocus(True)
        self.signature_text.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)

        self._build_tabs()
        self._build_exports()

    def _build_tabs(self) -> None:
        self.genealogy = GenealogyModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("traceGenealogy")
        self.tree.setModel(self.genealogy)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)

        timeline_page = QWidget(self)
        page = QVBoxLayout(timeline_page)
        page.addWidget(self.timeline_table, 1)
        page.addWidget(plain_label(self.tr("Signatures of the selected event"), self))
        page.addWidget(self.signature_text)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("traceTabs")
        self.tabs.addTab(timeline_page, self.tr("Time&line"))
        self.tabs.addTab(self.tree, self.tr("&Genealogy"))

    def _build_exports(self) -> None:

        self.pdf_button = QPushButton(self.tr("Export &PDF…"), self)
        self.pdf_button.setObjectName("tracePdf")
        self.pdf_button.clicked.connect(lambda: self._ask_export("pdf"))
        self.csv_button = QPushButton(self.tr("Export &CSV…"), self)
        self.csv_button.setObjectName("traceCsv")
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self.export_message = plain_label("", self)
        self.export_message.setObjectName("traceExportMessage")
        self._set_exportable(enabled=False)
        self._lay_out()

    def _lay_out(self) -> None:
        entry_row = QHBoxLayout()
        caption = plain_label(self.tr("&Code:"), self)
        caption.setWordWrap(False)
        caption.setTextFormat(Qt.TextFormat.PlainText)
        caption.setBuddy(self.entry)
        entry_row.addWidget(caption)
        entry_row.addWidget(self.entry, 1)
        entry_row.addWidget(self.trace_button)
        exports = QHBoxLayout()
        exports.addWidget(self.pdf_button)
        exports.addWidget(self.csv_button)
        exports.addWidget(self.export_message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(entry_row)
        layout.addWidget(self.banner)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary)
        layout.addWidget(self.state)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(exports)
        for first, second in (
            (self.entry, self.trace_button),
            (self.trace_button, self.tabs),
            (self.tabs, self.pdf_button),
            (self.pdf_button, self.csv_button),
        ):
            QWidget.setTabOrder(first, second)

    def _set_exportable(self, *, enabled: bool) -> None:
        self.pdf_button.setEnabled(enabled)
        self.csv_button.setEnabled(enabled)

    # ------------------------------------------------------------------ scans in

    def activated(self) -> None:
        self.entry.setFocus()

    def handle_scan(self, scan: RawScan) -> None:
        """Trace what the scan names (raw bytes: the resolver reads scans, HRI, URIs, lots)."""
        self.trace_code(scan.reader_input())

    def _typed(self, text: str) -> None:
        self.trace_code(text)

    def trace_code(self, code: str | bytes) -> None:
        """Start tracing ``code`` on a worker; the answer replaces what is shown."""
        try:
            ctx = self.env.context()
        except Exception as error:  # nobody signed in: say so, do nothing
            self._refuse(self.tr("Not signed in"), str(error))
            return
        ticket = self._latest.next()
        self.busy.setVisible(True)
        self.export_message.clear()
        shown = code if isinstance(code, str) else code.decode("utf-8", "replace")
        self.banner.show_prompt(self.tr("Tracing {code}…").format(code=visible(shown)))
        run_read(
            self,
            self.env.store,
            lambda conn: trace_view(conn, ctx, code),
            lambda view: self._answered(ticket, view),
            lambda error: self._failed(ticket, error),
            name="trace-read",
        )

    def _answered(self, ticket: int, view: TraceView) -> None:
        if not self._latest.is_current(ticket):
            return
        self.busy.setVisible(False)
        self.show_view(view)
        self.traced.emit(view)

    def _failed(self, ticket: int, error: BaseException) -> None:
        if not self._latest.is_current(ticket):
            return
        self.busy.setVisible(False)
        self._refuse(self.tr("Trace not possible"), str(error))

    def _refuse(self, headline: str, detail: str) -> None:
        self.banner.show_outcome(Outcome.REFUSED, headline, visible(detail))
        self.env.feedback.refused(headline)

    # ------------------------------------------------------------------ showing

    def show_view(self, view: TraceView) -> None:
        result = view.result
        self.view = view
        self.timeline.show(view)
        self.genealogy.show(view.genealogy)
        self.tree.expandToDepth(3)
        self.signature_text.clear()
        if not result.found:
            self.summary.clear()
            self.state.clear()
            self._set_exportable(enabled=False)
            self._refuse(
                self.tr("Unknown code"),
                self.tr("Nothing recorded names {code}.").format(code=result.code),
            )
            return
        forward = result.forward
        self.summary.setText(
            self.tr(
                "{events} events · {suppliers} supplier lots · {units} units made · "
                "{customers} customers"
            ).format(
                events=len(result.timeline),
                suppliers=len(result.backward.supplier_lots),
                units=len(forward.units),
                customers=len(forward.customers),
            )
        )
        words = self.timeline.words
        now = [
            self.tr("Now: {status}").format(status=words.status(state.status))
            + (" — " + (state.holder.name or state.holder.uri) if state.holder is not None else "")
            for state in result.state
        ]
        # One line each: the scanned identifiers (their characters marked), then the states. The
        # line breaks are the label's own, not part of a value, so they are no ⟨LF⟩ markers.
        lines = [visible(", ".join(result.identifiers)), *(visible(line) for line in now)]
        self.state.setText("\n".join(lines))
        self._set_exportable(enabled=True)
        self.timeline_table.resizeColumnToContents(WHEN)
        self.timeline_table.resizeColumnToContents(WHAT)
        headline = self.tr("Found: {n} events").format(n=len(result.timeline))
        self.banner.show_outcome(Outcome.ACCEPTED, headline, visible(result.code))
        self.env.feedback.accepted(headline)

    def _row_chosen(self) -> None:
        rows = self.timeline_table.selectionModel().selectedRows()
        if not rows:
            self.signature_text.clear()
            return
        entry = self.timeline.rows[rows[0].row()]
        lines = self.timeline.signature_lines(entry) or [self.tr("No signatures.")]
        self.signature_text.setPlainText("\n".join(visible(line) for line in lines))

    # ------------------------------------------------------------------ exports

    def _ask_export(self, fmt: str) -> None:
        if self.view is None:
            return
        pattern = self.tr("PDF files (*.pdf)") if fmt == "pdf" else self.tr("CSV files (*.csv)")
        path = ask_save_path(self, self.tr("Export the trace report"), f"trace.{fmt}", pattern)
        if path is not None:
            self.export(path, fmt)

    def export(self, path: Path, fmt: str) -> None:
        """Write the report of what is shown to ``path`` (``pdf`` or ``csv``), audited."""
        view = self.view
        if view is None:
            return
        try:
            ctx = self.env.context()
        except Exception as error:
            self._refuse(self.tr("Not signed in"), str(error))
            return
        result = view.result
        store = self.env.store

        def work() -> str:
            report = trace_report(
                result, station=ctx.station, generated_at=datetime.now(UTC).astimezone()
            )
            details = {
                "report": "trace",
                "code": result.code,
                "found": result.found,
                "rows": len(report.rows),
            }
            return export_report(
                store,
                ctx,
                report,
                path,
                fmt=fmt,
                action="export.trace_report",
                details=details,
            )

        self._set_exportable(enabled=False)
        self.busy.setVisible(True)
        self.export_message.setText(self.tr("Writing the report…"))
        run_job(
            self,
            work,
            lambda where: self._exported(path, where),
            self._export_failed,
            name="trace-export",
        )

    def _exported(self, path: Path, where: str) -> None:
        self.busy.setVisible(False)
        self._set_exportable(enabled=True)
        self.export_message.setText(
            visible(self.tr("Report written: {path} ({where})").format(path=path, where=where))
        )
        self.env.feedback.accepted(self.tr("Report written"))
        self.exported.emit(where)

    def _export_failed(self, error: BaseException) -> None:
        self.busy.setVisible(False)
        self._set_exportable(enabled=self.view is not None and self.view.result.found)
        message = self.tr("Nothing exported: {error}").format(error=str(error))
        self.export_message.setText(visible(message))
        self.env.feedback.refused(self.tr("Nothing exported"))
        self.export_failed.emit(message)
