"""The Qt binding must not lose references to Python's singletons.

PySide6 6.12.0's ``Signal.emit()`` dropped a reference to ``True`` on every call: a station
showing camera previews (15 signals a second) would have crashed once ``True``'s count ran out,
and the test run did crash at exit. ``pyproject.toml`` excludes that version; these tests fail on
any binding that brings the bug back.
"""

from __future__ import annotations

import sys
import threading

import pytest

from ui.qt import QApplication, QObject, Qt, Signal, Slot

EMITS = 500


class _Hops(QObject):
    bare = Signal()
    text = Signal(str)
    value = Signal(object)

    def __init__(self, connection: Qt.ConnectionType) -> None:
        super().__init__()
        self.received = 0
        self.bare.connect(self._take_bare, connection)
        self.text.connect(self._take, connection)
        self.value.connect(self._take, connection)

    @Slot()
    def _take_bare(self) -> None:
        self.received += 1

    @Slot(object)
    def _take(self, _value: object) -> None:
        self.received += 1


def _singletons() -> tuple[int, int, int]:
    return sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)


@pytest.mark.parametrize(
    "connection", [Qt.ConnectionType.DirectConnection, Qt.ConnectionType.QueuedConnection]
)
@pytest.mark.parametrize("from_a_thread", [False, True])
def test_emitting_signals_keeps_the_references_to_true_false_and_none(
    qapp: QApplication, connection: Qt.ConnectionType, from_a_thread: bool
) -> None:
    hops = _Hops(connection)
    payload = object()

    def emit_all() -> None:
        for _ in range(EMITS):
            hops.bare.emit()
            hops.text.emit("scan")
            hops.value.emit(payload)

    before = _singletons()
    if from_a_thread:
        worker = threading.Thread(target=emit_all)
        worker.start()
        worker.join()
    else:
        emit_all()
    while hops.received < 3 * EMITS:
        qapp.processEvents()
    after = _singletons()
    # A few references come and go with the interpreter's own work; a lost one per emit
    # would show as -1,500 or worse.
    lost = [b - a for a, b in zip(after, before, strict=True)]
    assert max(lost) < 20, f"references lost to True, False, None: {lost}"
