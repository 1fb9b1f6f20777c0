"""``trace`` and ``recall``: the two questions QA asks, each answered from one read connection.

* :func:`trace` — one unit, lot or container: its history, what it was made from (down to
  supplier lots and suppliers), everything made from it, where that was packed and shipped.
* :func:`recall` — a lot or supplier lot: every affected unit, lot and container with where it
  is now and who holds it, counted by status and by customer.

Both are service entry points: they take the reader's context and check ``trace.view`` or
``recall.run`` before reading anything (P11-G1); the work itself is in private functions.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import sqlalchemy as sa

from station.access import RECALL_RUN, TRACE_VIEW, require
from station.context import WriteContext
from station.services import projection
from station.trace.affected import Affected, affected_by
from station.trace.events import EventRow, events_naming
from station.trace.forward import Reach, reach_from
from station.trace.genealogy import ancestors, links_touching
from station.trace.model import (
    Backward,
    Edge,
    Forward,
    Node,
    Party,
    RecallResult,
    TraceResult,
)
from station.trace.names import Names
from station.trace.people import with_actor_names
from station.trace.resolve import Resolved, category_of, resolve
from station.trace.scope import NOW, Scope, load_scope
from station.trace.signature_notes import with_signatures
from station.trace.timeline import build_timeline

__all__ = ["recall", "recall_by_fold", "trace"]

_log = logging.getLogger(__name__)


def _not_found(code: str | bytes, how: str) -> str:
    shown = code if isinstance(code, str) else code.hex()
    return f"Nothing recorded names {shown!r} (read as {how})."


def _code_text(code: str | bytes) -> str:
    return code if isinstance(code, str) else code.decode("utf-8", "replace")


def _backward(named: Mapping[str, Sequence[EventRow]], names: Names, origins: set[str]) -> Backward:
    lots = sorted(uri for uri in origins if category_of(uri) == "lot")
    supplier_lots: list[str] = []
    suppliers: dict[str, Party] = {}
    for lot in lots:
        received = [
            event
            for event in named.get(lot, ())
            if event.counts and event.biz_step == "receiving" and event.disposition != "returned"
        ]
        sources = [uri for event in received for uri in event.parties("source")]
        if received:
            supplier_lots.append(lot)
        for uri in sources:
            suppliers.setdefault(uri, Party(uri, names.party(uri)))
    return Backward(
        tuple(lots), tuple(supplier_lots), tuple(suppliers[u] for u in sorted(suppliers))
    )


def _graph(
    conn: sa.Connection, scope: Scope, uris: Iterable[str]
) -> tuple[tuple[Node, ...], tuple[Edge, ...]]:
    nodes = set(uris)
    edges: list[Edge] = []
    for link in links_touching(conn, nodes, as_child=True):
        if link.parent not in nodes:
            continue
        current, kind = True, "made_from"
        if link.event_type == "AggregationEvent":
            kind = "packed"
            current = (
                link.relation == "contains"
                and link.parent in scope.containment.containers_at(link.child, NOW)
            )
        edges.append(Edge(link.parent, link.child, link.relation, kind, link.event_seq, current))
    node_list = tuple(Node(uri, category_of(uri)) for uri in sorted(nodes))
    return node_list, tuple(edges)


def _recorded(conn: sa.Connection, uris: Iterable[str]) -> set[str]:
    """Those of ``uris`` that any event names or any genealogy link mentions."""
    found: set[str] = set()
    for uri in uris:
        query = sa.text(
            "SELECT EXISTS (SELECT 1 FROM event_ident WHERE uri = :u) "
            "OR EXISTS (SELECT 1 FROM genealogy WHERE parent_uri = :u) "
            "OR EXISTS (SELECT 1 FROM genealogy WHERE child_uri = :u)"
        )
        if conn.execute(query, {"u": uri}).scalar():
            found.add(uri)
    return found


def _empty_trace(code: str | bytes, uris: tuple[str, ...], message: str) -> TraceResult:
    return TraceResult(
        code=_code_text(code),
        identifiers=uris,
        message=message,
        timeline=(),
        backward=Backward((), (), ()),
        forward=Forward((), (), (), (), (), ()),
        nodes=(),
        edges=(),
        state=(),
        elapsed_seconds=0.0,
    )


def trace(conn: sa.Connection, ctx: WriteContext, code: str | bytes) -> TraceResult:
    """Everything known about what ``code`` names; an empty result with ``message`` if nothing.

    Permission ``trace.view``."""
    require(ctx, TRACE_VIEW)
    started = time.perf_counter()
    resolved = resolve(conn, code)
    seeds = _recorded(conn, resolved.uris)
    if not seeds:
        return _empty_trace(code, resolved.uris, _not_found(code, resolved.how))
    # A unit scanned with its lot (GS1 AI 10 + 21, HIBC) is traced forward as the unit: going
    # forward from its lot would list every sibling. The lot still gives history and origins.
    instances = {uri for uri in seeds if category_of(uri) in ("unit", "container")}
    forward_seeds = instances or seeds
    origins = ancestors(conn, seeds)
    reach = reach_from(conn, forward_seeds)
    scope = reach.scope
    lots_of_units = {scope.unit_lots[u] for u in seeds if u in scope.unit_lots}
    lots_of_units |= seeds - forward_seeds
    origins |= ancestors(conn, lots_of_units)
    # Lot-level facts (receiving, inspection, transformation) belong to a unit's history too.
    # Of the lots further back only the receipts are read: a component lot feeding thousands
    # of finished lots is named by thousands of events nobody asked about.
    extra = load_scope(conn, lots_of_units)
    receipts = events_naming(
        conn, origins - lots_of_units, roles=("epc", "quantity"), biz_steps=("receiving",)
    )
    history = [pair for uri in sorted(forward_seeds) for pair in scope.events_of(uri)]
    history += [
        (event, f"lot {lot}") for lot in lots_of_units for event in extra.named.get(lot, ())
    ]
    timeline = with_actor_names(conn, with_signatures(conn, build_timeline(history)))
    nodes, edges = _graph(conn, scope, origins | reach.everything)
    message = None if timeline else _not_found(code, resolved.how)
    return TraceResult(
        code=_code_text(code),
        identifiers=resolved.uris,
        message=message,
        timeline=timeline,
        backward=_backward({**receipts, **extra.named}, extra.names, origins),
        forward=reach.forward,
        nodes=nodes,
        edges=edges,
        state=tuple(scope.status_of(uri) for uri in resolved.uris if uri in forward_seeds),
        elapsed_seconds=round(time.perf_counter() - started, 6),
    )


def _recalled_lots(conn: sa.Connection, seeds: set[str]) -> set[str]:
    """A recall is of lots: a scanned unit stands for the lot it was commissioned in."""
    membership = [
        link
        for link in links_touching(conn, seeds, as_child=True)
        if link.relation == "contains" and link.event_type == "ObjectEvent"
    ]
    return (seeds - {link.child for link in membership}) | {link.parent for link in membership}


def recall(conn: sa.Connection, ctx: WriteContext, code: str | bytes) -> RecallResult:
    """Every unit, lot and container affected by the lot ``code`` names, and where each is.

    ``code`` may also be a unit (its lot is recalled) or a container (what it holds now).
    Statuses come from the status projection (:mod:`station.trace.affected`);
    :func:`recall_by_fold` gives the same answer from the events alone, and is used when the
    projections have not applied every event. Permission ``recall.run``.
    """
    require(ctx, RECALL_RUN)
    if not projection.up_to_date(conn):
        # Some event skipped the projections: answer from the events rather than stale rows.
        _log.warning("projections lag the ledger; recall folds the events instead")
        return _recall_by_fold(conn, code)
    started = time.perf_counter()
    resolved = resolve(conn, code)
    seeds = _recalled_lots(conn, _recorded(conn, resolved.uris))
    found = affected_by(conn, seeds)
    return _recall_result(code, resolved, seeds, found, started)


def recall_by_fold(conn: sa.Connection, ctx: WriteContext, code: str | bytes) -> RecallResult:
    """:func:`recall` computed by folding every affected item's events (the reference).

    Permission ``recall.run``."""
    require(ctx, RECALL_RUN)
    return _recall_by_fold(conn, code)


def _recall_by_fold(conn: sa.Connection, code: str | bytes) -> RecallResult:
    started = time.perf_counter()
    resolved = resolve(conn, code)
    seeds = _recalled_lots(conn, _recorded(conn, resolved.uris))
    reach: Reach = reach_from(conn, seeds)
    scope = reach.scope
    found = Affected(
        units=tuple(scope.status_of(uri) for uri in reach.forward.units),
        lots=tuple(scope.status_of(uri) for uri in reach.forward.lots),
        containers=tuple(scope.status_of(uri) for uri in reach.forward.containers),
        customers=reach.forward.customers,
    )
    return _recall_result(code, resolved, seeds, found, started)


def _recall_result(
    code: str | bytes, resolved: Resolved, seeds: set[str], found: Affected, started: float
) -> RecallResult:
    by_status = Counter(unit.status for unit in found.units)
    # Keyed by URI, not name: two customers may share a name, and counts must not merge.
    by_customer = Counter(unit.holder.uri for unit in found.units if unit.holder)
    anything = found.units or found.lots or found.containers
    return RecallResult(
        code=_code_text(code),
        identifiers=tuple(sorted(seeds)) if anything else resolved.uris,
        message=None if anything else _not_found(code, resolved.how),
        units=found.units,
        lots=found.lots,
        containers=found.containers,
        customers=found.customers,
        by_status=dict(sorted(by_status.items())),
        by_customer=dict(sorted(by_customer.items())),
        elapsed_seconds=round(time.perf_counter() - started, 6),
    )
