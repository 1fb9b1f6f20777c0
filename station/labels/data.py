"""Label data: the values a template is filled with, checked before anything is drawn.

Keys and their forms (all strings, as they arrive in ``--data FILE.json`` or from a service):

========================  ==============================================================
``gtin``                  GTIN-8/12/13/14 digits with a valid check digit (AI 01)
``lot``, ``serial``       GS1 set 82, at most 20 characters (AI 10, AI 21)
``expiry``                ISO date ``YYYY-MM-DD`` (AI 17)
``production_date``       ISO date ``YYYY-MM-DD`` (AI 11)
``quantity``              a whole number of at most 8 digits (AI 30)
``sscc``                  18 digits with a valid check digit (AI 00)
``content_gtin``          GTIN of the trade items a logistic unit holds (AI 02)
``count``                 how many of them (AI 37)
``hibc_lic``              HIBC labeler identification code: a letter and three characters
``hibc_pcn``              HIBC product/catalogue number, 1–18 characters
``hibc_uom``              HIBC unit of measure digit (0–9)
``product_name_zh``,
``product_name_en``,
``model``,
``registration_no``,
``supplier_name``,
``po_number``             free text, one line, no control characters
========================  ==============================================================

Unknown keys are refused too (a misspelt ``expiry_date`` must not silently drop a date).
The GS1 rules themselves (set 82, check digits, real dates) are the code reader's and are
applied when the element string is built (:mod:`station.udi.build`); here only the form.

>>> data = LabelData.from_mapping({"gtin": "04012345123456", "lot": "A1", "expiry": "2027-01-31"})
>>> data.get("lot"), data.date("expiry")
('A1', datetime.date(2027, 1, 31))
>>> LabelData.from_mapping({"gtin": 4012345123456})
Traceback (most recent call last):
...
station.labels.data.LabelDataError: gtin: must be a string, not int
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from station.errors import StationError

__all__ = [
    "DATE_KEYS",
    "FIELD_AI",
    "KNOWN_KEYS",
    "LabelData",
    "LabelDataError",
]

#: Data keys that are GS1 application identifiers on a label.
FIELD_AI: dict[str, str] = {
    "sscc": "00",
    "gtin": "01",
    "content_gtin": "02",
    "production_date": "11",
    "expiry": "17",
    "lot": "10",
    "serial": "21",
    "quantity": "30",
    "count": "37",
}
DATE_KEYS = frozenset({"expiry", "production_date"})
TEXT_KEYS = frozenset(
    {
        "product_name_zh",
        "product_name_en",
        "model",
        "registration_no",
        "hibc_lic",
        "hibc_pcn",
        "supplier_name",
        "po_number",
    }
)
KNOWN_KEYS = frozenset(FIELD_AI) | TEXT_KEYS | {"hibc_uom"}
#: Exactly ``YYYY-MM-DD``: Python 3.11's ``date.fromisoformat`` also takes week dates such as
#: ``2027-W05-1``, which the text would print as given while the symbol carries the real date.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INVISIBLE = frozenset({"Cf", "Zl", "Zp"})
#: A line of free text on a label; longer is a data error, not a layout problem.
MAX_TEXT = 200


class LabelDataError(StationError):
    """The data cannot fill the template; the message lists every problem found."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


def _form_problem(key: str, value: str) -> str | None:
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in value):
        return f"{key}: control characters are not allowed"
    if any(unicodedata.category(c) in _INVISIBLE for c in value):
        # Bidi overrides, zero-width and line-separator characters make printed text say
        # something other than the record (SEC-5); a label line never needs them.
        return f"{key}: invisible formatting characters (bidi, zero-width, line breaks)"
    if len(value) > MAX_TEXT:
        return f"{key}: at most {MAX_TEXT} characters"
    if key in DATE_KEYS:
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"{key}: must be a date YYYY-MM-DD, not {value!r}"
        if not _ISO_DATE.fullmatch(value):
            return f"{key}: must be a date YYYY-MM-DD, not {value!r}"
    if key in ("gtin", "content_gtin", "sscc", "quantity", "count", "hibc_uom") and not (
        value.isascii() and value.isdigit()
    ):
        return f"{key}: digits only, not {value!r}"
    return None


@dataclass(frozen=True, slots=True)
class LabelData:
    """Checked label data; ``values`` keeps the caller's key order."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object]) -> LabelData:
        """Check every key and value; raise :class:`LabelDataError` listing all problems.

        Empty strings count as absent, so a spreadsheet's blank cell is not a value.
        """
        problems: list[str] = []
        values: list[tuple[str, str]] = []
        for key, value in mapping.items():
            if key not in KNOWN_KEYS:
                problems.append(f"{key!r}: unknown key (known: {', '.join(sorted(KNOWN_KEYS))})")
                continue
            if not isinstance(value, str):
                problems.append(f"{key}: must be a string, not {type(value).__name__}")
                continue
            if value == "":
                continue
            problem = _form_problem(key, value)
            if problem:
                problems.append(problem)
            else:
                values.append((key, value))
        if problems:
            raise LabelDataError(problems)
        return cls(tuple(values))

    def as_dict(self) -> dict[str, str]:
        return dict(self.values)

    def get(self, key: str) -> str | None:
        return dict(self.values).get(key)

    def date(self, key: str) -> date | None:
        value = self.get(key)
        return date.fromisoformat(value) if value is not None else None

    def with_values(self, **values: str) -> LabelData:
        """A copy with keys set (e.g. the serial a batch allocated); checked like the rest."""
        merged = dict(self.values) | values
        return LabelData.from_mapping(merged)
