"""A small LD_PRELOAD fault shim for the storage tests (DUR-3, DUR-6), in place of LazyFS.

``faultshim.c`` wraps the write and sync calls a child process makes on files in one directory
(see its header comment). This module builds it, sets up a child's environment and turns its
undo log into a simulated power loss:

- **I/O errors** (DUR-6): :func:`set_control` writes ``fail-write N``, ``fail-sync N`` (optionally
  followed by ``ENOSPC``; EIO by default) or ``ok`` to the control file, which the shim re-reads
  on every call, so one running process can fail and then recover. ``delay-sync U`` makes every
  fsync first sleep U microseconds, as a disk flushing its cache would (on tmpfs fsync is free,
  and a kill would rarely land between a write and its fsync).
- **Power loss** (DUR-3, LazyFS ``lose-unfsynced-writes``): the shim logs what each write
  replaces and each successful fsync; after the child is SIGKILLed, :func:`simulate_power_loss`
  rolls every file back to its content at its last fsync and deletes the ``-shm`` files.

Limits, compared with a real power cut:

- Only file *contents and sizes* are rolled back. Directory entries are not: a file created,
  renamed or unlinked since the last directory fsync stays as it is (a file created since its
  last fsync is truncated to 0 bytes, not removed). SQLite in WAL mode never renames, and
  creates the ``-wal`` once and deletes it only at a clean close, which a killed worker never
  reaches, so this costs little here.
- Writes through ``mmap`` are not seen. With the default ``mmap_size=0`` SQLite writes only the
  ``-shm`` index that way, and a reboot loses that file's content anyway: it is deleted and
  SQLite rebuilds it from the WAL.
- Every unsynced write is lost, whole (LazyFS's model too). A real disk may also keep some of
  them, in any order, or tear a sector; those in-between states are not produced.
- ``pwritev``, ``fallocate``, ``truncate(path)`` and ``copy_file_range`` are not wrapped (SQLite
  does not use them); ``O_APPEND`` writes are undone by truncation.
- Linux only (``LD_PRELOAD``, ``/proc/self/fd``), and only processes started with the
  environment from :meth:`Shim.child_env` are affected; the undo log is not fsynced, since only the
  process dies, not the kernel.

So the shim proves the station calls fsync on the right files in the right order; it cannot
prove that a disk honours fsync.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import struct
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

SOURCE = Path(__file__).with_name("faultshim.c")
CFLAGS = ("-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror")
LIBS = ("-ldl", "-lpthread")

# An undo-log record header: tag, path length, offset, old size, data length (faultshim.c).
_HEADER = struct.Struct("=4sIqqQ")
_UNDO = b"UNDO"
_SYNC = b"SYNC"


class ShimUnavailableError(RuntimeError):
    """The shim cannot be built or used on this machine (not Linux, or no C compiler)."""


def unavailable_reason() -> str | None:
    """Why the shim cannot run here, or None; for ``pytest.mark.skipif``."""
    if sys.platform != "linux":
        return "the fault shim needs LD_PRELOAD and /proc (Linux)"
    if shutil.which(os.environ.get("CC", "gcc")) is None:
        return "the fault shim needs a C compiler (gcc, or $CC)"
    return None


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "udi-station-faultshim"


def build(cache_dir: Path | None = None) -> Path:
    """Compile ``faultshim.c`` once per source version; returns the shared library's path.

    The file name carries a hash of the source, flags and machine, so an edited shim is rebuilt
    and concurrent test runs never see a half-written library (it is renamed into place).
    """
    if (reason := unavailable_reason()) is not None:
        raise ShimUnavailableError(reason)
    compiler = os.environ.get("CC", "gcc")
    key = hashlib.sha256(
        SOURCE.read_bytes() + " ".join((*CFLAGS, *LIBS, platform.machine())).encode()
    ).hexdigest()[:16]
    directory = cache_dir or _default_cache()
    library = directory / f"faultshim-{key}.so"
    if library.exists():
        return library
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".faultshim-{key}-{os.getpid()}.so"
    result = subprocess.run(
        [compiler, *CFLAGS, "-o", str(partial), str(SOURCE), *LIBS],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        msg = f"building the fault shim failed:\n{result.stderr}"
        raise ShimUnavailableError(msg)
    partial.replace(library)
    return library


@dataclass(frozen=True)
class Shim:
    """One shim set-up: the library, the directory it watches, its control file and undo log."""

    library: Path
    directory: Path
    control: Path
    undo_log: Path | None

    @classmethod
    def create(cls, library: Path, directory: Path, scratch: Path, *, undo: bool = False) -> Shim:
        """Watch ``directory``; the control file and undo log live in ``scratch`` (outside it)."""
        directory = directory.resolve()  # the shim compares against /proc/self/fd paths
        scratch = scratch.resolve()
        if scratch == directory or directory in scratch.parents:
            msg = "the control file and undo log must live outside the watched directory"
            raise ValueError(msg)
        undo_log = scratch / "faultshim.undo" if undo else None
        shim = cls(library, directory, scratch / "faultshim.ctl", undo_log)
        set_control(shim.control, "ok")
        if shim.undo_log is not None:
            shim.undo_log.write_bytes(b"")
        return shim

    def child_env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment for a child process that runs under the shim."""
        env = dict(os.environ if base is None else base)
        preload = env.get("LD_PRELOAD")
        env["LD_PRELOAD"] = f"{self.library} {preload}" if preload else str(self.library)
        env["FAULTSHIM_DIR"] = str(self.directory)
        env["FAULTSHIM_CTL"] = str(self.control)
        if self.undo_log is not None:
            env["FAULTSHIM_UNDO"] = str(self.undo_log)
        else:
            env.pop("FAULTSHIM_UNDO", None)
        return env


def set_control(control: Path, command: str) -> None:
    """Replace the control file's content at once (a rename), so no call reads half of it."""
    partial = control.with_name(control.name + ".new")
    partial.write_text(command + "\n", encoding="ascii")
    partial.replace(control)


@dataclass(frozen=True)
class UndoRecord:
    tag: bytes  # b"UNDO" or b"SYNC"
    path: Path
    offset: int
    old_size: int
    data: bytes


def read_undo_log(undo_log: Path) -> list[UndoRecord]:
    """Every complete record, in order.

    An incomplete last record is dropped: the process died while logging it, which is before
    the write it describes was made.
    """
    raw = undo_log.read_bytes()
    records: list[UndoRecord] = []
    at = 0
    while len(raw) - at >= _HEADER.size:
        tag, path_len, offset, old_size, data_len = _HEADER.unpack_from(raw, at)
        if tag not in (_UNDO, _SYNC):
            msg = f"the undo log {undo_log} is damaged at byte {at}"
            raise ValueError(msg)
        path_end = at + _HEADER.size + path_len
        end = path_end + data_len
        if end > len(raw):
            break
        path = Path(os.fsdecode(raw[at + _HEADER.size : path_end]))
        records.append(UndoRecord(tag, path, offset, old_size, raw[path_end:end]))
        at = end
    return records


@dataclass(frozen=True)
class PowerLoss:
    """What :func:`simulate_power_loss` threw away: the number of writes undone, per file."""

    undone: dict[Path, int]

    def writes_undone(self, *paths: Path) -> int:
        """Writes undone in ``paths``, or in every file if none is named."""
        return sum(n for path, n in self.undone.items() if not paths or path in paths)


def simulate_power_loss(undo_log: Path, directory: Path) -> PowerLoss:
    """Leave every file as a power cut would after the logging process died: writes made since
    that file's last successful fsync are undone, newest first; ``-shm`` files are deleted.

    Call it only when no process has the files open. The undo log is emptied afterwards, so
    the next life's log starts from this (now durable) state.
    """
    records = read_undo_log(undo_log)
    last_sync: dict[Path, int] = {}
    for index, record in enumerate(records):
        if record.tag == _SYNC:
            last_sync[record.path] = index
    lost = [
        record
        for index, record in enumerate(records)
        if record.tag == _UNDO and index > last_sync.get(record.path, -1)
    ]
    for record in reversed(lost):
        if not record.path.exists():
            continue  # unlinked since: directory entries are not emulated
        with record.path.open("r+b") as file:
            file.seek(record.offset)
            file.write(record.data)
            file.truncate(record.old_size)
    for shm in directory.glob("*-shm"):
        shm.unlink()  # shared memory: its content does not survive a reboot
    os.truncate(undo_log, 0)  # not unlink: a live shim may still hold it open for appending
    return PowerLoss(dict(Counter(record.path for record in lost)))
