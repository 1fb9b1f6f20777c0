"""GS1 element strings, HRI text and bare GTINs (docs/codes.md §2): readings, checks, messages."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.udi import ParsedCode, ReaderConfig, Scheme, Status, read_scan
from station.udi.gs1 import parse_bare_gtin, parse_element_string, parse_hri
from station.udi.model import Kind
from station.udi.normalize import normalize

CONFIG = ReaderConfig(today=date(2026, 11, 24))
GS = "\x1d"


def read(scan: str | bytes) -> ParsedCode:
    return read_scan(scan, CONFIG)


def codes(code: ParsedCode) -> list[str]:
    return [issue.code for issue in code.issues]


def only_error(code: ParsedCode) -> str:
    assert len(code.errors) == 1, code.issues
    return code.errors[0].code


# --------------------------------------------------------------------------- codes.md §2.1


@pytest.mark.parametrize("aim", ["]d2", "]Q3", "]C1", "]J1"])
def test_gs1_datamatrix_udi(aim: str) -> None:
    code = read(f"{aim}0104012345123456112501151726123110LOT-A1{GS}21SN0001")
    assert code.scheme is Scheme.GS1
    assert code.status is Status.VALID
    assert not code.issues
    assert (code.gtin, code.di, code.lot, code.serial) == (
        "04012345123456",
        "04012345123456",
        "LOT-A1",
        "SN0001",
    )
    assert (code.production_date, code.expiry) == (date(2025, 1, 15), date(2026, 12, 31))
    assert [(e.key, e.value, e.start) for e in code.elements] == [
        ("01", "04012345123456", 2),
        ("11", "250115", 18),
        ("17", "261231", 26),
        ("10", "LOT-A1", 34),
        ("21", "SN0001", 43),
    ]
    gtin = code.elements[0]
    assert (gtin.title, gtin.interpretation) == ("GTIN", "GTIN-13, GS1 Germany")


def test_expiry_with_day_00_is_the_last_day_of_the_month() -> None:
    code = read("]d2010401234512345617261200")
    assert code.valid
    assert code.expiry == date(2026, 12, 31)
    expiry = code.elements[1]
    assert (expiry.value, expiry.interpretation) == ("261200", "2026-12-31")
    assert read("]d2010401234512345617200200").expiry == date(2020, 2, 29)


def test_ref_count_and_protocol() -> None:
    code = read(f"]d20104012345123456240REF-4711{GS}3010{GS}7240PROT-7")
    assert code.valid
    assert code.quantity == 10
    assert code.fields == {
        "01": "04012345123456",
        "240": "REF-4711",
        "30": "10",
        "7240": "PROT-7",
    }
    assert [e.title for e in code.elements] == ["GTIN", "ADDITIONAL ID", "VAR. COUNT", "PROTOCOL"]


def test_count_falls_back_to_ai_37() -> None:
    code = read(f"]C100340123450000000017020401234512345637100{GS}")
    assert code.valid, code.issues
    assert (code.sscc, code.quantity) == ("340123450000000017", 100)


def test_sscc() -> None:
    code = read("]C100340123450000000017")
    assert code.valid
    assert code.sscc == "340123450000000017"
    assert code.gtin is None
    assert code.elements[0].interpretation == "GS1 Germany"


def test_hri_form() -> None:
    code = read("(01)04012345123456(11)250115(17)261231(10)LOT-A1(21)SN0001")
    assert code.scheme is Scheme.GS1
    assert code.valid
    assert (code.lot, code.serial, code.production_date) == ("LOT-A1", "SN0001", date(2025, 1, 15))
    assert [e.start for e in code.elements] == [4, 22, 32, 42, 52]


def test_gs1_china() -> None:
    code = read("(01)06901234567892(11)141231(17)150707(10)A213B1(21)1234")
    assert code.valid
    assert code.elements[0].interpretation == "GTIN-13, GS1 China"
    assert (code.expiry, code.lot, code.serial) == (date(2015, 7, 7), "A213B1", "1234")


def test_trade_measure_is_read_as_a_decimal() -> None:
    code = read("]C10104012345123456310300019539220299")
    assert code.valid
    assert [e.interpretation for e in code.elements[1:]] == ["0.195 kg", "2.99"]


# --------------------------------------------------------------------------- separators


def test_leading_gs_is_fnc1_and_is_skipped() -> None:
    code = read(f"{GS}0104012345123456")
    assert code.valid
    assert not code.issues
    assert code.elements[0].start == 3


@pytest.mark.parametrize(
    "scan",
    [f"]d2010401234512345610LOT{GS}", f"]d20104012345123456{GS}10LOT", f"]d2{GS}0104012345123456"],
)
def test_one_extra_gs_is_tolerated_silently(scan: str) -> None:
    code = read(scan)
    assert code.valid
    assert not code.issues


def test_doubled_gs_is_accepted_with_a_warning() -> None:
    code = read(f"]d2010401234512345610LOT{GS}{GS}21SN")
    assert code.valid
    assert (code.lot, code.serial) == ("LOT", "SN")
    assert codes(code) == ["gs1.doubled_separator"]
    assert code.warnings[0].position == 22  # the second GS; the first ended the lot


def test_lost_separator_inside_a_lot_is_warned() -> None:
    # biip reads this as one lot '032915210526'; its tail (15) 210526 is a valid best-before.
    code = read("]d2010703206980498810032915210526")
    assert code.valid
    assert code.lot == "032915210526"
    assert codes(code) == ["gs1.separator_missing"]
    warning = code.warnings[0]
    assert warning.position == 22  # where '15210526' starts
    assert "(15) 210526 = 2021-05-26" in warning.message


def test_value_longer_than_its_maximum_says_the_separator_is_missing() -> None:
    code = read("]d2010401234512345610ABCDEFGHIJKLMNOPQRSTU21X")
    assert code.status is Status.CHECK_FAILED
    assert only_error(code) == "gs1.too_long"
    assert "separator" in code.errors[0].message
    assert code.errors[0].kind is Kind.CHECK
    assert code.lot is None


def test_empty_value_is_invalid() -> None:
    code = read(f"]d20104012345123456991{GS}30{GS}10A")
    assert only_error(code) == "gs1.empty_value"
    assert code.errors[0].position == 22
    assert code.quantity is None
    assert code.lot == "A"


def test_fixed_length_value_cut_short_by_a_separator() -> None:
    code = read(f"]d2010401234512{GS}10A")
    assert only_error(code) == "gs1.too_short"
    assert code.lot == "A"


# --------------------------------------------------------------------------- check vs syntax


def test_wrong_check_digit_is_a_check_failure_not_unparseable() -> None:
    code = read("]d20104012345123457")
    assert code.status is Status.CHECK_FAILED
    error = code.errors[0]
    assert (error.code, error.kind, error.position) == ("gs1.check_digit", Kind.CHECK, 15)
    assert "expected 6, found 7" in error.message
    assert "set the item aside" in error.message
    assert code.gtin is None  # never record a GTIN whose check digit failed
    assert code.elements[0].value == "04012345123457"


def test_unknown_ai_is_unparseable_and_stops_reading() -> None:
    code = read("]d20104012345123456230XYZ")
    assert code.status is Status.UNPARSEABLE
    error = code.errors[0]
    assert (error.code, error.kind, error.position) == ("gs1.unknown_ai", Kind.SYNTAX, 16)
    assert "6 characters" in error.message
    assert [e.key for e in code.elements] == ["01"]


@pytest.mark.parametrize("scan", ["(01)00208851107345(17)150331", "]d2010020885110734517150331"])
def test_accessgudid_example_fails_its_check_digit(scan: str) -> None:
    code = read(scan)
    assert code.status is Status.CHECK_FAILED
    assert only_error(code) == "gs1.check_digit"
    assert "expected 7, found 5" in code.errors[0].message
    assert code.expiry == date(2015, 3, 31)


def test_charset_error_points_at_the_character() -> None:
    code = read("]d2010401234512345610LOT A")
    assert only_error(code) == "gs1.charset"
    assert code.errors[0].position == 21
    assert "' '" in code.errors[0].message


@pytest.mark.parametrize(
    ("scan", "position"),
    [("]d2010401234512345617261300", 20), ("]d2010401234512345617260230", 22)],
)
def test_impossible_dates(scan: str, position: int) -> None:
    code = read(scan)
    assert only_error(code) == "gs1.bad_date"
    assert code.errors[0].position == position
    assert code.expiry is None


def test_day_00_is_illegal_where_the_dictionary_says_yymmdd() -> None:
    code = read(f"]d201040123451234567006261200{GS}")
    assert only_error(code) == "gs1.bad_date"


def test_alphanumeric_check_pair_of_a_gmn() -> None:
    assert read("]d280131987654Ad4X4bL5ttr2310c2K").valid
    code = read("]d280131987654Ad4X4bL5ttr2310cXK")
    assert only_error(code) == "gs1.check_pair"


# --------------------------------------------------------------------------- pairing rules


def test_lot_without_a_key_misses_its_required_ai() -> None:
    code = read("]C110D9T")
    assert only_error(code) == "gs1.missing_required_ai"
    assert "(01), (02), (03), (8006) or (8026)" in code.errors[0].message
    assert code.lot == "D9T"  # the value itself is fine; the message is incomplete


def test_requirement_groups_need_every_member() -> None:
    code = read("]d20104012345123456250SEC")
    assert only_error(code) == "gs1.missing_required_ai"
    assert "(01) with (21)" in code.errors[0].message
    assert read(f"]d2010401234512345621SN{GS}250SEC").valid


def test_requirement_patterns() -> None:
    assert read("]d20104012345123456310300019539220299").valid
    code = read("]d2010401234512345639220299")
    assert only_error(code) == "gs1.missing_required_ai"
    assert "(01) with (31nn)" in code.errors[0].message


def test_mutually_exclusive_ais() -> None:
    code = read(f"]d2010401234512345621ABC{GS}235XYZ")
    assert only_error(code) == "gs1.exclusive_ai"
    assert "(21) and (235)" in code.errors[0].message


def test_exclusive_patterns_exclude_siblings_but_not_the_ai_itself() -> None:
    code = read("]d2010401234512345631030001953101000019")
    assert only_error(code) == "gs1.exclusive_ai"
    same = read("]d2010401234512345631030001953103000195")
    assert same.valid
    assert codes(same) == ["gs1.duplicate_ai"]


def test_repeated_ai_with_a_different_value_is_an_error() -> None:
    code = read(f"]d2010401234512345610A{GS}10B")
    assert only_error(code) == "gs1.conflicting_ai"
    assert code.lot is None


# --------------------------------------------------------------------------- HRI details


def test_hri_escaped_parenthesis() -> None:
    code = read("(01)04012345123456(10)LOT\\(1)(21)X")
    assert code.valid
    assert code.lot == "LOT(1)"
    assert code.elements[1].start == 22


def test_hri_unescaped_parenthesis_is_a_syntax_error() -> None:
    code = read("(01)04012345123456(10)LOT(1)")
    assert code.status is Status.UNPARSEABLE
    assert "gs1.hri_syntax" in codes(code)
    assert "\\(" in code.errors[0].message


def test_hri_wrapped_between_elements_but_not_inside_data() -> None:
    wrapped = read("(01)04012345123456 (10)LOT (21)X")
    assert wrapped.valid
    assert codes(wrapped) == ["gs1.hri_whitespace"]
    inside = read("(01)04012345123456(10)LO T")
    assert only_error(inside) == "gs1.charset"
    # A line break is a control character: the scan gate refuses it (compliance SEC-5).
    assert only_error(read("(01)04012345123456(10)LOT\n(21)X")) == "scan.forbidden_character"


def test_hri_unknown_ai() -> None:
    code = parse_hri(normalize("(01)04012345123456(23)X", CONFIG))
    assert only_error(code) == "gs1.unknown_ai"
    assert code.errors[0].position == 18


# --------------------------------------------------------------------------- EAN/UPC


@pytest.mark.parametrize(
    ("scan", "gtin"),
    [
        ("]E04012345123456", "04012345123456"),
        ("]E0614141000012", "00614141000012"),
        ("]E412345670", "00000012345670"),
    ],
)
def test_bare_gtin_is_padded_to_gtin14(scan: str, gtin: str) -> None:
    code = parse_bare_gtin(normalize(scan, CONFIG))
    assert code.valid, code.issues
    assert (code.gtin, code.di) == (gtin, gtin)
    assert code.elements[0].value == scan[3:]


def test_bare_gtin_failures() -> None:
    wrong = read("]E04012345123457")
    assert wrong.status is Status.CHECK_FAILED
    assert only_error(wrong) == "gs1.check_digit"
    assert wrong.gtin is None
    garbled = read("]E0401234512345X")
    assert garbled.status is Status.UNPARSEABLE
    assert only_error(garbled) == "gs1.bad_ean"


# --------------------------------------------------------------------------- result shape


def test_scan_issues_come_first_then_the_dispatchers() -> None:
    code = read("]d2010401234512345610A{GS}21B")
    assert codes(code) == ["scan.substitute_mapped"]
    assert code.serial == "B"
    inferred = read("0104012345123456")
    assert codes(inferred) == ["gs1.inferred"]
    direct = parse_element_string(normalize("]d20104012345123457", CONFIG))
    assert direct.issues[0].code == "gs1.check_digit"


def test_messages_count_characters_from_one() -> None:
    code = read("]d20104012345123457")
    assert code.errors[0].position == 15
    assert "character 16" in code.errors[0].message


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789ABC-(\\) \x1d", max_size=60))
def test_readers_never_raise_and_positions_stay_in_the_text(text: str) -> None:
    for reader in (parse_element_string, parse_hri):
        scan = normalize("]d2" + text if reader is parse_element_string else text or "(", CONFIG)
        code = reader(scan)
        for issue in code.issues:
            assert issue.position is None or 0 <= issue.position <= len(code.text)
        for element in code.elements:
            assert 0 <= element.start <= len(code.text)
        if code.valid:
            assert code.status is Status.VALID
