"""Printing a label raster through the operating system's print queue, with Qt.

For printers the station cannot reach directly (no raw port, no ZPL): the Windows spooler, or
CUPS on Linux, with the printer's own driver. The label is a raster (PNG) already rendered at
the printer's resolution; it is drawn to exactly the label's size in millimetres on a page of
exactly that size, with zero margins and full-page painting, so the driver neither scales nor
shifts it. Smooth scaling stays off: barcode modules keep hard edges.

"Accepted" here means Qt handed the job to the OS spooler (``QPainter.end()`` succeeded and the
printer is not in an error state). The spooler gives Qt no job id, and the printer can still
fail afterwards, so a label printed this way must be verified like any other.

Call from one thread at a time (the GUI thread, or a worker with a ``QGuiApplication``
running). A ``QGuiApplication`` must exist.
"""

from __future__ import annotations

from pathlib import Path

from drivers.printers.errors import PrinterError
from ui.qt import (
    QImage,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPrinter,
    QPrinterInfo,
    QRectF,
    QSizeF,
)

_MAX_MM = 1000.0  # no label printer takes a metre-long label; a larger size is a mistake


def list_queues() -> list[str]:
    """The names of the OS print queues this computer knows, sorted."""
    return sorted(info.printerName() for info in QPrinterInfo.availablePrinters())


def default_queue() -> str | None:
    """The OS default print queue, or None when there is none."""
    return QPrinterInfo.defaultPrinterName() or None


def print_label_image(
    png: bytes, width_mm: float, height_mm: float, queue: str, *, title: str = "label"
) -> None:
    """Print one label raster on the OS queue ``queue``; PrinterError if it was not accepted."""
    info = QPrinterInfo.printerInfo(queue)
    if info.isNull():
        known = ", ".join(list_queues()) or "none"
        msg = f"no print queue named {queue!r} on this computer (queues: {known})"
        raise PrinterError(msg)
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    _print(printer, png, width_mm, height_mm, title=title, where=f"queue {queue!r}")


def print_label_image_to_pdf(
    png: bytes, width_mm: float, height_mm: float, path: Path, *, title: str = "label"
) -> None:
    """The same page as :func:`print_label_image`, written to a PDF file (preview, tests)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    _print(printer, png, width_mm, height_mm, title=title, where=f"PDF file {path}")


def _print(
    printer: QPrinter, png: bytes, width_mm: float, height_mm: float, *, title: str, where: str
) -> None:
    if not (0 < width_mm <= _MAX_MM and 0 < height_mm <= _MAX_MM):
        msg = f"a label must be 0-{_MAX_MM:.0f} mm wide and high, not {width_mm} x {height_mm} mm"
        raise PrinterError(msg)
    image = QImage()
    if not image.loadFromData(png, "PNG") or image.isNull():
        msg = "the label image is not a readable PNG; it was not printed"
        raise PrinterError(msg)
    _set_label_page(printer, width_mm, height_mm, where)
    printer.setDocName(title)
    printer.setCopyCount(1)
    painter = QPainter()
    if not painter.begin(printer):
        msg = f"cannot start a print job on {where}; is the printer installed and enabled?"
        raise PrinterError(msg)
    try:
        # Full page: (0, 0) is the paper's corner, and the whole page is the label.
        target = printer.paperRect(QPrinter.Unit.DevicePixel)
        painter.drawImage(QRectF(0, 0, target.width(), target.height()), image)
    finally:
        ended = painter.end()
    if not ended or printer.printerState() == QPrinter.PrinterState.Error:
        msg = f"the print job on {where} failed as it was handed over; nothing is known printed"
        raise PrinterError(msg)


def _set_label_page(printer: QPrinter, width_mm: float, height_mm: float, where: str) -> None:
    size = QPageSize(
        QSizeF(width_mm, height_mm),
        QPageSize.Unit.Millimeter,
        "label",
        QPageSize.SizeMatchPolicy.ExactMatch,
    )
    printer.setFullPage(True)
    if not (
        printer.setPageSize(size)
        and printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    ):
        msg = f"{where} does not accept a {width_mm} x {height_mm} mm page with no margins"
        raise PrinterError(msg)
    got = printer.pageLayout().fullRect(QPageLayout.Unit.Millimeter)
    # Qt keeps page sizes in whole points (0.35 mm); more than that is a driver substitution.
    if abs(got.width() - width_mm) > 0.5 or abs(got.height() - height_mm) > 0.5:
        msg = (
            f"{where} changed the page to {got.width():.1f} x {got.height():.1f} mm instead "
            f"of the label's {width_mm} x {height_mm} mm; set up a matching paper size"
        )
        raise PrinterError(msg)


class OsQueueTransport:
    """A print transport onto an OS queue through Qt: each ``send`` is one label's PNG, printed
    on a page of the label's size, taken from the PNG's own pixels and resolution. For printers
    the station has no raw port to (a spooler queue with the vendor's driver); the print flow
    sends it rasters, not ZPL or PDF.
    """

    def __init__(self, queue: str) -> None:
        self.queue = queue
        self.pages_sent = 0

    @property
    def name(self) -> str:
        return f"os-queue:{self.queue}"

    def send(self, data: bytes, *, timeout: float) -> str | None:
        """Print one label raster; ``timeout`` is the spooler's to keep (Qt has none)."""
        del timeout
        width_mm, height_mm = png_size_mm(data)
        try:
            print_label_image(
                data, width_mm, height_mm, self.queue, title=f"label {self.pages_sent + 1}"
            )
        except PrinterError as error:
            if self.pages_sent:  # earlier pages are in the spooler: they may print
                raise PrinterError(
                    f"{error} (after {self.pages_sent} label(s) went to the spooler)",
                    bytes_sent=self.pages_sent,
                ) from None
            raise
        self.pages_sent += 1
        return None

    def close(self) -> None:
        return None


def png_size_mm(png: bytes) -> tuple[float, float]:
    """A label raster's size in millimetres, from its pixels and the resolution it carries."""
    image = QImage()
    if not image.loadFromData(png, "PNG") or image.isNull():
        msg = "the label image is not a readable PNG; it was not printed"
        raise PrinterError(msg)
    per_metre_x, per_metre_y = image.dotsPerMeterX(), image.dotsPerMeterY()
    if per_metre_x <= 0 or per_metre_y <= 0:
        msg = "the label image carries no resolution, so its size is unknown; it was not printed"
        raise PrinterError(msg)
    return image.width() * 1000 / per_metre_x, image.height() * 1000 / per_metre_y
