"""EPCIS 2.0 REST capture (``POST /capture`` → 202 + Location → poll the capture job).

Documents are sent under ``GS1-Capture-Error-Behaviour: rollback`` (all or nothing): when the
centre refuses one event, nothing of the batch is stored, so no later event of the same lot
can overtake it. The job's errors say which events were already held (acked as duplicates)
and which were invalid (rejected, with the centre's reason); the rest is sent again.

The payloads go out byte for byte as recorded (they were validated against the official
schema at capture). A retried batch reuses its ``Idempotency-Key`` and its ``creationDate``,
so the retry is the same document and a centre that saw it replays the same job.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx

from station.epcis.document import epcis_document
from station.sync.alerts import SecurityAlert
from station.sync.outbox import OutboxEvent
from sync.connectors.base import (
    ACCEPTED,
    DUPLICATE,
    REJECTED,
    AuthError,
    BatchLimits,
    BatchOutcome,
    BatchTooLargeError,
    EventResult,
    SyncError,
    TransientError,
)
from sync.http import retry_after_seconds, server_time

__all__ = ["EpcisCaptureConnector", "alert_answers"]

_POINTER = re.compile(r"/epcisBody/eventList/(\d+)")
_HEADERS = {
    "Content-Type": "application/ld+json",
    "GS1-EPCIS-Version": "2.0.0",
    "GS1-CBV-Version": "2.0.0",
    "GS1-Capture-Error-Behaviour": "rollback",
}
_MAX_POLL_S = 60.0
_REMEMBERED_BATCHES = 64


def batch_key(batch: Sequence[OutboxEvent]) -> str:
    """A key naming exactly this set of events (a re-split batch gets another key)."""
    digest = hashlib.sha256("\n".join(e.event_id for e in batch).encode()).hexdigest()
    return f"st-{digest[:40]}"


class EpcisCaptureConnector:
    """A centre speaking the EPCIS 2.0 capture interface (``../shared/docs/sync.md`` §2)."""

    def __init__(self, client: httpx.Client, *, poll_timeout: float = _MAX_POLL_S) -> None:
        self._client = client
        self._poll_timeout = poll_timeout
        self._created: OrderedDict[str, datetime] = OrderedDict()
        self._single_events = True  # until the centre shows it has no POST /events

    @property
    def endpoint(self) -> str:
        return str(self._client.base_url)

    @property
    def client(self) -> httpx.Client:
        """The HTTP client (shared with the master-data puller; closed with this connector)."""
        return self._client

    def close(self) -> None:
        self._client.close()

    # -- discovery -------------------------------------------------------------------------

    def limits(self) -> BatchLimits:
        response = self._request("OPTIONS", "/capture")
        if response.status_code >= 400:
            raise_for_answer(response)
        default = BatchLimits()
        return BatchLimits(
            max_events=_header_int(response, "GS1-EPCIS-Capture-Limit", default.max_events),
            max_bytes=_header_int(response, "GS1-EPCIS-Capture-File-Size-Limit", default.max_bytes),
        )

    # -- capture ---------------------------------------------------------------------------

    def deliver(self, station: str, batch: Sequence[OutboxEvent]) -> BatchOutcome:
        if not batch:
            return BatchOutcome()
        if len(batch) == 1 and self._single_events:
            single = self._deliver_one(station, batch[0])
            if single is not None:
                return single
        events_key = batch_key(batch)
        body, key = self._document(events_key, batch)
        headers = {
            **_HEADERS,
            "Idempotency-Key": key,
            "X-Station-Id": station,
            "X-Station-Seq-First": str(batch[0].seq),
            "X-Station-Seq-Last": str(batch[-1].seq),
        }
        response = self._request("POST", "/capture", content=body, headers=headers)
        if response.status_code == 400:
            return self._refused(batch, response)
        if response.status_code != 202:
            raise_for_answer(response)
        location = response.headers.get("Location")
        if not location:
            raise TransientError("the centre answered 202 without a Location")
        job, last = self._poll(location)
        self._created.pop(events_key, None)
        return BatchOutcome(_job_results(batch, job), server_time(last), datetime.now(UTC))

    def _deliver_one(self, station: str, event: OutboxEvent) -> BatchOutcome | None:
        """``POST /events``: a synchronous answer for a lone event (a quiet station, or a
        bisected batch): 201 stored, 409 already held, 400 refused. None when the centre has
        no such resource (a capture-only repository): then it goes by ``/capture``."""
        body = event.payload.encode("utf-8")
        headers = {**_HEADERS, "X-Station-Id": station, "X-Station-Seq-First": str(event.seq)}
        headers["Content-Type"] = "application/json"
        response = self._request("POST", "/events", content=body, headers=headers)
        status = response.status_code
        if status in (404, 405, 501):
            self._single_events = False
            return None
        if status == 201:
            result = EventResult(ACCEPTED)
        elif status == 409 and _problem_detail(response) in ("", event.event_id):
            result = EventResult(DUPLICATE)
        elif status == 400:
            result = EventResult(REJECTED, _problem_detail(response)[:2000] or "refused")
        else:
            raise_for_answer(response)
            raise TransientError(f"{status}: unexpected answer to POST /events")
        return BatchOutcome({event.event_id: result}, server_time(response), datetime.now(UTC))

    def _document(self, events_key: str, batch: Sequence[OutboxEvent]) -> tuple[bytes, str]:
        """The document and its Idempotency-Key. A retry from this process is the same document
        (same ``creationDate``) under the same key, so the centre replays its job; after a
        restart the document is new and so is the key (a key reused with another body is a
        422), and the centre's per-eventID dedupe answers for what it already holds."""
        created = self._created.get(events_key)
        if created is None:
            created = datetime.now(UTC)
            self._created[events_key] = created
            while len(self._created) > _REMEMBERED_BATCHES:
                self._created.popitem(last=False)
        head = json.dumps(epcis_document([], created), ensure_ascii=False)
        head = head[: -len("]}}")]
        body = (head + ",\n".join(e.payload for e in batch) + "]}}").encode("utf-8")
        key = "st-" + hashlib.sha256(body).hexdigest()[:40]
        return body, key

    def _refused(self, batch: Sequence[OutboxEvent], response: httpx.Response) -> BatchOutcome:
        """400: the document was refused, nothing stored. Name the events it blames."""
        detail = _problem_detail(response)
        results: dict[str, EventResult] = {}
        for part in detail.split("; "):
            match = _POINTER.search(part)
            if match and int(match.group(1)) < len(batch):
                event = batch[int(match.group(1))]
                reason = results.get(event.event_id, EventResult(REJECTED)).reason
                joined = f"{reason}; {part}" if reason else part
                results[event.event_id] = EventResult(REJECTED, joined[:2000])
        if not results:
            if len(batch) == 1:
                results[batch[0].event_id] = EventResult(REJECTED, detail[:2000] or "refused")
            else:
                raise BatchTooLargeError(f"refused without naming an event: {detail[:200]}")
        return BatchOutcome(results, server_time(response), datetime.now(UTC))

    def _poll(self, location: str) -> tuple[Mapping[str, Any], httpx.Response]:
        deadline = time.monotonic() + self._poll_timeout
        pause = 0.02
        while True:
            response = self._request("GET", location)
            if response.status_code != 200:
                raise_for_answer(response)
            job = _json(response)
            if not isinstance(job, dict):
                raise TransientError("the capture job is not a JSON object")
            if job.get("running") is False:
                return job, response
            if time.monotonic() > deadline:
                raise TransientError("the capture job is still running")
            time.sleep(pause)
            pause = min(pause * 2, 1.0)

    # -- checkpoints -----------------------------------------------------------------------

    def send_checkpoints(
        self, station: str, public_key_pem: str | None, rows: Sequence[Mapping[str, object]]
    ) -> None:
        body = {"station": station, "public_key_pem": public_key_pem, "checkpoints": list(rows)}
        response = self._request("POST", "/station/checkpoints", json=body)
        if response.status_code >= 400:
            raise_for_answer(response)

    # -- security alerts -------------------------------------------------------------------

    def send_alerts(self, station: str, alerts: Sequence[SecurityAlert]) -> Mapping[str, str]:
        """``POST /station-alerts`` (a station extension beside ``/station/checkpoints``)."""
        body = {"station": station, "alerts": [alert.to_json() for alert in alerts]}
        response = self._request("POST", "/station-alerts", json=body)
        if response.status_code != 200:
            raise_for_answer(response)
        return alert_answers(alerts, response)

    # -- plumbing --------------------------------------------------------------------------

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._client.request(method, url, **kwargs)
        except httpx.TimeoutException as error:
            raise TransientError(f"timed out: {error}") from error
        except httpx.TransportError as error:
            raise TransientError(f"network: {error}") from error


def _job_results(batch: Sequence[OutboxEvent], job: Mapping[str, Any]) -> dict[str, EventResult]:
    if job.get("success") is True:
        return {e.event_id: EventResult(ACCEPTED) for e in batch}
    ids = {e.event_id for e in batch}
    results: dict[str, EventResult] = {}
    errors = job.get("errors")
    for error in errors if isinstance(errors, list) else []:
        if not isinstance(error, dict):
            continue
        kind = str(error.get("type", ""))
        detail = str(error.get("detail", ""))
        if kind.endswith("ResourceAlreadyExistsException") and detail in ids:
            results[detail] = EventResult(DUPLICATE)
            continue
        match = _POINTER.search(detail)
        if match and int(match.group(1)) < len(batch):
            event = batch[int(match.group(1))]
            results[event.event_id] = EventResult(REJECTED, f"{kind}: {detail}"[:2000])
    if not results:
        raise TransientError(f"the capture job failed without naming an event: {errors!r:.200}")
    return results


def alert_answers(alerts: Sequence[SecurityAlert], response: httpx.Response) -> dict[str, str]:
    """The centre's ``{"results": [{"alert_id", "status"}]}``: alert_id → accepted | duplicate,
    for the alerts that were sent; anything else is ignored (those alerts stay pending)."""
    body = _json(response)
    answers = body.get("results") if isinstance(body, dict) else None
    if not isinstance(answers, list):
        raise TransientError("the alert answer has no results list")
    sent = {alert.alert_id for alert in alerts}
    found: dict[str, str] = {}
    for answer in answers:
        if not isinstance(answer, dict):
            continue
        ident, status = answer.get("alert_id"), answer.get("status")
        if ident in sent and status in (ACCEPTED, DUPLICATE):
            found[str(ident)] = str(status)
    return found


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _problem_detail(response: httpx.Response) -> str:
    body = _json(response)
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("title") or "")
    return response.text[:2000]


def _header_int(response: httpx.Response, name: str, default: int) -> int:
    value = response.headers.get(name, "")
    try:
        number = int(value)
    except ValueError:
        return default
    return max(1, min(number, default))


def raise_for_answer(response: httpx.Response) -> None:
    status = response.status_code
    detail = _problem_detail(response)[:300]
    if status in (401, 403):
        raise AuthError(f"{status}: the centre refused our credentials ({detail})")
    if status == 413:
        raise BatchTooLargeError(f"413: {detail}")
    if status in (429, 503) or status >= 500:
        raise TransientError(f"{status}: {detail}", retry_after_seconds(response))
    raise SyncError(f"{status}: {detail}")
