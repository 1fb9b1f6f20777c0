"""Small pieces the Admin screen's tabs share: plain-text labels, masked secret fields, reads
off the GUI thread, and the outcome line each tab shows.

Everything shown from data (user names, printed names, template authors, device names, error
texts) is plain text (SEC-8): labels are ``Qt.PlainText``, tables use the default delegate with
no tooltips, and the only tooltips (setting help) are escaped first.
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from sqlalchemy import Connection

from station.access import NotAuthenticatedError, NotPermittedError
from station.persistence.store import Store
from station.services.errors import Refused
from ui.display import visible
from ui.gui_thread import call_on_gui_thread
from ui.qt import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QObject,
    QStandardItem,
    Qt,
    QTableView,
    QWidget,
)

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
T = TypeVar("T")


def plain_label(text: str, parent: QWidget, *, name: str = "", bold: bool = False) -> QLabel:
    """A label that never renders markup or opens links (SEC-8)."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(False)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


def plain_tooltip(text: str) -> str:
    """Tooltip text shown exactly as written (SEC-8). Qt guesses rich text in tooltips only
    from a ``<`` tag, so text without ``<`` is plain as it is; text with one (never the case
    for the station's own help texts) is escaped so that it still shows literally."""
    if "<" not in text:
        return text
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def secret_field(parent: QWidget, name: str) -> QLineEdit:
    """A PIN or password entry: masked, no context menu (no copy, no paste of a secret into a
    log), no input-method prediction or history (P11-U4)."""
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)  # noqa: FBT003 - Qt API
    field.setInputMethodHints(
        Qt.InputMethodHint.ImhHiddenText
        | Qt.InputMethodHint.ImhSensitiveData
        | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhNoAutoUppercase
    )
    field.setDragEnabled(False)
    field.setMaxLength(128)
    return field


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


def run_in_background(
    owner: QObject,
    work: Callable[[], T],
    done: Callable[[T], None],
    failed: Callable[[BaseException], None],
    *,
    name: str,
) -> threading.Thread:
    """``work()`` on a daemon thread; its outcome to ``done``/``failed`` on the GUI thread
    (dropped if ``owner`` was deleted meanwhile)."""

    def run() -> None:
        try:
            result = work()
        except Exception as error:  # every failure is reported to the tab
            _log.debug("%s failed", name, exc_info=True)
            call_on_gui_thread(owner, partial(failed, error))
            return
        call_on_gui_thread(owner, lambda: done(result))

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


def run_read(
    owner: QObject,
    store: Store,
    work: Callable[[Connection], T],
    done: Callable[[T], None],
    failed: Callable[[BaseException], None],
    *,
    name: str,
) -> threading.Thread:
    """``work(conn)`` on a read connection of its own, off the GUI thread."""

    def read() -> T:
        with store.engine.connect() as conn:
            return work(conn)

    return run_in_background(owner, read, done, failed, name=name)


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
