"""The reference ERP's newer faults: duplicate delivery, a skewed Date header, slow capture jobs."""

from __future__ import annotations

import email.utils
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sync.erp_sim import ErpSim, FaultKind, FaultPlan
from tests.integration.test_erp_sim import (
    LD,
    TIMEOUT,
    _first_line,
    capture,
    document,
    events,
    stored_ids,
)


@pytest.fixture
def erp(tmp_path: Path) -> Iterator[ErpSim]:
    with ErpSim(tmp_path / "erp.sqlite") as server:
        yield server


def test_duplicate_is_a_fault_kind() -> None:
    (fault,) = FaultPlan.parse("duplicate@every=3").faults
    assert fault.kind is FaultKind.DUPLICATE


@pytest.mark.parametrize("behaviour", ["rollback", "proceed"])
def test_duplicate_capture_answers_the_second_processing(erp: ErpSim, behaviour: str) -> None:
    erp.faults = FaultPlan.parse("duplicate@every=1")
    made = events(3)
    response = capture(erp, document(made), **{"GS1-Capture-Error-Behaviour": behaviour})
    assert response.status_code == 202
    job = httpx.get(erp.url + response.headers["Location"], timeout=TIMEOUT).json()
    assert job["running"] is False
    assert job["success"] is False
    assert [(e["type"], e["detail"]) for e in job["errors"]] == [
        ("epcisException:ResourceAlreadyExistsException", event["eventID"]) for event in made
    ]
    assert stored_ids(erp) == [event["eventID"] for event in made]  # stored exactly once


def test_duplicate_single_event_answers_409(erp: ErpSim) -> None:
    erp.faults = FaultPlan.parse("duplicate@every=1")
    (event,) = events(1)
    response = httpx.post(f"{erp.url}/events", json=event, timeout=TIMEOUT)
    assert response.status_code == 409
    assert stored_ids(erp) == [event["eventID"]]


def test_duplicate_with_an_idempotency_key_replays_the_job(erp: ErpSim) -> None:
    erp.faults = FaultPlan.parse("duplicate@every=1")
    response = capture(erp, document(events(2)), **{"Idempotency-Key": "k1"})
    job = httpx.get(erp.url + response.headers["Location"], timeout=TIMEOUT).json()
    assert job["success"] is True  # the second processing is the key's replay
    assert len(stored_ids(erp)) == 2


@pytest.mark.parametrize("offset", [86_400.0, -3_600.0])
def test_clock_offset_shifts_the_date_header(tmp_path: Path, offset: float) -> None:
    with ErpSim(tmp_path / "erp.sqlite", clock_offset_s=offset) as erp:
        before = time.time()
        for response in (
            httpx.options(f"{erp.url}/capture", timeout=TIMEOUT),
            httpx.get(f"{erp.url}/events", timeout=TIMEOUT),
            capture(erp, document(events(1))),
        ):
            after = time.time()
            date = email.utils.parsedate_to_datetime(response.headers["Date"]).timestamp()
            assert before + offset - 1 <= date <= after + offset + 1


def test_no_offset_by_default(erp: ErpSim) -> None:
    response = httpx.get(f"{erp.url}/events", timeout=TIMEOUT)
    date = email.utils.parsedate_to_datetime(response.headers["Date"]).timestamp()
    assert abs(date - time.time()) < 2


def test_job_polls_report_running_first(tmp_path: Path) -> None:
    with ErpSim(tmp_path / "erp.sqlite", job_polls=2) as erp:
        first = capture(erp, document(events(2)))
        second = capture(erp, document(events(1)))
        location, other = first.headers["Location"], second.headers["Location"]
        polls = [httpx.get(erp.url + location, timeout=TIMEOUT).json() for _ in range(4)]
        for running in polls[:2]:
            assert running["running"] is True
            assert "finishedAt" not in running
            assert running["errors"] == []
        for finished in polls[2:]:
            assert finished["running"] is False
            assert finished["success"] is True
            assert "finishedAt" in finished
        # counted per job
        assert httpx.get(erp.url + other, timeout=TIMEOUT).json()["running"] is True


def test_job_polls_do_not_hide_a_failed_job(tmp_path: Path) -> None:
    made = events(1)
    with ErpSim(tmp_path / "erp.sqlite", job_polls=1) as erp:
        capture(erp, document(made))
        failed = capture(erp, document(made))  # rollback: the duplicate fails the job
        location = failed.headers["Location"]
        assert httpx.get(erp.url + location, timeout=TIMEOUT).json()["running"] is True
        final = httpx.get(erp.url + location, timeout=TIMEOUT).json()
        assert (final["running"], final["success"]) == (False, False)
        assert final["errors"][0]["detail"] == made[0]["eventID"]


def test_cli_options_for_clock_and_job_polls(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "ui.cli", "erp-sim", "--port", "0"]
    command += ["--db", str(tmp_path / "erp.sqlite"), "--clock-offset", "-86400"]
    command += ["--job-polls", "1", "--faults", "duplicate@every=2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = _first_line(process).split()[-1]
        response = httpx.post(
            f"{url}/capture", content=document(events(1)), headers=LD, timeout=TIMEOUT
        )
        date = email.utils.parsedate_to_datetime(response.headers["Date"]).timestamp()
        assert abs(date - (time.time() - 86_400)) < 5
        job_url = url + response.headers["Location"]
        assert httpx.get(job_url, timeout=TIMEOUT).json()["running"] is True
        assert httpx.get(job_url, timeout=TIMEOUT).json()["running"] is False
        twice = httpx.post(f"{url}/events", json=events(1)[0], timeout=TIMEOUT)
        assert twice.status_code == 409  # the second POST is the duplicate-delivery fault
    finally:
        process.terminate()
        process.wait(timeout=10)
