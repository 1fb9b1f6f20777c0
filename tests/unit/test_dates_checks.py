"""Shared date rules and check-digit algorithms."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.udi import checks, dates

REF = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("yy", "year"),
    [(26, 2026), (76, 2076), (77, 1977), (99, 1999), (0, 2000), (75, 2075)],
)
def test_gs1_century_window(yy: int, year: int) -> None:
    assert dates.century_year(yy, REF) == year


def test_century_window_near_century_end() -> None:
    ref = date(2095, 1, 1)
    assert dates.century_year(10, ref) == 2110  # d = -85: next century
    assert dates.century_year(44, ref) == 2144  # d = -51: next century
    assert dates.century_year(45, ref) == 2145  # d = -50: next century (boundary)
    assert dates.century_year(46, ref) == 2046  # d = -49: this century
    assert dates.century_year(95, ref) == 2095


@pytest.mark.parametrize(
    ("digits", "expected"),
    [("261200", date(2026, 12, 31)), ("200200", date(2020, 2, 29)), ("210200", date(2021, 2, 28))],
)
def test_day_zero_means_last_day_of_month(digits: str, expected: date) -> None:
    assert dates.yymmd0(digits, REF) == expected


@pytest.mark.parametrize(
    "digits", ["260000", "261301", "260230", "26013", "2601a1", "２６０１０１"]
)
def test_impossible_dates_are_refused(digits: str) -> None:
    with pytest.raises(dates.DateRuleError):
        dates.yymmd0(digits, REF)


def test_julian_dates() -> None:
    assert dates.yyjjj("24366", REF) == date(2024, 12, 31)
    with pytest.raises(dates.DateRuleError):
        dates.yyjjj("25366", REF)
    with pytest.raises(dates.DateRuleError):
        dates.yyjjj("25000", REF)


def test_hhmi() -> None:
    assert dates.hhmi("2359") == (23, 59)
    with pytest.raises(dates.DateRuleError):
        dates.hhmi("2400")


@given(st.text(alphabet="0123456789", min_size=1, max_size=17))
def test_gs1_check_digit_detects_every_single_digit_error(body: str) -> None:
    number = body + str(checks.gs1_check_digit(body))
    assert checks.gs1_check_digit_ok(number)
    for wrong in "0123456789":
        if wrong != number[-1]:
            assert not checks.gs1_check_digit_ok(number[:-1] + wrong)


def test_gs1_check_digit_rejects_non_digits() -> None:
    assert not checks.gs1_check_digit_ok("0401234512345X")
    assert not checks.gs1_check_digit_ok("٠٤٠١٢٣٤٥١٢٣٤٥٦")  # Arabic-Indic digits are not GS1 digits


def test_mod43_examples_from_codes_md() -> None:
    assert checks.mod43_check("+A123BJC5D6E71") == "G"
    assert checks.mod43_check("+$$52001510X3G") == "D"
    assert checks.mod43_check("+$$52001510X3+") == " "  # the check character can be a space
