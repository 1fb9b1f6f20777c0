"""The print dialog: choose an approved template, fill its data, print a batch and read it back.

Nothing here blocks the GUI thread (``docs/architecture.md`` §4):

* the print set-up (the store, the printers) is opened on a plain thread the first time the
  dialog is shown, and the approved templates are read there too;
* the plan (serials allocated, the job committed) runs on the database writer through
  :class:`~ui.tasks.StationOp`;
* render, send, the outcome, and each label's read-back run on a plain thread
  (:func:`ui.print_run.run_print_job`), whose database steps wait on the writer. Its progress
  reaches the dialog through queued signals, so the progress bar and the status line are
  updated on the GUI thread, once per label.

Cancel sets an event the run looks at before sending and between labels. Every text that
comes from data, a template or an error is shown as plain text.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Mapping
from functools import partial
from typing import Protocol

from station.context import WriteContext
from station.errors import StationError
from station.labels.data import LabelData
from station.labels.printing import PlannedJob, plan_print
from station.labels.template import LabelTemplate
from ui.audited import audit_failure
from ui.label_verifiers import LabelVerifier
from ui.print_run import (
    CHECKED,
    RENDER,
    SEND,
    SENT,
    VERIFY,
    PrintRunResult,
    run_print_job,
)
from ui.print_setup import PrintSetup
from ui.qt import (
    QCheckBox,
    QCloseEvent,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QShowEvent,
    QSpinBox,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    Slot,
)
from ui.tasks import StationOp

_log = logging.getLogger(__name__)

__all__ = ["LabelPrintDialog", "PrintSetupSource"]

#: Data keys the station fills itself (the dialog never asks for them).
_STATION_KEYS = frozenset({"serial"})
MAX_COPIES = 10_000
PREFERRED_TEMPLATE = "udi-unit"  # offered first: the label a packaging line prints most


class PrintSetupSource(Protocol):
    """Opens the print set-up (blocking; called on a worker thread)."""

    def open(self) -> PrintSetup: ...


#: How often the GUI thread picks up the workers' news (progress, results), ms.
_DRAIN_MS = 30
_Inbox = queue.SimpleQueue[tuple[str, tuple[object, ...]]]


def _plain(label: QLabel, *, wrap: bool = True) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


class LabelPrintDialog(QDialog):
    """Template, data, copies, printer, "read back with the camera", Print / Cancel / Close.

    ``progress_changed(step, done, total)`` and ``run_finished(PrintRunResult)`` are emitted on
    the GUI thread; ``ready`` once the set-up is open and the templates are listed.
    """

    ready = Signal()
    progress_changed = Signal(str, int, int)
    run_finished = Signal(object)

    def __init__(
        self, source: PrintSetupSource, language: str = "en", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Print labels"))
        self.setObjectName("labelPrintDialog")
        self.setMinimumWidth(680)
        self._source = source
        self._language = language
        self.setup: PrintSetup | None = None
        self.templates: dict[str, LabelTemplate] = {}
        self.fields: dict[str, QLineEdit] = {}
        self.running = False
        self.last_result: PrintRunResult | None = None
        self._cancel = threading.Event()
        self._verifier: LabelVerifier | None = None
        #: Who prints the job being planned or run (the signed-in user at the click).
        self._job_ctx: WriteContext | None = None
        self._opener: threading.Thread | None = None
        self._runner: threading.Thread | None = None
        self._shut = False
        self._filling = False

        # Worker threads never touch a Qt object: they post to this queue, and a timer on the
        # GUI thread hands the news to the dialog. A thread that outlives the dialog then posts
        # into a queue nobody reads, instead of emitting on a deleted C++ object.
        # The threads hold the queue, never the dialog: news is (handler name, arguments).
        self._inbox: _Inbox = queue.SimpleQueue()
        self._drain_timer = QTimer(self)
        self._drain_timer.setInterval(_DRAIN_MS)
        self._drain_timer.timeout.connect(self._drain)
        self._drain_timer.start()

        self._build()
        self._set_idle(enabled=False)

    def _build(self) -> None:
        self.template_box = QComboBox(self)
        self.template_box.currentIndexChanged.connect(self._template_chosen)
        self.fields_area = QWidget(self)
        self.fields_grid = QGridLayout(self.fields_area)
        self.fields_grid.setContentsMargins(0, 0, 0, 0)
        self.fields_grid.setColumnStretch(1, 1)
        self.serial_note = _plain(QLabel(self))
        self.copies = QSpinBox(self)
        self.copies.setRange(1, MAX_COPIES)
        self.printer_box = QComboBox(self)
        self.camera_check = QCheckBox(self.tr("Read back with the camera"), self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%v/%m")
        self.status = _plain(QLabel(self.tr("Opening the label store…"), self))
        self.error = _plain(QLabel(self))
        self.error.setObjectName("printError")
        self.error.setStyleSheet("color: #b00020;")
        self.print_button = QPushButton(self.tr("Print"), self)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.start_print)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)
        self._lay_out()

    def _lay_out(self) -> None:
        form = QGridLayout()
        form.addWidget(QLabel(self.tr("Template"), self), 0, 0)
        form.addWidget(self.template_box, 0, 1)
        form.addWidget(self.fields_area, 1, 0, 1, 2)
        form.addWidget(self.serial_note, 2, 0, 1, 2)
        form.addWidget(QLabel(self.tr("Copies"), self), 3, 0)
        form.addWidget(self.copies, 3, 1)
        form.addWidget(QLabel(self.tr("Printer"), self), 4, 0)
        form.addWidget(self.printer_box, 4, 1)
        form.addWidget(self.camera_check, 5, 0, 1, 2)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.print_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        form.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ opening

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._opener is None:
            self._opener = threading.Thread(
                target=self._open_setup,
                args=(self._source, self._inbox),
                name="label-print-open",
                daemon=True,
            )
            self._opener.start()

    @staticmethod
    def _open_setup(source: PrintSetupSource, inbox: _Inbox) -> None:  # on the opener thread
        try:
            setup = source.open()
            templates = setup.templates()
        except Exception as error:
            _log.exception("the label store did not open")
            inbox.put(("_open_failed", (str(error) or type(error).__name__,)))
            return
        inbox.put(("_opened", ((setup, templates),)))

    @Slot()
    def _drain(self) -> None:
        """On the GUI thread: hand the workers' news to its handlers, in order."""
        while True:
            try:
                name, args = self._inbox.get_nowait()
            except queue.Empty:
                return
            getattr(self, name)(*args)

    @Slot(object)
    def _opened(self, opened: tuple[PrintSetup, list[LabelTemplate]]) -> None:
        setup, templates = opened
        self.setup = setup
        self.templates = {t.name: t for t in templates}
        self.printer_box.clear()
        for printer in setup.printers:
            self.printer_box.addItem(printer.name, printer.name)
        self.camera_check.setEnabled(setup.camera_verifier is not None)
        self.camera_check.setChecked(setup.camera_verifier is not None)
        self._filling = True
        self.template_box.clear()
        for template in templates:
            title = template.title_zh if self._language.startswith("zh") else template.title_en
            self.template_box.addItem(
                f"{title} ({template.name} v{template.version})", template.name
            )
        self.template_box.setCurrentIndex(max(self.template_box.findData(PREFERRED_TEMPLATE), 0))
        self._filling = False
        if not templates:
            self.status.setText(self.tr("No template is approved for printing."))
            return
        self._template_chosen(self.template_box.currentIndex())
        self.status.setText(self.tr("Ready."))
        self._set_idle(enabled=True)
        self.ready.emit()

    @Slot(str)
    def _open_failed(self, message: str) -> None:
        self.status.setText(self.tr("The label store did not open."))
        self.error.setText(message)

    # ------------------------------------------------------------------ the form

    def _field_title(self, key: str) -> str:
        titles = {
            "gtin": self.tr("GTIN"),
            "lot": self.tr("Lot"),
            "expiry": self.tr("Expiry date (YYYY-MM-DD)"),
            "production_date": self.tr("Production date (YYYY-MM-DD)"),
            "quantity": self.tr("Quantity"),
            "sscc": self.tr("SSCC"),
            "content_gtin": self.tr("GTIN of the content"),
            "count": self.tr("Count of trade items"),
            "product_name_zh": self.tr("Product name (Chinese)"),
            "product_name_en": self.tr("Product name (English)"),
            "model": self.tr("Model"),
            "registration_no": self.tr("Registration number"),
            "supplier_name": self.tr("Supplier"),
            "po_number": self.tr("Purchase order"),
            "hibc_lic": self.tr("HIBC labeler code"),
            "hibc_pcn": self.tr("HIBC product code"),
            "hibc_uom": self.tr("HIBC unit of measure"),
        }
        return titles.get(key, key)

    @Slot(int)
    def _template_chosen(self, index: int) -> None:
        if self._filling:
            return
        name = self.template_box.itemData(index)
        template = self.templates.get(str(name)) if name is not None else None
        while self.fields_grid.count():
            item = self.fields_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.fields = {}
        if template is None:
            return
        samples: Mapping[str, str] = {}
        if self.setup is not None:
            samples = self.setup.samples.get(template.name, {})
        row = 0
        for key in template.fields:
            if key in _STATION_KEYS:
                continue
            required = key in template.required
            title = self._field_title(key)
            caption = _plain(
                QLabel(self.tr("{field} *").format(field=title) if required else title),
                wrap=False,  # a caption cut in half reads as a different field
            )
            edit = QLineEdit(self.fields_area)
            edit.setObjectName(f"field_{key}")
            edit.setText(samples.get(key, ""))
            if required:
                edit.setPlaceholderText(self.tr("required"))
            self.fields_grid.addWidget(caption, row, 0)
            self.fields_grid.addWidget(edit, row, 1)
            self.fields[key] = edit
            row += 1
        serialised = "serial" in template.fields
        self.serial_note.setText(
            self.tr("* required. Serials are allocated by the station, one per label.")
            if serialised
            else self.tr("* required.")
        )

    def label_data(self) -> LabelData:
        """The data typed in: every non-empty field, exactly as typed (no trimming)."""
        return LabelData.from_mapping({k: e.text() for k, e in self.fields.items() if e.text()})

    # ------------------------------------------------------------------ printing

    def _set_idle(self, *, enabled: bool) -> None:
        self.running = False
        for widget in (
            self.template_box,
            self.fields_area,
            self.copies,
            self.printer_box,
            self.print_button,
        ):
            widget.setEnabled(enabled)
        self.camera_check.setEnabled(
            enabled and self.setup is not None and self.setup.camera_verifier is not None
        )
        self.cancel_button.setEnabled(False)
        self.close_button.setEnabled(True)

    def _set_running(self) -> None:
        self.running = True
        for widget in (
            self.template_box,
            self.fields_area,
            self.copies,
            self.printer_box,
            self.camera_check,
            self.print_button,
            self.close_button,
        ):
            widget.setEnabled(False)
        self.cancel_button.setEnabled(True)

    @Slot()
    def start_print(self) -> None:
        setup = self.setup
        if setup is None or self.running:
            return
        self.error.clear()
        name = str(self.template_box.currentData())
        try:
            ctx = setup.current_ctx()  # who prints: the signed-in user, checked again on write
        except StationError as error:
            self.error.setText(str(error))
            return
        try:
            data = self.label_data()
        except StationError as error:
            self.error.setText(self.tr("The data cannot be printed: {reason}").format(reason=error))
            return
        printer = setup.printers[max(0, self.printer_box.currentIndex())]
        copies = self.copies.value()
        use_camera = self.camera_check.isChecked() and setup.camera_verifier is not None
        self._verifier = setup.camera_verifier if use_camera else setup.rendered_verifier
        self._cancel = threading.Event()
        self.progress.setRange(0, copies)
        self.progress.setValue(0)
        self.status.setText(self.tr("Planning the job…"))
        self._set_running()
        self._job_ctx = ctx
        plan = partial(
            plan_print,
            ctx=ctx,
            template=name,
            data=data,
            copies=copies,
            printer=printer.name,
            fmt=printer.language,
        )
        StationOp(self, setup.store.writer, plan).success(self._planned).failure(
            self._plan_failed
        ).run()

    def _planned(self, job: PlannedJob) -> None:
        setup = self.setup
        if setup is None or self._shut:
            return
        printer = next(p for p in setup.printers if p.name == job.printer)
        verifier, cancel, inbox = self._verifier, self._cancel, self._inbox
        ctx = self._job_ctx
        if ctx is None:
            return

        def work() -> None:  # on the print-run thread
            try:
                result = run_print_job(
                    setup.store.writer,
                    ctx,
                    job,
                    printer,
                    verifier,
                    progress=lambda *step: inbox.put(("_progressed", step)),
                    cancel=cancel,
                )
            except Exception as error:
                _log.exception("print job %s failed", job.job_id)
                inbox.put(("_run_failed", (str(error) or type(error).__name__,)))
                return
            inbox.put(("_finished", (result,)))

        self.status.setText(self.tr("Job planned; rendering…"))
        self._runner = threading.Thread(target=work, name="label-print-run", daemon=True)
        self._runner.start()

    def _plan_failed(self, error: BaseException) -> None:
        audit = audit_failure(error, self._job_ctx) if self._job_ctx is not None else None
        if audit is not None and self.setup is not None:  # the refusal leaves a trace (P11-F1)
            StationOp(self, self.setup.store.writer, audit).run()
        self._set_idle(enabled=True)
        self.status.setText(self.tr("Nothing printed."))
        self.error.setText(str(error))

    @Slot()
    def cancel(self) -> None:
        if self.running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Cancelling…"))

    @Slot(str, int, int, str)
    def _progressed(self, step: str, done: int, total: int, _message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if not self._cancel.is_set():
            text = self._step_text(step, done, total)
            if text:
                self.status.setText(text)
        self.progress_changed.emit(step, done, total)

    def _step_text(self, step: str, done: int, total: int) -> str:
        if step == RENDER:
            return self.tr("Rendering {total} label(s)…").format(total=total)
        if step == SEND:
            return self.tr("Sending {total} label(s) to the printer…").format(total=total)
        if step == SENT:
            return self.tr("Sent {total} label(s) to the printer.").format(total=total)
        if step == VERIFY:
            if self._verifier is not None and self._verifier.needs_operator:
                return self.tr("Hold label {n} of {total} under the camera…").format(
                    n=done + 1, total=total
                )
            return self.tr("Reading label {n} of {total} back…").format(n=done + 1, total=total)
        if step == CHECKED:
            return self.tr("Read back {done} of {total} label(s).").format(done=done, total=total)
        return ""

    @Slot(object)
    def _finished(self, result: PrintRunResult) -> None:
        self.last_result = result
        self._set_idle(enabled=True)
        self.status.setText(self._summary(result))
        if not result.sent:
            if result.cancelled:
                self.error.clear()
            elif result.may_have_printed:
                self.error.setText(
                    self.tr(
                        "Not recorded as printed, but the labels may have printed: check the"
                        " printer and the labels before reprinting. {detail}"
                    ).format(detail=result.detail or "")
                )
            else:
                self.error.setText(
                    self.tr("Not printed: {detail}").format(detail=result.detail or "")
                )
        elif result.verify_error is not None:
            self.error.setText(
                self.tr("The read-back stopped: {error}").format(error=result.verify_error)
            )
        elif result.failed_checks:
            self.error.setText(
                self.tr(
                    "{failed} label(s) failed the read-back. The printer takes no new job until"
                    " they are reprinted and read back correctly."
                ).format(failed=result.failed_checks)
            )
        self.run_finished.emit(result)

    def _summary(self, result: PrintRunResult) -> str:
        if not result.sent:
            if result.cancelled:
                return self.tr("Cancelled before sending: nothing was printed.")
            return self.tr("Job {job}: not printed.").format(job=result.job_id)
        text = self.tr("Job {job}: {n} label(s) sent.").format(job=result.job_id, n=result.labels)
        if result.serials:
            text += " " + self.tr("Serials {first} … {last} commissioned.").format(
                first=result.serials[0], last=result.serials[-1]
            )
        if result.cancelled:
            text += " " + self.tr("Read-back cancelled: {n} label(s) not read back.").format(
                n=result.unverified
            )
        elif result.ok and result.verified:
            text += " " + self.tr("Every label read back as recorded.")
        return text

    @Slot(str)
    def _run_failed(self, message: str) -> None:
        self._set_idle(enabled=True)
        self.status.setText(self.tr("The print run stopped with an error."))
        self.error.setText(message)

    # ------------------------------------------------------------------ closing

    def reject(self) -> None:
        if self.running:  # never walk away from a running job: cancel it first
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.running:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    def shutdown(self, timeout: float) -> None:
        """Cancel a running job and wait (at most ``timeout`` s each) for the worker threads."""
        self._shut = True
        self._cancel.set()
        for thread in (self._runner, self._opener):
            if thread is not None:
                thread.join(timeout)
                if thread.is_alive():
                    _log.error("%s did not stop within %.0f s", thread.name, timeout)
