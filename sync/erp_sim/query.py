"""``GET /events``: the stored events as an EPCIS query document, page by page.

The ``nextPageToken`` is opaque to clients; here it is the capture sequence number of the last
event already returned, so paging is stable while new events arrive (they come after it).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from station.epcis.document import EPCIS_CONTEXT
from station.events.timefmt import utc_millis

__all__ = ["DEFAULT_PER_PAGE", "MAX_PER_PAGE", "decode_token", "encode_token", "query_document"]

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 1000


def encode_token(seq: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def decode_token(token: str) -> int | None:
    """The sequence number in ``token``, or ``None`` when it is not one of ours."""
    if len(token) > 64 or not token.isascii():
        return None
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    prefix, _, number = text.partition(":")
    if prefix != "seq" or not number.isdecimal() or len(number) > 18:
        return None
    return int(number)


def query_document(events: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """An ``EPCISQueryDocument`` holding ``events`` (as a SimpleEventQuery's results)."""
    return {
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": utc_millis(datetime.now(UTC)),
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": [dict(event) for event in events]},
            }
        },
    }
