"""Who is at the station: sign-in, activity, idle timeout, lock, sign-out and badge changes.

The :class:`SessionGuard` owns the window's side of a login session
(:class:`station.auth.session.Session` decides; this shows and records):

* nobody signed in → the sign-in page, and the navigation shows no role screen;
* every key press, click and scan is activity (:meth:`Session.touch`);
* a timer notices the end of a session (idle timeout, 12 h cap, deactivation, lockout or a
  role change, which the session finds out by re-reading its user) and goes back to sign-in;
* Lock (Ctrl+L) and Sign out end it at once;
* a badge scan: the signed-in user's own badge is activity; another user's badge ends the
  session and starts that user's sign-in (P11-U3). A badge never reaches a screen.

Every end is recorded once in the audit trail (``logout`` with the reason) on the writer.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from station.access import NotAuthenticatedError
from station.auth.records import user_by_badge
from station.auth.session import Session
from ui.qt import (
    QAction,
    QEvent,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QObject,
    QPushButton,
    Qt,
    QTimer,
    QWidget,
)
from ui.screens.words import role_titles
from ui.tasks import StationOp
from ui.views.sign_in import SignInPage, badge_text

if TYPE_CHECKING:
    from station.scanning.raw import RawScan
    from ui.views.main_window import MainWindow
    from ui.workstation import LoginSession, Workstation

_log = logging.getLogger(__name__)

__all__ = ["SessionGuard", "UserBar"]

#: How often the guard looks whether the session has ended on its own (idle, cap, revoked).
CHECK_INTERVAL_MS = 1000
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class UserBar(QWidget):
    """Who is signed in, with Lock and Sign out; empty while nobody is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userBar")
        self.who = QLabel(self)
        self.who.setObjectName("signedInUser")
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.lock_button = QPushButton(self.tr("&Lock"), self)
        self.lock_button.setObjectName("lockButton")
        self.sign_out_button = QPushButton(self.tr("Sign &out"), self)
        self.sign_out_button.setObjectName("signOutButton")
        for button in (self.lock_button, self.sign_out_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the screen
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        layout.addWidget(self.who)
        layout.addWidget(self.lock_button)
        layout.addWidget(self.sign_out_button)
        self.show_user(None)

    def show_user(self, session: LoginSession | None) -> None:
        if not isinstance(session, Session):
            self.who.setText(self.tr("Nobody is signed in"))
            self.lock_button.setEnabled(False)
            self.sign_out_button.setEnabled(False)
            return
        roles = role_titles(session.roles)
        self.who.setText(
            self.tr("{name} ({user}) · {roles}").format(
                name=session.name, user=session.username, roles=roles
            )
        )
        self.lock_button.setEnabled(True)
        self.sign_out_button.setEnabled(True)


class SessionGuard(QObject):
    """Connects the workstation's session to the window (see the module text)."""

    def __init__(self, window: MainWindow, workstation: Workstation, sign_in: SignInPage) -> None:
        super().__init__(window)
        self.window = window
        self.workstation = workstation
        self.sign_in = sign_in
        self.user_bar = UserBar(window)
        window.top_bar.addWidget(self.user_bar)
        window.add_page(sign_in)
        window.scan_filters.append(self.consume_badge)
        sign_in.signed_in.connect(self.started)
        self.user_bar.lock_button.clicked.connect(self.lock)
        self.user_bar.sign_out_button.clicked.connect(self.sign_out)
        self.lock_action = self._action(self.tr("&Lock the station"), "Ctrl+L", self.lock)
        self.sign_out_action = self._action(self.tr("Sign &out"), "Ctrl+Shift+L", self.sign_out)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        window.refresh_permissions(workstation.may)
        self.show_sign_in()

    def _action(self, text: str, keys: str, slot: object) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    @property
    def session(self) -> Session | None:
        current = self.workstation.session
        return current if isinstance(current, Session) else None

    # -- starting and ending -------------------------------------------------------------

    def started(self, session: Session) -> None:
        """A successful sign-in: the user's screens, the first one they may use."""
        self.workstation.set_session(session)
        self.window.refresh_permissions(self.workstation.may)
        self.user_bar.show_user(session)
        self.lock_action.setEnabled(True)
        self.sign_out_action.setEnabled(True)
        for screen_id in self.window.screens:
            if self.window.show_screen(screen_id):
                return
        self.window.show_identify()

    def show_sign_in(self, message: str = "") -> None:
        self.sign_in.reset(message)
        self.user_bar.show_user(None)
        self.lock_action.setEnabled(False)
        self.sign_out_action.setEnabled(False)
        self.window.show_page(self.sign_in, self.tr("UDI Station — Sign in"))

    def end(self, reason_text: str) -> None:
        """The session has ended (the session knows why): record it, back to sign-in."""
        session = self.session
        self.workstation.set_session(None)
        self.window.refresh_permissions(self.workstation.may)
        if session is not None:
            StationOp(self, self.workstation.store.writer, session.record_end).failure(
                lambda error: _log.error("the end of a session was not recorded: %s", error)
            ).run()
        self.show_sign_in(reason_text)

    def lock(self) -> None:
        if (session := self.session) is not None:
            session.lock()
            self.end(self.tr("LOCKED — sign in again"))

    def sign_out(self) -> None:
        session = self.session
        if session is None:
            return
        self.workstation.set_session(None)

        def logout(conn: Connection) -> None:
            session.logout(conn)

        StationOp(self, self.workstation.store.writer, logout).failure(
            lambda error: _log.error("the sign-out was not recorded: %s", error)
        ).run()
        self.window.refresh_permissions(self.workstation.may)
        self.show_sign_in(self.tr("SIGNED OUT — scan your badge"))

    def poll(self) -> None:
        """The timer: has the session ended by itself (idle, cap, revoked, roles changed)?"""
        session = self.session
        if session is None:
            return
        try:
            session.check()
        except NotAuthenticatedError:
            reason = session.end_reason or ""
            self.end(self._words(reason))

    def _words(self, reason: str) -> str:
        words = {
            "idle": self.tr("IDLE TIMEOUT — sign in again"),
            "cap": self.tr("SESSION OVER 12 HOURS — sign in again"),
            "deactivated": self.tr("YOUR USER WAS DEACTIVATED"),
            "locked_out": self.tr("YOUR USER IS LOCKED — ask an administrator"),
            "roles_changed": self.tr("YOUR ROLES CHANGED — sign in again"),
            "other_badge": self.tr("ANOTHER BADGE — enter the PIN"),
            "lock": self.tr("LOCKED — sign in again"),
        }
        return words.get(reason, self.tr("SIGN IN — scan your badge"))

    # -- activity and badges -------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _ACTIVITY and (session := self.session) is not None:
            # An ended session raises here; the timer ends it on the GUI thread's next tick.
            with contextlib.suppress(NotAuthenticatedError):
                session.touch()
        return super().eventFilter(watched, event)

    def consume_badge(self, scan: RawScan) -> bool:
        """A scan that is a user's badge: activity, or the end of the session and the start
        of the badge owner's sign-in. False for every other scan (it goes to the screen)."""
        badge = badge_text(scan.raw)
        if not badge or len(badge) > 64:
            return False
        with self.workstation.read() as conn:
            owner = user_by_badge(conn, badge)
        if owner is None:
            return False
        session = self.session
        if session is None:
            self.window.show_page(self.sign_in, self.tr("UDI Station — Sign in"))
            self.sign_in.take_badge(badge)
            return True
        if session.badge_scanned(badge):
            return True  # the user's own badge: nothing more
        self.end(self._words("other_badge"))
        self.sign_in.take_badge(badge)
        return True
