"""The tamper-evident ledger: canonical JSON, the two hash chains, checkpoints, verification.

See docs/event-store.md ("Hash chains") for the design and compliance TAM-1…TAM-3.
"""

from station.ledger.canonical import canonical_json
from station.ledger.chain import (
    AUDIT_TAG,
    EVENT_TAG,
    GENESIS,
    ChainLink,
    LedgerError,
    append_audit,
    append_event,
    record_hash,
)
from station.ledger.checkpoint import CheckpointPolicy, make_checkpoint, should_checkpoint
from station.ledger.keys import KeyStore, key_id, load_public_key
from station.ledger.verify import Problem, ProblemKind, VerifyReport, verify_ledger, verify_tail

__all__ = [
    "AUDIT_TAG",
    "EVENT_TAG",
    "GENESIS",
    "ChainLink",
    "CheckpointPolicy",
    "KeyStore",
    "LedgerError",
    "Problem",
    "ProblemKind",
    "VerifyReport",
    "append_audit",
    "append_event",
    "canonical_json",
    "key_id",
    "load_public_key",
    "make_checkpoint",
    "record_hash",
    "should_checkpoint",
    "verify_ledger",
    "verify_tail",
]
