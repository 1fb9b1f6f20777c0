"""ZPL field data that cannot be read as a command (compliance SEC-7).

In ZPL ``^`` and ``~`` start commands wherever they appear, so untrusted text is never sent
raw. Each variable field is ``^FH\\^FD…^FS``: ``^FH`` makes ``\\`` the hex indicator, and
every ``^``, ``~``, ``\\`` and every byte outside printable ASCII (UTF-8 under ``^CI28``) is
written ``\\HH``. The printer decodes that hex layer first; the symbol layers below it
(``^BX`` escapes, ``^BC`` invocation codes) are applied before it here, and use characters
the hex layer never produces, so the two layers cannot mix.

>>> fh_escape("AB^XZ~JA\\\\1")
'AB\\\\5EXZ\\\\7EJA\\\\5C1'
>>> datamatrix_data("010401234512345610X_1Y\\x1d21S", gs1=True)
'_1010401234512345610X__1Y_121S'
>>> code128_data("0104012345123456\\x1d10A>8", gs1=True)
'>;>80104012345123456>810>6A>08'
"""

from __future__ import annotations

import re

from drivers.labels import LabelRenderError

__all__ = [
    "BX_ESCAPE",
    "FH_INDICATOR",
    "GS",
    "MAX_FIELD_BYTES",
    "code128_data",
    "datamatrix_data",
    "fb_text",
    "fh_escape",
    "field",
    "qr_data",
]

#: ``^FH`` hex indicator; never ``_``, which is the ``^BX`` escape character.
FH_INDICATOR = "\\"
#: ``^BX`` escape character (set explicitly: firmware defaults differ, codes.md §10).
BX_ESCAPE = "_"
#: A field's ``^FD`` data as sent (escapes included) is at most this many bytes.
MAX_FIELD_BYTES = 3072
GS = "\x1d"
_UNSAFE = frozenset(b"^~" + FH_INDICATOR.encode())
#: Printable ASCII except ``^`` (0x5E), ``\\`` (0x5C) and ``~`` (0x7E): written as it is.
_NOTHING_TO_ESCAPE = re.compile(r"[\x20-\x5b\x5d\x5f-\x7d]*")
# Code 128 subset B characters ZPL reads as syntax: written as invocation codes (^BC table).
_C128_B = {">": ">0", "^": "><", "~": ">="}
_START, _SWITCH = {"B": ">:", "C": ">;"}, {"B": ">6", "C": ">5"}
_FNC1 = "FNC1"  # a marker in the atom list, never a data character
_DIGITS = frozenset("0123456789")


def fh_escape(text: str) -> str:
    """``text`` as ``^FH\\`` field data: hex for syntax characters and non-ASCII bytes."""
    if _NOTHING_TO_ESCAPE.fullmatch(text):
        return text  # every character would stand for itself below
    out = []
    for byte in text.encode("utf-8"):
        if byte < 0x20 or byte >= 0x7F or byte in _UNSAFE:
            out.append(f"{FH_INDICATOR}{byte:02X}")
        else:
            out.append(chr(byte))
    return "".join(out)


def field(data: str, what: str) -> str:
    """``^FH\\^FD<escaped data>^FS``; LabelRenderError if the escaped data is too long."""
    escaped = fh_escape(data)
    if len(escaped) > MAX_FIELD_BYTES:
        msg = (
            f"{what}: {len(escaped)} bytes of ZPL field data, more than the {MAX_FIELD_BYTES} "
            "a ^FD field holds; nothing printed"
        )
        raise LabelRenderError(msg)
    return f"^FH{FH_INDICATOR}^FD{escaped}^FS"


def _printable_ascii(content: str, what: str, allow_gs: bool) -> None:
    bad = sorted({c for c in content if not (" " <= c <= "~" or (allow_gs and c == GS))})
    if bad:
        msg = f"{what}: barcode data has characters ZPL symbols here do not carry: {bad!r}"
        raise LabelRenderError(msg)


def datamatrix_data(content: str, *, gs1: bool, what: str = "DataMatrix") -> str:
    """``^BX`` (escape ``_``) data: FNC1 first and for each GS when ``gs1``; ``_`` doubled."""
    _printable_ascii(content, what, allow_gs=gs1)
    body = content.replace(BX_ESCAPE, BX_ESCAPE * 2)
    if not gs1:
        return body
    fnc1 = BX_ESCAPE + "1"
    return fnc1 + body.replace(GS, fnc1)


def code128_data(content: str, *, gs1: bool, what: str = "Code 128") -> str:
    """``^BC`` mode N data: explicit start code, subset switches and FNC1 (``>8``).

    Subset C packs digit pairs; everything else is subset B, where ``>`` ``^`` ``~`` are
    written as their invocation codes so no data character is read as one. Mode N is used
    rather than mode D (UCC/EAN) because mode D parses brackets in the data as AI delimiters
    and leaves the FNC1 after a variable-length field to the printer.
    """
    _printable_ascii(content, what, allow_gs=gs1)
    atoms = ([_FNC1] if gs1 else []) + [_FNC1 if char == GS else char for char in content]
    out: list[str] = []
    subset, i = "", 0
    while i < len(atoms):
        if atoms[i] == _FNC1:
            if not subset:  # the start code comes before the leading FNC1
                run = _digit_run(atoms, i + 1)
                subset = _enter("C" if run >= 2 and run % 2 == 0 else "B", subset, out)
            out.append(">8")
            i += 1
            continue
        run = _digit_run(atoms, i)
        if subset == "C" and run >= 2:
            out.append(atoms[i] + atoms[i + 1])
            i += 2
            continue
        ends_field = i + run == len(atoms) or atoms[i + run] == _FNC1
        if run >= 2 and run % 2 == 0 and (run >= 4 or not subset or ends_field):
            subset = _enter("C", subset, out)
            continue
        subset = _enter("B", subset, out)  # an odd digit run leaves one digit here
        out.append(_C128_B.get(atoms[i], atoms[i]))
        i += 1
    if not out:
        msg = f"{what}: empty barcode data"
        raise LabelRenderError(msg)
    return "".join(out)


def _digit_run(atoms: list[str], start: int) -> int:
    end = start
    while end < len(atoms) and atoms[end] in _DIGITS:
        end += 1
    return end - start


def _enter(wanted: str, current: str, out: list[str]) -> str:
    if current != wanted:
        codes = _START if not current else _SWITCH
        out.append(codes[wanted])
    return wanted


def qr_data(content: str, *, what: str = "QR Code") -> str:
    """``^BQ`` data: error correction M, automatic input, then the text."""
    _printable_ascii(content, what, allow_gs=False)
    return "MA," + content


def fb_text(text: str) -> str:
    """Text for a ``^FB`` block, where ``\\&`` breaks a line: a literal ``\\`` is ``\\\\``."""
    return text.replace("\\", "\\\\")
