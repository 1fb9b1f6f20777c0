"""Module matrices decode back to exactly what the label says, and the symbol bitmaps are sound.

Each matrix is blown up to whole pixels with a quiet zone and read by zxing-cpp with AIM
identifiers on (TextMode.Plain keeps GS as 0x1d): the reading must equal ``item.expected``.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.labels import LabelRenderError
from drivers.labels.symbols import (
    Matrix,
    encoded_content,
    modules,
    pixels_matrix,
    rectangles,
    symbol_size_mm,
)
from station.labels.model import BarcodeItem, Symbology
from station.resources import resource_path
from station.udi import read_scan
from station.udi.build import UdiData, digital_link, element_string, hri, pairs_of
from station.udi.hibc_build import hibc_code
from tools.make_label_symbols import SIZE, SYMBOLS, draw_symbol

TODAY = date(2026, 6, 1)
UDI = UdiData(gtin="04012345123456", lot="LOT-A1", serial="SN0001", expiry=date(2027, 1, 31))
SYMBOL_DIR = resource_path("labels", "symbols")


def gs1_item(symbology: Symbology, udi: UdiData, height: float | None = None) -> BarcodeItem:
    """A GS1 item whose HRI lists the pairs in the element string's own order."""
    text = element_string(udi, today=TODAY)
    ordered = pairs_of(read_scan(symbology.aim + text))
    data = hri(ordered, today=TODAY)
    return BarcodeItem(0, 0, symbology, 0.34, data, symbology.aim + text, ordered, height)


def plain_item(symbology: Symbology, text: str) -> BarcodeItem:
    return BarcodeItem(0, 0, symbology, 0.34, text, symbology.aim + text, height=10)


def decode(matrix: Matrix, linear: bool) -> list[str]:
    """Read the matrix at 4 px per module with a 10-module quiet zone."""
    if linear:
        matrix = np.repeat(matrix, 40, axis=0)
    image = np.where(np.kron(matrix, np.ones((4, 4), dtype=bool)), 0, 255).astype(np.uint8)
    image = np.pad(image, 40, constant_values=255)
    results = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)
    return [r.symbology_identifier + r.text for r in results]


HIBC = hibc_code("A123", "BJC5D6E7", "1", lot="10X3", expiry=date(2027, 1, 15))
ITEMS = [
    gs1_item(Symbology.GS1_DATAMATRIX, UDI),
    gs1_item(Symbology.GS1_128, UDI, height=10),
    gs1_item(Symbology.GS1_QR, UDI),
    plain_item(Symbology.DL_QR, digital_link(UDI, today=TODAY)),
    plain_item(Symbology.HIBC_128, HIBC),
    plain_item(Symbology.HIBC_DATAMATRIX, HIBC),
]


@pytest.mark.req("UDI-2")
@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.symbology.value)
def test_each_symbology_decodes_to_exactly_expected(item: BarcodeItem) -> None:
    matrix = modules(item)
    assert decode(matrix, item.symbology.is_linear) == [item.expected]
    assert encoded_content(item) == item.expected
    if item.symbology.is_gs1:
        assert "\x1d" in item.expected  # the lot is followed by a GS, kept through the round trip


def test_linear_symbol_is_one_row_and_sized_by_its_height() -> None:
    item = ITEMS[1]
    matrix = modules(item)
    assert matrix.shape[0] == 1
    assert symbol_size_mm(item) == pytest.approx((matrix.shape[1] * 0.34, 10))
    with pytest.raises(LabelRenderError, match="needs a height"):
        symbol_size_mm(BarcodeItem(0, 0, item.symbology, 0.34, item.data, item.expected))


@pytest.mark.parametrize("lot", ["A", "LOTA1", "X" * 20, "A" * 7 + "B" * 13])
def test_datamatrix_is_always_square(lot: str) -> None:
    for item in (
        gs1_item(Symbology.GS1_DATAMATRIX, UdiData(gtin="04012345123456", lot=lot)),
        plain_item(Symbology.HIBC_DATAMATRIX, hibc_code("A123", "P1", "1", lot=lot[:18])),
    ):
        rows, columns = modules(item).shape
        assert rows == columns
        width, height = symbol_size_mm(item)
        assert width == pytest.approx(height)


HOSTILE = ["X_1Y", "(10)FAKE", "A)B(C", "__", "_1", "%2F%00", "<b>&amp;", "a'b\"c", "/../?*+,"]


@pytest.mark.parametrize("lot", HOSTILE)
@pytest.mark.parametrize("symbology", [s for s in Symbology if s.is_gs1])
def test_hostile_set82_lots_survive(symbology: Symbology, lot: str) -> None:
    udi = UdiData(gtin="04012345123456", lot=lot, serial="S/1", expiry=date(2027, 1, 31))
    item = gs1_item(symbology, udi, height=10)
    (read,) = decode(modules(item), symbology.is_linear)
    assert read == item.expected
    assert read_scan(read).lot == lot


def test_a_symbol_that_would_read_differently_is_refused() -> None:
    """The HRI in label order puts (10) before (17): the symbol would not carry `expected`."""
    pairs = (("01", "04012345123456"), ("10", "A1"), ("17", "270131"))
    data, text = hri(pairs, today=TODAY), element_string(pairs, today=TODAY)
    item = BarcodeItem(0, 0, Symbology.GS1_DATAMATRIX, 0.34, data, "]d2" + text)
    with pytest.raises(LabelRenderError, match="would read"):
        modules(item)
    wrong_lot = BarcodeItem(0, 0, Symbology.DL_QR, 0.3, "https://x/10/A", "]Q1https://x/10/B")
    with pytest.raises(LabelRenderError, match="nothing drawn"):
        modules(wrong_lot)
    wrong_aim = BarcodeItem(0, 0, Symbology.HIBC_128, 0.3, HIBC, "]d1" + HIBC, height=5)
    with pytest.raises(LabelRenderError):
        modules(wrong_aim)


def test_unencodable_data_is_a_render_error() -> None:
    item = BarcodeItem(0, 0, Symbology.GS1_DATAMATRIX, 0.34, "(01)123", "]d201123")
    with pytest.raises(LabelRenderError, match="cannot encode"):
        modules(item)


def test_cached_matrices_cannot_be_changed_by_a_caller() -> None:
    matrix = modules(ITEMS[0])
    with pytest.raises(ValueError, match="read-only"):
        matrix[0, 0] = not matrix[0, 0]
    assert modules(ITEMS[0]) is matrix  # the cache answers the second request


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.booleans(), min_size=5, max_size=5), min_size=1, max_size=6))
def test_rectangles_cover_exactly_the_dark_cells_once(rows: list[list[bool]]) -> None:
    matrix = np.array(rows, dtype=bool)
    painted = np.zeros(matrix.shape, dtype=int)
    for column, row, width, height in rectangles(matrix):
        painted[row : row + height, column : column + width] += 1
    assert (painted == matrix.astype(int)).all()


def test_pixels_matrix_refuses_malformed_bitmaps() -> None:
    assert pixels_matrix(("#.#", "...")).sum() == 2
    for bad in [(), ("",), ("##", "#"), ("#x",), ("# ",)]:
        with pytest.raises(LabelRenderError):
            pixels_matrix(bad, "bad")


# --------------------------------------------------------------------------- symbol bitmaps


def test_every_symbol_has_a_file_and_no_file_is_stray() -> None:
    assert {path.stem for path in SYMBOL_DIR.glob("*.txt")} == set(SYMBOLS)
    assert (SYMBOL_DIR / "README.md").is_file()


@pytest.mark.parametrize("name", sorted(SYMBOLS))
def test_symbol_files_are_well_formed(name: str) -> None:
    raw = (SYMBOL_DIR / f"{name}.txt").read_bytes()
    assert raw.endswith(b"\n")
    assert not raw.endswith(b"\n\n")
    assert b"\r" not in raw
    rows = raw.decode("ascii").split("\n")[:-1]
    assert len(rows) == SIZE
    assert all(len(row) == SIZE and set(row) <= {"#", "."} for row in rows)
    matrix = pixels_matrix(tuple(rows), name)
    assert 0.05 < matrix.mean() < 0.7  # a drawing: neither blank nor a black square


def test_symbol_files_are_what_the_tool_draws_and_all_differ() -> None:
    drawn = {name: draw_symbol(name) for name in SYMBOLS}
    for name, rows in drawn.items():
        assert (SYMBOL_DIR / f"{name}.txt").read_text(encoding="ascii").splitlines() == rows
    assert len({tuple(rows) for rows in drawn.values()}) == len(drawn)
