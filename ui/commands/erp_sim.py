"""``station erp-sim``: run the reference ERP endpoint (EPCIS 2.0 capture) on loopback.

Serves until interrupted (Ctrl-C or SIGTERM). Prints ``listening on URL`` on stdout once the
socket is bound, so a script started with ``--port 0`` can read the address. See
``docs/erp-sim.md``.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from sync.erp_sim import ErpSim, FaultPlan, FaultSpecError, Limits


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "erp-sim",
        help="run the reference ERP endpoint (EPCIS 2.0 capture) for development and tests",
        description="Serve the EPCIS 2.0 capture interface on loopback, storing events in its "
        "own SQLite file, optionally injecting faults (see docs/erp-sim.md).",
    )
    parser.add_argument("--port", type=int, required=True, help="TCP port (0: any free port)")
    parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="its SQLite file")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--faults", default="", metavar="SPEC", help="e.g. '500@every=5,429:2@p=0.1,seed=7'"
    )
    parser.add_argument(
        "--capture-limit", type=int, default=Limits.capture_limit, help="events per capture"
    )
    parser.add_argument(
        "--size-limit", type=int, default=Limits.file_size_limit, help="bytes per request"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        faults = FaultPlan.parse(args.faults)
    except FaultSpecError as error:
        print(f"station erp-sim: --faults: {error}", file=sys.stderr)
        return 2
    if args.capture_limit < 1 or args.size_limit < 1 or not 0 <= args.port <= 65535:
        print("station erp-sim: limits must be ≥ 1 and the port 0..65535", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    limits = Limits(capture_limit=args.capture_limit, file_size_limit=args.size_limit)
    try:
        erp = ErpSim(args.db, host=args.host, port=args.port, faults=faults, limits=limits)
    except OSError as error:
        print(f"station erp-sim: cannot serve: {error}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    erp.start()
    print(f"listening on {erp.url}", flush=True)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        erp.close()
    return 0
