"""The demo's simulated camera, wired like a real one: a held label is read into Identify."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from drivers.camera.synth import standard_specs
from drivers.simulated.camera import SimulatedCamera
from tests.ui.conftest import MakeGui
from ui.views.camera_panel import CameraPanel


def test_a_label_held_under_the_demo_camera_is_identified(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en", demo=True)
    (camera,) = [s for s in gui.sources if isinstance(s, SimulatedCamera)]
    panel = gui.window.camera_panel
    assert isinstance(panel, CameraPanel)
    statuses = [s for s in gui.window.device_statuses if s.kind == "camera"]
    qtbot.waitUntil(lambda: statuses[0].state == "connected", timeout=5000)

    spec = next(s for s in standard_specs() if s.name == "GS1 DataMatrix")
    button = next(b for b in panel.hold_buttons if b.text() == spec.name)
    button.click()

    identify = gui.window.identify
    qtbot.waitUntil(lambda: getattr(identify, "last_scan", None) is not None, timeout=10000)
    scan, code = identify.last_scan, identify.current
    assert scan is not None
    assert code is not None
    assert scan.reader_input() == spec.expected
    assert scan.source.endswith(":demo")
    assert scan.corners is not None
    assert code.gtin == "04012345123456"
    qtbot.waitUntil(lambda: panel.preview.view.boxes != [], timeout=5000)
    assert camera.stats.scans_delivered >= 1
