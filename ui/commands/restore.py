"""``station restore``: put a verified backup in place of the station database.

Refuses while a station is writing the database, refuses a damaged backup, and refuses to
replace a healthy database without ``--force``. The replaced file is renamed aside, never
deleted. Exit status 0 when restored and verified, 1 otherwise.

The restore is audited in the restored database: one ``backup.restored`` entry (the backup's
path, size and SHA-256, its last event seq, the state of the replaced database, where it was
moved, whether ``--force`` was needed, who). It is written into the verified copy *before* the
copy replaces the database (and signed by the session's checkpoint), so a restored database
never exists without it; if it cannot be written, the database is left exactly as it was.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from station.context import WriteContext
from station.errors import StationError
from station.persistence.backup import (
    RestoreResult,
    RestoreStep,
    file_sha256,
    last_event_seq,
    restore_database,
)
from ui.commands.actor import add_actor_options, write_context
from ui.commands.backup import verify_chains
from ui.commands.session import AuditEntry, StoreAuditor, record_settings_drift, write_session

RESTORE_ACTION = "backup.restored"


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
    parser.add_argument("--reason", help="why (recorded in the audit trail)")
    add_actor_options(parser)
    parser.set_defaults(handler=run)


def _restore(args: argparse.Namespace, ctx: WriteContext, digest: str, size: int) -> RestoreResult:
    def before_publish(step: RestoreStep) -> None:
        previous = step.previous
        entry = AuditEntry(
            RESTORE_ACTION,
            entity="database",
            entity_id=str(step.db_path.resolve()),
            old={
                "path": str(step.db_path.resolve()),
                "state": "missing" if previous is None else "ok" if previous.ok else "damaged",
                "problems": [] if previous is None else list(previous.problems),
                "moved_to": [str(p.resolve()) for p in step.set_aside],
            },
            new={
                "from_file": args.source.name,
                "from_path": str(args.source.resolve()),
                "bytes": size,
                "sha256": digest,
                "last_event_seq": last_event_seq(step.staged),
                "forced": bool(args.force),
            },
            reason=args.reason,
        )
        # The staged copy becomes the database: record there, then any settings change, and
        # close (the session signs a checkpoint) before it is renamed into place.
        with write_session(step.staged, args.station, record_settings=False) as store:
            StoreAuditor(store).record(ctx, [entry])
            record_settings_drift(store, args.station, args.settings)

    return restore_database(
        args.source,
        args.db,
        force=args.force,
        verify_chains=verify_chains,
        before_publish=before_publish,
    )


def run(args: argparse.Namespace) -> int:
    if not args.source.is_file():
        print(f"station restore: no backup file {args.source}", file=sys.stderr)
        return 1
    try:
        ctx = write_context(args.user, args.station)
        digest, size = file_sha256(args.source)
        restored = _restore(args, ctx, digest, size)
    except (StationError, OSError) as exc:
        print(f"station restore: {exc}", file=sys.stderr)
        return 1
    seq = last_event_seq(args.db)
    events = "no events" if seq is None else f"events up to seq {seq}"
    checks = ", ".join(restored.health.checks)
    print(f"{args.db}: restored from {args.source}, verified ({checks}), {events}; audited")
    for path in restored.set_aside:
        print(f"the replaced file is kept as {path}")
    return 0
