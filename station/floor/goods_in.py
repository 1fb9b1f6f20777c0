"""Goods-in: every check of :func:`station.services.receiving.receive`, run without writing.

The receiving service stops at the first refusal; the goods-in screen shows them all the moment
the supplier label is scanned (unknown product, wrong product for the PO line, supplier not
qualified or lapsed, expired, already received, the lot's state), with the same reason codes.
Overridable refusals (``expired``, ``supplier_conditional``: :data:`OVERRIDABLE`) are told
apart from final ones. :func:`check_receipt` lists them in the order the service checks, so
its first final refusal — or, when there is none, its first overridable one — is the one the
service raises (tests hold the two together).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from station.context import WriteContext
from station.events.ids import identifiers_of
from station.floor.orders import OrderLine
from station.services import lifecycle
from station.services.errors import Refused
from station.services.lifecycle import LotAction
from station.services.orders import Order, Product, order, po_line_product, product_by_di
from station.services.overrides import OVERRIDABLE
from station.services.projection import current_state
from station.udi.model import ParsedCode

__all__ = ["ReceiptCheck", "check_receipt", "line_for"]


@dataclass(frozen=True, slots=True)
class ReceiptCheck:
    """What :func:`check_receipt` found, in the service's order."""

    refusals: tuple[Refused, ...] = ()

    @property
    def final(self) -> tuple[Refused, ...]:
        """Refusals no override can lift."""
        return tuple(r for r in self.refusals if r.reason not in OVERRIDABLE)

    @property
    def overridable(self) -> tuple[Refused, ...]:
        """Refusals a stated reason may overrule (the service records who and why)."""
        return tuple(r for r in self.refusals if r.reason in OVERRIDABLE)

    @property
    def ok(self) -> bool:
        return not self.refusals

    def first(self) -> Refused | None:
        """The refusal the service raises: the first final one, else the first overridable."""
        return (self.final or self.overridable or (None,))[0]


def line_for(lines: list[OrderLine], di: str | None) -> OrderLine | None:
    """The PO line for a scanned product: the first with the DI that is still open, else the
    first with the DI at all (so an over-delivery is still checked against its line)."""
    matching = [line for line in lines if line.di == di]
    return next((line for line in matching if line.open > 0), matching[0] if matching else None)


def _supplier(po: Order, today: date) -> list[Refused]:
    code = po.party_code
    if po.qualification == "disqualified" or not po.party_active:
        return [Refused("supplier_unqualified", f"Supplier {code} is not qualified.", subject=code)]
    until = po.qualified_until
    if until is not None and date.fromisoformat(until) < today:
        return [
            Refused(
                "supplier_qualification_expired",
                f"Supplier {code}'s qualification expired on {until}.",
                subject=code,
            )
        ]
    if po.qualification == "conditional":
        return [
            Refused(
                "supplier_conditional",
                f"Supplier {code} is only conditionally qualified.",
                subject=code,
            )
        ]
    return []


def _quantity(code: ParsedCode, product: Product, quantity: float) -> list[Refused]:
    if not quantity > 0:
        return [Refused("bad_quantity", f"Quantity {quantity} must be positive.")]
    if product.trace_level == "serial" and code.serial is None:
        return [Refused("serial_required", f"{code.di} is serialised: scan the unit's serial.")]
    if code.serial is not None and quantity != 1:
        return [Refused("bad_quantity", "A serialised unit is received one at a time.")]
    if code.serial is None and code.lot is None:
        return [Refused("lot_required", f"{code.di}: the scan carries no lot or serial.")]
    return []


def check_receipt(
    conn: Connection,
    ctx: WriteContext,
    *,
    po_number: str,
    line_no: int | None,
    code: ParsedCode,
    quantity: float,
) -> ReceiptCheck:
    """Every refusal :func:`~station.services.receiving.receive` could raise for this receipt.

    ``line_no`` None: the product is on no line of the PO (``not_on_order``). Reads only.
    """
    if not code.valid:
        return ReceiptCheck((Refused("invalid_code", "The scan is not a valid code; scan again."),))
    try:
        names = identifiers_of(code)
    except ValueError as error:
        return ReceiptCheck((Refused("unknown_di", str(error)),))
    found: list[Refused] = []
    product: Product | None = None
    try:
        product = product_by_di(conn, code.di)
    except Refused as refused:
        found.append(refused)
    try:
        po = order(conn, "po", po_number)
    except Refused as refused:
        return ReceiptCheck((*found, refused))
    on_line = product is not None and line_no is not None
    if not on_line or po_line_product(conn, po.id, line_no or 0) != (product and product.id):
        where = f"line {line_no} of {po_number}" if line_no is not None else po_number
        found.append(Refused("not_on_order", f"{code.di} is not on {where}.", subject=code.di))
    today = ctx.now().date()
    found += _supplier(po, today)
    if product is not None:
        found += _quantity(code, product, quantity)
    if code.expiry is not None and code.expiry < today:
        found.append(Refused("expired", f"{code.di} expired on {code.expiry}.", subject=code.di))
    subject = names.instance_uri or names.class_uri
    if names.instance_uri is not None and current_state(conn, names.instance_uri) is not None:
        found.append(
            Refused("duplicate", f"{names.instance_uri} was already received.", subject=subject)
        )
    if code.serial is None and names.class_uri is not None:
        try:
            lifecycle.require(conn, names.class_uri, LotAction.RECEIVE)
        except Refused as refused:
            found.append(refused)
    return ReceiptCheck(tuple(found))
