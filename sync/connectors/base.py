"""The connector interface: small enough that an Odoo or ERPNext connector is one module.

A connector sends a batch and says, per event, what the centre answered. Only an explicit
answer counts: an event it says nothing about stays queued (docs/sync.md §6: never acked on a
bare 202 or on "no exception"). Security alerts (lockouts, the station's rate limit) go the
same way, answered per ``alert_id``, ahead of every batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from station.sync.alerts import SecurityAlert
from station.sync.outbox import OutboxEvent

__all__ = [
    "AuthError",
    "BatchLimits",
    "BatchOutcome",
    "BatchTooLargeError",
    "Connector",
    "EventResult",
    "SyncError",
    "TransientError",
]

ACCEPTED = "accepted"
DUPLICATE = "duplicate"
REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class BatchLimits:
    """How much one request may carry (from ``OPTIONS /capture`` or the connector's defaults)."""

    max_events: int = 500
    max_bytes: int = 1_000_000


@dataclass(frozen=True, slots=True)
class EventResult:
    status: str  # accepted | duplicate | rejected
    reason: str = ""


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    """Per-event answers (by eventID) and the centre's clock, when it sent one."""

    results: Mapping[str, EventResult] = field(default_factory=dict)
    server_time: datetime | None = None
    local_time: datetime | None = None  # when the answer arrived, by the station clock


class SyncError(Exception):
    """The batch was not delivered; nothing about its events is known."""


class TransientError(SyncError):
    """Worth retrying later (network down, timeout, 5xx, 429); ``retry_after`` in seconds."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AuthError(SyncError):
    """401/403: the token is missing, wrong or revoked. Retried slowly; shown to the operator."""


class BatchTooLargeError(SyncError):
    """413: send fewer events per request."""


class Connector(Protocol):
    """What the sync engine needs of a centre."""

    @property
    def endpoint(self) -> str: ...

    def limits(self) -> BatchLimits:
        """Ask the centre how much a request may carry (at start and after a reconnect)."""
        ...

    def deliver(self, station: str, batch: Sequence[OutboxEvent]) -> BatchOutcome:
        """Send ``batch``; raise :class:`SyncError` when nothing is known about its events."""
        ...

    def send_checkpoints(
        self, station: str, public_key_pem: str | None, rows: Sequence[Mapping[str, object]]
    ) -> None:
        """Hand the centre signed audit-chain checkpoints (idempotent at the centre)."""
        ...

    def send_alerts(self, station: str, alerts: Sequence[SecurityAlert]) -> Mapping[str, str]:
        """Hand the centre security alerts (P11-U7), idempotent at the centre by ``alert_id``.

        Returns ``alert_id`` → ``accepted`` | ``duplicate`` for each alert the centre answered
        for (the others stay pending); raises :class:`SyncError` when nothing is known.
        """
        ...

    def close(self) -> None: ...
