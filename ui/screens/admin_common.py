"""Small pieces the Admin screen's tabs share: plain-text labels, masked secret fields, reads
off the GUI thread, and the outcome line each tab shows.

Everything shown from data (user names, printed names, template authors, device names, error
texts) is plain text (SEC-8): labels are ``Qt.PlainText``, tables use the default delegate with
no tooltips, and the only tooltips (setting help) are escaped first.
"""

from __future__ import annotations

import logging

from station.access import NotAuthenticatedError, NotPermittedError
from station.services.errors import Refused
from ui.display import visible
from ui.qt import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStandardItem,
    Qt,
    QTableView,
    QWidget,
)
from ui.screens.background import run_job, run_read
from ui.widgets.plain import plain_label, plain_tooltip, secret_field

__all__ = [
    "StatusLine",
    "error_text",
    "plain_label",
    "plain_tooltip",
    "read_only_table",
    "run_in_background",
    "run_read",
    "secret_field",
    "text_item",
]

_log = logging.getLogger(__name__)

# One implementation each, shared with the other screens (re-exported for the admin tabs).
run_in_background = run_job


def read_only_table(parent: QWidget, name: str) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


def text_item(text: str) -> QStandardItem:
    """A read-only cell; its text is drawn as plain text by the default delegate, with the
    invisible characters of untrusted text made visible, and no tooltip."""
    item = QStandardItem(visible(text))
    item.setEditable(False)
    return item


def error_text(error: BaseException) -> str:
    """What to show for a failed action: the service's own words, invisible characters
    marked (the message may quote user-entered text)."""
    if isinstance(error, Refused | NotPermittedError | NotAuthenticatedError):
        return visible(str(error))
    return visible(str(error) or type(error).__name__)


class StatusLine(QLabel):
    """The one-line outcome of a tab's last action, in plain text, with a symbol so that
    colour is never the only signal."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setOpenExternalLinks(False)
        self.setWordWrap(True)

    def ok(self, text: str) -> None:
        self.setText("✔ " + text)

    def refused(self, text: str) -> None:
        self.setText("✖ " + text)

    def note(self, text: str) -> None:
        self.setText(text)
