"""Shipping (发货, F4): scan units, cases and pallets against a sales order, then ship.

Scan the SO's barcode (or pick it from the open SOs): its lines show with what is shipped and
still open. Each item scanned is checked at once without writing
(:func:`station.floor.shipping.check_ship_item`, the shipping service's own checks on the item
and everything inside it): wrong product for the order, on hold, not released or not in stock
(in transit — already shipped —, returned, recalled, non-conformant), unknown, not
commissioned, packed in a container not on the shipment. A refusal sounds, names the
service's reason and is audited; an accepted item is listed with the units it stands for.
"Ship" records one shipping event for the list through the service (which checks again) and
shows "shipped" only after COMMIT.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Connection

from station.access import SHIP
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.events.ids import parse_uri
from station.floor.entry import MANUAL
from station.floor.orders import OrderLine
from station.floor.packing import item_uri
from station.floor.shipping import check_ship_item
from station.services.errors import Refused
from station.services.shipping import ship
from station.udi.model import ParsedCode
from ui.display import visible
from ui.feedback import Outcome
from ui.qt import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStandardItemModel,
    QVBoxLayout,
    QWidget,
)
from ui.screens.base import ScreenEnv
from ui.screens.orders_panel import OrderScreen, OrderWords
from ui.screens.work import amount, cell, plain, read_only_table

__all__ = ["ShippingScreen"]


@dataclass(frozen=True, slots=True)
class _Listed:
    uri: str
    inside: tuple[str, ...]  # itself and everything in it
    method: str
    text: str

    def units(self) -> Counter[str]:
        """Serialised units (by GTIN/DI) this item stands for."""
        counted: Counter[str] = Counter()
        for uri in self.inside:
            parts = parse_uri(uri)
            key = parts.gtin or parts.di
            if key and parts.serial:
                counted[key] += 1
        return counted


class ShippingScreen(OrderScreen):
    """SO, its lines, the items scanned for the shipment, Ship."""

    screen_id = "shipping"
    shortcut = "F4"
    permission = SHIP
    order_kind = "so"

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.listed: list[_Listed] = []
        self._build()
        self._show_list()
        self.banner.show_prompt(self.ready_prompt())

    def title(self) -> str:
        return self.tr("Shipping")

    def ready_prompt(self) -> str:
        return self.tr("Scan the sales order, then what ships")

    @property
    def so(self) -> str | None:
        """The chosen sales order's number."""
        return self.orders.number

    def _build(self) -> None:
        words = OrderWords(
            caption=self.tr("&Sales order:"),
            choose=self.tr("— choose or scan an SO —"),
            done=self.tr("Shipped"),
            choose_first=self.tr("Choose the sales order first"),
            chosen=self.tr("SO {number}: scan units, cases or pallets"),
            box_name="soBox",
            table_name="soLines",
            party_name="customerLabel",
            extra_headers=(self.tr("This shipment"),),
        )
        self.build_orders(words, self._shipment_cells)
        self.so_box, self.customer = self.orders.box, self.orders.party
        self.line_model, self.line_table = self.orders.model, self.orders.table
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(
            [self.tr("Item"), self.tr("Units inside"), self.tr("Entry")]
        )
        self.table = read_only_table(self, self.model, "shipmentItems")
        self.count_label = plain(QLabel(self), wrap=False, scale=1.6, bold=True)
        self.count_label.setObjectName("countLabel")
        self.ship_button = QPushButton(self.tr("S&hip"), self)
        self.ship_button.setObjectName("shipButton")
        self.ship_button.setAutoDefault(True)
        self.ship_button.clicked.connect(self.ship)
        self.remove_button = QPushButton(self.tr("Remove &last"), self)
        self.remove_button.setObjectName("removeLastButton")
        self.remove_button.setAutoDefault(True)
        self.remove_button.clicked.connect(self.remove_last)
        self.clear_button = QPushButton(self.tr("C&lear list"), self)
        self.clear_button.setObjectName("clearListButton")
        self.clear_button.setAutoDefault(True)
        self.clear_button.clicked.connect(self.clear_list)

        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label)
        buttons.addStretch(1)
        for button in (self.remove_button, self.clear_button, self.ship_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.orders.row)
        layout.addWidget(self.line_table)
        layout.addLayout(self.entry_row)
        layout.addWidget(self.banner)
        layout.addLayout(self.confirm_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        order = (
            self.entry,
            self.ship_button,
            self.remove_button,
            self.clear_button,
            self.so_box,
            self.line_table,
            self.table,
        )
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # -- sales orders ---------------------------------------------------------------------

    def order_changed(self) -> None:
        if self.listed:
            self.clear_list()  # a list belongs to one order

    def _shipment_cells(self, lines: list[OrderLine]) -> list[list[str]]:
        """What the listed items take of each line ("This shipment")."""
        now: Counter[str] = Counter()
        for listed in self.listed:
            now.update(listed.units())
        cells = []
        for line in lines:
            take = min(float(now[line.di]), line.open)
            now[line.di] -= int(take)
            cells.append([amount(take)])
        return cells

    def _show_lines(self) -> None:
        self.orders.show_lines()

    def forget_work(self) -> None:
        """The SO and the items listed for it are the last user's: forgotten."""
        self.listed = []
        self._show_list()
        super().forget_work()

    def show_state(self) -> None:
        self._show_list()

    # -- scans ----------------------------------------------------------------------------

    def take_item(self, code: ParsedCode, method: str) -> None:
        so = self.so
        assert so is not None  # OrderScreen.take: an order is chosen
        try:
            uri = item_uri(code)
        except Refused as refused:
            self.refuse(refused, audit=True)
            return
        also = [inner for listed in self.listed for inner in listed.inside]

        def work(conn: Connection) -> tuple[Refused | None, list[str]]:
            return check_ship_item(conn, so_number=so, uri=uri, also=also)

        self.reader.read(
            work, lambda found: self._checked(so, uri, method, code.text, *found), self.read_failed
        )

    def _checked(  # noqa: PLR0917 - one answer's parts
        self, so: str, uri: str, method: str, text: str, refused: Refused | None, inside: list[str]
    ) -> None:
        if so != self.so:
            return
        if refused is None and any(uri in listed.inside for listed in self.listed):
            refused = Refused("no_items", f"{uri} is listed already.", subject=uri)
        if refused is not None:
            self.refuse(refused, audit=True)
            return
        listed = _Listed(uri, tuple(inside), method, text)
        self.listed.append(listed)
        self._show_list()
        self._show_lines()
        self.give(
            Outcome.ACCEPTED,
            self.tr("OK — {n} unit(s) listed").format(n=self.unit_count()),
            visible(uri),
        )

    def refusal_title(self, refused: Refused) -> str:
        if refused.reason == "not_released" and "in_transit" in str(refused):
            return self.tr("Already shipped")
        return super().refusal_title(refused)

    def unit_count(self) -> int:
        return sum(sum(listed.units().values()) for listed in self.listed)

    def _show_list(self) -> None:
        self.model.setRowCount(0)
        for listed in self.listed:
            entry = self.tr("typed, confirmed") if listed.method == MANUAL else self.tr("scanned")
            self.model.appendRow(
                [cell(listed.uri), cell(str(sum(listed.units().values()))), cell(entry)]
            )
        self.table.scrollToBottom()
        self.count_label.setText(
            self.tr("{items} item(s), {units} unit(s)").format(
                items=len(self.listed), units=self.unit_count()
            )
        )
        busy = self.writes_pending > 0
        self.ship_button.setEnabled(bool(self.listed) and not busy)
        self.remove_button.setEnabled(bool(self.listed) and not busy)
        self.clear_button.setEnabled(bool(self.listed) and not busy)

    # -- buttons --------------------------------------------------------------------------

    def remove_last(self) -> None:
        if self.listed:
            removed = self.listed.pop()
            self._show_list()
            self._show_lines()
            self.banner.show_prompt(self.tr("Removed {item}").format(item=visible(removed.uri)))
        self.entry.setFocus()

    def clear_list(self) -> None:
        self.listed = []
        self._show_list()
        self._show_lines()
        self.entry.setFocus()

    def ship(self) -> None:
        """Record the shipment (one ObjectEvent for the list); "shipped" after COMMIT."""
        so, listed = self.so, list(self.listed)
        if so is None or not listed or self.writes_pending:
            return
        units = self.unit_count()

        def work(conn: Connection, ctx: WriteContext) -> RecordedEvent:
            return ship(conn, ctx, so_number=so, uris=[item.uri for item in listed])

        def done(_event: RecordedEvent) -> None:
            self.listed = []
            self._show_list()
            self.give(
                Outcome.ACCEPTED,
                self.tr("SHIPPED — recorded"),
                self.tr("{items} item(s), {units} unit(s) on {so}").format(
                    items=len(listed), units=units, so=visible(so)
                ),
            )
            self.choose_order(so)
            self.entry.setFocus()

        codes = [(item.text, item.method) for item in listed]
        if self.record(work, codes, done, lambda _e: self._show_list()):
            self._show_list()
