"""Labels as bitmaps at a printer's resolution (Pillow): what a raster printer lays down.

Symbols are snapped to whole printer dots: each module is ``round(module_mm × dpi / 25.4)``
pixels (at least 1) starting on a whole pixel, so every module of a symbol has the same size
and it stays decodable at 203 dpi. The symbol may therefore come out slightly larger or
smaller than ``module`` says; templates choose modules of whole dots (``docs/codes.md`` §8).

Text uses the first CJK font of :func:`drivers.reports.fonts.font_candidates` that exists,
else Pillow's built-in font (Latin letters only). A character the font has no glyph for is an
error (LabelRenderError), never an empty box or a silently dropped character.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from drivers.labels import LabelRenderError
from drivers.labels.symbols import Matrix, modules, pixels_matrix, symbol_size_mm
from drivers.reports.fonts import font_candidates
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

__all__ = ["module_px", "raster_font_path", "render_image", "render_png"]

WHITE, BLACK = 255, 0
_ANCHOR = {Align.LEFT: "ls", Align.CENTER: "ms", Align.RIGHT: "rs"}  # x as said, y = baseline
_NOT_A_CHARACTER = "\U0010fffd"  # private use: no font draws it, so it shows the .notdef glyph
_PROBE_PX = 32  # glyph coverage does not depend on size; check at one size
_BOLD_STROKE = 0.04  # of the em: the CJK font has no bold face, so bold is a stroked outline


def module_px(module_mm: float, dpi: int) -> int:
    """Whole printer dots per module (at least one).

    >>> module_px(0.34, 300), module_px(0.34, 203), module_px(0.1, 203)
    (4, 3, 1)
    """
    return max(1, round(module_mm * dpi / 25.4))


@functools.cache
def raster_font_path() -> Path | None:
    """The font file text is drawn with, None for Pillow's built-in font."""
    return next((path for path in font_candidates() if path.is_file()), None)


@functools.lru_cache(maxsize=128)
def _font(size_px: float) -> ImageFont.FreeTypeFont:
    path = raster_font_path()
    if path is None:
        return ImageFont.load_default(size_px)  # type: ignore[return-value]
    return ImageFont.truetype(str(path), size_px, index=0)


@functools.lru_cache(maxsize=4096)
def _has_glyph(char: str) -> bool:
    if char.isspace():
        return True  # blank by nature; nothing to compare
    font = _font(_PROBE_PX)
    mask, notdef = font.getmask(char), font.getmask(_NOT_A_CHARACTER)
    return not (mask.size == notdef.size and bytes(mask) == bytes(notdef))


def _check_glyphs(text: str) -> None:
    missing = "".join(sorted({char for char in text if not _has_glyph(char)}))
    if missing:
        path = raster_font_path()
        font = (
            str(path)
            if path
            else "Pillow's built-in font (no CJK font found; install e.g. fonts-wqy-microhei)"
        )
        msg = f"text {text!r}: {font} has no glyph for {missing!r}"
        raise LabelRenderError(msg)


@functools.lru_cache(maxsize=64)
def _scaled_image(pixels: tuple[str, ...], name: str, width: int, height: int) -> Matrix:
    """An image's pixels scaled to ``width`` × ``height`` (read-only: shared by the cache)."""
    matrix = pixels_matrix(pixels, name)
    rows = (np.arange(height) * matrix.shape[0] // height)[:, None]
    columns = (np.arange(width) * matrix.shape[1] // width)[None, :]
    scaled: Matrix = matrix[rows, columns]
    scaled.flags.writeable = False
    return scaled


class _Canvas:
    """One label's bitmap: millimetres turned into whole pixels."""

    def __init__(self, label: ResolvedLabel, dpi: int) -> None:
        self.label, self.dpi = label, dpi
        self.image = Image.new("L", (self.px(label.width), self.px(label.height)), WHITE)
        self.draw = ImageDraw.Draw(self.image)

    def px(self, mm: float) -> int:
        return round(mm * self.dpi / 25.4)

    def paste(self, matrix: Matrix, left: int, top: int, what: str) -> None:
        """Blacken the True cells of a pixel-sized ``matrix`` with its top-left at (left, top)."""
        height, width = matrix.shape
        if (
            left < 0
            or top < 0
            or left + width > self.image.width
            or top + height > self.image.height
        ):
            msg = f"{what} does not fit on the label at {self.dpi} dpi"
            raise LabelRenderError(msg)
        mask = Image.fromarray(np.where(matrix, 255, 0).astype(np.uint8), "L")
        self.image.paste(BLACK, (left, top), mask)

    def barcode(self, item: BarcodeItem) -> None:
        matrix, dots = modules(item), module_px(item.module, self.dpi)
        if item.symbology.is_linear:
            bar_px = max(1, self.px(symbol_size_mm(item)[1]))
            scaled = np.repeat(np.repeat(matrix, dots, axis=1), bar_px, axis=0)
        else:
            scaled = np.repeat(np.repeat(matrix, dots, axis=1), dots, axis=0)
        self.paste(scaled, self.px(item.x), self.px(item.y), f"barcode {item.name or item.data!r}")

    def image_item(self, item: ImageItem) -> None:
        width, height = max(1, self.px(item.width)), max(1, self.px(item.height))
        scaled = _scaled_image(item.pixels, item.name, width, height)
        self.paste(scaled, self.px(item.x), self.px(item.y), f"image {item.name!r}")

    def text(self, item: TextItem) -> None:
        _check_glyphs(item.text)
        size = item.size * self.dpi / 25.4
        font, stroke = self._fitted(item, size)
        ascent, _ = font.getmetrics()
        self.draw.text(
            (item.x * self.dpi / 25.4, self.px(item.y) + ascent),
            item.text,
            fill=BLACK,
            font=font,
            anchor=_ANCHOR[item.align],
            stroke_width=stroke,
            stroke_fill=BLACK,
        )

    def _fitted(self, item: TextItem, size: float) -> tuple[ImageFont.FreeTypeFont, float]:
        """The font at ``size`` px, or smaller until the text fits ``max_width``; its stroke."""
        while True:
            font = _font(round(size, 2))
            stroke = size * _BOLD_STROKE if item.bold else 0.0
            if item.max_width is None or size < 1:
                return font, stroke
            left, _, right, _ = font.getbbox(item.text, stroke_width=stroke, anchor="ls")
            width = max(font.getlength(item.text), right) - min(left, 0) + 2 * stroke
            if width <= item.max_width * self.dpi / 25.4:
                return font, stroke
            size *= 0.97

    def line(self, item: LineItem) -> None:
        ends = [(self.px(item.x1), self.px(item.y1)), (self.px(item.x2), self.px(item.y2))]
        self.draw.line(ends, fill=BLACK, width=max(1, self.px(item.thickness)))

    def box(self, item: BoxItem) -> None:
        left, top = self.px(item.x), self.px(item.y)
        corners = (left, top, left + self.px(item.width) - 1, top + self.px(item.height) - 1)
        if item.filled:
            self.draw.rectangle(corners, fill=BLACK)
        else:  # Pillow strokes inside the bounds, as the PDF and ZPL renderers do
            self.draw.rectangle(corners, outline=BLACK, width=max(1, self.px(item.thickness)))

    def item(self, item: Item) -> None:
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
                self.image_item(item)


def render_image(label: ResolvedLabel, dpi: int = 300) -> Image.Image:
    """The label as a greyscale ("L") image at ``dpi``, white background."""
    if dpi <= 0:
        msg = f"dpi must be positive, not {dpi}"
        raise LabelRenderError(msg)
    canvas = _Canvas(label, dpi)
    for item in label.items:
        canvas.item(item)
    return canvas.image


def render_png(label: ResolvedLabel, dpi: int = 300) -> bytes:
    """:func:`render_image` as PNG bytes that carry their resolution (pHYs)."""
    out = io.BytesIO()
    render_image(label, dpi).save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()
