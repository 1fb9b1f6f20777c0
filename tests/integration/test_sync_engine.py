"""The sync engine against the reference ERP over real HTTP on loopback, with a real store.

Faults, limits, duplicates, clock skew, tokens, TLS and restarts: every event reaches the centre
exactly once, each lot in capture order, and nothing is acked without the centre saying so.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from station.context import WriteContext
from station.demo.traffic import record_traffic
from station.persistence.store import Store, open_store
from station.sync.alerts import SecurityAlert
from station.sync.outbox import (
    Ack,
    OutboxEvent,
    Rejection,
    next_batch,
    open_rejections,
    outbox_status,
    record_acks,
    record_rejections,
)
from sync.connectors.base import (
    ACCEPTED,
    REJECTED,
    BatchLimits,
    BatchOutcome,
    EventResult,
    TransientError,
)
from sync.connectors.epcis import EpcisCaptureConnector
from sync.connectors.webhook import WebhookConnector
from sync.engine import SyncEngine, SyncSettings
from sync.erp_sim import ErpSim, FaultPlan, Limits
from sync.http import make_client
from tests.support_tls import make_ca, make_ca_and_server_cert

CTX = WriteContext(station="ST-01", actor="tester", roles=frozenset({"qa"}))
FAST = SyncSettings(period_s=0.1, backoff_base_s=0.01, backoff_cap_s=0.05)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "station.sqlite")
    yield opened
    opened.close()


def station_ids(store: Store) -> list[tuple[int, str, str]]:
    """(seq, eventID, lot URI) of every station event, in seq order."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT e.seq, e.event_id, i.uri FROM event e JOIN event_ident i"
                " ON i.event_seq = e.seq ORDER BY e.seq"
            )
        )
        return [(r[0], r[1], r[2]) for r in rows]


def centre_ids(erp_db: Path) -> list[str]:
    """The eventIDs the centre holds, in the order it stored them."""
    with sqlite3.connect(f"file:{erp_db}?mode=ro", uri=True) as db:
        return [r[0] for r in db.execute("SELECT event_id FROM event ORDER BY seq")]


def assert_delivered_in_order(store: Store, erp_db: Path) -> None:
    held = centre_ids(erp_db)
    assert len(held) == len(set(held))
    ours = station_ids(store)
    assert sorted(held) == sorted(e for _, e, _ in ours)  # every event, exactly once
    position = {event_id: n for n, event_id in enumerate(held)}
    by_lot: dict[str, list[int]] = {}
    for _, event_id, lot in ours:
        by_lot.setdefault(lot, []).append(position[event_id])
    for lot, places in by_lot.items():
        assert places == sorted(places), f"{lot} reached the centre out of order"


def engine_for(store: Store, url: str, **kwargs: object) -> SyncEngine:
    client = make_client(url)
    return SyncEngine(store.writer, EpcisCaptureConnector(client), CTX, FAST, **kwargs)  # type: ignore[arg-type]


def queued(store: Store) -> int:
    return store.writer.submit(outbox_status).result().queued


def test_every_event_reaches_the_centre_once_in_batches_sized_by_its_limits(
    store: Store, tmp_path: Path
) -> None:
    record_traffic(store.writer, CTX, 230, lots=7)
    with ErpSim(tmp_path / "erp.sqlite", limits=Limits(capture_limit=50)) as erp:
        engine = engine_for(store, erp.url)
        result = engine.drain()
        engine.close()
    assert (result.accepted, result.duplicates, result.rejected, result.error) == (230, 0, 0, None)
    assert result.batches == 5  # 50 + 50 + 50 + 50 + 30: the advertised capture limit
    assert queued(store) == 0
    assert_delivered_in_order(store, tmp_path / "erp.sqlite")
    status = store.writer.submit(outbox_status).result()
    assert status.online is True
    assert status.last_success is not None


def test_an_outage_keeps_everything_queued_and_nothing_acked(store: Store, tmp_path: Path) -> None:
    record_traffic(store.writer, CTX, 40, lots=3)
    with ErpSim(tmp_path / "erp.sqlite", faults=FaultPlan.parse("500@every=1")) as erp:
        engine = engine_for(store, erp.url)
        failed = engine.drain()
        assert failed.error is not None
        assert "500" in failed.error
        assert queued(store) == 40
        assert store.writer.submit(outbox_status).result().online is False
        erp.faults = FaultPlan()
        recovered = engine.drain()
        engine.close()
    assert recovered.accepted == 40
    assert queued(store) == 0
    assert_delivered_in_order(store, tmp_path / "erp.sqlite")


def test_a_lost_answer_is_resent_and_acked_once(store: Store, tmp_path: Path) -> None:
    record_traffic(store.writer, CTX, 120, lots=5)
    erp_db = tmp_path / "erp.sqlite"
    spec = "drop-response@every=2,seed=1"  # stored at the centre, answer lost on the way
    with ErpSim(erp_db, faults=FaultPlan.parse(spec), limits=Limits(capture_limit=40)) as erp:
        engine = engine_for(store, erp.url)
        for _ in range(20):
            if engine.drain().error is None:
                break
        engine.close()
    assert queued(store) == 0
    assert_delivered_in_order(store, erp_db)


def test_a_request_processed_twice_is_harmless(store: Store, tmp_path: Path) -> None:
    record_traffic(store.writer, CTX, 30, lots=3)
    erp_db = tmp_path / "erp.sqlite"
    with ErpSim(erp_db, faults=FaultPlan.parse("duplicate@every=1")) as erp:
        engine = engine_for(store, erp.url)
        result = engine.drain()
        engine.close()
    assert result.error is None
    assert result.accepted == 30  # the Idempotency-Key replays the first processing's job
    assert_delivered_in_order(store, erp_db)


def test_events_the_centre_already_holds_are_acked_as_duplicates(
    store: Store, tmp_path: Path
) -> None:
    """A delivery whose answer was lost, then re-batched differently: the job names the
    events already held; they are acked as duplicates and the rest is sent again."""
    record_traffic(store.writer, CTX, 30, lots=3)
    with store.engine.connect() as conn:
        payloads = [r[0] for r in conn.execute(sa.text("SELECT payload FROM event LIMIT 10"))]
    erp_db = tmp_path / "erp.sqlite"
    with ErpSim(erp_db) as erp:
        for payload in payloads:  # held already, under the station's own eventIDs
            answer = httpx.post(
                f"{erp.url}/events", content=payload, headers={"Content-Type": "application/json"}
            )
            assert answer.status_code == 201, answer.text
        engine = engine_for(store, erp.url)
        result = engine.drain()
        engine.close()
    assert (result.accepted, result.duplicates, result.error) == (20, 10, None)
    with store.engine.connect() as conn:
        outcomes = conn.execute(sa.text("SELECT outcome, count(*) FROM sync_ack GROUP BY 1"))
        assert dict(outcomes.fetchall()) == {"accepted": 20, "duplicate": 10}
    assert queued(store) == 0


def test_retry_after_is_honoured(store: Store, tmp_path: Path) -> None:
    record_traffic(store.writer, CTX, 5, lots=1)
    with ErpSim(tmp_path / "erp.sqlite", faults=FaultPlan.parse("429:7@every=1")) as erp:
        engine = engine_for(store, erp.url)
        result = engine.drain()
        engine.close()
    assert result.retry_after == 7
    assert queued(store) == 5


def test_a_restart_resumes_without_loss_or_repeat(tmp_path: Path) -> None:
    db = tmp_path / "station.sqlite"
    erp_db = tmp_path / "erp.sqlite"
    with ErpSim(erp_db, limits=Limits(capture_limit=25)) as erp:
        first = open_store(db)
        record_traffic(first.writer, CTX, 100, lots=4)
        engine = engine_for(first, erp.url)
        assert engine.drain(max_batches=2).accepted == 50
        engine.close()
        first.close()  # the station stops (or is killed) half way
        second = open_store(db)
        try:
            engine = engine_for(second, erp.url)
            rest = engine.drain()
            engine.close()
            assert (rest.accepted, rest.duplicates) == (50, 0)
            assert queued(second) == 0
            assert_delivered_in_order(second, erp_db)
        finally:
            second.close()


def test_the_clock_offset_is_recorded_and_a_skew_is_an_audited_warning(
    store: Store, tmp_path: Path
) -> None:
    record_traffic(store.writer, CTX, 3, lots=1)
    with ErpSim(tmp_path / "erp.sqlite", clock_offset_s=-600) as erp:
        engine = engine_for(store, erp.url)
        engine.drain()
        status = engine.status()
        engine.close()
    assert status.outbox.clock_offset_s is not None
    assert -602 < status.outbox.clock_offset_s < -598
    assert status.skew_warning
    with store.engine.connect() as conn:
        actions = [r[0] for r in conn.execute(sa.text("SELECT action FROM audit"))]
    assert actions.count("sync.clock_skew") == 1


def test_checkpoints_reach_the_centre_signed(store: Store, tmp_path: Path) -> None:
    from station.ledger.checkpoint import make_checkpoint  # noqa: PLC0415
    from station.ledger.keys import KeyStore, public_pem  # noqa: PLC0415

    keys = KeyStore("ST-01", tmp_path)
    record_traffic(store.writer, CTX, 3, lots=1)
    store.writer.submit(lambda conn: make_checkpoint(conn, keys, "ST-01")).result()
    pem = public_pem(keys.public_key()).decode()
    with ErpSim(tmp_path / "erp.sqlite") as erp:
        engine = engine_for(store, erp.url, public_key_pem=pem)
        engine.drain()
        engine.close()
        held = httpx.get(f"{erp.url}/station/checkpoints", params={"station": "ST-01"}).json()
    rows = held["checkpoints"] if isinstance(held, dict) else held
    assert len(rows) == 1
    assert rows[0]["verified"] in (True, 1)


def test_a_missing_or_wrong_token_is_an_auth_failure_and_nothing_is_acked(
    store: Store, tmp_path: Path
) -> None:
    record_traffic(store.writer, CTX, 4, lots=1)
    with ErpSim(tmp_path / "erp.sqlite", token="s3cret") as erp:
        engine = SyncEngine(
            store.writer, EpcisCaptureConnector(make_client(erp.url, token="wrong")), CTX, FAST
        )
        refused = engine.drain()
        engine.close()
        assert refused.auth_failed
        assert refused.error is not None
        assert queued(store) == 4
        engine = SyncEngine(
            store.writer, EpcisCaptureConnector(make_client(erp.url, token="s3cret")), CTX, FAST
        )
        assert engine.drain().accepted == 4
        engine.close()


def test_tls_with_the_company_ca_works_and_a_wrong_ca_is_refused_before_the_token(
    store: Store, tmp_path: Path
) -> None:
    tls = make_ca_and_server_cert(tmp_path / "tls")
    other_ca = make_ca(tmp_path / "other")
    record_traffic(store.writer, CTX, 6, lots=2)
    with ErpSim(
        tmp_path / "erp.sqlite", tls=(tls.server_cert, tls.server_key), token="s3cret"
    ) as erp:
        assert erp.url.startswith("https://")
        wrong = make_client(erp.url, token="s3cret", ca_file=other_ca)
        engine = SyncEngine(store.writer, EpcisCaptureConnector(wrong), CTX, FAST)
        refused = engine.drain()
        engine.close()
        assert refused.error is not None
        assert erp.authorizations_seen == []  # the handshake failed before any header
        system = make_client(erp.url, token="s3cret")  # the system store does not know it
        with pytest.raises(httpx.ConnectError):
            system.options("/capture")
        system.close()
        assert erp.authorizations_seen == []
        right = make_client(erp.url, token="s3cret", ca_file=tls.ca_cert)
        engine = SyncEngine(store.writer, EpcisCaptureConnector(right), CTX, FAST)
        assert engine.drain().accepted == 6
        engine.close()


def test_the_webhook_connector_delivers_with_per_event_results(
    store: Store, tmp_path: Path
) -> None:
    record_traffic(store.writer, CTX, 60, lots=4)
    erp_db = tmp_path / "erp.sqlite"
    with ErpSim(erp_db) as erp:
        client = make_client(erp.url + "/webhook/events")
        engine = SyncEngine(store.writer, WebhookConnector(client), CTX, FAST)
        first = engine.drain()
        engine.close()
    assert (first.accepted, first.error) == (60, None)
    assert_delivered_in_order(store, erp_db)


class PoisonConnector:
    """A centre that refuses one eventID and takes the rest (engine logic, no network)."""

    def __init__(self, poison: str) -> None:
        self.poison = poison
        self.sent: list[str] = []

    @property
    def endpoint(self) -> str:
        return "test://poison"

    def limits(self) -> BatchLimits:
        return BatchLimits(max_events=10)

    def deliver(self, station: str, batch: Sequence[OutboxEvent]) -> BatchOutcome:
        if any(e.event_id == self.poison for e in batch):  # rollback: nothing stored
            return BatchOutcome({self.poison: EventResult(REJECTED, "PO 4711 is closed")})
        self.sent.extend(e.event_id for e in batch)
        return BatchOutcome({e.event_id: EventResult(ACCEPTED) for e in batch})

    def send_checkpoints(self, *args: object) -> None:
        return

    def send_alerts(self, station: str, alerts: Sequence[SecurityAlert]) -> dict[str, str]:
        return {alert.alert_id: ACCEPTED for alert in alerts}

    def close(self) -> None:
        return


def test_a_refused_event_holds_back_only_its_own_lot(store: Store) -> None:
    record_traffic(store.writer, CTX, 80, lots=4, seed=3)
    events = station_ids(store)
    poison_seq, poison_id, poison_lot = events[len(events) // 3]
    connector = PoisonConnector(poison_id)
    engine = SyncEngine(store.writer, connector, CTX, FAST)
    result = engine.drain()
    assert result.rejected == 1
    later_same_lot = [e for s, e, lot in events if lot == poison_lot and s > poison_seq]
    assert later_same_lot
    assert not set(later_same_lot) & set(connector.sent)  # they wait behind it
    others = [e for _, e, lot in events if lot != poison_lot]
    assert set(others) <= set(connector.sent)  # every other lot flowed
    errors = store.writer.submit(open_rejections).result()
    assert [(r.seq, r.reason) for r in errors] == [(poison_seq, "PO 4711 is closed")]
    status = store.writer.submit(outbox_status).result()
    assert status.errors == 1
    assert status.held_back == len(later_same_lot)
    # Someone fixes the PO at the ERP and retries: the lot drains, in order.
    connector.poison = "none"
    from station.sync.outbox import retry_rejection  # noqa: PLC0415

    assert store.writer.submit(lambda c: retry_rejection(c, errors[0].id, CTX)).result()
    assert engine.drain().accepted == 1 + len(later_same_lot)
    lot_order = [e for _, e, lot in events if lot == poison_lot]
    sent_lot = [e for e in connector.sent if e in set(lot_order)]
    assert sent_lot == lot_order
    assert queued(store) == 0


def test_acks_and_errors_are_guarded_rows(store: Store) -> None:
    record_traffic(store.writer, CTX, 2, lots=1)
    (s1, e1, _), (s2, e2, _) = station_ids(store)
    from datetime import UTC, datetime  # noqa: PLC0415

    now = datetime.now(UTC)
    store.writer.submit(lambda c: record_acks(c, [Ack(s1, e1, "accepted")], "x", now)).result()
    with pytest.raises(sa.exc.IntegrityError):
        store.writer.submit(lambda c: c.execute(sa.text("DELETE FROM sync_ack"))).result()
    with pytest.raises(sa.exc.IntegrityError):
        store.writer.submit(
            lambda c: c.execute(sa.text("UPDATE sync_ack SET outcome = 'duplicate'"))
        ).result()
    added = store.writer.submit(
        lambda c: record_rejections(c, [Rejection(s2, e2, "bad"), Rejection(s1, e1, "x")], "x", now)
    ).result()
    assert added == 1  # an acknowledged event is never put on the error list
    with pytest.raises(sa.exc.IntegrityError):
        store.writer.submit(
            lambda c: c.execute(sa.text("UPDATE sync_rejection SET reason = 'edited'"))
        ).result()
    # A wrong eventID for a seq is ignored, never acked.
    store.writer.submit(lambda c: record_acks(c, [Ack(s2, "urn:uuid:x", "accepted")], "x", now))
    batch, _ = store.writer.submit(lambda c: next_batch(c, limit=10, max_bytes=10**6)).result()
    assert batch == []  # s1 acked, s2 on the error list


def test_transient_errors_are_classified() -> None:
    assert issubclass(TransientError, Exception)
    assert json.loads("[]") == []


def test_an_event_the_real_centre_refuses_holds_back_its_lot_until_retried(
    store: Store, tmp_path: Path
) -> None:
    record_traffic(store.writer, CTX, 90, lots=3, seed=5)
    events = station_ids(store)
    poison_seq, poison_id, poison_lot = events[30]
    erp_db = tmp_path / "erp.sqlite"
    rule = Limits(capture_limit=20, refuse_containing=poison_id)  # say, a closed PO
    with ErpSim(erp_db, limits=rule) as erp:
        engine = engine_for(store, erp.url)
        result = engine.drain()
        engine.close()
    assert (result.rejected, result.error) == (1, None)
    (error,) = store.writer.submit(open_rejections).result()
    assert error.seq == poison_seq
    assert "refused by the ERP's rules" in error.reason
    held = set(centre_ids(erp_db))
    waiting = [e for s, e, lot in events if lot == poison_lot and s > poison_seq]
    assert not held & {poison_id, *waiting}
    assert {e for s, e, lot in events if lot != poison_lot or s < poison_seq} <= held
    with store.engine.connect() as conn:
        audited = conn.execute(
            sa.text("SELECT count(*) FROM audit WHERE action = 'sync.rejected'")
        ).scalar_one()
    assert audited == 1
    from station.sync.outbox import retry_rejection  # noqa: PLC0415

    with ErpSim(erp_db, limits=Limits(capture_limit=20)) as erp:  # the ERP was fixed
        assert store.writer.submit(lambda c: retry_rejection(c, error.id, CTX)).result()
        engine = engine_for(store, erp.url)
        assert engine.drain().accepted == 1 + len(waiting)
        engine.close()
    assert queued(store) == 0
    assert_delivered_in_order(store, erp_db)


def test_a_lone_event_goes_by_post_events_and_a_409_counts_as_delivered(
    store: Store, tmp_path: Path
) -> None:
    record_traffic(store.writer, CTX, 3, lots=1)
    (_, first, _), (_, second, _), (_, third, _) = station_ids(store)
    with store.engine.connect() as conn:
        held = conn.execute(sa.text("SELECT payload FROM event WHERE event_id = :e"), {"e": first})
        payload = held.scalar_one()
    erp_db = tmp_path / "erp.sqlite"
    with ErpSim(erp_db, limits=Limits(capture_limit=1, refuse_containing=third)) as erp:
        answer = httpx.post(
            f"{erp.url}/events", content=payload, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 201  # the centre holds the first already
        engine = engine_for(store, erp.url)
        result = engine.drain()
        engine.close()
    assert (result.duplicates, result.accepted, result.rejected) == (1, 1, 1)
    with store.engine.connect() as conn:
        acks: dict[str, str] = dict(
            conn.execute(sa.text("SELECT event_id, outcome FROM sync_ack")).fetchall()
        )
    assert acks == {first: "duplicate", second: "accepted"}
    (error,) = store.writer.submit(open_rejections).result()
    assert error.event_id == third
    assert "refused by the ERP's rules" in error.reason
    assert centre_ids(erp_db) == [first, second]


def test_the_running_engine_delivers_new_events_and_pulls_master_data(
    store: Store, tmp_path: Path
) -> None:
    import time  # noqa: PLC0415

    from station.config import SyncConfig  # noqa: PLC0415
    from sync.factory import build_engine  # noqa: PLC0415

    with ErpSim(tmp_path / "erp.sqlite") as erp:
        erp.master.put(
            "suppliers",
            {"code": "SUP-1", "name": "Acme Medical", "qualification": "qualified"},
        )
        config = SyncConfig("epcis", erp.url, "", 5, 120)
        engine = build_engine(store.writer, config, "ST-01")
        engine.settings = FAST
        engine.start()
        try:
            record_traffic(store.writer, CTX, 12, lots=2)
            engine.wake()  # a new event, as the recorder does after each write
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and (queued(store) or not _suppliers(store)):
                time.sleep(0.1)
        finally:
            engine.close()
        assert not engine.running
    assert queued(store) == 0
    assert _suppliers(store) == ["Acme Medical"]


def _suppliers(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.text("SELECT name FROM supplier"))]
