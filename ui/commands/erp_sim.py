"""``station erp-sim``: run the reference ERP endpoint (EPCIS 2.0 capture) on loopback.

Serves until interrupted (Ctrl-C or SIGTERM). Prints ``listening on URL`` on stdout once the
socket is bound, so a script started with ``--port 0`` can read the address. See
``docs/erp-sim.md``.

``station erp-sim enrol --db ERP.sqlite --station CODE --key-pem FILE`` enrols a station's
public key (from ``station key export-public``) as an ERP administrator would;
``station erp-sim keys --db ERP.sqlite [--json]`` lists the enrolments.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import signal
import sqlite3
import ssl
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from sync.erp_sim import EnrolmentError, ErpSim, FaultPlan, FaultSpecError, Limits
from sync.erp_sim.enrolment import EnrolledKey, enrol, enrolled_keys
from sync.erp_sim.enrolment import ensure_schema as ensure_enrolment_schema
from sync.erp_sim.master import MasterDataError
from sync.erp_sim.storage import Storage

_BEARER_ENV = "UDI_ERP_SIM_TOKEN"


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "erp-sim",
        help="run the reference ERP endpoint (EPCIS 2.0 capture) for development and tests",
        description="Serve the EPCIS 2.0 capture interface on loopback, storing events in its "
        "own SQLite file, optionally injecting faults (see docs/erp-sim.md). With ACTION "
        "'enrol' or 'keys': manage the stations' enrolled public keys instead.",
    )
    # --port and --db are checked in run(): an ACTION has its own options.
    parser.add_argument("--port", type=int, help="TCP port (0: any free port); required to serve")
    parser.add_argument("--db", type=Path, metavar="PATH", help="its SQLite file; required")
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
    parser.add_argument(
        "--require-enrolment",
        action="store_true",
        help="refuse (403) checkpoints not signed by the station's enrolled key",
    )
    parser.set_defaults(handler=run)
    _register_keys(parser)


def _register_keys(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="erp_sim_action", metavar="ACTION", required=False)
    enrol_parser = actions.add_parser(
        "enrol",
        help="enrol (or rotate) a station's public key at this ERP",
        description="Record CODE's Ed25519 public key (the PEM `station key export-public` "
        "writes) in the ERP's file; the newest enrolment of a station is its key.",
    )
    enrol_parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="ERP file")
    enrol_parser.add_argument("--station", required=True, metavar="CODE", help="station code")
    enrol_parser.add_argument(
        "--key-pem", type=Path, required=True, metavar="FILE", help="the station's public key"
    )
    enrol_parser.add_argument(
        "--by", metavar="NAME", help="who enrols it (default: the operating-system user)"
    )
    enrol_parser.set_defaults(handler=run_enrol)
    keys_parser = actions.add_parser("keys", help="list the enrolled station keys")
    keys_parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="ERP file")
    keys_parser.add_argument("--json", action="store_true", help="one JSON array")
    keys_parser.set_defaults(handler=run_keys)


def _open_keys(db: Path) -> Storage:
    storage = Storage(db)
    try:
        ensure_enrolment_schema(storage)
    except BaseException:
        storage.close()
        raise
    return storage


def run_enrol(args: argparse.Namespace) -> int:
    try:
        pem = args.key_pem.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        print(f"station erp-sim enrol: cannot read {args.key_pem}: {error}", file=sys.stderr)
        return 2
    try:
        storage = _open_keys(args.db)
    except (OSError, sqlite3.Error) as error:
        print(f"station erp-sim enrol: cannot open {args.db}: {error}", file=sys.stderr)
        return 1
    try:
        before = {key.station: key for key in enrolled_keys(storage) if key.current}
        enrolled = enrol(storage, args.station, pem, args.by or getpass.getuser())
    except EnrolmentError as error:
        print(f"station erp-sim enrol: {error}", file=sys.stderr)
        return 2
    finally:
        storage.close()
    print(_enrolled_message(enrolled, before.get(enrolled.station)))
    return 0


def _enrolled_message(enrolled: EnrolledKey, previous: EnrolledKey | None) -> str:
    if previous is not None and previous.seq == enrolled.seq:
        return f"station {enrolled.station}: key {enrolled.key_id} is already its enrolled key"
    replaced = "" if previous is None else f" (replaces {previous.key_id})"
    return (
        f"station {enrolled.station}: key {enrolled.key_id} enrolled by {enrolled.enrolled_by}"
        f" at {enrolled.enrolled_at}{replaced}"
    )


def run_keys(args: argparse.Namespace) -> int:
    if not args.db.exists():
        print(f"station erp-sim keys: no such file: {args.db}", file=sys.stderr)
        return 2
    try:
        storage = _open_keys(args.db)
    except (OSError, sqlite3.Error) as error:
        print(f"station erp-sim keys: cannot open {args.db}: {error}", file=sys.stderr)
        return 1
    try:
        keys = enrolled_keys(storage)
    finally:
        storage.close()
    if args.json:
        print(json.dumps([key.to_json() for key in keys], ensure_ascii=False))
        return 0
    for key in keys:
        state = "current" if key.current else "superseded"
        print(f"{key.station}\t{key.key_id}\t{key.enrolled_at}\t{key.enrolled_by}\t{state}")
    return 0


def _seed(path: Path) -> dict[str, Any] | str:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"cannot read {path}: {error}"
    if not isinstance(data, dict):
        return f"{path}: expected a JSON object {{entity: [rows]}}"
    return data


def run(args: argparse.Namespace) -> int:
    if args.port is None or args.db is None:
        print("station erp-sim: --port and --db are required to serve", file=sys.stderr)
        return 2
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
            require_enrolment=args.require_enrolment,
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
