"""The JSON shape of a reading: the contract of ``station parse --json`` (one object per scan).

Keys ``scheme valid di gtin lot serial expiry production_date quantity fields errors symbology``
are the documented contract; missing values are ``None``; dates are ISO ``YYYY-MM-DD``.
``errors`` holds only what makes the code invalid; notes go to ``warnings``.

>>> from station.udi import read_scan
>>> view = as_json(read_scan("10D9T"))
>>> view["scheme"], view["valid"], view["lot"], [e["code"] for e in view["errors"]]
('unknown', False, None, ['scan.unknown_format'])
"""

from __future__ import annotations

from datetime import date
from typing import Any

from station.udi.model import Issue, ParsedCode


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _issue(issue: Issue) -> dict[str, Any]:
    return {
        "code": issue.code,
        "message": issue.message,
        "position": issue.position,
        "kind": issue.kind.value,
    }


def as_json(code: ParsedCode) -> dict[str, Any]:
    """A JSON-ready dict for one reading (control characters stay real; json escapes them)."""
    return {
        "scheme": code.scheme.value,
        "valid": code.valid,
        "status": code.status.value,
        "di": code.di,
        "gtin": code.gtin,
        "sscc": code.sscc,
        "lot": code.lot,
        "serial": code.serial,
        "expiry": _iso(code.expiry),
        "production_date": _iso(code.production_date),
        "quantity": code.quantity,
        "fields": dict(code.fields),
        "elements": [
            {
                "key": e.key,
                "title": e.title,
                "value": e.value,
                "start": e.start,
                "interpretation": e.interpretation,
            }
            for e in code.elements
        ],
        "errors": [_issue(i) for i in code.errors],
        "warnings": [_issue(i) for i in code.warnings],
        "symbology": code.symbology,
        "text": code.text,
        "raw_hex": code.raw.hex(),
    }
