"""The Admin screen's gaps closed: a new badge for an existing user (and withdrawing a lost one),
retiring label templates, and a settings save that keeps the operator's comments.

Real widgets offscreen on a copy of the demo station, signed in as the test administrator
(or QA for templates), as in tests/ui/test_screen_admin.py whose fixtures these are.
"""

from __future__ import annotations

import difflib

import pytest
from PySide6.QtTest import QTest  # tests may use Qt directly; the app goes through ui.qt
from pytestqt.qtbot import QtBot

from station.auth import records
from station.config import READER_MAX_LENGTH, load_settings
from station.labels.governance import (
    approve_template,
    approved_template,
    save_draft,
    template_versions,
)
from station.labels.stock import stock_template
from station.labels.template import parse_template
from station.scanning.raw import RawScan
from station.services.errors import Refused
from tests.ui.test_screen_admin import (  # noqa: F401 - the fixtures are used by name
    ADMIN,
    QA,
    Station,
    add_user,
    cheap_hashes,
    demo_db,
    draft_by,
    open_screen,
    select_user,
    station,
    type_text,
    wait_status,
)
from ui.feedback import Outcome
from ui.qt import QLineEdit, Qt
from ui.screens.admin import SETTINGS

# -- settings -------------------------------------------------------------------------------

OPERATORS_FILE = """\
# Packing line 2. Ask QA before changing the reader (deviation DV-17).
version = 1

[ui]
language = "system"   # the line reads English and Chinese

# The line's scanner sends long HIBC codes.
[reader]
max_length = 4096     # bytes
gs_substitutes = [
    "{GS}",   # the wedge's stand-in
    "^]",
]

[wedge]
# measured 2026-03-02
max_key_gap_ms = 30
"""


def test_saving_settings_keeps_every_comment_and_untouched_line(
    qtbot: QtBot,
    station: Station,  # noqa: F811 - the fixture
) -> None:
    station.settings_file.write_text(OPERATORS_FILE, encoding="utf-8")
    screen = open_screen(qtbot, station)
    screen.show_tab(SETTINGS)
    tab = screen.settings
    editor = tab.editors[READER_MAX_LENGTH.key]
    assert isinstance(editor, QLineEdit)
    assert editor.text() == "4096"
    editor.clear()
    type_text(editor, "8192")
    type_text(tab.reason, "longer codes from the new supplier")
    tab.save_button.click()
    wait_status(qtbot, tab.status)
    after = station.settings_file.read_text(encoding="utf-8")
    diff = [
        line
        for line in difflib.ndiff(
            OPERATORS_FILE.splitlines(keepends=True), after.splitlines(keepends=True)
        )
        if line[:1] in "+-"
    ]
    assert diff == ["- max_length = 4096     # bytes\n", "+ max_length = 8192     # bytes\n"]
    assert load_settings(station.settings_file).get(READER_MAX_LENGTH) == 8192
    (entry,) = station.audit("settings.changed")
    assert entry.reason == "longer codes from the new supplier"


# -- badges ---------------------------------------------------------------------------------


def badge_of(st: Station, username: str) -> str | None:
    with st.store.engine.connect() as conn:
        user = records.find_user(conn, username)
    assert user is not None
    return user.badge


@pytest.mark.req("P11-U1")
def test_issue_a_scanned_badge_to_an_existing_user(
    qtbot: QtBot,
    station: Station,  # noqa: F811 - the fixture
) -> None:
    add_user(station, "zhou", badge="BADGE-7")
    screen = open_screen(qtbot, station)
    tab = screen.users
    select_user(qtbot, screen, "zhou")
    assert not tab.issue_panel.isVisible()
    tab.issue_button.click()
    assert tab.issue_panel.isVisible()
    assert "BADGE-7" in tab.issue_heading.text()
    screen.handle_scan(RawScan.now(b"]C0BADGE-8\r", "keyboard:wedge"))
    assert tab.issue_scanned.text() == "BADGE-8"
    assert tab.new_badge.text() == ""  # not the new user's field while the panel is open
    type_text(tab.reason, "badge lost in the clean room")
    tab.issue_confirm.click()
    assert "zhou" in wait_status(qtbot, tab.status)
    assert badge_of(station, "zhou") == "BADGE-8"
    (entry,) = station.audit("user.badge")
    assert entry.reason == "badge lost in the clean room"
    assert entry.actor == "admin1"
    assert not tab.issue_panel.isVisible()
    with station.store.engine.connect() as conn:
        assert records.user_by_badge(conn, "BADGE-7") is None  # the old one names nobody


def test_a_typed_badge_must_be_typed_twice_alike(
    qtbot: QtBot,
    station: Station,  # noqa: F811 - the fixture
) -> None:
    add_user(station, "zhou", badge="BADGE-7")
    screen = open_screen(qtbot, station)
    tab = screen.users
    select_user(qtbot, screen, "zhou")
    tab.issue_button.click()
    type_text(tab.reason, "damaged")
    type_text(tab.issue_typed, "BADGE-9")
    type_text(tab.issue_again, "BADGE-6")
    tab.issue_confirm.click()
    assert tab.status.text().startswith("✖")
    assert station.player.played[-1] == Outcome.REFUSED
    assert badge_of(station, "zhou") == "BADGE-7"
    type_text(tab.issue_again, "BADGE-9")
    QTest.keyClick(tab.issue_again, Qt.Key.Key_Return)
    wait_status(qtbot, tab.status)
    assert badge_of(station, "zhou") == "BADGE-9"


def test_a_badge_issued_before_is_refused_in_the_services_words(
    qtbot: QtBot,
    station: Station,  # noqa: F811 - the fixture
) -> None:
    add_user(station, "zhou", badge="BADGE-7")
    add_user(station, "chen", badge="BADGE-5")
    screen = open_screen(qtbot, station)
    tab = screen.users
    select_user(qtbot, screen, "zhou")
    tab.issue_button.click()
    screen.handle_scan(RawScan.now(b"BADGE-5", "keyboard:wedge"))
    type_text(tab.reason, "swap")
    tab.issue_confirm.click()
    assert "never issued twice" in wait_status(qtbot, tab.status, "✖")
    assert badge_of(station, "zhou") == "BADGE-7"
    assert badge_of(station, "chen") == "BADGE-5"


@pytest.mark.req("P11-U1")
def test_withdraw_a_lost_badge(
    qtbot: QtBot,
    station: Station,  # noqa: F811 - the fixture
) -> None:
    add_user(station, "zhou", badge="BADGE-7")
    add_user(station, "chen")
    screen = open_screen(qtbot, station)
    tab = screen.users
    select_user(qtbot, screen, "chen")
    assert not tab.revoke_button.isEnabled()  # no badge to withdraw
    select_user(qtbot, screen, "zhou")
    assert tab.revoke_button.isEnabled()
    tab.revoke_button.click()
    assert tab.status.text().startswith("✖")  # no reason given
    type_text(tab.reason, "lost on the way home")
    tab.revoke_button.click()
    wait_status(qtbot, tab.status)
    assert badge_of(station, "zhou") is None
    (entry,) = station.audit("user.badge_revoked")
    assert entry.reason == "lost on the way home"
    qtbot.waitUntil(lambda: tab.selected is not None and tab.selected.badge is None, timeout=10_000)
    assert not tab.revoke_button.isEnabled()


# -- templates ------------------------------------------------------------------------------


def versions_of(st: Station, name: str) -> dict[int, str]:
    with st.store.engine.connect() as conn:
        return {v.version: v.status for v in template_versions(conn, name)}


def approved_and_draft(st: Station) -> None:
    """udi-unit version 1 approved by QA, version 2 a draft (both written by the admin)."""
    draft_by(st, ADMIN)
    st.write(lambda conn: approve_template(conn, QA, "udi-unit", 1, "validated"))
    template = stock_template("udi-unit")
    second = parse_template({**template.source, "version": 2}, "udi-unit@2")
    st.write(lambda conn: save_draft(conn, ADMIN, second))


def test_qa_retires_one_version_with_a_reason(
    qtbot: QtBot,
    station: Station,  # noqa: F811 - the fixture
) -> None:
    approved_and_draft(station)
    station.act_as(QA)
    screen = open_screen(qtbot, station)
    tab = screen.templates
    qtbot.waitUntil(lambda: tab.select("udi-unit", 1), timeout=10_000)
    assert tab.retire_version_button.isEnabled()
    tab.retire_version_button.click()
    assert tab.status.text().startswith("✖")  # no reason given
    assert versions_of(station, "udi-unit") == {1: "approved", 2: "draft"}
    type_text(tab.reason, "artwork superseded")
    tab.retire_version_button.click()
    assert "retired" in wait_status(qtbot, tab.status)
    assert versions_of(station, "udi-unit") == {1: "retired", 2: "draft"}
    (entry,) = station.audit("label.template.retired")
    assert (entry.entity_id, entry.reason, entry.actor) == (
        "udi-unit@1",
        "artwork superseded",
        "qa1",
    )
    with station.store.engine.connect() as conn, pytest.raises(Refused) as refused:
        approved_template(conn, "udi-unit")  # what the print dialog, CLI and packing ask
    assert refused.value.reason == "template_not_approved"
    qtbot.waitUntil(lambda: tab.select("udi-unit", 1), timeout=10_000)
    qtbot.waitUntil(lambda: not tab.retire_version_button.isEnabled(), timeout=10_000)


def test_qa_retires_the_whole_template(
    qtbot: QtBot,
    station: Station,  # noqa: F811 - the fixture
) -> None:
    approved_and_draft(station)
    station.act_as(QA)
    screen = open_screen(qtbot, station)
    tab = screen.templates
    qtbot.waitUntil(lambda: tab.select("udi-unit", 2), timeout=10_000)
    type_text(tab.reason, "product discontinued")
    tab.retire_template_button.click()
    assert "every version" in wait_status(qtbot, tab.status)
    assert versions_of(station, "udi-unit") == {1: "retired", 2: "retired"}
    assert len(station.audit("label.template.retired")) == 2
    with station.store.engine.connect() as conn, pytest.raises(Refused) as refused:
        approved_template(conn, "udi-unit")
    assert refused.value.reason == "template_retired"
    qtbot.waitUntil(lambda: not tab.retire_template_button.isEnabled(), timeout=10_000)


def test_an_admin_cannot_retire(
    qtbot: QtBot,
    station: Station,  # noqa: F811 - the fixture
) -> None:
    approved_and_draft(station)
    screen = open_screen(qtbot, station)
    tab = screen.templates
    qtbot.waitUntil(lambda: tab.select("udi-unit", 1), timeout=10_000)
    assert not tab.retire_version_button.isEnabled()  # label.approve only (AUTH-6)
    assert not tab.retire_template_button.isEnabled()
