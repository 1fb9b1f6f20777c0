"""What the Trace (F5) and Recall (F10) screens share: the code lookup and the report export.

:class:`CodeLookup`: a person scans or types a code (Enter, or the screen's button), and the
screen's read — a function of a read connection, the signed-in user's context and the code —
runs on a worker thread (:func:`ui.screens.background.run_read`). Meanwhile the banner says
what is being looked up and the busy bar runs; the newest answer goes to the screen on the
GUI thread, one overtaken by a newer code is dropped (:class:`~ui.screens.background.Latest`),
and a failure is shown refused with the refused sound. Nobody signed in: *Not signed in*.

:class:`ReportExport`: *Export PDF…* / *Export CSV…* write the report of what is shown on a
worker, audited (:func:`ui.screens.exports.export_report`), and say where the entry went.

The screens keep only what differs: what they read, how they show it, which report they write.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection

from station.context import WriteContext
from ui.display import visible
from ui.feedback import Outcome
from ui.qt import QHBoxLayout, QLabel, QObject, QProgressBar, QPushButton, QWidget, Signal
from ui.screens.background import Latest, run_job, run_read
from ui.screens.base import StationScreen
from ui.screens.exports import ask_save_path
from ui.widgets.outcome_banner import OutcomeBanner
from ui.widgets.plain import plain_label
from ui.widgets.scan_entry import ScanEntry

__all__ = ["CodeLookup", "ReportExport", "busy_bar"]

T = TypeVar("T")
#: A screen's read: (connection, the signed-in user's context, the code) → its answer.
Read = Callable[[Connection, WriteContext, str | bytes], T]


def busy_bar(parent: QWidget, name: str) -> QProgressBar:
    """A thin indeterminate bar, hidden until work starts."""
    bar = QProgressBar(parent)
    bar.setObjectName(name)
    bar.setRange(0, 0)  # indeterminate: the work does not report steps
    bar.setTextVisible(False)
    bar.setMaximumHeight(8)
    bar.setVisible(False)
    return bar


class CodeLookup(QObject):
    """The entry row (caption, scan entry, action button), the outcome banner and the busy
    bar, made on ``screen`` (which places them), and the read of a code on a worker."""

    def __init__(
        self, screen: StationScreen, *, name: str, caption: str, action: str, prompt: str
    ) -> None:
        super().__init__(screen)
        self.env = screen.env
        self._latest = Latest()
        self.entry = ScanEntry(screen)
        self.entry.setObjectName(f"{name}Entry")
        self.button = QPushButton(action, screen)
        self.button.setObjectName(f"{name}Button")
        self.button.clicked.connect(self.entry.submit)
        self.caption = plain_label(caption, screen)
        self.caption.setWordWrap(False)
        self.caption.setBuddy(self.entry)
        self.banner = OutcomeBanner(screen)
        self.banner.show_prompt(prompt)
        self.busy = busy_bar(screen, f"{name}Busy")

    def entry_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.caption)
        row.addWidget(self.entry, 1)
        row.addWidget(self.button)
        return row

    def context(self) -> WriteContext | None:
        """The signed-in user's context; None, shown refused, when nobody is signed in."""
        try:
            return self.env.context()
        except Exception as error:  # nobody signed in, or the session ended: say so
            self.refuse(self.tr("Not signed in"), str(error))
            return None

    def look_up(
        self,
        code: str | bytes,
        read: Read[T],
        done: Callable[[T], None],
        *,
        busy_text: str,
        failure: str,
        name: str,
    ) -> None:
        """``read`` ``code`` on a worker, ``busy_text`` on the banner meanwhile; the answer
        to ``done`` unless a newer code overtook it; a failure refused as ``failure``."""
        ctx = self.context()
        if ctx is None:
            return
        ticket = self._latest.next()
        self.busy.setVisible(True)
        self.banner.show_prompt(busy_text)
        run_read(
            self,
            self.env.store,
            lambda conn: read(conn, ctx, code),
            lambda answer: self._answered(ticket, answer, done),
            lambda error: self._failed(ticket, error, failure),
            name=name,
        )

    def _answered(self, ticket: int, answer: T, done: Callable[[T], None]) -> None:
        if self._latest.is_current(ticket):
            self.busy.setVisible(False)
            done(answer)

    def _failed(self, ticket: int, error: BaseException, failure: str) -> None:
        if self._latest.is_current(ticket):
            self.busy.setVisible(False)
            self.refuse(failure, str(error))

    def accept(self, headline: str, detail: str) -> None:
        """Green banner and the accepted sound; ``detail`` (data) has its characters marked."""
        self.banner.show_outcome(Outcome.ACCEPTED, headline, visible(detail))
        self.env.feedback.accepted(headline)

    def refuse(self, headline: str, detail: str) -> None:
        """Red banner and the refused sound; ``detail`` (data) has its characters marked."""
        self.banner.show_outcome(Outcome.REFUSED, headline, visible(detail))
        self.env.feedback.refused(headline)


class ReportExport(QObject):
    """The two export buttons and the message line (made on the screen, placed by it).

    A button asks for the file and calls ``export(path, fmt)`` (the screen's); the screen
    then calls ``write(path, work)``, which runs ``work(ctx)`` — it writes and audits the file
    and says where the entry went — on a worker, with the buttons disabled and the busy bar
    running; afterwards they are enabled again if ``exportable()``.
    Signals (GUI thread): ``written(str)`` with where the entry went, ``failed(str)`` with
    the message shown.
    """

    written = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        screen: StationScreen,
        lookup: CodeLookup,
        *,
        name: str,
        title: str,
        export: Callable[[Path, str], None],
        exportable: Callable[[], bool],
    ) -> None:
        super().__init__(screen)
        self._screen = screen
        self._lookup = lookup
        self._name = name
        self._title = title
        self._export = export
        self._exportable = exportable
        self.pdf_button = QPushButton(self.tr("Export &PDF…"), screen)
        self.pdf_button.setObjectName(f"{name}Pdf")
        self.pdf_button.clicked.connect(lambda: self.ask("pdf"))
        self.csv_button = QPushButton(self.tr("Export &CSV…"), screen)
        self.csv_button.setObjectName(f"{name}Csv")
        self.csv_button.clicked.connect(lambda: self.ask("csv"))
        self.message: QLabel = plain_label("", screen)
        self.set_enabled(enabled=False)

    def set_enabled(self, *, enabled: bool) -> None:
        self.pdf_button.setEnabled(enabled)
        self.csv_button.setEnabled(enabled)

    def ask(self, fmt: str) -> None:
        """Ask where to write the ``fmt`` report, then have the screen export it there."""
        pattern = self.tr("PDF files (*.pdf)") if fmt == "pdf" else self.tr("CSV files (*.csv)")
        path = ask_save_path(self._screen, self._title, f"{self._name}.{fmt}", pattern)
        if path is not None:
            self._export(path, fmt)

    def write(self, path: Path, work: Callable[[WriteContext], str]) -> None:
        """Write (and audit) the report at ``path`` on a worker: ``work(ctx)`` does it."""
        ctx = self._lookup.context()
        if ctx is None:
            return
        self.set_enabled(enabled=False)
        self._lookup.busy.setVisible(True)
        self.message.setText(self.tr("Writing the report…"))
        run_job(
            self,
            lambda: work(ctx),
            lambda where: self._written(path, where),
            self._failed,
            name=f"{self._name}-export",
        )

    def _written(self, path: Path, where: str) -> None:
        self._lookup.busy.setVisible(False)
        self.set_enabled(enabled=self._exportable())
        self.message.setText(
            visible(self.tr("Report written: {path} ({where})").format(path=path, where=where))
        )
        self._lookup.env.feedback.accepted(self.tr("Report written"))
        self.written.emit(where)

    def _failed(self, error: BaseException) -> None:
        self._lookup.busy.setVisible(False)
        self.set_enabled(enabled=self._exportable())
        message = self.tr("Nothing exported: {error}").format(error=str(error))
        self.message.setText(visible(message))
        self._lookup.env.feedback.refused(self.tr("Nothing exported"))
        self.failed.emit(message)
