"""Printer transports (bytes to a printer), ZPL printer status, and the simulated ZPL printer.

``open_transport(settings)`` builds a :class:`Transport`; ``printer_status(transport)`` asks a
ZPL printer how it is. See ``docs/printers.md``.
"""

from __future__ import annotations

from drivers.printers.errors import (
    PrinterConfigError,
    PrinterError,
    PrinterStatusError,
    PrinterTimeoutError,
)
from drivers.printers.status import PrinterStatus, parse_host_status, printer_status
from drivers.printers.transport import Transport, open_transport, transport_kinds

__all__ = [
    "PrinterConfigError",
    "PrinterError",
    "PrinterStatus",
    "PrinterStatusError",
    "PrinterTimeoutError",
    "Transport",
    "open_transport",
    "parse_host_status",
    "printer_status",
    "transport_kinds",
]
