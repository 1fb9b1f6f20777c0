"""``station recall``: every unit, lot and container affected by a lot, and where each is now.

Read-only unless ``--hold``: then the database is opened for writing (a write session that
signs the chain heads at the end), and the recall is computed and the hold recorded in one
write transaction, so nothing can ship between the answer and the hold. ``--csv`` / ``--pdf``
write the report as well. Exit 0 when something was found, 1 when nothing names the code, 2 on
a database or file problem.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station.context import WriteContext
from station.errors import StationError
from station.persistence.db import close_engine, open_engine
from station.trace.api import recall
from station.trace.holds import place_recall_holds
from station.trace.model import RecallResult
from station.trace.report import STATUS_LABELS, recall_report, write_csv
from ui.commands.session import write_session
from ui.commands.trace import print_json

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "recall",
        help="find every unit affected by a lot (mock or real recall)",
        description="List every unit, lot and container made from or packed with a lot or "
        "supplier lot, with its status and customer; optionally hold what is still here.",
    )
    parser.add_argument("--db", required=True, type=Path, metavar="PATH", help="station database")
    parser.add_argument("--json", action="store_true", help="print JSON with stable keys")
    parser.add_argument("--hold", action="store_true", help="put unshipped items on recall hold")
    parser.add_argument("--user", help="who places the hold (required with --hold)")
    parser.add_argument("--reason", help="why (required with --hold)")
    parser.add_argument("--station", default="standalone", help="this station's code")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="also write the report as CSV")
    parser.add_argument("--pdf", type=Path, metavar="FILE", help="also write the report as PDF")
    parser.add_argument("code", metavar="CODE", help="lot, supplier lot, scan or URI")
    parser.set_defaults(handler=run)


def _read_only(db: Path, code: str) -> RecallResult:
    engine = open_engine(db, readonly=True)
    try:
        with engine.connect() as conn:
            return recall(conn, code)
    finally:
        close_engine(engine)


def _with_hold(args: argparse.Namespace) -> tuple[RecallResult, int | None]:
    ctx = WriteContext(station=args.station, actor=args.user, actor_name=args.user)

    def work(conn: Any) -> tuple[RecallResult, int | None]:
        result = recall(conn, args.code)
        held = place_recall_holds(conn, ctx, result, reason=args.reason)
        return result, held.seq if held else None

    with write_session(args.db, args.station) as store:
        return store.writer.submit(work).result()


def _print_human(result: RecallResult) -> None:
    print(f"Recall of {result.code}")
    width = max((len(u.uri) for u in result.units), default=0)
    for unit in result.units:
        holder = (unit.holder.name or unit.holder.uri) if unit.holder else ""
        print(f"  {unit.uri:<{width}}  lot {unit.lot or '-':<12} {unit.status:<9} {holder}")
    print(f"\n{len(result.lots)} lot(s), {len(result.containers)} container(s)")
    for status, count in result.by_status.items():
        print(f"  {STATUS_LABELS.get(status, status)}: {count}")
    for uri, count in result.by_customer.items():
        print(f"  {result.customer_name(uri)}: {count}")
    print(f"\nMock recall: {len(result.units)} units located in {result.elapsed_seconds:.3f} s")


def run(args: argparse.Namespace) -> int:
    if args.hold and not (args.user and args.reason and args.reason.strip()):
        print("station recall: --hold needs --user and --reason", file=sys.stderr)
        return 2
    held: int | None = None
    try:
        result, held = _with_hold(args) if args.hold else (_read_only(args.db, args.code), None)
    except StationError as exc:
        print(f"station recall: {exc}", file=sys.stderr)
        return 2
    report = recall_report(
        result, station=args.station, generated_at=datetime.now(UTC).astimezone()
    )
    try:
        if args.csv:
            write_csv(report, args.csv)
        if args.pdf:
            from drivers.reports.pdf import write_pdf  # noqa: PLC0415 - reportlab only when asked

            write_pdf(report, args.pdf)
    except OSError as exc:
        print(f"station recall: cannot write the report: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print_json(result.as_json() | {"hold_event_seq": held})
    elif result.message:
        print(result.message)
    else:
        _print_human(result)
        if args.hold:
            print(f"Recall hold recorded (event seq {held})." if held else "Nothing left to hold.")
    return 0 if result.found else 1
