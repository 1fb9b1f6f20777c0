"""Sign the chain heads while the station works: every N records, every T minutes, at shutdown.

Checkpoints are what make truncation and a full re-chain detectable (TAM-3), so they must be
written as a matter of course, not when someone remembers. Each check runs as its own short
transaction on the single writer thread, after the writes it follows; the policy decides
inside that transaction, so the heads cannot move between deciding and signing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from sqlalchemy import Connection

from station.ledger.checkpoint import (
    CheckpointPolicy,
    SigningKey,
    chain_heads,
    latest_checkpoint,
    make_checkpoint,
    should_checkpoint,
)

T = TypeVar("T")
_log = logging.getLogger(__name__)


class Submitter(Protocol):
    """What the checkpointer needs of the database writer (``DbWriter``)."""

    def submit(self, fn: Callable[[Connection], T]) -> Future[T]: ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Checkpointer:
    """Decides and writes checkpoints through the writer; call :meth:`maybe` after writes."""

    def __init__(
        self,
        writer: Submitter,
        keystore: SigningKey,
        station: str,
        policy: CheckpointPolicy | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._writer = writer
        self._keystore = keystore
        self._station = station
        self._policy = policy or CheckpointPolicy()
        self._clock = clock

    def maybe(self) -> Future[bool]:
        """Queue a check after the writes already queued; the future says if one was signed."""
        return self._writer.submit(self._maybe_sign)

    def final(self) -> bool:
        """At shutdown: sign if anything changed since the last checkpoint; waits for it."""
        return self._writer.submit(self._sign_if_changed).result()

    def _maybe_sign(self, conn: Connection) -> bool:
        now = self._clock()
        if not should_checkpoint(self._policy, chain_heads(conn), latest_checkpoint(conn), now):
            return False
        row = make_checkpoint(conn, self._keystore, self._station, now)
        _log.info("checkpoint signed at event %s, audit %s", row["event_seq"], row["audit_seq"])
        return True

    def _sign_if_changed(self, conn: Connection) -> bool:
        heads = chain_heads(conn)
        last = latest_checkpoint(conn)
        unchanged = last is not None and (last["event_seq"], last["audit_seq"]) == (
            heads.event_seq,
            heads.audit_seq,
        )
        if unchanged or heads.event_seq + heads.audit_seq == 0:
            return False
        make_checkpoint(conn, self._keystore, self._station, self._clock())
        return True
