"""Complete copies of a record (P11-B1): one structure as JSON and PDF, verified offline.

A real station file: Wang Wu records an inspection (typed by hand: ``scan.manual``), tries to
approve it himself (refused, audited), Li Si releases it and 赵六 reviews it. The copy must hold
every field, every audit entry about the event and every signature, in the JSON and in the
PDF's text; the JSON verifies with no database, and any changed byte is named.
"""

from __future__ import annotations

import ast
import copy as deep
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
import sqlalchemy as sa

from drivers.reports.fonts import cjk_font
from drivers.reports.record_pdf import write_copy_pdf
from station.access import NotPermittedError
from station.floor.entry import record_manual_entry
from station.ledger.chain import AUDIT_TAG, EVENT_TAG
from station.persistence.store import Store
from station.records import (
    FORMAT,
    RecordNotFoundError,
    copy_sheet,
    load_record_copy,
    record_copy,
    verify_record_copy,
)
from station.records import verify as standalone
from station.records.sheet import flat_json
from station.services.errors import audit_refusal
from station.signatures import (
    FourEyesRefused,
    Meaning,
    enroll_signing_key,
    event_record,
    sign_record,
)
from station.signatures.chain import SIGNATURE_TAG
from station.signatures.content import MESSAGE_TAG
from tests.integration.signature_setup import (
    ADMIN,
    LISI,
    LISI_SECRET,
    WANG,
    WANG_SECRET,
    Proof,
    context,
    read,
    record,
    run,
    signer_role,
    store,
)

__all__ = ["signer_role", "store"]

ZHAO = context("zhaoliu", "赵六")
ZHAO_SECRET = "Zhao-Liu-Passwort-8812"
QA = context("qa1", "Qiao An", roles=frozenset({"qa"}))


def _sign(store: Store, ctx: Any, secret: str, meaning: Meaning, event_id: str) -> None:
    def work(conn: sa.Connection) -> None:
        sign_record(
            conn, ctx, proof=Proof(ctx.actor), secret=secret, meaning=meaning,
            record=event_record(conn, event_id),
        )  # fmt: skip

    run(store, work)


def _refused_self_approval(store: Store, event_id: str) -> None:
    with pytest.raises(FourEyesRefused) as refused:
        _sign(store, WANG, WANG_SECRET, Meaning.APPROVED, event_id)
    run(store, lambda conn: audit_refusal(conn, WANG, refused.value))


def _signed_inspection(store: Store) -> str:
    def zhao_and_manual(conn: sa.Connection) -> None:
        conn.execute(
            sa.text(
                "INSERT INTO station_user (username, name, roles, badge, active) "
                "VALUES ('zhaoliu', '赵六', 'qa', 'B-3', 1)"
            )
        )
        enroll_signing_key(conn, ADMIN, username="zhaoliu", secret=ZHAO_SECRET)

    run(store, zhao_and_manual)
    event_id = record(store, "L1")
    run(
        store,
        lambda conn: record_manual_entry(
            conn, WANG, event_id=event_id, codes=["(01)04012345000016(10)L1"], screen="qc"
        ),
    )
    record(store, "L2")  # another record: nothing of it belongs in the copy
    _refused_self_approval(store, event_id)
    _sign(store, LISI, LISI_SECRET, Meaning.RELEASED, event_id)
    _sign(store, ZHAO, ZHAO_SECRET, Meaning.REVIEWED, event_id)
    return event_id


@pytest.fixture
def signed(store: Store) -> str:
    return _signed_inspection(store)


@pytest.fixture
def document(store: Store, signed: str) -> dict[str, Any]:
    return read(store, lambda conn: record_copy(conn, QA, "event", signed))


def _rows(store: Store, query: str, *params: object) -> list[dict[str, Any]]:
    with sqlite3.connect(store.path) as raw:
        raw.row_factory = sqlite3.Row
        return [dict(row) for row in raw.execute(query, params)]


def _pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def pdf_text(document: dict[str, Any], tmp_path: Path) -> str:
    path = tmp_path / "copy.pdf"
    write_copy_pdf(copy_sheet(document), path)
    return _flat(_pdf_text(path))


# --------------------------------------------------------------------------- what the copy holds


@pytest.mark.req("P11-B1")
def test_the_json_holds_every_stored_field_of_the_event(store, signed, document):
    [row] = _rows(store, "SELECT * FROM event WHERE event_id = ?", signed)
    record_part = document["record"]
    assert record_part["prev_hash"] == row.pop("prev_hash")
    row.pop("hash")
    row["raw_scan"] = row["raw_scan"].hex()
    assert record_part["fields"] == row
    assert record_part["version"] == row["seq"]
    assert document["format"] == FORMAT
    assert document["exported_at"] == "2026-12-07T14:03:12.345+08:00"
    assert document["exported_by"] == {"actor": "qa1", "name": "Qiao An"}
    assert document["app_version"]


@pytest.mark.req("P11-B1")
def test_the_json_holds_every_audit_entry_about_the_record_and_no_other(store, signed, document):
    about = _rows(store, "SELECT * FROM audit WHERE entity_id = ? ORDER BY seq", signed)
    keys = {s["row"]["key_id"] for s in document["signatures"]}
    enrolments = _rows(
        store, "SELECT * FROM audit WHERE action = 'signature.key_enrolled' ORDER BY seq"
    )
    expected = sorted([*about, *(e for e in enrolments if e["entity_id"] in keys)], key=seq_of)
    assert document["audit"] == expected
    actions = [entry["action"] for entry in document["audit"]]
    assert actions.count("signature.signed") == 2
    assert actions.count("signature.key_enrolled") == 2  # Li Si's and 赵六's, not Wang Wu's
    assert {"scan.manual", "service.refused"} <= set(actions)


def seq_of(entry: dict[str, Any]) -> int:
    return int(entry["seq"])


@pytest.mark.req("P11-B1")
def test_the_json_holds_every_signature_with_its_manifestation(store, signed, document):
    stored = _rows(store, "SELECT * FROM signature WHERE record_id = ? ORDER BY seq", signed)
    assert [s["row"] for s in document["signatures"]] == stored
    shown = [s["manifestation"] for s in document["signatures"]]
    assert shown == [
        {
            "printed_name": "Li Si",
            "signer_id": "lisi",
            "meaning": "released",
            "signed_at": "2026-12-07T14:03:12.345+08:00",
            "tz_name": "Asia/Shanghai",
        },
        {
            "printed_name": "赵六",
            "signer_id": "zhaoliu",
            "meaning": "reviewed",
            "signed_at": "2026-12-07T14:03:12.345+08:00",
            "tz_name": "Asia/Shanghai",
        },
    ]
    assert [s["status"] for s in document["signatures"]] == ["valid", "valid"]
    assert set(document["keys"]) == {s["row"]["key_id"] for s in document["signatures"]}


@pytest.mark.req("P11-B1")
def test_the_pdf_shows_every_field_audit_entry_and_signature(document, pdf_text):
    record_part = document["record"]
    fields = {k: v for k, v in record_part["fields"].items() if k != "payload"}
    for name, value in fields.items():
        shown = "—" if value is None else str(value)
        assert _flat(f"{name}{shown}") in pdf_text, name
    for path, value in flat_json(json.loads(record_part["fields"]["payload"])):
        assert _flat(f"{path}{value}") in pdf_text, path
    for entry in document["audit"]:
        assert _flat(entry["action"]) in pdf_text
        for column in ("hash", "new_value", "reason", "at"):
            if entry[column] is not None:
                assert _flat(entry[column]) in pdf_text, (entry["seq"], column)
    for signature in document["signatures"]:
        shown = signature["manifestation"]
        assert _flat(shown["signed_at"]) in pdf_text
        for text in (shown["printed_name"], signature["row"]["hash"], signature["row"]["key_id"]):
            assert _flat(text) in pdf_text
    assert _flat("Li Si (lisi) — Released — 2026-12-07 14:03:12 +08:00") in pdf_text
    assert _flat("赵六 (zhaoliu) — Reviewed — 2026-12-07 14:03:12 +08:00") in pdf_text
    assert _flat("已放行 / Released") in pdf_text
    assert _flat("已审核 / Reviewed") in pdf_text
    assert record_part["hash"] in pdf_text


@pytest.mark.req("P11-B1")
def test_a_chinese_printed_name_renders_in_the_pdf(document, tmp_path):
    font = cjk_font()
    if not font.embedded:
        pytest.skip("no embeddable CJK font here: the CID fallback leaves glyphs to the viewer")
    path = tmp_path / "copy.pdf"
    write_copy_pdf(copy_sheet(document), path)
    assert "赵六" in _pdf_text(path)
    assert b"/FontFile2" in path.read_bytes()  # the glyphs travel with the file


# --------------------------------------------------------------------------- offline verification


@pytest.mark.req("P11-B1")
def test_the_json_verifies_offline(document):
    text = json.dumps(document, ensure_ascii=False, indent=2)
    assert verify_record_copy(text) == []
    assert verify_record_copy(text.encode()) == []


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path


def _flipped(value: Any) -> Any:
    """One changed byte: the last character, or an integer one higher."""
    if isinstance(value, bool) or value is None:
        return "x"
    if isinstance(value, int):
        return value + 1
    text = str(value)
    return text[:-1] + ("0" if text[-1:] != "0" else "1")


#: What a copy states about the export, not about the record: no signature covers it.
_UNCOVERED = {
    ("exported_at",),
    ("exported_by", "actor"),
    ("exported_by", "name"),
    ("station",),
    ("app_version",),
    ("record", "declared_in_error_by"),
}


def _covered(path: tuple[Any, ...]) -> bool:
    return path not in _UNCOVERED and path[-1] not in ("status", "status_detail")


@pytest.mark.req("P11-B1")
def test_one_changed_value_anywhere_in_the_record_its_audit_or_signatures_is_found(document):
    paths = [path for path in _leaves(document) if _covered(path)]
    assert len(paths) > 60
    missed = []
    for path in paths:
        changed = deep.deepcopy(document)
        holder = changed
        for part in path[:-1]:
            holder = holder[part]
        holder[path[-1]] = _flipped(holder[path[-1]])
        if not verify_record_copy(changed):
            missed.append(path)
    assert missed == []


def _problems_after(document: dict[str, Any], old: str, new: str) -> list[str]:
    text = json.dumps(document, ensure_ascii=False, indent=2)
    assert old in text
    return verify_record_copy(text.replace(old, new, 1))


@pytest.mark.req("P11-B1")
def test_the_verifier_names_what_was_changed(document, signed):
    problems = _problems_after(
        document, '"disposition": "conformant"', '"disposition": "conformanT"'
    )
    assert problems == [
        f"record {signed}: its fields do not hash to the record hash: a field was changed"
    ]

    manual = next(e for e in document["audit"] if e["action"] == "scan.manual")
    problems = _problems_after(document, manual["reason"], manual["reason"] + ".")
    assert problems == [
        f"audit entry seq {manual['seq']} (scan.manual): its content does not hash to its audit-chain hash: the entry was changed"  # noqa: E501
    ]

    lisi = document["signatures"][0]["row"]["seq"]
    changed = deep.deepcopy(document)
    changed["signatures"][0]["manifestation"]["meaning"] = "rejected"
    assert verify_record_copy(changed) == [
        f"signature seq {lisi}: the shown meaning ('rejected') is not the signed 'released'"
    ]
    for old, new in (
        ('"meaning": "released"', '"meaning": "rejected"'),  # the row's query column
        ('\\"meaning\\":\\"released', '\\"meaning\\":\\"rejected'),  # the signed payload
    ):
        assert _problems_after(document, old, new) == [
            f"signature seq {lisi}: its row does not hash to its signature-chain hash: the row was changed"  # noqa: E501
        ]


@pytest.mark.req("P11-B1")
def test_a_rechained_signature_with_a_new_meaning_still_fails(document):
    """A forger who recomputes the row's chain hash still cannot make the Ed25519 signature."""
    changed = deep.deepcopy(document)
    row = changed["signatures"][0]["row"]
    row["payload"] = row["payload"].replace('"meaning":"released"', '"meaning":"rejected"')
    row["meaning"] = changed["signatures"][0]["manifestation"]["meaning"] = "rejected"
    row["hash"] = standalone.chain_hash(SIGNATURE_TAG, row)
    problems = verify_record_copy(changed)
    assert any("the signature does not verify" in p for p in problems)


def test_a_key_without_its_enrolment_entry_is_not_vouched_for(document):
    changed = deep.deepcopy(document)
    changed["audit"] = [e for e in changed["audit"] if e["action"] != "signature.key_enrolled"]
    problems = verify_record_copy(changed)
    assert len(problems) == 2
    assert all("no signature.key_enrolled audit entry in the copy vouches" in p for p in problems)


def test_unreadable_copies_are_refused_as_input():
    assert verify_record_copy("{") != []
    with pytest.raises(ValueError, match="not a udi-station-record-copy/1"):
        load_record_copy('{"format": "udi-station-signatures/1"}')
    with pytest.raises(ValueError, match="no audit section"):
        load_record_copy({"format": FORMAT, "record": {}, "signatures": [], "keys": {}})


def test_the_verifier_needs_only_the_standard_library_cryptography_and_canonical_json():
    tree = ast.parse(Path(standalone.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    outside = {name for name in imported if name.split(".")[0] not in _STDLIB}
    assert outside <= {
        "cryptography.exceptions",
        "cryptography.hazmat.primitives.asymmetric.ed25519",
        "station.ledger.canonical",
    }
    assert (standalone.EVENT_TAG, standalone.AUDIT_TAG) == (EVENT_TAG, AUDIT_TAG)
    assert (standalone.SIGNATURE_TAG, standalone.MESSAGE_TAG) == (SIGNATURE_TAG, MESSAGE_TAG)


_STDLIB = {"__future__", "hashlib", "json", "collections", "typing"}


# --------------------------------------------------------------------------- access and kinds


def test_the_copy_needs_report_export_and_audit_view(store, signed):
    operator = context("wang", "Wang Wu", roles=frozenset({"operator"}))
    with pytest.raises(NotPermittedError):
        read(store, lambda conn: record_copy(conn, operator, "event", signed))
    with pytest.raises(RecordNotFoundError):
        read(store, lambda conn: record_copy(conn, QA, "event", "urn:uuid:nothing"))
    with pytest.raises(RecordNotFoundError):
        read(store, lambda conn: record_copy(conn, QA, "recall_report", "RC-1"))
