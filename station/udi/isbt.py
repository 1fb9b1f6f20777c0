"""ISBT 128 reader for medical devices of human origin and blood containers (codes.md §4).

An ISBT 128 data structure is a data identifier (``=`` or ``&`` and one or two more characters)
followed by content of a **fixed** length. Structures may be concatenated in one scan (AIM
``]C4``, or a 2-D symbol with a compound message ``=+``) with no separator, so a structure whose
length is unknown stops the reading: guessing a length could split a lot wrongly.

Structures read (ICCBBA ST-001 data structure numbers; lengths from the AccessGUDID and HL7
examples and from ST-001/ST-017 as quoted by open implementations, see ``tests/data/README.md``):

====  ==========  =================================================  ======
No.   Identifier  Meaning                                            Length
====  ==========  =================================================  ======
001   ``=α``      donation identification number (DIN)                 15
002   ``=%``      blood groups (ABO and RhD)                            4
003   ``=<``      product code                                          8
004   ``=>``      expiration date ``cyyjjj``                            6
005   ``&>``      expiration date and time ``cyyjjjhhmm``              10
006   ``=*``      collection date                                       6
007   ``&*``      collection date and time                             10
008   ``=}``      production date                                       6
009   ``&}``      production date and time                             10
017   ``=)``      container manufacturer and catalogue number (DI)     10
018   ``&)``      container lot number                                 10
023   ``=+``      compound message header                               5
032   ``=,``      product divisions (the UDI serial number)             6
034   ``=/``      processor product identification code (UDI-DI)      16
035   ``&,1``     MPHO lot number                                      18
====  ==========  =================================================  ======

The DIN's keyboard check character (ISO 7064 mod 37-2) is printed beside the code but not
encoded; when the DIN flags are 60–96 they carry it, and then it is verified.

Dates ``cyyjjj``: ``c`` is the century counted from 2000 (the ST-012 example ``&>0183652359`` is
2018-12-31 23:59). Only ``c = 0`` (2000–2099) is accepted; any other digit is reported.

>>> from station.udi.normalize import normalize
>>> code = parse_isbt128(normalize(
...     "=/A9999XYZ100T0944=,000025=A99971312345600=>014032=}013032&,1000000000000XYZ123"))
>>> code.valid, code.di, code.serial, code.lot, str(code.expiry), str(code.production_date)
(True, 'A9999XYZ100T0944', '000025', '000000000000XYZ123', '2014-02-01', '2013-02-01')
>>> code.fields["="]
'A99971312345600'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from station.udi.dates import DateRuleError, hhmi, julian_date
from station.udi.model import Draft, Kind, ParsedCode, Scheme, define
from station.udi.report import report_at, shown

if TYPE_CHECKING:
    from collections.abc import Callable

    from station.udi.normalize import ScanInput

_RESCAN = "Scan again; if it repeats, set the item aside and report the label."

ISBT_UNEXPECTED_CHARACTER = define(
    "isbt.unexpected_character",
    Kind.SYNTAX,
    "At character {at} an ISBT 128 data identifier (starting with = or &) should begin, but "
    "the scan has '{char}'. " + _RESCAN,
)
ISBT_UNKNOWN_IDENTIFIER = define(
    "isbt.unknown_identifier",
    Kind.SYNTAX,
    "The ISBT 128 data identifier '{identifier}' at character {at} is not one the station "
    "reads. Its length is unknown, so the rest of the code was not read. Report the label.",
)
ISBT_TRUNCATED = define(
    "isbt.truncated",
    Kind.SYNTAX,
    "The {title} at character {at} needs {length} characters but only {available} were "
    "scanned. Scan the whole code again.",
)
ISBT_BAD_CONTENT = define(
    "isbt.bad_content",
    Kind.CHECK,
    "The {title} at character {at} ('{value}') is not in the required form ({form}). " + _RESCAN,
)
ISBT_BAD_DATE = define(
    "isbt.bad_date",
    Kind.CHECK,
    "The {title} '{value}' at character {at} is not a valid date: {reason}. Do not use this "
    "date; check the printed date on the label. " + _RESCAN,
)
ISBT_DUPLICATE = define(
    "isbt.duplicate",
    Kind.CHECK,
    "The code holds two different values for the {what} (characters {first} and {at}). The "
    "station cannot tell which is right: set the item aside and report the label.",
)
ISBT_DIN_CHECK = define(
    "isbt.din_check",
    Kind.CHECK,
    "The donation number's flags '{flags}' at character {at} carry check value {found}, but "
    "the number needs {expected} (mod 37-2). The label may be misprinted or misread: scan "
    "again; if it repeats, set the item aside.",
)
ISBT_COMPOUND_COUNT = define(
    "isbt.compound_count",
    Kind.CHECK,
    "The compound message at character {at} announces {declared} data structures but "
    "{found} follow. Part of the code may be missing: scan it again.",
)
ISBT_NO_DEVICE_IDENTIFIER = define(
    "isbt.no_device_identifier",
    Kind.NOTE,
    "This ISBT 128 code has no product identifier (=/ or =)): it is not a complete UDI. Also "
    "scan the product code on the label.",
)

#: ISO 7064 mod 37-2 alphabet (ICCBBA ST-001 Appendix A).
_MOD37_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
#: A DIN starts with '=' and a facility letter or digit: A-N, P-Z, 1-9 (no O, no 0).
_DIN_LEAD = frozenset("ABCDEFGHIJKLMNPQRSTUVWXYZ123456789")


def din_check_character(din13: str) -> str:
    """The ISO 7064 mod 37-2 keyboard check character of the first 13 DIN characters.

    >>> din_check_character("G123417654321")  # ICCBBA ST-001 Appendix A example
    'A'
    """
    total = 0
    for char in din13:
        total = ((total + _MOD37_ALPHABET.index(char)) * 2) % 37
    return _MOD37_ALPHABET[(38 - total) % 37]


def cyyjjj(content: str) -> date:
    """An ISBT 128 ``cyyjjj`` date; ``c`` counts centuries from 2000. Raises DateRuleError.

    >>> cyyjjj("014032"), cyyjjj("018365")
    (datetime.date(2014, 2, 1), datetime.date(2018, 12, 31))
    """
    if len(content) != 6 or not content.isascii() or not content.isdigit():
        msg = "expected 6 digits"
        raise DateRuleError(msg)
    if content[0] != "0":
        msg = f"century digit {content[0]} would mean a year after 2099"
        raise DateRuleError(msg)
    return julian_date(2000 + int(content[1:3]), int(content[3:6]))


def _describe_ppic(value: str) -> str:
    return f"facility {value[:5]}, product code {value[5:11]}, description code {value[11:]}"


def _describe_din(value: str) -> str:
    return f"facility {value[:5]}, year 20{value[5:7]}, sequence {value[7:13]}, flags {value[13:]}"


def _describe_compound(value: str) -> str:
    sequence = "any order" if value[2:] == "000" else f"specified sequence {value[2:]}"
    return f"{int(value[:2])} data structures follow, {sequence}"


def _describe_container(value: str) -> str:
    return f"container {value[0]}, manufacturer {value[1:3]}, catalogue number {value[3:]}"


@dataclass(frozen=True, slots=True)
class _Structure:
    """One ISBT 128 data structure: identifier, fixed content length and content form."""

    identifier: str
    title: str
    length: int
    form: str
    pattern: re.Pattern[str]
    field: str | None = None  # the ParsedCode field it fills: di, serial, lot, expiry, production
    timed: bool = False  # content is cyyjjjhhmm
    describe: Callable[[str], str] | None = None


def _kind(
    identifier: str,
    title: str,
    length: int,
    form: str,
    pattern: str,
    *,
    field: str | None = None,
    timed: bool = False,
    describe: Callable[[str], str] | None = None,
) -> _Structure:
    return _Structure(identifier, title, length, form, re.compile(pattern), field, timed, describe)


_ALNUM = "[A-Z0-9]"
_STRUCTURES: dict[str, _Structure] = {
    s.identifier: s
    for s in (
        _kind(
            "=",
            "donation identification number (DIN)",
            15,
            "facility letter or digit, 4 digits, 2-digit year, 6-digit sequence, 2 flag digits",
            r"[A-NP-Z1-9][0-9]{14}",
            describe=_describe_din,
        ),
        _kind("=%", "blood groups", 4, "4 letters or digits", _ALNUM + "{4}"),
        _kind("=<", "product code", 8, "8 letters or digits", _ALNUM + "{8}"),
        _kind("=>", "expiration date", 6, "cyyjjj", "[0-9]{6}", field="expiry"),
        _kind(
            "&>",
            "expiration date and time",
            10,
            "cyyjjjhhmm",
            "[0-9]{10}",
            field="expiry",
            timed=True,
        ),
        _kind("=*", "collection date", 6, "cyyjjj", "[0-9]{6}"),
        _kind("&*", "collection date and time", 10, "cyyjjjhhmm", "[0-9]{10}", timed=True),
        _kind("=}", "production date", 6, "cyyjjj", "[0-9]{6}", field="production"),
        _kind(
            "&}",
            "production date and time",
            10,
            "cyyjjjhhmm",
            "[0-9]{10}",
            field="production",
            timed=True,
        ),
        _kind(
            "=)",
            "container manufacturer and catalogue number (UDI-DI)",
            10,
            "container character, 2-character manufacturer, 7-character catalogue number",
            "[A-Za-z0-9]" + _ALNUM + "{9}",
            field="di",
            describe=_describe_container,
        ),
        _kind(
            "&)", "container lot number", 10, "10 letters or digits", _ALNUM + "{10}", field="lot"
        ),
        _kind("=+", "compound message", 5, "5 digits", "[0-9]{5}", describe=_describe_compound),
        _kind(
            "=,",
            "product divisions (serial number)",
            6,
            "6 letters or digits",
            _ALNUM + "{6}",
            field="serial",
        ),
        _kind(
            "=/",
            "processor product identification code (UDI-DI)",
            16,
            "5-character facility (no letter O), 6-character product code, 5-character description",
            "[A-NP-Z0-9]{5}" + _ALNUM + "{11}",
            field="di",
            describe=_describe_ppic,
        ),
        _kind("&,1", "MPHO lot number", 18, "18 letters or digits", _ALNUM + "{18}", field="lot"),
    )
}

#: Element titles by data identifier, as the elements show them (the UI translates these).
FIELD_TITLES: dict[str, str] = {s.identifier: s.title.capitalize() for s in _STRUCTURES.values()}


_FIELD_NAMES = {
    "di": "product identifier",
    "lot": "lot number",
    "serial": "serial number",
    "expiry": "expiration date",
    "production": "production date",
}


def _identify(text: str, index: int) -> _Structure | None:
    """The structure whose identifier starts at ``text[index]`` (longest identifier first)."""
    for size in (3, 2):
        structure = _STRUCTURES.get(text[index : index + size])
        if structure is not None:
            return structure
    if text[index] == "=" and text[index + 1 : index + 2] in _DIN_LEAD:
        return _STRUCTURES["="]
    return None


class _Reader:
    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.found: dict[str, tuple[object, int]] = {}
        self.ambiguous: set[str] = set()  # fields given twice with different values
        self.seen: set[str] = set()  # identifiers read, even with a bad value
        self.structures = 0
        self.compound: tuple[int, int, int] | None = None  # (declared, position, count before)

    def keep(self, structure: _Structure, value: object, position: int) -> None:
        """Record a value; the same field twice with different values makes the code ambiguous.

        ``=>`` and ``&>`` both give the expiry (``=}``/``&}`` the production date, ``=/``/``=)``
        the DI): they must agree. Structures that fill no field are compared by identifier.
        """
        field = structure.field or structure.identifier
        earlier = self.found.get(field)
        if earlier is None:
            self.found[field] = (value, position)
        elif earlier[0] != value:
            self.ambiguous.add(field)  # the station cannot tell which value is right
            what = _FIELD_NAMES.get(field, structure.title)
            report_at(self.draft, ISBT_DUPLICATE, position, what=what, first=earlier[1] + 1)

    def get(self, field: str) -> tuple[object, int] | None:
        """The value of a record field, unless it was given twice with different values."""
        return None if field in self.ambiguous else self.found.get(field)

    def read(self, text: str) -> None:
        if not text:
            report_at(self.draft, ISBT_UNEXPECTED_CHARACTER, 0, char="")
            return
        index = 0
        while index < len(text):
            if text[index] not in "=&":
                report_at(self.draft, ISBT_UNEXPECTED_CHARACTER, index, char=shown(text[index]))
                return
            structure = _identify(text, index)
            if structure is None:
                identifier = text[index : index + 2]
                report_at(self.draft, ISBT_UNKNOWN_IDENTIFIER, index, identifier=identifier)
                return
            # The DIN's second identifier character is also the first character of its content.
            start = index + (1 if structure.identifier == "=" else len(structure.identifier))
            content = text[start : start + structure.length]
            if len(content) < structure.length:
                report_at(
                    self.draft,
                    ISBT_TRUNCATED,
                    start,
                    title=structure.title,
                    length=structure.length,
                    available=len(content),
                )
                return
            self.read_structure(structure, content, start)
            index = start + structure.length

    def read_structure(self, structure: _Structure, content: str, start: int) -> None:
        self.structures += 1
        self.seen.add(structure.identifier)
        if not structure.pattern.fullmatch(content):
            self.draft.add(structure.identifier, structure.title.capitalize(), content, start)
            report_at(
                self.draft,
                ISBT_BAD_CONTENT,
                start,
                title=structure.title,
                value=shown(content),
                form=structure.form,
            )
            return
        if structure.form.startswith("cyyjjj"):
            self.read_date(structure, content, start)
            return
        describe = structure.describe(content) if structure.describe else None
        self.draft.add(structure.identifier, structure.title.capitalize(), content, start, describe)
        if structure.identifier == "=":
            self.check_din(content, start)
        elif structure.identifier == "=+":
            self.compound = (int(content[:2]), start - 2, self.structures)
        self.keep(structure, content, start)

    def read_date(self, structure: _Structure, content: str, start: int) -> None:
        title = structure.title.capitalize()
        try:
            day = cyyjjj(content[:6])
            time = hhmi(content[6:]) if structure.timed else None
        except DateRuleError as exc:
            self.draft.add(structure.identifier, title, content, start)
            report_at(
                self.draft,
                ISBT_BAD_DATE,
                start,
                title=structure.title,
                value=shown(content),
                reason=str(exc),
            )
            return
        reading = (
            day.isoformat() if time is None else f"{day.isoformat()} {time[0]:02d}:{time[1]:02d}"
        )
        self.draft.add(structure.identifier, title, content, start, reading)
        self.keep(structure, day, start)

    def check_din(self, content: str, start: int) -> None:
        """Flags 60–96 carry the mod 37-2 check character as 60 + its value (ST-001 Table 3)."""
        flags = int(content[13:15])
        if 60 <= flags <= 96:
            expected = _MOD37_ALPHABET.index(din_check_character(content[:13]))
            if flags - 60 != expected:
                report_at(
                    self.draft,
                    ISBT_DIN_CHECK,
                    start + 13,
                    flags=content[13:15],
                    found=flags - 60,
                    expected=expected,
                )

    def check_compound(self) -> None:
        if self.compound is not None:
            declared, position, before = self.compound
            following = self.structures - before
            if following != declared:
                report_at(
                    self.draft,
                    ISBT_COMPOUND_COUNT,
                    position,
                    declared=declared,
                    found=following,
                )


def parse_isbt128(scan: ScanInput) -> ParsedCode:
    """Read one or more concatenated ISBT 128 data structures from ``scan.text``."""
    draft = Draft(scan.raw, scan.symbology, scan.text, Scheme.ISBT128, [], list(scan.issues))
    reader = _Reader(draft)
    reader.read(scan.text)
    reader.check_compound()
    if any(i.kind is Kind.SYNTAX and i.is_error for i in draft.issues):
        return draft.finish()  # never hand out fields of a code that could not be read whole
    di, lot, serial = reader.get("di"), reader.get("lot"), reader.get("serial")
    expiry, production = reader.get("expiry"), reader.get("production")
    if not reader.seen & {"=/", "=)"}:
        draft.report(ISBT_NO_DEVICE_IDENTIFIER)
    return draft.finish(
        di=_text(di),
        lot=_text(lot),
        serial=_text(serial),
        expiry=_day(expiry),
        production_date=_day(production),
    )


def _text(read: tuple[object, int] | None) -> str | None:
    return read[0] if read is not None and isinstance(read[0], str) else None


def _day(read: tuple[object, int] | None) -> date | None:
    return read[0] if read is not None and isinstance(read[0], date) else None
