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

# The newest named entry by the actor: audit has no index on actor, so this walks back from
# the newest entry and stops at the first match (a grouped query would read the whole trail
# on every trace).
_AUDIT_NAME = sa.text(
    "SELECT actor_name FROM audit WHERE actor = :actor AND actor_name IS NOT NULL"
    " ORDER BY seq DESC LIMIT 1"
)
_USER_NAMES = sa.text(
    "SELECT username, name FROM station_user WHERE username IN (SELECT value FROM json_each(:ids))"
)


def actor_names(conn: sa.Connection, actors: Iterable[str]) -> dict[str, str]:
    """actor id → printed name, for the ids the station knows a name of."""
    wanted = sorted(set(actors))
    names = {
        str(actor): str(name)
        for actor, name in conn.execute(_USER_NAMES, {"ids": json.dumps(wanted)})
    }
    for actor in wanted:
        recorded = conn.execute(_AUDIT_NAME, {"actor": actor}).scalar()
        if recorded is not None:
            names[actor] = str(recorded)
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
