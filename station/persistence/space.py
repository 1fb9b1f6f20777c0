"""Free disk space: warn early, refuse before SQLite would fail half-way (DUR-6).

Below the warning level the operator is told to make room; below the floor no new write is
started, so a scan is refused up front with a clear message instead of by SQLITE_FULL in
the middle of a transaction. (SQLITE_FULL is still handled by the writer: other programs
can fill the disk between the check and the write.)
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from station.errors import StorageError

MB = 1024 * 1024
WARN_BELOW = 500 * MB
REFUSE_BELOW = 100 * MB

_log = logging.getLogger(__name__)


class SpaceLevel(StrEnum):
    OK = "ok"
    LOW = "low"  # warn the operator
    CRITICAL = "critical"  # refuse new work


@dataclass(frozen=True)
class DiskSpace:
    free_bytes: int
    level: SpaceLevel


def disk_space(
    db_path: Path, *, warn_below: int = WARN_BELOW, refuse_below: int = REFUSE_BELOW
) -> DiskSpace:
    """Free space on the file system that holds ``db_path``."""
    free = shutil.disk_usage(Path(db_path).absolute().parent).free
    if free < refuse_below:
        return DiskSpace(free, SpaceLevel.CRITICAL)
    return DiskSpace(free, SpaceLevel.LOW if free < warn_below else SpaceLevel.OK)


class SpaceGuard:
    """Run by the writer before each transaction: refuses below the floor, warns below the
    warning level (logged once per change of level, so a long low-space spell is one line)."""

    def __init__(
        self, db_path: Path, *, warn_below: int = WARN_BELOW, refuse_below: int = REFUSE_BELOW
    ) -> None:
        self.db_path = Path(db_path)
        self.warn_below = warn_below
        self.refuse_below = refuse_below
        self.last = SpaceLevel.OK

    def __call__(self) -> None:
        space = disk_space(self.db_path, warn_below=self.warn_below, refuse_below=self.refuse_below)
        changed, self.last = space.level != self.last, space.level
        free_mb = space.free_bytes // MB
        if space.level is SpaceLevel.CRITICAL:
            msg = (
                f"the station's disk is almost full ({free_mb} MB free, at least "
                f"{self.refuse_below // MB} MB needed): the scan was NOT recorded; "
                "free space and scan again"
            )
            raise StorageError(msg)
        if space.level is SpaceLevel.LOW and changed:
            _log.warning("disk space low: %d MB free beside %s", free_mb, self.db_path)
