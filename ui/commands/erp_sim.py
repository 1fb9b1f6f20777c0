"""``station erp-sim``: run the reference ERP endpoint (EPCIS 2.0 capture) on loopback.

Serves until interrupted (Ctrl-C or SIGTERM). Prints ``listening on URL`` on stdout once the
socket is bound, so a script started with ``--port 0`` can read the address. See
``docs/erp-sim.md``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import ssl
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from sync.erp_sim import ErpSim, FaultPlan, FaultSpecError, Limits
from sync.erp_sim.master import MasterDataError

_BEARER_ENV = "UDI_ERP_SIM_TOKEN"


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
    parser.add_argument(
        "--refuse",
        metavar="TEXT",
        help="a business rule for tests: refuse every event whose JSON contains TEXT",
    )
    parser.add_argument(
        "--master",
        type=Path,
        metavar="FILE.json",
        help="seed master data from {entity: [rows]} (rows already held unchanged are skipped)",
    )
    parser.add_argument(
        "--token",
        default=None,
        metavar="T",
        help=f"require 'Authorization: Bearer T' (default: ${_BEARER_ENV} if set)",
    )
    parser.add_argument("--tls-cert", type=Path, metavar="PEM", help="serve HTTPS: certificate")
    parser.add_argument("--tls-key", type=Path, metavar="PEM", help="serve HTTPS: private key")
    parser.add_argument(
        "--clock-offset",
        type=float,
        default=0.0,
        metavar="S",
        help="shift the Date response header by S seconds",
    )
    parser.add_argument(
        "--job-polls",
        type=int,
        default=0,
        metavar="N",
        help="a capture job reads as running for its first N polls",
    )
    parser.set_defaults(handler=run)


def _seed(path: Path) -> dict[str, Any] | str:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"cannot read {path}: {error}"
    if not isinstance(data, dict):
        return f"{path}: expected a JSON object {{entity: [rows]}}"
    return data


def run(args: argparse.Namespace) -> int:
    try:
        faults = FaultPlan.parse(args.faults)
    except FaultSpecError as error:
        print(f"station erp-sim: --faults: {error}", file=sys.stderr)
        return 2
    if args.capture_limit < 1 or args.size_limit < 1 or not 0 <= args.port <= 65535:
        print("station erp-sim: limits must be ≥ 1 and the port 0..65535", file=sys.stderr)
        return 2
    if args.job_polls < 0 or args.clock_offset != args.clock_offset:
        print("station erp-sim: --job-polls must be ≥ 0, --clock-offset a number", file=sys.stderr)
        return 2
    if (args.tls_cert is None) != (args.tls_key is None):
        print("station erp-sim: --tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    token = args.token if args.token is not None else os.environ.get(_BEARER_ENV) or None
    if token is not None and not token:
        print("station erp-sim: the token must not be empty", file=sys.stderr)
        return 2
    seed = None if args.master is None else _seed(args.master)
    if isinstance(seed, str):
        print(f"station erp-sim: --master: {seed}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    limits = Limits(
        capture_limit=args.capture_limit,
        file_size_limit=args.size_limit,
        refuse_containing=args.refuse or None,
    )
    try:
        erp = ErpSim(
            args.db,
            host=args.host,
            port=args.port,
            faults=faults,
            limits=limits,
            token=token,
            tls=None if args.tls_cert is None else (args.tls_cert, args.tls_key),
            clock_offset_s=args.clock_offset,
            job_polls=args.job_polls,
        )
    except (OSError, ssl.SSLError) as error:
        print(f"station erp-sim: cannot serve: {error}", file=sys.stderr)
        return 1
    if seed is not None:
        try:
            changes = erp.master.seed(seed)
        except MasterDataError as error:
            erp.close()
            print(f"station erp-sim: --master: {error}", file=sys.stderr)
            return 2
        logging.getLogger("sync.erp_sim").info("master data seeded: %d changes", changes)
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
