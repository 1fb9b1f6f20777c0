"""Durable single-event commit latency: the station's writer against raw ``sqlite3``.

Run::

    .venv/bin/python -m benchmarks.bench_commit            # print the table
    .venv/bin/python -m benchmarks.bench_commit --write    # also update docs/benchmarks.md

Both sides commit one event per transaction to a file in the same directory, with the same
durability (WAL, ``synchronous=FULL``), and are timed from the caller's side until COMMIT has
returned:

* **station**: ``store.writer.submit(fn).result()`` where ``fn`` records one ObjectEvent
  (an inspection of a fresh serialised unit) through ``station.services.recording.record``:
  canonical JSON, hash chain link, ``event_ident``, ``genealogy`` and ``item_state`` rows,
  on the writer thread, inside ``BEGIN IMMEDIATE … COMMIT``.
* **raw**: one ``INSERT`` of a comparable row (the station's canonical payload for that event,
  its SHA-256 and a unique event id) into an indexed table, ``BEGIN IMMEDIATE … COMMIT``.

Rounds of 100 commits alternate between the two so both see the same disk conditions. The
target is station p99 ≤ 2x raw p99.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection, text

from benchmarks.common import DOCS, machine, percentile, write_section
from station.context import WriteContext
from station.events.ids import sgtin_uri
from station.events.model import Action, ObjectEventDraft
from station.persistence.store import Store, open_store
from station.services.recording import record

TARGET_RATIO = 2.0
ROUND = 100
SECTION = "## Event store: durable commit latency"
GTIN = "06901234000115"
CTX = WriteContext(station="BENCH-01", actor="u-bench", actor_name="Bench")
# A location row and station_info, the least master data ``record`` needs for biz_location.
_SETUP = (
    "INSERT INTO location (code, name, kind, active) VALUES ('WH-B', 'Bench', 'warehouse', 1)",
    (
        "INSERT INTO station_info (code, name, location_id)"
        " SELECT 'BENCH-01', 'Bench station', id FROM location WHERE code = 'WH-B'"
    ),
)


def _draft(number: int) -> ObjectEventDraft:
    return ObjectEventDraft(
        action=Action.OBSERVE,
        biz_step="inspecting",
        disposition="conformant",
        epcs=(sgtin_uri(GTIN, f"BENCH{number:09d}"),),
        biz_location="urn:udi-station:loc:WH-B",
    )


class StationSide:
    """The station path: one ``record`` per writer transaction."""

    def __init__(self, path: Path) -> None:
        self.store: Store = open_store(path)
        self.count = 0

        def setup(conn: Connection) -> None:
            for statement in _SETUP:
                conn.execute(text(statement))

        self.store.writer.submit(setup).result()

    def commit_one(self) -> None:
        self.count += 1
        draft = _draft(self.count)
        self.store.writer.submit(lambda c: record(c, CTX, draft)).result()

    def sample_payload(self) -> str:
        with self.store.engine.connect() as conn:
            payload: str = conn.execute(text("SELECT payload FROM event LIMIT 1")).scalar_one()
        return payload

    def close(self) -> None:
        self.store.close()


class RawSide:
    """Plain ``sqlite3``: the same pragmas, one comparable row per transaction."""

    def __init__(self, path: Path, payload: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute(
            "CREATE TABLE event (seq INTEGER PRIMARY KEY, event_id TEXT UNIQUE NOT NULL,"
            " payload TEXT NOT NULL, hash TEXT UNIQUE NOT NULL)"
        )
        self.payload = payload

    def commit_one(self) -> None:
        event_id = f"urn:uuid:{uuid.uuid4()}"
        payload = self.payload.replace("BENCH", event_id[-12:], 1)  # distinct, same size class
        digest = hashlib.sha256(payload.encode()).hexdigest()
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute(
            "INSERT INTO event (event_id, payload, hash) VALUES (?, ?, ?)",
            (event_id, payload, digest),
        )
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


def _timed(commit: Callable[[], None], times: list[float], count: int) -> None:
    for _ in range(count):
        start = time.perf_counter()
        commit()
        times.append((time.perf_counter() - start) * 1000)


def measure(directory: Path, commits: int) -> dict[str, list[float]]:
    """Milliseconds per durable commit for each side, ``commits`` each after a warm-up."""
    station = StationSide(directory / "station.db")
    station.commit_one()
    raw = RawSide(directory / "raw.db", station.sample_payload())
    results: dict[str, list[float]] = {"station": [], "raw": []}
    try:
        _timed(station.commit_one, [], 50)
        _timed(raw.commit_one, [], 50)
        for round_no in range(-(-commits // ROUND)):
            order = [("station", station.commit_one), ("raw", raw.commit_one)]
            if round_no % 2:
                order.reverse()
            for name, commit in order:
                _timed(commit, results[name], ROUND)
    finally:
        station.close()
        raw.close()
    return results


# (file suffix, function) of the station's steps inside one ``record`` call.
_STEPS = {
    "EPCIS schema check": ("station/epcis/schema.py", "validate_event"),
    "hash-chain append": ("station/ledger/chain.py", "append_event"),
    "item_state projection": ("station/services/projection.py", "apply"),
}


def profile(directory: Path, commits: int = 300) -> str:
    """Where a station commit's time goes: inside ``record`` (by step) and around it.

    One unprofiled pass times the whole submit and the part inside the transaction function;
    a second pass runs cProfile on the writer thread, inside ``record`` only, for the shares.
    """
    station = StationSide(directory / "profiled.db")
    totals: list[float] = []
    inside: list[float] = []
    profiler = cProfile.Profile()
    try:
        for profiled in (False, True):
            for _ in range(commits):
                station.count += 1
                draft = _draft(station.count)

                def work(
                    conn: Connection, draft: ObjectEventDraft = draft, on: bool = profiled
                ) -> None:
                    start = time.perf_counter()
                    if on:
                        profiler.enable()
                    record(conn, CTX, draft)
                    if on:
                        profiler.disable()
                    else:
                        inside.append((time.perf_counter() - start) * 1000)

                start = time.perf_counter()
                station.store.writer.submit(work).result()
                if not profiled:
                    totals.append((time.perf_counter() - start) * 1000)
    finally:
        station.close()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    cumulative: dict[str, float] = dict.fromkeys([*_STEPS, "record"], 0.0)
    for (filename, _, function), (_, _, _, cum, _) in stats.items():
        for label, (suffix, name) in [
            *_STEPS.items(),
            ("record", ("services/recording.py", "record")),
        ]:
            if filename.endswith(suffix) and function == name:
                cumulative[label] += cum
    whole = cumulative.pop("record")
    shares = ", ".join(f"{label} {cum / whole:.0%}" for label, cum in cumulative.items())
    inside_ms, total_ms = statistics.median(inside), statistics.median(totals)
    return (
        f"Where the station's time goes (median of {commits} commits): {inside_ms:.2f} ms inside "
        f"`record` ({shares}; the rest builds the event and writes its identifier and "
        f"genealogy rows), {total_ms - inside_ms:.2f} ms for BEGIN, COMMIT "
        f"and the hand-off to and from the writer thread."
    )


def report(results: dict[str, list[float]]) -> str:
    rows = ["| Path | p50 ms | p90 ms | p99 ms | max ms | commits/s |", "|---|---|---|---|---|---|"]
    labels = {
        "station": "station `writer.submit(record(...))`",
        "raw": "raw `sqlite3` INSERT + COMMIT",
    }
    for key, label in labels.items():
        values = results[key]
        rows.append(
            f"| {label} | {percentile(values, 0.5):.2f} | {percentile(values, 0.9):.2f} | "
            f"{percentile(values, 0.99):.2f} | {max(values):.2f} | "
            f"{len(values) / (sum(values) / 1000):,.0f} |"
        )
    ratio = _ratio(results)
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    median_ratio = statistics.median(results["station"]) / statistics.median(results["raw"])
    return "\n".join(
        [
            *rows,
            "",
            (
                f"p99 ratio station/raw: **{ratio:.2f}** ({verdict} the {TARGET_RATIO}x target); "
                f"p50 ratio {median_ratio:.2f}. {len(results['station'])} commits each, "
                f"alternating rounds of {ROUND}."
            ),
        ]
    )


def _ratio(results: dict[str, list[float]]) -> float:
    return percentile(results["station"], 0.99) / percentile(results["raw"], 0.99)


def write_docs(table: str, machine: str, where: str) -> None:
    """Replace (or add) this benchmark's section of docs/benchmarks.md, keeping the others."""
    section = "\n".join(
        [
            SECTION,
            "",
            (
                "Time from the caller's submit until COMMIT returned, one event per transaction, "
                "WAL and `synchronous=FULL` on both sides, files in the same directory. The "
                "station side records a real ObjectEvent (schema check, canonical JSON, hash "
                "chain, identifier and projection rows) through the single writer thread; the "
                "raw side inserts the same payload with its SHA-256 into one indexed table."
            ),
            "",
            "```",
            ".venv/bin/python -m benchmarks.bench_commit --write",
            "```",
            "",
            f"Machine: {machine}. Disk: {where}. Measured {date.today().isoformat()}.",  # noqa: DTZ011
            "",
            table,
            "",
        ]
    )
    write_section(SECTION, section)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=2000, help="per side (default 2000)")
    parser.add_argument(
        "--dir", type=Path, help="directory for the two files (default: a temp dir)"
    )
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        results = measure(Path(scratch), args.commits)
        breakdown = profile(Path(scratch))
        where = f"temporary directory {scratch} ({datetime.now(UTC):%H:%M} UTC run)"
    table = report(results) + "\n\n" + breakdown
    described = machine()
    print(f"Machine: {described}\n")
    print(table)
    if args.write:
        write_docs(table, described, where)
        print(f"\nwrote {DOCS}")
    return 0 if _ratio(results) <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
