"""Child side of the crash test (DUR-2): records events until it is killed.

Started once with ``sys.executable -m tests.integration.crash_child DB``, it imports everything
and then waits on stdin. For each ``GO`` line it forks a worker that opens the database, records
events through ``DbWriter`` and writes ``ACK <event_id>`` only after the future resolved, i.e.
after COMMIT returned. The parent SIGKILLs the worker; this process reaps it and reports
``DEAD <pid>``. Forking saves the ~0.5 s SQLAlchemy import per life; it happens before any
database handle exists, which is what SQLite requires of ``fork()``.

``--ack-before-commit`` acknowledges inside the transaction, before COMMIT: the bug the test
exists to catch, used as its negative control.

Protocol lines on stdout: ``READY`` once, then ``PID <pid>``, ``ACK <event_id>``,
``DEAD <pid> <status>``, and ``FAIL <message>`` if a worker stopped on its own.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable

from sqlalchemy import Connection, create_engine, text

from station.persistence.db import open_engine
from station.persistence.writer import DbWriter
from tests.integration.event_rows import append_event


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))  # unbuffered: nothing duplicated by fork


def record_until_killed(db_path: str, *, ack_before_commit: bool = False) -> None:
    engine = open_engine(db_path)
    writer = DbWriter(engine)
    if ack_before_commit:  # the bug DUR-2 forbids; the negative control must catch it
        while True:
            writer.submit(_append_and_ack_too_early).result()
    while True:
        _seq, event_id = writer.submit(append_event).result()
        _say(f"ACK {event_id}")


def _append_and_ack_too_early(connection: Connection) -> None:
    _seq, event_id = append_event(connection)
    _say(f"ACK {event_id}")
    time.sleep(0.002)  # more work before COMMIT (an audit row, say): the window of the bug


def _worker(db_path: str, ack_before_commit: bool) -> None:
    try:
        record_until_killed(db_path, ack_before_commit=ack_before_commit)
    except BaseException:
        _say("FAIL " + traceback.format_exc().replace("\n", " | "))
    os._exit(1)


def _warm_up() -> None:
    # Load SQLAlchemy's lazily imported dialect and compile caches on a throwaway in-memory
    # database, so that each forked life reaches its first commit in milliseconds.
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x)"))
        connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": 1})
    engine.dispose()


def serve(worker: Callable[[], None]) -> None:
    """The parent's protocol: ``READY``, then per ``GO`` a forked ``worker`` (which never
    returns), reported as ``PID`` and ``DEAD``."""
    _warm_up()
    _say("READY")
    for line in sys.stdin:
        if line.strip() != "GO":
            break
        pid = os.fork()
        if pid == 0:
            worker()
        _say(f"PID {pid}")
        _, status = os.waitpid(pid, 0)
        _say(f"DEAD {pid} {status}")


if __name__ == "__main__":
    early = "--ack-before-commit" in sys.argv[2:]
    serve(lambda: _worker(sys.argv[1], early))
