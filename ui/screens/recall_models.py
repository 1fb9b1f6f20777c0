"""The Recall workbench's models: the affected units (up to 100,000 rows) and the counts.

:class:`AffectedModel` keeps the recall's tuple of :class:`ItemStatus` and formats a cell only
when the view asks for it, so a 100,000-unit recall costs one Python object per unit (already
made by the recall) and nothing per row on the Qt side. Text is plain and made visible
(:func:`ui.display.visible`).
"""

from __future__ import annotations

from collections.abc import Sequence

from station.trace.model import ItemStatus
from ui.display import visible
from ui.qt import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from ui.screens.trace_models import short_id
from ui.screens.words import Words

__all__ = ["AffectedModel", "CountsModel", "PlainTable"]

SERIAL, LOT, PRODUCT, STATUS, HOLDER, CONTAINER, IDENTIFIER = range(7)

_Index = QModelIndex | QPersistentModelIndex


class PlainTable(QAbstractTableModel):
    """A read-only table of plain text: subclasses give ``headers``, ``size`` and ``cell``."""

    headers: tuple[str, ...] = ()

    def rowCount(self, parent: _Index | None = None) -> int:  # noqa: N802 - Qt's name
        return 0 if parent is not None and parent.isValid() else self.size()

    def columnCount(self, parent: _Index | None = None) -> int:  # noqa: N802 - Qt's name
        return 0 if parent is not None and parent.isValid() else len(self.headers)

    def size(self) -> int:
        raise NotImplementedError

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return None

    def cell(self, row: int, column: int) -> str:
        raise NotImplementedError

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < self.size():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return visible(self.cell(index.row(), index.column()))
        return None


class AffectedModel(PlainTable):
    """Every affected unit: serial, lot, product, status, customer, container, identifier."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.words = Words(self)
        self.units: Sequence[ItemStatus] = ()
        self.headers = (
            self.tr("Serial"),
            self.tr("Lot"),
            self.tr("Product"),
            self.tr("Status"),
            self.tr("Customer"),
            self.tr("Case/pallet"),
            self.tr("Identifier"),
        )

    def set_units(self, units: Sequence[ItemStatus]) -> None:
        self.beginResetModel()
        self.units = units
        self.endResetModel()

    def size(self) -> int:
        return len(self.units)

    def cell(self, row: int, column: int) -> str:
        unit = self.units[row]
        if column == SERIAL:
            return unit.serial or ""
        if column == LOT:
            return unit.lot or ""
        if column == PRODUCT:
            return unit.product or ""
        if column == STATUS:
            return self.words.status(unit.status)
        if column == HOLDER:
            return (unit.holder.name or unit.holder.uri) if unit.holder else ""
        if column == CONTAINER:
            return short_id(unit.container) if unit.container else ""
        return unit.uri


class CountsModel(PlainTable):
    """Two columns: what, how many (by status, by customer)."""

    def __init__(self, first: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, int]] = []
        self.headers = (first, self.tr("Units"))

    def set_rows(self, rows: Sequence[tuple[str, int]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def size(self) -> int:
        return len(self.rows)

    def cell(self, row: int, column: int) -> str:
        label, count = self.rows[row]
        return label if column == 0 else f"{count:,}"
