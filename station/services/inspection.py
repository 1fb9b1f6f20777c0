"""Inspection against a master-data plan: ObjectEvent OBSERVE ``inspecting``.

Every checkpoint of the plan gets exactly one result of its kind; numeric values are judged
against the plan's limits here, never by the operator. A pass records ``conformant`` (and
moves a lot to ACCEPTED); a fail records ``non_conformant`` and sets the hold in the same
event (sync.md §3), moving a lot to REJECTED. The results go into ``st:inspection``, with the
inspector's notes and the attachments (a photo: media type, SHA-256, size) when given, so the
event's hash and any signature of it cover them; the attachments' bytes are kept in the
``attachment`` table (:mod:`station.services.attachments`), stored before the event in the same
transaction.

Electronic signatures (P11-S1/S2) arrive in a later issue: the signing service will add an
``st:signature`` beside ``st:inspection`` through :func:`inspection_extension`'s output,
which is exactly what a signature must cover. Nothing here pretends to sign.
"""

from __future__ import annotations

import enum
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from station.access import INSPECTION_RECORD, require
from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.events.ids import parse_uri
from station.events.model import Action, ObjectEventDraft
from station.events.parts import PersistentDisposition
from station.persistence import tables
from station.persistence.rawsql import sqlite_connection
from station.services import lifecycle
from station.services.attachments import Attachment, check_attachment, read_attachment
from station.services.errors import Refused
from station.services.lifecycle import LotAction
from station.services.orders import product_by_di
from station.services.projection import current_state, held_by
from station.services.recording import record
from station.services.sites import split_uris, station_location

__all__ = [
    "MAX_NOTES",
    "Attachment",
    "CheckpointResult",
    "Verdict",
    "checked_notes",
    "inspection_extension",
    "record_inspection",
]

#: The longest notes an inspection keeps (characters).
MAX_NOTES = 2000
_NOTES_CONTROLS_ALLOWED = frozenset("\n\t")

_PLAN = tables.metadata.tables["inspection_plan"]
_CHECKPOINT = tables.metadata.tables["inspection_checkpoint"]


class Verdict(enum.StrEnum):
    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class CheckpointResult:
    """One checkpoint's result: a number, passed (True/False), or text, by its kind."""

    name: str
    value: float | bool | str


@dataclass(frozen=True, slots=True)
class _Checkpoint:
    name: str
    kind: str  # numeric | pass_fail | text
    lower: float | None
    upper: float | None
    unit: str | None


_PLAN_SQL = (
    "SELECT id, product_id FROM inspection_plan WHERE code = ? AND version = ? AND active = 1"
)
_CHECKPOINTS_SQL = (
    "SELECT name, kind, lower_limit, upper_limit, unit FROM inspection_checkpoint"
    " WHERE plan_id = ? ORDER BY position"
)


def _plan(conn: Connection, code: str, version: int) -> tuple[int | None, list[_Checkpoint]]:
    db = sqlite_connection(conn)  # read on every inspection: prepared SQL (rawsql)
    plan = db.execute(_PLAN_SQL, (code, version)).fetchone()
    if plan is None:
        raise Refused("unknown_plan", f"Inspection plan {code} v{version} is not active.")
    plan_id, product_id = plan
    points = [_Checkpoint(*row) for row in db.execute(_CHECKPOINTS_SQL, (plan_id,))]
    return product_id, points


def _outcome(point: _Checkpoint, value: float | bool | str) -> str:
    """``pass``/``fail`` (or ``recorded`` for text); Refused(``bad_result``) for a wrong kind."""
    if point.kind == "numeric" and isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise Refused("bad_result", f"{point.name}: {value} is not a number.")
        low_ok = point.lower is None or value >= point.lower
        high_ok = point.upper is None or value <= point.upper
        return "pass" if low_ok and high_ok else "fail"
    if point.kind == "pass_fail" and isinstance(value, bool):
        return "pass" if value else "fail"
    if point.kind == "text" and isinstance(value, str):
        return "recorded"
    raise Refused("bad_result", f"{point.name} takes a {point.kind} result, not {value!r}.")


def _judged(points: list[_Checkpoint], results: Sequence[CheckpointResult]) -> list[dict[str, Any]]:
    given = {r.name: r for r in results}
    if len(given) != len(results):
        raise Refused("duplicate", "A checkpoint has two results.")
    unknown = set(given) - {p.name for p in points}
    if unknown:
        raise Refused("unknown_checkpoint", f"Not in the plan: {', '.join(sorted(unknown))}.")
    missing = [p.name for p in points if p.name not in given]
    if missing:
        raise Refused("incomplete_results", f"No result for: {', '.join(missing)}.")
    judged = []
    for point in points:
        value = given[point.name].value
        entry = {
            "name": point.name,
            "value": value,
            "unit": point.unit,
            "lowerLimit": point.lower,
            "upperLimit": point.upper,
            "outcome": _outcome(point, value),
        }
        judged.append({k: v for k, v in entry.items() if v is not None})
    return judged


def checked_notes(notes: str | None) -> str | None:
    r"""The notes as recorded: NFC, at most :data:`MAX_NOTES` characters, no control characters
    but newline and tab; None for none (or only blanks). Refused (``bad_notes``) otherwise.

    >>> checked_notes("Cafe\u0301 ok\n\tedge"), checked_notes("  ")
    ('Café ok\n\tedge', None)
    """
    if notes is None:
        return None
    if not isinstance(notes, str):
        raise Refused("bad_notes", "Notes are text.")
    if not notes.strip():
        return None
    text = unicodedata.normalize("NFC", notes)
    if len(text) > MAX_NOTES:
        raise Refused("bad_notes", f"Notes have at most {MAX_NOTES} characters, not {len(text)}.")
    for char in text:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in _NOTES_CONTROLS_ALLOWED) or category == "Cs":
            raise Refused("bad_notes", f"Notes may not contain U+{ord(char):04X}.")
    return text


def inspection_extension(
    plan_code: str,
    plan_version: int,
    judged: list[dict[str, Any]],
    verdict: Verdict,
    *,
    notes: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> dict[str, Any]:
    """``st:inspection``: plan, version, verdict and every checkpoint with its outcome; the
    notes and the attachments (``mediaType``, ``sha256``, ``size``) only when there are any."""
    inspection: dict[str, Any] = {
        "plan": plan_code,
        "version": plan_version,
        "verdict": verdict.value,
        "checkpoints": judged,
    }
    if notes is not None:
        inspection["notes"] = notes
    if attachments:
        inspection["attachments"] = [attachment.as_json() for attachment in attachments]
    return {"st:inspection": inspection}


def _check_attachments(conn: Connection, attachments: Sequence[Attachment]) -> None:
    if len({a.sha256 for a in attachments}) != len(attachments):
        raise Refused("duplicate", "An attachment is named twice.")
    for attachment in attachments:
        check_attachment(attachment)
        stored = read_attachment(conn, attachment.sha256)
        if stored is None or stored.attachment != attachment:
            raise Refused(
                "unknown_attachment",
                f"Attachment {attachment.sha256[:16]}… is not stored: store its bytes first.",
            )


def _check_items(conn: Connection, uris: Sequence[str], product_id: int | None) -> None:
    if not uris or len(set(uris)) != len(uris):
        raise Refused("no_items", "Name each inspected item once.")
    for uri in uris:
        if current_state(conn, uri) is None:
            raise Refused("unknown_item", f"{uri} has no recorded events.", subject=uri)
        holder = held_by(conn, uri)
        if holder is not None:
            raise Refused("on_hold", f"{uri} is on hold ({holder}): release it first.", subject=uri)
        gtin = parse_uri(uri).gtin
        if product_id is not None and (gtin is None or product_by_di(conn, gtin).id != product_id):
            raise Refused("wrong_plan", f"The plan is not for {uri}'s product.", subject=uri)


def record_inspection(
    conn: Connection,
    ctx: WriteContext,
    *,
    uris: Sequence[str],
    plan_code: str,
    plan_version: int,
    results: Sequence[CheckpointResult],
    verdict: Verdict,
    notes: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> RecordedEvent:
    """Record an inspection of ``uris`` (lots or units) with ``verdict``.

    A pass with any failed checkpoint is refused (``verdict_contradicts_results``); a fail
    with every checkpoint passed is allowed: the inspector may reject on judgement.
    ``notes`` (:func:`checked_notes`) and ``attachments`` go into ``st:inspection``; each
    attachment must already be stored (:func:`station.services.attachments.store_attachment`,
    same transaction), else ``unknown_attachment``. Permission ``inspection.record``.
    """
    require(ctx, INSPECTION_RECORD)
    kept_notes = checked_notes(notes)
    attachments = tuple(attachments)
    _check_attachments(conn, attachments)
    product_id, points = _plan(conn, plan_code, plan_version)
    judged = _judged(points, results)
    if verdict is Verdict.PASS and any(entry["outcome"] == "fail" for entry in judged):
        raise Refused(
            "verdict_contradicts_results", "A checkpoint failed: the verdict cannot be pass."
        )
    _check_items(conn, uris, product_id)
    action = LotAction.ACCEPT if verdict is Verdict.PASS else LotAction.REJECT
    for uri in uris:
        if lifecycle.lot_of(conn, uri) == uri:
            lifecycle.require(conn, uri, action)
    epcs, quantities = split_uris(uris)
    failed = verdict is Verdict.FAIL
    draft = ObjectEventDraft(
        action=Action.OBSERVE,
        biz_step="inspecting",
        disposition="non_conformant" if failed else "conformant",
        epcs=epcs,
        quantities=quantities,
        persistent_disposition=PersistentDisposition(set=("non_conformant",)) if failed else None,
        biz_location=station_location(conn, ctx),
    )
    extensions = inspection_extension(
        plan_code, plan_version, judged, verdict, notes=kept_notes, attachments=attachments
    )
    return record(conn, ctx, draft, extensions=extensions)
