"""Assemble EPCIS 2.0 documents from recorded event payloads.

The official context is ``@protected`` and already declares ``cbvmda``, ``cbv`` and ``gs1``;
re-declaring a protected prefix is a JSON-LD error, so only the station's ``st`` namespace is
added.

>>> from datetime import datetime, UTC
>>> doc = epcis_document([], datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
>>> doc["@context"][1], doc["creationDate"], doc["epcisBody"]
({'st': 'https://ns.udi-station.org/epcis/'}, '2026-11-24T08:00:00.000Z', {'eventList': []})
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from station.events.timefmt import utc_millis

__all__ = ["EPCIS_CONTEXT", "STATION_NAMESPACE", "epcis_document"]

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
#: The namespace of the station's extension keys (``st:actor``, ``st:rawScan`` …).
STATION_NAMESPACE = "https://ns.udi-station.org/epcis/"


def epcis_document(events: Iterable[Mapping[str, Any]], creation_date: datetime) -> dict[str, Any]:
    """An ``EPCISDocument`` holding ``events`` (EPCIS event dicts) in the order given."""
    return {
        "@context": [EPCIS_CONTEXT, {"st": STATION_NAMESPACE}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": utc_millis(creation_date),
        "epcisBody": {"eventList": [dict(event) for event in events]},
    }
