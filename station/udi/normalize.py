"""Turn what a device delivered into reader input, without ever losing or inventing a byte.

Rules (``docs/codes.md`` §7, compliance SEC-5): never ``strip()`` a scan (``'\\x1d'.isspace()`` is
True and a HIBC check character can be a space); cap the length (512 characters by default);
refuse NUL, every control character except the separators GS, RS and EOT (ISO/IEC 15434 needs
the last two), and bidi controls; normalise to NFC; map the station's configured keyboard-wedge
substitutes back to GS/RS/EOT; split off the AIM identifier. The raw bytes are always kept.

>>> scan = normalize(b"]d2010401234512345610ABC{GS}21X")
>>> scan.symbology, scan.text
(']d2', '010401234512345610ABC\\x1d21X')
>>> normalize(b"+A123BJC5D6E71 ").text  # a trailing space is data, never stripped
'+A123BJC5D6E71 '
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from station.errors import ParseError
from station.udi.model import Issue, Kind, define
from station.udi.symbology import split_aim

GS, RS, EOT = "\x1d", "\x1e", "\x04"

SCAN_EMPTY = define("scan.empty", Kind.SYNTAX, "The scan is empty: nothing was read. Scan again.")
SCAN_TOO_LONG = define(
    "scan.too_long",
    Kind.SYNTAX,
    "The scan is longer than the {limit} characters allowed. It was not read; "
    "check the scanner is not sending several codes at once.",
)
SCAN_FORBIDDEN_CHAR = define(
    "scan.forbidden_character",
    Kind.SYNTAX,
    "The scan contains a forbidden character ({name}) at position {index}. "
    "It was refused; no label carries this. Scan again or report the label.",
)
SCAN_NOT_UTF8 = define(
    "scan.not_utf8",
    Kind.NOTE,
    "The scan was not UTF-8 text; bytes were read one character each (Latin-1).",
)
SCAN_SUBSTITUTE_MAPPED = define(
    "scan.substitute_mapped",
    Kind.NOTE,
    "{count} separator substitute(s) typed by the scanner ({tokens}) were read as control "
    "characters.",
)

#: Characters that can reorder displayed text (Trojan Source): never part of a label.
_BIDI = {
    "\u061c": "ARABIC LETTER MARK",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}
_FORBIDDEN = {"\x00": "NUL", **_BIDI}
# C0 controls except EOT (04), GS (1D), RS (1E); DEL; C1 controls; bidi; lone surrogates.
_FORBIDDEN_RE = re.compile(
    "[\x00-\x03\x05-\x1c\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
# UTF-8 needs at most 4 bytes a character: more bytes than this cannot fit the limit.
_MAX_BYTES_PER_CHAR = 4

# Defaults use only characters outside GS1 set 82 ("{", "}", "^"), so they can never be real
# data. "<GS>" is common in scanner manuals but is valid set-82 text: a site opts in to it.
DEFAULT_GS_SUBSTITUTES: tuple[str, ...] = ("{GS}", "^]")
DEFAULT_RS_SUBSTITUTES: tuple[str, ...] = ("{RS}", "^^")
DEFAULT_EOT_SUBSTITUTES: tuple[str, ...] = ("{EOT}", "^D")
DEFAULT_MAX_LENGTH = 512  # characters (compliance SEC-5); UDIs are far shorter


@dataclass(frozen=True, slots=True)
class ReaderConfig:
    """How this station's devices deliver scans. Substitutes are matched exactly, longest first.

    ``today`` fixes the reference date for the GS1 two-digit-year rule (None = the real date).
    """

    gs_substitutes: tuple[str, ...] = DEFAULT_GS_SUBSTITUTES
    rs_substitutes: tuple[str, ...] = DEFAULT_RS_SUBSTITUTES
    eot_substitutes: tuple[str, ...] = DEFAULT_EOT_SUBSTITUTES
    max_length: int = DEFAULT_MAX_LENGTH
    today: date | None = None

    def __post_init__(self) -> None:
        tokens = [*self.gs_substitutes, *self.rs_substitutes, *self.eot_substitutes]
        if any(t == "" for t in tokens):
            msg = "A separator substitute cannot be empty."
            raise ParseError(msg)
        if len(set(tokens)) != len(tokens):
            msg = "The same separator substitute is configured twice."
            raise ParseError(msg)
        if self.max_length < 1:
            msg = "max_length must be positive."
            raise ParseError(msg)

    def reference_date(self) -> date:
        return self.today or date.today()  # noqa: DTZ011 - a calendar date, local by design


DEFAULT_CONFIG = ReaderConfig()


@dataclass(frozen=True, slots=True)
class ScanInput:
    """A scan ready for a scheme parser: raw bytes kept, AIM ID split off, substitutes mapped."""

    raw: bytes
    symbology: str | None
    text: str
    issues: tuple[Issue, ...] = ()
    refused: bool = False
    config: ReaderConfig = field(default=DEFAULT_CONFIG)


def _decode(raw: bytes) -> tuple[str, list[Issue]]:
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        return raw.decode("latin-1"), [SCAN_NOT_UTF8()]


def _map_substitutes(text: str, config: ReaderConfig) -> tuple[str, list[str]]:
    table = [(t, GS) for t in config.gs_substitutes]
    table += [(t, RS) for t in config.rs_substitutes]
    table += [(t, EOT) for t in config.eot_substitutes]
    table.sort(key=lambda pair: -len(pair[0]))
    if not any(token in text for token, _ in table):
        return text, []
    out: list[str] = []
    used: list[str] = []
    i = 0
    while i < len(text):
        for token, control in table:
            if text.startswith(token, i):
                out.append(control)
                used.append(token)
                i += len(token)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out), used


def _forbidden_name(char: str) -> str:
    if char in _FORBIDDEN:
        return _FORBIDDEN[char]
    if "\ud800" <= char <= "\udfff":
        return "unpaired surrogate"
    return f"control character U+{ord(char):04X}"


def normalize(raw: bytes | str, config: ReaderConfig = DEFAULT_CONFIG) -> ScanInput:
    """Prepare one scan. ``str`` input (keyboard wedge) is kept as its UTF-8 bytes."""
    raw_bytes = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else bytes(raw)
    limit = config.max_length
    if len(raw_bytes) > limit * _MAX_BYTES_PER_CHAR:  # refused before decoding a flood
        issue = SCAN_TOO_LONG(limit=limit)
        return ScanInput(raw_bytes, None, "", (issue,), refused=True, config=config)
    text, issues = _decode(raw_bytes) if isinstance(raw, bytes | bytearray) else (raw, [])
    if len(text) > limit:
        issue = SCAN_TOO_LONG(limit=limit)
        return ScanInput(raw_bytes, None, "", (*issues, issue), refused=True, config=config)
    if not text:
        return ScanInput(raw_bytes, None, "", (SCAN_EMPTY(),), refused=True, config=config)
    bad = _FORBIDDEN_RE.search(text)
    if bad:
        index = bad.start()
        issues.append(SCAN_FORBIDDEN_CHAR(index, name=_forbidden_name(bad.group()), index=index))
        return ScanInput(raw_bytes, None, text, tuple(issues), refused=True, config=config)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text, used = _map_substitutes(text, config)
    if used:
        issues.append(SCAN_SUBSTITUTE_MAPPED(count=len(used), tokens=", ".join(sorted(set(used)))))
    symbology, data = split_aim(text)
    if not data:
        issues.append(SCAN_EMPTY())
        return ScanInput(raw_bytes, symbology, "", tuple(issues), refused=True, config=config)
    return ScanInput(raw_bytes, symbology, data, tuple(issues), config=config)
