"""``POST /webhook/events``: synchronous per-event results for ERPs without an EPCIS interface.

Body::

    {"station": "<station id>", "batch": "<id>",
     "events": [{"seq": 1, "eventID": "urn:uuid:…", "aggregates": ["<key>", …],
                 "event": {<EPCIS 2.0 event>}}]}

Answer ``200 {"results": [{"eventID", "status", "reason"?}]}``, one per event in request order,
``status`` one of ``accepted`` (stored now), ``duplicate`` (the eventID was already held),
``rejected`` (invalid; ``reason`` says why) and ``deferred`` (not stored because an earlier
event of the same request sharing an aggregate key was rejected or deferred; ``reason`` is
``waits for <eventID of the rejected event>``). Events go into the same table as ``/capture``,
all in one transaction.

A body with ``"kind": "security_alerts"`` carries a station's security alerts instead
(:mod:`sync.erp_sim.alerts`, the same as ``POST /station-alerts``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from station.epcis.schema import validate_event
from sync.erp_sim import alerts
from sync.erp_sim.capture import Limits, Outcome, business_problems, now, problem, stamp
from sync.erp_sim.storage import Storage

__all__ = ["ALERTS_KIND", "STATUSES", "deliver"]

STATUSES = ("accepted", "duplicate", "rejected", "deferred")
ALERTS_KIND = "security_alerts"
_SHOWN_PROBLEMS = 5
_MAX_TEXT = 255
_MAX_AGGREGATES = 64


@dataclass(frozen=True)
class _Item:
    seq: int
    event_id: str
    aggregates: tuple[str, ...]
    event: dict[str, Any]


def _malformed(detail: str) -> Outcome:
    return problem(400, "ValidationException", "Malformed webhook body.", detail)


def _items(document: object) -> list[_Item] | Outcome:
    if not isinstance(document, dict):
        return _malformed("the body must be a JSON object")
    for name in ("station", "batch"):
        value = document.get(name)
        if not isinstance(value, str) or not 0 < len(value) <= _MAX_TEXT:
            return _malformed(f"{name} must be a string of 1..{_MAX_TEXT} characters")
    events = document.get("events")
    if not isinstance(events, list):
        return _malformed("events must be a list")
    items: list[_Item] = []
    for index, entry in enumerate(events):
        where = f"/events/{index}"
        if not isinstance(entry, dict):
            return _malformed(f"{where}: not an object")
        seq, event_id = entry.get("seq"), entry.get("eventID")
        aggregates, event = entry.get("aggregates"), entry.get("event")
        if not isinstance(seq, int) or isinstance(seq, bool):
            return _malformed(f"{where}/seq: must be an integer")
        if not isinstance(event_id, str) or not 0 < len(event_id) <= _MAX_TEXT:
            return _malformed(f"{where}/eventID: must be a string of 1..{_MAX_TEXT} characters")
        if (
            not isinstance(aggregates, list)
            or len(aggregates) > _MAX_AGGREGATES
            or not all(isinstance(key, str) for key in aggregates)
        ):
            return _malformed(f"{where}/aggregates: must be a list of strings")
        if not isinstance(event, dict):
            return _malformed(f"{where}/event: must be an object")
        items.append(_Item(seq, event_id, tuple(aggregates), event))
    return items


def _problems(item: _Item, index: int, limits: Limits) -> list[str]:
    inner = item.event.get("eventID")
    if inner is not None and inner != item.event_id:
        return [f"event.eventID {str(inner)[:80]!r} differs from eventID"]
    event = {**item.event, "eventID": item.event_id}
    where = f"/events/{index}/event"
    return validate_event(event, where) or business_problems(event, where, limits)


def deliver(storage: Storage, body: bytes, limits: Limits) -> Outcome:
    """Validate, order and store a webhook batch; one result per event, in request order."""
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        return _malformed(f"not JSON: {error}")
    if isinstance(document, dict) and document.get("kind") == ALERTS_KIND:
        return alerts.store_alerts_document(storage, document)
    items = _items(document)
    if isinstance(items, Outcome):
        return items
    if len(items) > limits.capture_limit:
        detail = f"{len(items)} events; the limit is {limits.capture_limit}"
        return problem(413, "CapturePayloadTooLarge", "Too many events in one request.", detail)
    record_time = now()
    results: list[dict[str, str]] = []
    blocked: dict[str, str] = {}  # aggregate key -> the rejected eventID it waits for
    with storage.transaction() as db:
        for index, item in enumerate(items):
            waits = next((blocked[key] for key in item.aggregates if key in blocked), None)
            if waits is not None:
                results.append(_result(item, "deferred", f"waits for {waits}"))
                for key in item.aggregates:
                    blocked.setdefault(key, waits)
                continue
            wrong = _problems(item, index, limits)
            if wrong:
                shown = "; ".join(wrong[:_SHOWN_PROBLEMS])
                more = len(wrong) - _SHOWN_PROBLEMS
                reason = shown + (f"; … and {more} more" if more > 0 else "")
                results.append(_result(item, "rejected", reason))
                for key in item.aggregates:
                    blocked.setdefault(key, item.event_id)
                continue
            event = stamp({**item.event, "eventID": item.event_id}, record_time)
            stored = Storage.insert_event(db, event, None)
            results.append(_result(item, "accepted" if stored else "duplicate"))
    return Outcome(200, {"results": results})


def _result(item: _Item, status: str, reason: str | None = None) -> dict[str, str]:
    result = {"eventID": item.event_id, "status": status}
    if reason is not None:
        result["reason"] = reason
    return result
