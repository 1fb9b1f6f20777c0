"""Fill unfinished translations in a ``.ts`` catalog from JSON tables, then recompile.

    .venv/bin/python -m tools.i18n_fill TABLE.json [TABLE.json ...] [--language zh_CN]

A table maps Qt context → English source → translation::

    {"CameraPreview": {"{fps} fps": "{fps} 帧/秒"}}

Only messages that are in the catalog (run ``tools.i18n_update`` first, so lupdate has found
the new texts) and still unfinished are filled; a finished translation is never overwritten,
and a table entry the catalog does not have is reported, so a typo cannot pass silently. A
translation whose ``{placeholders}`` differ from its source's is refused. Then
``tools.i18n_update`` runs again to normalise the file and compile the ``.qm``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tools import i18n_update

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\d+|%n")


def placeholders(text: str) -> list[str]:
    """The placeholders a message must keep, sorted.

    >>> placeholders("{count} codes in %1")
    ['%1', '{count}']
    """
    return sorted(PLACEHOLDER.findall(text))


def fill(ts: Path, table: dict[str, dict[str, str]]) -> tuple[int, list[str]]:
    """Fill ``ts`` in place; returns (how many filled, problems)."""
    tree = ET.parse(ts)
    problems: list[str] = []
    filled = 0
    wanted = {(c, s): t for c, entries in table.items() for s, t in entries.items()}
    seen: set[tuple[str, str]] = set()
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            source = message.findtext("source", "")
            key = (name, source)
            if key not in wanted:
                continue
            seen.add(key)
            translation = message.find("translation")
            if translation is None or translation.get("type") not in ("unfinished", None):
                continue
            if translation.get("type") is None and translation.text:
                continue  # finished: never overwritten
            text = wanted[key]
            if placeholders(text) != placeholders(source):
                problems.append(f"{name}: placeholders differ: {source!r} → {text!r}")
                continue
            translation.text = text
            translation.attrib.pop("type", None)
            filled += 1
    problems += [f"{c}: not in the catalog: {s!r}" for c, s in sorted(set(wanted) - seen)]
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )
    return filled, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tables", nargs="+", type=Path)
    parser.add_argument("--language", default="zh_CN")
    args = parser.parse_args(argv)
    table: dict[str, dict[str, str]] = {}
    for path in args.tables:
        for context, entries in json.loads(path.read_text(encoding="utf-8")).items():
            table.setdefault(context, {}).update(entries)
    filled, problems = fill(i18n_update.ts_path(args.language), table)
    for problem in problems:
        print("i18n_fill:", problem, file=sys.stderr)
    print(f"filled {filled} translations")
    i18n_update.main([])
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
