"""An independent reading of our ZPL, as a printer would take it, for the ZPL tests.

For each symbol field this undoes the layers in the printer's order: ``^FH`` hex first
(:func:`drivers.labels.zpl_tokens.field_values`), then the symbol's own escapes, written here
from the ZPL manual's tables rather than from the renderer's code: ``^BX`` with escape ``_``
(``__`` is ``_``, ``_1`` is FNC1), ``^BC`` mode N invocation codes (``>;`` ``>:`` start C/B,
``>5`` ``>6`` switch, ``>8`` FNC1, ``>0`` ``><`` ``>=`` are ``>`` ``^`` ``~``), ``^BQ`` switches.
The result is what a scanner with AIM identifiers on would send: AIM id + data, FNC1 as GS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import zxingcpp

from drivers.labels.zpl_tokens import Token, field_values, tokenize
from station.labels.model import BarcodeItem, Item, ResolvedLabel, Symbology
from station.udi import read_scan
from station.udi.build import UdiData, element_string, hri, pairs_of

GS = "\x1d"
Bitmap = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Field:
    tokens: list[Token]
    data: str  # ^FH decoded

    def command(self, name: str) -> Token | None:
        return next((t for t in self.tokens if t.command == name), None)


def fields(zpl: bytes) -> list[Field]:
    return [Field(tokens, raw.decode("utf-8")) for tokens, raw in field_values(tokenize(zpl))]


def graphics(zpl: bytes) -> list[tuple[int, int, Bitmap]]:
    """Every ``^GFA`` graphic: its ``^FO`` origin and its pixels (True = black)."""
    out, origin = [], (0, 0)
    for token in tokenize(zpl):
        if token.command == "^FO":
            x, y = token.params.split(",")[:2]
            origin = (int(x), int(y))
        elif token.command == "^GF":
            out.append((*origin, gf_bitmap(token.params)))
    return out


def gf_bitmap(params: str) -> Bitmap:
    """``A,<total>,<total>,<row bytes>,<hex>`` as pixels; AssertionError if inconsistent."""
    kind, total, field_count, row_bytes, data = params.split(",")
    assert kind == "A"
    assert int(total) == int(field_count) == len(data) // 2, "declared bytes != data length"
    assert len(data) % 2 == 0
    assert int(total) % int(row_bytes) == 0
    packed = np.frombuffer(bytes.fromhex(data), dtype=np.uint8).reshape(-1, int(row_bytes))
    return np.unpackbits(packed, axis=1).astype(bool)


def bx_content(data: str) -> str:
    out, gs1, i = [], False, 0
    while i < len(data):
        if data[i] != "_":
            out.append(data[i])
            i += 1
            continue
        code = data[i + 1 : i + 2]
        if code == "_":
            out.append("_")
        elif code == "1" and i == 0:
            gs1 = True
        elif code == "1":
            out.append(GS)
        else:
            msg = f"unexpected ^BX escape _{code} in {data!r}"
            raise AssertionError(msg)
        i += 2
    return ("]d2" if gs1 else "]d1") + "".join(out)


_B_CODES = {"0": ">", "<": "^", "=": "~"}


def bc_content(data: str) -> str:
    assert data[:2] in (">;", ">:"), f"no start code: {data!r}"
    subset = "C" if data[:2] == ">;" else "B"
    out: list[str] = []
    gs1, i = data[2:4] == ">8", 4 if data[2:4] == ">8" else 2
    while i < len(data):
        if data[i] == ">":
            code = data[i + 1]
            if code == "8":
                out.append(GS)
            elif code in "56":
                subset = "C" if code == "5" else "B"
            elif subset == "B" and code in _B_CODES:
                out.append(_B_CODES[code])
            else:
                msg = f"unexpected invocation >{code} in subset {subset}: {data!r}"
                raise AssertionError(msg)
            i += 2
        elif subset == "C":
            pair = data[i : i + 2]
            assert len(pair) == 2, f"odd subset C data in {data!r}"
            assert pair.isdigit(), f"bad subset C pair {pair!r} in {data!r}"
            out.append(pair)
            i += 2
        else:
            out.append(data[i])
            i += 1
    return ("]C1" if gs1 else "]C0") + "".join(out)


def bq_content(data: str) -> str:
    assert data.startswith("MA,"), f"QR switches missing: {data!r}"
    return "]Q1" + data[3:]


def symbol_contents(zpl: bytes) -> list[str]:
    """What each ^BX/^BC/^BQ field would scan as, in order."""
    out = []
    for field in fields(zpl):
        commands = {t.command for t in field.tokens}
        if "^BX" in commands:
            out.append(bx_content(field.data))
        elif "^BC" in commands:
            out.append(bc_content(field.data))
        elif "^BQ" in commands:
            out.append(bq_content(field.data))
    return out


_FORMATS = {
    "]d": zxingcpp.BarcodeFormat.DataMatrix,
    "]C": zxingcpp.BarcodeFormat.Code128,
    "]Q": zxingcpp.BarcodeFormat.QRCode,
}


def read_image(black: Bitmap, scale: int = 1) -> list[str]:
    """zxing-cpp's readings (AIM id + bytes, GS kept) of black pixels with a quiet zone."""
    if scale > 1:
        black = np.kron(black, np.ones((scale, scale), dtype=bool))
    image = np.pad(np.where(black, 0, 255).astype(np.uint8), 40, constant_values=255)
    results = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)
    return [r.symbology_identifier + r.bytes.decode("latin-1") for r in results]


def reencode(content: str, today: date) -> list[str]:
    """Encode recovered content with zxing-cpp (GS1 via its HRI) and read the image back."""
    aim, body = content[:3], content[3:]
    gs1 = aim in ("]d2", "]C1", "]Q3")
    text = hri(pairs_of(read_scan(content)), today=today) if gs1 else body
    options = {"gs1": True} if gs1 else {}
    if aim.startswith("]d"):
        options["forceSquare"] = True
    barcode = zxingcpp.create_barcode(text, _FORMATS[aim[:2]], **options)
    black = np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=1)) < 128
    if aim.startswith("]C"):
        black = np.repeat(black[:1], 40, axis=0)
    return read_image(black, scale=3)


# --------------------------------------------------------------------------- test labels

TODAY = date(2026, 6, 1)


def gs1_item(
    symbology: Symbology, udi: UdiData, x: float = 2, y: float = 2, height: float | None = None
) -> BarcodeItem:
    """A GS1 item as resolve builds it: HRI (data), AIM + element string (expected), pairs."""
    text = element_string(udi, today=TODAY)
    ordered = pairs_of(read_scan(symbology.aim + text))
    data = hri(ordered, today=TODAY)
    return BarcodeItem(x, y, symbology, 0.34, data, symbology.aim + text, ordered, height)


def plain_item(
    symbology: Symbology, text: str, x: float = 2, y: float = 2, height: float | None = None
) -> BarcodeItem:
    return BarcodeItem(x, y, symbology, 0.34, text, symbology.aim + text, height=height)


def label(*items: Item, width: float = 60, height: float = 40) -> ResolvedLabel:
    return ResolvedLabel("test", 1, "0" * 64, width, height, tuple(items))


def fb_unescape(data: str) -> str:
    """What a ``^FB`` block prints for its data: ``\\\\`` is ``\\``, ``\\&`` a line break."""
    out, i = [], 0
    while i < len(data):
        if data[i] == "\\" and data[i + 1 : i + 2] in ("\\", "&"):
            out.append("\\" if data[i + 1] == "\\" else "\n")
            i += 2
        else:
            out.append(data[i])
            i += 1
    return "".join(out)


def printed_texts(zpl: bytes) -> list[str]:
    """The text each font field prints (hex decoded, then ^FB's own escapes)."""
    return [
        fb_unescape(f.data) if f.command("^FB") else f.data for f in fields(zpl) if f.command("^A")
    ]


def shape(zpl: bytes) -> list[tuple[str, str | None]]:
    """The token sequence without what may depend on the data: field data, graphics, and
    font size (shrunk to fit)."""
    return [
        (t.command, None if t.command in ("^FD", "^GF", "^A") else t.params) for t in tokenize(zpl)
    ]
