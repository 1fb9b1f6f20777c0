"""Parent side of the crash test (DUR-2): start, kill at random and check after every kill.

Used by ``test_crash_durability.py`` (a few hundred kills) and ``tests/soak/crash_soak.py``
(as many as asked for).
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from station.persistence import migrate
from station.persistence.db import close_engine, open_engine
from tests.integration.event_rows import (
    chain_problems,
    check_events,
    event_ids,
    integrity,
    open_readonly,
)

REPO = Path(__file__).resolve().parents[2]
TAIL_CHECKED = 50  # records per chain re-verified after each kill
WAIT_FOR_FIRST_ACK = 0.8  # share of lives whose random delay starts at their first ack


@dataclass
class CrashReport:
    kills: int = 0
    acked: set[str] = field(default_factory=set)
    committed: int = 0  # events in the database at the end (acked or not)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


class CrashHarness:
    def __init__(
        self, db_path: Path, *, seed: int, max_delay: float, ack_before_commit: bool = False
    ) -> None:
        self.db_path = db_path
        self.random = random.Random(seed)
        self.max_delay = max_delay
        engine = open_engine(db_path)  # migrate once; the workers only write
        migrate.upgrade(engine)
        close_engine(engine)
        self._server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.crash_child",
                str(db_path),
                *(["--ack-before-commit"] if ack_before_commit else []),
            ],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, name="crash-stdout", daemon=True).start()
        if (ready := self._next()) != "READY":
            msg = f"the crash child did not start: {ready}"
            raise RuntimeError(msg)

    def _pump(self) -> None:
        assert self._server.stdout is not None
        for line in self._server.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put("EOF")

    def _next(self) -> str:
        return self._lines.get(timeout=60)

    def one_life(self, report: CrashReport) -> None:
        """Start a worker, SIGKILL it after a random delay, collect its acks, check the file."""
        assert self._server.stdin is not None
        self._server.stdin.write("GO\n")
        self._server.stdin.flush()
        first = self._next()
        if not first.startswith("PID "):
            report.failures.append(f"no worker: {first}")
            return
        pid = int(first.split()[1])
        pending: list[str] = []
        if self.random.random() < WAIT_FOR_FIRST_ACK:
            # Most lives are killed while recording, however slow the machine is today;
            # the others die anywhere, start-up (PRAGMAs, WAL recovery) included.
            pending.append(self._next())
        time.sleep(self.random.uniform(0, self.max_delay))
        os.kill(pid, signal.SIGKILL)
        report.kills += 1
        while not (line := pending.pop() if pending else self._next()).startswith("DEAD "):
            if line.startswith("ACK "):
                report.acked.add(line.split(" ", 1)[1])
            else:
                report.failures.append(f"kill {report.kills}: {line}")
                if line == "EOF":
                    return
        self._check(report)

    def _check(self, report: CrashReport) -> None:
        db = open_readonly(self.db_path)
        try:
            present = event_ids(db)
            missing = report.acked - present
            if missing:
                report.failures.append(f"kill {report.kills}: acked but missing {sorted(missing)}")
            report.failures.extend(f"kill {report.kills}: {p}" for p in check_events(db))
            if (result := integrity(db)) != "ok":
                report.failures.append(f"kill {report.kills}: integrity_check: {result}")
            report.committed = len(present)
        finally:
            db.close()
        # The chain's tail after every kill; the whole chain once at the end (see run()).
        problems = chain_problems(self.db_path, tail=TAIL_CHECKED)
        report.failures.extend(f"kill {report.kills}: {p}" for p in problems)

    def close(self) -> None:
        if self._server.stdin is not None:
            self._server.stdin.close()
        self._server.wait(timeout=30)


def run(
    db_path: Path,
    kills: int,
    *,
    seed: int,
    max_delay: float = 0.03,
    ack_before_commit: bool = False,
) -> CrashReport:
    """Kill a recording worker ``kills`` times, checking the database after each kill."""
    report = CrashReport()
    started = time.monotonic()
    harness = CrashHarness(
        db_path, seed=seed, max_delay=max_delay, ack_before_commit=ack_before_commit
    )
    try:
        for _ in range(kills):
            harness.one_life(report)
    finally:
        harness.close()
    report.failures.extend(f"end: {p}" for p in chain_problems(db_path))
    report.seconds = time.monotonic() - started
    return report
