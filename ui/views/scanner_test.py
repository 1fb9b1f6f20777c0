"""The scanner test: scan the printed test sheet, see what the scanner does wrong and how to fix it.

Each incoming :class:`RawScan` is matched to a sheet code (``station.scanning.diagnosis``),
ticked in the checklist, and its findings are shown with their fixes; the summary below says
what to change overall. The raw bytes are shown with visible markers (``⟨GS⟩`` …).

Scans reach :meth:`ScannerTestPanel.scan_received` from any source (serial, camera, simulated);
a keyboard-wedge scanner typing into this window is caught by the panel's own
:class:`~ui.wedge.WedgeListener` (the main window's listener ignores other windows).
Finding texts are translated in the Qt context ``scanner.finding``, code titles in
``scanner.sheet``.
"""

from __future__ import annotations

import logging

from station.scanning.diagnosis import Diagnosis, How, identify, summarise
from station.scanning.findings import FINDING_CONTEXT, Finding, Severity
from station.scanning.raw import RawScan
from station.scanning.sheet import SHEET, SheetCode
from ui.display import hex_bytes, visible
from ui.qt import (
    QApplication,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Slot,
)
from ui.wedge import WEDGE_SOURCE, WedgeListener

_log = logging.getLogger(__name__)

SHEET_CONTEXT = "scanner.sheet"
#: Finding parameters that are English words (layout names), translated before filling in.
_WORDS = frozenset({"scanner", "computer"})
_MARKS = {Severity.OK: "✔", Severity.INFO: "•", Severity.WARNING: "▲", Severity.ERROR: "✖"}


def tr_title(code: SheetCode) -> str:
    return QCoreApplication.translate(SHEET_CONTEXT, code.title)


def _fill(template: str, english: str, params: dict[str, str], code: str) -> str:
    translated = QCoreApplication.translate(FINDING_CONTEXT, template)
    try:
        return translated.format_map(params)
    except (KeyError, IndexError, ValueError, AttributeError):
        _log.warning("translation of finding %s does not fit its parameters", code)
        return english


def tr_finding(item: Finding) -> tuple[str, str]:
    """The finding's message and fix in the UI language (English if a translation is bad)."""
    params = {
        key: QCoreApplication.translate(FINDING_CONTEXT, value) if key in _WORDS else value
        for key, value in item.params
    }
    message = _fill(item.template, item.message, params, item.code)
    fix = _fill(item.fix_template, item.fix, params, item.code)
    return message, fix


def _plain(text: str, parent: QWidget, wrap: bool = True) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


def _read_only(parent: QWidget, height: int) -> QPlainTextEdit:
    view = QPlainTextEdit(parent)
    view.setReadOnly(True)
    view.setMinimumHeight(height)
    return view


class ScannerTestPanel(QDialog):
    """Checklist of the sheet's codes, the last scan's findings, and the sheet-level summary."""

    def __init__(self, parent: QWidget | None = None, *, listen_keyboard: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("scannerTestPanel")
        self.setWindowTitle(self.tr("Scanner test"))
        self.results: list[Diagnosis] = []
        self._status: dict[str, QLabel] = {}

        intro = _plain(
            self.tr(
                "Print the scanner test sheet (station diagnostics scanner-sheet --out "
                "sheet.pdf) and scan its codes one by one. Each scan is compared byte for byte "
                "with what a correctly set-up scanner sends."
            ),
            self,
        )
        grid = QGridLayout()
        for row, code in enumerate(SHEET):
            grid.addWidget(_plain(f"{code.number}.", self, wrap=False), row, 0)
            grid.addWidget(_plain(tr_title(code), self), row, 1)
            status = _plain(self.tr("not scanned"), self, wrap=False)
            self._status[code.id] = status
            grid.addWidget(status, row, 2)
        grid.setColumnStretch(1, 1)

        self.last_scan = _plain(self.tr("Waiting for a scan …"), self)
        self.raw_view = _read_only(self, 48)
        self.findings_view = _read_only(self, 120)
        self.summary_view = _read_only(self, 120)
        reset = QPushButton(self.tr("Start again"), self)
        reset.clicked.connect(self.reset)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(reset, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.last_scan)
        layout.addWidget(_plain(self.tr("Received (raw):"), self))
        layout.addWidget(self.raw_view)
        layout.addWidget(_plain(self.tr("Findings for this scan:"), self))
        layout.addWidget(self.findings_view)
        layout.addWidget(_plain(self.tr("Summary:"), self))
        layout.addWidget(self.summary_view)
        layout.addWidget(buttons)
        self._show_summary()
        self.resize(720, 760)

        self.wedge: WedgeListener | None = None
        app = QApplication.instance()
        if listen_keyboard and isinstance(app, QApplication):
            self.wedge = WedgeListener(self)
            self.wedge.scanned.connect(self.scan_received)
            app.installEventFilter(self.wedge)
            self.finished.connect(lambda _result: app.removeEventFilter(self.wedge))

    @Slot(object)
    def scan_received(self, scan: RawScan) -> None:
        """Diagnose one scan: tick its code, show its findings and the updated summary."""
        how: How = "keyboard" if scan.source == WEDGE_SOURCE else "serial"
        result = identify(scan, how)
        self.results.append(result)
        code = result.code
        raw = result.received
        text = raw.decode("utf-8", "replace")
        self.raw_view.setPlainText(f"{visible(text)}\n{hex_bytes(raw)}")
        if code is None:
            self.last_scan.setText(self.tr("Last scan: not a code of the test sheet"))
        else:
            self.last_scan.setText(
                self.tr("Last scan: code {number}, {title}").format(
                    number=code.number, title=tr_title(code)
                )
            )
            status = self.tr("✔ correct") if result.correct else self.tr("✖ see findings")
            self._status[code.id].setText(status)
        self.findings_view.setPlainText(self._describe(list(result.findings)))
        self._show_summary()

    @Slot()
    def reset(self) -> None:
        self.results.clear()
        for label in self._status.values():
            label.setText(self.tr("not scanned"))
        self.last_scan.setText(self.tr("Waiting for a scan …"))
        for view in (self.raw_view, self.findings_view):
            view.clear()
        self._show_summary()

    def status_text(self, code_id: str) -> str:
        return self._status[code_id].text()

    def _show_summary(self) -> None:
        self.summary_view.setPlainText(self._describe(summarise(self.results), summary=True))

    def _describe(self, findings: list[Finding], *, summary: bool = False) -> str:
        lines = []
        for item in findings:
            message, fix = tr_finding(item)
            lines.append(f"{_MARKS[item.severity]} {message}")
            if item.severity is not Severity.OK:
                lines.append("    " + self.tr("Fix: {fix}").format(fix=fix))
            if item.evidence and summary:
                lines.append(
                    "    " + self.tr("Seen on code(s) {numbers}").format(numbers=item.evidence)
                )
            elif item.evidence:  # already shown with markers by the diagnosis
                lines.append("    " + item.evidence)
        return "\n".join(lines)
