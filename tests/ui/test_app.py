"""The composition root, fonts, diagnostics and the screenshot tool."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from drivers.probe import LibraryStatus
from drivers.serial.framing import Framing
from drivers.serial.source import SerialScanSource
from station import config
from tests.ui.conftest import MakeGui
from tests.ui.helpers import type_text
from ui import app as app_module
from ui import fonts
from ui.devices import build_camera, build_serial_source
from ui.qt import QApplication, QDialog, QFont, QFontDatabase, QLabel, Qt
from ui.views.diagnostics import DiagnosticsDialog, DiagnosticsIndicator
from ui.wedge import Terminator, WedgeConfig

ROOT = Path(__file__).resolve().parents[2]
ZXING_OK = LibraryStatus("zxing-cpp", "primary barcode decoder", True, True, "3.1", "ok")
ZBAR_MISSING = LibraryStatus(
    "pyzbar",
    "optional second decoder",
    False,
    False,
    "0.1.9",
    "missing: Unable to find zbar shared library. The station works without it.",
)
SERIAL_MISSING = LibraryStatus("pyserial", "serial scanners", True, False, None, "missing: <b>x")


def scanner_threads() -> set[str]:
    return {t.name for t in threading.enumerate() if t.name.startswith("scanner-")}


def test_demo_builds_the_simulator_and_close_stops_it(make_gui: MakeGui) -> None:
    gui = make_gui("en", demo=True)
    assert [s.name for s in gui.scanners] == [app_module.DEMO_SCANNER_NAME]
    assert gui.scanners[0].running
    assert gui.window.simulator_panel is not None
    gui.close()
    assert not gui.scanners[0].running
    assert "scanner-demo" not in scanner_threads()


def test_without_demo_there_is_no_simulator(make_gui: MakeGui) -> None:
    gui = make_gui("en", demo=False)
    assert gui.sources == []
    assert gui.window.simulator_panel is None


RUN_GUI_SCRIPT = """
import threading
from ui.app import application, run_gui
from ui.qt import QApplication, QTimer

application()  # before the timer: a timer needs the application's event dispatcher

shown = []

def quit_after_a_scan():
    window = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "identify"))
    shown.append(window)
    window.identify.code_shown.connect(lambda code: QApplication.quit())
    page = next(w for w in QApplication.allWidgets() if type(w).__name__ == "SignInPage")
    page.take_badge("B-1001")  # the station opens on sign-in; Identify (F1) needs a session
    page.secret.setText("260417")
    page.submit()
    def identify_once_signed_in():
        if not window.show_identify():
            QTimer.singleShot(50, identify_once_signed_in)
            return
        window.simulator_panel.send_buttons[0].click()
    identify_once_signed_in()

QTimer.singleShot(300, quit_after_a_scan)
status = run_gui(demo=True, language="zh_CN")
alive = [t.name for t in threading.enumerate() if t.name.startswith("scanner-") and t.is_alive()]
print("status", status, "alive", alive)
print("title", shown[0].windowTitle(), "lot", shown[0].identify.key_fields.value("lot"))
"""


def test_run_gui_reads_a_demo_scan_and_stops_devices_on_quit() -> None:
    # Its own process: quitting the application ends the event loop for good, which would
    # break every later test sharing pytest-qt's QApplication.
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", RUN_GUI_SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "status 0 alive []",
        "title 追溯码扫描站——识别 lot LOT-A1",
    ]


def test_chinese_picks_an_installed_cjk_font(qapp: QApplication) -> None:
    original = QFont(qapp.font())
    try:
        font = fonts.apply_ui_font(qapp, "zh_CN")
        family = fonts.installed_cjk_family()
        if family is None:
            pytest.skip("no CJK font installed here (the fallback is tested below)")
        assert font.families()[0] == family
        assert qapp.font().families()[0] == family
        assert font.pointSize() == fonts.BASE_POINT_SIZE
    finally:
        qapp.setFont(original)


def test_missing_cjk_font_is_a_warning_not_a_failure(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    original = QFont(qapp.font())
    monkeypatch.setattr(fonts, "installed_cjk_family", lambda: None)
    try:
        with caplog.at_level(logging.WARNING):
            font = fonts.apply_ui_font(qapp, "zh_CN")
        assert "no Chinese font is installed" in caplog.text
        assert font.families() == fonts.apply_ui_font(qapp, "en").families()
        assert font.pointSize() == fonts.BASE_POINT_SIZE
    finally:
        qapp.setFont(original)


def test_english_uses_the_system_family_even_after_chinese(qapp: QApplication) -> None:
    original = QFont(qapp.font())
    try:
        system = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).families()
        fonts.apply_ui_font(qapp, "zh_CN")
        assert fonts.apply_ui_font(qapp, "en").families() == system
    finally:
        qapp.setFont(original)


def test_diagnostics_indicator_summarises(qtbot: QtBot) -> None:
    ok = DiagnosticsIndicator([ZXING_OK])
    optional = DiagnosticsIndicator([ZXING_OK, ZBAR_MISSING])
    required = DiagnosticsIndicator([ZXING_OK, ZBAR_MISSING, SERIAL_MISSING])
    for widget in (ok, optional, required):
        qtbot.addWidget(widget)
    assert ok.text() == "✔ Libraries: OK"
    assert optional.text() == "● Libraries: OK (1 optional not available)"
    assert required.text() == "✖ Libraries: 1 required missing"


def test_diagnostics_dialog_says_zbar_is_not_needed(qtbot: QtBot) -> None:
    dialog = DiagnosticsDialog([ZXING_OK, ZBAR_MISSING, SERIAL_MISSING])
    qtbot.addWidget(dialog)
    assert dialog.lines[0] == "zxing-cpp: OK"
    assert dialog.lines[1].startswith("pyzbar: not available — optional")
    assert dialog.lines[2] == "pyserial: MISSING — required"
    assert any("The station works without it" in line for line in dialog.lines[3:])
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "pyserial: missing: <b>x" in texts
    assert all(
        label.textFormat() == Qt.TextFormat.PlainText for label in dialog.findChildren(QLabel)
    )


def test_status_bar_opens_the_dialog(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en")
    dialog = gui.window.diagnostics.open_dialog()
    qtbot.waitExposed(dialog)
    assert isinstance(dialog, QDialog)
    assert dialog.isVisible()
    dialog.reject()


# -- devices from settings (issue 4)


def settings_with(text: str) -> config.Settings:
    return config.parse_settings("version = 1\n" + text)


def test_default_settings_mean_the_keyboard_wedge_only(make_gui: MakeGui) -> None:
    gui = make_gui("en")
    assert gui.settings.get(config.SCANNER_KIND) == "keyboard"
    assert gui.sources == []
    assert gui.wedge_installed
    assert gui.window.device_statuses == []


def test_wedge_settings_reach_the_listener(make_gui: MakeGui) -> None:
    gui = make_gui("en", settings=settings_with("[wedge]\nterminator = 'tab'\nmin_length = 6\n"))
    assert gui.wedge.config == WedgeConfig(Terminator.TAB, 35, 6, 100)


def test_scanner_none_turns_the_wedge_off(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en", settings=settings_with("[scanner]\nkind = 'none'\n"))
    assert not gui.wedge_installed
    type_text(gui.window.identify.table, "+A123BJC5D6E71G")
    assert gui.wedge.pending_text == ""


def test_simulated_scanner_from_settings(make_gui: MakeGui) -> None:
    gui = make_gui("en", settings=settings_with("[scanner]\nkind = 'simulated'\n"))
    assert [s.name for s in gui.sources] == ["simulated"]
    assert gui.window.simulator_panel is not None
    assert gui.sources[0].running


def test_demo_ignores_the_configured_scanner(make_gui: MakeGui, tmp_path: Path) -> None:
    port = tmp_path / "no-such-port"
    gui = make_gui(
        "en", demo=True, settings=settings_with(f"[scanner]\nkind = 'serial'\nport = '{port}'\n")
    )
    assert [(type(s).__name__, s.name) for s in gui.sources] == [
        ("SimulatedScanner", app_module.DEMO_SCANNER_NAME),
        ("SimulatedCamera", "demo"),
    ]


def test_a_missing_serial_port_shows_disconnected_and_close_stops_it(
    make_gui: MakeGui, qtbot: QtBot, tmp_path: Path
) -> None:
    port = tmp_path / "ttyACM9"  # never exists: the reader keeps retrying with backoff
    gui = make_gui("en", settings=settings_with(f"[scanner]\nkind = 'serial'\nport = '{port}'\n"))
    assert isinstance(gui.sources[0], SerialScanSource)
    (status,) = gui.window.device_statuses
    qtbot.waitUntil(lambda: status.state == "disconnected", timeout=3000)
    assert status.text() == f"Scanner {port}: disconnected – retrying"
    assert status.last_error is not None
    assert "open failed" in status.last_error
    assert "open failed" in status.toolTip()
    gui.close()
    assert not gui.sources[0].running
    assert "scanner-serial-" + str(port) not in scanner_threads()


def test_run_gui_refuses_bad_settings_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("version = 1\n[scanner]\nkind = 'serial'\n", encoding="utf-8")
    assert app_module.run_gui(demo=False, language=None, settings_file=path) == 2
    assert "scanner.port must name the port" in capsys.readouterr().err


def test_serial_settings_become_the_drivers_settings() -> None:
    settings = settings_with(
        "[scanner]\nkind = 'serial'\nport = 'COM7'\nbaudrate = 115200\n"
        "terminator = 'none'\ntimeout_ms = 80\nprefix = '\\x02'\nsuffix = '\\x03'\n"
    )
    source = build_serial_source(settings)
    assert source.name == "COM7"
    assert source.settings.port == "COM7"
    assert source.settings.baudrate == 115200
    assert source.settings.framing == Framing("none", 0.08, b"\x02", b"\x03")
    assert build_camera(settings, demo=False) is None  # camera.kind defaults to "none"
