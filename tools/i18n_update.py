"""Update the translation catalogs from the sources, keeping every existing translation.

    .venv/bin/python -m tools.i18n_update              update the .ts files, compile the .qm
    .venv/bin/python -m tools.i18n_update --check      fail if a .ts would change (CI-style)

1. ``pyside6-lupdate`` scans ``ui/`` for ``tr()`` / ``translate()`` / ``QT_TRANSLATE_NOOP``.
2. The domain core's English texts are added under fixed contexts: every issue template in
   ``station.udi.model.CATALOG`` (``udi.issue``) and every element title (``udi.field``) from
   the GS1 table, any module-level ``FIELD_TITLES`` dict in ``station.udi``, literal titles
   passed to ``Draft.add`` in the reader's sources, and the titles the demo scans produce;
   the scanner test's finding texts (``scanner.finding``) and sheet titles (``scanner.sheet``);
   every declared setting's label and help (``station.setting``, from
   ``station.config.DECLARED``: the admin Settings tab shows them).
   They are written to a temporary Python file of ``QT_TRANSLATE_NOOP`` calls that lupdate
   scans in the same run, so lupdate's own merge keeps translations and marks what vanished.
3. ``pyside6-lrelease`` compiles each ``.ts`` to the ``.qm`` the station loads.

Then open the ``.ts`` in Qt Linguist (``pyside6-linguist``), translate what is unfinished, and
run this again to compile.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import pkgutil
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import station.udi
from drivers.simulated.script import load_script
from station.config import DECLARED
from station.scanning.diagnosis import translatable_texts as scanner_texts
from station.udi import read_scan
from station.udi.model import CATALOG

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN",)
UI_SOURCES = ROOT / "ui"
DEMO_SCRIPT = ROOT / "resources" / "demo" / "scans.txt"
ISSUE_CONTEXT = "udi.issue"
FIELD_CONTEXT = "udi.field"
SETTING_CONTEXT = "station.setting"


def ts_path(language: str) -> Path:
    return I18N / f"udi_station_{language}.ts"


def qm_path(language: str) -> Path:
    return I18N / f"udi_station_{language}.qm"


def tool(name: str) -> str:
    """A Qt tool from this virtualenv, else from PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def _reader_modules() -> list[ModuleType]:
    """Every module of the code reader, imported, so every issue type is in CATALOG."""
    names = [f"station.udi.{m.name}" for m in pkgutil.iter_modules(station.udi.__path__)]
    return [importlib.import_module(name) for name in sorted(names)]


def _literal_add_titles(source: str) -> set[str]:
    """Titles written as string literals in ``draft.add(key, "Title", value, start, …)`` calls."""
    titles = set()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add"
            and len(node.args) >= 4
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            titles.add(node.args[1].value)
    return titles


def _demo_titles() -> set[str]:
    return {e.title for step in load_script(DEMO_SCRIPT) for e in read_scan(step.raw).elements}


def setting_texts() -> set[str]:
    """Every declared setting's label and help text (the admin Settings tab's form)."""
    return {
        text
        for setting in DECLARED.values()
        for text in (setting.label, setting.help)
        if text and not setting.secret
    }


def domain_strings() -> dict[str, list[str]]:
    """Context → the domain core's English texts the UI translates."""
    modules = _reader_modules()
    titles: set[str] = set()
    for module in modules:
        field_titles = getattr(module, "FIELD_TITLES", None)
        if isinstance(field_titles, dict):
            titles.update(v for v in field_titles.values() if isinstance(v, str))
        ai_table = getattr(module, "AI_TABLE", None)
        if module.__name__ == "station.udi.gs1_table" and ai_table is not None:
            titles.update(spec.title for spec in ai_table.values())
        source_file = getattr(module, "__file__", None)
        if source_file:
            titles.update(_literal_add_titles(Path(source_file).read_text(encoding="utf-8")))
    titles.update(_demo_titles())
    templates = {issue_type.template for issue_type in CATALOG.values()}
    return {
        ISSUE_CONTEXT: sorted(t for t in templates if t),
        FIELD_CONTEXT: sorted(t for t in titles if t),
        SETTING_CONTEXT: sorted(setting_texts()),
        # The scanner test's findings, fixes, layout names and sheet titles.
        **{context: sorted(set(texts)) for context, texts in scanner_texts().items()},
    }


def domain_source(strings: dict[str, list[str]]) -> str:
    """A Python file lupdate can scan: one ``QT_TRANSLATE_NOOP`` per domain text."""
    lines = ["# Generated by tools/i18n_update.py for lupdate; never imported.", ""]
    for context, texts in strings.items():
        lines += [f"QT_TRANSLATE_NOOP({context!r}, {text!r})" for text in texts]
    return "\n".join(lines) + "\n"


def ui_sources() -> list[Path]:
    return sorted(p for p in UI_SOURCES.rglob("*.py") if "__pycache__" not in p.parts)


def update_ts(ts: Path, strings: dict[str, list[str]], drop_obsolete: bool = False) -> None:
    """Merge the UI's and the domain's texts into ``ts`` with lupdate (creating it if needed)."""
    with tempfile.TemporaryDirectory() as scratch:
        generated = Path(scratch) / "domain_strings.py"
        generated.write_text(domain_source(strings), encoding="utf-8")
        command = [
            tool("pyside6-lupdate"),
            *map(str, ui_sources()),
            str(generated),
            "-locations",
            "none",
            "-source-language",
            "en",
            "-ts",
            str(ts),
        ]
        if drop_obsolete:
            command.insert(-2, "-no-obsolete")
        subprocess.run(command, check=True, capture_output=True, text=True)


def release(ts: Path, qm: Path) -> None:
    command = [tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)]
    subprocess.run(command, check=True, capture_output=True, text=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a catalog is out of date")
    parser.add_argument("--drop-obsolete", action="store_true", help="remove vanished texts")
    args = parser.parse_args(argv)
    strings = domain_strings()
    stale = []
    for language in LANGUAGES:
        ts = ts_path(language)
        if args.check:
            with tempfile.TemporaryDirectory() as scratch:
                copy = Path(scratch) / ts.name
                shutil.copyfile(ts, copy)
                update_ts(copy, strings, args.drop_obsolete)
                if copy.read_bytes() != ts.read_bytes():
                    stale.append(ts.name)
            continue
        ts.parent.mkdir(parents=True, exist_ok=True)
        update_ts(ts, strings, args.drop_obsolete)
        release(ts, qm_path(language))
        print(f"updated {ts.relative_to(ROOT)} and {qm_path(language).relative_to(ROOT)}")
    if stale:
        print("out of date (run: python -m tools.i18n_update):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
