"""SEC-7: label data never becomes ZPL commands, and prints exactly as the record says.

Lot numbers and product names are attacker-controlled. Whatever they hold, the token sequence
of a rendered label equals that of the same template rendered with ``SAFE`` (apart from field
data, graphics and a shrunk font size), and every field reads back, through the printer's own
decoding order, as the original text or the expected symbol content.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.labels.zpl import render_zpl
from drivers.labels.zpl_escape import FH_INDICATOR, fh_escape
from drivers.labels.zpl_tokens import tokenize, unhex
from station.labels.data import LabelData
from station.labels.model import Align, Item, ResolvedLabel, Symbology, TextItem
from station.labels.resolve import resolve
from station.labels.stock import stock_template, stock_templates
from station.udi.build import UdiData
from tests.unit.test_zpl import needs_cjk_font
from tests.unit.zpl_check import (
    GS,
    TODAY,
    graphics,
    gs1_item,
    label,
    plain_item,
    printed_texts,
    read_image,
    reencode,
    shape,
    symbol_contents,
)

pytestmark = pytest.mark.req("SEC-7")
SAFE = "SAFE"
NAME = "Sterile syringe 5 ml"


def text_items(lot: str, name: str) -> list[Item]:
    return [
        TextItem(2, 30, f"LOT {lot}", 2.5),
        TextItem(40, 35, name, 2.5, align=Align.CENTER, max_width=50),
        TextItem(78, 30, lot, 2.5, align=Align.RIGHT),
    ]


def plain_label(lot: str, name: str = NAME) -> ResolvedLabel:
    """Text and plain symbols: any printable ASCII can reach them."""
    return label(
        *text_items(lot, name),
        plain_item(Symbology.DL_QR, "https://id.example.com/01/04012345123456/10/" + lot),
        plain_item(Symbology.HIBC_128, "+A123" + lot, x=25, height=8),
        plain_item(Symbology.HIBC_DATAMATRIX, "+A123" + lot, x=60),
        width=80,
        height=45,
    )


def gs1_label(lot: str, serial: str, name: str = NAME) -> ResolvedLabel:
    udi = UdiData(gtin="04012345123456", lot=lot, serial=serial, expiry=date(2027, 1, 31))
    return label(
        *text_items(lot, name),
        gs1_item(Symbology.GS1_DATAMATRIX, udi),
        gs1_item(Symbology.GS1_128, udi, x=2, y=14, height=8),
        gs1_item(Symbology.GS1_QR, udi, x=60),
        width=100,
        height=45,
    )


def expected_symbols(lab: ResolvedLabel) -> list[str]:
    """Contents of the symbols sent as ^BX/^BC/^BQ (GS1 QR is a graphic)."""
    return [b.expected for b in lab.barcodes if b.symbology is not Symbology.GS1_QR]


def pictured(zpl: bytes) -> list[str]:
    """What the symbols sent as ^GFA graphics scan as."""
    return [code for _, _, black in graphics(zpl) for code in read_image(black)]


def assert_safe(lab: ResolvedLabel, safe: ResolvedLabel, lot: str, name: str) -> bytes:
    zpl = render_zpl(lab, 300)
    assert shape(zpl) == shape(render_zpl(safe, 300))
    assert printed_texts(zpl) == [f"LOT {lot}", name, lot]
    assert symbol_contents(zpl) == expected_symbols(lab)
    assert pictured(zpl) == [b.expected for b in lab.barcodes if b.symbology is Symbology.GS1_QR]
    return zpl


# --------------------------------------------------------------------------- golden


def test_lot_ab_5e_prints_ab_5e_not_a_caret() -> None:
    lab = gs1_label("AB_5E", "SN1")
    zpl = assert_safe(lab, gs1_label(SAFE, "SN1"), "AB_5E", NAME)
    assert b"^FDLOT AB_5E^FS" in zpl  # "_" is not the hex indicator here
    assert b"10AB__5E_121SN1" in zpl  # ^BX: a literal "_" is "__"
    datamatrix = lab.barcodes[0].expected
    assert "10AB_5E" + GS + "21SN1" in datamatrix
    assert reencode(symbol_contents(zpl)[0], TODAY) == [datamatrix]


def test_x_1y_does_not_insert_an_fnc1() -> None:
    lab = gs1_label("X_1Y", "X_1Y")
    zpl = assert_safe(lab, gs1_label(SAFE, SAFE), "X_1Y", NAME)
    contents = symbol_contents(zpl)
    assert contents[0] == "]d2" + "0104012345123456" + "17270131" + "10X_1Y" + GS + "21X_1Y"
    assert contents[1] == "]C1" + contents[0][3:]
    assert reencode(contents[0], TODAY) == [contents[0]]
    assert reencode(contents[1], TODAY) == [contents[1]]


INJECTIONS = ["^XZ^XA^FDpwn^FS", "~JA", "A\\B\\&C\\\\", "~HS^FS^XZ", ">8>;_1__"]


@pytest.mark.parametrize("lot", INJECTIONS)
def test_injected_commands_stay_data(lot: str) -> None:
    zpl = assert_safe(plain_label(lot), plain_label(SAFE), lot, NAME)
    commands = [t.command for t in tokenize(zpl)]
    assert commands.count("^XA") == commands.count("^XZ") == 1
    assert not {"~JA", "~HS"} & set(commands)


def test_a_product_name_with_commands_stays_text() -> None:
    name = "Syringe ^FS~HS^XZ \\ 5 ml"
    zpl = assert_safe(plain_label("LOT1", name), plain_label("LOT1", SAFE), "LOT1", name)
    assert "~HS" not in [t.command for t in tokenize(zpl)]


# --------------------------------------------------------------------------- properties

SET_82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
set_82 = st.text(st.sampled_from(SET_82 + "_()_>"), min_size=1, max_size=20)
ascii_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1,
                     max_size=30).map(lambda t: t + "^~\\_")  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lot=set_82, serial=set_82)
def test_any_gs1_lot_and_serial_read_back_exactly(lot: str, serial: str) -> None:
    assert_safe(gs1_label(lot, serial), gs1_label(SAFE, SAFE), lot, NAME)


@settings(max_examples=80, deadline=None)
@given(lot=ascii_text, name=ascii_text)
def test_any_ascii_text_stays_data_and_reads_back(lot: str, name: str) -> None:
    assert_safe(plain_label(lot, name), plain_label(SAFE, SAFE), lot, name)


@settings(max_examples=200)
@given(text=st.text())
def test_escaped_field_data_is_inert_printable_ascii_and_decodes_back(text: str) -> None:
    escaped = fh_escape(text)  # hypothesis text has no lone surrogates
    assert all(" " <= char <= "}" for char in escaped)  # ~ (0x7E) never, nor controls
    assert "^" not in escaped
    assert unhex(escaped, FH_INDICATOR).decode("utf-8") == text
    assert [t.command for t in tokenize(f"^XA^FH\\^FD{escaped}^FS^XZ".encode())] == [
        "^XA", "^FH", "^FD", "^FS", "^XZ"
    ]  # fmt: skip


# --------------------------------------------------------------------------- stock templates

STOCK_DATA = {
    "gtin": "04012345123456",
    "content_gtin": "04012345123456",
    "sscc": "340123450000000017",
    "expiry": "2027-01-31",
    "production_date": "2026-01-02",
    "quantity": "12",
    "count": "12",
    "serial": "X_1Y",
    "product_name_zh": "一次性使用无菌注射器",
    "registration_no": "国械注准20213140001",
    "model": "M-1",
    "po_number": "PO-1",
}
HOSTILE = {
    "lot": "AB_5E(1)",
    "product_name_en": "Syringe ^FS~HS^XZ 5 ml",
    "supplier_name": "Acme \\& ~JA",
}


def stock_label(name: str, **values: str) -> ResolvedLabel:
    data = LabelData.from_mapping(STOCK_DATA | values)
    return resolve(stock_template(name), data, today=TODAY)


@pytest.mark.parametrize("name", sorted(stock_templates()))
@pytest.mark.parametrize("dpi", [203, 300, 600])
def test_stock_templates_keep_their_shape_and_read_back(name: str, dpi: int) -> None:
    needs_cjk_font()
    hostile = stock_label(name, **HOSTILE)
    safe = stock_label(name, **dict.fromkeys(HOSTILE, SAFE))
    zpl = render_zpl(hostile, dpi)
    assert shape(zpl) == shape(render_zpl(safe, dpi))
    assert sorted(symbol_contents(zpl) + pictured(zpl)) == sorted(
        b.expected for b in hostile.barcodes
    )
    ascii_texts = [t.text for t in hostile.texts if t.text.isascii()]
    assert printed_texts(zpl) == ascii_texts
