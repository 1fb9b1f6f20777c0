"""The Identify screen (识别): scan anything, see at a glance what it is and whether it is valid.

Scans arrive as :class:`RawScan` from any source (wedge, entry line, simulated or serial
scanner, via their bridges), always on the GUI thread. The view reads them with the code
reader and shows the result; it never changes anything, so reading on the GUI thread is fine
(a reading takes well under a millisecond).
"""

from __future__ import annotations

import station.udi
from station.scanning.raw import RawScan
from station.udi.model import ParsedCode
from station.udi.symbology import describe
from ui.i18n import tr_issue, tr_scheme
from ui.models.elements import VALUE, ElementTableModel
from ui.qt import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.data_label import DataLabel
from ui.widgets.issue_list import IssueList
from ui.widgets.key_fields import KeyFields
from ui.widgets.raw_view import RawScanView
from ui.widgets.scan_entry import ScanEntry
from ui.widgets.status_banner import StatusBanner

ENTRY_SOURCE = "keyboard:entry"


def _caption(text: str, parent: QWidget, bold: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if bold:
        font = label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        label.setFont(font)
    return label


class IdentifyView(QWidget):
    """Entry line, status banner, key fields, element table, issues and the raw scan."""

    #: Emitted after a reading is on screen, with the ParsedCode.
    code_shown = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identifyView")
        # Focusable itself, so the window can start with focus off the entry line: a wedge
        # burst then reaches the event filter with its real separators.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.current: ParsedCode | None = None
        self.last_scan: RawScan | None = None

        self.entry = ScanEntry(self)
        self.entry.submitted.connect(self._entry_submitted)
        read_button = QPushButton(self.tr("Read"), self)
        read_button.clicked.connect(self.entry.submit)
        self.banner = StatusBanner(self)
        self.scheme = DataLabel("", self)
        self.symbology = DataLabel("", self)
        self.source = DataLabel("", self)
        self.key_fields = KeyFields(self)
        self.elements = ElementTableModel(self)
        self.table = self._element_table()
        self.issues = IssueList(self)
        self.raw = RawScanView(self)

        entry_row = QHBoxLayout()
        entry_label = _caption(self.tr("&Code:"), self)
        entry_label.setBuddy(self.entry)
        entry_row.addWidget(entry_label)
        entry_row.addWidget(self.entry, 1)
        entry_row.addWidget(read_button)

        about = QGridLayout()
        for column, (caption, value) in enumerate(
            (
                (self.tr("Scheme"), self.scheme),
                (self.tr("Symbology"), self.symbology),
                (self.tr("Source"), self.source),
            )
        ):
            about.addWidget(_caption(caption, self), 0, 2 * column)
            about.addWidget(value, 0, 2 * column + 1)
            about.setColumnStretch(2 * column + 1, 1 if column == 0 else 2)

        content = QWidget(self)
        body = QVBoxLayout(content)
        body.addLayout(entry_row)
        body.addWidget(self.banner)
        body.addLayout(about)
        body.addWidget(self.key_fields)
        body.addWidget(_caption(self.tr("Elements"), content, bold=True))
        body.addWidget(self.table, 1)
        body.addWidget(_caption(self.tr("Errors and warnings"), content, bold=True))
        body.addWidget(self.issues)
        body.addWidget(self.raw)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _element_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("elementTable")
        table.setModel(self.elements)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.verticalHeader().setVisible(False)
        table.setMinimumHeight(table.fontMetrics().lineSpacing() * 7)
        header = table.horizontalHeader()
        header.setMaximumSectionSize(520)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)
        return table

    # -- scans in --------------------------------------------------------------------------

    def handle_scan(self, scan: RawScan) -> None:
        """Read one scan and show it (GUI thread; connect bridges with a queued connection)."""
        self.last_scan = scan
        self.show_code(station.udi.read_scan(scan.reader_input()), scan)

    def _entry_submitted(self, text: str) -> None:
        self.handle_scan(RawScan.now(text.encode("utf-8", "surrogatepass"), ENTRY_SOURCE))

    # -- reading out -------------------------------------------------------------------------

    def show_code(self, code: ParsedCode, scan: RawScan | None = None) -> None:
        self.current = code
        errors, warnings = code.errors, code.warnings
        scheme = tr_scheme(code.scheme)
        summary = self.tr("{scheme} — errors: {errors}, warnings: {warnings}").format(
            scheme=scheme, errors=len(errors), warnings=len(warnings)
        )
        first = (errors or warnings or (None,))[0]
        self.banner.show_status(code.status, summary, tr_issue(first) if first else "")
        self.scheme.setText(scheme)
        symbology = describe(code.symbology)
        self.symbology.setText(
            f"{code.symbology} {symbology}" if code.symbology else self.tr("none sent")
        )
        if scan is not None:
            when = scan.received_at.astimezone().strftime("%H:%M:%S")
            self.source.setText(f"{scan.source}  {when}")
        self.key_fields.show_code(code)
        self.elements.set_code(code)
        self.issues.show_code(code)
        self.raw.show_code(code)
        self.code_shown.emit(code)
