"""Scans from a device thread arrive on the GUI thread (architecture.md §4, a required test)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from drivers.simulated.scanner import SimulatedScanner
from drivers.simulated.script import ScriptStep
from station.scanning.raw import RawScan
from tests.ui.conftest import MakeGui
from ui.bridges import ScannerBridge
from ui.qt import QApplication, QObject, QThread, Slot

HIBC = b"+A123BJC5D6E71G"


class Receiver(QObject):
    """A GUI-thread object whose slot records the thread it runs on."""

    def __init__(self) -> None:
        super().__init__()
        self.scans: list[RawScan] = []
        self.on_gui_thread: list[bool] = []
        self.python_threads: list[str] = []

    @Slot(object)
    def take(self, scan: RawScan) -> None:
        app = QApplication.instance()
        assert app is not None
        self.on_gui_thread.append(QThread.currentThread() == app.thread())
        assert QThread.currentThread() == app.thread()  # pytest-qt fails the test if not
        self.python_threads.append(threading.current_thread().name)
        self.scans.append(scan)


@pytest.fixture
def scanner() -> Iterator[SimulatedScanner]:
    device = SimulatedScanner("bridge-test", [ScriptStep(0.0, b"10D9T"), ScriptStep(0.0, HIBC)])
    yield device
    device.stop()
    device.join(5)
    assert not device.running


def test_simulated_scanner_delivers_on_the_gui_thread(
    qtbot: QtBot, scanner: SimulatedScanner
) -> None:
    device_threads: list[str] = []
    scanner.subscribe(lambda scan: device_threads.append(threading.current_thread().name))
    bridge = ScannerBridge(scanner)
    receiver = Receiver()
    bridge.scanned.connect(receiver.take)
    scanner.start()
    scanner.send(HIBC)
    qtbot.waitUntil(lambda: len(receiver.scans) == 1, timeout=3000)
    assert receiver.scans[0].raw == HIBC
    assert receiver.on_gui_thread == [True]
    assert device_threads == ["scanner-bridge-test"]  # emitted there, received here
    assert receiver.python_threads == [threading.main_thread().name]


def test_connect_to_queues_plain_callables_too(qtbot: QtBot, scanner: SimulatedScanner) -> None:
    bridge = ScannerBridge(scanner)
    seen: list[bool] = []
    app = QApplication.instance()
    assert app is not None
    bridge.connect_to(lambda scan: seen.append(QThread.currentThread() == app.thread()))
    scanner.start()
    scanner.play()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=3000)
    assert seen == [True, True]


def test_demo_panel_send_reaches_the_identify_screen(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en", demo=True)
    panel = gui.window.simulator_panel
    assert panel is not None
    assert len(panel.send_buttons) == len(gui.scanners[0].script) == 15
    with qtbot.waitSignal(gui.window.identify.code_shown, timeout=3000):
        panel.send_buttons[7].click()  # the HIBC line of the demo script
    scan = gui.window.identify.last_scan
    assert scan is not None
    assert scan.raw == HIBC
    assert scan.source == "simulated:demo"
    assert gui.window.identify.scheme.full_text() == "HIBC"
