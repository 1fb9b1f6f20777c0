"""Trace and recall latency on a demo database, each against a hand-written SQL query.

Run::

    .venv/bin/python -m benchmarks.bench_trace --units 5000            # print the table
    .venv/bin/python -m benchmarks.bench_trace --units 5000 --write    # also docs/benchmarks.md

The database is built by ``station demo-data`` (the real services; see ``station.demo``) unless
``--db`` names one already built. In the same run:

* **trace**: ``station.trace.api.trace`` of 200 random serialised units (seeded), against a
  recursive CTE over ``genealogy`` giving the same backward lineage (every ancestor lot). The
  station answer is checked to contain exactly that set; it also builds the timeline, graph,
  forward reach and status, which the SQL does not, so the SQL is a floor, not a twin.
* **recall**: ``station.trace.api.recall`` of the supplier lot that reaches the most units,
  against a recursive CTE lot → consumed-into lots → their units; the unit sets must be equal.
  Once, also ``recall_by_fold``: the same answer folded from the events (the path recall
  takes when projections lag the ledger), to show what the projections buy.

An existing database is first brought to the current schema (``open_store`` migrates it).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa

from benchmarks.common import DOCS, command_line, machine, percentile, write_section
from station.context import WriteContext
from station.persistence.db import close_engine, open_engine
from station.persistence.store import open_store
from station.trace.api import recall, recall_by_fold, trace

T = TypeVar("T")
#: The reader: QA (trace.view and recall.run); the permission check is part of each timing.
QA = WriteContext(station="BENCH-TRACE", actor="u-bench", roles=frozenset({"qa"}))
SECTION = "## Trace and recall latency"
SAMPLES = 200
RECALL_REPEATS = 5
_LOT_PATTERN = "https://id.gs1.org/01/%/10/%"
ANCESTOR_LOTS = sa.text(
    "WITH RECURSIVE up(uri) AS (SELECT :unit UNION SELECT g.parent_uri FROM genealogy g"
    " JOIN up ON g.child_uri = up.uri WHERE g.relation IN ('contains', 'consumed_into'))"
    f" SELECT uri FROM up WHERE uri LIKE '{_LOT_PATTERN}'"
)
RECALLED_UNITS = sa.text(
    "WITH RECURSIVE down(uri) AS (SELECT :lot UNION SELECT g.child_uri FROM genealogy g"
    " JOIN down ON g.parent_uri = down.uri WHERE g.relation = 'consumed_into'"
    f" OR (g.relation = 'contains' AND g.parent_uri LIKE '{_LOT_PATTERN}'))"
    " SELECT uri FROM down WHERE uri LIKE 'https://id.gs1.org/01/%/21/%'"
)
# Supplier lots are the lots with a receipt. The candidates for the largest recall are the
# few consumed into the most finished lots (counting units for every lot would dominate).
SUPPLIER_LOTS = sa.text(
    "SELECT g.parent_uri FROM genealogy g WHERE g.relation = 'consumed_into'"
    " AND g.parent_uri IN (SELECT i.uri FROM event_ident i JOIN event e ON e.seq = i.event_seq"
    " WHERE e.biz_step = 'receiving' AND e.disposition = 'in_progress' AND i.role = 'quantity')"
    " GROUP BY g.parent_uri ORDER BY count(*) DESC LIMIT 3"
)


def _ancestor_lots(conn: sa.Connection, unit: str) -> set[str]:
    return set(conn.execute(ANCESTOR_LOTS, {"unit": unit}).scalars())


def _timed(work: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = work()
    return result, (time.perf_counter() - start) * 1000


def _build(db: Path, units: int) -> float:
    from station.demo.factory import build_demo  # noqa: PLC0415 - only when building

    store = open_store(db)
    try:
        summary = build_demo(store, units=units, seed=1)
    finally:
        store.close()
    print(f"built {db}: {summary.units} units, {summary.events} events in {summary.seconds:.0f} s")
    return summary.units / summary.seconds


def measure(conn: sa.Connection) -> dict[str, list[float] | int]:
    units = sorted(
        conn.execute(sa.text("SELECT uri FROM item_state WHERE kind = 'sgtin'")).scalars()
    )
    sample = random.Random(20261125).sample(units, min(SAMPLES, len(units)))
    ours: list[float] = []
    sql: list[float] = []
    for unit in sample:
        result, ms = _timed(partial(trace, conn, QA, unit))
        expected, sql_ms = _timed(partial(_ancestor_lots, conn, unit))
        if set(result.backward.lots) != expected:
            msg = f"trace of {unit}: lots {result.backward.lots} != SQL {sorted(expected)}"
            raise SystemExit(msg)
        ours.append(ms)
        sql.append(sql_ms)
    sizes = {
        lot: len(set(conn.execute(RECALLED_UNITS, {"lot": lot}).scalars()))
        for lot in conn.execute(SUPPLIER_LOTS).scalars()
    }
    largest = max(sizes, key=lambda lot: sizes[lot])
    recall_ms: list[float] = []
    recall_sql: list[float] = []
    for _ in range(RECALL_REPEATS):
        found, ms = _timed(lambda: recall(conn, QA, largest))
        expected_units, sql_ms = _timed(
            lambda: set(conn.execute(RECALLED_UNITS, {"lot": largest}).scalars())
        )
        if {u.uri for u in found.units} != expected_units:
            msg = f"recall of {largest}: {len(found.units)} units != SQL {len(expected_units)}"
            raise SystemExit(msg)
        recall_ms.append(ms)
        recall_sql.append(sql_ms)
    folded, fold_ms = _timed(lambda: recall_by_fold(conn, QA, largest))
    if {u.uri for u in folded.units} != expected_units:
        msg = f"recall_by_fold of {largest}: {len(folded.units)} units != SQL"
        raise SystemExit(msg)
    return {
        "recall_fold": [fold_ms],
        "trace": ours,
        "trace_sql": sql,
        "recall": recall_ms,
        "recall_sql": recall_sql,
        "units": len(units),
        "recalled_units": sizes[largest],
        "events": conn.execute(sa.text("SELECT count(*) FROM event")).scalar_one(),
    }


def report(results: dict[str, list[float] | int], rate: float | None) -> str:
    def row(label: str, key: str) -> str:
        values = results[key]
        assert isinstance(values, list)
        return (
            f"| {label} | {statistics.median(values):.1f} | {percentile(values, 0.95):.1f} | "
            f"{max(values):.1f} | {len(values)} |"
        )

    lines = [
        "| Query | median ms | p95 ms | max ms | runs |",
        "|---|---|---|---|---|",
        row("station `trace(unit)`", "trace"),
        row("SQL CTE: ancestor lots of the unit", "trace_sql"),
        row(f"station `recall(lot)` ({results['recalled_units']} units)", "recall"),
        row("SQL CTE: units made from the lot", "recall_sql"),
        row("station `recall_by_fold(lot)`: folding every unit's events", "recall_fold"),
        "",
        (
            f"Database: {results['units']:,} serialised units, {results['events']:,} events "
            "(`station demo-data --seed 1`). Answer sets equal in every run."
        ),
    ]
    if rate is not None:
        lines.append(
            f"Generator throughput: {rate:,.0f} units/s here, so 1,000,000 units would take "
            f"about {1_000_000 / rate / 3600:.1f} h if it stayed linear."
        )
    return "\n".join(lines)


def write_docs(table: str, machine: str, command: str) -> None:
    """Replace (or add) this benchmark's section of docs/benchmarks.md, keeping the others."""
    section = "\n".join(
        [
            SECTION,
            "",
            (
                "Trace of random units and recall of the largest supplier lot on a demo "
                "database, each against a hand-written recursive SQL query returning the same "
                "answer set (the station builds much more: timeline, graph, status, customers). "
                "The 1,000,000-unit run: `--units 1000000 --db PATH` after building PATH with "
                "`station demo-data --db PATH --units 1000000 --seed 1`."
            ),
            "",
            "```",
            command,
            "```",
            "",
            f"Machine: {machine}. Measured {date.today().isoformat()}.",  # noqa: DTZ011
            "",
            table,
            "",
        ]
    )
    write_section(SECTION, section)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000, help="demo size (default 5000)")
    parser.add_argument(
        "--db", type=Path, help="use (or build, if missing) this database (default: temp dir)"
    )
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    # Default outside the repository: the file is large and reused between runs.
    db = args.db or Path(tempfile.gettempdir()) / f"udi-station-demo-{args.units}.db"
    rate = None if db.exists() else _build(db, args.units)
    open_store(db).close()  # the current schema (migrations), with the writer's checks
    engine = open_engine(db, readonly=True)
    try:
        with engine.connect() as conn:
            results = measure(conn)
    finally:
        close_engine(engine)
    table = report(results, rate)
    described = machine()
    print(f"Machine: {described}\n")
    print(table)
    if args.write:
        write_docs(table, described, command_line("benchmarks.bench_trace", argv))
        print(f"\nwrote {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
