"""Tampering with a real ledger file, as an attacker with write access to it would (TAM-2).

The ledger is built through the station's own path (migrations with their append-only
triggers, the single writer, ``append_event``/``append_audit``, signed checkpoints). Each test
copies it, attacks the copy with plain ``sqlite3`` (dropping the triggers first, as anyone
holding the file can), and checks that verification names the right first bad record.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.ledger.canonical import canonical_json
from station.ledger.chain import (
    AUDIT_CHAIN,
    EVENT_CHAIN,
    EVENT_TAG,
    GENESIS,
    append_audit,
    append_event,
    record_hash,
)
from station.ledger.checkpoint import make_checkpoint, signed_message
from station.ledger.keys import KeyStore, key_id, load_public_key, public_pem
from station.ledger.report import MAX_KEPT_PROBLEMS, Problem
from station.ledger.verify import (
    ProblemKind,
    VerifyReport,
    full_verifier,
    tail_verifier,
    verify_ledger,
    verify_tail,
)
from station.persistence.db import close_engine, open_engine
from station.persistence.health import full_check, startup_check
from station.persistence.migrate import upgrade
from station.persistence.writer import DbWriter
from tests.unit.test_chain import sample_audit, sample_event
from tests.unit.test_ledger_keys import MemoryKeyring, failing

STATION = "ST01"
EVENTS = 320  # checkpoints after events 100, 200 and 300; 20 events after the last one
CHECKPOINT_EVERY = 100
AUDIT_EVERY = 3
AUDITS = EVENTS // AUDIT_EVERY
T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
EDITABLE_EVENT_COLUMNS = [
    c for c in EVENT_CHAIN.column_types if c not in ("seq", "prev_hash", "hash", "payload")
]
EDITABLE_AUDIT_COLUMNS = [
    c for c in AUDIT_CHAIN.column_types if c not in ("seq", "prev_hash", "hash")
]
TAMPER = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@dataclass(frozen=True)
class Ledger:
    path: Path
    public_key: Ed25519PublicKey
    keyring: MemoryKeyring


def build_ledger(path: Path, events: int = EVENTS) -> Ledger:
    backend = MemoryKeyring()
    store = KeyStore(STATION, path.parent, backend)
    engine = open_engine(path)
    upgrade(engine)
    writer = DbWriter(engine)
    try:
        for i in range(1, events + 1):

            def write(conn: Any, i: int = i) -> None:
                append_event(conn, sample_event(i))
                if i % AUDIT_EVERY == 0:
                    append_audit(conn, sample_audit(i))
                if i % CHECKPOINT_EVERY == 0:
                    make_checkpoint(conn, store, STATION, T0 + timedelta(minutes=i))

            writer.submit(write).result()
    finally:
        writer.close()
        close_engine(engine)
    return Ledger(path, store.public_key(), backend)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    return build_ledger(tmp_path_factory.mktemp("template") / "station.db")


@pytest.fixture
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("attack")


_copies = iter(range(10**9))


def fresh_copy(template: Ledger, workdir: Path) -> Path:
    """A private copy of the template ledger (hypothesis calls this once per example)."""
    target = workdir / f"copy{next(_copies)}" / "station.db"
    target.parent.mkdir()
    for suffix in ("", "-wal"):
        source = Path(f"{template.path}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{target}{suffix}")
    return target


@contextmanager
def attacker(path: Path) -> Iterator[sqlite3.Connection]:
    """Raw write access to the file, append-only triggers dropped."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        for (name,) in triggers.fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
        yield conn
    finally:
        conn.close()


def verify(
    path: Path, keys: Sequence[Ed25519PublicKey] | None, tail: int | None = None
) -> VerifyReport:
    engine = open_engine(path, readonly=True)
    try:
        with engine.connect() as conn:
            return verify_ledger(conn, keys) if tail is None else verify_tail(conn, tail, keys)
    finally:
        close_engine(engine)


def event_row(conn: sqlite3.Connection, seq: int) -> dict[str, Any]:
    cursor = conn.execute("SELECT * FROM event WHERE seq = ?", (seq,))
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def where(report: VerifyReport) -> list[tuple[str, int, ProblemKind]]:
    return [(p.where, p.number, p.kind) for p in report.problems]


def insert_row(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))


def rechain(conn: sqlite3.Connection, from_seq: int) -> None:
    """Recompute every event hash from ``from_seq`` on, as a capable attacker would."""
    prev = event_row(conn, from_seq - 1)["hash"] if from_seq > 1 else GENESIS
    last = conn.execute("SELECT max(seq) FROM event").fetchone()[0]
    for seq in range(from_seq, last + 1):
        row = event_row(conn, seq)
        fields = {k: v for k, v in row.items() if k not in ("hash", "prev_hash")}
        digest = record_hash(EVENT_TAG, fields, prev)
        conn.execute("UPDATE event SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
        prev = digest


seqs = st.integers(min_value=1, max_value=EVENTS)


# ----------------------------------------------------------------------------- clean


@pytest.mark.req("TAM-2", "P11-A1")
def test_clean_ledger_has_no_problems(template: Ledger, workdir: Path) -> None:
    path = fresh_copy(template, workdir)
    report = verify(path, [template.public_key])
    assert report.ok, report.problems
    assert report.records == {"event": EVENTS, "audit": AUDITS}
    assert report.checkpoints == EVENTS // CHECKPOINT_EVERY
    assert report.signatures_checked
    assert report.heads["event"].seq == EVENTS
    assert verify(path, [template.public_key], tail=50).ok


def test_the_triggers_must_be_dropped_to_tamper(template: Ledger, workdir: Path) -> None:
    path = fresh_copy(template, workdir)
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE event SET actor = 'mallory' WHERE seq = 1")
    conn.close()


# ----------------------------------------------------------------------------- caught locally


@pytest.mark.req("TAM-2", "P11-A1")
@TAMPER
@given(seq=seqs, position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_edited_payload_byte(
    template: Ledger, workdir: Path, seq: int, position: int, flip: int
) -> None:
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        row = event_row(conn, seq)
        data = bytearray(row["payload"].encode("utf-8"))
        data[position % len(data)] ^= flip  # may well leave invalid UTF-8 behind
        conn.execute("UPDATE event SET payload = CAST(? AS TEXT) WHERE seq = ?", (data, seq))
    report = verify(path, [template.public_key])
    assert len(report.problems) == 1
    first = report.first
    assert first is not None
    assert (first.where, first.number) == ("event", seq)
    assert first.kind in (ProblemKind.HASH_MISMATCH, ProblemKind.BAD_TYPE)
    assert str(first).startswith(f"event seq {seq} ({row['event_id']}): ")


@pytest.mark.req("TAM-2", "P11-A1")
@TAMPER
@given(seq=seqs, column=st.sampled_from(EDITABLE_EVENT_COLUMNS), new=st.text(min_size=1))
def test_edited_typed_column(
    template: Ledger, workdir: Path, seq: int, column: str, new: str
) -> None:
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        old = event_row(conn, seq)
        value: Any = new.encode("utf-8", "surrogatepass") if column == "raw_scan" else new
        if value == old[column]:
            value = value + value[:1]
        conn.execute(f"UPDATE event SET {column} = ? WHERE seq = ?", (value, seq))
    report = verify(path, [template.public_key])
    assert where(report) == [("event", seq, ProblemKind.HASH_MISMATCH)]
    assert report.first is not None
    assert report.first.label == event_row_id(path, seq)  # shown escaped: it is stored text
    assert str(report.first).startswith(f"event seq {seq} (")
    assert str(report.first).endswith("): stored hash does not match its content")


def event_row_id(path: Path, seq: int) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT event_id FROM event WHERE seq = ?", (seq,)).fetchone()[0])


@pytest.mark.req("TAM-2", "P11-A1")
@TAMPER
@given(
    seq=st.integers(min_value=1, max_value=AUDITS),
    column=st.sampled_from(EDITABLE_AUDIT_COLUMNS),
    new=st.text(min_size=1),
)
def test_edited_audit_entry(
    template: Ledger, workdir: Path, seq: int, column: str, new: str
) -> None:
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        old = conn.execute(f"SELECT {column} FROM audit WHERE seq = ?", (seq,)).fetchone()[0]
        value = new + "x" if new == old else new
        conn.execute(f"UPDATE audit SET {column} = ? WHERE seq = ?", (value, seq))
    report = verify(path, [template.public_key])
    assert where(report) == [("audit", seq, ProblemKind.HASH_MISMATCH)]
    assert str(report.first).startswith(f"audit seq {seq} (")


@pytest.mark.req("TAM-2", "P11-A1")
def test_blob_replaced_by_its_hex_text_is_caught(template: Ledger, workdir: Path) -> None:
    # The hash writes bytes as hex, so this swap keeps the hash: only the type check sees it.
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        conn.execute("UPDATE event SET raw_scan = hex(raw_scan) WHERE seq = 7")
        conn.execute("UPDATE event SET raw_scan = lower(raw_scan) WHERE seq = 7")
    report = verify(path, [template.public_key])
    assert where(report) == [("event", 7, ProblemKind.BAD_TYPE)]
    assert "raw_scan is str, expected bytes" in str(report.first)


@pytest.mark.req("TAM-2", "P11-A1")
@TAMPER
@given(seq=st.integers(min_value=1, max_value=EVENTS - 1))
def test_deleted_row(template: Ledger, workdir: Path, seq: int) -> None:
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        conn.execute("DELETE FROM event WHERE seq = ?", (seq,))
    report = verify(path, [template.public_key])
    assert report.first is not None
    assert (report.first.where, report.first.number) == ("event", seq)
    assert report.first.kind is ProblemKind.SEQ_GAP
    assert str(report.first).startswith(f"event seq {seq}: missing (the next stored record is")
    chain_problems = [p for p in report.problems if p.where == "event"]
    assert len(chain_problems) == 1  # the successor is not blamed for its missing neighbour


@pytest.mark.req("TAM-2", "P11-A1")
@TAMPER
@given(seq=st.integers(min_value=2, max_value=EVENTS))
def test_forged_row_inserted_in_the_middle(template: Ledger, workdir: Path, seq: int) -> None:
    # Make room by renumbering the rest, then insert a record whose own hash is valid and
    # links to its predecessor: the best an attacker can do without rewriting everything after.
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        conn.execute("UPDATE event SET seq = -seq WHERE seq >= ?", (seq,))
        conn.execute("UPDATE event SET seq = 1 - seq WHERE seq < 0")
        forged = sample_event(10_000) | {"seq": seq}
        prev = event_row(conn, seq - 1)["hash"]
        columns = dict.fromkeys(EVENT_CHAIN.column_types) | forged
        columns["prev_hash"] = prev
        columns["hash"] = record_hash(
            EVENT_TAG, {k: v for k, v in columns.items() if k not in ("hash", "prev_hash")}, prev
        )
        insert_row(conn, "event", columns)
    report = verify(path, [template.public_key])
    assert report.first is not None
    assert (report.first.where, report.first.number) == ("event", seq + 1)
    assert report.first.kind is ProblemKind.BROKEN_LINK


@pytest.mark.req("TAM-2", "P11-A1")
def test_forged_row_appended_with_a_gap(template: Ledger, workdir: Path) -> None:
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        row = event_row(conn, EVENTS) | {"seq": EVENTS + 2, "event_id": "urn:uuid:forged"}
        row["hash"] = "f" * 64
        insert_row(conn, "event", row)
    report = verify(path, [template.public_key])
    assert report.first is not None
    assert (report.first.number, report.first.kind) == (EVENTS + 1, ProblemKind.SEQ_GAP)
    assert "urn:uuid:forged" in str(report.first)


@pytest.mark.req("TAM-2", "P11-A1")
@TAMPER
@given(pair=st.lists(seqs, min_size=2, max_size=2, unique=True), whole=st.booleans())
def test_swapped_rows(template: Ledger, workdir: Path, pair: list[int], whole: bool) -> None:
    # Swap the content of two records, with (whole) or without their hash columns.
    low, high = sorted(pair)
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        a, b = event_row(conn, low), event_row(conn, high)
        kept = ("seq",) if whole else ("seq", "hash", "prev_hash")
        conn.execute("DELETE FROM event WHERE seq IN (?, ?)", (low, high))
        for target, source in ((a, b), (b, a)):
            row = target | {k: v for k, v in source.items() if k not in kept}
            insert_row(conn, "event", row)
    report = verify(path, [template.public_key])
    assert report.first is not None
    assert (report.first.where, report.first.number) == ("event", low)
    flagged = {p.number for p in report.problems if p.where == "event"}
    assert {low, high} <= flagged
    if not whole:
        assert where(report)[:2] == [
            ("event", low, ProblemKind.HASH_MISMATCH),
            ("event", high, ProblemKind.HASH_MISMATCH),
        ]


@pytest.mark.req("P11-A1")
@TAMPER
@given(
    events=st.sets(seqs, min_size=1, max_size=8),
    audits=st.sets(st.integers(min_value=1, max_value=AUDITS), max_size=8),
)
def test_exactly_the_altered_records_are_reported(
    template: Ledger, workdir: Path, events: set[int], audits: set[int]
) -> None:
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        for seq in events:
            conn.execute("UPDATE event SET actor = 'mallory' WHERE seq = ?", (seq,))
        for seq in audits:
            conn.execute("UPDATE audit SET reason = 'none' WHERE seq = ?", (seq,))
    report = verify(path, [template.public_key])
    reported = {(p.where, p.number) for p in report.problems}
    assert reported == {("event", s) for s in events} | {("audit", s) for s in audits}


# ----------------------------------------------------------------------------- against a checkpoint


@pytest.mark.req("TAM-2", "TAM-3")
@TAMPER
@given(keep=st.integers(min_value=0, max_value=299))
def test_truncated_tail_is_caught_only_by_a_checkpoint(
    template: Ledger, workdir: Path, keep: int
) -> None:
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        conn.execute("DELETE FROM event WHERE seq > ?", (keep,))
    report = verify(path, [template.public_key])
    assert report.problems, "truncation went undetected"
    assert all(p.where == "checkpoint" for p in report.problems)  # the chain itself is fine
    first_cut = keep // CHECKPOINT_EVERY + 1  # checkpoint ids 1, 2, 3 signed seq 100, 200, 300
    assert report.first is not None
    assert (report.first.number, report.first.kind) == (first_cut, ProblemKind.TRUNCATED)
    assert f"event chain ends at seq {keep} but seq {first_cut * 100} was signed" in str(
        report.first
    )
    with attacker(path) as conn:  # without the checkpoints nothing would show
        conn.execute("DELETE FROM checkpoint")
    assert verify(path, [template.public_key]).ok


def test_truncating_after_the_last_checkpoint_is_not_detectable(
    template: Ledger, workdir: Path
) -> None:
    # The limit of the design, pinned down: records after the last signed head can vanish
    # without trace. Hence checkpoints every N records, every T minutes and at shutdown, and
    # the ERP's own copy of events (TAM-4).
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        conn.execute("DELETE FROM event WHERE seq > 300")
    assert verify(path, [template.public_key]).ok


@pytest.mark.req("TAM-2", "TAM-3")
def test_truncated_audit_chain(template: Ledger, workdir: Path) -> None:
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        conn.execute("DELETE FROM audit WHERE seq > 40")  # checkpoint 2 signed audit seq 66
    report = verify(path, [template.public_key])
    assert report.first is not None
    assert (report.first.where, report.first.number) == ("checkpoint", 2)
    assert "audit chain ends at seq 40 but seq 66 was signed" in str(report.first)


@pytest.mark.req("TAM-2", "TAM-3")
@TAMPER
@given(seq=st.integers(min_value=1, max_value=300))
def test_full_rechain_after_an_edit(template: Ledger, workdir: Path, seq: int) -> None:
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        conn.execute("UPDATE event SET disposition = 'recalled' WHERE seq = ?", (seq,))
        rechain(conn, seq)
    report = verify(path, [template.public_key])
    assert all(p.where == "checkpoint" for p in report.problems)  # locally consistent
    first_signed = (seq + CHECKPOINT_EVERY - 1) // CHECKPOINT_EVERY  # first checkpoint ≥ seq
    assert report.first is not None
    assert (report.first.number, report.first.kind) == (first_signed, ProblemKind.HEAD_MISMATCH)
    assert "event chain was rewritten" in str(report.first)


@pytest.mark.req("TAM-2", "TAM-3")
def test_rechain_with_rewritten_checkpoints_needs_a_trusted_key(
    template: Ledger, workdir: Path
) -> None:
    path = fresh_copy(template, workdir)
    mallory = Ed25519PrivateKey.generate()
    with attacker(path) as conn:
        conn.execute("UPDATE event SET disposition = 'recalled' WHERE seq = 5")
        rechain(conn, 5)
        checkpoints = conn.execute("SELECT id, event_seq FROM checkpoint").fetchall()
        for checkpoint_id, event_seq in checkpoints:
            head = event_row(conn, event_seq)["hash"]
            conn.execute("UPDATE checkpoint SET event_head = ? WHERE id = ?", (head, checkpoint_id))
    # Heads rewritten, old signatures kept: the signatures no longer verify.
    report = verify(path, [template.public_key])
    assert where(report) == [("checkpoint", n, ProblemKind.BAD_SIGNATURE) for n in (1, 2, 3)]
    # Re-signed with the attacker's own key: not a trusted key.
    with attacker(path) as conn:
        resign(conn, mallory)
    report = verify(path, [template.public_key])
    assert where(report) == [("checkpoint", n, ProblemKind.UNTRUSTED_KEY) for n in (1, 2, 3)]
    # Which is exactly why the key must come from outside the database.
    unanchored = verify(path, None)
    assert unanchored.ok
    assert not unanchored.signatures_checked


def resign(conn: sqlite3.Connection, key: Ed25519PrivateKey, keep_key_id: bool = False) -> None:
    cursor = conn.execute("SELECT * FROM checkpoint")
    names = [d[0] for d in cursor.description]
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        signature = key.sign(signed_message(row)).hex()
        new_id = row["key_id"] if keep_key_id else key_id(key.public_key())
        conn.execute(
            "UPDATE checkpoint SET signature = ?, key_id = ? WHERE id = ?",
            (signature, new_id, row["id"]),
        )


@pytest.mark.req("TAM-3")
@pytest.mark.parametrize("spoof_key_id", [False, True])
def test_forged_checkpoint_signed_with_another_key(
    template: Ledger, workdir: Path, spoof_key_id: bool
) -> None:
    path = fresh_copy(template, workdir)
    mallory = Ed25519PrivateKey.generate()
    with attacker(path) as conn:
        statement: dict[str, Any] = {
            "station": STATION,
            "event_seq": 10,
            "event_head": event_row(conn, 10)["hash"],
            "audit_seq": 0,
            "audit_head": GENESIS,
            "created_at": "2026-11-24T09:00:00.000Z",
        }
        signer = template.public_key if spoof_key_id else mallory.public_key()
        row = statement | {
            "key_id": key_id(signer),
            "signature": mallory.sign(canonical_json(statement).encode()).hex(),
        }
        conn.execute(
            "INSERT INTO checkpoint (station, event_seq, event_head, audit_seq, audit_head, "
            "created_at, key_id, signature) VALUES (:station, :event_seq, :event_head, "
            ":audit_seq, :audit_head, :created_at, :key_id, :signature)",
            row,
        )
    report = verify(path, [template.public_key])
    kind = ProblemKind.BAD_SIGNATURE if spoof_key_id else ProblemKind.UNTRUSTED_KEY
    assert where(report) == [("checkpoint", 4, kind)]


@pytest.mark.req("TAM-3")
@TAMPER
@given(
    checkpoint=st.integers(min_value=1, max_value=3),
    column=st.sampled_from(
        ["station", "event_seq", "event_head", "audit_seq", "audit_head", "created_at", "signature"]
    ),
    bit=st.integers(min_value=0, max_value=3),
)
def test_edited_checkpoint_row(
    template: Ledger, workdir: Path, checkpoint: int, column: str, bit: int
) -> None:
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        (old,) = conn.execute(
            f"SELECT {column} FROM checkpoint WHERE id = ?",
            (checkpoint,),
        ).fetchone()
        if isinstance(old, int):
            new: Any = old ^ (1 << bit)
        else:  # flip one bit of the last character, keeping it text
            new = old[:-1] + chr(ord(old[-1]) ^ (1 << bit))
        conn.execute(
            f"UPDATE checkpoint SET {column} = ? WHERE id = ?",
            (new, checkpoint),
        )
    report = verify(path, [template.public_key])
    assert where(report) == [("checkpoint", checkpoint, ProblemKind.BAD_SIGNATURE)]


# ----------------------------------------------------------------------------- tail, keys, CLI


@pytest.mark.req("TAM-2")
def test_verify_tail_checks_only_the_tail(template: Ledger, workdir: Path) -> None:
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        conn.execute("UPDATE event SET actor = 'mallory' WHERE seq IN (10, 310)")
    tail = verify(path, [template.public_key], tail=50)
    assert where(tail) == [("event", 310, ProblemKind.HASH_MISMATCH)]
    assert tail.records == {"event": 50, "audit": 50}
    assert where(verify(path, [template.public_key])) == [
        ("event", 10, ProblemKind.HASH_MISMATCH),
        ("event", 310, ProblemKind.HASH_MISMATCH),
    ]


@pytest.mark.req("TAM-2", "TAM-3")
def test_verify_tail_checks_the_latest_checkpoint(template: Ledger, workdir: Path) -> None:
    path = fresh_copy(template, workdir)
    with attacker(path) as conn:
        conn.execute("UPDATE event SET actor = 'mallory' WHERE seq = 250")
        rechain(conn, 250)
    tail = verify(path, [template.public_key], tail=10)
    assert where(tail) == [("checkpoint", 3, ProblemKind.HEAD_MISMATCH)]


@pytest.mark.req("TAM-2")
def test_storage_health_checks_run_the_ledger_verification(template: Ledger, workdir: Path) -> None:
    path = fresh_copy(template, workdir)
    keys = [template.public_key]
    assert startup_check(path, verify_tails=tail_verifier(50, keys)).ok
    assert full_check(path, verify_chains=full_verifier(keys)).ok
    with attacker(path) as conn:
        conn.execute("UPDATE audit SET reason = 'none' WHERE seq = 105")
    damaged = startup_check(path, verify_tails=tail_verifier(50, keys))
    assert any(p.startswith("hash chain: audit seq 105 (") for p in damaged.problems)
    assert not full_check(path, verify_chains=full_verifier(keys)).ok


@pytest.mark.req("TAM-3")
def test_no_private_key_bytes_in_the_database(template: Ledger) -> None:
    (secret,) = template.keyring.secrets.values()
    raw = bytes.fromhex(secret)
    files = [p for p in template.path.parent.iterdir() if p.name.startswith("station.db")]
    assert files
    for file in files:
        data = file.read_bytes()
        for needle in (raw, secret.encode(), secret.upper().encode()):
            assert needle not in data
    public = template.public_key
    assert public_pem(public) not in template.path.read_bytes()  # only its id is stored
    assert key_id(public).encode() in template.path.read_bytes()


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    # Pinned to the "fail" keyring: tests never touch a developer's real keyring.
    env = os.environ | {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.req("TAM-2")
def test_cli_exit_codes_and_messages(template: Ledger, workdir: Path) -> None:
    path = fresh_copy(template, workdir)
    key_file = workdir / "station.pem"
    key_file.write_bytes(public_pem(template.public_key))
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    clean = run_cli("verify", "--db", path, "--public-key", key_file)
    assert clean.returncode == 0, clean.stderr
    assert f"ledger intact: {EVENTS} events, {AUDITS} audit entries, 3 checkpoints" in clean.stdout
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # read-only

    with attacker(path) as conn:
        conn.execute("UPDATE event SET payload = payload || ' ' WHERE seq = 123")
    tampered = run_cli("verify", "--db", path, "--public-key", key_file)
    assert tampered.returncode == 1
    event_id = event_row_id(path, 123)
    assert tampered.stdout.startswith(
        f"LEDGER TAMPERED: event seq 123 ({event_id}): stored hash does not match its content"
    )

    unkeyed = run_cli("verify", "--db", path)  # no key anywhere: chains only, loudly
    assert unkeyed.returncode == 1
    assert "signatures were NOT checked" in unkeyed.stderr

    assert run_cli("verify", "--db", workdir / "absent.db").returncode == 2
    assert run_cli("verify", "--db", path, "--public-key", workdir / "nope.pem").returncode == 2
    assert run_cli("verify").returncode == 2  # argparse usage error


@pytest.mark.req("TAM-3")
def test_cli_checkpoint_anchors_the_current_heads(template: Ledger, workdir: Path) -> None:
    path = fresh_copy(template, workdir)
    signed = run_cli("checkpoint", "--db", path, "--station", STATION)
    assert signed.returncode == 0, signed.stderr
    assert f"checkpoint #4 signed: event seq {EVENTS}, audit seq {AUDITS}" in signed.stdout
    assert "WARNING" in signed.stderr  # this machine's keyring is "fail": a key file was used
    key_file = workdir / "file-key.pem"
    exported = run_cli(
        "key", "export-public", "--db", path, "--station", STATION, "--out", key_file
    )
    assert exported.returncode == 0, exported.stderr
    keys = [template.public_key, load_public_key(key_file)]
    assert verify(path, keys).ok
    file_key = KeyStore(STATION, path.parent, failing()).private_key()
    raw = file_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    for needle in (raw, raw.hex().encode()):  # no key bytes in the database or its WAL
        assert all(needle not in f.read_bytes() for f in path.parent.glob("station.db*"))
    with attacker(path) as conn:  # the tail after checkpoint #3 is now anchored too
        conn.execute("DELETE FROM event WHERE seq > 310")
    assert where(verify(path, keys)) == [("checkpoint", 4, ProblemKind.TRUNCATED)]
    assert (
        run_cli("checkpoint", "--db", workdir / "absent.db", "--station", STATION).returncode == 2
    )
    assert not (workdir / "absent.db").exists()


def test_report_keeps_the_first_problems_and_counts_the_rest() -> None:
    report = VerifyReport()
    for seq in range(1, MAX_KEPT_PROBLEMS + 6):
        report.add(Problem("event", seq, ProblemKind.HASH_MISMATCH, "x"))
    assert len(report.problems) == MAX_KEPT_PROBLEMS
    assert report.omitted == 5
    assert report.first == Problem("event", 1, ProblemKind.HASH_MISMATCH, "x")
    assert report.lines()[-1] == "… and 5 more problems"
    assert str(Problem("audit", 3, ProblemKind.SEQ_GAP, "missing")) == "audit seq 3: missing"
    forged = Problem("event", 9, ProblemKind.HASH_MISMATCH, "bad", "id\nledger intact")
    assert "\n" not in str(forged)
