"""The scanner test sheet's codes: valid, distinct, and probing what they claim to probe."""

from __future__ import annotations

import pytest

from station.scanning.layouts import LAYOUT_MISMATCHES, US_TYPED_ON_GERMAN, retype
from station.scanning.sheet import GS, SHEET, CodeFormat, SheetCode, by_id
from station.udi import read_scan
from station.udi.build import hri_of
from station.udi.model import Scheme

AIM_FOR_FORMAT = {
    CodeFormat.GS1_DATAMATRIX: "]d2",
    CodeFormat.GS1_128: "]C1",
    CodeFormat.DATAMATRIX: "]d1",
    CodeFormat.CODE128: "]C0",
    CodeFormat.QR: "]Q1",
}


def test_ids_numbers_and_expected_bytes_are_distinct() -> None:
    assert len({c.id for c in SHEET}) == len(SHEET)
    assert [c.number for c in SHEET] == list(range(1, len(SHEET) + 1))
    assert len({c.expected for c in SHEET}) == len(SHEET)
    with pytest.raises(KeyError):
        by_id("nope")


@pytest.mark.parametrize("code", SHEET, ids=lambda c: c.id)
def test_expected_bytes_are_ascii_with_the_format_aim(code: SheetCode) -> None:
    assert code.aim == AIM_FOR_FORMAT[code.format]
    assert code.text.isascii()
    assert not any(b < 0x20 and b != 0x1D for b in code.expected)
    assert code.title
    assert code.purpose
    if not code.format.gs1:
        assert code.data.decode() == code.content
        assert code.content in code.hri


@pytest.mark.parametrize(
    ("code_id", "scheme"),
    [
        ("gs1-datamatrix", Scheme.GS1),
        ("gs1-128", Scheme.GS1),
        ("hibc", Scheme.HIBC),
        ("digital-link", Scheme.GS1_DIGITAL_LINK),
    ],
)
def test_udi_codes_are_valid_for_the_station_reader(code_id: str, scheme: Scheme) -> None:
    parsed = read_scan(by_id(code_id).expected)
    assert parsed.scheme is scheme
    assert parsed.valid, parsed.issues


@pytest.mark.parametrize("code", [c for c in SHEET if c.format.gs1], ids=lambda c: c.id)
def test_gs1_content_is_the_hri_of_the_expected_element_string(code: SheetCode) -> None:
    assert hri_of(read_scan(code.expected)) == code.content


def test_gs1_codes_need_their_separators() -> None:
    """Each GS follows a variable-length value with another AI after it (no trailing GS)."""
    for code in (by_id("gs1-datamatrix"), by_id("gs1-128")):
        assert GS in code.text
        assert not code.text.endswith(GS)
        merged = read_scan(code.expected.replace(b"\x1d", b""))
        assert merged.lot != read_scan(code.expected).lot  # a lost GS silently changes the lot


def test_hibc_code_carries_dollar_and_slash() -> None:
    assert {"$", "/", "+"} <= set(by_id("hibc").text)


def test_layout_code_probes_symbols_case_letters_and_digits() -> None:
    text = by_id("layout").data.decode()
    assert set("+$/%-.=&") <= set(text)
    assert set("0123456789") <= set(text)
    assert set("yzaqwm") <= {c.lower() for c in text}
    assert any(c.isupper() for c in text)
    assert any(c.islower() for c in text)
    for mismatch in LAYOUT_MISMATCHES:
        assert retype(text, mismatch.mapping) != text, mismatch.code


def test_suffix_probe_is_typed_alike_on_every_layout() -> None:
    data = by_id("suffix").data.decode()
    for mismatch in LAYOUT_MISMATCHES:
        assert retype(data, mismatch.mapping) == data


def test_layout_maps_are_one_to_one() -> None:
    for mismatch in LAYOUT_MISMATCHES[:2]:
        typed = list(mismatch.mapping.values())
        assert len(set(typed)) == len(typed)
    assert retype("]", US_TYPED_ON_GERMAN) == "+"
