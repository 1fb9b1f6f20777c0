"""A label for scan data: plain text only, invisible characters shown, long values elided.

A scanned value is untrusted: ``<b>`` must show as ``<b>``, a bidi override as ``⟨U+202E⟩``,
and a 4,000-character lot must not widen the window. The label keeps the full value
(:meth:`full_text`) and shows as much as fits, ending in ``…``.
"""

from __future__ import annotations

from ui.display import visible
from ui.qt import QEvent, QLabel, QResizeEvent, QSize, QSizePolicy, Qt, QWidget

#: Widest a label asks to be, in pixels: a long value must not dictate the layout.
_MAX_PREFERRED_WIDTH = 640


class DataLabel(QLabel):
    """One line of untrusted text, elided to the space the layout gives it."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._elide = elide
        self._full = ""
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        """Show ``text`` (untrusted, *not* yet made visible: that is done here, once)."""
        self._full = visible(text)
        self._refit()

    def full_text(self) -> str:
        """The whole displayable value, before eliding."""
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        width = self.fontMetrics().horizontalAdvance(self._full) + 2 * self.margin() + 4
        return QSize(min(width, _MAX_PREFERRED_WIDTH), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self.fontMetrics().horizontalAdvance("…") * 3, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._refit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._refit()

    def _refit(self) -> None:
        width = max(self.contentsRect().width(), 1)
        shown = self.fontMetrics().elidedText(self._full, self._elide, width)
        if shown != super().text():
            super().setText(shown)
