"""``read_scan``: the one entry point from device bytes to a typed reading."""

from __future__ import annotations

import logging

from station.errors import ParseError
from station.udi.detect import read_input
from station.udi.model import Draft, Kind, ParsedCode, Scheme, define
from station.udi.normalize import DEFAULT_CONFIG, ReaderConfig, normalize

_log = logging.getLogger(__name__)

READER_INTERNAL_ERROR = define(
    "reader.internal_error",
    Kind.SYNTAX,
    "The station could not read this code because of an internal error ({error}). "
    "The scan was kept; report it to support.",
)


def read_scan(raw: bytes | str, config: ReaderConfig = DEFAULT_CONFIG) -> ParsedCode:
    """Read one scan. Never raises for content: problems are in ``ParsedCode.issues``.

    Raises ParseError only for misuse. A parser bug becomes a ``reader.internal_error`` issue
    (logged with the raw bytes) rather than a crash; tests assert it never happens.
    """
    scan = normalize(raw, config)
    try:
        return read_input(scan)
    except ParseError:
        raise
    except Exception as exc:
        _log.exception("code reader failed on %r", scan.raw)
        draft = Draft(scan.raw, scan.symbology, scan.text, Scheme.UNKNOWN, [], list(scan.issues))
        draft.report(READER_INTERNAL_ERROR, error=type(exc).__name__)
        return draft.finish()
