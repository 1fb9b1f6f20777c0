"""Keyboard wedge: scanner bursts typed anywhere in the window reach the Identify screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from pytestqt.qtbot import QtBot

from station.config import WedgeSettings
from station.scanning.raw import RawScan
from tests.ui.conftest import MakeGui
from tests.ui.helpers import press, type_text
from ui.app import StationGui
from ui.qt import QApplication, QEvent, QKeyEvent, QPushButton, Qt, QWidget
from ui.wedge import (
    CONTINUATION_SECONDS,
    GS,
    RS,
    Phase,
    Terminator,
    WedgeConfig,
    WedgeListener,
    scan_text_for_key,
    separator_for_chord,
)

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


def test_tab_terminator(qtbot: QtBot) -> None:
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


# -- the timing rule: scanner bursts against people typing ------------------------------------
#
# Key events are built with explicit window-system timestamps (ms), as a real platform stamps
# them, and delivered at once; the listener's delivery clock is a fake unless a test needs the
# real timers. The Bench's focused widget records the keys that reach it.

GS1_SCAN = "]d20104012345123456112501151726123110LOT-A1"


class KeyRecorder(QWidget):
    """A focusable, non-text widget that records the key presses it receives."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.keys: list[str] = []

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.keys.append(event.text())

    @property
    def typed(self) -> str:
        return "".join(self.keys)


@dataclass
class Bench:
    recorder: KeyRecorder
    listener: WedgeListener
    now: list[float]
    scans: list[bytes] = field(default_factory=list)
    discards: list[str] = field(default_factory=list)

    def send(self, *events: QKeyEvent) -> None:
        for event in events:
            QApplication.sendEvent(self.recorder, event)


def key(
    text: str,
    stamp: int,
    code: Qt.Key | None = None,
    modifiers: Qt.KeyboardModifier = NO,
    repeat: bool = False,
) -> QKeyEvent:
    if code is None:
        code = (
            Qt.Key(ord(text.upper())) if text.isascii() and text.isalnum() else Qt.Key.Key_unknown
        )
    event = QKeyEvent(QEvent.Type.KeyPress, code, modifiers, text, repeat)
    event.setTimestamp(stamp)
    return event


def keys(text: str, start: int, step: int) -> list[QKeyEvent]:
    """``text`` typed from ``start`` ms, one key every ``step`` ms."""
    return [key(char, start + i * step) for i, char in enumerate(text)]


def enter(stamp: int) -> QKeyEvent:
    return key("\r", stamp, Qt.Key.Key_Return)


MakeBench = Callable[..., Bench]


@pytest.fixture
def make_bench(qtbot: QtBot) -> Iterator[MakeBench]:
    installed: list[WedgeListener] = []

    def make(config: WedgeConfig | None = None, real_clock: bool = False) -> Bench:
        root = QWidget()
        qtbot.addWidget(root)
        recorder = KeyRecorder(root)
        now = [100.0]
        if real_clock:
            listener = WedgeListener(root, config)
        else:
            listener = WedgeListener(root, config, clock=lambda: now[0])
        bench = Bench(recorder, listener, now)
        listener.scanned.connect(lambda scan: bench.scans.append(scan.raw))
        listener.discarded.connect(bench.discards.append)
        QApplication.instance().installEventFilter(listener)  # type: ignore[union-attr]
        installed.append(listener)
        root.show()
        recorder.setFocus()
        return bench

    yield make
    for listener in installed:
        QApplication.instance().removeEventFilter(listener)  # type: ignore[union-attr]


def test_a_fast_burst_is_a_scan_and_reaches_no_widget(make_bench: MakeBench) -> None:
    bench = make_bench()
    bench.send(*keys(GS1_SCAN, 1000, 4), enter(1000 + 4 * len(GS1_SCAN)))
    assert bench.scans == [GS1_SCAN.encode()]
    assert bench.recorder.keys == []
    assert bench.listener.pending_text == ""


def test_human_typing_is_passed_on_in_order_and_is_never_a_scan(make_bench: MakeBench) -> None:
    bench = make_bench()
    # 120 ms a key, delivered in one clump (delivery clock never moves): stamps tell the truth.
    bench.send(*keys("0104012345", 1000, 120), enter(2300))
    assert bench.scans == []
    assert bench.recorder.typed == "0104012345\r"  # every key, in order, Enter last


def test_a_persons_key_reaches_the_widget_after_the_key_gap(
    make_bench: MakeBench, qtbot: QtBot
) -> None:
    bench = make_bench(real_clock=True)
    bench.send(key("a", 1000))
    assert bench.recorder.keys == []  # held: it could be the first key of a scan
    qtbot.waitUntil(lambda: bench.recorder.typed == "a", timeout=1000)  # ~35 ms later
    assert bench.listener.pending_text == ""


def test_fewer_keys_than_min_length_are_typing(make_bench: MakeBench) -> None:
    bench = make_bench(WedgeConfig(min_length=4))
    bench.send(*keys("123", 1000, 3), enter(1010))
    assert bench.scans == []
    assert bench.recorder.typed == "123\r"


def test_min_length_is_configurable(make_bench: MakeBench) -> None:
    bench = make_bench(WedgeConfig(min_length=2))
    bench.send(*keys("12", 1000, 3), enter(1006))
    assert bench.scans == [b"12"]


def test_key_gap_is_configurable(make_bench: MakeBench) -> None:
    slow_scanner = make_bench(WedgeConfig(max_key_gap_ms=60, end_gap_ms=200))
    slow_scanner.send(*keys("+A123BJC5D6E71G", 1000, 45), enter(1000 + 15 * 45))
    assert slow_scanner.scans == [b"+A123BJC5D6E71G"]
    default = make_bench()
    default.send(*keys("+A123BJC5D6E71G", 1000, 45), enter(1000 + 15 * 45))
    assert default.scans == []


def test_clumped_delivery_of_a_fast_burst_is_still_a_scan(make_bench: MakeBench) -> None:
    bench = make_bench()
    events = keys(GS1_SCAN, 1000, 5)
    bench.send(events[0])
    bench.now[0] += 0.4  # the event loop was busy: the rest arrives 400 ms late, all at once
    bench.send(*events[1:], enter(1000 + 5 * len(GS1_SCAN)))
    assert bench.scans == [GS1_SCAN.encode()]


def test_a_late_deadline_waits_for_queued_keys(make_bench: MakeBench) -> None:
    bench = make_bench()
    events = keys(GS1_SCAN, 1000, 5)
    bench.send(*events[:2])  # fewer than min_length: could still be a person
    bench.now[0] += 0.4
    bench.listener.check_deadline()  # the timer fired 365 ms late: the loop was busy
    assert bench.recorder.keys == []  # not given away as typing yet
    assert bench.listener.pending_text == GS1_SCAN[:2]
    bench.send(*events[2:], enter(1000 + 5 * len(GS1_SCAN)))  # the queued rest
    assert bench.scans == [GS1_SCAN.encode()]


def test_an_on_time_deadline_passes_a_persons_keys_on(make_bench: MakeBench) -> None:
    bench = make_bench()
    bench.send(*keys("ab", 1000, 100))
    assert bench.recorder.typed == "a"  # released when "b" came 100 ms later
    bench.now[0] += 0.036
    bench.listener.check_deadline()
    assert bench.recorder.typed == "ab"


def test_without_stamps_the_delivery_clock_decides(make_bench: MakeBench) -> None:
    bench = make_bench()
    for char in "0104":
        bench.send(key(char, 0))  # stamp 0: the event has no window-system time
        bench.now[0] += 0.2
    assert bench.recorder.typed == "010"  # a person: each key let go when the next came
    assert bench.listener.phase is Phase.TYPING


def test_a_burst_interrupted_by_a_pause_is_discarded_whole(make_bench: MakeBench) -> None:
    bench = make_bench()  # pause 60 ms: longer than a key gap, shorter than end_gap_ms
    bench.send(*keys("]d2010401234", 1000, 4), *keys("5123456", 1104, 4), enter(1140))
    assert bench.scans == []
    assert bench.recorder.keys == []  # a scanner's keys are never typed into the screen
    assert bench.discards == ["Scan discarded: the scanner paused in the middle of it."]


def test_the_tail_after_a_long_pause_is_not_read_as_a_code(make_bench: MakeBench) -> None:
    bench = make_bench()
    bench.send(*keys("]d2010401234", 1000, 4))
    bench.now[0] += 0.3  # a pause longer than end_gap_ms: the head is abandoned ...
    bench.listener.check_deadline()  # (a late timer waits one more period first)
    bench.now[0] += 0.1
    bench.listener.check_deadline()
    assert len(bench.discards) == 1
    bench.send(*keys("5123456", 1350, 4), enter(1380))  # ... and its tail is not a code
    assert bench.scans == []
    assert len(bench.discards) == 2
    bench.now[0] += CONTINUATION_SECONDS + 1  # the next real scan is read normally
    bench.send(*keys("+A123BJC5D6E71G", 5000, 4), enter(5060))
    assert bench.scans == [b"+A123BJC5D6E71G"]


def test_a_stale_partial_burst_is_dropped(make_bench: MakeBench) -> None:
    bench = make_bench()
    bench.send(*keys("STRAY", 1000, 2))
    bench.now[0] += 5.0  # no deadline ran (no event loop): the next key settles it
    bench.send(*keys("10D9T", 6000, 2), enter(6010))
    assert bench.scans == [b"10D9T"]
    assert len(bench.discards) == 1


def test_a_burst_that_starts_with_a_persons_key(make_bench: MakeBench) -> None:
    bench = make_bench()
    bench.send(key("x", 1000), *keys("+A123BJC5D6E71G", 1800, 3), enter(1850))
    assert bench.scans == [b"+A123BJC5D6E71G"]
    assert bench.recorder.typed == "x"


def test_a_persons_key_right_after_a_scan_is_typing(make_bench: MakeBench) -> None:
    bench = make_bench()
    bench.send(*keys("+A123BJC5D6E71G", 1000, 3), enter(1045), key("y", 1500))
    bench.now[0] += 0.05
    bench.listener.check_deadline()
    assert bench.scans == [b"+A123BJC5D6E71G"]
    assert bench.recorder.typed == "y"


def test_shift_and_ctrl_pressed_inside_a_burst_do_not_break_it(make_bench: MakeBench) -> None:
    bench = make_bench()
    bench.send(
        key("", 1000, Qt.Key.Key_Shift, SHIFT),
        key("A", 1002, Qt.Key.Key_A, SHIFT),
        key("", 1004, Qt.Key.Key_Control, CTRL),
        key("", 1006, Qt.Key.Key_BracketRight, CTRL),
        *keys("10X", 1008, 2),
        enter(1016),
    )
    assert bench.scans == [b"A\x1d10X"]


def test_an_auto_repeated_key_is_a_person_holding_it(make_bench: MakeBench) -> None:
    bench = make_bench()
    bench.send(key("a", 1000), *(key("a", 1030 + 30 * i, repeat=True) for i in range(5)))
    assert bench.scans == []
    assert bench.recorder.typed == "aaaaaa"


def test_escape_gives_a_persons_keys_back_and_drops_a_scanner_burst(make_bench: MakeBench) -> None:
    bench = make_bench()
    bench.send(key("q", 1000), key("", 1200, Qt.Key.Key_Escape))
    assert bench.recorder.typed == "q"
    bench.send(*keys("0104012", 2000, 3), key("", 2030, Qt.Key.Key_Escape), enter(2040))
    assert bench.scans == []
    assert bench.recorder.typed == "q\r"  # Enter after the dropped burst presses as usual


def test_no_terminator_ends_a_scan_after_the_end_gap(make_bench: MakeBench, qtbot: QtBot) -> None:
    bench = make_bench(WedgeConfig(terminator=Terminator.NONE, end_gap_ms=80), real_clock=True)
    with qtbot.waitSignal(bench.listener.scanned, timeout=2000):
        bench.send(*keys("+A123BJC5D6E71G", 1000, 3))
    assert bench.scans == [b"+A123BJC5D6E71G"]
    bench.send(enter(9000))  # Enter is not the terminator: it reaches the widget
    assert bench.recorder.typed == "\r"


def test_no_terminator_with_a_fake_clock(make_bench: MakeBench) -> None:
    bench = make_bench(WedgeConfig(terminator=Terminator.NONE))
    bench.send(*keys("10D9T", 1000, 3))
    bench.now[0] += 0.05
    bench.listener.check_deadline()  # 50 ms of silence: not yet 100
    assert bench.scans == []
    bench.now[0] += 0.06
    bench.listener.check_deadline()
    assert bench.scans == [b"10D9T"]


def test_tab_terminator_and_tab_between_scans(make_bench: MakeBench) -> None:
    bench = make_bench(WedgeConfig(terminator=Terminator.TAB))
    tab = key("\t", 1030, Qt.Key.Key_Tab)
    bench.send(*keys("10D9T", 1000, 3), tab)
    assert bench.scans == [b"10D9T"]
    bench.send(*keys("ab", 2000, 150), key("\t", 2400, Qt.Key.Key_Tab))
    assert bench.scans == [b"10D9T"]  # a person's Tab after typing is not a terminator
    assert bench.recorder.typed.startswith("ab")


def test_typed_gs_substitutes_reach_the_reader_as_typed(make_gui: MakeGui, qtbot: QtBot) -> None:
    # The wedge does not map "{GS}": the code reader does, for every source, and says so.
    gui = make_gui("en")
    target = other_widget(gui)
    focus(qtbot, target)

    def type_burst() -> None:
        type_text(target, GS1_SCAN + "{GS}21SN0001")
        press(target, Qt.Key.Key_Return)

    scan = wait_for_scan(qtbot, gui, type_burst)
    assert scan.raw == (GS1_SCAN + "{GS}21SN0001").encode()
    assert gui.window.identify.key_fields.value("lot") == "LOT-A1"
    assert gui.window.identify.key_fields.value("serial") == "SN0001"


def test_every_focusable_non_text_widget_of_identify_passes_bursts(
    make_gui: MakeGui, qtbot: QtBot
) -> None:
    gui = make_gui("en")
    from ui.wedge import is_text_input  # noqa: PLC0415

    widgets = [
        w
        for w in gui.window.identify.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisible() and not is_text_input(w)
    ]
    assert len(widgets) >= 2
    for widget in widgets:
        focus(qtbot, widget)

        def type_burst(widget: QWidget = widget) -> None:
            type_text(widget, "+A123BJC5D6E71G")
            press(widget, Qt.Key.Key_Return)

        assert wait_for_scan(qtbot, gui, type_burst).raw == b"+A123BJC5D6E71G", widget


def test_config_from_settings_and_its_checks() -> None:
    config = WedgeConfig.from_settings(WedgeSettings(20, 6, "tab", 250))
    assert config == WedgeConfig(Terminator.TAB, 20, 6, 250)
    assert WedgeConfig.from_settings(WedgeSettings(35, 4, "none", 100)).terminator is (
        Terminator.NONE
    )
    with pytest.raises(ValueError, match="end_gap_ms"):
        WedgeConfig(max_key_gap_ms=50, end_gap_ms=50)


def test_a_discarded_burst_is_reported_in_the_status_bar(make_gui: MakeGui) -> None:
    gui = make_gui("en")
    table = gui.window.identify.table
    table.setFocus()
    for event in [*keys("]d2010401234", 1000, 4), *keys("5123456", 1104, 4), enter(1140)]:
        QApplication.sendEvent(table, event)
    assert gui.window.statusBar().currentMessage() == (
        "Scan discarded: the scanner paused in the middle of it."
    )
    assert gui.window.identify.last_scan is None
