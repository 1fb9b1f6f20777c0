"""``station label``: templates, previews, production printing with read-back, governance.

* ``templates [--json] [--db PATH]`` — the stock templates (and the versions stored in a DB);
* ``render --template NAME --data FILE.json --format pdf|zpl|png [--dpi N] --out FILE`` — a
  preview of a stock template (or of the approved version in ``--db``); records nothing;
* ``print --db PATH --printer NAME --template NAME --data FILE.json [--copies N]`` — plan
  (serials allocated and committed), render, send, record the outcome, then read every label
  back and record the check (``--no-verify`` skips it); exit 0 only when every label was sent
  and read back correctly;
* ``reprint --db PATH --job ID --reason TEXT [--label N ...]`` — the same labels again;
* ``draft --db PATH (--stock NAME | --file FILE.toml)``, ``approve --template NAME --version N
  --reason TEXT`` and ``retire NAME [--version N] --reason TEXT`` (one version, or without
  ``--version`` every version: the template) — template governance.

Printers come from a TOML file (``--printers``): one table per printer, e.g.
``[line1] transport = "tcp"``, ``host = "10.0.0.5"``, ``language = "zpl"``, ``dpi = 300``
(``docs/printers.md`` lists each transport's keys). The printer ``simulated`` always exists: a
ZPL printer on loopback started for the command. ``--role`` stands in for the login (issue 7)
and is recorded in every audit entry the command causes.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

from station.access import ROLES
from station.context import WriteContext
from station.errors import StationError
from station.labels.data import LabelData
from station.labels.resolve import resolve
from station.labels.stock import stock_template, stock_templates
from station.labels.template import LabelTemplate, load_template
from ui.audited import submit_audited
from ui.commands.actor import add_actor_options, write_context
from ui.commands.label_tools import register_tools
from ui.print_run import (
    CHECKED,
    OS_QUEUE,
    SENT,
    SIMULATED_PRINTER,
    PrinterChoice,
    render_labels,
)

__all__ = ["register"]


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "label", help="label templates and printing"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    register_tools(actions, _printer)

    listing = actions.add_parser("templates", help="list the label templates")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--db", type=Path, metavar="PATH", help="also the stored versions")
    listing.set_defaults(handler=run_templates)

    render = actions.add_parser("render", help="render a preview (records nothing)")
    render.add_argument("--template", required=True, metavar="NAME")
    render.add_argument("--data", type=Path, required=True, metavar="FILE.json")
    render.add_argument("--format", required=True, choices=("pdf", "zpl", "png"))
    render.add_argument("--dpi", type=int, default=300, choices=(203, 300, 600))
    render.add_argument("--out", type=Path, required=True, metavar="FILE")
    render.add_argument("--db", type=Path, metavar="PATH", help="use the approved version here")
    render.set_defaults(handler=run_render)

    printing = actions.add_parser("print", help="print labels, record them, read them back")
    _add_db_and_actor(printing)
    printing.add_argument("--printer", required=True, metavar="NAME")
    printing.add_argument("--printers", type=Path, metavar="FILE", help="printer definitions")
    printing.add_argument("--template", required=True, metavar="NAME")
    printing.add_argument("--data", type=Path, required=True, metavar="FILE.json")
    printing.add_argument("--copies", type=int, default=1)
    printing.add_argument("--no-verify", action="store_true", help="skip the read-back")
    printing.set_defaults(handler=run_print)

    reprint = actions.add_parser("reprint", help="print labels of a job again (with a reason)")
    _add_db_and_actor(reprint)
    reprint.add_argument("--job", required=True, metavar="ID")
    reprint.add_argument("--reason", required=True)
    reprint.add_argument("--label", type=int, action="append", metavar="N", help="label index")
    reprint.add_argument("--printer", metavar="NAME", help="default: the job's printer")
    reprint.add_argument("--printers", type=Path, metavar="FILE")
    reprint.add_argument("--no-verify", action="store_true")
    reprint.set_defaults(handler=run_reprint)

    draft = actions.add_parser("draft", help="store a new template version as a draft")
    _add_db_and_actor(draft)
    source = draft.add_mutually_exclusive_group(required=True)
    source.add_argument("--stock", metavar="NAME")
    source.add_argument("--file", type=Path, metavar="FILE.toml")
    draft.set_defaults(handler=run_draft)

    _register_governance(actions)


def _register_governance(actions: Any) -> None:
    approve = actions.add_parser("approve", help="approve a draft for production")
    _add_db_and_actor(approve)
    approve.add_argument("--template", required=True, metavar="NAME")
    approve.add_argument("--version", type=int, required=True)
    approve.add_argument("--reason", required=True)
    approve.set_defaults(handler=run_govern, verb="approve")
    retire = actions.add_parser(
        "retire", help="take a template version (or, without --version, the template) out of use"
    )
    _add_db_and_actor(retire)
    retire.add_argument("template", metavar="NAME")
    retire.add_argument("--version", type=int, help="one version; without it, every version")
    retire.add_argument("--reason", required=True)
    retire.set_defaults(handler=run_retire)


def _add_db_and_actor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, required=True, metavar="PATH")
    parser.add_argument(
        "--role",
        choices=ROLES,
        default="operator",
        help="the role acted in until login exists (recorded in the audit trail)",
    )
    add_actor_options(parser)


def _context(args: argparse.Namespace) -> WriteContext:
    ctx = write_context(args.user, args.station)
    return WriteContext(
        station=ctx.station,
        actor=ctx.actor,
        actor_name=ctx.actor_name,
        roles=frozenset({args.role}),
    )


def _fail(message: str, status: int = 1) -> int:
    print(f"station label: {message}", file=sys.stderr)
    return status


def _read_data(path: Path) -> LabelData:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        msg = f"cannot read {path}: {error}"
        raise StationError(msg) from None
    if not isinstance(document, dict):
        msg = f"{path}: the data must be one JSON object of strings"
        raise StationError(msg)
    return LabelData.from_mapping(document)


# ----------------------------------------------------------------------------- templates


def _describe(template: LabelTemplate, status: str) -> dict[str, object]:
    return {
        "name": template.name,
        "version": template.version,
        "status": status,
        "title_en": template.title_en,
        "title_zh": template.title_zh,
        "width_mm": template.width,
        "height_mm": template.height,
        "fields": list(template.fields),
        "required": list(template.required),
        "optional": sorted(template.optional & set(template.fields)),
        "sha256": template.sha256,
    }


def run_templates(args: argparse.Namespace) -> int:
    try:
        rows = [_describe(t, "stock") for t in stock_templates().values()]
        if args.db is not None:
            rows += _stored_templates(args.db)
    except StationError as error:
        return _fail(str(error))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        size = f"{row['width_mm']:g}×{row['height_mm']:g} mm"
        print(
            f"{row['name']:<12} v{row['version']:<3} {row['status']:<8} {size:<14}"
            f" {row['title_en']} / {row['title_zh']}"
        )
        needs = ", ".join(str(key) for key in row["required"])  # type: ignore[attr-defined]
        print(f"{'':<12} needs: {needs}")
    return 0


def _stored_templates(db: Path) -> list[dict[str, object]]:
    from station.labels.governance import template_at, template_versions  # noqa: PLC0415
    from station.persistence.db import close_engine, open_engine  # noqa: PLC0415

    engine = open_engine(db)
    try:
        with engine.connect() as conn:
            return [
                _describe(template_at(conn, v.name, v.version), v.status)
                | {"approved_by": v.approved_by, "created_by": v.created_by}
                for v in template_versions(conn)
            ]
    finally:
        close_engine(engine)


# ----------------------------------------------------------------------------- render


def run_render(args: argparse.Namespace) -> int:
    try:
        data = _read_data(args.data)
        if args.db is not None:
            template = _approved(args.db, args.template)
        else:
            template = stock_template(args.template)
        label = resolve(template, data)
        output = render_labels([label], args.format, args.dpi)
        args.out.write_bytes(output)
    except (StationError, OSError) as error:
        return _fail(f"nothing rendered: {error}")
    print(f"{args.out}: {template.name} v{template.version}, {args.format}, {len(output)} bytes")
    return 0


def _approved(db: Path, name: str) -> LabelTemplate:
    from station.labels.governance import approved_template  # noqa: PLC0415
    from station.persistence.db import close_engine, open_engine  # noqa: PLC0415

    engine = open_engine(db)
    try:
        with engine.connect() as conn:
            return approved_template(conn, name)
    finally:
        close_engine(engine)


# ----------------------------------------------------------------------------- printers


def _printer(name: str, printers_file: Path | None) -> PrinterChoice:
    if name == SIMULATED_PRINTER:
        return PrinterChoice(name, "zpl", 203, {"transport": SIMULATED_PRINTER})
    if printers_file is None:
        msg = f"printer {name!r}: give --printers FILE (or use the printer {SIMULATED_PRINTER!r})"
        raise StationError(msg)
    try:
        table = tomllib.loads(printers_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        msg = f"cannot read {printers_file}: {error}"
        raise StationError(msg) from None
    entry = table.get(name)
    if not isinstance(entry, dict):
        msg = f"no printer {name!r} in {printers_file} (there are: {', '.join(table)})"
        raise StationError(msg)
    settings = dict(entry)
    language = settings.pop("language", "zpl")
    dpi = settings.pop("dpi", 203)
    check_status = settings.pop("check_status", True)
    if language not in ("zpl", "pdf", "png") or dpi not in (203, 300, 600):
        msg = f"printer {name!r}: language must be zpl, pdf or png and dpi 203, 300 or 600"
        raise StationError(msg)
    if (language == "png") != (settings.get("transport") == OS_QUEUE):
        msg = f"printer {name!r}: an {OS_QUEUE} printer prints png, and only it does"
        raise StationError(msg)
    if not isinstance(check_status, bool):
        msg = f"printer {name!r}: check_status must be true or false"
        raise StationError(msg)
    return PrinterChoice(name, language, dpi, settings, check_status=check_status)


# ----------------------------------------------------------------------------- print


def _send_and_verify(
    store: Any, ctx: WriteContext, job: Any, choice: PrinterChoice, verify: bool
) -> int:
    """Render, send, record; then read each label back (``ui.print_run``). The job is
    already committed."""
    from ui.label_verifiers import RenderedImageVerifier  # noqa: PLC0415
    from ui.print_run import run_print_job  # noqa: PLC0415

    def progress(step: str, done: int, total: int, message: str) -> None:
        if step == SENT:
            print(message)
            if job.serials:
                print(f"serials {job.serials[0]} … {job.serials[-1]} commissioned")
        elif step == CHECKED:
            print(f"\rread back {done}/{total}", end="", file=sys.stderr)

    result = run_print_job(
        store.writer,
        ctx,
        job,
        choice,
        RenderedImageVerifier() if verify else None,
        progress=progress,
    )
    if not result.sent:
        said = "NOT recorded as printed" if result.may_have_printed else "NOT printed"
        return _fail(f"job {job.job_id}: {said}: {result.detail}")
    if not verify:
        return 0
    print(file=sys.stderr)
    if result.verify_error is not None:
        return _fail(
            f"job {job.job_id}: read-back stopped, {result.unverified} label(s) not read back:"
            f" {result.verify_error}"
        )
    if result.failed_checks:
        return _fail(
            f"job {job.job_id}: {result.failed_checks} label(s) failed the read-back; the printer"
            " is stopped until they are reprinted and read back correctly"
        )
    print(f"job {job.job_id}: every label read back as recorded")
    return 0


def run_print(args: argparse.Namespace) -> int:
    from station.labels.printing import plan_print  # noqa: PLC0415
    from ui.commands.session import write_session  # noqa: PLC0415

    try:
        data = _read_data(args.data)
        choice = _printer(args.printer, args.printers)
        ctx = _context(args)
        with write_session(args.db, args.station, settings_file=args.settings) as store:
            job = submit_audited(
                store.writer,
                ctx,
                lambda conn: plan_print(
                    conn,
                    ctx,
                    template=args.template,
                    data=data,
                    copies=args.copies,
                    printer=choice.name,
                    fmt=choice.language,
                ),
            )
            return _send_and_verify(store, ctx, job, choice, not args.no_verify)
    except StationError as error:
        return _fail(f"nothing printed: {error}")


def run_reprint(args: argparse.Namespace) -> int:
    from station.labels.printing import plan_reprint  # noqa: PLC0415
    from ui.commands.session import write_session  # noqa: PLC0415

    try:
        ctx = _context(args)
        choice = _printer(args.printer, args.printers) if args.printer else None
        with write_session(args.db, args.station, settings_file=args.settings) as store:
            job = submit_audited(
                store.writer,
                ctx,
                lambda conn: plan_reprint(
                    conn,
                    ctx,
                    job_id=args.job,
                    reason=args.reason,
                    labels=args.label,
                    printer=choice.name if choice else None,
                    fmt=choice.language if choice else None,
                ),
            )
            if choice is None:
                choice = _printer(job.printer, args.printers)
            if job.retired_template is not None:
                print(
                    f"note: template {job.retired_template} is retired; this reprint reproduces"
                    " the label as first printed (recorded in the audit trail)"
                )
            return _send_and_verify(store, ctx, job, choice, not args.no_verify)
    except StationError as error:
        return _fail(f"nothing reprinted: {error}")


# ----------------------------------------------------------------------------- governance


def run_draft(args: argparse.Namespace) -> int:
    from station.labels.governance import save_draft  # noqa: PLC0415
    from ui.commands.session import write_session  # noqa: PLC0415

    try:
        template = stock_template(args.stock) if args.stock else load_template(args.file)
        ctx = _context(args)
        with write_session(args.db, args.station, settings_file=args.settings) as store:
            stored = submit_audited(store.writer, ctx, lambda conn: save_draft(conn, ctx, template))
    except StationError as error:
        return _fail(f"no draft stored: {error}")
    print(f"{stored.name} v{stored.version}: draft (sha256 {stored.sha256})")
    return 0


def run_govern(args: argparse.Namespace) -> int:
    from station.labels.governance import approve_template, retire_template  # noqa: PLC0415
    from ui.commands.session import write_session  # noqa: PLC0415

    step = approve_template if args.verb == "approve" else retire_template
    try:
        ctx = _context(args)
        with write_session(args.db, args.station, settings_file=args.settings) as store:
            version = submit_audited(
                store.writer,
                ctx,
                lambda conn: step(conn, ctx, args.template, args.version, args.reason),
            )
    except StationError as error:
        return _fail(f"{args.verb}: nothing changed: {error}")
    print(f"{version.name} v{version.version}: {version.status}")
    return 0


def run_retire(args: argparse.Namespace) -> int:
    from station.labels.governance import (  # noqa: PLC0415
        TemplateVersion,
        retire_all_versions,
        retire_template,
    )
    from ui.commands.session import write_session  # noqa: PLC0415

    def retire(conn: Any) -> list[TemplateVersion]:
        if args.version is None:
            return retire_all_versions(conn, ctx, args.template, args.reason)
        return [retire_template(conn, ctx, args.template, args.version, args.reason)]

    try:
        ctx = _context(args)
        with write_session(args.db, args.station, settings_file=args.settings) as store:
            retired = submit_audited(store.writer, ctx, retire)
    except StationError as error:
        return _fail(f"retire: nothing changed: {error}")
    for version in retired:
        print(f"{version.name} v{version.version}: {version.status}")
    return 0
