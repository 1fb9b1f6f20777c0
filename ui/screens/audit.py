"""The Audit screen (审计, F11): the audit trail, filtered, with the ledger's verification.

* **Filter** by user (id or printed name), action, entity, date range (local dates) and free
  text; Enter in any field applies. The query (:mod:`station.ledger.audit_query`) runs on a
  worker; the newest :data:`MAX_SHOWN` matching entries are shown, with the total count.
* **Verification**: :func:`station.ledger.verify.verify_ledger` walks both hash chains and
  the checkpoints on a worker, with a busy bar; the screen says "intact" or names the first
  bad record. Checkpoint signatures are checked when the station gives its trusted public keys
  (``env.extras["ledger_public_keys"]``); otherwise only the chains and signed heads are.
* **Export CSV…**: every matching entry (not only those shown), cells formula-guarded
  (SEC-9), audited as ``export.audit_trail`` like every other export.

Audit text (reasons, old and new values, names) is untrusted: shown as plain text only.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from station.access import AUDIT_VIEW
from station.context import WriteContext
from station.ledger.audit_query import (
    AuditFilter,
    AuditRow,
    audit_choices,
    audit_count,
    audit_csv_text,
    audit_rows,
    iter_audit_rows,
)
from station.ledger.verify import VerifyReport, verify_ledger
from station.scanning.raw import RawScan
from ui.display import visible
from ui.feedback import Outcome
from ui.qt import (
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.screens.background import Latest, run_job, run_read
from ui.screens.base import ScreenEnv, StationScreen
from ui.screens.exports import ask_save_path, export_text
from ui.screens.lookup import busy_bar
from ui.screens.recall_models import PlainTable
from ui.widgets.data_table import read_only_table
from ui.widgets.outcome_banner import OutcomeBanner
from ui.widgets.plain import plain_label

__all__ = ["MAX_SHOWN", "AuditScreen", "AuditTableModel"]

MAX_SHOWN = 5000
SEQ, TIME, USER, ACTION, ENTITY, CHANGE, REASON = range(7)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _one_line(text: str | None, limit: int = 200) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class AuditTableModel(PlainTable):
    """Audit entries, newest first: seq, local time, user, action, entity, old → new, reason."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[AuditRow] = []
        self.headers = (
            self.tr("Seq"),
            self.tr("Time"),
            self.tr("User"),
            self.tr("Action"),
            self.tr("Entity"),
            self.tr("Old → new"),
            self.tr("Reason"),
        )

    def set_rows(self, rows: Sequence[AuditRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def size(self) -> int:
        return len(self.rows)

    def cell(self, row: int, column: int) -> str:
        entry = self.rows[row]
        if column == SEQ:
            return str(entry.seq)
        if column == TIME:
            return entry.local_at
        if column == USER:
            if entry.actor is None:
                return self.tr("system")
            return f"{entry.actor_name} ({entry.actor})" if entry.actor_name else entry.actor
        if column == ACTION:
            return entry.action
        if column == ENTITY:
            return " ".join(part for part in (entry.entity, entry.entity_id) if part)
        if column == CHANGE:
            old, new = _one_line(entry.old_value, 80), _one_line(entry.new_value, 120)
            return f"{old} → {new}" if old else new
        return _one_line(entry.reason)

    def details(self, row: int) -> str:
        """One entry in full, one field per line (for the detail box), values made visible."""
        entry = self.rows[row]
        fields = (
            (self.tr("Seq"), str(entry.seq)),
            (self.tr("Time"), f"{entry.local_at}  (UTC {entry.at})"),
            (self.tr("User"), f"{entry.actor or ''} {entry.actor_name or ''}".strip()),
            (self.tr("Station"), f"{entry.station} (app {entry.app_version})"),
            (self.tr("Action"), entry.action),
            (self.tr("Entity"), f"{entry.entity or ''} {entry.entity_id or ''}".strip()),
            (self.tr("Old value"), entry.old_value or ""),
            (self.tr("New value"), entry.new_value or ""),
            (self.tr("Reason"), entry.reason or ""),
        )
        # One line per field: each value's own characters (line breaks too) are marked.
        return "\n".join(f"{name}: {visible(value)}" for name, value in fields)


def _read(
    conn: Connection, ctx: WriteContext, flt: AuditFilter
) -> tuple[list[AuditRow], int, list[str]]:
    rows = audit_rows(conn, ctx, flt, limit=MAX_SHOWN)
    total = len(rows) if len(rows) < MAX_SHOWN else audit_count(conn, ctx, flt)
    actions, _ = audit_choices(conn)
    return rows, total, actions


class AuditScreen(StationScreen):
    """Filters, verification status, the trail as a table, the selected entry, export.

    Signals (GUI thread): ``loaded`` after the table was read, ``verified(VerifyReport)``,
    ``exported(str)`` with where the export's own audit entry went, ``export_failed(str)``.
    """

    screen_id = "audit"
    shortcut = "F11"
    permission = AUDIT_VIEW

    loaded = Signal()
    verified = Signal(object)
    exported = Signal(str)
    export_failed = Signal(str)

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.total = 0
        self.report: VerifyReport | None = None
        self._latest = Latest()
        self._verifying = False
        self._build()

    def title(self) -> str:
        return self.tr("Audit")

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.banner = OutcomeBanner(self)
        self.banner.setObjectName("auditVerification")
        self.banner.show_prompt(self.tr("Ledger not verified yet"))
        self.verify_busy = busy_bar(self, "auditVerifyBusy")
        self.verify_button = QPushButton(self.tr("&Verify the ledger"), self)
        self.verify_button.setObjectName("auditVerify")
        self.verify_button.clicked.connect(self.verify)
        self.user = QLineEdit(self)
        self.user.setObjectName("auditUser")
        self.action = QComboBox(self)
        self.action.setObjectName("auditAction")
        self.action.addItem(self.tr("All actions"), "")
        self.entity = QLineEdit(self)
        self.entity.setObjectName("auditEntity")
        self.text = QLineEdit(self)
        self.text.setObjectName("auditText")
        self.use_since = QCheckBox(self.tr("&From"), self)
        self.since = QDateEdit(QDate.currentDate().addDays(-30), self)
        self.use_until = QCheckBox(self.tr("&To"), self)
        self.until = QDateEdit(QDate.currentDate(), self)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        for line in (self.user, self.entity, self.text):
            line.setClearButtonEnabled(True)
            line.returnPressed.connect(self.reload)
        self.apply_button = QPushButton(self.tr("&Apply filter"), self)
        self.apply_button.setObjectName("auditApply")
        self.apply_button.clicked.connect(self.reload)
        self.busy = busy_bar(self, "auditBusy")
        self.count = plain_label("", self, scale=1.3, bold=True)
        self.count.setObjectName("auditCount")
        self.model = AuditTableModel(self)
        self.table = read_only_table(self, "auditTable")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._row_chosen())
        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("auditDetail")
        self.detail.setReadOnly(True)
        self.detail.setTabChangesFocus(True)
        self.detail.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        self.export_button = QPushButton(self.tr("&Export CSV…"), self)
        self.export_button.setObjectName("auditExport")
        self.export_button.clicked.connect(self._ask_export)
        self.message = plain_label("", self)
        self.message.setObjectName("auditMessage")
        self._lay_out()

    def _lay_out(self) -> None:
        verify_row = QHBoxLayout()
        verify_row.addWidget(self.banner, 1)
        verify_row.addWidget(self.verify_button)
        filters = QGridLayout()
        for column, (caption, widget) in enumerate(
            (
                (self.tr("&User:"), self.user),
                (self.tr("Ac&tion:"), self.action),
                (self.tr("E&ntity:"), self.entity),
                (self.tr("Te&xt:"), self.text),
            )
        ):
            label = plain_label(caption, self)
            label.setWordWrap(False)
            label.setBuddy(widget)
            filters.addWidget(label, 0, 2 * column)
            filters.addWidget(widget, 0, 2 * column + 1)
        dates = QHBoxLayout()
        for widget in (self.use_since, self.since, self.use_until, self.until):
            dates.addWidget(widget)
        dates.addStretch(1)
        dates.addWidget(self.apply_button)
        actions = QHBoxLayout()
        actions.addWidget(self.export_button)
        actions.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(verify_row)
        layout.addWidget(self.verify_busy)
        layout.addLayout(filters)
        layout.addLayout(dates)
        layout.addWidget(self.busy)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(actions)
        order = (
            self.verify_button,
            self.user,
            self.action,
            self.entity,
            self.text,
            self.use_since,
            self.since,
            self.use_until,
            self.until,
            self.apply_button,
            self.table,
            self.detail,
            self.export_button,
        )
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------------ filter and table

    def activated(self) -> None:
        self.user.setFocus()
        self.reload()
        if self.report is None:
            self.verify()

    def handle_scan(self, scan: RawScan) -> None:
        """A scan searches the trail for its text (a lot, a badge, a file name)."""
        self.text.setText(scan.raw.decode("utf-8", "replace"))
        self.reload()

    def current_filter(self) -> AuditFilter:
        since = until = None
        if self.use_since.isChecked():
            since = datetime.combine(_day(self.since.date()), time()).astimezone()
        if self.use_until.isChecked():
            day = _day(self.until.date().addDays(1))
            until = datetime.combine(day, time()).astimezone()
        return AuditFilter(
            user=self.user.text(),
            action=str(self.action.currentData() or ""),
            entity=self.entity.text(),
            since=since,
            until=until,
            text=self.text.text(),
        )

    def reload(self) -> None:
        """Read the entries matching the filter, on a worker."""
        flt = self.current_filter()
        try:
            ctx = self.env.context()
        except Exception as error:  # nobody signed in: nothing is read
            self.message.setText(visible(str(error)))
            return
        ticket = self._latest.next()
        self.busy.setVisible(True)
        run_read(
            self,
            self.env.store,
            lambda conn: _read(conn, ctx, flt),
            lambda answer: self._read_done(ticket, answer),
            lambda error: self._read_failed(ticket, error),
            name="audit-read",
        )

    def _read_done(self, ticket: int, answer: tuple[list[AuditRow], int, list[str]]) -> None:
        if not self._latest.is_current(ticket):
            return
        rows, total, actions = answer
        self.busy.setVisible(False)
        self.total = total
        self.model.set_rows(rows)
        self._set_actions(actions)
        self.count.setText(
            self.tr("{total} entries").format(total=f"{total:,}")
            if total <= len(rows)
            else self.tr("Newest {shown} of {total} entries").format(
                shown=f"{len(rows):,}", total=f"{total:,}"
            )
        )
        self.detail.clear()
        self.loaded.emit()

    def _read_failed(self, ticket: int, error: BaseException) -> None:
        if self._latest.is_current(ticket):
            self.busy.setVisible(False)
            self.message.setText(visible(str(error)))

    def _set_actions(self, actions: list[str]) -> None:
        chosen = self.action.currentData()
        known = [self.action.itemData(i) for i in range(1, self.action.count())]
        if known == actions:
            return
        while self.action.count() > 1:
            self.action.removeItem(1)
        for action in actions:
            self.action.addItem(visible(action), action)
        index = self.action.findData(chosen)
        self.action.setCurrentIndex(max(index, 0))

    def _row_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.detail.setPlainText(self.model.details(rows[0].row()) if rows else "")

    # ------------------------------------------------------------------ verification

    def verify(self) -> None:
        """Verify both chains and the checkpoints on a worker."""
        if self._verifying:
            return
        self._verifying = True
        self.verify_button.setEnabled(False)
        self.verify_busy.setVisible(True)
        self.banner.show_prompt(self.tr("Verifying the ledger…"))
        keys = self.env.extras.get("ledger_public_keys")
        trusted = list(keys) if isinstance(keys, list | tuple) else None
        run_read(
            self,
            self.env.store,
            lambda conn: verify_ledger(conn, trusted),
            self._verified,
            self._verify_failed,
            name="audit-verify",
        )

    def _verified(self, report: VerifyReport) -> None:
        self._verifying = False
        self.verify_button.setEnabled(True)
        self.verify_busy.setVisible(False)
        self.report = report
        counts = self.tr(
            "{events} events, {audit} audit entries, {checkpoints} checkpoints"
        ).format(
            events=f"{report.records.get('event', 0):,}",
            audit=f"{report.records.get('audit', 0):,}",
            checkpoints=report.checkpoints,
        )
        if not report.signatures_checked:
            counts += "\n" + self.tr(
                "Checkpoint signatures not checked: no trusted public key was given."
            )
        if report.ok:
            self.banner.show_outcome(Outcome.ACCEPTED, self.tr("Ledger intact"), counts)
        else:
            problems = len(report.problems) + report.omitted
            detail = self.tr("First bad record: {first}").format(first=str(report.first))
            detail += "\n" + self.tr("{n} problems found.").format(n=problems) + "\n" + counts
            self.banner.show_outcome(Outcome.REFUSED, self.tr("LEDGER TAMPERED"), visible(detail))
            self.env.feedback.refused(self.tr("Ledger tampered"))
        self.verified.emit(report)

    def _verify_failed(self, error: BaseException) -> None:
        self._verifying = False
        self.verify_button.setEnabled(True)
        self.verify_busy.setVisible(False)
        self.banner.show_outcome(
            Outcome.REFUSED, self.tr("Verification failed"), visible(str(error))
        )
        self.env.feedback.refused(self.tr("Verification failed"))

    # ------------------------------------------------------------------ export

    def _ask_export(self) -> None:
        path = ask_save_path(
            self, self.tr("Export the audit trail"), "audit.csv", self.tr("CSV files (*.csv)")
        )
        if path is not None:
            self.export(path)

    def export(self, path: Path) -> None:
        """Write every entry matching the filter to ``path`` as CSV, audited."""
        try:
            ctx = self.env.context()
        except Exception as error:
            self.message.setText(visible(str(error)))
            self.env.feedback.refused(self.tr("Not signed in"))
            return
        flt = self.current_filter()
        store = self.env.store

        def work() -> str:
            with store.engine.connect() as conn:
                rows = list(iter_audit_rows(conn, ctx, flt, newest_first=False))
            details = {"report": "audit", "filter": flt.as_json(), "rows": len(rows)}
            if rows:
                details["first_seq"], details["last_seq"] = rows[0].seq, rows[-1].seq
            return export_text(
                store,
                ctx,
                audit_csv_text(rows),
                path,
                action="export.audit_trail",
                details=details,
            )

        self.export_button.setEnabled(False)
        self.message.setText(self.tr("Writing the export…"))
        run_job(
            self,
            work,
            lambda where: self._exported(path, where),
            self._export_failed,
            name="audit-export",
        )

    def _exported(self, path: Path, where: str) -> None:
        self.export_button.setEnabled(True)
        self.message.setText(
            visible(self.tr("Exported: {path} ({where})").format(path=path, where=where))
        )
        self.env.feedback.accepted(self.tr("Exported"))
        self.exported.emit(where)
        self.reload()  # the export's own entry is in the trail now

    def _export_failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        message = self.tr("Nothing exported: {error}").format(error=str(error))
        self.message.setText(visible(message))
        self.env.feedback.refused(self.tr("Nothing exported"))
        self.export_failed.emit(message)
