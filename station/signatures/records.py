"""What can be signed: a record named by kind, id and version, bound to the hash of its content.

The main record is an EPCIS event in the ledger (an inspection, a release, a receipt), named by
its eventID. Its hash is the ledger's own hash of the stored row, recomputed from the content
(every column, the canonical payload among them, chained to its predecessor), so a signature
is bound to that exact stored version and its version is the row's ``seq``. Events never
change; a wrong one is declared in error (``station.events.correction``) and the declaration,
recorded later, voids it for signing purposes.

A label template version is named by template name and version, hashed over its body. Other
documents (a recall report) are signed by the SHA-256 of their bytes (:func:`document_record`);
the station cannot re-read those, so their signatures are checked without the record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import Connection

from station.ledger.chain import EVENT_TAG, hashed_fields, record_hash
from station.persistence import tables
from station.signatures.errors import RecordNotSignable

__all__ = [
    "EVENT",
    "LABEL_TEMPLATE",
    "RECALL_REPORT",
    "RecordState",
    "SignableRecord",
    "current_state",
    "document_record",
    "event_record",
    "label_template_record",
]

EVENT = "event"
LABEL_TEMPLATE = "label_template"
RECALL_REPORT = "recall_report"

_EVENT = tables.metadata.tables["event"]
_TEMPLATE = tables.metadata.tables["label_template"]


@dataclass(frozen=True, slots=True)
class SignableRecord:
    """A record as the signer saw it. ``actor`` (who recorded it) is for the four-eyes rule."""

    kind: str
    id: str
    version: int
    hash: str  # lowercase hex SHA-256
    actor: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class RecordState:
    """A record as it is now. ``hash`` None: it is gone. ``voided_by``: the declaration's id."""

    version: int | None
    hash: str | None
    actor: str | None = None
    voided_by: str | None = None
    corrected_by: tuple[str, ...] = ()


def _event_row(conn: Connection, event_id: str) -> dict[str, object] | None:
    row = conn.execute(sa.select(_EVENT).where(_EVENT.c.event_id == event_id)).mappings()
    found = row.one_or_none()
    return None if found is None else dict(found)


def _event_hash(row: dict[str, object]) -> str:
    # Recomputed from the content, never the stored ``hash`` column, which an editor could keep.
    return record_hash(EVENT_TAG, hashed_fields(row), str(row["prev_hash"]))


def event_record(conn: Connection, event_id: str) -> SignableRecord:
    """The stored event ``event_id`` as a signable record (its ledger hash, version = seq)."""
    row = _event_row(conn, event_id)
    if row is None:
        raise RecordNotSignable("missing", f"no event {event_id} in this ledger", subject=event_id)
    actor = row["actor"]
    return SignableRecord(
        EVENT, event_id, int(str(row["seq"])), _event_hash(row), str(actor) if actor else None
    )


def _event_state(conn: Connection, event_id: str, _version: int) -> RecordState:
    # An event id names one stored row: the version is compared by the caller.
    row = _event_row(conn, event_id)
    if row is None:
        return RecordState(None, None)
    later = sa.select(_EVENT.c.event_id, _EVENT.c.payload).where(
        _EVENT.c.corrects_event_id == event_id
    )
    voided_by, corrected_by = None, []
    for other_id, payload in conn.execute(later):
        try:
            declares = "errorDeclaration" in json.loads(payload)
        except (TypeError, ValueError):  # an unreadable payload: the chain walk reports it
            declares = False
        if declares and voided_by is None:
            voided_by = str(other_id)
        elif not declares:
            corrected_by.append(str(other_id))
    actor = row["actor"]
    return RecordState(
        int(str(row["seq"])),
        _event_hash(row),
        str(actor) if actor else None,
        voided_by,
        tuple(corrected_by),
    )


def _template_row(conn: Connection, name: str, version: int) -> tuple[str, str | None] | None:
    """The version's SHA-256 recomputed from its stored body, and who created it."""
    query = sa.select(_TEMPLATE.c.body, _TEMPLATE.c.created_by).where(
        _TEMPLATE.c.name == name, _TEMPLATE.c.version == version
    )
    row = conn.execute(query).one_or_none()
    if row is None:
        return None
    return hashlib.sha256(str(row.body).encode()).hexdigest(), _text(row.created_by)


def label_template_record(conn: Connection, name: str, version: int) -> SignableRecord:
    """A label template version, hashed over its stored body (id = the template's name)."""
    row = _template_row(conn, name, version)
    if row is None:
        msg = f"no label template {name} version {version}"
        raise RecordNotSignable("missing", msg, subject=name)
    return SignableRecord(LABEL_TEMPLATE, name, version, *row)


def _template_state(conn: Connection, name: str, version: int) -> RecordState:
    row = _template_row(conn, name, version)
    return RecordState(None, None) if row is None else RecordState(version, *row)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def document_record(
    kind: str, record_id: str, content: bytes, *, version: int = 1, actor: str | None = None
) -> SignableRecord:
    """Any other document (e.g. a recall report file), bound to the SHA-256 of its bytes.

    >>> document_record("recall_report", "RC-1", b"report").hash[:12]
    '845e91831319'
    """
    return SignableRecord(kind, record_id, version, hashlib.sha256(content).hexdigest(), actor)


_RESOLVERS: dict[str, Callable[[Connection, str, int], RecordState]] = {
    EVENT: _event_state,
    LABEL_TEMPLATE: _template_state,
}


def current_state(conn: Connection, kind: str, record_id: str, version: int) -> RecordState | None:
    """The record as stored now, or None for kinds the station cannot re-read (documents)."""
    resolver = _RESOLVERS.get(kind)
    return None if resolver is None else resolver(conn, record_id, version)
