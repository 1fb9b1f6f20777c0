"""``station recall``: every unit, lot and container affected by a lot, and where each is now.

Read-only unless ``--hold``: then the database is opened for writing (a write session that
signs the chain heads at the end), and the recall is computed and the hold recorded in one
write transaction, so nothing can ship between the answer and the hold. ``--csv`` / ``--pdf``
write the report as well; each report file is audited (``export.recall_report``) before it is
renamed into place, so a report never exists without its entry. Exit 0 when something was
found, 1 when nothing names the code, 2 on a database or file problem (or a denied role).

``--role`` (default ``qa``) is checked like a signed-in user's: ``recall.run``; with ``--hold``
also ``lot.hold``, with a report ``report.export``. A denied hold or export is audited
(``access.denied``).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station.access import REPORT_EXPORT
from station.context import WriteContext
from station.trace.api import recall
from station.trace.holds import place_recall_holds
from station.trace.model import RecallResult
from station.trace.report import STATUS_LABELS, recall_report
from ui.audited import submit_audited
from ui.commands.actor import add_actor_options, add_role_option, require_audited, write_context
from ui.commands.session import (
    Auditor,
    StagedFile,
    StoreAuditor,
    audit_session,
    publish_staged,
    write_session,
)
from ui.commands.trace import (
    add_report_options,
    answer,
    ask,
    print_json,
    report_files,
    write_report_files,
)

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "recall",
        help="find every unit affected by a lot (mock or real recall)",
        description="List every unit, lot and container made from or packed with a lot or "
        "supplier lot, with its status and customer; optionally hold what is still here.",
    )
    parser.add_argument("--db", required=True, type=Path, metavar="PATH", help="station database")
    parser.add_argument("--json", action="store_true", help="print JSON with stable keys")
    parser.add_argument("--hold", action="store_true", help="put unshipped items on recall hold")
    parser.add_argument(
        "--user",
        help="who places the hold (required with --hold) or exports the report "
        "(default: os:ACCOUNT)",
    )
    parser.add_argument("--reason", help="why (required with --hold)")
    add_actor_options(parser, user=False)
    add_role_option(
        parser, default="qa", needs="recall.run; lot.hold with --hold; report.export with a report"
    )
    add_report_options(parser)
    parser.add_argument("code", metavar="CODE", help="lot, supplier lot, scan or URI")
    parser.set_defaults(handler=run)


def _publish_reports(
    args: argparse.Namespace, auditor: Auditor, ctx: WriteContext, result: RecallResult
) -> str | None:
    """Write, audit and publish the reports asked for; None when none was."""
    report = recall_report(
        result, station=args.station, generated_at=datetime.now(UTC).astimezone()
    )
    details = {
        "report": "recall",
        "code": args.code,
        "found": result.found,
        "rows": len(report.rows),
        "units": len(result.units),
        "lots": len(result.lots),
        "containers": len(result.containers),
    }
    files = report_files(args, "export.recall_report", details)
    if not files:
        return None
    require_audited(auditor, ctx, REPORT_EXPORT)
    write_report_files(report, files)
    return publish_staged(auditor, ctx, files)


def _with_hold(args: argparse.Namespace) -> tuple[RecallResult, int | None, str | None]:
    ctx = write_context(args.user, args.station, args.role)

    def work(conn: Any) -> tuple[RecallResult, int | None]:
        result = recall(conn, ctx, args.code)
        held = place_recall_holds(conn, ctx, result, reason=args.reason)
        return result, held.seq if held else None

    with write_session(args.db, args.station, settings_file=args.settings) as store:
        result, held = submit_audited(store.writer, ctx, work)
        return result, held, _publish_reports(args, StoreAuditor(store), ctx, result)


def _export(args: argparse.Namespace) -> tuple[RecallResult, str | None]:
    ctx = write_context(args.user, args.station, args.role)
    with audit_session(args.db, args.station, settings_file=args.settings) as auditor:
        require_audited(auditor, ctx, REPORT_EXPORT)  # before anything is read
        result = ask(args.db, recall, ctx, args.code)
        return result, _publish_reports(args, auditor, ctx, result)


def _print_human(result: RecallResult) -> None:
    print(f"Recall of {result.code}")
    width = max((len(u.uri) for u in result.units), default=0)
    for unit in result.units:
        holder = (unit.holder.name or unit.holder.uri) if unit.holder else ""
        print(f"  {unit.uri:<{width}}  lot {unit.lot or '-':<12} {unit.status:<9} {holder}")
    print(f"\n{len(result.lots)} lot(s), {len(result.containers)} container(s)")
    for status, count in result.by_status.items():
        print(f"  {STATUS_LABELS.get(status, status)}: {count}")
    for uri, count in result.by_customer.items():
        print(f"  {result.customer_name(uri)}: {count}")
    print(f"\nMock recall: {len(result.units)} units located in {result.elapsed_seconds:.3f} s")


def run(args: argparse.Namespace) -> int:
    if args.hold and not (args.user and args.reason and args.reason.strip()):
        print("station recall: --hold needs --user and --reason", file=sys.stderr)
        return 2
    staged: list[StagedFile] = report_files(args, "export.recall_report", {})

    def work() -> tuple[RecallResult, int | None, str | None]:
        if args.hold:
            return _with_hold(args)
        if staged:
            result, where = _export(args)
            return result, None, where
        ctx = write_context(args.user, args.station, args.role)
        return ask(args.db, recall, ctx, args.code), None, None

    outcome = answer("recall", staged, work)
    if outcome is None:
        return 2
    result, held, where = outcome
    if args.json:
        print_json(result.as_json() | {"hold_event_seq": held})
    elif result.message:
        print(result.message)
    else:
        _print_human(result)
        if args.hold:
            print(f"Recall hold recorded (event seq {held})." if held else "Nothing left to hold.")
    if where is not None:
        print(f"report written ({where})", file=sys.stderr)
    return 0 if result.found else 1
