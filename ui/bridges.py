"""Bridges: turn device callbacks (on device threads) into Qt signals (delivered on the GUI thread).

A bridge is a QObject living in the GUI thread. The device calls it like any Python callback,
on the device's thread; the bridge posts the news to the GUI thread and emits its signal there
(:mod:`ui.gui_thread`, ``docs/architecture.md`` §4), so a bridge deleted with its window
simply drops news that arrives late.

:class:`ScannerBridge` carries scans; :class:`DeviceStateBridge` carries a device's connection
state and errors, for devices that report them (``on_state`` / ``on_error``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeGuard

from station.ports import ScanSource
from station.scanning.raw import RawScan
from ui.gui_thread import call_on_gui_thread
from ui.qt import QObject, Qt, Signal


class ScannerBridge(QObject):
    """``scanned(RawScan)`` for every scan of one :class:`ScanSource`."""

    scanned = Signal(object)

    def __init__(self, source: ScanSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source_name = source.name
        source.subscribe(self._on_scan)  # called on the source's thread

    def _on_scan(self, scan: RawScan) -> None:
        call_on_gui_thread(self, lambda: self.scanned.emit(scan))

    def connect_to(self, slot: Callable[[RawScan], None]) -> None:
        """Deliver scans to ``slot`` on the GUI thread, whatever kind of callable it is."""
        self.scanned.connect(slot, Qt.ConnectionType.QueuedConnection)


class StatefulSource(Protocol):
    """A device that reports its connection state and errors (serial scanners, the camera)."""

    @property
    def name(self) -> str: ...

    def on_state(self, callback: Callable[[Any, str | None], None]) -> None: ...

    def on_error(self, callback: Callable[[str], None]) -> None: ...


def has_state(source: object) -> TypeGuard[StatefulSource]:
    return callable(getattr(source, "on_state", None)) and callable(
        getattr(source, "on_error", None)
    )


class DeviceStateBridge(QObject):
    """``state_changed(str)`` and ``error(str)`` of one device, delivered on the GUI thread.

    States are the device's own words (``connecting``, ``connected``, ``disconnected``,
    ``stopped`` for a serial scanner). The detail that comes with a state change (why a port
    could not be opened, why a read failed) is sent as ``error`` first, so a view showing the
    state already knows why.
    """

    state_changed = Signal(str)
    error = Signal(str)

    def __init__(self, source: StatefulSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.device_name = source.name
        source.on_state(self._on_state)  # both called on the device's thread
        source.on_error(self._on_error)

    def _on_state(self, state: object, detail: str | None) -> None:
        if detail:
            self._on_error(detail)
        text = str(getattr(state, "value", state))
        call_on_gui_thread(self, lambda: self.state_changed.emit(text))

    def _on_error(self, message: str) -> None:
        call_on_gui_thread(self, lambda: self.error.emit(message))
