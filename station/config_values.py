"""Setting value converters: each checks one kind of value and raises ValueError with a reason.

A person edits the settings file by hand, so every message says what is wrong and what is
allowed; :mod:`station.config` adds which setting and which file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path


def text_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        msg = "must be a list of strings"
        raise ValueError(msg)
    return tuple(value)


def positive_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = "must be a whole number of at least 1"
        raise ValueError(msg)
    return value


def optional_path(value: object) -> str:
    """A path as text: empty for "none", else absolute (a relative one would follow the cwd).

    >>> optional_path("")
    ''
    >>> optional_path("backups")
    Traceback (most recent call last):
    ...
    ValueError: must be empty or an absolute path
    """
    if not isinstance(value, str) or "\0" in value:
        msg = "must be text"
        raise ValueError(msg)
    if value and not Path(value).is_absolute():
        msg = "must be empty or an absolute path"
        raise ValueError(msg)
    return value


def choice(*options: str) -> Callable[[object], str]:
    def convert(value: object) -> str:
        if value not in options:
            msg = f"must be one of {', '.join(repr(o) for o in options)}"
            raise ValueError(msg)
        return str(value)

    return convert


def whole_number(low: int, high: int) -> Callable[[object], int]:
    """A whole number within ``low``…``high`` (booleans refused: TOML ``true`` is not 1)."""

    def convert(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            msg = f"must be a whole number from {low} to {high}"
            raise ValueError(msg)
        return value

    return convert


def flag(value: object) -> bool:
    if not isinstance(value, bool):
        msg = "must be true or false"
        raise ValueError(msg)
    return value


def plain_text(value: object) -> str:
    """Any one-line text (a port name, a camera source); control characters refused."""
    if not isinstance(value, str) or any(not c.isprintable() for c in value):
        msg = "must be one line of text without control characters"
        raise ValueError(msg)
    return value


_HEX_PAIR = re.compile("[0-9A-Fa-f]{2}")
_BYTE_ESCAPES = {"\\": b"\\", "r": b"\r", "n": b"\n", "t": b"\t"}


def escaped_bytes(text: str) -> bytes:
    r"""Decode the escapes a byte setting is written with: ``\xHH``, ``\r``, ``\n``, ``\t``, ``\\``.

    Any other character must be printable ASCII and stands for itself. Settings keep the text
    (it is what the file and the audit trail show); drivers get these bytes.

    >>> escaped_bytes(r"\x02") , escaped_bytes(r"]d2\r\n"), escaped_bytes("")
    (b'\x02', b']d2\r\n', b'')
    >>> escaped_bytes(r"\q")
    Traceback (most recent call last):
    ...
    ValueError: unknown escape '\q' (use \xHH, \r, \n, \t or \\)
    """
    out = bytearray()
    i = 0
    while i < len(text):
        char = text[i]
        if char != "\\":
            if not (char.isascii() and char.isprintable()):
                msg = f"{char!r} is not printable ASCII (write control bytes as \\xHH)"
                raise ValueError(msg)
            out += char.encode("ascii")
            i += 1
            continue
        code = text[i + 1 : i + 2]
        if not code:
            msg = "ends with a lone backslash (write it as \\\\)"
            raise ValueError(msg)
        if code == "x":
            digits = text[i + 2 : i + 4]
            if not _HEX_PAIR.fullmatch(digits):
                msg = f"'\\x' needs two hex digits, got {digits!r}"
                raise ValueError(msg)
            out.append(int(digits, 16))
            i += 4
            continue
        if code not in _BYTE_ESCAPES:
            msg = f"unknown escape '\\{code}' (use \\xHH, \\r, \\n, \\t or \\\\)"
            raise ValueError(msg)
        out += _BYTE_ESCAPES[code]
        i += 2
    return bytes(out)


def byte_text(value: object) -> str:
    """Text naming bytes with :func:`escaped_bytes` escapes; checked, kept as written."""
    if not isinstance(value, str):
        msg = "must be text"
        raise ValueError(msg)
    escaped_bytes(value)
    return value
