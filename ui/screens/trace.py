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
from station.context import WriteContext
from station.scanning.raw import RawScan
from station.trace.report import trace_report
from station.trace.view import TraceView, trace_view
from ui.display import visible
from ui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QPlainTextEdit,
    Qt,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.screens.base import ScreenEnv, StationScreen
from ui.screens.exports import export_report
from ui.screens.lookup import CodeLookup, ReportExport
from ui.screens.trace_models import WHAT, WHEN, GenealogyModel, TimelineModel
from ui.widgets.data_table import fit_columns, read_only_table
from ui.widgets.plain import plain_label

__all__ = ["TraceScreen"]


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
        self._build()

    def title(self) -> str:
        return self.tr("Trace")

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.lookup = CodeLookup(
            self,
            name="trace",
            caption=self.tr("&Code:"),
            action=self.tr("&Trace"),
            prompt=self.tr("Scan or type a unit, lot, case, pallet or supplier lot"),
        )
        self.entry, self.banner, self.busy = self.lookup.entry, self.lookup.banner, self.lookup.busy
        self.entry.submitted.connect(self.trace_code)
        self.summary = plain_label("", self, name="traceSummary", scale=1.4, bold=True)
        self.state = plain_label("", self, name="traceState")

        self.timeline = TimelineModel(self)
        self.timeline_table = read_only_table(self, "traceTimeline")
        self.timeline_table.setModel(self.timeline)
        self.timeline_fit = fit_columns(self.timeline_table, whole=(WHEN, WHAT))
        self.timeline_table.selectionModel().selectionChanged.connect(lambda *_: self._row_chosen())
        self.signature_text = QPlainTextEdit(self)
        self.signature_text.setObjectName("traceSignatures")
        self.signature_text.setReadOnly(True)
        self.signature_text.setTabChangesFocus(True)
        self.signature_text.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)

        self.reports = ReportExport(
            self,
            self.lookup,
            name="trace",
            title=self.tr("Export the trace report"),
            export=self.export,
            exportable=lambda: self.view is not None and self.view.result.found,
        )
        self.reports.message.setObjectName("traceExportMessage")
        self.reports.written.connect(self.exported)
        self.reports.failed.connect(self.export_failed)
        self.pdf_button, self.csv_button = self.reports.pdf_button, self.reports.csv_button
        self._build_tabs()
        self._lay_out()

    def _build_tabs(self) -> None:
        self.genealogy = GenealogyModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("traceGenealogy")
        self.tree.setModel(self.genealogy)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree_fit = fit_columns(self.tree)
        self.tree.expanded.connect(lambda _index: self.tree_fit.fit())
        self.tree.collapsed.connect(lambda _index: self.tree_fit.fit())

        timeline_page = QWidget(self)
        page = QVBoxLayout(timeline_page)
        page.addWidget(self.timeline_table, 1)
        page.addWidget(plain_label(self.tr("Signatures of the selected event"), self))
        page.addWidget(self.signature_text)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("traceTabs")
        self.tabs.addTab(timeline_page, self.tr("Time&line"))
        self.tabs.addTab(self.tree, self.tr("&Genealogy"))

    def _lay_out(self) -> None:
        exports = QHBoxLayout()
        exports.addWidget(self.pdf_button)
        exports.addWidget(self.csv_button)
        exports.addWidget(self.reports.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.lookup.entry_row())
        layout.addWidget(self.banner)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary)
        layout.addWidget(self.state)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(exports)
        for first, second in (
            (self.entry, self.lookup.button),
            (self.lookup.button, self.tabs),
            (self.tabs, self.pdf_button),
            (self.pdf_button, self.csv_button),
        ):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------------ scans in

    def activated(self) -> None:
        self.entry.setFocus()

    def handle_scan(self, scan: RawScan) -> None:
        """Trace what the scan names (raw bytes: the resolver reads scans, HRI, URIs, lots)."""
        self.trace_code(scan.reader_input())

    def trace_code(self, code: str | bytes) -> None:
        """Start tracing ``code`` on a worker; the answer replaces what is shown."""
        shown = code if isinstance(code, str) else code.decode("utf-8", "replace")
        self.reports.message.clear()
        self.lookup.look_up(
            code,
            trace_view,
            self._answered,
            busy_text=self.tr("Tracing {code}…").format(code=visible(shown)),
            failure=self.tr("Trace not possible"),
            name="trace-read",
        )

    def _answered(self, view: TraceView) -> None:
        self.show_view(view)
        self.traced.emit(view)

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
            self.reports.set_enabled(enabled=False)
            self.lookup.refuse(
                self.tr("Unknown code"),
                self.tr("Nothing recorded names {code}.").format(code=result.code),
            )
            return
        forward = result.forward
        self.summary.setText(
            self.tr(
                "Events: {events} · supplier lots: {suppliers} · units made: {units} · "
                "customers: {customers}"
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
        self.reports.set_enabled(enabled=True)
        self.lookup.accept(self.tr("Found: {n} events").format(n=len(result.timeline)), result.code)

    def _row_chosen(self) -> None:
        rows = self.timeline_table.selectionModel().selectedRows()
        if not rows:
            self.signature_text.clear()
            return
        entry = self.timeline.rows[rows[0].row()]
        lines = self.timeline.signature_lines(entry) or [self.tr("No signatures.")]
        self.signature_text.setPlainText("\n".join(visible(line) for line in lines))

    # ------------------------------------------------------------------ exports

    def export(self, path: Path, fmt: str) -> None:
        """Write the report of what is shown to ``path`` (``pdf`` or ``csv``), audited."""
        if self.view is None:
            return
        result = self.view.result
        store = self.env.store

        def work(ctx: WriteContext) -> str:
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
                store, ctx, report, path, fmt=fmt, action="export.trace_report", details=details
            )

        self.reports.write(path, work)
