"""The navigation list: each screen's title at the left, its key right-aligned in a column.

A tab between title and key lands on Qt's fixed tab stops, so "QC bench" pushed its key a
whole stop further than "Trace" did. Here the key is item data drawn at the right edge.
"""

from __future__ import annotations

from ui.qt import (
    QModelIndex,
    QPainter,
    QPalette,
    QPersistentModelIndex,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
)

#: Item data role holding the key that opens the screen (``"F2"``, ``"Ctrl+F12"``).
SHORTCUT_ROLE = Qt.ItemDataRole.UserRole + 1
#: Room between a title and its key, and at the right edge, in pixels.
_GAP = 16
_EDGE = 6


class NavigationDelegate(QStyledItemDelegate):
    """Draws the title as usual and the item's :data:`SHORTCUT_ROLE` text at the right."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        shortcut = index.data(SHORTCUT_ROLE)
        if not shortcut:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = option.rect.adjusted(0, 0, -_EDGE, 0)
        painter.save()
        painter.setPen(option.palette.color(role))
        painter.drawText(
            rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shortcut
        )
        painter.restore()

    def sizeHint(  # noqa: N802 - Qt API
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        shortcut = index.data(SHORTCUT_ROLE)
        if shortcut:
            metrics = option.fontMetrics
            size.setWidth(size.width() + _GAP + metrics.horizontalAdvance(shortcut) + _EDGE)
        return size
