"""The code reader: parse any UDI a scanner, camera or keyboard delivers.

>>> code = read_scan(b"]d20104012345123456112501151726123110LOT-A1\x1d21SN0001")
>>> code.scheme, code.valid, code.gtin, code.lot, code.serial, code.expiry.isoformat()
(<Scheme.GS1: 'gs1'>, True, '04012345123456', 'LOT-A1', 'SN0001', '2026-12-31')
>>> read_scan("10D9T").scheme  # a plain lot number is not GS1 AI 10
<Scheme.UNKNOWN: 'unknown'>
"""

from __future__ import annotations

import logging

from station.errors import ParseError
from station.udi.detect import read_input
from station.udi.model import (
    CATALOG,
    Draft,
    Element,
    Issue,
    Kind,
    ParsedCode,
    Scheme,
    Severity,
    Status,
    define,
)
from station.udi.normalize import DEFAULT_CONFIG, ReaderConfig, normalize

__all__ = [
    "CATALOG",
    "DEFAULT_CONFIG",
    "Element",
    "Issue",
    "ParseError",
    "ParsedCode",
    "ReaderConfig",
    "Scheme",
    "Severity",
    "Status",
    "read_scan",
]

_log = logging.getLogger(__name__)

READER_INTERNAL_ERROR = define(
    "reader.internal_error",
    Kind.SYNTAX,
    "The station could not read this code because of an internal error ({error}). "
    "The scan was kept; report it to support.",
)


def read_scan(raw: bytes | str, config: ReaderConfig = DEFAULT_CONFIG) -> ParsedCode:
    """Read one scan. Never raises for content: problems are in ``ParsedCode.issues``."""
    scan = normalize(raw, config)
    try:
        return read_input(scan)
    except ParseError:
        raise
    except Exception as exc:  # a parser bug must not lose the scan or crash the station
        _log.exception("code reader failed on %r", scan.raw)
        draft = Draft(scan.raw, scan.symbology, scan.text, Scheme.UNKNOWN, [], list(scan.issues))
        draft.report(READER_INTERNAL_ERROR, error=type(exc).__name__)
        return draft.finish()
