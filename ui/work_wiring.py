"""The station at work: the sign-in, the session guard and the role screens on a workstation.

Called by :func:`ui.app.build_gui` when the window has a station database (always for
``station`` and ``station --demo``). The screens are made once and stacked; the navigation
shows the ones the signed-in user may open.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from station.access import (
    AUDIT_VIEW,
    GOODS_IN,
    INSPECTION_RECORD,
    LOT_RELEASE,
    PACK,
    RECALL_RUN,
    SHIP,
    TRACE_VIEW,
)
from station.auth.login import Authenticator
from station.auth.pepper import PepperSource, PepperStore
from station.auth.policy import AuthPolicy
from station.config import SSCC_BLOCK, SSCC_PREFIX, Settings
from ui.qt import QApplication, QCoreApplication
from ui.screens.base import StationScreen
from ui.session_guard import SessionGuard
from ui.views.main_window import ScreenSpec
from ui.views.sign_in import SignInPage, SignInServices
from ui.widgets.security_alarm import SecurityAlarm

if TYPE_CHECKING:
    from ui.screens.base import ScreenEnv
    from ui.views.main_window import MainWindow
    from ui.workstation import Workstation

__all__ = ["SCREENS", "ScreenEntry", "WorkWiring", "screen_class", "wire_work"]


@dataclass(frozen=True)
class ScreenEntry:
    """A role screen as the navigation knows it before its module is imported. The screen's
    own class attributes must agree (``tests/ui/test_sign_in.py`` checks every entry)."""

    module: str
    class_name: str
    screen_id: str
    shortcut: str
    permission: str | tuple[str, ...] | None
    #: The English title; translated in the class's own Qt context (its ``title()``).
    title: str


#: The role screens in navigation order (after Identify). Each is imported and made when it
#: is first opened, so the station is ready to scan sooner.
SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("ui.screens.goods_in", "GoodsInScreen", "goods_in", "F2", GOODS_IN, "Goods-in"),
    ScreenEntry(
        "ui.screens.qc_bench",
        "QcBenchScreen",
        "qc_bench",
        "F9",
        (INSPECTION_RECORD, LOT_RELEASE),
        "QC bench",
    ),
    ScreenEntry("ui.screens.packing", "PackingScreen", "packing", "F3", PACK, "Packing"),
    ScreenEntry("ui.screens.shipping", "ShippingScreen", "shipping", "F4", SHIP, "Shipping"),
    ScreenEntry("ui.screens.trace", "TraceScreen", "trace", "F5", TRACE_VIEW, "Trace"),
    ScreenEntry("ui.screens.recall", "RecallScreen", "recall", "F10", RECALL_RUN, "Recall"),
    ScreenEntry("ui.screens.audit", "AuditScreen", "audit", "F11", AUDIT_VIEW, "Audit"),
    ScreenEntry("ui.screens.admin", "AdminScreen", "admin", "Ctrl+F12", None, "Admin"),
)


def _make_screen(entry: ScreenEntry, env: ScreenEnv, window: MainWindow) -> StationScreen:
    return screen_class(entry)(env, window)


def screen_class(entry: ScreenEntry) -> type[StationScreen]:
    """Import the entry's module and return its screen class."""
    found = getattr(importlib.import_module(entry.module), entry.class_name)
    assert isinstance(found, type)
    assert issubclass(found, StationScreen)
    return found


@dataclass
class WorkWiring:
    """What :func:`wire_work` made, for shutdown and tests."""

    workstation: Workstation
    authenticator: Authenticator
    sign_in: SignInPage
    guard: SessionGuard
    window: MainWindow

    @property
    def screens(self) -> list[StationScreen]:
        """The screens made so far (each is made when first opened)."""
        return list(self.window.built.values())

    def shutdown(self) -> None:
        """Stop the screens' reader threads (before the database closes)."""
        for screen in self.screens:
            stop = getattr(screen, "stop", None)
            if callable(stop):
                stop()


def wire_work(
    app: QApplication,
    window: MainWindow,
    workstation: Workstation,
    *,
    settings: Settings,
    pepper: PepperSource | None = None,
    extras: dict[str, object] | None = None,
    settings_file: Path | None = None,
    open_print_dialog: Callable[[], None] | None = None,
) -> WorkWiring:
    """Sign-in page, session guard (activity filter on the whole application) and screens."""
    chosen_pepper = pepper or PepperStore(workstation.store.path.parent)
    reader = workstation.reader if workstation.reader is not None else workstation.store.engine
    authenticator = Authenticator(
        reader,
        station=workstation.station,
        pepper=chosen_pepper,
        policy=AuthPolicy.from_settings(settings),
    )
    workstation.extras.update(extras or {})
    # What the Admin screen needs to set secrets and show the running settings.
    workstation.extras.setdefault("pepper", chosen_pepper)
    workstation.extras.setdefault("settings", settings)
    workstation.extras.setdefault("auth_policy", authenticator.policy)
    if settings_file is not None:
        workstation.extras.setdefault("settings_file", settings_file)
    if prefix := settings.get(SSCC_PREFIX):
        workstation.extras.setdefault("sscc_prefix", prefix)
        workstation.extras.setdefault("sscc_block", settings.get(SSCC_BLOCK))
    if open_print_dialog is not None:
        workstation.extras.setdefault("open_print_dialog", open_print_dialog)
    sign_in = SignInPage(workstation, SignInServices(authenticator, chosen_pepper), window)
    guard = SessionGuard(window, workstation, sign_in)
    window.add_alarm_bar(SecurityAlarm(workstation, window))  # P11-U7: seen on every page
    app.installEventFilter(guard)
    env: ScreenEnv = workstation.env()
    for entry in SCREENS:
        title = QCoreApplication.translate(entry.class_name, entry.title)
        window.add_screen_spec(
            ScreenSpec(
                entry.screen_id,
                entry.shortcut,
                entry.permission,
                title,
                partial(_make_screen, entry, env, window),
            )
        )
    guard.show_sign_in()
    return WorkWiring(workstation, authenticator, sign_in, guard, window)
