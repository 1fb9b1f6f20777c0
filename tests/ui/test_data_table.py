"""Tables whose columns fit their content (ui/widgets/data_table.py)."""

from __future__ import annotations

from PySide6.QtCore import QPoint  # tests may use Qt directly; the app goes through ui.qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip
from pytestqt.qtbot import QtBot

from ui.qt import QApplication, QEvent, QStandardItem, QStandardItemModel, QTableView, QWidget
from ui.widgets.data_table import WHOLE_CHARS, cut_text, fit_columns, read_only_table

LONG = "https://id.gs1.org/01/06901234000115/21/" + "7" * 60
TITLES = ["Serial number", "Lot", "Product", "Identifier"]
ROW = ["SN-0001", "L1", "Single-use infusion set <b>", LONG]


#: The windows of the tables made, kept from Python's garbage collector for the test's length.
_windows: list[QWidget] = []


def table(qtbot: QtBot, width: int, *, whole: tuple[int, ...] = ()) -> QTableView:
    parent = QWidget()
    qtbot.addWidget(parent)
    _windows.append(parent)
    view = read_only_table(parent, "t")
    model = QStandardItemModel(view)
    model.setHorizontalHeaderLabels(TITLES)
    for _ in range(3):
        model.appendRow([QStandardItem(text) for text in ROW])
    view.setModel(model)
    view.resize(width, 200)
    parent.show()
    fit_columns(view, whole=whole)
    return view


def sections(view: QTableView) -> list[int]:
    header = view.horizontalHeader()
    return [header.sectionSize(c) for c in range(header.count())]


def test_columns_fit_the_room_short_ones_whole_the_last_takes_the_rest(qtbot: QtBot) -> None:
    view = table(qtbot, 700)
    widths, room = sections(view), view.viewport().width()
    assert sum(widths) == room
    assert widths[0] >= view.sizeHintForColumn(0)
    assert widths[1] >= view.horizontalHeader().sectionSizeHint(1)
    assert cut_text(view, view.model().index(0, 0)) == ""
    assert cut_text(view, view.model().index(0, 3)) == LONG
    assert view.horizontalScrollBar().maximum() == 0


def test_a_narrow_table_scrolls_sideways_and_cuts_no_title(qtbot: QtBot) -> None:
    view = table(qtbot, 160)
    header = view.horizontalHeader()
    for column, width in enumerate(sections(view)):
        assert width >= header.sectionSizeHint(column), TITLES[column]
    assert sum(sections(view)) > view.viewport().width()
    qtbot.waitUntil(lambda: view.horizontalScrollBar().maximum() > 0)


def test_a_whole_column_is_cut_last(qtbot: QtBot) -> None:
    cut = table(qtbot, 500)
    kept = table(qtbot, 500, whole=(3,))
    assert sections(kept)[3] > sections(cut)[3]
    assert sections(kept)[3] >= kept.fontMetrics().averageCharWidth() * WHOLE_CHARS


def test_a_cut_cell_shows_its_whole_text_in_its_tooltip_as_plain_text(qtbot: QtBot) -> None:
    view = table(qtbot, 420)
    product = view.model().index(0, 2)
    assert cut_text(view, product) == ROW[2]

    def tooltip(column: int) -> str:
        point = view.visualRect(view.model().index(0, column)).center()
        where = view.viewport().mapToGlobal(point)
        # A tooltip hides after a delay: a marker shows whether the cell put up its own.
        QToolTip.showText(where, "(none)", view.viewport())
        QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, point, where))
        return QToolTip.text()

    assert tooltip(2) == "<qt>Single-use infusion set &lt;b&gt;</qt>"  # markup shown, not run
    assert tooltip(0) == "(none)"  # a whole value needs no tooltip
    QToolTip.hideText()
    assert view.indexAt(QPoint(1, 1)).isValid()
