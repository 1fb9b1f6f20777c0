"""Signing records (P11-S1, P11-S2, P11-U2, AUTH-7) on a real station file."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import sqlalchemy as sa

from station.access import NotAuthenticatedError, NotPermittedError
from station.context import WriteContext
from station.events.correction import record_error_declaration
from station.persistence.store import Store
from station.signatures import (
    FourEyesRefused,
    Meaning,
    NoSigningKeyError,
    ProofError,
    RecordedSignature,
    RecordNotSignable,
    SignatureStatus,
    SignedContent,
    WrongSecretError,
    current_key,
    enroll_signing_key,
    event_record,
    keys_of,
    manifestation,
    sign_record,
    signatures_for,
)
from tests.integration.signature_setup import (
    LISI,
    LISI_SECRET,
    NOW,
    STATION,
    WANG,
    WANG_SECRET,
    Proof,
    context,
    count,
    later,
    read,
    record,
    run,
    signer_role,
    store,
)

__all__ = ["signer_role", "store"]


def sign(
    store: Store,
    event_id: str,
    meaning: Meaning = Meaning.APPROVED,
    *,
    ctx: WriteContext = LISI,
    secret: str = LISI_SECRET,
    proof: Proof | None = None,
) -> RecordedSignature:
    def work(conn: sa.Connection) -> RecordedSignature:
        return sign_record(
            conn,
            ctx,
            proof=proof or Proof(ctx.actor or ""),
            secret=secret,
            meaning=meaning,
            record=event_record(conn, event_id),
        )

    return run(store, work)


@pytest.mark.req("P11-S1")
@pytest.mark.req("P11-S3")
def test_a_signed_event_verifies_and_shows_name_time_and_meaning(store: Store) -> None:
    event_id = record(store)
    signed = sign(store, event_id, Meaning.RELEASED)
    content = signed.content()
    assert (content.signer_id, content.printed_name, content.meaning) == (
        "lisi",
        "Li Si",
        "released",
    )
    assert content.signed_at == "2026-12-07T14:03:12.345+08:00"
    assert content.tz_name == "Asia/Shanghai"
    assert (content.record_kind, content.record_id, content.station) == ("event", event_id, STATION)
    assert content.credentials == ("badge", "pin")
    [check] = read(store, lambda c: signatures_for(c, event_id))
    assert check.status is SignatureStatus.VALID
    assert check.record_checked
    assert manifestation(check) == "Li Si (lisi) — Released — 2026-12-07 14:03:12 +08:00"
    assert manifestation(check, "zh_CN") == "Li Si (lisi) — 已放行 — 2026-12-07 14:03:12 +08:00"


def test_signing_is_audited_without_the_secret(store: Store) -> None:
    event_id = record(store)
    signed = sign(store, event_id)
    rows = read(
        store,
        lambda c: c.execute(
            sa.text("SELECT action, entity, entity_id, new_value FROM audit ORDER BY seq")
        ).all(),
    )
    actions = [row.action for row in rows]
    assert actions.count("signature.key_enrolled") == 2
    entry = rows[actions.index("signature.signed")]
    assert (entry.entity, entry.entity_id) == ("event", event_id)
    assert json.loads(entry.new_value)["hash"] == signed.hash
    raw = store.path.read_bytes() + store.path.with_name(store.path.name + "-wal").read_bytes()
    assert LISI_SECRET.encode() not in raw
    assert WANG_SECRET.encode() not in raw


def test_a_wrong_secret_is_refused_and_nothing_is_written(store: Store) -> None:
    event_id = record(store)
    before = count(store, "signature"), count(store, "audit")
    with pytest.raises(WrongSecretError):
        sign(store, event_id, secret="not-the-secret")
    assert (count(store, "signature"), count(store, "audit")) == before


@pytest.mark.req("P11-U2")
@pytest.mark.parametrize(
    ("proof", "says"),
    [
        (Proof("wang"), "entered by wang"),
        (Proof("lisi", at=later(-61)), "not entered just now"),
        (Proof("lisi", at=later(30)), "not entered just now"),
        (Proof("lisi", components=frozenset({"badge"})), "PIN or password"),
    ],
)
def test_a_proof_for_someone_else_too_old_or_without_the_secret_is_refused(
    store: Store, proof: Proof, says: str
) -> None:
    event_id = record(store)
    with pytest.raises(ProofError, match=says):
        sign(store, event_id, proof=proof)
    assert count(store, "signature") == 0


def test_the_pin_alone_suffices_when_the_session_says_so(store: Store) -> None:
    event_id = record(store)
    signed = sign(
        store, event_id, proof=Proof("lisi", at=later(-30), components=frozenset({"pin"}))
    )
    assert signed.content().credentials == ("pin",)


def test_signing_needs_the_permission_and_a_live_session(store: Store) -> None:
    event_id = record(store)
    with pytest.raises(NotPermittedError):
        sign(store, event_id, ctx=context("lisi", "Li Si", roles=frozenset({"operator"})))

    class Ended:
        def check(self) -> None:
            raise NotAuthenticatedError("the session has ended")

    with pytest.raises(NotAuthenticatedError):
        sign(store, event_id, ctx=replace(LISI, session=Ended()))
    assert count(store, "signature") == 0


@pytest.mark.req("AUTH-7")
@pytest.mark.parametrize("meaning", [Meaning.APPROVED, Meaning.RELEASED])
def test_nobody_approves_or_releases_what_they_recorded(store: Store, meaning: Meaning) -> None:
    event_id = record(store, actor="wang")
    with pytest.raises(FourEyesRefused, match="four eyes") as refused:
        sign(store, event_id, meaning, ctx=WANG, secret=WANG_SECRET)
    assert refused.value.reason == "four_eyes"
    assert count(store, "signature") == 0
    sign(store, event_id, meaning)  # someone else may


def test_the_recorder_may_sign_as_reviewed(store: Store) -> None:
    event_id = record(store, actor="wang")
    signed = sign(store, event_id, Meaning.REVIEWED, ctx=WANG, secret=WANG_SECRET)
    assert signed.meaning == "reviewed"


def test_a_record_shown_before_it_changed_is_not_signed(store: Store) -> None:
    event_id = record(store)
    shown = read(store, lambda c: event_record(c, event_id))
    stale = replace(shown, hash="0" * 64)
    with pytest.raises(RecordNotSignable, match="changed since it was shown"):
        run(
            store,
            lambda c: sign_record(
                c, LISI, proof=Proof("lisi"), secret=LISI_SECRET, meaning=Meaning.APPROVED,
                record=stale,
            ),
        )  # fmt: skip


@pytest.mark.req("P11-F1")
def test_a_voided_event_cannot_be_signed(store: Store) -> None:
    event_id = record(store)
    run(
        store,
        lambda c: record_error_declaration(
            c, event_id, reason="incorrect_data", actor="wang", station=STATION,
            now=lambda: NOW, app_version="test", schema_version="0011",
        ),
    )  # fmt: skip
    with pytest.raises(RecordNotSignable, match="declared in error"):
        sign(store, event_id)


def test_a_user_without_a_key_cannot_sign(store: Store) -> None:
    event_id = record(store)
    stranger = context("zhao", "Zhao Liu")
    with pytest.raises(NoSigningKeyError):
        sign(store, event_id, ctx=stranger, secret="whatever-1", proof=Proof("zhao"))


@pytest.mark.req("P11-S2")
def test_renaming_the_user_leaves_the_signed_name(store: Store) -> None:
    event_id = record(store)
    sign(store, event_id)
    run(
        store,
        lambda c: c.execute(
            sa.text("UPDATE station_user SET name = 'Li Si-Renamed' WHERE username = 'lisi'")
        ),
    )
    [check] = read(store, lambda c: signatures_for(c, event_id))
    assert check.ok
    assert manifestation(check).startswith("Li Si (lisi) — Approved")


def test_a_secret_change_retires_the_old_key_and_old_signatures_still_verify(store: Store) -> None:
    first = record(store, "L1")
    old = sign(store, first)
    new_secret = "Li-Si-Neues-Passwort-8842"
    new_key = run(store, lambda c: enroll_signing_key(c, LISI, username="lisi", secret=new_secret))
    keys = read(store, lambda c: keys_of(c, "lisi"))
    assert [k.key_id for k in keys] == [old.key_id, new_key.key_id]
    assert read(store, lambda c: current_key(c, "lisi")) == new_key
    with pytest.raises(WrongSecretError):  # the old secret opens only the retired key
        sign(store, record(store, "L2"))
    second = record(store, "L3")
    newer = sign(store, second, secret=new_secret)
    assert newer.key_id == new_key.key_id != old.key_id
    for event_id in (first, second):
        [check] = read(store, lambda c, e=event_id: signatures_for(c, e))  # type: ignore[misc]
        assert check.ok, check.detail


def test_the_payload_is_exactly_the_signed_content(store: Store) -> None:
    signed = sign(store, record(store))
    assert SignedContent.from_json(signed.payload).to_json() == signed.payload
