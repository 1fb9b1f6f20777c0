"""The Admin screen on a real demo station: users, templates, devices, settings (issue 7)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtTest import QTest  # tests may use Qt directly; the app goes through ui.qt
from pytestqt.qtbot import QtBot

from station.auth import records, users
from station.auth.hashing import cheap_parameters_for_tests
from station.auth.pepper import PepperSource
from station.auth.policy import AuthPolicy
from station.config import READER_MAX_LENGTH, load_settings
from station.context import WriteContext
from station.demo.factory import build_demo
from station.labels.governance import save_draft, template_versions
from station.labels.stock import stock_template
from station.persistence import tables
from station.persistence.store import Store, open_store
from station.scanning.raw import RawScan
from ui.feedback import Feedback, Outcome, RecordingPlayer
from ui.print_run import PrinterChoice
from ui.qt import QLabel, QLineEdit, Qt, QWidget
from ui.screens.admin import DEVICES, SETTINGS, TEMPLATES, USERS, AdminScreen, badge_text
from ui.screens.admin_users import NAME, USERNAME
from ui.screens.base import ScreenEnv

STATION = "DEMO-01"
ADMIN = WriteContext(
    station=STATION, actor="admin1", actor_name="Admin One", roles=frozenset({"admin"})
)
QA = WriteContext(station=STATION, actor="qa1", actor_name="QA One", roles=frozenset({"qa"}))
OPERATOR = WriteContext(station=STATION, actor="op1", roles=frozenset({"operator"}))
#: Long and unusual, so that finding it in the database file's bytes means it leaked.
PIN = "90817263544"
OTHER_PIN = "73920184655"
HOSTILE = '<img src="file:///etc/passwd"><a href="http://x">x</a>\u202eEvil'


def type_text(widget: QWidget, text: str) -> None:
    """Key presses for each character, as a person types."""
    QTest.keyClicks(widget, text)


class FixedPepper(PepperSource):
    def existing(self) -> bytes:
        return bytes(range(32))

    def get_or_create(self) -> bytes:
        return bytes(range(32))


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("admin-demo") / "demo.sqlite"
    store = open_store(path)
    try:
        build_demo(store, units=200, seed=7)
    finally:
        store.close()
    return path


@pytest.fixture(autouse=True)
def cheap_hashes() -> Iterator[None]:
    with cheap_parameters_for_tests():
        yield


@dataclass
class Station:
    path: Path
    store: Store
    env: ScreenEnv
    player: RecordingPlayer
    settings_file: Path
    holder: list[WriteContext]

    def act_as(self, ctx: WriteContext) -> None:
        self.holder[0] = ctx

    def write(self, fn: Callable[[sa.Connection], Any]) -> Any:
        return self.store.writer.submit(fn).result()

    def audit(self, action: str) -> list[sa.Row[Any]]:
        audit = tables.metadata.tables["audit"]
        with self.store.engine.connect() as conn:
            return list(conn.execute(sa.select(audit).where(audit.c.action == action)))


@pytest.fixture
def station(demo_db: Path, tmp_path: Path, qapp: object) -> Iterator[Station]:
    path = tmp_path / "station.sqlite"
    with sqlite3.connect(demo_db) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    store = open_store(path)
    holder = [ADMIN]
    player = RecordingPlayer()
    settings_file = tmp_path / "settings.toml"
    env = ScreenEnv(
        store=store,
        context=lambda: holder[0],
        feedback=Feedback(player),
        extras={"pepper": FixedPepper(), "settings_file": settings_file},
    )
    try:
        yield Station(path, store, env, player, settings_file, holder)
    finally:
        store.close()


def open_screen(qtbot: QtBot, station: Station) -> AdminScreen:
    screen = AdminScreen(station.env)
    qtbot.addWidget(screen)
    screen.show()
    screen.activated()
    return screen


def add_user(station: Station, username: str, name: str = "Wang Fang", **extra: Any) -> None:
    args: dict[str, Any] = {"roles": ["operator"], "secret": OTHER_PIN, "badge": None}
    args.update(extra)
    station.write(
        lambda conn: users.create_user(
            conn,
            ADMIN,
            username=username,
            name=name,
            pepper=FixedPepper(),
            policy=AuthPolicy(),
            **args,
        )
    )


def wait_status(qtbot: QtBot, label: QLabel, prefix: str = "✔") -> str:
    qtbot.waitUntil(lambda: label.text().startswith(prefix), timeout=15_000)
    return label.text()


def select_user(qtbot: QtBot, screen: AdminScreen, username: str) -> None:
    tab = screen.users
    qtbot.waitUntil(lambda: any(r.username == username for r in tab.rows), timeout=10_000)
    index = next(i for i, r in enumerate(tab.rows) if r.username == username)
    tab.table.selectRow(index)
    assert tab.selected is not None
    assert tab.selected.username == username


def db_bytes(station: Station) -> bytes:
    return b"".join(
        p.read_bytes() for p in station.path.parent.glob(station.path.name + "*") if p.is_file()
    )


# -- users ----------------------------------------------------------------------------------


@pytest.mark.req("P11-U4")
def test_add_a_user_with_a_scanned_badge(qtbot: QtBot, station: Station) -> None:
    screen = open_screen(qtbot, station)
    tab = screen.users
    assert screen.tabs.currentIndex() == USERS
    type_text(tab.new_username, "li.na")
    type_text(tab.new_name, "Li Na")
    tab.new_roles["operator"].setChecked(True)
    tab.new_roles["inspector"].setChecked(True)
    screen.handle_scan(RawScan.now(b"BADGE-0042", "keyboard:wedge"))
    assert tab.new_badge.text() == "BADGE-0042"
    assert tab.new_secret.hasFocus() or not screen.isActiveWindow()
    type_text(tab.new_secret, PIN)
    type_text(tab.new_secret_again, PIN)
    QTest.keyClick(tab.new_secret_again, Qt.Key.Key_Return)  # Enter creates: no mouse needed
    assert tab.new_secret.text() == tab.new_secret_again.text() == ""  # taken out at once
    assert "li.na" in wait_status(qtbot, tab.status)
    with station.store.engine.connect() as conn:
        user = records.find_user(conn, "li.na")
        credential = records.current_credential(conn, "li.na")
    assert user is not None
    assert user.roles == {"operator", "inspector"}
    assert user.badge == "BADGE-0042"
    assert user.name == "Li Na"
    assert credential is not None
    assert credential.kind == "pin"
    assert credential.must_change
    qtbot.waitUntil(lambda: any(r.username == "li.na" for r in tab.rows), timeout=10_000)
    station.store.close()  # everything flushed: the file and its WAL hold all there is
    data = db_bytes(station)
    assert PIN.encode() not in data
    assert PIN.encode("utf-16-le") not in data
    station.store = open_store(station.path)


def test_mismatched_secrets_are_refused_before_anything_is_written(
    qtbot: QtBot, station: Station
) -> None:
    screen = open_screen(qtbot, station)
    tab = screen.users
    type_text(tab.new_username, "zhao")
    type_text(tab.new_name, "Zhao")
    tab.new_roles["operator"].setChecked(True)
    type_text(tab.new_secret, "correct horse battery")
    type_text(tab.new_secret_again, "correct horse battery!")
    tab.create_button.click()
    assert tab.status.text().startswith("✖")
    assert station.player.played[-1] == Outcome.REFUSED
    with station.store.engine.connect() as conn:
        assert records.find_user(conn, "zhao") is None


def test_secret_fields_are_masked(qtbot: QtBot, station: Station) -> None:
    screen = open_screen(qtbot, station)
    tab = screen.users
    hints = (
        Qt.InputMethodHint.ImhHiddenText
        | Qt.InputMethodHint.ImhSensitiveData
        | Qt.InputMethodHint.ImhNoPredictiveText
    )
    for field in (tab.new_secret, tab.new_secret_again, tab.reset_secret, tab.reset_secret_again):
        assert field.echoMode() == QLineEdit.EchoMode.Password
        assert field.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
        assert field.inputMethodHints() & hints == hints


def test_deactivate_needs_a_reason_and_never_deletes(qtbot: QtBot, station: Station) -> None:
    add_user(station, "chen")
    screen = open_screen(qtbot, station)
    tab = screen.users
    select_user(qtbot, screen, "chen")
    tab.deactivate_button.click()
    assert tab.status.text().startswith("✖")  # no reason given
    type_text(tab.reason, "left the company")
    tab.deactivate_button.click()
    wait_status(qtbot, tab.status)
    with station.store.engine.connect() as conn:
        user = records.find_user(conn, "chen")
    assert user is not None
    assert not user.active
    (entry,) = station.audit("user.deactivate")
    assert entry.reason == "left the company"
    assert entry.actor == "admin1"
    qtbot.waitUntil(lambda: tab.selected is not None and not tab.selected.active, timeout=10_000)
    assert not tab.deactivate_button.isEnabled()


def test_unlock_a_locked_user(qtbot: QtBot, station: Station) -> None:
    add_user(station, "sun")
    station.write(
        lambda conn: records.add_lock(
            conn, username="sun", action="lock", now=ADMIN.now(), by=None, reason="5 failures"
        )
    )
    screen = open_screen(qtbot, station)
    tab = screen.users
    select_user(qtbot, screen, "sun")
    assert tab.unlock_button.isEnabled()
    type_text(tab.reason, "identity checked in person")
    tab.unlock_button.click()
    wait_status(qtbot, tab.status)
    with station.store.engine.connect() as conn:
        assert not records.is_locked(conn, "sun")
    (entry,) = station.audit("security.unlock")
    assert entry.reason == "identity checked in person"


def test_change_roles_and_reset_the_secret(qtbot: QtBot, station: Station) -> None:
    add_user(station, "zhou", badge="BADGE-7")
    screen = open_screen(qtbot, station)
    tab = screen.users
    select_user(qtbot, screen, "zhou")
    tab.user_roles["supervisor"].setChecked(True)
    type_text(tab.reason, "promoted")
    tab.roles_button.click()
    wait_status(qtbot, tab.status)
    with station.store.engine.connect() as conn:
        user = records.find_user(conn, "zhou")
    assert user is not None
    assert user.roles == {"operator", "supervisor"}
    tab.status.clear()
    type_text(tab.reset_secret, PIN)
    type_text(tab.reset_secret_again, PIN)
    tab.reset_button.click()
    wait_status(qtbot, tab.status)
    with station.store.engine.connect() as conn:
        credential = records.current_credential(conn, "zhou")
    assert credential is not None
    assert credential.must_change
    assert credential.set_by == "admin1"


@pytest.mark.req("SEC-8")
def test_a_hostile_printed_name_is_plain_text(qtbot: QtBot, station: Station) -> None:
    # As a user list pulled from the ERP could hold it (the admin service refuses such names).
    station_user = tables.metadata.tables["station_user"]
    station.write(
        lambda conn: conn.execute(
            station_user.insert().values(
                username="mal", name=HOSTILE, roles="operator", active=True
            )
        )
    )
    screen = open_screen(qtbot, station)
    tab = screen.users
    select_user(qtbot, screen, "mal")
    row = next(i for i, r in enumerate(tab.rows) if r.username == "mal")
    shown = tab.model.item(row, NAME).text()
    assert '<img src="file:///etc/passwd">' in shown  # the markup as text, not rendered
    assert "\u202e" not in shown  # the bidi override made visible, not obeyed
    assert tab.model.item(row, NAME).toolTip() == ""
    assert HOSTILE in tab.selected_label.text()
    for label in screen.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
        assert not label.openExternalLinks()
    assert tab.model.item(row, USERNAME).text() == "mal"


@pytest.mark.req("SEC-9")
def test_export_the_access_review(
    qtbot: QtBot, station: Station, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(station, "mal", name='=HYPERLINK("http://x")')
    screen = open_screen(qtbot, station)
    out = tmp_path / "review.csv"
    monkeypatch.setattr(screen.users, "ask_export_path", lambda: out)
    screen.users.export_button.click()
    wait_status(qtbot, screen.users.status)
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("username,printed_name,roles")
    assert "'=HYPERLINK" in text
    assert PIN not in text
    assert len(station.audit("export.access_review")) == 1


# -- templates ------------------------------------------------------------------------------


def draft_by(station: Station, ctx: WriteContext, name: str = "udi-unit") -> None:
    station.write(lambda conn: save_draft(conn, ctx, stock_template(name)))


def test_a_second_person_approves_a_draft(qtbot: QtBot, station: Station) -> None:
    draft_by(station, ADMIN)
    station.act_as(QA)
    screen = open_screen(qtbot, station)
    tab = screen.templates
    assert screen.tabs.isTabEnabled(TEMPLATES)
    qtbot.waitUntil(lambda: tab.select("udi-unit", 1), timeout=10_000)
    assert tab.approve_button.isEnabled()
    type_text(tab.reason, "checked against the artwork")
    tab.approve_button.click()
    assert "approved" in wait_status(qtbot, tab.status)
    with station.store.engine.connect() as conn:
        (version,) = template_versions(conn, "udi-unit")
    assert version.status == "approved"
    assert version.approved_by == "qa1"
    assert station.player.played[-1] == Outcome.ACCEPTED


@pytest.mark.req("AUTH-7")
def test_the_author_cannot_approve_their_own_draft(qtbot: QtBot, station: Station) -> None:
    author = WriteContext(station=STATION, actor="qa1", roles=frozenset({"qa", "admin"}))
    draft_by(station, author)
    refusals = len(station.audit("service.refused"))  # the demo has some of its own
    station.act_as(QA)
    screen = open_screen(qtbot, station)
    tab = screen.templates
    qtbot.waitUntil(lambda: tab.select("udi-unit", 1), timeout=10_000)
    type_text(tab.reason, "mine")
    tab.approve_button.click()
    text = wait_status(qtbot, tab.status, "✖")
    assert "cannot also approve" in text
    with station.store.engine.connect() as conn:
        (version,) = template_versions(conn, "udi-unit")
    assert version.status == "draft"
    qtbot.waitUntil(lambda: len(station.audit("service.refused")) == refusals + 1, timeout=10_000)
    assert station.player.played[-1] == Outcome.REFUSED


def test_an_admin_sees_templates_but_cannot_approve(qtbot: QtBot, station: Station) -> None:
    draft_by(station, ADMIN)
    screen = open_screen(qtbot, station)
    tab = screen.templates
    qtbot.waitUntil(lambda: tab.select("udi-unit", 1), timeout=10_000)
    assert screen.tabs.isTabEnabled(TEMPLATES)  # label.edit
    assert not tab.approve_button.isEnabled()  # no label.approve (AUTH-6)


def test_preview_a_version(qtbot: QtBot, station: Station) -> None:
    draft_by(station, ADMIN, "sscc-pallet")
    screen = open_screen(qtbot, station)
    tab = screen.templates
    qtbot.waitUntil(lambda: tab.select("sscc-pallet", 1), timeout=10_000)
    tab.preview_button.click()
    qtbot.waitUntil(lambda: tab.preview_view.image is not None, timeout=20_000)
    image = tab.preview_view.image
    assert image is not None
    assert image.width() > 100
    assert "sscc-pallet" in tab.preview_note.text()


# -- devices --------------------------------------------------------------------------------


def test_devices_and_a_test_print(qtbot: QtBot, station: Station, tmp_path: Path) -> None:
    folder = tmp_path / "labels-out"
    folder.mkdir()
    printer = PrinterChoice("bench", "zpl", 203, {"transport": "file", "folder": str(folder)})
    station.env.extras["printers"] = [printer]

    class Camera:
        name = "cam0"
        state = "connected"

    station.env.extras["camera"] = Camera()
    screen = open_screen(qtbot, station)
    tab = screen.devices
    screen.show_tab(DEVICES)
    assert tab.model.rowCount() == 1
    assert tab.model.item(0, 0).text() == "bench"
    shown = [w.text() for w in tab.findChildren(QLabel)]
    assert "connected" in shown
    tab.test_button.click()
    wait_status(qtbot, tab.status)
    (written,) = folder.iterdir()
    assert written.read_bytes().startswith(b"^XA")


def test_a_test_print_needs_settings_manage(qtbot: QtBot, station: Station) -> None:
    station.env.extras["printers"] = [PrinterChoice("bench", "zpl", 203, {"transport": "memory"})]
    station.act_as(QA)
    screen = open_screen(qtbot, station)
    assert screen.tabs.isTabEnabled(DEVICES)
    assert not screen.devices.test_button.isEnabled()


# -- settings -------------------------------------------------------------------------------


@pytest.mark.req("P11-K1")
def test_a_settings_change_writes_the_file_and_one_audit_entry(
    qtbot: QtBot, station: Station
) -> None:
    screen = open_screen(qtbot, station)
    tab = screen.settings
    screen.show_tab(SETTINGS)
    editor = tab.editors[READER_MAX_LENGTH.key]
    assert isinstance(editor, QLineEdit)
    assert editor.text() == str(READER_MAX_LENGTH.default)
    assert READER_MAX_LENGTH.help in editor.toolTip()
    editor.setText("2048")
    type_text(tab.reason, "long GS1 codes")
    tab.save_button.click()
    assert "Restart" in wait_status(qtbot, tab.status)
    assert load_settings(station.settings_file).get(READER_MAX_LENGTH) == 2048
    (entry,) = station.audit("settings.changed")
    assert entry.actor == "admin1"
    assert json.loads(entry.old_value)[READER_MAX_LENGTH.key] == READER_MAX_LENGTH.default
    assert json.loads(entry.new_value)[READER_MAX_LENGTH.key] == 2048


def test_an_invalid_setting_is_shown_and_nothing_saved(qtbot: QtBot, station: Station) -> None:
    screen = open_screen(qtbot, station)
    tab = screen.settings
    editor = tab.editors[READER_MAX_LENGTH.key]
    assert isinstance(editor, QLineEdit)
    editor.setText("lots")
    type_text(tab.reason, "x")
    tab.save_button.click()
    assert tab.status.text().startswith("✖")
    assert tab.errors[READER_MAX_LENGTH.key].isVisibleTo(tab)
    assert not station.settings_file.exists()
    assert station.audit("settings.changed") == []


def test_without_a_settings_file_nothing_can_be_saved(qtbot: QtBot, station: Station) -> None:
    del station.env.extras["settings_file"]
    screen = open_screen(qtbot, station)
    assert "unknown" in screen.settings.file_note.text()
    assert not screen.settings.save_button.isEnabled()


# -- permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ctx", "expected"),
    [
        (ADMIN, [True, True, True, True]),
        (QA, [False, True, True, False]),
        (OPERATOR, [False, False, True, False]),
    ],
)
def test_tabs_follow_the_permissions(
    qtbot: QtBot, station: Station, ctx: WriteContext, expected: list[bool]
) -> None:
    station.act_as(ctx)
    screen = open_screen(qtbot, station)
    assert [screen.tabs.isTabEnabled(i) for i in range(4)] == expected
    assert screen.tabs.isTabEnabled(screen.tabs.currentIndex())
    assert screen.screen_id == "admin"
    assert screen.shortcut == "Ctrl+F12"
    assert screen.permission is None


def test_nobody_signed_in_disables_every_tab(qtbot: QtBot, station: Station) -> None:
    from station.access import NotAuthenticatedError  # noqa: PLC0415

    def nobody() -> WriteContext:
        raise NotAuthenticatedError("nobody")

    station.env.context = nobody
    screen = open_screen(qtbot, station)
    assert not any(screen.tabs.isTabEnabled(i) for i in range(4))


def test_a_scan_elsewhere_is_not_taken_as_a_badge(qtbot: QtBot, station: Station) -> None:
    screen = open_screen(qtbot, station)
    screen.show_tab(SETTINGS)
    screen.handle_scan(RawScan.now(b"BADGE-9", "keyboard:wedge"))
    assert screen.users.new_badge.text() == ""
    assert station.player.played[-1] == Outcome.WARNING


def test_alt_number_switches_tabs(qtbot: QtBot, station: Station) -> None:
    screen = open_screen(qtbot, station)
    with qtbot.waitActive(screen):
        screen.activateWindow()
    screen.users.new_username.setFocus()
    QTest.keyClick(screen.users.new_username, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert screen.tabs.currentIndex() == DEVICES
    QTest.keyClick(screen.tabs.currentWidget(), Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert screen.tabs.currentIndex() == SETTINGS


@pytest.mark.parametrize(
    "raw", [b"]C0B-1001\r", b"  W-7 ", b"BADGE-0042", b"]d2X", "工牌-1".encode()]
)
def test_a_badge_reads_as_the_sign_in_page_reads_it(raw: bytes) -> None:
    sign_in = pytest.importorskip("ui.views.sign_in")
    assert badge_text(RawScan.now(raw, "wedge")) == sign_in.badge_text(raw)
