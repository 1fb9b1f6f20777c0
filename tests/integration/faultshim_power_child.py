"""Child side of the power-loss test (DUR-3): the DUR-2 crash child, run under the fault shim.

Same protocol as ``crash_child`` (``READY``; per ``GO`` a forked worker that prints
``ACK <event_id>`` after each COMMIT; ``PID``, ``DEAD``, ``FAIL``). The parent starts it with
the shim's environment (``tests/faultshim``), so every write the worker makes to the database
directory is logged for :func:`tests.faultshim.simulate_power_loss`.

``--synchronous NORMAL`` is the negative control: a test-only ``connect`` listener, registered
after the production one, lowers the setting on this engine only, so commits are no longer
fsynced and an emulated power loss must cost acknowledged events. The production PRAGMAs and
their start-up check are untouched.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import traceback

from sqlalchemy import event
from sqlalchemy.pool import ConnectionPoolEntry

from station.persistence.db import open_engine
from station.persistence.writer import DbWriter
from tests.integration.crash_child import _say, serve
from tests.integration.event_rows import append_event


def record_until_killed(db_path: str, synchronous: str | None) -> None:
    engine = open_engine(db_path)
    if synchronous is not None:

        @event.listens_for(engine, "connect")
        def _weaken(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
            dbapi_connection.execute(f"PRAGMA synchronous = {synchronous}")

    writer = DbWriter(engine)
    while True:
        _seq, event_id = writer.submit(append_event).result()
        _say(f"ACK {event_id}")


def _worker(db_path: str, synchronous: str | None) -> None:
    try:
        record_until_killed(db_path, synchronous)
    except BaseException:
        _say("FAIL " + traceback.format_exc().replace("\n", " | "))
    os._exit(1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--synchronous", choices=["NORMAL", "OFF"])
    args = parser.parse_args()
    serve(lambda: _worker(args.db, args.synchronous))
