"""RawScan: what every scan source (serial, keyboard wedge, camera, simulated) delivers.

The bytes are kept exactly as received; interpreting them is the code reader's job.

>>> scan = RawScan.now(b"]d2010401234512345617261200", source="simulated:bench")
>>> scan.source, scan.raw[:3]
('simulated:bench', b']d2')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class RawScan:
    """One read, byte for byte, with where and when it came from.

    ``symbology`` is set only when the device reports the AIM identifier separately from the
    data (camera decoders do); scanners with AIM IDs on send it inside ``raw``.
    """

    raw: bytes
    source: str
    received_at: datetime
    symbology: str | None = None

    @classmethod
    def now(cls, raw: bytes, source: str, symbology: str | None = None) -> RawScan:
        return cls(raw, source, datetime.now(UTC), symbology)

    def reader_input(self) -> bytes:
        """The bytes to give the code reader: the AIM identifier in front, as a scanner sends it."""
        if self.symbology and not self.raw.startswith(self.symbology.encode("ascii")):
            return self.symbology.encode("ascii") + self.raw
        return self.raw
