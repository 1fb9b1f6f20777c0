"""The Admin screen's Settings tab (``settings.manage``): a form built from every declared
setting (:data:`station.config.DECLARED`: its label, its help as the tooltip — both translated,
Qt context ``station.setting`` — and its value in the settings file now), checked by each
setting's own ``convert``, saved with a reason.

Saving goes through :func:`station.admin.settings_file.save_settings` on the writer with the
signed-in user's context: it checks the permission again, refuses a file that changed since
the form was filled, writes the file atomically and records exactly one ``settings.changed``
audit entry with the old and new values (P11-K1). The station reads its settings at start-up,
so the tab says that a restart applies them (devices especially).

The settings file is ``env.extras["settings_file"]`` (a :class:`pathlib.Path`); without it the
tab explains that the file is unknown and saves nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from station.access import SETTINGS_MANAGE, NotAuthenticatedError, allowed
from station.admin.settings_file import (
    SettingsChange,
    SettingsFile,
    form_text,
    read_settings_file,
    save_settings,
    value_from_form,
)
from station.config import DECLARED, Setting
from station.errors import ConfigError
from ui.audited import audit_failure
from ui.i18n import tr_setting
from ui.qt import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from ui.screens.admin_common import StatusLine, error_text, plain_label, plain_tooltip
from ui.screens.base import ScreenEnv
from ui.tasks import StationOp

__all__ = ["SettingsTab"]

Editor = QCheckBox | QPlainTextEdit | QLineEdit


class SettingsTab(QWidget):
    """See the module docstring."""

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.setObjectName("adminSettingsTab")
        self.loaded: SettingsFile | None = None
        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, Any] = {}
        self.file_note = plain_label("", self, name="settingsFile")
        self.form_widget = QWidget(self)
        self.form = QFormLayout(self.form_widget)
        for key, setting in DECLARED.items():
            if setting.secret:  # none exist; secrets never live in the settings file
                continue
            self._add_row(key, setting)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_widget)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("settingsReason")
        self.reason.setPlaceholderText(self.tr("Why the settings change (recorded)"))
        self.save_button = QPushButton(self.tr("&Save settings"), self)
        self.save_button.setObjectName("saveSettingsButton")
        self.save_button.clicked.connect(self.save)
        self.reload_button = QPushButton(self.tr("Re&load"), self)
        self.reload_button.setObjectName("reloadSettingsButton")
        self.reload_button.clicked.connect(self.refresh)
        self.status = StatusLine(self, "settingsStatus")

        actions = QHBoxLayout()
        actions.addWidget(plain_label(self.tr("Reason"), self))
        actions.addWidget(self.reason, 1)
        actions.addWidget(self.save_button)
        actions.addWidget(self.reload_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_note)
        layout.addWidget(scroll, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)

    def _add_row(self, key: str, setting: Setting[Any]) -> None:
        parent = self.form_widget
        editor: Editor
        if isinstance(setting.default, bool):
            editor = QCheckBox(parent)
        elif isinstance(setting.default, tuple | list):
            editor = QPlainTextEdit(parent)
            editor.setTabChangesFocus(True)  # Tab moves on; Enter starts the next item
            editor.setMaximumHeight(editor.fontMetrics().lineSpacing() * 4)
        else:
            editor = QLineEdit(parent)
        editor.setObjectName(f"setting:{key}")
        tooltip = plain_tooltip(f"{key}\n{tr_setting(setting.help)}")
        editor.setToolTip(tooltip)
        label = plain_label(tr_setting(setting.label), parent)
        label.setToolTip(tooltip)
        label.setBuddy(editor)
        problem = plain_label("", parent, name=f"settingError:{key}")
        problem.setVisible(False)
        cell = QVBoxLayout()
        cell.setContentsMargins(0, 0, 0, 0)
        cell.addWidget(editor)
        cell.addWidget(problem)
        self.form.addRow(label, cell)
        self.editors[key] = editor
        self.errors[key] = problem

    # -- the file -------------------------------------------------------------------------

    def path(self) -> Path | None:
        path = self.env.extras.get("settings_file")
        return path if isinstance(path, Path) else None

    def _may_change(self) -> bool:
        try:
            return allowed(self.env.context(), SETTINGS_MANAGE)
        except NotAuthenticatedError:
            return False

    def refresh(self) -> None:
        """Fill the form from the settings file as it is now."""
        path = self.path()
        self.loaded = None
        if path is None:
            self.file_note.setText(
                self.tr(
                    "The settings file is unknown: this station was started without one, so "
                    "settings cannot be changed here. Edit the file named with --settings and "
                    "restart; the change is recorded at the next start."
                )
            )
        else:
            try:
                self.loaded = read_settings_file(path)
            except ConfigError as error:
                self.file_note.setText(
                    self.tr("The settings file cannot be read: {error}").format(
                        error=error_text(error)
                    )
                )
            else:
                self.file_note.setText(
                    self.tr("Settings file: {file}. A restart applies the changes.").format(
                        file=str(path)
                    )
                )
        if self.loaded is not None:
            self._fill(self.loaded)
        enabled = self.loaded is not None and self._may_change()
        self.form_widget.setEnabled(enabled)
        self.reason.setEnabled(enabled)
        self.save_button.setEnabled(enabled)

    def _fill(self, loaded: SettingsFile) -> None:
        for key, editor in self.editors.items():
            value = loaded.settings.values[key]
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QPlainTextEdit):
                editor.setPlainText(form_text(value))
            else:
                editor.setText(form_text(value))
            self._show_problem(key, None)

    def _show_problem(self, key: str, problem: str | None) -> None:
        label = self.errors[key]
        label.setText("✖ " + problem if problem else "")
        label.setVisible(bool(problem))

    def entered(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Every setting's value as entered, and the problems of those that are not valid."""
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for key, editor in self.editors.items():
            raw: str | bool
            if isinstance(editor, QCheckBox):
                raw = editor.isChecked()
            elif isinstance(editor, QPlainTextEdit):
                raw = editor.toPlainText()
            else:
                raw = editor.text()
            try:
                values[key] = value_from_form(DECLARED[key], raw)
            except ValueError as error:
                problems[key] = str(error)
            self._show_problem(key, problems.get(key))
        return values, problems

    # -- saving ---------------------------------------------------------------------------

    def _refused(self, text: str) -> None:
        self.status.refused(text)
        self.env.feedback.refused(text)

    def save(self) -> None:
        loaded, path = self.loaded, self.path()
        if loaded is None or path is None:
            self._refused(self.tr("The settings file is unknown: nothing was saved."))
            return
        try:
            ctx = self.env.context()
        except NotAuthenticatedError as error:
            self._refused(error_text(error))
            return
        values, problems = self.entered()
        if problems:
            first = next(iter(problems))
            self._refused(
                self.tr(
                    "{count} setting(s) not valid, nothing saved. First: {label}: {problem}"
                ).format(count=len(problems), label=DECLARED[first].label, problem=problems[first])
            )
            self.editors[first].setFocus()
            return
        changes = {k: v for k, v in values.items() if v != loaded.settings.values[k]}
        if not changes:
            self._refused(self.tr("Nothing was changed."))
            return
        reason = self.reason.text()
        if not reason.strip():
            self._refused(self.tr("Give a reason: it is recorded with the change."))
            self.reason.setFocus()
            return
        expected = loaded.sha256

        def done(change: SettingsChange) -> None:
            text = self.tr(
                "Saved: {count} setting(s) changed and recorded. Restart the station to apply "
                "them (scanner, camera and other devices are set up at start)."
            ).format(count=len(change.changed))
            self.reason.clear()
            self.status.ok(text)
            self.env.feedback.accepted(text)
            self.refresh()

        def failed(error: BaseException) -> None:
            audit = audit_failure(error, ctx)
            if audit is not None:
                StationOp(self, self.env.store.writer, audit).run()
            self._refused(error_text(error))

        StationOp(
            self,
            self.env.store.writer,
            lambda conn: save_settings(
                conn, ctx, path, changes, reason=reason, expected_sha256=expected
            ),
        ).success(done).failure(failed).run()
