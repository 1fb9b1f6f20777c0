"""The code reader's value objects: what a scan *is*, immutable once read.

A reader never raises on bad content; it records :class:`Issue` objects. Every issue has a stable
``code`` (for logs, tests and translations), a ``kind`` that keeps *unparseable* apart from
*parsed but a check failed*, and a message a line worker can act on.

>>> bad_check = define("demo.check", Kind.CHECK, "Check digit wrong: expected {expected}.")
>>> issue = bad_check(position=13, expected="6")
>>> issue.code, issue.message, issue.position
('demo.check', 'Check digit wrong: expected 6.', 13)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from station.errors import ParseError

if TYPE_CHECKING:
    from collections.abc import Mapping


class Scheme(enum.StrEnum):
    """Which numbering system a code belongs to (the CLI's ``scheme`` key)."""

    GS1 = "gs1"
    GS1_DIGITAL_LINK = "gs1-digital-link"
    HIBC = "hibc"
    ISBT128 = "isbt128"
    PPN = "ppn"
    MA = "ma"
    UNKNOWN = "unknown"


class Kind(enum.StrEnum):
    """What went wrong: the structure could not be read, or it was read and a rule failed."""

    SYNTAX = "syntax"
    CHECK = "check"
    NOTE = "note"


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Status(enum.StrEnum):
    """The three outcomes the station must never confuse."""

    VALID = "valid"
    CHECK_FAILED = "check_failed"
    UNPARSEABLE = "unparseable"


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding about a scan. ``position`` is a 0-based index into ``ParsedCode.text``."""

    code: str
    kind: Kind
    severity: Severity
    message: str
    template: str
    position: int | None = None
    params: tuple[tuple[str, str], ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def printable(text: str) -> str:
    """``text`` with every character that is not printable (controls such as GS, RS, EOT, line
    and paragraph separators, invisible format characters) written as an escape.

    Parameters often quote scanned data; a message must never carry a raw control character
    into a log line, a CSV export or the screen.

    >>> printable("LOT\x1e1"), printable("A B")
    ('LOT\\\\x1e1', 'A B')
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


@dataclass(frozen=True, slots=True)
class IssueType:
    """A catalogued kind of issue; call it to make an :class:`Issue`."""

    code: str
    kind: Kind
    severity: Severity
    template: str

    def __call__(self, position: int | None = None, **params: object) -> Issue:
        text_params = {k: printable(str(v)) for k, v in params.items()}
        return Issue(
            code=self.code,
            kind=self.kind,
            severity=self.severity,
            message=self.template.format_map(text_params),
            template=self.template,
            position=position,
            params=tuple(sorted(text_params.items())),
        )


#: Every issue type the reader can produce, by code. Filled at import by ``define``.
CATALOG: dict[str, IssueType] = {}


def define(code: str, kind: Kind, template: str, severity: Severity | None = None) -> IssueType:
    """Register an issue type once; codes are stable identifiers and must be unique."""
    if code in CATALOG:
        msg = f"issue code {code!r} defined twice"
        raise ValueError(msg)
    if severity is None:
        severity = Severity.WARNING if kind is Kind.NOTE else Severity.ERROR
    issue_type = IssueType(code, kind, severity, template)
    CATALOG[code] = issue_type
    return issue_type


@dataclass(frozen=True, slots=True)
class Element:
    """One data field as found in the scan: a GS1 AI, a HIBC part, a data identifier …

    ``key`` is the AI or identifier (``"10"``, ``"9N"``, ``"lot"``), ``title`` its English
    meaning, ``value`` the exact characters from the scan, ``start`` the index of the value in
    ``ParsedCode.text`` and ``interpretation`` a human reading such as ``"2026-12-31"``.
    Two carriers escape data, and there ``value`` is the data itself while ``start`` still
    points at its escaped form in the text: a Digital Link value is percent-decoded
    (``A%2FB`` → ``A/B``), a bracketed-HRI value unescaped (``LOT\\(1`` → ``LOT(1``).
    """

    key: str
    title: str
    value: str
    start: int
    interpretation: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedCode:
    """The typed, immutable reading of one scan.

    ``raw`` is the scan byte for byte; ``symbology`` the AIM identifier if one was sent;
    ``text`` the data after the AIM identifier with keyboard-wedge substitutes mapped back to
    real control characters (``\\x1d`` for GS).
    """

    raw: bytes
    symbology: str | None
    text: str
    scheme: Scheme
    elements: tuple[Element, ...] = ()
    issues: tuple[Issue, ...] = ()
    di: str | None = None
    gtin: str | None = None
    sscc: str | None = None
    lot: str | None = None
    serial: str | None = None
    expiry: date | None = None
    production_date: date | None = None
    quantity: int | None = None

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.is_error)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if not i.is_error)

    @property
    def valid(self) -> bool:
        """True only when the code was understood and every check passed."""
        return self.scheme is not Scheme.UNKNOWN and not self.errors

    @property
    def status(self) -> Status:
        errors = self.errors
        if any(i.kind is Kind.SYNTAX for i in errors):
            return Status.UNPARSEABLE
        if errors:
            return Status.CHECK_FAILED
        return Status.VALID if self.scheme is not Scheme.UNKNOWN else Status.UNPARSEABLE

    @property
    def fields(self) -> Mapping[str, str]:
        """Key → value of every element; the first wins when a key repeats (flagged as error)."""
        out: dict[str, str] = {}
        for element in self.elements:
            out.setdefault(element.key, element.value)
        return out

    def raise_for_errors(self) -> ParsedCode:
        """Return self if valid, else raise ParseError naming the first error."""
        if not self.valid:
            first = self.errors[0].message if self.errors else "the code is not a known format"
            msg = f"Invalid code {self.text!r}: {first}"
            raise ParseError(msg)
        return self


@dataclass(slots=True)
class Draft:
    """Mutable collector a scheme parser fills, then freezes with :meth:`finish`."""

    raw: bytes
    symbology: str | None
    text: str
    scheme: Scheme
    elements: list[Element] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def add(
        self, key: str, title: str, value: str, start: int, interpretation: str | None = None
    ) -> Element:
        element = Element(key, title, value, start, interpretation)
        self.elements.append(element)
        return element

    def report(self, issue_type: IssueType, position: int | None = None, **params: object) -> None:
        self.issues.append(issue_type(position, **params))

    @property
    def has_errors(self) -> bool:
        return any(i.is_error for i in self.issues)

    def finish(
        self,
        *,
        scheme: Scheme | None = None,
        di: str | None = None,
        gtin: str | None = None,
        sscc: str | None = None,
        lot: str | None = None,
        serial: str | None = None,
        expiry: date | None = None,
        production_date: date | None = None,
        quantity: int | None = None,
    ) -> ParsedCode:
        return ParsedCode(
            raw=self.raw,
            symbology=self.symbology,
            text=self.text,
            scheme=scheme or self.scheme,
            elements=tuple(self.elements),
            issues=tuple(self.issues),
            di=di,
            gtin=gtin,
            sscc=sscc,
            lot=lot,
            serial=serial,
            expiry=expiry,
            production_date=production_date,
            quantity=quantity,
        )
