"""``station diagnostics``: which optional libraries work on this machine, in plain words.

Subcommands test the scanner (``docs/scanner-diagnostics.md``):

* ``station diagnostics scanner-sheet --out sheet.pdf [--paper a4|letter]`` prints the test
  sheet;
* ``station diagnostics scanner-check [--how keyboard|serial] [--json]`` reads scans of it from
  standard input, one per line (a keyboard-wedge scanner typing into the terminal, or
  ``cat /dev/ttyACM0 | station diagnostics scanner-check --how serial``) and prints what the
  scanner does wrong and how to fix it.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from drivers.probe import probe_all
from station.scanning.diagnosis import Diagnosis, How, identify, shown, summarise
from station.scanning.findings import Finding, Severity

_MARKS = {Severity.OK: "✔", Severity.INFO: "•", Severity.WARNING: "▲", Severity.ERROR: "✖"}


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "diagnostics",
        help="check the decoders and device libraries this station can use",
        description="Without CHECK: which decoders and device libraries work on this machine. "
        "scanner-sheet and scanner-check test a scanner's set-up (docs/scanner-diagnostics.md).",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=run)
    checks = parser.add_subparsers(dest="diagnostics_check", metavar="CHECK")
    sheet = checks.add_parser("scanner-sheet", help="write the printable scanner test sheet (PDF)")
    sheet.add_argument("--out", required=True, type=Path, help="the PDF file to write")
    sheet.add_argument("--paper", choices=("a4", "letter"), default="a4", help="default: a4")
    sheet.set_defaults(handler=run_scanner_sheet)
    check = checks.add_parser(
        "scanner-check", help="read scans of the test sheet from stdin and diagnose the scanner"
    )
    check.add_argument(
        "--how",
        choices=("keyboard", "serial"),
        default="keyboard",
        help="keyboard: a wedge typing into the terminal (default); serial: raw bytes piped in",
    )
    # SUPPRESS: without it the subcommand's default would overwrite a --json given before it
    # (``station diagnostics --json scanner-check``).
    check.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="one JSON object per scan"
    )
    check.set_defaults(handler=run_scanner_check)


def run(args: argparse.Namespace) -> int:
    statuses = probe_all()
    if args.json:
        report = {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "libraries": [asdict(s) for s in statuses],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"Python {platform.python_version()} on {platform.platform()}")
        for s in statuses:
            mark = "ok     " if s.available else ("MISSING" if s.required else "absent ")
            version = f" {s.version}" if s.version else ""
            print(f"  [{mark}] {s.name}{version}: {s.purpose}")
            if not s.available:
                print(f"            {s.detail}")
    missing_required = [s for s in statuses if s.required and not s.available]
    return 1 if missing_required else 0


def run_scanner_sheet(args: argparse.Namespace) -> int:
    # reportlab and zxing-cpp load only when a sheet is wanted
    from drivers.reports.scanner_sheet import write_scanner_sheet  # noqa: PLC0415

    try:
        write_scanner_sheet(args.out, args.paper)
    except OSError as error:
        print(f"station diagnostics: cannot write {args.out}: {error}", file=sys.stderr)
        return 1
    print(f"Scanner test sheet written to {args.out} ({args.paper.upper()}). Print it at 100 %.")
    return 0


def _finding_json(item: Finding) -> dict[str, str]:
    return {
        "code": item.code,
        "severity": item.severity.value,
        "message": item.message,
        "fix": item.fix,
        "evidence": item.evidence,
    }


def _print_findings(findings: list[Finding], out: TextIO, evidence: str = "{}") -> None:
    for item in findings:
        print(f"    {_MARKS[item.severity]} {item.message}", file=out)
        if item.severity is not Severity.OK:
            print(f"      Fix: {item.fix}", file=out)
        if item.evidence:
            print(f"      ({evidence.format(item.evidence)})", file=out)


def _report_scan(result: Diagnosis, as_json: bool, out: TextIO) -> None:
    if as_json:
        record = {
            "code": result.code.id if result.code else None,
            "number": result.code.number if result.code else None,
            "received_hex": result.received.hex(" ").upper(),
            "findings": [_finding_json(f) for f in result.findings],
        }
        print(json.dumps(record, ensure_ascii=False), file=out)
    else:
        title = f"[{result.code.number}] {result.code.title}" if result.code else "[?]"
        received = shown(result.received.decode("utf-8", "replace"))
        print(f"{title}\n    received: {received}", file=out)
        _print_findings(list(result.findings), out)
    out.flush()


def check_stream(source: BinaryIO, out: TextIO, how: How, as_json: bool) -> int:
    """Diagnose each line of ``source`` as a scan, then print the summary.

    Only the line's own LF is removed: CR, Tab and GS stay, they are what is being tested.
    """
    results: list[Diagnosis] = []
    try:
        while line := source.readline():
            raw = line.removesuffix(b"\n")
            if not raw:
                continue  # an empty line: a second line end (CR LF typed as two Enters)
            result = identify(raw, how)
            results.append(result)
            _report_scan(result, as_json, out)
    except KeyboardInterrupt:
        pass
    summary = summarise(results)
    if as_json:
        print(json.dumps({"summary": [_finding_json(f) for f in summary]}), file=out)
    else:
        print("Summary:", file=out)
        _print_findings(summary, out, evidence="seen on code(s) {}")
    return 0 if [f.code for f in summary] == ["all-correct"] else 1


def run_scanner_check(args: argparse.Namespace) -> int:
    if not args.json and sys.stdin.isatty():
        print("Scan the codes of the test sheet one by one; Ctrl+D ends the test.")
    return check_stream(sys.stdin.buffer, sys.stdout, args.how, args.json)


if __name__ == "__main__":
    sys.exit(run(argparse.Namespace(json=False)))
