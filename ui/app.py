"""Composition root: the only place that builds devices and wires them to the screens.

``run_gui`` is what ``station`` (and ``station --demo``) calls. :func:`build_gui` does the
wiring without entering the event loop, for tests and the screenshot tool.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field

from drivers.probe import probe_all
from drivers.simulated.scanner import SimulatedScanner
from drivers.simulated.script import ScriptError, ScriptStep, load_script
from ui.bridges import ScannerBridge
from ui.fonts import apply_ui_font
from ui.i18n import install_translators, remove_translators, resolve_language
from ui.qt import QApplication, QTranslator
from ui.resources import resource_path
from ui.views.main_window import MainWindow
from ui.wedge import WedgeListener

_log = logging.getLogger(__name__)

APP_NAME = "UDI Station"
DEMO_SCANNER_NAME = "demo"
#: How long shutdown waits for each device thread.
DEVICE_JOIN_SECONDS = 2.0


@dataclass
class StationGui:
    """Everything :func:`build_gui` made, so it can be shown, driven and shut down."""

    app: QApplication
    language: str
    window: MainWindow
    wedge: WedgeListener
    scanners: list[SimulatedScanner] = field(default_factory=list)
    bridges: list[ScannerBridge] = field(default_factory=list)
    translators: list[QTranslator] = field(default_factory=list)

    def stop_devices(self) -> None:
        """Stop every device thread, then wait for each (all are asked first, so they overlap)."""
        for scanner in self.scanners:
            scanner.stop()
        for scanner in self.scanners:
            scanner.join(DEVICE_JOIN_SECONDS)
            if scanner.running:
                _log.error(
                    "scanner %s did not stop within %.0f s", scanner.name, DEVICE_JOIN_SECONDS
                )

    def close(self) -> None:
        """Undo :func:`build_gui` (tests build several windows in one process)."""
        self.stop_devices()
        self.app.removeEventFilter(self.wedge)
        remove_translators(self.translators)
        self.window.close()
        self.window.deleteLater()


def demo_script() -> list[ScriptStep]:
    path = resource_path("demo", "scans.txt")
    try:
        return load_script(path)
    except (OSError, ScriptError):
        _log.exception("demo script %s could not be read; the simulator starts empty", path)
        return []


def application() -> QApplication:
    """The running QApplication, created on first use."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])  # the station's own options are not Qt's
    app.setApplicationName(APP_NAME)
    return app


def build_gui(app: QApplication, demo: bool, language: str | None) -> StationGui:
    """Translations, fonts, devices, window and bridges; devices are started, nothing shown."""
    chosen = resolve_language(language)
    translators = install_translators(chosen)
    apply_ui_font(app, chosen)
    scanners = [SimulatedScanner(DEMO_SCANNER_NAME, demo_script())] if demo else []
    window = MainWindow(probe_all(), simulator=scanners[0] if scanners else None)
    wedge = WedgeListener(window)
    wedge.scanned.connect(window.identify.handle_scan)
    app.installEventFilter(wedge)
    bridges = []
    for scanner in scanners:
        bridge = ScannerBridge(scanner, window)
        bridge.connect_to(window.identify.handle_scan)
        bridges.append(bridge)
        scanner.start()
    return StationGui(app, chosen, window, wedge, scanners, bridges, translators)


def run_gui(demo: bool, language: str | None) -> int:
    """Open the station window and run until it is closed; returns the exit status."""
    app = application()
    gui = build_gui(app, demo=demo, language=language)
    app.aboutToQuit.connect(gui.stop_devices)
    gui.window.resize(1280, 860)
    gui.window.show()
    return app.exec()
