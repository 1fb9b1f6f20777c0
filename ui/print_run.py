"""One print run, for the ``station label`` commands and the print dialog alike (no Qt here).

The job is already planned and committed (:func:`station.labels.printing.plan_print`: serials
allocated). :func:`run_print_job` then

1. renders the labels in the printer's language;
2. sends them through the printer's transport;
3. records the outcome (:func:`~station.labels.printing.record_outcome`): ``sent`` only when
   the transport accepted every byte, else ``failed`` with the reason — and when bytes went
   out before the failure, a detail that says the labels may have printed and must be checked
   before anything is reprinted;
4. reads every label back through a :class:`LabelVerifier` and records each check
   (:func:`~station.labels.printing.record_check`).

Every database step goes to the single writer and waits for its commit, so call it from a
worker thread, never from the GUI thread. ``progress(step, done, total, message)`` is called
on that thread at each step (``done`` counts labels read back, or all labels once sent when
nothing is read back); ``cancel`` (a :class:`threading.Event`) is looked at before sending and
between labels. A cancel before sending records the job as failed with "nothing was sent"
(true: nothing went out); a cancel after sending stops the read-back and says how many labels
were not read back. Nothing that did not happen is recorded.

Verifiers are in :mod:`ui.label_verifiers`; the print screens' set-up (and the demo's) in
:mod:`ui.print_setup`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from station.context import WriteContext
from station.errors import StationError
from station.labels.model import ResolvedLabel
from station.labels.printing import CheckResult, PlannedJob, record_check, record_outcome
from station.persistence.writer import DbWriter
from ui.label_verifiers import LabelVerifier

if TYPE_CHECKING:
    pass

_log = logging.getLogger(__name__)

__all__ = [
    "CHECKED",
    "DONE",
    "MAY_HAVE_PRINTED",
    "RENDER",
    "SEND",
    "SENT",
    "SIMULATED_PRINTER",
    "VERIFY",
    "PrintRunResult",
    "PrinterChoice",
    "ProgressCallback",
    "printer_transport",
    "render_labels",
    "run_print_job",
]

#: Progress steps, in order: (render, send) once, (verify, checked) per label, done at the end.
RENDER, SEND, SENT, VERIFY, CHECKED, DONE = "render", "send", "sent", "verify", "checked", "done"
SIMULATED_PRINTER = "simulated"
#: A printer reached through the operating system's queue with Qt (``ui/printing.py``).
OS_QUEUE = "os-queue"
SEND_TIMEOUT = 30.0
#: How long a ZPL printer may take to answer ~HS before it counts as not ready.
STATUS_TIMEOUT = 5.0
MAY_HAVE_PRINTED = (
    "; the labels may have printed (bytes reached the printer): check the printer and the"
    " labels before reprinting"
)
CANCELLED_BEFORE_SENDING = "cancelled before sending: nothing was sent to the printer"

ProgressCallback = Callable[[str, int, int, str], None]


def _quiet(_step: str, _done: int, _total: int, _message: str) -> None:
    return None


# ----------------------------------------------------------------------------- printers


@dataclass(frozen=True, slots=True)
class PrinterChoice:
    """A printer: its name (recorded on the job), language, resolution and transport settings.

    ``transport == {"transport": "simulated"}`` starts a simulated ZPL printer on loopback for
    the one run (the CLI's ``simulated`` printer).
    """

    name: str
    language: str  # zpl | pdf
    dpi: int
    transport: dict[str, object]
    #: Ask a ZPL printer for its status (~HS) before sending, and send nothing unless it is
    #: ready; only TCP and serial transports can answer.
    check_status: bool = True

    @property
    def answers_status(self) -> bool:
        kind = self.transport.get("transport")
        return (
            self.check_status and self.language == "zpl" and kind in ("tcp", "serial", "simulated")
        )


@contextmanager
def printer_transport(choice: PrinterChoice) -> Iterator[Any]:
    """An open transport to ``choice``, closed afterwards. Failing to open is a PrinterError
    with nothing sent."""
    from drivers.printers.errors import PrinterError  # noqa: PLC0415
    from drivers.printers.simulated import SimulatedZplPrinter  # noqa: PLC0415
    from drivers.printers.transport import open_transport  # noqa: PLC0415

    if choice.transport.get("transport") == OS_QUEUE:
        yield _os_queue(choice)
        return
    if choice.transport.get("transport") != SIMULATED_PRINTER:
        transport = open_transport(choice.transport)
        try:
            yield transport
        finally:
            transport.close()
        return
    printer = SimulatedZplPrinter(SIMULATED_PRINTER)
    try:
        printer.start()
    except OSError as error:
        msg = f"the simulated printer did not start: {error}"
        raise PrinterError(msg) from None
    try:
        transport = open_transport(printer.settings())
        try:
            yield transport
        finally:
            transport.close()
    finally:
        printer.stop()
        printer.join(5)


def _not_ready(transport: Any, choice: PrinterChoice) -> str | None:
    """Why the printer must not be sent a job now (its ~HS status), or None.

    A printer that does not answer is not ready either: Zebra documents that some firmware
    stays silent exactly when it is out of media or its head is open.
    """
    if not choice.answers_status:
        return None
    from drivers.printers.errors import PrinterError  # noqa: PLC0415
    from drivers.printers.status import printer_status  # noqa: PLC0415

    try:
        status = printer_status(transport, timeout=STATUS_TIMEOUT)
    except PrinterError as error:
        return f"nothing sent: the printer's status could not be read: {error}"
    if status.ready:
        return None
    return "nothing sent: the printer is not ready: " + "; ".join(status.problems)


def _os_queue(choice: PrinterChoice) -> Any:
    """The Qt transport onto the OS queue a choice names (a Qt application is made if none)."""
    from drivers.printers.errors import PrinterConfigError  # noqa: PLC0415
    from ui.printing import OsQueueTransport  # noqa: PLC0415
    from ui.qt import QApplication  # noqa: PLC0415

    queue = choice.transport.get("queue")
    if not isinstance(queue, str) or not queue:
        msg = f"printer {choice.name}: an os-queue printer needs the setting 'queue'"
        raise PrinterConfigError(msg)
    if QApplication.instance() is None:  # the command line: Qt printing needs an application
        _QT_APP.append(QApplication([]))
    return OsQueueTransport(queue)


_QT_APP: list[Any] = []


def payloads_for(labels: Sequence[ResolvedLabel], fmt: str, dpi: int) -> list[bytes]:
    """What goes to the printer, send by send: one ZPL batch or PDF, or a PNG per label (an OS
    queue prints rasters, a page each)."""
    if fmt == "png":
        from drivers.labels.raster import render_png  # noqa: PLC0415

        return [render_png(label, dpi) for label in labels]
    return [render_labels(labels, fmt, dpi)]


def render_labels(labels: Sequence[ResolvedLabel], fmt: str, dpi: int) -> bytes:
    """The bytes for a printer: one ZPL batch, one PDF (a page per label) or one PNG."""
    if fmt == "zpl":
        from drivers.labels.zpl import render_zpl_batch  # noqa: PLC0415

        return render_zpl_batch(labels, dpi)
    if fmt == "pdf":
        from drivers.labels.pdf import render_pdf  # noqa: PLC0415

        return render_pdf(labels)
    from drivers.labels.raster import render_png  # noqa: PLC0415

    if len(labels) != 1:
        msg = "a PNG holds one label; print PNG labels one job per label"
        raise StationError(msg)
    return render_png(labels[0], dpi)


# ----------------------------------------------------------------------------- the run


@dataclass(frozen=True, slots=True)
class PrintRunResult:
    """What a run did. ``sent`` is what was recorded as the job's outcome."""

    job_id: str
    labels: int
    sent: bool
    detail: str | None = None  # the transport's reference when sent, else why not
    payload_sha256: str | None = None
    may_have_printed: bool = False
    serials: tuple[str, ...] = ()
    verified: bool = False  # a read-back was asked for
    checks: tuple[CheckResult, ...] = ()
    cancelled: bool = False
    verify_error: str | None = None

    @property
    def failed_checks(self) -> int:
        return sum(not check.passed for check in self.checks)

    @property
    def unverified(self) -> int:
        """Labels sent but not read back (cancelled or stopped by an error)."""
        return self.labels - len(self.checks) if self.sent and self.verified else 0

    @property
    def ok(self) -> bool:
        """Sent, and (when asked) every label read back and passed."""
        if not self.sent:
            return False
        return not self.verified or (self.unverified == 0 and self.failed_checks == 0)


def _record_outcome(
    writer: DbWriter,
    ctx: WriteContext,
    job: PlannedJob,
    *,
    sent: bool,
    sha: str | None,
    detail: str | None,
) -> None:
    writer.submit(
        lambda conn: record_outcome(
            conn, ctx, job_id=job.job_id, sent=sent, payload_sha256=sha, detail=detail
        )
    ).result()


def run_print_job(  # noqa: PLR0917 - positional, as the CLI and the dialog call it
    writer: DbWriter,
    ctx: WriteContext,
    job: PlannedJob,
    printer_choice: PrinterChoice,
    verifier: LabelVerifier | None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> PrintRunResult:
    """Render, send, record the outcome, read back and record each check (see the module)."""
    from drivers.printers.errors import PrinterError  # noqa: PLC0415

    report = progress or _quiet
    stop = cancel if cancel is not None else threading.Event()
    total = len(job.labels)
    base = PrintRunResult(job.job_id, total, sent=False, serials=job.serials)

    report(RENDER, 0, total, f"job {job.job_id}: rendering {total} label(s)")
    try:
        payloads = payloads_for(job.labels, job.format, printer_choice.dpi)
    except Exception as error:
        detail = f"render failed: {error}"
        _record_outcome(writer, ctx, job, sent=False, sha=None, detail=detail)
        return _replace(base, detail=detail)
    sha = hashlib.sha256(b"".join(payloads)).hexdigest()
    if stop.is_set():
        _record_outcome(writer, ctx, job, sent=False, sha=sha, detail=CANCELLED_BEFORE_SENDING)
        return _replace(base, detail=CANCELLED_BEFORE_SENDING, payload_sha256=sha, cancelled=True)

    report(SEND, 0, total, f"job {job.job_id}: sending {total} label(s) to {printer_choice.name}")
    try:
        with printer_transport(printer_choice) as transport:
            not_ready = _not_ready(transport, printer_choice)
            if not_ready is not None:
                _record_outcome(writer, ctx, job, sent=False, sha=sha, detail=not_ready)
                return _replace(base, detail=not_ready, payload_sha256=sha)
            references = [transport.send(payload, timeout=SEND_TIMEOUT) for payload in payloads]
            reference = references[-1]
    except PrinterError as error:
        detail = str(error) + (MAY_HAVE_PRINTED if error.may_have_printed else "")
        _record_outcome(writer, ctx, job, sent=False, sha=sha, detail=detail)
        return _replace(
            base, detail=detail, payload_sha256=sha, may_have_printed=error.may_have_printed
        )
    except Exception as error:
        detail = f"{type(error).__name__}: {error}{MAY_HAVE_PRINTED}"
        _log.exception("printing job %s failed unexpectedly", job.job_id)
        _record_outcome(writer, ctx, job, sent=False, sha=sha, detail=detail)
        return _replace(base, detail=detail, payload_sha256=sha, may_have_printed=True)
    _record_outcome(writer, ctx, job, sent=True, sha=sha, detail=reference)
    sent = _replace(
        base, sent=True, detail=reference, payload_sha256=sha, verified=verifier is not None
    )
    report(
        SENT,
        0 if verifier is not None else total,
        total,
        f"job {job.job_id}: {total} label(s) sent to {printer_choice.name} (sha256 {sha})",
    )
    if verifier is None:
        report(DONE, total, total, f"job {job.job_id}: sent, not read back")
        return sent
    return _verify(
        writer,
        ctx=ctx,
        job=job,
        sent=sent,
        dpi=printer_choice.dpi,
        verifier=verifier,
        report=report,
        stop=stop,
    )


def _verify(
    writer: DbWriter,
    *,
    ctx: WriteContext,
    job: PlannedJob,
    sent: PrintRunResult,
    dpi: int,
    verifier: LabelVerifier,
    report: ProgressCallback,
    stop: threading.Event,
) -> PrintRunResult:
    total = len(job.labels)
    sha = sent.payload_sha256 or ""
    checks: list[CheckResult] = []
    cancelled = False
    error_text: str | None = None
    for index, label in enumerate(job.labels):
        if stop.is_set():
            cancelled = True
            break
        verb = "hold label" if verifier.needs_operator else "reading label"
        report(VERIFY, index, total, f"{verb} {index + 1} of {total}")
        try:
            decoded = verifier.read(label, index=index, dpi=dpi, cancel=stop)
        except Exception as error:
            error_text = f"label {index + 1}: {error}"
            break
        if decoded is None:
            cancelled = True
            break
        check = partial(
            record_check,
            ctx=ctx,
            job_id=job.job_id,
            label_index=index,
            decoded=decoded,
            payload_sha256=sha,
        )
        result = writer.submit(check).result()
        checks.append(result)
        state = "passed" if result.passed else f"FAILED, not read: {', '.join(result.missing)}"
        report(CHECKED, index + 1, total, f"label {index + 1} of {total}: {state}")
    outcome = _replace(sent, checks=tuple(checks), cancelled=cancelled, verify_error=error_text)
    if cancelled:
        message = f"read-back cancelled: {outcome.unverified} label(s) not read back"
    elif error_text is not None:
        message = f"read-back stopped: {error_text}"
    else:
        message = f"{len(checks) - outcome.failed_checks} of {total} label(s) read back correctly"
    report(DONE, len(checks), total, f"job {job.job_id}: {message}")
    return outcome


def _replace(result: PrintRunResult, **changes: Any) -> PrintRunResult:
    from dataclasses import replace  # noqa: PLC0415

    return replace(result, **changes)
