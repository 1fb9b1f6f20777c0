"""Security alerts reach the ERP with priority (P11-U7, A11-13), through the real reference ERP on
127.0.0.1: ahead of every event batch, past a refused (poisoned) event, exactly once, also after
a lost answer and a station restart; by the webhook too; and a centre without the alert
resource holds no event back."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from station.context import WriteContext
from station.demo.traffic import record_traffic
from station.persistence.store import Store, open_store
from station.sync.alerts import SecurityAlert, alerts_pending
from station.sync.outbox import OutboxEvent, open_rejections, outbox_status
from sync.connectors.base import BatchLimits, BatchOutcome
from sync.connectors.epcis import EpcisCaptureConnector, raise_for_answer
from sync.connectors.webhook import WebhookConnector
from sync.engine import SyncEngine, SyncSettings
from sync.erp_sim import ErpSim, FaultPlan, Limits
from sync.http import make_client
from tests.auth_support import STATION, Station, station
from tests.integration.station_cli import station as run_station
from tests.integration.test_security_alerts import lock_li

FAST = SyncSettings(period_s=0.1, backoff_base_s=0.01, backoff_cap_s=0.05)
CTX = WriteContext(station=STATION, actor="tester", roles=frozenset({"qa"}))


class Recording:
    """The real EPCIS connector, noting the order of its calls (``alerts`` / ``events``)."""

    def __init__(self, inner: EpcisCaptureConnector) -> None:
        self.inner = inner
        self.calls: list[str] = []

    @property
    def endpoint(self) -> str:
        return self.inner.endpoint

    def limits(self) -> BatchLimits:
        return self.inner.limits()

    def deliver(self, station: str, batch: Sequence[OutboxEvent]) -> BatchOutcome:
        self.calls.append("events")
        return self.inner.deliver(station, batch)

    def send_alerts(self, station: str, alerts: Sequence[SecurityAlert]) -> Mapping[str, str]:
        self.calls.append("alerts")
        return self.inner.send_alerts(station, alerts)

    def send_checkpoints(self, *args: Any) -> None:
        self.inner.send_checkpoints(*args)

    def close(self) -> None:
        self.inner.close()


class NoAlertResource(Recording):
    """A centre that has no alert resource: the POST is answered 404 by the real server."""

    def send_alerts(self, station: str, alerts: Sequence[SecurityAlert]) -> Mapping[str, str]:
        self.calls.append("alerts")
        raise_for_answer(self.inner.client.post("/no-such-alerts", json={"station": station}))
        raise AssertionError("the server was expected to answer 404")


def held_alerts(erp: ErpSim) -> list[dict[str, Any]]:
    answer = httpx.get(erp.url + "/station-alerts", params={"station": STATION})
    assert answer.status_code == 200
    alerts: list[dict[str, Any]] = answer.json()["alerts"]
    return alerts


def pending(store: Store) -> int:
    return store.writer.submit(alerts_pending).result()


@contextmanager
def poisoned_station(tmp_path: Path) -> Iterator[tuple[Station, str]]:
    """A station with 40 recorded events and li; one event is refused by the centre."""
    with station(tmp_path) as st:
        st.add_li()
        record_traffic(st.store.writer, CTX, 40, lots=3, seed=5)
        (poison,) = st.query("SELECT event_id FROM event WHERE seq = 7")[0]
        yield st, poison


def engine(st: Station, connector: Recording) -> SyncEngine:
    return SyncEngine(st.store.writer, connector, CTX, FAST)


@pytest.mark.req("P11-U7")
def test_a_lockout_goes_first_past_a_poisoned_event_exactly_once(tmp_path: Path) -> None:
    with (
        poisoned_station(tmp_path) as (st, poison),
        ErpSim(tmp_path / "erp.sqlite", limits=Limits(refuse_containing=poison)) as erp,
    ):
        first = Recording(EpcisCaptureConnector(make_client(erp.url)))
        result = engine(st, first).drain()
        assert result.rejected == 1  # the poisoned event is on the error list
        rejections = st.run(open_rejections)
        assert [r.event_id for r in rejections] == [poison]
        held_back = st.run(outbox_status).held_back
        assert held_back > 0  # its lot waits behind it

        lock_li(st)
        record_traffic(st.store.writer, CTX, 12, lots=3, seed=6)  # more work meanwhile
        assert pending(st.store) == 1
        connector = Recording(EpcisCaptureConnector(make_client(erp.url)))
        sync = engine(st, connector)
        result = sync.drain()
        assert result.alerts == 1
        assert result.accepted > 0
        assert connector.calls[:2] == ["alerts", "events"]  # before any event batch
        assert pending(st.store) == 0
        (alert,) = held_alerts(erp)
        assert (alert["kind"], alert["priority"], alert["subject"]) == (
            "security.lockout",
            "high",
            {"type": "user", "id": "li"},
        )
        assert alert["details"]["failures"] == 5
        assert st.run(outbox_status).held_back >= held_back  # its lot is still blocked

        connector.calls.clear()
        assert sync.drain().alerts == 0
        assert "alerts" not in connector.calls  # acknowledged: never sent again
        sync.close()
        assert len(held_alerts(erp)) == 1


@pytest.mark.req("P11-U7")
def test_a_lost_answer_and_a_restart_still_deliver_the_alert_exactly_once(tmp_path: Path) -> None:
    erp_db = tmp_path / "erp.sqlite"
    with (
        poisoned_station(tmp_path) as (st, poison),
        ErpSim(erp_db, limits=Limits(refuse_containing=poison)) as erp,
    ):
        lock_li(st)
        erp.faults = FaultPlan.parse("drop-response@every=1")  # stored, answer lost
        lost = engine(st, Recording(EpcisCaptureConnector(make_client(erp.url))))
        result = lost.drain()
        lost.close()
        assert result.error is not None
        assert len(held_alerts(erp)) == 1  # the centre has it ...
        assert pending(st.store) == 1  # ... but the station does not know

        first_store = st.store
        first_store.close()  # the station restarts
        st.store = open_store(first_store.path)
        try:
            assert pending(st.store) == 1  # derived from rows: still pending
            erp.faults = FaultPlan()
            connector = Recording(EpcisCaptureConnector(make_client(erp.url)))
            again = engine(st, connector)
            result = again.drain()
            again.close()
            assert (connector.calls[0], result.alerts) == ("alerts", 1)
            assert st.query("SELECT outcome FROM security_alert_ack") == [("duplicate",)]
            assert pending(st.store) == 0
            assert len(held_alerts(erp)) == 1  # exactly once at the centre
            assert result.rejected == 1  # and the poisoned event was refused after it
        finally:
            st.store.close()


def test_the_webhook_carries_the_alerts_as_their_own_kind(tmp_path: Path) -> None:
    with poisoned_station(tmp_path) as (st, _poison), ErpSim(tmp_path / "erp.sqlite") as erp:
        lock_li(st)
        client = make_client(erp.url + "/webhook/events")
        sync = SyncEngine(st.store.writer, WebhookConnector(client), CTX, FAST)
        result = sync.drain()
        assert (result.alerts, result.accepted, result.error) == (1, 40, None)
        assert sync.drain().alerts == 0
        sync.close()
        (alert,) = held_alerts(erp)
        assert alert["subject"] == {"type": "user", "id": "li"}
        # Sent again by hand, the centre answers that it already holds it.
        body = {"station": STATION, "kind": "security_alerts", "alerts": [alert]}
        del alert["received_at"]
        answer = httpx.post(
            erp.url + "/webhook/events",
            content=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        assert answer.json() == {
            "results": [{"alert_id": alert["alert_id"], "status": "duplicate"}]
        }


def test_a_centre_without_the_alert_resource_holds_no_event_back(tmp_path: Path) -> None:
    with poisoned_station(tmp_path) as (st, _poison), ErpSim(tmp_path / "erp.sqlite") as erp:
        lock_li(st)
        connector = NoAlertResource(EpcisCaptureConnector(make_client(erp.url)))
        sync = engine(st, connector)
        result = sync.drain()
        sync.close()
        assert (result.accepted, result.alerts, result.error) == (40, 0, None)
        assert connector.calls[:2] == ["alerts", "events"]
        assert pending(st.store) == 1  # kept for a centre that takes it
        assert held_alerts(erp) == []


def test_the_reference_erp_refuses_a_malformed_alert_and_stores_nothing(tmp_path: Path) -> None:
    with ErpSim(tmp_path / "erp.sqlite") as erp:
        bad = {"station": STATION, "alerts": [{"alert_id": "x", "kind": "security.lockout"}]}
        answer = httpx.post(erp.url + "/station-alerts", json=bad)
        assert answer.status_code == 400
        assert "/alerts/0/station" in answer.json()["detail"]
        assert held_alerts(erp) == []


@pytest.mark.req("P11-U7")
def test_the_command_line_reports_pending_alerts_and_drains_them(tmp_path: Path) -> None:
    with poisoned_station(tmp_path) as (st, _poison):
        lock_li(st)
        db = st.store.path
        st.store.close()  # the command line takes the database's writer lock
        settings = tmp_path / "none.toml"
        with ErpSim(tmp_path / "erp.sqlite") as erp:
            before = run_station("sync", "status", "--db", str(db), "--json")
            assert json.loads(before.stdout)["alerts_pending"] == 1
            done = run_station(
                "sync",
                "--once",
                "--db",
                str(db),
                "--endpoint",
                erp.url,
                "--no-master",
                "--settings",
                str(settings),
            )
            assert done.returncode == 0, done.stderr
            assert "security alerts: 1 delivered, 0 pending" in done.stdout
            after = run_station("sync", "status", "--db", str(db), "--json")
            assert json.loads(after.stdout)["alerts_pending"] == 0
            assert len(held_alerts(erp)) == 1
