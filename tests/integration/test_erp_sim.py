"""The reference ERP endpoint over real HTTP on loopback, with a real SQLite file."""

from __future__ import annotations

import copy
import json
import queue
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from station.epcis.schema import validate_document
from sync.erp_sim import ErpSim, FaultKind, FaultPlan, Limits
from ui.cli import main

EXAMPLE = Path(__file__).parents[1] / "data" / "epcis" / "Example_9.6.1-ObjectEvent.jsonld"
LD = {"Content-Type": "application/ld+json"}
TIMEOUT = 5.0


@pytest.fixture
def erp(tmp_path: Path) -> Iterator[ErpSim]:
    limits = Limits(capture_limit=50, file_size_limit=64 * 1024)
    with ErpSim(tmp_path / "erp.sqlite", limits=limits) as server:
        yield server


def events(count: int) -> list[dict[str, Any]]:
    template = json.loads(EXAMPLE.read_text(encoding="utf-8"))["epcisBody"]["eventList"][0]
    made = []
    for _ in range(count):
        event = copy.deepcopy(template)
        event["eventID"] = f"urn:uuid:{uuid.uuid4()}"
        made.append(event)
    return made


def document(event_list: list[dict[str, Any]]) -> bytes:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["epcisBody"]["eventList"] = event_list
    return json.dumps(doc).encode()


def capture(erp: ErpSim, body: bytes, **headers: str) -> httpx.Response:
    return httpx.post(f"{erp.url}/capture", content=body, headers=LD | headers, timeout=TIMEOUT)


def job_of(erp: ErpSim, response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    location = response.headers["Location"]
    assert location.startswith("/capture/")
    job: dict[str, Any] = httpx.get(erp.url + location, timeout=TIMEOUT).json()
    return job


def stored_ids(erp: ErpSim, per_page: int = 1000) -> list[str]:
    ids: list[str] = []
    url: str | None = f"{erp.url}/events?perPage={per_page}"
    while url is not None:
        page = httpx.get(url, timeout=TIMEOUT)
        assert page.status_code == 200
        body = page.json()
        assert validate_document(body) == []  # a valid EPCISQueryDocument
        results = body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        ids.extend(event["eventID"] for event in results)
        url = page.links.get("next", {}).get("url")
    return ids


def test_discovery_headers(erp: ErpSim) -> None:
    response = httpx.options(f"{erp.url}/capture", timeout=TIMEOUT)
    assert response.status_code == 204
    assert response.headers["GS1-EPCIS-Capture-Limit"] == "50"
    assert response.headers["GS1-EPCIS-Capture-File-Size-Limit"] == str(64 * 1024)
    assert response.headers["GS1-Capture-Error-Behaviour"] == "rollback, proceed"
    assert response.headers["GS1-EPCIS-Version"] == "2.0.0"
    assert response.headers["GS1-CBV-Version"] == "2.0.0"


def test_capture_job_and_paginated_read_back(erp: ErpSim) -> None:
    sent = events(7)
    job = job_of(erp, capture(erp, document(sent)))
    assert job["running"] is False
    assert job["success"] is True
    assert job["captureErrorBehaviour"] == "rollback"
    assert job["errors"] == []
    assert job["finishedAt"] >= job["createdAt"]
    first = httpx.get(f"{erp.url}/events?perPage=3", timeout=TIMEOUT)
    assert 'rel="next"' in first.headers["Link"]
    assert "nextPageToken=" in first.headers["Link"]
    assert stored_ids(erp, per_page=3) == [event["eventID"] for event in sent]
    held = first.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"][0]
    assert "recordTime" in held
    assert httpx.get(f"{erp.url}/events?nextPageToken=nonsense", timeout=TIMEOUT).status_code == 400
    assert httpx.get(f"{erp.url}/capture/id{'0' * 32}", timeout=TIMEOUT).status_code == 404
    crowded = "&".join(f"a{i}=1" for i in range(20))
    assert httpx.get(f"{erp.url}/events?{crowded}", timeout=TIMEOUT).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        document([{**events(1)[0], "eventTime": "22-07-2026"}]),
        document([{**events(1)[0], "bizStep": "recieving"}]),
    ],
    ids=["not-json", "not-object", "bad-date", "bad-bizstep"],
)
def test_invalid_document_is_400_problem(erp: ErpSim, body: bytes) -> None:
    response = capture(erp, body)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "epcisException:ValidationException"
    assert stored_ids(erp) == []


def test_wrong_media_type_is_415(erp: ErpSim) -> None:
    body = document(events(1))
    response = httpx.post(
        f"{erp.url}/capture", content=body, headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415


def test_duplicate_under_rollback_rejects_the_whole_capture(erp: ErpSim) -> None:
    a, b, c = events(3)
    assert job_of(erp, capture(erp, document([a, b])))["success"] is True
    job = job_of(erp, capture(erp, document([b, c])))
    assert (job["running"], job["success"]) == (False, False)
    assert [(e["type"], e["detail"]) for e in job["errors"]] == [
        ("epcisException:ResourceAlreadyExistsException", b["eventID"])
    ]
    assert stored_ids(erp) == [a["eventID"], b["eventID"]]


def test_duplicate_and_invalid_under_proceed_store_the_rest(erp: ErpSim) -> None:
    a, b, c, d = events(4)
    bad = {**d, "eventTime": "yesterday"}
    assert job_of(erp, capture(erp, document([a])))["success"] is True
    response = capture(
        erp, document([a, b, bad, c, c]), **{"GS1-Capture-Error-Behaviour": "proceed"}
    )
    job = job_of(erp, response)
    assert (job["running"], job["success"], job["captureErrorBehaviour"]) == (
        False,
        False,
        "proceed",
    )
    kinds = sorted(error["type"].split(":")[1] for error in job["errors"])
    assert kinds == ["ResourceAlreadyExistsException"] * 2 + ["ValidationException"]
    assert stored_ids(erp) == [a["eventID"], b["eventID"], c["eventID"]]


def test_post_single_event_201_then_409(erp: ErpSim) -> None:
    (event,) = events(1)
    first = httpx.post(f"{erp.url}/events", json=event, timeout=TIMEOUT)
    assert first.status_code == 201
    assert first.headers["Location"].startswith("/events/urn%3Auuid%3A")
    again = httpx.post(f"{erp.url}/events", json=event, timeout=TIMEOUT)
    assert again.status_code == 409
    assert again.headers["Content-Type"] == "application/problem+json"
    assert again.json()["type"] == "epcisException:ResourceAlreadyExistsException"
    assert stored_ids(erp) == [event["eventID"]]


def test_idempotency_key_returns_the_same_job(erp: ErpSim) -> None:
    sent = events(2)
    body = document(sent)
    first = capture(erp, body, **{"Idempotency-Key": "batch-1"})
    second = capture(erp, body, **{"Idempotency-Key": "batch-1"})
    assert first.status_code == second.status_code == 202
    assert first.headers["Location"] == second.headers["Location"]
    assert job_of(erp, second)["success"] is True
    other = capture(erp, document(events(1)), **{"Idempotency-Key": "batch-1"})
    assert other.status_code == 422
    assert stored_ids(erp) == [event["eventID"] for event in sent]


def test_oversize_body_and_too_many_events_are_413(erp: ErpSim) -> None:
    big = document(events(1))[:-1] + b" " * (70 * 1024) + b"}"
    response = capture(erp, big)
    assert response.status_code == 413
    assert response.json()["type"] == "epcisException:CapturePayloadTooLarge"
    many = capture(erp, document(events(51)))
    assert many.status_code == 413
    assert stored_ids(erp) == []


def test_huge_content_length_is_refused_before_reading(erp: ErpSim) -> None:
    host, port = erp.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as raw:
        raw.sendall(
            b"POST /capture HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 10000000000\r\n\r\n{"
        )
        answer = raw.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413 ")
    missing = httpx.post(f"{erp.url}/capture", content=iter([b"{}"]), headers=LD)
    assert missing.status_code == 411  # chunked bodies are not accepted


@pytest.mark.parametrize(
    ("spec", "stored"),
    [
        ("drop-request@every=1", False),
        ("drop-response@every=1", True),
        ("reset@every=1", False),
    ],
)
def test_connection_faults(erp: ErpSim, spec: str, stored: bool) -> None:
    erp.faults = FaultPlan.parse(spec)
    sent = events(2)
    with pytest.raises(httpx.TransportError):
        capture(erp, document(sent))
    assert stored_ids(erp) == ([event["eventID"] for event in sent] if stored else [])


def test_status_faults(erp: ErpSim) -> None:
    erp.faults = FaultPlan.parse("500@every=3,429:2@every=2")
    body = document(events(1))
    statuses = [capture(erp, body, **{"Idempotency-Key": "k"}) for _ in range(4)]
    assert [response.status_code for response in statuses] == [202, 429, 500, 429]
    assert statuses[1].headers["Retry-After"] == "2"
    assert statuses[2].json()["type"] == "epcisException:ImplementationException"


def test_slow_fault_delays_the_answer(erp: ErpSim) -> None:
    erp.faults = FaultPlan.parse("slow:300@every=1")
    started = time.monotonic()
    response = capture(erp, document(events(1)))
    assert response.status_code == 202
    assert time.monotonic() - started >= 0.3
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{erp.url}/capture", content=document(events(1)), headers=LD, timeout=0.1)


def test_fault_plan_is_deterministic_for_a_seed() -> None:
    def hits(plan: FaultPlan) -> list[FaultKind | None]:
        return [getattr(plan.next(), "kind", None) for _ in range(200)]

    spec = "reset@p=0.2,slow:5@p=0.3,seed=11"
    first = hits(FaultPlan.parse(spec))
    assert first == hits(FaultPlan.parse(spec))
    assert first != hits(FaultPlan.parse(spec.replace("11", "12")))
    assert 20 < first.count(FaultKind.RESET) < 60
    every = hits(FaultPlan.parse("500@every=4"))
    assert [i + 1 for i, kind in enumerate(every) if kind is not None][:3] == [4, 8, 12]


def _first_line(process: subprocess.Popen[str]) -> str:
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    return lines.get(timeout=20)


def test_cli_serves_until_terminated(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "ui.cli", "erp-sim", "--port", "0", "--db"]
    process = subprocess.Popen(
        [*command, str(tmp_path / "erp.sqlite"), "--faults", "500@every=2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = _first_line(process)
        assert line.startswith("listening on http://127.0.0.1:")
        url = line.split()[-1]
        assert httpx.options(f"{url}/capture", timeout=TIMEOUT).status_code == 204
        body = document(events(1))
        first = httpx.post(f"{url}/capture", content=body, headers=LD, timeout=TIMEOUT)
        second = httpx.post(f"{url}/capture", content=body, headers=LD, timeout=TIMEOUT)
        assert (first.status_code, second.status_code) == (202, 500)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0


def test_cli_refuses_a_bad_fault_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["erp-sim", "--port", "0", "--db", str(tmp_path / "erp.sqlite"), "--faults", "x@p=1"]
    assert main(argv) == 2
    assert "unknown fault 'x'" in capsys.readouterr().err
