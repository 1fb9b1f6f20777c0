"""The events that name given identifiers, read once with their payloads.

Status and timeline both fold over these rows. An event later declared in error (an EPCIS
error declaration names it in ``corrects_event_id``) is marked, so the fold can skip it; the
declaration's own row is marked too, being a copy of the wrong event rather than a new fact.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from station.trace.genealogy import chunks

__all__ = ["EventRow", "events_naming"]

_FIELDS = (
    "seq",
    "event_id",
    "event_time",
    "event_tz_offset",
    "event_type",
    "action",
    "biz_step",
    "disposition",
    "actor",
    "read_point",
    "biz_location",
    "corrects_event_id",
)
_COLUMNS = (
    "e.seq, e.event_id, e.event_time, e.event_tz_offset, e.event_type, e.action, e.biz_step, "
    "e.disposition, e.actor, e.read_point, e.biz_location, e.corrects_event_id, e.payload"
)


@dataclass(frozen=True, slots=True)
class EventRow:
    seq: int
    event_id: str
    event_time: str
    event_tz_offset: str
    event_type: str
    action: str | None
    biz_step: str | None
    disposition: str | None
    actor: str | None
    read_point: str | None
    biz_location: str | None
    corrects_event_id: str | None
    payload: dict[str, Any] = field(repr=False)
    declared_in_error: bool = False

    @property
    def is_declaration(self) -> bool:
        return "errorDeclaration" in self.payload

    @property
    def counts(self) -> bool:
        """Whether this event is a fact to fold into state (not wrong, not a declaration)."""
        return not (self.declared_in_error or self.is_declaration)

    @property
    def station(self) -> str | None:
        value = self.payload.get("st:station")
        return value if isinstance(value, str) else None

    @property
    def actor_name(self) -> str | None:
        """The actor's printed name as recorded in the event (``st:actorName``); None for
        events recorded without one (tools, and events before the key existed)."""
        value = self.payload.get("st:actorName")
        return value if isinstance(value, str) and value else None

    @property
    def entry_method(self) -> str | None:
        """``scanned`` or ``manual`` for an event a screen recorded from codes (P11-H1);
        None for events no code was entered for (and events before the key existed)."""
        value = self.payload.get("st:entryMethod")
        return value if isinstance(value, str) else None

    def parties(self, key: str) -> list[str]:
        """URIs of ``source`` or ``destination`` parties and locations."""
        return [item[key] for item in self.payload.get(f"{key}List", ())]

    def persistent(self, which: str) -> list[str]:
        """Dispositions this event sets or unsets persistently (holds and releases)."""
        values = self.payload.get("persistentDisposition", {}).get(which, ())
        return [str(value) for value in values]


def _declared(conn: sa.Connection) -> set[str]:
    # "> ''" rather than IS NOT NULL: a range the index on corrects_event_id serves, so the
    # few declarations are found without reading every event.
    query = sa.text(
        "SELECT corrects_event_id FROM event WHERE corrects_event_id > '' "
        "AND json_extract(payload, '$.errorDeclaration') IS NOT NULL"
    )
    return set(conn.execute(query).scalars())


def _event_row(row: sa.RowMapping, declared: set[str]) -> EventRow:
    payload = json.loads(row["payload"])
    fields = {name: row[name] for name in _FIELDS}
    wrong = row["event_id"] in declared and "errorDeclaration" not in payload
    return EventRow(**fields, payload=payload, declared_in_error=wrong)


def events_naming(
    conn: sa.Connection,
    uris: Iterable[str],
    *,
    roles: tuple[str, ...] | None = None,
    biz_steps: tuple[str, ...] | None = None,
) -> dict[str, list[EventRow]]:
    """For each URI, the events naming it (in any role, or only ``roles``; of any step, or
    only ``biz_steps``), in ``seq`` order."""
    declared = _declared(conn)
    rows: dict[int, EventRow] = {}
    named: dict[str, set[int]] = defaultdict(set)
    role_filter = ""
    role_params: dict[str, object] = {}
    if roles:
        role_filter = " AND i.role IN (" + ", ".join(f":r{n}" for n in range(len(roles))) + ")"
        role_params = {f"r{n}": role for n, role in enumerate(roles)}
    if biz_steps:
        marks = ", ".join(f":b{n}" for n in range(len(biz_steps)))
        # "+" keeps SQLite from driving the query by the biz_step index (every receipt in the
        # ledger) instead of the identifiers asked about.
        role_filter += f" AND +e.biz_step IN ({marks})"
        role_params |= {f"b{n}": step for n, step in enumerate(biz_steps)}
    for batch in chunks(uris):
        marks = ", ".join(f":u{n}" for n in range(len(batch)))
        query = sa.text(
            f"SELECT i.uri, {_COLUMNS} FROM event_ident i JOIN event e ON e.seq = i.event_seq "  # noqa: S608
            f"WHERE i.uri IN ({marks}){role_filter}"
        )
        params = {f"u{n}": uri for n, uri in enumerate(batch)} | role_params
        for row in conn.execute(query, params).mappings():
            named[row["uri"]].add(row["seq"])
            if row["seq"] not in rows:
                rows[row["seq"]] = _event_row(row, declared)
    return {uri: [rows[seq] for seq in sorted(seqs)] for uri, seqs in named.items()}
