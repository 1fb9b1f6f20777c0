"""The security alarm in the real window, offscreen (P11-U7): five wrong PINs on the sign-in page
lock the badge, the red alarm appears with the refused sound and stays until a supervisor
acknowledges it (audited); the sign-in page says the badge is locked and whom to call."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from station.context import utc_now
from tests.ui.conftest import MakeGui
from tests.ui.helpers import sign_in
from ui.app import StationGui
from ui.feedback import Outcome, RecordingPlayer
from ui.widgets.security_alarm import SecurityAlarm

WRONG = "111999"


@pytest.fixture
def demo(make_gui: MakeGui) -> StationGui:
    return make_gui("en", demo=True, signed_out=True)


def alarm_of(gui: StationGui) -> SecurityAlarm:
    alarm = gui.window.findChild(SecurityAlarm)
    assert alarm is not None
    return alarm


def player_of(gui: StationGui) -> RecordingPlayer:
    assert gui.workstation is not None
    player = gui.workstation.feedback.player
    assert isinstance(player, RecordingPlayer)
    return player


def acks(gui: StationGui) -> list[tuple[str, str]]:
    assert gui.workstation is not None
    with gui.workstation.read() as conn:
        rows = conn.execute(
            sa.text("SELECT actor, entity_id FROM audit WHERE action = 'security.alarm_ack'")
        )
        return [(str(actor), str(seq)) for actor, seq in rows]


def try_pin(qtbot: QtBot, gui: StationGui, pin: str, clock: list[datetime]) -> None:
    """Badge B-1001 (wang) and ``pin`` on the sign-in page; past any delay after a failure."""
    assert gui.work is not None
    page = gui.work.sign_in
    player = player_of(gui)
    before = len(player.played)
    clock[0] += timedelta(minutes=1)
    page.take_badge("B-1001")
    page.secret.setText(pin)
    page.submit()
    qtbot.waitUntil(lambda: len(player.played) > before, timeout=20_000)


@pytest.mark.req("P11-U7")
def test_five_wrong_pins_raise_the_alarm_until_a_supervisor_acknowledges_it(
    qtbot: QtBot, demo: StationGui
) -> None:
    assert demo.work is not None
    clock = [utc_now()]
    demo.work.authenticator.clock = lambda: clock[0]
    alarm, player, page = alarm_of(demo), player_of(demo), demo.work.sign_in
    assert not alarm.isVisible()
    for _ in range(4):
        try_pin(qtbot, demo, WRONG, clock)
    assert not alarm.isVisible()
    try_pin(qtbot, demo, WRONG, clock)  # the fifth: locked
    qtbot.waitUntil(alarm.isVisible, timeout=5_000)
    assert "wang" in alarm.headline.text()
    assert "locked after 5 failed attempts" in alarm.detail.text()
    # Five refused PINs and the alarm's own refused sound.
    qtbot.waitUntil(lambda: player.played.count(Outcome.REFUSED) == 6, timeout=5_000)
    assert page.banner.outcome is Outcome.REFUSED
    assert "BADGE LOCKED" in page.banner.headline.text()
    assert "B-1001" in page.banner.detail.text()
    assert "管理员 Admin (admin)" in page.banner.detail.text()  # whom to call
    assert not alarm.acknowledge_button.isEnabled()  # nobody is signed in

    try_pin(qtbot, demo, "260417", clock)  # the right PIN is refused too
    assert demo.workstation is not None
    assert demo.workstation.session is None
    assert "BADGE LOCKED" in page.banner.headline.text()
    assert player.played.count(Outcome.REFUSED) == 7  # no new alarm, no second alarm sound

    sign_in(qtbot, demo, "li")  # an inspector may not acknowledge
    assert alarm.isVisible()
    assert not alarm.acknowledge_button.isEnabled()
    demo.work.guard.sign_out()
    sign_in(qtbot, demo, "zhao")  # the supervisor
    assert alarm.isVisible()
    assert alarm.acknowledge_button.isEnabled()
    (open_alarm,) = alarm.alarms
    alarm.acknowledge_button.click()
    qtbot.waitUntil(lambda: not alarm.isVisible(), timeout=10_000)
    assert acks(demo) == [("zhao", str(open_alarm.seq))]
    alarm.refresh()
    assert not alarm.isVisible()  # acknowledged for good
