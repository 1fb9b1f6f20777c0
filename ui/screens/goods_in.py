"""Goods-in (来料, F2): receive supplier material against a purchase order.

Scan the PO's barcode (or pick it from the open POs) and its lines show with what is received
and still open. Scan the supplier label (GS1 or HIBC): product, lot, expiry, serial and
quantity are filled from the code, and every receiving check runs at once without writing
(:func:`station.floor.goods_in.check_receipt`: unknown product, wrong product for the PO,
supplier disqualified / lapsed / conditional, expired, already received, the lot's state),
each shown with its colour and the verdict's sound. Final refusals are audited at once.
Expired material and a conditionally qualified supplier may be received with an override
reason, as the receiving service allows (it records who and why). "Receive" records through
the service on the writer; "received" shows only after COMMIT. "Print internal labels" opens
the print dialog on the ``goods-in`` template, filled from the receipt.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from station.access import GOODS_IN
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.floor.entry import MANUAL
from station.floor.goods_in import ReceiptCheck, check_receipt, line_for
from station.floor.orders import OrderLine, order_lines
from station.services.receiving import receive
from station.udi.model import ParsedCode
from ui.display import visible
from ui.feedback import Outcome
from ui.qt import (
    QBrush,
    QColor,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from ui.screens.base import ScreenEnv
from ui.screens.orders_panel import OrderScreen, OrderWords
from ui.screens.work import amount, plain
from ui.widgets.data_label import DataLabel

__all__ = ["GoodsInScreen"]

_FINAL = QColor("#B3261E")
_OVERRIDABLE = QColor("#8A5A00")
_OK = QColor("#1B6E34")
MAX_QUANTITY = 1_000_000


@dataclass(frozen=True, slots=True)
class _Verdict:
    po: str
    line: OrderLine | None
    check: ReceiptCheck


class GoodsInScreen(OrderScreen):
    """PO, its lines, the supplier label's data, the checks, Receive and Print."""

    screen_id = "goods_in"
    shortcut = "F2"
    permission = GOODS_IN
    order_kind = "po"

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.code: ParsedCode | None = None
        self.method = ""
        self.verdict: _Verdict | None = None
        self.last_received: dict[str, str] | None = None
        self._build()
        self.banner.show_prompt(self.ready_prompt())

    def title(self) -> str:
        return self.tr("Goods-in")

    def ready_prompt(self) -> str:
        return self.tr("Scan the purchase order, then the supplier label")

    @property
    def po(self) -> str | None:
        """The chosen purchase order's number."""
        return self.orders.number

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        words = OrderWords(
            caption=self.tr("&Purchase order:"),
            choose=self.tr("— choose or scan a PO —"),
            done=self.tr("Received"),
            choose_first=self.tr("Choose the purchase order first"),
            chosen=self.tr("PO {number}: scan the supplier label"),
            box_name="poBox",
            table_name="poLines",
            party_name="supplierLabel",
        )
        self.build_orders(words)
        self.po_box, self.supplier = self.orders.box, self.orders.party
        self.line_model, self.line_table = self.orders.model, self.orders.table

        self.product = DataLabel("", self)
        self.product.setObjectName("productLabel")
        self.lot = DataLabel("", self)
        self.lot.setObjectName("lotLabel")
        self.expiry = DataLabel("", self)
        self.expiry.setObjectName("expiryLabel")
        self.serial = DataLabel("", self)
        self.serial.setObjectName("serialLabel")
        self.po_line = DataLabel("", self)
        self.po_line.setObjectName("poLineLabel")
        self.entry_note = DataLabel("", self)
        self.entry_note.setObjectName("entryMethodLabel")
        self.quantity = QSpinBox(self)
        self.quantity.setObjectName("quantityBox")
        self.quantity.setRange(0, MAX_QUANTITY)
        self.quantity.setValue(1)
        self.checks = QListWidget(self)
        self.checks.setObjectName("checkList")
        self.checks.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)
        self.override = QLineEdit(self)
        self.override.setObjectName("overrideReason")
        self.override.setPlaceholderText(self.tr("Why it may be received anyway (required)"))
        self.override.textChanged.connect(self._update_buttons)
        self.override.returnPressed.connect(self.receive)
        self.receive_button = QPushButton(self.tr("&Receive"), self)
        self.receive_button.setObjectName("receiveButton")
        self.receive_button.setAutoDefault(True)
        self.receive_button.clicked.connect(self.receive)
        self.print_button = QPushButton(self.tr("Print &internal labels…"), self)
        self.print_button.setObjectName("printInternalButton")
        self.print_button.setAutoDefault(True)
        self.print_button.clicked.connect(self.print_internal)
        self._lay_out()

    def _lay_out(self) -> None:
        fields = QGridLayout()
        rows = (
            (self.tr("Product"), self.product),
            (self.tr("Lot"), self.lot),
            (self.tr("Expiry"), self.expiry),
            (self.tr("Serial"), self.serial),
            (self.tr("PO line"), self.po_line),
            (self.tr("Entry"), self.entry_note),
        )
        for row, (caption, value) in enumerate(rows):
            fields.addWidget(plain(QLabel(caption, self), wrap=False), row, 0)
            fields.addWidget(value, row, 1)
        quantity_caption = plain(QLabel(self.tr("&Quantity:"), self), wrap=False)
        quantity_caption.setBuddy(self.quantity)
        fields.addWidget(quantity_caption, len(rows), 0)
        fields.addWidget(self.quantity, len(rows), 1)
        fields.setColumnStretch(1, 1)

        override_row = QHBoxLayout()
        override_caption = plain(QLabel(self.tr("O&verride reason:"), self), wrap=False)
        override_caption.setBuddy(self.override)
        override_row.addWidget(override_caption)
        override_row.addWidget(self.override, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.receive_button)
        buttons.addWidget(self.print_button)

        layout = QVBoxLayout(self)
        layout.addLayout(self.orders.row)
        layout.addWidget(self.line_table)
        layout.addLayout(self.entry_row)
        layout.addWidget(self.banner)
        layout.addLayout(self.confirm_row)
        layout.addLayout(fields)
        layout.addWidget(plain(QLabel(self.tr("Checks"), self), bold=True))
        layout.addWidget(self.checks)
        layout.addLayout(override_row)
        layout.addLayout(buttons)
        layout.addStretch(1)
        QWidget.setTabOrder(self.entry, self.quantity)
        QWidget.setTabOrder(self.quantity, self.override)
        QWidget.setTabOrder(self.override, self.receive_button)
        QWidget.setTabOrder(self.receive_button, self.print_button)
        QWidget.setTabOrder(self.print_button, self.po_box)
        QWidget.setTabOrder(self.po_box, self.line_table)
        self._update_buttons()

    # -- purchase orders ------------------------------------------------------------------

    def order_changed(self) -> None:
        self._clear_code()

    def forget_work(self) -> None:
        """The PO, the scanned label and the last receipt are the last user's: forgotten."""
        self._clear_code()
        self.quantity.setValue(1)
        self.last_received = None
        super().forget_work()

    def show_state(self) -> None:
        self._update_buttons()

    # -- scans ----------------------------------------------------------------------------

    def take_item(self, code: ParsedCode, method: str) -> None:
        self.code, self.method = code, method
        self.verdict = None
        if code.quantity is not None:
            self.quantity.setValue(max(0, min(int(code.quantity), MAX_QUANTITY)))
        elif code.serial is not None:
            self.quantity.setValue(1)
        self._show_code(code, method)
        self.run_checks()

    def _show_code(self, code: ParsedCode, method: str) -> None:
        line = line_for(self.lines, code.di)
        names = f"  {line.name_en}  {line.name_zh}" if line else ""
        self.product.setText(f"{code.di or ''}{names}")
        self.lot.setText(code.lot or "")
        self.expiry.setText(code.expiry.isoformat() if code.expiry else "")
        self.serial.setText(code.serial or "")
        self.entry_note.setText(
            self.tr("typed by hand, confirmed") if method == MANUAL else self.tr("scanned")
        )
        self.override.clear()

    def run_checks(self) -> None:
        """Every receiving check for the current code and quantity, without writing."""
        ctx = self.context()
        code, po = self.code, self.po
        if ctx is None or code is None or po is None:
            return
        quantity = float(self.quantity.value())

        def work(conn: Connection) -> _Verdict:
            line = line_for(order_lines(conn, "po", po), code.di)
            check = check_receipt(
                conn,
                ctx,
                po_number=po,
                line_no=line.line_no if line else None,
                code=code,
                quantity=quantity,
            )
            return _Verdict(po, line, check)

        self.reader.read(work, self._show_verdict, self.read_failed)

    def _show_verdict(self, verdict: _Verdict) -> None:
        if verdict.po != self.po or self.code is None:
            return  # the PO changed meanwhile
        self.verdict = verdict
        line = verdict.line
        self.po_line.setText(
            self.tr("line {n}: {open} of {ordered} open").format(
                n=line.line_no, open=amount(line.open), ordered=amount(line.ordered)
            )
            if line
            else ""
        )
        self.checks.clear()
        check = verdict.check
        for refused in check.refusals:
            final = refused in check.final
            mark = "✖" if final else "⚠"
            note = "" if final else self.tr(" (may be overridden with a reason)")
            item = QListWidgetItem(
                f"{mark} {self.refusal_title(refused)}{note} — {visible(str(refused))}"
            )
            item.setForeground(QBrush(_FINAL if final else _OVERRIDABLE))
            self.checks.addItem(item)
        if check.ok:
            item = QListWidgetItem(self.tr("✔ Every check passed"))
            item.setForeground(QBrush(_OK))
            self.checks.addItem(item)
        first = check.first()
        if check.final:
            assert first is not None
            self.refuse(first, audit=True)
        elif first is not None:
            self.give(
                Outcome.WARNING,
                self.tr("OVERRIDE NEEDED — {what}").format(what=self.refusal_title(first)),
                self.tr("Type the reason, then Receive."),
            )
            self.override.setFocus()
        else:
            self.give(
                Outcome.ACCEPTED,
                self.tr("Checks passed — check the quantity, then Receive"),
                visible(f"{self.code.lot or self.code.serial or ''}"),
            )
            self.receive_button.setFocus()
        self._update_buttons()

    def _update_buttons(self) -> None:
        verdict = self.verdict
        ready = verdict is not None and not verdict.check.final and verdict.line is not None
        if ready and verdict is not None and verdict.check.overridable:
            ready = bool(self.override.text().strip())
        self.receive_button.setEnabled(ready and self.writes_pending == 0)
        self.override.setEnabled(verdict is not None and bool(verdict.check.overridable))

    def _clear_code(self) -> None:
        self.code, self.verdict, self.method = None, None, ""
        for label in (self.product, self.lot, self.expiry, self.serial, self.po_line):
            label.setText("")
        self.entry_note.setText("")
        self.checks.clear()
        self.override.clear()
        self._update_buttons()

    # -- receive and print ----------------------------------------------------------------

    def receive(self) -> None:
        """Record the receipt (the service checks everything again); "received" after COMMIT."""
        verdict, code, po = self.verdict, self.code, self.po
        if verdict is None or code is None or po is None or verdict.line is None:
            return
        if not self.receive_button.isEnabled():
            return
        line_no = verdict.line.line_no
        quantity = float(self.quantity.value())
        reason = self.override.text() if verdict.check.overridable else None

        def work(conn: Connection, ctx: WriteContext) -> RecordedEvent:
            return receive(
                conn,
                ctx,
                po_number=po,
                line_no=line_no,
                code=code,
                quantity=quantity,
                override_reason=reason,
            )

        codes = [(code.text, self.method)]
        if self.record(work, codes, lambda event: self._received(event, po, line_no, quantity)):
            self.receive_button.setEnabled(False)

    def _received(self, _event: RecordedEvent, po: str, line_no: int, quantity: float) -> None:
        code = self.code
        if code is not None:
            line = line_for(self.lines, code.di)
            self.last_received = {
                key: value
                for key, value in {
                    "gtin": code.gtin or "",
                    "lot": code.lot or "",
                    "expiry": code.expiry.isoformat() if code.expiry else "",
                    "product_name_zh": line.name_zh if line else "",
                    "product_name_en": line.name_en if line else "",
                    "supplier_name": self.supplier.full_text(),
                    "po_number": po,
                }.items()
                if value
            }
        self.give(
            Outcome.ACCEPTED,
            self.tr("RECEIVED — recorded"),
            self.tr("{qty} on line {line} of {po} ({what})").format(
                qty=amount(quantity),
                line=line_no,
                po=visible(po),
                what=visible(code.lot or code.serial or "") if code else "",
            ),
        )
        self._clear_code()
        self.choose_order(po)
        self.entry.setFocus()

    def print_internal(self) -> None:
        """The ``goods-in`` label for the last receipt, through the station's print dialog."""
        if self.last_received is None:
            self.banner.show_prompt(self.tr("Receive something first, then print its labels."))
            self.entry.setFocus()
            return
        self.print_labels("goods-in", self.last_received)
