"""I/O errors refuse the write, keep earlier acks, and the same process recovers (DUR-6).

A child process (``faultshim_io_child``) records events through the production engine and
``DbWriter`` under the LD_PRELOAD fault shim (``tests/faultshim``), which fails the database's
``write``/``pwrite`` or ``fsync``/``fdatasync`` calls on command, with EIO or ENOSPC. This
stands in for the compliance list's "apsw VFS shim failing the Nth xWrite/xSync": apsw is not
in the locked environment, and failing the system calls exercises SQLite's own error paths.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.persistence import migrate
from station.persistence.db import close_engine, open_engine
from tests.faultshim import Shim, build, set_control, unavailable_reason
from tests.integration.event_rows import (
    chain_problems,
    check_events,
    event_ids,
    integrity,
    open_readonly,
)

REPO = Path(__file__).resolve().parents[2]
IO_ERROR = (
    "the station could not write to its disk (I/O error): the scan was NOT recorded; "
    "check the disk and scan again"
)
DISK_FULL = "the station's disk is full: the scan was NOT recorded; free space and scan again"

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason()))


class IoChild:
    """The child's protocol: one ``RECORD`` line in, one ``ACK``/``REFUSED``/``ERROR`` line out."""

    def __init__(self, db_path: Path, shim: Shim) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.faultshim_io_child", str(db_path)],
            cwd=REPO,
            env=shim.child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        assert self._line() == "READY"

    def _line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().rstrip("\n")

    def record(self) -> tuple[str, str, str]:
        """``(verdict, event_id, message)``; verdict is ACK, REFUSED or ERROR."""
        assert self.process.stdin is not None
        self.process.stdin.write("RECORD\n")
        self.process.stdin.flush()
        verdict, _, rest = self._line().partition(" ")
        event_id, _, message = rest.partition(" ")
        return verdict, event_id, message

    def close(self) -> str:
        assert self.process.stdin is not None
        self.process.stdin.close()
        last = self._line()
        self.process.wait(timeout=30)
        return last


@pytest.fixture(scope="module")
def shim_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("faultshim-build"))


@pytest.fixture
def child(tmp_path: Path, shim_library: Path) -> Iterator[tuple[IoChild, Shim, Path]]:
    db_path = tmp_path / "db" / "station.sqlite"
    engine = open_engine(db_path)
    migrate.upgrade(engine)
    close_engine(engine)
    shim = Shim.create(shim_library, db_path.parent, tmp_path)
    process = IoChild(db_path, shim)
    yield process, shim, db_path
    if process.process.poll() is None:
        process.process.kill()
        process.process.wait(timeout=30)


def _check(db_path: Path, acked: set[str], refused: set[str]) -> None:
    reader = open_readonly(db_path)
    try:
        present = event_ids(reader)
        assert acked <= present, "an acknowledged event is missing"
        assert not refused & present, "an event reported as NOT recorded is visible"
        assert check_events(reader) == []
        assert integrity(reader) == "ok"
    finally:
        reader.close()


# (control command, the refusal the operator must see). "fail-write 3" lets the commit's first
# WAL writes through and fails it part-way; "fail-sync" fails after every frame was written.
FAULTS = [
    ("fail-write 1", IO_ERROR),
    ("fail-write 3", IO_ERROR),
    ("fail-sync 1", IO_ERROR),
    ("fail-write 1 ENOSPC", DISK_FULL),
    ("fail-sync 1 ENOSPC", IO_ERROR),  # SQLite reports any failed fsync as SQLITE_IOERR_FSYNC
]


@pytest.mark.req("DUR-6")
def test_io_errors_are_refused_unacked_and_the_same_process_recovers(
    child: tuple[IoChild, Shim, Path],
) -> None:
    process, shim, db_path = child
    acked: set[str] = set()
    refused: set[str] = set()

    def record_ok(times: int) -> None:
        for _ in range(times):
            verdict, event_id, message = process.record()
            assert (verdict, message) == ("ACK", "")
            acked.add(event_id)

    record_ok(5)
    for command, refusal in FAULTS:
        set_control(shim.control, command)
        for _ in range(2):  # a retry while the disk still fails is refused the same way
            verdict, event_id, message = process.record()
            assert (verdict, message) == ("REFUSED", refusal), command
            refused.add(event_id)
        _check(db_path, acked, refused)
        set_control(shim.control, "ok")
        record_ok(3)  # no restart: the same writer, the same process
        _check(db_path, acked, refused)

    assert process.close() == "CLOSED"
    assert process.process.returncode == 0
    reader = open_readonly(db_path)
    try:
        # After a clean close nothing refused survives: later commits overwrote its WAL frames.
        assert event_ids(reader) == acked
        assert integrity(reader) == "ok"
    finally:
        reader.close()
    assert chain_problems(db_path) == []


SHIM_CHILD = """
import errno, os, sys
control = os.environ["FAULTSHIM_CTL"]
def command(text):
    with open(control + ".new", "w") as file:
        file.write(text)
    os.replace(control + ".new", control)
def attempt(call, *args):
    try:
        call(*args)
    except OSError as error:
        return errno.errorcode[error.errno]
    return "ok"
watched = os.open(sys.argv[1] + "/file", os.O_RDWR | os.O_CREAT, 0o600)
outside = os.open(sys.argv[2], os.O_RDWR | os.O_CREAT, 0o600)
command("fail-write 2 ENOSPC")
seen = [attempt(os.write, watched, b"x") for _ in range(3)]
seen += [attempt(os.write, outside, b"x"), attempt(os.fsync, watched)]
command("fail-sync 1")
seen += [attempt(os.fsync, watched), attempt(os.write, watched, b"y"), attempt(os.fsync, outside)]
command("ok")
seen += [attempt(os.fsync, watched), attempt(os.write, watched, b"z")]
print(" ".join(seen))
"""


def test_the_shim_fails_the_nth_and_later_calls_on_watched_files_only(
    tmp_path: Path, shim_library: Path
) -> None:
    (tmp_path / "db").mkdir()
    shim = Shim.create(shim_library, tmp_path / "db", tmp_path)
    child = subprocess.run(
        [sys.executable, "-c", SHIM_CHILD, str(shim.directory), str(tmp_path / "outside")],
        env=shim.child_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.split() == [
        *("ok", "ENOSPC", "ENOSPC", "ok", "ok"),  # fail-write 2 ENOSPC
        *("EIO", "ok", "ok"),  # fail-sync 1
        *("ok", "ok"),  # ok
    ]
    assert (shim.directory / "file").read_bytes() == b"xyz"
