"""Tampering with signatures as someone holding the file would (P11-A1, P11-S2, P11-S3).

Each attack drops the append-only triggers and changes rows with plain ``sqlite3``; the
verdict of the one signature and ``station verify`` must both name it.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from station.events.capture import record_event
from station.events.correction import record_error_declaration
from station.ledger.report import ProblemKind
from station.ledger.verify import verify_ledger
from station.persistence.store import Store
from station.signatures import (
    Meaning,
    RecordedSignature,
    SignatureStatus,
    event_record,
    manifestation,
    sign_record,
    signatures_for,
    verify_all_signatures,
)
from tests.integration.signature_setup import (
    LISI,
    LISI_SECRET,
    NOW,
    STATION,
    Proof,
    read,
    record,
    run,
    signer_role,
    store,
    tamper,
)
from tests.integration.station_cli import station

__all__ = ["signer_role", "store"]


def signed_event(store: Store, lot: str = "L1", meaning: Meaning = Meaning.APPROVED) -> str:
    event_id = record(store, lot)

    def work(conn: sa.Connection) -> RecordedSignature:
        return sign_record(
            conn, LISI, proof=Proof("lisi"), secret=LISI_SECRET, meaning=meaning,
            record=event_record(conn, event_id),
        )  # fmt: skip

    run(store, work)
    return event_id


def status(store: Store, event_id: str) -> SignatureStatus:
    [check] = read(store, lambda c: signatures_for(c, event_id))
    return check.status


def problems(store: Store) -> list[tuple[str, int, ProblemKind]]:
    report = read(store, lambda c: verify_ledger(c, None))
    return [(p.where, p.number, p.kind) for p in report.problems]


def edit_payload(store: Store, seq: int, **changes: object) -> None:
    query = sa.text("SELECT payload FROM signature WHERE seq = :seq")
    payload = read(store, lambda c: c.execute(query, {"seq": seq}).scalar_one())
    data = {**json.loads(payload), **changes}
    tamper(store, "UPDATE signature SET payload = ? WHERE seq = ?", params=(json.dumps(data), seq))


def test_an_intact_station_verifies(store: Store) -> None:
    signed_event(store, "L1")
    signed_event(store, "L2", Meaning.RELEASED)
    assert problems(store) == []
    assert read(store, lambda c: list(verify_all_signatures(c))) == []


@pytest.mark.req("P11-S3")
def test_a_record_changed_after_signing_shows_as_changed(store: Store) -> None:
    event_id = signed_event(store)
    tamper(
        store,
        "UPDATE event SET disposition = 'non_conformant' WHERE event_id = ?",
        params=(event_id,),
    )
    assert status(store, event_id) is SignatureStatus.RECORD_CHANGED
    assert ("signature", 1, ProblemKind.RECORD_CHANGED) in problems(store)


def test_an_event_declared_in_error_shows_its_signature_as_voided(store: Store) -> None:
    event_id = signed_event(store)
    run(
        store,
        lambda c: record_error_declaration(
            c, event_id, reason="incorrect_data", actor="wang", station=STATION,
            now=lambda: NOW, app_version="test", schema_version="0011",
        ),
    )  # fmt: skip
    assert status(store, event_id) is SignatureStatus.RECORD_VOIDED
    assert problems(store) == []  # a correction is the ledger's own story, not tampering


def test_an_event_superseded_by_a_correction_shows_as_changed(store: Store) -> None:
    event_id = signed_event(store)
    record(store, "L1", corrects=event_id)
    assert status(store, event_id) is SignatureStatus.RECORD_CHANGED


@pytest.mark.req("P11-S3")
def test_a_signature_copied_to_another_record_is_the_wrong_record(store: Store) -> None:
    signed_event(store, "L1")
    other = record(store, "L2")
    tamper(store, "UPDATE signature SET record_id = ? WHERE seq = 1", params=(other,))
    assert status(store, other) is SignatureStatus.WRONG_RECORD
    assert ("signature", 1, ProblemKind.WRONG_RECORD) in problems(store)


def test_a_signature_copied_with_its_payload_rewritten_no_longer_verifies(store: Store) -> None:
    signed_event(store, "L1")
    other = record(store, "L2")
    tamper(store, "UPDATE signature SET record_id = ? WHERE seq = 1", params=(other,))
    edit_payload(store, 1, record_id=other)
    assert status(store, other) is SignatureStatus.BAD_SIGNATURE


@pytest.mark.req("P11-S2")
@pytest.mark.req("P11-S3")
@pytest.mark.parametrize(
    "changes", [{"meaning": "released"}, {"printed_name": "Someone Else"}, {"signed_at": "x"}]
)
def test_an_edited_meaning_name_or_time_is_a_bad_signature(
    store: Store, changes: dict[str, str]
) -> None:
    event_id = signed_event(store)
    edit_payload(store, 1, **changes)
    assert status(store, event_id) is SignatureStatus.BAD_SIGNATURE
    assert ("signature", 1, ProblemKind.BAD_SIGNATURE) in problems(store)


def test_an_edited_query_column_is_a_bad_signature(store: Store) -> None:
    event_id = signed_event(store)
    tamper(store, "UPDATE signature SET meaning = 'released' WHERE seq = 1")
    assert status(store, event_id) is SignatureStatus.BAD_SIGNATURE


@pytest.mark.req("P11-S3")
def test_a_deleted_signature_breaks_the_chain(store: Store) -> None:
    signed_event(store, "L1")
    signed_event(store, "L2")
    tamper(store, "DELETE FROM signature WHERE seq = 1")
    found = problems(store)
    assert ("signature", 1, ProblemKind.SEQ_GAP) in found
    assert ("signature", 1, ProblemKind.NOT_AUDITED) in found


def test_the_last_signature_deleted_is_found_through_the_audit_trail(store: Store) -> None:
    signed_event(store, "L1")
    tamper(store, "DELETE FROM signature")
    assert problems(store) == [("signature", 1, ProblemKind.NOT_AUDITED)]


def test_a_key_slipped_in_by_raw_sql_is_unknown(store: Store) -> None:
    event_id = signed_event(store)
    with store.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT * FROM signing_key WHERE username = 'lisi'")).one()
    # A forger enrols "their" key for lisi without the audit entry, and re-signs with it.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: PLC0415

    from station.ledger.keys import key_id  # noqa: PLC0415
    from station.signatures.content import signed_message  # noqa: PLC0415

    forged = Ed25519PrivateKey.generate()
    kid = key_id(forged.public_key())
    public = forged.public_key().public_bytes_raw().hex()
    tamper(
        store,
        "INSERT INTO signing_key (key_id, username, public_key, sealed_private_key, kdf,"
        " created_at) VALUES (?, 'lisi', ?, '00', ?, ?)",
        params=(kid, public, row.kdf, row.created_at),
    )
    edit_payload(store, 1, key_id=kid)
    payload = read(
        store, lambda c: c.execute(sa.text("SELECT payload FROM signature")).scalar_one()
    )
    signature = forged.sign(signed_message(payload)).hex()
    tamper(
        store,
        "UPDATE signature SET signature = ?, key_id = ? WHERE seq = 1",
        params=(signature, kid),
    )
    assert status(store, event_id) is SignatureStatus.UNKNOWN_KEY
    assert ("signature", 1, ProblemKind.UNTRUSTED_KEY) in problems(store)


@pytest.mark.req("P11-A1")
def test_station_verify_names_a_tampered_signature(store: Store) -> None:
    event_id = signed_event(store)
    ok = station("verify", "--db", str(store.path))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "1 electronic signatures" in ok.stdout
    edit_payload(store, 1, meaning="released")
    bad = station("verify", "--db", str(store.path))
    assert bad.returncode == 1
    assert "signature seq 1" in bad.stdout
    assert event_id in bad.stdout


def test_the_manifestation_comes_from_the_signed_payload(store: Store) -> None:
    event_id = signed_event(store)
    [check] = read(store, lambda c: signatures_for(c, event_id))
    assert manifestation(check.signature) == manifestation(check)


def test_an_event_recorded_directly_is_still_verifiable(store: Store) -> None:
    # record_event is the lowest write path: its events are signable like the services' ones.
    from station.events.ids import lgtin_uri  # noqa: PLC0415
    from station.events.model import Action, ObjectEventDraft  # noqa: PLC0415
    from station.events.parts import Quantity  # noqa: PLC0415

    draft = ObjectEventDraft(
        action=Action.OBSERVE, biz_step="receiving", disposition="in_progress",
        quantities=(Quantity(lgtin_uri("04012345000016", "L9"), 1.0, "EA"),),
    )  # fmt: skip
    recorded = run(
        store,
        lambda c: record_event(
            c, draft, actor=None, station=STATION, raw_scan=None, now=lambda: NOW,
            app_version="test", schema_version="0011",
        ),
    )  # fmt: skip
    shown = read(store, lambda c: event_record(c, recorded.event_id))
    assert shown.hash == recorded.hash
    assert shown.version == recorded.seq
