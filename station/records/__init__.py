"""Complete copies of records (21 CFR 11.10(b), P11-B1): one structure, as JSON and as PDF.

:func:`record_copy` gathers a record with its signatures, keys and audit entries;
:func:`copy_sheet` turns that same structure into the text a PDF lays out
(``drivers.reports.record_pdf``); :func:`verify_record_copy` checks a JSON copy with no
database (standard library, ``cryptography`` and the canonical JSON only). See
docs/signatures.md, "Complete copies".
"""

from __future__ import annotations

from station.records.copy import KINDS, RecordNotFoundError, record_copy
from station.records.sheet import CopySheet, Section, copy_sheet
from station.records.verify import FORMAT, load_record_copy, verify_record_copy

__all__ = [
    "FORMAT",
    "KINDS",
    "CopySheet",
    "RecordNotFoundError",
    "Section",
    "copy_sheet",
    "load_record_copy",
    "record_copy",
    "verify_record_copy",
]
