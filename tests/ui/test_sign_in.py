"""Sign-in, the session guard and the navigation, through the real window on a real database."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from station.access import NotAuthenticatedError, NotPermittedError, require
from station.auth.pepper import PepperSource
from station.config import Settings
from station.context import utc_now
from station.scanning.raw import RawScan
from tests.ui.conftest import MakeGui
from tests.ui.helpers import sign_in
from ui.app import StationGui, build_gui
from ui.demo_station import DEMO_USERS
from ui.feedback import Outcome, RecordingPlayer
from ui.qt import QApplication, QLineEdit, Qt
from ui.workstation import open_workstation


def badge(gui: StationGui, number: str) -> None:
    """A badge scanned at the station (Code 128 with its AIM identifier)."""
    gui.window.route_scan(RawScan.now(b"]C0" + number.encode(), "test-scanner"))


def audit_rows(gui: StationGui, action: str) -> list[tuple[str, str | None]]:
    """(user concerned, reason) of each audit entry with ``action``, oldest first."""
    assert gui.workstation is not None
    with gui.workstation.read() as conn:
        rows = conn.execute(
            sa.text("SELECT entity_id, reason FROM audit WHERE action = :a ORDER BY seq"),
            {"a": action},
        )
        return [(str(user), reason) for user, reason in rows]


def visible_screens(gui: StationGui) -> set[str]:
    navigation = gui.window.navigation
    shown = set()
    for row in range(navigation.count()):
        item = navigation.item(row)
        screen_id = item.data(Qt.ItemDataRole.UserRole)
        if screen_id is not None and not item.isHidden():
            shown.add(screen_id)
    return shown


@pytest.fixture
def demo(make_gui: MakeGui) -> StationGui:
    return make_gui("en", demo=True, signed_out=True)


def test_the_station_opens_on_sign_in_with_no_role_screen(demo: StationGui) -> None:
    assert demo.work is not None
    assert demo.window.pages.currentWidget() is demo.work.sign_in
    assert visible_screens(demo) == set()
    assert not demo.window.show_screen("goods_in")  # F2 does nothing without a session
    assert demo.workstation is not None
    with pytest.raises(NotAuthenticatedError):
        demo.workstation.context()


def test_the_secret_field_is_masked_without_copy_or_input_method(demo: StationGui) -> None:
    assert demo.work is not None
    for field in demo.work.sign_in.findChildren(QLineEdit):
        if field.objectName() in {"secret", "oldSecret", "newSecret", "adminPassword"}:
            assert field.echoMode() == QLineEdit.EchoMode.Password
            assert field.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
            assert not field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
            assert not field.dragEnabled()


def test_badge_and_pin_sign_in_shows_the_users_screens(qtbot: QtBot, demo: StationGui) -> None:
    assert demo.work is not None
    page = demo.work.sign_in
    badge(demo, "B-1001")  # wang, operator
    assert page.badge.text() == "B-1001"
    assert page.secret.hasFocus()
    page.secret.setText("999999")
    page.submit()
    qtbot.waitUntil(lambda: page.banner.outcome is Outcome.REFUSED, timeout=20_000)
    assert page.secret.text() == ""  # never kept after an attempt
    assert demo.workstation is not None
    assert demo.workstation.session is None
    assert audit_rows(demo, "login.failed")[-1][0] == "wang"

    # After a failure the next try must wait (1 s, doubling): step the clock past it.
    assert demo.work is not None
    demo.work.authenticator.clock = lambda: utc_now() + timedelta(seconds=5)
    sign_in(qtbot, demo, "wang")
    assert visible_screens(demo) == {"goods_in", "packing", "shipping", "trace", "admin"}
    assert demo.window.current_screen_id() == "goods_in"
    assert "Wang Fang" in demo.work.guard.user_bar.who.text()
    assert audit_rows(demo, "login")[-1][0] == "wang"
    # The services check the same policy: an operator may not release a lot.
    with pytest.raises(NotPermittedError):
        require(demo.workstation.context(), "lot.release")


def test_another_badge_ends_the_session_and_starts_its_sign_in(
    qtbot: QtBot, demo: StationGui
) -> None:
    sign_in(qtbot, demo, "wang")
    assert demo.workstation is not None
    old = demo.workstation.context()
    badge(demo, "B-1001")  # the user's own badge is activity, not a change
    assert demo.workstation.session is not None
    badge(demo, "B-1004")  # sun
    assert demo.workstation.session is None
    assert demo.work is not None
    assert demo.work.sign_in.badge.text() == "B-1004"
    assert visible_screens(demo) == set()
    with pytest.raises(NotAuthenticatedError):
        require(old, "trace.view")  # a context kept by a screen dies with its session
    qtbot.waitUntil(lambda: ("wang", "other_badge") in audit_rows(demo, "logout"))


def test_lock_and_sign_out_end_the_session_and_are_audited(qtbot: QtBot, demo: StationGui) -> None:
    assert demo.work is not None
    assert demo.workstation is not None
    sign_in(qtbot, demo, "sun")
    assert "audit" in visible_screens(demo)
    assert "qc_bench" in visible_screens(demo)  # QA releases there, without recording
    demo.work.guard.lock_action.trigger()
    assert demo.workstation.session is None
    assert demo.window.pages.currentWidget() is demo.work.sign_in
    qtbot.waitUntil(lambda: ("sun", "lock") in audit_rows(demo, "logout"))
    sign_in(qtbot, demo, "li")
    demo.work.guard.sign_out_action.trigger()
    assert demo.workstation.session is None
    qtbot.waitUntil(lambda: ("li", "logout") in audit_rows(demo, "logout"))


def test_idle_timeout_signs_out(qtbot: QtBot, demo: StationGui) -> None:
    assert demo.work is not None
    assert demo.workstation is not None
    now = [utc_now()]
    demo.work.authenticator.clock = lambda: now[0]
    sign_in(qtbot, demo, "zhao")
    now[0] += timedelta(minutes=4)
    demo.work.guard.poll()
    assert demo.workstation.session is not None
    now[0] += timedelta(minutes=2)  # 6 minutes without activity; the default limit is 5
    demo.work.guard.poll()
    assert demo.workstation.session is None
    assert "IDLE" in demo.work.sign_in.banner.headline.text()
    qtbot.waitUntil(lambda: ("zhao", "idle") in audit_rows(demo, "logout"))


def test_a_scan_that_is_no_badge_is_refused_while_signed_out(demo: StationGui) -> None:
    assert demo.work is not None
    demo.window.route_scan(RawScan.now(b"]d20106901234000115", "test"))
    assert demo.work.sign_in.banner.outcome is Outcome.REFUSED
    assert demo.work.sign_in.badge.text() == ""
    # Only the sign-in page works signed out (P11-D1): F1 is refused, scans stay here.
    assert not demo.window.show_identify()
    assert not demo.window.identify_action.isEnabled()
    assert demo.window.pages.currentWidget() is demo.work.sign_in
    demo.window.route_scan(RawScan.now(b"]d20106901234000115", "test"))
    assert demo.window.identify.current is None
    assert demo.work.sign_in.banner.outcome is Outcome.REFUSED


def test_a_password_user_signs_in_by_name(qtbot: QtBot, demo: StationGui) -> None:
    sign_in(qtbot, demo, "admin")
    assert "admin" in visible_screens(demo)
    assert "qc_bench" not in visible_screens(demo)  # AUTH-6: admin does not sign QC


class FixedPepper(PepperSource):
    def existing(self) -> bytes | None:
        return b"p" * 32

    def get_or_create(self) -> bytes:
        return b"p" * 32


def test_first_start_creates_the_administrator(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    workstation = open_workstation(
        Settings(), tmp_path / "station.sqlite", RecordingPlayer(), station="ST-1"
    )
    gui = build_gui(qapp, demo=False, language="en", workstation=workstation, pepper=FixedPepper())
    try:
        assert gui.work is not None
        page = gui.work.sign_in
        assert page.forms.currentWidget() is page.first_admin_form
        page.admin_username.setText("root")
        page.admin_name.setText("Station Admin")
        page.admin_password.setText("a long passphrase 1")
        page.admin_again.setText("a long passphrase 2")
        page.submit_first_admin()
        assert page.banner.outcome is Outcome.REFUSED  # the repetition differs
        page.admin_password.setText("a long passphrase 1")
        page.admin_again.setText("a long passphrase 1")
        page.submit_first_admin()
        qtbot.waitUntil(lambda: workstation.session is not None, timeout=30_000)
        assert workstation.context().roles == frozenset({"admin"})
        # The password is nowhere in the database file or its WAL.
        for path in tmp_path.glob("station.sqlite*"):
            assert b"a long passphrase" not in path.read_bytes()
    finally:
        gui.close()


def test_the_demo_lists_its_users_on_the_sign_in_page(demo: StationGui) -> None:
    assert demo.work is not None
    hint = demo.work.sign_in.hint.text()
    for user in DEMO_USERS:
        assert user.name in hint
    assert demo.work.sign_in.hint.textFormat() == Qt.TextFormat.PlainText


def test_the_navigation_knows_each_screen_as_its_class_does(demo: StationGui) -> None:
    """Screens are made when first opened; until then the navigation works from
    ``ui.work_wiring.SCREENS``, which must say what each class says."""
    from ui.work_wiring import SCREENS, screen_class  # noqa: PLC0415

    assert demo.work is not None
    assert demo.window.built == {}  # nothing made at start
    for entry in SCREENS:
        cls = screen_class(entry)
        assert (cls.screen_id, cls.shortcut, cls.permission) == (
            entry.screen_id,
            entry.shortcut,
            entry.permission,
        )
        screen = demo.window.screens[entry.screen_id]  # made on access
        assert isinstance(screen, cls)
        assert screen.title() == demo.window.specs[entry.screen_id].title
