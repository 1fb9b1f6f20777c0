"""The ``signature`` table as a hash chain, and one stored signature as a value.

The chain is the ledger's (``station.ledger.chain``) with its own tag: ``seq`` gapless from 1,
``hash = SHA-256(tag ‖ canonical_json(columns) ‖ prev_hash)``, so a deleted, inserted or edited
row breaks it. ``station verify`` walks it next to the event and audit chains.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from station.ledger.chain import Chain
from station.persistence import tables
from station.signatures.content import SignedContent

__all__ = ["SIGNATURE_CHAIN", "SIGNATURE_TAG", "RecordedSignature"]

SIGNATURE_TAG = b"station-signature-chain-v1\0"
SIGNATURE_CHAIN = Chain(
    "signature",
    tables.Signature.__table__,  # type: ignore[attr-defined]
    SIGNATURE_TAG,
    ("record_id", "meaning"),
)


@dataclass(frozen=True, slots=True)
class RecordedSignature:
    """One stored signature row. The columns beside ``payload`` are copies for queries."""

    seq: int
    record_kind: str
    record_id: str
    signer: str
    meaning: str
    signed_at: str
    key_id: str
    payload: str
    signature: str  # Ed25519, hex
    prev_hash: str
    hash: str

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> RecordedSignature:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})

    def content(self) -> SignedContent:
        """The signed payload; ``ValueError`` if it is not a well-formed one."""
        return SignedContent.from_json(self.payload)
