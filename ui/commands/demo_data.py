"""``station demo-data``: a new database filled with a deterministic synthetic factory.

Refuses an existing file, the safe default: demo events must never mix with real ones. Exit 0
when built, 2 when the file exists or the database cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from station.demo.factory import STATION, DemoSummary, build_demo
from station.errors import StationError
from ui.commands.session import write_session

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "demo-data",
        help="create a new database with a synthetic factory's events",
        description="Receive, inspect, make, label, pack, ship, return and recall through the "
        "real services into a new database; the same --seed gives the same events.",
    )
    parser.add_argument("--db", required=True, type=Path, metavar="PATH", help="new database")
    parser.add_argument(
        "--units", required=True, type=int, metavar="N", help="serialised units to make (≥ 50)"
    )
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (1)")
    parser.set_defaults(handler=run)


def _print_summary(summary: DemoSummary) -> None:
    print(f"Demo factory: {summary.units} units in {summary.finished_lots} finished lots")
    print(f"  {summary.failed_units} failed their functional test and are held")
    print(
        f"  supplier lots {summary.supplier_lots} ({summary.rejected_supplier_lots} rejected),"
        f" cases {summary.cases}, pallets {summary.pallets}"
    )
    print(
        f"  shipped pallets {summary.shipped_pallets} to {summary.customers} customers,"
        f" returned {summary.returned_pallets}"
    )
    print(f"  recalled supplier lot {summary.recalled_lot}")
    print("Events:")
    for kind, count in summary.events_by_type.items():
        print(f"  {kind:<36} {count:>8}")
    rate = summary.events / summary.seconds if summary.seconds else 0.0
    print(f"  {'total':<36} {summary.events:>8}")
    print(f"Elapsed {summary.seconds:.1f} s, {rate:.1f} events/s")


def run(args: argparse.Namespace) -> int:
    if args.db.exists():
        print(f"station demo-data: {args.db} exists; choose a new file", file=sys.stderr)
        return 2
    if args.units < 50:
        print("station demo-data: --units must be at least 50", file=sys.stderr)
        return 2
    try:
        with write_session(args.db, STATION) as store:  # signs the heads when done
            summary = build_demo(store, units=args.units, seed=args.seed)
    except StationError as exc:
        print(f"station demo-data: {exc}", file=sys.stderr)
        return 2
    _print_summary(summary)
    return 0
