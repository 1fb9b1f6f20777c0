"""Check-digit algorithms shared by the formats (pure functions, no tables).

>>> gs1_check_digit("0401234512345")
6
>>> gs1_check_digit_ok("04012345123456"), gs1_check_digit_ok("04012345123457")
(True, False)
>>> mod43_check("+A123BJC5D6E71")
'G'
"""

from __future__ import annotations

#: The 43 Code 39 characters in value order: HIBC's mod-43 alphabet.
MOD43_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"
_MOD43_VALUE = {c: i for i, c in enumerate(MOD43_ALPHABET)}


def gs1_check_digit(data: str) -> int:
    """GS1 mod-10 check digit for ``data`` (the digits *before* the check digit)."""
    total = 0
    for i, char in enumerate(reversed(data)):
        total += (ord(char) - 48) * (3 if i % 2 == 0 else 1)
    return (10 - total % 10) % 10


def gs1_check_digit_ok(number: str) -> bool:
    """True if the last digit of an all-digit ``number`` is its GS1 check digit."""
    if len(number) < 2 or not (number.isascii() and number.isdigit()):
        return False
    return gs1_check_digit(number[:-1]) == ord(number[-1]) - 48


def mod43_check(data: str) -> str:
    """HIBC/Code 39 mod-43 check character over every character of ``data``.

    Raises KeyError for a character outside the 43-character set; callers check the set first.
    """
    return MOD43_ALPHABET[sum(_MOD43_VALUE[c] for c in data) % 43]


def is_mod43_text(data: str) -> bool:
    return all(c in _MOD43_VALUE for c in data)
