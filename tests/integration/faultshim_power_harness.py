"""Parent side of the power-loss test (DUR-3): the DUR-2 crash harness plus a power cut.

The worker runs under the fault shim with an undo log. After each SIGKILL, before any check,
:func:`tests.faultshim.simulate_power_loss` rolls every file in the database directory back to
its content at its last fsync and deletes the ``-shm`` file, as LazyFS's
``lose-unfsynced-writes`` would. Then the DUR-2 checks run unchanged: every acked id present,
no partial event, ``integrity_check`` ok, the chain's tail verifies (the whole chain at the
end). Used by ``test_power_loss.py`` and ``tests/soak/power_loss_soak.py``.
"""

from __future__ import annotations

import queue
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from station.persistence import migrate
from station.persistence.db import close_engine, open_engine
from tests.faultshim import Shim, set_control, simulate_power_loss
from tests.integration.crash_harness import REPO, CrashHarness, CrashReport
from tests.integration.event_rows import chain_problems


@dataclass
class PowerLossReport(CrashReport):
    writes_undone: int = 0  # unsynced writes to the database and its WAL the power cuts undid
    lives_with_loss: int = 0  # kills after which at least one of those writes was undone


class PowerLossHarness(CrashHarness):
    """CrashHarness whose worker runs under the shim, with a power cut after every kill."""

    def __init__(
        self,
        db_path: Path,
        shim: Shim,
        *,
        seed: int,
        max_delay: float,
        synchronous: str | None = None,
        sync_delay_us: int = 1000,
    ) -> None:
        # Not CrashHarness.__init__: the child and its environment differ; the rest is reused.
        if shim.undo_log is None or db_path.parent.resolve() != shim.directory:
            msg = "the shim must keep an undo log and watch the database's directory"
            raise ValueError(msg)
        self.db_path = db_path
        self.shim = shim
        self.random = random.Random(seed)
        self.max_delay = max_delay
        self.writes_undone = 0
        self._data_files = (shim.directory / db_path.name, shim.directory / f"{db_path.name}-wal")
        self.lives_with_loss = 0
        engine = open_engine(db_path)  # migrated outside the shim: that state is durable
        migrate.upgrade(engine)
        close_engine(engine)
        # A slow flush, whatever the file system: kills must land between writes and fsync.
        set_control(shim.control, f"delay-sync {sync_delay_us}")
        self._server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.faultshim_power_child",
                str(db_path),
                *(["--synchronous", synchronous] if synchronous else []),
            ],
            cwd=REPO,
            env=shim.child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, name="power-stdout", daemon=True).start()
        if (ready := self._next()) != "READY":
            msg = f"the power-loss child did not start: {ready}"
            raise RuntimeError(msg)

    def _check(self, report: CrashReport) -> None:
        # The worker is dead and nothing holds the files open: cut the power, then check.
        assert self.shim.undo_log is not None
        loss = simulate_power_loss(self.shim.undo_log, self.shim.directory)
        # Counted on the data files only: the lock file's pid and the -shm are never fsynced.
        undone = loss.writes_undone(self._data_files[0], self._data_files[1])
        self.writes_undone += undone
        self.lives_with_loss += undone > 0
        super()._check(report)


def run(
    db_path: Path,
    shim: Shim,
    kills: int,
    *,
    seed: int,
    max_delay: float = 0.03,
    synchronous: str | None = None,
    sync_delay_us: int = 1000,
) -> PowerLossReport:
    """Kill a recording worker ``kills`` times, cutting the power and checking after each."""
    report = PowerLossReport()
    started = time.monotonic()
    harness = PowerLossHarness(
        db_path,
        shim,
        seed=seed,
        max_delay=max_delay,
        synchronous=synchronous,
        sync_delay_us=sync_delay_us,
    )
    try:
        for _ in range(kills):
            harness.one_life(report)
    finally:
        harness.close()
    report.writes_undone = harness.writes_undone
    report.lives_with_loss = harness.lives_with_loss
    report.failures.extend(f"end: {p}" for p in chain_problems(db_path))
    report.seconds = time.monotonic() - started
    return report
