"""Rendered labels read back as exactly what the record says, where the template says.

PDF: rendered by :func:`render_pdf`, rasterised by pypdfium2 (as a printer driver would) and
decoded by zxing-cpp with AIM identifiers on and GS kept (TextMode.Plain). PNG: rendered at
the printer's resolution (203 and 300 dpi) and decoded the same way. Text is extracted from
the PDF and its ink measured on the rasters.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
import zxingcpp
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from PIL import Image

from drivers.labels import LabelRenderError
from drivers.labels.pdf import render_pdf, render_pdf_file
from drivers.labels.raster import raster_font_path, render_image, render_png
from drivers.labels.symbols import symbol_size_mm
from drivers.reports.fonts import cjk_font
from station.errors import BuildError
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
from station.resources import resource_path
from station.udi import read_scan
from station.udi.build import UdiData, digital_link, element_string, hri, pairs_of
from station.udi.hibc_build import hibc_code

TODAY = date(2026, 6, 1)
PDF_DPI = 300
NAME_ZH = "一次性使用无菌注射器"
LOT = "A1_(B)/2%&<"
UDI = UdiData(gtin="04012345123456", lot=LOT, serial="SN/0001", expiry=date(2027, 1, 31))
HIBC = hibc_code("A123", "BJC5D6E7", "1", lot="10X3", expiry=date(2027, 1, 15))
SET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
ROOT = Path(__file__).resolve().parents[2]

needs_cjk_pdf = pytest.mark.skipif(
    not cjk_font().embedded, reason="no CJK TrueType font (install fonts-wqy-microhei)"
)
needs_cjk_raster = pytest.mark.skipif(
    raster_font_path() is None, reason="no CJK font for Pillow (install fonts-wqy-microhei)"
)


def gs1(
    symbology: Symbology, udi: UdiData, x: float, y: float, module: float, height: float | None
) -> BarcodeItem:
    """A GS1 item from the station's builders; the HRI lists pairs in element-string order."""
    text = element_string(udi, today=TODAY)
    pairs = pairs_of(read_scan(symbology.aim + text))
    data = hri(pairs, today=TODAY)
    return BarcodeItem(x, y, symbology, module, data, symbology.aim + text, pairs, height)


def plain(
    symbology: Symbology, text: str, x: float, y: float, module: float, height: float | None = None
) -> BarcodeItem:
    return BarcodeItem(x, y, symbology, module, text, symbology.aim + text, height=height)


def symbol_pixels(name: str) -> tuple[str, ...]:
    path = resource_path("labels", "symbols", f"{name}.txt")
    return tuple(path.read_text(encoding="ascii").splitlines())


def label(
    width: float, height: float, items: tuple[Item, ...], name: str = "test"
) -> ResolvedLabel:
    return ResolvedLabel(name, 3, "ab" * 32, width, height, items)


def centred_128(udi: UdiData, width: float, y: float) -> BarcodeItem:
    item = gs1(Symbology.GS1_128, udi, 0, y, 0.25, 10)
    return replace(item, x=(width - symbol_size_mm(item)[0]) / 2)


def label_a() -> ResolvedLabel:
    """60 × 40 mm: GS1 DataMatrix, GS1-128 of (01)(17), Chinese name, lot, line, box, symbol."""
    short = UdiData(gtin=UDI.gtin, expiry=UDI.expiry)
    return label(
        60,
        40,
        (
            BoxItem(0.5, 0.5, 59, 39, thickness=0.3),
            gs1(Symbology.GS1_DATAMATRIX, UDI, 3, 3, 0.34, None),
            TextItem(14, 3, NAME_ZH, 3.0, bold=True, max_width=44),
            TextItem(14, 8, f"LOT {LOT}", 2.5),
            LineItem(14, 12.5, 58, 12.5, thickness=0.3),
            ImageItem(3, 15, 6, 6, symbol_pixels("lot"), name="lot"),
            TextItem(11, 16.5, LOT, 2.5),
            centred_128(short, 60, 26),
        ),
        name="a",
    )


def label_b() -> ResolvedLabel:
    """100 × 40 mm: Digital Link QR, HIBC DataMatrix, GS1 QR, HIBC Code 128."""
    return label(
        100,
        40,
        (
            plain(Symbology.DL_QR, digital_link(UDI, today=TODAY), 3, 3, 0.3),
            plain(Symbology.HIBC_DATAMATRIX, HIBC, 25, 3, 0.34),
            gs1(Symbology.GS1_QR, UDI, 45, 3, 0.3, None),
            plain(Symbology.HIBC_128, HIBC, 5, 24, 0.25, height=10),
        ),
        name="b",
    )


@dataclass(frozen=True)
class Reading:
    content: str
    left: float  # mm
    top: float
    bottom: float


def read(image: np.ndarray, dpi: int) -> list[Reading]:
    readings = []
    for result in zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain):
        corners = result.position
        xs = [p.x for p in (corners.top_left, corners.bottom_left)]
        ys = [p.y for p in (corners.top_left, corners.top_right)]
        ys_bottom = [p.y for p in (corners.bottom_left, corners.bottom_right)]
        readings.append(
            Reading(
                result.symbology_identifier + result.text,
                min(xs) / dpi * 25.4,
                min(ys) / dpi * 25.4,
                max(ys_bottom) / dpi * 25.4,
            )
        )
    return readings


@dataclass(frozen=True)
class Page:
    image: np.ndarray  # greyscale at PDF_DPI
    text: str
    size_pt: tuple[float, float]


def rasterise(pdf: bytes, dpi: int = PDF_DPI) -> list[Page]:
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            image = np.asarray(page.render(scale=dpi / 72).to_pil().convert("L"))
            pages.append(Page(image, textpage.get_text_range(), tuple(page.get_size())))
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()


def png_image(resolved: ResolvedLabel, dpi: int) -> np.ndarray:
    with Image.open(io.BytesIO(render_png(resolved, dpi))) as image:
        assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)
        return np.asarray(image.convert("L"))


def assert_symbols_read_where_placed(resolved: ResolvedLabel, image: np.ndarray, dpi: int) -> None:
    readings = read(image, dpi)
    assert sorted(r.content for r in readings) == sorted(b.expected for b in resolved.barcodes)
    for item in resolved.barcodes:
        (reading,) = [r for r in readings if r.content == item.expected]
        assert reading.left == pytest.approx(item.x, abs=0.6), item.symbology
        if item.symbology.is_linear:
            assert (
                item.y - 0.6 <= reading.top <= reading.bottom <= item.y + (item.height or 0) + 0.6
            )
        else:
            assert reading.top == pytest.approx(item.y, abs=0.6), item.symbology


def ink_box(image: np.ndarray, dpi: int) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) in mm of the pixels darker than mid-grey."""
    rows, columns = np.nonzero(image < 128)
    scale = 25.4 / dpi
    return (
        columns.min() * scale,
        rows.min() * scale,
        (columns.max() + 1) * scale,
        (rows.max() + 1) * scale,
    )


def render_both(resolved: ResolvedLabel, dpi: int = PDF_DPI) -> dict[str, np.ndarray]:
    return {"pdf": rasterise(render_pdf([resolved]), dpi)[0].image, "png": png_image(resolved, dpi)}


# --------------------------------------------------------------------------- symbols


@pytest.mark.req("UDI-2")
def test_pdf_symbols_decode_to_expected_where_placed_one_page_per_label() -> None:
    labels = [label_a(), label_b()]
    pages = rasterise(render_pdf(labels))
    assert len(pages) == 2
    for resolved, page in zip(labels, pages, strict=True):
        assert page.size_pt == pytest.approx(
            (resolved.width * 72 / 25.4, resolved.height * 72 / 25.4)
        )
        assert_symbols_read_where_placed(resolved, page.image, PDF_DPI)


@pytest.mark.req("UDI-2")
@pytest.mark.parametrize("dpi", [203, 300])
def test_png_symbols_decode_to_expected_at_printer_resolution(dpi: int) -> None:
    for resolved in (label_a(), label_b()):
        image = png_image(resolved, dpi)
        assert image.shape == (
            round(resolved.height * dpi / 25.4),
            round(resolved.width * dpi / 25.4),
        )
        assert_symbols_read_where_placed(resolved, image, dpi)


@pytest.mark.req("UDI-2")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lot=st.text(SET82, min_size=1, max_size=20),
    serial=st.text(SET82, min_size=1, max_size=20),
    expiry=st.dates(date(2000, 1, 1), date(2049, 12, 31)),
)
def test_random_gs1_data_round_trips_through_pdf_and_png(
    lot: str, serial: str, expiry: date
) -> None:
    try:
        udi = UdiData(gtin="04012345123456", lot=lot, serial=serial, expiry=expiry)
        dm = gs1(Symbology.GS1_DATAMATRIX, udi, 3, 3, 0.34, None)
        c128 = gs1(Symbology.GS1_128, udi, 5, 20, 0.25, 12)
    except BuildError:  # data the station itself refuses to encode (e.g. a 31 February)
        reject()
    resolved = label(180, 36, (dm, c128, TextItem(20, 3, f"LOT {lot}", 2.5)))
    (page,) = rasterise(render_pdf([resolved]))
    assert_symbols_read_where_placed(resolved, page.image, PDF_DPI)
    assert f"LOT {lot}" in page.text
    assert_symbols_read_where_placed(resolved, png_image(resolved, 203), 203)
    for reading in read(page.image, PDF_DPI):
        parsed = read_scan(reading.content)
        assert (parsed.lot, parsed.serial, parsed.expiry) == (lot, serial, expiry)


def test_a_symbol_off_the_label_is_refused_not_clipped() -> None:
    item = gs1(Symbology.GS1_DATAMATRIX, UDI, 55, 3, 0.34, None)
    resolved = label(60, 40, (item,))
    with pytest.raises(LabelRenderError, match="does not fit"):
        render_pdf([resolved])
    with pytest.raises(LabelRenderError, match="does not fit"):
        render_png(resolved, 203)


# --------------------------------------------------------------------------- text


@needs_cjk_pdf
def test_pdf_text_is_exact_and_searchable() -> None:
    (page, _) = rasterise(render_pdf([label_a(), label_b()]))
    assert NAME_ZH in page.text
    assert f"LOT {LOT}" in page.text


@needs_cjk_raster
@pytest.mark.parametrize("renderer", ["pdf", "png"])
def test_max_width_shrinks_text_to_fit_never_cuts_it(renderer: str) -> None:
    text = f"{NAME_ZH} 5 mL Luer lock LOT {LOT}"
    fitted = TextItem(5, 3, text, 4.0, max_width=30)
    wide = replace(fitted, max_width=None)
    left, _, right, _ = ink_box(render_both(label(80, 12, (fitted,)))[renderer], PDF_DPI)
    assert left >= 5 - 0.1
    assert right <= 35 + 0.1
    _, _, wide_right, _ = ink_box(render_both(label(120, 12, (wide,)))[renderer], PDF_DPI)
    assert wide_right > 40  # without the limit the same text is wider: it really was shrunk
    if renderer == "pdf":
        (page,) = rasterise(render_pdf([label(80, 12, (fitted,))]))
        assert text in page.text


@pytest.mark.parametrize("renderer", ["pdf", "png"])
@pytest.mark.parametrize("align", list(Align))
def test_text_alignment_and_top_of_line_box(renderer: str, align: Align) -> None:
    item = TextItem(30, 5, "HIBC LOT 42", 4.0, align=align, bold=align is Align.CENTER)
    left, top, right, bottom = ink_box(render_both(label(60, 15, (item,)))[renderer], PDF_DPI)
    edge = {Align.LEFT: left, Align.CENTER: (left + right) / 2, Align.RIGHT: right}[align]
    assert edge == pytest.approx(30, abs=0.5)
    # Capitals start at the line box's top (its ascent); round letters overshoot a hair.
    assert 5 - 0.03 * 4.0 <= top <= 5 + 0.45 * 4.0
    assert bottom <= 5 + 4.0  # no descenders: ink ends above the line box's bottom


@needs_cjk_raster
@pytest.mark.parametrize("renderer", ["pdf", "png"])
def test_a_character_without_a_glyph_is_refused(renderer: str) -> None:
    if renderer == "pdf" and not cjk_font().embedded:
        pytest.skip("the CID fallback font cannot be checked for glyphs")
    resolved = label(60, 15, (TextItem(2, 2, "LOT 42 \U0001f600", 3.0),))
    with pytest.raises(LabelRenderError, match="no glyph"):
        render_both(resolved)


# --------------------------------------------------------------------------- shapes


@pytest.mark.parametrize("renderer", ["pdf", "png"])
def test_image_is_scaled_into_its_box_pixel_for_pixel(renderer: str) -> None:
    pixels = symbol_pixels("consult-ifu")
    item = ImageItem(5, 4, 16, 16, pixels, name="ifu")
    image = render_both(label(30, 25, (item,)))[renderer]
    cell = 16 / 64 / 25.4 * PDF_DPI
    centres = ((np.arange(64) + 0.5) * cell).astype(int)
    origin_x, origin_y = round(5 / 25.4 * PDF_DPI), round(4 / 25.4 * PDF_DPI)
    sampled = image[np.ix_(origin_y + centres, origin_x + centres)] < 128
    expected = np.array([[c == "#" for c in row] for row in pixels])
    assert (sampled == expected).mean() > 0.99


@pytest.mark.parametrize("renderer", ["pdf", "png"])
def test_boxes_and_lines_are_drawn_inside_their_bounds(renderer: str) -> None:
    items: tuple[Item, ...] = (
        BoxItem(5, 5, 20, 10, thickness=0.5),
        BoxItem(30, 5, 10, 10, filled=True),
        LineItem(5, 20, 40, 20, thickness=0.4),
    )
    image = render_both(label(45, 25, items))[renderer]

    def dark(x_mm: float, y_mm: float) -> bool:
        return bool(image[int(y_mm / 25.4 * PDF_DPI), int(x_mm / 25.4 * PDF_DPI)] < 128)

    stroked_inside = [(5.25, 10), (24.75, 10), (15, 5.25), (15, 14.75)]
    assert all(dark(x, y) for x, y in stroked_inside)
    outside_or_hollow = [(4.8, 10), (25.2, 10), (15, 4.8), (15, 15.2), (15, 10)]
    assert not any(dark(x, y) for x, y in outside_or_hollow)
    assert all(dark(x, y) for x, y in [(35, 10), (30.2, 5.2), (39.8, 14.8)])  # filled
    assert not any(dark(x, y) for x, y in [(29.8, 10), (40.3, 10)])
    assert dark(20, 20)
    assert not any(dark(x, y) for x, y in [(20, 19.6), (20, 20.5), (41, 20)])  # 0.4 mm thick
    assert ink_box(image, PDF_DPI)[0] == pytest.approx(5, abs=0.1)


# --------------------------------------------------------------------------- the file itself


def test_same_labels_give_the_same_pdf_bytes_even_in_another_process(tmp_path: Path) -> None:
    labels = [label_a(), label_b()]
    first = render_pdf(labels)
    assert render_pdf(labels) == first
    render_pdf_file(labels, tmp_path / "labels.pdf")
    assert (tmp_path / "labels.pdf").read_bytes() == first
    script = (
        "import hashlib, sys\n"
        "from drivers.labels.pdf import render_pdf\n"
        "from tests.integration.test_label_pdf_png import label_a, label_b\n"
        "sys.stdout.write(hashlib.sha256(render_pdf([label_a(), label_b()])).hexdigest())\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert other.stdout == hashlib.sha256(first).hexdigest()
    changed = replace(labels[0], items=(*labels[0].items, TextItem(40, 30, "x", 2)))
    assert render_pdf([changed, labels[1]]) != first


def test_pdf_metadata_names_the_template() -> None:
    document = pdfium.PdfDocument(render_pdf([label_a()]))
    try:
        metadata = document.get_metadata_dict()
    finally:
        document.close()
    assert metadata["Title"] == "a v3"
    assert metadata["Creator"] == "UDI Station"
    assert "ab" * 32 in metadata["Subject"]


def test_png_is_deterministic_and_carries_its_resolution() -> None:
    resolved = label_b()
    assert render_png(resolved, 203) == render_png(resolved, 203)
    assert render_image(resolved, 203).mode == "L"
