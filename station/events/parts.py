"""The small immutable pieces an event draft is made of, each checked on construction.

>>> Quantity("https://id.gs1.org/01/04012345123456/10/L1", 12, "EA").to_epcis()
{'epcClass': 'https://id.gs1.org/01/04012345123456/10/L1', 'quantity': 12, 'uom': 'EA'}
>>> Quantity("https://id.gs1.org/01/04012345123456/10/L1", 12, "pieces")
Traceback (most recent call last):
...
ValueError: uom 'pieces' is not a UN/CEFACT Rec. 20 code (2-3 capitals or digits)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from station.events.timefmt import require_aware, utc_millis
from station.events.vocab import check_uri, check_vocab

__all__ = [
    "BizTransaction",
    "ErrorDeclaration",
    "Ilmd",
    "PersistentDisposition",
    "Quantity",
    "SourceDest",
    "unique_uris",
]

_UOM = re.compile(r"[A-Z0-9]{2,3}\Z")  # the schema's own pattern for quantity units


def unique_uris(what: str, uris: tuple[str, ...]) -> tuple[str, ...]:
    """Each an absolute URI and none repeated (the schema wants ``uniqueItems``)."""
    for uri in uris:
        check_uri(what, uri)
    if len(set(uris)) != len(uris):
        msg = f"{what} names the same identifier twice"
        raise ValueError(msg)
    return uris


@dataclass(frozen=True, slots=True)
class Quantity:
    """An EPCIS quantity element: a class (lot or product URI), how many, in what unit."""

    epc_class: str
    quantity: float | None = None
    uom: str | None = None

    def __post_init__(self) -> None:
        check_uri("epcClass", self.epc_class)
        if self.quantity is not None and not (math.isfinite(self.quantity) and self.quantity >= 0):
            msg = f"quantity {self.quantity!r} must be a finite number ≥ 0"
            raise ValueError(msg)
        if self.uom is not None:
            if not _UOM.match(self.uom):
                msg = f"uom {self.uom!r} is not a UN/CEFACT Rec. 20 code (2-3 capitals or digits)"
                raise ValueError(msg)
            if self.quantity is None:
                msg = "a uom without a quantity means nothing"
                raise ValueError(msg)

    def to_epcis(self) -> dict[str, Any]:
        out: dict[str, Any] = {"epcClass": self.epc_class}
        if self.quantity is not None:
            out["quantity"] = self.quantity
        if self.uom is not None:
            out["uom"] = self.uom
        return out


@dataclass(frozen=True, slots=True)
class BizTransaction:
    """A business document the event belongs to: ``po``, ``desadv``, ``bol``, ``rma``,
    ``prodorder`` …, or :data:`~station.events.vocab.SALES_ORDER`. ``id`` is a URI."""

    type: str | None
    id: str

    def __post_init__(self) -> None:
        if self.type is not None:
            check_vocab("bizTransaction type", self.type)
        check_uri("bizTransaction", self.id)

    def to_epcis(self) -> dict[str, Any]:
        out = {"bizTransaction": self.id}
        if self.type is not None:
            out["type"] = self.type
        return out


@dataclass(frozen=True, slots=True)
class SourceDest:
    """A source or destination: ``owning_party``, ``possessing_party`` or ``location``."""

    type: str
    id: str

    def __post_init__(self) -> None:
        check_vocab("source/destination type", self.type)
        check_uri("source/destination", self.id)

    def to_epcis(self, key: str) -> dict[str, Any]:
        return {"type": self.type, key: self.id}


@dataclass(frozen=True, slots=True)
class PersistentDisposition:
    """Dispositions that stay until unset: a hold is ``set``, its release ``unset``."""

    set: tuple[str, ...] = ()
    unset: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.set and not self.unset:
            msg = "a persistentDisposition must set or unset something"
            raise ValueError(msg)
        for value in (*self.set, *self.unset):
            check_vocab("disposition", value)
        if len(set(self.set)) != len(self.set) or len(set(self.unset)) != len(self.unset):
            msg = "a persistentDisposition lists a disposition twice"
            raise ValueError(msg)
        if set(self.set) & set(self.unset):
            msg = "a persistentDisposition cannot set and unset the same disposition"
            raise ValueError(msg)

    def to_epcis(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.set:
            out["set"] = list(self.set)
        if self.unset:
            out["unset"] = list(self.unset)
        return out


@dataclass(frozen=True, slots=True)
class Ilmd:
    """Instance/lot master data fixed at commissioning.

    CBV keys where CBV has one (``cbvmda:lotNumber``, ``cbvmda:itemExpirationDate``); CBV 2.0
    defines no production date, so that one is the station's ``st:productionDate``.
    """

    lot: str | None = None
    expiry: date | None = None
    production_date: date | None = None

    def __post_init__(self) -> None:
        if self.lot is None and self.expiry is None and self.production_date is None:
            msg = "an empty ILMD is not written: leave it out"
            raise ValueError(msg)
        if self.lot == "":
            msg = "an ILMD lot cannot be empty"
            raise ValueError(msg)

    def to_epcis(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.lot is not None:
            out["cbvmda:lotNumber"] = self.lot
        if self.expiry is not None:
            out["cbvmda:itemExpirationDate"] = self.expiry.isoformat()
        if self.production_date is not None:
            out["st:productionDate"] = self.production_date.isoformat()
        return out


@dataclass(frozen=True, slots=True)
class ErrorDeclaration:
    """Declares the event it is attached to wrong (``did_not_occur`` / ``incorrect_data``)."""

    declaration_time: datetime
    reason: str | None = None
    corrective_event_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        require_aware(self.declaration_time, "declarationTime")
        if self.reason is not None:
            check_vocab("error reason", self.reason)
        unique_uris("correctiveEventIDs", self.corrective_event_ids)

    def to_epcis(self) -> dict[str, Any]:
        out: dict[str, Any] = {"declarationTime": utc_millis(self.declaration_time)}
        if self.reason is not None:
            out["reason"] = self.reason
        if self.corrective_event_ids:
            out["correctiveEventIDs"] = list(self.corrective_event_ids)
        return out
