"""Master-data names for the URIs a trace reports: parties (customers, suppliers) and products.

Names are looked up, never stored in results as identity: the URI stays the key, the name is
for people reading the report. Unknown URIs simply have no name.
"""

from __future__ import annotations

from urllib.parse import unquote

import sqlalchemy as sa

from station.events.ids import STATION_URN
from station.trace.resolve import parts_of

__all__ = ["Names"]

_PARTY_URN = STATION_URN + "party:"
_GLN_PARTY = "https://id.gs1.org/417/"


class Names:
    """Cached name lookups on one connection."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn
        self._parties: dict[str, str | None] = {}
        self._products: dict[str, str | None] = {}

    def party(self, uri: str) -> str | None:
        """A customer's or supplier's name from its station URN (code) or GLN URI."""
        if uri not in self._parties:
            self._parties[uri] = self._lookup_party(uri)
        return self._parties[uri]

    def _lookup_party(self, uri: str) -> str | None:
        if uri.startswith(_PARTY_URN):
            column, value = "code", unquote(uri.removeprefix(_PARTY_URN))
        elif uri.startswith(_GLN_PARTY):
            column, value = "gln", uri.removeprefix(_GLN_PARTY)
        else:
            return None
        for table in ("party", "supplier"):
            query = sa.text(f"SELECT name FROM {table} WHERE {column} = :v")  # noqa: S608
            name = self._conn.execute(query, {"v": value}).scalar()
            if name is not None:
                return str(name)
        return None

    def product(self, uri: str) -> str | None:
        """The product's Chinese and English names ("zh / en") from its GTIN or UDI-DI."""
        parts = parts_of(uri)
        if parts is None:
            return None
        di = parts.gtin or parts.di
        return None if di is None else self.product_of_di(di)

    def product_of_di(self, di: str | None) -> str | None:
        """The product's names ("zh / en") by its GTIN or UDI-DI."""
        if di is None:
            return None
        if di not in self._products:
            query = sa.text("SELECT name_zh, name_en FROM product WHERE di = :di")
            row = self._conn.execute(query, {"di": di}).first()
            self._products[di] = None if row is None else f"{row[0]} / {row[1]}"
        return self._products[di]
