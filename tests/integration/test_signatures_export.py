"""Signatures in copies of the record (P11-B1, P11-S1): the offline JSON and the trace outputs."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
import sqlalchemy as sa

from drivers.reports.pdf import write_pdf
from station.events.ids import lgtin_uri
from station.persistence.store import Store
from station.signatures import (
    Meaning,
    RecordedSignature,
    document_record,
    event_record,
    export_signatures,
    sign_record,
    signatures_for,
    verify_exported_signatures,
)
from station.signatures.offline import FORMAT
from station.trace.api import trace
from station.trace.report import csv_text, trace_report
from tests.integration.signature_setup import (
    LISI,
    LISI_SECRET,
    MATERIAL,
    Proof,
    read,
    record,
    run,
    signer_role,
    store,
)

__all__ = ["signer_role", "store"]

TIME = "2026-12-07 14:03:12 +08:00"


def signed(store: Store, lot: str = "L1", meaning: Meaning = Meaning.RELEASED) -> str:
    event_id = record(store, lot)

    def work(conn: sa.Connection) -> RecordedSignature:
        return sign_record(
            conn, LISI, proof=Proof("lisi"), secret=LISI_SECRET, meaning=meaning,
            record=event_record(conn, event_id),
        )  # fmt: skip

    run(store, work)
    return event_id


def exported(store: Store) -> str:
    return json.dumps(read(store, export_signatures), ensure_ascii=False, indent=2)


@pytest.mark.req("P11-B1")
def test_the_exported_signatures_verify_offline(store: Store) -> None:
    signed(store, "L1")
    signed(store, "L2", Meaning.APPROVED)
    text = exported(store)
    document = json.loads(text)
    assert document["format"] == FORMAT
    assert len(document["signatures"]) == 2
    assert len(document["records"]) == 2
    assert document["signatures"][0]["manifestation"] == f"Li Si (lisi) — Released — {TIME}"
    assert verify_exported_signatures(text) == []


@pytest.mark.req("P11-B1")
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Li Si", "Li Su"),  # the printed name inside the signed payload
        ('\\"meaning\\":\\"released', '\\"meaning\\":\\"rejected'),  # the meaning
        ('"disposition": "conformant"', '"disposition": "conformanT"'),  # the event itself
    ],
)
def test_one_changed_byte_fails_offline_verification(store: Store, old: str, new: str) -> None:
    signed(store)
    text = exported(store)
    assert old in text
    problems = verify_exported_signatures(text.replace(old, new, 1))
    assert len(problems) == 1


def test_a_signature_whose_key_was_swapped_fails_offline(store: Store) -> None:
    signed(store)
    document = read(store, export_signatures)
    [key] = document["keys"].values()
    key["public_key"] = "00" + key["public_key"][2:]
    assert "does not match its key id" in verify_exported_signatures(document)[0]


def test_export_of_chosen_records_and_unreadable_documents(store: Store) -> None:
    first, _ = signed(store, "L1"), signed(store, "L2")
    document = read(store, lambda c: export_signatures(c, [first]))
    assert [s["record_id"] for s in document["signatures"]] == [first]
    assert verify_exported_signatures("{") != []
    assert verify_exported_signatures({"format": "other"}) == ["not a " + FORMAT + " document"]


def test_a_document_signed_by_its_hash_verifies_without_the_record(store: Store) -> None:
    report = document_record("recall_report", "RC-1", b"%PDF- recall report bytes")

    def work(conn: sa.Connection) -> RecordedSignature:
        return sign_record(
            conn, LISI, proof=Proof("lisi"), secret=LISI_SECRET, meaning=Meaning.APPROVED,
            record=report,
        )  # fmt: skip

    run(store, work)
    [check] = read(store, lambda c: signatures_for(c, "RC-1"))
    assert check.ok
    assert not check.record_checked
    assert verify_exported_signatures(read(store, export_signatures)) == []


@pytest.mark.req("P11-S1")
def test_the_trace_json_csv_and_pdf_show_each_signature(store: Store, tmp_path: Path) -> None:
    event_id = signed(store)
    result = read(store, lambda c: trace(c, LISI, lgtin_uri(MATERIAL, "L1")))
    [entry] = [e for e in result.timeline if e.event_id == event_id]
    [note] = result.as_json()["timeline"][0]["signatures"]
    assert note["printed_name"] == "Li Si"
    assert note["meaning"] == "released"
    assert note["signed_at"] == "2026-12-07T14:03:12.345+08:00"
    assert note["status"] == "valid"
    assert entry.signatures[0].manifestation == f"Li Si (lisi) — Released — {TIME}"

    report = trace_report(result, station="ST-01", generated_at=datetime(2026, 12, 8, tzinfo=UTC))
    rows = list(csv.reader(io.StringIO(csv_text(report))))
    cell = rows[-1][-1]
    assert cell == f"Li Si (lisi) — 已放行 / Released — {TIME} [有效 / valid]"

    pdf = tmp_path / "trace.pdf"
    write_pdf(report, pdf)
    document = pdfium.PdfDocument(str(pdf))
    try:
        text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()
    flat = "".join(text.split())
    for shown in ("LiSi(lisi)", "Released", "2026-12-0714:03:12+08:00", "valid"):
        assert shown in flat
