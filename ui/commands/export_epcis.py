"""``station export-epcis``: write the recorded events as one validated EPCIS 2.0 document.

Events are read through a read-only connection from the ``event`` table in ``seq`` order, each
as its stored canonical payload (the source of truth), and are streamed to the file while each
is validated against the official schema, so a ledger of millions of events never sits in
memory. The document is written beside its final name and renamed only when valid: an invalid
one is refused (exit 1, the first problems on stderr) and nothing appears at ``--out``.

Each event that has electronic signatures carries them in the extension ``st:signatures``
(:mod:`station.epcis.signatures`): signatures are made after the event, so they are added to
the exported document only, never to the stored payload or what sync sends the ERP.

Every export is audited (``export.epcis``: file, SHA-256, size, ``--since``, event count,
signature count, last event seq, who), and the entry is recorded before the file is renamed
into place: a failed audit write fails the command and leaves no file. While the station itself
holds the database, the entry is queued for it (see :func:`ui.commands.session.audit_session`).

``--role`` (default ``qa``) must grant ``report.export``; a denial is audited
(``access.denied``) and nothing is read or written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from station.access import REPORT_EXPORT
from station.epcis.signatures import event_signatures, with_signatures
from station.epcis.stream import StreamResult, write_document
from station.errors import StationError
from station.events.timefmt import utc_millis
from station.persistence import tables
from station.persistence.db import close_engine, open_engine
from ui.commands.actor import add_actor_options, add_role_option, require_audited, write_context
from ui.commands.session import StagedFile, audit_session, discard_staged, publish_staged

_SHOWN_PROBLEMS = 10


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        msg = f"{text!r} has no UTC offset (write e.g. 2026-11-24T00:00:00+08:00 or …Z)"
        raise argparse.ArgumentTypeError(msg)
    return moment


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "export-epcis",
        help="export recorded events as an EPCIS 2.0 document",
        description="Write the events of a station database as one EPCIS 2.0 JSON-LD document, "
        "validated against the official GS1 schema.",
    )
    parser.add_argument("--db", required=True, type=Path, metavar="PATH", help="station database")
    parser.add_argument(
        "--since",
        type=_aware,
        metavar="ISO-DATETIME",
        help="only events this station recorded at or after this instant (with offset)",
    )
    parser.add_argument("--out", required=True, type=Path, metavar="FILE", help="output file")
    add_actor_options(parser)
    add_role_option(parser, default="qa", needs="report.export")
    parser.set_defaults(handler=run)


def _events(
    conn: sa.Connection, since: datetime | None, signatures: dict[str, list[dict[str, Any]]]
) -> Iterator[dict[str, Any]]:
    """Each event's stored payload, with its signatures (keyed by the ledger row's event_id:
    an error declaration repeats the eventID of the event it corrects, not its signatures)."""
    event = tables.metadata.tables["event"]
    query = sa.select(event.c.event_id, event.c.payload).order_by(event.c.seq)
    # By record time, not eventTime: an error declaration recorded today keeps the eventTime of
    # the event it corrects, and an incremental export must not miss it. The column is UTC
    # with milliseconds, so text order is time order.
    if since is not None:
        query = query.where(event.c.record_time >= utc_millis(since))
    for event_id, payload in conn.execute(query.execution_options(yield_per=1000)):
        yield with_signatures(json.loads(payload), signatures.get(event_id, []))


def _export(
    db: Path, since: datetime | None, partial: Path
) -> tuple[StreamResult, int | None, int]:
    """Stream the document to ``partial``; also the last event seq there was to export and
    how many signatures the document carries."""
    event = tables.metadata.tables["event"]
    engine = open_engine(db, readonly=True)
    try:
        with engine.connect() as conn, partial.open("w", encoding="utf-8") as stream:
            last_seq = conn.execute(sa.select(sa.func.max(event.c.seq))).scalar()
            signatures = event_signatures(conn, utc_millis(since) if since is not None else None)
            events = _events(conn, since, signatures)
            result = write_document(events, datetime.now(UTC), stream)
            stream.flush()
            os.fsync(stream.fileno())
    finally:
        close_engine(engine)
    return result, last_seq, sum(len(found) for found in signatures.values())


def _refuse(result: StreamResult) -> int:
    print(
        "station export-epcis: refused, the document would not be valid EPCIS 2.0:",
        file=sys.stderr,
    )
    for problem in result.problems[:_SHOWN_PROBLEMS]:
        print(f"  {problem}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    staged = StagedFile(out, "export.epcis")
    try:
        ctx = write_context(args.user, args.station, args.role)
        with audit_session(args.db, args.station, settings_file=args.settings) as auditor:
            require_audited(auditor, ctx, REPORT_EXPORT)
            result, last_seq, signatures = _export(args.db, args.since, staged.partial)
            if result.problems:
                discard_staged([staged])
                return _refuse(result)
            details = {
                "format": "EPCIS 2.0 JSON-LD",
                "since": utc_millis(args.since) if args.since is not None else None,
                "events": result.events,
                "signatures": signatures,
                "last_event_seq": last_seq,
            }
            where = publish_staged(auditor, ctx, [StagedFile(out, staged.action, details)])
    except (StationError, OSError) as error:
        discard_staged([staged])
        print(f"station export-epcis: nothing exported: {error}", file=sys.stderr)
        return 1
    except BaseException:
        discard_staged([staged])
        raise
    print(f"{result.events} events written to {out} ({where})")
    return 0
