"""FileTransport: each job becomes one file in a folder, for preview and audit.

Names are ``<UTC timestamp>-<n>.<ext>`` (``20250115T103000.123456Z-000001.zpl``), unique even
across processes. A job appears under its final name only when complete: it is written to a
hidden temporary file, flushed and fsynced, then published without overwriting (a hard link on
POSIX, a rename that refuses to replace on Windows), and the folder itself is fsynced. So a
reader never sees a partial file, and "accepted" means the job is durable on disk.

>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> path = FileTransport(Path(folder), "zpl").send(b"^XA^XZ", timeout=5.0)
>>> Path(path).read_bytes(), Path(path).suffix
(b'^XA^XZ', '.zpl')
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import re
import threading
from pathlib import Path

from drivers.printers.deadline import MAX_REPLY, Deadline, ReplyComplete
from drivers.printers.errors import PrinterConfigError, PrinterError

_EXTENSION = re.compile(r"[A-Za-z0-9]{1,10}")
_ATTEMPTS = 1000  # names tried per job before giving up (another writer cannot take them all)


class FileTransport:
    """Writes jobs as files. Thread-safe; several processes may share one folder."""

    def __init__(self, folder: Path, extension: str = "zpl") -> None:
        if not _EXTENSION.fullmatch(extension):
            msg = f"file extension must be 1-10 letters or digits without a dot, not {extension!r}"
            raise PrinterConfigError(msg)
        self.folder = Path(folder)
        self.extension = extension
        self._counter = itertools.count(1)
        self._temp_counter = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"file:{self.folder}"

    @staticmethod
    def is_usable() -> tuple[bool, str]:
        return True, "writes to a folder"

    def send(self, data: bytes, *, timeout: float) -> str:
        """Write the job; return the path of the new file. The timeout is not enforced: a local
        disk write cannot be interrupted, and a failing one raises instead of hanging."""
        Deadline(timeout)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self._write_temp(data)
            try:
                final = self._publish(tmp)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
            _fsync_folder(self.folder)
        except OSError as exc:
            msg = (
                f"{self.name}: cannot write the label file ({exc.strerror or exc}); "
                "check the folder and the free space"
            )
            raise PrinterError(msg, total=len(data)) from exc
        return str(final)

    def query(
        self,
        command: bytes,  # noqa: ARG002 - same signature as the others
        *,
        timeout: float,  # noqa: ARG002
        complete: ReplyComplete | None = None,  # noqa: ARG002
        max_reply: int = MAX_REPLY,  # noqa: ARG002
    ) -> bytes:
        msg = f"{self.name}: a file cannot report status"
        raise PrinterError(msg)

    def close(self) -> None:
        """Nothing to release: every job opens and closes its own file."""

    def _write_temp(self, data: bytes) -> Path:
        with self._lock:
            n = next(self._temp_counter)
        tmp = self.folder / f".{os.getpid()}-{threading.get_ident()}-{n}.tmp"
        try:
            with tmp.open("xb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return tmp

    def _publish(self, tmp: Path) -> Path:
        for _ in range(_ATTEMPTS):
            with self._lock:
                n = next(self._counter)
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
            final = self.folder / f"{stamp}-{n:06d}.{self.extension}"
            try:
                if os.name == "nt":
                    tmp.rename(final)  # refuses to replace an existing file on Windows
                else:
                    os.link(tmp, final)  # refuses to replace; os.rename would overwrite
            except FileExistsError:
                continue
            return final
        msg = f"{self.name}: no free file name after {_ATTEMPTS} tries"
        raise PrinterError(msg)


def _fsync_folder(folder: Path) -> None:
    """Make the new name itself durable (POSIX; Windows has no directory handles to sync)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
