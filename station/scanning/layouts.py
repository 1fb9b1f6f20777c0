"""What a keyboard-wedge scanner types when its keyboard layout and the computer's differ.

A wedge sends key positions, not characters. A scanner set to US English that types into a
computer set to German gives the German character on each US key: ``y`` and ``z`` swap, ``-``
arrives as ``ß``, ``/`` as ``-``. Dead keys (German ``´`` and `````, French ``^``) are modelled
as typing the accent itself, as Windows does before a character that takes no accent.

>>> retype("]d2LOT-A1/Zy", US_TYPED_ON_GERMAN)
'+d2LOTßA1-Yz'
>>> retype("]d2 10", US_TYPED_ON_FRENCH)
'$dé &à'
>>> invert_case("Lot-a1")
'lOT-A1'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "LAYOUT_MISMATCHES",
    "US_TYPED_ON_FRENCH",
    "US_TYPED_ON_GERMAN",
    "LayoutMismatch",
    "invert_case",
    "retype",
]

#: US key → the character a German (QWERTZ) computer shows for it.
US_TYPED_ON_GERMAN: Mapping[str, str] = MappingProxyType(
    {
        "y": "z", "z": "y", "Y": "Z", "Z": "Y",
        "`": "^", "~": "°", "@": '"', "#": "§", "^": "&", "&": "/", "*": "(", "(": ")",
        ")": "=", "-": "ß", "_": "?", "=": "´", "+": "`", "[": "ü", "{": "Ü", "]": "+",
        "}": "*", "\\": "#", "|": "'", ";": "ö", ":": "Ö", "'": "ä", '"': "Ä", "<": ";",
        ">": ":", "/": "-", "?": "_",
    }
)  # fmt: skip

#: US key → the character a French (AZERTY) computer shows for it.
US_TYPED_ON_FRENCH: Mapping[str, str] = MappingProxyType(
    {
        "a": "q", "q": "a", "A": "Q", "Q": "A", "w": "z", "z": "w", "W": "Z", "Z": "W",
        "m": ",", "M": "?",
        "1": "&", "2": "é", "3": '"', "4": "'", "5": "(", "6": "-", "7": "è", "8": "_",
        "9": "ç", "0": "à",
        "!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7", "*": "8",
        "(": "9", ")": "0",
        "-": ")", "_": "°", "[": "^", "{": "¨", "]": "$", "}": "£", ";": "m", ":": "M",
        "'": "ù", '"': "%", "\\": "*", "|": "µ", ",": ";", "<": ".", ".": ":", ">": "/",
        "/": "!", "?": "§", "`": "²",
    }
)  # fmt: skip


def _reverse(forward: Mapping[str, str]) -> Mapping[str, str]:
    """The other direction: a scanner set to that layout typing into a US computer.

    Characters the foreign layout types only with AltGr (``@ [ ] { } \\ |`` …) arrive as
    Alt+key on a US computer, which types nothing.
    """
    backward = {typed: key for key, typed in forward.items()}
    for key in forward:
        backward.setdefault(key, "")
    return MappingProxyType(backward)


@dataclass(frozen=True, slots=True)
class LayoutMismatch:
    """A scanner/computer layout pair: ``code`` names the finding, ``mapping`` the effect."""

    code: str
    scanner: str
    computer: str
    mapping: Mapping[str, str]


LAYOUT_MISMATCHES: tuple[LayoutMismatch, ...] = (
    LayoutMismatch("layout-de", "US English", "German (QWERTZ)", US_TYPED_ON_GERMAN),
    LayoutMismatch("layout-fr", "US English", "French (AZERTY)", US_TYPED_ON_FRENCH),
    LayoutMismatch(
        "layout-scanner-de", "German (QWERTZ)", "US English", _reverse(US_TYPED_ON_GERMAN)
    ),
    LayoutMismatch(
        "layout-scanner-fr", "French (AZERTY)", "US English", _reverse(US_TYPED_ON_FRENCH)
    ),
)


def retype(text: str, mapping: Mapping[str, str]) -> str:
    """``text`` as it arrives through ``mapping``; characters not in it are unchanged."""
    return "".join(mapping.get(char, char) for char in text)


def invert_case(text: str) -> str:
    """Caps Lock: upper and lower case letters swapped, everything else unchanged.

    Only letters whose other case is one character swap (``ß`` stays, it has no capital key).
    """
    return "".join(
        char.swapcase() if char.isalpha() and len(char.swapcase()) == 1 else char for char in text
    )
