"""``station trace``: the history and genealogy of what a code names, from a read-only database.

Human output is the timeline (oldest first), then two trees: what it was made from (down to
supplier lots and suppliers) and what was made from it (units, containers, shipments).
``--json`` prints :meth:`TraceResult.as_json` (stable keys) instead. Exit 0 when something was
found, 1 when nothing names the code, 2 when the database cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from station.errors import StationError
from station.persistence.db import close_engine, open_engine
from station.trace.api import trace
from station.trace.model import Edge, TraceResult

__all__ = ["print_json", "register", "run", "tree_lines"]

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
    parser.add_argument("code", metavar="CODE", help="what was scanned or typed")
    parser.set_defaults(handler=run)


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


def run(args: argparse.Namespace) -> int:
    try:
        engine = open_engine(args.db, readonly=True)
    except StationError as exc:
        print(f"station trace: {exc}", file=sys.stderr)
        return 2
    try:
        with engine.connect() as conn:
            result = trace(conn, args.code)
    except StationError as exc:  # e.g. a trace too large to answer completely
        print(f"station trace: {exc}", file=sys.stderr)
        return 2
    finally:
        close_engine(engine)
    if args.json:
        print_json(result.as_json())
    elif result.message:
        print(result.message)
    else:
        _print_human(result)
    return 0 if result.found else 1
