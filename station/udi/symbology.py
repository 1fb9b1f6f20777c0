"""AIM symbology identifiers (ISO/IEC 15424): the ``]Xm`` prefix a scanner may send.

>>> split_aim("]d2010401")
(']d2', '010401')
>>> split_aim("]zz")  # modifiers are 0-9 or A-Z: this is data, not an AIM ID
(None, ']zz')
>>> describe("]C1")
'GS1-128'
>>> is_gs1("]Q3"), is_gs1("]Q1")
(True, False)
"""

from __future__ import annotations

import re

_AIM = re.compile(r"\][A-Za-z][0-9A-Z]")

#: Symbology letter → name (ISO/IEC 15424 table; the letters a medical-device station meets).
SYMBOLOGIES: dict[str, str] = {
    "A": "Code 39",
    "C": "Code 128",
    "d": "Data Matrix",
    "e": "GS1 DataBar",
    "E": "EAN/UPC",
    "F": "Codabar",
    "G": "Code 93",
    "I": "ITF",
    "J": "DotCode",
    "L": "PDF417",
    "Q": "QR Code",
    "z": "Aztec",
    "X": "other",
}

#: Full identifiers whose data is GS1 element strings (FNC1 in first position).
GS1_IDENTIFIERS: dict[str, str] = {
    "]C1": "GS1-128",
    "]d2": "GS1 DataMatrix",
    "]Q3": "GS1 QR Code",
    "]e0": "GS1 DataBar",
    "]J1": "GS1 DotCode",
    "]z1": "GS1 Aztec",  # Aztec modifier 1: FNC1 in first position
}

#: EAN/UPC identifiers: the data is a bare GTIN (13 or 8 digits), not an element string.
GTIN_IDENTIFIERS: frozenset[str] = frozenset({"]E0", "]E4"})


def split_aim(text: str) -> tuple[str | None, str]:
    """Split a leading AIM identifier off ``text``; the AIM ID wins over content sniffing."""
    if _AIM.match(text):
        return text[:3], text[3:]
    return None, text


def is_gs1(symbology: str | None) -> bool:
    return symbology in GS1_IDENTIFIERS


def describe(symbology: str | None) -> str | None:
    """A human name for an AIM identifier, or None when none was sent."""
    if symbology is None:
        return None
    if symbology in GS1_IDENTIFIERS:
        return GS1_IDENTIFIERS[symbology]
    if symbology == "]C4":
        return "Code 128 (ISBT 128 concatenation)"
    name = SYMBOLOGIES.get(symbology[1])
    return name if name else f"unknown symbology {symbology}"
