"""A trace's genealogy as two trees a screen can show: what it was made from, where it went.

The genealogy is a graph (a supplier lot feeds many lots, a case holds many units); drawn as a
tree, a node reached twice is shown again as a leaf marked ``seen`` instead of repeating its
branch, so cycles end. Each node shows at most :data:`MAX_CHILDREN` children and counts the
rest (``hidden``): a component lot reaching 100,000 units must not make 100,000 rows.

* **Backward** (per traced identifier): made from → … → supplier lots → their suppliers.
* **Forward** (per traced identifier): made into → … → units, the containers holding them
  now, and the shipments that took them, with the customer.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from station.trace.model import Shipment, TraceResult
from station.trace.names import Names
from station.trace.resolve import category_of

__all__ = ["MAX_CHILDREN", "Genealogy", "TreeNode", "genealogy", "suppliers_of_lots"]

MAX_CHILDREN = 100

# Roles of a node relative to its parent in the tree.
SELF, MADE_FROM, MADE_INTO, PACKED_IN, SUPPLIER, SHIPPED_TO = (
    "self",
    "made_from",
    "made_into",
    "packed_in",
    "supplier",
    "shipped_to",
)


@dataclass(frozen=True, slots=True)
class TreeNode:
    """One row of a tree. ``uri`` is the item (or party); ``kind`` its category (unit, lot,
    container, party); ``name`` a product or party name; ``note`` a time for shipments;
    ``seen``: shown already above, branch not repeated; ``hidden``: children not shown."""

    uri: str
    kind: str
    role: str
    name: str | None = None
    note: str | None = None
    children: tuple[TreeNode, ...] = ()
    hidden: int = 0
    seen: bool = False

    def count(self) -> int:
        """Rows in this branch, this node included."""
        return 1 + sum(child.count() for child in self.children)


@dataclass(frozen=True, slots=True)
class Genealogy:
    backward: tuple[TreeNode, ...]
    forward: tuple[TreeNode, ...]


_SUPPLIERS_SQL = """
SELECT DISTINCT q.uri, s.uri
FROM event_ident q
JOIN event e ON e.seq = q.event_seq
JOIN event_ident s ON s.event_seq = e.seq AND s.role = 'source'
WHERE q.uri IN (SELECT value FROM json_each(:lots)) AND q.role IN ('epc', 'quantity')
  AND e.biz_step = 'receiving' AND coalesce(e.disposition, '') != 'returned'
"""


def suppliers_of_lots(conn: sa.Connection, lots: Iterable[str]) -> dict[str, list[str]]:
    """Supplier lot URI → the source parties of its receipts."""
    found: dict[str, list[str]] = defaultdict(list)
    rows = conn.execute(sa.text(_SUPPLIERS_SQL), {"lots": json.dumps(sorted(set(lots)))})
    for lot, party in sorted(rows.all()):
        found[str(lot)].append(str(party))
    return dict(found)


class _Builder:
    def __init__(
        self, below: Mapping[str, Sequence[tuple[str, str]]], names: Mapping[str, str | None]
    ) -> None:
        self.below = below
        self.names = names
        self.shown: set[str] = set()

    def node(self, uri: str, kind: str, role: str, note: str | None = None) -> TreeNode:
        name = self.names.get(uri)
        if uri in self.shown:
            return TreeNode(uri, kind, role, name, note, seen=True)
        self.shown.add(uri)
        links = self.below.get(uri, ())
        children = tuple(
            self.node(child, child_kind, child_role, child_note)
            for child, child_role, child_kind, child_note in (
                _split(link) for link in links[:MAX_CHILDREN]
            )
        )
        return TreeNode(uri, kind, role, name, note, children, max(0, len(links) - MAX_CHILDREN))


def _split(link: tuple[str, str]) -> tuple[str, str, str, str | None]:
    """A link is (target, "role|kind|note") so one mapping holds every kind of edge."""
    role, kind, note = link[1].split("|", 2)
    return link[0], role, kind, note or None


def _link(role: str, kind: str, note: str | None = None) -> str:
    return f"{role}|{kind}|{note or ''}"


def _shipped_at_top(
    shipments: Sequence[Shipment], holders: Mapping[str, Sequence[str]]
) -> dict[str, list[Shipment]]:
    """Each shipment under the outermost shipped item only (the pallet, not each unit)."""
    found: dict[str, list[Shipment]] = defaultdict(list)
    for shipment in shipments:
        shipped = set(shipment.shipped)
        for uri in shipment.shipped:
            if not any(holder in shipped for holder in holders.get(uri, ())):
                found[uri].append(shipment)
    return found


def genealogy(conn: sa.Connection, result: TraceResult, *, names: Names | None = None) -> Genealogy:
    """The backward and forward trees of ``result`` (party names looked up on ``conn``)."""
    names = names or Names(conn)
    up: dict[str, list[tuple[str, str]]] = defaultdict(list)
    down: dict[str, list[tuple[str, str]]] = defaultdict(list)
    holders: dict[str, list[str]] = defaultdict(list)
    for edge in result.edges:
        if edge.link == "made_from":
            up[edge.child].append((edge.parent, _link(MADE_FROM, category_of(edge.parent))))
            down[edge.parent].append((edge.child, _link(MADE_INTO, category_of(edge.child))))
        elif edge.current:
            holders[edge.child].append(edge.parent)
            down[edge.child].append((edge.parent, _link(PACKED_IN, category_of(edge.parent))))
    label: dict[str, str | None] = {}
    supplier_lots = set(result.backward.supplier_lots)
    for lot, parties in suppliers_of_lots(conn, supplier_lots).items():
        for party in parties:
            up[lot].append((party, _link(SUPPLIER, "party")))
            label[party] = names.party(party)
    for uri, shipments in _shipped_at_top(result.forward.shipments, holders).items():
        for shipment in shipments:
            to = shipment.destination
            if to is None:
                continue
            down[uri].append((to.uri, _link(SHIPPED_TO, "party", shipment.event_time)))
            label[to.uri] = to.name
    for links in (*up.values(), *down.values()):
        links.sort(key=lambda link: (link[1], link[0]))
    roots = [uri for uri in result.identifiers if uri in {n.uri for n in result.nodes}]
    roots = roots or list(result.identifiers)

    def trees(below: Mapping[str, Sequence[tuple[str, str]]]) -> tuple[TreeNode, ...]:
        builder = _Builder(below, label)
        return tuple(builder.node(uri, category_of(uri), SELF) for uri in roots)

    return Genealogy(backward=trees(up), forward=trees(down))
