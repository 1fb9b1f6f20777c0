"""``station backup``: an online, verified, rotated copy of the station database (DUR-8).

Safe while the station is running: the copy is taken with SQLite's backup API inside one read
transaction. Exit status 0 when the copy was written and verified, 1 when it was not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from station.errors import StorageError
from station.ledger import verify_ledger
from station.persistence.backup import backup


def verify_chains(connection: Connection) -> list[str]:
    # Signatures are not checked here (no trusted key is given); `station verify` does that.
    return [str(problem) for problem in verify_ledger(connection, None).problems]


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "backup",
        help="copy the database online and verify the copy",
        description="Copy the station database into DIR with SQLite's online backup API, "
        "verify the copy at once and keep the newest N copies.",
    )
    parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="the database")
    parser.add_argument(
        "--to", type=Path, required=True, metavar="DIR", help="backup directory (separate media)"
    )
    parser.add_argument(
        "--keep", type=int, default=10, metavar="N", help="copies to keep (default: 10)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        result = backup(args.db, args.to, keep=args.keep, verify_chains=verify_chains)
    except StorageError as exc:
        print(f"station backup: {exc}", file=sys.stderr)
        return 1
    seq = (
        "no events"
        if result.last_event_seq is None
        else f"events up to seq {result.last_event_seq}"
    )
    print(f"{result.path}: verified ({', '.join(result.health.checks)}), {seq}")
    for old in result.removed:
        print(f"removed old backup {old}")
    return 0
