"""Run a callable on the GUI thread from any thread, safely even while windows close.

Device threads and the database writer hand their news to the GUI (``docs/architecture.md``
§4). Emitting a signal of a widget or bridge from such a thread races with the GUI thread
deleting that object (a window closing): Qt then reads a half-destroyed object, and the
process dies with a segmentation fault, not an exception. So no foreign thread emits on an
object that may be deleted. They all post through one dispatcher that lives as long as the
process; on the GUI thread, the call runs only if its owner still exists. Both the deletion
and the check happen on the GUI thread, so they cannot interleave.

    call_on_gui_thread(bridge, lambda: bridge.scanned.emit(scan))  # from any thread
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from ui.qt import QCoreApplication, QObject, Qt, Signal, Slot, is_alive

__all__ = ["call_on_gui_thread"]

_log = logging.getLogger(__name__)


class _Dispatcher(QObject):
    """Never deleted (module-level, no parent), so emitting on it from any thread is safe."""

    posted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.posted.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, call: Callable[[], None]) -> None:
        try:
            call()
        except Exception:  # one faulty slot must not take the event loop down
            _log.exception("a call posted to the GUI thread failed")


_lock = threading.Lock()
_made: list[_Dispatcher] = []  # the one dispatcher, once made; never emptied


def _the_dispatcher() -> _Dispatcher:
    with _lock:
        if not _made:
            app = QCoreApplication.instance()
            if app is None:
                raise RuntimeError("no QApplication: nothing runs the GUI thread")
            made = _Dispatcher()
            made.moveToThread(app.thread())  # created on a worker, it must still run on the GUI
            _made.append(made)
        return _made[0]


def call_on_gui_thread(owner: QObject | None, call: Callable[[], None]) -> None:
    """Run ``call`` on the GUI thread, later, unless ``owner`` has been deleted by then
    (no owner: always run).

    Callable from any thread, the GUI thread included (the call is then deferred, never run
    inside the caller). Calls posted from one thread run in the order they were posted.
    """

    def guarded() -> None:
        if owner is None or is_alive(owner):
            call()
        else:
            _log.info("dropped news for a closed %s", type(owner).__name__)

    _the_dispatcher().posted.emit(guarded)
