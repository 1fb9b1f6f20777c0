"""The demo panel: compose a scan with separator buttons and send it through the simulator."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.conftest import MakeGui
from tests.ui.helpers import press
from ui.app import StationGui
from ui.qt import QPushButton, Qt
from ui.views.sim_panel import SimulatedScannerPanel, composed_bytes


def panel_of(gui: StationGui) -> SimulatedScannerPanel:
    panel = gui.window.simulator_panel
    assert isinstance(panel, SimulatedScannerPanel)
    return panel


def test_composed_bytes() -> None:
    assert composed_bytes("[)>⟨RS⟩06⟨GS⟩9N1⟨RS⟩⟨EOT⟩") == b"[)>\x1e06\x1d9N1\x1e\x04"
    assert composed_bytes(r"bad \xFF byte") == b"bad \xff byte"
    assert composed_bytes("{GS}01") == b"\x1d01"


def test_separator_buttons_and_send(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en", demo=True)
    panel = panel_of(gui)
    buttons = {b.text(): b for b in panel.findChildren(QPushButton)}
    panel.compose.setText("]d20104012345123456240REF-4711")
    panel.compose.setCursorPosition(len(panel.compose.text()))
    buttons["⟨GS⟩"].click()
    panel.compose.insert("3010")
    assert panel.compose.text() == "]d20104012345123456240REF-4711⟨GS⟩3010"
    with qtbot.waitSignal(gui.window.identify.code_shown, timeout=3000):
        buttons["Send"].click()
    scan = gui.window.identify.last_scan
    assert scan is not None
    assert scan.raw == b"]d20104012345123456240REF-4711\x1d3010"
    assert gui.window.identify.key_fields.value("quantity") == "10"


def test_enter_in_the_compose_line_sends(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en", demo=True)
    panel = panel_of(gui)
    panel.compose.setText("10D9T")
    with qtbot.waitSignal(gui.window.identify.code_shown, timeout=3000):
        press(panel.compose, Qt.Key.Key_Return)
    assert gui.wedge.pending_text == ""  # a text field's keys are not the wedge's
    assert gui.window.identify.banner.headline.text().endswith("NOT READABLE")


def test_bad_escape_is_reported_and_nothing_is_sent(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en", demo=True)
    panel = panel_of(gui)
    panel.compose.setText(r"bad \q")
    panel.send_composed()
    assert not panel.compose_error.isHidden()
    assert panel.compose_error.text().startswith("Cannot send: bad escape")
    assert panel.compose_error.textFormat() == Qt.TextFormat.PlainText
    qtbot.wait(100)
    assert gui.window.identify.current is None
