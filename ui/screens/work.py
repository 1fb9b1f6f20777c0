"""What the goods-in, packing and shipping screens share: reads off the GUI thread, writes
through the writer, the verdict banner with its sound, refusals in words, and the P11-H1
confirmation of typed codes.

* **Reads** (:class:`ReadWorker`) run on one plain thread per screen with its own short
  connection, in the order they were asked; the result comes back on the GUI thread, and is
  dropped if the screen is gone. The GUI thread never waits for SQLite.
* **Writes** (:meth:`FloorScreen.write`) go to the single writer with
  :class:`~ui.tasks.StationOp` and the signed-in user's context; ``done`` runs only after
  COMMIT. A refusal or denial is audited in a new transaction (P11-F1) and shown refused.
* **Typed codes** (P11-H1): a code with no AIM identifier, or typed into the entry line, is
  *manual entry*. It is not used until the operator confirms it (Enter on the focused
  "Confirm typed code" button, Esc discards). :meth:`FloorScreen.record` writes the event
  with the entry method of the codes behind it (``st:entryMethod``: ``manual`` if any was
  typed, else ``scanned``) and, for typed ones, a ``scan.manual`` audit entry of who
  confirmed which codes (:func:`station.floor.entry.record_manual_entry`), in one transaction.
* **Sessions**: when the session changes (sign-out, lock, idle timeout, another badge, a new
  sign-in) the screen forgets its unfinished work (:meth:`FloorScreen.forget_work`: the
  chosen order, half-listed items, a typed code awaiting confirmation), and answers to reads
  and writes asked for in the old session are not shown: the next person starts clean.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.engine import Engine

import station.udi
from station.access import NotAuthenticatedError, NotPermittedError
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.floor.entry import MANUAL, entry_method, event_entry_method, record_manual_entry
from station.scanning.raw import RawScan
from station.services.errors import Refused, audit_refusal
from station.udi.model import ParsedCode, Scheme
from ui.audited import audit_failure
from ui.display import shorten, visible
from ui.feedback import Outcome
from ui.gui_thread import call_on_gui_thread
from ui.i18n import tr_issue
from ui.qt import (
    QAbstractItemView,
    QAction,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QObject,
    QPushButton,
    QStandardItem,
    QStandardItemModel,
    Qt,
    QTableView,
    QWidget,
)
from ui.screens.base import ScreenEnv, StationScreen
from ui.tasks import StationOp
from ui.widgets.outcome_banner import OutcomeBanner
from ui.widgets.scan_entry import ScanEntry

__all__ = [
    "ENTRY_SOURCE",
    "Entered",
    "FloorScreen",
    "ReadWorker",
    "amount",
    "cell",
    "plain",
    "read_only_table",
]

_log = logging.getLogger(__name__)
T = TypeVar("T")
#: The source of codes typed into a screen's entry line (always manual entry).
ENTRY_SOURCE = "keyboard:entry"
#: Longest text taken as an order number; the reader's issue for a text that is no UDI.
_DOCUMENT_MAX = 64
_UNKNOWN_FORMAT = "scan.unknown_format"
#: Longest scan text quoted in a banner.
_QUOTE = 80


def plain(label: QLabel, *, wrap: bool = True, scale: float = 1.0, bold: bool = False) -> QLabel:
    """Make ``label`` plain text (SEC-8), optionally larger or bold."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(False)
    label.setWordWrap(wrap)
    if scale != 1.0 or bold:
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * scale)
        font.setBold(bold)
        label.setFont(font)
    return label


def read_only_table(parent: QWidget, model: QStandardItemModel, name: str) -> QTableView:
    """A keyboard-friendly, read-only table of plain-text cells."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def cell(text: str) -> QStandardItem:
    """A plain-text, read-only cell (the default delegate never renders markup)."""
    item = QStandardItem(visible(text))
    item.setEditable(False)
    return item


def amount(value: float) -> str:
    return f"{value:g}"


#: A code behind an event: its text as read and how it was entered (``scanned``/``manual``).
Entered = tuple[str, str]


def _unlisten(listeners: list[Callable[[Any], None]], listener: Callable[[Any], None]) -> None:
    if listener in listeners:
        listeners.remove(listener)


_Job = tuple[
    Callable[[Connection], Any], Callable[[Any], None], Callable[[BaseException], None], int
]


class ReadWorker:
    """Reads for one screen, on one plain daemon thread, in order; answers on the GUI thread.

    Each read opens a short connection of its own (WAL readers never block the writer).
    :meth:`forget` drops the answers of every read asked for before it (a session ended).
    """

    def __init__(self, owner: QObject, engine: Engine, name: str) -> None:
        self._owner = owner
        self._engine = engine
        self._name = name
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.pending = 0  # reads asked for and not answered yet (GUI thread only)
        self._epoch = 0  # bumped by forget(); answers of older reads are dropped

    def read(
        self,
        fn: Callable[[Connection], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Run ``fn(conn)`` off the GUI thread; ``done(result)`` or ``failed(error)`` on it."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
        self.pending += 1
        self._jobs.put((fn, done, failed, self._epoch))

    def forget(self) -> None:
        """Drop the answers of the reads asked for so far (GUI thread)."""
        self._epoch += 1

    def stop(self) -> None:
        self._jobs.put(None)

    def _run(self) -> None:  # on the read thread
        while (job := self._jobs.get()) is not None:
            fn, done, failed, epoch = job
            try:
                with self._engine.connect() as conn:
                    result = fn(conn)
            except Exception as error:  # handed to the screen, which shows it
                call_on_gui_thread(self._owner, partial(self._answer, failed, error, epoch))
            else:
                call_on_gui_thread(self._owner, partial(self._answer, done, result, epoch))

    def _answer(self, callback: Callable[[Any], None], value: object, epoch: int) -> None:
        self.pending -= 1
        if epoch == self._epoch:
            callback(value)


class FloorScreen(StationScreen):
    """A role screen driven by scans: entry line, verdict banner, typed-code confirmation.

    Subclasses build their body in ``__init__`` (after calling this one), put
    :attr:`entry_row`, :attr:`banner` and :attr:`confirm_row` where they like, and implement
    :meth:`take` for a code that may be used (scanned, or typed and confirmed).
    """

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.reader = ReadWorker(self, env.store.engine, f"{self.screen_id}-reads")
        self.destroyed.connect(self.reader.stop)
        self.writes_pending = 0
        self.entry = ScanEntry(self)
        self.entry.setObjectName("scanEntry")
        self.entry.submitted.connect(self._typed)
        self.banner = OutcomeBanner(self)
        self.banner.headline.setObjectName("verdict")
        #: A typed code waiting for confirmation: (scan, reading).
        self.pending_manual: tuple[RawScan, ParsedCode] | None = None
        self.confirm_button = QPushButton(self.tr("Confirm typed code"), self)
        self.confirm_button.setObjectName("confirmTypedButton")
        self.confirm_button.setAutoDefault(True)  # Enter on the focused button confirms
        self.confirm_button.clicked.connect(self.confirm_manual)
        self.discard_button = QPushButton(self.tr("Discard (Esc)"), self)
        self.discard_button.setObjectName("discardTypedButton")
        self.discard_button.clicked.connect(self.discard_manual)
        escape = QAction(self)
        escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        escape.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.triggered.connect(self.discard_manual)
        self.addAction(escape)
        self.confirm_row = QHBoxLayout()
        self.confirm_row.addWidget(self.confirm_button)
        self.confirm_row.addWidget(self.discard_button)
        self.confirm_row.addStretch(1)
        self._show_confirm(shown=False)
        self.entry_row = QHBoxLayout()
        caption = plain(QLabel(self.tr("&Code:"), self), wrap=False)
        caption.setBuddy(self.entry)
        self.entry_row.addWidget(caption)
        self.entry_row.addWidget(self.entry, 1)
        #: Bumped when the session changes: write answers of an older session are not shown.
        self.session_epoch = 0
        env.session_listeners.append(self._session_changed)
        self.destroyed.connect(partial(_unlisten, env.session_listeners, self._session_changed))

    # -- sessions -----------------------------------------------------------------------------

    def _session_changed(self, _session: object) -> None:
        self.session_epoch += 1
        self.reader.forget()
        self.forget_work()

    def forget_work(self) -> None:
        """Forget the last user's unfinished work (the session changed). Subclasses extend it
        with their own (the chosen order, listed items) and call this one."""
        self.pending_manual = None
        self._show_confirm(shown=False)
        self.entry.clear()
        self.banner.show_prompt(self.ready_prompt())

    def ready_prompt(self) -> str:
        """What the banner asks for when nothing is under way."""
        return self.tr("Scan a code")

    def show_state(self) -> None:
        """Bring buttons and counts up to date with the screen's state (after a write of an
        ended session answered, whose own callback is not run). Subclasses override it."""

    # -- scans in ---------------------------------------------------------------------------

    def handle_scan(self, scan: RawScan) -> None:
        """One scan (GUI thread): read it, hold a typed item code for confirmation, else take it."""
        code = station.udi.read_scan(scan.reader_input())
        method = entry_method(scan.source, code.symbology)
        if method == MANUAL and self.is_item(code):
            self.pending_manual = (scan, code)
            self._show_confirm(shown=True)
            self.give(
                Outcome.WARNING,
                self.tr("Typed code — check it against the label"),
                self.tr("{code}\nEnter confirms it, Esc discards it.").format(
                    code=shorten(visible(code.text), _QUOTE)
                ),
            )
            self.confirm_button.setFocus()
            return
        self.take(code, method)

    def _typed(self, text: str) -> None:
        self.handle_scan(RawScan.now(text.encode("utf-8", "surrogatepass"), ENTRY_SOURCE))

    def is_item(self, code: ParsedCode) -> bool:
        """Whether a code names an item (manual entry of it needs confirming), not a document."""
        return code.valid and (code.di is not None or code.sscc is not None)

    def document_number(self, code: ParsedCode) -> str | None:
        """The text of a scan that is no UDI at all: a PO or SO number's barcode."""
        if (
            code.scheme is Scheme.UNKNOWN
            and 0 < len(code.text) <= _DOCUMENT_MAX
            and all(issue.code == _UNKNOWN_FORMAT for issue in code.errors)
        ):
            return code.text
        return None

    def refuse_unreadable(self, code: ParsedCode) -> None:
        """Refuse a code that is neither a valid item code nor a document number."""
        first = (code.errors or (None,))[0]
        message = tr_issue(first) if first is not None else "The scan is not a valid code."
        self.refuse(Refused("invalid_code", message))

    def confirm_manual(self) -> None:
        if self.pending_manual is None:
            return
        _scan, code = self.pending_manual
        self.pending_manual = None
        self._show_confirm(shown=False)
        self.entry.setFocus()
        self.take(code, MANUAL)

    def discard_manual(self) -> None:
        if self.pending_manual is None:
            return
        self.pending_manual = None
        self._show_confirm(shown=False)
        self.banner.show_prompt(self.tr("Typed code discarded — scan again"))
        self.entry.setFocus()

    def _show_confirm(self, *, shown: bool) -> None:
        self.confirm_button.setVisible(shown)
        self.discard_button.setVisible(shown)
        self.confirm_button.setEnabled(shown)
        self.discard_button.setEnabled(shown)

    def take(self, code: ParsedCode, method: str) -> None:
        """Use a code: scanned, or typed and confirmed (``method`` is ``manual`` then)."""
        raise NotImplementedError

    # -- verdicts -----------------------------------------------------------------------------

    def give(self, outcome: Outcome, headline: str, detail: str = "") -> None:
        """The banner and the sound; ``detail`` may hold scan text (shown plain)."""
        self.banner.show_outcome(outcome, headline, detail)
        feedback = self.env.feedback
        sound = {
            Outcome.ACCEPTED: feedback.accepted,
            Outcome.WARNING: feedback.warning,
            Outcome.REFUSED: feedback.refused,
        }[outcome]
        sound(headline)

    def refusal_title(self, refused: Refused) -> str:
        """The refusal in a few words, by its stable reason code."""
        titles = {
            "invalid_code": self.tr("Not a valid code"),
            "unknown_di": self.tr("Unknown product"),
            "unknown_order": self.tr("Unknown order"),
            "order_closed": self.tr("Order is not open"),
            "not_on_order": self.tr("Wrong product for this order"),
            "supplier_unqualified": self.tr("Supplier not qualified"),
            "supplier_qualification_expired": self.tr("Supplier qualification lapsed"),
            "supplier_conditional": self.tr("Supplier only conditionally qualified"),
            "expired": self.tr("Expired"),
            "serial_required": self.tr("Serial number required"),
            "lot_required": self.tr("Lot number required"),
            "bad_quantity": self.tr("Wrong quantity"),
            "bad_date": self.tr("Implausible date"),
            "duplicate": self.tr("Duplicate"),
            "unknown_item": self.tr("Not known at this station"),
            "on_hold": self.tr("On hold"),
            "reason_required": self.tr("A reason is required"),
            "no_items": self.tr("Listed already, or nothing listed"),
            "wrong_state": self.tr("Not allowed in its current state"),
            "not_commissioned": self.tr("Not commissioned"),
            "already_packed": self.tr("Already packed elsewhere"),
            "not_in_container": self.tr("Not in this container"),
            "in_container": self.tr("Packed in a container"),
            "invalid_sscc": self.tr("Not a valid SSCC"),
            "not_released": self.tr("Not released for shipping"),
            "wrong_lot": self.tr("Wrong lot for this container"),
            "container_full": self.tr("Container full"),
            "station_not_configured": self.tr("Station not configured"),
            "sscc_not_configured": self.tr("SSCC prefix or block not usable"),
            "sscc_exhausted": self.tr("SSCC block used up"),
        }
        return titles.get(refused.reason, refused.reason)

    def refuse(self, refused: Refused, *, audit: bool = False) -> None:
        """Show a refusal (sound, banner); ``audit``: record it too (a scan refused at once)."""
        self.give(
            Outcome.REFUSED,
            self.tr("REFUSED — {what}").format(what=self.refusal_title(refused)),
            visible(str(refused)),
        )
        if audit:
            ctx = self.context()
            if ctx is not None:
                self.audit(lambda conn: audit_refusal(conn, ctx, refused))

    def audit(self, fn: Callable[[Connection], None]) -> None:
        StationOp(self, self.env.store.writer, fn).failure(self._audit_failed).run()

    def _audit_failed(self, error: BaseException) -> None:
        _log.error("a refusal could not be audited: %s", error)

    def read_failed(self, error: BaseException) -> None:
        """A read that failed: a refusal as such, anything else as "could not read"."""
        if isinstance(error, Refused):
            self.refuse(error)
            return
        _log.error("a read for %s failed: %r", self.screen_id, error)
        self.give(Outcome.REFUSED, self.tr("Could not read the database"), visible(str(error)))

    # -- writes -------------------------------------------------------------------------------

    def context(self) -> WriteContext | None:
        """The signed-in user's context; None (and refused on screen) when nobody is."""
        try:
            return self.env.context()
        except NotAuthenticatedError:
            self.give(Outcome.REFUSED, self.tr("Sign in first"), "")
            return None

    def write(
        self,
        fn: Callable[[Connection, WriteContext], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> bool:
        """Record ``fn`` on the writer as the signed-in user; ``done`` after COMMIT.

        A refusal or denial is audited, shown, then ``failed`` (if any) is called.
        Returns False when nobody is signed in (nothing submitted).
        """
        ctx = self.context()
        if ctx is None:
            return False
        self.writes_pending += 1
        epoch = self.session_epoch

        def succeeded(result: T) -> None:
            self.writes_pending -= 1
            if epoch == self.session_epoch:
                done(result)
            else:  # the user has gone: the answer is not the next one's to see
                self.show_state()

        def refused(error: BaseException) -> None:
            self.writes_pending -= 1
            if epoch != self.session_epoch:
                self._audit_only(error, ctx)
                self.show_state()
                return
            self.write_failed(error, ctx)
            if failed is not None:
                failed(error)

        StationOp(self, self.env.store.writer, lambda conn: fn(conn, ctx)).success(
            succeeded
        ).failure(refused).run()
        return True

    def record(
        self,
        fn: Callable[[Connection, WriteContext], RecordedEvent],
        codes: Sequence[Entered],
        done: Callable[[RecordedEvent], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> bool:
        """Record the event ``fn`` makes from ``codes`` (text, entry method) — see :meth:`write`.

        The event carries the codes' entry method (``st:entryMethod``), and typed codes get
        their ``scan.manual`` audit entry, in the same transaction (P11-H1).
        """
        method = event_entry_method(m for _text, m in codes)
        typed = [text for text, m in codes if m == MANUAL]

        def work(conn: Connection, ctx: WriteContext) -> RecordedEvent:
            entered = replace(ctx, entry_method=method)
            event = fn(conn, entered)
            if typed:
                record_manual_entry(
                    conn, entered, event_id=event.event_id, codes=typed, screen=self.screen_id
                )
            return event

        return self.write(work, done, failed)

    def _audit_only(self, error: BaseException, ctx: WriteContext) -> None:
        audit = audit_failure(error, ctx)
        if audit is not None:
            self.audit(audit)

    def write_failed(self, error: BaseException, ctx: WriteContext) -> None:
        self._audit_only(error, ctx)
        if isinstance(error, Refused):
            self.refuse(error)
        elif isinstance(error, NotPermittedError):
            self.give(Outcome.REFUSED, self.tr("REFUSED — not permitted"), str(error))
        elif isinstance(error, NotAuthenticatedError):
            self.give(Outcome.REFUSED, self.tr("Signed out — sign in again"), str(error))
        else:
            _log.error("a write on %s failed: %r", self.screen_id, error)
            self.give(Outcome.REFUSED, self.tr("NOT recorded"), visible(str(error)))
        self.entry.setFocus()

    # -- printing -----------------------------------------------------------------------------

    def print_labels(self, template: str, data: dict[str, str]) -> bool:
        """Open the station's print dialog on ``template`` filled with ``data``.

        Uses ``env.extras["printing"]`` (a print set-up source, as the print dialog takes);
        without it, says that printing is not configured and returns False.
        """
        from ui.views.label_print import LabelPrintDialog  # noqa: PLC0415 - on first print

        source = self.env.extras.get("printing")
        if source is None or not callable(getattr(source, "open", None)):
            self.banner.show_prompt(self.tr("Printing is not configured on this station."))
            return False
        language = str(self.env.extras.get("language", "en"))
        dialog = LabelPrintDialog(source, language, self)  # type: ignore[arg-type]
        dialog.setObjectName(f"{self.screen_id}PrintDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def fill() -> None:
            index = dialog.template_box.findData(template)
            if index < 0:
                dialog.status.setText(
                    self.tr("The template {name} is not approved for printing.").format(
                        name=template
                    )
                )
                return
            dialog.template_box.setCurrentIndex(index)
            for key, value in data.items():
                edit = dialog.fields.get(key)
                if edit is not None:
                    edit.setText(value)

        dialog.ready.connect(fill)
        dialog.finished.connect(lambda _result: self.entry.setFocus())
        self.print_dialog = dialog
        dialog.show()
        return True
