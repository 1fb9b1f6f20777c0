"""What the ledger stores beside an event's payload, derived from the payload alone.

Deriving from the EPCIS dict (never from the draft) means the ``event_ident`` and ``genealogy``
rows can be rebuilt from stored payloads and compared, like any projection.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from station.events.ids import lgtin_uri, parse_uri

__all__ = ["IdentRow", "Link", "genealogy_of", "idents_of"]

# EPCIS list → event_ident role, for plain identifier lists and quantity lists.
_EPC_LISTS = {
    "epcList": "epc",
    "childEPCs": "child",
    "inputEPCList": "input",
    "outputEPCList": "output",
}
_QUANTITY_LISTS = {
    "quantityList": "quantity",
    "childQuantityList": "child",
    "inputQuantityList": "input",
    "outputQuantityList": "output",
}


@dataclass(frozen=True, slots=True)
class IdentRow:
    """One ``event_ident`` row, without its ``event_seq``."""

    role: str
    uri: str
    kind: str
    gtin: str | None = None
    lot: str | None = None
    serial: str | None = None
    sscc: str | None = None
    quantity: float | None = None
    uom: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """One ``genealogy`` row, without its ``event_seq``."""

    parent_uri: str
    child_uri: str
    relation: str  # contains | unpacked | consumed_into


def _named(event: Mapping[str, Any]) -> Iterator[tuple[str, str, float | None, str | None]]:
    """(role, uri, quantity, uom) of every identifier the event names, in payload order."""
    if "parentID" in event:
        yield "parent", event["parentID"], None, None
    for key, role in _EPC_LISTS.items():
        for uri in event.get(key, ()):
            yield role, uri, None, None
    for key, role in _QUANTITY_LISTS.items():
        for item in event.get(key, ()):
            yield role, item["epcClass"], item.get("quantity"), item.get("uom")
    for key, role in (("sourceList", "source"), ("destinationList", "destination")):
        for item in event.get(key, ()):
            yield role, item[role], None, None


def idents_of(event: Mapping[str, Any]) -> list[IdentRow]:
    """One row per (identifier, role); a repeat in another list of the same role is dropped."""
    rows: dict[tuple[str, str], IdentRow] = {}
    for role, uri, quantity, uom in _named(event):
        if (role, uri) in rows:
            continue
        parts = parse_uri(uri)
        rows[role, uri] = IdentRow(
            role, uri, parts.kind, parts.gtin, parts.lot, parts.serial, parts.sscc, quantity, uom
        )
    return list(rows.values())


def _children(event: Mapping[str, Any]) -> list[str]:
    return [
        *event.get("childEPCs", ()),
        *(q["epcClass"] for q in event.get("childQuantityList", ())),
    ]


def _commissioned(event: Mapping[str, Any]) -> Iterator[Link]:
    """Units commissioned with an ILMD lot belong to that lot: lot ``contains`` unit."""
    lot = event.get("ilmd", {}).get("cbvmda:lotNumber")
    if lot is None or event.get("bizStep") != "commissioning":
        return
    for uri in event.get("epcList", ()):
        parts = parse_uri(uri)
        if parts.kind == "sgtin" and parts.gtin is not None:
            yield Link(lgtin_uri(parts.gtin, lot), uri, "contains")


def genealogy_of(event: Mapping[str, Any]) -> list[Link]:
    """Parent → child links the event establishes.

    An error declaration establishes none: it says the event was wrong. An aggregation DELETE
    without children ("unpack all") lists none either: the payload does not say what was inside.
    """
    if "errorDeclaration" in event:
        return []
    kind, action = event["type"], event.get("action")
    if kind == "AggregationEvent" and action in ("ADD", "DELETE"):
        relation = "contains" if action == "ADD" else "unpacked"
        return [Link(event["parentID"], child, relation) for child in _children(event)]
    if kind == "TransformationEvent":
        inputs = [
            *event.get("inputEPCList", ()),
            *(q["epcClass"] for q in event.get("inputQuantityList", ())),
        ]
        outputs = [
            *event.get("outputEPCList", ()),
            *(q["epcClass"] for q in event.get("outputQuantityList", ())),
        ]
        return [Link(i, o, "consumed_into") for i in inputs for o in outputs]
    if kind == "ObjectEvent" and action == "ADD":
        return list(_commissioned(event))
    return []
