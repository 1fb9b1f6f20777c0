"""ScanRecorder: a scan in, an event durably recorded (or a clear refusal) out, on the GUI thread.

The flow of ``docs/architecture.md``: device thread → bridge → **here**: code reader (pure,
fast, on the GUI thread) → the screen's operation, run by the single DB writer → ``recorded``
once COMMIT has returned, so the operator only sees "recorded" for what is on disk (DUR-2).
A code the reader refuses never reaches the writer; a write the store refuses is reported
with the store's message. Nothing is retried silently: the operator scans again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from station.errors import StationError
from station.persistence.writer import DbWriter
from station.scanning.raw import RawScan
from station.udi.model import ParsedCode
from station.udi.normalize import DEFAULT_CONFIG, ReaderConfig
from station.udi.reader import read_scan
from ui.qt import QObject, Signal
from ui.tasks import StationOp

#: What a screen does with a valid code: a function of the writer's connection.
Operation = Callable[[RawScan, ParsedCode], Callable[[Connection], Any]]


class ScanRecorder(QObject):
    """``on_scan(RawScan)`` → ``recorded(scan, parsed, result)`` or ``refused(scan, message)``."""

    recorded = Signal(object, object, object)
    refused = Signal(object, str)

    def __init__(
        self,
        writer: DbWriter,
        operation: Operation,
        reader_config: ReaderConfig = DEFAULT_CONFIG,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._writer = writer
        self._operation = operation
        self._reader_config = reader_config

    def on_scan(self, scan: RawScan) -> None:
        parsed = read_scan(scan.reader_input(), self._reader_config)
        if not parsed.valid:
            first = parsed.errors[0].message if parsed.errors else "not a known code format"
            self.refused.emit(scan, first)
            return
        try:
            write = self._operation(scan, parsed)
        except StationError as exc:  # the screen refuses this code (wrong kind, missing field)
            self.refused.emit(scan, str(exc))
            return
        StationOp(self, self._writer, write).success(
            lambda result: self.recorded.emit(scan, parsed, result)
        ).failure(lambda exc: self.refused.emit(scan, str(exc))).run()
