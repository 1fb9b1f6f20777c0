"""Where this station is and who the other parties are, as EPCIS URIs (GLN when known)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from station.context import WriteContext
from station.events.ids import gln_location_uri, gln_party_uri, location_urn, parse_uri, party_urn
from station.events.parts import Quantity
from station.persistence import tables
from station.persistence.rawsql import sqlite_connection
from station.services.errors import Refused

__all__ = ["party_uri", "split_uris", "station_location"]

_STATION = tables.metadata.tables["station_info"]
_LOCATION = tables.metadata.tables["location"]


_STATION_LOCATION_SQL = (
    "SELECT l.code, l.gln FROM station_info s JOIN location l ON l.id = s.location_id"
    " WHERE s.code = ?"
)


def station_location(conn: Connection, ctx: WriteContext) -> str:
    """The location of ``ctx.station`` (SGLN if it has a GLN, else its station URN)."""
    # Read for every event: prepared SQL on the writer's connection (rawsql).
    row = sqlite_connection(conn).execute(_STATION_LOCATION_SQL, (ctx.station,)).fetchone()
    if row is None:
        raise Refused(
            "station_not_configured",
            f"Station {ctx.station} has no location in master data.",
            subject=ctx.station,
        )
    code, gln = row
    return gln_location_uri(gln) if gln else location_urn(code)


def party_uri(code: str, gln: str | None) -> str:
    """A supplier or customer: its GLN party URI, else the station's party URN."""
    return gln_party_uri(gln) if gln else party_urn(code)


def split_uris(uris: Sequence[str]) -> tuple[tuple[str, ...], tuple[Quantity, ...]]:
    """Instances (units, SSCCs) for ``epcList``; classes (lots) as whole-class quantities."""
    epcs: list[str] = []
    classes: list[Quantity] = []
    for uri in uris:
        parts = parse_uri(uri)
        if parts.kind in ("lgtin", "gtin") or (parts.scheme and not parts.serial):
            classes.append(Quantity(uri))
        else:
            epcs.append(uri)
    return tuple(epcs), tuple(classes)
