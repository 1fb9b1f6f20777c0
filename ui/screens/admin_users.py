"""The Admin screen's Users tab (``user.manage``): the access review as a table, add a user,
and for the selected user: roles, deactivate, unlock, reset the PIN or password, issue a new
badge or withdraw a lost one.

Every change goes through :mod:`station.auth.users` on the database writer
(:class:`~ui.tasks.StationOp`) with the signed-in user's context, so the service checks the
permission again and writes the audit entry in the same transaction. Users are never deleted
or renamed (P11-U1): there is no button for either. Secrets are typed twice into masked
fields, taken out of the fields before the write is submitted and never shown, logged or put
into a message (P11-U4). The badge is scanned into its field: the screen routes every scan
to :meth:`UsersTab.badge_scanned` while this tab is on show.

*Issue badge…* opens a panel in the tab (not a dialog: the keyboard wedge reads scans only in
the station window) for the selected user's new badge: scanned (the scan fills it), or typed
twice when it cannot be scanned. The old badge is withdrawn in the same write: it stops
signing in at once and is never issued again (``station.auth.users.issue_badge``). *Withdraw
badge* takes a lost badge away before a new one is at hand (``revoke_badge``). Both record the
reason given.

What the station must provide in ``env.extras`` (else the tab says what is missing):
``"pepper"`` (a :class:`station.auth.pepper.PepperSource`) to set secrets, and
``"auth_policy"`` (:class:`station.auth.policy.AuthPolicy`) or ``"settings"`` for the expiry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection

from station.access import ROLES, USER_MANAGE, NotAuthenticatedError, allowed
from station.admin.review_export import ReviewExport, export_access_review
from station.auth import users
from station.auth.pepper import PepperSource
from station.auth.policy import AuthPolicy
from station.auth.records import parse_time
from station.auth.review import ReviewRow, access_review
from station.config import Settings
from station.context import WriteContext, utc_now
from ui.audited import audit_failure
from ui.qt import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStandardItemModel,
    QVBoxLayout,
    QWidget,
)
from ui.screens.admin_common import (
    StatusLine,
    error_text,
    plain_label,
    read_only_table,
    run_read,
    secret_field,
    text_item,
)
from ui.screens.base import ScreenEnv
from ui.screens.words import role_title, role_titles
from ui.tasks import StationOp

__all__ = ["USER_COLUMNS", "UsersTab"]

_log = logging.getLogger(__name__)

USERNAME, NAME, ROLES_COLUMN, BADGE, ACTIVE, LOCKED, LAST_SIGN_IN, SECRET_AGE, MUST_CHANGE = range(
    9
)
USER_COLUMNS = 9
#: Role check boxes per row in the forms (a grid: every title fits, in either language).
ROLES_PER_ROW = 3


def local_time(utc: str | None) -> str:
    """A stored UTC time as local ``YYYY-MM-DD HH:MM``; empty for none."""
    if not utc:
        return ""
    try:
        return parse_time(utc).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return utc


def _separator(parent: QWidget, *, vertical: bool = False) -> QFrame:
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.VLine if vertical else QFrame.Shape.HLine)
    return line


class UsersTab(QWidget):
    """See the module docstring."""

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.setObjectName("adminUsersTab")
        self.rows: list[ReviewRow] = []
        self.selected: ReviewRow | None = None

        self.model = QStandardItemModel(0, USER_COLUMNS, self)
        self.model.setHorizontalHeaderLabels(
            [
                self.tr("User name"),
                self.tr("Printed name"),
                self.tr("Roles"),
                self.tr("Badge"),
                self.tr("Active"),
                self.tr("Locked"),
                self.tr("Last sign-in"),
                self.tr("Secret age (days)"),
                self.tr("Must change"),
            ]
        )
        self.table = read_only_table(self, "usersTable")
        self.table.setModel(self.model)
        # Every column as wide as its title and cells (the table scrolls sideways if need be);
        # a stretched last column would squeeze "Must change" below its title's width.
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.export_button = self._button(
            self.tr("E&xport access review (CSV)…"), "exportReviewButton", self.export_review
        )

        # -- add a user
        self.new_username = QLineEdit(self)
        self.new_username.setObjectName("newUserName")
        self.new_username.setMaxLength(200)
        self.new_name = QLineEdit(self)
        self.new_name.setObjectName("newPrintedName")
        self.new_name.setMaxLength(200)
        self.new_roles = self._role_boxes("newRole")
        self.new_badge = QLineEdit(self)
        self.new_badge.setObjectName("newBadge")
        self.new_badge.setPlaceholderText(self.tr("Scan the badge (or leave empty: password)"))
        self.new_secret = secret_field(self, "newSecret")
        self.new_secret_again = secret_field(self, "newSecretAgain")
        self.create_button = self._button(
            self.tr("&Create user"), "createUserButton", self.create_user
        )
        self.new_secret_again.returnPressed.connect(self.create_button.click)

        # -- the selected user
        self.selected_label = plain_label("", self, name="selectedUser", bold=True)
        self.user_roles = self._role_boxes("userRole")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("userReason")
        self.reason.setPlaceholderText(self.tr("Why (recorded with the change)"))
        self.roles_button = self._button(self.tr("Save &roles"), "saveRolesButton", self.save_roles)
        self.deactivate_button = self._button(
            self.tr("&Deactivate"), "deactivateButton", self.deactivate
        )
        self.unlock_button = self._button(self.tr("&Unlock"), "unlockButton", self.unlock)
        self.reset_secret = secret_field(self, "resetSecret")
        self.reset_secret_again = secret_field(self, "resetSecretAgain")
        self.reset_button = self._button(
            self.tr("Reset &PIN or password"), "resetSecretButton", self.reset
        )
        self.reset_secret_again.returnPressed.connect(self.reset_button.click)
        self.issue_button = self._button(
            self.tr("Issue &badge…"), "issueBadgeButton", self.open_issue_panel
        )
        self.revoke_button = self._button(
            self.tr("&Withdraw badge"), "revokeBadgeButton", self.revoke_badge
        )
        self._make_issue_panel()

        self.status = StatusLine(self, "usersStatus")
        self._layout()
        self._show_selected(None)

    # -- layout ---------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _role_boxes(self, prefix: str) -> dict[str, QCheckBox]:
        boxes = {}
        for role in ROLES:
            box = QCheckBox(role_title(role), self)
            box.setObjectName(f"{prefix}_{role}")
            boxes[role] = box
        return boxes

    def _roles_grid(self, boxes: dict[str, QCheckBox]) -> QGridLayout:
        """The role check boxes in rows of :data:`ROLES_PER_ROW`, each as wide as its title."""
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for index, box in enumerate(boxes.values()):
            grid.addWidget(box, index // ROLES_PER_ROW, index % ROLES_PER_ROW)
        grid.setColumnStretch(ROLES_PER_ROW, 1)
        return grid

    def _row(self, form: QFormLayout, text: str, field: QWidget | QHBoxLayout) -> None:
        """A form row whose label is plain text (a mnemonic in it focuses the field)."""
        label = plain_label(text, self)
        if isinstance(field, QWidget):
            label.setBuddy(field)
        form.addRow(label, field)

    def _make_issue_panel(self) -> None:
        """The new-badge panel, hidden until *Issue badge…* (see the module docstring)."""
        self.issue_panel = QFrame(self)
        self.issue_panel.setObjectName("issueBadgePanel")
        self.issue_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.issue_heading = plain_label("", self.issue_panel, name="issueBadgeHeading", bold=True)
        self.issue_scanned = QLineEdit(self.issue_panel)
        self.issue_scanned.setObjectName("issueBadgeScanned")
        self.issue_scanned.setReadOnly(True)  # filled by scans: the wedge reads the keys here
        self.issue_scanned.setPlaceholderText(self.tr("Scan the new badge now"))
        self.issue_typed = QLineEdit(self.issue_panel)
        self.issue_typed.setObjectName("issueBadgeTyped")
        self.issue_typed.setMaxLength(200)
        self.issue_typed.textEdited.connect(lambda _text: self.issue_scanned.clear())
        self.issue_again = QLineEdit(self.issue_panel)
        self.issue_again.setObjectName("issueBadgeAgain")
        self.issue_again.setMaxLength(200)
        self.issue_confirm = self._button(
            self.tr("Issue the new badge"), "issueBadgeConfirm", self.issue_badge
        )
        self.issue_again.returnPressed.connect(self.issue_confirm.click)
        self.issue_cancel = self._button(
            self.tr("Cancel"), "issueBadgeCancel", self.close_issue_panel
        )
        form = QFormLayout()
        self._row(form, self.tr("Scanned badge"), self.issue_scanned)
        self._row(form, self.tr("Or type it"), self.issue_typed)
        self._row(form, self.tr("Type it again"), self.issue_again)
        buttons = QHBoxLayout()
        buttons.addWidget(self.issue_confirm)
        buttons.addWidget(self.issue_cancel)
        buttons.addStretch(1)
        layout = QVBoxLayout(self.issue_panel)
        layout.addWidget(self.issue_heading)
        layout.addWidget(
            plain_label(
                self.tr(
                    "The old badge stops working at once and is never issued again. "
                    "The reason above is recorded."
                ),
                self.issue_panel,
            )
        )
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.issue_panel.setVisible(False)

    def _roles_rows(self, form: QFormLayout, boxes: dict[str, QCheckBox]) -> None:
        """A "Roles" row, then the check boxes under it across the whole width of the form."""
        form.addRow(plain_label(self.tr("Roles"), self))
        form.addRow(self._roles_grid(boxes))

    def _layout(self) -> None:
        add = QFormLayout()
        self._row(add, self.tr("User na&me (never changes)"), self.new_username)
        self._row(add, self.tr("Printed &name"), self.new_name)
        self._roles_rows(add, self.new_roles)
        self._row(add, self.tr("&Badge"), self.new_badge)
        self._row(add, self.tr("Initial PIN or password"), self.new_secret)
        self._row(add, self.tr("Again"), self.new_secret_again)
        add.addRow(self.create_button)

        chosen = QFormLayout()
        self._row(chosen, self.tr("Selected user"), self.selected_label)
        self._roles_rows(chosen, self.user_roles)
        self._row(chosen, self.tr("Reas&on"), self.reason)
        buttons = QHBoxLayout()
        for button in (self.roles_button, self.deactivate_button, self.unlock_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        chosen.addRow(buttons)
        badge_buttons = QHBoxLayout()
        for button in (self.issue_button, self.revoke_button):
            badge_buttons.addWidget(button)
        badge_buttons.addStretch(1)
        chosen.addRow(badge_buttons)
        self._row(chosen, self.tr("New PIN or password"), self.reset_secret)
        self._row(chosen, self.tr("Again"), self.reset_secret_again)
        chosen.addRow(self.reset_button)

        top = QHBoxLayout()
        top.addWidget(plain_label(self.tr("Users (never deleted)"), self, bold=True), 1)
        top.addWidget(self.export_button)
        # The table takes the whole width (nine columns), the two forms share the row below.
        left = QVBoxLayout()
        left.addWidget(plain_label(self.tr("Add a user"), self, bold=True))
        left.addLayout(add)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(plain_label(self.tr("Change the selected user"), self, bold=True))
        right.addLayout(chosen)
        right.addWidget(self.issue_panel)
        right.addStretch(1)
        forms = QHBoxLayout()
        forms.addLayout(left, 1)
        forms.addWidget(_separator(self, vertical=True))
        forms.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(_separator(self))
        layout.addLayout(forms)
        layout.addWidget(self.status)

    # -- what the station provides ------------------------------------------------------------

    def pepper(self) -> PepperSource | None:
        pepper = self.env.extras.get("pepper")
        return pepper if isinstance(pepper, PepperSource) else None

    def policy(self) -> AuthPolicy:
        policy = self.env.extras.get("auth_policy")
        if isinstance(policy, AuthPolicy):
            return policy
        settings = self.env.extras.get("settings")
        if isinstance(settings, Settings):
            return AuthPolicy.from_settings(settings)
        return AuthPolicy()

    # -- reading --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the access review again (off the GUI thread)."""
        now = utc_now()
        run_read(
            self,
            self.env.store,
            lambda conn: access_review(conn, now=now),
            self._show_rows,
            lambda error: self.status.refused(error_text(error)),
            name="admin-users-read",
        )

    def _show_rows(self, rows: list[ReviewRow]) -> None:
        keep = self.selected.username if self.selected else None
        self.rows = rows
        self.model.removeRows(0, self.model.rowCount())
        yes, no = self.tr("yes"), self.tr("no")
        for row in rows:
            age = "" if row.secret_age_days is None else str(row.secret_age_days)
            self.model.appendRow(
                [
                    text_item(row.username),
                    text_item(row.name),
                    text_item(role_titles(row.roles)),
                    text_item(row.badge or ""),
                    text_item(yes if row.active else no),
                    text_item(yes if row.locked else no),
                    text_item(local_time(row.last_login)),
                    text_item(age + (" " + self.tr("(expired)") if row.expired else "")),
                    text_item(yes if row.must_change else no),
                ]
            )
        # Sized to titles and cells now: rows read while the tab is hidden would otherwise
        # keep the columns as wide as their titles only (cells cut to "Ad…").
        self.table.resizeColumnsToContents()
        index = next((i for i, r in enumerate(rows) if r.username == keep), None)
        if index is not None:
            self.table.selectRow(index)
        else:
            self._show_selected(None)
        if not self.pepper():
            self.status.note(
                self.tr(
                    "PINs and passwords cannot be set here: the station's secret store "
                    "(pepper) was not provided to this screen."
                )
            )

    def _selection_changed(self, _selected: object, _deselected: object) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._show_selected(self.rows[rows[0].row()] if rows else None)

    def _show_selected(self, row: ReviewRow | None) -> None:
        if self.selected is None or row is None or row.username != self.selected.username:
            self.close_issue_panel()  # the panel is for one user
        self.selected = row
        self.selected_label.setText(f"{row.username} — {row.name}" if row else self.tr("none"))
        for role, box in self.user_roles.items():
            box.setChecked(bool(row and role in row.roles))
            box.setEnabled(row is not None)
        has_pepper = self.pepper() is not None
        self.roles_button.setEnabled(row is not None)
        self.deactivate_button.setEnabled(bool(row and row.active))
        self.unlock_button.setEnabled(bool(row and row.locked))
        self.reset_button.setEnabled(row is not None and has_pepper)
        self.create_button.setEnabled(has_pepper)
        self.issue_button.setEnabled(bool(row and row.active))
        self.revoke_button.setEnabled(bool(row and row.badge))

    # -- scans ----------------------------------------------------------------------------

    def badge_scanned(self, badge: str) -> None:
        """A badge scanned while this tab is on show: the selected user's new badge while the
        *Issue badge* panel is open, else the new user's badge."""
        self.env.feedback.accepted(self.tr("Badge scanned"))
        if self.issue_panel.isVisible():
            self.issue_scanned.setText(badge)
            self.issue_typed.clear()
            self.issue_again.clear()
            self.issue_confirm.setFocus()
            return
        self.new_badge.setText(badge)
        self.new_secret.setFocus()

    # -- writes ---------------------------------------------------------------------------

    def _context(self) -> WriteContext | None:
        try:
            ctx = self.env.context()
        except NotAuthenticatedError as error:
            self._refused(error_text(error))
            return None
        if not allowed(ctx, USER_MANAGE):  # a convenience: the service checks again
            self._refused(self.tr("You may not manage users."))
            return None
        return ctx

    def _refused(self, text: str) -> None:
        self.status.refused(text)
        self.env.feedback.refused(text)

    def _write(
        self,
        ctx: WriteContext,
        work: Callable[[Connection], object],
        done_text: str,
        after: Callable[[], None] | None = None,
    ) -> None:
        def done(_result: object) -> None:
            if after is not None:
                after()
            self.status.ok(done_text)
            self.env.feedback.accepted(done_text)
            self.refresh()

        def failed(error: BaseException) -> None:
            audit = audit_failure(error, ctx)
            if audit is not None:
                StationOp(self, self.env.store.writer, audit).run()
            self._refused(error_text(error))

        StationOp(self, self.env.store.writer, work).success(done).failure(failed).run()

    def _reason(self) -> str | None:
        reason = self.reason.text()
        if not reason.strip():
            self._refused(self.tr("Give a reason: it is recorded with the change."))
            self.reason.setFocus()
            return None
        return reason

    def _take_secret(self, first: QLineEdit, second: QLineEdit) -> str | None:
        """The secret typed twice, cleared from both fields whatever happens."""
        secret, again = first.text(), second.text()
        first.clear()
        second.clear()
        if not secret:
            self._refused(self.tr("Enter the PIN or password twice."))
            first.setFocus()
            return None
        if secret != again:
            self._refused(self.tr("The two entries differ: enter the PIN or password again."))
            first.setFocus()
            return None
        return secret

    def create_user(self) -> None:
        ctx = self._context()
        pepper = self.pepper()
        if ctx is None or pepper is None:
            return
        username, name = self.new_username.text(), self.new_name.text()
        roles = [role for role, box in self.new_roles.items() if box.isChecked()]
        badge = self.new_badge.text() or None
        secret = self._take_secret(self.new_secret, self.new_secret_again)
        if secret is None:
            return
        policy = self.policy()

        def work(conn: Connection) -> None:
            users.create_user(
                conn,
                ctx,
                username=username,
                name=name,
                roles=roles,
                secret=secret,
                badge=badge,
                pepper=pepper,
                policy=policy,
            )

        def clear_form() -> None:
            self.new_username.clear()
            self.new_name.clear()
            self.new_badge.clear()
            for box in self.new_roles.values():
                box.setChecked(False)

        self._write(ctx, work, self.tr("User {user} created.").format(user=username), clear_form)

    def save_roles(self) -> None:
        row, ctx = self.selected, self._context()
        reason = self._reason() if row and ctx else None
        if row is None or ctx is None or reason is None:
            return
        roles = [role for role, box in self.user_roles.items() if box.isChecked()]
        self._write(
            ctx,
            lambda conn: users.set_roles(conn, ctx, row.username, roles, reason=reason),
            self.tr("Roles of {user} saved.").format(user=row.username),
            self.reason.clear,
        )

    def deactivate(self) -> None:
        row, ctx = self.selected, self._context()
        reason = self._reason() if row and ctx else None
        if row is None or ctx is None or reason is None:
            return
        self._write(
            ctx,
            lambda conn: users.deactivate(conn, ctx, row.username, reason=reason),
            self.tr("{user} deactivated.").format(user=row.username),
            self.reason.clear,
        )

    def unlock(self) -> None:
        row, ctx = self.selected, self._context()
        reason = self._reason() if row and ctx else None
        if row is None or ctx is None or reason is None:
            return
        self._write(
            ctx,
            lambda conn: users.unlock(conn, ctx, row.username, reason=reason),
            self.tr("{user} unlocked.").format(user=row.username),
            self.reason.clear,
        )

    def reset(self) -> None:
        row, ctx, pepper = self.selected, self._context(), self.pepper()
        if row is None or ctx is None or pepper is None:
            return
        secret = self._take_secret(self.reset_secret, self.reset_secret_again)
        if secret is None:
            return
        policy = self.policy()
        self._write(
            ctx,
            lambda conn: users.reset_secret(
                conn, ctx, row.username, secret, pepper=pepper, policy=policy
            ),
            self.tr("New secret set for {user}: they must change it at the next sign-in.").format(
                user=row.username
            ),
        )

    # -- badges ---------------------------------------------------------------------------

    def open_issue_panel(self) -> None:
        row = self.selected
        if row is None:
            return
        self.issue_heading.setText(
            self.tr("New badge for {user} (now: {badge})").format(
                user=row.username, badge=row.badge or self.tr("none")
            )
        )
        self.issue_panel.setVisible(True)
        self.issue_scanned.setFocus()  # read-only: a wedge scan is read as a scan here

    def close_issue_panel(self) -> None:
        self.issue_panel.setVisible(False)
        for field in (self.issue_scanned, self.issue_typed, self.issue_again):
            field.clear()

    def _entered_badge(self) -> str | None:
        """The new badge: the scanned one, else the one typed the same way twice."""
        scanned, typed, again = (
            self.issue_scanned.text(),
            self.issue_typed.text(),
            self.issue_again.text(),
        )
        if scanned:
            return scanned
        if not typed:
            self._refused(self.tr("Scan the new badge, or type it twice."))
            self.issue_scanned.setFocus()
            return None
        if typed != again:
            self.issue_again.clear()
            self._refused(self.tr("The two entries differ: type the badge again."))
            self.issue_again.setFocus()
            return None
        return typed

    def issue_badge(self) -> None:
        row, ctx = self.selected, self._context()
        badge = self._entered_badge() if row and ctx else None
        reason = self._reason() if badge else None
        if row is None or ctx is None or badge is None or reason is None:
            return

        def after() -> None:
            self.close_issue_panel()
            self.reason.clear()

        self._write(
            ctx,
            lambda conn: users.issue_badge(conn, ctx, row.username, badge, reason=reason),
            self.tr("New badge issued to {user}; the old one no longer works.").format(
                user=row.username
            ),
            after,
        )

    def revoke_badge(self) -> None:
        row, ctx = self.selected, self._context()
        reason = self._reason() if row and ctx else None
        if row is None or ctx is None or reason is None:
            return
        self._write(
            ctx,
            lambda conn: users.revoke_badge(conn, ctx, row.username, reason=reason),
            self.tr("The badge of {user} is withdrawn: it no longer works.").format(
                user=row.username
            ),
            self.reason.clear,
        )

    # -- export ---------------------------------------------------------------------------

    def ask_export_path(self) -> Path | None:
        """Where to write the CSV (a save dialog; tests replace this)."""
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export access review"), "access-review.csv", self.tr("CSV (*.csv)")
        )
        return Path(name) if name else None

    def export_review(self) -> None:
        ctx = self._context()
        if ctx is None:
            return
        path = self.ask_export_path()
        if path is None:
            return

        def done(result: ReviewExport) -> None:
            text = self.tr("Access review exported: {count} users to {file}.").format(
                count=result.rows, file=str(result.path)
            )
            self.status.ok(text)
            self.env.feedback.accepted(text)

        def failed(error: BaseException) -> None:
            audit = audit_failure(error, ctx)
            if audit is not None:
                StationOp(self, self.env.store.writer, audit).run()
            self._refused(error_text(error))

        StationOp(
            self, self.env.store.writer, lambda conn: export_access_review(conn, ctx, path)
        ).success(done).failure(failed).run()
