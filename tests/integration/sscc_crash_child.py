"""Child side of the SSCC crash test: allocates SSCCs and "prints" each, until SIGKILLed.

``python -m tests.integration.sscc_crash_child DB PRINT_FILE [--print-before-commit]`` loops:
allocate one SSCC of the test block in its own transaction (committed), then the "printer":
one ``write`` of the SSCC and a newline, appended to PRINT_FILE and fsynced. Every line it
prints is ``PRINTED <sscc>``. ``--print-before-commit`` prints inside the allocating
transaction, before COMMIT — the bug the test exists to catch, used as its negative control.
"""

from __future__ import annotations

import os
import sys
import time

from station.persistence.db import open_engine
from station.services.sscc import allocate_sscc, sscc_block
from tests.integration.test_services_setup import CTX

PREFIX = "34012345"
BLOCK = "1000-999999"


def _print(print_file: str, sscc: str) -> None:
    fd = os.open(print_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{sscc}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def allocate_until_killed(db_path: str, print_file: str, *, too_early: bool) -> None:
    engine = open_engine(db_path)
    block = sscc_block(PREFIX, BLOCK)
    os.write(1, b"READY\n")
    while True:
        with engine.begin() as conn:
            sscc = allocate_sscc(conn, CTX, block)
            if too_early:  # the forbidden order: printed before the allocation is committed
                _print(print_file, sscc)
                time.sleep(0.05)  # more work before COMMIT: the window of the bug
        if not too_early:
            _print(print_file, sscc)
        os.write(1, f"PRINTED {sscc}\n".encode())


if __name__ == "__main__":
    allocate_until_killed(sys.argv[1], sys.argv[2], too_early="--print-before-commit" in sys.argv)
