"""Printing a label raster through Qt's printing, checked on the page Qt produces.

Qt's PDF output stands in for an OS queue (offscreen, no CUPS needed): the same QPrinter setup
(label-sized page, zero margins, full page, image drawn to the label's size) writes a PDF, and
pypdfium2 rasterises it as a driver would. The page must be the label's size and dark exactly
where the label is dark.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from PIL import Image, ImageDraw

from drivers.printers.errors import PrinterError
from ui.printing import default_queue, list_queues, print_label_image, print_label_image_to_pdf
from ui.qt import QApplication

MM_PER_PT = 25.4 / 72
DPI = 300


def label_png(width_mm: float, height_mm: float) -> bytes:
    """A label raster at 300 dpi: the left third black, a black square at the bottom right,
    the rest white (so position, scale and orientation all show)."""
    w, h = round(width_mm / 25.4 * DPI), round(height_mm / 25.4 * DPI)
    image = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, w // 3 - 1, h - 1), fill=0)
    draw.rectangle((w * 3 // 4, h // 2, w - 1, h - 1), fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def is_dark(pixel: object) -> bool:
    assert isinstance(pixel, tuple)
    return sum(pixel[:3]) < 3 * 64


def is_light(pixel: object) -> bool:
    assert isinstance(pixel, tuple)
    return sum(pixel[:3]) > 3 * 192


@pytest.mark.parametrize(("width_mm", "height_mm"), [(100.0, 50.0), (50.8, 25.4), (40.0, 60.0)])
def test_the_pdf_page_is_the_label_and_dark_where_the_label_is(
    qapp: QApplication, tmp_path: Path, width_mm: float, height_mm: float
) -> None:
    path = tmp_path / "label.pdf"
    print_label_image_to_pdf(label_png(width_mm, height_mm), width_mm, height_mm, path)
    doc = pdfium.PdfDocument(str(path))
    try:
        assert len(doc) == 1
        page = doc[0]
        page_w, page_h = (v * MM_PER_PT for v in page.get_size())
        assert page_w == pytest.approx(width_mm, abs=0.5)  # Qt keeps sizes in whole points
        assert page_h == pytest.approx(height_mm, abs=0.5)
        bitmap = page.render(scale=200 / 72).to_pil().convert("RGB")
    finally:
        doc.close()
    w, h = bitmap.size

    def at(fx: float, fy: float) -> object:
        return bitmap.getpixel((int(fx * (w - 1)), int(fy * (h - 1))))

    # the left third, edge to edge: no margin was added
    for fy in (0.0, 0.5, 1.0):
        assert is_dark(at(0.0, fy))
        assert is_dark(at(0.30, fy))
    assert is_light(at(0.36, 0.5))
    assert is_light(at(0.99, 0.01))  # top right: white
    assert is_dark(at(0.99, 0.99))  # bottom right square reaches the page's corner
    assert is_dark(at(0.78, 0.53))
    assert is_light(at(0.72, 0.75))  # just left of the square
    assert is_light(at(0.9, 0.47))  # just above it


def test_an_unreadable_image_is_not_printed(qapp: QApplication, tmp_path: Path) -> None:
    path = tmp_path / "label.pdf"
    with pytest.raises(PrinterError, match="not a readable PNG"):
        print_label_image_to_pdf(b"\x89PNG\r\n\x1a\nnot really", 50, 25, path)
    assert not path.exists()


@pytest.mark.parametrize(("width_mm", "height_mm"), [(0, 25), (50, -1), (50, 5000)])
def test_an_impossible_label_size_is_refused(
    qapp: QApplication, tmp_path: Path, width_mm: float, height_mm: float
) -> None:
    with pytest.raises(PrinterError, match="a label must be"):
        print_label_image_to_pdf(label_png(50, 25), width_mm, height_mm, tmp_path / "x.pdf")


def test_an_unknown_queue_is_an_error_naming_the_known_ones(qapp: QApplication) -> None:
    queues = list_queues()
    assert queues == sorted(queues)
    default = default_queue()
    assert default is None or default in queues
    name = "udi-station-no-such-queue"
    assert name not in queues
    with pytest.raises(PrinterError, match="no print queue named 'udi-station-no-such-queue'"):
        print_label_image(label_png(50, 25), 50, 25, name)
