"""The ZPL renderer: every symbol reads back as the record, at every dpi, in whole dots.

Symbol fields are read back by ``zpl_check`` (the printer's decoding order, written from the
ZPL manual's tables), compared with ``BarcodeItem.expected``, and the recovered content is
encoded again with zxing-cpp and read from the image, so it is a valid symbol too. GS1 QR
(sent as a ^GFA graphic) is read straight from the graphic's pixels.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from drivers.labels import LabelRenderError
from drivers.labels.text_raster import MissingGlyphsError, font_for
from drivers.labels.zpl import FONT0_MIN_DOTS, render_zpl, render_zpl_batch
from drivers.labels.zpl_escape import MAX_FIELD_BYTES
from drivers.labels.zpl_tokens import ZplSyntaxError, field_data, tokenize, unhex
from station.labels.model import (
    Align,
    BarcodeItem,
    BoxItem,
    ImageItem,
    LineItem,
    Symbology,
    TextItem,
)
from station.udi.build import UdiData, digital_link
from station.udi.hibc_build import hibc_code
from tests.unit.zpl_check import (
    TODAY,
    fields,
    gf_bitmap,
    graphics,
    gs1_item,
    label,
    plain_item,
    read_image,
    reencode,
    symbol_contents,
)

UDI = UdiData(gtin="04012345123456", lot="LOT-A1", serial="SN0001", expiry=date(2027, 1, 31))
HIBC = hibc_code("A123", "BJC5D6E7", "1", lot="10X3", expiry=date(2027, 1, 15))
DPIS = (203, 300, 600)


def commands(zpl: bytes) -> list[str]:
    return [token.command for token in tokenize(zpl)]


def params(zpl: bytes, command: str) -> list[str]:
    return [token.params for token in tokenize(zpl) if token.command == command]


# --------------------------------------------------------------------------- page


@pytest.mark.parametrize("dpi", [0, 150, 202, 204, 1200])
def test_other_resolutions_are_refused_naming_the_allowed_ones(dpi: int) -> None:
    with pytest.raises(ValueError, match="203, 300, 600"):
        render_zpl(label(), dpi)


@pytest.mark.parametrize(("dpi", "width", "height"), [(203, 400, 240), (300, 591, 354),
                                                       (600, 1181, 709)])  # fmt: skip
def test_page_width_and_length_are_the_label_size_in_dots(
    dpi: int, width: int, height: int
) -> None:
    zpl = render_zpl(label(width=50, height=30), dpi)
    assert commands(zpl)[:6] == ["^XA", "^CI", "^PW", "^LL", "^LH", "^XZ"]
    assert params(zpl, "^CI") == ["28"]
    assert params(zpl, "^PW") == [str(width)]
    assert params(zpl, "^LL") == [str(height)]
    assert params(zpl, "^LH") == ["0,0"]


def test_a_batch_is_one_format_per_label_in_order() -> None:
    labels = [label(TextItem(1, 1, f"label {n}", 3)) for n in range(3)]
    zpl = render_zpl_batch(labels, 300)
    assert commands(zpl).count("^XA") == commands(zpl).count("^XZ") == 3
    assert field_data(tokenize(zpl)) == ["label 0", "label 1", "label 2"]
    assert zpl == b"".join(render_zpl(one, 300) for one in labels)


# --------------------------------------------------------------------------- symbols


@pytest.mark.parametrize(("dpi", "module_dots"), [(203, 3), (300, 4), (600, 8)])
def test_datamatrix_module_and_position_in_whole_dots(dpi: int, module_dots: int) -> None:
    zpl = render_zpl(label(gs1_item(Symbology.GS1_DATAMATRIX, UDI, x=10, y=5)), dpi)
    assert params(zpl, "^BX") == [f"N,{module_dots},200,,,,_"]
    assert params(zpl, "^FO") == [f"{round(10 * dpi / 25.4)},{round(5 * dpi / 25.4)}"]


@pytest.mark.parametrize("dpi", DPIS)
def test_gs1_128_module_width_and_bar_height(dpi: int) -> None:
    item = gs1_item(Symbology.GS1_128, UDI, height=12)
    item = BarcodeItem(3, 4, item.symbology, 0.25, item.data, item.expected, item.pairs, 12)
    zpl = render_zpl(label(item, width=100), dpi)
    assert params(zpl, "^BY") == [str(max(1, round(0.25 * dpi / 25.4)))]
    assert params(zpl, "^BC") == [f"N,{round(12 * dpi / 25.4)},N,N,N,N"]


ITEMS = {
    "gs1-datamatrix": gs1_item(Symbology.GS1_DATAMATRIX, UDI),
    "gs1-128": gs1_item(Symbology.GS1_128, UDI, height=10),
    "dl-qr": plain_item(Symbology.DL_QR, digital_link(UDI, today=TODAY)),
    "hibc-128": plain_item(Symbology.HIBC_128, HIBC, height=10),
    "hibc-datamatrix": plain_item(Symbology.HIBC_DATAMATRIX, HIBC),
    "odd digit runs": plain_item(Symbology.HIBC_128, "+12345A1B23C456789", height=10),
    "gs1 variable fields": gs1_item(
        Symbology.GS1_128,
        UdiData(gtin="04012345123456", lot="123", serial="45678", quantity=7),
        height=10,
    ),
}


@pytest.mark.parametrize("name", ITEMS)
@pytest.mark.parametrize("dpi", DPIS)
def test_symbol_fields_read_back_as_expected_and_are_valid_symbols(name: str, dpi: int) -> None:
    item = ITEMS[name]
    zpl = render_zpl(label(item, width=100), dpi)
    assert symbol_contents(zpl) == [item.expected]
    assert reencode(item.expected, TODAY) == [item.expected]


@pytest.mark.parametrize("dpi", DPIS)
def test_gs1_qr_is_a_graphic_that_scans_as_the_record(dpi: int) -> None:
    item = gs1_item(Symbology.GS1_QR, UDI, x=4, y=3)
    zpl = render_zpl(label(item), dpi)
    [(x, y, black)] = graphics(zpl)
    assert (x, y) == (round(4 * dpi / 25.4), round(3 * dpi / 25.4))
    dots = max(1, round(0.34 * dpi / 25.4))
    assert black.shape[0] % dots == 0
    assert read_image(black[:, : black.shape[0]]) == [item.expected]


def test_a_symbol_whose_data_and_expected_disagree_is_not_printed() -> None:
    good = gs1_item(Symbology.GS1_DATAMATRIX, UDI)
    bad = BarcodeItem(2, 2, good.symbology, good.module, good.data,
                      good.expected.replace("LOT-A1", "LOT-A2"), good.pairs)  # fmt: skip
    with pytest.raises(LabelRenderError, match="label says"):
        render_zpl(label(bad))


def test_a_linear_symbol_without_height_is_refused() -> None:
    with pytest.raises(LabelRenderError, match="height"):
        render_zpl(label(gs1_item(Symbology.GS1_128, UDI)))


@pytest.mark.parametrize("symbology", [Symbology.GS1_128, Symbology.DL_QR])
def test_modules_wider_than_zpl_allows_become_a_graphic_of_the_same_symbol(
    symbology: Symbology,
) -> None:
    item = ITEMS["gs1-128" if symbology is Symbology.GS1_128 else "dl-qr"]
    wide = BarcodeItem(1, 1, symbology, 0.5, item.data, item.expected, item.pairs, item.height)
    assert symbol_contents(render_zpl(label(wide, width=200), 300)) == [item.expected]  # 6 dots
    zpl = render_zpl(label(wide, width=200), 600)  # 12 dots: more than ^BY / ^BQ take
    assert symbol_contents(zpl) == []
    [(_, _, black)] = graphics(zpl)
    assert read_image(black) == [item.expected]


def test_field_data_longer_than_a_field_holds_is_refused() -> None:
    text = "^" * (MAX_FIELD_BYTES // 3 + 1)  # each ^ is sent as 3 bytes
    with pytest.raises(LabelRenderError, match="3072"):
        render_zpl(label(TextItem(1, 1, text, 3)))
    assert render_zpl(label(TextItem(1, 1, "^" * (MAX_FIELD_BYTES // 3), 3)))


# --------------------------------------------------------------------------- text


def test_ascii_text_is_a_font_zero_field_with_its_text() -> None:
    zpl = render_zpl(label(TextItem(5, 6, "LOT: A-1", 3)), 300)
    assert params(zpl, "^A") == ["0N,35,35"]  # 3 mm at 300 dpi
    assert params(zpl, "^FO") == ["59,71"]
    assert "^FB" not in commands(zpl)
    assert field_data(tokenize(zpl)) == ["LOT: A-1"]


@pytest.mark.parametrize(
    ("align", "left", "block", "justify"),
    [(Align.CENTER, 0, 236, "C"), (Align.RIGHT, 0, 118, "R")],  # x = 118 dots
)
def test_aligned_text_is_a_block_centred_on_or_ending_at_x(
    align: Align, left: int, block: int, justify: str
) -> None:
    zpl = render_zpl(label(TextItem(10, 6, "Sterile", 3, align=align), width=60), 300)
    assert params(zpl, "^FO") == [f"{left},71"]
    assert params(zpl, "^FB") == [f"{block},1,0,{justify}"]
    assert field_data(tokenize(zpl)) == ["Sterile"]


def test_centred_block_stays_symmetric_about_x_near_the_right_edge() -> None:
    zpl = render_zpl(label(TextItem(55, 6, "x", 3, align=Align.CENTER), width=60), 300)
    x, width = round(55 * 300 / 25.4), round(60 * 300 / 25.4)
    [origin], [block] = params(zpl, "^FO"), params(zpl, "^FB")
    assert int(origin.split(",")[0]) + int(block.split(",")[0]) // 2 == x
    assert int(origin.split(",")[0]) + int(block.split(",")[0]) <= width


def test_max_width_shrinks_the_font_and_never_cuts_the_text() -> None:
    text = "REF 1234567890-ABCDEFGH"
    wide = render_zpl(label(TextItem(1, 1, text, 4)), 300)
    narrow = render_zpl(label(TextItem(1, 1, text, 4, max_width=20)), 300)
    height = int(params(narrow, "^A")[0].split(",")[1])
    assert height < int(params(wide, "^A")[0].split(",")[1])
    assert field_data(tokenize(narrow)) == [text]


def test_text_that_would_be_smaller_than_font_zero_allows_is_refused() -> None:
    with pytest.raises(LabelRenderError, match=f"below font 0's {FONT0_MIN_DOTS}"):
        render_zpl(label(TextItem(1, 1, "a long line of text", 3, max_width=5)), 203)


CJK = "一次性使用无菌注射器"


def needs_cjk_font() -> None:
    try:
        font_for(CJK)
    except MissingGlyphsError:
        pytest.skip("no CJK font installed (CI installs fonts-wqy-microhei)")


@pytest.mark.parametrize("dpi", DPIS)
def test_chinese_text_is_a_graphic_with_consistent_byte_counts(dpi: int) -> None:
    needs_cjk_font()
    zpl = render_zpl(label(TextItem(5, 6, CJK, 3)), dpi)
    assert "^A" not in commands(zpl)
    assert field_data(tokenize(zpl)) == []  # no text field: nothing for a printer to parse
    [gf] = params(zpl, "^GF")
    black = gf_bitmap(gf)  # asserts the declared counts against the data length
    em = 3 * dpi / 25.4
    assert 0.8 * em < black.shape[0] < 1.6 * em  # one line
    assert black.shape[1] > len(CJK) * 0.8 * em  # every character drawn
    assert black.any(axis=0).sum() > 0.5 * black.shape[1]


def test_chinese_text_is_aligned_and_fitted_like_the_other_renderers() -> None:
    needs_cjk_font()
    centred = render_zpl(label(TextItem(30, 6, CJK, 3, align=Align.CENTER)), 300)
    [(left, _, black)] = graphics(centred)
    inked = np.flatnonzero(black.any(axis=0))
    assert abs(left + (inked[0] + inked[-1]) / 2 - 354) <= 3  # x = 30 mm at 300 dpi
    fitted = render_zpl(label(TextItem(5, 6, CJK, 3, max_width=15)), 300)
    [(_, _, small)] = graphics(fitted)
    assert small.shape[1] <= round(15 * 300 / 25.4) < black.shape[1]


def test_text_with_a_character_no_font_has_is_refused_not_drawn_as_boxes() -> None:
    with pytest.raises(LabelRenderError, match="no font has a glyph"):
        render_zpl(label(TextItem(1, 1, "Lot\U0010fffd", 3)))
    with pytest.raises(LabelRenderError, match="no font has a glyph"):
        render_zpl(label(TextItem(1, 1, "Lot\nA", 3)))


# --------------------------------------------------------------------------- shapes


def test_lines_and_boxes_are_graphic_boxes_in_dots() -> None:
    zpl = render_zpl(
        label(
            LineItem(2, 10, 50, 10, 0.5),
            LineItem(20, 2, 20, 30, 0.25),
            LineItem(0, 0, 10, 10, 0.25),
            BoxItem(1, 2, 30, 20, 0.5),
            BoxItem(5, 5, 10, 4, filled=True),
        ),
        300,
    )
    gb = [t.params for t in tokenize(zpl) if t.command in ("^GB", "^GD")]
    assert gb == ["567,6,6", "3,330,3", "118,118,3,B,L", "354,236,6", "118,47,47"]
    assert params(zpl, "^FO") == ["24,115", "235,24", "0,0", "12,24", "59,59"]


def test_images_are_scaled_to_their_size_in_dots() -> None:
    item = ImageItem(1, 1, 4, 2, ("#.", ".#"))  # 47 x 24 dots at 300 dpi
    [(_, _, black)] = graphics(render_zpl(label(item), 300))
    assert black.shape[0] == 24
    assert black.shape[1] >= 47
    assert black[:12, :23].all()
    assert not black[:12, 24:47].any()
    assert black[12:, 24:47].all()
    assert not black[12:, :23].any()
    assert not black[:, 47:].any()


# --------------------------------------------------------------------------- tokeniser


@pytest.mark.parametrize("prefix_change", [b"^CC+", b"~CC+", b"^CT+", b"~CT+", b"^CD;", b"~CD;"])
def test_prefix_changes_are_refused_by_the_tokeniser(prefix_change: bytes) -> None:
    with pytest.raises(ZplSyntaxError, match="never sent"):
        tokenize(b"^XA" + prefix_change + b"^XZ")


def test_hex_escapes_need_two_hex_digits() -> None:
    assert unhex("A\\5Eb\\e4\\b8\\ad", "\\").decode() == "A^b中"
    with pytest.raises(ZplSyntaxError):
        unhex("A\\5", "\\")
    with pytest.raises(ZplSyntaxError):
        unhex("A\\XY", "\\")


def test_fields_know_their_commands() -> None:
    [one] = fields(b"^XA^FO1,2^A0N,30,30^FH\\^FDa\\5Cb^FS^XZ")
    assert one.data == "a\\b"
    font = one.command("^A")
    assert font is not None
    assert font.params == "0N,30,30"
