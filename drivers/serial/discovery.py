"""Discovery: the serial ports the system offers, for a settings screen. Never raises."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from serial.tools import list_ports as _lp  # type: ignore[import-untyped]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PortInfo:
    device: str
    description: str
    vid: int | None
    pid: int | None
    serial_number: str | None
    manufacturer: str | None


def list_ports() -> list[PortInfo]:
    """Ports from ``serial.tools.list_ports.comports()``, sorted by device; ``[]`` on any error."""
    try:
        found = [
            PortInfo(
                device=str(p.device),
                description=str(p.description or ""),
                vid=p.vid,
                pid=p.pid,
                serial_number=p.serial_number,
                manufacturer=p.manufacturer,
            )
            for p in _lp.comports()
        ]
    except Exception:
        _log.warning("serial port discovery failed", exc_info=True)
        return []
    return sorted(found, key=lambda p: p.device)
