"""The security alarm: a red bar across the top of the window while a lockout or the station's
rate limit is unacknowledged (P11-U7, AUTH-3).

The alarms are audit entries (:mod:`station.auth.alarms`); this bar only shows them. It looks
every second (the read on a worker thread), and at once after any refusal the window gives (the
sign-in page's refused PIN), so it appears with the refusal that raised it, whatever page is on
show, and also for a lockout raised elsewhere (a signature, the command line). A new alarm plays
the refused sound through the window's feedback. It stays, across restarts too, until someone
holding :data:`~station.auth.alarms.ACK_PERMISSION` (supervisor, QA manager, administrator)
signs in and presses *Acknowledge*: one ``security.alarm_ack`` audit entry per alarm, with who
and when.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from station.access import NotAuthenticatedError
from station.auth.alarms import (
    ACK_PERMISSION,
    LOCKOUT,
    SecurityEntry,
    acknowledge_alarms,
    open_alarms,
)
from ui.audited import audit_failure
from ui.feedback import Outcome
from ui.qt import QFrame, QHBoxLayout, QLabel, QPushButton, Qt, QTimer, QVBoxLayout, QWidget
from ui.screens.background import run_job
from ui.tasks import StationOp

if TYPE_CHECKING:
    from station.context import WriteContext
    from ui.workstation import LoginSession, Workstation

__all__ = ["SecurityAlarm"]

_log = logging.getLogger(__name__)
#: How often the bar looks for alarms raised or acknowledged elsewhere.
POLL_MS = 1000
# Fixed, app-defined style (the refused colours of the outcome banner): nothing from a record
# is ever part of a style sheet.
_STYLE = (
    "#securityAlarm { background: #B3261E; border: 3px solid #7A1712; border-radius: 6px; }"
    "#securityAlarm QLabel { color: #FFFFFF; background: transparent; }"
)


def local_clock(utc: str) -> str:
    """A stored UTC time as the station's local ``HH:MM``.

    >>> local_clock("not a time")
    'not a time'
    """
    try:
        return datetime.fromisoformat(utc.replace("Z", "+00:00")).astimezone().strftime("%H:%M")
    except ValueError:
        return utc


class SecurityAlarm(QFrame):
    """The open alarms, the refused sound when one appears, and *Acknowledge*."""

    def __init__(self, workstation: Workstation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("securityAlarm")
        self.setStyleSheet(_STYLE)
        self.workstation = workstation
        self.alarms: list[SecurityEntry] = []
        self._reading = False  # a read of the open alarms is out
        self._again = False  # and another was asked for meanwhile
        self.headline = self._label("securityAlarmHeadline", scale=1.6)
        self.detail = self._label("securityAlarmDetail")
        self.hint = self._label("securityAlarmHint")
        self.acknowledge_button = QPushButton(self.tr("&Acknowledge"), self)
        self.acknowledge_button.setObjectName("acknowledgeAlarm")
        self.acknowledge_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay on the page
        self.acknowledge_button.clicked.connect(self.acknowledge)
        text = QVBoxLayout()
        for label in (self.headline, self.detail, self.hint):
            text.addWidget(label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 10)
        layout.addLayout(text, 1)
        layout.addWidget(self.acknowledge_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()
        workstation.feedback.given.connect(self._after_feedback)
        workstation.session_listeners.append(self._session_changed)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def _label(self, name: str, scale: float = 1.0) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)  # user names come from records
        label.setWordWrap(True)
        if scale != 1.0:
            font = label.font()
            font.setPointSizeF(font.pointSizeF() * scale)
            font.setBold(True)
            label.setFont(font)
        return label

    # -- looking -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the open alarms on a worker thread (no database read on the GUI thread, and
        this runs every second); then show them, or hide when none is left. A refresh asked
        for while a read is out is done once that read has answered."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        run_job(self, self._read, self._answered, self._unread, name="security-alarms")

    def _read(self) -> list[SecurityEntry]:
        with self.workstation.read() as conn:
            return open_alarms(conn)

    def _answered(self, alarms: list[SecurityEntry]) -> None:
        self._reading = False
        self._show(alarms)
        if self._again:
            self._again = False
            self.refresh()

    def _unread(self, error: BaseException) -> None:
        self._reading = False
        self._again = False
        # The database closing with the window, at worst: the next tick looks again.
        _log.warning("the security alarms could not be read: %s", error)

    def _show(self, alarms: list[SecurityEntry]) -> None:
        known = {alarm.seq for alarm in self.alarms}
        new = [alarm for alarm in alarms if alarm.seq not in known]
        self.alarms = alarms
        if not alarms:
            self.hide()
            return
        self.headline.setText(self._headline(alarms))
        self.detail.setText("\n".join(self._line(alarm) for alarm in alarms[-5:]))
        self._session_changed(self.workstation.session)
        self.show()
        if new:
            self.workstation.feedback.refused(self.headline.text())

    def _headline(self, alarms: list[SecurityEntry]) -> str:
        if len(alarms) > 1:
            return self.tr("✖  SECURITY ALARM — {count} unacknowledged").format(count=len(alarms))
        alarm = alarms[0]
        if alarm.action == LOCKOUT:
            return self.tr("✖  SECURITY ALARM — user {user} locked out").format(user=alarm.subject)
        return self.tr("✖  SECURITY ALARM — too many failed sign-ins at this station")

    def _line(self, alarm: SecurityEntry) -> str:
        when = local_clock(alarm.at)
        if alarm.action == LOCKOUT:
            return self.tr("{time}  {user} locked after {failures} failed attempts").format(
                time=when, user=alarm.subject, failures=alarm.new.get("failures", "?")
            )
        return self.tr("{time}  {failures} failed sign-ins within a minute at {station}").format(
            time=when, failures=alarm.new.get("failures", "?"), station=alarm.subject
        )

    def _after_feedback(self, outcome: Outcome, _text: str) -> None:
        if outcome is Outcome.REFUSED:
            self.refresh()  # a refused PIN may just have locked a badge

    def _session_changed(self, _session: LoginSession | None) -> None:
        may = self.workstation.may(ACK_PERMISSION)
        self.acknowledge_button.setEnabled(may and bool(self.alarms))
        self.hint.setText(
            self.tr("Acknowledge when you have seen to it. An administrator unlocks the user.")
            if may
            else self.tr(
                "A supervisor, QA manager or administrator signs in and acknowledges this "
                "alarm; an administrator unlocks the user."
            )
        )

    # -- acknowledging -------------------------------------------------------------------

    def acknowledge(self) -> None:
        """Acknowledge every alarm on show, as the signed-in user (audited)."""
        seqs = [alarm.seq for alarm in self.alarms]
        if not seqs:
            return
        try:
            ctx = self.workstation.context()
        except NotAuthenticatedError as error:
            self.workstation.feedback.refused(str(error))
            return
        self.acknowledge_button.setEnabled(False)
        StationOp(
            self, self.workstation.store.writer, lambda conn: acknowledge_alarms(conn, ctx, seqs)
        ).success(self._acknowledged).failure(lambda error: self._refused(error, ctx)).run()

    def _acknowledged(self, count: int) -> None:
        self.workstation.feedback.accepted(
            self.tr("{count} security alarm(s) acknowledged").format(count=count)
        )
        self.refresh()

    def _refused(self, error: BaseException, ctx: WriteContext) -> None:
        audit = audit_failure(error, ctx)
        if audit is not None:  # a denial leaves a trace (P11-F1)
            StationOp(self, self.workstation.store.writer, audit).run()
        self.workstation.feedback.refused(str(error))
        self.refresh()
