"""IFA Pharmacy Product Number (PPN) data in an ISO/IEC 15434 format-06 envelope (codes.md §5).

Format 06 carries ANSI MH10.8.2 data identifiers (DIs): up to three digits and a letter, then the
value; fields are separated by GS. The rules for the DIs used on medicine and device packs come
from the securPharm coding rules (v2.03, Annex A), which point to the IFA specification:

====  =====================  ==========================================================
DI    Meaning                Form
====  =====================  ==========================================================
9N    PPN (product code)     4–22 of 0-9 A-Z; the last two digits are the check digits
8P    GTIN / NTIN            14 digits with a GS1 check digit; may repeat (multi-market)
1T    lot                    1–20 characters of GS1 character set 82
S     serial number          1–20 characters of GS1 character set 82
D     expiry date            YYMMDD in 2000–2099; day 00 = month only (last day)
16D   manufacture date       YYYYMMDD
Q     quantity               digits
====  =====================  ==========================================================

Other DIs are kept as elements, uninterpreted, with a note.

>>> ppn_check_digits("1112345678")  # securPharm's example PPN 111234567842
'42'
>>> ppn_expiry("210600")  # "Verfalldatum Juni 2021"
datetime.date(2021, 6, 30)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from station.udi.checks import gs1_check_digit, gs1_check_digit_ok
from station.udi.dates import DateRuleError, yymmd0, yyyymmdd
from station.udi.model import Kind, define
from station.udi.normalize import GS
from station.udi.report import report_at, shown

if TYPE_CHECKING:
    from collections.abc import Callable

    from station.udi.model import Draft

_RESCAN = "Scan again; if it repeats, set the item aside and report the label."

PPN_CHECK_DIGITS = define(
    "ppn.check_digits",
    Kind.CHECK,
    "The PPN check digits are wrong (expected {expected}, found {found}) at character {at}. "
    "The label may be misprinted or misread: scan again; if it repeats, set the item aside.",
)
PPN_GTIN_CHECK_DIGIT = define(
    "ppn.gtin_check_digit",
    Kind.CHECK,
    "The GTIN check digit is wrong (expected {expected}, found {found}) at character {at}. "
    "The label may be misprinted or misread: scan again; if it repeats, set the item aside.",
)
PPN_BAD_FIELD = define(
    "ppn.bad_field",
    Kind.SYNTAX,
    "The field at character {at} ('{value}') does not start with a data identifier (digits "
    "and a capital letter, such as 1T). " + _RESCAN,
)
PPN_BAD_VALUE = define(
    "ppn.bad_value",
    Kind.CHECK,
    "The {title} at character {at} ('{value}') is not in the required form ({form}). " + _RESCAN,
)
PPN_BAD_DATE = define(
    "ppn.bad_date",
    Kind.CHECK,
    "The {title} '{value}' at character {at} is not a valid date: {reason}. Do not use this "
    "date; check the printed date on the pack. " + _RESCAN,
)
PPN_DUPLICATE = define(
    "ppn.duplicate",
    Kind.CHECK,
    "Data identifier {identifier} appears twice with different values (characters {first} "
    "and {at}). The station cannot tell which is right: set the item aside and report the "
    "label.",
)
PPN_NO_PRODUCT_CODE = define(
    "ppn.no_product_code",
    Kind.CHECK,
    "The code has no product code (9N PPN or 8P GTIN), so the product cannot be identified. "
    "Scan the pack's other code or report it.",
)
PPN_UNKNOWN_IDENTIFIER = define(
    "ppn.unknown_identifier",
    Kind.NOTE,
    "Data identifier {identifier} at character {at} is not one the station interprets; its "
    "value is kept as it is.",
)
PPN_EMPTY_FIELD = define(
    "ppn.empty_field",
    Kind.NOTE,
    "An empty field (two separators in a row, or one at the end) at character {at} was skipped.",
)
PPN_SEVERAL_GTINS = define(
    "ppn.several_gtins",
    Kind.NOTE,
    "The code carries {count} GTINs (a multi-market pack); the first one is shown as the GTIN.",
)

#: GS1 AI encodable character set 82: what securPharm allows technically in lots and serials.
CSET82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
_DATA_IDENTIFIER = re.compile(r"[0-9]{0,3}[A-Z]")
_PPN = re.compile(r"[0-9A-Z]{2,20}[0-9]{2}")
#: The GS1 sliding window centred on 2049 maps every two-digit year into 2000–2099.
_CENTURY_2000 = date(2049, 1, 1)

_TITLES = {
    "9N": "PPN (Pharmacy Product Number)",
    "8P": "GTIN",
    "1T": "Lot number",
    "S": "Serial number",
    "D": "Expiry date",
    "16D": "Manufacture date",
    "Q": "Quantity",
}
#: How messages name each value.
_WHAT = {
    "9N": "PPN",
    "8P": "GTIN",
    "1T": "lot number",
    "S": "serial number",
    "D": "expiry date",
    "16D": "manufacture date",
    "Q": "quantity",
}


def ppn_check_digits(data: str) -> str:
    """IFA PPN check digits of ``data`` (everything before them): Σ ASCII(cᵢ)·(i+2) mod 97.

    >>> ppn_check_digits("1112345684"), ppn_check_digits("1103752864")
    ('08', '14')
    """
    return f"{sum(ord(char) * (i + 2) for i, char in enumerate(data)) % 97:02d}"


def ppn_expiry(value: str) -> date:
    """securPharm expiry ``YYMMDD``: years 2000–2099; day 00 means the whole month.

    A month-only expiry is read as the last day of the month, as GS1 reads day 00 in AI 17
    (securPharm encodes the same value in both). Raises DateRuleError.
    """
    return yymmd0(value, _CENTURY_2000)


def describe_ppn(ppn: str) -> str:
    """What a PPN's product registration agency code says, e.g. the German PZN inside it."""
    if ppn.startswith("11") and len(ppn) == 12:
        return f"PZN {ppn[2:10]}"
    return f"product registration agency code {ppn[:2]}"


@dataclass(slots=True)
class PpnFields:
    """What a format-06 message says; ``found`` keeps each DI's first value and position.

    ``rejected`` names the DIs whose value must not become a record field: it failed its own
    check digits, or the DI was given twice with different values. ``gtins`` lists every
    distinct 8P value, ``good_gtins`` those whose check digit is right.
    """

    gtins: list[str] = field(default_factory=list)
    bad_gtins: set[str] = field(default_factory=set)
    found: dict[str, tuple[object, int]] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)
    expiry: date | None = None
    manufacture: date | None = None
    quantity: int | None = None

    def value(self, identifier: str) -> object:
        read = None if identifier in self.rejected else self.found.get(identifier)
        return None if read is None else read[0]

    def text(self, identifier: str) -> str | None:
        value = self.value(identifier)
        return value if isinstance(value, str) else None

    @property
    def good_gtins(self) -> list[str]:
        return [gtin for gtin in self.gtins if gtin not in self.bad_gtins]


class _FieldReader:
    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.fields = PpnFields()

    def keep(self, identifier: str, value: object, index: int) -> bool:
        """Record a DI's value; False (and an error) if it repeats with another value."""
        earlier = self.fields.found.get(identifier)
        if earlier is None:
            self.fields.found[identifier] = (value, index)
            return True
        if earlier[0] != value:
            self.fields.rejected.add(identifier)  # the station cannot tell which is right
            report_at(self.draft, PPN_DUPLICATE, index, identifier=identifier, first=earlier[1] + 1)
        return False

    def bad_value(self, identifier: str, value: str, index: int, form: str) -> None:
        self.draft.add(identifier, _TITLES[identifier], value, index)
        what = _WHAT[identifier]
        report_at(self.draft, PPN_BAD_VALUE, index, title=what, value=shown(value), form=form)

    def read(self, data: str, offset: int) -> PpnFields:
        index = offset
        for text in data.split(GS):
            if not text:
                report_at(self.draft, PPN_EMPTY_FIELD, index)
            else:
                self.read_field(text, index)
            index += len(text) + 1
        if "9N" not in self.fields.found and not self.fields.gtins:
            self.draft.report(PPN_NO_PRODUCT_CODE)
        if len(self.fields.gtins) > 1:
            self.draft.report(PPN_SEVERAL_GTINS, count=len(self.fields.gtins))
        fields = self.fields
        expiry, made, quantity = fields.value("D"), fields.value("16D"), fields.value("Q")
        fields.expiry = expiry if isinstance(expiry, date) else None
        fields.manufacture = made if isinstance(made, date) else None
        fields.quantity = quantity if isinstance(quantity, int) else None
        return fields

    def read_field(self, text: str, index: int) -> None:
        match = _DATA_IDENTIFIER.match(text)
        if match is None:
            report_at(self.draft, PPN_BAD_FIELD, index, value=shown(text))
            return
        identifier, value, at = match.group(), text[match.end() :], index + match.end()
        if identifier not in _TITLES:
            self.draft.add(identifier, f"Data identifier {identifier}", value, at)
            report_at(self.draft, PPN_UNKNOWN_IDENTIFIER, index, identifier=identifier)
        elif identifier == "9N":
            self.read_ppn(value, at)
        elif identifier == "8P":
            self.read_gtin(value, at)
        elif identifier in ("1T", "S"):
            self.read_text(identifier, value, at)
        elif identifier == "D":
            self.read_date(identifier, value, at, ppn_expiry)
        elif identifier == "16D":
            self.read_date(identifier, value, at, yyyymmdd)
        else:  # Q
            self.read_quantity(value, at)

    def read_ppn(self, value: str, at: int) -> None:
        if not _PPN.fullmatch(value):
            self.bad_value("9N", value, at, "4 to 22 of 0-9 and A-Z, ending in 2 check digits")
            return
        self.draft.add("9N", _TITLES["9N"], value, at, describe_ppn(value))
        expected = ppn_check_digits(value[:-2])
        if value[-2:] != expected:
            position = at + len(value) - 2
            report_at(self.draft, PPN_CHECK_DIGITS, position, found=value[-2:], expected=expected)
            self.fields.rejected.add("9N")  # shown as an element, never the DI
        self.keep("9N", value, at)

    def read_gtin(self, value: str, at: int) -> None:
        if len(value) != 14 or not value.isascii() or not value.isdigit():
            self.bad_value("8P", value, at, "14 digits")
            return
        self.draft.add("8P", _TITLES["8P"], value, at)
        if not gs1_check_digit_ok(value):
            position = at + 13
            expected = gs1_check_digit(value[:13])
            report_at(
                self.draft, PPN_GTIN_CHECK_DIGIT, position, found=value[13], expected=expected
            )
            self.fields.bad_gtins.add(value)  # shown as an element, never the GTIN
        if value not in self.fields.gtins:
            self.fields.gtins.append(value)

    def read_text(self, identifier: str, value: str, at: int) -> None:
        bad = next((c for c in value if c not in CSET82), None)
        if not 1 <= len(value) <= 20 or bad is not None:
            self.bad_value(identifier, value, at, "1 to 20 letters, digits or GS1 set-82 signs")
            return
        self.draft.add(identifier, _TITLES[identifier], value, at)
        self.keep(identifier, value, at)

    def read_date(self, identifier: str, value: str, at: int, rule: Callable[[str], date]) -> None:
        title = _TITLES[identifier]
        try:
            day = rule(value)
        except DateRuleError as exc:
            self.draft.add(identifier, title, value, at)
            report_at(
                self.draft,
                PPN_BAD_DATE,
                at,
                title=_WHAT[identifier],
                value=shown(value),
                reason=str(exc),
            )
            return
        reading = day.isoformat()
        if identifier == "D" and value.endswith("00"):
            reading = f"{day:%Y-%m} (month only; read as the last day, {reading})"
        self.draft.add(identifier, title, value, at, reading)
        self.keep(identifier, day, at)

    def read_quantity(self, value: str, at: int) -> None:
        if not value or not value.isascii() or not value.isdigit():
            self.bad_value("Q", value, at, "digits")
            return
        self.draft.add("Q", _TITLES["Q"], value, at, str(int(value)))
        self.keep("Q", int(value), at)


def read_format06(draft: Draft, data: str, offset: int) -> PpnFields:
    """Read the GS-separated DI fields in ``data``; ``offset`` is where ``data`` starts."""
    return _FieldReader(draft).read(data, offset)
