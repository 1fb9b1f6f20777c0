"""The reference ERP's webhook (synchronous per-event results) and checkpoint store over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from station.ledger.checkpoint import signed_message
from station.ledger.keys import key_id, public_pem
from sync.erp_sim import ErpSim, FaultPlan, Limits
from tests.integration.test_erp_sim import events, stored_ids

TIMEOUT = 5.0


@pytest.fixture
def erp(tmp_path: Path) -> Iterator[ErpSim]:
    with ErpSim(tmp_path / "erp.sqlite", limits=Limits(capture_limit=20)) as server:
        yield server


def entry(event: dict[str, Any], seq: int, *aggregates: str) -> dict[str, Any]:
    return {"seq": seq, "eventID": event["eventID"], "aggregates": list(aggregates), "event": event}


def post(erp: ErpSim, entries: list[dict[str, Any]]) -> list[dict[str, str]]:
    body = {"station": "ST-1", "batch": "b1", "events": entries}
    response = httpx.post(f"{erp.url}/webhook/events", json=body, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    results: list[dict[str, str]] = response.json()["results"]
    assert [r["eventID"] for r in results] == [e["eventID"] for e in entries]
    return results


def invalid(event: dict[str, Any]) -> dict[str, Any]:
    return {**event, "action": "EXPLODE"}


def test_accepted_then_duplicate(erp: ErpSim) -> None:
    made = events(2)
    entries = [entry(made[0], 1, "lot:A"), entry(made[1], 2, "lot:B")]
    assert [r["status"] for r in post(erp, entries)] == ["accepted", "accepted"]
    assert [r["status"] for r in post(erp, entries)] == ["duplicate", "duplicate"]
    assert stored_ids(erp) == [e["eventID"] for e in made]  # the same table as /capture


def test_capture_and_webhook_share_the_event_table(erp: ErpSim) -> None:
    (event,) = events(1)
    created = httpx.post(f"{erp.url}/events", json=event, timeout=TIMEOUT)
    assert created.status_code == 201
    assert post(erp, [entry(event, 1, "lot:A")])[0]["status"] == "duplicate"


def test_rejected_event_defers_later_events_of_its_aggregates(erp: ErpSim) -> None:
    e = events(6)
    entries = [
        entry(e[0], 1, "lot:A"),  # accepted: before the rejection
        entry(invalid(e[1]), 2, "lot:A", "sscc:1"),  # rejected
        entry(e[2], 3, "lot:B"),  # accepted: another lot
        entry(e[3], 4, "sscc:1"),  # deferred: shares sscc:1
        entry(e[4], 5, "lot:C", "lot:A"),  # deferred: shares lot:A
        entry(e[5], 6, "lot:C"),  # deferred: its lot waits behind the deferred e[4]
    ]
    results = post(erp, entries)
    assert [r["status"] for r in results] == [
        "accepted",
        "rejected",
        "accepted",
        "deferred",
        "deferred",
        "deferred",
    ]
    assert "action" in results[1]["reason"]
    assert "reason" not in results[0]
    for deferred in results[3:]:
        assert deferred["reason"] == f"waits for {e[1]['eventID']}"
    assert stored_ids(erp) == [e[0]["eventID"], e[2]["eventID"]]
    # the station fixes nothing yet retries the deferred ones: now they go through
    retried = post(erp, entries[3:])
    assert [r["status"] for r in retried] == ["accepted"] * 3


def test_event_id_must_match_the_event(erp: ErpSim) -> None:
    first, second = events(2)
    mismatched = {**entry(first, 1, "lot:A"), "eventID": second["eventID"]}
    (result,) = post(erp, [mismatched])
    assert result["status"] == "rejected"
    assert "differs" in result["reason"]


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        json.dumps({"batch": "b", "events": []}).encode(),
        json.dumps({"station": "S", "batch": "b"}).encode(),
        json.dumps({"station": "S", "batch": "b", "events": [1]}).encode(),
        json.dumps(
            {"station": "S", "batch": "b", "events": [{"seq": "1", "eventID": "x", "event": {}}]}
        ).encode(),
        json.dumps(
            {
                "station": "S",
                "batch": "b",
                "events": [{"seq": 1, "eventID": "x", "aggregates": "lot", "event": {}}],
            }
        ).encode(),
    ],
)
def test_malformed_body_is_400(erp: ErpSim, body: bytes) -> None:
    response = httpx.post(
        f"{erp.url}/webhook/events",
        content=body,
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"


def test_limits_and_faults_apply(erp: ErpSim) -> None:
    entries = [entry(event, n, "lot:A") for n, event in enumerate(events(21))]
    body = {"station": "ST-1", "batch": "b1", "events": entries}
    response = httpx.post(f"{erp.url}/webhook/events", json=body, timeout=TIMEOUT)
    assert response.status_code == 413
    erp.faults = FaultPlan.parse("duplicate@every=1")
    assert [r["status"] for r in post(erp, entries[:2])] == ["duplicate", "duplicate"]
    assert len(stored_ids(erp)) == 2  # stored once
    erp.faults = FaultPlan.parse("500@every=1")
    body["events"] = entries[2:3]
    refused = httpx.post(f"{erp.url}/webhook/events", json=body, timeout=TIMEOUT)
    assert refused.status_code == 500
    assert len(stored_ids(erp)) == 2


# ----------------------------------------------------------------------------- checkpoints


def checkpoint(key: Ed25519PrivateKey, ident: int, station: str = "ST-1") -> dict[str, Any]:
    statement: dict[str, Any] = {
        "station": station,
        "event_seq": 10 * ident,
        "event_head": f"{ident:064x}",
        "audit_seq": ident,
        "audit_head": f"{ident + 100:064x}",
        "created_at": f"2026-12-07T04:{ident:02d}:00.000Z",
    }
    signature = key.sign(signed_message(statement)).hex()
    return statement | {"id": ident, "key_id": key_id(key.public_key()), "signature": signature}


def send(erp: ErpSim, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{erp.url}/station/checkpoints", json=body, timeout=TIMEOUT)


def listed(erp: ErpSim, station: str = "ST-1") -> list[dict[str, Any]]:
    response = httpx.get(f"{erp.url}/station/checkpoints", params={"station": station})
    assert response.status_code == 200
    assert response.json()["station"] == station
    found: list[dict[str, Any]] = response.json()["checkpoints"]
    return found


def test_checkpoints_verified_with_the_station_key(erp: ErpSim) -> None:
    key, mallory = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    pem = public_pem(key.public_key()).decode()
    good = [checkpoint(key, 1), checkpoint(key, 2)]
    forged = checkpoint(mallory, 3)
    tampered = checkpoint(key, 4) | {"event_seq": 999}
    body = {"station": "ST-1", "public_key_pem": pem, "checkpoints": [*good, forged, tampered]}
    response = send(erp, body)
    assert response.status_code == 200, response.text
    assert response.json() == {"stored": 4, "verified": 2, "trust": "self-asserted"}
    held = listed(erp)
    assert [(c["id"], c["verified"]) for c in held] == [
        (1, True),
        (2, True),
        (3, False),
        (4, False),
    ]
    assert {k: held[0][k] for k in good[0]} == good[0]
    # idempotent: the same rows again store nothing new
    assert send(erp, body).json() == {"stored": 4, "verified": 2, "trust": "self-asserted"}
    assert len(listed(erp)) == 4
    assert listed(erp, "ST-2") == []


def test_checkpoints_without_a_key_are_stored_unverified(erp: ErpSim) -> None:
    key = Ed25519PrivateKey.generate()
    row = checkpoint(key, 1)
    assert send(erp, {"station": "ST-1", "checkpoints": [row]}).json() == {
        "stored": 1,
        "verified": 0,
        "trust": "self-asserted",  # no key enrolled at the ERP (and none in the request)
    }
    pem = public_pem(key.public_key()).decode()
    again = send(erp, {"station": "ST-1", "public_key_pem": pem, "checkpoints": [row]})
    assert again.json() == {"stored": 1, "verified": 1, "trust": "self-asserted"}  # key known
    changed = send(erp, {"station": "ST-1", "checkpoints": [row | {"audit_seq": 7}]})
    assert changed.json()["stored"] == changed.json()["verified"] == 0  # the first copy is kept
    assert listed(erp)[0]["audit_seq"] == row["audit_seq"]


@pytest.mark.parametrize(
    "body",
    [
        {"checkpoints": []},
        {"station": "ST-1"},
        {"station": "ST-1", "checkpoints": [{"id": 1}]},
        {"station": "ST-1", "public_key_pem": "not a key", "checkpoints": []},
        {"station": "ST-2", "checkpoints": ["row"]},
    ],
)
def test_malformed_checkpoints_are_400(erp: ErpSim, body: dict[str, Any]) -> None:
    assert send(erp, body).status_code == 400


def test_checkpoint_of_another_station_is_400(erp: ErpSim) -> None:
    row = checkpoint(Ed25519PrivateKey.generate(), 1, station="ST-9")
    assert send(erp, {"station": "ST-1", "checkpoints": [row]}).status_code == 400


def test_listing_needs_a_station(erp: ErpSim) -> None:
    assert httpx.get(f"{erp.url}/station/checkpoints", timeout=TIMEOUT).status_code == 400
