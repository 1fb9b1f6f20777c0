"""StationOp: run one write on the database writer, get the outcome on the GUI thread.

The GUI thread never waits for SQLite (``docs/architecture.md`` §4). An operation is a
function of the writer's connection; it runs in the writer's transaction and the future
resolves after COMMIT, so ``success`` means durably recorded (DUR-2). The callbacks run on
the GUI thread, through a queued signal, whatever thread resolves the future.

    StationOp(parent, writer, fn).success(show_recorded).failure(show_error).run()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection

from station.persistence.writer import DbWriter
from ui.gui_thread import call_on_gui_thread
from ui.qt import QObject

_log = logging.getLogger(__name__)
T = TypeVar("T")


class StationOp(Generic[T]):
    """One write; ``success(result)`` or ``failure(exception)`` called on the GUI thread.

    Results for a ``parent`` deleted meanwhile (its window closed) are dropped instead of
    calling into deleted widgets. The op is a plain object, not a QObject: nothing is created
    or deleted on the Qt side per write, so there is no Qt lifetime to race with the writer.
    """

    def __init__(
        self, parent: QObject | None, writer: DbWriter, fn: Callable[[Connection], T]
    ) -> None:
        self._parent = parent
        self._writer = writer
        self._fn = fn
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None

    def success(self, callback: Callable[[T], None]) -> StationOp[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> StationOp[T]:
        self._on_failure = callback
        return self

    def run(self) -> Future[T]:
        """Submit to the writer; a refusal at submit time (writer closed) is a failure too."""
        try:
            future = self._writer.submit(self._fn)
        except Exception as exc:  # a refusal at submit is reported like any other
            failed: Future[T] = Future()
            failed.set_exception(exc)
            future = failed
        future.add_done_callback(self._resolved)
        return future

    def _resolved(self, future: Future[T]) -> None:
        # On the writer thread (or here, if already done): hand over, never call the UI.
        call_on_gui_thread(self._parent, lambda: self._finished(future))

    def _finished(self, future: Future[Any]) -> None:
        exc = future.exception()
        if exc is None:
            if self._on_success is not None:
                self._on_success(future.result())
        elif self._on_failure is not None:
            self._on_failure(exc)
        else:
            _log.error("write failed and nobody was told: %s", exc)
