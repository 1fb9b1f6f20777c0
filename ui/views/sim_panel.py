"""The simulated-scanner panel (demo mode): send any demo scan, or compose one, through the twin.

Every scan goes through :class:`SimulatedScanner` and its bridge, the same path a hardware
scanner's reads take, so the demo exercises the real threading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drivers.simulated.script import NAMED_BYTES, ScriptError, decode_line
from ui.display import SEPARATOR_MARKERS, visible
from ui.qt import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.widgets.data_label import DataLabel

if TYPE_CHECKING:
    from drivers.simulated.scanner import SimulatedScanner

#: Separator marker → the script escape that stands for the same byte.
_MARKER_ESCAPES = {
    mark: token
    for mark, char in SEPARATOR_MARKERS.items()
    for token, byte in NAMED_BYTES.items()
    if byte == char.encode()
}


def composed_bytes(text: str) -> bytes:
    """The bytes a composed line stands for: markers and script escapes (``\\xNN``) decoded.

    >>> composed_bytes("10A⟨GS⟩21\\\\x42")
    b'10A\\x1d21B'
    """
    for mark, token in _MARKER_ESCAPES.items():
        text = text.replace(mark, token)
    return decode_line(text)


class SimulatedScannerPanel(QWidget):
    """The script's scans with a Send button each, a Play-all button, and a compose line."""

    def __init__(self, scanner: SimulatedScanner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("simulatedScannerPanel")
        self._scanner = scanner
        self.send_buttons: list[QPushButton] = []

        play = QPushButton(self.tr("Play the whole script"), self)
        play.clicked.connect(self.play_script)

        self.compose = QLineEdit(self)
        self.compose.setObjectName("composeLine")
        self.compose.setPlaceholderText(self.tr("Compose a scan; \\xNN for any byte"))
        self.compose.returnPressed.connect(self.send_composed)
        separators = QHBoxLayout()
        for mark in SEPARATOR_MARKERS:
            button = QPushButton(mark, self)
            button.setAccessibleName(self.tr("Insert separator {name}").format(name=mark))
            button.clicked.connect(lambda _checked=False, m=mark: self._insert(m))
            separators.addWidget(button)
        send = QPushButton(self.tr("Send"), self)
        send.clicked.connect(self.send_composed)
        separators.addStretch(1)
        separators.addWidget(send)
        self.compose_error = QLabel(self)
        self.compose_error.setTextFormat(Qt.TextFormat.PlainText)
        self.compose_error.setWordWrap(True)
        self.compose_error.setStyleSheet("color: #B3261E;")
        self.compose_error.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self._caption(self.tr("Demo scans")))
        layout.addWidget(self._script_list(), 1)
        layout.addWidget(play)
        layout.addWidget(self._caption(self.tr("Compose a scan")))
        layout.addWidget(self.compose)
        layout.addLayout(separators)
        layout.addWidget(self.compose_error)

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    def _script_list(self) -> QScrollArea:
        rows = QWidget(self)
        grid = QGridLayout(rows)
        grid.setColumnStretch(1, 1)
        for index, step in enumerate(self._scanner.script):
            text = step.raw.decode("utf-8", "replace")
            button = QPushButton(self.tr("Send {number}").format(number=index + 1), rows)
            button.setAccessibleDescription(visible(text))
            button.clicked.connect(lambda _checked=False, raw=step.raw: self._scanner.send(raw))
            label = DataLabel(text, rows, elide=Qt.TextElideMode.ElideMiddle)
            grid.addWidget(button, index, 0)
            grid.addWidget(label, index, 1)
            self.send_buttons.append(button)
        grid.setRowStretch(len(self.send_buttons), 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(rows)
        return scroll

    def play_script(self) -> None:
        """Replay the whole demo script through the scanner, with its delays."""
        self._scanner.play()

    def _insert(self, mark: str) -> None:
        self.compose.insert(mark)
        self.compose.setFocus()

    def send_composed(self) -> None:
        try:
            raw = composed_bytes(self.compose.text())
        except ScriptError as exc:
            self.compose_error.setText(self.tr("Cannot send: {reason}").format(reason=str(exc)))
            self.compose_error.show()
            return
        self.compose_error.hide()
        if raw:
            self._scanner.send(raw)
