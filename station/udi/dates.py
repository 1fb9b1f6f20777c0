"""Date rules shared by the code formats. Every function raises ``DateRuleError`` with a reason.

GS1 two-digit years follow the sliding window of the GS1 General Specifications §7.12:
d = YY − (reference year mod 100); 51…99 → previous century, −99…−50 → next, else current.

>>> ref = date(2026, 11, 24)
>>> yymmd0("261200", ref)        # day 00 = last day of the month
datetime.date(2026, 12, 31)
>>> yymmd0("200200", ref)
datetime.date(2020, 2, 29)
>>> century_year(99, ref), century_year(76, ref), century_year(75, ref)
(1999, 2076, 2075)
>>> yymmdd("261200", ref)
Traceback (most recent call last):
...
station.udi.dates.DateRuleError: day 00 is not allowed here
>>> julian_date(2026, 32)
datetime.date(2026, 2, 1)
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


class DateRuleError(ValueError):
    """The digits are not a real date under the rule asked for; ``str()`` says why."""


def century_year(yy: int, reference: date) -> int:
    """Resolve a two-digit year with the GS1 sliding window around ``reference``."""
    current_century = reference.year - reference.year % 100
    difference = yy - reference.year % 100
    if 51 <= difference <= 99:
        return current_century - 100 + yy
    if -99 <= difference <= -50:
        return current_century + 100 + yy
    return current_century + yy


def _digits(value: str, length: int) -> None:
    if len(value) != length or not value.isascii() or not value.isdigit():
        msg = f"expected {length} digits"
        raise DateRuleError(msg)


def _make(year: int, month: int, day: int, *, day_zero: bool) -> date:
    if year < 1:  # "0000…" in an eight-digit date: datetime.date would raise ValueError
        msg = "year 0000 does not exist"
        raise DateRuleError(msg)
    if not 1 <= month <= 12:
        msg = f"month {month:02d} does not exist"
        raise DateRuleError(msg)
    last = calendar.monthrange(year, month)[1]
    if day == 0:
        if not day_zero:
            msg = "day 00 is not allowed here"
            raise DateRuleError(msg)
        return date(year, month, last)
    if day > last:
        msg = f"day {day:02d} does not exist in {year}-{month:02d}"
        raise DateRuleError(msg)
    return date(year, month, day)


def yymmd0(value: str, reference: date) -> date:
    """GS1 YYMMDD where day 00 means the last day of the month (AIs 11–17)."""
    _digits(value, 6)
    year = century_year(int(value[:2]), reference)
    return _make(year, int(value[2:4]), int(value[4:6]), day_zero=True)


def yymmdd(value: str, reference: date) -> date:
    """YYMMDD with a real day (GS1 AIs 7003, 7006 …; HIBC flag 3)."""
    _digits(value, 6)
    year = century_year(int(value[:2]), reference)
    return _make(year, int(value[2:4]), int(value[4:6]), day_zero=False)


def yyyymmdd(value: str) -> date:
    """Eight-digit date with a real day (GS1 7250; HIBC /14D /16D; PPN 16D)."""
    _digits(value, 8)
    return _make(int(value[:4]), int(value[4:6]), int(value[6:8]), day_zero=False)


def julian_date(year: int, day_of_year: int) -> date:
    """Day ``day_of_year`` (1-based) of ``year``; 366 only in leap years."""
    days = 366 if calendar.isleap(year) else 365
    if not 1 <= day_of_year <= days:
        msg = f"day {day_of_year:03d} does not exist in {year}"
        raise DateRuleError(msg)
    return date(year, 1, 1) + timedelta(days=day_of_year - 1)


def yyjjj(value: str, reference: date) -> date:
    """Two-digit year and day of the year (HIBC flag 5 and the 5-digit lead)."""
    _digits(value, 5)
    return julian_date(century_year(int(value[:2]), reference), int(value[2:]))


def hhmi(value: str) -> tuple[int, int]:
    """Hours and minutes, 0000–2359."""
    _digits(value, 4)
    hours, minutes = int(value[:2]), int(value[2:])
    if hours > 23 or minutes > 59:
        msg = f"{value} is not a time of day"
        raise DateRuleError(msg)
    return hours, minutes
