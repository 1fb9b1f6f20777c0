"""Bridges: turn device callbacks (on device threads) into Qt signals (delivered on the GUI thread).

A bridge is a QObject living in the GUI thread. The device calls it like any Python callback;
the signal it emits is queued to the GUI thread because the emitting thread differs
(``docs/architecture.md`` §4). Connect it to methods of GUI-thread objects, or pass
``Qt.ConnectionType.QueuedConnection`` explicitly, as :meth:`ScannerBridge.connect_to` does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from station.ports import ScanSource
from station.scanning.raw import RawScan
from ui.qt import QObject, Qt, Signal

_log = logging.getLogger(__name__)


class ScannerBridge(QObject):
    """``scanned(RawScan)`` for every scan of one :class:`ScanSource`."""

    scanned = Signal(object)

    def __init__(self, source: ScanSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source_name = source.name
        source.subscribe(self._on_scan)  # called on the source's thread

    def _on_scan(self, scan: RawScan) -> None:
        try:
            self.scanned.emit(scan)
        except RuntimeError:
            # The bridge was deleted before its device stopped (window closing): drop the scan.
            _log.warning("scan from %s arrived after its bridge was closed", self.source_name)

    def connect_to(self, slot: Callable[[RawScan], None]) -> None:
        """Deliver scans to ``slot`` on the GUI thread, whatever kind of callable it is."""
        self.scanned.connect(slot, Qt.ConnectionType.QueuedConnection)
