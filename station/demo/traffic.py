"""Recorded event traffic across many lots, for the sync tests, soak and benchmark.

Each event is a storage observation of a quantity of one lot, a step the lot rules ignore (a
real ``record`` through the event store: validated, chained, indexed), so its ordering key is
that lot. Lots are interleaved so that a batch mixes lots, as on a busy station.
"""

from __future__ import annotations

import random

from sqlalchemy import Connection

from station.context import WriteContext
from station.events.ids import lgtin_uri
from station.events.model import Action, ObjectEventDraft
from station.events.parts import Quantity
from station.persistence.writer import DbWriter
from station.services.recording import record

__all__ = ["TRAFFIC_GTIN", "lot_name", "record_traffic", "traffic_draft", "traffic_plan"]

TRAFFIC_GTIN = "06901234000115"


def lot_name(number: int) -> str:
    """The lot code of lot ``number``.

    >>> lot_name(7)
    'LOT000007'
    """
    return f"LOT{number:06d}"


def traffic_draft(lot: int, step: int) -> ObjectEventDraft:
    """Event ``step`` of lot ``lot``: a storage observation of a quantity of that lot."""
    return ObjectEventDraft(
        action=Action.OBSERVE,
        biz_step="storing",
        disposition="in_progress",
        quantities=(Quantity(lgtin_uri(TRAFFIC_GTIN, lot_name(lot)), float(step + 1), "EA"),),
        reason=f"traffic step {step}",
    )


def traffic_plan(count: int, lots: int, seed: int) -> list[tuple[int, int]]:
    """(lot, step) of each event, in recording order: a pure function of its arguments, so a
    restarted recorder resumes where the last one stopped.

    >>> traffic_plan(5, 2, 0)
    [(1, 0), (1, 1), (0, 0), (1, 2), (1, 3)]
    """
    rng = random.Random(seed)  # noqa: S311 - test traffic, not secrets
    steps = [0] * lots
    order: list[tuple[int, int]] = []
    for _ in range(count):
        lot = rng.randrange(lots)
        order.append((lot, steps[lot]))
        steps[lot] += 1
    return order


def record_traffic(
    writer: DbWriter,
    ctx: WriteContext,
    count: int,
    *,
    lots: int = 50,
    seed: int = 0,
    per_transaction: int = 200,
) -> int:
    """Record ``count`` events over ``lots`` lots, interleaved at random; returns the count."""
    order = traffic_plan(count, lots, seed)
    for start in range(0, count, per_transaction):
        chunk = order[start : start + per_transaction]

        def write(conn: Connection, chunk: list[tuple[int, int]] = chunk) -> None:
            for lot, step in chunk:
                record(conn, ctx, traffic_draft(lot, step))

        writer.submit(write).result()
    return count
