"""The plain results of a trace or a recall, JSON-serialisable for the CLI and reports.

Every field is a str, int, float, bool, None, a tuple of those or a nested result, so
``as_json()`` is ``dataclasses.asdict`` with tuples as lists: stable keys, nothing computed.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Backward",
    "Edge",
    "Forward",
    "ItemStatus",
    "Node",
    "Party",
    "RecallResult",
    "Shipment",
    "SignatureNote",
    "Status",
    "TimelineEntry",
    "TraceResult",
]


class Status(enum.StrEnum):
    IN_STOCK = "in_stock"
    SHIPPED = "shipped"
    RETURNED = "returned"
    ON_HOLD = "on_hold"


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


class _Json:
    __slots__ = ()

    def as_json(self) -> dict[str, Any]:
        """The result as JSON-ready dicts and lists, keys exactly the field names."""
        result: dict[str, Any] = _plain(dataclasses.asdict(self))  # type: ignore[call-overload]
        return result


@dataclass(frozen=True, slots=True)
class Party(_Json):
    """A supplier or customer by URI, with its master-data name when known."""

    uri: str
    name: str | None


@dataclass(frozen=True, slots=True)
class SignatureNote(_Json):
    """An electronic signature on an event as a report shows it: the signed manifestation
    (name and time as they were at signing) and its verification status now."""

    signer_id: str
    printed_name: str
    meaning: str  # reviewed | approved | released | rejected
    signed_at: str  # ISO 8601 with the UTC offset of the signing station
    status: str  # valid | record_changed | record_voided | bad_signature | wrong_record | …
    manifestation: str  # "Li Si (lisi) — Released — 2026-12-07 14:03:12 +08:00"


@dataclass(frozen=True, slots=True)
class TimelineEntry(_Json):
    """One event in an identifier's history; ``via`` says why it is here (self, lot, container)."""

    seq: int
    event_id: str
    event_time: str
    event_tz_offset: str
    event_type: str
    action: str | None
    biz_step: str | None
    disposition: str | None
    actor: str | None
    station: str | None
    read_point: str | None
    biz_location: str | None
    via: str
    parties: tuple[str, ...]
    declared_in_error: bool
    corrects: str | None
    signatures: tuple[SignatureNote, ...] = ()  # oldest first (station.trace.signature_notes)
    #: The actor's printed name as last recorded by the station (station.trace.people).
    actor_name: str | None = None
    #: How the codes behind the event came in: ``scanned``, ``manual`` (typed and confirmed,
    #: P11-H1), or None where nobody entered a code (made by the station, the command line).
    entry_method: str | None = None


@dataclass(frozen=True, slots=True)
class Node(_Json):
    uri: str
    kind: str


@dataclass(frozen=True, slots=True)
class Edge(_Json):
    """A genealogy link. ``current``: for packing, the child is in the parent now (False once
    unpacked or moved); made-from links are always current.

    ``link`` is ``made_from`` (transformation, lot membership) or ``packed`` (aggregation).
    """

    parent: str
    child: str
    relation: str
    link: str
    event_seq: int
    current: bool


@dataclass(frozen=True, slots=True)
class Backward(_Json):
    """What the traced items were made from: every ancestor lot, those received, who sent them."""

    lots: tuple[str, ...]
    supplier_lots: tuple[str, ...]
    suppliers: tuple[Party, ...]


@dataclass(frozen=True, slots=True)
class Shipment(_Json):
    event_id: str
    event_time: str
    destination: Party | None
    shipped: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Forward(_Json):
    """Everything made from the traced identifiers, where it is packed, shipped and returned."""

    lots: tuple[str, ...]
    units: tuple[str, ...]
    containers: tuple[str, ...]
    shipments: tuple[Shipment, ...]
    customers: tuple[Party, ...]
    returns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ItemStatus(_Json):
    """Where one unit, lot or container is now, as its events say."""

    uri: str
    kind: str
    gtin: str | None
    lot: str | None
    serial: str | None
    product: str | None
    status: str
    holder: Party | None
    location: str | None
    container: str | None
    last_event_seq: int | None


@dataclass(frozen=True, slots=True)
class TraceResult(_Json):
    code: str
    identifiers: tuple[str, ...]
    message: str | None
    timeline: tuple[TimelineEntry, ...]
    backward: Backward
    forward: Forward
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    state: tuple[ItemStatus, ...]
    elapsed_seconds: float

    @property
    def found(self) -> bool:
        return bool(self.timeline)


@dataclass(frozen=True, slots=True)
class RecallResult(_Json):
    """Every affected unit, lot and container with its status; counts are of serialised units.

    ``by_customer`` is keyed by party URI; :meth:`customer_name` gives the name to show.
    """

    code: str
    identifiers: tuple[str, ...]
    message: str | None
    units: tuple[ItemStatus, ...]
    lots: tuple[ItemStatus, ...]
    containers: tuple[ItemStatus, ...]
    customers: tuple[Party, ...]
    by_status: dict[str, int]
    by_customer: dict[str, int]
    elapsed_seconds: float

    @property
    def found(self) -> bool:
        return bool(self.units or self.lots or self.containers)

    def customer_name(self, uri: str) -> str:
        for party in self.customers:
            if party.uri == uri and party.name:
                return party.name
        return uri
