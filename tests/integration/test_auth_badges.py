"""A new badge for an existing user, and withdrawing a lost badge (P11-U1): the old badge stops
working at once — for sign-in and for signatures — and the database refuses it ever after."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from station.access import NotPermittedError
from station.auth.outcome import Refusal
from station.auth.session import Session
from station.auth.users import UserAdminError, deactivate, issue_badge, revoke_badge
from station.context import WriteContext
from tests.auth_support import LI_BADGE, LI_PIN, STATION, station

QA = WriteContext(station=STATION, actor="sun", roles=frozenset({"qa"}))


def _execute(conn: Connection, sql: str) -> None:
    conn.exec_driver_sql(sql)


def login(st, badge: str = LI_BADGE):  # type: ignore[no-untyped-def]
    return st.run(lambda conn: st.auth.login_badge(conn, badge, LI_PIN))


def audit(st, action: str) -> list[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    return st.query(  # type: ignore[no-any-return]
        "SELECT actor, new_value, reason FROM audit WHERE action = :action ORDER BY seq",
        action=action,
    )


@pytest.mark.req("P11-U1")
def test_a_new_badge_replaces_the_old_one_at_once_with_a_reason(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        st.add_li()
        st.run(lambda conn: issue_badge(conn, st.admin(), "li", "B-9", reason="badge lost"))
        refused = login(st)
        assert isinstance(refused, Refusal)
        assert refused.code == "unknown"  # the old badge names nobody now
        assert isinstance(login(st, "B-9"), Session)
        ((actor, new, reason),) = audit(st, "user.badge")
        assert (actor, json.loads(new), reason) == ("root", {"badge": "B-9"}, "badge lost")


@pytest.mark.req("P11-U1")
def test_a_withdrawn_badge_signs_nobody_in_and_is_never_issued_again(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        st.add_li()
        st.run(lambda conn: revoke_badge(conn, st.admin(), "li", reason="lost on the line"))
        refused = login(st)
        assert isinstance(refused, Refusal)
        assert refused.code == "unknown"
        assert st.query("SELECT badge FROM station_user WHERE username = 'li'") == [(None,)]
        ((actor, new, reason),) = audit(st, "user.badge_revoked")
        assert (actor, json.loads(new), reason) == ("root", {"badge": None}, "lost on the line")
        # The database itself refuses the badge back, to its user or anyone (ERP sync included).
        for sql in (
            f"UPDATE station_user SET badge = '{LI_BADGE}' WHERE username = 'li'",
            f"UPDATE station_user SET badge = '{LI_BADGE}' WHERE username = 'root'",
        ):
            with pytest.raises(IntegrityError, match="never issued again"):
                st.run(partial(_execute, sql=sql))
        with pytest.raises(UserAdminError, match="issued before"):
            st.run(lambda conn: issue_badge(conn, st.admin(), "li", LI_BADGE))
        st.run(lambda conn: issue_badge(conn, st.admin(), "li", "B-10", reason="replacement"))
        assert isinstance(login(st, "B-10"), Session)


def test_a_badge_withdrawn_during_a_session_no_longer_signs(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        st.add_li()
        session = login(st)
        assert isinstance(session, Session)
        st.run(lambda conn: issue_badge(conn, st.admin(), "li", "B-11", reason="lost"))
        refused = st.run(lambda conn: session.authorize_signature(conn, LI_PIN, LI_BADGE))
        assert isinstance(refused, Refusal)
        assert refused.code == "other_user"
        assert session.ended


def test_withdrawing_needs_a_reason_a_badge_and_the_permission(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        st.add_li()
        with pytest.raises(UserAdminError, match="say why"):
            st.run(lambda conn: revoke_badge(conn, st.admin(), "li", reason=" "))
        with pytest.raises(NotPermittedError):
            st.run(lambda conn: revoke_badge(conn, QA, "li", reason="lost"))
        with pytest.raises(NotPermittedError):
            st.run(lambda conn: issue_badge(conn, QA, "li", "B-12"))
        with pytest.raises(UserAdminError, match="holds no badge"):
            st.run(lambda conn: revoke_badge(conn, st.admin(), "root", reason="lost"))
        assert audit(st, "user.badge_revoked") == []
        assert st.query("SELECT badge FROM station_user WHERE username = 'li'") == [(LI_BADGE,)]


def test_a_deactivated_user_gets_no_badge(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        st.add_li()
        st.run(lambda conn: deactivate(conn, st.admin(), "li", reason="left"))
        with pytest.raises(UserAdminError, match="deactivated"):
            st.run(lambda conn: issue_badge(conn, st.admin(), "li", "B-13"))
        assert st.query("SELECT count(*) FROM badge_issue WHERE badge = 'B-13'") == [(0,)]
