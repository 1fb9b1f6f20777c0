"""Exported files from the screens, audited exactly as ``station trace/recall --csv/--pdf`` are.

Each file is written under a ``.partial`` name, hashed, its ``export.*`` audit entry committed
through the station's single writer, and only then renamed into place
(:func:`ui.commands.session.publish_staged`): a report never exists without its entry. The
export needs ``report.export``; a denial is audited (``access.denied``) and raised. Call these
on a worker thread (:func:`ui.screens.background.run_job`): they wait for the writer.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from station.access import REPORT_EXPORT, NotPermittedError, audit_denial, require
from station.context import WriteContext
from station.persistence.store import Store
from station.trace.report import Report
from ui.commands.session import StagedFile, StoreAuditor, discard_staged, publish_staged
from ui.commands.trace import write_report_files
from ui.qt import QFileDialog, QWidget

__all__ = ["ask_save_path", "check_export", "export_report", "export_text"]


def check_export(store: Store, ctx: WriteContext) -> None:
    """Raise unless the user may export; a denial is audited first (P11-F1)."""
    try:
        require(ctx, REPORT_EXPORT)
    except NotPermittedError as denied:
        store.writer.submit(partial(audit_denial, ctx=ctx, denied=denied)).result()
        raise


def _publish(store: Store, ctx: WriteContext, staged: StagedFile) -> str:
    return publish_staged(StoreAuditor(store), ctx, [staged])


def export_report(
    store: Store,
    ctx: WriteContext,
    report: Report,
    target: Path,
    *,
    fmt: str,
    action: str,
    details: Mapping[str, Any],
) -> str:
    """Write ``report`` as ``fmt`` (``csv`` or ``pdf``) to ``target``, audited; where the
    entry went (``audit seq N``)."""
    check_export(store, ctx)
    staged = StagedFile(target, action, {**details, "format": fmt})
    try:
        write_report_files(report, [staged])
    except BaseException:
        discard_staged([staged])
        raise
    return _publish(store, ctx, staged)


def export_text(
    store: Store,
    ctx: WriteContext,
    text: str,
    target: Path,
    *,
    action: str,
    details: Mapping[str, Any],
) -> str:
    """Write ``text`` as UTF-8 with a BOM (Excel) to ``target``, audited."""
    check_export(store, ctx)
    staged = StagedFile(target, action, {**details, "format": "csv"})
    try:
        staged.partial.write_text(text, encoding="utf-8-sig", newline="")
    except BaseException:
        discard_staged([staged])
        raise
    return _publish(store, ctx, staged)


def ask_save_path(parent: QWidget, title: str, suggested: str, pattern: str) -> Path | None:
    """The file to write, asked with the platform's save dialog; None if cancelled."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), pattern)
    return Path(chosen) if chosen else None
