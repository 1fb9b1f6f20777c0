"""Render a record copy (:class:`station.records.sheet.CopySheet`) as a PDF: A4 landscape, the
trace reports' page frame (title, record, station, export time and "page N of M" on every page)
and their CJK font, so printed names and values in Chinese render.

Every section is a table that repeats its header on each page; long values (hashes, JSON) wrap
anywhere instead of being cut off, so every character of the copy is on the paper.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    LongTable,
    Paragraph,
    Spacer,
    TableStyle,
)

from drivers.reports.fonts import CjkFont, cjk_font
from drivers.reports.pdf import build_stamped, escape_markup
from station.records.sheet import CopySheet, Section

__all__ = ["COLUMN_MM", "write_copy_pdf"]

#: Column widths in millimetres per section layout; each row adds up to the text width (273).
COLUMN_MM: dict[str, tuple[float, ...]] = {
    "fields": (55, 218),
    "payload": (80, 193),
    "signatures": (12, 38, 26, 42, 70, 40, 45),
    "audit": (12, 30, 24, 26, 30, 32, 45, 24, 22, 28),
    "keys": (90, 40, 143),
}


def _cell(text: str, style: ParagraphStyle) -> Paragraph:
    """A table cell; its ``\\n`` become line breaks, and data never becomes markup."""
    return Paragraph("<br/>".join(escape_markup(line) for line in text.split("\n")), style)


def _table(section: Section, style: ParagraphStyle) -> LongTable:
    header = [_cell(text, style) for text in section.columns]
    rows = [[_cell(text, style) for text in row] for row in section.rows]
    widths = COLUMN_MM.get(section.key)
    table = LongTable(
        [header, *rows],
        colWidths=[w * mm for w in widths] if widths else None,
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _story(sheet: CopySheet, font: CjkFont) -> list[Any]:
    title = ParagraphStyle("title", fontName=font.name, fontSize=16, leading=20)
    heading = ParagraphStyle("heading", fontName=font.name, fontSize=11, leading=15, keepWithNext=1)
    body = ParagraphStyle("body", fontName=font.name, fontSize=9, leading=12, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font.name, fontSize=7, leading=9, wordWrap="CJK")
    story: list[Any] = [
        Paragraph(escape_markup(f"{sheet.title}: {sheet.code}"), title),
        Spacer(1, 3 * mm),
    ]
    for label, value in sheet.summary:
        story.append(Paragraph(f"<b>{escape_markup(label)}</b>: {escape_markup(value)}", body))
    for section in sheet.sections:
        story += [Spacer(1, 5 * mm), Paragraph(escape_markup(section.title), heading)]
        if section.rows:
            story.append(_table(section, cell))
        else:
            story.append(Paragraph("无 / None", body))
    return story


def write_copy_pdf(sheet: CopySheet, path: Path, *, font: CjkFont | None = None) -> None:
    """Write ``sheet`` to ``path``; ``font`` defaults to the best CJK font available."""
    chosen = font or cjk_font()
    build_stamped(path, sheet, _story(sheet, chosen), chosen)
