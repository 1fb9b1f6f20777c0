"""Goods receipt against a purchase order: ObjectEvent OBSERVE ``receiving`` ``in_progress``.

Checks, in order: a valid code naming a product; the PO open; the product on the scanned PO
line; the supplier qualified; the item not expired; a serial not already received; the lot's
P11-F1 state. An expired item or a conditional supplier may be received with an override
reason (who and why go into ``st:override``); an unknown or wrong product, a disqualified
supplier or one whose qualification lapsed never.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from station.access import GOODS_IN, require
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.events.ids import identifiers_of, transaction_urn
from station.events.model import Action, ObjectEventDraft
from station.events.parts import BizTransaction, Quantity, SourceDest
from station.events.sensors import SensorElement, SensorReport
from station.services import lifecycle
from station.services.errors import Refused
from station.services.lifecycle import LotAction
from station.services.orders import Order, order, po_line_product, product_by_di
from station.services.overrides import override_extension, settle
from station.services.projection import current_state
from station.services.recording import record
from station.services.sites import party_uri, station_location
from station.udi.model import ParsedCode

__all__ = ["receive"]


def _supplier_refusals(supplier: Order, today: date) -> list[Refused]:
    """Hard refusals raise at once; a conditional supplier is returned to be overridden."""
    code = supplier.party_code
    if supplier.qualification == "disqualified" or not supplier.party_active:
        raise Refused("supplier_unqualified", f"Supplier {code} is not qualified.", subject=code)
    until = supplier.qualified_until
    if until is not None and date.fromisoformat(until) < today:
        raise Refused(
            "supplier_qualification_expired",
            f"Supplier {code}'s qualification expired on {until}.",
            subject=code,
        )
    if supplier.qualification == "conditional":
        return [
            Refused(
                "supplier_conditional",
                f"Supplier {code} is only conditionally qualified.",
                subject=code,
            )
        ]
    return []


def _check_quantity(code: ParsedCode, trace_level: str, quantity: float) -> None:
    if not quantity > 0:
        raise Refused("bad_quantity", f"Quantity {quantity} must be positive.")
    if trace_level == "serial" and code.serial is None:
        raise Refused("serial_required", f"{code.di} is serialised: scan the unit's serial.")
    if code.serial is not None and quantity != 1:
        raise Refused("bad_quantity", "A serialised unit is received one at a time.")
    if code.serial is None and code.lot is None:
        raise Refused("lot_required", f"{code.di}: the scan carries no lot or serial.")


def _supplier_lot(code: ParsedCode) -> dict[str, Any]:
    """``st:supplierLot``: the supplier's lot data as scanned.

    EPCIS ILMD belongs to commissioning (where an identity is first given), which a receipt is
    not, so the supplier's lot and expiry go into this namespaced extension instead.
    """
    values = {
        "lotNumber": code.lot,
        "itemExpirationDate": code.expiry.isoformat() if code.expiry else None,
        "productionDate": code.production_date.isoformat() if code.production_date else None,
    }
    return {key: value for key, value in values.items() if value is not None}


def _temperature(ctx: WriteContext, temperature_c: float | None) -> tuple[SensorElement, ...]:
    if temperature_c is None:
        return ()
    report = SensorReport("Temperature", temperature_c, "CEL")
    return (SensorElement((report,), time=ctx.now()),)


def receive(
    conn: Connection,
    ctx: WriteContext,
    *,
    po_number: str,
    line_no: int,
    code: ParsedCode,
    quantity: float,
    uom: str = "EA",
    temperature_c: float | None = None,
    override_reason: str | None = None,
) -> RecordedEvent:
    """Record the receipt of one scanned unit or lot quantity on line ``line_no`` of a PO
    (permission ``scan.goods_in``, checked before the scan is looked at)."""
    require(ctx, GOODS_IN)
    if not code.valid:
        raise Refused("invalid_code", "The scan is not a valid code; scan again.")
    try:
        names = identifiers_of(code)
    except ValueError as error:
        raise Refused("unknown_di", str(error)) from error
    product = product_by_di(conn, code.di)
    po = order(conn, "po", po_number)
    if po_line_product(conn, po.id, line_no) != product.id:
        raise Refused(
            "not_on_order", f"{code.di} is not on line {line_no} of {po_number}.", subject=code.di
        )
    today = ctx.now().date()
    soft = _supplier_refusals(po, today)
    _check_quantity(code, product.trace_level, quantity)
    if code.expiry is not None and code.expiry < today:
        soft.append(Refused("expired", f"{code.di} expired on {code.expiry}.", subject=code.di))
    subject = names.instance_uri or names.class_uri
    assert subject is not None  # identifiers_of names a class for every trade item
    if names.instance_uri is not None and current_state(conn, names.instance_uri) is not None:
        raise Refused("duplicate", f"{names.instance_uri} was already received.", subject=subject)
    if code.serial is None and names.class_uri is not None:
        lifecycle.require(conn, names.class_uri, LotAction.RECEIVE)
    settle(soft, override_reason)
    here = station_location(conn, ctx)
    extensions: dict[str, Any] = {"st:poLine": line_no}
    if lot := _supplier_lot(code):
        extensions["st:supplierLot"] = lot
    extensions.update(override_extension(ctx, soft, override_reason))
    draft = ObjectEventDraft(
        action=Action.OBSERVE,
        biz_step="receiving",
        disposition="in_progress",
        epcs=(names.instance_uri,) if names.instance_uri else (),
        quantities=() if names.instance_uri else (Quantity(subject, quantity, uom),),
        biz_location=here,
        biz_transactions=(BizTransaction("po", transaction_urn("po", po_number)),),
        sources=(SourceDest("owning_party", party_uri(po.party_code, po.party_gln)),),
        destinations=(SourceDest("location", here),),
        sensors=_temperature(ctx, temperature_c),
    )
    return record(conn, ctx, draft, raw_scan=code.raw, extensions=extensions)
