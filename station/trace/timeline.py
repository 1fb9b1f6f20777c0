"""An identifier's history: every event naming it, its lot or its containers, oldest first.

Container events count only while the identifier was inside (see ``containment``). Events
later declared in error stay in the history, marked: QA must see what was recorded and that it
was corrected, not a silently tidied story.
"""

from __future__ import annotations

from collections.abc import Iterable

from station.trace.events import EventRow
from station.trace.model import TimelineEntry

__all__ = ["build_timeline", "entry_of"]


def entry_of(event: EventRow, via: str) -> TimelineEntry:
    return TimelineEntry(
        seq=event.seq,
        event_id=event.event_id,
        event_time=event.event_time,
        event_tz_offset=event.event_tz_offset,
        event_type=event.event_type,
        action=event.action,
        biz_step=event.biz_step,
        disposition=event.disposition,
        actor=event.actor,
        station=event.station,
        read_point=event.read_point,
        biz_location=event.biz_location,
        via=via,
        parties=tuple(event.parties("source") + event.parties("destination")),
        declared_in_error=event.declared_in_error,
        corrects=event.corrects_event_id,
        entry_method=event.entry_method,
        actor_name=event.actor_name,
    )


def build_timeline(events: Iterable[tuple[EventRow, str]]) -> tuple[TimelineEntry, ...]:
    """One entry per event (the first reason it applies wins), by event time then ``seq``.

    ``eventTime`` is UTC text with milliseconds, so text order is time order; ``seq`` breaks
    ties and orders events recorded in the same millisecond as they were written.
    """
    entries: dict[int, TimelineEntry] = {}
    for event, via in events:
        entries.setdefault(event.seq, entry_of(event, via))
    return tuple(sorted(entries.values(), key=lambda entry: (entry.event_time, entry.seq)))
