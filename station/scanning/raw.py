"""RawScan: what every scan source (serial, keyboard wedge, camera, simulated) delivers.

The bytes are kept exactly as received; interpreting them is the code reader's job.

>>> scan = RawScan.now(b"]d2010401234512345617261200", source="simulated:bench")
>>> scan.source, scan.raw[:3]
('simulated:bench', b']d2')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class RawScan:
    """One read, byte for byte, with where and when it came from.

    ``symbology`` is set only when the device reports the AIM identifier separately from the
    data (camera decoders do); scanners with AIM IDs on send it inside ``raw``.

    A camera also says where the code was: ``corners`` (four points in frame pixels) and
    ``image``, the frame it was read in. The image is opaque here (the domain core never looks
    at pixels) and is left out of comparisons, so two reads of the same code compare equal.
    """

    raw: bytes
    source: str
    received_at: datetime
    symbology: str | None = None
    corners: tuple[tuple[int, int], ...] | None = None
    image: object | None = field(default=None, compare=False, repr=False)

    @classmethod
    def now(
        cls,
        raw: bytes,
        source: str,
        symbology: str | None = None,
        *,
        corners: tuple[tuple[int, int], ...] | None = None,
        image: object | None = None,
    ) -> RawScan:
        return cls(raw, source, datetime.now(UTC), symbology, corners, image)

    def reader_input(self) -> bytes:
        """The bytes to give the code reader: the AIM identifier in front, as a scanner sends it."""
        if self.symbology and not self.raw.startswith(self.symbology.encode("ascii")):
            return self.symbology.encode("ascii") + self.raw
        return self.raw
