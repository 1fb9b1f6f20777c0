"""Packing: the checks of :func:`station.services.packing.pack` for one scanned item and what
a container holds. New SSCCs come from the durable allocator
(:func:`station.services.sscc.allocate_sscc`), not from here: handing out a number is a write.

A packing screen checks each unit (or case, onto a pallet) as it is scanned and lists it;
"close" then records the whole aggregation through the service, which checks them all again.
The screen may also require one lot per container: ``wrong_lot`` is this module's own reason
code (the service has no such rule; it is a packing instruction of the screen).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from station.events.ids import identifiers_of
from station.services.errors import Refused
from station.services.items import commissioned, known, not_held
from station.services.packing import IN_STOCK, container_uri
from station.services.projection import current_state
from station.udi.model import ParsedCode

__all__ = [
    "WRONG_LOT",
    "Container",
    "Packed",
    "check_pack_child",
    "container",
    "item_uri",
]

#: The screen's own refusal: the container takes one lot and this item is of another.
WRONG_LOT = "wrong_lot"


@dataclass(frozen=True, slots=True)
class Packed:
    """An item inside a container."""

    uri: str
    kind: str
    gtin: str | None
    lot: str | None
    serial: str | None


@dataclass(frozen=True, slots=True)
class Container:
    """A container (SSCC) as the ledger has it now, with what is directly inside."""

    sscc: str
    uri: str
    disposition: str | None
    on_hold: bool
    holder: str | None
    parent_uri: str | None
    content: tuple[Packed, ...]


def item_uri(code: ParsedCode) -> str:
    """The identifier a scanned code names: the unit or SSCC, else its lot.

    Refused ``invalid_code`` for an invalid reading, ``unknown_di`` when it names nothing.
    """
    if not code.valid:
        raise Refused("invalid_code", "The scan is not a valid code; scan again.")
    try:
        names = identifiers_of(code)
    except ValueError as error:
        raise Refused("unknown_di", str(error)) from error
    uri = names.instance_uri or names.class_uri
    if uri is None:  # identifiers_of names a class for every trade item
        raise Refused("unknown_di", "The scan names no item.")
    return uri


def check_pack_child(
    conn: Connection, *, sscc: str, uri: str, lot: str | None = None
) -> Refused | None:
    """Why ``uri`` may not go into new container ``sscc`` (None: it may).

    ``lot``: the one lot the container takes (``wrong_lot`` for a unit of another lot).
    """
    try:
        parent = container_uri(sscc)
        state = known(conn, uri)
        if uri == parent:
            raise Refused("wrong_state", "A container cannot hold itself.", subject=uri)
        if state.kind != "sscc" and not commissioned(conn, uri):
            raise Refused("not_commissioned", f"{uri} has no label identity yet.", subject=uri)
        if state.parent_uri is not None:
            raise Refused("already_packed", f"{uri} is already in {state.parent_uri}.", subject=uri)
        not_held(conn, uri)
        if state.disposition not in IN_STOCK:
            raise Refused("wrong_state", f"{uri} is {state.disposition}.", subject=uri)
        if lot is not None and state.kind != "sscc" and state.lot != lot:
            raise Refused(WRONG_LOT, f"{uri} is of lot {state.lot}, not {lot}.", subject=uri)
    except Refused as refused:
        return refused
    return None


_CONTENT = text(
    "SELECT uri, kind, gtin, lot, serial FROM item_state WHERE parent_uri = :uri ORDER BY uri"
)


def container(conn: Connection, sscc: str) -> Container | None:
    """The container ``sscc`` with its direct content; None if no event has named it.

    Refused ``invalid_sscc`` for a number that is not an SSCC.
    """
    uri = container_uri(sscc)
    state = current_state(conn, uri)
    if state is None:
        return None
    content = tuple(Packed(*row) for row in conn.execute(_CONTENT, {"uri": uri}).all())
    return Container(
        sscc, uri, state.disposition, state.on_hold, state.holder, state.parent_uri, content
    )
