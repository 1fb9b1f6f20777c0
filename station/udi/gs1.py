"""GS1 readers: element strings (FNC1 as GS), bracketed HRI text and bare EAN/UPC GTINs.

Each reader splits its carrier into (AI, value) pairs and hands them to the shared engine in
:mod:`station.udi.gs1_validate`; none of them raises on content.

>>> from datetime import date
>>> from station.udi.normalize import ReaderConfig, normalize
>>> config = ReaderConfig(today=date(2026, 11, 24))
>>> code = parse_element_string(normalize(b"]d2010401234512345617261200", config))
>>> code.valid, code.gtin, code.expiry
(True, '04012345123456', datetime.date(2026, 12, 31))
>>> code = parse_hri(normalize("(01)04012345123456(10)LOT\\\\(A)", config))
>>> code.lot
'LOT(A)'
>>> parse_element_string(normalize(b"]C10104012345123457", config)).errors[0].code
'gs1.check_digit'
"""

from __future__ import annotations

from station.udi import gs1_issues as issues
from station.udi.gs1_interpret import key_interpretation
from station.udi.gs1_issues import report
from station.udi.gs1_linters import lint_csum
from station.udi.gs1_table import AI_LENGTH_BY_PREFIX, AI_TABLE
from station.udi.gs1_validate import (
    RawElement,
    describe_hidden,
    find_hidden_elements,
    finish,
    read_elements,
    title,
)
from station.udi.model import Draft, Issue, ParsedCode, Scheme
from station.udi.normalize import GS, ScanInput

__all__ = ["parse_bare_gtin", "parse_element_string", "parse_hri"]

_HRI_SPACE = frozenset(" \t\r\n")


def _draft(scan: ScanInput, extra_issues: tuple[Issue, ...] = ()) -> Draft:
    return Draft(scan.raw, scan.symbology, scan.text, Scheme.GS1, [], [*scan.issues, *extra_issues])


def _finish(
    draft: Draft, raws: list[RawElement], scan: ScanInput, own: int, *, element_string: bool
) -> ParsedCode:
    """Validate the split elements; ``own`` = how many leading issues came with the scan."""
    reference = scan.config.reference_date()
    fields = read_elements(draft, raws, reference, separator_hint=element_string)
    if element_string:
        _warn_hidden_elements(draft, raws, scan)
    return finish(draft, fields, own)


def _warn_hidden_elements(draft: Draft, raws: list[RawElement], scan: ScanInput) -> None:
    reference = scan.config.reference_date()
    for raw in raws:
        spec = AI_TABLE[raw.ai]
        if spec.fixed or not raw.value:
            continue
        end = raw.start + len(raw.value)
        terminated = scan.text.startswith(GS, end)
        hidden = find_hidden_elements(
            raw.value, reference, terminated=terminated, shortest=spec.min_length
        )
        if hidden is None:
            continue
        offset, found = hidden
        report(
            draft,
            issues.SEPARATOR_MISSING,
            raw.start + offset,
            ai=raw.ai,
            title=title(spec),
            title_lower=title(spec).lower(),
            value=raw.value,
            tail=raw.value[offset:],
            reading=describe_hidden(found, reference),
        )


# --------------------------------------------------------------------------- element strings


def parse_element_string(scan: ScanInput, extra_issues: tuple[Issue, ...] = ()) -> ParsedCode:
    """Read GS1 element strings: ``01…17…10…<GS>21…`` with FNC1 sent as GS (0x1D).

    The leading FNC1 is never sent, but a leading GS is skipped; one GS after any element is
    tolerated (GS1 General Specifications §7.8.6.3), a doubled GS is accepted with a warning.
    Pre-defined-length AIs take their fixed length; other values end at GS or end of data.
    Reading stops at the first AI the dictionary does not know (a SYNTAX error).
    """
    draft = _draft(scan, extra_issues)
    text = scan.text
    size = len(text)
    raws: list[RawElement] = []
    pos = 0
    separators_allowed = 1  # a leading GS stands for FNC1 in first position
    while pos < size:
        if text[pos] == GS:
            rest = text[pos:]
            run = len(rest) - len(rest.lstrip(GS))
            if run > separators_allowed:
                report(draft, issues.DOUBLED_SEPARATOR, pos, count=run)
            pos += run
            separators_allowed = 0
            continue
        length = AI_LENGTH_BY_PREFIX.get(text[pos : pos + 2], 0)
        spec = AI_TABLE.get(text[pos : pos + length]) if length else None
        if spec is None:
            found = text[pos : pos + 4].replace(GS, "<GS>")
            report(draft, issues.UNKNOWN_AI, pos, found=found, rest=size - pos)
            break
        start = pos + length
        if spec.fixed:
            end = min(start + spec.max_length, size)
            cut = text.find(GS, start, end)
            end = end if cut < 0 else cut
            pos = end
            separators_allowed = 1  # an FNC1 after a pre-defined-length AI is permitted
        else:
            cut = text.find(GS, start)
            end = size if cut < 0 else cut
            pos = end if cut < 0 else end + 1
            separators_allowed = 0  # this element's separator has been consumed
        raws.append(RawElement(spec.ai, text[start:end], start, start - length))
    if not raws and not draft.has_errors:
        report(draft, issues.NO_DATA)
    return _finish(draft, raws, scan, len(scan.issues) + len(extra_issues), element_string=True)


# --------------------------------------------------------------------------- HRI text


def _hri_value(text: str, start: int) -> tuple[str, int, bool]:
    """The value from ``start`` up to the next unescaped ``(``: (value, end index, exact)."""
    pieces: list[str] = []
    pos = start
    while True:
        bracket = text.find("(", pos)
        if bracket < 0:
            pieces.append(text[pos:])
            return "".join(pieces), len(text), len(pieces) == 1
        if bracket > start and text[bracket - 1] == "\\":
            pieces.append(text[pos : bracket - 1] + "(")
            pos = bracket + 1
            continue
        pieces.append(text[pos:bracket])
        return "".join(pieces), bracket, len(pieces) == 1


def parse_hri(scan: ScanInput) -> ParsedCode:
    """Read bracketed GS1 text: ``(01)04012345123456(17)261231(10)LOT-A1``.

    A literal ``(`` inside a value is written ``\\(`` (gs1-syntax-engine convention). Spaces and
    line breaks between elements (text that wrapped) are skipped with a note; inside a value
    they are data, and GS1 character sets never allow them.
    """
    draft = _draft(scan)
    text = scan.text
    raws: list[RawElement] = []
    pos = 0
    skipped_space_at: int | None = None
    while pos < len(text):
        if text[pos] in _HRI_SPACE:
            skipped_space_at = pos if skipped_space_at is None else skipped_space_at
            pos += 1
            continue
        if text[pos] != "(":
            reason = f"expected '(' to open an AI but found {text[pos]!r}"
            report(draft, issues.HRI_SYNTAX, pos, reason=reason)
            break
        close = text.find(")", pos + 1, pos + 6)
        ai = text[pos + 1 : close] if close > 0 else ""
        if not (2 <= len(ai) <= 4 and ai.isdigit() and ai.isascii()):
            reason = "an AI must be 2 to 4 digits in brackets, such as (01)"
            report(draft, issues.HRI_SYNTAX, pos, reason=reason)
            break
        spec = AI_TABLE.get(ai)
        if spec is None:
            report(draft, issues.UNKNOWN_AI, pos, found=f"({ai})", rest=len(text) - pos)
            break
        value, end, exact = _hri_value(text, close + 1)
        trimmed = value.rstrip("".join(_HRI_SPACE))
        if trimmed != value:  # wrapped text: the spaces separate elements, they are not data
            skipped_space_at = skipped_space_at if skipped_space_at is not None else end
            value = trimmed
        raws.append(RawElement(ai, value, close + 1, pos + 1, exact=exact))
        pos = end
    if skipped_space_at is not None:
        report(draft, issues.HRI_WHITESPACE, skipped_space_at)
    if not raws and not draft.has_errors:
        report(draft, issues.NO_DATA)
    return _finish(draft, raws, scan, len(scan.issues), element_string=False)


# --------------------------------------------------------------------------- EAN/UPC


def parse_bare_gtin(scan: ScanInput) -> ParsedCode:
    """Read an EAN-13/UPC-A (``]E0``, 13 or 12 digits) or EAN-8 (``]E4``, 8 digits) symbol.

    The data is a bare GTIN, not an element string: it is zero-padded to GTIN-14 and its check
    digit verified. The element keeps the digits exactly as scanned.
    """
    draft = _draft(scan)
    text = scan.text
    lengths = (8,) if scan.symbology == "]E4" else (12, 13)
    if len(text) not in lengths or not (text.isdigit() and text.isascii()):
        wanted = " or ".join(str(n) for n in lengths)
        report(draft, issues.BAD_EAN, 0, found=text, lengths=wanted)
        return draft.finish()
    gtin = text.rjust(14, "0")
    fault = lint_csum(gtin)
    interpretation = None
    if fault is None:
        interpretation, unknown_prefix = key_interpretation("01", gtin)
        interpretation = f"GTIN-14 {gtin} ({interpretation})"
        if unknown_prefix is not None:
            report(draft, issues.UNKNOWN_PREFIX, 0, prefix=unknown_prefix, what="GTIN")
    draft.add("01", title(AI_TABLE["01"]), text, 0, interpretation)
    if fault is not None:
        at = len(text) - 1
        report(
            draft, issues.CHECK_DIGIT, at, what="GTIN", expected=fault.expected, found=fault.found
        )
        return draft.finish()
    return draft.finish(di=gtin, gtin=gtin)
