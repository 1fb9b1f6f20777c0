"""Checks on items the services share: known, commissioned, free of holds, not yet shipped."""

from __future__ import annotations

from sqlalchemy import Connection

from station.persistence.rawsql import sqlite_connection
from station.services.errors import Refused
from station.services.projection import ItemState, current_state, held_by

__all__ = ["commissioned", "known", "not_held"]


def known(conn: Connection, uri: str) -> ItemState:
    """The item's state; Refused(``unknown_item``) if no event has named it."""
    state = current_state(conn, uri)
    if state is None:
        raise Refused("unknown_item", f"{uri} has no recorded events.", subject=uri)
    return state


_COMMISSIONED_SQL = (
    "SELECT 1 FROM event_ident i JOIN event e ON e.seq = i.event_seq"
    " WHERE i.uri = ? AND i.role IN ('epc', 'quantity')"
    "   AND e.biz_step = 'commissioning' AND e.action = 'ADD' LIMIT 1"
)


def commissioned(conn: Connection, uri: str) -> bool:
    """Whether a commissioning event (ObjectEvent ADD) has given ``uri`` its identity."""
    return sqlite_connection(conn).execute(_COMMISSIONED_SQL, (uri,)).fetchone() is not None


def not_held(conn: Connection, uri: str) -> None:
    """Refused(``on_hold``) if a hold on the item, its lot or a container stops it."""
    holder = held_by(conn, uri)
    if holder is not None:
        where = "" if holder == uri else f" (held: {holder})"
        raise Refused("on_hold", f"{uri} is on hold{where}.", subject=uri)
