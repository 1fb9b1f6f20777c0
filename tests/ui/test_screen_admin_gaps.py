"""The Admin screen's gaps closed: a new badge for an existing user (and withdrawing a lost one),
retiring label templates, and a settings save that keeps the operator's comments.

Real widgets offscreen on a copy of the demo station, signed in as the test administrator
(or QA for templates), as in tests/ui/test_screen_admin.py whose fixtures these are.
"""

from __future__ import annotations

import difflib

from pytestqt.qtbot import QtBot

from station.config import READER_MAX_LENGTH, load_settings
from tests.ui.test_screen_admin import (  # noqa: F401 - the fixtures are used by name
    Station,
    cheap_hashes,
    demo_db,
    open_screen,
    station,
    type_text,
    wait_status,
)
from ui.qt import QLineEdit
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
