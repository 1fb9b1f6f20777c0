"""What every role screen is given and what it must provide.

A screen is scan-driven: the main window routes every scan (any scanner, the keyboard wedge,
the camera) to :meth:`StationScreen.handle_scan` of the screen on show. Reads open their own
connection on ``env.store.engine``; writes go through the single writer with
:class:`ui.tasks.StationOp`, so the GUI thread never waits for SQLite and "recorded" is
shown only after COMMIT. Every write uses ``env.context()``, the signed-in user's
:class:`~station.context.WriteContext`: it raises ``NotAuthenticatedError`` when nobody is
signed in, and its session check makes the services refuse work once the session has ended.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ui.qt import QWidget

if TYPE_CHECKING:
    from station.context import WriteContext
    from station.persistence.store import Store
    from station.scanning.raw import RawScan
    from ui.feedback import Feedback
    from ui.workstation import LoginSession


@dataclass
class ScreenEnv:
    """The station a screen works on."""

    store: Store
    #: The signed-in user's context (raises ``NotAuthenticatedError`` when nobody is).
    context: Callable[[], WriteContext]
    feedback: Feedback
    #: Optional services a screen may use when the station has them (printing, camera, sync).
    extras: dict[str, object] = field(default_factory=dict)
    #: Called with the new session (or None) whenever someone signs in or the session ends
    #: (sign-out, lock, idle, another badge): a screen forgets the last user's unfinished work.
    session_listeners: list[Callable[[LoginSession | None], None]] = field(default_factory=list)


class StationScreen(QWidget):
    """One role screen. Subclasses set the class attributes and implement ``handle_scan``."""

    #: Stable id (object name, settings, tests): ``goods_in``, ``trace`` …
    screen_id: ClassVar[str] = ""
    #: The one key that opens it, as ``QKeySequence`` text: ``"F2"`` …
    shortcut: ClassVar[str] = ""
    #: The permission needed to open it (``station.access``), or a tuple of which any one
    #: will do (the QC bench: inspectors record, QA releases); ``None``: anyone signed in.
    permission: ClassVar[str | tuple[str, ...] | None] = None

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.setObjectName(f"{self.screen_id}Screen")

    def title(self) -> str:
        """The translated name shown in the navigation and window title."""
        raise NotImplementedError

    def handle_scan(self, scan: RawScan) -> None:
        """One scan for this screen (on the GUI thread)."""
        raise NotImplementedError

    def activated(self) -> None:
        """Called each time the screen is shown: refresh what may have changed meanwhile."""
