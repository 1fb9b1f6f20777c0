"""Production: supplier lots consumed into a finished lot (TransformationEvent).

CBV 2.0 has no ``transforming`` step; like GS1's own example the event uses ``commissioning``
(docs/event-store.md). The output lot starts RECEIVED in P11-F1 terms and must pass an
inspection naming its lot URI before any unit is labelled.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Connection, text

from station.access import COMMISSION, require
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.events.ids import lgtin_uri, parse_uri
from station.events.model import TransformationEventDraft
from station.events.parts import Ilmd, Quantity
from station.services import lifecycle
from station.services.commissioning import check_dates
from station.services.errors import Refused
from station.services.items import not_held
from station.services.lifecycle import LotAction
from station.services.orders import product_by_di
from station.services.projection import current_state
from station.services.recording import record
from station.services.sites import station_location

__all__ = ["supplier_expiry", "transform"]


def supplier_expiry(conn: Connection, lot_uri: str) -> date | None:
    """The earliest expiry the supplier's labels gave this lot at receipt (``st:supplierLot``)."""
    query = text(
        "SELECT e.payload FROM event e JOIN event_ident i ON i.event_seq = e.seq"
        " WHERE i.uri = :uri AND e.biz_step = 'receiving'"
    )
    dates = []
    for payload in conn.execute(query, {"uri": lot_uri}).scalars():
        found = json.loads(payload).get("st:supplierLot", {}).get("itemExpirationDate")
        if found:
            dates.append(date.fromisoformat(found))
    return min(dates, default=None)


def _check_input(conn: Connection, ctx: WriteContext, uri: str, quantity: float) -> None:
    if parse_uri(uri).kind != "lgtin" or current_state(conn, uri) is None:
        raise Refused("not_received", f"{uri} is not a received lot.", subject=uri)
    if not quantity > 0:
        raise Refused("bad_quantity", f"{uri}: quantity {quantity} must be positive.", subject=uri)
    not_held(conn, uri)
    lifecycle.require(conn, uri, LotAction.CONSUME)
    expiry = supplier_expiry(conn, uri)
    if expiry is not None and expiry < ctx.now().date():
        raise Refused("expired", f"{uri} expired on {expiry}.", subject=uri)


def transform(
    conn: Connection,
    ctx: WriteContext,
    *,
    inputs: Sequence[tuple[str, float, str]],
    output_gtin: str,
    output_lot: str,
    output_quantity: float,
    production_date: date,
    expiry: date,
    output_uom: str = "EA",
) -> RecordedEvent:
    """Consume ``inputs`` (lot class URI, quantity, uom) into a new lot of ``output_gtin``.

    Inputs must be received, ACCEPTED by incoming inspection and not on hold or expired.
    Production needs ``production.commission`` (the production permission).
    """
    require(ctx, COMMISSION)
    uris = [uri for uri, _, _ in inputs]
    if not inputs or len(set(uris)) != len(uris):
        raise Refused("no_items", "Name each input lot once.")
    for uri, quantity, _ in inputs:
        _check_input(conn, ctx, uri, quantity)
    product_by_di(conn, output_gtin)
    if not output_quantity > 0:
        raise Refused("bad_quantity", f"Output quantity {output_quantity} must be positive.")
    check_dates(ctx, expiry, production_date)
    output = lgtin_uri(output_gtin, output_lot)
    lifecycle.require(conn, output, LotAction.PRODUCE)
    draft = TransformationEventDraft(
        biz_step="commissioning",
        disposition="active",
        input_quantities=tuple(Quantity(uri, qty, uom) for uri, qty, uom in inputs),
        output_quantities=(Quantity(output, output_quantity, output_uom),),
        ilmd=Ilmd(lot=output_lot, expiry=expiry, production_date=production_date),
        biz_location=station_location(conn, ctx),
    )
    return record(conn, ctx, draft)
