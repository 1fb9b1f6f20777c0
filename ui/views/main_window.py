"""The station window: the role screens stacked beside a navigation list, the simulator dock in
demo mode, devices, sync and diagnostics in the status bar.

Every scan, from any source, comes to :meth:`MainWindow.route_scan`, which hands it to the page
on show: the Identify screen, a role screen, or the sign-in page. Each screen opens with its
one key (F1 Identify, F2 goods-in …); the navigation lists only the screens the signed-in
user's roles allow, and the services check the permission again on every write. With a session
guard (a workstation) nothing but the sign-in page works while nobody is signed in, Identify
included (P11-D1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ui.qt import (
    QAction,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QKeySequence,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSignalBlocker,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.screens.base import StationScreen
from ui.views.diagnostics import DiagnosticsIndicator
from ui.views.identify import IdentifyView
from ui.views.sim_panel import SimulatedScannerPanel
from ui.widgets.navigation import SHORTCUT_ROLE, NavigationDelegate
from ui.widgets.page_stack import PageStack

if TYPE_CHECKING:
    from drivers.probe import LibraryStatus
    from drivers.simulated.scanner import SimulatedScanner
    from station.scanning.raw import RawScan
    from ui.widgets.device_status import DeviceStatus
    from ui.widgets.sync_status import SyncStatusWidget


@dataclass(frozen=True)
class ScreenSpec:
    """What the navigation needs of a role screen before it exists; ``build`` makes it on
    first use (its code and widgets cost start-up time only when someone opens it)."""

    screen_id: str
    shortcut: str
    permission: str | tuple[str, ...] | None
    title: str
    build: Callable[[], StationScreen]


class _Screens(Mapping[str, StationScreen]):
    """``window.screens``: every role screen by id, in navigation order, built on access."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def __getitem__(self, screen_id: str) -> StationScreen:
        return self._window.screen_for(screen_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._window.specs)

    def __len__(self) -> int:
        return len(self._window.specs)


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
        self._build_pages()
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
            # Ctrl+F9: F9 opens the QC bench; the simulator is a demo and developer tool.
            toggle.setShortcut(QKeySequence("Ctrl+F9"))
            self._view_menu().addAction(toggle)
        self.identify.setFocus()

    def _build_pages(self) -> None:
        """Navigation at the left, the top bar (who is signed in) and the page stack."""
        self.pages = PageStack(self)
        self.pages.setObjectName("pages")
        self.pages.addWidget(self.identify)
        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys and scans go to the page
        self.navigation.currentRowChanged.connect(self._navigated)
        self.navigation.setMaximumWidth(240)
        self.navigation.setItemDelegate(NavigationDelegate(self.navigation))
        self.top_bar = QHBoxLayout()
        self.top_bar.setContentsMargins(0, 0, 0, 0)
        central = QWidget(self)
        body = QHBoxLayout()
        body.addWidget(self.navigation)
        # The screens are laid out for a station monitor; on a small one (or beside the
        # camera and simulator docks) they scroll instead of forcing the window wider.
        scroller = QScrollArea(self)
        scroller.setObjectName("pageScroller")
        scroller.setWidget(self.pages)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        body.addWidget(scroller, 1)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 0)
        outer.addLayout(self.top_bar)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)
        #: The role screens' specs by id, in navigation order after Identify; the screens
        #: themselves are made when first shown (``built``), or on access through ``screens``.
        self.specs: dict[str, ScreenSpec] = {}
        self.built: dict[str, StationScreen] = {}
        self.screens: Mapping[str, StationScreen] = _Screens(self)
        self._screen_actions: dict[str, QAction] = {}
        #: Which screens the signed-in user may open (``None``: Identify, anyone signed in);
        #: without a session guard (no workstation) everything the window has is open.
        self._may_open: Callable[[str | tuple[str, ...] | None], bool] = lambda _permission: True
        #: Looked at first for every scan; one returning True has consumed it (badges).
        self.scan_filters: list[Callable[[RawScan], bool]] = []
        self.identify_action = QAction(self.tr("&Identify"), self)
        self.identify_action.setObjectName("identifyAction")
        self.identify_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.identify_action.triggered.connect(self.show_identify)
        self.addAction(self.identify_action)
        self._add_navigation_item(self.tr("Identify"), "F1", None)

    # -- pages

    def _add_navigation_item(self, title: str, shortcut: str, screen_id: str | None) -> None:
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, screen_id)
        item.setData(SHORTCUT_ROLE, shortcut)
        item.setData(
            Qt.ItemDataRole.AccessibleTextRole, f"{title}, {shortcut}" if shortcut else title
        )
        self.navigation.addItem(item)

    def add_screen(self, screen: StationScreen) -> None:
        """Stack a screen that is already made (tests); see :meth:`add_screen_spec`."""
        spec = ScreenSpec(
            screen.screen_id, screen.shortcut, screen.permission, screen.title(), lambda: screen
        )
        self.add_screen_spec(spec)
        self.screen_for(spec.screen_id)

    def add_screen_spec(self, spec: ScreenSpec) -> None:
        """List a screen in the navigation and give it its key; it is made when first shown."""
        self.specs[spec.screen_id] = spec
        self._add_navigation_item(spec.title, spec.shortcut, spec.screen_id)
        action = QAction(spec.title, self)
        action.setObjectName(f"{spec.screen_id}Action")
        if spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
        action.triggered.connect(lambda: self.show_screen(spec.screen_id))
        self.addAction(action)
        self._screen_actions[spec.screen_id] = action
        self.refresh_permissions(self._may_open)

    def screen_for(self, screen_id: str) -> StationScreen:
        """The screen ``screen_id``, made and stacked now if it was not yet."""
        made = self.built.get(screen_id)
        if made is None:
            made = self.specs[screen_id].build()
            self.built[screen_id] = made
            self.pages.addWidget(made)
        return made

    def refresh_permissions(self, may_open: Callable[[str | tuple[str, ...] | None], bool]) -> None:
        """Show and enable only the screens ``may_open(permission)`` allows (UI mirror of the
        services' checks); a screen on show that is no longer allowed gives way to Identify."""
        self._may_open = may_open
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            screen_id = item.data(Qt.ItemDataRole.UserRole)
            permission = None if screen_id is None else self.specs[screen_id].permission
            allowed = may_open(permission)
            item.setHidden(not allowed)
            action = self.identify_action if screen_id is None else self._screen_actions[screen_id]
            action.setEnabled(allowed)
        current = self.pages.currentWidget()
        if isinstance(current, StationScreen) and not may_open(current.permission):
            self.show_identify()

    def show_identify(self) -> bool:
        """Bring Identify to the front; False (nothing changes) when nobody may use the window:
        with a session guard only the sign-in page works signed out (P11-D1)."""
        if not self._may_open(None):
            return False
        self._show_page(self.identify, self.tr("UDI Station — Identify"), None)
        return True

    def show_screen(self, screen_id: str) -> bool:
        """Bring ``screen_id`` to the front; False (nothing changes) if it is not allowed."""
        spec = self.specs.get(screen_id)
        if spec is None or not self._may_open(spec.permission):
            return False
        screen = self.screen_for(screen_id)
        title = self.tr("UDI Station — {screen}").format(screen=screen.title())
        self._show_page(screen, title, screen_id)
        screen.activated()
        return True

    def current_screen_id(self) -> str | None:
        current = self.pages.currentWidget()
        return current.screen_id if isinstance(current, StationScreen) else None

    def _show_page(self, page: QWidget, title: str, screen_id: str | None) -> None:
        self.pages.setCurrentWidget(page)
        self.setWindowTitle(title)
        for row in range(self.navigation.count()):
            if self.navigation.item(row).data(Qt.ItemDataRole.UserRole) == screen_id:
                with QSignalBlocker(self.navigation):
                    self.navigation.setCurrentRow(row)
                break
        page.setFocus()

    def _navigated(self, row: int) -> None:
        if row < 0:
            return
        screen_id = self.navigation.item(row).data(Qt.ItemDataRole.UserRole)
        if screen_id is None:
            self.show_identify()
        else:
            self.show_screen(screen_id)

    def add_page(self, page: QWidget) -> None:
        """A page outside the navigation (the sign-in page), shown with :meth:`show_page`."""
        self.pages.addWidget(page)

    def show_page(self, page: QWidget, title: str) -> None:
        self._show_page(page, title, "")

    def route_scan(self, scan: RawScan) -> None:
        """Every scan from every source: first to the scan filters (a badge scan is the
        session's business, never a screen's), then to the page on show."""
        for consumed in self.scan_filters:
            if consumed(scan):
                return
        current = self.pages.currentWidget()
        handler = getattr(current, "handle_scan", None)
        if callable(handler):
            handler(scan)
        else:
            self.identify.handle_scan(scan)

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

    def add_alarm_bar(self, bar: QWidget) -> None:
        """A bar across the top of the window, above every page (the security alarm)."""
        central = self.centralWidget()
        outer = central.layout() if central is not None else None
        assert isinstance(outer, QVBoxLayout)
        outer.insertWidget(0, bar)

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
