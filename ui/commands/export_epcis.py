"""``station export-epcis``: write the recorded events as one validated EPCIS 2.0 document.

The database is opened read-only. Events come from the ``event`` table in ``seq`` order, each
as its stored canonical payload (the source of truth), and are streamed to the file while each
is validated against the official schema, so a ledger of millions of events never sits in
memory. The document is written beside its final name and renamed only when valid: an invalid
one is refused (exit 1, the first problems on stderr) and nothing appears at ``--out``.
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

from station.epcis.stream import StreamResult, write_document
from station.errors import StorageError
from station.events.timefmt import utc_millis
from station.persistence import tables
from station.persistence.db import close_engine, open_engine

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
    parser.set_defaults(handler=run)


def _payloads(conn: sa.Connection, since: datetime | None) -> Iterator[dict[str, Any]]:
    event = tables.metadata.tables["event"]
    query = sa.select(event.c.payload).order_by(event.c.seq)
    # By record time, not eventTime: an error declaration recorded today keeps the eventTime of
    # the event it corrects, and an incremental export must not miss it. The column is UTC
    # with milliseconds, so text order is time order.
    if since is not None:
        query = query.where(event.c.record_time >= utc_millis(since))
    for payload in conn.execute(query.execution_options(yield_per=1000)).scalars():
        yield json.loads(payload)


def _export(db: Path, since: datetime | None, partial: Path) -> StreamResult:
    engine = open_engine(db, readonly=True)
    try:
        with engine.connect() as conn, partial.open("w", encoding="utf-8") as stream:
            result = write_document(_payloads(conn, since), datetime.now(UTC), stream)
            stream.flush()
            os.fsync(stream.fileno())
    finally:
        close_engine(engine)
    return result


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    partial = out.with_name(out.name + ".partial")
    try:
        result = _export(args.db, args.since, partial)
    except (StorageError, OSError) as error:
        partial.unlink(missing_ok=True)
        print(f"station export-epcis: {error}", file=sys.stderr)
        return 1
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if result.problems:
        partial.unlink()
        print(
            "station export-epcis: refused, the document would not be valid EPCIS 2.0:",
            file=sys.stderr,
        )
        for problem in result.problems[:_SHOWN_PROBLEMS]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    partial.replace(out)
    print(f"{result.events} events written to {out}")
    return 0
