"""The big status banner: the one thing an operator reads from a step away.

Colour is never the only signal: each state has its own symbol and word, so the banner reads
the same to a colour-blind operator and on a washed-out screen.
"""

from __future__ import annotations

from station.udi.model import Status
from ui.qt import QFrame, QLabel, Qt, QVBoxLayout, QWidget

#: (symbol, background, text colour) per state; colours meet WCAG AA contrast with their text.
_LOOK: dict[Status | None, tuple[str, str, str]] = {
    None: ("●", "#455A64", "#FFFFFF"),
    Status.VALID: ("✔", "#1B6E34", "#FFFFFF"),
    Status.CHECK_FAILED: ("⚠", "#F2A900", "#000000"),
    Status.UNPARSEABLE: ("✖", "#B3261E", "#FFFFFF"),
}


class StatusBanner(QFrame):
    """Headline (symbol + word), a summary line and the first problem, on a state colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBanner")
        self.headline = QLabel(self)
        self.summary = QLabel(self)
        self.problem = QLabel(self)
        for label in (self.headline, self.summary, self.problem):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        headline_font = self.headline.font()
        headline_font.setPointSizeF(headline_font.pointSizeF() * 2.2)
        headline_font.setBold(True)
        self.headline.setFont(headline_font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 12)
        layout.addWidget(self.headline)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem)
        self.status: Status | None = None
        self.show_ready()

    def show_ready(self) -> None:
        self._paint(None, self.tr("READY — scan a code"), "", "")

    def show_status(self, status: Status, summary: str, problem: str) -> None:
        """``summary`` and ``problem`` are already translated and displayable."""
        words = {
            Status.VALID: self.tr("VALID"),
            Status.CHECK_FAILED: self.tr("CHECK FAILED"),
            Status.UNPARSEABLE: self.tr("NOT READABLE"),
        }
        self._paint(status, words[status], summary, problem)

    def _paint(self, status: Status | None, word: str, summary: str, problem: str) -> None:
        symbol, background, foreground = _LOOK[status]
        self.status = status
        self.headline.setText(f"{symbol}  {word}")
        self.summary.setText(summary)
        self.summary.setVisible(bool(summary))
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        # Fixed, app-defined style: nothing from a scan is ever part of a style sheet.
        self.setStyleSheet(
            f"#statusBanner {{ background: {background}; border-radius: 6px; }}"
            f"#statusBanner QLabel {{ color: {foreground}; background: transparent; }}"
        )
        self.setAccessibleName(self.headline.text())
