"""Errors and warnings of a reading, each with a worded severity and its translated message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.i18n import tr_issue
from ui.qt import QFrame, QHBoxLayout, QLabel, Qt, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from station.udi.model import Issue, ParsedCode

_TAG_LOOK = {  # background, foreground
    True: ("#B3261E", "#FFFFFF"),
    False: ("#F2A900", "#000000"),
}


class IssueList(QWidget):
    """One row per issue, errors first: ``[✖ Error] message`` / ``[⚠ Warning] message``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._rows: list[QWidget] = []
        self.messages: list[str] = []
        self.empty = QLabel(self.tr("No errors or warnings."), self)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self._layout.addWidget(self.empty)

    def show_code(self, code: ParsedCode | None) -> None:
        for row in self._rows:
            self._layout.removeWidget(row)
            row.deleteLater()
        self._rows = []
        issues = sorted(code.issues, key=lambda i: not i.is_error) if code is not None else []
        self.messages = [tr_issue(issue) for issue in issues]
        for issue, message in zip(issues, self.messages, strict=True):
            row = self._row(issue, message)
            self._rows.append(row)
            self._layout.addWidget(row)
        self.empty.setVisible(code is not None and not issues)

    def _row(self, issue: Issue, message: str) -> QWidget:
        row = QFrame(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 2, 0, 2)
        word = "✖ " + self.tr("Error") if issue.is_error else "⚠ " + self.tr("Warning")
        tag = QLabel(word, row)
        background, foreground = _TAG_LOOK[issue.is_error]
        tag.setStyleSheet(
            f"background: {background}; color: {foreground}; padding: 2px 8px; font-weight: bold;"
        )
        text = QLabel(message, row)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (tag, text):
            label.setTextFormat(Qt.TextFormat.PlainText)
        tag.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(tag, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(text, 1)
        return row
