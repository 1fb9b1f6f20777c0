"""Library diagnostics: a status-bar indicator and a dialog listing each optional library.

The probe (``drivers.probe``) says what is installed; this view says what it means for the
operator, in particular that a missing zbar/pyzbar costs nothing: zxing-cpp reads every code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from drivers.probe import LibraryStatus
from ui.display import visible
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

if TYPE_CHECKING:
    from ui.views.scanner_test import ScannerTestPanel

ZBAR_DISTRIBUTION = "pyzbar"


def missing(statuses: Sequence[LibraryStatus], required: bool) -> list[LibraryStatus]:
    return [s for s in statuses if not s.available and s.required is required]


def _plain(text: str, parent: QWidget, wrap: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


class DiagnosticsDialog(QDialog):
    """One row per library: name, version, what it is for, and its state in words.

    Its "Scanner test" button opens :class:`ScannerTestPanel`; ``scanner_test_opened`` carries
    the panel so the window can connect its scan sources to ``panel.scan_received``.
    """

    scanner_test_opened = Signal(object)

    def __init__(self, statuses: Sequence[LibraryStatus], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Diagnostics"))
        self.lines: list[str] = []
        grid = QGridLayout()
        headers = (self.tr("Library"), self.tr("Version"), self.tr("Used for"), self.tr("State"))
        for column, header in enumerate(headers):
            label = _plain(header, self)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            grid.addWidget(label, 0, column)
        for row, status in enumerate(statuses, start=1):
            state = self._state(status)
            self.lines.append(f"{status.name}: {state}")
            cells = (status.name, status.version or "—", status.purpose, state)
            for column, text in enumerate(cells):
                grid.addWidget(_plain(visible(text), self, wrap=column >= 2), row, column)
        grid.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        for status in missing(statuses, required=False):
            if status.name == ZBAR_DISTRIBUTION:
                note = self.tr(
                    "zbar (pyzbar) is not available. The station works without it: "
                    "zxing-cpp, the main decoder, reads every code. pyzbar is only a second "
                    "opinion for 1D and QR codes."
                )
                self.lines.append(note)
                layout.addWidget(_plain(note, self, wrap=True))
        for status in [s for s in statuses if not s.available]:
            layout.addWidget(_plain(visible(f"{status.name}: {status.detail}"), self, wrap=True))
        self.scanner_test_button = QPushButton(self.tr("Scanner test …"), self)
        self.scanner_test_button.setToolTip(
            self.tr("Scan the printed test sheet to find scanner setup problems")
        )
        self.scanner_test_button.clicked.connect(self.open_scanner_test)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.scanner_test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, self.sizeHint().height())

    def open_scanner_test(self) -> ScannerTestPanel:
        # Imported on use: the scanner diagnosis is not needed to start the station.
        from ui.views.scanner_test import ScannerTestPanel  # noqa: PLC0415

        panel = ScannerTestPanel(self)
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        panel.open()
        self.scanner_test_opened.emit(panel)
        return panel

    def _state(self, status: LibraryStatus) -> str:
        if status.available:
            return self.tr("OK")
        if status.required:
            return self.tr("MISSING — required")
        return self.tr("not available — optional, the station works without it")


class DiagnosticsIndicator(QPushButton):
    """Status-bar button: a one-line summary that opens the dialog."""

    def __init__(self, statuses: Sequence[LibraryStatus], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._statuses = list(statuses)
        self.setFlat(True)
        required = len(missing(self._statuses, required=True))
        optional = len(missing(self._statuses, required=False))
        if required:
            text = self.tr("✖ Libraries: {count} required missing").format(count=required)
        elif optional:
            text = self.tr("● Libraries: OK ({count} optional not available)").format(
                count=optional
            )
        else:
            text = self.tr("✔ Libraries: OK")
        self.setText(text)
        self.setToolTip(self.tr("Show diagnostics"))
        self.clicked.connect(self.open_dialog)

    def open_dialog(self) -> DiagnosticsDialog:
        dialog = DiagnosticsDialog(self._statuses, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
