"""Print jobs as records: planned (serials allocated) → sent or failed → read back.

The station prints in three steps, each its own transaction on the single writer:

1. :func:`plan_print` checks permission, template approval, lot state and data, allocates the
   serials and stores the job. It commits *before* anything is rendered: a crash after it
   leaves numbers that are never reused, never a number printed twice.
2. The caller renders the labels and hands the bytes to a transport (``drivers``), then
   :func:`record_outcome` stores ``sent`` only if the transport accepted every byte, with the
   SHA-256 of those bytes; a sent production job commissions its serialised units.
3. :func:`record_check` stores what was read back from each printed label against what it must
   carry. While a label that failed its read-back has not been reprinted and read back
   correctly, the printer takes no new job (:func:`blocking_failure`): the line stops.

Reprints (:func:`plan_reprint`) need ``label.reprint`` and a reason, reproduce the original
template version and data exactly, and are recorded as reprints; they commission nothing. A
reprint of a label whose template version has since been retired still reproduces it — the
unit carries that label and the record names that version — and says so: the planned job's
``retired_template`` and an audit entry ``label.reprint.retired_template`` (QA sees in the
trail which labels left the station on a layout no longer in use).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text

from station.access import LABEL_PRINT, LABEL_REPRINT, require
from station.context import WriteContext, utc_text
from station.events.ids import lgtin_uri
from station.events.uuid7 import new_event_id
from station.labels.data import LabelData, LabelDataError
from station.labels.governance import approved_template, template_at, template_versions
from station.labels.model import ResolvedLabel
from station.labels.resolve import resolve
from station.labels.serials import DEFAULT_SERIAL_FORMAT, allocate_serials, serials_of_job
from station.labels.template import LabelTemplate
from station.ledger.audit import record_audit
from station.ledger.canonical import canonical_json
from station.services import lifecycle
from station.services.commissioning import commission_serials, serials_draft
from station.services.errors import Refused
from station.services.items import not_held
from station.services.lifecycle import LotAction
from station.services.orders import product_by_di

__all__ = [
    "FORMATS",
    "CheckResult",
    "Outcome",
    "PlannedJob",
    "blocking_failure",
    "job_labels",
    "plan_print",
    "plan_reprint",
    "record_check",
    "record_outcome",
]

FORMATS = ("zpl", "pdf", "png")


@dataclass(frozen=True, slots=True)
class PlannedJob:
    job_id: str
    kind: str  # print | reprint
    printer: str
    format: str
    labels: tuple[ResolvedLabel, ...]
    serials: tuple[str, ...] = ()
    #: A reprint's template version retired since it was first printed: ``name@version``.
    retired_template: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # sent | failed
    job_id: str
    commissioning_refused: str | None = None


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One label read back: ``missing`` lists the symbols (expected content) not read."""

    job_id: str
    label_index: int
    expected: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.missing


def _resolve_all(
    template: LabelTemplate, datas: Sequence[LabelData], today: date
) -> tuple[ResolvedLabel, ...]:
    try:
        return tuple(resolve(template, data, today=today) for data in datas)
    except LabelDataError as error:
        raise Refused("bad_label_data", f"The label data cannot be printed: {error}") from None


def blocking_failure(conn: Connection, printer: str) -> str | None:
    """The content of a label on ``printer`` that failed its read-back and has not since been
    reprinted and read back correctly, or None when the printer is free to print.

    Only a passing check of a *reprint* clears a failure: another label of the same job with
    the same content (a lot label without serials) passing is not a replacement for the bad one.
    """
    row = conn.execute(
        text(
            "SELECT c.expected FROM label_check c JOIN print_job j ON j.job_id = c.job_id"
            " WHERE j.printer = :printer AND NOT c.passed AND NOT EXISTS ("
            "  SELECT 1 FROM label_check d JOIN print_job r ON r.job_id = d.job_id"
            "  WHERE r.kind = 'reprint' AND d.expected = c.expected AND d.passed"
            "  AND d.id > c.id) ORDER BY c.id LIMIT 1"
        ),
        {"printer": printer},
    ).first()
    return row[0] if row is not None else None


def _check_printer(conn: Connection, printer: str, fmt: str) -> None:
    if fmt not in FORMATS:
        raise Refused("bad_format", f"Print format must be one of {', '.join(FORMATS)}.")
    failed = blocking_failure(conn, printer)
    if failed is not None:
        raise Refused(
            "verify_failed",
            f"A label printed on {printer} failed its read-back ({failed!r}); reprint it and"
            " read it back before printing more.",
            subject=printer,
        )


def _check_lot(conn: Connection, data: LabelData) -> None:
    """Finished devices get labels only from ACCEPTED, unheld lots (P11-F1)."""
    gtin, lot = data.get("gtin"), data.get("lot")
    if gtin is None or lot is None:
        return
    product = product_by_di(conn, gtin.rjust(14, "0"))
    is_material = conn.execute(
        text("SELECT is_material FROM product WHERE id = :id"), {"id": product.id}
    ).scalar_one()
    if is_material:
        return  # supplier material: goods-in labels come before inspection
    lot_uri = lgtin_uri(product.di, lot)
    lifecycle.require(conn, lot_uri, LotAction.LABEL)
    not_held(conn, lot_uri)


def _serialised(
    conn: Connection,
    ctx: WriteContext,
    data: LabelData,
    *,
    copies: int,
    job_id: str,
    serial_format: str,
) -> tuple[list[LabelData], list[str]]:
    gtin, lot = data.get("gtin"), data.get("lot")
    expiry, production = data.date("expiry"), data.date("production_date")
    if gtin is None or lot is None or expiry is None or production is None:
        raise Refused(
            "bad_label_data",
            "Serialised labels need gtin, lot, expiry and production_date: the units are"
            " commissioned when they print.",
        )
    gtin = gtin.rjust(14, "0")
    serials = allocate_serials(
        conn, ctx, gtin=gtin, lot=lot, count=copies, job_id=job_id, serial_format=serial_format
    )
    # Every check commissioning will make, now, before a number reaches a label.
    serials_draft(
        conn, ctx, gtin=gtin, lot=lot, serials=serials, expiry=expiry, production_date=production
    )
    return [data.with_values(serial=serial) for serial in serials], serials


def _store_job(
    conn: Connection,
    ctx: WriteContext,
    job: PlannedJob,
    datas: Sequence[LabelData],
    template: LabelTemplate,
    *,
    reprint_of: str | None = None,
    reason: str | None = None,
) -> None:
    conn.execute(
        text(
            "INSERT INTO print_job (job_id, kind, template, template_version, template_sha256,"
            " printer, format, labels, data, reprint_of, reason, created_at, actor) VALUES"
            " (:job, :kind, :template, :version, :sha, :printer, :format, :labels, :data,"
            " :reprint_of, :reason, :at, :actor)"
        ),
        {
            "job": job.job_id,
            "kind": job.kind,
            "template": template.name,
            "version": template.version,
            "sha": template.sha256,
            "printer": job.printer,
            "format": job.format,
            "labels": len(datas),
            "data": canonical_json([data.as_dict() for data in datas]),
            "reprint_of": reprint_of,
            "reason": reason,
            "at": utc_text(ctx.now()),
            "actor": ctx.actor,
        },
    )


def plan_print(
    conn: Connection,
    ctx: WriteContext,
    *,
    template: str,
    data: LabelData,
    copies: int,
    printer: str,
    fmt: str,
    serial_format: str = DEFAULT_SERIAL_FORMAT,
) -> PlannedJob:
    """Plan ``copies`` labels of the approved ``template``; serials are allocated here.

    A template that prints ``serial`` gets a new serial per label (the data must not bring
    one: serials are the station's to give). Commit before rendering.
    """
    require(ctx, LABEL_PRINT)
    _check_printer(conn, printer, fmt)
    if not 1 <= copies <= 10_000:
        raise Refused("bad_quantity", f"Print 1 to 10,000 labels at a time, not {copies}.")
    chosen = approved_template(conn, template)
    _check_lot(conn, data)
    job_id = new_event_id()
    serials: list[str] = []
    if "serial" in chosen.fields:
        if data.get("serial") is not None:
            raise Refused(
                "serial_given",
                "Serials are allocated by the station; to print a serial again, reprint its label.",
            )
        datas, serials = _serialised(
            conn, ctx, data, copies=copies, job_id=job_id, serial_format=serial_format
        )
    else:
        datas = [data] * copies
    labels = _resolve_all(chosen, datas, ctx.now().date())
    job = PlannedJob(job_id, "print", printer, fmt, labels, tuple(serials))
    _store_job(conn, ctx, job, datas, chosen)
    return job


def _job_row(conn: Connection, job_id: str) -> dict[str, object]:
    row = (
        conn.execute(text("SELECT * FROM print_job WHERE job_id = :job"), {"job": job_id})
        .mappings()
        .first()
    )
    if row is None:
        raise Refused("unknown_job", f"No print job {job_id}.", subject=job_id)
    return dict(row)


def _outcome(conn: Connection, job_id: str) -> str | None:
    return conn.execute(
        text("SELECT status FROM print_outcome WHERE job_id = :job ORDER BY id DESC LIMIT 1"),
        {"job": job_id},
    ).scalar_one_or_none()


def job_labels(conn: Connection, job_id: str) -> tuple[ResolvedLabel, ...]:
    """A stored job's labels, rebuilt from its template version and data (deterministic)."""
    row = _job_row(conn, job_id)
    template = template_at(conn, str(row["template"]), int(str(row["template_version"])))
    datas = [LabelData.from_mapping(values) for values in json.loads(str(row["data"]))]
    created = str(row["created_at"])
    return _resolve_all(template, datas, date.fromisoformat(created[:10]))


def plan_reprint(
    conn: Connection,
    ctx: WriteContext,
    *,
    job_id: str,
    reason: str,
    labels: Sequence[int] | None = None,
    printer: str | None = None,
    fmt: str | None = None,
) -> PlannedJob:
    """Reprint labels of a sent job exactly as they were (same template version, same data)."""
    require(ctx, LABEL_REPRINT)
    if not reason.strip():
        raise Refused("reason_required", "Say why the labels are reprinted.", subject=job_id)
    original = _job_row(conn, job_id)
    if _outcome(conn, job_id) != "sent":
        raise Refused("not_printed", f"Job {job_id} was never printed.", subject=job_id)
    target = printer or str(original["printer"])
    chosen_format = fmt or str(original["format"])
    if chosen_format not in FORMATS:
        raise Refused("bad_format", f"Print format must be one of {', '.join(FORMATS)}.")
    datas = [LabelData.from_mapping(values) for values in json.loads(str(original["data"]))]
    indexes = list(range(len(datas))) if labels is None else list(labels)
    if not indexes or any(not 0 <= n < len(datas) for n in indexes):
        raise Refused("bad_label", f"Job {job_id} has labels 0 to {len(datas) - 1}.")
    template = template_at(conn, str(original["template"]), int(str(original["template_version"])))
    chosen = [datas[n] for n in indexes]
    created = str(original["created_at"])
    printed = _resolve_all(template, chosen, date.fromisoformat(created[:10]))
    retired = _retired_version(conn, template)
    job = PlannedJob(
        new_event_id(), "reprint", target, chosen_format, printed, retired_template=retired
    )
    _store_job(conn, ctx, job, chosen, template, reprint_of=job_id, reason=reason)
    if retired is not None:
        record_audit(
            conn,
            ctx,
            action="label.reprint.retired_template",
            entity="print_job",
            entity_id=job.job_id,
            new={"template": retired, "reprint_of": job_id, "status": "retired"},
            reason=reason,
        )
    return job


def _retired_version(conn: Connection, template: LabelTemplate) -> str | None:
    """``name@version`` when that stored version is retired now, else None."""
    for stored in template_versions(conn, template.name):
        if stored.version == template.version and stored.status == "retired":
            return f"{template.name}@{template.version}"
    return None


def record_outcome(
    conn: Connection,
    ctx: WriteContext,
    *,
    job_id: str,
    sent: bool,
    payload_sha256: str | None,
    detail: str | None = None,
) -> Outcome:
    """Record what the transport said. ``sent`` only when it accepted every byte.

    A sent production job commissions its serialised units; if the ledger refuses that now
    (the lot went on hold after planning), the print is still recorded and
    ``Outcome.commissioning_refused`` says why the units are not commissioned.
    """
    row = _job_row(conn, job_id)
    require(ctx, LABEL_REPRINT if row["kind"] == "reprint" else LABEL_PRINT)
    previous = _outcome(conn, job_id)
    if previous == "sent":
        raise Refused("already_printed", f"Job {job_id} is already recorded as printed.")
    if previous is not None:
        # A failed send may have printed some labels: sending the same serials again could put
        # one serial on two labels. A failed job is over; plan a new one (new serials).
        raise Refused("already_failed", f"Job {job_id} is already recorded as not printed.")
    if sent and not payload_sha256:
        raise Refused("no_payload", "A printed job needs the SHA-256 of what was sent.")
    conn.execute(
        text(
            "INSERT INTO print_outcome (job_id, status, payload_sha256, detail, at)"
            " VALUES (:job, :status, :sha, :detail, :at)"
        ),
        {
            "job": job_id,
            "status": "sent" if sent else "failed",
            "sha": payload_sha256,
            "detail": detail,
            "at": utc_text(ctx.now()),
        },
    )
    serials = serials_of_job(conn, job_id)
    refusal = None
    if sent and row["kind"] == "print" and serials:
        refusal = _commission_printed(conn, ctx, row, serials)
    kind = "reprinted" if row["kind"] == "reprint" else "printed"
    record_audit(
        conn,
        ctx,
        action=f"label.{kind}" if sent else "label.print.failed",
        entity="print_job",
        entity_id=job_id,
        new={
            "template": row["template"],
            "template_version": row["template_version"],
            "template_sha256": row["template_sha256"],
            "printer": row["printer"],
            "format": row["format"],
            "labels": row["labels"],
            "payload_sha256": payload_sha256,
            "serials": len(serials),
            "reprint_of": row["reprint_of"],
            "detail": detail,
            "commissioned": len(serials) if sent and serials and refusal is None else 0,
            "commissioning_refused": refusal,
            "roles": sorted(ctx.roles),
        },
        reason=str(row["reason"]) if row["reason"] is not None else None,
    )
    return Outcome("sent" if sent else "failed", job_id, refusal)


def _commission_printed(
    conn: Connection, ctx: WriteContext, row: dict[str, object], serials: list[str]
) -> str | None:
    """Commission a printed job's units; the refusal's words if the ledger now refuses them.

    The labels exist whatever the ledger says (the lot may have gone on hold since the job was
    planned), so the print is recorded either way and a refusal is kept with it, for a person to
    act on, instead of rolling the print record back. The checks run first, on their own, so a
    refusal leaves nothing half-written.
    """
    first = json.loads(str(row["data"]))[0]
    identity = {
        "gtin": first["gtin"].rjust(14, "0"),
        "lot": first["lot"],
        "serials": serials,
        "expiry": date.fromisoformat(first["expiry"]),
        "production_date": date.fromisoformat(first["production_date"]),
    }
    try:
        serials_draft(conn, ctx, **identity)
    except Refused as refused:
        return str(refused)
    commission_serials(conn, ctx, **identity)
    return None


def record_check(
    conn: Connection,
    ctx: WriteContext,
    *,
    job_id: str,
    label_index: int,
    decoded: Sequence[str],
    payload_sha256: str,
) -> CheckResult:
    """Compare what was read from a printed label with every symbol it must carry."""
    require(ctx, LABEL_PRINT)
    if _outcome(conn, job_id) != "sent":
        raise Refused("not_printed", f"Job {job_id} was never printed.", subject=job_id)
    labels = job_labels(conn, job_id)
    if not 0 <= label_index < len(labels):
        raise Refused("bad_label", f"Job {job_id} has labels 0 to {len(labels) - 1}.")
    expected = tuple(item.expected for item in labels[label_index].barcodes)
    read = set(decoded)
    now = utc_text(ctx.now())
    for content in expected:
        conn.execute(
            text(
                "INSERT INTO label_check (job_id, label_index, expected, decoded, passed,"
                " payload_sha256, at, actor) VALUES (:job, :index, :expected, :decoded,"
                " :passed, :sha, :at, :actor)"
            ),
            {
                "job": job_id,
                "index": label_index,
                "expected": content,
                "decoded": content if content in read else None,
                "passed": content in read,
                "sha": payload_sha256,
                "at": now,
                "actor": ctx.actor,
            },
        )
    result = CheckResult(job_id, label_index, expected, tuple(c for c in expected if c not in read))
    record_audit(
        conn,
        ctx,
        action="label.verified" if result.passed else "label.verify.failed",
        entity="print_job",
        entity_id=job_id,
        new={
            "label": label_index,
            "symbols": len(expected),
            "missing": list(result.missing),
            "read": sorted(read),
            "payload_sha256": payload_sha256,
        },
    )
    return result
