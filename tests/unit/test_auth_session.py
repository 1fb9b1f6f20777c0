"""Sessions: idle timeout, cap, lock, another badge, roles re-read; the signing rule under any
interleaving of logins, signatures and ends (AUTH-4, AUTH-7, P11-U2, P11-U3)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from functools import partial

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.access import NotAuthenticatedError, require
from station.auth.outcome import Refusal, SignatureProof
from station.auth.policy import AuthPolicy
from station.auth.records import UserRecord
from station.auth.session import Session
from tests.auth_support import LI_BADGE, LI_PIN, FakeClock, Station, station

LI = UserRecord("li", "Li Na", frozenset({"qa"}), LI_BADGE, active=True, locked=False)


def make_session(clock: FakeClock, user: UserRecord = LI, **policy: timedelta) -> Session:
    state = {"user": user}
    session = Session(
        user=user,
        method="badge",
        station="ST-1",
        policy=AuthPolicy(**policy),  # type: ignore[arg-type]
        clock=clock,
        lookup=lambda _name: state["user"],
        verifier=None,
    )
    session.state = state  # type: ignore[attr-defined]
    return session


@pytest.mark.req("AUTH-4")
def test_activity_keeps_a_session_and_idleness_ends_it() -> None:
    clock = FakeClock()
    session = make_session(clock)
    for _ in range(10):
        clock.advance(minutes=4, seconds=59)
        session.touch()
    ctx = session.context()
    require(ctx, "lot.release")  # qa may release, and the session lasts
    clock.advance(minutes=5)
    assert session.end_reason == "idle"
    with pytest.raises(NotAuthenticatedError, match="idle"):
        require(ctx, "lot.release")  # a context kept by a screen dies with its session
    with pytest.raises(NotAuthenticatedError):
        session.touch()
    with pytest.raises(NotAuthenticatedError):
        session.context()


@pytest.mark.req("AUTH-4")
def test_the_idle_timeout_is_configurable_and_the_cap_ends_a_busy_session() -> None:
    clock = FakeClock()
    short = make_session(clock, idle_timeout=timedelta(minutes=1))
    clock.advance(seconds=61)
    assert short.end_reason == "idle"
    busy = make_session(clock)
    for _ in range(12 * 60 // 4):
        clock.advance(minutes=4)
        if busy.ended:
            break
        busy.touch()
    assert busy.end_reason == "cap"
    assert clock.now - busy.started_at == timedelta(hours=12)


@pytest.mark.req("P11-U3")
def test_another_badge_or_a_lock_ends_the_session_and_the_same_badge_is_activity() -> None:
    clock = FakeClock()
    session = make_session(clock)
    clock.advance(minutes=4)
    assert session.badge_scanned(LI_BADGE)
    clock.advance(minutes=4)
    session.check()  # the scan counted as activity
    assert not session.badge_scanned("B-9")
    assert session.end_reason == "other_badge"
    assert not session.badge_scanned(LI_BADGE)  # an ended session never comes back
    locked = make_session(clock)
    locked.lock()
    assert locked.end_reason == "lock"
    assert locked.signature_components() == ("badge", "secret")


@pytest.mark.req("AUTH-7")
def test_a_role_change_deactivation_or_lockout_ends_the_session_at_the_next_check() -> None:
    clock = FakeClock()
    for change, reason in (
        ({"roles": frozenset({"operator"})}, "roles_changed"),
        ({"active": False}, "deactivated"),
        ({"locked": True}, "locked_out"),
    ):
        session = make_session(clock)
        ctx = session.context()
        require(ctx, "lot.release")
        session.state["user"] = replace(LI, **change)  # type: ignore[attr-defined]
        with pytest.raises(NotAuthenticatedError, match=reason):
            require(ctx, "lot.release")


# ----------------------------------------------------------------------------- interleavings

ACTIONS = st.lists(
    st.sampled_from(
        [
            "sign_secret",
            "sign_both",
            "pause",
            "idle",
            "lock",
            "logout",
            "other_badge",
            "same_badge",
            "login",
        ]
    ),
    max_size=25,
)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Station]:
    with station(tmp_path_factory.mktemp("interleave")) as here:
        here.add_li()
        yield here


def _login(shop: Station) -> Session:
    session = shop.run(lambda conn: shop.auth.login_badge(conn, LI_BADGE, LI_PIN))
    assert isinstance(session, Session)
    return session


@pytest.mark.req("P11-U2", "P11-U3")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=ACTIONS)
def test_every_signature_after_a_session_end_needed_both_components(
    shop: Station, actions: list[str]
) -> None:
    session = _login(shop)
    fresh = True  # no signature yet since the session began (or since its end)
    for action in actions:
        if action in {"sign_secret", "sign_both"}:
            badge = LI_BADGE if action == "sign_both" else None
            sign = partial(session.authorize_signature, secret=LI_PIN, badge=badge)
            result = shop.run(sign)
            if isinstance(result, SignatureProof):
                assert not session.ended
                if fresh:
                    assert result.components == {"badge", "pin"}, actions
                else:
                    assert "pin" in result.components
                fresh = False
            else:
                assert isinstance(result, Refusal)
                # refused only because the badge was missing or the session is over
                assert (fresh and badge is None) or session.ended, (actions, result)
        elif action == "pause":
            shop.clock.advance(minutes=2)
        elif action == "idle":
            shop.clock.advance(minutes=5)
        elif action == "lock":
            session.lock()
        elif action == "logout":
            shop.run(session.logout)
        elif action == "other_badge":
            session.badge_scanned("B-OTHER")
        elif action == "same_badge":
            session.badge_scanned(LI_BADGE)
        elif action == "login":
            session, fresh = _login(shop), True
        if session.ended:
            assert session.signature_components() == ("badge", "secret")
            fresh = True
        else:
            expected = ("badge", "secret") if fresh else ("secret",)
            assert session.signature_components() == expected
