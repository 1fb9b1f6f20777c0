"""Child side of the I/O-error test (DUR-6): one long-lived writer, driven line by line.

Started as ``sys.executable -m tests.integration.faultshim_io_child DB`` under the fault shim
(``tests/faultshim``), it opens the migrated database with the production engine and
``DbWriter`` and prints ``READY``. Then, for each ``RECORD`` line on stdin, it records one event
and prints ``ACK <event_id>`` once the future resolved (after COMMIT), or
``REFUSED <event_id> <message>`` when the writer raised ``StorageError``, or ``ERROR <text>``
for anything else. At end of input it closes the writer and the engine and prints ``CLOSED``.
The test switches the shim's control file between lines, so one process meets the failures
and must carry on after them.
"""

from __future__ import annotations

import sys
import traceback
import uuid

from sqlalchemy import Connection

from station.errors import StorageError
from station.persistence.db import close_engine, open_engine
from station.persistence.writer import DbWriter
from tests.integration.event_rows import append_event


def _say(line: str) -> None:
    print(line, flush=True)


def serve(db_path: str) -> None:
    engine = open_engine(db_path)
    writer = DbWriter(engine)
    _say("READY")
    for line in sys.stdin:
        if line.strip() != "RECORD":
            break
        event_id = f"urn:uuid:{uuid.uuid4()}"  # chosen here, so a refused id can be looked for

        def record(connection: Connection, event_id: str = event_id) -> tuple[int, str]:
            return append_event(connection, event_id)

        try:
            writer.submit(record).result(timeout=30)
        except StorageError as refused:
            _say(f"REFUSED {event_id} {refused}")
        except Exception:  # reported: the test fails on any ERROR line
            _say("ERROR " + traceback.format_exc().replace("\n", " | "))
        else:
            _say(f"ACK {event_id}")
    writer.close()
    close_engine(engine)
    _say("CLOSED")


if __name__ == "__main__":
    serve(sys.argv[1])
