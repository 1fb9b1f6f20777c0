"""Sync through faults: every event reaches the centre exactly once, each lot in capture order.

The acceptance test of the sync issue (``../shared/docs/sync.md`` §6, "Fault tests"): the
reference ERP (:class:`ErpSim`, in this process, on loopback) answers with every fault it can
inject — a request dropped before processing, a response dropped *after* the capture was
committed, 500, 429 with ``Retry-After``, a TCP reset, a request processed twice, a slow answer
— while a real station process (``sync_station_proc``) records a few thousand events over 30
lots and syncs them, and is SIGKILLed at random moments and restarted several times. Then the
faults stop, ``station sync --once`` drains the rest, and the centre's storage is compared with
the station's event table.

The second test makes the centre refuse exactly one event (a poison event) and checks that only
its lot waits, with the centre's reason on the error list, until ``station sync retry``.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from station.context import WriteContext
from station.demo.traffic import record_traffic
from station.persistence.db import close_engine, open_engine
from station.persistence.store import Store, open_store
from station.sync.outbox import OutboxStatus, outbox_status
from sync.connectors.epcis import EpcisCaptureConnector
from sync.engine import SyncEngine, SyncSettings
from sync.erp_sim import ErpSim, FaultPlan, Limits
from sync.http import make_client
from tests.integration.station_cli import station
from tests.integration.sync_station_proc import (
    LOTS,
    STATION,
    centre_event_ids,
    per_lot,
    read_only,
    run_lives,
    station_events,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]

EVENTS = 3000
KILLS = 6
SEED = 20261207
#: Every fault the reference ERP injects, each on its own period so that each one fires
#: several times in a run of a few hundred requests (the first rule that fires wins).
FAULTS = (
    "drop-response@every=7,drop-request@every=11,500@every=13,reset@every=17,"
    "duplicate@every=5,slow:150@every=9,429:1@every=41"
)
FAULT_KINDS = ("drop-response", "drop-request", "500", "reset", "duplicate", "slow", "429")


def station_cmd(*args: str, settings: Path) -> subprocess.CompletedProcess[str]:
    return station(*args, "--settings", str(settings))


def sync_status(db: Path) -> dict[str, Any]:
    shown = station("sync", "status", "--json", "--db", str(db))  # read-only: no settings
    assert shown.returncode == 0, shown.stderr
    status: dict[str, Any] = json.loads(shown.stdout)
    return status


def read_status(db: Path) -> OutboxStatus:
    """The outbox status as ``station sync status`` reads it (without a process start)."""
    engine = open_engine(db, readonly=True)
    try:
        with engine.connect() as conn:
            return outbox_status(conn)
    finally:
        close_engine(engine)


def assert_delivered_once_in_lot_order(db: Path, erp_db: Path) -> None:
    events = station_events(db)
    centre = centre_event_ids(erp_db)
    assert len(events) == len({e[1] for e in events}), "one lot per event"
    assert len(centre) == len(set(centre)), "the centre holds an event twice"
    assert set(centre) == {event_id for _, event_id, _ in events}, (
        f"missing at the centre: {len({e[1] for e in events} - set(centre))}, "
        f"unknown at the centre: {len(set(centre) - {e[1] for e in events})}"
    )
    capture_order = {event_id: seq for seq, event_id, _ in events}
    arrival_order = {event_id: index for index, event_id in enumerate(centre)}
    for lot, ids in per_lot(events, capture_order).items():
        assert sorted(ids, key=arrival_order.__getitem__) == ids, f"{lot} arrived out of order"


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    return tmp_path / "no-settings.toml"  # never created: the developer's file is never read


@pytest.fixture
def fault_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING, logger="sync.erp_sim")
    return caplog


# --- the tests -----------------------------------------------------------------------------


def test_every_event_reaches_the_centre_once_in_lot_order_through_faults_and_kills(
    tmp_path: Path, settings: Path, fault_log: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "station.sqlite"
    erp_db = tmp_path / "erp.sqlite"
    with ErpSim(erp_db, port=0, faults=FaultPlan.parse(FAULTS)) as erp:
        lives = run_lives(db, erp.url, events=EVENTS, kills=KILLS, seed=SEED)
        held_before_drain = erp.storage.event_count()
        erp.faults = FaultPlan()
        drained = station_cmd(
            "sync", "--once", "--db", str(db), "--endpoint", erp.url, "--station", STATION,
            settings=settings,
        )  # fmt: skip
        assert drained.returncode == 0, drained.stdout + drained.stderr
        fired = dict.fromkeys(FAULT_KINDS, 0)
        for entry in fault_log.records:
            message = entry.getMessage()
            for kind in FAULT_KINDS:
                if message.startswith(f"fault {kind} "):
                    fired[kind] += 1

    assert lives == KILLS + 1
    assert all(fired.values()), f"every fault fired: {fired}"
    assert held_before_drain > 0  # the station process itself delivered through the faults
    assert len(station_events(db)) == EVENTS
    assert_delivered_once_in_lot_order(db, erp_db)
    status = sync_status(db)
    assert (status["queued"], status["errors"]) == (0, 0), status
    with read_only(db) as conn:
        assert conn.execute("SELECT count(*) FROM sync_rejection").fetchone() == (0,)
        (acks,) = conn.execute("SELECT count(*) FROM sync_ack").fetchone()
    assert acks == EVENTS


REFUSAL = "refused by the ERP's rules"  # the reference ERP's business rule (--refuse)


def test_a_refused_event_holds_back_only_its_lot_until_retried(
    tmp_path: Path, settings: Path
) -> None:
    db = tmp_path / "station.sqlite"
    erp_db = tmp_path / "erp.sqlite"
    store = open_store(db)
    try:
        record_traffic(store.writer, WriteContext(station=STATION), 900, lots=LOTS, seed=5)
    finally:
        store.close()
    events = station_events(db)
    lot_events = defaultdict(list)
    for seq, event_id, lot in events:
        lot_events[lot].append((seq, event_id))
    poisoned_lot = sorted(lot_events)[7]
    poison_seq, poison_id = lot_events[poisoned_lot][4]  # the lot's fifth event
    waiting = {event_id for seq, event_id in lot_events[poisoned_lot] if seq > poison_seq}
    assert waiting

    # The centre refuses exactly one event: the one whose JSON mentions the poison's eventID.
    with ErpSim(erp_db, port=0, limits=Limits(refuse_containing=poison_id)) as erp:
        link = ("--endpoint", erp.url, "--station", STATION)
        first = station_cmd("sync", "--once", "--db", str(db), *link, settings=settings)
        assert first.returncode == 3, first.stdout + first.stderr  # events remain queued

        centre = set(centre_event_ids(erp_db))
        expected = {e[1] for e in events} - waiting - {poison_id}
        assert centre == expected  # every other lot, and this lot up to the refused event
        errors = station("sync", "errors", "--json", "--db", str(db))
        assert errors.returncode == 0, errors.stderr
        listed = json.loads(errors.stdout)
        assert [(row["seq"], row["event_id"]) for row in listed] == [(poison_seq, poison_id)]
        assert REFUSAL in listed[0]["reason"]
        status = read_status(db)
        assert (status.queued, status.errors, status.held_back) == (len(waiting), 1, len(waiting))

    with ErpSim(erp_db, port=0) as erp:  # the ERP's rule lifted; the same storage
        link = ("--endpoint", erp.url, "--station", STATION)
        retried = station_cmd(
            "sync", "retry", "--all", "--role", "qa", "--db", str(db), "--station", STATION,
            "--user", "qa.lead", settings=settings,
        )  # fmt: skip
        assert retried.returncode == 0, retried.stderr
        assert "1 event(s) queued again" in retried.stdout
        last = station_cmd("sync", "--once", "--db", str(db), *link, settings=settings)
        assert last.returncode == 0, last.stdout + last.stderr

    assert_delivered_once_in_lot_order(db, erp_db)
    status = read_status(db)
    assert (status.queued, status.errors, status.held_back) == (0, 0, 0)
    with read_only(db) as conn:
        retried_rows = conn.execute(
            "SELECT event_id, retried_by FROM sync_rejection WHERE retried_at IS NOT NULL"
        ).fetchall()
        audit = conn.execute(
            "SELECT actor, entity_id FROM audit WHERE action = 'sync.retry'"
        ).fetchall()
    assert retried_rows == [(poison_id, "qa.lead")]
    assert audit == [("qa.lead", poison_id)]


def _engine(store: Store, url: str) -> SyncEngine:
    connector = EpcisCaptureConnector(make_client(url))
    return SyncEngine(store.writer, connector, WriteContext(station=STATION), SyncSettings())


def test_a_batch_the_centre_committed_before_a_restart_is_acked_after_it(tmp_path: Path) -> None:
    """Killed between the send and the local ack (sync.md §6): the centre committed the batch
    but its answer never arrived; the restarted station sends the same events again (in a new
    document: a new ``creationDate``) and must get them acked as already held."""
    store = open_store(tmp_path / "station.sqlite")
    try:
        record_traffic(store.writer, WriteContext(station=STATION), 20, lots=3, seed=1)
        with ErpSim(tmp_path / "erp.sqlite", port=0) as erp:
            erp.faults = FaultPlan.parse("drop-response@every=1")
            before = _engine(store, erp.url)  # the station process that is then killed
            lost = before.drain()
            before.close()
            assert lost.error is not None
            assert erp.storage.event_count() == 20  # committed; the answer was dropped
            erp.faults = FaultPlan()
            after = _engine(store, erp.url)  # the restarted process: a new connector
            result = after.drain()
            status = after.status().outbox
            after.close()
    finally:
        store.close()
    assert result.error is None, result.error
    assert (result.duplicates, status.queued, status.errors) == (20, 0, 0)
