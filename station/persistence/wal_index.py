"""Detect a write-ahead log that was deleted or cut short while it still held commits (DUR-5).

After a crash, committed transactions may live only in ``<db>-wal``. If someone deletes that
file, SQLite silently opens the older state in the main file: no error, acknowledged events
gone. The ``-shm`` file (SQLite's WAL index) still says how many frames the log held and how
many were already copied into the database, so the loss is visible *before* opening the file.
Layout: https://www.sqlite.org/walformat.html (native byte order).
"""

from __future__ import annotations

import struct
import sys
from dataclasses import dataclass
from pathlib import Path

_WAL_HEADER = 32
_FRAME_HEADER = 24
_HEADER_COPY = 48  # the WAL-index header is stored twice, back to back
_CHECKPOINT_INFO = 96


@dataclass(frozen=True)
class WalIndex:
    initialised: bool
    page_size: int
    max_frame: int  # frames in the log that are part of a committed transaction
    backfilled: int  # frames already copied into the main database file

    @property
    def unsaved_frames(self) -> int:
        return max(self.max_frame - self.backfilled, 0)

    def wal_bytes_needed(self) -> int:
        return _WAL_HEADER + self.max_frame * (_FRAME_HEADER + self.page_size)


def read_wal_index(shm: bytes) -> WalIndex | None:
    """The WAL-index header, or None when the file is too short or its two copies disagree."""
    if len(shm) < _CHECKPOINT_INFO + 4:
        return None
    first, second = shm[:_HEADER_COPY], shm[_HEADER_COPY : 2 * _HEADER_COPY]
    if first != second:  # a writer was mid-update: the index is not trustworthy
        return None
    order = "<" if sys.byteorder == "little" else ">"
    is_init, raw_page_size, max_frame = struct.unpack_from(order + "B x H I", first, 12)
    (backfilled,) = struct.unpack_from(order + "I", shm, _CHECKPOINT_INFO)
    page_size = (raw_page_size & 0xFE00) + ((raw_page_size & 1) << 16)
    return WalIndex(bool(is_init), page_size, max_frame, backfilled)


def missing_wal_problem(db_path: Path) -> str | None:
    """Why the log beside ``db_path`` has lost commits, or None if nothing shows it has."""
    shm_path = db_path.with_name(db_path.name + "-shm")
    wal_path = db_path.with_name(db_path.name + "-wal")
    if not shm_path.exists():
        return None
    index = read_wal_index(shm_path.read_bytes())
    if index is None or not index.initialised or index.unsaved_frames == 0:
        return None
    if not wal_path.exists():
        return (
            f"the write-ahead log {wal_path.name} is missing but held "
            f"{index.unsaved_frames} frames of committed data not yet in the database"
        )
    if wal_path.stat().st_size < index.wal_bytes_needed():
        return f"the write-ahead log {wal_path.name} is shorter than its committed frames"
    return None
