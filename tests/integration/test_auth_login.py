"""Sign-in on a real station database: lockout, delays, rate limit, revocation, expiry, resets,
badges never reused, stale user lists, signatures, and no secret anywhere on disk or in logs."""

from __future__ import annotations

import json
import logging
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from station.access import NotAuthenticatedError, NotPermittedError, require
from station.auth.alarms import open_alarms
from station.auth.hashing import HashParameters, cheap_parameters_for_tests
from station.auth.login import Authenticator
from station.auth.outcome import BadgeCredentials, PasswordCredentials, Refusal
from station.auth.policy import AuthPolicy
from station.auth.review import access_review
from station.auth.session import Session
from station.auth.users import (
    UserAdminError,
    change_secret,
    create_first_admin,
    deactivate,
    first_run_needed,
    issue_badge,
    reset_secret,
    set_roles,
    unlock,
)
from station.context import WriteContext
from station.sync.alerts import pending_alerts
from station.sync.masterdata import apply_page
from tests.auth_support import ADMIN_PASSWORD, LI_BADGE, LI_PIN, STATION, FixedPepper, station

WRONG = "918273"


def _execute(conn: Connection, sql: str) -> None:
    conn.exec_driver_sql(sql)


def actions(st: object) -> list[str]:
    return [row[0] for row in st.query("SELECT action FROM audit ORDER BY seq")]  # type: ignore[attr-defined]


def login(st, badge: str = LI_BADGE, pin: str = LI_PIN, **kw):  # type: ignore[no-untyped-def]
    return st.run(lambda conn: st.auth.login_badge(conn, badge, pin, **kw))


def test_first_run_creates_one_admin_then_closes(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        assert not st.run(first_run_needed)
        with pytest.raises(UserAdminError, match="first-run setup is closed"):
            st.run(
                lambda conn: create_first_admin(
                    conn,
                    st.admin(),
                    username="eve",
                    name="Eve",
                    secret="another-passphrase",
                    pepper=st.pepper,
                    policy=st.auth.policy,
                )
            )
        assert actions(st)[:3] == ["user.create", "signature.key_enrolled", "credential.set"]


def test_login_by_badge_and_pin_or_by_name_and_password(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        st.add_li()
        session = login(st)
        assert isinstance(session, Session)
        ctx = session.context()
        assert (ctx.actor, ctx.actor_name, ctx.roles) == ("li", "Li Na", frozenset({"qa"}))
        root = st.run(lambda conn: st.auth.login_password(conn, "root", ADMIN_PASSWORD))
        assert isinstance(root, Session)
        by_name = st.run(lambda conn: st.auth.login_password(conn, "li", LI_PIN))
        assert isinstance(by_name, Refusal)
        assert by_name.code == "use_badge"
        unknown = login(st, badge="B-404")
        assert isinstance(unknown, Refusal)
        assert unknown.code == "unknown"
        assert unknown.username is None
        st.run(session.logout)
        assert actions(st)[-4:] == ["login", "login.failed", "login.failed", "logout"]


@pytest.mark.req("P11-U7")
@pytest.mark.req("AUTH-3")
def test_five_failures_lock_and_the_right_pin_is_refused_until_an_authorised_unlock(
    tmp_path: Path,
) -> None:
    with station(tmp_path) as st:
        st.add_li()
        for n in range(1, 6):
            refusal = login(st, pin=WRONG)
            assert isinstance(refusal, Refusal)
            if n < 5:
                assert refusal.code == "wrong_secret"
                assert refusal.wait_seconds == 2 ** (n - 1)  # exponential delay
                early = login(st)  # even the right PIN waits
                assert isinstance(early, Refusal)
                assert early.code == "wait"
                assert early.wait_seconds > 0
                st.clock.advance(seconds=refusal.wait_seconds)
            else:
                assert refusal.code == "locked"
        assert "security.lockout" in actions(st)
        # Queued for the ERP and an alarm at the station, in the same transaction.
        assert [(a.kind, a.subject) for a in st.run(pending_alerts)] == [("security.lockout", "li")]
        assert [a.subject for a in st.run(open_alarms)] == ["li"]
        st.clock.advance(hours=1)
        refused = login(st)
        assert isinstance(refused, Refusal)
        assert refused.code == "locked"
        operator = WriteContext(station=STATION, actor="op", roles=frozenset({"operator"}))
        with pytest.raises(NotPermittedError):
            st.run(lambda conn: unlock(conn, operator, "li", reason="asked"))
        st.run(lambda conn: unlock(conn, st.admin(), "li", reason="identity checked in person"))
        assert actions(st)[-1] == "security.unlock"
        assert isinstance(login(st), Session)
        locks = st.query("SELECT action, by FROM user_lock ORDER BY id")
        assert locks == [("lock", None), ("unlock", "root")]


@pytest.mark.req("AUTH-3")
def test_the_station_rate_limit_engages_across_many_badges(tmp_path: Path) -> None:
    policy = AuthPolicy(station_failures=10)
    with station(tmp_path, policy) as st:
        st.add_li()
        codes = []
        for n in range(30):
            result = login(st, badge=f"B-{n:03d}", pin=WRONG)
            assert isinstance(result, Refusal)
            codes.append(result.code)
        assert codes[:10] == ["unknown"] * 10
        assert set(codes[10:]) == {"rate_limited"}
        limited = login(st)  # a real user too, with the right PIN
        assert isinstance(limited, Refusal)
        assert limited.code == "rate_limited"
        assert 0 < limited.wait_seconds <= 60
        assert actions(st).count("security.rate_limit") == 1
        assert [a.kind for a in st.run(pending_alerts)] == ["security.rate_limit"]
        st.clock.advance(seconds=61)
        assert isinstance(login(st), Session)


@pytest.mark.req("AUTH-2")
def test_a_database_without_its_pepper_refuses_a_known_pin(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        st.add_li()
        elsewhere = Authenticator(
            st.store.engine, station=STATION, pepper=FixedPepper(None), clock=st.clock
        )
        refused = st.run(lambda conn: elsewhere.login_badge(conn, LI_BADGE, LI_PIN))
        assert isinstance(refused, Refusal)
        assert refused.code == "wrong_secret"
        other = Authenticator(
            st.store.engine, station=STATION, pepper=FixedPepper(b"x" * 32), clock=st.clock
        )
        st.clock.advance(seconds=5)
        assert isinstance(st.run(lambda conn: other.login_badge(conn, LI_BADGE, LI_PIN)), Refusal)


@pytest.mark.req("AUTH-1")
def test_login_rehashes_a_secret_made_with_other_parameters(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        st.add_li()
        stronger = HashParameters(time_cost=2, memory_kib=16, parallelism=1)
        with cheap_parameters_for_tests(stronger):
            assert isinstance(login(st), Session)
            assert isinstance(login(st), Session)  # the new hash verifies
        rows = st.query("SELECT origin, hash FROM credential WHERE username = 'li' ORDER BY id")
        assert [origin for origin, _ in rows] == ["initial", "rehash"]
        assert rows[0][1].startswith("$argon2id$v=19$m=8,t=1,p=1$")
        assert rows[1][1].startswith("$argon2id$v=19$m=16,t=2,p=1$")
        assert actions(st).count("credential.rehash") == 1


@pytest.mark.req("P11-U1")
def test_a_badge_ever_issued_is_never_issued_again_and_users_are_never_deleted_or_renamed(
    tmp_path: Path,
) -> None:
    with station(tmp_path) as st:
        st.add_li()
        with pytest.raises(IntegrityError, match="never issued again"):
            st.run(lambda c: c.exec_driver_sql("UPDATE station_user SET badge='B-7' WHERE id=1"))
        assert isinstance(login(st), Session)  # an attempt row exists
        st.run(lambda conn: issue_badge(conn, st.admin(), "li", "B-8"))
        for sql in (
            "UPDATE station_user SET badge = 'B-7' WHERE username = 'li'",  # a withdrawn one
            "UPDATE station_user SET badge = 'B-7' WHERE username = 'root'",
            "INSERT INTO station_user (username, name, roles, badge) VALUES ('w','W','qa','B-7')",
            "INSERT INTO badge_issue (badge, username, issued_at) VALUES ('B-8', 'root', 'x')",
            "DELETE FROM station_user WHERE username = 'li'",
            "UPDATE station_user SET username = 'lina' WHERE username = 'li'",
            "UPDATE credential SET must_change = 1",
            "DELETE FROM auth_attempt",
            "DELETE FROM badge_issue",
        ):
            with pytest.raises(IntegrityError):  # noqa: PT012 - one statement each
                st.run(partial(_execute, sql=sql))
                pytest.fail(sql)
        with pytest.raises(UserAdminError, match="issued before"):
            st.run(lambda conn: issue_badge(conn, st.admin(), "root", "B-7"))
        assert st.query("SELECT badge, username FROM badge_issue ORDER BY badge") == [
            ("B-7", "li"),
            ("B-8", "li"),
        ]
        refused = login(st)  # the withdrawn badge signs nobody in
        assert isinstance(refused, Refusal)
        assert isinstance(login(st, badge="B-8"), Session)


@pytest.mark.req("P11-U6")
def test_a_user_revoked_by_erp_master_data_is_refused_offline(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        st.add_li()
        session = login(st)
        assert isinstance(session, Session)
        ctx = session.context()
        erp = WriteContext(station=STATION, actor="erp-sync", clock=st.clock)
        page = [
            {"username": "li", "name": "Li Na", "roles": "qa", "badge": LI_BADGE, "active": "no"}
        ]
        result = st.run(lambda conn: apply_page(conn, "users", page, [], erp))
        assert result.updated == 1
        with pytest.raises(NotAuthenticatedError, match="deactivated"):
            require(ctx, "lot.release")
        refused = login(st)
        assert isinstance(refused, Refusal)
        assert refused.code == "inactive"


@pytest.mark.req("P11-U6")
def test_past_the_user_lists_age_a_sign_in_needs_a_supervisor(tmp_path: Path) -> None:
    from datetime import timedelta  # noqa: PLC0415

    with station(tmp_path, AuthPolicy(user_list_max_age=timedelta(hours=24))) as st:
        st.add_li()
        stale = login(st)
        assert isinstance(stale, Refusal)
        assert stale.code == "stale_user_list"
        self_confirmed = login(st, confirmed_by=BadgeCredentials(LI_BADGE, LI_PIN))
        assert isinstance(self_confirmed, Refusal)
        assert self_confirmed.code == "bad_confirmation"
        confirmed = login(st, confirmed_by=PasswordCredentials("root", ADMIN_PASSWORD))
        assert isinstance(confirmed, Session)
        entry = st.query("SELECT new_value FROM audit WHERE action = 'login'")[-1][0]
        assert json.loads(entry)["confirmed_by"] == "root"
        moment = st.clock.now.isoformat(timespec="milliseconds")
        st.run(
            lambda c: c.exec_driver_sql(
                "INSERT INTO sync_state (key, value, updated_at) VALUES "
                "('master_last_success', ?, ?)",
                (moment, moment),
            )
        )
        assert isinstance(login(st), Session)
        st.clock.advance(hours=25)
        assert isinstance(login(st), Refusal)


@pytest.mark.req("P11-U5")
@pytest.mark.req("P11-U4")
def test_expiry_and_an_admin_reset_force_a_change_first(tmp_path: Path) -> None:
    with station(tmp_path) as st:
        st.add_li()
        st.clock.advance(days=180)
        expired = login(st)
        assert isinstance(expired, Refusal)
        assert expired.code == "expired"
        done = st.run(
            lambda conn: change_secret(
                conn, st.auth, username="li", old_secret=LI_PIN, new_secret="480275"
            )
        )
        assert done is None
        session = login(st, pin="480275")
        assert isinstance(session, Session)
        st.run(
            lambda conn: reset_secret(
                conn, st.admin(), "li", "735190", pepper=st.pepper, policy=st.auth.policy
            )
        )
        reset = login(st, pin="735190")
        assert isinstance(reset, Refusal)
        assert reset.code == "must_change"
        # a session open before the reset may not sign with the reset secret either
        sign = st.run(lambda conn: session.authorize_signature(conn, "735190", LI_BADGE))
        assert isinstance(sign, Refusal)
        assert sign.code == "must_change"
        assert (
            st.run(
                lambda conn: change_secret(
                    conn, st.auth, username="li", old_secret="735190", new_secret="602184"
                )
            )
            is None
        )
        assert isinstance(login(st, pin="602184"), Session)
        review = {row.username: row for row in st.run(lambda c: access_review(c, now=st.clock.now))}
        assert review["li"].secret_kind == "pin"
        assert not review["li"].must_change
        assert review["li"].last_login is not None
        assert review["root"].secret_age_days == 180
        keys = st.query("SELECT count(*) FROM signing_key WHERE username = 'li'")
        assert keys == [(4,)]  # initial, change, reset, change: a key sealed by each secret


@pytest.mark.req("AUTH-7")
@pytest.mark.req("AUTH-6")
def test_roles_changes_are_audited_and_a_revoked_role_is_denied_at_the_next_call(
    tmp_path: Path,
) -> None:
    with station(tmp_path) as st:
        st.add_li()
        session = login(st)
        assert isinstance(session, Session)
        ctx = session.context()
        st.run(lambda conn: set_roles(conn, st.admin(), "li", ["operator"], reason="moved"))
        with pytest.raises(NotAuthenticatedError, match="roles_changed"):
            require(ctx, "trace.view")
        st.run(lambda conn: set_roles(conn, st.admin(), "root", ["admin", "qa"], reason="QA lead"))
        assert actions(st)[-3:] == ["user.roles", "user.roles", "user.dual_role"]
        st.run(lambda conn: deactivate(conn, st.admin(), "li", reason="left the company"))
        assert actions(st)[-1] == "user.deactivate"


@pytest.mark.req("P11-U2")
def test_first_signature_needs_badge_and_pin_later_the_pin_and_failures_count(
    tmp_path: Path,
) -> None:
    with station(tmp_path) as st:
        st.add_li()
        session = login(st)
        assert isinstance(session, Session)
        alone = st.run(lambda conn: session.authorize_signature(conn, LI_PIN))
        assert isinstance(alone, Refusal)
        assert alone.code == "need_both"
        first = st.run(lambda conn: session.authorize_signature(conn, LI_PIN, LI_BADGE))
        assert not isinstance(first, Refusal)
        assert first.components == {"badge", "pin"}
        assert (first.username, first.printed_name) == ("li", "Li Na")
        second = st.run(lambda conn: session.authorize_signature(conn, LI_PIN))
        assert not isinstance(second, Refusal)
        assert second.components == {"pin"}
        for _ in range(5):
            st.clock.advance(seconds=30)
            st.run(lambda conn: session.authorize_signature(conn, WRONG))
        assert session.end_reason == "locked_out"
        assert "security.lockout" in actions(st)
        assert actions(st).count("signature.auth_failed") == 5


@pytest.mark.req("P11-U4")
@pytest.mark.req("SEC-1")
def test_no_secret_or_pepper_in_the_database_wal_or_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = [LI_PIN, WRONG, ADMIN_PASSWORD, "480275"]
    with caplog.at_level(logging.DEBUG), station(tmp_path) as st:
        st.add_li()
        login(st, pin=WRONG)
        st.clock.advance(seconds=2)
        session = login(st)
        assert isinstance(session, Session)
        st.run(lambda conn: session.authorize_signature(conn, LI_PIN, LI_BADGE))
        st.run(
            lambda conn: change_secret(
                conn, st.auth, username="li", old_secret=LI_PIN, new_secret="480275"
            )
        )
        st.run(lambda conn: st.auth.login_password(conn, "root", ADMIN_PASSWORD))
        files = [p for p in tmp_path.iterdir() if p.name.startswith("station.sqlite")]
        assert any(p.name.endswith("-wal") for p in files)
        blobs = [p.read_bytes() for p in files]
        pepper = st.pepper.existing()
        assert pepper is not None
    text = caplog.text + "".join(repr(r.args) for r in caplog.records)
    for secret in [*secrets, pepper.hex()]:
        for blob in blobs:
            assert secret.encode() not in blob
            assert secret.encode("utf-16-le") not in blob
        assert secret not in text
    for blob in blobs:
        assert pepper not in blob


@pytest.mark.req("P11-U2")
def test_the_proof_signs_a_record_with_the_key_sealed_by_the_current_secret(tmp_path: Path) -> None:
    from station.signatures import Meaning, document_record, sign_record  # noqa: PLC0415

    with station(tmp_path) as st:
        st.add_li()
        session = login(st)
        assert isinstance(session, Session)
        record = document_record("recall_report", "RC-1", b"the report")
        for badge in (LI_BADGE, None):
            proof = st.run(lambda conn, b=badge: session.authorize_signature(conn, LI_PIN, b))  # type: ignore[misc]
            assert not isinstance(proof, Refusal)
            signed = st.run(
                lambda conn, p=proof: sign_record(  # type: ignore[misc]
                    conn,
                    session.context(),
                    proof=p,
                    secret=LI_PIN,
                    meaning=Meaning.REVIEWED,
                    record=record,
                )
            )
            assert signed is not None
        payloads = [json.loads(p) for (p,) in st.query("SELECT payload FROM signature")]
        assert [sorted(p["credentials"]) for p in payloads] == [["badge", "pin"], ["pin"]]
        assert {p["printed_name"] for p in payloads} == {"Li Na"}
