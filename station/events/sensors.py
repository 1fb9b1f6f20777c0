"""Temperature and humidity readings attached to an event (EPCIS ``sensorElementList``).

The schema types ``uom`` as any string, so ``"celsius"`` would pass; the units are checked here
against UN/CEFACT Rec. 20 for the measurement type.

>>> SensorReport("Temperature", 4.2, "CEL").to_epcis()
{'type': 'Temperature', 'value': 4.2, 'uom': 'CEL'}
>>> SensorReport("Temperature", 4.2, "celsius")
Traceback (most recent call last):
...
ValueError: Temperature in 'celsius': use one of CEL, FAH, KEL (UN/CEFACT Rec. 20)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from station.events.timefmt import require_aware, utc_millis
from station.events.vocab import check_uri

__all__ = ["UNITS", "SensorElement", "SensorReport"]

#: Measurement type (CBV/GS1 measurement-type vocabulary) → its Rec. 20 unit codes.
UNITS: dict[str, frozenset[str]] = {
    "Temperature": frozenset({"CEL", "FAH", "KEL"}),
    "RelativeHumidity": frozenset({"P1"}),  # P1 = percent
}


@dataclass(frozen=True, slots=True)
class SensorReport:
    type: str
    value: float
    uom: str
    time: datetime | None = None

    def __post_init__(self) -> None:
        units = UNITS.get(self.type)
        if units is None:
            msg = f"measurement type {self.type!r} is not one of {sorted(UNITS)}"
            raise ValueError(msg)
        if self.uom not in units:
            codes = ", ".join(sorted(units))
            msg = f"{self.type} in {self.uom!r}: use one of {codes} (UN/CEFACT Rec. 20)"
            raise ValueError(msg)
        if not math.isfinite(self.value):
            msg = f"{self.type} value {self.value!r} is not a finite number"
            raise ValueError(msg)
        if self.time is not None:
            require_aware(self.time, "sensor report time")

    def to_epcis(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "value": self.value, "uom": self.uom}
        if self.time is not None:
            out["time"] = utc_millis(self.time)
        return out


@dataclass(frozen=True, slots=True)
class SensorElement:
    """Readings from one device at one time (``sensorMetadata`` + ``sensorReport``)."""

    reports: tuple[SensorReport, ...]
    time: datetime | None = None
    device_id: str | None = None

    def __post_init__(self) -> None:
        if not self.reports:
            msg = "a sensor element needs at least one report"
            raise ValueError(msg)
        if self.time is not None:
            require_aware(self.time, "sensor time")
        if self.device_id is not None:
            check_uri("sensor deviceID", self.device_id)

    def to_epcis(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sensorReport": [report.to_epcis() for report in self.reports]}
        metadata: dict[str, Any] = {}
        if self.time is not None:
            metadata["time"] = utc_millis(self.time)
        if self.device_id is not None:
            metadata["deviceID"] = self.device_id
        if metadata:
            out["sensorMetadata"] = metadata
        return out
