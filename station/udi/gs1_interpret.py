"""Human readings of valid GS1 values: ISO dates, decimals, and who issued a GS1 key.

The GS1 member organisation behind a GTIN, SSCC or GLN comes from biip's bundled GS1 prefix
table (no network): the right tool for the job, and the reason ``station.udi`` depends on biip.

>>> from datetime import date
>>> from station.udi.gs1_table import AI_TABLE
>>> interpret(AI_TABLE["17"], "261200", date(2026, 11, 24))
'2026-12-31'
>>> interpret(AI_TABLE["3103"], "000195", date(2026, 11, 24))
'0.195 kg'
>>> interpret(AI_TABLE["01"], "04012345123456", date(2026, 11, 24))
'GTIN-13, GS1 Germany'
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from station.udi import dates
from station.udi.gs1_spec import AISpec

__all__ = ["KEY_NAMES", "interpret", "key_interpretation"]

#: What a line worker calls the key of AI 00–03.
KEY_NAMES = {"00": "SSCC", "01": "GTIN", "02": "GTIN", "03": "GTIN"}
_DATE_LINTERS = frozenset({"yymmd0", "yymmdd", "yyyymmdd"})
_UNIT = re.compile(r"\((.*)\)")


def _gtin_format(gtin14: str) -> str:
    if gtin14.startswith("000000"):
        return "GTIN-8"
    if gtin14.startswith("00"):
        return "GTIN-12"
    if gtin14.startswith("0"):
        return "GTIN-13"
    return "GTIN-14"


@lru_cache(maxsize=4096)
def _prefix_usage(digits: str, *, gtin8: bool) -> str | None:
    """biip's name for the GS1 prefix of a key (the member organisation, or a special use)."""
    # Imported on first use: loading biip's prefix table costs about 0.1 s of every start.
    from biip import ParseError as BiipParseError  # noqa: PLC0415
    from biip.gs1_prefixes import GS1Prefix, GS18Prefix  # noqa: PLC0415

    try:
        found = GS18Prefix.extract(digits) if gtin8 else GS1Prefix.extract(digits)
    except BiipParseError:  # odd input for biip's table: treat the prefix as unknown
        return None
    return found.usage if found else None


def key_interpretation(ai: str, value: str) -> tuple[str | None, str | None]:
    """Interpretation of a GS1 key and, when biip does not know its prefix, the prefix.

    >>> key_interpretation("01", "06901234567892")
    ('GTIN-13, GS1 China', None)
    """
    if ai in ("01", "02", "03"):
        kind = _gtin_format(value)
        gtin8 = kind == "GTIN-8"
        digits = value[6:] if gtin8 else value[1:]
        usage = _prefix_usage(digits, gtin8=gtin8)
        if usage is None:
            return kind, digits[:3]
        return f"{kind}, {usage}", None
    if ai == "00":
        usage = _prefix_usage(value[1:], gtin8=False)
        return (usage, None) if usage else (None, value[1:4])
    if len(ai) == 3 and ai.startswith("41"):  # GLNs
        return _prefix_usage(value, gtin8=False), None
    return None, None


def _decimal(digits: str, places: int) -> str:
    if places == 0:
        return str(int(digits))
    digits = digits.rjust(places + 1, "0")
    return f"{int(digits[:-places])}.{digits[-places:]}"


def _date_time(spec: AISpec, value: str, reference: date) -> str | None:
    parts: list[str] = []
    offset = 0
    for component in spec.components:
        piece = value[offset : offset + component.max_length]
        offset += len(piece)
        if not piece:
            continue
        names = set(component.linters)
        if "yymmd0" in names:
            parts.append(dates.yymmd0(piece, reference).isoformat())
        elif "yymmdd" in names:
            parts.append(dates.yymmdd(piece, reference).isoformat())
        elif "yyyymmdd" in names:
            parts.append(dates.yyyymmdd(piece).isoformat())
        elif "hhmi" in names:
            parts.append(f"{piece[:2]}:{piece[2:]}")
        elif "hh" in names:
            parts.append(piece)
        elif names & {"mi", "ss"}:
            parts[-1] += f":{piece}"
    if spec.ai == "7007" and len(parts) == 2:  # harvest date range
        return f"{parts[0]} to {parts[1]}"
    return " ".join(parts) if parts else None


def interpret(spec: AISpec, value: str, reference: date) -> str | None:
    """A human reading of a valid value, or None when the value speaks for itself."""
    ai = spec.ai
    first_linters = spec.components[0].linters
    if _DATE_LINTERS.intersection(first_linters):
        return _date_time(spec, value, reference)
    if len(ai) == 4 and "31" <= ai[:2] <= "36":  # trade measures with an implied decimal point
        unit = _UNIT.search(spec.title)
        amount = _decimal(value, int(ai[3]))
        return f"{amount} {unit.group(1)}" if unit else amount
    if ai[:3] in ("390", "392"):
        return _decimal(value, int(ai[3]))
    if ai[:3] in ("391", "393"):
        return f"{_decimal(value[3:], int(ai[3]))} (currency {value[:3]})"
    if ai[:3] == "394":
        return f"{_decimal(value, int(ai[3]))} %"
    if ai[:3] == "395":
        return _decimal(value, int(ai[3]))
    if ai in ("30", "37"):
        return str(int(value))
    return key_interpretation(ai, value)[0]
