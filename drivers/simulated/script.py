r"""Scan scripts for the simulated scanner: one scan per line, control bytes written as escapes.

Format (``resources/demo/scans.txt``)::

    # a comment (only when ``#`` is the first character)
    @delay=0.5                      pause before each following scan, in seconds
    ]d2010401234512345610LOT{GS}21SN

Escapes: ``{GS}`` ``{RS}`` ``{EOT}`` for the separators, ``\xNN`` for any byte and ``\\`` for
a backslash; everything else is UTF-8 text. Lines are never stripped: a trailing space is data
(a HIBC check character can be a space). Blank lines are skipped. A scan that really begins
with ``#`` or ``@`` is written ``\x23…`` or ``\x40…``.

>>> decode_line(r"10AB{GS}21\x1e")
b'10AB\x1d21\x1e'
>>> decode_line(r"A\x41 \\")
b'AA \\'
>>> [(step.delay, step.raw) for step in parse_script("@delay=0.25\nX{EOT}\n# note\n\nY")]
[(0.25, b'X\x04'), (0.25, b'Y')]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

DEFAULT_DELAY = 1.0

#: Named separators, as the demo script and the simulator panel write them.
NAMED_BYTES: dict[str, bytes] = {"{GS}": b"\x1d", "{RS}": b"\x1e", "{EOT}": b"\x04"}

_TOKEN = re.compile(r"\{GS\}|\{RS\}|\{EOT\}|\\\\|\\x[0-9A-Fa-f]{2}|\\")
_DELAY = re.compile(r"@delay=(.*)")


class ScriptError(ValueError):
    """A script line that cannot be read; the message names the line."""


@dataclass(frozen=True, slots=True)
class ScriptStep:
    """One scan to replay: wait ``delay`` seconds, then deliver ``raw``."""

    delay: float
    raw: bytes


def decode_line(line: str) -> bytes:
    """The bytes one script line stands for. Raises ScriptError for a bad escape."""
    out = bytearray()
    position = 0
    for match in _TOKEN.finditer(line):
        out += line[position : match.start()].encode("utf-8")
        escape = match.group()
        if escape in NAMED_BYTES:
            out += NAMED_BYTES[escape]
        elif escape == "\\\\":
            out += b"\\"
        elif escape == "\\":
            msg = f"bad escape at column {match.start() + 1}: use \\xNN or \\\\"
            raise ScriptError(msg)
        else:
            out.append(int(escape[2:], 16))
        position = match.end()
    out += line[position:].encode("utf-8")
    return bytes(out)


def _parse_delay(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        msg = f"@delay needs a number of seconds >= 0, not {value!r}"
        raise ScriptError(msg)
    return seconds


def parse_script(text: str, default_delay: float = DEFAULT_DELAY) -> list[ScriptStep]:
    """Read a whole script. Raises ScriptError naming the first bad line."""
    steps: list[ScriptStep] = []
    delay = default_delay
    # splitlines() would also split on GS/RS/FS (they are line boundaries to Python): split on
    # real line ends only, so a raw separator pasted into a script stays data.
    for number, line in enumerate(re.split(r"\r?\n", text), start=1):
        if not line or line.startswith("#"):
            continue
        try:
            if line.startswith("@"):
                directive = _DELAY.fullmatch(line)
                if directive is None:
                    msg = "unknown directive (only @delay=SECONDS); write a leading @ as \\x40"
                    raise ScriptError(msg)
                delay = _parse_delay(directive.group(1))
                continue
            steps.append(ScriptStep(delay, decode_line(line)))
        except ScriptError as exc:
            msg = f"line {number}: {exc}"
            raise ScriptError(msg) from None
    return steps


def load_script(path: Path, default_delay: float = DEFAULT_DELAY) -> list[ScriptStep]:
    """Read a script file (UTF-8)."""
    return parse_script(path.read_text(encoding="utf-8"), default_delay)
