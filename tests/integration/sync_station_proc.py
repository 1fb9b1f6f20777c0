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
import random
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Connection

from station.context import WriteContext
from station.demo.traffic import TRAFFIC_GTIN, lot_name
from station.events.ids import lgtin_uri
from station.events.model import Action, ObjectEventDraft
from station.events.parts import Quantity
from station.persistence.rawsql import sqlite_connection
from station.persistence.store import open_store
from station.services.recording import record
from sync.connectors.epcis import EpcisCaptureConnector
from sync.engine import SyncEngine, SyncSettings
from sync.http import make_client

FAST = SyncSettings(period_s=0.2, backoff_base_s=0.05, backoff_cap_s=0.5)


def plan(count: int, lots: int, seed: int) -> list[tuple[int, int]]:
    """(lot, step) of each event, in recording order (the same interleaving as
    :func:`station.demo.traffic.record_traffic`).

    >>> plan(5, 2, 0)
    [(1, 0), (1, 1), (0, 0), (1, 2), (1, 3)]
    """
    rng = random.Random(seed)
    steps = [0] * lots
    order: list[tuple[int, int]] = []
    for _ in range(count):
        lot = rng.randrange(lots)
        order.append((lot, steps[lot]))
        steps[lot] += 1
    return order


def draft(lot: int, step: int) -> ObjectEventDraft:
    """A storage observation of a quantity of one lot (its ordering key is the lot)."""
    return ObjectEventDraft(
        action=Action.OBSERVE,
        biz_step="storing",
        disposition="in_progress",
        quantities=(Quantity(lgtin_uri(TRAFFIC_GTIN, lot_name(lot)), float(step + 1), "EA"),),
        reason=f"traffic step {step}",
    )


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def _count(conn: Connection) -> int:
    (count,) = sqlite_connection(conn).execute("SELECT count(*) FROM event").fetchone()
    return int(count)


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
        order = plan(args.events, args.lots, args.seed)
        while done < len(order) and not stop.is_set():
            chunk = order[done : done + args.per_transaction]

            def write(conn: Connection, chunk: Sequence[tuple[int, int]] = chunk) -> None:
                for lot, step in chunk:
                    record(conn, ctx, draft(lot, step))

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
