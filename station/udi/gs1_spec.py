"""Typed records for the GS1 Application Identifier table (``gs1_table`` is generated from them).

The GS1 Barcode Syntax Dictionary describes each AI as a sequence of *components*; each component
has a character set, a length range and a list of *linters* (content rules such as ``csum``).

>>> spec = AISpec("10", "BATCH/LOT", False, True, (Component("X", 1, 20, False, ()),), 1, 20,
...               ((("01",), ("02",)),), (), None)
>>> spec.variable, pattern_matches("31nn", "3103"), pattern_matches("31nn", "310")
(True, True, False)
"""

from __future__ import annotations

from typing import NamedTuple

#: GS1 AI encodable character set 82 (``X``): the only characters a lot or serial may contain.
CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
#: GS1 AI encodable character set 39 (``Y``).
CSET39 = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: GS1 AI encodable character set 64 (``Z``): file-safe / URI-safe base64 (``=`` padding aside).
CSET64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
DIGITS = "0123456789"

#: Character set letter → the characters it allows (``Z`` also allows trailing ``=`` padding).
CHARSETS: dict[str, str] = {"N": DIGITS, "X": CSET82, "Y": CSET39, "Z": CSET64}
#: Character set letter → a short name a line worker can read.
CHARSET_NAMES: dict[str, str] = {
    "N": "digits only",
    "X": "GS1 character set 82 (letters, digits and !\"%&'()*+,-./:;<=>?_)",
    "Y": "GS1 character set 39 (capitals, digits and #-/)",
    "Z": "URL-safe base64",
}


class Component(NamedTuple):
    """One component of an AI's value, e.g. ``N6,yymmd0`` or ``[X..17]``."""

    cset: str
    min_length: int
    max_length: int
    optional: bool
    linters: tuple[str, ...]


class AISpec(NamedTuple):
    """Everything the dictionary says about one AI.

    ``fixed`` is the ``*`` flag (pre-defined length: no FNC1 separator needed after it);
    ``dl_attr`` the ``?`` flag (allowed as a Digital Link query attribute). ``req`` holds one
    rule per ``req=`` attribute; a rule is a tuple of alternatives, an alternative a tuple of AI
    patterns that must all be present. ``ex`` lists AI patterns that must not be present.
    ``dlpkey`` is None for AIs that are not Digital Link primary keys, else the alternative
    qualifier sequences (``((),)`` for a key without qualifiers).
    """

    ai: str
    title: str
    fixed: bool
    dl_attr: bool
    components: tuple[Component, ...]
    min_length: int
    max_length: int
    req: tuple[tuple[tuple[str, ...], ...], ...]
    ex: tuple[str, ...]
    dlpkey: tuple[tuple[str, ...], ...] | None

    @property
    def variable(self) -> bool:
        """True when the value must end with FNC1 (GS) unless it is the last element."""
        return not self.fixed


def pattern_matches(pattern: str, ai: str) -> bool:
    """Does ``ai`` match a dictionary pattern such as ``"01"``, ``"31nn"`` or ``"394n"``?

    A trailing run of ``n`` stands for any digit; lengths must agree.
    """
    if len(pattern) != len(ai):
        return False
    fixed = pattern.rstrip("n")
    wildcard = ai[len(fixed) :]
    return ai.startswith(fixed) and (not wildcard or (wildcard.isdigit() and wildcard.isascii()))
