"""Read-only tables of untrusted text whose columns fit: sized to their content, within the room.

Each column wants its title or its widest cell (of the rows Qt samples: a 100,000-row recall
is not measured whole), whichever is wider, and needs at least its title and a few readable
characters (more for a column kept whole). When the wants do not fit the view, the widest
columns are cut to a common cap so that the short ones stay whole; when even the needs do not
fit, the table scrolls sideways: a title is never cut. One column (the last unless said) takes
the room left over. A cut value ends in ``…`` and its tooltip shows it whole, as plain text
(SEC-8). The columns are fitted again whenever the model is reset or the view changes width.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from ui.qt import (
    QAbstractItemView,
    QEvent,
    QHeaderView,
    QHelpEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTableView,
    QTimer,
    QToolTip,
    QTreeView,
    QWidget,
)
from ui.widgets.plain import plain_tooltip

__all__ = ["ColumnFit", "ElidedTips", "cut_text", "fit_columns", "read_only_table", "share_widths"]

#: Characters (of the font's average width) a column keeps when its cells are cut.
READABLE_CHARS = 12
#: ... and a column kept whole (a time, a serial): longer values are cut all the same.
WHOLE_CHARS = 40


def read_only_table(parent: QWidget, name: str) -> QTableView:
    """Rows selected whole, no editing, Tab leaves the table, values on one line, no row
    numbers."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    table.verticalHeader().setVisible(False)
    return table


def share_widths(wanted: Sequence[int], needed: Sequence[int], room: int) -> list[int]:
    """Column widths within ``room``: each column's ``wanted`` width when they all fit, else
    the widest cut to one common cap, never below ``needed`` (then they overflow the room).

    >>> share_widths([50, 300, 80], [40, 60, 60], 500)
    [50, 300, 80]
    >>> share_widths([50, 300, 200], [40, 60, 60], 400)
    [50, 175, 175]
    >>> share_widths([50, 300, 200], [40, 180, 180], 300)
    [40, 180, 180]
    """
    if sum(wanted) <= room:
        return list(wanted)
    if sum(needed) >= room:
        return list(needed)

    def total(cap: int) -> int:
        return sum(max(need, min(want, cap)) for want, need in zip(wanted, needed, strict=True))

    low, high = 0, max(wanted)
    while low < high:  # the largest cap whose widths fit the room
        middle = (low + high + 1) // 2
        if total(middle) <= room:
            low = middle
        else:
            high = middle - 1
    return [max(need, min(want, low)) for want, need in zip(wanted, needed, strict=True)]


def cut_text(view: QAbstractItemView, index: QModelIndex | QPersistentModelIndex) -> str:
    """The cell's whole text when its column is too narrow for it (it is drawn cut), else ""."""
    text = index.data(Qt.ItemDataRole.DisplayRole)
    if not isinstance(text, str) or not text:
        return ""
    cell = index.sibling(index.row(), index.column())  # a QModelIndex, even from a persistent
    room = view.visualRect(cell).width()
    return text if view.sizeHintForIndex(cell).width() > room else ""


class ElidedTips(QStyledItemDelegate):
    """Draws cells as the default delegate does; a cut cell's tooltip is its whole text,
    shown as plain text; a whole cell has no tooltip."""

    def helpEvent(  # noqa: N802 - Qt's name
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if event.type() != QEvent.Type.ToolTip:
            return super().helpEvent(event, view, option, index)
        whole = cut_text(view, index)
        if whole:
            QToolTip.showText(event.globalPos(), plain_tooltip(whole), view)
        else:
            QToolTip.hideText()
        return True


class ColumnFit(QObject):
    """Keeps ``view``'s columns fitted (see the module); :meth:`fit` fits them now.

    ``whole``: columns cut last — only values longer than :data:`WHOLE_CHARS` (a time, what
    happened, a serial: what a person reads first). ``stretch``: the column that takes the
    room left over (the last one unless said).
    """

    def __init__(
        self,
        view: QTableView | QTreeView,
        *,
        whole: Collection[int] = (),
        stretch: int = -1,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.whole = frozenset(whole)
        self.stretch = stretch
        header = self.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)  # the leftover room is given here, never a cut
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setItemDelegate(ElidedTips(view))
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.fit)
        view.viewport().installEventFilter(self)
        model = view.model()
        if model is not None:
            model.modelReset.connect(self._pending.start)
            model.layoutChanged.connect(self._pending.start)

    def header(self) -> QHeaderView:
        view = self.view
        return view.horizontalHeader() if isinstance(view, QTableView) else view.header()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self._pending.start()  # a scroll bar came or went, or the window changed
        return super().eventFilter(watched, event)

    def fit(self) -> None:
        """Size every column to its content within the view's width (see the module)."""
        view, header = self.view, self.header()
        columns = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        if not columns:
            return
        char = view.fontMetrics().averageCharWidth()
        titles = [header.sectionSizeHint(c) for c in columns]
        contents = [view.sizeHintForColumn(c) for c in columns]
        keep = [char * (WHOLE_CHARS if c in self.whole else READABLE_CHARS) for c in columns]
        wanted = [max(title, content) for title, content in zip(titles, contents, strict=True)]
        needed = [
            max(title, min(content, least))
            for title, content, least in zip(titles, contents, keep, strict=True)
        ]
        room = view.viewport().width()
        widths = share_widths(wanted, needed, room)
        widths[self.stretch] += max(0, room - sum(widths))
        for column, width in zip(columns, widths, strict=True):
            header.resizeSection(column, width)


def fit_columns(
    view: QTableView | QTreeView, *, whole: Collection[int] = (), stretch: int = -1
) -> ColumnFit:
    """Fit ``view``'s columns now and whenever its model is reset or its width changes."""
    fitter = ColumnFit(view, whole=whole, stretch=stretch)
    fitter.fit()
    return fitter
