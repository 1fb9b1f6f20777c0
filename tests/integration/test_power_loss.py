"""Acknowledged events survive a power cut, not only a process kill (DUR-3).

The DUR-2 harness, with the worker under the fault shim in its LazyFS-style
``lose-unfsynced-writes`` mode: after each SIGKILL every write not followed by an fsync of its
file is undone before the checks run (``tests/faultshim``; its docstring lists what this does
not model). The negative control runs the same harness with ``synchronous=NORMAL``, which does
not fsync at commit, and must lose acknowledged events: proof that the emulation drops data.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.faultshim import Shim, build, simulate_power_loss, unavailable_reason
from tests.integration.faultshim_power_harness import run

KILLS = int(os.environ.get("STATION_POWER_LOSS_KILLS", "100"))

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason()))


@pytest.fixture(scope="module")
def shim_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("faultshim-build"))


def _shim(tmp_path: Path, library: Path) -> tuple[Shim, Path]:
    (tmp_path / "db").mkdir()
    shim = Shim.create(library, tmp_path / "db", tmp_path, undo=True)
    return shim, shim.directory / "station.sqlite"


@pytest.mark.req("DUR-3")
@pytest.mark.slow
def test_every_acknowledged_event_survives_a_power_cut(tmp_path: Path, shim_library: Path) -> None:
    shim, db_path = _shim(tmp_path, shim_library)
    report = run(db_path, shim, KILLS, seed=20261125, max_delay=0.03)

    print(
        f"\npower-loss test: {report.kills} kills, {len(report.acked)} acks verified, "
        f"{report.committed} events committed, {report.writes_undone} unsynced writes undone "
        f"after {report.lives_with_loss} kills, {report.seconds:.1f} s"
    )
    assert report.failures == []
    assert report.kills == KILLS
    assert len(report.acked) >= KILLS // 2
    # The power cuts must have thrown written-but-unsynced data away, or they proved nothing.
    assert report.lives_with_loss >= KILLS // 10


@pytest.mark.req("DUR-3")
def test_negative_control_without_fsync_at_commit_acked_events_are_lost(
    tmp_path: Path, shim_library: Path
) -> None:
    shim, db_path = _shim(tmp_path, shim_library)
    report = run(db_path, shim, 8, seed=7, max_delay=0.03, synchronous="NORMAL")

    assert report.acked
    assert any("acked but missing" in failure for failure in report.failures)


CHILD = """
import os, sys
watched, outside = sys.argv[1], sys.argv[2]
a = os.open(watched + "/a", os.O_RDWR | os.O_CREAT, 0o600)
os.write(a, b"hello world")
os.fsync(a)                       # "hello world" is durable
os.pwrite(a, b"HELLO", 0)         # lost
os.ftruncate(a, 5)                # lost
os.write(os.dup(a), b"!")         # lost, through another descriptor
b = os.open(watched + "/b", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
os.write(b, b"one")
os.fdatasync(b)                   # "one" is durable
os.write(b, b"two")               # lost (write-only, append)
c = os.open(outside, os.O_WRONLY | os.O_CREAT, 0o600)
os.write(c, b"kept")              # not watched: never undone
os.kill(os.getpid(), 9)
"""


def test_the_shim_rolls_each_file_back_to_its_last_fsync(
    tmp_path: Path, shim_library: Path
) -> None:
    """The emulation itself, on plain files: what was fsynced stays, the rest is undone."""
    shim, _ = _shim(tmp_path, shim_library)
    (shim.directory / "station.sqlite-shm").write_bytes(b"index")
    outside = tmp_path / "outside"
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(shim.directory), str(outside)],
        env=shim.child_env(),
        check=False,
    )
    assert child.returncode == -signal.SIGKILL

    assert shim.undo_log is not None
    loss = simulate_power_loss(shim.undo_log, shim.directory)

    assert (shim.directory / "a").read_bytes() == b"hello world"
    assert (shim.directory / "b").read_bytes() == b"one"
    assert outside.read_bytes() == b"kept"
    assert not (shim.directory / "station.sqlite-shm").exists()
    assert loss.undone == {shim.directory / "a": 3, shim.directory / "b": 1}
    assert shim.undo_log.read_bytes() == b""  # the next life logs from this state
