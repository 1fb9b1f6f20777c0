"""Commissioning: giving finished devices their identity (label print), P11-F1 "labels only
for ACCEPTED lots".

A finished lot comes from a transformation (state RECEIVED) and becomes ACCEPTED by an
inspection pass naming its lot URI; only then may its units or quantity be commissioned:
ObjectEvent ADD ``commissioning`` ``active`` with ILMD lot, expiry and production date.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Connection, text

from station.access import COMMISSION, require
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.events.ids import lgtin_uri, sgtin_uri
from station.events.model import Action, ObjectEventDraft
from station.events.parts import Ilmd, Quantity
from station.services import lifecycle
from station.services.errors import Refused
from station.services.items import not_held
from station.services.lifecycle import LotAction
from station.services.orders import product_by_di
from station.services.recording import record
from station.services.sites import station_location

__all__ = ["check_dates", "commission_lot", "commission_serials", "serials_draft"]


def check_dates(ctx: WriteContext, expiry: date, production_date: date) -> None:
    """Refuse an expired identity or one produced in the future or after it expires."""
    today = ctx.now().date()
    if expiry < today:
        raise Refused("expired", f"Expiry {expiry} is in the past.")
    if production_date > today or production_date > expiry:
        raise Refused("bad_date", f"Production date {production_date} is not plausible.")


def _produced_ilmd(conn: Connection, lot_uri: str) -> dict[str, str]:
    """The ILMD the lot was produced with (its TransformationEvent), empty if none."""
    query = text(
        "SELECT e.payload FROM event e JOIN event_ident i ON i.event_seq = e.seq"
        " WHERE i.uri = :uri AND i.role = 'output' AND e.event_type = 'TransformationEvent'"
        " ORDER BY e.seq LIMIT 1"
    )
    payload = conn.execute(query, {"uri": lot_uri}).scalar_one_or_none()
    ilmd: dict[str, str] = json.loads(payload).get("ilmd", {}) if payload else {}
    return ilmd


def _check_same_dates(conn: Connection, lot_uri: str, expiry: date, production: date) -> None:
    """A label must carry the dates its lot was produced with, never new ones."""
    ilmd = _produced_ilmd(conn, lot_uri)
    for key, given in (("cbvmda:itemExpirationDate", expiry), ("st:productionDate", production)):
        if key in ilmd and ilmd[key] != given.isoformat():
            raise Refused(
                "date_mismatch",
                f"Lot {lot_uri} was produced with {key.split(':')[1]} {ilmd[key]}, not {given}.",
                subject=lot_uri,
            )


def _accepted_lot(conn: Connection, gtin: str, lot: str, trace_level: str) -> str:
    product = product_by_di(conn, gtin)
    if product.trace_level != trace_level:
        raise Refused(
            "wrong_trace_level", f"{gtin} is traced by {product.trace_level}.", subject=gtin
        )
    lot_uri = lgtin_uri(gtin, lot)
    lifecycle.require(conn, lot_uri, LotAction.LABEL)
    not_held(conn, lot_uri)
    return lot_uri


def _ever_named(conn: Connection, uri: str) -> bool:
    query = text("SELECT 1 FROM event_ident WHERE uri = :uri LIMIT 1")
    return conn.execute(query, {"uri": uri}).first() is not None


def serials_draft(
    conn: Connection,
    ctx: WriteContext,
    *,
    gtin: str,
    lot: str,
    serials: Sequence[str],
    expiry: date,
    production_date: date,
) -> ObjectEventDraft:
    """Every check of :func:`commission_serials`, without recording: the event it would write.

    Label printing runs it before a serial is printed, so a label is never printed for a unit
    the ledger would then refuse to commission. It reads regulated data, so it checks
    ``production.commission`` like the recorder.
    """
    require(ctx, COMMISSION)
    if not serials or len(set(serials)) != len(serials):
        raise Refused("duplicate", "Give each serial once.")
    check_dates(ctx, expiry, production_date)
    lot_uri = _accepted_lot(conn, gtin, lot, "serial")
    _check_same_dates(conn, lot_uri, expiry, production_date)
    units = tuple(sgtin_uri(gtin, serial) for serial in serials)
    for unit in units:
        if _ever_named(conn, unit):  # uniqueness over the whole ledger, not just item_state
            raise Refused("duplicate", f"{unit} already exists.", subject=unit)
    return ObjectEventDraft(
        action=Action.ADD,
        biz_step="commissioning",
        disposition="active",
        epcs=units,
        ilmd=Ilmd(lot=lot, expiry=expiry, production_date=production_date),
        biz_location=station_location(conn, ctx),
    )


def commission_serials(
    conn: Connection,
    ctx: WriteContext,
    *,
    gtin: str,
    lot: str,
    serials: Sequence[str],
    expiry: date,
    production_date: date,
) -> RecordedEvent:
    """Commission serialised units of an ACCEPTED lot; a serial is never issued twice."""
    draft = serials_draft(
        conn,
        ctx,
        gtin=gtin,
        lot=lot,
        serials=serials,
        expiry=expiry,
        production_date=production_date,
    )
    return record(conn, ctx, draft)


def commission_lot(
    conn: Connection,
    ctx: WriteContext,
    *,
    gtin: str,
    lot: str,
    quantity: float,
    expiry: date,
    production_date: date,
    uom: str = "EA",
) -> RecordedEvent:
    """Commission a quantity of a lot-traced product from an ACCEPTED lot (quantityList)."""
    require(ctx, COMMISSION)
    if not quantity > 0:
        raise Refused("bad_quantity", f"Quantity {quantity} must be positive.")
    check_dates(ctx, expiry, production_date)
    lot_uri = _accepted_lot(conn, gtin, lot, "lot")
    _check_same_dates(conn, lot_uri, expiry, production_date)
    draft = ObjectEventDraft(
        action=Action.ADD,
        biz_step="commissioning",
        disposition="active",
        quantities=(Quantity(lot_uri, quantity, uom),),
        ilmd=Ilmd(lot=lot, expiry=expiry, production_date=production_date),
        biz_location=station_location(conn, ctx),
    )
    return record(conn, ctx, draft)
