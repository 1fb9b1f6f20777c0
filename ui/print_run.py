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

Verifiers: :class:`RenderedImageVerifier` decodes the label as rendered for the printer (what
the simulated camera would see); :class:`CameraVerifier` shows the rendered label to a
:class:`~drivers.simulated.camera.SimulatedCamera`, or with a real camera waits for the
operator to hold the printed label under it, and collects what the camera reads within a
timeout.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from station.context import WriteContext
from station.errors import StationError
from station.labels.model import ResolvedLabel
from station.labels.printing import CheckResult, PlannedJob, record_check, record_outcome
from station.labels.template import LabelTemplate
from station.persistence.writer import DbWriter

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from drivers.camera.source import CameraScanSource
    from drivers.printers.simulated import SimulatedZplPrinter
    from station.persistence.store import Store
    from station.scanning.raw import RawScan

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
    "CameraVerifier",
    "DemoPrintStation",
    "LabelVerifier",
    "PrintRunResult",
    "PrintSetup",
    "PrinterChoice",
    "ProgressCallback",
    "RenderedImageVerifier",
    "VerifierError",
    "approved_templates",
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


# ----------------------------------------------------------------------------- verifiers


class VerifierError(StationError):
    """The read-back itself could not run (no camera, a decoder failure): nothing is recorded."""


class LabelVerifier(Protocol):
    """Reads one printed label back: every symbol seen, as a scanner with AIM ids sends it."""

    #: True when the operator must act (hold the label under a real camera).
    needs_operator: bool

    def read(
        self, label: ResolvedLabel, *, index: int, dpi: int, cancel: threading.Event
    ) -> list[str] | None:
        """What was read from label ``index``; None when ``cancel`` was set while waiting."""
        ...


class RenderedImageVerifier:
    """Decodes the label as rendered for the printer (at its resolution) with zxing-cpp."""

    needs_operator = False

    def read(
        self, label: ResolvedLabel, *, index: int, dpi: int, cancel: threading.Event
    ) -> list[str] | None:
        import numpy as np  # noqa: PLC0415

        from drivers.labels.raster import render_image  # noqa: PLC0415
        from drivers.labels.readback import read_frame  # noqa: PLC0415

        del index, cancel
        return read_frame(np.asarray(render_image(label, dpi)))


def _label_frame(
    label: ResolvedLabel, dpi: int, frame_size: tuple[int, int]
) -> npt.NDArray[np.uint8]:
    """The rendered label lying on a grey desk, in a frame at least the camera's size."""
    import numpy as np  # noqa: PLC0415

    from drivers.labels.raster import render_image  # noqa: PLC0415

    image = np.asarray(render_image(label, dpi), dtype=np.uint8)
    height, width = image.shape
    margin = 40
    frame_w = max(frame_size[0], width + 2 * margin)
    frame_h = max(frame_size[1], height + 2 * margin)
    frame = np.full((frame_h, frame_w), 96, dtype=np.uint8)
    top, left = (frame_h - height) // 2, (frame_w - width) // 2
    frame[top : top + height, left : left + width] = image
    return frame


class CameraVerifier:
    """Reads labels back through a camera's scans.

    With a :class:`~drivers.simulated.camera.SimulatedCamera` each label, rendered at the
    printer's resolution, is shown to the camera (``camera.show``) until every expected symbol
    was read or ``timeout`` passed, then taken away. With a real camera it waits (up to
    ``timeout``) for the operator to hold the printed label under it. Only scans delivered
    while a label is being read count for that label. The camera must be started.

    A camera reports a code held in view once (its repeat filter); two labels in a row with the
    same content are therefore read only when the first was taken away for longer than the
    camera's ``repeat_window``. The simulated camera waits that long before showing the second;
    an operator with a real camera takes the first label away.
    """

    def __init__(self, camera: CameraScanSource, *, timeout: float = 10.0) -> None:
        from drivers.simulated.camera import SimulatedCamera  # noqa: PLC0415

        self.camera = camera
        self.timeout = timeout
        self.simulated = isinstance(camera, SimulatedCamera)
        self.needs_operator = not self.simulated
        self._cond = threading.Condition()
        self._armed = False
        self._seen: list[str] = []
        self._previous: set[str] = set()
        self._taken_away_at = -float("inf")
        camera.subscribe(self._on_scan)  # cameras have no unsubscribe: one verifier per camera

    def _on_scan(self, scan: RawScan) -> None:  # on the camera's decode thread
        with self._cond:
            if self._armed:
                self._seen.append(scan.reader_input().decode("utf-8", "replace"))
                self._cond.notify_all()

    def _wait(self, seconds: float, cancel: threading.Event) -> bool:
        """Sleep ``seconds`` unless cancelled; False when cancelled."""
        return not cancel.wait(max(0.0, seconds))

    def read(
        self, label: ResolvedLabel, *, index: int, dpi: int, cancel: threading.Event
    ) -> list[str] | None:
        del index
        if not self.camera.running:
            msg = f"the camera {self.camera.name} is not running"
            raise VerifierError(msg)
        expected = {item.expected for item in label.barcodes}
        frame = None
        if self.simulated:
            frame = _label_frame(label, dpi, self.camera.frame_size)  # type: ignore[attr-defined]
            if expected & self._previous:
                # The same code again: away for longer than the repeat window, as by hand.
                window = float(self.camera.settings.repeat_window)
                pause = self._taken_away_at + window + 0.5 - time.monotonic()
                if not self._wait(pause, cancel):
                    return None
        with self._cond:
            self._armed, self._seen = True, []
        if frame is not None:
            self.camera.show(frame)  # type: ignore[attr-defined]
        deadline = time.monotonic() + self.timeout
        try:
            with self._cond:
                while not expected <= set(self._seen):
                    if cancel.is_set():
                        return None
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(min(remaining, 0.05))
                return list(self._seen)
        finally:
            with self._cond:
                self._armed = False
            if frame is not None:
                self.camera.clear()  # type: ignore[attr-defined]
            self._previous = expected
            self._taken_away_at = time.monotonic()


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


# ----------------------------------------------------------------------------- GUI set-up


def approved_templates(store: Store) -> list[LabelTemplate]:
    """Every template with an approved version, that version (a short read of its own)."""
    from station.labels.governance import template_at, template_versions  # noqa: PLC0415

    with store.engine.connect() as conn:
        return [
            template_at(conn, v.name, v.version)
            for v in template_versions(conn)
            if v.status == "approved"
        ]


@dataclass
class PrintSetup:
    """What a print screen needs: the open store, who prints, the printers, the verifiers."""

    store: Store
    ctx: WriteContext
    printers: tuple[PrinterChoice, ...]
    camera_verifier: LabelVerifier | None = None
    samples: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    rendered_verifier: LabelVerifier = field(default_factory=RenderedImageVerifier)

    def templates(self) -> list[LabelTemplate]:
        return approved_templates(self.store)


class DemoPrintStation:
    """The demo's print set-up, made on first use (not at start-up): a seeded store in a
    temporary folder (:func:`station.demo.labels.seed_label_demo`), the simulated ZPL printer on
    loopback, and the demo camera as the verifier when there is one.

    :meth:`open` is thread-safe and blocking (call it off the GUI thread); :meth:`close` stops
    the printer, closes the store and removes the folder.
    """

    def __init__(self, camera: CameraScanSource | None = None) -> None:
        self.camera = camera
        self.printer: SimulatedZplPrinter | None = None
        self.folder: Path | None = None
        self._lock = threading.Lock()
        self._setup: PrintSetup | None = None
        self._closed = False

    def open(self) -> PrintSetup:
        with self._lock:
            if self._closed:
                msg = "the demo print station is closed"
                raise StationError(msg)
            if self._setup is None:
                self._setup = self._build()
            return self._setup

    def _build(self) -> PrintSetup:
        from drivers.printers.simulated import SimulatedZplPrinter  # noqa: PLC0415
        from station.demo.labels import LABEL_STATION, demo_contexts, seed_label_demo  # noqa: PLC0415
        from station.persistence.store import open_store  # noqa: PLC0415

        self.folder = Path(tempfile.mkdtemp(prefix="udi-station-labels-"))
        store = open_store(self.folder / "label-demo.sqlite")
        try:
            demo = seed_label_demo(store, WriteContext(LABEL_STATION))
            printer = SimulatedZplPrinter("demo")
            printer.start()
        except BaseException:
            store.close()
            raise
        self.printer = printer
        choice = PrinterChoice("demo-zpl", "zpl", 203, printer.settings())
        verifier = CameraVerifier(self.camera) if self.camera is not None else None
        return PrintSetup(
            store=store,
            ctx=demo_contexts(WriteContext(LABEL_STATION))[2],
            printers=(choice,),
            camera_verifier=verifier,
            samples=demo.samples,
        )

    def close(self) -> None:
        with self._lock:
            self._closed = True
            setup, self._setup = self._setup, None
            if self.printer is not None:
                self.printer.stop()
                self.printer.join(5)
            if setup is not None:
                setup.store.close()
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
