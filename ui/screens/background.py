"""Reads and exports off the GUI thread (``docs/architecture.md`` §4), results back on it.

A screen calls :func:`run_read` with a function of a read connection; it runs on a plain
daemon thread with its own connection on ``store.engine`` (WAL: readers never block the
writer), and ``done(result)`` or ``failed(error)`` is then called on the GUI thread through
:func:`~ui.gui_thread.call_on_gui_thread`, unless the screen was deleted meanwhile.
:class:`Latest` drops answers that a newer request has overtaken (two scans in quick
succession show the second one, whatever order the reads finish in).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from sqlalchemy import Connection

from station.persistence.store import Store
from ui.gui_thread import call_on_gui_thread
from ui.qt import QObject

__all__ = ["Latest", "run_job", "run_read"]

_log = logging.getLogger(__name__)
T = TypeVar("T")


def run_job(
    owner: QObject,
    work: Callable[[], T],
    done: Callable[[T], None],
    failed: Callable[[BaseException], None],
    *,
    name: str,
) -> threading.Thread:
    """``work()`` on a new daemon thread; its outcome to ``done`` or ``failed`` on the GUI."""

    def run() -> None:
        try:
            result = work()
        except Exception as error:  # every failure is reported to the screen
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
    """``work(conn)`` on a read connection of its own, on a worker thread."""

    def read() -> T:
        with store.engine.connect() as conn:
            return work(conn)

    return run_job(owner, read, done, failed, name=name)


class Latest:
    """Numbers requests; only the newest one's answer is shown."""

    def __init__(self) -> None:
        self._current = 0

    def next(self) -> int:
        self._current += 1
        return self._current

    def is_current(self, ticket: int) -> bool:
        return ticket == self._current
