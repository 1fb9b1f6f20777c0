"""Turn what a user scans or types into the identifier URIs to trace.

Accepted, in this order: an identifier URI (Digital Link or station URN), a raw scan or its
HRI (``read_scan``), a bare 18-digit SSCC, and finally a lot or serial number as typed (a
supplier lot rarely comes as a barcode), looked up in ``event_ident``. A unit also traces its
lot class: lot-level events (receiving, inspection, transformation) are part of its history.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa

from station.events.ids import IdentParts, identifiers_of, parse_uri, sscc_uri, udi_urn
from station.udi.checks import gs1_check_digit_ok
from station.udi.reader import read_scan

__all__ = ["Resolved", "category_of", "lot_class_of", "parts_of", "resolve"]

_URI_PREFIXES = ("https://", "http://", "urn:")


@dataclass(frozen=True, slots=True)
class Resolved:
    """``uris``: what was asked for (instances first); ``how`` says which reading matched."""

    uris: tuple[str, ...]
    how: str


def lot_class_of(uri: str) -> str | None:
    """The lot URI a serialised unit belongs to, when the unit URI itself carries the lot.

    A GS1 SGTIN does not carry its lot (that comes from the ILMD at commissioning and lives in
    ``genealogy``); a station URN for HIBC and the like may.
    """
    parts = parts_of(uri)
    if parts is None:
        return None
    if parts.scheme is not None and parts.di is not None and parts.serial and parts.lot:
        return udi_urn(parts.scheme, parts.di, lot=parts.lot)
    return None


def _with_lots(uris: list[str]) -> tuple[str, ...]:
    found = list(dict.fromkeys(uris))
    for uri in list(found):
        lot = lot_class_of(uri)
        if lot is not None and lot not in found:
            found.append(lot)
    return tuple(found)


def _from_scan(code: str | bytes) -> list[str]:
    try:
        ids = identifiers_of(read_scan(code))
    except ValueError:
        return []
    if ids.instance_uri is not None and ids.class_uri is not None:
        # A unit's lot is traced (lot-level events are its history); a bare product class is not:
        # it would pull in every lot ever made.
        keep_class = category_of(ids.class_uri) == "lot"
        return [ids.instance_uri, ids.class_uri] if keep_class else [ids.instance_uri]
    return [uri for uri in (ids.instance_uri, ids.class_uri) if uri is not None]


def _sscc(text: str) -> list[str]:
    if len(text) == 18 and gs1_check_digit_ok(text):
        return [sscc_uri(text)]
    return []


def _typed_number(conn: sa.Connection, text: str) -> list[str]:
    """Lot classes whose lot is ``text``, and units whose serial is ``text`` (exact match)."""
    query = sa.text(
        "SELECT DISTINCT uri FROM event_ident WHERE (lot = :v AND serial IS NULL) OR serial = :v "
        "ORDER BY uri"
    )
    found = list(conn.execute(query, {"v": text}).scalars())
    # Units commissioned into a lot name only their SGTIN; the lot appears in genealogy.
    if not found:
        query = sa.text(
            "SELECT DISTINCT g.parent_uri FROM genealogy g JOIN event e ON e.seq = g.event_seq "
            "WHERE e.event_type = 'ObjectEvent' AND g.relation = 'contains' ORDER BY 1"
        )
        found = [u for u in conn.execute(query).scalars() if _lot_of(u) == text]
    return found


def _lot_of(uri: str) -> str | None:
    parts = parts_of(uri)
    return parts.lot if parts else None


def resolve(conn: sa.Connection, code: str | bytes) -> Resolved:
    """The URIs ``code`` names; empty ``uris`` if nothing matches (``how`` says what was tried)."""
    text = code.strip() if isinstance(code, str) else None
    if text is not None and text.startswith(_URI_PREFIXES):
        return Resolved(_with_lots([text]), "uri")
    scanned = _from_scan(code)
    if scanned:
        return Resolved(_with_lots(scanned), "scan")
    if text is None:
        return Resolved((), "an unreadable scan")
    if sscc := _sscc(text):
        return Resolved(tuple(sscc), "sscc")
    if text and (typed := _typed_number(conn, text)):
        return Resolved(_with_lots(typed), "lot or serial number")
    return Resolved((), "a URI, a scan, an SSCC, a lot or serial number")


@functools.lru_cache(maxsize=1 << 17)
def parts_of(uri: str) -> IdentParts | None:
    """:func:`parse_uri`, cached (it validates the whole Digital Link; a recall of 10,000
    units asks about each URI several times); None for a URI it refuses."""
    try:
        return parse_uri(uri)
    except ValueError:
        return None


def category_of(uri: str) -> str:
    """``unit``, ``lot``, ``container``, ``product`` or ``other``, from the URI alone."""
    parts = parts_of(uri)
    if parts is None:
        return "other"
    if parts.kind == "sscc":
        return "container"
    if parts.serial is not None:
        return "unit"
    if parts.lot is not None:
        return "lot"
    return "product" if parts.kind == "gtin" or parts.di is not None else "other"
