"""China MA code (ZIIOT "IDcode") reader: structure only (codes.md §6).

``MA.156.M0.<registrant>.<product>`` is the device identifier; production identifiers follow as
dot-separated segments, each one letter and a value:

=====  ================================================  =========
Mark   Meaning                                            Form
=====  ================================================  =========
``L``  lot                                                text
``S``  serial number                                      text
``M``  manufacture date                                   YYMMDD
``D``  sterilisation lot                                  text
``V``  validity date (有效期)                              YYMMDD
``E``  expiry date (失效日期)                              YYMMDD
``P``  production date (older codes)                      YYMMDD
``C``  check character(s), always last                    text
=====  ================================================  =========

The layout comes from agency FAQs and samples (see ``tests/data/README.md``), not from the
standard text. The check characters are **not** verified: the one public algorithm fails on
real samples, and codes are issued by the agency's interface. Unknown segment letters are kept
as elements with a note. Values may hold letters (either case), digits, ``-`` and ``_``.

>>> from datetime import date
>>> from station.udi.normalize import ReaderConfig, normalize
>>> scan = normalize("MA.156.M0.100761.21234561.Sx00008.M220117.L20220117.D20220118"
...                  ".E220130.V220117.C3", ReaderConfig(today=date(2026, 11, 24)))
>>> code = parse_ma(scan)
>>> code.valid, code.di, code.lot, code.serial, str(code.expiry), str(code.production_date)
(True, 'MA.156.M0.100761.21234561', '20220117', 'x00008', '2022-01-30', '2022-01-17')
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from station.udi.dates import DateRuleError, yymmdd
from station.udi.model import Draft, Kind, ParsedCode, Scheme, define
from station.udi.report import report_at, shown

if TYPE_CHECKING:
    from station.udi.normalize import ScanInput

_RESCAN = "Scan again; if it repeats, set the item aside and report the label."

MA_STRUCTURE = define(
    "ma.structure",
    Kind.SYNTAX,
    "The MA code cannot be read at character {at}: {reason}. " + _RESCAN,
)
MA_BAD_VALUE = define(
    "ma.bad_value",
    Kind.CHECK,
    "Segment .{mark} at character {at} holds '{value}'; MA values are letters, digits, - and "
    "_. " + _RESCAN,
)
MA_BAD_DATE = define(
    "ma.bad_date",
    Kind.CHECK,
    "The {title} '{value}' at character {at} is not a valid date: {reason}. Do not use this "
    "date; check the printed date on the label. " + _RESCAN,
)
MA_DUPLICATE = define(
    "ma.duplicate",
    Kind.CHECK,
    "Segment .{mark} at character {at} contradicts the value at character {first}. The "
    "station cannot tell which is right: set the item aside and report the label.",
)
MA_UNKNOWN_SEGMENT = define(
    "ma.unknown_segment",
    Kind.NOTE,
    "Segment .{mark} at character {at} is not one the station interprets; it is kept as it is.",
)
MA_CHECK_NOT_VERIFIED = define(
    "ma.check_not_verified",
    Kind.NOTE,
    "The MA check character was not verified: no reliable public algorithm exists. Only the "
    "code's structure was checked.",
)
MA_OTHER_COUNTRY = define(
    "ma.other_country",
    Kind.NOTE,
    "This MA code was issued for country code {country}, not China (156).",
)

#: ``MA.<country>.M<digit>.<registrant>.<product>``; registrant and product from the samples.
_DEVICE_IDENTIFIER = re.compile(r"MA\.([0-9]{3})\.(M[0-9])\.([0-9]{6})\.([0-9A-Za-z]+)")
_VALUE = re.compile(r"[0-9A-Za-z_-]+")
#: Segment letter → (key, title, is a YYMMDD date, ParsedCode field it fills).
_SEGMENTS: dict[str, tuple[str, str, bool, str | None]] = {
    "L": ("lot", "Lot number", False, "lot"),
    "S": ("serial", "Serial number", False, "serial"),
    "M": ("manufacture_date", "Manufacture date", True, "production"),
    "D": ("sterilisation_lot", "Sterilisation lot", False, None),
    "V": ("validity_date", "Validity date", True, None),
    "E": ("expiry", "Expiry date", True, "expiry"),
    "P": ("production_date", "Production date (older codes)", True, "production"),
    "C": ("check", "Check character", False, None),
}


class _Reader:
    def __init__(self, draft: Draft, reference: date) -> None:
        self.draft = draft
        self.reference = reference
        self.found: dict[str, tuple[object, int]] = {}
        self.ambiguous: set[str] = set()  # fields given twice with different values
        self.marks: dict[str, tuple[str, int]] = {}

    def keep(self, mark: str, field: str, value: object, index: int) -> None:
        """Record a field; .M and .P both give the production date and must agree."""
        earlier = self.found.get(field)
        if earlier is None:
            self.found[field] = (value, index)
        elif earlier[0] != value:
            self.ambiguous.add(field)  # the station cannot tell which value is right
            report_at(self.draft, MA_DUPLICATE, index, mark=mark, first=earlier[1] + 1)

    def read_segment(self, segment: str, index: int) -> None:
        mark, value, at = segment[:1], segment[1:], index + 1
        if not "A" <= mark <= "Z":
            reason = f"segment '{shown(segment)}' does not start with a capital letter"
            report_at(self.draft, MA_STRUCTURE, index, reason=reason)
            return
        if not value:
            report_at(self.draft, MA_STRUCTURE, at, reason=f"segment .{mark} has no value")
            return
        if not _VALUE.fullmatch(value):
            report_at(self.draft, MA_BAD_VALUE, at, mark=mark, value=shown(value))
            return
        earlier = self.marks.get(mark)
        if earlier is not None:
            if earlier[0] != value:
                field = _SEGMENTS[mark][3] if mark in _SEGMENTS else None
                if field is not None:
                    self.ambiguous.add(field)  # the station cannot tell which is right
                report_at(self.draft, MA_DUPLICATE, at, mark=mark, first=earlier[1] + 1)
            return
        self.marks[mark] = (value, at)
        known = _SEGMENTS.get(mark)
        if known is None:
            self.draft.add(f"segment_{mark}", f"Segment .{mark}", value, at)
            report_at(self.draft, MA_UNKNOWN_SEGMENT, index, mark=mark)
            return
        key, title, is_date, field = known
        if not is_date:
            reading = "not verified (no reliable public algorithm)" if mark == "C" else None
            self.draft.add(key, title, value, at, reading)
            if field is not None:
                self.keep(mark, field, value, at)
            return
        try:
            day = yymmdd(value, self.reference)
        except DateRuleError as exc:
            self.draft.add(key, title, value, at)
            report_at(
                self.draft,
                MA_BAD_DATE,
                at,
                title=title.lower(),
                value=shown(value),
                reason=str(exc),
            )
            return
        self.draft.add(key, title, value, at, day.isoformat())
        if field is not None:
            self.keep(mark, field, day, at)

    def text(self, field: str) -> str | None:
        read = None if field in self.ambiguous else self.found.get(field)
        return read[0] if read is not None and isinstance(read[0], str) else None

    def day(self, field: str) -> date | None:
        read = None if field in self.ambiguous else self.found.get(field)
        return read[0] if read is not None and isinstance(read[0], date) else None


def parse_ma(scan: ScanInput) -> ParsedCode:
    """Read a China MA code (``scan.text`` starts with ``MA.``)."""
    text = scan.text
    draft = Draft(scan.raw, scan.symbology, text, Scheme.MA, [], list(scan.issues))
    head = _DEVICE_IDENTIFIER.match(text)
    if head is None or (head.end() < len(text) and text[head.end()] != "."):
        report_at(
            draft,
            MA_STRUCTURE,
            0,
            reason="it does not start with MA.<3-digit country>.M<digit>.<6-digit registrant>"
            ".<product code of letters and digits>",
        )
        return draft.finish()
    country, kind, registrant, product = head.groups()
    di = head.group()
    draft.add("di", "Device identifier (MA)", di, 0)
    draft.add("country", "Country code", country, head.start(1))
    draft.add("code_type", "Code type", kind, head.start(2))
    draft.add("registrant", "Registrant code", registrant, head.start(3))
    draft.add("product", "Product code", product, head.start(4))
    if country != "156":
        report_at(draft, MA_OTHER_COUNTRY, head.start(1), country=country)
    reader = _Reader(draft, scan.config.reference_date())
    index = head.end()
    segments = text[index + 1 :].split(".") if index < len(text) else []
    for number, segment in enumerate(segments):
        at = index + 1
        if not segment:
            report_at(draft, MA_STRUCTURE, at, reason="an empty segment ('..' or a final '.')")
        elif segment[0] == "C" and number != len(segments) - 1:
            report_at(draft, MA_STRUCTURE, at, reason="the check segment .C must be last")
        else:
            reader.read_segment(segment, at)
        index = at + len(segment)
    if "C" in reader.marks:
        draft.report(MA_CHECK_NOT_VERIFIED)
    if any(i.kind is Kind.SYNTAX and i.is_error for i in draft.issues):
        return draft.finish()  # never hand out fields of a code that could not be read whole
    return draft.finish(
        di=di,
        lot=reader.text("lot"),
        serial=reader.text("serial"),
        expiry=reader.day("expiry"),
        production_date=reader.day("production"),
    )
