"""Text drawn locally for ZPL ^GF: sound 1-bit rows, every character drawn, never tofu."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pytest

from drivers.labels import LabelRenderError, text_raster
from drivers.labels.text_raster import (
    MissingGlyphsError,
    TextBitmap,
    font_for,
    text_bitmap,
    text_width,
)

CJK = "一次性使用无菌注射器"


def pixels(bitmap: TextBitmap) -> npt.NDArray[np.bool_]:
    packed = np.frombuffer(b"".join(bitmap.rows), dtype=np.uint8)
    return np.unpackbits(packed.reshape(bitmap.height, bitmap.row_bytes), axis=1).astype(bool)


@pytest.fixture
def cjk_font() -> None:
    try:
        font_for(CJK)
    except MissingGlyphsError:
        pytest.skip("no CJK font installed (CI installs fonts-wqy-microhei)")


@pytest.mark.usefixtures("cjk_font")
@pytest.mark.parametrize("size", [10, 24, 71.3])
def test_rows_are_packed_bits_of_the_declared_size(size: float) -> None:
    bitmap = text_bitmap("Lot 中文 42", size)
    assert bitmap.width == text_width("Lot 中文 42", size)
    assert bitmap.row_bytes == (bitmap.width + 7) // 8
    assert len(bitmap.rows) == bitmap.height
    assert {len(row) for row in bitmap.rows} == {bitmap.row_bytes}
    black = pixels(bitmap)
    assert not black[:, bitmap.width :].any()  # padding bits stay white
    assert black.any()
    assert 0.9 * size <= bitmap.height <= 1.6 * size  # one line, not two
    assert 0 <= bitmap.baseline - bitmap.ascent <= 1


@pytest.mark.usefixtures("cjk_font")
def test_width_follows_size_and_length() -> None:
    small, large = text_width(CJK, 20), text_width(CJK, 40)
    assert 1.8 * small <= large <= 2.2 * small
    assert text_width(CJK[:5], 20) < small
    assert small >= len(CJK) * 20 * 0.8  # full-width characters: about an em each


@pytest.mark.usefixtures("cjk_font")
def test_every_character_gets_its_own_glyph_not_a_box() -> None:
    shapes = {pixels(text_bitmap(char, 32)).tobytes() for char in CJK}
    assert len(shapes) == len(set(CJK))


@pytest.mark.usefixtures("cjk_font")
def test_bold_is_darker_and_no_narrower() -> None:
    regular, bold = text_bitmap(CJK, 30), text_bitmap(CJK, 30, bold=True)
    assert pixels(bold).sum() > 1.15 * pixels(regular).sum()
    assert bold.width >= regular.width


@pytest.mark.parametrize(
    ("text", "missing"),
    [("Lot\U0010fffd", "\U0010fffd"), ("A\nB", "\n"), ("\x1b[2J", "\x1b"), ("a\u200bb", "\u200b")],
)
def test_characters_no_font_can_draw_are_named(text: str, missing: str) -> None:
    with pytest.raises(MissingGlyphsError) as error:
        text_bitmap(text, 24)
    assert error.value.missing == missing
    assert error.value.text == text
    assert repr(missing) in str(error.value)


@pytest.fixture
def no_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    text_raster._installed.cache_clear()
    monkeypatch.setattr(text_raster, "font_candidates", list)
    yield
    text_raster._installed.cache_clear()


@pytest.mark.usefixtures("no_fonts")
def test_without_any_font_the_error_says_what_to_install() -> None:
    with pytest.raises(MissingGlyphsError, match="fonts-wqy-microhei"):
        text_bitmap("Lot", 24)


def test_empty_text_has_no_bitmap() -> None:
    with pytest.raises(LabelRenderError, match="empty"):
        text_bitmap("", 24)
