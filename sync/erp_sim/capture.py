"""The capture logic of the reference ERP: validate, dedupe on ``eventID``, store, report.

Pure of HTTP: the server hands over the request body and headers and gets back an
:class:`Outcome` (a status, a JSON body, extra headers). Every body is untrusted: it is parsed,
checked against the official EPCIS 2.0 schema (the project's own validator, with live ``uri``
and ``date-time`` checks) and only then stored.

Behaviour (``GS1-Capture-Error-Behaviour``):

- ``rollback`` (the default): any invalid event → 400, nothing stored; any eventID already held
  (or repeated inside the document) → the job fails and nothing is stored.
- ``proceed``: invalid and duplicate events are reported in the job's ``errors``, every other
  event is stored. A document with no valid event at all is a 400.

The capture runs inside the request, so the job is finished when the 202 is sent.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from station.epcis.schema import validate_document, validate_event
from station.events.timefmt import utc_millis
from sync.erp_sim.storage import CaptureJob, Storage

__all__ = [
    "BEHAVIOURS",
    "Limits",
    "Outcome",
    "business_problems",
    "capture_document",
    "capture_event",
    "now",
    "problem",
    "stamp",
]

BEHAVIOURS = ("rollback", "proceed")
_SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Limits:
    """What ``OPTIONS /capture`` advertises and ``POST /capture`` enforces."""

    capture_limit: int = 500  #: events per capture
    file_size_limit: int = 1_048_576  #: bytes per request body
    #: A business rule, for tests and demos: an event whose JSON contains this text is
    #: refused (like an ERP refusing a receipt against a closed PO), with a reason naming it.
    refuse_containing: str | None = None


def business_problems(event: object, where: str, limits: Limits) -> list[str]:
    """The ERP's own rules beyond the schema (only ``refuse_containing`` here)."""
    rule = limits.refuse_containing
    if rule and rule in json.dumps(event, ensure_ascii=False):
        return [f"{where}: refused by the ERP's rules: the event mentions {rule!r}"]
    return []


@dataclass(frozen=True)
class Outcome:
    status: int
    body: Mapping[str, Any] | None
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_problem(self) -> bool:
        return self.status >= 400


def problem(status: int, kind: str, title: str, detail: str | None = None) -> Outcome:
    """An RFC 7807 body with an ``epcisException:`` type."""
    body: dict[str, Any] = {"type": f"epcisException:{kind}", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return Outcome(status, body)


def now() -> str:
    """The server's clock as an EPCIS ``recordTime`` (UTC, milliseconds)."""
    return utc_millis(datetime.now(UTC))


def _parse(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        return _Unparsable(str(error))


@dataclass(frozen=True)
class _Unparsable:
    reason: str


def _invalid(problems: list[str]) -> Outcome:
    shown = "; ".join(problems[:_SHOWN_PROBLEMS])
    more = len(problems) - _SHOWN_PROBLEMS
    detail = shown + (f"; … and {more} more" if more > 0 else "")
    return problem(400, "ValidationException", "The document is not valid EPCIS 2.0.", detail)


def stamp(event: Mapping[str, Any], record_time: str) -> dict[str, Any]:
    """A copy of ``event`` with ``recordTime`` set (and an ``eventID`` if it had none)."""
    stamped = dict(event)
    if not isinstance(stamped.get("eventID"), str):
        stamped["eventID"] = f"urn:uuid:{uuid.uuid4()}"  # a repository may fill it in
    stamped["recordTime"] = record_time
    return stamped


def _duplicate(event_id: str) -> dict[str, Any]:
    return {
        "type": "epcisException:ResourceAlreadyExistsException",
        "title": "An event with this eventID already exists.",
        "status": 409,
        "detail": event_id,
    }


def capture_document(
    storage: Storage,
    body: bytes,
    behaviour: str,
    idempotency_key: str | None,
    limits: Limits,
) -> Outcome:
    """``POST /capture``: 202 with the job's Location, or a problem."""
    if behaviour not in BEHAVIOURS:
        return problem(
            400, "ValidationException", "Unsupported GS1-Capture-Error-Behaviour.", behaviour[:64]
        )
    document = _parse(body)
    if isinstance(document, _Unparsable):
        return _invalid([f"(document): not JSON: {document.reason}"])
    if not isinstance(document, dict):
        return _invalid(["(document): not a JSON object"])
    body_list = document.get("epcisBody")
    events = body_list.get("eventList") if isinstance(body_list, dict) else None
    if isinstance(events, list) and len(events) > limits.capture_limit:
        return problem(
            413,
            "CapturePayloadTooLarge",
            "Too many events in one capture.",
            f"{len(events)} events; GS1-EPCIS-Capture-Limit is {limits.capture_limit}",
        )
    sha = hashlib.sha256(body).hexdigest()
    if idempotency_key is not None:
        replay = _replay(storage, idempotency_key, sha)
        if replay is not None:
            return replay
    envelope = dict(document)
    envelope["epcisBody"] = {**body_list, "eventList": []} if isinstance(body_list, dict) else None
    problems = validate_document(envelope)
    if problems or not isinstance(events, list):
        return _invalid(problems or ["/epcisBody/eventList: missing"])
    errors: list[dict[str, Any]] = []
    valid: list[dict[str, Any]] = []
    record_time = now()
    for index, event in enumerate(events):
        where = f"/epcisBody/eventList/{index}"
        wrong = validate_event(event, where) or business_problems(event, where, limits)
        if wrong:
            errors.append(dict(_invalid(wrong).body or {}))
        else:
            valid.append(stamp(event, record_time))
    if errors and (behaviour == "rollback" or not valid):
        return _invalid([str(error.get("detail", "")) for error in errors])
    return _store(
        storage,
        events=valid,
        errors=errors,
        behaviour=behaviour,
        idempotency_key=idempotency_key,
        sha=sha,
    )


def _replay(storage: Storage, key: str, sha: str) -> Outcome | None:
    with storage.transaction() as db:
        job = Storage.job_for_key(db, key)
    if job is None:
        return None
    if job.body_sha256 != sha:
        return problem(
            422,
            "ValidationException",
            "Idempotency-Key reused with a different body.",
            "send a new key for a different document",
        )
    return _accepted(job)


def _accepted(job: CaptureJob) -> Outcome:
    return Outcome(202, None, {"Location": f"/capture/{job.capture_id}"})


def _store(
    storage: Storage,
    *,
    events: list[dict[str, Any]],
    errors: list[dict[str, Any]],
    behaviour: str,
    idempotency_key: str | None,
    sha: str,
) -> Outcome:
    capture_id = f"id{uuid.uuid4().hex}"
    created = now()
    with storage.transaction() as db:
        if idempotency_key is not None:
            earlier = Storage.job_for_key(db, idempotency_key)  # a concurrent twin won the race
            if earlier is not None:
                return _accepted(earlier) if earlier.body_sha256 == sha else _replay_conflict()
        ids = [event["eventID"] for event in events]
        held = Storage.existing_ids(db, ids)
        duplicates = set(held) | {i for i in ids if ids.count(i) > 1}
        if duplicates and behaviour == "rollback":
            errors = [_duplicate(i) for i in dict.fromkeys(i for i in ids if i in duplicates)]
        else:
            for event in events:
                if not Storage.insert_event(db, event, capture_id):
                    errors.append(_duplicate(event["eventID"]))
        job = CaptureJob(
            capture_id=capture_id,
            body_sha256=sha,
            created_at=created,
            finished_at=now(),
            running=False,
            success=not errors,
            behaviour=behaviour,
            errors=tuple(errors),
        )
        Storage.insert_job(db, job, idempotency_key)
    return _accepted(job)


def _replay_conflict() -> Outcome:
    return problem(422, "ValidationException", "Idempotency-Key reused with a different body.")


def capture_event(storage: Storage, body: bytes, limits: Limits | None = None) -> Outcome:
    """``POST /events``: 201 with the event's Location, or 409 when its eventID is held."""
    event = _parse(body)
    if isinstance(event, _Unparsable):
        return _invalid([f"(event): not JSON: {event.reason}"])
    if not isinstance(event, dict):
        return _invalid(["(event): not a JSON object"])
    event.pop("@context", None)  # allowed on a lone event; not part of the stored event
    wrong = validate_event(event) or business_problems(event, "(event)", limits or Limits())
    if wrong:
        return _invalid(wrong)
    stamped = stamp(event, now())
    with storage.transaction() as db:
        stored = Storage.insert_event(db, stamped, None)
    if not stored:
        return problem(
            409,
            "ResourceAlreadyExistsException",
            "A resource with the provided identifier already exists.",
            stamped["eventID"],
        )
    location = f"/events/{quote(stamped['eventID'], safe='')}"
    return Outcome(201, stamped, {"Location": location})
