"""``POST /station-alerts`` and ``GET /station-alerts[?station=ID]``: the ERP's copy of the
stations' security alerts (lockouts, rate limits: P11-U7), stored once per ``alert_id``.

Body ``{"station": "<id>", "alerts": [<alert>, …]}``; the webhook takes the same alerts under
``{"station", "kind": "security_alerts", "alerts"}``. An alert is an object with at least the
strings ``alert_id``, ``kind``, ``station``, ``at`` and ``priority``; the rest (``subject``,
``details``, ``reason``, ``audit_seq``, ``audit_hash``) is kept as sent. Answer ``200
{"results": [{"alert_id", "status": "accepted"|"duplicate"}]}``, one per alert in request
order; a malformed body is a 400 and nothing is stored.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from sync.erp_sim.capture import Outcome, now, problem
from sync.erp_sim.storage import Storage

__all__ = ["REQUIRED", "ensure_schema", "list_alerts", "store_alerts", "store_alerts_document"]

log = logging.getLogger("sync.erp_sim")

#: The fields every alert must carry, all non-empty strings.
REQUIRED = ("alert_id", "kind", "station", "at", "priority")
_MAX_TEXT = 255
_MAX_ALERTS = 1000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS station_alert (
    received INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id TEXT NOT NULL UNIQUE,
    station TEXT NOT NULL,
    kind TEXT NOT NULL,
    alert_json TEXT NOT NULL,
    received_at TEXT NOT NULL
);
"""


def ensure_schema(storage: Storage) -> None:
    storage.ensure(_SCHEMA)


def _bad(detail: str) -> Outcome:
    return problem(400, "ValidationException", "Malformed station alert body.", detail)


def _alert(value: object, where: str) -> dict[str, Any] | str:
    if not isinstance(value, dict):
        return f"{where}: not an object"
    for name in REQUIRED:
        field = value.get(name)
        if not isinstance(field, str) or not 0 < len(field) <= _MAX_TEXT:
            return f"{where}/{name}: must be a string of 1..{_MAX_TEXT} characters"
    return dict(value)


def store_alerts(storage: Storage, body: bytes) -> Outcome:
    """``POST /station-alerts``."""
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        return _bad(f"not JSON: {error}")
    return store_alerts_document(storage, document)


def store_alerts_document(storage: Storage, document: object) -> Outcome:
    """Validate and store a parsed alert body (``/station-alerts`` or the webhook)."""
    if not isinstance(document, dict):
        return _bad("the body must be a JSON object")
    station = document.get("station")
    if not isinstance(station, str) or not 0 < len(station) <= _MAX_TEXT:
        return _bad("station must be a non-empty string")
    entries = document.get("alerts")
    if not isinstance(entries, list) or len(entries) > _MAX_ALERTS:
        return _bad(f"alerts must be a list of at most {_MAX_ALERTS}")
    alerts: list[dict[str, Any]] = []
    for index, entry in enumerate(entries):
        alert = _alert(entry, f"/alerts/{index}")
        if isinstance(alert, str):
            return _bad(alert)
        alerts.append(alert)
    received = now()
    results = []
    with storage.transaction() as db:
        for alert in alerts:
            cursor = db.execute(
                "INSERT INTO station_alert (alert_id, station, kind, alert_json, received_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (alert_id) DO NOTHING",
                (alert["alert_id"], alert["station"], alert["kind"], json.dumps(alert), received),
            )
            stored = cursor.rowcount == 1
            if not stored:
                _warn_if_different(db.execute, alert)
            results.append(
                {"alert_id": alert["alert_id"], "status": "accepted" if stored else "duplicate"}
            )
    return Outcome(200, {"results": results})


def _warn_if_different(execute: Any, alert: Mapping[str, Any]) -> None:
    """The first copy of an alert is the evidence; a resend that differs is only logged."""
    (held,) = execute(
        "SELECT alert_json FROM station_alert WHERE alert_id = ?", (alert["alert_id"],)
    ).fetchone()
    if json.loads(held) != alert:
        log.warning("alert %s resent with different content", alert["alert_id"])


def list_alerts(storage: Storage, query: Mapping[str, list[str]]) -> Outcome:
    """``GET /station-alerts[?station=ID]``: the alerts held, in the order received."""
    station = query.get("station", [""])[0]
    sql = "SELECT alert_json, received_at FROM station_alert"
    params: tuple[str, ...] = ()
    if station:
        sql += " WHERE station = ?"
        params = (station,)
    with storage.transaction() as db:
        rows = db.execute(sql + " ORDER BY received", params).fetchall()
    alerts = [{**json.loads(body), "received_at": received} for body, received in rows]
    return Outcome(200, {"alerts": alerts})
