"""Validate GS1 (AI, value) pairs against the Syntax Dictionary: one engine for every carrier.

Element strings, bracketed HRI text, Digital Link URIs and the label builder all turn their input
into :class:`RawElement` objects and hand them to :func:`read_elements`, which

1. checks each value: empty, length, character set, then every linter of every component;
2. interprets valid values (ISO dates, decimals, the GS1 member organisation of a key);
3. evaluates the message-level rules: repeated AIs, ``req=`` and ``ex=`` pairings, and the
   digital-signature rule;
4. derives the record fields (GTIN, lot, serial, expiry …) from values that passed their checks.

A field is filled only from a value that passed its own checks: a GTIN with a wrong check digit
is shown as an element but never becomes ``ParsedCode.gtin``.

>>> from datetime import date
>>> from station.udi.model import Draft, Scheme
>>> draft = Draft(b"", None, "0104012345123456", Scheme.GS1)
>>> fields = read_elements(draft, [RawElement("01", "04012345123456", 2, 0)], date(2026, 1, 1))
>>> fields.gtin, draft.elements[0].interpretation
('04012345123456', 'GTIN-13, GS1 Germany')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from station.udi import dates
from station.udi import gs1_issues as issues
from station.udi.gs1_interpret import KEY_NAMES, interpret, key_interpretation
from station.udi.gs1_issues import report
from station.udi.gs1_lint import LINTERS
from station.udi.gs1_linters import CSET_LINTERS, Linter, LintFault
from station.udi.gs1_spec import CHARSET_NAMES, AISpec, pattern_matches
from station.udi.gs1_table import AI_LENGTH_BY_PREFIX, AI_TABLE
from station.udi.model import Draft, Issue, Kind, ParsedCode

__all__ = [
    "Fields",
    "RawElement",
    "find_hidden_elements",
    "finish",
    "read_elements",
    "title",
]


@dataclass(frozen=True, slots=True)
class RawElement:
    """One (AI, value) pair as a carrier delivered it.

    ``start`` is the index of the value in the scan text and ``ai_start`` that of the AI;
    ``exact`` says the value's characters map one to one onto the text from ``start`` (false
    after unescaping ``\\(`` or percent-decoding), so in-value positions can be reported.
    """

    ai: str
    value: str
    start: int
    ai_start: int
    exact: bool = True


@dataclass(slots=True)
class Fields:
    """The record fields derived from a GS1 message."""

    gtin: str | None = None
    sscc: str | None = None
    lot: str | None = None
    serial: str | None = None
    expiry: date | None = None
    production_date: date | None = None
    quantity: int | None = None


def title(spec: AISpec) -> str:
    """The dictionary title, or ``AI (nnnn)`` for the few AIs the dictionary leaves untitled."""
    return spec.title or f"AI ({spec.ai})"


# --------------------------------------------------------------------------- per-AI plan

# Fast paths for the character sets: one C-level check per component; the linter runs only to
# explain a failure.
_CSET82_RE = re.compile(r'[!"%-?A-Z_a-z]*')
_CSET39_RE = re.compile(r"[#\-/0-9A-Z]*")
_CSET64_RE = re.compile(r"[A-Za-z0-9_\-]*={0,2}")
_DATE_LINTERS = frozenset({"yymmd0", "yymmdd", "yyyymmdd"})
_TIME_LINTERS = frozenset({"hhmi", "hh", "mi", "ss"})


def _cset_ok(cset: str, value: str) -> bool:
    if cset == "N":
        return value.isdigit() and value.isascii()
    if cset == "X":
        return _CSET82_RE.fullmatch(value) is not None
    if cset == "Y":
        return _CSET39_RE.fullmatch(value) is not None
    return _CSET64_RE.fullmatch(value) is not None and CSET_LINTERS["Z"](value) is None


@dataclass(frozen=True, slots=True)
class _Part:
    cset: str
    min_length: int
    max_length: int
    optional: bool
    linters: tuple[tuple[str, Linter], ...]


@cache
def _parts(ai: str) -> tuple[_Part, ...]:
    spec = AI_TABLE[ai]
    return tuple(
        _Part(
            c.cset,
            c.min_length,
            c.max_length,
            c.optional,
            tuple((name, LINTERS[name]) for name in c.linters),
        )
        for c in spec.components
    )


def _first_fault(spec: AISpec, value: str, reference: date) -> tuple[str, LintFault] | None:
    """The first failing rule of ``value``: (linter name, fault), after the length checks.

    Components consume the value greedily in order, as in the reference implementation; an
    optional component with nothing left is skipped.
    """
    offset = 0
    for part in _parts(spec.ai):
        piece = value[offset : offset + part.max_length]
        if not piece and part.optional:
            continue
        if len(piece) < part.min_length:  # e.g. an optional 2-digit minute given as 1 digit
            reason = f"its last part has {len(piece)} characters but needs {part.min_length}"
            return "length", LintFault("component_too_short", offset, len(piece), reason)
        if not _cset_ok(part.cset, piece):
            fault = CSET_LINTERS[part.cset](piece)
            if fault is not None:
                return f"cset{part.cset}", _shift(fault, offset)
        for name, linter in part.linters:
            fault = linter(piece, reference)
            if fault is not None:
                return name, _shift(fault, offset)
        offset += len(piece)
    return None


def _shift(fault: LintFault, offset: int) -> LintFault:
    if not offset:
        return fault
    return LintFault(
        fault.rule, fault.offset + offset, fault.length, fault.reason, fault.expected, fault.found
    )


# --------------------------------------------------------------------------- reporting


def _report_fault(
    draft: Draft, raw: RawElement, spec: AISpec, linter: str, fault: LintFault
) -> None:
    at = raw.start + fault.offset if raw.exact else raw.start
    common = {"ai": spec.ai, "title": title(spec)}
    if fault.rule == "incorrect_check_digit":
        what = KEY_NAMES.get(spec.ai, f"({spec.ai}) {title(spec)}")
        report(draft, issues.CHECK_DIGIT, at, what=what, expected=fault.expected, found=fault.found)
    elif fault.rule == "incorrect_check_pair":
        report(draft, issues.CHECK_PAIR, at, expected=fault.expected, found=fault.found, **common)
    elif linter.startswith("cset"):
        allowed = CHARSET_NAMES[linter[-1]]
        report(draft, issues.CHARSET, at, reason=fault.reason, allowed=allowed, **common)
    elif linter in _DATE_LINTERS:
        report(draft, issues.BAD_DATE, at, value=raw.value, reason=fault.reason, **common)
    elif linter in _TIME_LINTERS:
        report(draft, issues.BAD_TIME, at, value=raw.value, reason=fault.reason, **common)
    else:
        report(draft, issues.INVALID_VALUE, at, value=raw.value, reason=fault.reason, **common)


def _check_value(
    draft: Draft, raw: RawElement, spec: AISpec, reference: date, *, separator_hint: bool
) -> bool:
    """Report everything wrong with one value; True when it passed every check."""
    value = raw.value
    common = {"ai": spec.ai, "title": title(spec)}
    if not value:
        report(draft, issues.EMPTY_VALUE, raw.start, **common)
        return False
    if len(value) > spec.max_length:
        hint = (
            " The separator (GS) after it is probably missing, so the next field ran into it."
            if separator_hint and spec.variable
            else ""
        )
        report(
            draft,
            issues.TOO_LONG,
            raw.start,
            length=len(value),
            limit=spec.max_length,
            hint=hint,
            **common,
        )
        return False
    if len(value) < spec.min_length:
        report(
            draft, issues.TOO_SHORT, raw.start, length=len(value), needed=spec.min_length, **common
        )
        return False
    found = _first_fault(spec, value, reference)
    if found is None:
        return True
    _report_fault(draft, raw, spec, *found)
    return False


# --------------------------------------------------------------------------- message rules


def _describe_requirement(rule: tuple[tuple[str, ...], ...]) -> str:
    groups = [" with ".join(f"({ai})" for ai in group) for group in rule]
    if len(groups) == 1:
        return groups[0]
    return ", ".join(groups[:-1]) + " or " + groups[-1]


def _present(pattern: str, present: dict[str, int], own: str) -> str | None:
    """The first present AI (other than ``own``) that matches ``pattern``."""
    if "n" not in pattern:
        return pattern if pattern != own and pattern in present else None
    for ai in present:
        if ai != own and pattern_matches(pattern, ai):
            return ai
    return None


def _check_pairings(draft: Draft, present: dict[str, int], raws: Sequence[RawElement]) -> None:
    """``req=``, ``ex=`` and the digital-signature rule over the whole message."""
    reported_pairs: set[frozenset[str]] = set()
    for ai, index in present.items():
        spec = AI_TABLE[ai]
        at = raws[index].ai_start
        for rule in spec.req:
            if not any(all(_present(p, present, ai) for p in group) for group in rule):
                report(
                    draft,
                    issues.MISSING_REQUIRED_AI,
                    at,
                    ai=ai,
                    title=title(spec),
                    required=_describe_requirement(rule),
                )
        for pattern in spec.ex:
            other = _present(pattern, present, ai)
            if other is None or frozenset((ai, other)) in reported_pairs:
                continue
            reported_pairs.add(frozenset((ai, other)))
            report(draft, issues.EXCLUSIVE_AI, at, ai=ai, other=other)
    if "8030" in present:
        for ai in ("253", "255", "8003"):
            if ai in present and len(raws[present[ai]].value) == AI_TABLE[ai].min_length:
                spec = AI_TABLE[ai]
                report(
                    draft,
                    issues.DIGSIG_NEEDS_SERIAL,
                    raws[present[ai]].ai_start,
                    ai=ai,
                    title=title(spec),
                )


# --------------------------------------------------------------------------- entry point


def read_elements(
    draft: Draft,
    raws: Sequence[RawElement],
    reference: date,
    *,
    separator_hint: bool = False,
) -> Fields:
    """Validate and record ``raws`` (AIs known to the table) into ``draft``; return the fields.

    ``separator_hint`` (element strings only) makes a too-long variable-length value say that
    its FNC1 separator was probably lost.
    """
    present: dict[str, int] = {}
    valid: dict[str, bool] = {}
    for index, raw in enumerate(raws):
        spec = AI_TABLE[raw.ai]
        ok = _check_value(draft, raw, spec, reference, separator_hint=separator_hint)
        interpretation = interpret(spec, raw.value, reference) if ok else None
        draft.add(raw.ai, title(spec), raw.value, raw.start, interpretation)
        if ok and raw.ai in ("00", "01", "02", "03"):
            _note_unknown_prefix(draft, raw)
        first = present.get(raw.ai)
        if first is None:
            present[raw.ai] = index
            valid[raw.ai] = ok
        elif raws[first].value == raw.value:
            report(draft, issues.DUPLICATE_AI, raw.ai_start, ai=raw.ai, title=title(spec))
        else:
            valid[raw.ai] = False
            report(
                draft,
                issues.CONFLICTING_AI,
                raw.ai_start,
                ai=raw.ai,
                title=title(spec),
                first=raws[first].value,
                second=raw.value,
            )
    _check_pairings(draft, present, raws)
    return _fields(present, valid, raws, reference)


def _text_order(issue: Issue) -> tuple[bool, int]:
    return issue.position is None, issue.position or 0


def finish(draft: Draft, fields: Fields, own_issues: int) -> ParsedCode:
    """Freeze ``draft`` with ``fields``; issues after the first ``own_issues`` in text order.

    A reader reports a structural problem while splitting, before the values are checked; the
    worker should read the findings in the order they occur in the code. A reading that could
    not be split (a ``SYNTAX`` error) fills no record field: a lot read before an unknown AI or
    an unescaped ``(`` may have been cut short, and nobody must store it.
    """
    draft.issues[own_issues:] = sorted(draft.issues[own_issues:], key=_text_order)
    if any(issue.kind is Kind.SYNTAX and issue.is_error for issue in draft.issues):
        return draft.finish()
    return draft.finish(
        di=fields.gtin,
        gtin=fields.gtin,
        sscc=fields.sscc,
        lot=fields.lot,
        serial=fields.serial,
        expiry=fields.expiry,
        production_date=fields.production_date,
        quantity=fields.quantity,
    )


def _note_unknown_prefix(draft: Draft, raw: RawElement) -> None:
    prefix = key_interpretation(raw.ai, raw.value)[1]
    if prefix is not None:
        report(draft, issues.UNKNOWN_PREFIX, raw.start, prefix=prefix, what=KEY_NAMES[raw.ai])


def _fields(
    present: dict[str, int], valid: dict[str, bool], raws: Sequence[RawElement], reference: date
) -> Fields:
    def good(ai: str) -> str | None:
        index = present.get(ai)
        return raws[index].value if index is not None and valid[ai] else None

    fields = Fields(
        gtin=good("01") or good("03"), sscc=good("00"), lot=good("10"), serial=good("21")
    )
    if (expiry := good("17")) is not None:
        fields.expiry = dates.yymmd0(expiry, reference)
    if (made := good("11")) is not None:
        fields.production_date = dates.yymmd0(made, reference)
    count = good("30") or good("37")
    if count is not None:
        fields.quantity = int(count)
    return fields


# --------------------------------------------------------------------------- lost separators


def find_hidden_elements(
    value: str, reference: date, *, terminated: bool = False, shortest: int = 1
) -> tuple[int, tuple[tuple[str, str], ...]] | None:
    """Where a variable-length value may hide following elements after a lost separator.

    Returns the offset of the first suffix that reads completely as one or more
    pre-defined-length elements (optionally ending in one variable-length element), each passing
    all its checks; None when no suffix does. ``terminated`` says a GS followed the value: then
    the hidden run must end with a variable-length element, since an encoder puts a GS only
    after one. ``shortest`` is the value's minimum length: the real value before a hidden run
    cannot be shorter (an 18-digit AI 8006 hides nothing). biip's test reads ``032915210526``
    as one lot; its tail ``15210526`` is a valid best-before date:

    >>> find_hidden_elements("032915210526", date(2026, 1, 1))
    (4, (('15', '210526'),))
    >>> find_hidden_elements("032915210526", date(2026, 1, 1), terminated=True) is None
    True
    >>> find_hidden_elements("LOT-A1", date(2026, 1, 1)) is None
    True

    Linear in the length of ``value``: whether the text from a position on reads completely
    is decided once per position (values come from untrusted scans up to 8 KB long).
    """
    complete: dict[int, bool] = {}
    for offset in range(max(1, shortest), len(value) - 3):
        first = _read_element(value, offset, reference, first=True)
        if first is None:
            continue
        ai, piece, end = first
        if end < len(value) and not _reads_to_end(value, end, reference, complete):
            continue
        found = ((ai, piece), *_elements_from(value, end, reference))
        if not (terminated and AI_TABLE[found[-1][0]].fixed):
            return offset, found
    return None


def _read_element(
    value: str, pos: int, reference: date, *, first: bool
) -> tuple[str, str, int] | None:
    """The valid element at ``value[pos:]``: (AI, value, end), or None.

    A pre-defined-length element takes its length; a variable-length one may only close the
    run (it takes the rest of ``value``) and never opens it.
    """
    length = AI_LENGTH_BY_PREFIX.get(value[pos : pos + 2])
    spec = AI_TABLE.get(value[pos : pos + length]) if length else None
    if spec is None:
        return None
    start = pos + len(spec.ai)
    if spec.fixed:
        end = start + spec.max_length
        if end > len(value):
            return None
    elif not first and start < len(value) <= start + spec.max_length:
        end = len(value)
    else:
        return None
    piece = value[start:end]
    if _first_fault(spec, piece, reference) is not None:
        return None
    return spec.ai, piece, end


def _reads_to_end(value: str, pos: int, reference: date, complete: dict[int, bool]) -> bool:
    """Does ``value[pos:]`` read completely as following elements? Memoised in ``complete``."""
    path: list[int] = []
    while pos < len(value) and pos not in complete:
        path.append(pos)
        step = _read_element(value, pos, reference, first=False)
        if step is None:
            ok = False
            break
        pos = step[2]
    else:
        ok = pos >= len(value) or complete[pos]
    for visited in path:
        complete[visited] = ok
    return ok


def _elements_from(value: str, pos: int, reference: date) -> tuple[tuple[str, str], ...]:
    """The elements of ``value[pos:]``, which :func:`_reads_to_end` found complete."""
    found: list[tuple[str, str]] = []
    while pos < len(value):
        step = _read_element(value, pos, reference, first=False)
        if step is None:  # pragma: no cover - callers check completeness first
            break
        found.append(step[:2])
        pos = step[2]
    return tuple(found)


def describe_hidden(found: tuple[tuple[str, str], ...], reference: date) -> str:
    """``(15) 210526 = 2021-05-26`` style text for a hidden-element warning."""
    parts = []
    for ai, piece in found:
        reading = interpret(AI_TABLE[ai], piece, reference)
        parts.append(f"({ai}) {piece}" + (f" = {reading}" if reading else ""))
    return " + ".join(parts)
