"""GS1 linters against the reference implementation's own vectors and rules built per case.

Vectors marked "ported" come from gs1/gs1-syntax-engine, src/c-lib/syntax/lint_*.c (Apache-2.0,
GS1 AISBL): ``UNIT_TEST_PASS(linter, data)`` and ``UNIT_TEST_FAIL(linter, data, error, markup)``
where the markup stars the offending characters, e.g. ``"1234567*3*"``. The reference fixes the
two-digit-year window at 2021, so date vectors run with a 2021 reference date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from station.udi import gs1_coupons as coupons
from station.udi import gs1_linters as lint
from station.udi.gs1_lint import LINTERS
from station.udi.gs1_linters import LintFault
from station.udi.gs1_table import AI_TABLE

REF_2021 = date(2021, 6, 1)


def _span(markup: str) -> tuple[int, int]:
    """Offset and length of the starred part of a reference markup string."""
    first = markup.index("*")
    second = markup.index("*", first + 1)
    return first, second - first - 1


def _dated(linter: Callable[[str, date], LintFault | None]) -> Callable[[str], LintFault | None]:
    return lambda value: linter(value, REF_2021)


def assert_passes(linter: Callable[[str], LintFault | None], data: str) -> None:
    assert linter(data) is None, data


def assert_fails(
    linter: Callable[[str], LintFault | None], data: str, rule: str, markup: str
) -> None:
    fault = linter(data)
    assert fault is not None, data
    assert fault.rule == rule, (data, fault)
    assert (fault.offset, fault.length) == _span(markup), (data, fault)
    assert fault.reason


def test_every_linter_named_in_the_dictionary_is_implemented() -> None:
    named = {name for spec in AI_TABLE.values() for c in spec.components for name in c.linters}
    assert named <= LINTERS.keys()
    assert "couponcode" in named
    assert "couponposoffer" in named


# --------------------------------------------------------------------------- check characters


@pytest.mark.parametrize(
    "data", ["02345673", "416000336108", "1234567890128", "12345678901231", "123456789012345675"]
)
def test_csum_ported_passes(data: str) -> None:
    assert_passes(lint.lint_csum, data)


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("", "too_short_for_check_digit", "**"),
        ("12345673", "incorrect_check_digit", "1234567*3*"),
        ("416000336109", "incorrect_check_digit", "41600033610*9*"),
        ("1234567890129", "incorrect_check_digit", "123456789012*9*"),
        ("12345678901232", "incorrect_check_digit", "1234567890123*2*"),
        ("123456789012345670", "incorrect_check_digit", "12345678901234567*0*"),
        (" 23456789012345675", "non_digit_character", "* *23456789012345675"),
        ("12345678 012345675", "non_digit_character", "12345678* *012345675"),
        ("12345678901234567 ", "non_digit_character", "12345678901234567* *"),
    ],
)
def test_csum_ported_failures(data: str, rule: str, markup: str) -> None:
    assert_fails(lint.lint_csum, data, rule, markup)


def test_csum_reports_expected_and_found_digits() -> None:
    fault = lint.lint_csum("00208851107345")  # AccessGUDID example: the check digit should be 7
    assert fault is not None
    assert (fault.expected, fault.found) == ("7", "5")


@pytest.mark.parametrize(
    "data",
    [
        "22",
        "!22",
        "!!22",
        "1987654Ad4X4bL5ttr2310c2K",
        "12345678901234567890123NT",
        "12345_ABCDEFGHIJKLMCP",
        "12345_NOPQRSTUVWXYZDN",
        "12345_abcdefghijklmN3",
        "12345_nopqrstuvwxyzP2",
        "12345_!\"%&'()*+,-./LC",
        "12345_0123456789:;<=>?62",
        "7907665Bm8v2AB",
        "97850l6KZm0yCD",
        "225803106GSpEF",
        "149512464PM+GH",
        "23956qk1&dB!23",
        "57453Uq3qA<H67",
        "00000!HV",
        "99999zzzzzzzzzzzzzzzzzzT2",
        "1234567890" * 9 + "1234567HA",  # 99 characters
    ],
)
def test_csumalpha_ported_passes(data: str) -> None:
    assert_passes(lint.lint_csumalpha, data)


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("", "too_short_for_check_pair", "**"),
        ("2", "too_short_for_check_pair", "*2*"),
        ("33", "incorrect_check_pair", "*33*"),
        ("1987654Ad4X4bL5ttr2310cXK", "incorrect_check_pair", "1987654Ad4X4bL5ttr2310c*XK*"),
        ("1987654Ad4X4bL5ttr2310c2X", "incorrect_check_pair", "1987654Ad4X4bL5ttr2310c*2X*"),
        (" 2345678901234567890123NT", "invalid_cset82_character", "* *2345678901234567890123NT"),
        ("123456789 1234567890123NT", "invalid_cset82_character", "123456789* *1234567890123NT"),
        ("12345678901234567890123 T", "invalid_cset32_character", "12345678901234567890123* *T"),
        ("12345678901234567890123N ", "invalid_cset32_character", "12345678901234567890123N* *"),
        (
            "1234567890" * 9 + "12345678ZZ",
            "too_long_for_check_pair_implementation",
            "*" + "1234567890" * 9 + "12345678ZZ*",
        ),
    ],
)
def test_csumalpha_ported_failures(data: str, rule: str, markup: str) -> None:
    assert_fails(lint.lint_csumalpha, data, rule, markup)


def test_check_pair_computes_the_pair_the_linter_expects() -> None:
    assert lint.check_pair("1987654Ad4X4bL5ttr2310c") == "2K"
    fault = lint.lint_csumalpha("1987654Ad4X4bL5ttr2310cXK")
    assert fault is not None
    assert (fault.expected, fault.found) == ("2K", "XK")


# --------------------------------------------------------------------------- company prefix


@pytest.mark.parametrize("data", ["01234", "0123", "0123A"])
def test_gcppos1_ported_passes(data: str) -> None:
    assert_passes(lint.lint_gcppos1, data)


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("012", "too_short_for_gcp", "*012*"),
        ("", "too_short_for_gcp", "**"),
        ("012AA", "invalid_gcp_prefix", "012*A*A"),
        ("AAAAA", "invalid_gcp_prefix", "*A*AAAA"),
    ],
)
def test_gcppos1_ported_failures(data: str, rule: str, markup: str) -> None:
    assert_fails(lint.lint_gcppos1, data, rule, markup)


@pytest.mark.parametrize("data", ["I01234", "I0123", "I0123A"])
def test_gcppos2_ported_passes(data: str) -> None:
    assert_passes(lint.lint_gcppos2, data)


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("I012", "too_short_for_gcp", "I*012*"),
        ("I", "too_short_for_gcp", "*I*"),
        ("", "too_short_for_gcp", "**"),
        ("I012AA", "invalid_gcp_prefix", "I012*A*A"),
        ("IAAAAA", "invalid_gcp_prefix", "I*A*AAAA"),
    ],
)
def test_gcppos2_ported_failures(data: str, rule: str, markup: str) -> None:
    assert_fails(lint.lint_gcppos2, data, rule, markup)


def test_key_linter_ported() -> None:
    for good in ("01234", "0123", "0123A"):
        assert_passes(lint.lint_key, good)
    assert_fails(lint.lint_key, "012", "too_short_for_key", "*012*")
    assert_fails(lint.lint_key, "01A3", "invalid_gcp_prefix", "01*A*3")


# --------------------------------------------------------------------------- dates and times

YYMMDD_SHARED_FAILURES = [
    ("x00131", "non_digit_character", "*x*00131"),
    ("20013x", "non_digit_character", "20013*x*"),
    ("", "date_too_short", "**"),
    ("11111", "date_too_short", "*11111*"),
    ("1111111", "date_too_long", "*1111111*"),
    ("200010", "illegal_month", "20*00*10"),
    ("201310", "illegal_month", "20*13*10"),
    ("200132", "illegal_day", "2001*32*"),
    ("200230", "illegal_day", "2002*30*"),
    ("200431", "illegal_day", "2004*31*"),
    ("210229", "illegal_day", "2102*29*"),
    ("230229", "illegal_day", "2302*29*"),
    ("960230", "illegal_day", "9602*30*"),
]
YYMMDD_SHARED_PASSES = ["000606", "990606", "200131", "200229", "240229", "000229", "960229"]


@pytest.mark.parametrize("data", YYMMDD_SHARED_PASSES)
def test_yymmd0_and_yymmdd_ported_passes(data: str) -> None:
    assert_passes(_dated(lint.lint_yymmd0), data)
    assert_passes(_dated(lint.lint_yymmdd), data)


@pytest.mark.parametrize(("data", "rule", "markup"), YYMMDD_SHARED_FAILURES)
def test_yymmd0_and_yymmdd_ported_failures(data: str, rule: str, markup: str) -> None:
    assert_fails(_dated(lint.lint_yymmd0), data, rule, markup)
    assert_fails(_dated(lint.lint_yymmdd), data, rule, markup)


def test_day_00_is_allowed_only_by_yymmd0() -> None:
    assert_passes(_dated(lint.lint_yymmd0), "200600")
    assert_fails(_dated(lint.lint_yymmdd), "200600", "illegal_day", "2006*00*")


def test_yymmd0_uses_the_century_window_for_leap_years() -> None:
    # "000229": 2000 is a leap year; from 2050 on the window reads 00 as 2100, which is not.
    assert lint.lint_yymmd0("000229", date(2026, 1, 1)) is None
    assert lint.lint_yymmd0("000229", date(2051, 1, 1)) is not None


@pytest.mark.parametrize("data", ["20000606", "19750606", "20200229", "20000229", "19960229"])
def test_yyyymmdd_ported_passes(data: str) -> None:
    assert_passes(lint.lint_yyyymmdd, data)


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("2020013x", "non_digit_character", "2020013*x*"),
        ("1111111", "date_too_short", "*1111111*"),
        ("111111111", "date_too_long", "*111111111*"),
        ("20201310", "illegal_month", "2020*13*10"),
        ("20210229", "illegal_day", "202102*29*"),
        ("20200600", "illegal_day", "202006*00*"),
    ],
)
def test_yyyymmdd_ported_failures(data: str, rule: str, markup: str) -> None:
    assert_fails(lint.lint_yyyymmdd, data, rule, markup)


@pytest.mark.parametrize("data", ["0000", "2359", "1200", "0059"])
def test_hhmi_ported_passes(data: str) -> None:
    assert_passes(lint.lint_hhmi, data)


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("2400", "illegal_hour", "*24*00"),
        ("0060", "illegal_minute", "00*60*"),
        ("x000", "non_digit_character", "*x*000"),
        ("00x0", "non_digit_character", "00*x*0"),
        ("111", "hour_with_minute_too_short", "*111*"),
        ("11111", "hour_with_minute_too_long", "*11111*"),
    ],
)
def test_hhmi_ported_failures(data: str, rule: str, markup: str) -> None:
    assert_fails(lint.lint_hhmi, data, rule, markup)


@pytest.mark.parametrize(
    ("linter", "good", "bad"),
    [(lint.lint_hh, "23", "24"), (lint.lint_mi, "59", "60"), (lint.lint_ss, "59", "60")],
)
def test_hour_minute_second_ranges(
    linter: Callable[[str], LintFault | None], good: str, bad: str
) -> None:
    assert_passes(linter, "00")
    assert_passes(linter, good)
    assert linter(bad) is not None
    assert linter("5") is not None
    assert linter("0a") is not None


# --------------------------------------------------------------------------- code lists


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        ("004", True),
        ("008", True),
        ("276", True),
        ("156", True),
        ("894", True),
        ("000", False),
        ("001", False),
        ("005", False),
        ("999", False),
        ("0000", False),
        ("_894", False),
        ("894_", False),
        ("AAA", False),
        ("", False),
    ],
)
def test_iso3166_ported(data: str, ok: bool) -> None:
    assert (lint.lint_iso3166(data) is None) is ok


def test_iso3166_lists_all_249_countries() -> None:
    # ISO 3166-1 assigns 249 codes: an independent count guards the transcribed table.
    assert sum(lint.lint_iso3166(f"{n:03d}") is None for n in range(1000)) == 249
    assert sum(lint.lint_iso3166alpha2(a + b) is None for a in ALPHA for b in ALPHA) == 249


ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("000", "not_iso3166_or_999", "*000*"),
        ("998", "not_iso3166_or_999", "*998*"),
        ("9999", "not_iso3166_or_999", "*9999*"),
        ("", "not_iso3166_or_999", "**"),
    ],
)
def test_iso3166999_ported_failures(data: str, rule: str, markup: str) -> None:
    assert_fails(lint.lint_iso3166999, data, rule, markup)
    assert_passes(lint.lint_iso3166999, "999")
    assert_passes(lint.lint_iso3166999, "004")


@pytest.mark.parametrize(
    ("linter", "good", "bad"),
    [
        (lint.lint_iso3166alpha2, ["AD", "DE", "CN", "ZW"], ["AA", "AN", "A", "AAA", "_AD", "ad"]),
        (lint.lint_iso4217, ["008", "978", "840", "999"], ["000", "004", "_999", "AAA", "0000"]),
        (lint.lint_packagetype, ["1A", "200", "8", "BX", "X11"], ["", "0", "_9", "1A_", "bx"]),
        (lint.lint_mediatype, ["01", "10", "80", "99"], ["00", "11", "79", "0", "AA", "_01"]),
    ],
)
def test_code_lists_ported(
    linter: Callable[[str], LintFault | None], good: list[str], bad: list[str]
) -> None:
    for data in good:
        assert_passes(linter, data)
    for data in bad:
        assert linter(data) is not None, data


@pytest.mark.parametrize(
    ("linter", "good", "bad"),
    [
        (lint.lint_iso5218, ["0", "1", "2", "9"], ["", "/", "3", "8", ":", "01"]),
        (lint.lint_winding, ["0", "1", "9"], ["", "2", "8", "/", ":", "01"]),
        (lint.lint_yesno, ["0", "1"], ["", "2", "00", "Y"]),
        (lint.lint_zero, ["0"], ["", "1", "00"]),
        (lint.lint_hyphen, ["-", "--"], ["", "X", "XX", "-X"]),
        (lint.lint_importeridx, ["-", "0", "Z", "_", "z"], ["", "AA", " ", "@"]),
    ],
)
def test_single_value_rules(
    linter: Callable[[str], LintFault | None], good: list[str], bad: list[str]
) -> None:
    for data in good:
        assert_passes(linter, data)
    for data in bad:
        assert linter(data) is not None, data


# --------------------------------------------------------------------------- value rules


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("0", "illegal_zero_value", "*0*"),
        ("0000", "illegal_zero_value", "*0000*"),
        ("", "illegal_zero_value", "**"),
        ("A999", "non_digit_character", "*A*999"),
        ("999A", "non_digit_character", "999*A*"),
    ],
)
def test_nonzero_ported(data: str, rule: str, markup: str) -> None:
    assert_fails(lint.lint_nonzero, data, rule, markup)
    for good in ("1", "01", "0009", "9000", "01234567890"):
        assert_passes(lint.lint_nonzero, good)


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("0", "illegal_zero_prefix", "*0*"),
        ("0123", "illegal_zero_prefix", "*0*123"),
        ("A999", "non_digit_character", "*A*999"),
        ("99A9", "non_digit_character", "99*A*9"),
    ],
)
def test_nozeroprefix_ported(data: str, rule: str, markup: str) -> None:
    assert_fails(lint.lint_nozeroprefix, data, rule, markup)
    for good in ("", "1", "10", "1234567890"):
        assert_passes(lint.lint_nozeroprefix, good)


def test_hasnondigit_ported() -> None:
    for good in ("/", ":", "/123456789", "012345678:", "A1", "1A1"):
        assert_passes(lint.lint_hasnondigit, good)
    for bad, markup in (("", "**"), ("0", "*0*"), ("0123456789", "*0123456789*")):
        assert_fails(lint.lint_hasnondigit, bad, "requires_non_digit_character", markup)


@pytest.mark.parametrize(
    ("data", "markup"),
    [("%fg", "*%fg*"), ("%g", "*%g*"), ("ABC%gf", "ABC*%gf*"), ("ABC%gXYZ", "ABC*%gX*YZ")],
)
def test_pcenc_ported(data: str, markup: str) -> None:
    assert_fails(lint.lint_pcenc, data, "invalid_percent_sequence", markup)
    for good in ("", "A", "%00", "%Ff", "ABC%20XYZ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ%00+12345"):
        assert_passes(lint.lint_pcenc, good)


def test_latitude_and_longitude_ported() -> None:
    for good in ("0279085848", "0000000000", "1800000000"):
        assert_passes(lint.lint_latitude, good)
    assert_fails(lint.lint_latitude, "027908584", "latitude_invalid_length", "*027908584*")
    assert_fails(lint.lint_latitude, "1800000001", "invalid_latitude", "*1800000001*")
    for good in ("3015297971", "0000000000", "3600000000"):
        assert_passes(lint.lint_longitude, good)
    assert_fails(lint.lint_longitude, "30152979711", "longitude_invalid_length", "*30152979711*")
    assert_fails(lint.lint_longitude, "3600000001", "invalid_longitude", "*3600000001*")


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("", "invalid_length_for_piece_of_total", "**"),
        ("111", "invalid_length_for_piece_of_total", "*111*"),
        ("5x555555", "non_digit_character", "5*x*555555"),
        ("01", "zero_piece_number", "*0*1"),
        ("0100", "zero_total_pieces", "01*00*"),
        ("001000", "zero_total_pieces", "001*000*"),
        ("21", "piece_number_exceeds_total", "*21*"),
        ("1009", "piece_number_exceeds_total", "*1009*"),
        ("101100", "piece_number_exceeds_total", "*101100*"),
    ],
)
def test_pieceoftotal_ported(data: str, rule: str, markup: str) -> None:
    assert_fails(lint.lint_pieceoftotal, data, rule, markup)
    for good in ("11", "13", "99", "0103", "9899", "001003", "999999"):
        assert_passes(lint.lint_pieceoftotal, good)


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("", "position_in_sequence_malformed", "**"),
        ("1/", "position_in_sequence_malformed", "*1/*"),
        ("/1", "position_in_sequence_malformed", "*/1*"),
        ("1//2", "position_in_sequence_malformed", "*1//2*"),
        ("x/y", "position_in_sequence_malformed", "*x/y*"),
        ("0/1", "illegal_zero_prefix", "*0*/1"),
        ("1/02", "illegal_zero_prefix", "1/*02*"),
        ("01/02", "illegal_zero_prefix", "*01*/02"),
        ("2/1", "position_exceeds_end", "*2/1*"),
        ("10/9", "position_exceeds_end", "*10/9*"),
        ("101/100", "position_exceeds_end", "*101/100*"),
    ],
)
def test_posinseqslash_ported(data: str, rule: str, markup: str) -> None:
    assert_fails(lint.lint_posinseqslash, data, rule, markup)
    for good in ("1/1", "9/10", "10/10", "1/100", "998/999"):
        assert_passes(lint.lint_posinseqslash, good)


@pytest.mark.parametrize(
    "data",
    [
        "FR7630006000011234567890189",
        "DE91100000000123456789",
        "MU43BOMM0101123456789101000MUR",
        "GB98MIDL07009312345678",
        "BE71096123456769",
        "LC14BOSL123456789012345678901234",
    ],
)
def test_iban_ported_passes(data: str) -> None:
    assert_passes(lint.lint_iban, data)


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("BE71096123456760", "incorrect_iban_checksum", "BE*71*096123456760"),
        ("BE71", "iban_too_short", "*BE71*"),
        (
            "LC14BOSLxx3456789012345678901230",
            "invalid_iban_character",
            "LC14BOSL*x*x3456789012345678901230",
        ),
        ("XX361234567890", "illegal_iban_country_code", "*XX*361234567890"),
    ],
)
def test_iban_ported_failures(data: str, rule: str, markup: str) -> None:
    assert_fails(lint.lint_iban, data, rule, markup)


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("===", "invalid_cset64_padding", "*===*"),
        ("123=", "invalid_cset64_padding", "123*=*"),
        ("12===", "invalid_cset64_padding", "12*===*"),
        ("AB C", "invalid_cset64_character", "AB* *C"),
    ],
)
def test_cset64_ported(data: str, rule: str, markup: str) -> None:
    assert_fails(lint.lint_cset64, data, rule, markup)
    for good in ("", "123", "12=", "1==", "0123456789-_"):
        assert_passes(lint.lint_cset64, good)


def test_cset82_and_cset39_reject_what_gs1_forbids() -> None:
    assert_passes(lint.lint_cset82, "!\"%&'()*+,-./09:;<=>?AZ_az")
    for char in " #$@^~\\[]{}|`\x1dé":
        assert lint.lint_cset82(f"AB{char}") is not None, char
    assert_passes(lint.lint_cset39, "#-/09AZ")
    assert_fails(lint.lint_cset39, "ABc", "invalid_cset39_character", "AB*c*")


# --------------------------------------------------------------------------- coupons


@pytest.mark.parametrize(
    "data",
    [
        "012345612345611110123",
        "01234561234561111012321101230123456",
        "01234561234561111012321101239",
        "0123456123456111101233200229",
        "0123456123456111101234200229",
    ],
)
def test_couponcode_ported_passes(data: str) -> None:
    assert_passes(_dated(coupons.lint_couponcode), data)


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("a12345612345611110123", "non_digit_character", "*a*12345612345611110123"),
        ("", "coupon_missing_gcp_vli", "**"),
        ("012", "coupon_truncated_gcp", "0*12*"),
        ("0123456", "coupon_truncated_offer_code", "*0123456*"),
        ("71234567890123", "coupon_invalid_gcp_length", "*7*1234567890123"),
        ("01234561", "coupon_truncated_offer_code", "0123456*1*"),
        ("0123456123456", "coupon_missing_save_value_vli", "*0123456123456*"),
        ("01234561234560", "coupon_invalid_save_value_length", "0123456123456*0*"),
        ("012345612345621", "coupon_truncated_save_value", "01234561234562*1*"),
        (
            "0123456123456111101232115",
            "coupon_invalid_3rd_purchase_requirement_code",
            "012345612345611110123211*5*",
        ),
        (
            "0123456123456111101232110123012",
            "coupon_truncated_3rd_purchase_gcp",
            "01234561234561111012321101230*12*",
        ),
        (
            "012345612345611110123211012371234567890123",
            "coupon_invalid_3rd_purchase_gcp_length",
            "0123456123456111101232110123*7*1234567890123",
        ),
        (
            "012345612345611110123211012391",
            "coupon_excess_data",
            "01234561234561111012321101239*1*",
        ),
        (
            "0123456123456111101233",
            "coupon_too_short_for_expiration_date",
            "*0123456123456111101233*",
        ),
        (
            "0123456123456111101233210229",
            "coupon_invalid_expiration_date",
            "0123456123456111101233*210229*",
        ),
        (
            "0123456123456111101234200132",
            "coupon_invalid_start_date",
            "0123456123456111101234*200132*",
        ),
    ],
)
def test_couponcode_ported_failures(data: str, rule: str, markup: str) -> None:
    assert_fails(_dated(coupons.lint_couponcode), data, rule, markup)


def test_couponcode_expiry_must_not_precede_start() -> None:
    # Constructed: field 3 expiry 2021-01-01, field 4 start 2021-02-01.
    fault = coupons.lint_couponcode("0123456123456111101233210101" + "4210201", REF_2021)
    assert fault is not None
    assert fault.rule == "coupon_expiration_before_start"


@pytest.mark.parametrize(
    "data",
    [
        "001234561234560123456",
        "101234561234560123456",
        "0012345612345611234567",
        "001234561234569123456789012345",
        "061234567890121234569123456789012345",
    ],
)
def test_couponposoffer_ported_passes(data: str) -> None:
    assert_passes(coupons.lint_couponposoffer, data)


@pytest.mark.parametrize(
    ("data", "rule", "markup"),
    [
        ("a01234561234560123456", "non_digit_character", "*a*01234561234560123456"),
        ("", "coupon_missing_format_code", "**"),
        ("201234561234560123456", "coupon_invalid_format_code", "*2*01234561234560123456"),
        ("0", "coupon_missing_funder_vli", "*0*"),
        ("00", "coupon_truncated_funder", "*00*"),
        ("0012", "coupon_truncated_funder", "00*12*"),
        ("07", "coupon_invalid_funder_length", "0*7*"),
        ("00123456", "coupon_truncated_offer_code", "*00123456*"),
        ("001234561", "coupon_truncated_offer_code", "00123456*1*"),
        ("00123456123456", "coupon_missing_serial_number_vli", "*00123456123456*"),
        ("001234561234560", "coupon_truncated_serial_number", "*001234561234560*"),
        ("001234561234561123456", "coupon_truncated_serial_number", "001234561234561*123456*"),
        ("0012345612345601234567", "coupon_excess_data", "001234561234560123456*7*"),
    ],
)
def test_couponposoffer_ported_failures(data: str, rule: str, markup: str) -> None:
    assert_fails(coupons.lint_couponposoffer, data, rule, markup)
