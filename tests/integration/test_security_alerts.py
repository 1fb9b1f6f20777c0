"""Security alarms and ERP alerts on a real station database (P11-U7, AUTH-3, A11-13): a
lockout is an open alarm until acknowledged (audited) and a pending alert until the centre
answers for it; both are derived from append-only rows, so a restart changes nothing."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from station.access import NotPermittedError
from station.auth.alarms import (
    ALARM_ACK,
    LOCKOUT,
    RATE_LIMIT,
    acknowledge_alarms,
    open_alarms,
    security_entries,
    unlockers,
)
from station.auth.outcome import Refusal
from station.auth.policy import AuthPolicy
from station.context import WriteContext
from station.persistence.store import open_store
from station.sync.alerts import alerts_pending, pending_alerts, record_alert_acks
from tests.auth_support import LI_BADGE, LI_PIN, STATION, Station, station

WRONG = "918273"


def lock_li(st: Station) -> None:
    """Five wrong PINs for li, waiting out the delay between them."""
    codes = []
    for _ in range(5):
        refusal = st.run(lambda conn: st.auth.login_badge(conn, LI_BADGE, WRONG))
        assert isinstance(refusal, Refusal)
        codes.append(refusal.code)
        st.clock.advance(seconds=refusal.wait_seconds + 1)
    assert codes == ["wrong_secret"] * 4 + ["locked"]


def as_role(st: Station, role: str, actor: str) -> WriteContext:
    return WriteContext(
        station=STATION,
        actor=actor,
        actor_name=actor.title(),
        clock=st.clock,
        roles=frozenset({role}),
    )


@pytest.mark.req("P11-U7")
def test_a_lockout_is_an_alarm_until_a_supervisor_acknowledges_it(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        st.add_li()
        lock_li(st)
        (alarm,) = st.run(open_alarms)
        assert (alarm.action, alarm.subject, alarm.new["failures"]) == (LOCKOUT, "li", 5)
        operator = as_role(st, "operator", "wang")
        with pytest.raises(NotPermittedError):
            st.run(lambda conn: acknowledge_alarms(conn, operator, [alarm.seq]))
        supervisor = as_role(st, "supervisor", "zhao")
        assert st.run(lambda conn: acknowledge_alarms(conn, supervisor, [alarm.seq])) == 1
        assert st.run(open_alarms) == []
        assert st.run(lambda conn: acknowledge_alarms(conn, supervisor, [alarm.seq])) == 0
        (ack,) = st.query(
            "SELECT actor, actor_name, entity, entity_id, new_value, at FROM audit"
            " WHERE action = :a",
            a=ALARM_ACK,
        )
        assert ack[:4] == ("zhao", "Zhao", "audit", str(alarm.seq))
        assert '"acknowledged":true' in ack[4]
        assert ack[5].endswith("Z")
        # Acknowledging is not unlocking: the right PIN is still refused.
        still = st.run(lambda conn: st.auth.login_badge(conn, LI_BADGE, LI_PIN))
        assert isinstance(still, Refusal)
        assert still.code == "locked"
        assert st.run(unlockers) == [("root", "Root Admin")]


@pytest.mark.req("P11-U7")
def test_a_lockout_is_a_pending_alert_until_the_centre_answers_for_it(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        st.add_li()
        lock_li(st)
        (alert,) = st.run(pending_alerts)
        body = alert.to_json()
        assert body["alert_id"] == f"{STATION}:audit:{alert.audit_seq}"
        assert (body["kind"], body["priority"], body["subject"]) == (
            LOCKOUT,
            "high",
            {"type": "user", "id": "li"},
        )
        assert body["details"] == {"locked": True, "failures": 5, "purpose": "login"}
        assert len(body["audit_hash"]) == 64
        when = st.clock()
        sent = {alert.alert_id: alert}
        # An answer for an alert not sent is ignored; an unknown outcome is a programming error.
        stranger = {"X:audit:1": "accepted"}
        assert st.run(lambda c: record_alert_acks(c, sent, stranger, "e", when)) == 0
        assert st.run(alerts_pending) == 1
        with pytest.raises(ValueError, match="unknown alert outcome"):
            st.run(lambda c: record_alert_acks(c, sent, {alert.alert_id: "rejected"}, "e", when))
        added = st.run(
            lambda c: record_alert_acks(c, sent, {alert.alert_id: "accepted"}, "e", when)
        )
        assert added == 1
        again = st.run(
            lambda c: record_alert_acks(c, sent, {alert.alert_id: "duplicate"}, "e", when)
        )
        assert again == 0  # an ack is final
        assert st.run(pending_alerts) == []
        assert st.query("SELECT outcome FROM security_alert_ack") == [("accepted",)]
        with pytest.raises(IntegrityError, match="append-only"):
            st.run(
                lambda c: c.exec_driver_sql("UPDATE security_alert_ack SET outcome = 'duplicate'")
            )
        with pytest.raises(IntegrityError, match="append-only"):
            st.run(lambda c: c.exec_driver_sql("DELETE FROM security_alert_ack"))


@pytest.mark.req("AUTH-3")
def test_the_station_rate_limit_is_an_alarm_and_an_alert_too(tmp_path: Path) -> None:
    with station(tmp_path, AuthPolicy(station_failures=3)) as st:
        for badge in ("B-0", "B-1", "B-2", "B-3"):
            st.run(partial(st.auth.login_badge, badge=badge, pin=WRONG))
        (alarm,) = st.run(open_alarms)
        assert (alarm.action, alarm.entity, alarm.subject) == (RATE_LIMIT, "station", STATION)
        (alert,) = st.run(pending_alerts)
        assert alert.to_json()["subject"] == {"type": "station", "id": STATION}


def test_alarms_and_alerts_survive_a_restart(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        st.add_li()
        lock_li(st)
        st.clock.advance(minutes=1)
    store = open_store(tmp_path / "station.sqlite")
    try:
        alarms = store.writer.submit(open_alarms).result()
        alerts = store.writer.submit(pending_alerts).result()
        entries = store.writer.submit(lambda c: security_entries(c, after=0)).result()
    finally:
        store.close()
    assert [a.subject for a in alarms] == ["li"]
    assert [a.subject for a in alerts] == ["li"]
    assert [e.seq for e in entries] == [a.seq for a in alarms]
