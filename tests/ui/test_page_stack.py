"""The window's page stack takes the room of the page on show, not of the tallest page ever
opened: a short screen shown after a tall one does not scroll (its bottom buttons stay in view)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.qt import QLabel, QScrollArea, QVBoxLayout, QWidget
from ui.widgets.page_stack import PageStack


def _page(lines: int, *, wrapped: bool) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    for number in range(lines):
        label = QLabel(f"line {number} " * (20 if wrapped else 1))
        label.setWordWrap(wrapped)  # word-wrapped text makes a page height-for-width
        layout.addWidget(label)
    return page


def test_a_short_page_after_a_tall_one_does_not_scroll(qtbot: QtBot) -> None:
    area = QScrollArea()
    qtbot.addWidget(area)
    stack = PageStack()
    area.setWidget(stack)
    area.setWidgetResizable(True)
    tall, short = _page(120, wrapped=True), _page(3, wrapped=False)
    stack.addWidget(tall)
    stack.addWidget(short)
    area.resize(400, 300)
    area.show()
    stack.setCurrentWidget(tall)
    qtbot.waitUntil(lambda: area.verticalScrollBar().isVisible())  # the tall page scrolls
    stack.setCurrentWidget(short)
    qtbot.waitUntil(lambda: not area.verticalScrollBar().isVisible())
    assert stack.height() == area.viewport().height()
    stack.setCurrentWidget(tall)  # and back: the tall page scrolls again, its policy restored
    qtbot.waitUntil(lambda: area.verticalScrollBar().isVisible())
    assert short.sizePolicy().verticalPolicy().name == "Ignored"
