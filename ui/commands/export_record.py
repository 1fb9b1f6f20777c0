"""``station export-record`` and ``station verify-record``: complete copies of a record (P11-B1).

``export-record RECORD_ID --json OUT.json --pdf OUT.pdf`` gathers the record (an event by its
eventID, or ``--kind label_template --version N`` a template version by name), every audit
entry about it, its signatures and their keys once (:func:`station.records.record_copy`, on a
read-only connection), and writes the JSON and the PDF from that one structure. Like the trace
reports, each file is written under a partial name, audited (``export.record``: file, SHA-256,
size, record, counts, who) and only then renamed into place. ``--role`` (default ``qa``) must
grant ``report.export`` and ``audit.view`` (the copy holds audit entries); a denial is audited
(``access.denied``) and nothing is read. Exit 0 written, 1 no such record, 2 any other error.

``verify-record FILE.json`` checks a JSON copy with no database
(:func:`station.records.verify_record_copy`): exit 0 when everything verifies, 1 when problems
are found (each listed), 2 when the file cannot be read or is not a record copy.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from station.access import AUDIT_VIEW, REPORT_EXPORT
from station.context import WriteContext
from station.errors import StationError
from station.persistence.db import close_engine, open_engine
from station.records import (
    KINDS,
    RecordNotFoundError,
    copy_sheet,
    load_record_copy,
    record_copy,
    verify_record_copy,
)
from ui.commands.actor import add_actor_options, add_role_option, require_audited, write_context
from ui.commands.session import StagedFile, audit_session, discard_staged, publish_staged

__all__ = ["ACTION", "register", "run_export", "run_verify"]

ACTION = "export.record"


def register(commands: Any) -> None:
    export: argparse.ArgumentParser = commands.add_parser(
        "export-record",
        help="export a record with its audit trail and signatures as JSON and PDF",
        description="Write a complete copy of one record: every field, every audit entry about "
        "it and every signature with its manifestation and verification, as JSON (verifies "
        "offline with `station verify-record`) and as PDF, from the same data.",
    )
    export.add_argument("--db", required=True, type=Path, metavar="PATH", help="station database")
    export.add_argument("--json", type=Path, metavar="FILE", help="write the copy as JSON")
    export.add_argument("--pdf", type=Path, metavar="FILE", help="write the copy as PDF")
    export.add_argument(
        "--kind", choices=KINDS, default=KINDS[0], help="the record's kind (default: event)"
    )
    export.add_argument(
        "--version", type=int, metavar="N", help="the version (label templates; events have one)"
    )
    add_actor_options(export)
    add_role_option(export, default="qa", needs="report.export and audit.view")
    export.add_argument(
        "record_id", metavar="RECORD_ID", help="the eventID (urn:uuid:…) or template name"
    )
    export.set_defaults(handler=run_export)

    verify: argparse.ArgumentParser = commands.add_parser(
        "verify-record",
        help="check a record copy (JSON) offline",
        description="Check a JSON record copy without any database: the record hash, every "
        "signature and key, every audit entry's hash. Exit 0 intact, 1 problems, 2 bad input.",
    )
    verify.add_argument("file", type=Path, metavar="FILE.json", help="a copy from export-record")
    verify.set_defaults(handler=run_verify)


def _staged(args: argparse.Namespace) -> list[StagedFile]:
    return [
        StagedFile(path, ACTION, {"format": fmt})
        for fmt, path in (("json", args.json), ("pdf", args.pdf))
        if path is not None
    ]


def _read_copy(args: argparse.Namespace, ctx: WriteContext) -> dict[str, Any]:
    engine = open_engine(args.db, readonly=True)
    try:
        with engine.connect() as conn:
            return record_copy(conn, ctx, args.kind, args.record_id, version=args.version)
    finally:
        close_engine(engine)


def _write(copy: Mapping[str, Any], staged: StagedFile) -> None:
    if staged.details["format"] == "json":
        text = json.dumps(copy, ensure_ascii=False, indent=2) + "\n"
        staged.partial.write_text(text, encoding="utf-8")
    else:
        from drivers.reports.record_pdf import write_copy_pdf  # noqa: PLC0415 - reportlab on use

        write_copy_pdf(copy_sheet(copy), staged.partial)


def _details(copy: Mapping[str, Any], fmt: str) -> dict[str, Any]:
    record = copy["record"]
    return {
        "format": fmt,
        "record_kind": record["kind"],
        "record_id": record["id"],
        "record_version": record["version"],
        "record_hash": record["hash"],
        "signatures": len(copy["signatures"]),
        "audit_entries": len(copy["audit"]),
    }


def _export(args: argparse.Namespace, files: Sequence[StagedFile]) -> tuple[dict[str, Any], str]:
    ctx = write_context(args.user, args.station, args.role)
    with audit_session(args.db, args.station, settings_file=args.settings) as auditor:
        require_audited(auditor, ctx, REPORT_EXPORT)  # before anything is read
        require_audited(auditor, ctx, AUDIT_VIEW)
        copy = _read_copy(args, ctx)
        for staged in files:
            _write(copy, staged)
        audited = [StagedFile(f.target, ACTION, _details(copy, f.details["format"])) for f in files]
        return copy, publish_staged(auditor, ctx, audited)


def run_export(args: argparse.Namespace) -> int:
    files = _staged(args)
    if not files:
        print("station export-record: give --json FILE, --pdf FILE or both", file=sys.stderr)
        return 2
    try:
        copy, where = _export(args, files)
    except RecordNotFoundError as exc:
        discard_staged(files)
        print(f"station export-record: {exc}", file=sys.stderr)
        return 1
    except (StationError, OSError) as exc:
        discard_staged(files)
        print(f"station export-record: nothing exported: {exc}", file=sys.stderr)
        return 2
    except BaseException:
        discard_staged(files)
        raise
    record = copy["record"]
    print(
        f"{record['kind']} {record['id']}: {len(copy['signatures'])} signature(s), "
        f"{len(copy['audit'])} audit entries written to "
        + ", ".join(str(f.target) for f in files)
        + f" ({where})"
    )
    return 0


def run_verify(args: argparse.Namespace) -> int:
    try:
        document = load_record_copy(args.file.read_bytes())
    except (OSError, ValueError) as exc:
        print(f"station verify-record: cannot check {args.file}: {exc}", file=sys.stderr)
        return 2
    record = document["record"]
    problems = verify_record_copy(document)
    if problems:
        print(f"RECORD COPY NOT INTACT: {len(problems)} problem(s) in {args.file}")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print(
        f"record copy intact: {record.get('kind')} {record.get('id')}, "
        f"{len(document['signatures'])} signature(s), {len(document['audit'])} audit entries, "
        f"{len(document['keys'])} key(s)"
    )
    print(
        "note: the keys are trusted as far as the copy is: compare each key id with the one "
        "the station audited at enrolment or the ERP holds",
        file=sys.stderr,
    )
    return 0
