"""Sync soak: the fault test's scenario at scale (local runs; not in CI).

Run::

    .venv/bin/python -m benchmarks.soak_sync --events 100000
    .venv/bin/python -m benchmarks.soak_sync --events 20000 --kills 10 --keep /tmp/soak

The scenario of ``tests/integration/test_sync_faults.py``, larger: the reference ERP (in this
process, on loopback) injects every fault it knows (requests dropped before and responses
dropped after commit, 500, 429 with ``Retry-After``, resets, requests processed twice, slow
answers) while a station process (``tests.integration.sync_station_proc``) records N events over
30 lots in small transactions and syncs them; it is SIGKILLed at random moments and restarted,
``--kills`` times. Then the faults stop and ``station sync --once`` drains the rest.

The summary: events, kills, acks (accepted / already held), faults injected per kind, elapsed
time, and the final checks: every station event exactly once at the centre, each lot in capture
order, ``station sync status`` queued 0 and errors 0, no sync errors. Exit 0 when every check
holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sync.erp_sim import ErpSim, FaultPlan
from tests.integration.station_cli import station
from tests.integration.sync_station_proc import (
    LOTS,
    STATION,
    centre_event_ids,
    per_lot,
    read_only,
    run_lives,
    station_events,
)

#: Probabilities rather than periods, so that a long run mixes them irregularly.
FAULTS = (
    "drop-response@p=0.06,drop-request@p=0.04,500@p=0.04,reset@p=0.03,"
    "duplicate@p=0.05,slow:200@p=0.05,429:1@p=0.01"
)


class FaultCounter(logging.Handler):
    """Counts the reference ERP's ``fault KIND on …`` warnings."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.kinds: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("fault "):
            self.kinds[message.split(" ", 2)[1]] += 1


def checks(db: Path, erp_db: Path, events: int) -> dict[str, bool | str]:
    """The final checks, each True or a short reason."""
    results: dict[str, bool | str] = {}
    local = station_events(db)
    centre = centre_event_ids(erp_db)
    ids = {event_id for _, event_id, _ in local}
    results["every event recorded"] = len(local) == events or f"{len(local)} of {events}"
    missing, unknown = len(ids - set(centre)), len(set(centre) - ids)
    twice = len(centre) - len(set(centre))
    results["every event at the centre exactly once"] = (missing, unknown, twice) == (0, 0, 0) or (
        f"{missing} missing, {unknown} unknown, {twice} held twice"
    )
    capture = {event_id: seq for seq, event_id, _ in local}
    arrival = {event_id: index for index, event_id in enumerate(centre)}
    disordered = [
        lot
        for lot, lot_ids in per_lot(local, capture).items()
        if [i for i in lot_ids if i in arrival]
        != sorted((i for i in lot_ids if i in arrival), key=arrival.__getitem__)
    ]
    results["each lot in capture order"] = not disordered or f"out of order: {disordered[:5]}"
    shown = station("sync", "status", "--json", "--db", str(db))
    status = json.loads(shown.stdout) if shown.returncode == 0 else {}
    queued_errors = (status.get("queued"), status.get("errors"))
    results["sync status: queued 0, errors 0"] = queued_errors == (0, 0) or str(queued_errors)
    with read_only(db) as conn:
        (rejections,) = conn.execute("SELECT count(*) FROM sync_rejection").fetchone()
    results["no sync_rejection rows"] = rejections == 0 or f"{rejections} rows"
    return results


def acks(db: Path) -> Counter[str]:
    with read_only(db) as conn:
        rows = conn.execute("SELECT outcome, count(*) FROM sync_ack GROUP BY outcome").fetchall()
    return Counter({str(outcome): int(count) for outcome, count in rows})


def soak(directory: Path, args: argparse.Namespace) -> bool:
    db = directory / "station.sqlite"
    erp_db = directory / "erp.sqlite"
    settings = directory / "no-settings.toml"  # never created
    counter = FaultCounter()
    erp_log = logging.getLogger("sync.erp_sim")
    erp_log.addHandler(counter)
    erp_log.setLevel(logging.WARNING)
    started = time.perf_counter()
    with ErpSim(erp_db, port=0, faults=FaultPlan.parse(f"{args.faults},seed={args.seed}")) as erp:
        lives = run_lives(
            db,
            erp.url,
            events=args.events,
            kills=args.kills,
            seed=args.seed,
            life_s=(args.life_min, args.life_max),
            done_timeout=max(600.0, args.events / 50),
            extra=["--pause-ms", str(args.pause_ms)],
        )
        recorded_s = time.perf_counter() - started
        held_by_station = erp.storage.event_count()
        erp.faults = FaultPlan()
        drain_start = time.perf_counter()
        drained = station(
            "sync", "--once", "--db", str(db), "--endpoint", erp.url, "--station", STATION,
            "--settings", str(settings), timeout=3600,
        )  # fmt: skip
        drain_s = time.perf_counter() - drain_start
    elapsed = time.perf_counter() - started
    results = checks(db, erp_db, args.events)
    results["final `station sync --once` exit 0"] = drained.returncode == 0 or (
        f"exit {drained.returncode}: {drained.stderr.strip()[-300:]}"
    )
    outcomes = acks(db)
    faults = ", ".join(f"{kind} {n}" for kind, n in sorted(counter.kinds.items())) or "none"
    print(f"events            {args.events:,} over {LOTS} lots")
    print(f"lives             {lives} ({lives - 1} SIGKILLs while recording and syncing)")
    print(f"faults injected   {faults}")
    print(f"centre held       {held_by_station:,} before the final drain")
    print(
        f"acks              {outcomes['accepted']:,} accepted, "
        f"{outcomes['duplicate']:,} already held (duplicates)"
    )
    print(
        f"elapsed           {elapsed:.0f} s (lives {recorded_s:.0f} s, final drain "
        f"{drain_s:.0f} s: {drained.stdout.strip()})"
    )
    ok = True
    for name, result in results.items():
        ok = ok and result is True
        why = "" if result is True else f": {result}"
        print(f"{'PASS' if result is True else 'FAIL'}  {name}{why}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=100_000, help="events (100,000)")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs (default 20)")
    parser.add_argument("--life-min", type=float, default=1.0, help="shortest life, s")
    parser.add_argument("--life-max", type=float, default=15.0, help="longest life, s")
    parser.add_argument("--pause-ms", type=float, default=0.0, help="between transactions")
    parser.add_argument("--faults", default=FAULTS, help="the ERP's fault SPEC (no seed)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep both databases in this folder")
    args = parser.parse_args(argv)
    if sys.platform == "win32":
        print("needs SIGKILL (POSIX)", file=sys.stderr)
        return 2
    if args.keep is not None:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
        return 0 if soak(args.keep, args) else 1
    with tempfile.TemporaryDirectory(prefix="soak-sync-") as directory:
        return 0 if soak(Path(directory), args) else 1


if __name__ == "__main__":
    sys.exit(main())
