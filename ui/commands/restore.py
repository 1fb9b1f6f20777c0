"""``station restore``: put a verified backup in place of the station database.

Refuses while a station is writing the database, refuses a damaged backup, and refuses to
replace a healthy database without ``--force``. The replaced file is renamed aside, never
deleted. Exit status 0 when restored and verified, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from station.errors import StorageError
from station.persistence.backup import last_event_seq, restore
from ui.commands.backup import verify_chains


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "restore",
        help="restore the database from a backup",
        description="Verify FILE, then write it in place of the database at PATH with SQLite's "
        "backup API. The current database is kept aside under a .replaced-<time> name.",
    )
    parser.add_argument(
        "--from", dest="source", type=Path, required=True, metavar="FILE", help="the backup"
    )
    parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="the database")
    parser.add_argument(
        "--force", action="store_true", help="replace the database even though it is healthy"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not args.source.is_file():
        print(f"station restore: no backup file {args.source}", file=sys.stderr)
        return 1
    try:
        report = restore(args.source, args.db, force=args.force, verify_chains=verify_chains)
    except StorageError as exc:
        print(f"station restore: {exc}", file=sys.stderr)
        return 1
    seq = last_event_seq(args.db)
    events = "no events" if seq is None else f"events up to seq {seq}"
    print(
        f"{args.db}: restored from {args.source}, verified ({', '.join(report.checks)}), {events}"
    )
    return 0
