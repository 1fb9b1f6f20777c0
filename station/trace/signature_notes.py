"""The electronic signatures on a timeline's events, each with its verdict, carried in the trace
result itself so its JSON, CSV and PDF renderings show them (P11-S1, P11-B1).

(:mod:`station.trace.signed` adapts the same answer for the Trace screen.)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import sqlalchemy as sa

from station.signatures.manifest import manifestation
from station.signatures.records import EVENT
from station.signatures.verify import SignatureCheck, signatures_for_many
from station.trace.model import SignatureNote, TimelineEntry

__all__ = ["note_of", "with_signatures"]


def note_of(check: SignatureCheck) -> SignatureNote:
    """A signature as reports show it, from its signed payload (never the user table)."""
    return SignatureNote(
        signer_id=check.signer_id,
        printed_name=check.printed_name,
        meaning=check.meaning,
        signed_at=check.signed_at,
        status=check.status.value,
        manifestation=manifestation(check),
    )


def with_signatures(
    conn: sa.Connection, timeline: Sequence[TimelineEntry]
) -> tuple[TimelineEntry, ...]:
    """``timeline`` with each event's signatures filled in (oldest first)."""
    found = signatures_for_many(conn, [entry.event_id for entry in timeline])

    def notes(entry: TimelineEntry) -> tuple[SignatureNote, ...]:
        checks = found.get(entry.event_id, ())
        return tuple(note_of(c) for c in checks if c.signature.record_kind == EVENT)

    return tuple(
        dataclasses.replace(entry, signatures=notes(entry)) if entry.event_id in found else entry
        for entry in timeline
    )
