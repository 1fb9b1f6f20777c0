"""The QC bench's form logic, without Qt: what a scan names, which plan applies, how each entry
is judged while it is typed, and the results list ``record_inspection`` takes.

The judging rule is the service's (:mod:`station.services.inspection`: a number inside its
plan's limits, inclusive, passes); this module only applies it early, so the screen can show
in/out of spec live and demand a ``fail`` verdict before anything is submitted. The service
judges again when it records: the screen's view is a courtesy, never the record.

The notes and the photo are part of the inspection record: :func:`record_form` stores the
photo's bytes (PNG or JPEG, :func:`station.services.attachments.store_attachment`) and passes
the notes and the photo's description (media type, SHA-256, size) to ``record_inspection``,
which puts them into the event's ``st:inspection``, so the event's hash and any signature of
it cover them; one transaction.

>>> point = PlanPoint(1, "Diameter", "numeric", 4.9, 5.1, "MMT")
>>> judge(point, "5.0"), judge(point, "5.2"), judge(point, "abc"), judge(point, "")
(<Judgement.IN_SPEC: 'in_spec'>, <Judgement.OUT_OF_SPEC: 'out_of_spec'>, \
<Judgement.INVALID: 'invalid'>, <Judgement.EMPTY: 'empty'>)
>>> limits_text(point)
'4.9 – 5.1 mm'
"""

from __future__ import annotations

import enum
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, text

from station.context import WriteContext
from station.events.capture import RecordedEvent
from station.events.ids import parse_uri
from station.services.attachments import Attachment, media_type_of, store_attachment
from station.services.errors import Refused
from station.services.inspection import CheckpointResult, Verdict, record_inspection
from station.services.lifecycle import LotState, lot_of, lot_state
from station.services.projection import current_state
from station.trace.resolve import category_of, resolve

__all__ = [
    "FormResults",
    "Judgement",
    "LastInspection",
    "Plan",
    "PlanPoint",
    "Target",
    "active_plans",
    "build_results",
    "find_target",
    "judge",
    "last_inspection",
    "limits_text",
    "parse_number",
    "photo_digest",
    "record_form",
    "suggested_plan",
    "unit_text",
]

#: UN/CEFACT unit codes of the plans, as people write them.
UNITS: dict[str, str] = {
    "MMT": "mm",
    "CMT": "cm",
    "MTR": "m",
    "MLT": "mL",
    "LTR": "L",
    "GRM": "g",
    "KGM": "kg",
    "CEL": "°C",
    "P1": "%",
    "NEW": "N",
    "KPA": "kPa",
    "SEC": "s",
}


class Judgement(enum.StrEnum):
    EMPTY = "empty"  # nothing entered yet
    INVALID = "invalid"  # not a number
    IN_SPEC = "in_spec"
    OUT_OF_SPEC = "out_of_spec"
    PASS = "pass"  # noqa: S105 - an outcome, not a password
    FAIL = "fail"
    RECORDED = "recorded"  # a text checkpoint


@dataclass(frozen=True, slots=True)
class PlanPoint:
    position: int
    name: str
    kind: str  # numeric | pass_fail | text
    lower: float | None
    upper: float | None
    unit: str | None


@dataclass(frozen=True, slots=True)
class Plan:
    code: str
    version: int
    name: str
    product_di: str | None
    points: tuple[PlanPoint, ...]

    @property
    def key(self) -> tuple[str, int]:
        return (self.code, self.version)


@dataclass(frozen=True, slots=True)
class Target:
    """What a scan names for inspection: one lot or unit, with its state now."""

    uri: str
    kind: str  # lot | unit
    gtin: str | None
    lot: str | None
    serial: str | None
    lot_uri: str | None
    lot_state: LotState | None
    on_hold: bool
    disposition: str | None


@dataclass(frozen=True, slots=True)
class FormResults:
    """The form read once: the results to record, and what stops it from being recorded."""

    results: tuple[CheckpointResult, ...]
    missing: tuple[str, ...]  # checkpoints without an entry
    invalid: tuple[str, ...]  # numeric checkpoints whose entry is not a number
    failed: tuple[str, ...]  # checkpoints out of spec or failed

    @property
    def complete(self) -> bool:
        return not self.missing and not self.invalid

    @property
    def required_verdict(self) -> Verdict | None:
        """``FAIL`` when a checkpoint failed (a pass would be refused); otherwise the
        inspector chooses (a fail on judgement is allowed)."""
        return Verdict.FAIL if self.failed else None


def unit_text(code: str | None) -> str:
    if not code:
        return ""
    return UNITS.get(code, code)


def _number(value: float) -> str:
    return f"{value:g}"


def limits_text(point: PlanPoint) -> str:
    """``4.9 – 5.1 mm``, ``≥ 95 mL``, ``≤ 3 s``; empty for a checkpoint without limits."""
    unit = unit_text(point.unit)
    suffix = f" {unit}" if unit else ""
    if point.lower is not None and point.upper is not None:
        return f"{_number(point.lower)} – {_number(point.upper)}{suffix}"
    if point.lower is not None:
        return f"≥ {_number(point.lower)}{suffix}"
    if point.upper is not None:
        return f"≤ {_number(point.upper)}{suffix}"
    return ""


def parse_number(typed: str) -> float | None:
    """A number as typed at the bench (``5.02``, ``5,02``, ``-1e-3``); None if it is not one.

    >>> parse_number("5,02"), parse_number(" 7 "), parse_number("nan"), parse_number("1 0")
    (5.02, 7.0, None, None)
    """
    candidate = typed.strip().replace(",", ".")
    if not candidate or any(c.isspace() for c in candidate) or not candidate.isascii():
        return None
    try:
        value = float(candidate)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def judge(point: PlanPoint, entry: str | bool | None) -> Judgement:
    """One entry against its checkpoint: numbers against the limits (inclusive), pass/fail as
    given, text recorded when not empty."""
    if point.kind == "numeric":
        if not isinstance(entry, str) or not entry.strip():
            return Judgement.EMPTY
        value = parse_number(entry)
        if value is None:
            return Judgement.INVALID
        low_ok = point.lower is None or value >= point.lower
        high_ok = point.upper is None or value <= point.upper
        return Judgement.IN_SPEC if low_ok and high_ok else Judgement.OUT_OF_SPEC
    if point.kind == "pass_fail":
        if entry is None or not isinstance(entry, bool):
            return Judgement.EMPTY
        return Judgement.PASS if entry else Judgement.FAIL
    if isinstance(entry, str) and entry.strip():
        return Judgement.RECORDED
    return Judgement.EMPTY


def build_results(plan: Plan, entries: Mapping[str, str | bool | None]) -> FormResults:
    """The results of every checkpoint in plan order, by checkpoint name in ``entries``."""
    results: list[CheckpointResult] = []
    missing: list[str] = []
    invalid: list[str] = []
    failed: list[str] = []
    for point in plan.points:
        entry = entries.get(point.name)
        verdict = judge(point, entry)
        if verdict is Judgement.EMPTY:
            missing.append(point.name)
        elif verdict is Judgement.INVALID:
            invalid.append(point.name)
        else:
            if verdict in (Judgement.OUT_OF_SPEC, Judgement.FAIL):
                failed.append(point.name)
            if point.kind == "numeric":
                assert isinstance(entry, str)
                number = parse_number(entry)
                assert number is not None
                results.append(CheckpointResult(point.name, number))
            elif point.kind == "pass_fail":
                assert isinstance(entry, bool)
                results.append(CheckpointResult(point.name, entry))
            else:
                assert isinstance(entry, str)
                results.append(CheckpointResult(point.name, entry))
    return FormResults(tuple(results), tuple(missing), tuple(invalid), tuple(failed))


# ----------------------------------------------------------------------------- reads

_PLANS = text(
    "SELECT p.id, p.code, p.version, p.name, pr.di FROM inspection_plan p"
    " LEFT JOIN product pr ON pr.id = p.product_id WHERE p.active = 1 ORDER BY p.code, p.version"
)
_POINTS = text(
    "SELECT position, name, kind, lower_limit, upper_limit, unit FROM inspection_checkpoint"
    " WHERE plan_id = :plan ORDER BY position"
)
# The plan most recently recorded on any lot or unit of the product.
_LAST_PLAN = text(
    "SELECT e.payload FROM event e JOIN event_ident i ON i.event_seq = e.seq"
    " WHERE i.gtin = :gtin AND i.role IN ('epc', 'quantity') AND e.biz_step = 'inspecting'"
    "   AND e.corrects_event_id IS NULL AND (i.serial IS NULL) = :lot_level"
    " ORDER BY e.seq DESC LIMIT 1"
)


@dataclass(frozen=True, slots=True)
class LastInspection:
    """The newest inspection recorded on an item itself (not declared in error)."""

    event_id: str
    actor: str | None
    verdict: str
    plan: str
    version: int
    event_time: str


_LAST_INSPECTION = text(
    "SELECT e.event_id, e.actor, e.payload, e.event_time FROM event e"
    " JOIN event_ident i ON i.event_seq = e.seq"
    " WHERE i.uri = :uri AND i.role IN ('epc', 'quantity') AND e.biz_step = 'inspecting'"
    "   AND e.corrects_event_id IS NULL"
    "   AND NOT EXISTS (SELECT 1 FROM event d WHERE d.corrects_event_id = e.event_id)"
    " ORDER BY e.seq DESC LIMIT 1"
)


def last_inspection(conn: Connection, uri: str) -> LastInspection | None:
    """The inspection a release or a signature is about: the newest on ``uri`` itself."""
    row = conn.execute(_LAST_INSPECTION, {"uri": uri}).first()
    if row is None:
        return None
    event_id, actor, payload, event_time = row
    inspection = json.loads(payload).get("st:inspection") or {}
    return LastInspection(
        event_id=str(event_id),
        actor=None if actor is None else str(actor),
        verdict=str(inspection.get("verdict", "")),
        plan=str(inspection.get("plan", "")),
        version=int(inspection.get("version", 0)),
        event_time=str(event_time),
    )


def active_plans(conn: Connection) -> tuple[Plan, ...]:
    """Every active inspection plan with its checkpoints, by code and version."""
    plans = []
    for plan_id, code, version, name, di in conn.execute(_PLANS).all():
        points = tuple(
            PlanPoint(position, point, kind, lower, upper, unit)
            for position, point, kind, lower, upper, unit in conn.execute(
                _POINTS, {"plan": plan_id}
            )
        )
        plans.append(Plan(code, int(version), name, di, points))
    return tuple(plans)


def suggested_plan(conn: Connection, target: Target, plans: Sequence[Plan]) -> Plan | None:
    """The plan for ``target``: one made for its product; else the plan last recorded on a
    lot (or unit, for a unit) of the same product; else, when only one plan applies, that one.
    ``None``: the inspector chooses."""
    usable = [plan for plan in plans if plan.product_di in (None, target.gtin)]
    own = [plan for plan in usable if plan.product_di is not None]
    if own:
        return own[-1]
    if target.gtin is not None:
        row = conn.execute(
            _LAST_PLAN, {"gtin": target.gtin, "lot_level": target.kind == "lot"}
        ).first()
        if row is not None:
            inspection = json.loads(row[0]).get("st:inspection") or {}
            key = (inspection.get("plan"), inspection.get("version"))
            found = next((plan for plan in usable if plan.key == key), None)
            if found is not None:
                return found
    return usable[0] if len(usable) == 1 else None


def find_target(conn: Connection, code: str | bytes) -> Target | None:
    """The unit or lot ``code`` names (a scan, its text, a URI, a lot or serial number as
    typed) that has recorded events; a unit before its lot. None when nothing is recorded."""
    for uri in resolve(conn, code).uris:
        kind = category_of(uri)
        if kind not in ("unit", "lot"):
            continue
        state = current_state(conn, uri)
        if state is None:
            continue
        parts = parse_uri(uri)
        lot_uri = lot_of(conn, uri)
        return Target(
            uri=uri,
            kind=kind,
            gtin=parts.gtin or parts.di,
            lot=state.lot or parts.lot,
            serial=parts.serial,
            lot_uri=lot_uri,
            lot_state=lot_state(conn, lot_uri) if lot_uri else None,
            on_hold=state.on_hold,
            disposition=state.disposition,
        )
    return None


# ----------------------------------------------------------------------------- the write


def photo_digest(image: bytes) -> str:
    """The SHA-256 of the photo's bytes, as stored beside the results."""
    return hashlib.sha256(image).hexdigest()


def record_form(
    conn: Connection,
    ctx: WriteContext,
    *,
    uri: str,
    plan: Plan,
    results: Sequence[CheckpointResult],
    verdict: Verdict,
    notes: str = "",
    photo: bytes | None = None,
) -> RecordedEvent:
    """Store the photo's bytes, if any, then record the inspection with the notes and the
    photo's description in the event (the service checks permission, plan, results, verdict,
    notes and attachment); one transaction. A photo that is not PNG or JPEG, or over 5 MB, is
    refused (``bad_attachment``) and nothing is written."""
    attachments: tuple[Attachment, ...] = ()
    if photo:
        media_type = media_type_of(photo)
        if media_type is None:
            raise Refused("bad_attachment", "The photo is not a PNG or JPEG image.")
        attachments = (store_attachment(conn, ctx, photo, media_type=media_type),)
    return record_inspection(
        conn,
        ctx,
        uris=[uri],
        plan_code=plan.code,
        plan_version=plan.version,
        results=results,
        verdict=verdict,
        notes=notes,
        attachments=attachments,
    )
