"""ISO/IEC 15434 envelopes: ``[)>`` RS format header GS … RS EOT (codes.md §5).

* Format **06** (ANSI MH10.8.2 data identifiers, the IFA PPN code) is read by
  :mod:`station.udi.ppn`; the scheme is ``Scheme.PPN`` and the DI is the PPN (or, without a PPN,
  the GTIN from 8P).
* Format **05** (GS1 application identifiers) is handed to the GS1 reader; its positions are
  moved so that they index into the whole scan.
* Other formats, and several formats in one envelope, are reported as unsupported.

Keyboard wedges often lose the trailing RS and EOT: that is a warning, not a failure.

>>> from station.udi.normalize import normalize
>>> code = parse_envelope(normalize(
...     "[)>\\x1e06\\x1d9N111234568408\\x1d1TANDSOMEBatchNumber20\\x1dSHASERIAL12385"
...     "\\x1dD201220\\x1e\\x04"))
>>> code.scheme.value, code.valid, code.di, code.lot, code.serial, str(code.expiry)
('ppn', True, '111234568408', 'ANDSOMEBatchNumber20', 'HASERIAL12385', '2020-12-20')
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from station.udi.model import Draft, Kind, ParsedCode, Scheme, define
from station.udi.normalize import EOT, GS, RS
from station.udi.ppn import read_format06
from station.udi.report import moved, report_at

if TYPE_CHECKING:
    from station.udi.model import Element
    from station.udi.normalize import ScanInput

ENVELOPE_BAD_HEADER = define(
    "iso15434.bad_header",
    Kind.SYNTAX,
    "The envelope header is not '[)>' RS, a two-digit format number and GS (character "
    "{at}). Scan again; if it repeats, set the item aside and report the label.",
)
ENVELOPE_UNSUPPORTED_FORMAT = define(
    "iso15434.unsupported_format",
    Kind.SYNTAX,
    "The envelope holds format {format}; the station reads format 06 (PPN and other data "
    "identifiers) and 05 (GS1) only. The code was not read.",
)
ENVELOPE_SEVERAL_FORMATS = define(
    "iso15434.several_formats",
    Kind.SYNTAX,
    "A second format starts at character {at}; the station reads one format per envelope. "
    "Report the label.",
)
ENVELOPE_TRAILING_DATA = define(
    "iso15434.trailing_data",
    Kind.SYNTAX,
    "Data follows the end of the envelope at character {at}. Scan again; if it repeats, set "
    "the item aside and report the label.",
)
ENVELOPE_MISSING_TRAILER = define(
    "iso15434.missing_trailer",
    Kind.NOTE,
    "The envelope end ({missing}) is missing. Keyboard-wedge scanners often drop these "
    "characters; the data was read anyway. A serial (USB-CDC) scanner connection avoids this.",
)

_HEADER = re.compile(r"\[\)>\x1e([0-9]{2})\x1d")
_FORMAT_START = re.compile(r"[0-9]{2}\x1d")
_HEADER_LENGTH = 7  # '[)>' RS nn GS
_DIGITS = "0123456789"


def _header_mismatch(text: str) -> int:
    """The first position where ``text`` departs from '[)>' RS digit digit GS."""
    for index, allowed in enumerate(("[", ")", ">", RS, _DIGITS, _DIGITS, GS)):
        if index >= len(text) or text[index] not in allowed:
            return index
    return _HEADER_LENGTH


def _data_end(draft: Draft, text: str) -> int:
    """Where the format's data ends; report a missing or overlong trailer."""
    rs, eot = text.find(RS, _HEADER_LENGTH), text.find(EOT, _HEADER_LENGTH)
    if rs == -1 and eot == -1:
        report_at(draft, ENVELOPE_MISSING_TRAILER, len(text), missing="RS EOT")
        return len(text)
    if rs == -1 or (eot != -1 and eot < rs):  # EOT with no RS before it
        report_at(draft, ENVELOPE_MISSING_TRAILER, eot, missing="RS")
        if eot + 1 < len(text):
            report_at(draft, ENVELOPE_TRAILING_DATA, eot + 1)
        return eot
    after = rs + 1
    if after == len(text):
        report_at(draft, ENVELOPE_MISSING_TRAILER, after, missing="EOT")
    elif text[after] == EOT:
        if after + 1 < len(text):
            report_at(draft, ENVELOPE_TRAILING_DATA, after + 1)
    elif _FORMAT_START.match(text, after):
        report_at(draft, ENVELOPE_SEVERAL_FORMATS, after)
    else:
        report_at(draft, ENVELOPE_TRAILING_DATA, after)
    return rs


def _read_gs1(scan: ScanInput, draft: Draft, end: int) -> ParsedCode:
    # Imported here so the GS1 tables load only when a format-05 envelope is read.
    from station.udi.gs1 import parse_element_string  # noqa: PLC0415

    inner = parse_element_string(replace(scan, text=scan.text[_HEADER_LENGTH:end], issues=()))
    elements: list[Element] = [replace(e, start=e.start + _HEADER_LENGTH) for e in inner.elements]
    issues = [*draft.issues, *(moved(i, _HEADER_LENGTH) for i in inner.issues)]
    return replace(
        inner,
        raw=scan.raw,
        symbology=scan.symbology,
        text=scan.text,
        elements=tuple(elements),
        issues=tuple(issues),
    )


def parse_envelope(scan: ScanInput) -> ParsedCode:
    """Read an ISO/IEC 15434 envelope (``scan.text`` starts with ``[)>`` RS)."""
    draft = Draft(scan.raw, scan.symbology, scan.text, Scheme.PPN, [], list(scan.issues))
    text = scan.text
    header = _HEADER.match(text)
    if header is None:
        index = _header_mismatch(text)
        report_at(draft, ENVELOPE_BAD_HEADER, index)
        return draft.finish()
    format_number = header.group(1)
    if format_number not in ("05", "06"):
        report_at(draft, ENVELOPE_UNSUPPORTED_FORMAT, 4, format=format_number)
        return draft.finish()
    end = _data_end(draft, text)
    if any(i.kind is Kind.SYNTAX and i.is_error for i in draft.issues):
        return draft.finish()
    if format_number == "05":
        return _read_gs1(scan, draft, end)
    fields = read_format06(draft, text[_HEADER_LENGTH:end], _HEADER_LENGTH)
    if any(i.kind is Kind.SYNTAX and i.is_error for i in draft.issues):
        return draft.finish()  # never hand out fields of a code that could not be read whole
    ppn = fields.text("9N")
    gtin = fields.good_gtins[0] if fields.good_gtins else None  # never one failing its check
    return draft.finish(
        di=ppn or gtin,
        gtin=gtin,
        lot=fields.text("1T"),
        serial=fields.text("S"),
        expiry=fields.expiry,
        production_date=fields.manufacture,
        quantity=fields.quantity,
    )
