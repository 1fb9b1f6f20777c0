"""Verification of the ledger: both hash chains, and every checkpoint against trusted keys.

Locally, a walk in ``seq`` order catches an edited, deleted, inserted or reordered record:
each row's hash is recomputed from its content, its ``prev_hash`` must be the stored hash of
the row before, and ``seq`` must be gapless from 1. Each row is compared with its *stored*
predecessor, so one altered record is reported once, not as a cascade.

A rewrite that recomputes every later hash, or a truncated tail, is locally consistent; it is
caught only against a checkpoint: the signature must verify under a key the caller trusts
(never one read from this database), and the chain must still have the signed head at the
signed ``seq``.

Rows are streamed, never loaded all at once; the report keeps the first
:data:`~station.ledger.report.MAX_KEPT_PROBLEMS` problems and counts the rest.
"""

from __future__ import annotations

import binascii
import functools
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, inspect, select

from station.ledger.chain import (
    AUDIT_CHAIN,
    CHAINS,
    EVENT_CHAIN,
    GENESIS,
    Chain,
    ChainLink,
    hashed_fields,
    head,
    record_hash,
    type_errors,
)
from station.ledger.checkpoint import CHECKPOINT_TABLE, signed_message
from station.ledger.keys import key_id
from station.ledger.report import Problem, ProblemKind, VerifyReport

__all__ = [
    "Problem",
    "ProblemKind",
    "VerifyReport",
    "full_verifier",
    "tail_verifier",
    "verify_ledger",
    "verify_tail",
]


def verify_ledger(conn: Connection, public_keys: Sequence[Ed25519PublicKey] | None) -> VerifyReport:
    """Check both chains from seq 1 and every checkpoint, then the electronic signatures
    (their chain, each signature against its key and record, and their audit entries).

    ``public_keys`` are the keys trusted to sign checkpoints (from the key store or an exported
    file). ``None`` skips signatures: checkpoint heads are still compared, but a forger could
    have written them, so truncation and re-chaining are then not reliably detected.
    """
    report = VerifyReport(signatures_checked=public_keys is not None)
    with _tolerant_text(conn):
        for chain in CHAINS:
            _walk(conn, chain, ChainLink(0, GENESIS), report)
        checkpoints = conn.execute(select(CHECKPOINT_TABLE).order_by(CHECKPOINT_TABLE.c.id))
        for row in checkpoints.mappings():
            _check_checkpoint(conn, dict(row), public_keys, report)
        _verify_signatures(conn, report)
    return report


def _verify_signatures(conn: Connection, report: VerifyReport) -> None:
    """The signature chain (walked only once it has rows: an empty one has nothing to check)
    and every signature; rows deleted whole are still found through their audit entries."""
    # Imported here: station.signatures builds on station.ledger (chain, audit), so a
    # module-level import would be circular whichever package is imported first.
    from station.signatures.chain import SIGNATURE_CHAIN  # noqa: PLC0415
    from station.signatures.verify import verify_all_signatures  # noqa: PLC0415

    if not inspect(conn).has_table(SIGNATURE_CHAIN.name):  # before migration 0011
        return
    if head(conn, SIGNATURE_CHAIN).seq:
        _walk(conn, SIGNATURE_CHAIN, ChainLink(0, GENESIS), report)
    for problem in verify_all_signatures(conn):
        report.add(problem)


def verify_tail(
    conn: Connection, n: int, public_keys: Sequence[Ed25519PublicKey] | None
) -> VerifyReport:
    """The start-up check: the last ``n`` records of each chain and the latest checkpoint.

    The record before the window is taken as given; the full walk is :func:`verify_ledger`.
    """
    report = VerifyReport(signatures_checked=public_keys is not None)
    with _tolerant_text(conn):
        for chain in CHAINS:
            start = max(0, head(conn, chain).seq - n)
            anchor = _stored_hash(conn, chain, start) if start else GENESIS
            if anchor is None:  # the row before the window is gone: a gap in any case
                report.add(Problem(chain.name, start, ProblemKind.SEQ_GAP, "record is missing"))
                anchor = GENESIS
            _walk(conn, chain, ChainLink(start, anchor), report)
        query = select(CHECKPOINT_TABLE).order_by(CHECKPOINT_TABLE.c.id.desc()).limit(1)
        latest = conn.execute(query).mappings().one_or_none()
        if latest is not None:
            _check_checkpoint(conn, dict(latest), public_keys, report)
    return report


def full_verifier(
    public_keys: Sequence[Ed25519PublicKey] | None,
) -> Callable[[Connection], list[str]]:
    """:func:`verify_ledger` in the shape the storage health checks and backups take."""
    return lambda conn: verify_ledger(conn, public_keys).lines()


def tail_verifier(
    n: int, public_keys: Sequence[Ed25519PublicKey] | None
) -> Callable[[Connection], list[str]]:
    """:func:`verify_tail` in the shape the start-up health check takes."""
    return lambda conn: verify_tail(conn, n, public_keys).lines()


def _walk(conn: Connection, chain: Chain, after: ChainLink, report: VerifyReport) -> None:
    table = chain.table
    query = select(table).where(table.c.seq > after.seq).order_by(table.c.seq)
    names = [column.name for column in table.columns]
    expected, prev, count = after.seq + 1, after.hash, 0
    for values in conn.execute(query):
        row: dict[str, object] = dict(zip(names, values, strict=True))
        seq, label = row["seq"], chain.label(row)
        if not isinstance(seq, int) or seq < expected:  # only if seq is not the rowid
            report.add(Problem(chain.name, expected, ProblemKind.SEQ_GAP, f"seq {seq!r} found"))
            continue
        if seq > expected:
            through = f" to {seq - 1}" if seq - 1 > expected else ""
            detail = f"missing{through} (the next stored record is seq {seq}, {label})"
            report.add(Problem(chain.name, expected, ProblemKind.SEQ_GAP, detail))
        elif row["prev_hash"] != prev:
            detail = f"prev_hash does not match the stored hash of seq {seq - 1}"
            report.add(Problem(chain.name, seq, ProblemKind.BROKEN_LINK, detail, label))
        content_problem = _content_problem(chain, row)
        if content_problem is not None:
            report.add(Problem(chain.name, seq, *content_problem, label))
        prev, expected, count = str(row["hash"]), seq + 1, count + 1
    report.records[chain.name] = count
    report.heads[chain.name] = ChainLink(expected - 1, prev)


def _content_problem(chain: Chain, row: Mapping[str, object]) -> tuple[ProblemKind, str] | None:
    errors = type_errors(chain, row)
    if errors:
        return ProblemKind.BAD_TYPE, "; ".join(errors)
    try:
        digest = record_hash(chain.tag, hashed_fields(row), str(row["prev_hash"]))
    except ValueError as exc:  # malformed prev_hash, invalid UTF-8 (lone surrogates)
        return ProblemKind.BAD_TYPE, f"content cannot be hashed: {exc}"
    if digest != row["hash"]:
        return ProblemKind.HASH_MISMATCH, "stored hash does not match its content"
    return None


def _check_checkpoint(
    conn: Connection,
    row: dict[str, object],
    public_keys: Sequence[Ed25519PublicKey] | None,
    report: VerifyReport,
) -> None:
    report.checkpoints += 1
    number = row["id"] if isinstance(row["id"], int) else -1
    label = f"event seq {row['event_seq']}, audit seq {row['audit_seq']}"

    def add(kind: ProblemKind, detail: str) -> None:
        report.add(Problem("checkpoint", number, kind, detail, label))

    if public_keys is not None:
        failure = _signature_problem(row, public_keys)
        if failure is not None:
            add(*failure)
            return  # an unsigned statement says nothing about the chains
    for chain in (EVENT_CHAIN, AUDIT_CHAIN):
        seq, signed = row[f"{chain.name}_seq"], row[f"{chain.name}_head"]
        if not isinstance(seq, int) or isinstance(seq, bool):
            add(ProblemKind.BAD_TYPE, f"{chain.name}_seq is not an integer: {seq!r}")
            continue
        stored_head = report.heads[chain.name]
        if seq > stored_head.seq:
            add(
                ProblemKind.TRUNCATED,
                f"{chain.name} chain ends at seq {stored_head.seq} but seq {seq} was signed",
            )
            continue
        actual = GENESIS if seq == 0 else _stored_hash(conn, chain, seq)
        if actual != signed:
            found = "no record" if actual is None else f"hash {actual[:16]}…"
            add(
                ProblemKind.HEAD_MISMATCH,
                f"{chain.name} seq {seq} has {found}, the signed head is {str(signed)[:16]}…: "
                f"the {chain.name} chain was rewritten up to this point",
            )


def _signature_problem(
    row: Mapping[str, object], public_keys: Sequence[Ed25519PublicKey]
) -> tuple[ProblemKind, str] | None:
    trusted = {key_id(key): key for key in public_keys}
    key = trusted.get(str(row["key_id"]))
    if key is None:
        return ProblemKind.UNTRUSTED_KEY, f"signed by key {str(row['key_id'])[:16]}…, not trusted"
    try:
        key.verify(bytes.fromhex(str(row["signature"])), signed_message(row))
    except (InvalidSignature, ValueError, TypeError, binascii.Error):
        return ProblemKind.BAD_SIGNATURE, "signature does not verify under the trusted key"
    return None


def _stored_hash(conn: Connection, chain: Chain, seq: int) -> str | None:
    table = chain.table
    value = conn.execute(select(table.c.hash).where(table.c.seq == seq)).scalar_one_or_none()
    return None if value is None else str(value)


@contextmanager
def _tolerant_text(conn: Connection) -> Iterator[None]:
    """Let rows with invalid UTF-8 be read, so they are reported instead of aborting the walk.

    sqlite3 raises on such TEXT while fetching; with ``surrogateescape`` the bad bytes become
    lone surrogates, which canonical JSON then refuses for that one record.
    """
    raw = conn.connection.driver_connection
    if not isinstance(raw, sqlite3.Connection):
        yield
        return
    original = raw.text_factory
    raw.text_factory = functools.partial(str, encoding="utf-8", errors="surrogateescape")
    try:
        yield
    finally:
        raw.text_factory = original
