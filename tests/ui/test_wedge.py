"""Keyboard wedge: scanner bursts typed anywhere in the window reach the Identify screen."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from station.scanning.raw import RawScan
from tests.ui.conftest import MakeGui
from tests.ui.helpers import press, type_text
from ui.app import StationGui
from ui.qt import QApplication, QEvent, QKeyEvent, QPushButton, Qt, QWidget
from ui.wedge import GS, RS, WedgeConfig, WedgeListener, scan_text_for_key, separator_for_chord

NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def wait_for_scan(qtbot: QtBot, gui: StationGui, type_it: object) -> RawScan:
    with qtbot.waitSignal(gui.window.identify.code_shown, timeout=2000):
        assert callable(type_it)
        type_it()
    scan = gui.window.identify.last_scan
    assert scan is not None
    return scan


def other_widget(gui: StationGui) -> QWidget:
    """A focusable widget of the Identify screen that is not a text field: the Read button."""
    buttons = [b for b in gui.window.identify.findChildren(QPushButton) if b.text() == "Read"]
    assert len(buttons) == 1
    return buttons[0]


def test_burst_with_focus_on_a_button_reaches_the_screen(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en")
    target = other_widget(gui)
    focus(qtbot, target)

    def type_burst() -> None:
        type_text(target, "]d2010401234512345617261200")
        press(target, Qt.Key.Key_Return)

    scan = wait_for_scan(qtbot, gui, type_burst)
    assert scan.raw == b"]d2010401234512345617261200"
    assert scan.source == "keyboard"
    assert gui.window.identify.key_fields.value("expiry") == "2026-12-31"
    assert gui.window.identify.entry.text() == ""  # the wedge did not type into the entry line


def test_burst_with_focus_on_the_element_table(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en")
    table = gui.window.identify.table
    focus(qtbot, table)

    def type_burst() -> None:
        type_text(table, "+A123BJC5D6E71G")
        press(table, Qt.Key.Key_Enter)  # keypad Enter ends a scan too

    assert wait_for_scan(qtbot, gui, type_burst).raw == b"+A123BJC5D6E71G"
    assert gui.window.identify.scheme.full_text() == "HIBC"


def test_ctrl_bracket_becomes_gs(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en")
    target = other_widget(gui)
    focus(qtbot, target)

    def type_burst() -> None:
        type_text(target, "]d20104012345123456112501151726123110LOT-A1")
        press(target, Qt.Key.Key_BracketRight, CTRL)
        type_text(target, "21SN0001")
        press(target, Qt.Key.Key_Return)

    scan = wait_for_scan(qtbot, gui, type_burst)
    assert scan.raw == b"]d20104012345123456112501151726123110LOT-A1\x1d21SN0001"
    assert gui.window.identify.key_fields.value("lot") == "LOT-A1"
    assert gui.window.identify.key_fields.value("serial") == "SN0001"


def test_gs_delivered_as_text_is_kept(make_gui: MakeGui, qtbot: QtBot) -> None:
    # X11 and Windows (Alt+029) deliver the control character itself, with no key code.
    gui = make_gui("en")
    target = other_widget(gui)
    focus(qtbot, target)

    def type_burst() -> None:
        type_text(target, "]d20104012345123456240REF-4711")
        QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, 0, NO, GS))
        type_text(target, "3010")
        press(target, Qt.Key.Key_Return)

    scan = wait_for_scan(qtbot, gui, type_burst)
    assert scan.raw == b"]d20104012345123456240REF-4711\x1d3010"
    assert gui.window.identify.key_fields.value("quantity") == "10"


def test_entry_line_is_the_same_path_and_keeps_its_typing(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en")
    entry = gui.window.identify.entry
    focus(qtbot, entry)
    type_text(entry, "(01)04012345123456(10)LOT")
    assert entry.text() == "(01)04012345123456(10)LOT"  # typed into the line, not swallowed
    assert gui.wedge.pending_text == ""
    press(entry, Qt.Key.Key_BracketRight, CTRL)
    assert entry.text().endswith("LOT⟨GS⟩")
    type_text(entry, "(21)S1")

    scan = wait_for_scan(qtbot, gui, lambda: press(entry, Qt.Key.Key_Return))
    assert scan.source == "keyboard:entry"
    assert scan.raw == b"(01)04012345123456(10)LOT\x1d(21)S1"
    assert entry.text() == ""


def test_pasted_separators_show_as_markers_in_the_entry_line(make_gui: MakeGui) -> None:
    gui = make_gui("en")
    entry = gui.window.identify.entry
    entry.setText("")
    entry.insert("[)>\x1e06\x1d9N1")
    entry.textEdited.emit(entry.text())  # what a paste triggers
    assert entry.text() == "[)>⟨RS⟩06⟨GS⟩9N1"
    assert entry.scan_text() == "[)>\x1e06\x1d9N1"


def test_space_and_enter_still_press_buttons_between_scans(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en")
    target = other_widget(gui)
    focus(qtbot, target)
    gui.window.identify.entry.setText("+A123BJC5D6E71G")
    with qtbot.waitSignal(gui.window.identify.code_shown, timeout=2000):
        press(target, Qt.Key.Key_Space)  # Read button pressed by keyboard
    assert gui.window.identify.last_scan is not None
    assert gui.window.identify.last_scan.source == "keyboard:entry"
    assert gui.wedge.pending_text == ""


def test_shortcuts_and_mnemonics_are_not_scan_data(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en")
    target = other_widget(gui)
    focus(qtbot, target)
    press(target, Qt.Key.Key_C, CTRL)
    press(target, Qt.Key.Key_F, ALT)
    press(target, Qt.Key.Key_Tab)
    assert gui.wedge.pending_text == ""


def test_escape_abandons_a_burst(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en")
    target = other_widget(gui)
    focus(qtbot, target)
    type_text(target, "01040")
    assert gui.wedge.pending_text == "01040"
    press(target, Qt.Key.Key_Escape)
    assert gui.wedge.pending_text == ""


def test_a_stale_partial_burst_is_dropped(qtbot: QtBot) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    button = QPushButton("x", root)
    now = [100.0]
    listener = WedgeListener(root, WedgeConfig(stale_after=2.0), clock=lambda: now[0])
    QApplication.instance().installEventFilter(listener)  # type: ignore[union-attr]
    try:
        scans: list[RawScan] = []
        listener.scanned.connect(scans.append)
        type_text(button, "STRAY")
        now[0] += 5.0
        type_text(button, "10D9T")
        press(button, Qt.Key.Key_Return)
        assert [s.raw for s in scans] == [b"10D9T"]
    finally:
        QApplication.instance().removeEventFilter(listener)  # type: ignore[union-attr]


def test_tab_terminator(qtbot: QtBot) -> None:
    from ui.wedge import Terminator  # noqa: PLC0415

    root = QWidget()
    qtbot.addWidget(root)
    button = QPushButton("x", root)
    listener = WedgeListener(root, WedgeConfig(terminator=Terminator.TAB))
    QApplication.instance().installEventFilter(listener)  # type: ignore[union-attr]
    try:
        scans: list[RawScan] = []
        listener.scanned.connect(scans.append)
        type_text(button, "10D9T")
        press(button, Qt.Key.Key_Return)  # not the terminator: ignored, burst goes on
        press(button, Qt.Key.Key_Tab)
        assert [s.raw for s in scans] == [b"10D9T"]
    finally:
        QApplication.instance().removeEventFilter(listener)  # type: ignore[union-attr]


def test_keys_for_other_windows_are_ignored(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en")
    elsewhere = QPushButton("elsewhere")
    qtbot.addWidget(elsewhere)
    type_text(elsewhere, "0104012345123456")
    assert gui.wedge.pending_text == ""


@pytest.mark.parametrize(
    ("key", "modifiers", "text", "expected"),
    [
        (Qt.Key.Key_A, NO, "a", "a"),
        (Qt.Key.Key_A, SHIFT, "A", "A"),
        (Qt.Key.Key_BracketRight, NO, "]", "]"),
        (Qt.Key.Key_BracketRight, CTRL, "", GS),
        (Qt.Key.Key_BracketRight, CTRL, "\x1d", GS),
        (0, NO, GS, GS),
        (Qt.Key.Key_AsciiCircum, CTRL | SHIFT, "\x1e", RS),
        (Qt.Key.Key_D, CTRL, "\x04", "\x04"),
        (Qt.Key.Key_C, CTRL, "\x03", None),  # copy
        (Qt.Key.Key_F, ALT, "f", None),  # menu mnemonic
        (Qt.Key.Key_At, CTRL | ALT, "@", "@"),  # AltGr on Windows
        (Qt.Key.Key_Tab, NO, "\t", None),
        (Qt.Key.Key_Backspace, NO, "\x08", None),
        (Qt.Key.Key_F5, NO, "", None),
    ],
)
def test_scan_text_for_key(
    key: int, modifiers: Qt.KeyboardModifier, text: str, expected: str | None
) -> None:
    assert scan_text_for_key(key, modifiers, text) == expected


def test_separator_for_chord_needs_ctrl_alone() -> None:
    assert separator_for_chord(Qt.Key.Key_BracketRight, CTRL, "") == GS
    assert separator_for_chord(Qt.Key.Key_BracketRight, CTRL | ALT, "]") is None
    assert separator_for_chord(Qt.Key.Key_BracketRight, NO, "]") is None
