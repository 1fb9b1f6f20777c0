"""The sign-in page: badge + PIN, or user name + password; first run creates the administrator.

Shown whenever nobody is signed in (at start, after sign-out, idle timeout, a screen lock or
another badge). Scans come here while it is up: a badge scan fills the badge and moves to the
PIN. The secret fields are masked, with copy, drag and input methods off (AUTH-5); they are
cleared after every attempt, and the secret is never logged or kept (P11-U4).

Each attempt runs on the database writer (:class:`~station.auth.login.Authenticator`), which
records it (attempt row, audit entry, lockout) and returns a session or a refusal; the page
shows the refusal's words, and for an expired or reset secret the change form. A locked badge
(or the station's rate limit) says so and whom to call (P11-U7); the window's security alarm
(``ui/widgets/security_alarm.py``) shows the alarm itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from station.auth.alarms import unlockers
from station.auth.outcome import BadgeCredentials, Credentials, PasswordCredentials, Refusal
from station.auth.session import Session
from station.auth.users import change_secret, create_first_admin, first_run_needed
from station.context import WriteContext
from ui.feedback import Outcome
from ui.qt import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.tasks import StationOp
from ui.widgets.outcome_banner import OutcomeBanner
from ui.widgets.plain import form_row, plain_label, secret_field

if TYPE_CHECKING:
    from station.auth.login import Authenticator
    from station.auth.pepper import PepperSource
    from station.scanning.raw import RawScan
    from ui.workstation import Workstation

__all__ = ["SignInPage", "SignInServices", "badge_text"]


def badge_text(raw: bytes) -> str:
    """The badge number in a scan: the AIM identifier and surrounding blanks removed.

    >>> badge_text(b"]C0B-1001\\r")
    'B-1001'
    >>> badge_text(b"  W-7 ")
    'W-7'
    """
    text = raw.decode("utf-8", errors="replace").strip()
    if len(text) > 3 and text[0] == "]":
        text = text[3:]
    return text.strip()


@dataclass
class SignInServices:
    """What signing in needs besides the database: the authenticator and the pepper."""

    authenticator: Authenticator
    pepper: PepperSource


class SignInPage(QWidget):
    """Sign in (badge + PIN or user name + password), change an expired secret, or create the
    first administrator. ``signed_in(Session)`` after a successful sign-in."""

    signed_in = Signal(object)

    def __init__(
        self, workstation: Workstation, services: SignInServices, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signInPage")
        self.workstation = workstation
        self.services = services
        self.banner = OutcomeBanner(self)
        self.forms = QStackedWidget(self)
        self._build_sign_in()
        self._build_change()
        self._build_first_admin()
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.forms, 1)
        self._busy = False
        self.reset()

    # -- forms ---------------------------------------------------------------------------

    def _build_sign_in(self) -> None:
        page = QWidget(self)
        form = QFormLayout()
        self.badge = QLineEdit(page)
        self.badge.setObjectName("badge")
        self.badge.setPlaceholderText(self.tr("scan your badge"))
        self.username = QLineEdit(page)
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("or type your user name"))
        self.secret = secret_field(page, "secret")
        self.secret.setPlaceholderText(self.tr("PIN or password"))
        form_row(form, self.tr("&Badge:"), self.badge)
        form_row(form, self.tr("&User name:"), self.username)
        form_row(form, self.tr("&PIN / password:"), self.secret)
        self.sign_in_button = QPushButton(self.tr("&Sign in"), page)
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.submit)
        for line in (self.badge, self.username):
            line.returnPressed.connect(self.secret.setFocus)
        self.secret.returnPressed.connect(self.submit)
        box = QVBoxLayout(page)
        title = plain_label(self.tr("Sign in to record"), page, name="signInTitle", scale=1.6)
        box.addWidget(title)
        box.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.sign_in_button)
        box.addLayout(row)
        self.hint = plain_label("", page, name="signInHint")
        box.addWidget(self.hint)
        box.addStretch(1)
        self.forms.addWidget(page)
        self.sign_in_form = page

    def _build_change(self) -> None:
        page = QWidget(self)
        form = QFormLayout()
        self.change_user = plain_label("", page, name="changeUser")
        self.old_secret = secret_field(page, "oldSecret")
        self.new_secret = secret_field(page, "newSecret")
        self.new_again = secret_field(page, "newSecretAgain")
        form_row(form, self.tr("User:"), self.change_user)
        form_row(form, self.tr("&Current PIN / password:"), self.old_secret)
        form_row(form, self.tr("&New PIN / password:"), self.new_secret)
        form_row(form, self.tr("New, &again:"), self.new_again)
        self.change_button = QPushButton(self.tr("&Change and sign in"), page)
        self.change_button.setObjectName("changeButton")
        self.change_button.clicked.connect(self.submit_change)
        self.new_again.returnPressed.connect(self.submit_change)
        cancel = QPushButton(self.tr("Cancel"), page)
        cancel.clicked.connect(self.reset)
        box = QVBoxLayout(page)
        box.addWidget(plain_label(self.tr("Your PIN or password must be changed first."), page))
        box.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.change_button)
        box.addLayout(row)
        box.addStretch(1)
        self.forms.addWidget(page)
        self.change_form = page
        self._change_for: Credentials | None = None

    def _build_first_admin(self) -> None:
        page = QWidget(self)
        form = QFormLayout()
        self.admin_username = QLineEdit(page)
        self.admin_username.setObjectName("adminUsername")
        self.admin_name = QLineEdit(page)
        self.admin_name.setObjectName("adminName")
        self.admin_password = secret_field(page, "adminPassword")
        self.admin_again = secret_field(page, "adminPasswordAgain")
        form_row(form, self.tr("&User name:"), self.admin_username)
        form_row(form, self.tr("&Printed name:"), self.admin_name)
        form_row(form, self.tr("Pass&word:"), self.admin_password)
        form_row(form, self.tr("Password, &again:"), self.admin_again)
        self.create_admin_button = QPushButton(self.tr("&Create administrator"), page)
        self.create_admin_button.setObjectName("createAdminButton")
        self.create_admin_button.clicked.connect(self.submit_first_admin)
        self.admin_again.returnPressed.connect(self.submit_first_admin)
        box = QVBoxLayout(page)
        intro = plain_label(
            self.tr(
                "First start: no administrator exists yet. Create one; the administrator then "
                "adds the other users and their badges (Admin, Ctrl+F12)."
            ),
            page,
        )
        box.addWidget(intro)
        box.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.create_admin_button)
        box.addLayout(row)
        box.addStretch(1)
        self.forms.addWidget(page)
        self.first_admin_form = page

    # -- state ---------------------------------------------------------------------------

    def reset(self, message: str = "") -> None:
        """Back to the sign-in form (or the first-run form when no administrator exists)."""
        for field in (self.secret, self.old_secret, self.new_secret, self.new_again):
            field.clear()
        self.badge.clear()
        self.username.clear()
        self._change_for = None
        with self.workstation.read() as conn:
            first_run = first_run_needed(conn)
        if first_run:
            self.forms.setCurrentWidget(self.first_admin_form)
            self.banner.show_prompt(self.tr("FIRST START — create the administrator"))
            self.admin_username.setFocus()
            return
        self.forms.setCurrentWidget(self.sign_in_form)
        self.banner.show_prompt(message or self.tr("SIGN IN — scan your badge"))
        self.badge.setFocus()

    def set_hint(self, text: str) -> None:
        """A line under the form (the demo lists its users here)."""
        self.hint.setText(text)

    def take_badge(self, badge: str) -> None:
        """A known badge was scanned: fill it in and ask for the PIN."""
        self.reset()
        if self.forms.currentWidget() is not self.sign_in_form:
            return
        self.badge.setText(badge)
        self.banner.show_prompt(self.tr("Badge read — enter your PIN"))
        self.secret.setFocus()

    def handle_scan(self, _scan: RawScan) -> None:
        """Any other scan while nobody is signed in: say what to do (badges never get here:
        the session guard takes them first)."""
        self._refused(
            self.tr(
                "That is not a known badge. Sign in first; F1 Identify reads codes without "
                "signing in."
            )
        )

    # -- actions -------------------------------------------------------------------------

    def _credentials(self) -> Credentials | None:
        secret = self.secret.text()
        badge = self.badge.text().strip()
        username = self.username.text().strip()
        if not secret or not (badge or username):
            return None
        if badge:
            return BadgeCredentials(badge, secret)
        return PasswordCredentials(username, secret)

    def submit(self) -> None:
        credentials = self._credentials()
        self.secret.clear()  # the field never keeps a secret after an attempt
        if credentials is None:
            self._refused(self.tr("Scan your badge (or type your user name) and your PIN."))
            return
        self._login(credentials)

    def _login(self, credentials: Credentials) -> None:
        if self._busy:
            return
        self._busy = True
        auth = self.services.authenticator
        StationOp(
            self, self.workstation.store.writer, lambda c: auth.login(c, credentials)
        ).success(lambda outcome: self._logged_in(outcome, credentials)).failure(self._failed).run()

    def _logged_in(self, outcome: Session | Refusal, credentials: Credentials) -> None:
        self._busy = False
        if isinstance(outcome, Session):
            self.workstation.feedback.accepted()
            self.reset()
            self.signed_in.emit(outcome)
            return
        if outcome.code in ("expired", "must_change"):
            self._change_for = credentials
            self.change_user.setText(outcome.username or "")
            self.forms.setCurrentWidget(self.change_form)
            self.banner.show_outcome(Outcome.WARNING, self.tr("CHANGE YOUR PIN"), outcome.message)
            self.old_secret.setFocus()
            return
        if outcome.code in ("locked", "rate_limited"):
            self._locked_out(outcome, credentials)
            return
        detail = self.refusal_text(outcome)
        if outcome.wait_seconds > 0:
            detail = self.tr("{reason} (wait {seconds} s)").format(
                reason=detail, seconds=f"{outcome.wait_seconds:.0f}"
            )
        self._refused(detail)

    def refusal_text(self, refusal: Refusal) -> str:
        """The refusal in the operator's language (the auth module's words are English)."""
        words = {
            "unknown": self.tr("Unknown badge or user name."),
            "wrong_secret": self.tr("Wrong PIN or password."),
            "inactive": self.tr("This user is deactivated."),
            "locked": self.tr("This user is locked after failed attempts: ask an administrator."),
            "wait": self.tr("Too soon after a failed attempt."),
            "rate_limited": self.tr("Too many failed attempts at this station."),
            "no_secret": self.tr("No PIN or password is set for this user at this station."),
            "use_badge": self.tr("This user signs in with a badge and PIN."),
            "expired": self.tr("The PIN or password has expired: change it first."),
            "must_change": self.tr("An administrator reset the PIN: change it first."),
            "stale_user_list": self.tr(
                "The user list from the ERP is too old: a supervisor must confirm the sign-in."
            ),
            "bad_confirmation": self.tr("The confirmation is not valid."),
            "other_user": self.tr("That badge belongs to someone else."),
            "session_ended": self.tr("The session has ended: sign in again."),
        }
        return words.get(refusal.code, refusal.message)

    def _locked_out(self, refusal: Refusal, credentials: Credentials) -> None:
        """A locked badge or the station's rate limit: say so, and whom to call."""
        with self.workstation.read() as conn:
            names = ", ".join(f"{name} ({user})" for user, name in unlockers(conn))
        call = names or self.tr("an administrator")
        if refusal.code == "rate_limited":
            headline = self.tr("STATION BLOCKED")
            detail = self.tr(
                "Too many failed sign-ins at this station: wait {seconds} s. If it goes on, "
                "call an administrator: {names}."
            ).format(seconds=f"{refusal.wait_seconds:.0f}", names=call)
        else:
            who = (
                credentials.badge
                if isinstance(credentials, BadgeCredentials)
                else credentials.username
            )
            headline = self.tr("BADGE LOCKED")
            detail = self.tr(
                "{who} is locked after too many failed attempts; the correct PIN is refused "
                "too. Call an administrator to unlock it: {names}."
            ).format(who=who, names=call)
        self.workstation.feedback.refused(detail)
        self.banner.show_outcome(Outcome.REFUSED, headline, detail)
        self.secret.setFocus()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self._refused(str(error))

    def _refused(self, detail: str) -> None:
        self.workstation.feedback.refused(detail)
        self.banner.show_outcome(Outcome.REFUSED, self.tr("NOT SIGNED IN"), detail)
        self.secret.setFocus()

    def submit_change(self) -> None:
        credentials = self._change_for
        old, new, again = self.old_secret.text(), self.new_secret.text(), self.new_again.text()
        for field in (self.old_secret, self.new_secret, self.new_again):
            field.clear()
        if credentials is None:
            self.reset()
            return
        if not new or new != again:
            self._refused(self.tr("The new PIN or password and its repetition differ."))
            return
        username = self.change_user.text()
        auth = self.services.authenticator

        def change(conn: Connection) -> Refusal | None:
            return change_secret(conn, auth, username=username, old_secret=old, new_secret=new)

        def changed(outcome: Refusal | None) -> None:
            if outcome is not None:
                self._refused(outcome.message)
                return
            fresh: Credentials = (
                BadgeCredentials(credentials.badge, new)
                if isinstance(credentials, BadgeCredentials)
                else PasswordCredentials(credentials.username, new)
            )
            self._login(fresh)

        StationOp(self, self.workstation.store.writer, change).success(changed).failure(
            self._failed
        ).run()

    def submit_first_admin(self) -> None:
        username = self.admin_username.text().strip()
        name = self.admin_name.text().strip()
        password, again = self.admin_password.text(), self.admin_again.text()
        self.admin_password.clear()
        self.admin_again.clear()
        if not username or not name:
            self._refused(self.tr("Give the administrator a user name and a printed name."))
            return
        if not password or password != again:
            self._refused(self.tr("The password and its repetition differ."))
            return
        workstation = self.workstation
        services = self.services
        ctx = WriteContext(workstation.station, actor=username, actor_name=name)

        def create(conn: Connection) -> None:
            create_first_admin(
                conn,
                ctx,
                username=username,
                name=name,
                secret=password,
                pepper=services.pepper,
                policy=services.authenticator.policy,
            )

        def created(_result: None) -> None:
            self._login(PasswordCredentials(username, password))

        StationOp(self, workstation.store.writer, create).success(created).failure(
            self._failed
        ).run()
