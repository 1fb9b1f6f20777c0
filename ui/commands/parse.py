"""``station parse``: read codes from arguments or stdin and print what they are.

Invalid codes are data, not failures: the exit status is 0 unless the command was misused.
Stdin carries one raw scan per line; only the line's own ``\\n`` (and a ``\\r`` before it) is
removed — never ``strip()``, which would eat a GS or a HIBC check character that is a space.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from station.errors import ParseError
from station.udi import ParsedCode, ReaderConfig, read_scan
from station.udi.jsonview import as_json
from station.udi.normalize import DEFAULT_GS_SUBSTITUTES
from station.udi.symbology import describe
from ui.display import visible


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "parse",
        help="identify and validate codes",
        description="Parse CODEs (or, with none, one raw scan per line from stdin).",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per code")
    parser.add_argument(
        "--gs",
        action="append",
        default=[],
        metavar="TOKEN",
        help="text the scanner types instead of the GS separator (repeatable; "
        f"always recognised: {' '.join(DEFAULT_GS_SUBSTITUTES)})",
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="reference date for two-digit years (default: today)",
    )
    parser.add_argument("codes", nargs="*", metavar="CODE")
    parser.set_defaults(handler=run)


def _stdin_scans(stream: Iterable[bytes]) -> Iterator[bytes]:
    for line in stream:
        scan = line[:-1] if line.endswith(b"\n") else line
        yield scan[:-1] if scan.endswith(b"\r") else scan


def _config(args: argparse.Namespace) -> ReaderConfig:
    extra = [t for t in args.gs if t not in DEFAULT_GS_SUBSTITUTES]
    gs = tuple(dict.fromkeys([*DEFAULT_GS_SUBSTITUTES, *extra]))
    return ReaderConfig(gs_substitutes=gs, today=args.today)


def _describe(code: ParsedCode) -> str:
    lines = [visible((code.symbology or "") + code.text)]
    symbology = f" · {describe(code.symbology)} ({code.symbology})" if code.symbology else ""
    lines.append(f"  {code.scheme.value}{symbology} · {code.status.value}")
    key_width = max((len(e.key) for e in code.elements), default=0)
    title_width = max((len(e.title) for e in code.elements), default=0)
    for element in code.elements:
        meaning = f"  = {element.interpretation}" if element.interpretation else ""
        value = visible(element.value)
        lines.append(
            f"  {element.key:>{key_width}}  {element.title:<{title_width}}  {value}{meaning}"
        )
    lines.extend(f"  ERROR {i.code}: {i.message}" for i in code.errors)
    lines.extend(f"  note  {i.code}: {i.message}" for i in code.warnings)
    return "\n".join(lines) + "\n"


def _emit(code: ParsedCode, as_json_lines: bool) -> None:
    if as_json_lines:
        out: dict[str, Any] = as_json(code)
        text = json.dumps(out, ensure_ascii=False) + "\n"
    else:
        text = _describe(code)
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def run(args: argparse.Namespace) -> int:
    try:
        config = _config(args)
    except ParseError as exc:
        print(f"station parse: {exc}", file=sys.stderr)
        return 2
    # os.fsencode gives back the exact bytes of each argument, control characters included.
    scans = (os.fsencode(c) for c in args.codes) if args.codes else _stdin_scans(sys.stdin.buffer)
    try:
        for raw in scans:
            _emit(read_scan(raw, config), args.json)
    except BrokenPipeError:  # e.g. `station parse ... | head`
        return 0
    return 0
