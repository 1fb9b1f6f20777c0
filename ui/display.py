"""Make untrusted scan text safe to look at: nothing invisible, nothing that reorders the line.

A scan can hide characters a person cannot see (GS, a bidi override, a zero-width joiner) or
characters that make one text look like another. Every such character is shown as a marker:
``⟨GS⟩ ⟨RS⟩ ⟨EOT⟩ ⟨CR⟩ ⟨LF⟩`` by name, anything else as ``⟨U+XXXX⟩``. The marker brackets are
escaped too, so a scan that *contains* the text ``⟨GS⟩`` cannot pass for a real separator.

The result is still untrusted: show it only in plain-text widgets.

>>> visible("10LOT\\x1d21SN")
'10LOT⟨GS⟩21SN'
>>> visible("abc\\u202edef")
'abc⟨U+202E⟩def'
>>> visible("⟨GS⟩")
'⟨U+27E8⟩GS⟨U+27E9⟩'
>>> shown = show("A\\x1dB")
>>> shown.text, shown.span(1), shown.span(2)
('A⟨GS⟩B', (1, 5), (5, 6))
>>> hex_bytes(b"]d2\\x1d")
'5D 64 32 1D'
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MARK_OPEN, MARK_CLOSE = "⟨", "⟩"
ELLIPSIS = "…"

#: Control characters a UDI can legitimately carry, shown by their ASCII names.
NAMED_CONTROLS: dict[str, str] = {
    "\x1d": "GS",
    "\x1e": "RS",
    "\x04": "EOT",
    "\r": "CR",
    "\n": "LF",
}

#: Characters that draw nothing although Unicode does not class them as control or format
#: (fillers, variation selectors): they could pad a value invisibly.
_INVISIBLE_OTHER = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\uffa0"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)


def needs_marker(char: str) -> bool:
    """True for a character that must never reach the screen as itself."""
    if char in (MARK_OPEN, MARK_CLOSE) or char in _INVISIBLE_OTHER:
        return True
    if 0xE0100 <= ord(char) <= 0xE01EF:  # variation selectors supplement
        return True
    category = unicodedata.category(char)
    # C*: control, format (bidi, zero-width), surrogate, private use, unassigned.
    # Zl/Zp and non-ASCII spaces: invisible or line-breaking.
    # Mn/Me: combining marks change how the previous character looks (homoglyphs).
    return (
        category[0] == "C"
        or category in ("Zl", "Zp", "Mn", "Me")
        or (category == "Zs" and char != " ")
    )


def marker(char: str) -> str:
    """The visible stand-in for one character that needs a marker."""
    name = NAMED_CONTROLS.get(char) or f"U+{ord(char):04X}"
    return f"{MARK_OPEN}{name}{MARK_CLOSE}"


@dataclass(frozen=True, slots=True)
class Shown:
    """Display text plus where each source character landed, for highlighting.

    ``starts[i]`` is the offset in ``text`` where source character ``i`` begins; the list has
    one extra entry, ``len(text)``, so a span's end is always the next start.
    ``markers`` holds the ``(start, end)`` span of every marker, to style them apart from data.
    """

    text: str
    starts: tuple[int, ...]
    markers: tuple[tuple[int, int], ...]

    def span(self, index: int, length: int = 1) -> tuple[int, int]:
        """Display span of source characters ``index … index+length-1``, clamped to the text."""
        last = len(self.starts) - 1
        start = min(max(index, 0), last)
        end = min(start + max(length, 1), last)
        return self.starts[start], self.starts[end]


def show(text: str) -> Shown:
    """Map ``text`` to its displayable form, remembering the position of every character."""
    pieces: list[str] = []
    starts: list[int] = []
    markers: list[tuple[int, int]] = []
    offset = 0
    for char in text:
        starts.append(offset)
        if needs_marker(char):
            piece = marker(char)
            markers.append((offset, offset + len(piece)))
        else:
            piece = char
        pieces.append(piece)
        offset += len(piece)
    starts.append(offset)
    return Shown("".join(pieces), tuple(starts), tuple(markers))


def visible(text: str) -> str:
    """``text`` with every invisible or reordering character replaced by a visible marker."""
    if all(not needs_marker(char) for char in text):
        return text
    return show(text).text


def shorten(text: str, limit: int) -> str:
    """Displayable ``text`` cut to at most ``limit`` characters, ending in ``…`` when cut.

    Used where a value is embedded in a sentence (issue messages) that must stay readable.
    Never cuts through a marker.

    >>> shorten("LOT-" + "9" * 50, 10)
    'LOT-99999…'
    >>> shorten("AB\\x1dCD", 4)
    'AB…'
    """
    if limit < 1:
        msg = "limit must be positive"
        raise ValueError(msg)
    shown = show(text)
    if len(shown.text) <= limit:
        return shown.text
    cut = limit - 1
    for start, end in shown.markers:
        if start < cut < end:
            cut = start
            break
    return shown.text[:cut] + ELLIPSIS


#: Separator markers a person may type or insert with a button, and the bytes they stand for.
SEPARATOR_MARKERS: dict[str, str] = {marker(c): c for c in ("\x1d", "\x1e", "\x04")}


def unmark_separators(text: str) -> str:
    """Turn typed ``⟨GS⟩ ⟨RS⟩ ⟨EOT⟩`` markers back into the separators they show.

    >>> unmark_separators("10A⟨GS⟩21B") == "10A\x1d21B"
    True
    """
    for mark, char in SEPARATOR_MARKERS.items():
        text = text.replace(mark, char)
    return text


def mark_separators(text: str) -> str:
    """Show real GS/RS/EOT characters as markers (for an editable field; the inverse above)."""
    for mark, char in SEPARATOR_MARKERS.items():
        text = text.replace(char, mark)
    return text


def hex_bytes(raw: bytes) -> str:
    """The scan's bytes as upper-case hex pairs separated by spaces."""
    return raw.hex(" ").upper()
