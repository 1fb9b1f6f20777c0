"""Decide which format a scan is, then hand it to that format's parser (``docs/codes.md`` §1).

The AIM identifier wins over sniffing the content. Content sniffing is deliberately narrow: a
plain lot such as ``10D9T`` with no GS1 symbology identifier is *not* taken for GS1 AI 10.
"""

from __future__ import annotations

import re

from station.udi import digital_link, gs1, hibc, isbt, iso15434, ma
from station.udi.checks import gs1_check_digit_ok
from station.udi.model import Draft, Kind, ParsedCode, Scheme, define
from station.udi.normalize import GS, RS, ScanInput
from station.udi.symbology import GTIN_IDENTIFIERS, is_gs1

UNKNOWN_FORMAT = define(
    "scan.unknown_format",
    Kind.SYNTAX,
    "This code is not a UDI format the station knows (GS1, HIBC, ISBT 128, PPN, MA). "
    "It is shown as plain text.",
)
MAYBE_COMPRESSED_LINK = define(
    "dl.maybe_compressed",
    Kind.NOTE,
    "If this web address is a compressed GS1 Digital Link, the station cannot read that form "
    "yet: scan the label's GS1 DataMatrix or ask the supplier for an uncompressed link.",
)
GS1_INFERRED = define(
    "gs1.inferred",
    Kind.NOTE,
    "Read as GS1 from its content: the symbol was not marked as GS1 (no FNC1). "
    "Check the label printer's GS1 setting.",
)

_HRI_START = re.compile(r"\(\d{2,4}\)")
# ISBT 128 data identifiers: "=" or "&" + second character (ICCBBA ST-001 table).
_ISBT_START = re.compile(r"(=[/,>}+)%<*]|=[0-9A-Z]|&[,)>}*])")
_ENVELOPE = "[)>" + RS


def _inferred_gs1(text: str) -> bool:
    """A bare element string that starts with a check-digit-valid GTIN (AI 01)."""
    return (
        len(text) >= 16
        and text.startswith("01")
        and text[2:16].isascii()
        and text[2:16].isdigit()
        and gs1_check_digit_ok(text[2:16])
    )


def read_input(scan: ScanInput) -> ParsedCode:
    """Dispatch a normalised scan to the parser of its format."""
    if scan.refused:
        return Draft(
            scan.raw, scan.symbology, scan.text, Scheme.UNKNOWN, [], list(scan.issues)
        ).finish()
    text, symbology = scan.text, scan.symbology
    if symbology in GTIN_IDENTIFIERS:
        return gs1.parse_bare_gtin(scan)
    if is_gs1(symbology):
        return gs1.parse_element_string(scan)
    if text.startswith(GS):
        # Some readers send FNC1-in-first-position as a leading <GS> instead of an AIM ID.
        return gs1.parse_element_string(scan)
    if digital_link.looks_like_digital_link(text):
        return digital_link.parse_digital_link(scan)
    if text.startswith(_ENVELOPE):
        return iso15434.parse_envelope(scan)
    if text.startswith(("+", "*+")):  # "*+…*" is HIBC text typed with its asterisks
        return hibc.parse_hibc(scan)
    if _ISBT_START.match(text):
        return isbt.parse_isbt128(scan)
    if text.startswith("MA."):
        return ma.parse_ma(scan)
    if _HRI_START.match(text):
        return gs1.parse_hri(scan)
    if _inferred_gs1(text):
        return gs1.parse_element_string(scan, extra_issues=(GS1_INFERRED(),))
    draft = Draft(scan.raw, symbology, text, Scheme.UNKNOWN, [], list(scan.issues))
    draft.report(UNKNOWN_FORMAT)
    if digital_link.might_be_compressed(text):
        draft.report(MAYBE_COMPRESSED_LINK)
    return draft.finish()
