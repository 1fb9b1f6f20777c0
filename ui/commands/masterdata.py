"""``station masterdata``: import and export master data as CSV on a standalone station.

Imports are all-or-nothing and audited (who, when, old → new, why). Until user login exists,
``--user`` names the person responsible; it is recorded in the audit trail as the actor, and
``--role`` (default ``admin``) the role acted in, which must grant ``masterdata.edit`` (a
denied import is audited as ``access.denied``; nothing is imported).

An export to a file (``--out``) is audited too (``export.masterdata``: entity, row count, file,
SHA-256, who) before the file is renamed into place; without ``--out`` the CSV goes to standard
output, which like ``trace`` output is a display, not a file the station writes.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import Any

from station.errors import StationError
from station.masterdata.csvio import export_csv, import_csv
from station.masterdata.editing import MasterDataError
from station.masterdata.specs import IMPORT_ORDER, SPECS
from station.persistence.db import close_engine, open_engine
from ui.audited import submit_audited
from ui.commands.actor import add_actor_options, add_role_option, write_context
from ui.commands.session import (
    StagedFile,
    audit_session,
    discard_staged,
    publish_staged,
    write_session,
)


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
    add_actor_options(importing, user=False)
    add_role_option(importing, default="admin", needs="masterdata.edit")
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.set_defaults(handler=run_import)
    exporting = actions.add_parser("export", help="write one entity as CSV")
    exporting.add_argument("--db", type=Path, required=True, metavar="PATH")
    exporting.add_argument("--entity", required=True, choices=IMPORT_ORDER)
    exporting.add_argument("--out", type=Path, metavar="FILE", help="default: standard output")
    add_actor_options(exporting, user_help="who exports (default: os:ACCOUNT); with --out")
    exporting.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8-sig")  # accept Excel's byte-order mark
    except (OSError, UnicodeDecodeError) as exc:
        print(f"station masterdata: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    reason = f"{args.reason} (CSV import of {args.file.name})"
    spec = SPECS[args.entity]
    try:
        ctx = write_context(args.user, args.station, args.role)
        with write_session(args.db, args.station, settings_file=args.settings) as store:
            counts = submit_audited(
                store.writer, ctx, lambda conn: import_csv(conn, spec, text, ctx, reason)
            )
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


def _read(db: Path, entity: str) -> str:
    engine = open_engine(db, readonly=True)
    try:
        with engine.connect() as conn:
            return export_csv(conn, SPECS[entity])
    finally:
        close_engine(engine)


def _export_file(args: argparse.Namespace) -> tuple[int, str]:
    """Write ``--out``, audit it, publish it; the number of rows and where the entry went."""
    ctx = write_context(args.user, args.station)
    with audit_session(args.db, args.station, settings_file=args.settings) as auditor:
        text = _read(args.db, args.entity)
        rows = max(len(list(csv.reader(io.StringIO(text, newline="")))) - 1, 0)  # no header
        staged = StagedFile(
            args.out,
            "export.masterdata",
            {"format": "csv", "entity": args.entity, "rows": rows},
        )
        # Excel opens it as UTF-8 only with the byte-order mark.
        staged.partial.write_text(text, encoding="utf-8-sig", newline="")
        return rows, publish_staged(auditor, ctx, [staged])


def run_export(args: argparse.Namespace) -> int:
    if args.out is None:
        try:
            text = _read(args.db, args.entity)
        except StationError as exc:
            print(f"station masterdata: {exc}", file=sys.stderr)
            return 2
        sys.stdout.write(text)
        return 0
    partial = [StagedFile(args.out, "export.masterdata")]
    try:
        rows, where = _export_file(args)
    except (StationError, OSError) as exc:
        discard_staged(partial)
        print(f"station masterdata: nothing exported: {exc}", file=sys.stderr)
        return 2
    except BaseException:
        discard_staged(partial)
        raise
    print(f"{args.entity}: {rows} row(s) written to {args.out} ({where})")
    return 0
