"""Who did it, in words: the printed name of each actor on a timeline.

An event names its actor by user id (``st:actor``) and, since the station records it, by the
printed name at that moment (``st:actorName``, inside the hashed event). For events without
one (tools, older records) the timeline borrows the name the audit trail last recorded for the
id, else the user's current name: a reading aid beside the id, which stays in every rendering.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from station.trace.model import TimelineEntry

__all__ = ["actor_names", "with_actor_names"]

_AUDIT_NAMES = sa.text(
    "SELECT a.actor, a.actor_name FROM audit AS a"
    " JOIN (SELECT actor, MAX(seq) AS seq FROM audit"
    "       WHERE actor_name IS NOT NULL AND actor IN (SELECT value FROM json_each(:ids))"
    "       GROUP BY actor) AS newest ON newest.seq = a.seq"
)
_USER_NAMES = sa.text(
    "SELECT username, name FROM station_user WHERE username IN (SELECT value FROM json_each(:ids))"
)


def actor_names(conn: sa.Connection, actors: Iterable[str]) -> dict[str, str]:
    """actor id → printed name, for the ids the station knows a name of."""
    ids = json.dumps(sorted(set(actors)))
    names = {str(actor): str(name) for actor, name in conn.execute(_USER_NAMES, {"ids": ids})}
    names.update(
        (str(actor), str(name)) for actor, name in conn.execute(_AUDIT_NAMES, {"ids": ids})
    )
    return names


def with_actor_names(
    conn: sa.Connection, timeline: Sequence[TimelineEntry]
) -> tuple[TimelineEntry, ...]:
    """``timeline`` with ``actor_name`` filled in where the event has none and one is known."""
    missing = {entry.actor for entry in timeline if entry.actor and not entry.actor_name}
    names = actor_names(conn, missing) if missing else {}
    return tuple(
        dataclasses.replace(entry, actor_name=names[entry.actor])
        if entry.actor in names and not entry.actor_name
        else entry
        for entry in timeline
    )
