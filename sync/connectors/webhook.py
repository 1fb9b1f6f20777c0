"""A generic JSON webhook, for ERPs without an EPCIS interface (contract: docs/sync.md).

``POST <endpoint>`` with::

    {"station": "<id>", "batch": "<key>",
     "events": [{"seq": 17, "eventID": "urn:uuid:…", "aggregates": ["lot:<gtin>/<lot>"],
                 "event": {<EPCIS 2.0 event, as recorded>}}]}

answered ``200 {"results": [{"eventID": …, "status": "accepted"|"duplicate"|"rejected"|
"deferred", "reason": …}]}``. ``deferred`` (or no answer) leaves the event queued. The ERP
stores the eventID in a unique field and checks-and-inserts in one server-side call; once it
rejects an event it defers the later events sharing one of its ``aggregates`` keys.

Security alerts go to the same URL as another kind of body::

    {"station": "<id>", "kind": "security_alerts", "alerts": [{<alert, docs/erp-sim.md>}]}

answered ``200 {"results": [{"alert_id": …, "status": "accepted"|"duplicate"}]}``; an alert
without an answer stays pending. The ERP stores each ``alert_id`` once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx

from station.sync.alerts import SecurityAlert
from station.sync.outbox import OutboxEvent
from sync.connectors.base import (
    ACCEPTED,
    DUPLICATE,
    REJECTED,
    BatchLimits,
    BatchOutcome,
    EventResult,
    TransientError,
)
from sync.connectors.epcis import alert_answers, batch_key, raise_for_answer
from sync.http import server_time

__all__ = ["ALERTS_KIND", "WebhookConnector"]

_ANSWERS = {ACCEPTED, DUPLICATE, REJECTED}
#: The ``kind`` of a body carrying security alerts (a body without ``kind`` carries events).
ALERTS_KIND = "security_alerts"


class WebhookConnector:
    """Posts batches to one URL (the client's base URL) and reads per-event results."""

    def __init__(self, client: httpx.Client, limits: BatchLimits | None = None) -> None:
        self._client = client
        self._limits = limits or BatchLimits()

    @property
    def endpoint(self) -> str:
        return str(self._client.base_url)

    def close(self) -> None:
        self._client.close()

    def limits(self) -> BatchLimits:
        return self._limits

    def deliver(self, station: str, batch: Sequence[OutboxEvent]) -> BatchOutcome:
        if not batch:
            return BatchOutcome()
        items = ",".join(
            '{"seq":%d,"eventID":%s,"aggregates":%s,"event":%s}'  # noqa: UP031 - raw payloads
            % (e.seq, json.dumps(e.event_id), json.dumps(sorted(e.keys)), e.payload)
            for e in batch
        )
        head = json.dumps({"station": station, "batch": batch_key(batch)})[:-1]
        body = f'{head},"events":[{items}]}}'.encode()
        try:
            response = self._client.post(
                self.endpoint.rstrip("/"),  # the URL itself, not a path under it
                content=body,
                headers={"Content-Type": "application/json"},
            )
        except httpx.TimeoutException as error:
            raise TransientError(f"timed out: {error}") from error
        except httpx.TransportError as error:
            raise TransientError(f"network: {error}") from error
        if response.status_code != 200:
            raise_for_answer(response)
        return BatchOutcome(_results(batch, response), server_time(response), datetime.now(UTC))

    def send_alerts(self, station: str, alerts: Sequence[SecurityAlert]) -> Mapping[str, str]:
        body = {"station": station, "kind": ALERTS_KIND, "alerts": [a.to_json() for a in alerts]}
        try:
            response = self._client.post(self.endpoint.rstrip("/"), json=body)
        except httpx.TimeoutException as error:
            raise TransientError(f"timed out: {error}") from error
        except httpx.TransportError as error:
            raise TransientError(f"network: {error}") from error
        if response.status_code != 200:
            raise_for_answer(response)
        return alert_answers(alerts, response)

    def send_checkpoints(
        self,
        station: str,  # noqa: ARG002 - the interface's
        public_key_pem: str | None,  # noqa: ARG002
        rows: Sequence[Mapping[str, object]],  # noqa: ARG002
    ) -> None:
        return  # the webhook contract carries events only


def _results(batch: Sequence[OutboxEvent], response: httpx.Response) -> dict[str, EventResult]:
    try:
        body: Any = response.json()
    except ValueError as error:
        raise TransientError("the webhook answered with something that is not JSON") from error
    answers = body.get("results") if isinstance(body, dict) else None
    if not isinstance(answers, list):
        raise TransientError("the webhook answer has no results list")
    ids = {e.event_id for e in batch}
    results: dict[str, EventResult] = {}
    for answer in answers:
        if not isinstance(answer, dict):
            continue
        event_id, status = answer.get("eventID"), answer.get("status")
        if event_id in ids and status in _ANSWERS:
            reason = str(answer.get("reason") or "")[:2000]
            results[str(event_id)] = EventResult(str(status), reason)
    return results
