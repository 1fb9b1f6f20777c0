"""``station export-record`` / ``station verify-record`` on a real station file, and copies of a
signed label template version (P11-B1)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
import sqlalchemy as sa

from station.labels.governance import save_draft
from station.labels.stock import stock_template
from station.persistence.store import Store
from station.records import copy_sheet, record_copy, verify_record_copy
from station.signatures import Meaning, label_template_record, sign_record
from tests.integration.signature_setup import (
    LISI,
    LISI_SECRET,
    Proof,
    context,
    read,
    run,
    signer_role,
    store,
)
from tests.integration.test_record_copy import QA, _signed_inspection
from ui.cli import main

__all__ = ["signer_role", "store"]


def _audit(path: Path, action: str) -> list[dict[str, Any]]:
    with sqlite3.connect(path) as raw:
        raw.row_factory = sqlite3.Row
        query = "SELECT * FROM audit WHERE action = ? ORDER BY seq"
        return [dict(row) for row in raw.execute(query, (action,))]


@pytest.fixture
def closed(store: Store) -> tuple[Path, str]:
    """A station file with a signed inspection, closed as when no station program runs."""
    event_id = _signed_inspection(store)
    store.close()
    return store.path, event_id


def _export(db: Path, event_id: str, out: Path, *extra: str) -> int:
    argv = ["export-record", "--db", str(db), "--user", "qa1", "--station", "ST-01", *extra]
    return main([*argv, "--json", str(out / "copy.json"), "--pdf", str(out / "copy.pdf"), event_id])


@pytest.mark.req("P11-B1")
def test_export_record_writes_both_forms_audited_and_verify_record_accepts_the_json(
    closed: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, event_id = closed
    assert _export(db, event_id, tmp_path) == 0
    assert "2 signature(s), 6 audit entries written" in capsys.readouterr().out
    entries = [json.loads(e["new_value"]) for e in _audit(db, "export.record")]
    assert sorted(e["format"] for e in entries) == ["json", "pdf"]
    assert {(e["record_id"], e["signatures"], e["audit_entries"]) for e in entries} == {
        (event_id, 2, 6)
    }
    document = json.loads((tmp_path / "copy.json").read_text("utf-8"))
    assert document["exported_by"] == {"actor": "qa1", "name": "qa1"}
    pdf = pdfium.PdfDocument(str(tmp_path / "copy.pdf"))
    try:
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    assert "LiSi(lisi)—Released—2026-12-0714:03:12+08:00" in "".join(text.split())

    assert main(["verify-record", str(tmp_path / "copy.json")]) == 0
    assert "record copy intact: event" in capsys.readouterr().out


def test_verify_record_lists_problems_and_refuses_what_is_no_copy(
    closed: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, event_id = closed
    assert _export(db, event_id, tmp_path) == 0
    capsys.readouterr()
    copy_file = tmp_path / "copy.json"
    text = copy_file.read_text("utf-8")
    copy_file.write_text(text.replace('"printed_name": "Li Si"', '"printed_name": "Li Su"'))
    assert main(["verify-record", str(copy_file)]) == 1
    out = capsys.readouterr().out
    assert "RECORD COPY NOT INTACT: 1 problem(s)" in out
    assert "the shown printed_name ('Li Su') is not the signed 'Li Si'" in out

    copy_file.write_text("{ not json")
    assert main(["verify-record", str(copy_file)]) == 2
    assert main(["verify-record", str(tmp_path / "missing.json")]) == 2
    copy_file.write_text('{"format": "udi-station-signatures/1"}')
    assert main(["verify-record", str(copy_file)]) == 2
    assert "not a udi-station-record-copy/1 document" in capsys.readouterr().err


def test_export_record_checks_the_role_and_the_record(
    closed: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, event_id = closed
    assert _export(db, event_id, tmp_path, "--role", "operator") == 2
    assert "nothing exported" in capsys.readouterr().err
    [denied] = _audit(db, "access.denied")
    assert denied["entity_id"] == "report.export"
    assert not list(tmp_path.glob("copy.*"))

    assert _export(db, "urn:uuid:no-such-event", tmp_path) == 1
    assert "no event urn:uuid:no-such-event is stored here" in capsys.readouterr().err
    assert not list(tmp_path.glob("copy.*"))
    assert _audit(db, "export.record") == []

    assert main(["export-record", "--db", str(db), event_id]) == 2
    assert "give --json FILE, --pdf FILE or both" in capsys.readouterr().err


@pytest.mark.req("P11-B1")
def test_a_signed_label_template_version_is_copied_and_verifies(
    store: Store, tmp_path: Path
) -> None:
    author = context("wang", "Wang Wu", roles=frozenset({"admin"}))
    run(store, lambda conn: save_draft(conn, author, stock_template("udi-unit")))

    def approve(conn: sa.Connection) -> None:
        sign_record(
            conn, LISI, proof=Proof("lisi"), secret=LISI_SECRET, meaning=Meaning.APPROVED,
            record=label_template_record(conn, "udi-unit", 1),
        )  # fmt: skip

    run(store, approve)
    document = read(store, lambda c: record_copy(c, QA, "label_template", "udi-unit", version=1))
    assert document["record"]["hash"] == stock_template("udi-unit").sha256
    assert [s["manifestation"]["meaning"] for s in document["signatures"]] == ["approved"]
    actions = [entry["action"] for entry in document["audit"]]
    assert actions == ["signature.key_enrolled", "label.template.draft", "signature.signed"]
    assert verify_record_copy(document) == []
    sheet = copy_sheet(document)
    assert [section.key for section in sheet.sections] == ["fields", "signatures", "audit", "keys"]

    document["record"]["fields"]["body"] = document["record"]["fields"]["body"].replace("1", "2", 1)
    assert verify_record_copy(document) == [
        "record udi-unit: its body does not hash to its stored sha256: the body was changed"
    ]
