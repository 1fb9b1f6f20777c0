"""``station trace``: the history and genealogy of what a code names, from a read-only database.

Human output is the timeline (oldest first), then two trees: what it was made from (down to
supplier lots and suppliers) and what was made from it (units, containers, shipments).
``--json`` prints :meth:`TraceResult.as_json` (stable keys) instead. ``--csv`` / ``--pdf``
also write the trace report; each written report is audited (``export.trace_report``) before
it is renamed into place, so a report file never exists without its entry. ``--role`` (default
``qa``) is checked like a signed-in user's: ``trace.view``, and ``report.export`` for a report
(a denied export is audited as ``access.denied``). Exit 0 when
something was found, 1 when nothing names the code, 2 when the database cannot be opened or a
report cannot be written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection

from station.access import REPORT_EXPORT
from station.context import WriteContext
from station.errors import StationError
from station.persistence.db import close_engine, open_engine
from station.trace.api import trace
from station.trace.model import Edge, TraceResult
from station.trace.report import Report, trace_report, write_csv
from ui.commands.actor import add_actor_options, add_role_option, require_audited, write_context
from ui.commands.session import StagedFile, audit_session, discard_staged, publish_staged

T = TypeVar("T")

__all__ = [
    "add_report_options",
    "print_json",
    "register",
    "report_files",
    "run",
    "tree_lines",
    "write_report_files",
]

_SHOWN_CHILDREN = 25  # per node in a tree; the JSON has everything


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "trace",
        help="show where a unit, lot or case came from and went",
        description="Trace a scanned code, HRI, identifier URI, SSCC or lot number: its "
        "timeline, what it was made from and what was made from it.",
    )
    parser.add_argument("--db", required=True, type=Path, metavar="PATH", help="station database")
    parser.add_argument("--json", action="store_true", help="print JSON with stable keys")
    add_report_options(parser)
    add_actor_options(parser, user_help="who traces or exports (default: os:ACCOUNT)")
    add_role_option(parser, default="qa", needs="trace.view, and report.export with a report")
    parser.add_argument("code", metavar="CODE", help="what was scanned or typed")
    parser.set_defaults(handler=run)


def add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--csv", type=Path, metavar="FILE", help="also write the report as CSV")
    parser.add_argument("--pdf", type=Path, metavar="FILE", help="also write the report as PDF")


def report_files(
    args: argparse.Namespace, action: str, details: Mapping[str, Any]
) -> list[StagedFile]:
    """The report files asked for with ``--csv`` / ``--pdf``, each with its audit details."""
    return [
        StagedFile(path, action, {**details, "format": fmt})
        for fmt, path in (("csv", args.csv), ("pdf", args.pdf))
        if path is not None
    ]


def write_report_files(report: Report, files: Sequence[StagedFile]) -> None:
    """Write each report at its partial name (published later, once audited)."""
    for staged in files:
        if staged.details["format"] == "csv":
            write_csv(report, staged.partial)
        else:
            from drivers.reports.pdf import write_pdf  # noqa: PLC0415 - reportlab only when asked

            write_pdf(report, staged.partial)


def print_json(data: Mapping[str, Any]) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, sort_keys=False)
    sys.stdout.write("\n")


def tree_lines(
    roots: Sequence[str], below: Mapping[str, Sequence[str]], label: Mapping[str, str]
) -> Iterator[str]:
    """An indented tree; a node already shown is marked instead of repeated (cycles end)."""
    shown: set[str] = set()

    def walk(node: str, depth: int) -> Iterator[str]:
        pad = "  " * depth + ("└ " if depth else "")
        if node in shown:
            yield f"{pad}{label.get(node, node)} (see above)"
            return
        shown.add(node)
        yield f"{pad}{label.get(node, node)}"
        children = below.get(node, ())
        for child in children[:_SHOWN_CHILDREN]:
            yield from walk(child, depth + 1)
        if len(children) > _SHOWN_CHILDREN:
            yield "  " * (depth + 1) + f"… {len(children) - _SHOWN_CHILDREN} more"

    for root in roots:
        yield from walk(root, 0)


def _links(edges: Sequence[Edge], *, upward: bool) -> dict[str, list[str]]:
    """Upward: child → what it was made from. Forward: what was made from it, and the
    containers holding it now (a unit → its case → the pallet)."""
    found: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        if edge.link == "made_from":
            if upward:
                found[edge.child].append(edge.parent)
            else:
                found[edge.parent].append(edge.child)
        elif not upward and edge.current:
            found[edge.child].append(edge.parent)
    return found


def _print_human(result: TraceResult) -> None:
    print(f"Trace of {result.code}")
    for uri in result.identifiers:
        print(f"  {uri}")
    for state in result.state:
        holder = f" at {state.holder.name or state.holder.uri}" if state.holder else ""
        print(
            f"  now: {state.status}{holder}"
            + (f", in {state.container}" if state.container else "")
        )
    print("\nTimeline (oldest first):")
    for e in result.timeline:
        flag = "  [declared in error]" if e.declared_in_error else ""
        print(
            f"  {e.event_time} ({e.event_tz_offset})  {e.biz_step or e.event_type:<14} "
            f"{e.disposition or '-':<16} by {e.actor or '-'} @ {e.station or '-'}  "
            f"via {e.via}  {e.event_id}{flag}"
        )
    supplier = {p.uri: p.name or p.uri for p in result.backward.suppliers}
    print("\nMade from:")
    for line in tree_lines(result.identifiers, _links(result.edges, upward=True), {}):
        print(f"  {line}")
    if supplier:
        print("  suppliers: " + ", ".join(supplier.values()))
    print("\nMade into / packed in:")
    boxes = {node.uri: f"in {node.uri}" for node in result.nodes if node.kind == "container"}
    for line in tree_lines(result.identifiers, _links(result.edges, upward=False), boxes):
        print(f"  {line}")
    for shipment in result.forward.shipments:
        to = shipment.destination
        name = (to.name or to.uri) if to else "?"
        print(f"  shipped {shipment.event_time} to {name}: {len(shipment.shipped)} item(s)")
    if result.forward.returns:
        print(f"  returns: {len(result.forward.returns)}")
    print(f"\n({result.elapsed_seconds:.3f} s)")


def ask(
    db: Path, question: Callable[[Connection, WriteContext, str], T], ctx: WriteContext, code: str
) -> T:
    """``question(conn, ctx, code)`` on a read-only connection of its own (trace, recall)."""
    engine = open_engine(db, readonly=True)
    try:
        with engine.connect() as conn:
            return question(conn, ctx, code)
    finally:
        close_engine(engine)


def answer(command: str, staged: Sequence[StagedFile], work: Callable[[], T]) -> T | None:
    """``work()``, or None after telling the user why it failed (exit status 2 then).

    Staged report files are discarded whenever the work does not finish, so a failed command
    never leaves a partial report behind.
    """
    try:
        return work()
    except StationError as exc:  # also a trace or recall too large to answer completely
        discard_staged(staged)
        print(f"station {command}: {exc}", file=sys.stderr)
    except OSError as exc:
        discard_staged(staged)
        print(f"station {command}: cannot write the report: {exc}", file=sys.stderr)
    except BaseException:
        discard_staged(staged)
        raise
    return None


def _export(args: argparse.Namespace) -> tuple[TraceResult, str]:
    """Trace, write the reports asked for, audit them, publish them."""
    ctx = write_context(args.user, args.station, args.role)
    with audit_session(args.db, args.station, settings_file=args.settings) as auditor:
        require_audited(auditor, ctx, REPORT_EXPORT)  # before anything is read
        result = ask(args.db, trace, ctx, args.code)
        report = trace_report(
            result, station=args.station, generated_at=datetime.now(UTC).astimezone()
        )
        details = {
            "report": "trace",
            "code": args.code,
            "found": result.found,
            "rows": len(report.rows),
        }
        files = report_files(args, "export.trace_report", details)
        write_report_files(report, files)
        return result, publish_staged(auditor, ctx, files)


def run(args: argparse.Namespace) -> int:
    staged = report_files(args, "export.trace_report", {})

    def work() -> tuple[TraceResult, str | None]:
        if staged:
            return _export(args)
        return ask(
            args.db, trace, write_context(args.user, args.station, args.role), args.code
        ), None

    outcome = answer("trace", staged, work)
    if outcome is None:
        return 2
    result, where = outcome
    if args.json:
        print_json(result.as_json())
    elif result.message:
        print(result.message)
    else:
        _print_human(result)
    if where is not None:
        print(f"report written ({where})", file=sys.stderr)
    return 0 if result.found else 1
