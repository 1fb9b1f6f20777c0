"""Which devices the station runs, built from :class:`station.config.Settings`.

Part of the composition root (``ui/app.py`` calls it): the only place besides ``app.py`` that
builds concrete drivers. ``scanner.kind`` chooses the scanner:

- ``keyboard`` (default): no device thread; the keyboard wedge listens in the window;
- ``serial``: a :class:`SerialScanSource` on ``scanner.port``, plus the wedge;
- ``simulated``: the simulator replaying the demo script, plus the wedge;
- ``none``: no scanner and no wedge (keys are never taken as scans).

The demo (``station --demo``) always runs the simulator and the wedge, whatever the settings say,
so it works on any computer.
"""

from __future__ import annotations

import logging
from typing import Protocol, cast

from drivers.camera.source import CameraScanSource
from drivers.camera.source import CameraSettings as CameraDriverSettings
from drivers.camera.source import build_camera as build_camera_source
from drivers.serial.framing import Framing, Terminator
from drivers.serial.source import SerialScanSource, SerialSettings
from drivers.simulated.camera import SimulatedCamera
from drivers.simulated.scanner import SimulatedScanner
from drivers.simulated.script import ScriptError, ScriptStep, load_script
from station.config import SCANNER_KIND, Settings
from station.errors import ConfigError
from station.ports import ScanSource
from ui.resources import resource_path
from ui.wedge import WedgeConfig

_log = logging.getLogger(__name__)

DEMO_SCANNER_NAME = "demo"
SIMULATED_SCANNER_NAME = "simulated"
DEMO_CAMERA_NAME = "demo"
SIMULATED_CAMERA_NAME = "simulated"
CAMERA_NAME = "camera"


class DeviceSource(ScanSource, Protocol):
    """A scan source with its own thread, which the GUI starts, stops and waits for."""

    @property
    def running(self) -> bool: ...

    def join(self, timeout: float | None = None) -> None: ...


def demo_script() -> list[ScriptStep]:
    path = resource_path("demo", "scans.txt")
    try:
        return load_script(path)
    except (OSError, ScriptError):
        _log.exception("demo script %s could not be read; the simulator starts empty", path)
        return []


def build_serial_source(settings: Settings) -> SerialScanSource:
    """The serial scanner ``scanner.*`` describes (not started)."""
    serial = settings.serial_scanner()
    try:
        framing = Framing(
            terminator=cast("Terminator", serial.terminator),  # checked by the setting's choice
            timeout=serial.timeout,
            prefix=serial.prefix,
            suffix=serial.suffix,
        )
    except ValueError as exc:  # settings validation should have caught it; say where anyway
        raise ConfigError(f"scanner settings: {exc}") from exc
    return SerialScanSource(
        SerialSettings(port=serial.port, baudrate=serial.baudrate, framing=framing),
        name=serial.port,
    )


def build_scan_sources(settings: Settings, demo: bool) -> list[DeviceSource]:
    """The scan sources with a thread of their own (not started); the wedge is separate."""
    if demo:
        return [SimulatedScanner(DEMO_SCANNER_NAME, demo_script())]
    kind = settings.get(SCANNER_KIND)
    if kind == "serial":
        return [build_serial_source(settings)]
    if kind == "simulated":
        return [SimulatedScanner(SIMULATED_SCANNER_NAME, demo_script())]
    return []  # "keyboard" and "none": nothing to start


def build_wedge_config(settings: Settings, demo: bool) -> WedgeConfig | None:
    """How the keyboard wedge tells scans from typing; None when it must not listen at all."""
    if not demo and settings.get(SCANNER_KIND) == "none":
        return None
    return WedgeConfig.from_settings(settings.wedge())


def build_camera(settings: Settings, demo: bool) -> CameraScanSource | None:
    """The camera ``camera.*`` describes (not started), or None for ``camera.kind = "none"``.

    The demo always has the simulated camera (an empty desk until a label is held under it).
    """
    if demo:
        return SimulatedCamera(DEMO_CAMERA_NAME)
    config = settings.camera()
    if config.kind == "none":
        return None
    name = SIMULATED_CAMERA_NAME if config.kind == "simulated" else CAMERA_NAME
    return build_camera_source(CameraDriverSettings.from_config(config), name=name)
