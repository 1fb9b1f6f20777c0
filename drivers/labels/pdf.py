"""Labels as PDF: one page per label, the page exactly the label's size (reportlab).

Symbols are vector rectangles (runs of dark modules merged), never images, so they print sharp
at any printer resolution. Text is Helvetica for Latin-1, else the embedded CJK font of
:func:`drivers.reports.fonts.cjk_font`; a character the font cannot show is refused, not
printed as an empty box. The output is deterministic (reportlab's ``invariant`` mode): the same
labels give the same bytes, so a print record's SHA-256 can be reproduced.

Outlined boxes are stroked *inside* their bounds (as ZPL's ``^GB`` draws them).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from pathlib import Path

from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from drivers.labels import LabelRenderError
from drivers.labels.symbols import Rect, modules, pixels_matrix, rectangles, symbol_size_mm
from drivers.reports.fonts import cjk_font
from station.labels.model import (
    Align,
    BarcodeItem,
    BoxItem,
    ImageItem,
    Item,
    LineItem,
    ResolvedLabel,
    TextItem,
)

__all__ = ["CREATOR", "fit_font_size", "pdf_font", "render_pdf", "render_pdf_file"]

CREATOR = "UDI Station"
#: Points per millimetre (reportlab draws in points).
mm = 72 / 25.4
#: Slack when checking that a symbol lies on the label (float noise, not layout freedom).
_EDGE_MM = 1e-6


def _latin1(text: str) -> bool:
    """Printable Latin-1: what the standard Helvetica (WinAnsi) shows without a font file."""
    return all(" " <= char <= "~" or "\xa0" <= char <= "\xff" for char in text)


def pdf_font(text: str, bold: bool = False) -> str:
    """The reportlab font name for ``text``; LabelRenderError if it has a character no
    available font can show (an empty box would be a silently dropped character)."""
    if _latin1(text):
        return "Helvetica-Bold" if bold else "Helvetica"
    font = cjk_font()
    if font.embedded:
        covered = pdfmetrics.getFont(font.name).face.charToGlyph
        missing = sorted({char for char in text if ord(char) not in covered})
        if missing:
            msg = f"text {text!r}: the font {font.path} has no glyph for {''.join(missing)!r}"
            raise LabelRenderError(msg)
    return str(font.name)


def fit_font_size(text: str, font: str, size_pt: float, max_width_pt: float | None) -> float:
    """``size_pt``, or smaller so ``text`` is at most ``max_width_pt`` wide (never cut)."""
    if max_width_pt is None:
        return size_pt
    width = float(pdfmetrics.stringWidth(text, font, size_pt))
    if width <= max_width_pt:
        return size_pt
    fitted = size_pt * max_width_pt / width
    while fitted > 0 and pdfmetrics.stringWidth(text, font, fitted) > max_width_pt:
        fitted *= 0.999  # width is linear in size; this only absorbs float rounding
    return fitted


@functools.lru_cache(maxsize=64)
def _image_cells(pixels: tuple[str, ...], name: str) -> tuple[tuple[int, int], list[Rect]]:
    """An image's (rows, columns) and its rectangles: the same few symbols on every label."""
    matrix = pixels_matrix(pixels, name)
    return (matrix.shape[0], matrix.shape[1]), rectangles(matrix)


class _Page:
    """One label's page: millimetre, top-left coordinates turned into reportlab's points."""

    def __init__(self, canvas: Canvas, label: ResolvedLabel) -> None:
        self.canvas = canvas
        self.label = label

    def y(self, y_mm: float) -> float:
        return (self.label.height - y_mm) * mm

    def fill_cells(self, cells: list[Rect], x: float, y: float, cell: tuple[float, float]) -> None:
        """Fill matrix rectangles; the matrix's top-left at (x, y) mm, cells ``cell`` mm."""
        cell_w, cell_h = cell
        for column, row, width, height in cells:
            self.canvas.rect(
                (x + column * cell_w) * mm,
                self.y(y + (row + height) * cell_h),
                width * cell_w * mm,
                height * cell_h * mm,
                stroke=0,
                fill=1,
            )

    def barcode(self, item: BarcodeItem) -> None:
        width, height = symbol_size_mm(item)
        if (
            min(item.x, item.y) < -_EDGE_MM
            or item.x + width > self.label.width + _EDGE_MM
            or item.y + height > self.label.height + _EDGE_MM
        ):
            msg = f"barcode {item.name or item.symbology.value} does not fit on the label"
            raise LabelRenderError(msg)
        matrix = modules(item)
        cell_h = height if item.symbology.is_linear else item.module
        self.fill_cells(rectangles(matrix), item.x, item.y, (item.module, cell_h))

    def image(self, item: ImageItem) -> None:
        (rows, columns), cells = _image_cells(item.pixels, item.name)
        cell = (item.width / columns, item.height / rows)
        self.fill_cells(cells, item.x, item.y, cell)

    def text(self, item: TextItem) -> None:
        font = pdf_font(item.text, item.bold)
        max_width = None if item.max_width is None else item.max_width * mm
        size = fit_font_size(item.text, font, item.size * mm, max_width)
        width = pdfmetrics.stringWidth(item.text, font, size)
        left = (
            item.x * mm - {Align.LEFT: 0, Align.CENTER: width / 2, Align.RIGHT: width}[item.align]
        )
        ascent, _ = pdfmetrics.getAscentDescent(font, size)
        text = self.canvas.beginText(left, self.y(item.y) - ascent)
        text.setFont(font, size)
        if item.bold and not font.startswith("Helvetica"):
            # The CJK font has no bold face: fill and stroke the outline to embolden it.
            text.setTextRenderMode(2)
            self.canvas.setLineWidth(size * 0.04)
        text.textOut(item.text)
        self.canvas.drawText(text)

    def line(self, item: LineItem) -> None:
        self.canvas.setLineWidth(item.thickness * mm)
        self.canvas.setLineCap(0)  # butt: the line ends where the template says
        self.canvas.line(item.x1 * mm, self.y(item.y1), item.x2 * mm, self.y(item.y2))

    def box(self, item: BoxItem) -> None:
        if item.filled:
            self.canvas.rect(
                item.x * mm, self.y(item.y + item.height), item.width * mm, item.height * mm,
                stroke=0, fill=1,
            )  # fmt: skip
            return
        inset = item.thickness / 2
        self.canvas.setLineWidth(item.thickness * mm)
        self.canvas.rect(
            (item.x + inset) * mm,
            self.y(item.y + item.height - inset),
            (item.width - item.thickness) * mm,
            (item.height - item.thickness) * mm,
            stroke=1,
            fill=0,
        )

    def draw(self, item: Item) -> None:
        self.canvas.saveState()
        self.canvas.setFillGray(0)
        self.canvas.setStrokeGray(0)
        match item:
            case BarcodeItem():
                self.barcode(item)
            case TextItem():
                self.text(item)
            case LineItem():
                self.line(item)
            case BoxItem():
                self.box(item)
            case ImageItem():
                self.image(item)
        self.canvas.restoreState()


def render_pdf(labels: Sequence[ResolvedLabel]) -> bytes:
    """One page per label, each page the label's size; the same labels give the same bytes."""
    if not labels:
        msg = "no labels to render"
        raise LabelRenderError(msg)
    out = io.BytesIO()
    first = labels[0]
    canvas = Canvas(out, pagesize=(first.width * mm, first.height * mm), invariant=1)
    canvas.setTitle(f"{first.template} v{first.version}")
    canvas.setSubject(f"template sha256 {first.template_sha256}")
    canvas.setCreator(CREATOR)
    canvas.setAuthor(CREATOR)
    for label in labels:
        canvas.setPageSize((label.width * mm, label.height * mm))
        page = _Page(canvas, label)
        for item in label.items:
            page.draw(item)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def render_pdf_file(labels: Sequence[ResolvedLabel], path: Path) -> None:
    """Write :func:`render_pdf` of ``labels`` to ``path``."""
    path.write_bytes(render_pdf(labels))
