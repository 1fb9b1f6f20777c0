"""Ports: the interfaces the domain core declares and the outer layers implement.

``drivers`` implements scan sources; ``ui`` bridges them into Qt. Nothing here imports a device
or GUI library.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from station.scanning.raw import RawScan

ScanCallback = Callable[[RawScan], None]


class ScanSource(Protocol):
    """Anything that produces scans: a serial scanner, a keyboard wedge, a camera, a twin.

    Callbacks run on the source's own thread; subscribers must hand work off quickly.
    """

    @property
    def name(self) -> str: ...

    def subscribe(self, callback: ScanCallback) -> None: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...
