"""The outcome banner of the work screens: what just happened, readable from a step away.

Like the Identify screen's banner, colour is never the only signal: each outcome has its own
symbol and word. Text from scans is shown as plain text (SEC-8).
"""

from __future__ import annotations

from ui.feedback import Outcome
from ui.qt import QFrame, QLabel, Qt, QVBoxLayout, QWidget

#: (symbol, background, text colour); WCAG AA contrast with their text.
_LOOK: dict[Outcome | None, tuple[str, str, str]] = {
    None: ("●", "#455A64", "#FFFFFF"),
    Outcome.ACCEPTED: ("✔", "#1B6E34", "#FFFFFF"),
    Outcome.WARNING: ("⚠", "#F2A900", "#000000"),
    Outcome.REFUSED: ("✖", "#B3261E", "#FFFFFF"),
}


class OutcomeBanner(QFrame):
    """Headline (symbol + word) and a detail line on the outcome's colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomeBanner")
        self.headline = QLabel(self)
        self.detail = QLabel(self)
        for label in (self.headline, self.detail):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setOpenExternalLinks(False)
        # Both wrap: a long headline takes a second line rather than making the screen (and
        # with it every page of the window) wider than the window.
        self.headline.setWordWrap(True)
        self.detail.setWordWrap(True)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.headline.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 12)
        layout.addWidget(self.headline)
        layout.addWidget(self.detail)
        self.outcome: Outcome | None = None
        self.show_prompt(self.tr("READY — scan"))

    def show_prompt(self, text: str) -> None:
        """The neutral state: what to scan next."""
        self._paint(None, text, "")

    def show_outcome(self, outcome: Outcome, headline: str, detail: str = "") -> None:
        """``headline`` and ``detail`` are already translated; scan text inside is plain."""
        self._paint(outcome, headline, detail)

    def _paint(self, outcome: Outcome | None, headline: str, detail: str) -> None:
        symbol, background, foreground = _LOOK[outcome]
        self.outcome = outcome
        self.headline.setText(f"{symbol}  {headline}")
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        # Fixed, app-defined style: nothing from a scan is ever part of a style sheet.
        self.setStyleSheet(
            f"#outcomeBanner {{ background: {background}; border-radius: 6px; }}"
            f"#outcomeBanner QLabel {{ color: {foreground}; background: transparent; }}"
        )
        self.setAccessibleName(self.headline.text())
