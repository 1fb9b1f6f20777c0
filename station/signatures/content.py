"""The signed manifestation (P11-S2, P11-S3): what a signature says, as one canonical JSON text.

The printed name is copied in at signing and never looked up again, so renaming a user later
changes nothing that was signed. The Ed25519 signature covers ``MESSAGE_TAG ‖ payload``; the
tag keeps a signature from being replayed as any other station message.

>>> c = SignedContent("lisi", "Li Si", "released", "2026-12-07T14:03:12.000+08:00",
...     "Asia/Shanghai", "event", "urn:uuid:1", 7, "ab" * 32, "cd" * 32, "ST-01", ("pin",))
>>> SignedContent.from_json(c.to_json()) == c
True
>>> c.to_json()[:41]
'{"credentials":["pin"],"key_id":"cdcdcdcd'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from station.ledger.canonical import canonical_json

__all__ = ["MESSAGE_TAG", "SignedContent", "signed_message"]

MESSAGE_TAG = b"station-signature-v1\0"


def signed_message(payload: str) -> bytes:
    """The exact bytes an Ed25519 signing key signs: the tag, then the payload's UTF-8."""
    return MESSAGE_TAG + payload.encode("utf-8")


@dataclass(frozen=True, slots=True)
class SignedContent:
    """The payload of one signature, field for field."""

    signer_id: str  # the user name
    printed_name: str  # as it was at signing
    meaning: str  # reviewed | approved | released | rejected
    signed_at: str  # ISO 8601, local time with its UTC offset, milliseconds
    tz_name: str | None  # IANA zone when the station knows it, e.g. Asia/Shanghai
    record_kind: str
    record_id: str
    record_version: int
    record_hash: str
    key_id: str
    station: str
    credentials: tuple[str, ...]  # components re-entered for this signature (P11-U2)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["credentials"] = list(self.credentials)
        return data

    def to_json(self) -> str:
        """Canonical JSON (RFC 8785): the text that is signed and stored."""
        return canonical_json(self.as_json())

    @classmethod
    def from_json(cls, text: str) -> SignedContent:
        """Parse a stored payload; ``ValueError`` unless it has exactly the expected fields."""
        data = json.loads(text)
        if not isinstance(data, Mapping):
            raise ValueError("the payload is not a JSON object")
        names = [f.name for f in fields(cls)]
        if sorted(data) != sorted(names):
            raise ValueError(f"the payload has fields {sorted(data)}, expected {sorted(names)}")
        credentials = data["credentials"]
        if not isinstance(credentials, list) or not all(isinstance(c, str) for c in credentials):
            raise ValueError("credentials must be a list of strings")
        version = data["record_version"]
        if not isinstance(version, int) or isinstance(version, bool):
            raise ValueError("record_version must be an integer")
        for name in names:
            value = data[name]
            if name not in ("credentials", "record_version", "tz_name") and not isinstance(
                value, str
            ):
                raise ValueError(f"{name} must be a string")
        if data["tz_name"] is not None and not isinstance(data["tz_name"], str):
            raise ValueError("tz_name must be a string or null")
        return cls(**{**data, "credentials": tuple(credentials)})
