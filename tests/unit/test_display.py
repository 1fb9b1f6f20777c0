"""The one helper that makes scan text displayable (ui/display.py): pure, no Qt."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui.display import (
    hex_bytes,
    mark_separators,
    needs_marker,
    shorten,
    show,
    unmark_separators,
    visible,
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("10LOT\x1d21SN", "10LOT⟨GS⟩21SN"),
        ("[)>\x1e06\x1d9N1\x1e\x04", "[)>⟨RS⟩06⟨GS⟩9N1⟨RS⟩⟨EOT⟩"),
        ("A\r\nB", "A⟨CR⟩⟨LF⟩B"),
        ("tab\there", "tab⟨U+0009⟩here"),
        ("nul\x00", "nul⟨U+0000⟩"),
        ("del\x7f", "del⟨U+007F⟩"),
        ("c1\x85", "c1⟨U+0085⟩"),
        ("abc\u202edcba", "abc⟨U+202E⟩dcba"),
        ("\u2066iso\u2069", "⟨U+2066⟩iso⟨U+2069⟩"),
        ("zero\u200bwidth", "zero⟨U+200B⟩width"),
        ("bom\ufeff", "bom⟨U+FEFF⟩"),
        ("nbsp\u00a0x", "nbsp⟨U+00A0⟩x"),
        ("line\u2028sep", "line⟨U+2028⟩sep"),
        ("e\u0301", "e⟨U+0301⟩"),
        ("fill\u3164er", "fill⟨U+3164⟩er"),
        ("vs\ufe0f", "vs⟨U+FE0F⟩"),
        ("private\ue000", "private⟨U+E000⟩"),
        ("astral\U000e0001", "astral⟨U+E0001⟩"),
    ],
)
def test_invisible_and_reordering_characters_become_markers(raw: str, shown: str) -> None:
    assert visible(raw) == shown


@pytest.mark.parametrize(
    "text",
    [
        "+A123BJC5D6E71G",
        "(01)04012345123456",
        "LOT A1",
        "追溯码 批号",
        "https://id.gs1.org/01/1?17=2",
    ],
)
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert visible(text) == text


def test_markup_is_not_special_to_the_helper() -> None:
    # The helper does not escape HTML: plain-text widgets do that job. It must not mangle it.
    assert visible("<b>x</b> &amp; <img src=x>") == "<b>x</b> &amp; <img src=x>"


def test_a_typed_marker_cannot_pass_for_a_real_separator() -> None:
    assert visible("LOT⟨GS⟩21") != visible("LOT\x1d21")
    assert visible("⟨GS⟩") == "⟨U+27E8⟩GS⟨U+27E9⟩"


def test_spans_map_source_characters_to_display_text() -> None:
    shown = show("A\x1dB\u202eC")
    assert shown.text == "A⟨GS⟩B⟨U+202E⟩C"
    assert shown.text[slice(*shown.span(1))] == "⟨GS⟩"
    assert shown.text[slice(*shown.span(3))] == "⟨U+202E⟩"
    assert shown.text[slice(*shown.span(2))] == "B"
    assert shown.text[slice(*shown.span(1, 3))] == "⟨GS⟩B⟨U+202E⟩"
    assert shown.markers == ((1, 5), (6, 14))


def test_span_clamps_positions_outside_the_text() -> None:
    shown = show("AB")
    assert shown.span(5) == (2, 2)
    assert shown.span(-3) == (0, 1)
    assert show("").span(0) == (0, 0)


def test_shorten_cuts_long_values_but_never_inside_a_marker() -> None:
    assert shorten("X" * 4000, 60) == "X" * 59 + "…"
    assert shorten("ABC\x1dDEF", 6) == "ABC…"
    assert shorten("ABC\x1dDEF", 8) == "ABC⟨GS⟩…"
    assert shorten("short", 60) == "short"
    with pytest.raises(ValueError, match="positive"):
        shorten("x", 0)


def test_separator_markers_round_trip() -> None:
    text = "[)>\x1e06\x1d9N1\x1e\x04"
    assert mark_separators(text) == "[)>⟨RS⟩06⟨GS⟩9N1⟨RS⟩⟨EOT⟩"
    assert unmark_separators(mark_separators(text)) == text


def test_hex_bytes() -> None:
    assert hex_bytes(b"]d2\x1dA\xff") == "5D 64 32 1D 41 FF"
    assert hex_bytes(b"") == ""


@given(st.text())
def test_displayed_text_has_no_invisible_characters(text: str) -> None:
    shown = show(text)
    for index, char in enumerate(shown.text):
        inside_marker = any(start <= index < end for start, end in shown.markers)
        if not inside_marker:
            assert not needs_marker(char), (text, index)
    assert len(shown.starts) == len(text) + 1
    assert shown.starts[-1] == len(shown.text)


@given(st.text())
def test_marker_text_itself_is_plain_ascii(text: str) -> None:
    shown = show(text)
    for start, end in shown.markers:
        inner = shown.text[start + 1 : end - 1]
        assert inner.isascii()
        assert inner.isprintable()
        assert all(unicodedata.category(c)[0] in "LN" or c == "+" for c in inner)
