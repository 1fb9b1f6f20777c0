"""Text drawn here as a 1-bit bitmap, for printers whose fonts lack its characters (ZPL ^GF).

A Zebra printer's built-in font 0 has no Chinese, so a product name such as 一次性使用无菌注射器
is drawn locally at the printer's resolution and sent as a graphic. The font is the first of
:func:`drivers.reports.fonts.font_candidates` that has a glyph for every character of the text;
if none has, :class:`MissingGlyphsError` names the characters: a label never shows an empty box
(tofu) or silently drops a character. Control characters are never drawn (a newline would
make Pillow start a second line).

Sizes are the em in pixels, as for the PNG renderer; bold is a stroked outline (the usual CJK
fonts have no bold face), the same 4 % of the em the PNG renderer uses.

Layouts and bitmaps are cached per (text, size, bold, font file); the font is looked up on
every call, so a font that disappears is noticed (the cached glyph checks are per font file).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from drivers.labels import LabelRenderError
from drivers.reports.fonts import font_candidates

__all__ = ["MissingGlyphsError", "TextBitmap", "font_for", "text_bitmap", "text_width"]

_NOT_A_CHARACTER = "\U0010fffd"  # private use: no font draws it, so it shows .notdef
_PROBE_PX = 32  # coverage does not depend on size
_BOLD_STROKE = 0.04  # of the em
#: Layouts and bitmaps kept, keyed by (text, size, bold, font file): in a batch the product
#: names are the same on every label, so each is drawn once (a bitmap is immutable).
CACHE_SIZE = 256


class MissingGlyphsError(LabelRenderError):
    """No installed font can draw some characters of a text."""

    def __init__(self, text: str, missing: str) -> None:
        self.text, self.missing = text, missing
        fonts = ", ".join(str(path) for path in _installed()) or "none installed"
        super().__init__(
            f"text {text!r}: no font has a glyph for {missing!r} (fonts tried: {fonts}; "
            "install e.g. fonts-wqy-microhei)"
        )


@dataclass(frozen=True, slots=True)
class TextBitmap:
    """A line of text, 1 bit per pixel: ``rows`` packed 8 pixels a byte, MSB first, 1 = black.

    ``baseline`` is the row of the baseline and ``ascent`` the font's ascent above it, so
    the line box's top (where a TextItem's ``y`` is) lies ``baseline - ascent`` rows down.
    """

    width: int
    height: int
    row_bytes: int
    rows: tuple[bytes, ...]
    baseline: int
    ascent: int


@functools.cache
def _installed() -> tuple[Path, ...]:
    return tuple(path for path in font_candidates() if path.is_file())


@functools.lru_cache(maxsize=64)
def _font(path: Path, size_px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size_px, index=0)


@functools.lru_cache(maxsize=8192)
def _has_glyph(path: Path, char: str) -> bool:
    if unicodedata.category(char).startswith("C"):
        return False  # control, format, unassigned: never drawn
    if unicodedata.category(char) == "Zs":
        return True  # blank by nature
    font = _font(path, _PROBE_PX)
    mask, notdef = font.getmask(char), font.getmask(_NOT_A_CHARACTER)
    return not (mask.size == notdef.size and bytes(mask) == bytes(notdef))


def font_for(text: str) -> Path:
    """The first candidate font with every character of ``text``; else MissingGlyphsError."""
    chars = sorted(set(text))
    best: tuple[int, str] | None = None
    for path in _installed():
        missing = "".join(char for char in chars if not _has_glyph(path, char))
        if not missing:
            return path
        if best is None or len(missing) < best[0]:
            best = (len(missing), missing)
    unprintable = "".join(c for c in chars if unicodedata.category(c).startswith("C"))
    raise MissingGlyphsError(text, best[1] if best else unprintable or "".join(chars))


def _stroke(size_px: float, bold: bool) -> int:
    return max(1, round(size_px * _BOLD_STROKE)) if bold else 0


def text_width(text: str, size_px: float, bold: bool = False) -> int:
    """Width in pixels of ``text`` drawn by :func:`text_bitmap` at ``size_px``."""
    return _layout(text, size_px, bold, font_for(text))[0]


@functools.lru_cache(maxsize=CACHE_SIZE)
def _layout(text: str, size_px: float, bold: bool, path: Path) -> tuple[int, int]:
    """(width, left offset) of the line drawn with the font at ``path``."""
    font = _font(path, size_px)
    stroke = _stroke(size_px, bold)
    left, _, right, _ = font.getbbox(text, stroke_width=stroke, anchor="ls")
    offset = max(0, -math.floor(left))
    width = max(math.ceil(font.getlength(text)) + 2 * stroke, math.ceil(right)) + offset
    return max(1, width), offset


def text_bitmap(text: str, size_px: float, bold: bool = False) -> TextBitmap:
    """``text`` as one line of black pixels at an em of ``size_px`` pixels."""
    if not text:
        msg = "empty text has no bitmap"
        raise LabelRenderError(msg)
    return _bitmap(text, size_px, bold, font_for(text))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _bitmap(text: str, size_px: float, bold: bool, path: Path) -> TextBitmap:
    width, offset = _layout(text, size_px, bold, path)
    font = _font(path, size_px)
    stroke = _stroke(size_px, bold)
    ascent, descent = font.getmetrics()
    baseline = ascent + stroke
    height = baseline + descent + stroke
    image = Image.new("L", (width, height), 255)
    ImageDraw.Draw(image).text(
        (offset, baseline), text, fill=0, font=font, anchor="ls", stroke_width=stroke,
        stroke_fill=0,
    )  # fmt: skip
    black = np.asarray(image) < 128
    packed = np.packbits(black, axis=1)
    return TextBitmap(
        width=width,
        height=height,
        row_bytes=packed.shape[1],
        rows=tuple(row.tobytes() for row in packed),
        baseline=baseline,
        ascent=ascent,
    )
