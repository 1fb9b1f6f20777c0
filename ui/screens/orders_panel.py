"""The order picker and lines table that goods-in (POs) and shipping (SOs) share.

A combo box of the open orders (scan the order's barcode or pick it), the party (supplier or
customer) and the chosen order's lines with ordered, done and open quantities; a screen may
add columns of its own (shipping: what the shipment being listed takes). Reads go through the
screen's :class:`~ui.screens.work.ReadWorker`, so they are dropped with it when the session
changes, and :meth:`OrderPanel.forget` empties the panel for the next person.

The panel holds widgets the screen lays out (:attr:`OrderPanel.row`, :attr:`OrderPanel.table`)
and takes its words from the screen, which translates them in its own context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from station.floor.orders import OrderLine, OrderSummary, open_orders, order_lines
from ui.display import visible
from ui.qt import QComboBox, QHBoxLayout, QLabel, QStandardItemModel
from ui.screens.work import FloorScreen, amount, cell, plain, read_only_table
from ui.widgets.data_label import DataLabel

__all__ = ["OrderPanel", "OrderWords"]

#: Table rows shown before the table scrolls.
_ROWS = 8


@dataclass(frozen=True, slots=True)
class OrderWords:
    """The panel's words and object names, as the screen gives them (translated)."""

    caption: str  # "&Purchase order:"
    choose: str  # "— choose or scan a PO —"
    #: Column titles: line, product, ordered, done, open, then the screen's own columns.
    headers: Sequence[str]
    box_name: str  # "poBox"
    table_name: str  # "poLines"
    party_name: str  # "supplierLabel"


class OrderPanel:
    """An open order of ``kind`` (``po`` | ``so``) chosen on ``screen``: picker and lines.

    ``loaded(changed)`` runs after an order's lines are shown; ``changed`` is False when the
    same order was only refreshed. ``extra_cells(lines)`` gives the screen's own cells for
    each line, in order (default: none).
    """

    def __init__(
        self,
        screen: FloorScreen,
        kind: str,
        words: OrderWords,
        loaded: Callable[[bool], None],
        extra_cells: Callable[[list[OrderLine]], list[list[str]]] | None = None,
    ) -> None:
        self.screen = screen
        self.kind = kind
        self.words = words
        self._loaded = loaded
        self._extra_cells = extra_cells
        #: The chosen order and its lines (None / empty: none chosen).
        self.number: str | None = None
        self.lines: list[OrderLine] = []
        self._filling = False  # the box is being filled: its signals are not the operator's
        self.box = QComboBox(screen)
        self.box.setObjectName(words.box_name)
        self.box.activated.connect(self._picked)
        caption = plain(QLabel(words.caption, screen), wrap=False)
        caption.setBuddy(self.box)
        self.party = DataLabel("", screen)
        self.party.setObjectName(words.party_name)
        self.model = QStandardItemModel(0, len(words.headers), screen)
        self.model.setHorizontalHeaderLabels(list(words.headers))
        self.table = read_only_table(screen, self.model, words.table_name)
        self.table.setMaximumHeight(screen.fontMetrics().lineSpacing() * _ROWS)
        self.row = QHBoxLayout()
        self.row.addWidget(caption)
        self.row.addWidget(self.box, 1)
        self.row.addWidget(self.party, 2)

    def refresh(self) -> None:
        """Read the open orders again, and the chosen order's lines."""
        kind = self.kind
        self.screen.reader.read(
            lambda conn: open_orders(conn, kind), self._show_orders, self.screen.read_failed
        )
        if self.number is not None:
            self.choose(self.number)

    def choose(self, number: str) -> None:
        """Show ``number``'s lines (a read); refused when it is unknown or not open."""
        kind = self.kind

        def work(conn: Connection) -> tuple[str, list[OrderLine], str]:
            lines = order_lines(conn, kind, number)
            found = next((o for o in open_orders(conn, kind) if o.number == number), None)
            return number, lines, found.party_name if found else ""

        self.screen.reader.read(work, self._show_order, self.screen.read_failed)

    def forget(self) -> None:
        """No order chosen, no lines: the next person starts clean."""
        self.number, self.lines = None, []
        self.party.setText("")
        self.model.setRowCount(0)
        self._select(None)

    def show_lines(self) -> None:
        """The chosen order's lines, with the screen's own cells after the shared ones."""
        extra = self._extra_cells(self.lines) if self._extra_cells else [[] for _ in self.lines]
        self.model.setRowCount(0)
        for line, own in zip(self.lines, extra, strict=True):
            self.model.appendRow(
                [
                    cell(str(line.line_no)),
                    cell(f"{line.di}  {line.name_en}  {line.name_zh}"),
                    cell(f"{amount(line.ordered)} {line.uom}"),
                    cell(amount(line.done)),
                    cell(amount(line.open)),
                    *(cell(text) for text in own),
                ]
            )

    def _show_orders(self, orders: list[OrderSummary]) -> None:
        self._filling = True
        self.box.clear()
        self.box.addItem(self.words.choose, None)
        for found in orders:
            self.box.addItem(visible(f"{found.number}  {found.party_name}"), found.number)
        self._filling = False
        self._select(self.number)

    def _select(self, number: str | None) -> None:
        self._filling = True
        self.box.setCurrentIndex(max(self.box.findData(number), 0) if number else 0)
        self._filling = False

    def _picked(self, index: int) -> None:
        number = self.box.itemData(index)
        if not self._filling and isinstance(number, str):
            self.choose(number)
            self.screen.entry.setFocus()

    def _show_order(self, found: tuple[str, list[OrderLine], str]) -> None:
        number, lines, party = found
        changed = number != self.number
        self.number, self.lines = number, lines
        self.party.setText(party)
        if self.box.findData(number) >= 0:
            self._select(number)
        self.show_lines()
        self._loaded(changed)
