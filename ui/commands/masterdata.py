"""``station masterdata``: import and export master data as CSV on a standalone station.

Imports are all-or-nothing and audited (who, when, old → new, why). Until user login exists,
``--user`` names the person responsible; it is recorded in the audit trail as the actor.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from station.context import WriteContext
from station.errors import StationError
from station.masterdata.csvio import export_csv, import_csv
from station.masterdata.editing import MasterDataError
from station.masterdata.specs import IMPORT_ORDER, SPECS
from station.persistence.db import close_engine, open_engine
from ui.commands.session import write_session


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "masterdata", help="import or export master data (CSV)"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    importing = actions.add_parser("import", help="import a CSV file (all rows or none)")
    importing.add_argument("--db", type=Path, required=True, metavar="PATH")
    importing.add_argument("--entity", required=True, choices=IMPORT_ORDER)
    importing.add_argument("--reason", required=True, help="why: recorded in the audit trail")
    importing.add_argument("--user", required=True, help="who is responsible for the import")
    importing.add_argument("--station", default="standalone", help="this station's code")
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.set_defaults(handler=run_import)
    exporting = actions.add_parser("export", help="write one entity as CSV")
    exporting.add_argument("--db", type=Path, required=True, metavar="PATH")
    exporting.add_argument("--entity", required=True, choices=IMPORT_ORDER)
    exporting.add_argument("--out", type=Path, metavar="FILE", help="default: standard output")
    exporting.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8-sig")  # accept Excel's byte-order mark
    except (OSError, UnicodeDecodeError) as exc:
        print(f"station masterdata: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    ctx = WriteContext(station=args.station, actor=args.user, actor_name=args.user)
    reason = f"{args.reason} (CSV import of {args.file.name})"
    spec = SPECS[args.entity]
    try:
        with write_session(args.db, args.station) as store:
            work = store.writer.submit(lambda conn: import_csv(conn, spec, text, ctx, reason))
            counts = work.result()
    except MasterDataError as exc:
        print(
            f"station masterdata: nothing imported; {len(exc.problems)} problem(s):",
            file=sys.stderr,
        )
        for line, column, why in exc.problems:
            where = ", ".join(p for p in (f"line {line}" if line else "", column or "") if p)
            print(f"  {where}: {why}" if where else f"  {why}", file=sys.stderr)
        return 1
    except StationError as exc:
        print(f"station masterdata: nothing imported: {exc}", file=sys.stderr)
        return 1
    print(
        f"{args.entity}: {counts.created} created, {counts.updated} updated, "
        f"{counts.unchanged} unchanged"
    )
    return 0


def run_export(args: argparse.Namespace) -> int:
    try:
        engine = open_engine(args.db, readonly=True)
    except StationError as exc:
        print(f"station masterdata: {exc}", file=sys.stderr)
        return 2
    try:
        with engine.connect() as conn:
            text = export_csv(conn, SPECS[args.entity])
    finally:
        close_engine(engine)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8-sig", newline="")  # Excel opens it as UTF-8
    return 0
