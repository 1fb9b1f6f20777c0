"""Write an EPCIS document event by event, validating as it goes, in constant memory.

A station records some 10,000 events a day (docs/sync.md §11), so a full export can run to
gigabytes: it must not be built in memory. The document schema checks the members of
``eventList`` one by one (``items`` alone: no ``uniqueItems``, ``contains`` or length bounds;
a test holds the shipped schema to that), so a valid envelope plus valid events is exactly a
valid document.

>>> import io
>>> from datetime import datetime, UTC
>>> out = io.StringIO()
>>> write_document([], datetime(2026, 11, 24, tzinfo=UTC), out)
StreamResult(events=0, problems=[])
>>> out.getvalue().endswith('"epcisBody": {"eventList": [\\n]}}\\n')
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO

from station.epcis.document import epcis_document
from station.epcis.schema import validate_document, validate_event

__all__ = ["StreamResult", "write_document"]

_TAIL = '"eventList": []}}'


@dataclass(frozen=True, slots=True)
class StreamResult:
    """How many events were written and, if any, what makes the document invalid."""

    events: int
    problems: list[str] = field(default_factory=list)


def _envelope(creation_date: datetime) -> tuple[str, list[str]]:
    empty = epcis_document([], creation_date)
    text = json.dumps(empty, ensure_ascii=False)
    assert text.endswith(_TAIL), "epcisBody must be the last key of the envelope"
    return text[: -len("]}}")], validate_document(empty)


def write_document(
    events: Iterable[Mapping[str, Any]],
    creation_date: datetime,
    out: TextIO,
    *,
    max_problems: int = 100,
) -> StreamResult:
    """Write the document to ``out``, one event per line, and report its schema problems.

    Every event is checked, but at most ``max_problems`` problems are kept. When problems are
    returned, what was written is not a valid document: the caller must discard it.
    """
    head, problems = _envelope(creation_date)
    out.write(head)
    count = 0
    for count, event in enumerate(events, start=1):
        found = validate_event(event, f"/epcisBody/eventList/{count - 1}")
        problems.extend(found[: max(0, max_problems - len(problems))])
        out.write(("," if count > 1 else "") + "\n" + json.dumps(event, ensure_ascii=False))
    out.write("\n]}}\n")
    return StreamResult(count, problems)
