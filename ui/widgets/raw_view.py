"""The raw scan, shown safely: every character visible, error positions highlighted, plus hex.

Highlighting uses the editor's extra selections (character formats). Scan text is only ever
passed to ``setPlainText``; no HTML is built from it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ui.display import hex_bytes, show
from ui.fonts import monospace_font
from ui.qt import (
    QColor,
    QFont,
    QLabel,
    QPlainTextEdit,
    Qt,
    QTextCharFormat,
    QTextCursor,
    QTextEdit,
    QTextOption,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from station.udi.model import ParsedCode


class Mark(enum.Enum):
    """What a highlighted span is; each has its own look (and the issue list says why)."""

    SYMBOLOGY = "symbology"
    MARKER = "marker"
    WARNING = "warning"
    ERROR = "error"


_LOOK: dict[Mark, tuple[str, str, bool]] = {  # background, foreground, bold
    Mark.SYMBOLOGY: ("#E3E7EA", "#37474F", False),
    Mark.MARKER: ("#DCE8F7", "#0B3D91", True),
    Mark.WARNING: ("#F2A900", "#000000", True),
    Mark.ERROR: ("#B3261E", "#FFFFFF", True),
}


@dataclass(frozen=True, slots=True)
class Highlight:
    start: int
    end: int
    mark: Mark


def scan_display(code: ParsedCode) -> tuple[str, list[Highlight]]:
    """The displayable scan (AIM identifier + data) and the spans to highlight.

    Issue positions index ``code.text``; the AIM identifier shown in front shifts them.
    A refused scan with no text (too long, empty) shows its bytes decoded as far as they go.
    """
    prefix = code.symbology or ""
    source = prefix + code.text if code.text else code.raw.decode("utf-8", "replace")
    shown = show(source)
    spans: list[Highlight] = []
    if code.text and prefix:
        spans.append(Highlight(*shown.span(0, len(prefix)), Mark.SYMBOLOGY))
    spans += [Highlight(start, end, Mark.MARKER) for start, end in shown.markers]
    offset = len(prefix) if code.text else 0
    last = max(len(source) - 1, 0)
    for issue in sorted(code.issues, key=lambda i: i.is_error):  # errors painted last, on top
        if issue.position is not None:
            mark = Mark.ERROR if issue.is_error else Mark.WARNING
            # A position just past the end ("something is missing here") marks the last char.
            spans.append(Highlight(*shown.span(min(offset + issue.position, last)), mark))
    return shown.text, spans


def _selection(editor: QPlainTextEdit, span: Highlight) -> QTextEdit.ExtraSelection:
    background, foreground, bold = _LOOK[span.mark]
    char_format = QTextCharFormat()
    char_format.setBackground(QColor(background))
    char_format.setForeground(QColor(foreground))
    if bold:
        char_format.setFontWeight(QFont.Weight.Bold)
    cursor = QTextCursor(editor.document())
    cursor.setPosition(span.start)
    cursor.setPosition(span.end, QTextCursor.MoveMode.KeepAnchor)
    selection = QTextEdit.ExtraSelection()
    selection.cursor = cursor
    selection.format = char_format
    return selection


def _read_only_editor(parent: QWidget, lines: int, wrap: QTextOption.WrapMode) -> QPlainTextEdit:
    editor = QPlainTextEdit(parent)
    editor.setReadOnly(True)
    editor.setTabChangesFocus(True)
    editor.setWordWrapMode(wrap)
    editor.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    editor.setFont(monospace_font(parent.font()))
    margins = editor.contentsMargins()
    height = editor.fontMetrics().lineSpacing() * lines + 2 * editor.document().documentMargin()
    editor.setFixedHeight(int(height) + margins.top() + margins.bottom() + 4)
    return editor


class RawScanView(QWidget):
    """Caption, the scan with markers and highlights, and its bytes in hex."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Scan text has no word boundaries worth keeping; hex pairs must not be split.
        self.text_view = _read_only_editor(self, 3, QTextOption.WrapMode.WrapAnywhere)
        self.text_view.setObjectName("rawText")
        self.hex_view = _read_only_editor(self, 2, QTextOption.WrapMode.WordWrap)
        self.hex_view.setObjectName("rawHex")
        text_caption = QLabel(self.tr("Scan as received (⟨GS⟩ ⟨RS⟩ ⟨EOT⟩ mark separators)"), self)
        hex_caption = QLabel(self.tr("Bytes (hex)"), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for caption, view in ((text_caption, self.text_view), (hex_caption, self.hex_view)):
            caption.setTextFormat(Qt.TextFormat.PlainText)
            caption.setBuddy(view)
            layout.addWidget(caption)
            layout.addWidget(view)
        self.highlights: list[Highlight] = []

    def show_code(self, code: ParsedCode | None) -> None:
        text, self.highlights = scan_display(code) if code is not None else ("", [])
        self.text_view.setPlainText(text)
        self.text_view.setExtraSelections([_selection(self.text_view, h) for h in self.highlights])
        self.hex_view.setPlainText(hex_bytes(code.raw) if code is not None else "")

    def highlighted(self, mark: Mark) -> list[str]:
        """The displayed text of every span highlighted as ``mark`` (for checks and tests)."""
        text = self.text_view.toPlainText()
        return [text[h.start : h.end] for h in self.highlights if h.mark is mark]
