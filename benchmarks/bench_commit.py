"""Durable single-event commit latency: the station's writer against raw ``sqlite3``.

Run::

    .venv/bin/python -m benchmarks.bench_commit            # print the table
    .venv/bin/python -m benchmarks.bench_commit --write    # also update docs/benchmarks.md

Both sides commit one event per transaction to a file in the same directory, with the same
durability (WAL, ``synchronous=FULL``), and are timed from the caller's side until COMMIT has
returned:

* **station**: ``store.writer.submit(fn).result()`` where ``fn`` records one ObjectEvent
  (an inspection of a fresh serialised unit) through ``station.services.recording.record``:
  canonical JSON, hash chain link, ``event_ident``, ``genealogy`` and projection rows,
  on the writer thread, inside ``BEGIN IMMEDIATE … COMMIT``.
* **raw, same rows**: hand-written ``sqlite3`` statements writing the very rows the station
  writes for such an event (its ``event`` row, ``event_ident`` rows, ``item_state`` row with
  its status columns, and the projection mark, with fresh ids) into a database with the
  station's schema and indexes: the durable work with none of the station's checks. This is
  the comparison the target is about: what the station's code costs above SQLite doing the
  same write. With ``--db`` both write into one copy of a large demo database, in turns.
* **raw, one row**: one ``INSERT`` of a comparable row (the station's canonical payload for that
  event, its SHA-256 and a unique event id) into a single indexed table: the floor.

Rounds of 100 commits alternate between the two so both see the same disk conditions. The
target is station p99 ≤ 2x raw p99.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import shutil
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

from benchmarks.common import DOCS, command_line, machine, percentile, write_section
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
            last = text("SELECT payload FROM event ORDER BY seq DESC LIMIT 1")  # our own event
            payload: str = conn.execute(last).scalar_one()
        return payload

    def close(self) -> None:
        self.store.close()


def _raw_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _rows_of(
    conn: sqlite3.Connection, table: str, where: str, key: object
) -> list[dict[str, object]]:
    cursor = conn.execute(f"SELECT * FROM {table} WHERE {where} = ?", (key,))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class SameRowsSide:
    """Plain ``sqlite3`` writing the rows the station writes for one event, nothing else."""

    def __init__(self, path: Path, station_db: Path) -> None:
        if path != station_db:  # else: writes into the station's own (large) database
            open_store(path).close()  # the station's schema, indexes and triggers, empty
        self.conn = _raw_connection(path)
        source = sqlite3.connect(station_db)
        try:
            (seq,) = source.execute("SELECT max(seq) FROM event").fetchone()
            self.event = _rows_of(source, "event", "seq", seq)[0]
            self.idents = _rows_of(source, "event_ident", "event_seq", seq)
            self.state = _rows_of(source, "item_state", "last_event_seq", seq)
        finally:
            source.close()

    @staticmethod
    def _insert(table: str, row: dict[str, object]) -> str:
        names = ", ".join(row)
        return f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in row)})"

    def _upsert(self, table: str, key: str, row: dict[str, object]) -> None:
        update = f" ON CONFLICT ({key}) DO UPDATE SET last_event_seq = excluded.last_event_seq"
        self.conn.execute(self._insert(table, row) + update, row)

    def commit_one(self) -> None:
        fresh = uuid.uuid4()
        self.conn.execute("BEGIN IMMEDIATE")
        (seq,) = self.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM event").fetchone()
        event = {**self.event, "seq": seq, "event_id": f"urn:uuid:{fresh}"}
        event["hash"] = hashlib.sha256(f"{event['payload']}{fresh}".encode()).hexdigest()
        self.conn.execute(self._insert("event", event), event)
        for ident in self.idents:
            row = {**ident, "id": None, "event_seq": seq, "uri": f"{ident['uri']}{fresh}"}
            self.conn.execute(self._insert("event_ident", row), row)
        for state in self.state:
            self._upsert("item_state", "uri", {**state, "uri": f"{state['uri']}{fresh}"})
        mark = {"id": 1, "event_seq": seq}
        self.conn.execute(
            "INSERT INTO projection_mark (id, event_seq) VALUES (:id, :event_seq)"
            " ON CONFLICT (id) DO UPDATE SET event_seq = excluded.event_seq",
            mark,
        )
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


class RawSide:
    """Plain ``sqlite3``: the same pragmas, one comparable row per transaction."""

    def __init__(self, path: Path, payload: str) -> None:
        self.conn = _raw_connection(path)
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


def measure(directory: Path, commits: int, base: Path | None = None) -> dict[str, list[float]]:
    """Milliseconds per durable commit for each side, ``commits`` each after a warm-up.

    With ``base`` (a large demo database), the station and the same-rows side both write
    into one copy of it, taking turns: the same indexes of the same size.
    """
    station_db = directory / "station.db"
    if base is not None:
        shutil.copyfile(base, station_db)  # the base itself stays untouched
    station = StationSide(station_db)
    station.commit_one()
    same_db = station_db if base is not None else directory / "same.db"
    same = SameRowsSide(same_db, station_db)
    raw = RawSide(directory / "raw.db", station.sample_payload())
    sides = {"station": station.commit_one, "same": same.commit_one, "raw": raw.commit_one}
    results: dict[str, list[float]] = {name: [] for name in sides}
    try:
        for commit in sides.values():
            _timed(commit, [], 50)
        for round_no in range(-(-commits // ROUND)):
            order = list(sides.items())
            for name, commit in order[round_no % 3 :] + order[: round_no % 3]:
                _timed(commit, results[name], ROUND)
    finally:
        station.close()
        same.close()
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
        "same": "raw `sqlite3`, the same rows (event, event_ident, item_state)",
        "raw": "raw `sqlite3`, one row in one table",
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
    floor = _ratio(results, "raw")
    median_ratio = statistics.median(results["station"]) / statistics.median(results["same"])
    return "\n".join(
        [
            *rows,
            "",
            (
                f"p99 ratio station / raw same rows: **{ratio:.2f}** ({verdict} the "
                f"{TARGET_RATIO}x target); p50 ratio {median_ratio:.2f}. Against the one-row "
                f"floor the p99 ratio is {floor:.2f}. {len(results['station'])} commits each, "
                f"rounds of {ROUND} in rotating order."
            ),
        ]
    )


def _ratio(results: dict[str, list[float]], baseline: str = "same") -> float:
    return percentile(results["station"], 0.99) / percentile(results[baseline], 0.99)


def write_docs(table: str, machine: str, where: str, command: str) -> None:
    """Replace (or add) this benchmark's section of docs/benchmarks.md, keeping the others."""
    section = "\n".join(
        [
            SECTION,
            "",
            (
                "Time from the caller's submit until COMMIT returned, one event per transaction, "
                "WAL and `synchronous=FULL` on both sides, files in the same directory. The "
                "station side records a real ObjectEvent (schema check, canonical JSON, hash "
                "chain, identifier and projection rows) through the single writer thread. Two "
                "raw `sqlite3` baselines run in the same process: the same rows the station "
                "writes, by hand-written SQL into the station's schema (the target's "
                "comparison), and one row of the same payload in a one-table database (the "
                "floor)."
            ),
            "",
            "```",
            command,
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
    parser.add_argument(
        "--db",
        type=Path,
        help="a demo database to copy and commit into (e.g. 1,000,000 units); default: empty",
    )
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        results = measure(Path(scratch), args.commits, args.db)
        breakdown = profile(Path(scratch))
        where = f"temporary directory {scratch} ({datetime.now(UTC):%H:%M} UTC run)"
        if args.db is not None:
            where += f"; station and same-rows sides commit into a copy of {args.db.name}"
    table = report(results) + "\n\n" + breakdown
    described = machine()
    print(f"Machine: {described}\n")
    print(table)
    if args.write:
        write_docs(table, described, where, command_line("benchmarks.bench_commit", argv))
        print(f"\nwrote {DOCS}")
    return 0 if _ratio(results) <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
