"""The station window: the Identify screen, the simulator dock in demo mode, diagnostics below."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ui.qt import QAction, QDockWidget, QKeySequence, QMainWindow, QMenu, Qt, QWidget
from ui.views.diagnostics import DiagnosticsIndicator
from ui.views.identify import IdentifyView
from ui.views.sim_panel import SimulatedScannerPanel

if TYPE_CHECKING:
    from drivers.probe import LibraryStatus
    from drivers.simulated.scanner import SimulatedScanner
    from ui.widgets.device_status import DeviceStatus
    from ui.widgets.sync_status import SyncStatusWidget


class MainWindow(QMainWindow):
    def __init__(
        self,
        libraries: Sequence[LibraryStatus],
        simulator: SimulatedScanner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("UDI Station — Identify"))
        self.identify = IdentifyView(self)
        self.setCentralWidget(self.identify)
        self.diagnostics = DiagnosticsIndicator(libraries, self)
        self.statusBar().addPermanentWidget(self.diagnostics)
        self.simulator_panel: SimulatedScannerPanel | None = None
        self.device_statuses: list[DeviceStatus] = []
        self.camera_panel: QWidget | None = None
        self.view_menu: QMenu | None = None

        station_menu = self.menuBar().addMenu(self.tr("&Station"))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        station_menu.addAction(quit_action)
        self._station_menu, self._quit_action = station_menu, quit_action
        self.print_action: QAction | None = None
        self.sync_action: QAction | None = None
        self.sync_status: SyncStatusWidget | None = None
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self._help_menu = help_menu
        diagnostics_action = QAction(self.tr("&Diagnostics…"), self)
        diagnostics_action.setShortcut(QKeySequence(Qt.Key.Key_F12))
        diagnostics_action.triggered.connect(self.diagnostics.open_dialog)
        help_menu.addAction(diagnostics_action)

        if simulator is not None:
            self.simulator_panel = SimulatedScannerPanel(simulator, self)
            dock = QDockWidget(self.tr("Simulated scanner"), self)
            dock.setObjectName("simulatedScannerDock")
            dock.setWidget(self.simulator_panel)
            dock.setFeatures(
                QDockWidget.DockWidgetFeature.DockWidgetClosable
                | QDockWidget.DockWidgetFeature.DockWidgetMovable
            )
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            toggle = dock.toggleViewAction()
            toggle.setShortcut(QKeySequence(Qt.Key.Key_F9))
            self._view_menu().addAction(toggle)
        self.identify.setFocus()

    def add_camera_panel(self, panel: QWidget) -> None:
        """The camera preview, docked at the left; F8 shows or hides it."""
        self.camera_panel = panel
        dock = QDockWidget(self.tr("Camera"), self)
        dock.setObjectName("cameraDock")
        dock.setWidget(panel)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        toggle = dock.toggleViewAction()
        toggle.setShortcut(QKeySequence(Qt.Key.Key_F8))
        # Start narrow: the scan screen beside it is the main work; the dock can be widened.
        self.resizeDocks([dock], [420], Qt.Orientation.Horizontal)
        self._view_menu().addAction(toggle)

    def add_print_action(self, open_dialog: Callable[[], None]) -> QAction:
        """ "Print labels…" (F6) in the Station menu, above Quit."""
        action = QAction(self.tr("&Print labels…"), self)
        action.setObjectName("printLabelsAction")
        action.setShortcut(QKeySequence(Qt.Key.Key_F6))
        action.triggered.connect(open_dialog)
        self._station_menu.insertAction(self._quit_action, action)
        self._station_menu.insertSeparator(self._quit_action)
        self.print_action = action
        return action

    def add_sync_action(self, open_screen: Callable[[], None]) -> QAction:
        """ "Sync with the ERP…" (F7) in the Station menu, above Quit."""
        action = QAction(self.tr("S&ync with the ERP…"), self)
        action.setObjectName("syncAction")
        action.setShortcut(QKeySequence(Qt.Key.Key_F7))
        action.triggered.connect(open_screen)
        self._station_menu.insertAction(self._quit_action, action)
        if self.print_action is None:
            self._station_menu.insertSeparator(self._quit_action)
        self.sync_action = action
        return action

    def set_sync_status(self, status: SyncStatusWidget) -> None:
        """Show the ERP sync in the status bar, after the devices, left of the diagnostics."""
        self.statusBar().insertPermanentWidget(len(self.device_statuses), status)
        self.sync_status = status

    def add_device_status(self, status: DeviceStatus) -> None:
        """Show a device's state in the status bar, left of the library diagnostics."""
        self.statusBar().insertPermanentWidget(len(self.device_statuses), status)
        self.device_statuses.append(status)

    def _view_menu(self) -> QMenu:
        """The View menu (made on first use, left of Help): one entry per dock."""
        if self.view_menu is None:
            self.view_menu = QMenu(self.tr("&View"), self)
            self.menuBar().insertMenu(self._help_menu.menuAction(), self.view_menu)
        return self.view_menu
