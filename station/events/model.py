"""Typed, immutable drafts of the EPCIS 2.0 events the station writes.

A draft is everything about an event except what capture assigns (eventID, time, who, where):
:meth:`EventDraft.to_epcis` turns it into the EPCIS JSON-LD event dict. Every part is checked
on construction, so a draft that exists can be recorded.

>>> from station.events.ids import sgtin_uri
>>> draft = ObjectEventDraft(
...     action=Action.OBSERVE, biz_step="receiving", disposition="in_progress",
...     epcs=(sgtin_uri("04012345123456", "SN1"),))
>>> from datetime import datetime, UTC
>>> event = draft.to_epcis(event_id="urn:uuid:0", event_time=datetime(2026, 1, 5, tzinfo=UTC))
>>> event["type"], event["eventTime"], event["eventTimeZoneOffset"]
('ObjectEvent', '2026-01-05T00:00:00.000Z', '+00:00')
>>> event["epcList"]
['https://id.gs1.org/01/04012345123456/21/SN1']
>>> ObjectEventDraft(action=Action.OBSERVE, biz_step="recieving", epcs=draft.epcs)
Traceback (most recent call last):
...
ValueError: bizStep 'recieving' is not a CBV 2.0 value nor a URI outside the CBV namespaces
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from station.events.parts import (
    BizTransaction,
    ErrorDeclaration,
    Ilmd,
    PersistentDisposition,
    Quantity,
    SourceDest,
    unique_uris,
)
from station.events.sensors import SensorElement
from station.events.timefmt import offset_of, utc_millis
from station.events.vocab import check_uri, check_vocab

__all__ = [
    "Action",
    "AggregationEventDraft",
    "AssociationEventDraft",
    "EventDraft",
    "ObjectEventDraft",
    "TransactionEventDraft",
    "TransformationEventDraft",
]


class Action(enum.StrEnum):
    ADD = "ADD"
    OBSERVE = "OBSERVE"
    DELETE = "DELETE"


def _fail(message: str) -> None:
    raise ValueError(message)


@dataclass(frozen=True, kw_only=True)
class EventDraft(abc.ABC):
    """What every event type shares: why (bizStep, disposition, documents) and where.

    ``reason`` is free text written as ``st:reason``; ``corrects`` names the eventID a
    corrective event replaces (``st:corrects``, and the ledger's ``corrects_event_id``).
    """

    event_type: ClassVar[str]
    biz_step: str | None = None
    disposition: str | None = None
    read_point: str | None = None
    biz_location: str | None = None
    biz_transactions: tuple[BizTransaction, ...] = ()
    sources: tuple[SourceDest, ...] = ()
    destinations: tuple[SourceDest, ...] = ()
    sensors: tuple[SensorElement, ...] = ()
    error_declaration: ErrorDeclaration | None = None
    reason: str | None = None
    corrects: str | None = None

    def __post_init__(self) -> None:
        if self.biz_step is not None:
            check_vocab("bizStep", self.biz_step)
        if self.disposition is not None:
            check_vocab("disposition", self.disposition)
        for what, uri in (("readPoint", self.read_point), ("bizLocation", self.biz_location)):
            if uri is not None:
                check_uri(what, uri)
        if self.corrects is not None:
            check_uri("corrected eventID", self.corrects)

    @abc.abstractmethod
    def _what(self) -> dict[str, Any]:
        """The type-specific fields (lists of identifiers, action …)."""

    def to_epcis(
        self, *, event_id: str, event_time: datetime, extensions: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The EPCIS JSON-LD event; ``extensions`` are namespaced keys such as ``st:actor``."""
        event: dict[str, Any] = {
            "type": self.event_type,
            "eventID": check_uri("eventID", event_id),
            "eventTime": utc_millis(event_time),
            "eventTimeZoneOffset": offset_of(event_time),
            **self._what(),
        }
        optional: dict[str, Any] = {
            "bizStep": self.biz_step,
            "disposition": self.disposition,
            "readPoint": {"id": self.read_point} if self.read_point else None,
            "bizLocation": {"id": self.biz_location} if self.biz_location else None,
            "bizTransactionList": [bt.to_epcis() for bt in self.biz_transactions],
            "sourceList": [s.to_epcis("source") for s in self.sources],
            "destinationList": [d.to_epcis("destination") for d in self.destinations],
            "sensorElementList": [s.to_epcis() for s in self.sensors],
            "errorDeclaration": self.error_declaration.to_epcis()
            if self.error_declaration
            else None,
            "st:reason": self.reason,
            "st:corrects": self.corrects,
        }
        event.update((key, value) for key, value in optional.items() if value)
        for key, value in (extensions or {}).items():
            if ":" not in key or key in event:
                _fail(f"extension key {key!r} must be namespaced (prefix:name) and new")
            event[key] = value
        return event


def _quantities(items: tuple[Quantity, ...]) -> list[dict[str, Any]]:
    return [item.to_epcis() for item in items]


def _drop_empty(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in (None, [], {})}


@dataclass(frozen=True, kw_only=True)
class ObjectEventDraft(EventDraft):
    """Something happened to these units or quantities (receive, inspect, commission, ship …)."""

    event_type: ClassVar[str] = "ObjectEvent"
    action: Action
    epcs: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    ilmd: Ilmd | None = None
    persistent_disposition: PersistentDisposition | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        unique_uris("epcList", self.epcs)
        if not self.epcs and not self.quantities:
            _fail("an ObjectEvent names at least one EPC or quantity")
        if self.ilmd is not None and self.action is not Action.ADD:
            _fail("ILMD belongs to an ADD (commissioning) event only")

    def _what(self) -> dict[str, Any]:
        return _drop_empty(
            {
                "action": self.action.value,
                "epcList": list(self.epcs),
                "quantityList": _quantities(self.quantities),
                "ilmd": self.ilmd.to_epcis() if self.ilmd else None,
                "persistentDisposition": self.persistent_disposition.to_epcis()
                if self.persistent_disposition
                else None,
            }
        )


@dataclass(frozen=True, kw_only=True)
class AggregationEventDraft(EventDraft):
    """Children packed into (ADD), seen in (OBSERVE) or unpacked from (DELETE) a parent.

    No persistentDisposition: the shipped schema (May 2023) rejects it here.
    """

    event_type: ClassVar[str] = "AggregationEvent"
    action: Action
    parent_id: str | None = None
    child_epcs: tuple[str, ...] = ()
    child_quantities: tuple[Quantity, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        unique_uris("childEPCs", self.child_epcs)
        if self.parent_id is not None:
            check_uri("parentID", self.parent_id)
        elif self.action is not Action.OBSERVE:
            _fail(f"an AggregationEvent {self.action.value} needs a parentID")
        if self.action is not Action.DELETE and not (self.child_epcs or self.child_quantities):
            _fail(f"an AggregationEvent {self.action.value} names at least one child")

    def _what(self) -> dict[str, Any]:
        return _drop_empty(
            {
                "action": self.action.value,
                "parentID": self.parent_id,
                "childEPCs": list(self.child_epcs),
                "childQuantityList": _quantities(self.child_quantities),
            }
        )


@dataclass(frozen=True, kw_only=True)
class AssociationEventDraft(AggregationEventDraft):
    """Like aggregation, for things attached rather than contained (a logger on a case)."""

    event_type: ClassVar[str] = "AssociationEvent"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.parent_id is None:
            _fail("an AssociationEvent needs a parentID")


@dataclass(frozen=True, kw_only=True)
class TransformationEventDraft(EventDraft):
    """Inputs consumed into outputs (material lots into a device lot); no action."""

    event_type: ClassVar[str] = "TransformationEvent"
    input_epcs: tuple[str, ...] = ()
    input_quantities: tuple[Quantity, ...] = ()
    output_epcs: tuple[str, ...] = ()
    output_quantities: tuple[Quantity, ...] = ()
    transformation_id: str | None = None
    ilmd: Ilmd | None = None
    persistent_disposition: PersistentDisposition | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        unique_uris("inputEPCList", self.input_epcs)
        unique_uris("outputEPCList", self.output_epcs)
        has_in = bool(self.input_epcs or self.input_quantities)
        has_out = bool(self.output_epcs or self.output_quantities)
        if self.transformation_id is not None:
            check_uri("transformationID", self.transformation_id)
            if not (has_in or has_out):
                _fail("a TransformationEvent names at least one input or output")
        elif not (has_in and has_out):
            _fail("a TransformationEvent without transformationID needs inputs and outputs")

    def _what(self) -> dict[str, Any]:
        return _drop_empty(
            {
                "inputEPCList": list(self.input_epcs),
                "inputQuantityList": _quantities(self.input_quantities),
                "outputEPCList": list(self.output_epcs),
                "outputQuantityList": _quantities(self.output_quantities),
                "transformationID": self.transformation_id,
                "ilmd": self.ilmd.to_epcis() if self.ilmd else None,
                "persistentDisposition": self.persistent_disposition.to_epcis()
                if self.persistent_disposition
                else None,
            }
        )


@dataclass(frozen=True, kw_only=True)
class TransactionEventDraft(EventDraft):
    """Units or quantities tied to (ADD) or released from (DELETE) business transactions."""

    event_type: ClassVar[str] = "TransactionEvent"
    action: Action
    parent_id: str | None = None
    epcs: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        unique_uris("epcList", self.epcs)
        if self.parent_id is not None:
            check_uri("parentID", self.parent_id)
        if not self.biz_transactions:
            _fail("a TransactionEvent needs at least one bizTransaction")
        if self.action is not Action.DELETE and not (self.epcs or self.quantities):
            _fail(f"a TransactionEvent {self.action.value} names at least one EPC or quantity")

    def _what(self) -> dict[str, Any]:
        return _drop_empty(
            {
                "action": self.action.value,
                "parentID": self.parent_id,
                "epcList": list(self.epcs),
                "quantityList": _quantities(self.quantities),
            }
        )
