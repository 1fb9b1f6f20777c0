"""Table model: every element of a reading (key, meaning, value, interpretation).

Cells hold plain strings, already made displayable; item views paint them as plain text.
Rows where an error points into the value are tinted *and* marked with ✖ in the key column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.display import visible
from ui.i18n import tr_field
from ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

if TYPE_CHECKING:
    from station.udi.model import Element, ParsedCode

ERROR_MARK = "✖ "
_ERROR_BACKGROUND = QColor("#FAD4D1")
_ERROR_FOREGROUND = QColor("#000000")

KEY, MEANING, VALUE, INTERPRETATION = range(4)


def error_rows(code: ParsedCode) -> frozenset[int]:
    """Indexes of the elements whose value contains the position of an error."""
    positions = [i.position for i in code.errors if i.position is not None]
    rows = set()
    for row, element in enumerate(code.elements):
        end = element.start + max(len(element.value), 1)
        if any(element.start <= position < end for position in positions):
            rows.add(row)
    return frozenset(rows)


class ElementTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._elements: tuple[Element, ...] = ()
        self._flagged: frozenset[int] = frozenset()
        self._headers = (
            self.tr("Key"),
            self.tr("Meaning"),
            self.tr("Value"),
            self.tr("Interpretation"),
        )

    def set_code(self, code: ParsedCode | None) -> None:
        self.beginResetModel()
        self._elements = code.elements if code is not None else ()
        self._flagged = error_rows(code) if code is not None else frozenset()
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self._elements)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self._headers)

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> str | None:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> str | QBrush | None:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        flagged = row in self._flagged
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and flagged:
            return QBrush(_ERROR_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and flagged:
            return QBrush(_ERROR_FOREGROUND)
        return None

    def cell_text(self, row: int, column: int) -> str:
        element = self._elements[row]
        if column == KEY:
            key = visible(element.key)
            return ERROR_MARK + key if row in self._flagged else key
        if column == MEANING:
            return visible(tr_field(element.title))
        if column == VALUE:
            return visible(element.value)
        return visible(element.interpretation or "")
