"""The scanner test sheet: a handful of codes whose exact bytes are known in advance.

Each code probes one thing a misconfigured scanner gets wrong (``docs/scanner-diagnostics.md``):
GS separators, AIM identifiers, characters a foreign keyboard layout mangles, Caps Lock,
the suffix. ``expected`` is what a correctly configured scanner sends: the AIM identifier, then
the data, with GS as byte 0x1D and no terminator.

``content`` is what the sheet generator encodes: GS1 HRI for GS1 symbols (zxing-cpp inserts
FNC1 itself), the plain text otherwise.

>>> [code.number for code in SHEET]
[1, 2, 3, 4, 5, 6]
>>> by_id("gs1-128").expected
b']C1010401234512345610LOT-B2\\x1d17261231'
>>> by_id("layout").aim, by_id("layout").data.decode()
(']C0', 'Zy+$/%-.=&aqwmAQ0123456789')
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["SHEET", "CodeFormat", "SheetCode", "by_id"]

GS = "\x1d"


class CodeFormat(enum.Enum):
    """The symbol to print, and whether it carries the GS1 (FNC1) flag."""

    GS1_DATAMATRIX = "gs1-datamatrix"
    GS1_128 = "gs1-128"
    DATAMATRIX = "datamatrix"
    CODE128 = "code128"
    QR = "qr"

    @property
    def gs1(self) -> bool:
        return self in (CodeFormat.GS1_DATAMATRIX, CodeFormat.GS1_128)


@dataclass(frozen=True, slots=True)
class SheetCode:
    """One code on the sheet. ``title`` and ``purpose`` are English; the UI translates them."""

    id: str
    number: int
    title: str
    purpose: str
    format: CodeFormat
    content: str  # what to encode (GS1 HRI for GS1 formats)
    hri: str  # the text printed under the symbol
    expected: bytes  # AIM identifier + data, GS as 0x1D, no terminator

    @property
    def aim(self) -> str:
        """The AIM symbology identifier a correctly set-up scanner sends first."""
        return self.expected[:3].decode("ascii")

    @property
    def data(self) -> bytes:
        return self.expected[3:]

    @property
    def text(self) -> str:
        """``expected`` as text (the sheet holds ASCII only)."""
        return self.expected.decode("ascii")


def _code(  # noqa: PLR0917 - one row of the table below
    number: int,
    id_: str,
    title: str,
    purpose: str,
    code_format: CodeFormat,
    content: str,
    expected: str,
    hri: str | None = None,
) -> SheetCode:
    return SheetCode(
        id=id_,
        number=number,
        title=title,
        purpose=purpose,
        format=code_format,
        content=content,
        hri=hri if hri is not None else content,
        expected=expected.encode("ascii"),
    )


#: The codes, in print order. Values are fixed (not built at import) so the sheet never
#: changes under a printed copy; tests check them against ``station.udi``.
SHEET: tuple[SheetCode, ...] = (
    _code(
        1,
        "gs1-datamatrix",
        "GS1 DataMatrix with separators",
        "AIM identifier ]d2 and the GS after variable-length lot and serial",
        CodeFormat.GS1_DATAMATRIX,
        "(01)04012345123456(17)261231(10)LOT-A1(21)SN0001(240)REF-4711",
        f"]d201040123451234561726123110LOT-A1{GS}21SN0001{GS}240REF-4711",
    ),
    _code(
        2,
        "gs1-128",
        "GS1-128 with a separator",
        "AIM identifier ]C1 and FNC1 after a variable-length lot, sent as GS",
        CodeFormat.GS1_128,
        "(01)04012345123456(10)LOT-B2(17)261231",
        f"]C1010401234512345610LOT-B2{GS}17261231",
    ),
    _code(
        3,
        "hibc",
        "HIBC DataMatrix",
        "the characters $ and / of HIBC, AIM identifier ]d1",
        CodeFormat.DATAMATRIX,
        "+A99912349/$10X3/16D20111231/14D20200131/Q500Z",
        "]d1+A99912349/$10X3/16D20111231/14D20200131/Q500Z",
        hri="*+A99912349/$10X3/16D20111231/14D20200131/Q500Z*",
    ),
    _code(
        4,
        "layout",
        "Keyboard layout and Caps Lock",
        "symbols, upper and lower case, the letters keyboard layouts move, and digits",
        CodeFormat.CODE128,
        "Zy+$/%-.=&aqwmAQ0123456789",
        "]C0Zy+$/%-.=&aqwmAQ0123456789",
    ),
    _code(
        5,
        "digital-link",
        "QR code with a GS1 Digital Link",
        "AIM identifier ]Q1 and the URL characters : / ? =",
        CodeFormat.QR,
        "https://id.gs1.org/01/04012345123456/10/LOT-C3/21/SN0042?17=261231",
        "]Q1https://id.gs1.org/01/04012345123456/10/LOT-C3/21/SN0042?17=261231",
    ),
    _code(
        6,
        "suffix",
        "Suffix probe",
        "only letters every layout types alike: shows what the scanner adds before and after",
        CodeFormat.CODE128,
        "SUFFIXTEST",
        "]C0SUFFIXTEST",
    ),
)


def by_id(code_id: str) -> SheetCode:
    """The sheet code called ``code_id``; KeyError for an unknown id."""
    for code in SHEET:
        if code.id == code_id:
            return code
    raise KeyError(code_id)
