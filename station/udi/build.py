"""Build GS1 codes: element strings, bracketed HRI text and Digital Link URIs.

The inverse of the readers. Input is an ordered sequence of (AI, value) pairs or a
:class:`UdiData`; every builder validates with the readers' own rules first and raises
:class:`~station.errors.BuildError` listing every problem, then parses its output back and
compares, so an invalid or ambiguous string is never returned.

>>> from datetime import date
>>> udi = UdiData(gtin="04012345123456", lot="LOT-A1", serial="SN0001", expiry=date(2026, 12, 31))
>>> element_string(udi, today=date(2026, 11, 24)).replace(GS, "<GS>")
'01040123451234561726123110LOT-A1<GS>21SN0001'
>>> hri(udi, today=date(2026, 11, 24))
'(01)04012345123456(17)261231(10)LOT-A1(21)SN0001'
>>> digital_link(udi, today=date(2026, 11, 24))
'https://id.gs1.org/01/04012345123456/10/LOT-A1/21/SN0001?17=261231'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from station.errors import BuildError
from station.udi import dates
from station.udi.digital_link import parse_digital_link
from station.udi.gs1 import parse_element_string, parse_hri
from station.udi.gs1_issues import finding
from station.udi.gs1_table import AI_TABLE
from station.udi.gs1_validate import RawElement, find_hidden_elements, read_elements
from station.udi.model import Draft, Issue, ParsedCode, Scheme
from station.udi.normalize import GS, ReaderConfig, ScanInput

__all__ = [
    "DEFAULT_DOMAIN",
    "GS",
    "Pair",
    "UdiData",
    "digital_link",
    "digital_link_of",
    "element_string",
    "element_string_of",
    "hri",
    "hri_of",
    "pairs_of",
]

Pair = tuple[str, str]
#: GS1's canonical resolver domain; a brand may use its own.
DEFAULT_DOMAIN = "https://id.gs1.org"
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Scan positions in reader findings: "(character 4)", "at character 4", "(character 4; …",
# "…, character 4)".
_POSITION = re.compile(
    r" ?\(character \d+\)| at character \d+|character \d+; |, character \d+(?=\))"
)


@dataclass(frozen=True, slots=True)
class UdiData:
    """The usual content of a medical-device UDI label.

    ``gtin`` may be given as GTIN-8/12/13/14 digits (padded to 14). ``extra`` holds further
    (AI, value) pairs, e.g. ``(("240", "REF-4711"),)``. Dates become YYMMDD.
    """

    gtin: str
    lot: str | None = None
    serial: str | None = None
    expiry: date | None = None
    production_date: date | None = None
    quantity: int | None = None
    extra: tuple[Pair, ...] = ()

    def pairs(self) -> tuple[Pair, ...]:
        """The (AI, value) pairs in label order: 01, 11, 17, 10, 21, 30, then ``extra``."""
        gtin = self.gtin
        if gtin.isdigit() and len(gtin) in (8, 12, 13):
            gtin = gtin.rjust(14, "0")
        out: list[Pair] = [("01", gtin)]
        if self.production_date is not None:
            out.append(("11", self.production_date.strftime("%y%m%d")))
        if self.expiry is not None:
            out.append(("17", self.expiry.strftime("%y%m%d")))
        if self.lot is not None:
            out.append(("10", self.lot))
        if self.serial is not None:
            out.append(("21", self.serial))
        if self.quantity is not None:
            out.append(("30", str(self.quantity)))
        out.extend(self.extra)
        return tuple(out)


# --------------------------------------------------------------------------- validation


def _reference(today: date | None) -> date:
    return ReaderConfig(today=today).reference_date()


def _problem(issue: Issue) -> str:
    """A reader's finding without the scan position, which means nothing when building."""
    return _POSITION.sub("", finding(issue))


def _date_problems(data: UdiData, reference: date) -> list[str]:
    problems = []
    for ai, value in (("11", data.production_date), ("17", data.expiry)):
        if value is None:
            continue
        read_back = dates.yymmd0(value.strftime("%y%m%d"), reference)
        if read_back != value:
            problems.append(
                f"AI ({ai}) {value.isoformat()} cannot be written as YYMMDD: a reader today "
                f"would take it for {read_back.isoformat()} (GS1 century window)."
            )
    return problems


def _prepare(data: UdiData | Sequence[Pair], reference: date) -> tuple[Pair, ...]:
    """Validated pairs, exact repeats removed; BuildError lists every problem."""
    problems: list[str] = []
    if isinstance(data, UdiData):
        problems.extend(_date_problems(data, reference))
        pairs = data.pairs()
    else:
        pairs = tuple((str(ai), str(value)) for ai, value in data)
    unique = tuple(dict.fromkeys(pairs))
    if not unique:
        problems.append("There is no data to encode.")
    for ai, _ in unique:
        if ai not in AI_TABLE:
            problems.append(f"({ai}) is not a GS1 Application Identifier.")
    if problems:
        raise BuildError(tuple(problems))
    draft = Draft(b"", None, "", Scheme.GS1)
    raws = [RawElement(ai, value, 0, 0) for ai, value in unique]
    read_elements(draft, raws, reference)
    errors = tuple(_problem(issue) for issue in draft.issues if issue.is_error)
    if errors:
        raise BuildError(errors)
    return unique


def _verify(code: ParsedCode, pairs: Sequence[Pair], what: str) -> None:
    """Belt and braces: the output must read back, valid, as exactly the same pairs."""
    read = Counter((element.key, element.value) for element in code.elements)
    if code.errors or read != Counter(pairs):
        detail = "; ".join(_problem(issue) for issue in code.errors) or "the data changed"
        msg = f"The built {what} does not read back as the same data: {detail}"
        raise BuildError((msg,))


def _scan(text: str, symbology: str | None, reference: date) -> ScanInput:
    # Built directly: the keyboard-wedge substitutes of normalize() are not part of the data.
    return ScanInput(text.encode("utf-8"), symbology, text, config=ReaderConfig(today=reference))


# --------------------------------------------------------------------------- builders


def _hides_elements(value: str, reference: date) -> bool:
    return find_hidden_elements(value, reference) is not None


def element_string(data: UdiData | Sequence[Pair], *, today: date | None = None) -> str:
    """GS1 element string: pre-defined-length AIs first, GS (0x1D) only where needed.

    No leading FNC1 (the symbology adds it). A variable-length value whose tail reads like
    further AIs is not placed last when another can be, so readers cannot mistake it.
    """
    reference = _reference(today)
    pairs = _prepare(data, reference)
    # Keys first among the pre-defined-length AIs, then the rest in the order given.
    fixed = sorted(
        (pair for pair in pairs if AI_TABLE[pair[0]].fixed),
        key=lambda pair: AI_TABLE[pair[0]].dlpkey is None,
    )
    variable = [pair for pair in pairs if not AI_TABLE[pair[0]].fixed]
    if variable and _hides_elements(variable[-1][1], reference):
        safe = [pair for pair in variable if not _hides_elements(pair[1], reference)]
        if safe:  # end with a value that cannot be misread as hiding further elements
            variable.remove(safe[-1])
            variable.append(safe[-1])
    text = "".join(ai + value for ai, value in fixed)
    text += GS.join(ai + value for ai, value in variable)
    _verify(parse_element_string(_scan(text, "]d2", reference)), pairs, "element string")
    return text


def _escape_hri(value: str) -> str:
    return value.replace("(", "\\(")


def hri(data: UdiData | Sequence[Pair], *, today: date | None = None) -> str:
    """Bracketed human-readable text ``(01)…(17)…``; a ``(`` in a value is written ``\\(``."""
    reference = _reference(today)
    pairs = _prepare(data, reference)
    text = "".join(f"({ai}){_escape_hri(value)}" for ai, value in pairs)
    _verify(parse_hri(_scan(text, None, reference)), pairs, "HRI text")
    return text


def _escape_uri(value: str) -> str:
    return "".join(char if char in _UNRESERVED else f"%{ord(char):02X}" for char in value)


def _stem(domain: str) -> str:
    stem = domain.rstrip("/")
    scheme = next((s for s in ("https://", "http://") if stem.startswith(s)), "")
    host = stem[len(scheme) :]
    if not scheme or not host or any(char in "?#%" or char.isspace() for char in host):
        msg = f"The Digital Link domain {domain!r} must look like https://example.com[/path]."
        raise BuildError((msg,))
    return stem


def _path_and_query(key: Pair, pairs: Sequence[Pair]) -> tuple[list[Pair], list[Pair]]:
    """Split pairs into the key's path (key + qualifiers in ``dlpkey`` order) and the query.

    Of the key's qualifier sequences, prefer one that leaves only data attributes for the
    query, then the one that takes the most qualifiers into the path.
    """
    candidates: list[tuple[bool, int, int, list[Pair], list[Pair]]] = []
    for alternative in AI_TABLE[key[0]].dlpkey or ((),):
        path = [key] + [pair for ai in alternative for pair in pairs if pair[0] == ai]
        rest = [pair for pair in pairs if pair not in path]
        query_ok = all(AI_TABLE[ai].dl_attr for ai, _ in rest)
        candidates.append((query_ok, len(path), -len(candidates), path, rest))
    _, _, _, path, rest = max(candidates)
    return path, rest


def digital_link(
    data: UdiData | Sequence[Pair], *, domain: str = DEFAULT_DOMAIN, today: date | None = None
) -> str:
    """GS1 Digital Link URI: primary key and its qualifiers in the path, attributes in the query.

    Qualifiers follow the key's ``dlpkey`` order (for a GTIN: 22, 10, 21, or 235); the query
    holds the other AIs, pre-defined-length ones first, each percent-encoded.
    """
    reference = _reference(today)
    stem = _stem(domain)
    pairs = _prepare(data, reference)
    keys = [pair for pair in pairs if AI_TABLE[pair[0]].dlpkey is not None]
    if not keys:
        msg = "A Digital Link needs a primary key such as (01) GTIN or (00) SSCC."
        raise BuildError((msg,))
    key = keys[0]
    path_pairs, rest = _path_and_query(key, pairs)
    problems = [
        f"AI ({ai}) cannot be carried in a Digital Link query."
        for ai, _ in rest
        if not AI_TABLE[ai].dl_attr
    ]
    if problems:
        raise BuildError(tuple(problems))
    rest.sort(key=lambda pair: not AI_TABLE[pair[0]].fixed)  # stable: fixed length first
    uri = stem + "".join(f"/{ai}/{_escape_uri(value)}" for ai, value in path_pairs)
    if rest:
        uri += "?" + "&".join(f"{ai}={_escape_uri(value)}" for ai, value in rest)
    _verify(parse_digital_link(_scan(uri, None, reference)), pairs, "Digital Link")
    return uri


# --------------------------------------------------------------------------- from a reading


def pairs_of(code: ParsedCode) -> tuple[Pair, ...]:
    """The (AI, value) pairs of a GS1 or Digital Link reading, for re-encoding.

    A GTIN read from an EAN/UPC symbol is padded to 14 digits; exact repeats are dropped.
    Only a valid reading is re-encoded: the elements of a reading that could not be split may
    hold a lot cut short (``(10)LOT(1)`` reads as ``LOT`` before the syntax error), and
    re-encoding them would turn a refused scan into a valid label.
    """
    if code.scheme not in (Scheme.GS1, Scheme.GS1_DIGITAL_LINK):
        msg = f"A {code.scheme.value} code cannot be re-encoded as GS1."
        raise BuildError((msg,))
    if not code.valid:
        msg = f"The reading is not valid, so it cannot be re-encoded: {code.errors[0].message}"
        raise BuildError((msg,))
    pairs: list[Pair] = []
    for element in code.elements:
        value = element.value
        if element.key == "01" and value.isdigit() and len(value) in (8, 12, 13):
            value = value.rjust(14, "0")
        pairs.append((element.key, value))
    return tuple(dict.fromkeys(pairs))


def element_string_of(code: ParsedCode, *, today: date | None = None) -> str:
    """The element string of a GS1/DL reading (BuildError if the reading is not valid GS1)."""
    return element_string(pairs_of(code), today=today)


def hri_of(code: ParsedCode, *, today: date | None = None) -> str:
    """The bracketed HRI text of a GS1/DL reading."""
    return hri(pairs_of(code), today=today)


def digital_link_of(
    code: ParsedCode, *, domain: str = DEFAULT_DOMAIN, today: date | None = None
) -> str:
    """The Digital Link URI of a GS1/DL reading."""
    return digital_link(pairs_of(code), domain=domain, today=today)
