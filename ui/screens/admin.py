"""The Admin screen (管理, Ctrl+F12): users, label templates, devices and printers, settings.

Every signed-in user may open it; each tab is enabled only for the permission it needs, and
the services check the permission again on every write (``docs/access.md``):

=====================  ==========================================  ==============================
tab                    needs                                       module
=====================  ==========================================  ==============================
Users                  ``user.manage``                             :mod:`ui.screens.admin_users`
Label templates        ``label.approve`` or ``label.edit``         :mod:`ui.screens.admin_templates`
Devices and printers   — (a test print: ``settings.manage``)       :mod:`ui.screens.admin_devices`
Settings               ``settings.manage``                         :mod:`ui.screens.admin_settings`
=====================  ==========================================  ==============================

The permissions are read again each time the screen is shown (:meth:`AdminScreen.activated`),
so a role taken away disables its tab at the next visit. Alt+1 … Alt+4 (and Ctrl+Tab) switch
tabs. A scan goes into the new user's badge field while the Users tab is on show (into the
selected user's new badge while its *Issue badge* panel is open); elsewhere it is not used, and
the screen says so.
"""

from __future__ import annotations

from station.access import (
    LABEL_APPROVE,
    LABEL_EDIT,
    SETTINGS_MANAGE,
    USER_MANAGE,
    NotAuthenticatedError,
    allowed,
)
from station.context import WriteContext
from station.scanning.raw import RawScan
from ui.qt import QAction, QKeySequence, Qt, QTabWidget, QVBoxLayout, QWidget
from ui.screens.admin_common import plain_label
from ui.screens.admin_devices import DevicesTab
from ui.screens.admin_settings import SettingsTab
from ui.screens.admin_templates import TemplatesTab
from ui.screens.admin_users import UsersTab
from ui.screens.base import ScreenEnv, StationScreen

__all__ = ["AdminScreen", "badge_text"]

USERS, TEMPLATES, DEVICES, SETTINGS = range(4)


def badge_text(scan: RawScan) -> str:
    """The badge number in a scan, read exactly as the sign-in page reads it (its
    ``badge_text``: UTF-8, the AIM identifier and surrounding blanks removed), so that the
    badge enrolled here is the badge that signs in. A test keeps the two rules equal.

    >>> from datetime import UTC, datetime
    >>> badge_text(RawScan(b"]C0B-1001\\r", "wedge", datetime.now(UTC)))
    'B-1001'
    """
    text = scan.raw.decode("utf-8", errors="replace").strip()
    if len(text) > 3 and text[0] == "]":
        text = text[3:]
    return text.strip()


class AdminScreen(StationScreen):
    """See the module docstring."""

    screen_id = "admin"
    shortcut = "Ctrl+F12"
    permission = None

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.heading = plain_label(self.tr("Administration"), self, name="adminHeading", bold=True)
        self.note = plain_label("", self, name="adminNote")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("adminTabs")
        self.users = UsersTab(env, self.tabs)
        self.templates = TemplatesTab(env, self.tabs)
        self.devices = DevicesTab(env, self.tabs)
        self.settings = SettingsTab(env, self.tabs)
        self.tabs.addTab(self.users, self.tr("Users"))
        self.tabs.addTab(self.templates, self.tr("Label templates"))
        self.tabs.addTab(self.devices, self.tr("Devices and printers"))
        self.tabs.addTab(self.settings, self.tr("Settings"))
        self.tabs.setTabToolTip(USERS, self.tr("Needs the right to manage users."))
        self.tabs.setTabToolTip(
            TEMPLATES, self.tr("Needs the right to edit or approve label templates.")
        )
        self.tabs.setTabToolTip(SETTINGS, self.tr("Needs the right to change station settings."))
        for index in range(self.tabs.count()):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Alt+{index + 1}"))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False, i=index: self.show_tab(i))
            self.addAction(action)
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)

    def title(self) -> str:
        return self.tr("Admin")

    # -- permissions ----------------------------------------------------------------------

    def _context(self) -> WriteContext | None:
        try:
            return self.env.context()
        except NotAuthenticatedError:
            return None

    def tab_allowed(self, ctx: WriteContext | None) -> list[bool]:
        """Which tabs ``ctx`` may use, in tab order."""
        if ctx is None:
            return [False, False, False, False]
        return [
            allowed(ctx, USER_MANAGE),
            allowed(ctx, LABEL_APPROVE) or allowed(ctx, LABEL_EDIT),
            True,
            allowed(ctx, SETTINGS_MANAGE),
        ]

    def activated(self) -> None:
        """Enable the tabs the signed-in user may use and read what they show afresh."""
        ctx = self._context()
        enabled = self.tab_allowed(ctx)
        for index, on in enumerate(enabled):
            self.tabs.setTabEnabled(index, on)
        self.note.setText(
            self.tr("Sign in to use this screen.")
            if ctx is None
            else self.tr(
                "Signed in as {user}. Greyed-out tabs need a right you do not hold."
            ).format(user=ctx.actor_name or ctx.actor or "")
        )
        if not enabled[self.tabs.currentIndex()]:
            first = next((i for i, on in enumerate(enabled) if on), None)
            if first is not None:
                self.tabs.setCurrentIndex(first)
        if enabled[USERS]:
            self.users.refresh()
        if enabled[TEMPLATES]:
            self.templates.refresh()
        if enabled[DEVICES]:
            self.devices.refresh()
        if enabled[SETTINGS]:
            self.settings.refresh()
        else:
            self.settings.form_widget.setEnabled(False)

    def show_tab(self, index: int) -> None:
        if self.tabs.isTabEnabled(index):
            self.tabs.setCurrentIndex(index)

    def _tab_changed(self, index: int) -> None:
        if index == USERS:
            self.users.new_username.setFocus()

    # -- scans ----------------------------------------------------------------------------

    def handle_scan(self, scan: RawScan) -> None:
        if self.tabs.currentIndex() == USERS and self.tabs.isTabEnabled(USERS):
            self.users.badge_scanned(badge_text(scan))
            return
        self.env.feedback.warning(self.tr("Scans are used here only for badges, on the Users tab."))
