"""Packing into and unpacking from a logistic unit (SSCC): AggregationEvent ADD / DELETE."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from station.access import PACK, UNPACK, require
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.events.ids import sscc_uri
from station.events.model import Action, AggregationEventDraft
from station.services.errors import Refused
from station.services.items import commissioned, known, not_held
from station.services.projection import current_state
from station.services.recording import record
from station.services.sites import station_location
from station.udi.checks import gs1_check_digit_ok

__all__ = ["IN_STOCK", "container_uri", "pack", "unpack"]

#: Dispositions of items in stock and free to move: labelled, packed, or re-inspected as
#: conformant (e.g. after a recall released them). Anything else (in transit, returned,
#: recalled, non-conformant) needs its own workflow first.
IN_STOCK = frozenset({"active", "container_closed", "conformant"})


def container_uri(sscc: str) -> str:
    """The SSCC's URI; Refused(``invalid_sscc``) unless 18 digits with a valid check digit."""
    if len(sscc) != 18 or not sscc.isdigit() or not gs1_check_digit_ok(sscc):
        raise Refused("invalid_sscc", f"{sscc} is not a valid SSCC.", subject=sscc)
    return sscc_uri(sscc)


def _check_child(conn: Connection, uri: str, parent: str) -> None:
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


def pack(
    conn: Connection, ctx: WriteContext, *, sscc: str, children: Sequence[str]
) -> RecordedEvent:
    """Pack commissioned, free, unpacked ``children`` into a new container ``sscc``
    (permission ``packing.pack``)."""
    require(ctx, PACK)
    parent = container_uri(sscc)
    if current_state(conn, parent) is not None:
        raise Refused("duplicate", f"SSCC {sscc} is already in use.", subject=parent)
    if not children or len(set(children)) != len(children):
        raise Refused("no_items", "Name each item to pack once.")
    for child in children:
        _check_child(conn, child, parent)
    draft = AggregationEventDraft(
        action=Action.ADD,
        biz_step="packing",
        disposition="container_closed",
        parent_id=parent,
        child_epcs=tuple(children),
        biz_location=station_location(conn, ctx),
    )
    return record(conn, ctx, draft)


def unpack(
    conn: Connection, ctx: WriteContext, *, sscc: str, children: Sequence[str], reason: str
) -> RecordedEvent:
    """Take ``children`` out of container ``sscc``; each must be directly inside it
    (permission ``packing.unpack``)."""
    require(ctx, UNPACK)
    parent = container_uri(sscc)
    container = known(conn, parent)
    if container.disposition not in IN_STOCK or container.holder is not None:
        raise Refused("wrong_state", f"{parent} is {container.disposition}.", subject=parent)
    if not children or len(set(children)) != len(children):
        raise Refused("no_items", "Name each item to unpack once.")
    if not reason.strip():
        raise Refused("reason_required", "Say why the container is opened.")
    for child in children:
        if known(conn, child).parent_uri != parent:
            raise Refused("not_in_container", f"{child} is not in {parent}.", subject=child)
    draft = AggregationEventDraft(
        action=Action.DELETE,
        biz_step="unpacking",
        parent_id=parent,
        child_epcs=tuple(children),
        biz_location=station_location(conn, ctx),
        reason=reason,
    )
    return record(conn, ctx, draft)
