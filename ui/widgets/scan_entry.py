"""The line where a person types or pastes a code and presses Enter.

Separators have no key and draw nothing, so the line shows them as ``⟨GS⟩ ⟨RS⟩ ⟨EOT⟩``: the
Ctrl chords a wedge scanner types insert the marker, a pasted GS turns into one, and
:meth:`ScanEntry.scan_text` turns the markers back into real separators.
"""

from __future__ import annotations

from ui.display import mark_separators, marker, unmark_separators
from ui.qt import QKeyEvent, QLineEdit, QWidget, Signal
from ui.wedge import separator_for_chord


class ScanEntry(QLineEdit):
    """Emits ``submitted(text)`` with real separators when Enter is pressed on a non-empty line."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("Scan or type a code here, then press Enter"))
        self.setClearButtonEnabled(True)
        self.returnPressed.connect(self.submit)
        self.textEdited.connect(self._show_pasted_separators)

    def scan_text(self) -> str:
        return unmark_separators(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        separator = separator_for_chord(event.key(), event.modifiers(), event.text())
        if separator is None:
            super().keyPressEvent(event)
            return
        self.insert(marker(separator))
        event.accept()

    def _show_pasted_separators(self, text: str) -> None:
        shown = mark_separators(text)
        if shown != text:
            cursor = len(mark_separators(text[: self.cursorPosition()]))
            self.setText(shown)
            self.setCursorPosition(cursor)

    def submit(self) -> None:
        """Emit the line as a scan (real separators) and clear it; an empty line is ignored."""
        text = self.scan_text()
        if text:
            self.submitted.emit(text)
            self.clear()
