"""Read ZPL back as commands: what tests compare and what the simulated printer obeys.

A command is its prefix (``^`` or ``~``) and two letters, except the font command ``^A``,
whose single following character is the font name (kept in ``params``). Everything up to the
next prefix is the command's parameters; line breaks between commands are ignored, as a printer
ignores them. ``^FD`` data keeps its ``^FH`` hex escapes; :func:`field_data` decodes them.

Changing the prefixes (``^CC``/``~CC``, ``^CT``/``~CT``) or the delimiter (``^CD``/``~CD``)
is refused: our renderer never does it, so in a print job it can only come from injected data.

>>> tokens = tokenize(b"^XA^FO10,20^A0N,30,30^FH\\\\^FDA\\\\5EB^FS^XZ")
>>> [(t.command, t.params) for t in tokens][1:4]
[('^FO', '10,20'), ('^A', '0N,30,30'), ('^FH', '\\\\')]
>>> field_data(tokens)
['A^B']
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.labels import LabelRenderError

__all__ = ["Token", "ZplSyntaxError", "field_data", "field_values", "tokenize", "unhex"]

_PREFIXES = b"^~"
_REFUSED = frozenset({"^CC", "~CC", "^CT", "~CT", "^CD", "~CD"})


class ZplSyntaxError(LabelRenderError):
    """The bytes are not ZPL this station would send (or accept from its own renderer)."""


@dataclass(frozen=True, slots=True)
class Token:
    command: str  # "^FO", "~HS", "^A" (font name in params)
    params: str  # decoded as UTF-8; ^FD data still hex-escaped


def tokenize(zpl: bytes) -> list[Token]:
    """The commands of ``zpl`` in order; ZplSyntaxError for text outside a command."""
    text = zpl.decode("utf-8", errors="strict")
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in "\r\n":
            i += 1
            continue
        if char not in "^~":
            msg = f"text outside a command at character {i}: {text[i : i + 20]!r}"
            raise ZplSyntaxError(msg)
        # ^A<font> is the one single-letter command (^A@, font by name, has two letters)
        font_command = char == "^" and text[i + 1 : i + 2].upper() == "A"
        name_length = 1 if font_command and text[i + 2 : i + 3] != "@" else 2
        command = text[i : i + 1 + name_length].upper()
        if len(command) != 1 + name_length:
            msg = f"truncated command at character {i}"
            raise ZplSyntaxError(msg)
        if command in _REFUSED:
            msg = f"{command} (prefix or delimiter change) is never sent by this station"
            raise ZplSyntaxError(msg)
        end = i + 1 + name_length
        while end < len(text) and text[end] not in "^~":
            end += 1
        params = text[i + 1 + name_length : end]
        if command != "^FD":  # line breaks inside field data are data
            params = params.replace("\r", "").replace("\n", "")
        tokens.append(Token(command, params))
        i = end
    return tokens


def unhex(data: str, indicator: str) -> bytes:
    """Field data with ``^FH`` escapes (``<indicator>HH``) decoded to bytes."""
    out = bytearray()
    i = 0
    while i < len(data):
        if data[i] == indicator:
            pair = data[i + 1 : i + 3]
            if len(pair) != 2 or any(c not in "0123456789abcdefABCDEF" for c in pair):
                msg = f"hex indicator {indicator!r} without two hex digits at {i}: {data!r}"
                raise ZplSyntaxError(msg)
            out.append(int(pair, 16))
            i += 3
        else:
            out.extend(data[i].encode("utf-8"))
            i += 1
    return bytes(out)


def field_values(tokens: list[Token]) -> list[tuple[list[Token], bytes]]:
    """Each field (the tokens from its ``^FO`` to its ``^FD``) with its decoded data bytes."""
    out: list[tuple[list[Token], bytes]] = []
    current: list[Token] = []
    for token in tokens:
        if token.command == "^FS":
            current = []
            continue
        current.append(token)
        if token.command == "^FD":
            hex_on = [t for t in current if t.command == "^FH"]
            indicator = (hex_on[-1].params or "_")[:1] if hex_on else ""
            raw = unhex(token.params, indicator) if indicator else token.params.encode()
            out.append((list(current), raw))
    return out


def field_data(tokens: list[Token]) -> list[str]:
    """The decoded ``^FD`` values in order (UTF-8, as ``^CI28`` says)."""
    return [raw.decode("utf-8") for _, raw in field_values(tokens)]
