"""Where the database may live: a local disk, reached by one name (DUR-7).

SQLite's locking is unreliable on network file systems, and a database reached through two
names (a symlink or a hard link) can pair with the wrong ``-wal`` file: both corrupt data.
The checks refuse what can be detected; macOS network mounts are not detected here.
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePath, PureWindowsPath
from urllib.parse import quote

from station.errors import StorageError

#: File-system types (Linux ``/proc/self/mountinfo`` names) that are network or host-shared.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",  # WSL's view of Windows drives, VM shared folders
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "davfs",
        "fuse.sshfs",
        "fuse.davfs2",
        "fuse.glusterfs",
        "fuse.rclone",
        "fuse.s3fs",
        "vboxsf",
    }
)


def _unescape_mount(text: str) -> str:
    # mountinfo escapes space, tab, newline and backslash as octal (\040 …).
    return text.encode("latin-1").decode("unicode_escape")


def filesystem_type(path: Path, mountinfo: str) -> str | None:
    """The type of the file system holding ``path``, from the text of a Linux mountinfo file.

    >>> info = "22 1 8:1 / / rw - ext4 /dev/sda1 rw\\n40 22 0:5 / /mnt/nas rw - nfs4 srv:/x rw\\n"
    >>> filesystem_type(Path("/mnt/nas/station/db.sqlite"), info)
    'nfs4'
    >>> filesystem_type(Path("/home/op/db.sqlite"), info)
    'ext4'
    """
    best: tuple[int, str] | None = None
    for line in mountinfo.splitlines():
        head, sep, tail = line.partition(" - ")
        fields = head.split()
        if not sep or len(fields) < 5 or not tail.split():
            continue
        mount_point = Path(_unescape_mount(fields[4]))
        if path == mount_point or mount_point in path.parents:
            depth = len(mount_point.parts)
            if best is None or depth >= best[0]:  # later mounts shadow earlier ones
                best = (depth, tail.split()[0])
    return best[1] if best else None


def _windows_is_remote(path: Path) -> bool:
    if str(path).startswith("\\\\"):  # UNC path: \\server\share\…
        return True
    if sys.platform == "win32":
        import ctypes  # noqa: PLC0415 - Windows only

        drive_remote = 4
        root = path.anchor or str(path)[:3]
        return int(ctypes.windll.kernel32.GetDriveTypeW(root)) == drive_remote
    return False


def network_filesystem(path: Path) -> str | None:
    """The network file-system type holding ``path``, or None when local or undetectable."""
    if sys.platform == "win32":
        return "remote drive" if _windows_is_remote(path) else None
    mountinfo = Path("/proc/self/mountinfo")
    if not mountinfo.exists():
        return None
    fstype = filesystem_type(path, mountinfo.read_text(encoding="utf-8", errors="replace"))
    return fstype if fstype in NETWORK_FILESYSTEMS else None


def sqlite_uri(path: PurePath, mode: str) -> str:
    """A ``file:`` URI for ``sqlite3.connect(..., uri=True)``; ``?``, ``#`` and ``%`` are escaped.

    >>> sqlite_uri(Path("/data/50% done?/station.sqlite"), "ro")
    'file:/data/50%25%20done%3F/station.sqlite?mode=ro'
    >>> sqlite_uri(PureWindowsPath("C:/Station/station.sqlite"), "rwc")
    'file:/C:/Station/station.sqlite?mode=rwc'
    """
    text = path.as_posix()
    if PureWindowsPath(text).drive and not text.startswith("/"):
        text = "/" + text  # SQLite reads "file:/C:/x" as C:\x on Windows
    return f"file:{quote(text, safe='/:')}?mode={mode}"


def check_database_path(path: Path) -> Path:
    """Refuse a symlinked, hard-linked or network path; return the absolute path to use."""
    if path.is_symlink():
        msg = f"the database {path} is a symbolic link; give the real file's path"
        raise StorageError(msg)
    absolute = path.absolute()
    if path.exists() and path.stat().st_nlink > 1:
        msg = f"the database {path} has several hard links; SQLite needs exactly one name"
        raise StorageError(msg)
    fstype = network_filesystem(absolute.resolve())
    if fstype is not None:
        msg = (
            f"the database {path} is on a network file system ({fstype}); "
            "keep it on the station's local disk"
        )
        raise StorageError(msg)
    return absolute
