"""Packing (包装, F3): aggregate units into cases and cases onto pallets by scanning, unpack with
a reason.

Open a container by scanning its SSCC label, or "New SSCC": the next SSCC of this station's
block (``env.extras["sscc_prefix"]``, extension digit + GS1 company prefix, and
``env.extras["sscc_block"]``), allocated and committed by
:func:`station.services.sscc.allocate_sscc` before it is shown, so it is never handed out
again — not even when the container is cancelled or the station crashes. Then scan what goes
in: each scan is checked at once without writing (:func:`station.floor.packing.check_pack_child`:
not commissioned, on hold, already packed elsewhere, not in stock, and — with "One lot per
container" — a unit of another lot) and accepted or refused with its sound; refusals are
audited. The count is shown against the target. "Close container" records the aggregation
through the packing service (which checks everything again) and shows "closed" only after
COMMIT. Scanning an SSCC that is already recorded shows what it holds; "Unpack" takes the
selected items (or all) out, with a required reason (permission ``packing.unpack``, checked by
the service). "Print SSCC label" prints the last closed container's label (``sscc-pallet``)
through the station's print dialog; "Print unit labels…" opens the print dialog the station
offers (``env.extras["open_print_dialog"]``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from station.access import PACK
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.floor.entry import MANUAL
from station.floor.packing import Container, check_pack_child, container, item_uri
from station.services.errors import Refused
from station.services.packing import pack, unpack
from station.services.projection import current_state
from station.services.sscc import allocate_sscc, sscc_block
from station.udi.model import ParsedCode
from ui.display import visible
from ui.feedback import Outcome
from ui.qt import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStandardItemModel,
    QVBoxLayout,
    QWidget,
)
from ui.screens.base import ScreenEnv
from ui.screens.work import Entered, FloorScreen, cell, plain, read_only_table
from ui.widgets.data_label import DataLabel

__all__ = ["PackingScreen"]

CASE, PALLET = 0, 1
#: Default targets: units per case, cases per pallet.
DEFAULT_TARGET = {CASE: 10, PALLET: 4}
MAX_TARGET = 10_000


@dataclass(frozen=True, slots=True)
class _Item:
    uri: str
    kind: str
    gtin: str | None
    lot: str | None
    serial: str | None
    method: str
    text: str  # the code as read (for the manual-entry record)


class PackingScreen(FloorScreen):
    """Container, target, the items scanned into it, Close / Unpack / Print."""

    screen_id = "packing"
    shortcut = "F3"
    permission = PACK

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        #: The new container being filled (not recorded yet), and what was scanned into it.
        self.sscc: str | None = None
        self.items: list[_Item] = []
        #: How the open container's SSCC was entered (None: allocated here, not entered).
        self.sscc_entry: Entered | None = None
        #: A recorded container on show (for unpacking), and how its SSCC was entered.
        self.viewed: Container | None = None
        self.viewed_entry: Entered | None = None
        self.last_closed: tuple[str, list[_Item]] | None = None
        #: Scans that arrived while a container was being looked up: taken once it is open.
        self._opening = False
        self._waiting: list[tuple[ParsedCode, str]] = []
        self._build()
        self._show_state()

    def title(self) -> str:
        return self.tr("Packing")

    def ready_prompt(self) -> str:
        return self.tr("READY — scan an SSCC label or press New SSCC")

    def forget_work(self) -> None:
        """The open container (its SSCC stays allocated, unused), the container on show and
        the last closed one are the last user's: forgotten."""
        self._opening = False
        self._waiting.clear()
        self.sscc, self.sscc_entry, self.items = None, None, []
        self.viewed, self.viewed_entry, self.last_closed = None, None, None
        self._fill_table([])
        self.reason.clear()
        self._show_state()
        super().forget_work()

    def show_state(self) -> None:
        self._show_state()

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.level = QComboBox(self)
        self.level.setObjectName("levelBox")
        self.level.addItem(self.tr("Case (units into a case)"), CASE)
        self.level.addItem(self.tr("Pallet (cases onto a pallet)"), PALLET)
        self.level.currentIndexChanged.connect(self._level_changed)
        self.target = QSpinBox(self)
        self.target.setObjectName("targetBox")
        self.target.setRange(1, MAX_TARGET)
        self.target.setValue(DEFAULT_TARGET[CASE])
        self.target.valueChanged.connect(self._show_state)
        self.one_lot = QCheckBox(self.tr("One &lot per container"), self)
        self.one_lot.setObjectName("oneLotCheck")
        self.container_label = DataLabel("", self)
        self.container_label.setObjectName("containerLabel")
        self.count_label = plain(QLabel(self), wrap=False, scale=2.0, bold=True)
        self.count_label.setObjectName("countLabel")
        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels(
            [self.tr("Item"), self.tr("Lot"), self.tr("Serial / SSCC"), self.tr("Entry")]
        )
        self.table = read_only_table(self, self.model, "packedItems")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("unpackReason")
        self.reason.setPlaceholderText(self.tr("Why the container is opened (required)"))
        self.reason.returnPressed.connect(self.unpack)
        self.new_button = self._button(self.tr("&New SSCC"), "newSsccButton", self.new_sscc)
        self.close_button = self._button(
            self.tr("&Close container"), "closeContainerButton", self.close_container
        )
        self.remove_button = self._button(
            self.tr("Remove &last"), "removeLastButton", self.remove_last
        )
        self.cancel_button = self._button(
            self.tr("Cance&l container"), "cancelContainerButton", self.cancel_container
        )
        self.unpack_button = self._button(self.tr("&Unpack"), "unpackButton", self.unpack)
        self.print_sscc_button = self._button(
            self.tr("Print &SSCC label…"), "printSsccButton", self.print_sscc
        )
        self.print_units_button = self._button(
            self.tr("Print unit labels…"), "printUnitsButton", self.print_units
        )
        self._lay_out()

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(True)
        button.clicked.connect(slot)
        return button

    def _lay_out(self) -> None:
        settings = QHBoxLayout()
        level_caption = plain(QLabel(self.tr("&Packing:"), self), wrap=False)
        level_caption.setBuddy(self.level)
        target_caption = plain(QLabel(self.tr("&Target:"), self), wrap=False)
        target_caption.setBuddy(self.target)
        for widget in (level_caption, self.level, target_caption, self.target, self.one_lot):
            settings.addWidget(widget)
        settings.addStretch(1)
        head = QGridLayout()
        head.addWidget(plain(QLabel(self.tr("Container (SSCC)"), self), wrap=False), 0, 0)
        head.addWidget(self.container_label, 0, 1)
        head.addWidget(self.count_label, 0, 2)
        head.setColumnStretch(1, 1)
        work = QHBoxLayout()
        for button in (self.new_button, self.close_button, self.remove_button, self.cancel_button):
            work.addWidget(button)
        work.addStretch(1)
        unpack_row = QHBoxLayout()
        reason_caption = plain(QLabel(self.tr("&Reason:"), self), wrap=False)
        reason_caption.setBuddy(self.reason)
        unpack_row.addWidget(reason_caption)
        unpack_row.addWidget(self.reason, 1)
        unpack_row.addWidget(self.unpack_button)
        printing = QHBoxLayout()
        printing.addStretch(1)
        printing.addWidget(self.print_sscc_button)
        printing.addWidget(self.print_units_button)
        layout = QVBoxLayout(self)
        layout.addLayout(settings)
        layout.addLayout(self.entry_row)
        layout.addWidget(self.banner)
        layout.addLayout(self.confirm_row)
        layout.addLayout(head)
        layout.addWidget(self.table, 1)
        layout.addLayout(work)
        layout.addLayout(unpack_row)
        layout.addLayout(printing)
        order = (
            self.entry,
            self.close_button,
            self.new_button,
            self.remove_button,
            self.cancel_button,
            self.reason,
            self.unpack_button,
            self.print_sscc_button,
            self.print_units_button,
            self.level,
            self.target,
            self.one_lot,
            self.table,
        )
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def activated(self) -> None:
        self.entry.setFocus()

    def _level_changed(self, index: int) -> None:
        level = self.level.itemData(index)
        if isinstance(level, int):
            self.target.setValue(DEFAULT_TARGET[level])

    def _show_state(self) -> None:
        packing = self.sscc is not None
        viewing = self.viewed is not None
        if packing:
            self.container_label.setText(self.tr("{sscc} (new)").format(sscc=self.sscc))
            self.count_label.setText(f"{len(self.items)} / {self.target.value()}")
        elif viewing and self.viewed is not None:
            self.container_label.setText(
                self.tr("{sscc} (recorded, {state})").format(
                    sscc=self.viewed.sscc, state=self.viewed.disposition or "?"
                )
            )
            self.count_label.setText(str(len(self.viewed.content)))
        else:
            self.container_label.setText(self.tr("none — scan an SSCC label or press New SSCC"))
            self.count_label.setText("")
        self.close_button.setEnabled(packing and bool(self.items) and self.writes_pending == 0)
        self.remove_button.setEnabled(packing and bool(self.items))
        self.cancel_button.setEnabled(packing or viewing)
        self.reason.setEnabled(viewing)
        self.unpack_button.setEnabled(viewing and self.writes_pending == 0)
        self.print_sscc_button.setEnabled(self.last_closed is not None)
        self.new_button.setEnabled(not packing and self.writes_pending == 0)
        self.level.setEnabled(not packing)

    def _fill_table(self, rows: list[tuple[str, str | None, str | None, str | None, str]]) -> None:
        self.model.setRowCount(0)
        for uri, _gtin, lot, serial, method in rows:
            self.model.appendRow([cell(uri), cell(lot or ""), cell(serial or ""), cell(method)])
        self.table.scrollToBottom()

    # -- scans ----------------------------------------------------------------------------

    def take(self, code: ParsedCode, method: str) -> None:
        if self._opening:
            self._waiting.append((code, method))
            return
        if not self.is_item(code):
            self.refuse_unreadable(code)
            return
        if code.sscc is not None and (self.sscc is None or code.sscc == self.sscc):
            if code.sscc == self.sscc:
                self.give(
                    Outcome.WARNING,
                    self.tr("This container is open — scan its content, then Close"),
                    visible(code.sscc),
                )
                return
            self.open_or_view(code.sscc, (code.text, method))
            return
        if self.sscc is None:
            self.give(
                Outcome.REFUSED,
                self.tr("Open a container first"),
                self.tr("Scan its SSCC label or press New SSCC."),
            )
            return
        self.add_item(code, method)

    def open_or_view(self, sscc: str, entered: Entered) -> None:
        """Show a recorded container, or open a new one under this SSCC (as ``entered``)."""
        self._opening = True
        self.reader.read(
            lambda conn: (sscc, container(conn, sscc)),
            lambda found: self._opened(found, entered),
            self._open_failed,
        )

    def _open_failed(self, error: BaseException) -> None:
        self._opening = False
        self._waiting.clear()
        self.read_failed(error)

    def _take_waiting(self) -> None:
        self._opening = False
        waiting, self._waiting = self._waiting, []
        for code, method in waiting:
            self.take(code, method)

    def _opened(self, found: tuple[str, Container | None], entered: Entered) -> None:
        sscc, recorded = found
        if recorded is None:
            self._start(sscc, entered)
            self._take_waiting()
            return
        self.sscc, self.sscc_entry, self.items = None, None, []
        self.viewed, self.viewed_entry = recorded, entered
        self._fill_table([(p.uri, p.gtin, p.lot, p.serial, "") for p in recorded.content])
        self._show_state()
        self.give(
            Outcome.ACCEPTED,
            self.tr("Container {sscc}: {n} item(s) inside").format(
                sscc=sscc, n=len(recorded.content)
            ),
            self.tr("To unpack: select items (none: all), type the reason, press Unpack."),
        )
        self._take_waiting()

    def _start(self, sscc: str, entered: Entered | None) -> None:
        self.sscc, self.sscc_entry, self.items = sscc, entered, []
        self.viewed, self.viewed_entry = None, None
        self._fill_table([])
        self._show_state()
        self.give(
            Outcome.ACCEPTED,
            self.tr("Container {sscc} open — scan what goes in").format(sscc=sscc),
            "",
        )
        self.entry.setFocus()

    def new_sscc(self) -> None:
        """Open a new container under the next SSCC of this station's block, allocated and
        committed (audited) before it is shown."""
        prefix = self.env.extras.get("sscc_prefix")
        if not isinstance(prefix, str) or not prefix:
            self.banner.show_prompt(
                self.tr("No SSCC prefix is configured: scan a pre-printed SSCC label.")
            )
            self.entry.setFocus()
            return
        if self.sscc is not None:
            self.give(Outcome.WARNING, self.tr("Close or cancel the open container first"), "")
            return
        block_text = self.env.extras.get("sscc_block")
        try:
            block = sscc_block(prefix, block_text if isinstance(block_text, str) else "")
        except Refused as refused:
            self.refuse(refused)
            return

        def allocate(conn: Connection, ctx: WriteContext) -> str:
            return allocate_sscc(conn, ctx, block)

        if self.write(
            allocate, lambda sscc: self._start(sscc, None), lambda _e: self._show_state()
        ):
            self.new_button.setEnabled(False)

    def add_item(self, code: ParsedCode, method: str) -> None:
        sscc = self.sscc
        assert sscc is not None
        try:
            uri = item_uri(code)
        except Refused as refused:
            self.refuse(refused, audit=True)
            return
        if any(item.uri == uri for item in self.items):
            self.refuse(Refused("no_items", f"{uri} is listed already.", subject=uri))
            return
        if len(self.items) >= self.target.value():
            self.refuse(
                Refused(
                    "container_full",
                    f"The container holds {self.target.value()}: close it first.",
                    subject=uri,
                ),
                audit=True,
            )
            return
        lot = next((i.lot for i in self.items if i.lot), None) if self.one_lot.isChecked() else None

        def work(conn: Connection) -> tuple[Refused | None, _Item | None]:
            refused = check_pack_child(conn, sscc=sscc, uri=uri, lot=lot)
            state = current_state(conn, uri)
            if refused is not None or state is None:
                return refused, None
            return None, _Item(
                uri, state.kind, state.gtin, state.lot, state.serial, method, code.text
            )

        self.reader.read(work, lambda found: self._checked(sscc, *found), self.read_failed)

    def _checked(self, sscc: str, refused: Refused | None, item: _Item | None) -> None:
        if sscc != self.sscc:
            return  # the container was closed or cancelled meanwhile
        if refused is None and item is not None:
            refused = self._late_refusal(item)
        if refused is not None or item is None:
            self.refuse(refused or Refused("unknown_item", "Not known."), audit=True)
            return
        self.items.append(item)
        self._fill_table(
            [
                (i.uri, i.gtin, i.lot, i.serial or i.uri, self._method_text(i.method))
                for i in self.items
            ]
        )
        self._show_state()
        full = len(self.items) >= self.target.value()
        self.give(
            Outcome.ACCEPTED,
            self.tr("FULL — {n} / {target}: press Close").format(
                n=len(self.items), target=self.target.value()
            )
            if full
            else self.tr("PACKED {n} / {target}").format(
                n=len(self.items), target=self.target.value()
            ),
            visible(item.serial or item.uri),
        )
        if full:
            self.close_button.setFocus()

    def _late_refusal(self, item: _Item) -> Refused | None:
        """The list's own rules, again when the check answers (scans may come faster than
        the checks): listed once, the target, one lot."""
        if any(i.uri == item.uri for i in self.items):
            return Refused("no_items", f"{item.uri} is listed already.", subject=item.uri)
        if len(self.items) >= self.target.value():
            return Refused("container_full", "The container is full.", subject=item.uri)
        lot = next((i.lot for i in self.items if i.lot), None)
        if self.one_lot.isChecked() and lot is not None and item.kind != "sscc" and item.lot != lot:
            return Refused(
                "wrong_lot", f"{item.uri} is of lot {item.lot}, not {lot}.", subject=item.uri
            )
        return None

    def _show_items(self) -> None:
        self._fill_table(
            [(i.uri, i.gtin, i.lot, i.serial, self._method_text(i.method)) for i in self.items]
        )

    def _method_text(self, method: str) -> str:
        return self.tr("typed, confirmed") if method == MANUAL else self.tr("scanned")

    # -- buttons --------------------------------------------------------------------------

    def remove_last(self) -> None:
        """Take the last scanned item off the list (nothing was recorded for it)."""
        if self.sscc is None or not self.items:
            return
        removed = self.items.pop()
        self._fill_table(
            [
                (i.uri, i.gtin, i.lot, i.serial or i.uri, self._method_text(i.method))
                for i in self.items
            ]
        )
        self._show_state()
        self.banner.show_prompt(self.tr("Removed {item}").format(item=visible(removed.uri)))
        self.entry.setFocus()

    def cancel_container(self) -> None:
        """Forget the open container (nothing recorded; a new SSCC stays allocated, unused) or
        the container on show."""
        self.sscc, self.sscc_entry, self.items = None, None, []
        self.viewed, self.viewed_entry = None, None
        self._fill_table([])
        self.reason.clear()
        self._show_state()
        self.banner.show_prompt(self.ready_prompt())
        self.entry.setFocus()

    def close_container(self) -> None:
        """Record the aggregation (AggregationEvent ADD); "closed" only after COMMIT."""
        sscc, items = self.sscc, list(self.items)
        if sscc is None or not items or self.writes_pending:
            return
        codes = [(i.text, i.method) for i in items]
        if self.sscc_entry is not None:  # a scanned or typed SSCC label, not one made here
            codes.insert(0, self.sscc_entry)

        def work(conn: Connection, ctx: WriteContext) -> RecordedEvent:
            return pack(conn, ctx, sscc=sscc, children=[i.uri for i in items])

        if self.record(
            work, codes, lambda _event: self._closed(sscc, items), lambda _e: self._show_state()
        ):
            self._show_state()

    def _closed(self, sscc: str, items: list[_Item]) -> None:
        self.last_closed = (sscc, items)
        if self.sscc == sscc:
            self.sscc, self.sscc_entry, self.items = None, None, []
            self._fill_table([])
        self._show_state()
        self.give(
            Outcome.ACCEPTED,
            self.tr("CLOSED — recorded"),
            self.tr("{sscc}: {n} item(s) packed").format(sscc=sscc, n=len(items)),
        )
        self.entry.setFocus()

    def unpack(self) -> None:
        """Take the selected items (none selected: all) out of the container on show."""
        viewed = self.viewed
        if viewed is None or self.writes_pending:
            return
        reason = self.reason.text()
        if not reason.strip():
            self.refuse(Refused("reason_required", "Say why the container is opened."))
            self.reason.setFocus()
            return
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        chosen = [viewed.content[row].uri for row in rows] or [p.uri for p in viewed.content]
        if not chosen:
            self.refuse(Refused("no_items", "The container is empty."))
            return

        def work(conn: Connection, ctx: WriteContext) -> RecordedEvent:
            return unpack(conn, ctx, sscc=viewed.sscc, children=chosen, reason=reason)

        codes = [self.viewed_entry] if self.viewed_entry is not None else []

        def done(_event: RecordedEvent) -> None:
            self.reason.clear()
            self.give(
                Outcome.ACCEPTED,
                self.tr("UNPACKED — recorded"),
                self.tr("{n} item(s) taken out of {sscc}").format(n=len(chosen), sscc=viewed.sscc),
            )
            self.reader.read(
                lambda conn: (viewed.sscc, container(conn, viewed.sscc)),
                self._reviewed,
                self.read_failed,
            )

        if self.record(work, codes, done, lambda _e: self._show_state()):
            self._show_state()

    def _reviewed(self, found: tuple[str, Container | None]) -> None:
        sscc, recorded = found
        if self.viewed is not None and self.viewed.sscc == sscc and recorded is not None:
            self.viewed = recorded
            self._fill_table([(p.uri, p.gtin, p.lot, p.serial, "") for p in recorded.content])
        self._show_state()
        self.entry.setFocus()

    def print_sscc(self) -> None:
        """The SSCC label of the last closed container, through the print dialog."""
        if self.last_closed is None:
            return
        sscc, items = self.last_closed
        data = {"sscc": sscc, "count": str(len(items))}
        gtins = {i.gtin for i in items if i.gtin}
        lots = {i.lot for i in items if i.lot}
        if len(gtins) == 1:
            data["content_gtin"] = gtins.pop()
        if len(lots) == 1:
            data["lot"] = lots.pop()
        self.print_labels("sscc-pallet", data)

    def print_units(self) -> None:
        """The station's own print dialog, for serialised unit labels with print-and-verify."""
        opener = self.env.extras.get("open_print_dialog")
        if callable(opener):
            opener()
            return
        self.banner.show_prompt(self.tr("Printing is not configured on this station."))
        self.entry.setFocus()
