"""A write session for command-line tools: open the store safely, sign the heads at the end.

Every command that writes goes through here, so none can leave records after the last signed
checkpoint (a truncated tail would then be undetectable, TAM-3).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from station.ledger.checkpointer import Checkpointer
from station.ledger.keys import KeyStore
from station.ledger.verify import tail_verifier
from station.persistence.store import Store, open_store

TAIL_RECORDS = 1000  # records of each chain verified before the database is opened for writing


@contextmanager
def write_session(db: Path, station: str) -> Iterator[Store]:
    """Yield an open store; on the way out sign whatever changed, then close it."""
    keys = KeyStore(station, db.parent)  # the same key store `station checkpoint` uses
    store = open_store(db, verify_tails=tail_verifier(TAIL_RECORDS, None))
    try:
        yield store
    finally:
        try:
            Checkpointer(store.writer, keys, station).final()
            if keys.insecure:
                print(f"warning: the station key is kept in {keys.location}", file=sys.stderr)
        finally:
            store.close()
