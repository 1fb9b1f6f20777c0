"""``station verify``: check the ledger's hash chains and signed checkpoints.

Exit status: 0 intact, 1 tampered (the first bad record is named), 2 usage or I/O error.
The database is opened read-only, so verifying never changes the evidence.

Checkpoint signatures are checked against trusted public keys: the ``--public-key`` files
(e.g. the copy the ERP holds), otherwise the station key store beside the database. A key read
from the database itself is never trusted. Without any key the chains are still checked, but
truncation and a full re-chain cannot be ruled out, and the output says so.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from station.errors import ConfigError, StationError
from station.ledger.checkpoint import CHECKPOINT_TABLE
from station.ledger.keys import KeyStore, load_public_key
from station.ledger.verify import VerifyReport, verify_ledger
from station.persistence.db import close_engine, open_engine

_SHOWN_PROBLEMS = 20


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "verify",
        help="check the ledger for altered, missing or inserted records",
        description="Recompute every hash and link of the event and audit chains and check "
        "every signed checkpoint and electronic signature. Exit 0 intact, 1 tampered, 2 error.",
    )
    parser.add_argument("--db", required=True, type=Path, metavar="PATH", help="station database")
    parser.add_argument(
        "--public-key",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="trusted station public key (PEM, from `station key export-public`); repeatable",
    )
    parser.set_defaults(handler=run)


def _key_store_keys(conn: sa.Connection, db: Path) -> list[Ed25519PublicKey]:
    stations = conn.execute(sa.select(CHECKPOINT_TABLE.c.station).distinct()).scalars()
    keys = []
    for station in stations:
        try:
            key = KeyStore(str(station), db.parent).existing_public_key()
        except ConfigError:  # the station code is read from the file: it may be anything
            continue
        if key is not None:
            keys.append(key)
    return keys


def _verify(args: argparse.Namespace) -> tuple[VerifyReport, str]:
    keys = [load_public_key(path) for path in args.public_key]
    source = f"{len(keys)} trusted key file(s)"
    engine = open_engine(args.db, readonly=True)
    try:
        with engine.connect() as conn:
            if not keys:
                keys = _key_store_keys(conn, args.db)
                source = f"{len(keys)} key(s) from the station key store"
            report = verify_ledger(conn, keys or None)
            conn.rollback()
    finally:
        close_engine(engine)
    return report, source


def _print_report(report: VerifyReport, source: str) -> None:
    counts = (
        f"{report.records.get('event', 0)} events, {report.records.get('audit', 0)} audit "
        f"entries, {report.checkpoints} checkpoints, "
        f"{report.records.get('signature', 0)} electronic signatures"
    )
    if report.ok:
        print(f"ledger intact: {counts}")
    else:
        print(f"LEDGER TAMPERED: {report.first}")
        print(f"checked {counts}; problems found:")
        for problem in report.problems[:_SHOWN_PROBLEMS]:
            print(f"  {problem}")
        hidden = len(report.problems) - _SHOWN_PROBLEMS + report.omitted
        if hidden > 0:
            print(f"  … and {hidden} more")
    if not report.checkpoints:
        print("note: no checkpoint yet: a truncated tail cannot be detected", file=sys.stderr)
    elif report.signatures_checked:
        print(f"checkpoint signatures checked with {source}")
    else:
        print(
            "WARNING: no trusted public key: checkpoint signatures were NOT checked, so "
            "truncation or a re-chained ledger cannot be ruled out (use --public-key)",
            file=sys.stderr,
        )


def run(args: argparse.Namespace) -> int:
    try:
        report, source = _verify(args)
    except (OSError, ValueError, StationError, sa.exc.SQLAlchemyError) as exc:
        print(f"station verify: {exc}", file=sys.stderr)
        return 2
    _print_report(report, source)
    return 0 if report.ok else 1
