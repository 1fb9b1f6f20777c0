"""The code reader: parse any UDI a scanner, camera or keyboard delivers.

>>> from station.udi import read_scan
>>> code = read_scan(b"]d20104012345123456112501151726123110LOT-A1\x1d21SN0001")
>>> code.scheme, code.valid, code.gtin, code.lot, code.serial, code.expiry.isoformat()
(<Scheme.GS1: 'gs1'>, True, '04012345123456', 'LOT-A1', 'SN0001', '2026-12-31')
>>> read_scan("10D9T").scheme  # a plain lot number is not GS1 AI 10
<Scheme.UNKNOWN: 'unknown'>
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from station.errors import ParseError
from station.udi.model import CATALOG, Element, Issue, Kind, ParsedCode, Scheme, Severity, Status
from station.udi.normalize import DEFAULT_CONFIG, ReaderConfig, normalize

if TYPE_CHECKING:
    from station.udi.reader import read_scan

__all__ = [
    "CATALOG",
    "DEFAULT_CONFIG",
    "Element",
    "Issue",
    "Kind",
    "ParseError",
    "ParsedCode",
    "ReaderConfig",
    "Scheme",
    "Severity",
    "Status",
    "normalize",
    "read_scan",
]


def __getattr__(name: str) -> Any:
    # Loaded on first use so the format modules (and their tables) load only when reading.
    if name == "read_scan":
        from station.udi.reader import read_scan  # noqa: PLC0415

        return read_scan
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
