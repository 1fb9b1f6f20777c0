"""Electronic signatures (21 CFR Part 11 §11.50, §11.70, §11.200): per-user Ed25519 keys sealed
by the user's secret, signatures bound to the hash of the exact record version, kept in an
append-only hash chain, verified locally and offline. See docs/signatures.md.

The UI signs with :func:`sign_record` and shows :func:`signatures_for` with
:func:`manifestation`; the auth module calls :func:`enroll_signing_key` whenever a secret is set.
"""

from __future__ import annotations

from station.signatures.chain import RecordedSignature
from station.signatures.content import SignedContent
from station.signatures.errors import (
    FourEyesRefused,
    NoSigningKeyError,
    ProofError,
    RecordNotSignable,
    SignatureError,
    WrongSecretError,
)
from station.signatures.keys import SigningKeyInfo, current_key, enroll_signing_key, keys_of
from station.signatures.manifest import manifestation, meaning_word, signed_time_text
from station.signatures.meaning import Meaning
from station.signatures.offline import export_signatures, verify_exported_signatures
from station.signatures.records import (
    SignableRecord,
    document_record,
    event_record,
    label_template_record,
)
from station.signatures.sign import SignatureProof, permission_for, sign_record
from station.signatures.verify import (
    SignatureCheck,
    SignatureStatus,
    signatures_for,
    verify_all_signatures,
    verify_signature,
)

__all__ = [
    "FourEyesRefused",
    "Meaning",
    "NoSigningKeyError",
    "ProofError",
    "RecordNotSignable",
    "RecordedSignature",
    "SignableRecord",
    "SignatureCheck",
    "SignatureError",
    "SignatureProof",
    "SignatureStatus",
    "SignedContent",
    "SigningKeyInfo",
    "WrongSecretError",
    "current_key",
    "document_record",
    "enroll_signing_key",
    "event_record",
    "export_signatures",
    "keys_of",
    "label_template_record",
    "manifestation",
    "meaning_word",
    "permission_for",
    "sign_record",
    "signatures_for",
    "signed_time_text",
    "verify_all_signatures",
    "verify_exported_signatures",
    "verify_signature",
]
