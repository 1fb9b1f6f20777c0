"""``station checkpoint``: sign both chain heads now (e.g. from a shutdown script, TAM-3).

The station signs on its own every N records, every T minutes and at shutdown; this command
is for operators and scripts. It takes the single-writer lock, so it refuses to run while the
station itself has the database open. Exit 0 signed, 2 error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from station.errors import StationError
from station.ledger.checkpoint import make_checkpoint
from station.ledger.keys import KeyStore
from station.persistence.db import close_engine, open_engine


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "checkpoint", help="sign the current heads of the event and audit chains"
    )
    parser.add_argument("--db", required=True, type=Path, metavar="PATH", help="station database")
    parser.add_argument("--station", required=True, metavar="CODE", help="station code")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        if not args.db.exists():  # the writer engine would create an empty file
            print(f"station checkpoint: {args.db} does not exist", file=sys.stderr)
            return 2
        store = KeyStore(args.station, args.db.parent)
        engine = open_engine(args.db)
        try:
            with engine.begin() as conn:
                row = make_checkpoint(conn, store, args.station)
        finally:
            close_engine(engine)
    except (OSError, ValueError, StationError, sa.exc.SQLAlchemyError) as exc:
        print(f"station checkpoint: {exc}", file=sys.stderr)
        return 2
    print(
        f"checkpoint #{row['id']} signed: event seq {row['event_seq']}, "
        f"audit seq {row['audit_seq']}, key {row['key_id']}"
    )
    if store.insecure:
        print(f"WARNING: the station key is kept in {store.location}", file=sys.stderr)
    return 0
