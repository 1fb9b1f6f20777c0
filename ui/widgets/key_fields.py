"""The key identifiers of a reading (DI, lot, serial, dates, quantity), in large type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.qt import QGridLayout, QLabel, Qt, QWidget
from ui.widgets.data_label import DataLabel

if TYPE_CHECKING:
    from datetime import date

    from station.udi.model import ParsedCode

ABSENT = "—"

#: Field id → (row, column) of its caption: identifiers on the left, dates and count on the right.
GRID: dict[str, tuple[int, int]] = {
    "di": (0, 0),
    "lot": (1, 0),
    "serial": (2, 0),
    "expiry": (0, 2),
    "production_date": (1, 2),
    "quantity": (2, 2),
    "sscc": (3, 0),
}
FIELDS = tuple(GRID)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def field_values(code: ParsedCode) -> dict[str, str | None]:
    """Field id → the value to show (None when the code has none)."""
    return {
        "di": code.di or code.gtin,
        "lot": code.lot,
        "serial": code.serial,
        "expiry": _iso(code.expiry),
        "production_date": _iso(code.production_date),
        "quantity": None if code.quantity is None else str(code.quantity),
        "sscc": code.sscc,
    }


class KeyFields(QWidget):
    """Caption/value pairs in two columns; the SSCC row appears only for an SSCC."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        captions = {
            "di": self.tr("DI / GTIN"),
            "lot": self.tr("Lot"),
            "serial": self.tr("Serial"),
            "expiry": self.tr("Expiry"),
            "production_date": self.tr("Production date"),
            "quantity": self.tr("Quantity"),
            "sscc": self.tr("SSCC"),
        }
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        self._captions: dict[str, QLabel] = {}
        self._values: dict[str, DataLabel] = {}
        for field_id, (row, column) in GRID.items():
            caption = QLabel(captions[field_id], self)
            caption.setTextFormat(Qt.TextFormat.PlainText)
            value = DataLabel(ABSENT, self)
            value.setObjectName(f"keyField_{field_id}")
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.4)
            font.setBold(True)
            value.setFont(font)
            caption.setBuddy(value)
            grid.addWidget(caption, row, column)
            grid.addWidget(value, row, column + 1)
            self._captions[field_id] = caption
            self._values[field_id] = value
        self.show_code(None)

    def show_code(self, code: ParsedCode | None) -> None:
        values = field_values(code) if code is not None else dict.fromkeys(FIELDS)
        for field_id, value in values.items():
            self._values[field_id].setText(value if value is not None else ABSENT)
        has_sscc = values["sscc"] is not None
        self._captions["sscc"].setVisible(has_sscc)
        self._values["sscc"].setVisible(has_sscc)

    def value(self, field_id: str) -> str:
        """The full displayed value of one field (``ABSENT`` when missing)."""
        return self._values[field_id].full_text()
