"""Child side of the label crash test: plans serialised print jobs, "prints" them, records the
outcome, until it is SIGKILLed.

Started once with ``sys.executable -m tests.integration.label_crash_child DB PRINT_FILE``; it
speaks the protocol of :func:`tests.integration.crash_child.serve` (``READY``, ``PID``, ``DEAD``)
and each forked worker loops:

1. ``plan_print`` of ``COPIES`` labels of the approved ``udi-unit`` template (serials allocated
   and committed), then ``PLANNED <job>``;
2. the "printer": one ``write`` of every serial, one per line, appended to PRINT_FILE and
   fsynced, then ``PRINTED <job>``;
3. ``record_outcome(sent=True)`` (commissions the units), then ``SENT <job>``.

``--print-before-commit`` prints inside the planning transaction, before COMMIT: the bug the
test exists to catch (a crash then rolls the allocation back and the numbers are handed out
again), used as its negative control.

The database must already hold the master data, an ACCEPTED lot and an approved template (the
test sets it up with the service-test helpers before starting this process).
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from dataclasses import replace

from station.labels.data import LabelData
from station.labels.printing import plan_print, record_outcome
from station.persistence.db import open_engine
from tests.integration.crash_child import serve
from tests.integration.test_services_setup import CTX, DEVICE

COPIES = 5
OPS = replace(CTX, actor="u-ops", roles=frozenset({"operator"}))
DATA = LabelData.from_mapping(
    {
        "gtin": DEVICE,
        "lot": "D1",
        "expiry": "2029-11-23",
        "production_date": "2026-11-23",
        "product_name_zh": "导管",
        "product_name_en": "Catheter",
    }
)


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def _print(print_file: str, serials: tuple[str, ...]) -> None:
    payload = "".join(f"{serial}\n" for serial in serials).encode()
    fd = os.open(print_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)


def print_until_killed(db_path: str, print_file: str, *, too_early: bool = False) -> None:
    engine = open_engine(db_path)
    while True:
        with engine.begin() as conn:
            job = plan_print(
                conn, OPS, template="udi-unit", data=DATA, copies=COPIES, printer="P1", fmt="zpl"
            )
            if too_early:  # the forbidden order: printed before the allocation is committed
                _print(print_file, job.serials)
                time.sleep(0.05)  # more work before COMMIT: the window of the bug
        _say(f"PLANNED {job.job_id}")
        if not too_early:
            _print(print_file, job.serials)
        _say(f"PRINTED {job.job_id}")
        with engine.begin() as conn:
            record_outcome(conn, OPS, job_id=job.job_id, sent=True, payload_sha256="0" * 64)
        _say(f"SENT {job.job_id}")


def _worker(db_path: str, print_file: str, too_early: bool) -> None:
    try:
        print_until_killed(db_path, print_file, too_early=too_early)
    except BaseException:
        _say("FAIL " + traceback.format_exc().replace("\n", " | "))
    os._exit(1)


if __name__ == "__main__":
    early = "--print-before-commit" in sys.argv[3:]
    serve(lambda: _worker(sys.argv[1], sys.argv[2], early))
