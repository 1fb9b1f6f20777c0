"""HIBC Supplier Labeling Standard (HIBC LIC) reader (``docs/codes.md`` §3).

Shapes read, all over the 43 Code 39 characters with a mod-43 check character:

* primary (``+`` LIC PCN unit-of-measure check);
* stand-alone secondary (``+`` data, link character, check);
* concatenated (primary without check, ``/``, secondary data, ``/`` supplements …, one check);
* a 1D pair in one scan (primary immediately followed by its stand-alone secondary), and two
  separate scans joined with :func:`combine_hibc`;
* typed human-readable text between asterisks (``*+A123BJC5D6E71G*``).

The HIBC Provider Applications Standard (``+/``) is reported as unsupported.

Decisions where the sources disagree or are silent (see the report in ``tests/data/README.md``):

* **DI** = LIC + PCN + unit of measure, without the ``+`` flag and the check character. The flag
  and the check belong to the bar code, not to the product; the unit of measure is kept because it
  tells packaging levels apart, and a UDI-DI must.
* **MMYY expiry** (date flag 0/1) is read as the **last** day of the month, as a month-only
  expiry is read elsewhere (GS1 day 00, securPharm ``D`` day 00). BarcodeParserBuilder uses the
  first day; the element interpretation says "month only" so nobody is misled.
* **Quantity then date**: after ``$$8QQ`` / ``$$9QQQQQ`` a digit 0–7 starts a date field
  (ANSI/HIBC 2.5 as implemented by PTW-Freiburg/udi, and the codes.md example); anything else
  starts the lot (the date is optional there per BWIPP). A lot that starts with 0–7 right after a
  quantity is therefore read as a date: such labels fail loudly instead of losing a lot digit.
* Lots and serials are letters A–Z and digits only, at most 18 (13 after a Julian lead).

When the structure cannot be read (a ``Kind.SYNTAX`` error) the top-level fields stay empty so
that no caller can store a lot that may have been split wrongly; the elements still show what
was found.

>>> from datetime import date
>>> from station.udi.normalize import ReaderConfig, normalize
>>> config = ReaderConfig(today=date(2026, 11, 24))
>>> code = parse_hibc(normalize("+A99912349/$10X3/16D20111231/14D20200131/Q500Z", config))
>>> code.valid, code.di, code.lot, code.quantity, str(code.expiry), str(code.production_date)
(True, 'A99912349', '10X3', 500, '2020-01-31', '2011-12-31')
>>> bad = parse_hibc(normalize("+A123BJC5D6E71H", config))
>>> bad.status.value, bad.errors[0].code, bad.errors[0].position
('check_failed', 'hibc.check_character', 14)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from station.udi.checks import MOD43_ALPHABET, mod43_check
from station.udi.dates import DateRuleError, yyjjj, yymmd0, yymmdd, yyyymmdd
from station.udi.model import Draft, Element, Issue, Kind, ParsedCode, Scheme, Status, define
from station.udi.report import moved, report_at, shown

if TYPE_CHECKING:
    from station.udi.normalize import ScanInput

_T = TypeVar("_T")

_RESCAN = "Scan again; if it repeats, set the item aside and report the label."

HIBC_BAD_CHARACTER = define(
    "hibc.bad_character",
    Kind.SYNTAX,
    "Character {at} ('{char}') cannot be part of a HIBC code, which uses only A-Z, 0-9, space "
    "and - . $ / + %. If it repeats, check the scanner's keyboard layout and Caps Lock. " + _RESCAN,
)
HIBC_TOO_SHORT = define(
    "hibc.too_short",
    Kind.SYNTAX,
    "The HIBC code is only {length} characters long, too short for data and a check "
    "character. " + _RESCAN,
)
HIBC_PAS_UNSUPPORTED = define(
    "hibc.pas_unsupported",
    Kind.SYNTAX,
    "This is a HIBC Provider Applications Standard code ('+/'), used inside hospitals for "
    "patients and records. The station reads only supplier labels (HIBC LIC); it was not read.",
)
HIBC_BAD_LEAD = define(
    "hibc.bad_lead",
    Kind.SYNTAX,
    "A HIBC code starts with '+' and a labeler code (a letter) or secondary data (a digit or "
    "$), but character {at} is '{char}'. " + _RESCAN,
)
HIBC_PRIMARY_STRUCTURE = define(
    "hibc.primary_structure",
    Kind.SYNTAX,
    "The product part at character {at} is not labeler code (4 characters, first a letter) + "
    "product number (1-18 letters or digits) + unit of measure (1 digit): {reason}. " + _RESCAN,
)
HIBC_SECONDARY_STRUCTURE = define(
    "hibc.secondary_structure",
    Kind.SYNTAX,
    "The lot/expiry data at character {at} cannot be read: {reason}. " + _RESCAN,
)
HIBC_FIELD_CHARACTER = define(
    "hibc.field_character",
    Kind.CHECK,
    "The {what} at character {at} contains '{char}'; HIBC allows only A-Z and 0-9 there. "
    + _RESCAN,
)
HIBC_FIELD_LENGTH = define(
    "hibc.field_length",
    Kind.CHECK,
    "The {what} at character {at} is {length} characters long; HIBC allows at most {limit}. "
    "The label is encoded wrongly: report the label.",
)
HIBC_DUPLICATE = define(
    "hibc.duplicate",
    Kind.CHECK,
    "The code holds two different values for the {what} (characters {first} and {at}). The "
    "station cannot tell which is right: set the item aside and report the label.",
)
HIBC_CHECK_CHARACTER = define(
    "hibc.check_character",
    Kind.CHECK,
    "The check character is wrong (expected '{expected}', found '{found}') at character {at}. "
    "The label may be misprinted or misread: scan again; if it repeats, set the item aside.",
)
HIBC_LINK_MISMATCH = define(
    "hibc.link_mismatch",
    Kind.CHECK,
    "The lot label's link character '{found}' (character {at}) is not the product label's "
    "check character '{expected}': the two labels may be from different items. Scan both "
    "labels of the same item again.",
)
HIBC_BAD_DATE = define(
    "hibc.bad_date",
    Kind.CHECK,
    "The {what} '{value}' at character {at} is not a valid date: {reason}. Do not use this "
    "date; check the printed date on the label. " + _RESCAN,
)
HIBC_UNKNOWN_SUPPLEMENT = define(
    "hibc.unknown_supplement",
    Kind.NOTE,
    "Supplemental data '{value}' at character {at} is not one the station interprets "
    "(14D, 16D, S, Q); it is kept as it is.",
)
HIBC_TYPED_TEXT = define(
    "hibc.typed_text",
    Kind.NOTE,
    "Read from the printed text between asterisks (typed or pasted), not from a bar code.",
)
HIBC_NOT_PRIMARY = define(
    "hibc.not_a_primary",
    Kind.SYNTAX,
    "The first scan is not a readable HIBC product label (primary data only); the two scans "
    "cannot be joined. Scan the product label first, then the lot label.",
)
HIBC_NOT_SECONDARY = define(
    "hibc.not_a_secondary",
    Kind.SYNTAX,
    "The second scan is not a readable HIBC lot label (secondary data with a link "
    "character); the two scans cannot be joined. Scan the product label first, then the lot "
    "label.",
)

_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ALPHA = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_MOD43 = frozenset(MOD43_ALPHABET)
#: A supplemental field starts with an ANSI MH10.8.2 data identifier: up to 3 digits, a letter.
_SUPPLEMENT_DI = re.compile(r"\d{0,3}[A-Z]")
_LOT_LIMIT = 18
_JULIAN_LOT_LIMIT = 13  # 18 minus the five-digit Julian date in front of it

#: Date flag → (format name, digits after the flag). Flags 0 and 1 are the first digit of MMYY.
_DATE_FLAGS: dict[str, tuple[str, int]] = {
    "0": ("MMYY", 4),
    "1": ("MMYY", 4),
    "2": ("MMDDYY", 6),
    "3": ("YYMMDD", 6),
    "4": ("YYMMDDHH", 8),
    "5": ("YYJJJ", 5),
    "6": ("YYJJJHH", 7),
    "7": ("none", 0),
}
#: HIBC 2.6 supplemental dates (YYYYMMDD): identifier → (element key, what it is).
_DATED_SUPPLEMENTS = {
    "14D": ("expiry", "expiry date"),
    "16D": ("manufacture_date", "manufacture date"),
}
_UNIT_OF_MEASURE = {"0": "unit of use", "9": "variable quantity"}


def hibc_date(layout: str, digits: str, reference: date) -> tuple[date, int | None]:
    """The date (and hour, if any) that ``digits`` mean in a HIBC date ``layout``.

    Two-digit years use the sliding window around ``reference``. Raises DateRuleError.

    >>> from datetime import date
    >>> ref = date(2026, 11, 24)
    >>> hibc_date("MMYY", "0225", ref)  # month only: the last day of the month
    (datetime.date(2025, 2, 28), None)
    >>> hibc_date("MMDDYY", "013125", ref)
    (datetime.date(2025, 1, 31), None)
    >>> hibc_date("YYJJJHH", "2406023", ref)
    (datetime.date(2024, 2, 29), 23)
    >>> hibc_date("YYMMDDHH", "25013124", ref)
    Traceback (most recent call last):
    ...
    station.udi.dates.DateRuleError: hour 24 does not exist
    """
    if layout == "MMYY":
        # Day 00 in the GS1 rule is the last day of the month: the same meaning, reused.
        return yymmd0(digits[2:4] + digits[0:2] + "00", reference), None
    if layout == "MMDDYY":
        return yymmdd(digits[4:6] + digits[0:4], reference), None
    if layout == "YYMMDD":
        return yymmdd(digits, reference), None
    if layout == "YYMMDDHH":
        return yymmdd(digits[:6], reference), _hour(digits[6:])
    if layout == "YYJJJ":
        return yyjjj(digits, reference), None
    if layout == "YYJJJHH":
        return yyjjj(digits[:5], reference), _hour(digits[5:])
    msg = f"unknown date layout {layout}"
    raise DateRuleError(msg)


def _hour(digits: str) -> int:
    if len(digits) != 2 or not digits.isdigit() or int(digits) > 23:
        msg = f"hour {digits} does not exist"
        raise DateRuleError(msg)
    return int(digits)


def _describe_date(layout: str, value: date, hour: int | None) -> str:
    if layout == "MMYY":
        return f"{value:%Y-%m} (month only; read as the last day, {value.isoformat()})"
    if hour is not None:
        return f"{value.isoformat()}, hour {hour:02d} ({layout})"
    return f"{value.isoformat()} ({layout})"


@dataclass(slots=True)
class _Read:
    """One field value and where it was found, for duplicate detection."""

    value: object
    position: int


class _Reader:
    """Reads one HIBC body; ``base`` maps body indexes to ``scan.text`` indexes."""

    def __init__(self, draft: Draft, body: str, base: int, reference: date) -> None:
        self.draft = draft
        self.body = body
        self.base = base
        self.reference = reference
        self.di: str | None = None
        self.found: dict[str, _Read] = {}
        self.ambiguous: set[str] = set()  # fields given twice with different values

    # -- helpers --------------------------------------------------------------------------
    def at(self, index: int) -> int:
        return self.base + index

    def keep(self, name: str, what: str, value: object, index: int) -> None:
        """Record a field; a second, different value for it makes the code ambiguous."""
        earlier = self.found.get(name)
        if earlier is None:
            self.found[name] = _Read(value, self.at(index))
        elif earlier.value != value:
            self.ambiguous.add(name)  # the station cannot tell which value is right
            report_at(
                self.draft,
                HIBC_DUPLICATE,
                self.at(index),
                what=what,
                first=earlier.position + 1,
            )

    def value(self, name: str, kind: type[_T]) -> _T | None:
        read = self.found.get(name)
        if read is None or name in self.ambiguous or not isinstance(read.value, kind):
            return None
        return read.value

    def structure(self, index: int, reason: str) -> None:
        report_at(self.draft, HIBC_SECONDARY_STRUCTURE, self.at(index), reason=reason)

    # -- top level ------------------------------------------------------------------------
    def read(self) -> None:
        body, n = self.body, len(self.body)
        for index, char in enumerate(body):
            if char not in _MOD43:
                report_at(self.draft, HIBC_BAD_CHARACTER, self.at(index), char=shown(char))
                return
        if not body.startswith("+"):
            report_at(self.draft, HIBC_BAD_LEAD, self.at(0), char=shown(body[:1]))
        elif n < 4:
            report_at(self.draft, HIBC_TOO_SHORT, None, length=n)
        elif body[1] == "/":
            report_at(self.draft, HIBC_PAS_UNSUPPORTED, self.at(1))
        elif body[1] in _ALPHA:
            self.read_with_primary()
        elif body[1].isdigit() or body[1] == "$":
            self.read_secondary_label(0, n)
        else:
            report_at(self.draft, HIBC_BAD_LEAD, self.at(1), char=shown(body[1]))

    def read_with_primary(self) -> None:
        body, n = self.body, len(self.body)
        end = 1
        while end < n and body[end] in _ALNUM:
            end += 1
        # The primary data is alphanumeric, so the first other character decides the shape.
        if end == n:  # primary alone, its check character is a letter or digit
            if self.read_primary(1, n - 1):
                self.check(0, n - 1, "check")
            return
        mark = body[end]
        if mark == "/" and end < n - 1 and body[end + 1] != "+":
            if self.read_primary(1, end):  # concatenated: no primary check, one at the end
                self.read_segments(end + 1, n - 1)
                self.check(0, n - 1, "check")
            return
        if end == n - 1:  # primary alone whose check is one of - . space $ / + %
            if self.read_primary(1, end):
                self.check(0, end, "check")
            return
        if body[end + 1] == "+":  # the non-alphanumeric character is the primary's check
            self.read_pair(end + 1)
        elif mark == "+":  # the last alphanumeric character was the primary's check
            self.read_pair(end)
        else:
            report_at(
                self.draft,
                HIBC_PRIMARY_STRUCTURE,
                self.at(end + 1),
                reason=f"unexpected {body[end + 1 :]!r} after the check character",
            )

    def read_pair(self, split: int) -> None:
        """A primary label (``body[:split]``) followed by its stand-alone secondary label."""
        if not self.read_primary(1, split - 1):
            return
        self.check(0, split - 1, "check")
        if self.read_secondary_label(split, len(self.body)):
            link, expected = self.body[-2], self.body[split - 1]
            if link != expected:
                position = self.at(len(self.body) - 2)
                report_at(
                    self.draft,
                    HIBC_LINK_MISMATCH,
                    position,
                    found=shown(link),
                    expected=shown(expected),
                )

    def read_primary(self, start: int, end: int) -> bool:
        """LIC + PCN + unit of measure in ``body[start:end]``; True if it has that shape."""
        data = self.body[start:end]
        reason = None
        if not 6 <= len(data) <= 23:
            reason = f"it is {len(data)} characters long, not 6 to 23"
        elif data[0] not in _ALPHA:
            reason = f"the labeler code starts with {data[0]!r}, not a letter"
        elif not data[-1].isdigit():
            reason = f"the unit of measure is {data[-1]!r}, not a digit"
        if reason is not None:
            report_at(self.draft, HIBC_PRIMARY_STRUCTURE, self.at(start), reason=reason)
            return False
        self.draft.add("lic", "Labeler identification code (LIC)", data[:4], self.at(start))
        self.draft.add("pcn", "Product or catalogue number (PCN)", data[4:-1], self.at(start + 4))
        level = _UNIT_OF_MEASURE.get(data[-1], f"packaging level {data[-1]}")
        self.draft.add("uom", "Unit of measure", data[-1], self.at(end - 1), level)
        self.di = data
        return True

    def read_secondary_label(self, start: int, end: int) -> bool:
        """A stand-alone secondary in ``body[start:end]``: ``+`` data link check."""
        if end - start < 4:
            self.structure(start, "a secondary label needs '+', data, a link and a check character")
            return False
        self.read_segments(start + 1, end - 2)
        self.draft.add(
            "link",
            "Link character (primary's check character)",
            self.body[end - 2],
            self.at(end - 2),
        )
        self.check(start, end - 1, "check" if start == 0 else "secondary_check")
        return True

    def check(self, start: int, at: int, key: str) -> None:
        found, expected = self.body[at], mod43_check(self.body[start:at])
        verdict = "correct" if found == expected else f"wrong: expected {expected!r}"
        self.draft.add(key, "Check character (mod 43)", found, self.at(at), verdict)
        if found != expected:
            report_at(
                self.draft,
                HIBC_CHECK_CHARACTER,
                self.at(at),
                found=shown(found),
                expected=shown(expected),
            )

    # -- secondary data ---------------------------------------------------------------------
    def read_segments(self, start: int, end: int) -> None:
        """Secondary data and HIBC 2.6 supplements, separated by '/', in ``body[start:end]``."""
        if start >= end:
            self.structure(start, "there is no data after the product part")
            return
        index = start
        for segment in self.body[start:end].split("/"):
            self.read_segment(segment, index)
            index += len(segment) + 1

    def read_segment(self, segment: str, index: int) -> None:
        supplement = _SUPPLEMENT_DI.match(segment)
        if not segment:
            self.structure(index, "an empty field between two '/'")
        elif segment[0] == "$":
            self.read_dollar_lead(segment, index)
        elif len(segment) >= 5 and segment[:5].isdigit():
            self.read_julian_lead(segment, index)
        elif supplement is not None:
            self.read_supplement(supplement.group(), segment[supplement.end() :], index)
        else:
            self.structure(
                index, f"{segment!r} does not start with $, a 5-digit date or 14D/16D/S/Q"
            )

    def read_julian_lead(self, segment: str, index: int) -> None:
        self.read_date("YYJJJ", segment[:5], index)
        if len(segment) > 5:
            self.read_lot_or_serial(segment[5:], index + 5, serial=False, limit=_JULIAN_LOT_LIMIT)

    def read_dollar_lead(self, segment: str, index: int) -> None:
        """``$`` lot, ``$+`` serial, ``$$`` [qty][date] lot, ``$$+`` [qty][date] serial."""
        serial = segment.startswith(("$+", "$$+"))
        after = (2 if segment.startswith("$$") else 1) + (1 if serial else 0)
        carried = False  # a quantity or a date was read before the lot or serial
        if segment.startswith("$$"):
            read = self.read_quantity_and_date(segment, after, index)
            if read is None:
                return
            after, carried = read
        rest = segment[after:]
        if rest:
            self.read_lot_or_serial(rest, index + after, serial=serial, limit=_LOT_LIMIT)
        elif not carried:
            what = "serial number" if serial else "lot number"
            self.structure(index, f"{segment!r} carries no {what}")

    def read_quantity_and_date(self, segment: str, at: int, index: int) -> tuple[int, bool] | None:
        """Read ``[8QQ|9QQQQQ][date flag + date]`` at ``segment[at:]``.

        Returns the index after it and whether a quantity or date was there, or None if the
        structure is broken.
        """
        flag = segment[at : at + 1]
        if flag in ("8", "9"):
            width = 2 if flag == "8" else 5
            digits = segment[at + 1 : at + 1 + width]
            if len(digits) != width or not digits.isdigit():
                self.structure(index + at, f"quantity flag {flag} needs {width} digits")
                return None
            self.draft.add(
                "quantity", "Quantity", digits, self.at(index + at + 1), str(int(digits))
            )
            self.keep("quantity", "quantity", int(digits), index + at + 1)
            at += 1 + width
            if segment[at : at + 1] not in _DATE_FLAGS:  # after a quantity the date is optional
                return at, True
            after = self.read_date_field(segment, at, index)
            return None if after is None else (after, True)
        if flag not in _DATE_FLAGS:
            found = repr(flag) if flag else "nothing"
            self.structure(index + at, f"after '$$' a date flag 0-7 must follow, not {found}")
            return None
        after = self.read_date_field(segment, at, index)
        return None if after is None else (after, flag != "7")

    def read_date_field(self, segment: str, at: int, index: int) -> int | None:
        flag = segment[at]
        layout, width = _DATE_FLAGS[flag]
        if flag in "01":  # MMYY has no flag of its own: the flag is the first month digit
            start = at
        else:
            start = at + 1
            self.draft.add("date_format", "Date format flag", flag, self.at(index + at), layout)
        if width == 0:  # flag 7: no date, the lot or serial follows
            return start
        digits = segment[start : start + width]
        if len(digits) != width or not digits.isdigit():
            self.structure(index + start, f"date flag {flag} ({layout}) needs {width} digits")
            return None
        self.read_date(layout, digits, index + start)
        return start + width

    def read_date(self, layout: str, digits: str, index: int) -> None:
        try:
            value, hour = hibc_date(layout, digits, self.reference)
        except DateRuleError as exc:
            self.draft.add("expiry", "Expiry date", digits, self.at(index))
            report_at(
                self.draft,
                HIBC_BAD_DATE,
                self.at(index),
                what="expiry date",
                value=digits,
                reason=str(exc),
            )
            return
        self.draft.add(
            "expiry", "Expiry date", digits, self.at(index), _describe_date(layout, value, hour)
        )
        self.keep("expiry", "expiry date", value, index)

    def read_lot_or_serial(self, value: str, index: int, *, serial: bool, limit: int) -> None:
        what = "serial number" if serial else "lot number"
        for offset, char in enumerate(value):
            if char not in _ALNUM:
                position = self.at(index + offset)
                report_at(self.draft, HIBC_FIELD_CHARACTER, position, what=what, char=shown(char))
                return
        if len(value) > limit:
            report_at(
                self.draft,
                HIBC_FIELD_LENGTH,
                self.at(index),
                what=what,
                length=len(value),
                limit=limit,
            )
            return
        key = "serial" if serial else "lot"
        self.draft.add(key, what.capitalize(), value, self.at(index))
        self.keep(key, what, value, index)

    def read_supplement(self, identifier: str, value: str, index: int) -> None:
        """HIBC 2.6 supplemental data: ``14D`` expiry, ``16D`` manufacture date, ``S``, ``Q``."""
        start = index + len(identifier)
        if identifier in _DATED_SUPPLEMENTS:
            key, what = _DATED_SUPPLEMENTS[identifier]
            title = f"{what.capitalize()} ({identifier})"
            try:
                day = yyyymmdd(value)
            except DateRuleError as exc:
                self.draft.add(key, title, value, self.at(start))
                report_at(
                    self.draft,
                    HIBC_BAD_DATE,
                    self.at(start),
                    what=what,
                    value=value,
                    reason=str(exc),
                )
                return
            self.draft.add(key, title, value, self.at(start), day.isoformat())
            self.keep(key, what, day, start)
        elif identifier == "S":
            if not value:
                self.structure(index, "the serial number field 'S' is empty")
                return
            self.read_lot_or_serial(value, start, serial=True, limit=_LOT_LIMIT)
        elif identifier == "Q":
            if not value.isdigit():
                self.structure(index, f"the quantity field 'Q' needs digits, not {value!r}")
                return
            self.draft.add("quantity", "Quantity (Q)", value, self.at(start), str(int(value)))
            self.keep("quantity", "quantity", int(value), start)
        else:
            # Kept, but held to the HIBC field alphabet: a '+' or '$' here means the shape was
            # misread (e.g. a '/' read inside a 1D pair), and an uninterpreted field must not
            # swallow it.
            bad = next((i for i, c in enumerate(value) if c not in _ALNUM), None)
            if bad is not None:
                position = self.at(start + bad)
                char = shown(value[bad])
                what = "supplemental data"
                report_at(self.draft, HIBC_FIELD_CHARACTER, position, what=what, char=char)
                return
            segment = identifier + value
            self.draft.add("supplement", f"Supplemental data {identifier}", segment, self.at(index))
            report_at(self.draft, HIBC_UNKNOWN_SUPPLEMENT, self.at(index), value=segment)

    # -- result ---------------------------------------------------------------------------
    def finish(self) -> ParsedCode:
        # The mod-43 check covers every character, so when it fails no field can be trusted:
        # the elements still show what was read, but nothing becomes a record field.
        unreliable = any(
            (i.kind is Kind.SYNTAX and i.is_error) or i.code == HIBC_CHECK_CHARACTER.code
            for i in self.draft.issues
        )
        if unreliable:
            return self.draft.finish()
        return self.draft.finish(
            di=self.di,
            lot=self.value("lot", str),
            serial=self.value("serial", str),
            expiry=self.value("expiry", date),
            production_date=self.value("manufacture_date", date),
            quantity=self.value("quantity", int),
        )


def parse_hibc(scan: ScanInput) -> ParsedCode:
    """Read a HIBC LIC scan (``scan.text`` starts with ``+``, or ``*+`` for typed text)."""
    draft = Draft(scan.raw, scan.symbology, scan.text, Scheme.HIBC, [], list(scan.issues))
    body, base = scan.text, 0
    if len(body) >= 3 and body[0] == "*" and body[-1] == "*":
        body, base = body[1:-1], 1
        draft.report(HIBC_TYPED_TEXT)
    reader = _Reader(draft, body, base, scan.config.reference_date())
    reader.read()
    return reader.finish()


def _moved(element: Element, offset: int) -> Element:
    """The secondary's element, placed after the primary; its check becomes ``secondary_check``."""
    key = "secondary_check" if element.key == "check" else element.key
    return replace(element, key=key, start=element.start + offset)


def _shifted(issue: Issue, offset: int) -> Issue:
    # A HIBC duplicate also quotes the earlier field's character number ({first}).
    return moved(issue, offset, positions=("at", "first"))


def combine_hibc(primary: ParsedCode, secondary: ParsedCode) -> ParsedCode:
    """Join a primary label and its stand-alone secondary label, scanned one after the other.

    The result reads as if both labels were one scan: ``text`` is the two texts joined and the
    secondary's positions move by the primary's length. The secondary's link character must be
    the primary's check character.
    """
    offset = len(primary.text)
    draft = Draft(
        primary.raw + secondary.raw,
        primary.symbology,
        primary.text + secondary.text,
        Scheme.HIBC,
        [*primary.elements, *(_moved(e, offset) for e in secondary.elements)],
        [*primary.issues, *(_shifted(i, offset) for i in secondary.issues)],
    )
    p_fields, s_fields = primary.fields, secondary.fields
    is_primary = (
        primary.scheme is Scheme.HIBC
        and "lic" in p_fields
        and "link" not in p_fields
        and not any(k in p_fields for k in ("lot", "serial", "expiry", "quantity"))
    )
    is_secondary = (
        secondary.scheme is Scheme.HIBC
        and "link" in s_fields
        and "lic" not in s_fields
        and secondary.status is not Status.UNPARSEABLE
    )
    if not is_primary:
        report_at(draft, HIBC_NOT_PRIMARY, 0)
    if not is_secondary:
        report_at(draft, HIBC_NOT_SECONDARY, offset)
    if not (is_primary and is_secondary):
        return draft.finish()
    link = next(e for e in secondary.elements if e.key == "link")
    if link.value != p_fields["check"]:
        position = link.start + offset
        report_at(
            draft,
            HIBC_LINK_MISMATCH,
            position,
            found=link.value,
            expected=p_fields["check"],
        )
        return draft.finish()  # the two labels do not belong together: record nothing
    return draft.finish(
        di=primary.di,
        lot=secondary.lot,
        serial=secondary.serial,
        expiry=secondary.expiry,
        production_date=secondary.production_date,
        quantity=secondary.quantity,
    )
