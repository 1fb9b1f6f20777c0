"""Notes and a photo recorded inside the inspection event (st:inspection), the photo's bytes
kept in the append-only ``attachment`` table; a signature of the event covers both."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import struct
import zlib
from typing import Any

import pytest
import sqlalchemy as sa

from station.events.ids import lgtin_uri
from station.persistence.store import Store
from station.services.attachments import (
    MAX_ATTACHMENT_BYTES,
    Attachment,
    AttachmentChangedError,
    read_attachment,
    store_attachment,
)
from station.services.errors import Refused
from station.services.inspection import (
    MAX_NOTES,
    CheckpointResult,
    Verdict,
    checked_notes,
    record_inspection,
)
from station.services.receiving import receive
from station.signatures import Meaning, SignatureStatus, event_record, sign_record, signatures_for
from tests.integration.signature_setup import (
    LISI,
    LISI_SECRET,
    Proof,
    read,
    run,
    signer_role,
    store,
)
from tests.integration.test_services_setup import CTX, MATERIAL, gs1, load_master_data

__all__ = ["signer_role", "store"]

LOT = lgtin_uri(MATERIAL, "L1")
GOOD = (
    CheckpointResult("Diameter", 5.02),
    CheckpointResult("Visual", True),
    CheckpointResult("Remarks", "clean"),
)
TABLES = ("event", "audit", "attachment")


def png(width: int = 2, height: int = 2) -> bytes:
    """A small valid greyscale PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PHOTO = png()
PHOTO_SHA = hashlib.sha256(PHOTO).hexdigest()


@pytest.fixture
def bench(store: Store) -> Store:
    load_master_data(store.engine)
    code = gs1(MATERIAL, lot="L1")
    run(store, lambda c: receive(c, CTX, po_number="PO-1", line_no=1, code=code, quantity=50))
    return store


def inspect(conn: sa.Connection, photo: bytes | None = PHOTO, **kwargs: Any) -> str:
    attachments: tuple[Attachment, ...] = ()
    if photo is not None:
        media_type = kwargs.pop("media_type", "image/png")
        attachments = (store_attachment(conn, CTX, photo, media_type=media_type),)
    recorded = record_inspection(
        conn, CTX, uris=[LOT], plan_code="IQC", plan_version=1, results=GOOD,
        verdict=Verdict.PASS, notes=kwargs.pop("notes", "Looks fine\n\tedge ok"),
        attachments=kwargs.pop("attachments", attachments),
    )  # fmt: skip
    return recorded.event_id


def counts(store: Store) -> dict[str, int]:
    def work(conn: sa.Connection) -> dict[str, int]:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}

    return read(store, work)


def refused(store: Store, **kwargs: Any) -> Refused:
    before = counts(store)
    with pytest.raises(Refused) as caught:
        run(store, lambda c: inspect(c, **kwargs))
    assert counts(store) == before
    return caught.value


def payload(store: Store, event_id: str) -> dict[str, Any]:
    query = sa.text("SELECT payload FROM event WHERE event_id = :id")
    data: dict[str, Any] = json.loads(
        read(store, lambda c: c.execute(query, {"id": event_id}).scalar_one())
    )
    return data


def sign(store: Store, event_id: str) -> None:
    run(
        store,
        lambda c: sign_record(
            c, LISI, proof=Proof("lisi"), secret=LISI_SECRET, meaning=Meaning.REVIEWED,
            record=event_record(c, event_id),
        ),
    )  # fmt: skip


def status(store: Store, event_id: str) -> SignatureStatus:
    [check] = read(store, lambda c: signatures_for(c, event_id))
    return check.status


def raw_update(store: Store, trigger: str, statement: str, params: tuple[object, ...]) -> None:
    with sqlite3.connect(store.path) as raw:
        raw.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        raw.execute(statement, params)


def test_notes_and_photo_are_in_the_event_and_the_bytes_are_kept(bench: Store) -> None:
    event_id = run(bench, inspect)
    inspection = payload(bench, event_id)["st:inspection"]
    assert inspection["notes"] == "Looks fine\n\tedge ok"
    assert inspection["attachments"] == [
        {"mediaType": "image/png", "sha256": PHOTO_SHA, "size": len(PHOTO)}
    ]
    stored = read(bench, lambda c: read_attachment(c, PHOTO_SHA))
    assert stored is not None
    assert stored.data == PHOTO
    assert stored.attachment == Attachment("image/png", PHOTO_SHA, len(PHOTO))
    audit = "SELECT count(*) FROM audit WHERE action = 'inspection.attachments'"
    assert read(bench, lambda c: c.execute(sa.text(audit)).scalar_one()) == 0


def test_storing_the_same_photo_twice_keeps_one_row(bench: Store) -> None:
    def twice(conn: sa.Connection) -> tuple[Attachment, Attachment]:
        return (
            store_attachment(conn, CTX, PHOTO, media_type="image/png"),
            store_attachment(conn, CTX, PHOTO, media_type="image/png", sha256=PHOTO_SHA),
        )

    first, second = run(bench, twice)
    assert first == second
    assert counts(bench)["attachment"] == 1


def test_the_attachment_table_is_append_only(bench: Store) -> None:
    run(bench, inspect)
    for statement in ("UPDATE attachment SET size = 1", "DELETE FROM attachment"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            run(bench, lambda c, s=statement: c.execute(sa.text(s)))  # type: ignore[misc]


def test_a_signature_covers_the_notes_and_the_photo(bench: Store) -> None:
    event_id = run(bench, inspect)
    sign(bench, event_id)
    assert status(bench, event_id) is SignatureStatus.VALID
    changed = json.dumps(payload(bench, event_id)).replace("Looks fine", "Looks poor")
    # The notes edited in the stored event: the signed record no longer matches.
    raw_update(
        bench, "event_no_update", "UPDATE event SET payload = ? WHERE event_id = ?",
        (changed, event_id),
    )  # fmt: skip
    assert status(bench, event_id) is SignatureStatus.RECORD_CHANGED


def test_a_changed_photo_row_is_caught_on_read(bench: Store) -> None:
    event_id = run(bench, inspect)
    sign(bench, event_id)
    other = png(3, 3)
    raw_update(
        bench, "attachment_no_update", "UPDATE attachment SET bytes = ? WHERE sha256 = ?",
        (other, PHOTO_SHA),
    )  # fmt: skip
    with pytest.raises(AttachmentChangedError):
        read(bench, lambda c: read_attachment(c, PHOTO_SHA))
    # The event still names the photo the inspector took, and the signature still holds.
    assert payload(bench, event_id)["st:inspection"]["attachments"][0]["sha256"] == PHOTO_SHA
    assert status(bench, event_id) is SignatureStatus.VALID


def test_a_photo_of_another_media_type_is_refused(bench: Store) -> None:
    assert refused(bench, media_type="image/gif").reason == "bad_attachment"


def test_bytes_that_are_not_the_media_type_are_refused(bench: Store) -> None:
    assert refused(bench, photo=b"frame-bytes").reason == "bad_attachment"
    assert refused(bench, photo=PHOTO, media_type="image/jpeg").reason == "bad_attachment"


def test_an_oversize_photo_is_refused(bench: Store) -> None:
    big = PHOTO + b"\x00" * (MAX_ATTACHMENT_BYTES - len(PHOTO) + 1)
    assert refused(bench, photo=big).reason == "bad_attachment"


def test_a_wrong_hash_is_refused(bench: Store) -> None:
    def work(conn: sa.Connection) -> Attachment:
        return store_attachment(conn, CTX, PHOTO, media_type="image/png", sha256="0" * 64)

    before = counts(bench)
    with pytest.raises(Refused, match="SHA-256"):
        run(bench, work)
    assert counts(bench) == before


def test_an_attachment_not_stored_is_refused(bench: Store) -> None:
    ghost = Attachment("image/png", "a" * 64, 10)
    assert refused(bench, photo=None, attachments=(ghost,)).reason == "unknown_attachment"
    wrong = Attachment("image/jpeg", PHOTO_SHA, len(PHOTO))
    # The photo is stored, but the event would describe it wrongly.
    assert refused(bench, attachments=(wrong,)).reason == "unknown_attachment"


@pytest.mark.parametrize(
    "notes",
    ["x" * (MAX_NOTES + 1), "bell\x07", "carriage\rreturn", "escape\x1b[0m"],
)
def test_bad_notes_are_refused(bench: Store, notes: str) -> None:
    assert refused(bench, notes=notes).reason == "bad_notes"


def test_notes_are_kept_nfc_and_blank_notes_are_left_out(bench: Store) -> None:
    event_id = run(bench, lambda c: inspect(c, notes="Cafe\u0301", photo=None))
    assert payload(bench, event_id)["st:inspection"]["notes"] == "Caf\u00e9"
    assert "attachments" not in payload(bench, event_id)["st:inspection"]
    assert checked_notes("  \n") is None
