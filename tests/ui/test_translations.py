"""The zh_CN catalog is complete, consistent with the sources and compiled; lookups are safe.

The .qm check compares bytes: lrelease output depends only on the .ts (no timestamps), so the
committed .qm must be exactly what lrelease makes from the committed .ts.
"""

from __future__ import annotations

import json
import shutil
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.config import DECLARED
from station.udi.model import CATALOG, Issue, Kind, Severity
from tools import i18n_update
from ui.i18n import (
    FIELD_CONTEXT,
    ISSUE_CONTEXT,
    SCHEME_CONTEXT,
    SETTING_CONTEXT,
    install_translators,
    remove_translators,
    resolve_language,
    tr_issue,
    tr_setting,
)
from ui.qt import QApplication, QTranslator

TS = i18n_update.ts_path("zh_CN")
QM = i18n_update.qm_path("zh_CN")
#: GS1 AIs a medical-device label uses; their titles must read in Chinese.
MEDICAL_AIS = [
    *("00", "01", "02", "03", "10", "11", "17", "21", "22", "235", "240", "241", "250", "251"),
    *("30", "37", "7240", "8012", "8013", "8020", "422"),
    *("3100", "3103", "3300", "3110", "3120", "3130", "3150", "3160", "3200"),  # measures
]

Entries = dict[tuple[str, str], tuple[str, str | None]]


def entries(ts: Path) -> Entries:
    """(context, source) → (translation, type) of every message still in use."""
    out: Entries = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            kind = translation.get("type")
            if kind in ("vanished", "obsolete"):
                continue
            out[(name, message.findtext("source") or "")] = (translation.text or "", kind)
    return out


def unfinished(found: Entries) -> list[tuple[str, str]]:
    return sorted(key for key, (text, kind) in found.items() if kind == "unfinished" or not text)


def fields(text: str) -> list[tuple[str, str | None]]:
    return sorted((n, c) for _, n, _, c in string.Formatter().parse(text) if n is not None)


@pytest.fixture(scope="module")
def committed() -> Entries:
    return entries(TS)


def test_committed_catalog_has_nothing_unfinished(committed: Entries) -> None:
    assert unfinished(committed) == []


@pytest.fixture(scope="module")
def fresh_domain() -> dict[str, object]:
    """The reader's texts as a fresh interpreter sees them.

    In this process, other test modules may have registered fake issue types in CATALOG.
    """
    script = (
        "import json; from tools.i18n_update import domain_strings; "
        "from station.udi.model import CATALOG; "
        "print(json.dumps({'strings': domain_strings(), "
        "'codes': {c: t.template for c, t in CATALOG.items()}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=i18n_update.ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_catalog_is_up_to_date_with_the_sources(
    tmp_path: Path, fresh_domain: dict[str, object]
) -> None:
    # Re-run the update on a copy: a UI string or catalog entry added since shows up unfinished.
    copy = tmp_path / TS.name
    shutil.copyfile(TS, copy)
    strings = fresh_domain["strings"]
    assert isinstance(strings, dict)
    i18n_update.update_ts(copy, strings)
    missing = unfinished(entries(copy))
    assert missing == [], "run `python -m tools.i18n_update` and translate:\n" + "\n".join(
        f"  [{context}] {source}" for context, source in missing
    )


def test_every_issue_type_is_translated(
    committed: Entries, fresh_domain: dict[str, object]
) -> None:
    codes = fresh_domain["codes"]
    assert isinstance(codes, dict)
    assert len(codes) > 50
    missing = sorted(
        code
        for code, template in codes.items()
        if not committed.get((ISSUE_CONTEXT, template), ("", None))[0]
    )
    assert missing == [], f"issue codes without a zh_CN translation: {missing}"


def test_issue_translations_keep_every_placeholder(committed: Entries) -> None:
    broken = [
        source
        for (context, source), (text, _) in committed.items()
        if context == ISSUE_CONTEXT and fields(text) != fields(source)
    ]
    assert broken == []


def test_medical_device_ai_titles_are_translated(committed: Entries) -> None:
    from station.udi.gs1_table import AI_TABLE  # noqa: PLC0415

    for ai in MEDICAL_AIS:
        title = AI_TABLE[ai].title
        text, _ = committed[(FIELD_CONTEXT, title)]
        assert text, ai
        assert not text.isascii(), (ai, title, text)


def test_every_setting_label_and_help_is_extracted_and_translated(
    committed: Entries, fresh_domain: dict[str, object]
) -> None:
    strings = fresh_domain["strings"]
    assert isinstance(strings, dict)
    assert i18n_update.SETTING_CONTEXT == SETTING_CONTEXT
    texts = {t for s in DECLARED.values() if not s.secret for t in (s.label, s.help)}
    assert len(texts) > 80
    assert set(strings[SETTING_CONTEXT]) == texts
    missing = sorted(t for t in texts if not committed.get((SETTING_CONTEXT, t), ("", None))[0])
    assert missing == [], f"settings without a zh_CN translation: {missing}"
    broken = [
        source
        for (context, source), (text, _) in committed.items()
        if context == SETTING_CONTEXT and fields(text) != fields(source)
    ]
    assert broken == []


def test_scheme_names_are_translated(committed: Entries) -> None:
    assert committed[(SCHEME_CONTEXT, "China MA")][0] == "中国 MA 码"
    assert committed[(SCHEME_CONTEXT, "Unknown format")][0] == "未知格式"


def test_committed_qm_is_what_lrelease_makes(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    i18n_update.release(TS, fresh)
    assert fresh.read_bytes() == QM.read_bytes(), "run `python -m tools.i18n_update`"


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[list[QTranslator]]:
    translators = install_translators("zh_CN")
    yield translators
    remove_translators(translators)


def test_translators_load_the_shipped_catalog(chinese: list[QTranslator]) -> None:
    assert chinese, "udi_station_zh_CN.qm did not load"
    issue = CATALOG["scan.empty"]()
    assert tr_issue(issue) == "扫描内容为空：未读取到任何数据。请重新扫描。"


def test_setting_texts_are_shown_translated(chinese: list[QTranslator]) -> None:
    for setting in DECLARED.values():
        label, help_text = tr_setting(setting.label), tr_setting(setting.help)
        assert label != setting.label, setting.key
        assert help_text != setting.help, setting.key


def test_element_titles_inside_messages_are_translated(chinese: list[QTranslator]) -> None:
    issue_type = next(
        t for t in CATALOG.values() if {"ai", "title", "at"} <= {f[0] for f in fields(t.template)}
    )
    params: dict[str, object] = {name: "x" for name, _ in fields(issue_type.template)}
    params.update(ai="10", title="BATCH/LOT", at="3")
    shown = tr_issue(issue_type(None, **params))
    assert "批号" in shown
    assert "BATCH/LOT" not in shown


class MismatchedTranslator(QTranslator):
    """A catalog whose translation names a placeholder the template does not have."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        if context == ISSUE_CONTEXT and source.startswith("Broken"):
            return "坏的 {unknown}"
        return ""


def test_mismatched_translation_falls_back_to_english(
    qapp: QApplication, caplog: pytest.LogCaptureFixture
) -> None:
    translator = MismatchedTranslator()
    QApplication.installTranslator(translator)
    try:
        issue = Issue(
            "test.broken",
            Kind.CHECK,
            Severity.ERROR,
            "Broken 7.",
            "Broken {n}.",
            None,
            (("n", "7"),),
        )
        assert tr_issue(issue) == "Broken 7."
        assert "does not fit its parameters" in caplog.text
    finally:
        QApplication.removeTranslator(translator)


def test_scan_values_in_messages_are_made_visible_and_short() -> None:
    issue = Issue(
        "test.value",
        Kind.CHECK,
        Severity.ERROR,
        "",
        "Bad {value}.",
        None,
        (("value", "A\x1dB" + "x" * 100),),
    )
    shown = tr_issue(issue)
    assert shown.startswith("Bad A⟨GS⟩B")
    assert shown.endswith("….")
    assert len(shown) < 80


@pytest.mark.parametrize(
    ("requested", "system", "expected"),
    [
        ("zh_CN", "en_US", "zh_CN"),
        ("zh-TW", "en_US", "zh_CN"),
        ("en", "zh_CN", "en"),
        ("fr", "zh_CN", "en"),
        (None, "zh_CN.UTF-8", "zh_CN"),
        (None, "de_DE", "en"),
        (None, "C", "en"),
    ],
)
def test_resolve_language(requested: str | None, system: str, expected: str) -> None:
    assert resolve_language(requested, system) == expected
