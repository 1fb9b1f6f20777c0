"""The printable scanner test sheet (``station diagnostics scanner-sheet``): one page, A4 or Letter.

Every code is drawn as vector squares/bars from zxing-cpp's module matrix (``docs/codes.md``
§10), so it prints sharp at any resolution: 2D symbols at 0.6 mm per module, linear ones at
0.33 mm, each with its quiet zone kept free of text and lines. Next to each code: its number,
its title (English and Chinese) and the human-readable text.

>>> [round(w) for w in page_size("letter")], [round(w) for w in page_size("a4")]
([612, 792], [595, 842])
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import zxingcpp
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, LETTER  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import Paragraph  # type: ignore[import-untyped]

from drivers.reports.fonts import CjkFont, cjk_font
from station.scanning.sheet import SHEET, CodeFormat, SheetCode

__all__ = ["PAPERS", "TITLES_ZH", "page_size", "symbol_modules", "write_scanner_sheet"]

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN = 14 * mm
MODULE_2D = 0.6 * mm
MODULE_1D = 0.33 * mm
BAR_HEIGHT = 14 * mm
QUIET_2D = 2  # modules; GS1 DataMatrix needs 1, QR 4 (QR gets its own below)
QUIET_QR = 4
QUIET_1D = 10  # Code 128 needs 10 modules each side
ROW_GAP = 8 * mm

_ZXING_FORMAT = {
    CodeFormat.GS1_DATAMATRIX: zxingcpp.BarcodeFormat.DataMatrix,
    CodeFormat.DATAMATRIX: zxingcpp.BarcodeFormat.DataMatrix,
    CodeFormat.GS1_128: zxingcpp.BarcodeFormat.Code128,
    CodeFormat.CODE128: zxingcpp.BarcodeFormat.Code128,
    CodeFormat.QR: zxingcpp.BarcodeFormat.QRCode,
}
_LINEAR = frozenset({CodeFormat.GS1_128, CodeFormat.CODE128})

#: Chinese titles for the printed sheet (the UI translates through its catalog instead).
TITLES_ZH = {
    "gs1-datamatrix": "带分隔符的 GS1 DataMatrix",
    "gs1-128": "带分隔符的 GS1-128",
    "hibc": "HIBC DataMatrix",
    "layout": "键盘布局与大写锁定",
    "digital-link": "GS1 数字链接二维码（QR）",
    "suffix": "后缀探测",
}

TITLE = "Scanner test sheet · 扫码枪测试表"
INSTRUCTIONS_EN = (
    "Print at 100 % (no 'fit to page'). In the station open Diagnostics → Scanner test, or run "
    "station diagnostics scanner-check, then scan every code below, one at a time. "
    "The station compares what arrives with what a correctly set-up scanner sends, byte for "
    "byte, and tells you what to change: AIM identifiers, GS separators, keyboard layout, "
    "Caps Lock, prefix and suffix."
)
INSTRUCTIONS_ZH = (
    "请按 100% 比例打印（不要“适合页面”）。在工作站中打开“诊断 → 扫码枪测试”，或运行 "
    "station diagnostics scanner-check，然后逐个扫描下列条码。工作站会逐字节比较"
    "收到的数据与正确配置的扫码枪应发送的数据，并说明需要修改的设置：AIM 标识符、GS 分隔符、"
    "键盘布局、大写锁定、前缀和后缀。"
)


def page_size(paper: str) -> tuple[float, float]:
    """The page size in points for ``a4`` or ``letter``; ValueError otherwise."""
    try:
        width, height = PAPERS[paper.lower()]
    except KeyError:
        msg = f"unknown paper size {paper!r}: use a4 or letter"
        raise ValueError(msg) from None
    return float(width), float(height)


def symbol_modules(code: SheetCode) -> np.ndarray:
    """The symbol as a boolean matrix, True = dark module (one row for linear symbols)."""
    options: dict[str, bool] = {"gs1": code.format.gs1}
    if code.format in (CodeFormat.DATAMATRIX, CodeFormat.GS1_DATAMATRIX):
        options["forceSquare"] = True  # never a DMRE rectangle (codes.md §10)
    barcode = zxingcpp.create_barcode(code.content, _ZXING_FORMAT[code.format], **options)
    image = np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=1, add_quiet_zones=False))
    dark = image < 128
    return dark[:1] if code.format in _LINEAR else dark


def _runs(row: np.ndarray) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in ``row``."""
    runs, start = [], None
    for index, value in enumerate([*row.tolist(), False]):
        if value and start is None:
            start = index
        elif not value and start is not None:
            runs.append((start, index - start))
            start = None
    return runs


def _symbol_size(code: SheetCode, modules: np.ndarray) -> tuple[float, float]:
    """Width and height of the symbol with its quiet zones, in points."""
    if code.format in _LINEAR:
        return (modules.shape[1] + 2 * QUIET_1D) * MODULE_1D, BAR_HEIGHT
    quiet = QUIET_QR if code.format is CodeFormat.QR else QUIET_2D
    side = (modules.shape[0] + 2 * quiet) * MODULE_2D
    return side, side


def _draw_symbol(
    canvas: Canvas, code: SheetCode, modules: np.ndarray, x: float, top: float
) -> float:
    """Draw the symbol with its top-left quiet-zone corner at (x, top); return its height."""
    canvas.setFillColor(colors.black)
    if code.format in _LINEAR:
        left = x + QUIET_1D * MODULE_1D
        for start, length in _runs(modules[0]):
            canvas.rect(
                left + start * MODULE_1D, top - BAR_HEIGHT, length * MODULE_1D, BAR_HEIGHT,
                stroke=0, fill=1,
            )  # fmt: skip
        return float(BAR_HEIGHT)
    quiet = QUIET_QR if code.format is CodeFormat.QR else QUIET_2D
    origin_x, origin_y = x + quiet * MODULE_2D, top - quiet * MODULE_2D
    for row_index, row in enumerate(modules):
        y = origin_y - (row_index + 1) * MODULE_2D
        for start, length in _runs(row):
            canvas.rect(
                origin_x + start * MODULE_2D, y, length * MODULE_2D, MODULE_2D, stroke=0, fill=1
            )
    return float((modules.shape[0] + 2 * quiet) * MODULE_2D)


def _paragraph(
    canvas: Canvas, markup: str, style: ParagraphStyle, *, at: tuple[float, float], width: float
) -> float:
    """Draw wrapped ``markup`` with its top-left corner at ``at``; return its height."""
    x, top = at
    paragraph = Paragraph(markup, style)
    _, height = paragraph.wrapOn(canvas, width, 1000)
    paragraph.drawOn(canvas, x, top - height)
    return float(height)


def write_scanner_sheet(path: Path, paper: str = "a4", *, font: CjkFont | None = None) -> None:
    """Write the one-page test sheet to ``path`` (``paper``: ``a4`` or ``letter``)."""
    width, height = page_size(paper)
    chosen = font or cjk_font()
    title = ParagraphStyle("title", fontName=chosen.name, fontSize=15, leading=19)
    body = ParagraphStyle("body", fontName=chosen.name, fontSize=8.5, leading=11.5)
    label = ParagraphStyle("label", fontName=chosen.name, fontSize=9.5, leading=12)
    hri = ParagraphStyle("hri", fontName="Courier", fontSize=7.5, leading=9, wordWrap="CJK")
    canvas = Canvas(str(path), pagesize=(width, height))
    canvas.setTitle(TITLE)
    canvas.setAuthor("UDI Station")
    text_width = width - 2 * MARGIN
    top = height - MARGIN
    top -= _paragraph(canvas, escape(TITLE), title, at=(MARGIN, top), width=text_width) + 2 * mm
    top -= _paragraph(canvas, INSTRUCTIONS_EN, body, at=(MARGIN, top), width=text_width) + 1.5 * mm
    top -= _paragraph(canvas, INSTRUCTIONS_ZH, body, at=(MARGIN, top), width=text_width) + 3 * mm
    symbols = [(code, symbol_modules(code)) for code in SHEET]
    symbol_column = max(_symbol_size(code, modules)[0] for code, modules in symbols)
    number_column = 9 * mm
    text_x = MARGIN + number_column + symbol_column + 4 * mm
    text_column = width - MARGIN - text_x
    for code, modules in symbols:
        canvas.setStrokeColor(colors.lightgrey)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, top, width - MARGIN, top)
        top -= 2 * mm
        canvas.setFillColor(colors.black)
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawString(MARGIN, top - 6 * mm, str(code.number))
        symbol_height = _draw_symbol(canvas, code, modules, MARGIN + number_column, top)
        heading = f"<b>{code.number}. {escape(code.title)}</b><br/>{escape(TITLES_ZH[code.id])}"
        used = _paragraph(canvas, heading, label, at=(text_x, top), width=text_column) + 1 * mm
        used += _paragraph(
            canvas, escape(code.hri), hri, at=(text_x, top - used), width=text_column
        )
        top -= max(symbol_height, used) + ROW_GAP
    canvas.setFont(chosen.name, 7)
    canvas.setFillColor(colors.grey)
    footer = "UDI Station · station diagnostics scanner-sheet · docs/scanner-diagnostics.md"
    canvas.drawString(MARGIN, 8 * mm, footer)
    canvas.showPage()
    canvas.save()
