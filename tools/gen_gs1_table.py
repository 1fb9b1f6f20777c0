"""Generate ``station/udi/gs1_table.py`` from the shipped GS1 Barcode Syntax Dictionary.

Usage::

    .venv/bin/python -m tools.gen_gs1_table          # rewrite the table
    .venv/bin/python -m tools.gen_gs1_table --check  # exit 1 if the committed table is stale

The dictionary format is explained in its own header. The generator refuses anything it does not
understand (an unknown attribute, a variable-length component that is not last, an AI that is a
prefix of another) so that a new dictionary release cannot be half-read silently.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

from station.udi.gs1_spec import AISpec, Component

ROOT = Path(__file__).resolve().parents[1]
DICTIONARY = ROOT / "resources" / "gs1" / "gs1-syntax-dictionary.txt"
TABLE = ROOT / "station" / "udi" / "gs1_table.py"

_FLAG_CHARS = frozenset("*!?\"$%&'()+,-./:;<=>@[\\]^_`{|}~")
_COMPONENT = re.compile(r"(\[)?([NXYZ])(\.\.)?(\d+)(\])?((?:,[a-z0-9]+)*)")
_AI_RANGE = re.compile(r"(\d{2,4})(?:-(\d{2,4}))?")


class DictionaryError(ValueError):
    """The dictionary contains something this generator does not understand."""


def _parse_component(token: str, line_no: int) -> Component:
    match = _COMPONENT.fullmatch(token)
    if match is None:
        msg = f"line {line_no}: cannot read component {token!r}"
        raise DictionaryError(msg)
    opening, cset, variable, length, closing, linters = match.groups()
    if bool(opening) != bool(closing):
        msg = f"line {line_no}: unbalanced brackets in {token!r}"
        raise DictionaryError(msg)
    max_length = int(length)
    min_length = 1 if variable else max_length
    names = tuple(name for name in linters.split(",") if name)
    return Component(cset, min_length, max_length, bool(opening), names)


def _expand_ais(token: str, line_no: int) -> list[str]:
    match = _AI_RANGE.fullmatch(token)
    if match is None:
        msg = f"line {line_no}: cannot read AI or AI range {token!r}"
        raise DictionaryError(msg)
    first, last = match.group(1), match.group(2) or match.group(1)
    if len(first) != len(last) or int(last) < int(first):
        msg = f"line {line_no}: bad AI range {token!r}"
        raise DictionaryError(msg)
    return [str(n).zfill(len(first)) for n in range(int(first), int(last) + 1)]


def _parse_line(line: str, line_no: int) -> list[AISpec]:
    body, _, title = line.partition("#")
    tokens = body.split()
    ais = _expand_ais(tokens[0], line_no)
    rest = tokens[1:]
    flags = ""
    if rest and set(rest[0]) <= _FLAG_CHARS:
        flags = rest.pop(0)
    components: list[Component] = []
    while rest and _COMPONENT.fullmatch(rest[0]):
        components.append(_parse_component(rest.pop(0), line_no))
    if not components:
        msg = f"line {line_no}: no components"
        raise DictionaryError(msg)
    for index, component in enumerate(components):
        if component.min_length != component.max_length and index != len(components) - 1:
            msg = f"line {line_no}: only the final component may have a variable length"
            raise DictionaryError(msg)
        if index and components[index - 1].optional and not component.optional:
            msg = f"line {line_no}: a mandatory component follows an optional one"
            raise DictionaryError(msg)
    req: list[tuple[tuple[str, ...], ...]] = []
    ex: list[str] = []
    dlpkey: tuple[tuple[str, ...], ...] | None = None
    for attribute in rest:
        key, has_value, value = attribute.partition("=")
        if key == "req" and has_value:
            req.append(tuple(tuple(group.split("+")) for group in value.split(",")))
        elif key == "ex" and has_value:
            ex.extend(value.split(","))
        elif key == "dlpkey":
            sequences = value.split("|") if has_value else [""]
            dlpkey = tuple(tuple(q for q in seq.split(",") if q) for seq in sequences)
        else:
            msg = f"line {line_no}: unknown attribute {attribute!r}"
            raise DictionaryError(msg)
    unknown_flags = set(flags) - {"*", "?"}
    if unknown_flags:
        msg = f"line {line_no}: unknown flags {sorted(unknown_flags)}"
        raise DictionaryError(msg)
    fixed = "*" in flags
    if fixed and any(c.min_length != c.max_length or c.optional for c in components):
        msg = f"line {line_no}: a pre-defined-length AI must have a fixed length"
        raise DictionaryError(msg)
    min_length = sum(c.min_length for c in components if not c.optional)
    max_length = sum(c.max_length for c in components)
    return [
        AISpec(
            ai,
            title.strip(),
            fixed,
            "?" in flags,
            tuple(components),
            min_length,
            max_length,
            tuple(req),
            tuple(ex),
            dlpkey,
        )
        for ai in ais
    ]


def parse_dictionary(text: str) -> list[AISpec]:
    """Every AI in the dictionary, ranges expanded, in dictionary (lexical) order."""
    specs: list[AISpec] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        specs.extend(_parse_line(line, line_no))
    ais = [spec.ai for spec in specs]
    if len(set(ais)) != len(ais):
        msg = "an AI is defined twice"
        raise DictionaryError(msg)
    for ai in ais:
        for other in ais:
            if other != ai and other.startswith(ai):
                msg = f"AI {ai} is a prefix of AI {other}: element strings would be ambiguous"
                raise DictionaryError(msg)
    return specs


def length_by_prefix(specs: list[AISpec]) -> dict[str, int]:
    """The AI length implied by the AI's first two digits; must be unique per prefix."""
    lengths: dict[str, int] = {}
    for spec in specs:
        known = lengths.setdefault(spec.ai[:2], len(spec.ai))
        if known != len(spec.ai):
            msg = f"AIs starting {spec.ai[:2]} have different lengths"
            raise DictionaryError(msg)
    return lengths


def _literal(value: object) -> str:
    """Python source for a value built only of str, int, bool, None and tuples."""
    if isinstance(value, tuple):
        inner = ", ".join(_literal(item) for item in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def _component_source(component: Component) -> str:
    return (
        f"_C({_literal(component.cset)}, {component.min_length}, {component.max_length}, "
        f"{component.optional}, {_literal(component.linters)})"
    )


def _spec_source(spec: AISpec) -> str:
    components = ", ".join(_component_source(c) for c in spec.components)
    components = f"({components},)" if len(spec.components) == 1 else f"({components})"
    return (
        f"_A({_literal(spec.ai)}, {_literal(spec.title)}, {spec.fixed}, {spec.dl_attr}, "
        f"{components}, {spec.min_length}, {spec.max_length}, {_literal(spec.req)}, "
        f"{_literal(spec.ex)}, {_literal(spec.dlpkey)})"
    )


HEADER = '''\
"""GS1 Application Identifier table, generated from the GS1 Barcode Syntax Dictionary.

GENERATED FILE - DO NOT EDIT. Source: resources/gs1/gs1-syntax-dictionary.txt (Apache-2.0,
GS1 AISBL). Regenerate with ``.venv/bin/python -m tools.gen_gs1_table``; a unit test regenerates
it in memory and fails if it differs from this committed copy, so it cannot drift.
"""

# ruff: noqa: E501, FBT003
# fmt: off
from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from station.udi.gs1_spec import AISpec, Component
'''


def render(dictionary_text: str) -> str:
    """The complete source of ``gs1_table.py`` for the given dictionary text."""
    specs = parse_dictionary(dictionary_text)
    prefixes = length_by_prefix(specs)
    digest = hashlib.sha256(dictionary_text.encode("utf-8")).hexdigest()
    lines = [
        HEADER,
        f'DICTIONARY_SHA256: Final = "{digest}"',
        "",
        "_C = Component",
        "_A = AISpec",
        "",
        "#: Every AI the dictionary defines (ranges expanded), in lexical order.",
        "AI_TABLE: Final[Mapping[str, AISpec]] = {",
    ]
    lines.extend(f'    "{spec.ai}": {_spec_source(spec)},' for spec in specs)
    lines.append("}")
    lines.append("")
    lines.append("#: AI length implied by its first two digits (unique per prefix).")
    lines.append("AI_LENGTH_BY_PREFIX: Final[Mapping[str, int]] = {")
    lines.extend(f'    "{prefix}": {length},' for prefix, length in sorted(prefixes.items()))
    lines.append("}")
    lines.append("# fmt: on")
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the table is stale")
    args = parser.parse_args(argv)
    source = render(DICTIONARY.read_text(encoding="utf-8"))
    if args.check:
        current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
        if current != source:
            print(f"{TABLE.relative_to(ROOT)} is stale: run python -m tools.gen_gs1_table")
            return 1
        print(f"{TABLE.relative_to(ROOT)} is up to date")
        return 0
    TABLE.write_text(source, encoding="utf-8")
    print(f"wrote {TABLE.relative_to(ROOT)} ({source.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
