"""A printable report of a trace or recall: a pure model, written as CSV here, as PDF by
``drivers.reports.pdf``.

Labels are bilingual ("中文 / English"): the report goes to QA, regulators and auditors alike.
CSV is UTF-8 with a BOM (Excel otherwise reads it as the local code page) and every cell passes
through :func:`~station.masterdata.csvio.guard_cell`: lot numbers and customer names are data
from outside, and a cell starting with ``=`` must never become a formula (SEC-9).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from station.context import offset_text
from station.masterdata.csvio import guard_cell
from station.signatures.manifest import meaning_word, signed_time_text
from station.signatures.meaning import STATUS_WORDS
from station.trace.model import (
    ItemStatus,
    RecallResult,
    SignatureNote,
    TimelineEntry,
    TraceResult,
)

__all__ = ["STATUS_LABELS", "Report", "csv_text", "recall_report", "trace_report", "write_csv"]

STATUS_LABELS = {
    "in_stock": "在库 / In stock",
    "shipped": "已发货 / Shipped",
    "returned": "已退回 / Returned",
    "on_hold": "冻结 / On hold",
}
_KIND_LABELS = {"unit": "单品 / Unit", "lot": "批次 / Lot", "container": "包装 / Container"}


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a report shows, already as text; renderers only lay it out."""

    title: str
    code: str
    station: str
    generated_at: str  # local time with its UTC offset
    summary: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S ") + offset_text(moment)


def _item_row(item: ItemStatus) -> tuple[str, ...]:
    return (
        _KIND_LABELS.get(item.kind, item.kind),
        item.serial or "",
        item.lot or "",
        item.product or "",
        STATUS_LABELS.get(item.status, item.status),
        (item.holder.name or item.holder.uri) if item.holder else "",
        item.container or "",
        item.uri,
    )


def recall_report(result: RecallResult, *, station: str, generated_at: datetime) -> Report:
    units = len(result.units)
    summary = [
        ("受影响单品 / Affected units", str(units)),
        ("受影响批次 / Affected lots", str(len(result.lots))),
        ("受影响包装 / Affected containers", str(len(result.containers))),
        *(
            (f"状态 / Status: {STATUS_LABELS.get(k, k)}", str(v))
            for k, v in result.by_status.items()
        ),
        *(
            (f"客户 / Customer: {result.customer_name(uri)}", str(count))
            for uri, count in result.by_customer.items()
        ),
        (
            "模拟召回 / Mock recall",
            (
                f"{units} 件单品定位用时 {result.elapsed_seconds:.3f} 秒 / "
                f"{units} units located in {result.elapsed_seconds:.3f} s"
            ),
        ),
    ]
    if result.message:
        summary.append(("说明 / Note", result.message))
    columns = (
        "类型 / Kind",
        "序列号 / Serial",
        "批号 / Lot",
        "产品 / Product",
        "状态 / Status",
        "客户 / Customer",
        "包装 / Container",
        "标识 / Identifier",
    )
    items = (*result.units, *result.lots, *result.containers)
    return Report(
        title="召回报告 / Recall report",
        code=result.code,
        station=station,
        generated_at=_stamp(generated_at),
        summary=tuple(summary),
        columns=columns,
        rows=tuple(_item_row(item) for item in items),
    )


def _signature_text(note: SignatureNote) -> str:
    """``李四 (lisi) — 已放行 / Released — 2026-12-07 14:03:12 +08:00 [有效 / valid]``."""
    meaning = f"{meaning_word(note.meaning, 'zh_CN')} / {meaning_word(note.meaning)}"
    zh, en = STATUS_WORDS["zh_CN"], STATUS_WORDS["en"]
    status = f"{zh.get(note.status, note.status)} / {en.get(note.status, note.status)}"
    when = signed_time_text(note.signed_at)
    return f"{note.printed_name} ({note.signer_id}) — {meaning} — {when} [{status}]"


def _who(entry: TimelineEntry) -> str:
    """The actor's printed name with the id, or the id alone.

    >>> from station.trace.model import TimelineEntry
    >>> fields = dict(seq=1, event_id="e", event_time="t", event_tz_offset="+08:00",
    ...     event_type="ObjectEvent", action=None, biz_step=None, disposition=None,
    ...     station=None, read_point=None, biz_location=None, via="self", parties=(),
    ...     declared_in_error=False, corrects=None)
    >>> _who(TimelineEntry(actor="u-wang", actor_name="王芳 Wang Fang", **fields))
    '王芳 Wang Fang (u-wang)'
    >>> _who(TimelineEntry(actor="u-x", **fields)), _who(TimelineEntry(actor=None, **fields))
    ('u-x', '')
    """
    if entry.actor is None:
        return ""
    return f"{entry.actor_name} ({entry.actor})" if entry.actor_name else entry.actor


def trace_report(result: TraceResult, *, station: str, generated_at: datetime) -> Report:
    forward = result.forward
    summary = [
        ("标识 / Identifiers", ", ".join(result.identifiers)),
        ("供应商批次 / Supplier lots", ", ".join(result.backward.supplier_lots)),
        ("供应商 / Suppliers", ", ".join(p.name or p.uri for p in result.backward.suppliers)),
        ("下游单品 / Units made", str(len(forward.units))),
        ("客户 / Customers", ", ".join(p.name or p.uri for p in forward.customers)),
    ]
    if result.message:
        summary.append(("说明 / Note", result.message))
    columns = (
        "时间 / Time",
        "业务步骤 / Step",
        "处置 / Disposition",
        "操作员 / Actor",
        "站点 / Station",
        "来源 / Via",
        "事件 / Event",
        "电子签名 / Signatures",
    )
    rows = tuple(
        (
            f"{e.event_time} ({e.event_tz_offset})",
            e.biz_step or e.event_type,
            e.disposition or "",
            _who(e),
            e.station or "",
            e.via
            + (" [已更正 / declared in error]" if e.declared_in_error else "")
            + (" [手工输入 / typed]" if e.entry_method == "manual" else ""),
            e.event_id,
            "; ".join(_signature_text(note) for note in e.signatures),
        )
        for e in result.timeline
    )
    return Report(
        title="追溯报告 / Trace report",
        code=result.code,
        station=station,
        generated_at=_stamp(generated_at),
        summary=tuple(summary),
        columns=columns,
        rows=rows,
    )


def csv_text(report: Report) -> str:
    """The report as CSV text (without BOM): a header block, a blank line, then the table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    head = [
        (report.title, report.code),
        ("站点 / Station", report.station),
        ("生成时间 / Generated", report.generated_at),
        *report.summary,
    ]
    for row in (*head, (), report.columns, *report.rows):
        writer.writerow([guard_cell(cell) for cell in row])
    return buffer.getvalue()


def write_csv(report: Report, path: Path) -> None:
    """Write UTF-8 with BOM, so Excel shows the Chinese text correctly."""
    path.write_text(csv_text(report), encoding="utf-8-sig", newline="")
