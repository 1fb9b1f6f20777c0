"""SIGKILL at random moments while printing serialised labels never prints a serial twice and
never hands a number out again (DUR-2 for serials; the worst label bug is a repeated serial)."""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from station.events.ids import sgtin_uri
from station.persistence import migrate
from station.persistence.db import close_engine, open_engine
from tests.integration.test_label_printing import accepted_lot, publish
from tests.integration.test_services_setup import DEVICE, load_master_data

KILLS = int(os.environ.get("STATION_LABEL_CRASH_KILLS", "40"))
REPO = Path(__file__).resolve().parents[2]
MAX_DELAY = 0.5  # seconds after the first line; a print cycle (plan, print, record) is ~0.1-0.3 s
POSIX_ONLY = pytest.mark.skipif(
    sys.platform == "win32", reason="SIGKILL and fork() do not exist on Windows"
)


def _prepare(db_path: Path) -> None:
    engine = open_engine(db_path)
    try:
        migrate.upgrade(engine)
        load_master_data(engine)
        accepted_lot(engine)
        publish(engine)
    finally:
        close_engine(engine)


class _Child:
    def __init__(self, db_path: Path, print_file: Path, *, too_early: bool = False) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.label_crash_child",
                str(db_path),
                str(print_file),
                *(["--print-before-commit"] if too_early else []),
            ],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("EOF")

    def next(self) -> str:
        return self.lines.get(timeout=60)

    def go(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("GO\n")
        self.process.stdin.flush()

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def _invariants(db_path: Path, print_file: Path) -> tuple[list[str], dict[str, int]]:
    problems: list[str] = []
    printed_bytes = print_file.read_bytes() if print_file.exists() else b""
    if printed_bytes and not printed_bytes.endswith(b"\n"):
        problems.append("the print file ends in a torn line")
    printed = Counter(printed_bytes.decode().splitlines())
    engine = open_engine(db_path)
    try:
        with engine.connect() as conn:
            allocations = Counter(
                (gtin, serial)
                for gtin, serial in conn.execute(
                    sa.text("SELECT gtin, serial FROM serial_allocation")
                )
            )
            numbers = [n for (n,) in conn.execute(sa.text("SELECT number FROM serial_allocation"))]
            counter = conn.execute(
                sa.text("SELECT next_number FROM serial_counter WHERE gtin = :g"), {"g": DEVICE}
            ).scalar_one_or_none()
            uris = Counter(
                uri
                for (uri,) in conn.execute(
                    sa.text("SELECT uri FROM event_ident WHERE uri LIKE '%/21/%'")
                )
            )
            sent_jobs = conn.execute(
                sa.text("SELECT count(DISTINCT job_id) FROM print_outcome WHERE status = 'sent'")
            ).scalar_one()
            unsent = conn.execute(
                sa.text(
                    "SELECT count(*) FROM serial_allocation a WHERE NOT EXISTS (SELECT 1 FROM"
                    " print_outcome o WHERE o.job_id = a.job_id)"
                )
            ).scalar_one()
    finally:
        close_engine(engine)
    problems += [f"allocated twice: {key}" for key, n in allocations.items() if n > 1]
    problems += [f"printed twice: {serial}" for serial, n in printed.items() if n > 1]
    allocated = {serial for gtin, serial in allocations if gtin == DEVICE}
    problems += [f"printed, never allocated: {s}" for s in printed if s not in allocated]
    if numbers and (counter is None or counter <= max(numbers)):
        problems.append(f"counter {counter} is not above the highest number {max(numbers)}")
    problems += [f"commissioned twice: {uri}" for uri, n in uris.items() if n > 1]
    printed_uris = {sgtin_uri(DEVICE, s) for s in printed}
    problems += [f"commissioned, never printed: {uri}" for uri in uris if uri not in printed_uris]
    stats = {
        "allocated": len(allocations),
        "printed": sum(printed.values()),
        "commissioned": len(uris),
        "sent_jobs": sent_jobs,
        "unsent_allocations": unsent,
    }
    return problems, stats


def _kill_repeatedly(
    db_path: Path, print_file: Path, kills: int, *, seed: int, too_early: bool = False
) -> tuple[list[str], int, Counter[str]]:
    """Start, kill at random, check the invariants after every kill; stop at the first failure."""
    rng = random.Random(seed)
    child = _Child(db_path, print_file, too_early=too_early)
    failures: list[str] = []
    done = 0
    seen: Counter[str] = Counter()
    try:
        assert child.next() == "READY"
        for _ in range(kills):
            child.go()
            first = child.next()
            assert first.startswith("PID "), first
            pid = int(first.split()[1])
            pending: list[str] = []
            if rng.random() < 0.8:  # most lives die while printing, the rest anywhere
                pending.append(child.next())
            time.sleep(rng.uniform(0, MAX_DELAY))
            os.kill(pid, signal.SIGKILL)
            done += 1
            while not (line := pending.pop() if pending else child.next()).startswith("DEAD "):
                word = line.split(" ", 1)[0]
                if word in ("PLANNED", "PRINTED", "SENT"):
                    seen[word] += 1
                else:
                    failures.append(f"life {done}: {line}")
                    if line == "EOF":
                        return failures, done, seen
            problems, _ = _invariants(db_path, print_file)
            failures += [f"after kill {done}: {p}" for p in problems]
            if failures:
                break
    finally:
        child.close()
    return failures, done, seen


@pytest.mark.req("DUR-2")
@pytest.mark.slow
@POSIX_ONLY
def test_no_serial_is_printed_twice_or_reused_across_sigkills(tmp_path: Path) -> None:
    db_path, print_file = tmp_path / "station.sqlite", tmp_path / "printed.txt"
    _prepare(db_path)
    failures, kills, seen = _kill_repeatedly(db_path, print_file, KILLS, seed=20261124)
    problems, stats = _invariants(db_path, print_file)
    print(f"\nlabel crash test: {kills} kills, {dict(seen)}, {stats}")
    assert failures == []
    assert problems == []
    assert kills == KILLS
    # The kills must land while printing goes on, or the test proves nothing.
    assert stats["sent_jobs"] >= 1
    assert stats["printed"] > stats["commissioned"] or stats["unsent_allocations"] > 0


@pytest.mark.slow
@POSIX_ONLY
def test_the_harness_catches_printing_before_the_allocation_commits(tmp_path: Path) -> None:
    """Negative control: printed inside the planning transaction, a kill before COMMIT rolls
    the numbers back and the next life prints them again."""
    db_path, print_file = tmp_path / "station.sqlite", tmp_path / "printed.txt"
    _prepare(db_path)
    failures, _, _ = _kill_repeatedly(db_path, print_file, 40, seed=7, too_early=True)
    assert any("printed twice" in f or "never allocated" in f for f in failures), failures
