"""ZPL II for Zebra printers: one ``^XA…^XZ`` format per label, ``^CI28`` (UTF-8).

Positions are whole dots, ``round(mm × dpi / 25.4)``, from the label's top-left (``^LH0,0``).
Every variable field is ``^FH\\^FD…^FS`` with syntax characters hex-escaped
(:mod:`drivers.labels.zpl_escape`, compliance SEC-7), so data can never become a command.

Symbols (codes.md §10; built from ``BarcodeItem.expected``, after
:func:`drivers.labels.symbols.encoded_content` has confirmed ``data`` encodes to exactly that):

* GS1 / HIBC DataMatrix: ``^BXN,<module dots>,200,,,,_`` (ECC 200, escape ``_`` set
  explicitly; ``_1`` = FNC1, a literal ``_`` is ``__``). Square symbols: the printer's default
  aspect ratio.
* GS1-128 / HIBC 128: ``^BY<module dots>^BCN,<height>,N,N,N,N``, mode N with explicit start
  code, subset switches and ``>8`` FNC1; no interpretation line (the template prints the HRI).
* Digital Link QR: ``^BQN,2,<module dots>`` with ``MA,`` (error correction M, automatic input).
* GS1 QR: the ZPL manuals we could check document no FNC1-in-first-position mode for ``^BQ``
  (Link-OS 6.6 firmware notes mention "GS1 type QR" without a syntax), so the symbol is encoded
  here by zxing-cpp (``]Q3``) and sent as a ``^GFA`` graphic of whole-dot modules. So are
  Code 128 and QR symbols whose modules are wider than ``^BY``/``^BQ`` allow (10 dots).

Text: printable-ASCII text uses the scalable font 0 (``^A0``, CG Triumvirate Bold Condensed:
bold whatever ``bold`` says). Its metrics are not public, so widths are estimated from
Helvetica-Bold plus 10 %, an overestimate for a condensed face: shrinking to ``max_width``
is then safe, and centred or right-aligned text is placed by the printer in a one-line ``^FB``
block centred on, or ending at, ``x``. Any other text (Chinese names) is drawn here
(:mod:`drivers.labels.text_raster`) and sent as ``^GFA``, placed and fitted exactly.

Unverified on a printer: the ``^BQ`` origin offset, ``^FB``'s ``\\\\`` after ``^FH`` decoding,
and font 0's widths against the estimate.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

from drivers.labels import LabelRenderError
from drivers.labels.symbols import encoded_content, modules, pixels_matrix
from drivers.labels.text_raster import font_for, text_bitmap, text_width
from drivers.labels.zpl_escape import (
    code128_data,
    datamatrix_data,
    fb_text,
    field,
    qr_data,
)
from station.labels.model import (
    Align,
    BarcodeItem,
    BoxItem,
    ImageItem,
    Item,
    LineItem,
    ResolvedLabel,
    Symbology,
    TextItem,
)

__all__ = ["ALLOWED_DPI", "FONT0_MIN_DOTS", "render_zpl", "render_zpl_batch"]

ALLOWED_DPI = (203, 300, 600)
#: Font 0 is not drawn below 10 dots high (ZPL scalable fonts: 10 to 32000).
FONT0_MIN_DOTS = 10
_WIDTH_MARGIN = 1.10  # on Helvetica-Bold's width, for font 0 (see the module docstring)
#: ^BY module width and ^BQ magnification go up to 10 dots; wider modules (0.5 mm at 600 dpi)
#: are sent as a ^GFA graphic of the same symbol.
_MAX_MODULE_DOTS = 10
_ASCII = frozenset(chr(code) for code in range(0x20, 0x7F))
#: Fitted text graphics kept (see _text_graphic).
TEXT_CACHE_SIZE = 256


def render_zpl(label: ResolvedLabel, dpi: int = 203) -> bytes:
    """One label as a ZPL II format; LabelRenderError if it cannot be printed exactly."""
    if dpi not in ALLOWED_DPI:
        msg = f"dpi must be one of {', '.join(map(str, ALLOWED_DPI))}, not {dpi!r}"
        raise ValueError(msg)
    page = _Page(dpi, label.width, label.height)
    lines = [f"^XA^CI28^PW{page.width}^LL{page.height}^LH0,0"]
    lines.extend(line for item in label.items if (line := page.item(item)))
    lines.append("^XZ")
    return ("\n".join(lines) + "\n").encode("ascii")  # escaping left nothing else


def render_zpl_batch(labels: Iterable[ResolvedLabel], dpi: int = 203) -> bytes:
    """Several labels, one ``^XA…^XZ`` each, in order."""
    return b"".join(render_zpl(label, dpi) for label in labels)


class _Page:
    def __init__(self, dpi: int, width_mm: float, height_mm: float) -> None:
        self.dpi = dpi
        self.width, self.height = self.dots(width_mm), self.dots(height_mm)

    def dots(self, mm: float) -> int:
        return round(mm * self.dpi / 25.4)

    def module(self, mm: float) -> int:
        return max(1, self.dots(mm))

    def item(self, item: Item) -> str:
        match item:
            case BarcodeItem():
                return self.barcode(item)
            case TextItem():
                return self.text(item)
            case LineItem():
                return self.line(item)
            case BoxItem():
                return self.box(item)
            case ImageItem():
                return self.image(item)

    # ------------------------------------------------------------------ symbols

    def barcode(self, item: BarcodeItem) -> str:
        what = f"barcode {item.name or item.symbology.value}"
        encoded_content(item)  # data encodes to exactly `expected`, or LabelRenderError
        aim = item.symbology.aim
        if not item.expected.startswith(aim):  # pragma: no cover - encoded_content checked
            msg = f"{what}: {item.expected!r} does not start with {aim}"
            raise LabelRenderError(msg)
        content, dots = item.expected[len(aim) :], self.module(item.module)
        origin = f"^FO{self.dots(item.x)},{self.dots(item.y)}"
        match item.symbology:
            case Symbology.GS1_DATAMATRIX | Symbology.HIBC_DATAMATRIX:
                data = datamatrix_data(content, gs1=item.symbology.is_gs1, what=what)
                return f"{origin}^BXN,{dots},200,,,,_{field(data, what)}"
            case Symbology.GS1_128 | Symbology.HIBC_128:
                if item.height is None or item.height <= 0:
                    msg = f"{what}: a linear symbol needs a height"
                    raise LabelRenderError(msg)
                bars = max(1, self.dots(item.height))
                if dots > _MAX_MODULE_DOTS:
                    return self._symbol_graphic(item, dots, bars)
                data = code128_data(content, gs1=item.symbology.is_gs1, what=what)
                return f"{origin}^BY{dots}^BCN,{bars},N,N,N,N{field(data, what)}"
            case Symbology.DL_QR if dots <= _MAX_MODULE_DOTS:
                return f"{origin}^BQN,2,{dots}{field(qr_data(content, what=what), what)}"
            case Symbology.DL_QR | Symbology.GS1_QR:
                return self._symbol_graphic(item, dots, dots)

    def _symbol_graphic(self, item: BarcodeItem, dots: int, row_dots: int) -> str:
        """zxing-cpp's symbol as ``^GFA``: modules of ``dots``, ``row_dots`` high per row."""
        matrix = modules(item)
        scaled = np.repeat(np.repeat(matrix, row_dots, axis=0), dots, axis=1)
        return _graphic(self.dots(item.x), self.dots(item.y), scaled)

    # ------------------------------------------------------------------ text

    def text(self, item: TextItem) -> str:
        if not item.text:
            return ""
        if set(item.text) <= _ASCII:
            return self._font0(item)
        return self._bitmap_text(item)

    def _room(self, item: TextItem) -> int | None:
        """Dots the line may take: max_width, and for centred/right text the label's edges."""
        x = self.dots(item.x)
        limits = [self.dots(item.max_width)] if item.max_width is not None else []
        if item.align is Align.CENTER:
            limits.append(2 * min(x, self.width - x))
        elif item.align is Align.RIGHT:
            limits.append(x)
        return min(limits) if limits else None

    def _font0(self, item: TextItem) -> str:
        what = f"text {item.text!r}"
        height, room = max(1, self.dots(item.size)), self._room(item)
        if room is not None and _font0_width(item.text, height) > room:
            height = math.floor(height * room / _font0_width(item.text, height))
            while height > 0 and _font0_width(item.text, height) > room:
                height -= 1
        if height < FONT0_MIN_DOTS:
            msg = f"{what}: {height} dots high at {self.dpi} dpi, below font 0's {FONT0_MIN_DOTS}"
            raise LabelRenderError(msg)
        x, y = self.dots(item.x), self.dots(item.y)
        font = f"^A0N,{height},{height}"
        if item.align is Align.LEFT:
            return f"^FO{x},{y}{font}{field(item.text, what)}"
        block = 2 * min(x, self.width - x) if item.align is Align.CENTER else x
        left, justify = (x - block // 2, "C") if item.align is Align.CENTER else (0, "R")
        return f"^FO{left},{y}{font}^FB{block},1,0,{justify}{field(fb_text(item.text), what)}"

    def _bitmap_text(self, item: TextItem) -> str:
        size = item.size * self.dpi / 25.4
        limit = self.dots(item.max_width) if item.max_width is not None else None
        font = font_for(item.text)  # MissingGlyphsError, cached or not
        width, above, graphic = _text_graphic(item.text, size, item.bold, limit, font)
        x = self.dots(item.x)
        left = {Align.LEFT: x, Align.CENTER: x - width // 2, Align.RIGHT: x - width}
        top = self.dots(item.y) - above
        # ^FO cannot be negative: a graphic overhanging the top or left edge moves onto the label
        return f"^FO{max(0, left[item.align])},{max(0, top)}{graphic}^FS"

    # ------------------------------------------------------------------ shapes

    def line(self, item: LineItem) -> str:
        t = max(1, self.dots(item.thickness))
        x1, y1, x2, y2 = (self.dots(v) for v in (item.x1, item.y1, item.x2, item.y2))
        left, top, width, height = min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1)
        if height == 0:  # centred on the line, as the PNG and PDF renderers stroke
            return f"^FO{left},{max(0, top - t // 2)}^GB{max(width, t)},{t},{t}^FS"
        if width == 0:
            return f"^FO{max(0, left - t // 2)},{top}^GB{t},{max(height, t)},{t}^FS"
        lean = "L" if (x2 - x1) * (y2 - y1) > 0 else "R"  # y grows downwards: "\" is L
        return f"^FO{left},{top}^GD{width},{height},{t},B,{lean}^FS"

    def box(self, item: BoxItem) -> str:
        width, height = max(1, self.dots(item.width)), max(1, self.dots(item.height))
        t = min(width, height) if item.filled else max(1, self.dots(item.thickness))
        origin = f"^FO{self.dots(item.x)},{self.dots(item.y)}"
        return f"{origin}^GB{max(width, t)},{max(height, t)},{t}^FS"  # stroked inside

    def image(self, item: ImageItem) -> str:
        width, height = max(1, self.dots(item.width)), max(1, self.dots(item.height))
        graphic = _image_graphic(item.pixels, item.name, width, height)
        return f"^FO{self.dots(item.x)},{self.dots(item.y)}{graphic}^FS"


def _font0_width(text: str, height: int) -> float:
    """An upper estimate of font 0's line width in dots at ``^A0N,height,height``."""
    return float(stringWidth(text, "Helvetica-Bold", height)) * _WIDTH_MARGIN


@functools.lru_cache(maxsize=TEXT_CACHE_SIZE)
def _text_graphic(
    text: str, size: float, bold: bool, limit: int | None, font: Path
) -> tuple[int, int, str]:
    """Text fitted to ``limit`` dots as (width, rows above the line box's top, ``^GFA…``).

    Cached per font file as well (``font`` is :func:`font_for` of the text): in a batch the
    product names repeat on every label, and drawing them is most of a label's time.
    """
    del font  # only part of the cache key: text_raster draws with font_for(text) itself
    while limit is not None and size >= 1 and text_width(text, size, bold) > limit:
        size *= 0.97  # as the PNG renderer shrinks
    bitmap = text_bitmap(text, size, bold)
    rows = np.frombuffer(b"".join(bitmap.rows), dtype=np.uint8)
    packed = rows.reshape(bitmap.height, bitmap.row_bytes)
    return bitmap.width, bitmap.baseline - bitmap.ascent, _gfa(packed)


@functools.lru_cache(maxsize=64)
def _image_graphic(pixels: tuple[str, ...], name: str, width: int, height: int) -> str:
    """An image scaled to ``width`` × ``height`` dots as ``^GFA…`` (the same few on every label)."""
    matrix = pixels_matrix(pixels, name)
    rows = (np.arange(height) * matrix.shape[0] // height)[:, None]
    columns = (np.arange(width) * matrix.shape[1] // width)[None, :]
    return _gfa(np.packbits(matrix[rows, columns].astype(bool), axis=1))


def _graphic(x: int, y: int, black: npt.NDArray[np.bool_]) -> str:
    return f"^FO{x},{y}{_gfa(np.packbits(black.astype(bool), axis=1))}^FS"


def _gfa(packed: npt.NDArray[np.uint8]) -> str:
    """``^GFA`` (ASCII hex, uncompressed): total bytes twice, bytes a row, the rows."""
    total, row_bytes = packed.size, packed.shape[1]
    return f"^GFA,{total},{total},{row_bytes},{packed.tobytes().hex().upper()}"
