"""A station process for the sync fault tests: records traffic and syncs it, until killed.

    python -m tests.integration.sync_station_proc --db DB --endpoint URL --station CODE \\
        --events N [--lots 30] [--seed 0] [--per-transaction 5] [--pause-ms 2]

It opens the store (the single-writer lock: this process is the only writer, so it both
records and syncs), starts a :class:`SyncEngine` with short back-off settings and records the
planned traffic — ``N`` storage observations over ``--lots`` lots, interleaved at random, in
small transactions — waking the engine after each one. The plan is a pure function of
``--events``, ``--lots`` and ``--seed``, so after a restart it resumes where the last life
stopped: the events already in the table are the plan's first ones (a transaction is all or
nothing, so a kill leaves a prefix).

Protocol lines on stdout (unbuffered): ``READY <recorded>`` once the engine runs, ``RECORDED
<total>`` every 100 events, ``DONE <total>`` when the plan is recorded; it then keeps syncing
until SIGTERM (clean stop, exit 0) or SIGKILL.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from sqlalchemy import Connection

from station.context import WriteContext
from station.demo.traffic import traffic_draft, traffic_plan
from station.persistence.rawsql import sqlite_connection
from station.persistence.store import open_store
from station.services.recording import record
from sync.connectors.epcis import EpcisCaptureConnector
from sync.engine import SyncEngine, SyncSettings
from sync.http import make_client

FAST = SyncSettings(period_s=0.2, backoff_base_s=0.05, backoff_cap_s=0.5)


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def _count(conn: Connection) -> int:
    (count,) = sqlite_connection(conn).execute("SELECT count(*) FROM event").fetchone()
    return int(count)


# --- the parent side: lives of this process, and what both sides hold ---------------------

STATION = "ST-SYNC-01"
LOTS = 30
LIFE_TIMEOUT = 90.0


class StationProcessError(RuntimeError):
    """The station process did not say what it should have, or ended by itself."""


class StationProcess:
    """One life of ``sync_station_proc``: its protocol lines read on a thread."""

    def __init__(
        self,
        db: Path,
        endpoint: str,
        events: int,
        seed: int,
        station: str = STATION,
        extra: Sequence[str] = (),
    ) -> None:
        command = [
            sys.executable,
            "-m",
            "tests.integration.sync_station_proc",
            "--db",
            str(db),
            "--endpoint",
            endpoint,
            "--station",
            station,
            "--events",
            str(events),
            "--lots",
            str(LOTS),
            "--seed",
            str(seed),
            *extra,
        ]
        root = Path(__file__).resolve().parents[2]
        self.lines: queue.Queue[str] = queue.Queue()
        self.process = subprocess.Popen(
            command,
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())
        self.lines.put("EOF")

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        self.stderr.extend(self.process.stderr)

    def wait_for(self, prefix: str, timeout: float = LIFE_TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                msg = f"no {prefix} within {timeout} s; stderr: {''.join(self.stderr)[-3000:]}"
                raise StationProcessError(msg) from None
            if line.startswith(prefix):
                return line
            if line == "EOF":
                self.process.wait(5)
                msg = (
                    f"the station process ended (exit {self.process.returncode}) before "
                    f"{prefix}: {''.join(self.stderr)[-3000:]}"
                )
                raise StationProcessError(msg)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


def run_lives(
    db: Path,
    endpoint: str,
    *,
    events: int,
    kills: int,
    seed: int,
    life_s: tuple[float, float] = (0.2, 2.5),
    done_timeout: float = LIFE_TIMEOUT * 2,
    extra: Sequence[str] = (),
    log: list[str] | None = None,
) -> int:
    """Start the station process, SIGKILL it ``kills`` times, each after a random
    ``life_s`` seconds (restarting it each time), then let the last life record everything
    and kill it too. Returns the number of lives."""
    rng = random.Random(seed)
    done = 0
    while True:
        life = StationProcess(db, endpoint, events, seed, extra=extra)
        ready = life.wait_for("READY")
        if log is not None:
            log.append(ready)
        if done < kills:
            time.sleep(rng.uniform(*life_s))
            life.kill()
            done += 1
            continue
        life.wait_for("DONE", timeout=done_timeout)
        time.sleep(rng.uniform(0.0, 1.0))  # syncing the last events, or not yet
        life.kill()
        return done + 1


# --- reading both sides ------------------------------------------------------------------


def station_events(db: Path) -> list[tuple[int, str, str]]:
    """(seq, eventID, lot) of every station event, in capture order."""
    with read_only(db) as conn:
        rows = conn.execute(
            "SELECT e.seq, e.event_id, i.lot FROM event e JOIN event_ident i"
            " ON i.event_seq = e.seq AND i.lot IS NOT NULL ORDER BY e.seq"
        ).fetchall()
    return [(int(seq), str(event_id), str(lot)) for seq, event_id, lot in rows]


def centre_event_ids(erp_db: Path) -> list[str]:
    """The eventIDs the centre stored, in its insertion order."""
    with read_only(erp_db) as conn:
        return [row[0] for row in conn.execute("SELECT event_id FROM event ORDER BY seq")]


class read_only:  # noqa: N801 - used as a context manager
    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def per_lot(events: list[tuple[int, str, str]], order: Mapping[str, int]) -> dict[str, list[str]]:
    """Each lot's eventIDs, sorted by ``order`` (an eventID's position)."""
    lots: dict[str, list[str]] = defaultdict(list)
    for _seq, event_id, lot in events:
        if event_id in order:
            lots[lot].append(event_id)
    return {lot: sorted(ids, key=order.__getitem__) for lot, ids in lots.items()}


# --- the child side ------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    store = open_store(Path(args.db))
    ctx = WriteContext(station=args.station, actor="system:traffic")
    engine = SyncEngine(
        store.writer,
        EpcisCaptureConnector(make_client(args.endpoint, read_timeout=10.0)),
        WriteContext(station=args.station, actor="system:sync"),
        FAST,
    )
    try:
        engine.start()
        done = store.writer.submit(_count).result()
        _say(f"READY {done}")
        order = traffic_plan(args.events, args.lots, args.seed)
        while done < len(order) and not stop.is_set():
            chunk = order[done : done + args.per_transaction]

            def write(conn: Connection, chunk: Sequence[tuple[int, int]] = chunk) -> None:
                for lot, step in chunk:
                    record(conn, ctx, traffic_draft(lot, step))

            store.writer.submit(write).result()
            before, done = done, done + len(chunk)
            engine.wake()
            if done // 100 != before // 100:
                _say(f"RECORDED {done}")
            if args.pause_ms:
                time.sleep(args.pause_ms / 1000)
        if done >= len(order):
            _say(f"DONE {done}")
        stop.wait()
    finally:
        engine.close()
        store.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--station", required=True)
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--lots", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-transaction", type=int, default=5)
    parser.add_argument("--pause-ms", type=float, default=2.0)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
