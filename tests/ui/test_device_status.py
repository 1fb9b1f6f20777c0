"""A real serial scanner (SerialScanSource on a pseudo-terminal) wired by the composition root.

The test plays the scanner on the pty master; the station opens the slave through a symlink
given as ``scanner.port``, exactly as it would open ``/dev/serial/by-id/…``. Unplugging is
closing the pty; replugging re-points the symlink to a fresh one (a pty cannot be recreated
under the same name). Every wait returns as soon as its condition holds.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from drivers.serial.source import SerialScanSource
from station.config import Settings, parse_settings
from tests.ui.conftest import MakeGui
from ui.bridges import DeviceStateBridge
from ui.widgets.device_status import STATE_COLOURS, DeviceStatus

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX pseudo-terminals")

TIMEOUT_MS = 5000  # a deadline, not a sleep
EXPIRY_SCAN = b"]d2010401234512345617261200"


@dataclass
class Pty:
    master: int
    slave: int
    path: str

    @classmethod
    def open(cls) -> Pty:
        master, slave = os.openpty()
        return cls(master, slave, os.ttyname(slave))

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.master, view) :]

    def close(self) -> None:
        for fd in (self.slave, self.master):
            with contextlib.suppress(OSError):
                os.close(fd)


@pytest.fixture
def ptys() -> Iterator[list[Pty]]:
    opened: list[Pty] = []
    yield opened
    for pty in opened:
        pty.close()


def serial_settings(port: Path) -> Settings:
    return parse_settings(f"version = 1\n[scanner]\nkind = 'serial'\nport = '{port}'\n")


def test_serial_scans_reach_identify_and_unplug_replug_shows_in_the_status_bar(
    make_gui: MakeGui, qtbot: QtBot, tmp_path: Path, ptys: list[Pty]
) -> None:
    first = Pty.open()
    ptys.append(first)
    link = tmp_path / "scanner"
    link.symlink_to(first.path)
    gui = make_gui("en", settings=serial_settings(link))
    (source,) = gui.sources
    assert isinstance(source, SerialScanSource)
    (status,) = gui.window.device_statuses
    assert status.parent() is not None  # it lives in the status bar
    qtbot.waitUntil(lambda: status.state == "connected", timeout=TIMEOUT_MS)
    assert status.text() == f"Scanner {link}: connected"
    assert status.colour == STATE_COLOURS["connected"]

    with qtbot.waitSignal(gui.window.identify.code_shown, timeout=TIMEOUT_MS):
        first.write(EXPIRY_SCAN + b"\r\n")
    scan = gui.window.identify.last_scan
    assert scan is not None
    assert scan.raw == EXPIRY_SCAN
    assert scan.source == f"serial:{link}"
    assert gui.window.identify.key_fields.value("expiry") == "2026-12-31"

    first.close()  # unplug: the reader's next read fails
    qtbot.waitUntil(lambda: status.state == "disconnected", timeout=TIMEOUT_MS)
    assert status.text() == f"Scanner {link}: disconnected – retrying"
    assert status.colour == STATE_COLOURS["disconnected"]
    assert status.last_error
    assert "Last error:" in status.toolTip()

    second = Pty.open()  # replug: a new device under the same configured path
    ptys.append(second)
    link.unlink()
    link.symlink_to(second.path)
    qtbot.waitUntil(lambda: status.state == "connected", timeout=TIMEOUT_MS)
    assert status.colour == STATE_COLOURS["connected"]
    with qtbot.waitSignal(gui.window.identify.code_shown, timeout=TIMEOUT_MS):
        second.write(b"+A123BJC5D6E71G\r")
    last = gui.window.identify.last_scan
    assert last is not None
    assert last.raw == b"+A123BJC5D6E71G"

    gui.stop_devices()  # what quitting does
    assert not source.running
    qtbot.waitUntil(lambda: status.state == "stopped", timeout=TIMEOUT_MS)
    assert status.text() == f"Scanner {link}: stopped"


class FakeStatefulSource:
    """Calls its listeners from whatever thread the test uses (as a device thread would)."""

    name = "cam<0>"

    def __init__(self) -> None:
        self.state_listeners: list[object] = []
        self.error_listeners: list[object] = []

    def on_state(self, callback: object) -> None:
        self.state_listeners.append(callback)

    def on_error(self, callback: object) -> None:
        self.error_listeners.append(callback)


def shows(status: DeviceStatus, text: str) -> bool:
    return status.text() == text


def test_status_widget_words_colours_and_plain_text_tooltip(qtbot: QtBot) -> None:
    source = FakeStatefulSource()
    bridge = DeviceStateBridge(source)
    status = DeviceStatus("camera", source.name)
    qtbot.addWidget(status)
    status.follow(bridge)
    assert status.text() == "Camera cam<0>: stopped"
    for state, words in [
        ("connecting", "connecting…"),
        ("connected", "connected"),
        ("disconnected", "disconnected – retrying"),
        ("finished", "finished (end of the video)"),
        ("jammed", "jammed"),  # a state this widget does not know is shown as is
    ]:
        bridge._on_state(state, None)  # delivered later, on the GUI thread
        expected = f"Camera cam<0>: {words}"
        qtbot.waitUntil(partial(shows, status, expected), timeout=3000)
    assert status.colour == STATE_COLOURS["stopped"]  # unknown state: grey
    bridge._on_error("line too long, discarded 9000 bytes <b>")
    qtbot.waitUntil(lambda: status.last_error is not None, timeout=3000)
    assert status.last_error == "line too long, discarded 9000 bytes <b>"
    assert "&lt;b&gt;" in status.toolTip()  # escaped: never rendered as markup
    assert "cam&lt;0&gt;" in status.toolTip()
