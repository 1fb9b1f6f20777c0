"""Every screen in Chinese (and English) shows its text whole, and every UI text in Chinese.

A demo station window (1280×860, camera and simulator docks hidden) is taken through every
screen by :mod:`tools.station_tour`: signed in as a demo user whose role opens it, after a
realistic scan, once its reads have answered (the Admin screen's four tabs each). At each stop
every visible label, push button, check box, radio button, group-box title, tab and table
header is looked at:

* **clipped**: a single-line text (a word-wrapped label may take more lines: fine) needs
  ``QFontMetrics.horizontalAdvance`` of its widest line plus the widget's own chrome; the
  widget must have that much width *on screen*, i.e. after the scroll area and every other
  ancestor has cut it. A label elided on purpose (``DataLabel``) is fine only with the whole
  text in its tooltip. A table header's section must hold its title; a tab its text.
* **cut columns** (the Trace and Recall tables, whose columns fit their content): a cell too
  long for its column must show its whole text in its tooltip, and no column may be cut below
  :data:`READABLE_CHARS` characters or its widest cell on show, whichever is less. The Trace
  screen is looked at on both tabs (timeline, genealogy).
* **too wide**: the page on show must fit the window (no sideways scrolling at 1280×860).
* **untranslated** (zh_CN): a Latin word that the same widget at the same stop shows in the
  English and in the Chinese window is untranslated (a text identical in both, or a word
  left in English inside a translated text), unless it is data — a value of the demo's
  database (names, codes, lots, users; the same in both languages) — or a code in
  :data:`NOT_WORDS`.

Failures list screen, widget (object name or class path), text, language and widths.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QModelIndex, QPoint  # tests may use Qt; the app goes through ui.qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QToolTip,
)

from station.config import Settings
from tools.station_tour import TourError, settle, tour
from ui.app import StationGui, build_gui
from ui.feedback import RecordingPlayer
from ui.qt import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QEvent,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSize,
    Qt,
    QTableView,
    QTreeView,
    QWidget,
)
from ui.widgets.data_label import DataLabel
from ui.widgets.plain import plain_tooltip

LANGUAGES = ("en", "zh_CN")
WINDOW = (1280, 860)
#: Pixels of slack for rounding between font metrics and layout.
SLACK = 1
#: Latin "words" that are no words: codes and units the Chinese UI keeps as they are.
NOT_WORDS = frozenset(
    {
        # identifiers and standards
        *("GTIN", "SSCC", "UDI", "GS1", "HIBC", "ISBT", "IFA", "PPN", "MA", "DI", "PI"),
        *("EPCIS", "ERP", "PO", "SO", "PDF", "CSV", "PNG", "ZPL", "TCP", "CUPS", "URI", "URL"),
        *("ID", "PIN", "QC", "IQC", "FQC", "UTC", "SHA", "AIM", "USB", "OK"),
        # control characters (ISO/IEC 15434 separators) and a certificate authority
        *("GS", "RS", "EOT", "CA"),
        # names of symbologies (ISO/IEC standard names, printed so on scanners and labels)
        *("DataMatrix", "QR", "Code", "Aztec", "EAN", "UPC", "ITF"),
        # names of software the settings refer to
        *("pyzbar",),
        # units
        *("EA", "mL", "ms", "s", "h", "min", "mm", "dpi", "MB", "KB"),
        # keys as printed on the keyboard
        *("Ctrl", "Alt", "Shift", "Esc", "Enter", "Tab"),
    }
)
#: Master-data text columns: their values are data, shown the same in both languages.
DATA_COLUMNS = {
    "product": ("di", "name_en", "name_zh", "model", "registration_no"),
    "party": ("code", "name", "gln"),
    "supplier": ("code", "name", "gln"),
    "station_user": ("username", "name", "badge"),
    "inspection_plan": ("code", "name"),
    "inspection_checkpoint": ("name", "unit"),
    "location": ("code", "name"),
    "label_template": ("name",),
    "purchase_order": ("number",),
    "sales_order": ("number",),
}
#: Screens whose tables fit their columns to their content (``ui/widgets/data_table.py``).
FITTED_SCREENS = ("traceScreen", "recallScreen")
#: Characters (of the font's average width) a fitted column shows at the least, unless its
#: widest cell on show is shorter.
READABLE_CHARS = 10
NO_TOOLTIP = "(no tooltip)"
_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_.:/@#+-]*")


@dataclass(frozen=True, slots=True)
class Shown:
    """One text on screen at one stop of the tour."""

    stop: str
    path: str
    kind: str
    text: str
    #: Width the text needs and the width it has on screen (pixels); 0, 0: not measured.
    needed: int
    available: int
    problem: str = ""
    #: The widget's own width (more than ``available`` when an ancestor cuts it).
    width: int = 0

    def where(self, language: str) -> str:
        return f"[{language}] {self.stop}: {self.kind} {self.path} {self.text!r}"

    def shortfall(self) -> str:
        if self.problem:
            return self.problem
        cut = (
            f" on screen (it is {self.width} px wide; the rest is cut by the scroll area)"
            if self.width > self.available + SLACK
            else ""
        )
        return f"needs {self.needed} px, has {self.available} px{cut}"


@dataclass
class Stop:
    texts: list[Shown]
    #: (page object name, its minimum width, the width it has, what makes it that wide)
    too_wide: tuple[str, int, int, str] | None
    #: The cells and columns of the fitted tables (:data:`FITTED_SCREENS`) looked at.
    cells: list[Shown] = field(default_factory=list)


# -- walking the window ---------------------------------------------------------------------


def _segment(widget: QWidget) -> str:
    parent = widget.parentWidget()
    name = widget.objectName() or type(widget).__name__
    if parent is None:
        return name
    same = [
        c
        for c in parent.children()
        if isinstance(c, QWidget) and (c.objectName() or type(c).__name__) == name
    ]
    return name if len(same) == 1 else f"{name}[{same.index(widget)}]"


def widget_path(widget: QWidget, window: QWidget) -> str:
    """``goods_inScreen/verdict`` …: named ancestors (the screen first), then the widget."""
    parts = [_segment(widget)]
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if parent.objectName() and parent.objectName() not in ("qt_scrollarea_viewport",):
            parts.append(_segment(parent))
        parent = parent.parentWidget()
    return "/".join(reversed(parts))


def shown_width(widget: QWidget, window: QWidget) -> int:
    """How much of ``widget``'s width is on screen: cut by every ancestor (scroll areas)."""
    left = widget.mapTo(window, QPoint(0, 0)).x()
    right = left + widget.width()
    parent = widget.parentWidget()
    while parent is not None:
        origin = parent.mapTo(window, QPoint(0, 0)).x() if parent is not window else 0
        left, right = max(left, origin), min(right, origin + parent.width())
        if parent is window:
            break
        parent = parent.parentWidget()
    return max(0, right - left)


def display(text: str, *, mnemonic: bool) -> str:
    """The text as drawn: ``&`` mnemonics removed (``&&`` is one ``&``)."""
    if not mnemonic:
        return text
    return re.sub(r"&(&?)", lambda m: m.group(1), text)


def _label(label: QLabel, stop: str, path: str, window: QWidget) -> Shown | None:
    text = label.full_text() if isinstance(label, DataLabel) else label.text()
    if not text.strip() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    if label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and re.search(r"<[A-Za-z/][^>]*>", text)
    ):
        text = re.sub(r"<[^>]+>", "", text)
    text = display(text, mnemonic=label.buddy() is not None)
    cut = label.width() - shown_width(label, window)
    available = label.contentsRect().width() - 2 * label.margin() - max(label.indent(), 0) - cut
    if isinstance(label, DataLabel):
        if label.text() != text and text not in label.toolTip():
            return Shown(stop, path, "label", text, 0, 0, "elided without the text in a tooltip")
        return Shown(stop, path, "label", text, 0, 0)
    if label.wordWrap():
        return Shown(stop, path, "label", text, 0, 0)
    metrics = label.fontMetrics()
    needed = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
    return Shown(stop, path, "label", text, needed, available, width=label.contentsRect().width())


def _button(button: QPushButton, stop: str, path: str, window: QWidget) -> Shown | None:
    text = display(button.text(), mnemonic=True)
    if not text.strip():
        return None
    option = QStyleOptionButton()
    button.initStyleOption(option)
    style, metrics = button.style(), button.fontMetrics()
    probe = 1000  # the style's chrome, without its minimum button width
    chrome = (
        style.sizeFromContents(
            QStyle.ContentsType.CT_PushButton, option, QSize(probe, metrics.height()), button
        ).width()
        - probe
    )
    icon = button.iconSize().width() + 4 if not button.icon().isNull() else 0
    needed = metrics.horizontalAdvance(text) + icon + chrome
    return Shown(
        stop, path, "button", text, needed, shown_width(button, window), width=button.width()
    )


def _check(box: QCheckBox | QRadioButton, stop: str, path: str, window: QWidget) -> Shown | None:
    text = display(box.text(), mnemonic=True)
    if not text.strip():
        return None
    kind = "check box" if isinstance(box, QCheckBox) else "radio button"
    needed, available = box.sizeHint().width(), shown_width(box, window)
    return Shown(stop, path, kind, text, needed, available, width=box.width())


def _group(box: QGroupBox, stop: str, path: str, window: QWidget) -> Shown | None:
    text = display(box.title(), mnemonic=True)
    if not text.strip():
        return None
    needed = box.fontMetrics().horizontalAdvance(text) + 8
    return Shown(
        stop, path, "group title", text, needed, shown_width(box, window), width=box.width()
    )


def _tabs(bar: QTabBar, stop: str, path: str, window: QWidget) -> Iterator[Shown]:
    space = bar.style().pixelMetric(QStyle.PixelMetric.PM_TabBarTabHSpace, None, bar)
    visible = shown_width(bar, window)
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        text = display(bar.tabText(index), mnemonic=True)
        rect = bar.tabRect(index)
        icon = bar.iconSize().width() + 4 if not bar.tabIcon(index).isNull() else 0
        needed = bar.fontMetrics().horizontalAdvance(text) + space + icon
        available = max(0, min(rect.right() + 1, visible) - max(rect.left(), 0))
        yield Shown(stop, f"{path}/tab{index}", "tab", text, needed, available, width=rect.width())


def _headers(view: QAbstractItemView, stop: str, path: str) -> Iterator[Shown]:
    header = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
    if header is None:
        return
    header = header()
    model = view.model()
    if not isinstance(header, QHeaderView) or model is None or not header.isVisible():
        return
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    mark = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    metrics = header.fontMetrics()
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        value = model.headerData(section, Qt.Orientation.Horizontal)
        text = "" if value is None else str(value)
        if not text.strip():
            continue
        needed = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 2 * margin
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == section:
            needed += mark + margin
        size = header.sectionSize(section)
        yield Shown(stop, f"{path}/header{section}", "header", text, needed, size, width=size)


def walk(window: QWidget, stop: str) -> list[Shown]:
    """Every visible text of the kinds above, in the order Qt lists the widgets."""
    found: list[Shown] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        path = widget_path(widget, window)
        item: Shown | None = None
        if isinstance(widget, QLabel):
            item = _label(widget, stop, path, window)
        elif isinstance(widget, QPushButton):
            item = _button(widget, stop, path, window)
        elif isinstance(widget, QCheckBox | QRadioButton):
            item = _check(widget, stop, path, window)
        elif isinstance(widget, QGroupBox):
            item = _group(widget, stop, path, window)
        elif isinstance(widget, QTabBar):
            found.extend(_tabs(widget, stop, path, window))
        elif isinstance(widget, QAbstractItemView):
            found.extend(_headers(widget, stop, path))
        if item is not None:
            found.append(item)
    return found


# -- the fitted tables: every cell whole or in its tooltip, no column cut short -------------


def _rows_on_show(view: QTableView | QTreeView) -> list[QModelIndex]:
    """The first cell of each row inside the view's viewport (a tree's expanded rows)."""
    height = view.viewport().height()
    if isinstance(view, QTreeView):
        rows, index = [], view.indexAt(QPoint(1, 1))
        while index.isValid() and view.visualRect(index).top() < height:
            rows.append(index)
            index = view.indexBelow(index)
        return rows
    model, top = view.model(), view.rowAt(0)
    if top < 0:
        return []
    bottom = view.rowAt(height - 1)
    bottom = model.rowCount() - 1 if bottom < 0 else bottom
    return [model.index(row, 0) for row in range(top, bottom + 1)]


def _tooltip(view: QTableView | QTreeView, index: QModelIndex) -> str:
    """The tooltip a pointer resting on the cell puts up (scrolled into view first); "" for
    none. A tooltip hides only after a delay, so a marker stands in the way of the last one."""
    bars = (view.horizontalScrollBar(), view.verticalScrollBar())
    kept = [bar.value() for bar in bars]
    view.scrollTo(index)
    point = view.visualRect(index).center()
    where = view.viewport().mapToGlobal(point)
    QToolTip.showText(where, NO_TOOLTIP, view.viewport())
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, point, where))
    text = QToolTip.text()
    QToolTip.hideText()
    for bar, value in zip(bars, kept, strict=True):
        bar.setValue(value)
    return "" if text == NO_TOOLTIP else text


def _cells(view: QTableView | QTreeView, stop: str, path: str) -> Iterator[Shown]:
    """Each cell on show (a cut one must have its text whole in its tooltip), then each column
    (it must show :data:`READABLE_CHARS` characters, or its widest cell if that is less)."""
    header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
    style, metrics = view.style(), view.fontMetrics()
    # What the item delegate leaves for text: the cell less its text margin on each side.
    margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
    widest: dict[int, int] = {}
    columns = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    for row in _rows_on_show(view):
        for column in columns:
            index = row.siblingAtColumn(column)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if not isinstance(text, str) or not text.strip():
                continue
            needed = metrics.horizontalAdvance(text) + margin
            widest[column] = max(widest.get(column, 0), needed)
            has = view.visualRect(index).width()
            where = f"{path}/row{index.row()}/column{column}"
            problem = ""
            if needed > has + SLACK:
                tip = _tooltip(view, index)
                if tip != plain_tooltip(text):
                    problem = f"cut to {has} px (needs {needed}); its tooltip is {tip!r}"
            yield Shown(stop, where, "cell", text, needed, has, problem, width=has)
    readable = metrics.averageCharWidth() * READABLE_CHARS
    for column, needed in widest.items():
        least, size = min(needed, readable), header.sectionSize(column)
        problem = (
            f"column {column} is {size} px: its cells need {needed} px, it should keep {least}"
            if size + SLACK < least
            else ""
        )
        yield Shown(stop, f"{path}/column{column}", "column", "", least, size, problem, width=size)


def fitted_cells(window: QWidget, stop: str) -> list[Shown]:
    """The cells and columns of every visible table of the :data:`FITTED_SCREENS`."""
    found: list[Shown] = []
    for view in window.findChildren(QAbstractItemView):
        if not isinstance(view, QTableView | QTreeView) or not view.isVisible():
            continue
        path = widget_path(view, window)
        if view.model() is not None and any(f"{name}/" in path for name in FITTED_SCREENS):
            found.extend(_cells(view, stop, path))
    return found


def _why_wide(page: QWidget, limit: int) -> str:
    """The deepest widgets at least ``limit`` wide at minimum: what makes the page that wide."""
    culprits = []
    for widget in page.findChildren(QWidget):
        if not widget.isVisibleTo(page) or widget.minimumSizeHint().width() < limit:
            continue
        wide_children = [
            c
            for c in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if c.isVisibleTo(page) and c.minimumSizeHint().width() >= limit
        ]
        if not wide_children:
            parts = sorted(
                (
                    (c.minimumSizeHint().width(), c.objectName() or type(c).__name__)
                    for c in widget.findChildren(
                        QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
                    )
                    if c.isVisibleTo(page)
                ),
                reverse=True,
            )[:4]
            inside = ", ".join(f"{name} {width}" for width, name in parts)
            text = widget.text() if isinstance(widget, QLabel | QPushButton) else ""
            culprits.append(
                f"{widget_path(widget, page)} min {widget.minimumSizeHint().width()}"
                + (f" {text[:60]!r}" if text else "")
                + (f" ({inside})" if inside else "")
            )
    if culprits:
        return "; ".join(culprits)
    rows = sorted(
        (
            (c.minimumSizeHint().width(), widget_path(c, page))
            for c in page.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if c.isVisibleTo(page)
        ),
        reverse=True,
    )[:6]
    widest = ", ".join(f"{name} {width}" for width, name in rows)
    return f"no single widget: its layout's rows add up (widest parts: {widest})"


def too_wide(window: QWidget) -> tuple[str, int, int, str] | None:
    """The page on show is wider than the room beside the navigation: why. The page stack is
    as wide as its widest page, shown or not, so one wide page makes every page scroll."""
    scroller = window.findChild(QScrollArea, "pageScroller")
    pages = getattr(window, "pages", None)
    if scroller is None or pages is None:
        return None
    room = scroller.viewport().width()
    needed = pages.minimumSizeHint().width()
    if needed <= room:
        return None
    reasons = []
    for index in range(pages.count()):
        page = pages.widget(index)
        width = page.minimumSizeHint().width()
        if width > room:
            shown = " (on show)" if page is pages.currentWidget() else ""
            reasons.append(f"{page.objectName()}{shown} min {width}: {_why_wide(page, room)}")
    if not reasons:
        reasons.append("no single page: the stack's own layout")
    return (pages.currentWidget().objectName(), needed, room, " | ".join(reasons))


def data_values(gui: StationGui) -> list[str]:
    """Every master-data text of the demo database and the devices' names, longest first
    (removed from a text before its words are checked)."""
    assert gui.workstation is not None
    values: set[str] = set()
    with gui.workstation.store.engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        for table, columns in DATA_COLUMNS.items():
            if table not in tables:
                continue
            known = {c["name"] for c in sa.inspect(conn).get_columns(table)}
            for column in columns:
                if column in known:
                    rows = conn.execute(
                        sa.text(f"SELECT DISTINCT {column} FROM {table}")
                    )  # names from DATA_COLUMNS
                    values.update(str(v) for (v,) in rows if v is not None and len(str(v)) > 1)
    # The station's devices are named in its settings (the demo's camera and scanner: "demo").
    values.update(source.name for source in gui.sources if len(source.name) > 1)
    return sorted(values, key=len, reverse=True)


# -- the tour, once per language --------------------------------------------------------------


def take_tour(qapp: QApplication, language: str) -> tuple[dict[str, Stop], list[str]]:
    gui = build_gui(
        qapp, demo=True, language=language, settings=Settings(), player=RecordingPlayer()
    )
    try:
        gui.window.resize(*WINDOW)
        gui.window.show()
        stops: dict[str, Stop] = {}

        def look(name: str) -> None:
            stops[name] = Stop(
                walk(gui.window, name), too_wide(gui.window), fitted_cells(gui.window, name)
            )

        for name in tour(gui):
            look(name)
            if name == "trace":  # the genealogy tab too
                trace: Any = gui.window.screens["trace"]
                trace.tabs.setCurrentIndex(1)
                settle()
                look("trace:genealogy")
                trace.tabs.setCurrentIndex(0)
                settle()
            if name == "admin":
                admin: Any = gui.window.screens["admin"]
                for index in range(1, admin.tabs.count()):
                    admin.show_tab(index)
                    settle()
                    look(f"admin:{admin.tabs.widget(index).objectName() or index}")
        return stops, data_values(gui)
    finally:
        gui.close()
        qapp.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(scope="module")
def tours(qapp: QApplication) -> dict[str, tuple[dict[str, Stop], list[str]]]:
    try:
        return {language: take_tour(qapp, language) for language in LANGUAGES}
    except TourError as error:
        pytest.fail(f"the tour of the screens did not finish: {error}")


# -- the checks -------------------------------------------------------------------------------


def clipped(stops: dict[str, Stop]) -> list[Shown]:
    return [
        s
        for stop in stops.values()
        for s in stop.texts
        if s.problem or ((s.needed or s.available) and s.needed > s.available + SLACK)
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_is_clipped(
    tours: dict[str, tuple[dict[str, Stop], list[str]]], language: str
) -> None:
    stops, _ = tours[language]
    assert len(stops) >= 13  # sign-in, Identify, 8 screens, 3 more admin tabs
    bad = clipped(stops)
    assert not bad, f"{len(bad)} text(s) clipped at 1280×860:\n" + "\n".join(
        f"  {s.where(language)}: {s.shortfall()}" for s in bad
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_fits_the_window(
    tours: dict[str, tuple[dict[str, Stop], list[str]]], language: str
) -> None:
    stops, _ = tours[language]
    wide: dict[tuple[int, int, str], list[str]] = {}
    for name, stop in stops.items():
        if stop.too_wide is not None:
            _page, needed, room, why = stop.too_wide
            wide.setdefault((needed, room, why), []).append(name)
    message = "\n".join(
        f"  [{language}] at {', '.join(names)}: the page stack needs {needed} px, has {room} px"
        f" — {why.replace(' | ', chr(10) + '      ')}"
        for (needed, room, why), names in wide.items()
    )
    assert not wide, f"pages wider than the window at 1280×860 (they scroll sideways):\n{message}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_trace_and_recall_tables_cut_no_column_and_no_value_out_of_reach(
    tours: dict[str, tuple[dict[str, Stop], list[str]]], language: str
) -> None:
    stops, _ = tours[language]
    looked = {name for name, stop in stops.items() if stop.cells}
    assert {"trace", "trace:genealogy", "recall"} <= looked, looked
    cells = [shown for stop in stops.values() for shown in stop.cells]
    assert sum(shown.kind == "cell" for shown in cells) > 50
    bad = [shown for shown in cells if shown.problem]
    assert not bad, f"{len(bad)} cut column(s) or value(s) at 1280×860:\n" + "\n".join(
        f"  {shown.where(language)}: {shown.problem}" for shown in bad
    )


def latin_words(text: str, data: list[str]) -> list[str]:
    """The Latin words of ``text`` once data values, codes and :data:`NOT_WORDS` are out."""
    text = re.sub(r"⟨[^⟩]*⟩", " ", text)  # markers for invisible characters: ⟨LF⟩, ⟨GS⟩
    text = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*", " ", text)  # command-line options
    for value in data:
        if value in text:
            text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", " ", text)
    words: list[str] = []
    for token in _LATIN_TOKEN.findall(text):
        core = token.rstrip(".:")
        if any(ch.isdigit() for ch in core) or any(ch in core for ch in "_/@#:"):
            continue  # a code: lot, serial, URI, version, actor id
        words.extend(word for word in core.split("-") if len(word) > 1 and word not in NOT_WORDS)
    return words


def untranslated(
    english: dict[str, Stop], chinese: dict[str, Stop], data: list[str]
) -> list[tuple[Shown, list[str]]]:
    """Texts of the Chinese window with Latin words that the same widget's English text has
    too: the whole text when it is identical in both, else the words left in English inside
    a translated text (a role name in a translated sentence)."""
    found = []
    for name, stop in chinese.items():
        if name not in english:
            continue
        en_texts = {(s.path, s.kind): s.text for s in english[name].texts}
        for shown in stop.texts:
            en_text = en_texts.get((shown.path, shown.kind))
            if en_text is None:
                continue
            same = set(latin_words(en_text, data))
            words = [word for word in latin_words(shown.text, data) if word in same]
            if words:
                found.append((shown, words))
    return found


def test_nothing_is_left_untranslated_in_chinese(
    tours: dict[str, tuple[dict[str, Stop], list[str]]],
) -> None:
    english, _ = tours["en"]
    chinese, data = tours["zh_CN"]
    assert set(english) == set(chinese)
    compared = sum(1 for stop in chinese.values() for _ in stop.texts)
    assert compared > 200
    bad = untranslated(english, chinese, data)
    assert not bad, f"{len(bad)} text(s) in English in the Chinese window:\n" + "\n".join(
        f"  {shown.where('zh_CN')} — words {words}" for shown, words in bad
    )
