"""``station backup``: an online, verified, rotated copy of the station database (DUR-8).

Safe while the station is running: the copy is taken with SQLite's backup API inside one read
transaction. Exit status 0 when the copy was written, verified and audited, 1 when it was not.

Each backup writes one ``backup.created`` entry into the live database (path, size, SHA-256,
last event seq and verification of the copy, older copies rotated out), after the copy is
verified and before it is renamed into place, so the entry describes exactly that copy and a
backup never exists without its entry. If the entry cannot be recorded, the verified copy is
kept aside as ``….unaudited`` (for an emergency; it is never counted as a backup) and the
command fails. While the station itself holds the database the entry is queued for it
(:func:`ui.commands.session.audit_session`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from station.context import WriteContext
from station.errors import StationError, StorageError
from station.ledger import verify_ledger
from station.persistence.backup import BackupCopy, backup, backup_audit_fields
from ui.commands.actor import add_actor_options, write_context
from ui.commands.session import AuditEntry, audit_session


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
    add_actor_options(parser)
    parser.set_defaults(handler=run)


def backup_entry(copy: BackupCopy) -> AuditEntry:
    """What the audit trail says about a backup copy."""
    return AuditEntry(**backup_audit_fields(copy))


def run(args: argparse.Namespace) -> int:
    where: list[str] = []

    def record(copy: BackupCopy, ctx: WriteContext) -> None:
        try:
            with audit_session(args.db, args.station, settings_file=args.settings) as auditor:
                where.append(auditor.record(ctx, [backup_entry(copy)]))
        except (StationError, OSError) as exc:
            msg = (
                f"the backup could not be recorded in the audit trail ({exc}); the verified "
                f"copy is kept aside as {copy.path.name}.unaudited and is not a backup"
            )
            raise StorageError(msg) from exc

    try:
        ctx = write_context(args.user, args.station)
        result = backup(
            args.db,
            args.to,
            keep=args.keep,
            verify_chains=verify_chains,
            before_publish=lambda copy: record(copy, ctx),
        )
    except (StationError, OSError) as exc:
        print(f"station backup: {exc}", file=sys.stderr)
        return 1
    seq = (
        "no events"
        if result.last_event_seq is None
        else f"events up to seq {result.last_event_seq}"
    )
    print(f"{result.path}: verified ({', '.join(result.health.checks)}), {seq} ({where[0]})")
    for old in result.removed:
        print(f"removed old backup {old}")
    return 0
