"""Composition root: the only place that builds devices and wires them to the screens.

``run_gui`` is what ``station`` (and ``station --demo``) calls. :func:`build_gui` does the
wiring without entering the event loop, for tests and the screenshot tool.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from drivers.camera.source import CameraScanSource
from drivers.probe import probe_all
from drivers.simulated.camera import SimulatedCamera
from drivers.simulated.scanner import SimulatedScanner
from station.auth.pepper import PepperSource
from station.config import FEEDBACK_SOUND, UI_LANGUAGE, Settings, load_settings
from station.demo.catalogue import COMPANY_PREFIX
from station.errors import ConfigError, StationError
from station.scanning.raw import RawScan
from ui.bridges import DeviceStateBridge, ScannerBridge, has_state
from ui.camera import CameraBridge
from ui.devices import (
    DEMO_SCANNER_NAME,
    DeviceSource,
    build_camera,
    build_scan_sources,
    build_wedge_config,
    demo_script,
)
from ui.feedback import SoundPlayer, SystemPlayer
from ui.fonts import apply_ui_font
from ui.i18n import install_translators, remove_translators, resolve_language
from ui.qt import QApplication, QCoreApplication, QTimer, QTranslator
from ui.screens.words import role_titles
from ui.sync_setup import DemoSyncStation
from ui.views.camera_panel import CameraPanel
from ui.views.main_window import MainWindow
from ui.views.sync_screen import SyncScreen
from ui.wedge import WedgeListener
from ui.widgets.device_status import DeviceStatus
from ui.widgets.sync_status import SyncStatusWidget
from ui.work_wiring import WorkWiring, wire_work
from ui.workstation import Workstation, open_workstation

if TYPE_CHECKING:
    from ui.print_setup import DemoPrintStation
    from ui.views.label_print import LabelPrintDialog

_log = logging.getLogger(__name__)

__all__ = ["APP_NAME", "DEMO_SCANNER_NAME", "StationGui", "build_gui", "demo_script", "run_gui"]

APP_NAME = "UDI Station"
#: How long shutdown waits for each device thread.
DEVICE_JOIN_SECONDS = 2.0
#: How long a discarded-scan message stays in the status bar.
STATUS_MESSAGE_MS = 8000
#: The demo starts its sync (reference ERP, engine) this long after the window is built.
DEMO_SYNC_DELAY_MS = 2000


@dataclass
class StationGui:
    """Everything :func:`build_gui` made, so it can be shown, driven and shut down."""

    app: QApplication
    language: str
    window: MainWindow
    wedge: WedgeListener
    #: Every started scan source with a thread (simulated, serial), in start order.
    sources: list[DeviceSource] = field(default_factory=list)
    bridges: list[ScannerBridge] = field(default_factory=list)
    state_bridges: list[DeviceStateBridge] = field(default_factory=list)
    camera_bridges: list[CameraBridge] = field(default_factory=list)
    translators: list[QTranslator] = field(default_factory=list)
    wedge_installed: bool = True
    settings: Settings = field(default_factory=Settings)
    #: The demo's label printing (store and simulated printer, opened by the dialog on use).
    print_station: DemoPrintStation | None = None
    label_dialog: LabelPrintDialog | None = None
    #: The ERP sync in the status bar ("ERP: not configured" outside the demo).
    sync_status: SyncStatusWidget | None = None
    #: The demo's sync (reference ERP and engine over the label demo's store, made on use).
    sync_station: DemoSyncStation | None = None
    sync_screen: SyncScreen | None = None
    #: The open station database (``station``, ``station --demo``); None: Identify only.
    workstation: Workstation | None = None
    #: Sign-in, session guard and role screens on the workstation.
    work: WorkWiring | None = None

    @property
    def scanners(self) -> list[SimulatedScanner]:
        """The simulated scanners among the sources (the demo's twin drives the sim panel)."""
        return [s for s in self.sources if isinstance(s, SimulatedScanner)]

    def stop_printing(self) -> None:
        """Cancel a running print job, stop the simulated printer, close the demo store."""
        if self.label_dialog is not None:
            self.label_dialog.shutdown(DEVICE_JOIN_SECONDS)
        if self.print_station is not None:
            try:
                self.print_station.close()
            except Exception:  # the devices must still be stopped
                _log.exception("the demo print station failed to close")

    def stop_sync(self) -> None:
        """Stop the demo's sync engine and reference ERP (before the store they share closes)."""
        if self.sync_screen is not None:
            self.sync_screen.shutdown(DEVICE_JOIN_SECONDS)
        if self.sync_station is not None:
            try:
                self.sync_station.close()
            except Exception:  # printing and the devices must still be stopped
                _log.exception("the demo sync station failed to close")

    def stop_devices(self) -> None:
        """Stop every device thread, then wait for each (all are asked first, so they overlap).

        The sync uses the print demo's store, and a print run the camera: sync stops first,
        then printing.
        """
        self.stop_sync()
        self.stop_printing()
        for source in self.sources:
            try:
                source.stop()
            except Exception:  # one failing device must not keep the others running
                _log.exception("device %s failed to stop", source.name)
        for source in self.sources:
            source.join(DEVICE_JOIN_SECONDS)
            if source.running:
                _log.error("device %s did not stop within %.0f s", source.name, DEVICE_JOIN_SECONDS)

    def shutdown(self) -> None:
        """Stop the screens, devices and sync, and close the station database (at quit); the
        window stays until :meth:`close`. Safe to call twice."""
        if self.work is not None:
            self.app.removeEventFilter(self.work.guard)
            self.work.guard.timer.stop()
            self.work.shutdown()
        self.stop_devices()
        if self.workstation is not None:
            workstation, self.workstation = self.workstation, None
            try:
                workstation.close()
            except Exception:  # the window must still close
                _log.exception("the station database did not close cleanly")

    def close(self) -> None:
        """Undo :func:`build_gui` (tests build several windows in one process)."""
        self.shutdown()
        if self.wedge_installed:
            self.app.removeEventFilter(self.wedge)
            self.wedge_installed = False
        remove_translators(self.translators)
        self.window.close()
        self.window.deleteLater()


def application() -> QApplication:
    """The running QApplication, created on first use."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])  # the station's own options are not Qt's
    app.setApplicationName(APP_NAME)
    return app


def build_gui(
    app: QApplication,
    demo: bool,
    language: str | None,
    settings: Settings | None = None,
    *,
    workstation: Workstation | None = None,
    player: SoundPlayer | None = None,
    settings_file: Path | None = None,
    pepper: PepperSource | None = None,
) -> StationGui:
    """Translations, fonts, devices, window and bridges; devices are started, nothing shown.

    ``settings`` defaults to all defaults (tests, screenshots); :func:`run_gui` loads the file.
    With a ``workstation`` (or in the demo, which opens its own) the window gets the sign-in,
    the session guard and the role screens; without one it is the Identify screen alone.
    ``player`` plays the feedback sounds of a demo workstation (default: the system's);
    ``pepper`` keys the secrets (default: the OS keyring's; the demo has its own).
    """
    settings = settings or Settings()
    chosen = resolve_language(language)
    translators = install_translators(chosen)
    apply_ui_font(app, chosen)
    sources = build_scan_sources(settings, demo)
    simulators = [s for s in sources if isinstance(s, SimulatedScanner)]
    window = MainWindow(probe_all(), simulator=simulators[0] if simulators else None)

    wedge_config = build_wedge_config(settings, demo)
    wedge = WedgeListener(window, wedge_config)
    wedge.scanned.connect(window.route_scan)
    wedge.discarded.connect(
        lambda message: window.statusBar().showMessage(message, STATUS_MESSAGE_MS)
    )
    if wedge_config is not None:
        app.installEventFilter(wedge)

    gui = StationGui(
        app,
        chosen,
        window,
        wedge,
        sources,
        translators=translators,
        wedge_installed=wedge_config is not None,
        settings=settings,
    )
    for source in sources:
        bridge = ScannerBridge(source, window)
        bridge.connect_to(window.route_scan)
        gui.bridges.append(bridge)
        if has_state(source):
            state_bridge = DeviceStateBridge(source, window)
            status = DeviceStatus("scanner", source.name, str(getattr(source, "state", "")))
            status.follow(state_bridge)
            window.add_device_status(status)
            gui.state_bridges.append(state_bridge)
    if workstation is None and demo:
        workstation = open_demo_workstation(player if player is not None else SystemPlayer())
    gui.workstation = workstation
    camera = build_camera(settings, demo)
    if camera is not None:
        _wire_camera(gui, camera)
    if demo:
        _wire_label_printing(gui, camera)
    _wire_sync(gui, demo)
    if workstation is not None:
        _wire_work(gui, workstation, demo=demo, settings_file=settings_file, pepper=pepper)
    for source in gui.sources:
        source.start()
    return gui


def open_demo_workstation(player: SoundPlayer | None) -> Workstation:
    """A fresh copy of the demo database (:mod:`ui.demo_station`), removed at close."""
    from ui.demo_station import DEMO_STATION, fresh_demo_copy  # noqa: PLC0415 - demo only

    folder, path = fresh_demo_copy()
    try:
        workstation = open_workstation(Settings(), path, player, station=DEMO_STATION)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    workstation.on_close.append(lambda: shutil.rmtree(folder, ignore_errors=True))
    return workstation


def _wire_work(
    gui: StationGui,
    workstation: Workstation,
    *,
    demo: bool,
    settings_file: Path | None,
    pepper: PepperSource | None,
) -> None:
    """Sign-in, session guard and the role screens; the demo lists its users to sign in."""
    extras: dict[str, object] = {"language": gui.language}
    if gui.print_station is not None:
        extras["printing"] = gui.print_station
    if gui.camera_bridges:
        extras["camera"] = gui.camera_bridges[0]
    if demo:
        extras["sscc_prefix"] = "3" + COMPANY_PREFIX
    open_dialog = _open_print_dialog(gui) if gui.print_station is not None else None
    gui.work = wire_work(
        gui.app,
        gui.window,
        workstation,
        settings=gui.settings,
        pepper=pepper or (_demo_pepper() if demo else None),
        extras=extras,
        settings_file=settings_file,
        open_print_dialog=open_dialog,
    )
    if demo:
        gui.work.sign_in.set_hint(_demo_users_hint())


def _demo_pepper() -> PepperSource:
    from ui.demo_station import DemoPepper  # noqa: PLC0415 - demo only

    return DemoPepper()


def _demo_users_hint() -> str:
    """The demo's users on the sign-in page (type the badge into the badge field, or scan).

    The words are translated (Qt context ``StationDemo``), the users' data is shown as it is
    and their roles by their translated titles."""
    from ui.demo_station import DEMO_USERS  # noqa: PLC0415 - demo only

    heading = QCoreApplication.translate(
        "StationDemo", "Demo — badge or user name · PIN or password · who:"
    )
    lines = [
        QCoreApplication.translate("StationDemo", "{badge} · {secret} · {name} ({roles})").format(
            badge=user.badge or user.username,
            secret=user.secret,
            name=user.name,
            roles=role_titles(user.roles),
        )
        for user in DEMO_USERS
    ]
    return "\n".join([heading, *lines])


def _wire_camera(gui: StationGui, camera: CameraScanSource) -> None:
    """Scans to Identify, frames to the preview dock, state to the status bar; stopped with all."""
    window = gui.window
    bridge = CameraBridge(camera, parent=window)
    bridge.scanned.connect(lambda scan: _camera_scan(gui, scan))
    simulated = camera if isinstance(camera, SimulatedCamera) else None
    window.add_camera_panel(CameraPanel(bridge, simulated, window))
    status = DeviceStatus("camera", camera.name, camera.state.value)
    status.follow(bridge)
    window.add_device_status(status)
    gui.camera_bridges.append(bridge)
    gui.sources.append(camera)


def _camera_scan(gui: StationGui, scan: RawScan) -> None:
    """A camera read goes to the screen on show, except while a print run reads its labels
    back with the camera: those reads are the verifier's, not a scan for the screen."""
    dialog = gui.label_dialog
    if dialog is not None and dialog.running:
        return
    gui.window.route_scan(scan)


def _wire_label_printing(gui: StationGui, camera: CameraScanSource | None) -> None:
    from ui.print_setup import DemoPrintStation  # noqa: PLC0415 - the demo's printing only

    """ "Print labels…" (F6): the dialog and the simulated printer are made on first use. With
    a workstation the labels print on its database as the signed-in user."""
    station = DemoPrintStation(camera, workstation=gui.workstation)
    gui.print_station = station
    gui.window.add_print_action(_open_print_dialog(gui))


def _open_print_dialog(gui: StationGui) -> Callable[[], None]:
    def open_dialog() -> None:
        station = gui.print_station
        if station is None:
            return
        if gui.label_dialog is None:
            from ui.views.label_print import LabelPrintDialog  # noqa: PLC0415 - on first use

            gui.label_dialog = LabelPrintDialog(station, gui.language, gui.window)
            gui.label_dialog.run_finished.connect(lambda _result: _wake_sync(gui))
        gui.label_dialog.show()
        gui.label_dialog.raise_()
        gui.label_dialog.activateWindow()

    return open_dialog


def _wake_sync(gui: StationGui) -> None:
    """A print run recorded events: sync them soon (never blocks)."""
    if gui.sync_station is not None:
        gui.sync_station.wake()


def _wire_sync(gui: StationGui, demo: bool) -> None:
    """The ERP sync in the status bar; in the demo also "Sync with the ERP…" (F7) and the sync
    itself, started on a worker thread shortly after start-up (there is no station store in
    the GUI outside the demo yet: the line says "ERP: not configured")."""
    status = SyncStatusWidget(gui.window)
    gui.window.set_sync_status(status)
    gui.sync_status = status
    if not demo:
        return
    station = DemoSyncStation(gui.print_station)
    gui.sync_station = station
    status.follow(station, delay_ms=DEMO_SYNC_DELAY_MS)

    def open_screen() -> None:
        if gui.sync_screen is None:
            gui.sync_screen = SyncScreen(station, gui.window)
        gui.sync_screen.show()
        gui.sync_screen.raise_()
        gui.sync_screen.activateWindow()

    gui.window.add_sync_action(open_screen)


def run_gui(demo: bool, language: str | None, settings_file: Path | None = None) -> int:
    """Open the station window and run until it is closed; returns the exit status.

    Settings come from ``settings_file`` (default: the station's settings file). A file that
    does not validate stops the start with its reason (devices would run on guesses otherwise),
    except in the demo, which uses no configured device and runs with defaults.
    """
    if settings_file is None:
        from ui.commands.session import default_settings_file  # noqa: PLC0415 - one definition

        settings_file = default_settings_file()
    try:
        settings = load_settings(settings_file)
    except ConfigError as exc:
        if not demo:
            sys.stderr.write(f"station: {exc}\n")
            return 2
        # The demo uses no configured device, so it still opens (and says why it ignores them).
        sys.stderr.write(f"station: {exc}; the demo runs with default settings\n")
        settings = Settings()
    if language is None and settings.get(UI_LANGUAGE) != "system":
        language = settings.get(UI_LANGUAGE)
    app = application()
    workstation = None
    if not demo:
        try:
            workstation = open_workstation(settings, None, _player(settings))
        except StationError as exc:
            sys.stderr.write(f"station: the station database cannot be opened: {exc}\n")
            return 2
    gui = build_gui(
        app,
        demo=demo,
        language=language,
        settings=settings,
        workstation=workstation,
        settings_file=settings_file,
    )
    app.aboutToQuit.connect(gui.shutdown)
    gui.window.resize(1280, 860)
    gui.window.show()
    _announce_ready(app)
    return app.exec()


def _player(settings: Settings) -> SoundPlayer | None:
    return SystemPlayer() if settings.get(FEEDBACK_SOUND) else None


def _announce_ready(app: QApplication) -> None:
    """Measurement hook (``benchmarks/bench_startup.py``): with ``UDI_STATION_ANNOUNCE_READY``
    set, print ``READY`` on stdout once the event loop runs with the window shown (the station
    takes scans from then on), and quit after ``UDI_STATION_QUIT_AFTER_MS`` if that is set."""
    if not os.environ.get("UDI_STATION_ANNOUNCE_READY"):
        return

    def ready() -> None:
        sys.stdout.write("READY\n")
        sys.stdout.flush()
        quit_after = os.environ.get("UDI_STATION_QUIT_AFTER_MS")
        if quit_after:
            QTimer.singleShot(int(quit_after), app.quit)

    QTimer.singleShot(0, ready)
