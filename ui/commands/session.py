"""A write session for command-line tools: open the store safely, sign the heads at the end.

Every command that writes goes through here, so none can leave records after the last signed
checkpoint (a truncated tail would then be undetectable, TAM-3). Audit entries written in a
session are therefore covered by the checkpoint signed when it closes.

Also here, because they need the session's writer:

- **Settings drift** (P11-K1): settings live in a TOML file that can be edited while no station
  runs, so such a change cannot be audited when it happens. Each write session compares the
  effective settings with the ``new_value`` of the last ``settings.changed`` entry and, if they
  differ (or there is none yet), records one, by the system (no actor: who edited the file is
  not known). An unreadable settings file is reported and not recorded: it is not in effect.
- **Audited files** (exports): a file is written under a ``.partial`` name, hashed, its audit
  entry committed, and only then renamed into place. A failed write leaves neither file nor
  entry; a failed audit write removes the partial file and fails the command, so an exported
  file never exists without its entry.
- **The audit queue**: exports and backups are reads and must keep working while the station
  itself holds the single-writer lock (DUR-7), but only the lock holder may write the ledger.
  :func:`audit_session` therefore writes through a write session when the lock is free, and
  otherwise queues the entry, complete with its time and actor, as an fsynced JSON file in
  ``<db>.audit-queue/`` *before* the file is published. Every write session merges the queue
  into the audit chain first thing (in file order, each entry once, with its original time),
  so queued entries are chained and then signed at the session's checkpoint. A queue file that
  cannot be read is renamed ``….rejected`` and its hash recorded as ``audit.queue_rejected``.
  Until merged, a queued entry is protected only by the file system, like any record after the
  last checkpoint; the station that holds the lock should merge when it opens its store.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import platformdirs
import sqlalchemy as sa

from station.config import DECLARED, load_settings
from station.context import WriteContext, offset_text, utc_text
from station.errors import ConfigError, StorageError
from station.ledger.audit import record_audit
from station.ledger.canonical import canonical_json
from station.ledger.chain import append_audit
from station.ledger.checkpointer import Checkpointer
from station.ledger.keys import KeyStore
from station.ledger.verify import tail_verifier
from station.persistence import tables
from station.persistence.backup import file_sha256, fsync_directory, fsync_file
from station.persistence.lock import WriterLock
from station.persistence.store import Store, open_store

__all__ = [
    "SETTINGS_ACTION",
    "AuditEntry",
    "Auditor",
    "StagedFile",
    "audit_queue_dir",
    "audit_session",
    "default_settings_file",
    "discard_staged",
    "merge_audit_queue",
    "publish_staged",
    "record_settings_drift",
    "write_session",
]

TAIL_RECORDS = 1000  # records of each chain verified before the database is opened for writing

SETTINGS_ACTION = "settings.changed"
INITIAL_SETTINGS = "initial settings"
SETTINGS_CHANGED_OUTSIDE = "settings file changed outside the station"
SETTINGS_ADDED_BY_UPGRADE = "settings new in this station version, at their defaults"
QUEUE_REJECTED_ACTION = "audit.queue_rejected"
_APP_DIR = "udi-station"
_PARTIAL = ".partial"
_QUEUED = ".json"
_AUDIT_COLUMNS = (
    "at",
    "at_offset",
    "actor",
    "actor_name",
    "action",
    "entity",
    "entity_id",
    "old_value",
    "new_value",
    "reason",
    "station",
    "app_version",
)
_REQUIRED = frozenset({"at", "at_offset", "action", "station", "app_version"})


def default_settings_file() -> Path:
    """Where the station's settings file lives when no ``--settings`` is given."""
    return platformdirs.user_config_path(_APP_DIR, appauthor=False) / "settings.toml"


@contextmanager
def write_session(
    db: Path,
    station: str,
    *,
    settings_file: Path | None = None,
    record_settings: bool = True,
) -> Iterator[Store]:
    """Yield an open store; on the way out sign whatever changed, then close it.

    On opening, queued audit entries are chained (:func:`merge_audit_queue`) and, unless
    ``record_settings`` is false, a settings change is recorded (:func:`record_settings_drift`).
    """
    keys = KeyStore(station, db.parent)  # the same key store `station checkpoint` uses
    store = open_store(db, verify_tails=tail_verifier(TAIL_RECORDS, None))
    try:
        merge_audit_queue(store, station)
        if record_settings:
            record_settings_drift(store, station, settings_file)
        yield store
    finally:
        try:
            Checkpointer(store.writer, keys, station).final()
            if keys.insecure:
                print(f"warning: the station key is kept in {keys.location}", file=sys.stderr)
        finally:
            store.close()


def _drift_reason(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    """Why the effective settings differ from the last recorded ones, as far as can be told.

    An upgrade that declares new settings changes the snapshot although nobody edited
    anything; that is recorded too (behaviour may differ), under its own reason.
    """
    if old is None:
        return INITIAL_SETTINGS
    added = new.keys() - old.keys()
    unchanged = all(new[key] == old[key] for key in old.keys() & new.keys())
    if (
        old.keys() <= new.keys()
        and unchanged
        and added
        and all(
            key in DECLARED and new[key] == _plain_default(DECLARED[key].default) for key in added
        )
    ):
        return SETTINGS_ADDED_BY_UPGRADE
    return SETTINGS_CHANGED_OUTSIDE


def _plain_default(value: object) -> object:
    return [_plain_default(v) for v in value] if isinstance(value, tuple | list) else value


def record_settings_drift(store: Store, station: str, settings_file: Path | None) -> int | None:
    """Record a ``settings.changed`` entry if the effective settings differ from the last one.

    Returns the entry's audit seq, or None when nothing changed (or the file is unreadable,
    which is reported on stderr). Compare and write happen in one write transaction.
    """
    path = settings_file if settings_file is not None else default_settings_file()
    try:
        settings = load_settings(path)
    except ConfigError as exc:
        print(f"warning: settings not in effect, change not recorded: {exc}", file=sys.stderr)
        return None
    current = settings.snapshot()
    ctx = WriteContext(station=station)  # the system: who edited the file is unknown
    audit = tables.metadata.tables["audit"]

    def work(conn: sa.Connection) -> int | None:
        last = conn.execute(
            sa.select(audit.c.new_value)
            .where(audit.c.action == SETTINGS_ACTION)
            .order_by(audit.c.seq.desc())
            .limit(1)
        ).scalar()
        if last is not None and last == canonical_json(current):
            return None
        old = json.loads(last) if last is not None else None
        return record_audit(
            conn,
            ctx,
            action=SETTINGS_ACTION,
            entity="settings",
            entity_id=str(path),
            old=old,
            new=current,
            reason=_drift_reason(old, current),
        ).seq

    return store.writer.submit(work).result()


# ----------------------------------------------------------------------------- audit entries


@dataclass(frozen=True)
class AuditEntry:
    """One entry to record; who, when and where come from the :class:`WriteContext`."""

    action: str
    entity: str | None = None
    entity_id: str | None = None
    old: Mapping[str, Any] | None = None
    new: Mapping[str, Any] | None = None
    reason: str | None = None


class Auditor(Protocol):
    """Records entries durably, or raises; returns where they went, for the operator."""

    def record(self, ctx: WriteContext, entries: Sequence[AuditEntry]) -> str: ...


@dataclass(frozen=True)
class StoreAuditor:
    """Appends to the audit chain through the session's single writer, in one transaction."""

    store: Store

    def record(self, ctx: WriteContext, entries: Sequence[AuditEntry]) -> str:
        def work(conn: sa.Connection) -> list[int]:
            return [
                record_audit(
                    conn,
                    ctx,
                    action=e.action,
                    entity=e.entity,
                    entity_id=e.entity_id,
                    old=e.old,
                    new=e.new,
                    reason=e.reason,
                ).seq
                for e in entries
            ]

        seqs = self.store.writer.submit(work).result()
        return "audit seq " + ", ".join(str(seq) for seq in seqs)


def audit_queue_dir(db: Path) -> Path:
    return db.with_name(db.name + ".audit-queue")


@dataclass(frozen=True)
class QueueAuditor:
    """Queues entries beside the database while another station program holds the lock."""

    db: Path

    def record(self, ctx: WriteContext, entries: Sequence[AuditEntry]) -> str:
        if not entries:
            return "nothing to record"
        directory = audit_queue_dir(self.db)
        directory.mkdir(exist_ok=True)
        moment = ctx.now()
        document = [_fields(ctx, moment, e) for e in entries]
        # Names sort in the order written: UTC time to the microsecond, then a random part.
        name = f"{moment.astimezone(UTC):%Y%m%dT%H%M%S%f}Z-{uuid.uuid4().hex}"
        partial = directory / (name + _PARTIAL)
        partial.write_text(json.dumps(document, ensure_ascii=False, sort_keys=True), "utf-8")
        fsync_file(partial)
        queued = directory / (name + _QUEUED)
        partial.replace(queued)
        fsync_directory(directory)
        return f"another station program holds the database: audit entry queued in {queued}"


def _fields(ctx: WriteContext, moment: datetime, entry: AuditEntry) -> dict[str, str | None]:
    """The audit row as :func:`record_audit` writes it, for the queue."""
    return {
        "at": utc_text(moment),
        "at_offset": offset_text(moment),
        "actor": ctx.actor,
        "actor_name": ctx.actor_name,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "old_value": canonical_json(dict(entry.old)) if entry.old is not None else None,
        "new_value": canonical_json(dict(entry.new)) if entry.new is not None else None,
        "reason": entry.reason,
        "station": ctx.station,
        "app_version": ctx.app_version,
    }


def _lock_is_held(db: Path) -> bool:
    lock = WriterLock(db)
    try:
        lock.acquire()
    except StorageError:
        return True
    lock.release()
    return False


@contextmanager
def audit_session(
    db: Path, station: str, *, settings_file: Path | None = None
) -> Iterator[Auditor]:
    """An auditor for a read command (export, backup) on an existing database.

    A write session when the single-writer lock is free; the audit queue while another station
    program holds it (the command then still works beside the running station).
    """
    if not db.exists():
        msg = f"the database {db} does not exist"
        raise StorageError(msg)
    if _lock_is_held(db):
        yield QueueAuditor(db)
        return
    with write_session(db, station, settings_file=settings_file) as store:
        yield StoreAuditor(store)


def _queued_rows(path: Path) -> list[dict[str, str | None]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, list) or not document:
        msg = "not a list of audit entries"
        raise ValueError(msg)
    rows = []
    for item in document:
        if not isinstance(item, dict) or set(item) != set(_AUDIT_COLUMNS):
            msg = "an entry does not have exactly the audit columns"
            raise ValueError(msg)
        if not all(v is None or isinstance(v, str) for v in item.values()):
            msg = "an audit value is not text"
            raise ValueError(msg)
        if any(item[k] is None for k in _REQUIRED):
            msg = "an entry lacks a required column"
            raise ValueError(msg)
        rows.append(item)
    return rows


def merge_audit_queue(store: Store, station: str) -> int:
    """Append queued entries to the audit chain (oldest first, each once); return how many."""
    directory = audit_queue_dir(store.path)
    if not directory.is_dir():
        return 0
    files = sorted(directory.glob("*" + _QUEUED))
    if not files:
        return 0
    audit = tables.metadata.tables["audit"]
    ctx = WriteContext(station=station)
    good: list[tuple[Path, list[dict[str, str | None]]]] = []
    bad: list[tuple[Path, str | None, str]] = []
    for path in files:
        try:
            good.append((path, _queued_rows(path)))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            try:
                digest: str | None = file_sha256(path)[0]
            except OSError:
                digest = None
            bad.append((path, digest, str(exc)))

    def work(conn: sa.Connection) -> int:
        merged = 0
        for _, rows in good:
            for row in rows:
                # Idempotent: a crash after COMMIT but before the file is removed must not
                # chain the same entry twice.
                already = conn.execute(
                    sa.select(audit.c.seq).where(
                        *(
                            audit.c[k] == row[k] if row[k] is not None else audit.c[k].is_(None)
                            for k in _AUDIT_COLUMNS
                        )
                    )
                ).first()
                if already is None:
                    append_audit(conn, row)
                    merged += 1
        for path, digest, why in bad:
            record_audit(
                conn,
                ctx,
                action=QUEUE_REJECTED_ACTION,
                entity="file",
                entity_id=str(path.with_name(path.name + ".rejected")),
                new={"file": path.name, "sha256": digest, "problem": why},
                reason="a queued audit entry could not be read",
            )
        return merged

    merged = store.writer.submit(work).result()
    for path in files:
        if any(path == p for p, _, _ in bad):
            path.replace(path.with_name(path.name + ".rejected"))
        else:
            path.unlink()
    fsync_directory(directory)
    return merged


# ----------------------------------------------------------------------------- exported files


@dataclass(frozen=True)
class StagedFile:
    """A file being exported: written at :attr:`partial`, published at ``target``.

    ``action`` is the audit action (``export.epcis`` …); ``details`` what was exported (format,
    selection, counts), recorded with the file's name, path, size and SHA-256.
    """

    target: Path
    action: str
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def partial(self) -> Path:
        return self.target.with_name(self.target.name + _PARTIAL)


def publish_staged(
    auditor: Auditor, ctx: WriteContext, files: Sequence[StagedFile], *, reason: str | None = None
) -> str:
    """Audit every staged file (one entry each, recorded together), then rename each into place.

    Returns where the entries went. If recording fails, the partial files are removed and the
    error propagates; nothing is published.
    """
    try:
        entries = []
        for staged in files:
            fsync_file(staged.partial)
            digest, size = file_sha256(staged.partial)
            target = staged.target.resolve()
            new = {
                **staged.details,
                "file": target.name,
                "path": str(target),
                "bytes": size,
                "sha256": digest,
            }
            entries.append(AuditEntry(staged.action, "file", str(target), new=new, reason=reason))
        where = auditor.record(ctx, entries)
    except BaseException:
        discard_staged(files)
        raise
    for staged in files:
        staged.partial.replace(staged.target)
    for directory in {staged.target.resolve().parent for staged in files}:
        fsync_directory(directory)
    return where


def discard_staged(files: Sequence[StagedFile]) -> None:
    """Remove whatever partial files exist (after a failed write, or a refused export)."""
    for staged in files:
        staged.partial.unlink(missing_ok=True)
