"""The station at work: the sign-in, the session guard and the role screens on a workstation.

Called by :func:`ui.app.build_gui` when the window has a station database (always for
``station`` and ``station --demo``). The screens are made once and stacked; the navigation
shows the ones the signed-in user may open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from station.auth.login import Authenticator
from station.auth.pepper import PepperSource, PepperStore
from station.auth.policy import AuthPolicy
from station.config import SSCC_PREFIX, Settings
from ui.qt import QApplication
from ui.screens.admin import AdminScreen
from ui.screens.audit import AuditScreen
from ui.screens.base import StationScreen
from ui.screens.goods_in import GoodsInScreen
from ui.screens.packing import PackingScreen
from ui.screens.qc_bench import QcBenchScreen
from ui.screens.recall import RecallScreen
from ui.screens.shipping import ShippingScreen
from ui.screens.trace import TraceScreen
from ui.session_guard import SessionGuard
from ui.views.sign_in import SignInPage, SignInServices

if TYPE_CHECKING:
    from ui.screens.base import ScreenEnv
    from ui.views.main_window import MainWindow
    from ui.workstation import Workstation

__all__ = ["SCREENS", "WorkWiring", "wire_work"]

#: The role screens in navigation order (after Identify).
SCREENS: tuple[type[StationScreen], ...] = (
    GoodsInScreen,
    QcBenchScreen,
    PackingScreen,
    ShippingScreen,
    TraceScreen,
    RecallScreen,
    AuditScreen,
    AdminScreen,
)


@dataclass
class WorkWiring:
    """What :func:`wire_work` made, for shutdown and tests."""

    workstation: Workstation
    authenticator: Authenticator
    sign_in: SignInPage
    guard: SessionGuard
    screens: list[StationScreen]

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
    if open_print_dialog is not None:
        workstation.extras.setdefault("open_print_dialog", open_print_dialog)
    sign_in = SignInPage(workstation, SignInServices(authenticator, chosen_pepper), window)
    guard = SessionGuard(window, workstation, sign_in)
    app.installEventFilter(guard)
    env: ScreenEnv = workstation.env()
    screens: list[StationScreen] = []
    for screen_class in SCREENS:
        screen = screen_class(env, window)
        window.add_screen(screen)
        screens.append(screen)
    guard.show_sign_in()
    return WorkWiring(workstation, authenticator, sign_in, guard, screens)
