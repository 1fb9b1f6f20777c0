"""Everything the Trace screen shows for one code, read in one go on one read connection.

:func:`trace_view` runs :func:`station.trace.api.trace` (which checks ``trace.view``), then
adds what a person needs to read the answer: the genealogy as trees
(:mod:`station.trace.tree`), the e-signatures of each event (:mod:`station.trace.signed`) and
the names of the places events happened at. It is a read: call it on a worker thread.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

import sqlalchemy as sa

from station.context import WriteContext
from station.events.ids import STATION_URN
from station.trace.api import trace
from station.trace.model import TraceResult
from station.trace.signed import SignatureLine, adapt, signatures_by_record
from station.trace.tree import Genealogy, genealogy

__all__ = ["TraceView", "place_names", "trace_view"]

_LOCATION_URN = STATION_URN + "loc:"


@dataclass(frozen=True, slots=True)
class TraceView:
    result: TraceResult
    genealogy: Genealogy
    #: event id → its signatures, oldest first (events without any are absent).
    signatures: dict[str, tuple[SignatureLine, ...]]
    #: location URI → its master-data name (URIs without a known name are absent).
    places: dict[str, str]


def place_names(conn: sa.Connection, uris: Iterable[str]) -> dict[str, str]:
    """Names of station locations (``urn:udi-station:loc:CODE``) from master data."""
    codes = {
        unquote(uri.removeprefix(_LOCATION_URN)): uri
        for uri in set(uris)
        if uri.startswith(_LOCATION_URN)
    }
    if not codes:
        return {}
    query = sa.text(
        "SELECT code, name FROM location WHERE code IN (SELECT value FROM json_each(:codes))"
    )
    rows = conn.execute(query, {"codes": json.dumps(sorted(codes))}).all()
    return {codes[str(code)]: str(name) for code, name in rows if name}


def _carried(result: TraceResult) -> dict[str, tuple[SignatureLine, ...]] | None:
    """The signatures the trace result carries itself (``TimelineEntry.signatures``, once the
    e-signature work fills it); None when the result has no such field."""
    found: dict[str, tuple[SignatureLine, ...]] = {}
    for entry in result.timeline:
        notes = getattr(entry, "signatures", None)
        if notes is None:
            return None
        if notes:
            found[entry.event_id] = adapt(notes)
    return found


def trace_view(conn: sa.Connection, ctx: WriteContext, code: str | bytes) -> TraceView:
    """Trace ``code`` and gather the trees, signatures and place names to show with it."""
    result = trace(conn, ctx, code)
    places = place_names(
        conn,
        (
            uri
            for entry in result.timeline
            for uri in (entry.biz_location, entry.read_point)
            if uri is not None
        ),
    )
    signatures = _carried(result)
    if signatures is None:
        signatures = signatures_by_record(conn, (entry.event_id for entry in result.timeline))
    return TraceView(result, genealogy(conn, result), signatures, places)
