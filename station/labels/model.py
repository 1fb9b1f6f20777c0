"""What a label is once its template has been filled in: drawing items in millimetres.

A :class:`ResolvedLabel` is the one thing every renderer takes (PDF, PNG, ZPL). Renderers are
pure: they turn these items into bytes and decide nothing about content. All content decisions
(which fields, how a date is printed, which element string a symbol carries, what its HRI says)
are made once, in :mod:`station.labels.resolve`, so the printed text and the symbol cannot
disagree (UDI-2) and every renderer prints the same label.

Coordinates: millimetres from the label's top-left corner, y growing downwards. Sizes of text are
the font's em size in millimetres (1 pt = 0.3528 mm). Nothing here imports an I/O library.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

__all__ = [
    "Align",
    "BarcodeItem",
    "BoxItem",
    "ImageItem",
    "Item",
    "LineItem",
    "ResolvedLabel",
    "Symbology",
    "TextItem",
]

#: One point in millimetres: text sizes in templates may be given in points.
POINT_MM = 25.4 / 72


class Symbology(enum.StrEnum):
    """What a barcode element prints. GS1 kinds carry FNC1; the others are plain symbols."""

    GS1_DATAMATRIX = "gs1-datamatrix"  # ]d2, square ECC 200
    GS1_128 = "gs1-128"  # ]C1
    GS1_QR = "gs1-qr"  # ]Q3
    DL_QR = "dl-qr"  # ]Q1, a GS1 Digital Link URI in a plain QR
    HIBC_128 = "hibc-128"  # ]C0, HIBC in Code 128
    HIBC_DATAMATRIX = "hibc-datamatrix"  # ]d1, HIBC in a plain square DataMatrix

    @property
    def is_gs1(self) -> bool:
        """Carries GS1 element strings with FNC1 (the encoder is told ``gs1=True``)."""
        return self in (Symbology.GS1_DATAMATRIX, Symbology.GS1_128, Symbology.GS1_QR)

    @property
    def is_linear(self) -> bool:
        """A 1D symbol: it has a bar height; the others are 2D matrices."""
        return self in (Symbology.GS1_128, Symbology.HIBC_128)

    @property
    def aim(self) -> str:
        """The AIM symbology identifier a scanner reports for this symbol."""
        return _AIM[self]


_AIM = {
    Symbology.GS1_DATAMATRIX: "]d2",
    Symbology.GS1_128: "]C1",
    Symbology.GS1_QR: "]Q3",
    Symbology.DL_QR: "]Q1",
    Symbology.HIBC_128: "]C0",
    Symbology.HIBC_DATAMATRIX: "]d1",
}


class Align(enum.StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class TextItem:
    """One line of text. ``x`` is the left, centre or right edge as ``align`` says; ``y`` is
    the top of the line box (ascent included), so renderers place text the same way.

    ``max_width`` (mm), when set, is a hard limit: renderers shrink the font until the line
    fits, never cut or wrap it (a cut lot number would be a wrong record).
    """

    x: float
    y: float
    text: str
    size: float  # em size, mm
    bold: bool = False
    align: Align = Align.LEFT
    max_width: float | None = None


@dataclass(frozen=True, slots=True)
class BarcodeItem:
    """A symbol. ``x``/``y`` are its top-left corner *without* quiet zone (the template leaves
    room for it); ``module`` is the module (narrow bar) width in mm.

    The content, in the three encodings renderers and verifiers need:

    * ``pairs`` — the GS1 (AI, value) pairs, for GS1 symbologies (empty otherwise);
    * ``data`` — what a plain encoder takes: the bracketed HRI for GS1 kinds (zxing-cpp's
      ``gs1=True`` input), the URI or HIBC text otherwise;
    * ``expected`` — exactly what a scanner with AIM identifiers on must read back: the AIM
      identifier, then the element string with GS separators (GS1) or the text (plain).
    """

    x: float
    y: float
    symbology: Symbology
    module: float
    data: str
    expected: str
    pairs: tuple[tuple[str, str], ...] = ()
    height: float | None = None  # bar height of a linear symbol, mm
    name: str = ""  # the element's id in its template, to name it in errors and reports


@dataclass(frozen=True, slots=True)
class LineItem:
    x1: float
    y1: float
    x2: float
    y2: float
    thickness: float = 0.25


@dataclass(frozen=True, slots=True)
class BoxItem:
    x: float
    y: float
    width: float
    height: float
    thickness: float = 0.25
    filled: bool = False


@dataclass(frozen=True, slots=True)
class ImageItem:
    """A monochrome picture (an ISO 15223-1 symbol, a logo) scaled into ``width`` × ``height``.

    ``pixels`` is a bitmap: one string per row, ``"#"`` black and ``"."`` white, so it is data
    any renderer can draw without an image library and a template's hash covers it.
    """

    x: float
    y: float
    width: float
    height: float
    pixels: tuple[str, ...]
    name: str = ""


Item = TextItem | BarcodeItem | LineItem | BoxItem | ImageItem


@dataclass(frozen=True, slots=True)
class ResolvedLabel:
    """A filled-in label: what to draw, and where it came from.

    ``template_sha256`` is the hash of the template's canonical form: a print record names the
    exact template that was used, not just its name and version.
    """

    template: str
    version: int
    template_sha256: str
    width: float  # mm
    height: float  # mm
    items: tuple[Item, ...]
    data: tuple[tuple[str, str], ...] = field(default=())  # the label data, key order kept

    @property
    def barcodes(self) -> tuple[BarcodeItem, ...]:
        """The symbols, in drawing order (what print-and-verify must read back)."""
        return tuple(item for item in self.items if isinstance(item, BarcodeItem))

    @property
    def texts(self) -> tuple[TextItem, ...]:
        return tuple(item for item in self.items if isinstance(item, TextItem))
