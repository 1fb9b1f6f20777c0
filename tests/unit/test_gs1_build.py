"""Building GS1 codes: round trips through our readers, refusals, a differential against biip."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import biip
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.errors import BuildError
from station.udi import ParsedCode, ReaderConfig, read_scan
from station.udi.build import (
    GS,
    UdiData,
    digital_link,
    digital_link_of,
    element_string,
    element_string_of,
    hri,
    hri_of,
    pairs_of,
)
from station.udi.checks import gs1_check_digit
from station.udi.digital_link import parse_digital_link
from station.udi.gs1 import parse_element_string, parse_hri
from station.udi.gs1_spec import CSET82
from station.udi.normalize import ScanInput

TODAY = date(2026, 11, 24)
CONFIG = ReaderConfig(today=TODAY)


def scan(text: str, symbology: str | None = None) -> ScanInput:
    # Built directly so that lots such as 'A<GS>B' are not taken for keyboard substitutes.
    return ScanInput(text.encode(), symbology, text, config=CONFIG)


def read_pairs(code: ParsedCode) -> list[tuple[str, str]]:
    return [(e.key, e.value) for e in code.elements]


# --------------------------------------------------------------------------- strategies


@st.composite
def gtins(draw: st.DrawFn) -> str:
    body = draw(st.from_regex(r"[0-9][0-9]{4}[0-9]{8}", fullmatch=True))
    return body + str(gs1_check_digit(body))


cset82_text = st.text(alphabet=CSET82, min_size=1, max_size=20)
# Dates that survive the GS1 two-digit-year window around TODAY (1977 … 2076).
window_dates = st.dates(min_value=date(1977, 1, 1), max_value=date(2076, 12, 31))
udis = st.builds(
    UdiData,
    gtin=gtins(),
    lot=st.none() | cset82_text,
    serial=st.none() | cset82_text,
    expiry=st.none() | window_dates,
    production_date=st.none() | window_dates,
    quantity=st.none() | st.integers(min_value=0, max_value=99_999_999),
    extra=st.lists(
        st.tuples(st.sampled_from(["240", "241", "7240", "8012"]), cset82_text),
        max_size=2,
        unique_by=lambda pair: pair[0],
    ).map(tuple),
)

ROUND_TRIP = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- round trips


@ROUND_TRIP
@given(udis)
def test_element_string_round_trip(data: UdiData) -> None:
    text = element_string(data, today=TODAY)
    code = parse_element_string(scan(text, "]d2"))
    assert code.valid, code.issues
    assert Counter(read_pairs(code)) == Counter(data.pairs())
    assert (code.gtin, code.lot, code.serial) == (data.gtin, data.lot, data.serial)
    assert (code.expiry, code.production_date) == (data.expiry, data.production_date)
    assert code.quantity == data.quantity
    assert not text.startswith(GS)
    assert text.count(GS) == max(0, sum(p[0] not in ("01", "11", "17") for p in data.pairs()) - 1)


@ROUND_TRIP
@given(udis)
def test_hri_round_trip(data: UdiData) -> None:
    text = hri(data, today=TODAY)
    code = parse_hri(scan(text))
    assert code.valid, code.issues
    assert read_pairs(code) == list(data.pairs())
    assert "(" not in (code.lot or "") or "\\(" in text


@ROUND_TRIP
@given(udis)
def test_digital_link_round_trip(data: UdiData) -> None:
    uri = digital_link(data, today=TODAY)
    code = parse_digital_link(scan(uri))
    assert code.valid, code.issues
    assert Counter(read_pairs(code)) == Counter(data.pairs())
    assert uri.startswith(f"https://id.gs1.org/01/{data.gtin}")


@ROUND_TRIP
@given(udis)
def test_all_three_forms_describe_the_same_reading(data: UdiData) -> None:
    from_hri = parse_hri(scan(hri(data, today=TODAY)))
    assert element_string_of(from_hri, today=TODAY) == element_string(data, today=TODAY)
    assert digital_link_of(from_hri, today=TODAY) == digital_link(data, today=TODAY)
    from_link = parse_digital_link(scan(digital_link(data, today=TODAY)))
    assert Counter(pairs_of(from_link)) == Counter(data.pairs())


@ROUND_TRIP
@given(st.text(alphabet=CSET82 + " #$@^~é\\\x1d", min_size=0, max_size=24))
def test_never_builds_an_invalid_string(lot: str) -> None:
    data = UdiData(gtin="04012345123456", lot=lot)
    for build, reader, symbology in (
        (element_string, parse_element_string, "]d2"),
        (hri, parse_hri, None),
        (digital_link, parse_digital_link, None),
    ):
        problems: tuple[str, ...] = ()
        try:
            text = build(data, today=TODAY)
        except BuildError as exc:
            problems = exc.problems
        if problems:
            assert not lot or not set(lot) <= set(CSET82) or len(lot) > 20
        else:
            assert reader(scan(text, symbology)).valid


# --------------------------------------------------------------------------- examples


def test_codes_md_forms() -> None:
    data = UdiData(
        gtin="04012345123456",
        lot="LOT-A1",
        serial="SN0001",
        expiry=date(2026, 12, 31),
        production_date=date(2025, 1, 15),
    )
    assert element_string(data, today=TODAY) == (
        f"0104012345123456112501151726123110LOT-A1{GS}21SN0001"
    )
    assert hri(data, today=TODAY) == "(01)04012345123456(11)250115(17)261231(10)LOT-A1(21)SN0001"
    assert digital_link(data, today=TODAY) == (
        "https://id.gs1.org/01/04012345123456/10/LOT-A1/21/SN0001?11=250115&17=261231"
    )


def test_pairs_in_any_order_put_predefined_lengths_first() -> None:
    pairs = [("10", "LOT"), ("30", "10"), ("17", "261231"), ("01", "04012345123456")]
    assert element_string(pairs, today=TODAY) == f"01040123451234561726123110LOT{GS}3010"


def test_lot_that_hides_an_ai_is_not_put_last() -> None:
    data = UdiData(gtin="07032069804988", lot="032915210526", serial="SN1")
    text = element_string(data, today=TODAY)
    assert text.endswith("21SN1")
    code = parse_element_string(scan(text, "]d2"))
    assert code.valid
    assert not code.warnings


def test_special_characters_are_escaped_per_form() -> None:
    data = UdiData(gtin="04012345123456", lot="A(1)/%&_")
    assert hri(data, today=TODAY) == "(01)04012345123456(10)A\\(1)/%&_"
    assert digital_link(data, today=TODAY) == (
        "https://id.gs1.org/01/04012345123456/10/A%281%29%2F%25%26_"
    )
    assert digital_link(data, domain="https://brand.example/dl/", today=TODAY).startswith(
        "https://brand.example/dl/01/"
    )


def test_short_gtins_are_padded() -> None:
    assert hri(UdiData(gtin="4012345123456"), today=TODAY) == "(01)04012345123456"
    ean = read_scan("]E04012345123456", CONFIG)
    assert hri_of(ean, today=TODAY) == "(01)04012345123456"


def test_digital_link_prefers_a_path_that_leaves_only_attributes() -> None:
    pairs = [("01", "09520123456788"), ("235", "XYZ"), ("10", "ABC123")]
    assert digital_link(pairs, today=TODAY) == (
        "https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123"
    )


def test_sscc_link_with_attributes() -> None:
    pairs = [("00", "952012345678912345"), ("02", "09520123456788"), ("37", "25")]
    assert digital_link(pairs, today=TODAY) == (
        "https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25"
    )


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (UdiData(gtin="04012345123457"), "check digit is wrong (expected 6, found 7)"),
        (UdiData(gtin="04012345123456", lot="X" * 21), "at most 20 are allowed"),
        (UdiData(gtin="04012345123456", lot="LOT A"), "not allowed"),
        (UdiData(gtin="04012345123456", lot=""), "has no value"),
        (UdiData(gtin="04012345123456", expiry=date(2090, 1, 1)), "1990-01-01"),
        (UdiData(gtin="04012345123456", quantity=-1), "not allowed"),
        ([("10", "LOT")], "must appear together with"),
        ([("01", "04012345123456"), ("23", "X")], "(23) is not a GS1 Application Identifier"),
        ([("01", "04012345123456"), ("21", "A"), ("235", "B")], "must not appear together"),
        ([("01", "04012345123456"), ("10", "A"), ("10", "B")], "different values"),
        ([], "no data"),
    ],
)
def test_invalid_data_is_refused_with_every_reason(
    data: UdiData | list[tuple[str, str]], fragment: str
) -> None:
    for build in (element_string, hri, digital_link):
        with pytest.raises(BuildError) as caught:
            build(data, today=TODAY)
        assert any(fragment in problem for problem in caught.value.problems), caught.value
        assert not re.search(r"character \d", str(caught.value))  # scan positions mean nothing


def test_digital_link_specific_refusals() -> None:
    with pytest.raises(BuildError, match="primary key"):
        digital_link([("400", "ORDER-1")], today=TODAY)
    with pytest.raises(BuildError, match="domain"):
        digital_link(UdiData(gtin="04012345123456"), domain="id.gs1.org", today=TODAY)
    with pytest.raises(BuildError, match=r"AI \(8040\) cannot be carried"):
        digital_link(
            [("01", "04012345123456"), ("21", "S"), ("8040", "123456789012345")], today=TODAY
        )


def test_only_gs1_readings_can_be_re_encoded() -> None:
    with pytest.raises(BuildError):
        pairs_of(read_scan("+A123BJC5D6E71G", CONFIG))
    with pytest.raises(BuildError):
        hri_of(read_scan("]d20104012345123457", CONFIG))


# --------------------------------------------------------------------------- against biip


@ROUND_TRIP
@given(udis)
def test_biip_reads_our_element_strings_the_same_way(data: UdiData) -> None:
    text = element_string(data, today=TODAY)
    ours = read_pairs(parse_element_string(scan(text, "]d2")))
    message = biip.parse("]d2" + text).gs1_message
    assert message is not None
    theirs = [(es.ai.ai, es.value) for es in message.element_strings]
    assert theirs == ours
