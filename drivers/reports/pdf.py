"""Render a :class:`station.trace.report.Report` as a PDF (A4 landscape, reportlab platypus).

Every page carries the title, the station code, the generation time with its UTC offset and
"page N of M", so a printed page on its own still says what it is and when it was true.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from drivers.reports.fonts import CjkFont, cjk_font
from station.trace.report import Report

__all__ = [
    "MARGIN",
    "PAGE",
    "NumberedCanvas",
    "PageStamp",
    "build_stamped",
    "escape_markup",
    "write_pdf",
]

PAGE = landscape(A4)
MARGIN = 12 * mm


class PageStamp(Protocol):
    """What every page's footer says (a trace report, a record copy …)."""

    @property
    def title(self) -> str: ...

    @property
    def code(self) -> str: ...

    @property
    def station(self) -> str: ...

    @property
    def generated_at(self) -> str: ...


def escape_markup(text: str) -> str:
    """Paragraph text is mini-markup: data must not become tags (a lot named ``<b>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Defers page output so the footer can say "page N of M"."""

    def __init__(self, *args: Any, report: PageStamp, font: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._report, self._font = report, font
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            super().showPage()
        super().save()

    def _footer(self, number: int, total: int) -> None:
        width, _ = PAGE
        report = self._report
        self.setFont(self._font, 8)
        self.setFillColor(colors.grey)
        left = f"{report.title} · {report.code} · 站点 / Station {report.station}"
        self.drawString(MARGIN, 7 * mm, left)
        pages = f"第 {number} / {total} 页 / Page {number} of {total}"
        right = f"生成 / Generated {report.generated_at} · {pages}"
        self.drawRightString(width - MARGIN, 7 * mm, right)


def _story(report: Report, font: CjkFont) -> list[Any]:
    title = ParagraphStyle("title", fontName=font.name, fontSize=16, leading=20)
    body = ParagraphStyle("body", fontName=font.name, fontSize=9, leading=12)
    cell = ParagraphStyle("cell", fontName=font.name, fontSize=7, leading=9, wordWrap="CJK")
    story: list[Any] = [
        Paragraph(escape_markup(f"{report.title}: {report.code}"), title),
        Spacer(1, 4 * mm),
    ]
    for label, value in report.summary:
        story.append(Paragraph(f"<b>{escape_markup(label)}</b>: {escape_markup(value)}", body))
    story.append(Spacer(1, 4 * mm))
    header = [Paragraph(escape_markup(text), cell) for text in report.columns]
    rows = [[Paragraph(escape_markup(text), cell) for text in row] for row in report.rows]
    table = LongTable([header, *rows], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    return story


def build_stamped(path: Path, stamp: PageStamp, story: list[Any], font: CjkFont) -> None:
    """Lay ``story`` out on A4 pages at ``path``, each with the footer of ``stamp`` (what,
    which code, which station, when, page n of m): every station report is built this way."""
    document = SimpleDocTemplate(
        str(path),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=14 * mm,
        title=f"{stamp.title} {stamp.code}",
        author=f"UDI Station {stamp.station}",
    )

    def canvas(*args: Any, **kwargs: Any) -> NumberedCanvas:
        return NumberedCanvas(*args, report=stamp, font=font.name, **kwargs)

    document.build(story, canvasmaker=canvas)


def write_pdf(report: Report, path: Path, *, font: CjkFont | None = None) -> None:
    """Write ``report`` to ``path``; ``font`` defaults to the best CJK font available."""
    chosen = font or cjk_font()
    build_stamped(path, report, _story(report, chosen), chosen)
