"""Tell from one scan of a test-sheet code what the scanner does wrong, and how to fix it.

The scan is compared with what a correctly set-up scanner sends (``station.scanning.sheet``).
Every explanation the test knows is tried: keyboard layout and Caps Lock (keyboard wedges
only), then a pattern that lets the AIM identifier be present, wrong or missing, every GS be
kept, dropped or replaced by one consistent token, and bytes appear before or after the code.
The simplest explanation that reproduces the scan exactly wins. Scans that fit none are
checked for truncation, then compared character by character.

Scans are untrusted: any bytes give findings, never an exception.

>>> from station.scanning.sheet import by_id
>>> good = b"]C1010401234512345610LOT-B2\\x1d17261231"
>>> [f.code for f in diagnose(by_id("gs1-128"), good, "serial")]
['ok']
>>> [f.code for f in diagnose(by_id("gs1-128"), b"010401234512345610LOT-B217261231\\t", "keyboard")]
['aim-missing', 'gs-dropped', 'suffix-tab']
>>> [f.code for f in diagnose(by_id("layout"), b"]c0zY+$/%-.=&AQWMaq0123456789", "keyboard")]
['caps-lock']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import product
from typing import Literal

from station.scanning.findings import CATALOG, FINDING_CONTEXT, Finding, Severity, finding
from station.scanning.layouts import LAYOUT_MISMATCHES, LayoutMismatch, invert_case, retype
from station.scanning.raw import RawScan
from station.scanning.sheet import GS, SHEET, SheetCode
from station.udi.normalize import DEFAULT_GS_SUBSTITUTES

__all__ = ["Diagnosis", "How", "diagnose", "identify", "shown", "summarise", "translatable_texts"]

How = Literal["serial", "keyboard"]

#: Bytes a scanner may add around a code that the test still attributes to that code.
AFFIX_LIMIT = 20
#: Longest GS stand-in recognised (``{GS}``, ``<GS>``, ``[GS]`` …).
TOKEN_LIMIT = 8
#: Longer scans are not compared at all (the sheet's longest code is under 80 bytes).
SCAN_LIMIT = 1024
#: How alike (difflib ratio) a scan must be to a code to be called a damaged copy of it.
SIMILAR = 0.6
#: GS1 character set 82: a GS stand-in from this set cannot be told apart from data.
CSET82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
#: Stand-ins looked for when a truncated scan is matched against a code.
COMMON_GS_STAND_INS = ("^]", "{GS}", "<GS>", "@", "~", "|", "]")
_NAMED = {"\x1d": "GS", "\x1e": "RS", "\x04": "EOT", "\r": "CR", "\n": "LF", "\t": "TAB"}
_SERIAL_TERMINATORS = ("\r\n", "\n", "\r")


def shown(text: str) -> str:
    """``text`` with every invisible or control character as a marker, for messages.

    >>> shown("10A\\x1d21\\t")
    '10A⟨GS⟩21⟨TAB⟩'
    """
    out = []
    for char in text:
        if char in _NAMED:
            out.append(f"⟨{_NAMED[char]}⟩")
        elif not char.isprintable() or char in "⟨⟩":
            out.append(f"⟨U+{ord(char):04X}⟩")
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """One scan, the sheet code it was matched to (None: not a sheet code), the findings."""

    code: SheetCode | None
    received: bytes
    findings: tuple[Finding, ...]

    @property
    def correct(self) -> bool:
        return self.code is not None and all(f.severity is Severity.OK for f in self.findings)


@dataclass(frozen=True, slots=True)
class _Typing:
    """How typed characters may have been changed: a layout mismatch and/or Caps Lock."""

    layout: LayoutMismatch | None
    caps: bool

    def apply(self, text: str) -> str:
        typed = retype(text, self.layout.mapping) if self.layout else text
        return invert_case(typed) if self.caps else typed

    @property
    def cost(self) -> int:
        return (1 if self.layout else 0) + (1 if self.caps else 0)

    def findings(self, code: SheetCode) -> list[Finding]:
        found = []
        if self.layout is not None:
            changes = _layout_changes(code.text, self.layout)
            found.append(
                finding(
                    self.layout.code,
                    changes=changes,
                    scanner=self.layout.scanner,
                    computer=self.layout.computer,
                )
            )
        if self.caps:
            found.append(finding("caps-lock"))
        return found


def _typings(how: How) -> list[_Typing]:
    """Serial scanners send bytes: no layout, no Caps Lock. Simplest explanation first."""
    if how != "keyboard":
        return [_Typing(layout=None, caps=False)]
    layouts: list[LayoutMismatch | None] = [None, *LAYOUT_MISMATCHES]
    combos = [_Typing(layout, caps) for layout, caps in product(layouts, (False, True))]
    return sorted(combos, key=lambda typing: typing.cost)


def _layout_changes(text: str, layout: LayoutMismatch) -> str:
    """The characters of ``text`` that ``layout`` changes, as ``a→b`` pairs."""
    pairs = []
    for char in dict.fromkeys(text):
        typed = layout.mapping.get(char, char)
        if typed != char:
            pairs.append(f"{shown(char)}→{shown(typed) or '∅'}")
    return " ".join(pairs)


def _decode(received: RawScan | bytes) -> bytes:
    return received.reader_input() if isinstance(received, RawScan) else bytes(received)


def _text(raw: bytes) -> str:
    """Keyboard wedges deliver UTF-8; anything else is read byte for byte (Latin-1)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


_FRAMING = frozenset({"prefix-extra", "aim-missing", "aim-wrong"})


@dataclass(frozen=True, slots=True)
class _Match:
    cost: int
    findings: list[Finding]

    @property
    def rank(self) -> tuple[int, int]:
        """Fewest findings first; on a tie, the one that found the AIM identifier where it
        belongs (a mangled ``$Cà`` is a layout's AIM, not a prefix plus a missing AIM)."""
        return self.cost, sum(f.code in _FRAMING for f in self.findings)


def _pattern(code: SheetCode, typing: _Typing) -> re.Pattern[str]:
    segments = code.data.decode("ascii").split(GS)
    bracket = re.escape(typing.apply("]"))
    parts = [
        rf"(?P<prefix>.{{0,{AFFIX_LIMIT}}}?)",
        rf"(?P<aim>{re.escape(typing.apply(code.aim))}|{bracket}[A-Za-z][0-9A-Za-z])?",
        re.escape(typing.apply(segments[0])),
    ]
    for index, segment in enumerate(segments[1:]):
        parts.append(rf"(?P<gs>.{{0,{TOKEN_LIMIT}}}?)" if index == 0 else "(?P=gs)")
        parts.append(re.escape(typing.apply(segment)))
    parts.append(rf"(?P<suffix>.{{0,{AFFIX_LIMIT}}})")
    return re.compile("".join(parts), re.DOTALL)


def _gs_finding(token: str, gs_substitutes: Sequence[str]) -> Finding | None:
    if token == GS:
        return None
    if token == "":
        return finding("gs-dropped")
    if token in gs_substitutes:
        return finding("gs-substitute-configured", token=shown(token))
    if all(char in CSET82 for char in token):  # could be real GS1 data, e.g. "%" or "<GS>"
        return finding("gs-substituted-unsafe", token=shown(token))
    return finding("gs-substituted", token=shown(token))


def _suffix_finding(suffix: str, how: How) -> Finding | None:
    if how == "serial":
        for terminator in _SERIAL_TERMINATORS:  # the serial framing strips these
            if suffix.endswith(terminator):
                suffix = suffix[: -len(terminator)]
                break
    if not suffix:
        return None
    if suffix == "\t":
        return finding("suffix-tab")
    return finding("suffix-extra", suffix=shown(suffix))


def _exact(
    code: SheetCode, text: str, typing: _Typing, how: How, gs_substitutes: Sequence[str]
) -> _Match | None:
    match = _pattern(code, typing).fullmatch(text)
    if match is None:
        return None
    found = typing.findings(code)
    cost = typing.cost
    if match["prefix"]:
        found.insert(0, finding("prefix-extra", prefix=shown(match["prefix"])))
        cost += 1
    expected_aim = typing.apply(code.aim)
    if match["aim"] is None:
        found.append(finding("aim-missing", expected=code.aim))
        cost += 1
    elif match["aim"] != expected_aim:
        found.append(finding("aim-wrong", received=shown(match["aim"]), expected=code.aim))
        cost += 1
    if GS in code.text:
        gs = _gs_finding(match["gs"], gs_substitutes)
        if gs is not None:
            found.append(gs)
            cost += 1
    suffix = _suffix_finding(match["suffix"], how)
    if suffix is not None:
        found.append(suffix)
        cost += 1
    return _Match(cost, found or [finding("ok")])


def _renderings(code: SheetCode, typing: _Typing) -> Iterable[tuple[str, list[Finding]]]:
    """Whole transmissions of ``code`` (with and without AIM, each GS handling)."""
    segments = [typing.apply(s) for s in code.data.decode("ascii").split(GS)]
    for separator in (GS, "", *COMMON_GS_STAND_INS):
        body = separator.join(segments)
        for aim in (True, False):
            found = typing.findings(code)
            if not aim:
                found.append(finding("aim-missing", expected=code.aim))
            if len(segments) > 1 and separator != GS:
                gs = _gs_finding(separator, ())
                found.extend([gs] if gs else [])
            yield (typing.apply(code.aim) if aim else "") + body, found


def _truncated(code: SheetCode, text: str, how: How) -> _Match | None:
    body = text.rstrip("\r\n\t")  # only terminators; GS is never stripped
    if len(body) < 6:
        return None
    for typing in _typings(how):
        for full, found in _renderings(code, typing):
            if len(body) < len(full) and full.startswith(body) and len(body) >= len(full) * 0.3:
                cut = finding("truncated", received=str(len(body)), expected=str(len(full)))
                return _Match(10 + typing.cost, [cut, *found])
    return None


def _changes(expected: str, received: str) -> str:
    pairs: dict[str, None] = {}
    opcodes: Sequence[tuple[str, int, int, int, int]]
    if len(expected) == len(received):  # one character for another: compare place by place
        opcodes = [("replace", i, i + 1, i, i + 1) for i in range(len(expected))]
    else:
        opcodes = SequenceMatcher(None, expected, received, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        old, new = expected[i1:i2], received[j1:j2]
        if tag == "equal" or old == new:
            continue
        if len(old) == len(new):
            for a, b in zip(old, new, strict=True):
                pairs[f"{shown(a)}→{shown(b)}"] = None
        else:
            pairs[f"{shown(old) or '∅'}→{shown(new) or '∅'}"] = None
    listed = list(pairs)
    more = f" (+{len(listed) - 12})" if len(listed) > 12 else ""
    return " ".join(listed[:12]) + more


def _similar(code: SheetCode, text: str) -> tuple[float, list[Finding]]:
    """How alike the scan is to ``code``, and what differs, AIM identifier handled first."""
    best: tuple[float, list[Finding]] = (0.0, [])
    data = code.data.decode("ascii")
    options: list[tuple[str, str, list[Finding]]] = [(code.text, text, [])]
    if text[1:3] == code.aim[1:3]:
        pass  # the identifier is there, perhaps with a changed ``]``: compare it as data
    elif text.startswith("]") and len(text) >= 3:
        wrong = finding("aim-wrong", received=shown(text[:3]), expected=code.aim)
        options.append((data, text[3:], [wrong]))
    else:
        options.append((data, text, [finding("aim-missing", expected=code.aim)]))
    for expected, received, found in options:
        ratio = SequenceMatcher(None, expected, received, autojunk=False).ratio()
        if ratio > best[0]:
            changes = _changes(expected, received)
            best = (ratio, [*found, finding("chars-changed", changes=changes)])
    return best


def _analyse(code: SheetCode, text: str, how: How, gs_substitutes: Sequence[str]) -> _Match | None:
    """The best explanation of ``text`` as a scan of ``code``, or None if it is not ``code``."""
    matches = [m for t in _typings(how) if (m := _exact(code, text, t, how, gs_substitutes))]
    if matches:
        return min(matches, key=lambda m: m.rank)
    truncated = _truncated(code, text, how)
    if truncated is not None:
        return truncated
    ratio, found = _similar(code, text)
    return _Match(100, found) if ratio >= SIMILAR else None


def _precheck(raw: bytes) -> Finding | None:
    if not raw:
        return finding("empty")
    if len(raw) > SCAN_LIMIT:
        return finding("too-long", length=str(len(raw)))
    return None


def identify(
    received: RawScan | bytes,
    how: How,
    gs_substitutes: Sequence[str] = DEFAULT_GS_SUBSTITUTES,
) -> Diagnosis:
    """Which sheet code this scan most likely is, and what went wrong reading it."""
    raw = _decode(received)
    problem = _precheck(raw)
    if problem is not None:
        return Diagnosis(None, raw, (problem,))
    text = _text(raw)
    candidates = [(m, c) for c in SHEET if (m := _analyse(c, text, how, gs_substitutes))]
    if not candidates:
        return Diagnosis(None, raw, (finding("not-sheet-code", evidence=shown(text[:80])),))
    best, code = min(candidates, key=lambda pair: (pair[0].cost, pair[1].number))
    return Diagnosis(code, raw, tuple(best.findings))


def diagnose(
    sheet_code: SheetCode,
    received: RawScan | bytes,
    how: How,
    gs_substitutes: Sequence[str] = DEFAULT_GS_SUBSTITUTES,
) -> list[Finding]:
    """The findings for a scan that should be ``sheet_code``."""
    raw = _decode(received)
    problem = _precheck(raw)
    if problem is not None:
        return [problem]
    text = _text(raw)
    match = _analyse(sheet_code, text, how, gs_substitutes)
    if match is not None and match.cost < 100:
        return match.findings
    other = identify(raw, how, gs_substitutes)
    if other.code is not None and other.code != sheet_code:
        wrong = finding(
            "wrong-code", received=str(other.code.number), expected=str(sheet_code.number)
        )
        return [wrong]
    if match is not None:
        return match.findings
    return [finding("not-sheet-code", evidence=shown(text[:80]))]


@dataclass(slots=True)
class _Group:
    numbers: list[str] = field(default_factory=list)
    changes: dict[str, None] = field(default_factory=dict)  # ordered set


def summarise(results: Sequence[Diagnosis]) -> list[Finding]:
    """The sheet-level verdict from the latest scan of each code: each distinct problem once
    (its ``evidence`` lists the numbers of the codes showing it, e.g. ``"1, 2"``), the codes
    not scanned yet, or that all is right.

    Scans that are no sheet code are left out: they say nothing about the set-up.
    """
    latest = {result.code.id: result for result in results if result.code is not None}
    if not latest:
        return [finding("nothing-scanned")]
    # One entry per problem: the same layout mismatch changes different characters in each
    # code, so "changes" is merged rather than told apart.
    grouped: dict[tuple[str, tuple[tuple[str, str], ...]], _Group] = {}
    for code in SHEET:
        result = latest.get(code.id)
        for item in result.findings if result else ():
            if item.severity is Severity.OK:
                continue
            params = dict(item.params)
            changes = params.pop("changes", None)
            group = grouped.setdefault((item.code, tuple(sorted(params.items()))), _Group())
            group.numbers.append(str(code.number))
            if changes is not None:
                group.changes.update(dict.fromkeys(changes.split(" ")))
    summary = []
    for (code_name, shared), group in grouped.items():
        merged = dict(shared)
        if group.changes:
            merged["changes"] = " ".join(group.changes)
        summary.append(finding(code_name, evidence=", ".join(group.numbers), **merged))
    summary.sort(key=lambda item: -item.severity.rank)
    missing = [str(code.number) for code in SHEET if code.id not in latest]
    if missing:
        summary.append(finding("not-scanned", numbers=", ".join(missing)))
    elif all(item.severity.rank <= Severity.INFO.rank for item in summary):
        summary.append(finding("all-correct"))
    return summary


def translatable_texts() -> dict[str, list[str]]:
    """Every English text the scanner test shows, by Qt context, for the translation catalog:
    finding messages and fixes and the layout names they quote (``scanner.finding``), and the
    sheet's code titles (``scanner.sheet``).

    >>> texts = translatable_texts()
    >>> "German (QWERTZ)" in texts["scanner.finding"], texts["scanner.sheet"][0]
    (True, 'GS1 DataMatrix with separators')
    """
    findings = [text for _, message, fix in CATALOG.values() for text in (message, fix)]
    layouts = [name for m in LAYOUT_MISMATCHES for name in (m.scanner, m.computer)]
    return {
        FINDING_CONTEXT: list(dict.fromkeys([*findings, *layouts])),
        "scanner.sheet": [code.title for code in SHEET],
    }
