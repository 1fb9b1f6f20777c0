"""What goods-in (POs) and shipping (SOs) share: the order picker, its lines, and working
against one open order (:class:`OrderScreen`).

A combo box of the open orders (scan the order's barcode or pick it), the party (supplier or
customer) and the chosen order's lines with ordered, done and open quantities; a screen may
add columns of its own (shipping: what the shipment being listed takes). Reads go through the
screen's :class:`~ui.screens.work.ReadWorker`, so they are dropped with it when the session
changes, and :meth:`OrderPanel.forget` empties the panel for the next person.

The panel holds widgets the screen lays out (:attr:`OrderPanel.row`, :attr:`OrderPanel.table`)
and takes the words that differ from the screen, which translates them in its own context.
:class:`OrderScreen` takes an order's barcode (a scan that is no UDI) as the order to work on,
refuses item codes until one is chosen, and forgets it when the session changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import Connection

from station.floor.orders import OrderLine, OrderSummary, open_orders, order_lines
from station.udi.model import ParsedCode
from ui.display import visible
from ui.feedback import Outcome
from ui.qt import QComboBox, QHBoxLayout, QLabel, QStandardItemModel
from ui.screens.work import FloorScreen, amount, cell, plain, read_only_table
from ui.widgets.data_label import DataLabel

__all__ = ["OrderPanel", "OrderScreen", "OrderWords"]

#: Table rows shown before the table scrolls.
_ROWS = 8


@dataclass(frozen=True, slots=True)
class OrderWords:
    """The panel's words and object names that differ by screen (translated by the screen)."""

    caption: str  # "&Purchase order:"
    choose: str  # "— choose or scan a PO —"
    done: str  # the column of what is done: "Received"
    #: Shown on an item code while no order is chosen: "Choose the purchase order first".
    choose_first: str
    #: Shown when an order was chosen, ``{number}`` its number: "PO {number}: scan …".
    chosen: str
    box_name: str  # "poBox"
    table_name: str  # "poLines"
    party_name: str  # "supplierLabel"
    #: The screen's own column titles, after the shared ones.
    extra_headers: Sequence[str] = ()


class OrderPanel:
    """An open order of ``kind`` (``po`` | ``so``) chosen on ``screen``: picker and lines.

    ``loaded(changed)`` runs after an order's lines are shown; ``changed`` is False when the
    same order was only refreshed. ``headers``: every column's title. ``extra_cells(lines)``
    gives the screen's own cells for each line, in order (default: none).
    """

    def __init__(
        self,
        screen: FloorScreen,
        kind: str,
        words: OrderWords,
        *,
        headers: Sequence[str],
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
        self.model = QStandardItemModel(0, len(headers), screen)
        self.model.setHorizontalHeaderLabels(list(headers))
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


class OrderScreen(FloorScreen):
    """A floor screen that works against one open order of :attr:`order_kind`.

    Subclasses call :meth:`build_orders` in their ``__init__``, lay out ``orders.row`` and
    ``orders.table``, and implement :meth:`take_item` (an item code, an order chosen).
    """

    #: ``po`` (goods-in) or ``so`` (shipping).
    order_kind: ClassVar[str] = ""
    orders: OrderPanel

    def build_orders(
        self,
        words: OrderWords,
        extra_cells: Callable[[list[OrderLine]], list[list[str]]] | None = None,
    ) -> OrderPanel:
        headers = (
            self.tr("Line"),
            self.tr("Product"),
            self.tr("Ordered"),
            words.done,
            self.tr("Open"),
            *words.extra_headers,
        )
        self.orders = OrderPanel(
            self,
            self.order_kind,
            words,
            headers=headers,
            loaded=self._loaded,
            extra_cells=extra_cells,
        )
        return self.orders

    @property
    def lines(self) -> list[OrderLine]:
        """The chosen order's lines."""
        return self.orders.lines

    def activated(self) -> None:
        """Refresh the open orders (and the chosen one's lines); focus on the scan entry."""
        self.orders.refresh()
        self.entry.setFocus()

    def choose_order(self, number: str) -> None:
        """Work on order ``number`` (a read); refused when it is unknown or not open."""
        self.orders.choose(number)

    def _loaded(self, changed: bool) -> None:
        if changed:
            self.order_changed()
            number = visible(self.orders.number or "")
            self.banner.show_prompt(self.orders.words.chosen.format(number=number))

    def order_changed(self) -> None:
        """Another order was chosen: what was under way for the last one is dropped."""

    def forget_work(self) -> None:
        self.orders.forget()
        super().forget_work()

    def take(self, code: ParsedCode, method: str) -> None:
        """An order's barcode chooses it; an item code needs an order chosen first."""
        if not self.is_item(code):
            number = self.document_number(code)
            if number is not None:
                self.choose_order(number)
            else:
                self.refuse_unreadable(code)
            return
        if self.orders.number is None:
            self.give(Outcome.REFUSED, self.orders.words.choose_first, "")
            return
        self.take_item(code, method)

    def take_item(self, code: ParsedCode, method: str) -> None:
        """Use an item code against the chosen order."""
        raise NotImplementedError
