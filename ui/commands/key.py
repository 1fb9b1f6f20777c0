"""``station key``: the station's Ed25519 checkpoint key.

``station key export-public --db PATH --station CODE --out FILE`` writes the public key as PEM
for the ERP (which holds the trusted copy) and for ``station verify --public-key``. The key is
created on first use; the private key never leaves the key store.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from station.errors import StationError
from station.ledger.keys import KeyStore, key_id


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "key", help="manage the station's checkpoint signing key"
    )
    actions = parser.add_subparsers(dest="key_action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export-public",
        help="write the station's public key (PEM) for the ERP and for `station verify`",
    )
    export.add_argument(
        "--db",
        required=True,
        type=Path,
        metavar="PATH",
        help="station database (the key file fallback lives beside it)",
    )
    export.add_argument("--station", required=True, metavar="CODE", help="station code")
    export.add_argument("--out", required=True, type=Path, metavar="FILE", help="PEM file")
    export.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace) -> int:
    try:
        store = KeyStore(args.station, args.db.parent)
        store.export_public(args.out)
        public = store.public_key()
    except (OSError, ValueError, StationError) as exc:
        print(f"station key: {exc}", file=sys.stderr)
        return 2
    print(f"public key {key_id(public)} written to {args.out}")
    print(f"private key kept in {store.location}")
    if store.insecure:
        print(
            "WARNING: no secure OS keyring: the private key is in a file protected only by its "
            "permissions",
            file=sys.stderr,
        )
    return 0
